//! Stage 2: choosing what to generate — the operations selected by tag, `operationId` or
//! path, and only the components they reach.
//!
//! Selection runs between loading and lowering, on the bundled document while it is still JSON
//! (deserialising into the OpenAPI model is most of loading's time on a huge description, so a
//! small selection of Microsoft Graph or GitHub costs little beyond parsing). [`select`] keeps
//! the selected operations (in spec order, with their path items' shared parameters and other
//! keys) and every component they reach through `$ref`s — schemas through properties, items,
//! `additionalProperties`, `allOf`/`oneOf`/`anyOf`/`not`; parameters, request bodies, responses
//! and headers, and the components those refer to (see [`reach`]) — in spec order. Keys are
//! kept as they are, so every JSON pointer, and so every diagnostic's place, is unchanged.
//! Lowering then runs on what is left as it would on a description that only ever had those
//! operations: nothing downstream knows about selection, and a model no selected operation
//! reaches is never lowered.
//!
//! Names are decided on the selected document, so a type keeps its name unless another schema
//! of the full description competed for it (`Foo` and `foo`): then the selected output may
//! give it the shorter name.
//!
//! Every selector must match at least one operation; one that matches none is an [`Unmatched`]
//! naming it, with close matches when there are some, and the document is left as it was.

mod reach;

use std::collections::BTreeSet;

use serde_json::{Map, Value};

/// The HTTP methods of a path item, in the order OpenAPI lists them.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One way to choose operations to generate (see [`crate::Config::select_tag`]).
///
/// An operation is generated when any selector matches it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Selector {
    /// Every operation that lists this tag (exact, case-sensitive).
    Tag(String),
    /// The operation with this `operationId` (exact, case-sensitive).
    OperationId(String),
    /// The operations under the paths this pattern matches, optionally only those of one
    /// method: `[METHOD ]PATTERN` (see [`Selector::matches_path`]).
    Path(String),
}

impl Selector {
    /// What the selector is, for messages (`tag`, `operationId`, `path`).
    fn kind(&self) -> &'static str {
        match self {
            Selector::Tag(_) => "tag",
            Selector::OperationId(_) => "operationId",
            Selector::Path(_) => "path",
        }
    }

    /// The text the user gave.
    fn text(&self) -> &str {
        match self {
            Selector::Tag(text) | Selector::OperationId(text) | Selector::Path(text) => text,
        }
    }

    /// Whether the selector matches the operation `method` (lower case) at the path key `path`.
    fn matches(&self, path: &str, method: &str, operation: &Map<String, Value>) -> bool {
        match self {
            Selector::Tag(tag) => tags(operation).any(|t| t == tag),
            Selector::OperationId(id) => operation_id(operation) == Some(id.as_str()),
            Selector::Path(pattern) => Self::matches_path(pattern, method, path),
        }
    }

    /// Whether the path pattern `pattern` matches the operation `method` (lower case, as in the
    /// description) at the path key `path`.
    ///
    /// A pattern is a path key as written in the description (`/repos/{owner}/{repo}`), in
    /// which a segment may use `*` for any run of characters within that segment
    /// (`/repos/*/*/issues`) and a segment `**` stands for any number of segments, none
    /// included (`/repos/**` selects `/repos` and everything below it). It may start with an
    /// HTTP method and a space (`GET /user`, any case) to select only that operation.
    ///
    /// ```
    /// use desk_codegen::Selector;
    ///
    /// assert!(Selector::matches_path("/repos/**", "get", "/repos/{owner}/{repo}"));
    /// assert!(Selector::matches_path("/repos/*/*", "delete", "/repos/{owner}/{repo}"));
    /// assert!(Selector::matches_path("GET /user", "get", "/user"));
    /// assert!(!Selector::matches_path("POST /user", "get", "/user"));
    /// assert!(!Selector::matches_path("/repos/*", "get", "/repos/{owner}/{repo}"));
    /// ```
    pub fn matches_path(pattern: &str, method: &str, path: &str) -> bool {
        let pattern = pattern.trim();
        let pattern = match pattern.split_once(' ') {
            Some((wanted, rest)) if !wanted.starts_with('/') => {
                if !wanted.eq_ignore_ascii_case(method) {
                    return false;
                }
                rest.trim_start()
            }
            _ => pattern,
        };
        let pattern: Vec<&str> = pattern.split('/').collect();
        let path: Vec<&str> = path.split('/').collect();
        segments_match(&pattern, &path)
    }
}

/// Whether the pattern segments match the path segments (`**` any number of segments).
fn segments_match(pattern: &[&str], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((&"**", rest)) => (0..=path.len()).any(|skip| segments_match(rest, &path[skip..])),
        Some((first, rest)) => path
            .split_first()
            .is_some_and(|(segment, path)| glob(first, segment) && segments_match(rest, path)),
    }
}

/// Whether `text` matches `pattern`, in which `*` stands for any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// A selector that matches no operation: what to say, at [`Unmatched::POINTER`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unmatched {
    /// "the tag selector `x` matches no operation".
    pub message: String,
    /// Close matches, or what the selector may name.
    pub help: String,
}

impl Unmatched {
    /// Where the diagnostic points: the paths of the description.
    pub const POINTER: &'static str = "/paths";
}

/// Cuts `document` (a bundled OpenAPI document as JSON) down to the operations `selectors`
/// choose and the components they reach (see the module docs). An empty selection keeps
/// everything; a selector that matches no operation leaves the document whole and is reported.
pub(crate) fn select(document: &mut Value, selectors: &[Selector]) -> Result<(), Vec<Unmatched>> {
    if selectors.is_empty() {
        return Ok(());
    }
    let mut matched = vec![false; selectors.len()];
    // (path, methods kept) in spec order.
    let mut kept: Vec<(String, Vec<&'static str>)> = Vec::new();
    for (path, item) in path_items(document) {
        let mut methods = Vec::new();
        for (method, operation) in operations(item) {
            let mut selected = false;
            for (selector, matched) in selectors.iter().zip(matched.iter_mut()) {
                if selector.matches(path, method, operation) {
                    *matched = true;
                    selected = true;
                }
            }
            if selected {
                methods.push(method);
            }
        }
        if !methods.is_empty() {
            kept.push((path.clone(), methods));
        }
    }
    let unmatched: Vec<Unmatched> = selectors
        .iter()
        .zip(&matched)
        .filter(|(_, matched)| !**matched)
        .map(|(selector, _)| unmatched(document, selector))
        .collect();
    if !unmatched.is_empty() {
        return Err(unmatched);
    }
    let Some(root) = document.as_object_mut() else {
        return Ok(());
    };
    if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
        let mut kept = kept.into_iter().peekable();
        paths.retain(|path, item| {
            let Some((_, methods)) = kept.next_if(|(kept_path, _)| kept_path == path) else {
                return false;
            };
            if let Some(item) = item.as_object_mut() {
                item.retain(|key, _| {
                    !METHODS.contains(&key.as_str()) || methods.contains(&key.as_str())
                });
            }
            true
        });
    }
    reach::keep_reached(root);
    Ok(())
}

/// The path items given inline (those given by `$ref` were inlined by loading; one left is not
/// selectable), with their keys, in spec order.
fn path_items(document: &Value) -> impl Iterator<Item = (&String, &Map<String, Value>)> {
    document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(path, item)| Some((path, item.as_object().filter(|i| !is_ref(i))?)))
}

/// The operations of a path item, by method.
fn operations(
    item: &Map<String, Value>,
) -> impl Iterator<Item = (&'static str, &Map<String, Value>)> {
    METHODS
        .into_iter()
        .filter_map(|method| Some((method, item.get(method)?.as_object()?)))
}

/// Every operation of the document, with its path key.
fn all_operations(document: &Value) -> impl Iterator<Item = (&String, &Map<String, Value>)> {
    path_items(document).flat_map(|(path, item)| operations(item).map(move |(_, op)| (path, op)))
}

fn tags(operation: &Map<String, Value>) -> impl Iterator<Item = &str> {
    operation
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

fn operation_id(operation: &Map<String, Value>) -> Option<&str> {
    operation.get("operationId").and_then(Value::as_str)
}

/// Whether an object is a reference (`$ref` with a string: its other keys are ignored, as the
/// OpenAPI model reads it).
fn is_ref(object: &Map<String, Value>) -> bool {
    object.get("$ref").is_some_and(Value::is_string)
}

/// What to say of a selector that matches no operation, with close matches when there are.
fn unmatched(document: &Value, selector: &Selector) -> Unmatched {
    let candidates: BTreeSet<String> = match selector {
        Selector::Tag(_) => {
            let declared = document
                .get("tags")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|tag| tag.get("name")?.as_str());
            all_operations(document)
                .flat_map(|(_, operation)| tags(operation))
                .chain(declared)
                .map(str::to_owned)
                .collect()
        }
        Selector::OperationId(_) => all_operations(document)
            .filter_map(|(_, operation)| operation_id(operation).map(str::to_owned))
            .collect(),
        Selector::Path(_) => document
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|paths| paths.keys().cloned())
            .collect(),
    };
    let wanted = match selector {
        Selector::Path(pattern) => {
            // Compare the path part of `GET /x`.
            let pattern = pattern.trim();
            match pattern.split_once(' ') {
                Some((method, rest)) if !method.starts_with('/') => rest.trim_start(),
                _ => pattern,
            }
        }
        other => other.text(),
    };
    let close = close_matches(wanted, &candidates);
    let help = if close.is_empty() {
        match selector {
            Selector::Tag(_) if candidates.is_empty() => {
                "the description tags no operation: select by operationId or path instead".to_owned()
            }
            Selector::Tag(_) => format!("the tags are: {}", listed(&candidates)),
            Selector::OperationId(_) => "operationIds are case-sensitive; check the spelling in the description".to_owned(),
            Selector::Path(_) => "write a path key as in the description (`/repos/{owner}/{repo}`); `*` matches within a segment, `**` any number of segments, and `GET /path` one method".to_owned(),
        }
    } else {
        format!("did you mean {}?", listed(close))
    };
    Unmatched {
        message: format!(
            "the {} selector `{}` matches no operation",
            selector.kind(),
            selector.text()
        ),
        help,
    }
}

/// At most a dozen names, quoted, then how many more.
fn listed<'a>(names: impl IntoIterator<Item = &'a String>) -> String {
    let names: Vec<&String> = names.into_iter().collect();
    let mut shown: Vec<String> = names.iter().take(12).map(|n| format!("`{n}`")).collect();
    if names.len() > 12 {
        shown.push(format!("and {} more", names.len() - 12));
    }
    shown.join(", ")
}

/// Up to three candidates close to `wanted`: equal but for case, containing it or contained
/// in it, or a few edits away; closest first.
fn close_matches<'a>(wanted: &str, candidates: &'a BTreeSet<String>) -> Vec<&'a String> {
    let lower = wanted.to_lowercase();
    let mut scored: Vec<(usize, &String)> = candidates
        .iter()
        .filter_map(|candidate| {
            let candidate_lower = candidate.to_lowercase();
            let distance = strsim::levenshtein(&lower, &candidate_lower);
            let near = distance <= (lower.chars().count() / 4).max(2);
            let related = lower.len() >= 3
                && (candidate_lower.contains(&lower) || lower.contains(&candidate_lower));
            (near || related).then_some((distance, candidate))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, name)| name).collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::load;

    const SHOP: &str = include_str!("../../tests/select/shop.yaml");

    /// The shop description cut to `selectors`: the schemas and the paths kept.
    fn cut(selectors: &[Selector]) -> Result<(Vec<String>, Vec<String>), Vec<Unmatched>> {
        let mut bundled = load::read_str(Path::new("shop.yaml"), SHOP.into()).expect("reads");
        select(&mut bundled.document, selectors)?;
        let keys = |value: Option<&Value>| -> Vec<String> {
            value
                .and_then(Value::as_object)
                .map(|map| map.keys().cloned().collect())
                .unwrap_or_default()
        };
        let document = &bundled.document;
        Ok((
            keys(document.pointer("/components/schemas")),
            keys(document.get("paths")),
        ))
    }

    #[test]
    fn a_selection_keeps_what_the_operations_reach_in_spec_order() {
        // Through a query parameter and a response; not `Orphan`, which only an example names.
        let (schemas, paths) = cut(&[Selector::OperationId("getStock".into())]).expect("cuts");
        assert_eq!(schemas, ["Stock", "WarehouseId"]);
        assert_eq!(paths, ["/stock"]);
        // Through a shared parameter, a body and a response component, `allOf`, `oneOf` and
        // `additionalProperties`, however deep.
        let (schemas, paths) = cut(&[Selector::Tag("orders".into())]).expect("cuts");
        assert_eq!(
            schemas,
            ["Order", "Line", "Product", "Book", "Game", "Extra", "NewOrder", "Region"]
        );
        assert_eq!(paths, ["/orders"]);
        // No selector: everything.
        let (schemas, _) = cut(&[]).expect("cuts");
        assert!(schemas.contains(&"Orphan".to_owned()), "{schemas:?}");
    }

    #[test]
    fn a_discriminated_base_keeps_the_schemas_that_extend_it() {
        // `Pet` stands for the schemas that extend it, however deep (`Lion` through `Cat`), and
        // those its mapping names (`Robot`); `Other` only another operation reaches.
        const PETS: &str = r##"
openapi: 3.0.3
info: {title: pets, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: the pets
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
  /other:
    get:
      operationId: other
      responses:
        "200":
          description: other
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Other"}
components:
  schemas:
    Pet:
      type: object
      discriminator: {propertyName: kind, mapping: {robot: "#/components/schemas/Robot"}}
      properties: {kind: {type: string}}
    Cat:
      allOf: [{$ref: "#/components/schemas/Pet"}, {type: object, properties: {claws: {type: boolean}}}]
    Lion:
      allOf: [{$ref: "#/components/schemas/Cat"}]
    Robot: {type: object, properties: {kind: {type: string}}}
    Other: {type: object}
"##;
        let mut bundled = load::read_str(Path::new("pets.yaml"), PETS.into()).expect("reads");
        select(
            &mut bundled.document,
            &[Selector::OperationId("listPets".into())],
        )
        .expect("selects");
        let schemas: Vec<&String> = bundled
            .document
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|map| map.keys().collect())
            .unwrap_or_default();
        assert_eq!(schemas, ["Pet", "Cat", "Lion", "Robot"]);
    }

    #[test]
    fn a_selector_that_matches_nothing_leaves_the_document_and_says_so() {
        let unmatched = cut(&[
            Selector::OperationId("getStock".into()),
            Selector::Tag("nope".into()),
        ])
        .unwrap_err();
        assert_eq!(
            unmatched,
            [Unmatched {
                message: "the tag selector `nope` matches no operation".into(),
                help: "the tags are: `admin`, `orders`, `stock`".into(),
            }]
        );
    }

    #[test]
    fn path_patterns() {
        let m = Selector::matches_path;
        assert!(m("/user", "get", "/user"));
        assert!(!m("/user", "get", "/users"));
        assert!(!m("/user", "get", "/user/repos"));
        assert!(m("/user/**", "get", "/user"));
        assert!(m("/user/**", "get", "/user/repos"));
        assert!(m("/user/**", "get", "/user/{id}/repos"));
        assert!(!m("/user/**", "get", "/users"));
        assert!(m("/**/issues", "get", "/repos/{owner}/{repo}/issues"));
        assert!(m(
            "/repos/*/*/issues",
            "post",
            "/repos/{owner}/{repo}/issues"
        ));
        assert!(!m(
            "/repos/*/issues",
            "post",
            "/repos/{owner}/{repo}/issues"
        ));
        assert!(m(
            "/repos/{owner}/{repo}/pulls*",
            "get",
            "/repos/{owner}/{repo}/pulls"
        ));
        assert!(!m("/me/*Messages", "get", "/me/mailFolders"));
        assert!(m("/me/*Folders", "get", "/me/mailFolders"));
        assert!(m("/me/m*l*s", "get", "/me/mailFolders"));
        assert!(!m("/me/m*l*x", "get", "/me/mailFolders"));
        assert!(m("post /user", "post", "/user"));
        assert!(m("POST   /user", "post", "/user"));
        assert!(!m("GET /user", "post", "/user"));
    }

    #[test]
    fn close_matches_prefer_the_nearest() {
        let candidates: BTreeSet<String> = ["repos", "issues", "pulls", "users", "reactions"]
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(close_matches("repo", &candidates), ["repos"]);
        assert_eq!(close_matches("Issues", &candidates), ["issues"]);
        assert!(close_matches("billing", &candidates).is_empty());
    }
}
