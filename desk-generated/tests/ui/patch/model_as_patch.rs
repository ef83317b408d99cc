// A fetched `Conversation` is not a patch: sending it would overwrite every field.
use desk_generated::models::Conversation;
use desk_generated::requests::ConversationApiBodyPatch;

fn send(_body: ConversationApiBodyPatch) {}

fn main() {
    let fetched = Conversation::default();
    send(fetched);
}
