use crate::extra_properties_kept::models::*;
use crate::round_trip;

#[test]
fn extra_entries_and_union_fields_are_kept() {
    let open: Open = round_trip(r#"{"id": "1", "extra": {"deep": [1]}, "flag": false}"#);
    assert_eq!(open.additional_properties.len(), 2);
    let counted: Counted = round_trip(r#"{"total": 2, "a": 1, "b": 5}"#);
    let _: ::std::collections::BTreeMap<String, i64> = counted.additional_properties;
    let card: Payment = round_trip(r#"{"id": "p", "number": "4111"}"#);
    assert!(matches!(card, Payment::Card(PaymentCard { ref id, number: Some(_) }) if id == "p"));
    let transfer: Payment = round_trip(r#"{"id": "p", "iban": "DE00"}"#);
    assert!(matches!(
        transfer,
        Payment::Transfer(PaymentTransfer { iban: Some(_), .. })
    ));
    let dog: Pet = round_trip(r#"{"id": "d", "kind": "dog", "bark": true}"#);
    assert!(matches!(
        dog,
        Pet::Dog(PetDog {
            bark: Some(true),
            ..
        })
    ));
    let _: String = match dog {
        Pet::Dog(dog) => dog.id,
        _ => unreachable!(),
    };
}
