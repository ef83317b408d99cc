// Read-only properties have neither a setter nor a field to assign on a patch, nested or not.
use desk_generated::models::Reference;
use desk_generated::requests::{ConversationPatch, CustomerContactPatch};
use desk_generated::Patch;

fn main() {
    let _patch = ConversationPatch::new().state("active").created_at("2024-12-05T12:31:07Z");
    let mut patch = ConversationPatch::new();
    patch.updated_by = Patch::Value(Reference::default());
    let _contact = CustomerContactPatch::new().clear_deleted_at();
}
