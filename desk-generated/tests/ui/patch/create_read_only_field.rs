// Create (POST) bodies follow the same rule: no read-only fields.
use desk_generated::requests::{ConversationCreate, CustomerContactCreate};

fn main() {
    let _create = ConversationCreate::new().token("room").id(5);
    let _contact = CustomerContactCreate { created_at: None, ..Default::default() };
}
