// `Reference` is read-only as a whole, so arrays of references (`users`, `messages`) are
// read-only too: no setter, no field, no clearer, in patch and create forms alike.
use desk_generated::requests::{ConversationCreate, ConversationPatch};

fn main() {
    let _patch = ConversationPatch::new().users(Vec::new());
    let _patch = ConversationPatch::new().clear_messages();
    let _create = ConversationCreate::new().users(Vec::new());
    let create = ConversationCreate::new();
    let _ = create.messages;
}
