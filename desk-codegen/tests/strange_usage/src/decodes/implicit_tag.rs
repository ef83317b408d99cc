use crate::implicit_tag::models::*;
use crate::round_trip;

#[test]
fn the_pinned_property_tags_the_union() {
    let log: Log = round_trip(
        r#"{"events": [{"kind": "created", "id": "1"}, {"reason": "gone", "kind": "deleted"},
                       {"kind": "renamed", "to": "b"}, {"kind": "ping"}, {"kind": "later", "n": 1},
                       {"kind": "counted", "count": 3}, {"kind": "noted", "note": null},
                       {"kind": "moved", "to": {"kind": "renamed", "to": "c"}}],
            "repeated": {"kind": "same", "b": 2}, "text": "plain",
            "optional": {"y": "no kind"}}"#,
    );
    let events = log.events.expect("events");
    // Named after the tag value, holding the one other property: no struct of its own.
    assert!(matches!(&events[0], Event::Created(id) if id == "1"));
    assert!(matches!(&events[1], Event::Deleted(e) if e.reason.as_deref() == Some("gone")));
    assert!(
        matches!(&events[2], Event::Renamed(r) if r.to == "b" && r.kind == RenamedKind::Renamed)
    );
    assert_eq!(events[3], Event::Ping);
    assert!(matches!(&events[4], Event::Unknown(_)));
    assert_eq!(events[5], Event::Counted(3));
    assert!(matches!(
        &events[6],
        Event::Noted(EventNoted { note: None })
    ));
    assert!(matches!(&events[7], Event::MovedAway(r) if r.to == "c"));
    assert!(matches!(log.repeated, Some(Repeated::Variant1(_))));
    assert!(matches!(log.text, Some(TaggedOrText::String(_))));
    assert!(matches!(log.optional, Some(Optional::Variant1(_))));
    // A known tag without its property is an error, not the catch-all.
    assert!(serde_json::from_str::<Event>(r#"{"kind": "counted"}"#).is_err());
    assert!(serde_json::from_str::<Event>(r#"{"kind": "counted", "count": "x"}"#).is_err());
}

#[test]
fn a_tagged_union_is_sent_without_its_read_only_parts() {
    let change: Change =
        round_trip(r#"{"op": "move", "path": "/a", "at": "2024-01-02T03:04:05Z"}"#);
    assert_eq!(round_trip::<Change>(r#"{"op": "reset"}"#), Change::Reset);
    let sent =
        serde_json::to_value(crate::implicit_tag::requests::ChangeCreate::from(change)).unwrap();
    assert_eq!(sent, serde_json::json!({"op": "move", "path": "/a"}));
    let sent = serde_json::to_value(crate::implicit_tag::requests::ChangeCreate::from(
        Change::Reset,
    ))
    .unwrap();
    assert_eq!(sent, serde_json::json!({"op": "reset"}));
    let set = Change::Set(Renamed {
        kind: RenamedKind::Renamed,
        to: "x".into(),
    });
    let sent =
        serde_json::to_value(crate::implicit_tag::requests::ChangeCreate::from(set)).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"op": "set", "value": {"kind": "renamed", "to": "x"}})
    );
}
