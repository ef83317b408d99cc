// Values must have the field's type; and a patch field is tri-state, not an `Option`.
use desk_generated::requests::ConversationPatch;
use desk_generated::Patch;

fn main() {
    let _patch = ConversationPatch::new().ticket_id("forty-two");
    let mut patch = ConversationPatch::new();
    patch.state = Patch::Value(5);
    patch.token = Some("room".to_owned());
    let _users = ConversationPatch::new().users(vec![1, 2]);
}
