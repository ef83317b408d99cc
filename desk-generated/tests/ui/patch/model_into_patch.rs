// No implicit conversion from a model to a patch either: not where the client takes
// `impl Into<ConversationApiBodyPatch>`, not in the wrapper's setter, not for nested objects.
use desk_generated::models::{Conversation, CustomerContact};
use desk_generated::requests::{ConversationApiBodyPatch, ConversationPatch};

fn update(_id: i64, _body: impl Into<ConversationApiBodyPatch>) {}

fn main() {
    update(1, Conversation::default());
    let _body = ConversationApiBodyPatch::new().conversation(Conversation::default());
    let _patch = ConversationPatch::new().contact(CustomerContact::default());
}
