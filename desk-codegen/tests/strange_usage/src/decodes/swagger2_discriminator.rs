use crate::round_trip;
use crate::swagger2_discriminator::models::*;

#[test]
fn the_discriminator_picks_the_definition_that_extends_the_base() {
    let pets: Vec<Pet> = round_trip(
        r#"[{"petType": "Cat", "name": "c", "huntingSkill": "lazy"}, {"petType": "dog", "name": "d", "packSize": 3},
            {"petType": "Lion", "name": "l", "pride": 2}, {"petType": "Pet", "name": "p"}]"#,
    );
    assert!(matches!(&pets[0], Pet::Cat(cat) if cat.hunting_skill == Some(CatHuntingSkill::Lazy)));
    assert!(matches!(&pets[1], Pet::Dog(dog) if dog.pack_size == 3));
    assert!(matches!(&pets[2], Pet::Lion(lion) if lion.pride == Some(2)));
    assert!(matches!(&pets[3], Pet::Unknown(_)));
    // The base does not declare its tag: the union writes it back.
    let price: PricingComponent =
        round_trip(r#"{"chargeModel": "FlatPricingComponent", "price": 1.5}"#);
    assert!(matches!(
        price,
        PricingComponent::FlatPricingComponent(FlatPricingComponent { price: Some(_), .. })
    ));
}
