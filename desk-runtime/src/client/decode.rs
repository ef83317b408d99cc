//! Turning a [`Response`] into a typed value or an [`Error`].

use serde::de::DeserializeOwned;

use super::error::Error;
use super::transport::Response;

/// How many characters of a body go into error messages.
const EXCERPT_CHARS: usize = 200;

/// Decodes the JSON body of `response` into `T`.
///
/// On failure returns [`Error::Decode`] with the status and an excerpt of the
/// body (see [`body_excerpt`]).
pub fn decode_json<T: DeserializeOwned, E>(response: &Response) -> Result<T, Error<E>> {
    serde_json::from_slice(&response.body).map_err(|source| Error::Decode {
        status: response.status,
        excerpt: excerpt(&response.body),
        source,
    })
}

/// Builds [`Error::UnexpectedStatus`] from a response whose status the
/// operation does not document, keeping its rate-limit headers and its body
/// as text.
pub fn unexpected<E>(response: Response) -> Error<E> {
    Error::UnexpectedStatus {
        status: response.status,
        rate_limit: response.rate_limit(),
        body_text: response.text_lossy(),
    }
}

/// The first ~200 characters of `response`'s body, decoded as lossy UTF-8 and
/// cut on a character boundary; `…` is appended when the body was longer.
pub fn body_excerpt(response: &Response) -> String {
    excerpt(&response.body)
}

pub(crate) fn excerpt(body: &[u8]) -> String {
    // 200 characters take at most 800 bytes of UTF-8; look at a little more
    // so that a character cut at the end of the window lands after the 200th.
    let window = &body[..body.len().min(EXCERPT_CHARS * 4 + 4)];
    let text = String::from_utf8_lossy(window);
    let mut chars = text.char_indices();
    match chars.nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None if window.len() < body.len() => format!("{text}…"),
        None => text.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use http::{HeaderMap, StatusCode};

    fn response(status: u16, body: impl Into<Bytes>) -> Response {
        Response {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: body.into(),
        }
    }

    #[test]
    fn excerpt_cuts_on_char_boundaries() {
        assert_eq!(excerpt(b"short"), "short");
        assert_eq!(excerpt(b""), "");
        let long = "é".repeat(500);
        let ex = excerpt(long.as_bytes());
        assert_eq!(ex.chars().count(), EXCERPT_CHARS + 1);
        assert!(ex.ends_with('…'));
        let four = "😀".repeat(300);
        let ex = excerpt(four.as_bytes());
        assert_eq!(ex, format!("{}…", "😀".repeat(200)));
        let exact = "a".repeat(EXCERPT_CHARS);
        assert_eq!(excerpt(exact.as_bytes()), exact);
        assert_eq!(excerpt(&[b'a', 0xff, b'b']), "a\u{FFFD}b");
    }

    #[test]
    fn decode_json_ok_and_err() {
        let ok: Vec<u32> = decode_json::<_, ()>(&response(200, "[1,2]")).unwrap();
        assert_eq!(ok, vec![1, 2]);
        let err = decode_json::<Vec<u32>, ()>(&response(201, "<html>oops</html>")).unwrap_err();
        match &err {
            Error::Decode {
                status, excerpt, ..
            } => {
                assert_eq!(*status, StatusCode::CREATED);
                assert_eq!(excerpt, "<html>oops</html>");
            }
            other => panic!("{other:?}"),
        }
        assert!(err.to_string().contains("201"), "{err}");
        assert!(err.to_string().contains("<html>oops</html>"), "{err}");
    }

    #[test]
    fn unexpected_keeps_status_rate_limit_and_text() {
        let mut resp = response(418, "short and stout");
        resp.headers.insert(
            "x-rate-limit-remaining",
            http::HeaderValue::from_static("4"),
        );
        let err: Error<()> = unexpected(resp);
        match err {
            Error::UnexpectedStatus {
                status,
                rate_limit,
                body_text,
            } => {
                assert_eq!(status.as_u16(), 418);
                assert_eq!(rate_limit.remaining, Some(4));
                assert_eq!(body_text, "short and stout");
            }
            other => panic!("{other:?}"),
        }
    }
}
