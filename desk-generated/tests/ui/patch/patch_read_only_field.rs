// `id` is read-only in the spec: the server owns it, so the patch type has no such field.
use desk_generated::requests::ConversationPatch;
use desk_generated::Patch;

fn main() {
    let _patch = ConversationPatch { id: Patch::Value(1), ..Default::default() };
}
