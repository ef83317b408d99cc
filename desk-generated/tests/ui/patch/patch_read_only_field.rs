// `id` is read-only in the spec: the server owns it, so the patch type has no such field.
use desk_generated::requests::ConversationPatch;
use desk_generated::Patch;

fn main() {
    let mut patch = ConversationPatch::new();
    patch.id = Patch::Value(1);
}
