//! The request types generated from `specs/inventory.yaml` (a spec unlike the Conversation API:
//! required fields, `allOf`, arrays of objects, two levels of nesting, enums, write-only data)
//! follow the same rules: no read-only fields, tri-state patches, nested patch types, arrays
//! replaced whole, a minimal diff, and a lossless round trip.

use desk_consumer::inventory::models::{
    Address, Category, Dimensions, DimensionsUnit, Product, ProductEnvelope, ProductStatus,
    Supplier, Variant,
};
use desk_consumer::inventory::requests::{
    AddressPatch, CategoryCreate, CategoryPatch, DimensionsCreate, DimensionsPatch, ProductCreate,
    ProductEnvelopePatch, ProductPatch, SupplierCreate, SupplierPatch, VariantCreate,
};
use desk_runtime::Patch;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

fn to_json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("encodes")
}

fn assert_round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let text = serde_json::to_string(value).expect("encodes");
    let back: T = serde_json::from_str(&text).expect("decodes its own JSON");
    assert_eq!(&back, value, "round trip through {text}");
}

/// A product as the server returns it.
fn stored() -> Product {
    serde_json::from_value(json!({
        "id": 17,
        "createdAt": "2025-01-02T03:04:05Z",
        "updatedAt": null,
        "sku": "LAMP-1",
        "name": "Desk lamp",
        "description": "A lamp for a desk.",
        "status": "active",
        "price": 39.5,
        "discount": 0.1,
        "dimensions": {"width": 20.0, "height": 45.0, "depth": 20.0, "unit": "cm"},
        "tags": ["lighting", "office"],
        "variants": [{"id": 1, "sku": "LAMP-1-BLK", "color": "black"}, {"id": 2, "sku": "LAMP-1-WHT", "color": "white"}],
        "supplier": {"name": "Lumen Ltd", "email": "sales@lumen.example", "address": {"city": "Leeds", "country": "UK"}, "grade": "A"},
        "category": {"id": 5, "name": "Lamps", "parent": {"id": 1, "name": "Lighting", "parent": null}},
        "stock": 12
    }))
    .expect("a valid product")
}

// ---------------------------------------------------------------------------------------------
// The shape of the types: exhaustive patterns (no `..`) fail to compile if a field is added
// or missing, so these pin the exact field sets.

#[test]
fn request_types_have_exactly_the_writable_fields() {
    // No `id`, `createdAt`, `updatedAt` (read-only, from `Entity` through `allOf`), no `stock`.
    let ProductPatch {
        sku,
        name,
        description,
        status,
        price,
        discount,
        dimensions,
        tags,
        variants,
        supplier,
        category,
        internal_note,
    } = ProductPatch::new();
    for absent in [
        sku.is_absent(),
        name.is_absent(),
        description.is_absent(),
        internal_note.is_absent(),
    ] {
        assert!(absent);
    }
    assert!(
        status.is_absent() && price.is_absent() && discount.is_absent() && dimensions.is_absent()
    );
    assert!(
        tags.is_absent() && variants.is_absent() && supplier.is_absent() && category.is_absent()
    );

    // The create type: required properties are plain values, given to `new`.
    let ProductCreate {
        sku,
        name,
        description,
        status,
        price,
        discount,
        dimensions,
        tags,
        variants,
        supplier,
        category,
        internal_note,
    } = ProductCreate::new("LAMP-2", "Floor lamp", 99.0);
    assert_eq!(
        (sku.as_str(), name.as_str(), price),
        ("LAMP-2", "Floor lamp", 99.0)
    );
    assert!(description.is_absent() && discount.is_absent() && variants.is_absent());
    assert!(
        status.is_none()
            && dimensions.is_none()
            && tags.is_none()
            && supplier.is_none()
            && internal_note.is_none()
    );
    assert!(category.is_none());

    // Array items use the create form, which has no read-only `id` either.
    let VariantCreate { sku, color, size } = VariantCreate::new("V-1");
    assert_eq!(sku, "V-1");
    assert!(color.is_absent() && size.is_none());
}

#[test]
fn read_only_keys_never_reach_the_wire() {
    // Decoding a request body from JSON drops keys the server owns.
    let patch: ProductPatch =
        serde_json::from_value(json!({"id": 1, "stock": 3, "createdAt": "2025-01-01T00:00:00Z", "name": "Lamp", "variants": [{"id": 9, "sku": "X"}]}))
            .unwrap();
    assert_eq!(
        to_json(&patch),
        json!({"name": "Lamp", "variants": [{"sku": "X"}]})
    );

    let create = ProductCreate::from(stored());
    let sent = to_json(&create);
    for key in ["id", "createdAt", "updatedAt", "stock"] {
        assert!(sent.get(key).is_none(), "{key} in {sent}");
    }
    assert_eq!(
        sent["variants"],
        json!([{"sku": "LAMP-1-BLK", "color": "black"}, {"sku": "LAMP-1-WHT", "color": "white"}])
    );
    // Write-only data is not in the model, so a copy of a stored product cannot carry it.
    assert!(sent.get("internalNote").is_none());
}

// ---------------------------------------------------------------------------------------------
// Exact JSON of patches.

#[test]
fn empty_set_and_cleared() {
    assert_eq!(serde_json::to_string(&ProductPatch::new()).unwrap(), "{}");
    assert_eq!(
        serde_json::to_string(&ProductEnvelopePatch::new()).unwrap(),
        "{}"
    );
    assert_eq!(
        to_json(&ProductPatch::new().price(42.0)),
        json!({"price": 42.0})
    );
    assert_eq!(
        to_json(&ProductPatch::new().status(ProductStatus::Discontinued)),
        json!({"status": "discontinued"})
    );
    assert_eq!(
        to_json(&ProductPatch::new().clear_discount()),
        json!({"discount": null})
    );
    // Required in the model: a patch may leave it out or set it, but has no `clear_name` (`null`
    // is not a value a required, non-nullable key can take).
    assert_eq!(
        to_json(&ProductPatch::new().name("Lamp")),
        json!({"name": "Lamp"})
    );
    // Write-only fields can be sent.
    assert_eq!(
        to_json(&ProductPatch::new().internal_note("fragile")),
        json!({"internalNote": "fragile"})
    );
    // Wrapped as the spec's PATCH body.
    assert_eq!(
        to_json(&ProductEnvelopePatch::from(
            ProductPatch::new().clear_description().price(10)
        )),
        json!({"product": {"description": null, "price": 10.0}})
    );
}

#[test]
fn nested_objects_are_patched_field_by_field() {
    let patch = ProductPatch::new().dimensions(DimensionsPatch::new().clear_depth().unit("in"));
    assert_eq!(
        to_json(&patch),
        json!({"dimensions": {"depth": null, "unit": "in"}})
    );

    // Two levels: supplier.address.city, with supplier.email cleared.
    let patch = ProductPatch::new().supplier(
        SupplierPatch::new()
            .clear_email()
            .address(AddressPatch::new().city("York")),
    );
    assert_eq!(
        to_json(&patch),
        json!({"supplier": {"email": null, "address": {"city": "York"}}})
    );
    assert_eq!(
        to_json(&ProductPatch::new().supplier(SupplierPatch::new().clear_address())),
        json!({"supplier": {"address": null}})
    );
    assert_eq!(
        to_json(&ProductPatch::new().clear_supplier()),
        json!({"supplier": null})
    );
}

#[test]
fn arrays_are_replaced_whole() {
    let patch = ProductPatch::new()
        .tags(vec!["sale".to_owned()])
        .variants(vec![
            VariantCreate::new("LAMP-1-RED").color("red"),
            VariantCreate::new("LAMP-1-PLAIN").clear_color(),
        ]);
    assert_eq!(
        to_json(&patch),
        json!({"tags": ["sale"], "variants": [{"sku": "LAMP-1-RED", "color": "red"}, {"sku": "LAMP-1-PLAIN", "color": null}]})
    );
    assert_eq!(
        to_json(&ProductPatch::new().tags(Vec::<String>::new())),
        json!({"tags": []})
    );
    assert_eq!(
        to_json(&ProductPatch::new().clear_variants()),
        json!({"variants": null})
    );
}

#[test]
fn create_bodies() {
    let create = ProductCreate::new("LAMP-2", "Floor lamp", 99)
        .status("draft")
        .clear_description()
        .dimensions(DimensionsCreate::new(30, 160).unit(DimensionsUnit::Cm))
        .supplier(SupplierCreate::new().name("Lumen Ltd"))
        .variants(vec![VariantCreate::new("LAMP-2-BLK")]);
    assert_eq!(
        to_json(&create),
        json!({
            "sku": "LAMP-2",
            "name": "Floor lamp",
            "description": null,
            "status": "draft",
            "price": 99.0,
            "dimensions": {"width": 30.0, "height": 160.0, "unit": "cm"},
            "variants": [{"sku": "LAMP-2-BLK"}],
            "supplier": {"name": "Lumen Ltd"}
        })
    );
    // Required fields are always sent; optional ones only when set.
    assert_eq!(
        to_json(&ProductCreate::new("S", "N", 1.5)),
        json!({"sku": "S", "name": "N", "price": 1.5})
    );
}

// ---------------------------------------------------------------------------------------------
// Round trip.

#[test]
fn patches_round_trip_keeping_absent_and_null_apart() {
    let text = r#"{"description":null,"dimensions":{"depth":null,"unit":"mm"},"tags":[],"supplier":{"address":{"country":null}}}"#;
    let patch: ProductPatch = serde_json::from_str(text).unwrap();
    assert_eq!(patch.description, Patch::Null);
    assert_eq!(patch.name, Patch::Absent);
    assert_eq!(patch.tags, Patch::Value(Vec::new()));
    let Patch::Value(dimensions) = &patch.dimensions else {
        panic!("{patch:?}")
    };
    assert_eq!(
        (dimensions.depth.clone(), dimensions.width.clone()),
        (Patch::Null, Patch::Absent)
    );
    assert_eq!(dimensions.unit, Patch::Value(DimensionsUnit::Mm));
    let Patch::Value(supplier) = &patch.supplier else {
        panic!("{patch:?}")
    };
    assert!(supplier.name.is_absent() && supplier.email.is_absent());
    assert_eq!(
        supplier.address,
        Patch::Value(AddressPatch::new().clear_country())
    );
    assert_eq!(serde_json::to_string(&patch).unwrap(), text);

    assert_round_trip(&patch);
    assert_round_trip(&ProductPatch::from_model(stored()));
    assert_round_trip(&ProductEnvelopePatch::from(
        ProductPatch::new().clear_variants(),
    ));
    assert_round_trip(&ProductCreate::from(stored()));
    let unknown: ProductPatch = serde_json::from_str(r#"{"status":"recalled"}"#).unwrap();
    assert_eq!(
        unknown.status,
        Patch::Value(ProductStatus::Other("recalled".into()))
    );
    assert_eq!(
        serde_json::to_string(&unknown).unwrap(),
        r#"{"status":"recalled"}"#
    );
}

// ---------------------------------------------------------------------------------------------
// Diff.

#[test]
fn diff_sends_exactly_what_changed() {
    let old = stored();
    let mut new = old.clone();
    new.price = 35.0;
    new.discount = None;
    let envelope = ProductEnvelopePatch::diff(
        &ProductEnvelope {
            product: old.clone(),
        },
        &ProductEnvelope {
            product: new.clone(),
        },
    );
    assert_eq!(
        to_json(&envelope),
        json!({"product": {"price": 35.0, "discount": null}})
    );
    assert_eq!(
        ProductEnvelopePatch::from(ProductPatch::diff(&old, &new)),
        envelope
    );
    assert!(ProductPatch::diff(&old, &old).is_empty());
}

#[test]
fn diff_ignores_read_only_data() {
    let old = stored();
    let mut new = old.clone();
    new.id = 18;
    new.stock = Some(0);
    new.updated_at = Some(chrono::DateTime::parse_from_rfc3339("2025-02-01T00:00:00Z").unwrap());
    // Read-only `id` of an array item does not count as a change of the array.
    new.variants.as_mut().unwrap()[0].id = Some(100);
    assert_eq!(to_json(&ProductPatch::diff(&old, &new)), json!({}));
}

#[test]
fn diff_recurses_into_nested_objects_and_replaces_arrays() {
    let old = stored();
    let mut new = old.clone();
    new.dimensions.as_mut().unwrap().depth = None;
    let supplier = new.supplier.as_mut().unwrap();
    supplier.address.as_mut().unwrap().city = Some("York".into());
    new.tags.as_mut().unwrap().retain(|t| t != "office");
    new.variants.as_mut().unwrap()[1].color = None;
    assert_eq!(
        to_json(&ProductPatch::diff(&old, &new)),
        json!({
            "dimensions": {"depth": null},
            "tags": ["lighting"],
            "variants": [{"sku": "LAMP-1-BLK", "color": "black"}, {"sku": "LAMP-1-WHT"}],
            "supplier": {"address": {"city": "York"}}
        })
    );

    // Nested objects appearing and disappearing.
    let mut bare = old.clone();
    bare.supplier = None;
    bare.variants = None;
    assert_eq!(
        to_json(&ProductPatch::diff(&old, &bare)),
        json!({"variants": null, "supplier": null})
    );
    assert_eq!(
        to_json(&ProductPatch::diff(&bare, &old))["supplier"],
        json!({"name": "Lumen Ltd", "email": "sales@lumen.example", "address": {"city": "Leeds", "country": "UK"}, "grade": "A"})
    );

    // Each nested type diffs on its own.
    let a = Supplier {
        address: Some(Address {
            city: Some("Leeds".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let b = Supplier {
        name: Some("New".into()),
        ..a.clone()
    };
    assert_eq!(
        to_json(&SupplierPatch::diff(&a, &b)),
        json!({"name": "New"})
    );
    let d1 = Dimensions {
        width: 1.0,
        height: 2.0,
        depth: None,
        unit: None,
    };
    let d2 = Dimensions {
        width: 1.5,
        ..d1.clone()
    };
    assert_eq!(
        to_json(&DimensionsPatch::diff(&d1, &d2)),
        json!({"width": 1.5})
    );
    let v = Variant {
        id: Some(1),
        sku: "A".into(),
        color: None,
        size: None,
    };
    assert_eq!(to_json(&VariantCreate::from(v)), json!({"sku": "A"}));
}

// ---------------------------------------------------------------------------------------------
// A reference cycle (boxed) and additional properties beside the declared ones.

#[test]
fn recursive_objects_are_boxed_and_patched_recursively() {
    let patch = ProductPatch::new()
        .category(CategoryPatch::new().parent(CategoryPatch::new().name("Home")));
    assert_eq!(
        to_json(&patch),
        json!({"category": {"parent": {"name": "Home"}}})
    );
    assert_eq!(
        to_json(&CategoryPatch::new().clear_parent()),
        json!({"parent": null})
    );

    let old = stored();
    let mut new = old.clone();
    new.category.as_mut().unwrap().parent.as_mut().unwrap().name = "Light".into();
    // The read-only ids along the way do not count.
    new.category.as_mut().unwrap().parent.as_mut().unwrap().id = Some(99);
    assert_eq!(
        to_json(&ProductPatch::diff(&old, &new)),
        json!({"category": {"parent": {"name": "Light"}}})
    );

    let create = CategoryCreate::from(old.category.clone().unwrap());
    assert_eq!(
        to_json(&create),
        json!({"name": "Lamps", "parent": {"name": "Lighting"}})
    );
    let round: CategoryPatch = serde_json::from_str(r#"{"parent":{"parent":null}}"#).unwrap();
    assert_eq!(
        round,
        CategoryPatch::new().parent(CategoryPatch::new().clear_parent())
    );
    let top = Category {
        id: None,
        name: "Top".into(),
        parent: None,
    };
    let nested = Category {
        parent: Some(Box::new(top.clone())),
        ..top.clone()
    };
    assert_eq!(
        to_json(&CategoryPatch::diff(&top, &nested)),
        json!({"parent": {"name": "Top"}})
    );
}

#[test]
fn additional_properties_are_patched_key_by_key() {
    let mut patch = SupplierPatch::new().name("Lumen");
    patch
        .additional_properties
        .insert("grade".into(), Some("B".into()));
    patch.additional_properties.insert("region".into(), None);
    assert!(!patch.is_empty());
    assert_eq!(
        to_json(&patch),
        json!({"name": "Lumen", "grade": "B", "region": null})
    );
    let back: SupplierPatch = serde_json::from_value(to_json(&patch)).unwrap();
    assert_eq!(back, patch);
    assert_eq!(
        back.additional_properties.get("region"),
        Some(&None),
        "a cleared key stays a clear"
    );

    let mut extra = SupplierPatch::new();
    extra.additional_properties.insert("grade".into(), None);
    assert!(!extra.is_empty(), "clearing an extra key is a change");

    let old = stored().supplier.unwrap();
    let mut new = old.clone();
    new.additional_properties.remove("grade");
    new.additional_properties
        .insert("region".into(), "north".into());
    assert_eq!(
        to_json(&SupplierPatch::diff(&old, &new)),
        json!({"grade": null, "region": "north"})
    );
    assert!(SupplierPatch::diff(&old, &old).is_empty());
    assert_eq!(to_json(&SupplierCreate::from(old))["grade"], json!("A"));
}
