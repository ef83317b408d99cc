use crate::empty_objects::models::*;
use crate::round_trip;

#[test]
fn objects_without_properties_keep_what_is_sent() {
    let holder: Holder = round_trip(
        r#"{"settings": {"any": [1, {"x": null}]}, "described": {"k": 1}, "wrapped": {"w": true},
            "merged": {"m": "v"}, "items": [{"a": 1}, {}]}"#,
    );
    let _: Option<::serde_json::Map<String, ::serde_json::Value>> = holder.settings;
    let _: Option<::serde_json::Map<String, ::serde_json::Value>> = holder.wrapped;
    let _: Option<Vec<::serde_json::Map<String, ::serde_json::Value>>> = holder.items;
    let _: Anything = round_trip(r#"{"deep": {"er": [true]}}"#);
}
