//! Which operation a request is for: path templates matched against received paths, and the
//! closest operation when none matches.

use percent_encoding::percent_decode_str;

use super::{Api, Operation};

/// The operation a request's method and path select, with its path parameters (decoded).
pub(crate) struct Routed {
    pub operation: &'static Operation,
    pub params: Vec<(String, String)>,
}

/// The operation whose method and template match: the most specific one (the most literal
/// text) when several templates match (`/things/export.json` before `/things/{id}.json`).
pub(crate) fn route(api: &Api, method: &str, path: &str) -> Option<Routed> {
    let operations: &'static [Operation] = api.operations;
    operations
        .iter()
        .filter(|operation| operation.method.eq_ignore_ascii_case(method))
        .filter_map(|operation| {
            capture(operation.path, path).map(|params| Routed { operation, params })
        })
        .max_by_key(|routed| literal_len(routed.operation.path))
}

/// The operation a request that none matched was most likely meant for, and why it is not
/// that one: the same path with another method, else the template sharing the most leading
/// segments with the path.
pub(crate) fn closest(api: &Api, method: &str, path: &str) -> Option<(&'static Operation, String)> {
    let operations: &'static [Operation] = api.operations;
    if let Some(operation) = operations
        .iter()
        .find(|operation| capture(operation.path, path).is_some())
    {
        return Some((
            operation,
            format!("method: expected {}, got {method}", operation.method),
        ));
    }
    let segments: Vec<&str> = path.split('/').collect();
    operations
        .iter()
        .map(|operation| {
            let shared = operation
                .path
                .split('/')
                .zip(&segments)
                .take_while(|(template, got)| template.contains('{') || template == *got)
                .count();
            let same_method = operation.method.eq_ignore_ascii_case(method);
            (operation, (shared, same_method))
        })
        .max_by_key(|(_, score)| *score)
        .map(|(operation, _)| {
            (
                operation,
                format!("path: expected `{}`, got `{path}`", operation.path),
            )
        })
}

fn literal_len(template: &str) -> usize {
    parts(template)
        .iter()
        .map(|part| match part {
            Part::Literal(text) => text.len(),
            Part::Param(_) => 0,
        })
        .sum()
}

enum Part<'t> {
    Literal(&'t str),
    Param(&'t str),
}

fn parts(template: &str) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        if open > 0 {
            parts.push(Part::Literal(&rest[..open]));
        }
        parts.push(Part::Param(&rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(Part::Literal(rest));
    }
    parts
}

/// The path parameters of `path` under `template` (each value within one segment, not empty,
/// percent-decoded), or `None` when the path does not fit the template.
pub(crate) fn capture(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let parts = parts(template);
    let mut captured = Vec::new();
    fits(&parts, path, &mut captured).then(|| {
        captured
            .into_iter()
            .map(|(name, raw)| {
                let value = percent_decode_str(raw).decode_utf8_lossy().into_owned();
                (name.to_owned(), value)
            })
            .collect()
    })
}

fn fits<'t, 'p>(parts: &[Part<'t>], path: &'p str, captured: &mut Vec<(&'t str, &'p str)>) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return path.is_empty();
    };
    match first {
        Part::Literal(text) => path
            .strip_prefix(text)
            .is_some_and(|after| fits(rest, after, captured)),
        Part::Param(name) => {
            let segment_end = path.find('/').unwrap_or(path.len());
            for end in (1..=segment_end).filter(|end| path.is_char_boundary(*end)) {
                captured.push((name, &path[..end]));
                if fits(rest, &path[end..], captured) {
                    return true;
                }
                captured.pop();
            }
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::Documented;

    const fn op(name: &'static str, method: &'static str, path: &'static str) -> Operation {
        Operation {
            name,
            id: name,
            method,
            path,
            authenticated: true,
            responses: &[] as &[Documented],
        }
    }

    static API: Api = Api {
        title: "test",
        operations: &[
            op("get", "GET", "/things/{id}.json"),
            op("export", "GET", "/things/export.json"),
            op("update", "PATCH", "/things/{id}.json"),
            op("pair", "GET", "/a/{x}-{y}/b"),
        ],
        credentials: &[],
    };

    #[test]
    fn templates_capture_decoded_segments() {
        assert_eq!(
            capture("/things/{id}.json", "/things/4%2F2.json"),
            Some(vec![("id".into(), "4/2".into())])
        );
        assert_eq!(capture("/things/{id}.json", "/things/.json"), None);
        assert_eq!(capture("/things/{id}.json", "/things/1/2.json"), None);
        assert_eq!(
            capture("/a/{x}-{y}/b", "/a/1-2-3/b"),
            Some(vec![("x".into(), "1".into()), ("y".into(), "2-3".into())])
        );
    }

    #[test]
    fn the_most_specific_template_wins() {
        let routed = route(&API, "GET", "/things/export.json").unwrap();
        assert_eq!(routed.operation.name, "export");
        let routed = route(&API, "get", "/things/7.json").unwrap();
        assert_eq!(routed.operation.name, "get");
        assert_eq!(routed.params, vec![("id".to_owned(), "7".to_owned())]);
        assert!(route(&API, "DELETE", "/things/7.json").is_none());
    }

    #[test]
    fn the_closest_operation_says_what_differs() {
        let (operation, why) = closest(&API, "DELETE", "/things/7.json").unwrap();
        assert_eq!(operation.name, "get");
        assert_eq!(why, "method: expected GET, got DELETE");
        let (operation, why) = closest(&API, "GET", "/things/7/json").unwrap();
        assert_eq!(operation.name, "get");
        assert_eq!(
            why,
            "path: expected `/things/{id}.json`, got `/things/7/json`"
        );
    }
}
