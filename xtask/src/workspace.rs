//! Where the desk workspace is, found when a command runs.
//!
//! Never baked in at compile time (`env!("CARGO_MANIFEST_DIR")`): a binary built in one
//! checkout may run in another (a target folder copied or shared between checkouts), or after
//! the checkout it was built in is gone, and must then use the checkout it runs in.

use std::path::{Path, PathBuf};

/// The desk workspace around the current directory, else around this program (for a binary
/// run from outside any checkout): the nearest folder upwards that holds a `Cargo.toml` with a
/// `[workspace]`, a `Cargo.lock` and `desk-runtime/Cargo.toml`.
pub fn root() -> Result<PathBuf, String> {
    let cwd = std::env::current_dir()
        .map_err(|err| format!("cannot read the current directory: {err}"))?;
    if let Some(root) = enclosing(&cwd) {
        return Ok(root);
    }
    if let Some(root) = std::env::current_exe().ok().and_then(|exe| enclosing(&exe)) {
        return Ok(root);
    }
    Err(format!(
        "cannot find the desk workspace: neither {} nor the folders above it hold one (a \
         Cargo.toml with [workspace], Cargo.lock and desk-runtime/); run the command inside a \
         checkout of desk",
        cwd.display()
    ))
}

/// The nearest folder at or above `start` that is a desk workspace.
fn enclosing(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| is_desk_workspace(dir))
        .map(Path::to_path_buf)
}

fn is_desk_workspace(dir: &Path) -> bool {
    dir.join("Cargo.lock").is_file()
        && dir.join("desk-runtime/Cargo.toml").is_file()
        && std::fs::read_to_string(dir.join("Cargo.toml"))
            .is_ok_and(|manifest| manifest.contains("[workspace]"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_this_checkout_from_any_folder_inside_it_and_nothing_outside() {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = here.parent().expect("the checkout");
        assert_eq!(enclosing(here).as_deref(), Some(root));
        assert_eq!(
            enclosing(&root.join("desk-runtime/src")).as_deref(),
            Some(root)
        );
        let outside = tempfile::tempdir().expect("a temp dir");
        assert_eq!(enclosing(outside.path()), None);
    }
}
