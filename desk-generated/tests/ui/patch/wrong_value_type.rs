// Values must have the field's type; and a patch field is tri-state, not an `Option`.
use desk_generated::requests::{ConversationPatch, RequestCommonsPatch};
use desk_generated::Patch;

fn main() {
    let _patch = ConversationPatch::new().ticket_id("forty-two");
    let mut patch = ConversationPatch::new();
    patch.state = Patch::Value(5);
    patch.token = Some("room".to_owned());
    let _ids = RequestCommonsPatch::new().ids(vec!["1", "2"]);
}
