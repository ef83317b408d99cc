// Create (POST) bodies follow the same rule: no read-only fields.
use desk_generated::requests::{ConversationCreate, CustomerContactCreate};

fn main() {
    let _create = ConversationCreate::new().token("room").id(5);
    let mut contact = CustomerContactCreate::new();
    contact.created_at = None;
}
