//! Turning wire names into Rust identifiers, by one rule, decided once during lowering.
//!
//! Component schema names qualified by a package or namespace first lose the qualifier where
//! the rest is enough to tell them apart ([`schema_type_names`]):
//! - a name is **qualified** when splitting it at `.` gives at least two segments, none empty,
//!   and the last starts with an ASCII letter (`models.Conversation`, `v1.Pod`,
//!   `io.k8s.api.core.v1.Pod`, `github_com_org_pkg.Type`; not `v1.0`, `.x` or `a..b`). Any
//!   other name is one segment;
//! - its **name at depth k** is its last `k` segments (all of them when it has fewer), joined
//!   with `.` and made a type name by the rules below (`v1.Pod` at depth 2 is `V1Pod`);
//! - each name takes its name at the least depth that no other component schema has at that
//!   depth: `models.Conversation` is `Conversation` when no other schema's last segment makes
//!   `Conversation`; `apps.v1.Deployment` and `extensions.v1.Deployment` are
//!   `AppsV1Deployment` and `ExtensionsV1Deployment` while `v1.Pod` beside `v2.Pod` is `V1Pod`;
//!   a name with no such depth keeps all its segments (`ModelsConversation` beside an
//!   unqualified `Conversation`, which keeps its name). The outcome depends only on the set of
//!   names, not on their order. A name without qualifier is unchanged, so descriptions without
//!   qualified names get the names they always had. `Config::type_name` keys on the schema
//!   name as written (`models.Conversation`) and wins over this rule.
//!
//! Then every name goes through one rule, applied in this order:
//! 1. Every character that is not an ASCII letter or digit separates words; a non-ASCII letter or
//!    digit becomes its own word `u{hex code point}` (so `café` → `caf_u00e9`, `naïve` →
//!    `na_u00ef_ve`), keeping distinct wire names distinct.
//! 2. Words are joined with `heck`: `UpperCamelCase` for types and variants, `snake_case` for
//!    fields, methods and parameters.
//! 3. A name that is empty gets a placeholder (`Empty`/`empty`); one that starts with a digit
//!    gets a prefix (`T` for types, `V` for variants, `_` for fields: `2fa` → `T2fa`, `1` →
//!    `V1`, `1st` → `_1st`).
//! 4. Rust keywords get a trailing `_` (`type` → `type_`, `self` → `self_`, `crate` → `crate_`);
//!    a variant named `Self` becomes `SelfVariant`; type names that would shadow std's prelude
//!    or names the generated code uses unqualified (`Option`, `Result`, `Box`, `String`,
//!    `Patch`, `Client`, `ClientBuilder`, `Value`, `Error`, ...) get a `Type` suffix
//!    (`OptionType`).
//! 5. Names that still collide in one scope get `2`, `3`, ... in the order they are met, which
//!    is spec order, so the outcome is the same on every run (`foo_bar`, `fooBar` → `foo_bar`,
//!    `foo_bar2`); a name that ends in a digit gets `_2` (`v1` → `v1_2`).
//!
//! Scopes: all type names of one spec (component schemas first, in spec order, so they keep
//! their names; then inline schemas, the client's per-operation types and the request forms);
//! the fields of one struct (`additional_properties` is taken by the flattened map); the
//! variants of one enum (`Other` is taken by the catch-all); the client's methods (`new`,
//! `builder`, `api`, `from_api`, `with_timeout`, ... are taken); the parameters of one
//! operation.
//!
//! Inline schemas are named from where they appear, `{Parent}{Property}` and so on, with the
//! parts converted by [`type_part`] (rules 1–2) and the whole name by [`type_name`], so a
//! property `value` of `Order` gives `OrderValue` (no `Type` suffix inside a longer name).

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Type names the generated code refers to unqualified, which a schema must not shadow.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "Box",
    "String",
    "Vec",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "ToString",
    "ToOwned",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Hash",
    "Debug",
    "Display",
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
    "BTreeMap",
    "BTreeSet",
    "Value",
    "Map",
    "DateTime",
    "NaiveDate",
    "FixedOffset",
    "Patch",
    "Client",
    "Error",
    "Duration",
    "Stream",
    "ApiClient",
    "Auth",
    "Method",
    "Formatter",
    "FromStr",
    "AsRef",
    "Infallible",
    "Cow",
    "Vec2",
    "Debug2",
    "Future",
    "Pin",
    "Arc",
    "ClientBuilder",
];

fn split_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for ch in raw.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if ch.is_alphanumeric() {
            out.push_str(&format!("_u{:04x}_", ch as u32));
        } else {
            out.push('_');
        }
    }
    out
}

fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// `UpperCamelCase` words of `raw` (rules 1–2 only), for the parts an inline schema's name is
/// built from (`{Parent}{Property}`): the whole name then goes through [`type_name`], so a
/// property called `value` makes `OrderValue`, not `OrderValueType`.
pub fn type_part(raw: &str) -> String {
    split_words(raw).to_upper_camel_case()
}

/// `UpperCamelCase` type name for `raw` (rules 1–4).
pub fn type_name(raw: &str) -> String {
    let mut name = split_words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Empty".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'T');
    }
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Type");
    }
    name
}

/// The segments of a qualified schema name (see the module docs), or the whole name as one.
fn qualified_segments(name: &str) -> Vec<&str> {
    let segments: Vec<&str> = name.split('.').collect();
    let qualified = segments.len() > 1
        && segments.iter().all(|s| !s.is_empty())
        && segments
            .last()
            .is_some_and(|last| last.starts_with(|c: char| c.is_ascii_alphabetic()));
    if qualified {
        segments
    } else {
        vec![name]
    }
}

/// The type name of each component schema name, qualifiers dropped where the rest tells the
/// names apart (see the module docs), in the order given. Rules 1–4 applied; rule 5 (numbers
/// for names that still collide) is the scope's.
pub fn schema_type_names(names: &[&str]) -> Vec<String> {
    let segments: Vec<Vec<&str>> = names.iter().map(|name| qualified_segments(name)).collect();
    let deepest = segments.iter().map(Vec::len).max().unwrap_or(1);
    let mut chosen: Vec<Option<String>> = vec![None; names.len()];
    for depth in 1..=deepest {
        let candidates: Vec<String> = segments
            .iter()
            .map(|s| type_name(&s[s.len().saturating_sub(depth)..].join(".")))
            .collect();
        let mut counts: std::collections::HashMap<&str, usize> = Default::default();
        for candidate in &candidates {
            *counts.entry(candidate.as_str()).or_default() += 1;
        }
        for (index, candidate) in candidates.iter().enumerate() {
            if chosen[index].is_none()
                && (counts[candidate.as_str()] == 1 || segments[index].len() <= depth)
            {
                chosen[index] = Some(candidate.clone());
            }
        }
    }
    chosen
        .into_iter()
        .zip(names)
        .map(|(name, raw)| name.unwrap_or_else(|| type_name(raw)))
        .collect()
}

/// Whether `name` can be used as a type name as is: an ASCII identifier that is not a keyword
/// (for names given in the configuration, which skip the rules above).
pub fn is_type_ident(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
        && !is_keyword(name)
}

/// `UpperCamelCase` enum variant name for `raw` (rules 1–4).
pub fn variant_name(raw: &str) -> String {
    let mut name = split_words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Empty".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        name.push_str("Variant");
    }
    name
}

/// `snake_case` field, method or parameter name for `raw` (rules 1–4).
pub fn field_name(raw: &str) -> String {
    let mut name = split_words(raw).to_snake_case();
    if name.is_empty() {
        name = "empty".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// A scope in which names must be unique (rule 5).
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope in which `reserved` are already taken.
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            taken: reserved.into_iter().map(str::to_owned).collect(),
        }
    }

    /// Claims `name`, or `name2`, `name3`, ... if taken, and returns what was claimed.
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let separator = if name.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{name}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types() {
        assert_eq!(type_name("ConversationAPIBody"), "ConversationApiBody");
        assert_eq!(type_name("Option"), "OptionType");
        assert_eq!(type_name("2fa-method"), "T2faMethod");
        assert_eq!(type_name("café"), "CafU00e9");
        assert_eq!(type_name(""), "Empty");
    }

    #[test]
    fn qualifiers_are_dropped_where_the_rest_is_unique() {
        let names = schema_type_names(&[
            "models.Conversation",
            "controllers.ConversationAPIBody",
            "validator.Validator",
            "github_com_org_pkg.Type",
            "io.k8s.api.core.v1.Pod",
            "Plain",
            "v1.0",
        ]);
        assert_eq!(
            names,
            [
                "Conversation",
                "ConversationApiBody",
                "Validator",
                "Type",
                "Pod",
                "Plain",
                "V10"
            ]
        );
    }

    #[test]
    fn colliding_last_segments_keep_the_shortest_qualifier_that_tells_them_apart() {
        let names = schema_type_names(&[
            "io.k8s.api.apps.v1.Deployment",
            "io.k8s.api.extensions.v1beta1.Deployment",
            "io.k8s.api.apps.v1beta1.Deployment",
            "apps.v1.Scale",
            "extensions.v1.Scale",
            "v1.Pod",
            "v2.Pod",
        ]);
        assert_eq!(
            names,
            [
                "V1Deployment",
                "ExtensionsV1beta1Deployment",
                "AppsV1beta1Deployment",
                "AppsV1Scale",
                "ExtensionsV1Scale",
                "V1Pod",
                "V2Pod",
            ]
        );
    }

    #[test]
    fn an_unqualified_name_keeps_its_name_beside_qualified_ones() {
        // Names compare as Rust names: `models.user` and `User` collide.
        let names = schema_type_names(&["User", "models.user", "a.b.Item", "b.Item"]);
        assert_eq!(names, ["User", "ModelsUser", "ABItem", "BItem"]);
        // The order of the names does not change what each becomes.
        let reversed = schema_type_names(&["b.Item", "a.b.Item", "models.user", "User"]);
        assert_eq!(reversed, ["BItem", "ABItem", "ModelsUser", "User"]);
    }

    #[test]
    fn names_without_qualifiers_are_unchanged() {
        let raw = [
            "ConversationAPIBody",
            "2fa-method",
            "Option",
            "café",
            "",
            "a..b",
            ".x",
        ];
        let expected: Vec<String> = raw.iter().map(|r| type_name(r)).collect();
        assert_eq!(schema_type_names(&raw), expected);
    }

    #[test]
    fn fields() {
        assert_eq!(field_name("ticket_id"), "ticket_id");
        assert_eq!(field_name("contactId"), "contact_id");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("$in"), "in_");
        assert_eq!(field_name("+1"), "_1");
        assert_eq!(field_name("@odata.id"), "odata_id");
    }

    #[test]
    fn configured_type_names() {
        assert!(is_type_ident("LineItem"));
        assert!(!is_type_ident("line-item"));
        assert!(!is_type_ident("2Fa"));
        assert!(!is_type_ident("Self"));
        assert!(!is_type_ident(""));
    }

    #[test]
    fn parts_of_inline_names() {
        assert_eq!(type_part("value"), "Value");
        assert_eq!(
            type_name(&format!("Order{}", type_part("value"))),
            "OrderValue"
        );
        assert_eq!(type_name("value"), "ValueType");
    }

    #[test]
    fn variants() {
        assert_eq!(variant_name("active"), "Active");
        assert_eq!(variant_name("-1"), "V1");
        assert_eq!(variant_name("Self"), "SelfVariant");
    }

    #[test]
    fn scope_suffixes_in_order() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim("a".into()), "a");
        assert_eq!(scope.claim("a".into()), "a2");
        assert_eq!(scope.claim("v1".into()), "v1");
        assert_eq!(scope.claim("v1".into()), "v1_2");
    }
}
