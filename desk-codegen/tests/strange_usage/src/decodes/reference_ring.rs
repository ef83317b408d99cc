use crate::reference_ring::models::*;
use crate::round_trip;

#[test]
fn a_long_ring_decodes() {
    let node: Node0 = round_trip(r#"{"label": "a", "next": {"label": "b", "next": {"next": {}}}}"#);
    assert_eq!(node.next.and_then(|n| n.label).as_deref(), Some("b"));
}
