use crate::reference_ring::models::*;
use crate::round_trip;

#[test]
fn a_long_ring_decodes() {
    let node: Node0 = round_trip(r#"{"label": "a", "next": {"label": "b", "next": {"next": {}}}}"#);
    assert_eq!(node.next.and_then(|n| n.label).as_deref(), Some("b"));
}

/// `Node89` holds `Node0` and `Node42` holds `Node43` through `desk_runtime::Link`s, whose
/// decoders the generated module registers.
#[test]
fn the_ring_decodes_through_its_links() {
    let closing: Node89 =
        round_trip(r#"{"label": "z", "next": {"label": "a", "next": {"label": "b"}}}"#);
    let first = closing.next.as_ref().and_then(|n| n.label.as_deref());
    assert_eq!(first, Some("a"));
    let middle: Node42 = round_trip(r#"{"next": {"label": "43", "next": {"next": {}}}}"#);
    assert_eq!(middle.next.map(|n| n.label.is_some()), Some(true));
}
