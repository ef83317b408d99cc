// The types are `#[non_exhaustive]`: other crates build them through constructors and setters,
// never with a struct literal (which a new optional field in the description would break), not
// even with `..Default::default()`.
use desk_generated::models::Conversation;
use desk_generated::requests::ConversationPatch;

fn main() {
    let _conversation = Conversation { id: Some(1), ..Default::default() };
    let _patch = ConversationPatch { ..Default::default() };
}
