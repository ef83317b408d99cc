//! The RFC 8288 `Link` header: the target of `rel="next"`.

use http::HeaderMap;

/// The target of the first link whose relation types include `next`, across every `Link`
/// header of `headers` (`<https://api.github.com/x?page=2>; rel="next", <...>; rel="last"`).
/// Relation types compare case-insensitively; a `rel` may list several (`rel="next last"`).
pub(crate) fn next_target(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| {
            links(value)
                .find(|link| link.is_next())
                .map(|link| link.target)
        })
}

/// One link-value: its target and its `rel` parameter.
struct Link {
    target: String,
    rel: Option<String>,
}

impl Link {
    fn is_next(&self) -> bool {
        self.rel.as_deref().is_some_and(|rel| {
            rel.split_ascii_whitespace()
                .any(|r| r.eq_ignore_ascii_case("next"))
        })
    }
}

/// The link-values of one header value, in order. A value that does not parse ends the list.
fn links(value: &str) -> impl Iterator<Item = Link> + '_ {
    let mut rest = value;
    std::iter::from_fn(move || {
        let open = rest.find('<')?;
        let close = open + rest[open..].find('>')?;
        let target = rest[open + 1..close].trim().to_owned();
        rest = &rest[close + 1..];
        let (params, after) = split_params(rest);
        rest = after;
        Some(Link {
            target,
            rel: param(params, "rel"),
        })
    })
}

/// The parameters of one link-value (up to the `,` that ends it, outside quotes) and the rest.
fn split_params(text: &str) -> (&str, &str) {
    let mut quoted = false;
    let mut escaped = false;
    for (index, ch) in text.char_indices() {
        match ch {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => return (&text[..index], &text[index + 1..]),
            _ => {}
        }
    }
    (text, "")
}

/// The value of parameter `name` (`; rel="next"`, `; rel=next`), unquoted.
fn param(params: &str, name: &str) -> Option<String> {
    params.split(';').find_map(|part| {
        let (key, value) = part.split_once('=')?;
        if !key.trim().eq_ignore_ascii_case(name) {
            return None;
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        Some(value.replace("\\\"", "\""))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn next(values: &[&str]) -> Option<String> {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(http::header::LINK, HeaderValue::from_str(value).unwrap());
        }
        next_target(&headers)
    }

    #[test]
    fn finds_rel_next_among_others() {
        assert_eq!(
            next(&[
                r#"<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last""#
            ]),
            Some("https://api.github.com/x?page=2".into())
        );
        assert_eq!(
            next(&[r#"<https://a.test/1>; rel="prev", <https://a.test/3>; rel="next""#]),
            Some("https://a.test/3".into())
        );
        assert_eq!(
            next(&[r#"</items?cursor=b>; title="a, b; c"; REL=Next"#]),
            Some("/items?cursor=b".into())
        );
        assert_eq!(
            next(&[r#"<https://a.test/3>; rel="last next""#]),
            Some("https://a.test/3".into())
        );
        // Several headers: the first `next` wins.
        assert_eq!(
            next(&[
                r#"<https://a.test/1>; rel="first""#,
                r#"<https://a.test/2>; rel=next"#
            ]),
            Some("https://a.test/2".into())
        );
    }

    #[test]
    fn no_next_is_none() {
        assert_eq!(next(&[]), None);
        assert_eq!(next(&[r#"<https://a.test/1>; rel="prev""#]), None);
        assert_eq!(next(&[r#"<https://a.test/1>"#]), None);
        assert_eq!(next(&["garbage"]), None);
        assert_eq!(next(&[r#"<https://a.test/1>; rel="nextish""#]), None);
    }
}
