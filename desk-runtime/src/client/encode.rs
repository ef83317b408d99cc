//! Percent-encoding of path segments and query components.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything except RFC 3986 "unreserved" characters (`ALPHA DIGIT - . _ ~`).
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes `value` for use as exactly one path segment.
///
/// Every byte outside the RFC 3986 unreserved set (`A-Z a-z 0-9 - . _ ~`) is
/// encoded (UTF-8, upper-case hex), so `/`, `?`, `#`, `%`, spaces and the like
/// can never end the segment or the path. A value made only of dots (`.`,
/// `..`, ...) has its dots encoded as `%2E` as well.
///
/// Note that URL parsers following the WHATWG URL standard (including the
/// `url` crate used by reqwest) still treat `%2E` and `%2E%2E` as dot-segments
/// and would remove them, so [`ApiClient::execute`](super::ApiClient::execute)
/// refuses to send a path containing such a segment
/// ([`Error::InvalidRequest`](super::Error::InvalidRequest)) rather than let it
/// reach another resource.
///
/// An empty value yields an empty segment; generated code should not pass
/// empty path parameters.
///
/// ```
/// use desk_runtime::client::encode_path_segment;
/// assert_eq!(encode_path_segment("a/b?c#d"), "a%2Fb%3Fc%23d");
/// assert_eq!(encode_path_segment("../x"), "..%2Fx");
/// assert_eq!(encode_path_segment(".."), "%2E%2E");
/// assert_eq!(encode_path_segment("100%"), "100%25");
/// assert_eq!(encode_path_segment("é"), "%C3%A9");
/// ```
pub fn encode_path_segment(value: &str) -> String {
    if !value.is_empty() && value.bytes().all(|b| b == b'.') {
        return "%2E".repeat(value.len());
    }
    utf8_percent_encode(value, NOT_UNRESERVED).to_string()
}

/// Percent-encodes `value` for use as a query-string key or value.
///
/// Uses the same set as [`encode_path_segment`]: everything except
/// `A-Z a-z 0-9 - . _ ~` is encoded, so `&`, `=`, `+`, `#` and spaces (as
/// `%20`) are safe.
///
/// ```
/// use desk_runtime::client::encode_query_component;
/// assert_eq!(encode_query_component("a b&c=d+e"), "a%20b%26c%3Dd%2Be");
/// ```
pub fn encode_query_component(value: &str) -> String {
    utf8_percent_encode(value, NOT_UNRESERVED).to_string()
}

/// Whether an already-encoded path segment would be treated as `.` or `..`
/// by a WHATWG URL parser (or by a server that decodes before normalizing).
pub(crate) fn is_dot_segment(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "." | ".." | "%2e" | "%2e%2e" | ".%2e" | "%2e."
    )
}

/// The text of a parameter value as it goes into a path segment, query or header (before
/// percent-encoding): strings as they are, numbers and booleans in JSON notation, enums as their
/// wire value, date-times in RFC 3339; anything else (objects, arrays) as JSON text.
///
/// ```
/// use desk_runtime::client::param_text;
/// assert_eq!(param_text(&"a b").unwrap(), "a b");
/// assert_eq!(param_text(&42_i64).unwrap(), "42");
/// assert_eq!(param_text(&true).unwrap(), "true");
/// assert_eq!(param_text(&vec![1, 2]).unwrap(), "[1,2]");
/// ```
pub fn param_text<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    match serde_json::to_value(value)? {
        serde_json::Value::String(text) => Ok(text),
        other => Ok(other.to_string()),
    }
}

/// How the items of an array parameter or form field go on the wire where OpenAPI 3.0's default
/// does not say it: Swagger 2.0's `collectionFormat` (`csv`, `ssv`, `tsv`, `pipes`, `multi`,
/// nested arrays with their own format) and 3.0's `spaceDelimited` and `pipeDelimited` styles.
///
/// ```
/// use desk_runtime::client::Collection;
/// let ssv = Collection::joined(&[" "]);
/// assert_eq!(ssv.texts(&["a", "b"]).unwrap(), ["a b"]);
/// // `multi` of `pipes` of `csv`: one value per outer item.
/// let nested = Collection::exploded(&["|", ","]);
/// let value = vec![vec![vec![1, 2], vec![3]], vec![vec![4]]];
/// assert_eq!(nested.texts(&value).unwrap(), ["1,2|3", "4"]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Collection {
    explode: bool,
    delimiters: &'static [&'static str],
}

impl Collection {
    /// The items joined into one value with `delimiters[0]` (`csv`: `[","]`, `ssv`: `[" "]`,
    /// `tsv`: `["\t"]`, `pipes`: `["|"]`); the items of an item that is itself an array
    /// joined with the next delimiter, and so on.
    pub const fn joined(delimiters: &'static [&'static str]) -> Self {
        Collection {
            explode: false,
            delimiters,
        }
    }

    /// One value per item (`multi`, `explode: true`), each under the parameter's name; an
    /// item that is itself an array joined with `delimiters` as in [`Collection::joined`].
    pub const fn exploded(delimiters: &'static [&'static str]) -> Self {
        Collection {
            explode: true,
            delimiters,
        }
    }

    /// Whether each item goes under the parameter's name of its own.
    pub fn is_exploded(&self) -> bool {
        self.explode
    }

    /// The delimiter that joins the items (the outermost level not exploded).
    pub fn delimiter(&self) -> Option<&'static str> {
        self.delimiters.first().copied()
    }

    /// What joins the items of each level that is not exploded, outermost first (the mock
    /// splits received values with them).
    #[cfg(feature = "mock")]
    pub(crate) fn delimiters(&self) -> &'static [&'static str] {
        self.delimiters
    }

    /// The values `value` is sent as, before percent-encoding: one joined text, or one per item
    /// when exploded. Scalars are written as [`param_text`] writes them; an array nested deeper
    /// than the delimiters go is written as JSON; `null` sends nothing.
    pub fn texts<T: serde::Serialize + ?Sized>(
        &self,
        value: &T,
    ) -> Result<Vec<String>, serde_json::Error> {
        match serde_json::to_value(value)? {
            serde_json::Value::Null => Ok(Vec::new()),
            serde_json::Value::Array(items) if self.explode => items
                .iter()
                .filter(|item| !item.is_null())
                .map(|item| joined_text(item, self.delimiters))
                .collect(),
            other => Ok(vec![joined_text(&other, self.delimiters)?]),
        }
    }

    /// The items of `value` (an array) as texts, each nested level joined by its delimiter:
    /// the outermost level left apart (for a path segment, whose items and delimiters are
    /// encoded separately).
    pub(crate) fn items(
        &self,
        value: &serde_json::Value,
    ) -> Result<Vec<String>, serde_json::Error> {
        match value {
            serde_json::Value::Array(items) => items
                .iter()
                .map(|item| joined_text(item, self.delimiters.get(1..).unwrap_or_default()))
                .collect(),
            other => Ok(vec![joined_text(other, &[])?]),
        }
    }
}

/// `value` as text, an array's items joined with `delimiters[0]`, theirs with the next one.
fn joined_text(
    value: &serde_json::Value,
    delimiters: &[&str],
) -> Result<String, serde_json::Error> {
    match (value, delimiters.split_first()) {
        (serde_json::Value::Array(items), Some((delimiter, inner))) => {
            let texts: Result<Vec<String>, _> =
                items.iter().map(|item| joined_text(item, inner)).collect();
            Ok(texts?.join(delimiter))
        }
        (other, _) => param_text(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_unreserved_characters() {
        let unreserved = "ABCXYZabcxyz0189-._~";
        assert_eq!(encode_path_segment(unreserved), unreserved);
        assert_eq!(encode_query_component(unreserved), unreserved);
    }

    #[test]
    fn encodes_everything_else() {
        assert_eq!(encode_path_segment("../../x"), "..%2F..%2Fx");
        assert_eq!(encode_path_segment("a/b?c#d"), "a%2Fb%3Fc%23d");
        assert_eq!(encode_path_segment("%2F"), "%252F");
        assert_eq!(encode_path_segment("a b"), "a%20b");
        assert_eq!(
            encode_path_segment("x;y=z&w+v:@!$'()*,"),
            "x%3By%3Dz%26w%2Bv%3A%40%21%24%27%28%29%2A%2C"
        );
        assert_eq!(encode_path_segment("日本"), "%E6%97%A5%E6%9C%AC");
        assert_eq!(encode_path_segment("\u{0}\n\\"), "%00%0A%5C");
    }

    #[test]
    fn dot_only_values_are_encoded() {
        assert_eq!(encode_path_segment("."), "%2E");
        assert_eq!(encode_path_segment(".."), "%2E%2E");
        assert_eq!(encode_path_segment("..."), "%2E%2E%2E");
        assert_eq!(encode_path_segment(".a"), ".a");
        assert_eq!(encode_path_segment(""), "");
    }

    #[test]
    fn query_components() {
        assert_eq!(
            encode_query_component(r#"{"state":{"$eq":"active"}}"#),
            "%7B%22state%22%3A%7B%22%24eq%22%3A%22active%22%7D%7D"
        );
        assert_eq!(encode_query_component("a b"), "a%20b");
    }

    #[test]
    fn collections_join_each_level_with_its_delimiter() {
        let value = vec![vec!["a", "b"], vec!["c"]];
        assert_eq!(
            Collection::joined(&["|", ","]).texts(&value).unwrap(),
            ["a,b|c"]
        );
        assert_eq!(
            Collection::exploded(&[","]).texts(&value).unwrap(),
            ["a,b", "c"]
        );
        assert_eq!(
            Collection::joined(&["\t"]).texts(&[1.5, 2.0]).unwrap(),
            ["1.5\t2.0"]
        );
        // Deeper than the delimiters go: JSON, as a scalar parameter would be.
        assert_eq!(
            Collection::joined(&[","]).texts(&value).unwrap(),
            [r#"["a","b"],["c"]"#]
        );
        assert!(Collection::joined(&[","])
            .texts(&None::<Vec<u8>>)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn dot_segments_are_recognised() {
        for s in [".", "..", "%2E", "%2e", "%2E%2E", ".%2E", "%2e."] {
            assert!(is_dot_segment(s), "{s}");
        }
        for s in ["...", "%2E%2E%2E", "a", "", ".a", "%252E"] {
            assert!(!is_dot_segment(s), "{s}");
        }
    }
}
