// `conversation` is a required key of the wrapper body: a patch may set it or leave it out, but
// never send `{"conversation": null}`, so there is no `clear_conversation`.
use desk_generated::requests::ConversationApiBodyPatch;

fn main() {
    let _body = ConversationApiBodyPatch::new().clear_conversation();
}
