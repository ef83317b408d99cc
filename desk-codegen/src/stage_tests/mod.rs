//! Tests of the stages' internals (the IR, the syntax trees) that the public API does not
//! show; what the public API shows is tested in `tests/`.

mod batches;
mod lowering;
mod needs;
mod select;
mod syntax_trees;
