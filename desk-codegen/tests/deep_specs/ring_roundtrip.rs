//! Copied into the crate generated from a ring (or chain) of schemas by `deep_specs.rs`, as
//! `tests/roundtrip.rs`: values nested 60 levels deep, through at least one
//! `desk_runtime::Link`, decode, re-encode byte for byte and convert to request forms.

use ring::models::S0;
use ring::requests::S0Patch;

/// `levels` objects, each the `next` of the one before: `{"label":"x0","next":{...}}`.
fn nested(levels: usize) -> String {
    let mut text = String::new();
    for i in 0..levels {
        text.push_str(&format!("{{\"label\":\"x{i}\",\"next\":"));
    }
    text.push_str("{\"label\":\"end\"}");
    text.push_str(&"}".repeat(levels));
    text
}

#[test]
fn decodes_and_re_encodes_through_links() {
    let text = nested(60);
    let value: S0 = serde_json::from_str(&text).expect("decodes");
    assert_eq!(serde_json::to_string(&value).expect("encodes"), text);
    assert_eq!(value.clone(), value);
    let second = value.next.as_ref().and_then(|next| next.label.as_deref());
    assert_eq!(second, Some("x1"));
    let err = serde_json::from_str::<S0>(&text.replace("\"x40\"", "40")).expect_err("a number");
    assert!(err.to_string().starts_with("invalid type: integer `40`, expected a string"));
}

#[test]
fn request_forms_convert_and_diff_through_links() {
    let text = nested(60);
    let old: S0 = serde_json::from_str(&text).expect("decodes");
    let patch = S0Patch::from_model(old.clone());
    assert_eq!(serde_json::to_string(&patch).expect("encodes"), text);
    let decoded: S0Patch = serde_json::from_str(&text).expect("the patch decodes");
    assert_eq!(decoded, patch);
    let new: S0 = serde_json::from_str(&text.replace("\"x50\"", "\"changed\"")).expect("decodes");
    let mut expected = String::new();
    for _ in 0..50 {
        expected.push_str("{\"next\":");
    }
    expected.push_str("{\"label\":\"changed\"}");
    expected.push_str(&"}".repeat(50));
    let diff = S0Patch::diff(&old, &new);
    assert_eq!(serde_json::to_string(&diff).expect("encodes"), expected);
    assert!(S0Patch::diff(&old, &old).is_empty());
}
