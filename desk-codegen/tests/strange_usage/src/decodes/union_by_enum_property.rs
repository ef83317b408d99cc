use crate::round_trip;
use crate::union_by_enum_property::models::*;

#[test]
fn the_enum_property_picks_the_alternative() {
    let page: Page = round_trip(
        r#"{"blocks": [{"type": "markdown", "text": "hi"}, {"type": "mosaic", "tiles": ["a", "b"]},
                       {"type": "video", "text": "later"}]}"#,
    );
    let blocks = page.blocks.expect("blocks");
    assert!(matches!(&blocks[0], Block::Markdown(m) if m.text.as_deref() == Some("hi")));
    assert!(
        matches!(&blocks[1], Block::Mosaic(m) if m.tiles.as_ref().is_some_and(|t| t.len() == 2))
    );
    // Each alternative pins `type` to its own value: a tagged union, so a value none
    // lists is kept as sent.
    assert!(matches!(&blocks[2], Block::Unknown(_)));
    assert_eq!(
        round_trip::<LooseOrList>("[]"),
        LooseOrList::Array(Vec::new())
    );
    assert!(matches!(
        round_trip::<LooseOrList>(r#"{"note": "n"}"#),
        LooseOrList::Loose(_)
    ));
}
