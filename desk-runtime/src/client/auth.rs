//! Credentials: [`Secret`] and [`Auth`].

use std::fmt;

use http::header::AUTHORIZATION;
use http::{HeaderName, HeaderValue};

/// A credential (token, API key, password) that never shows up in `Debug` or
/// `Display` output.
///
/// Both print `Secret(***)`. Use [`Secret::expose`] to get at the value.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The credential in clear text. Keep it out of logs.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// How requests to operations that require authentication are authorized.
///
/// `Debug` output is redacted (every credential is a [`Secret`]).
#[derive(Clone, Debug, Default)]
pub enum Auth {
    /// No `Authorization` header.
    #[default]
    None,
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// `Authorization: Basic base64(<username>:<password>)`.
    ///
    /// Both parts are secret: Teamwork, for instance, takes the API key as
    /// the user name.
    Basic {
        /// The user name (or API key).
        username: Secret,
        /// The password (often just `"X"` or empty when the user name is an
        /// API key).
        password: Secret,
    },
    /// An API key sent as the header or query parameter `name`
    /// (`X-API-Key: <key>`, `?api_key=<key>`): OpenAPI's `apiKey` security
    /// scheme. A key in the query is added to the URL when the request is
    /// sent; the query string is never logged, and neither `Debug` of a
    /// [`Request`](super::Request) nor a transport error shows it.
    ApiKey {
        /// The header or query parameter name.
        name: String,
        /// Where the key goes.
        location: KeyLocation,
        /// The key.
        key: Secret,
    },
}

/// Where an [`Auth::ApiKey`] goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
}

impl Auth {
    /// Bearer-token authentication.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Auth::Bearer(token.into())
    }

    /// HTTP basic authentication.
    pub fn basic(username: impl Into<Secret>, password: impl Into<Secret>) -> Self {
        Auth::Basic {
            username: username.into(),
            password: password.into(),
        }
    }

    /// An API key sent as the header `name`.
    pub fn api_key_header(name: impl Into<String>, key: impl Into<Secret>) -> Self {
        Auth::ApiKey {
            name: name.into(),
            location: KeyLocation::Header,
            key: key.into(),
        }
    }

    /// An API key sent as the query parameter `name`.
    pub fn api_key_query(name: impl Into<String>, key: impl Into<Secret>) -> Self {
        Auth::ApiKey {
            name: name.into(),
            location: KeyLocation::Query,
            key: key.into(),
        }
    }

    /// The query parameter that carries the credential, for an API key in the query.
    pub fn query_pair(&self) -> Option<(&str, &Secret)> {
        match self {
            Auth::ApiKey {
                name,
                location: KeyLocation::Query,
                key,
            } => Some((name, key)),
            _ => None,
        }
    }

    /// The header that carries the credential and its value (marked sensitive):
    /// `Authorization` for bearer and basic authentication, the key's own header for an API
    /// key in a header; `None` for [`Auth::None`] and an API key in the query. Fails, without
    /// showing the credential, when the name or value cannot be sent in a header.
    pub fn try_header(&self) -> Result<Option<(HeaderName, HeaderValue)>, String> {
        let name = match self {
            Auth::ApiKey {
                name,
                location: KeyLocation::Header,
                ..
            } => HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("`{name}` is not a valid header name for an API key"))?,
            _ => AUTHORIZATION,
        };
        Ok(self.try_header_value()?.map(|value| (name, value)))
    }

    /// The `Authorization` header value, marked sensitive so that `http`'s
    /// own `Debug` output hides it. `None` for [`Auth::None`], and also when
    /// the credential contains bytes that are not allowed in a header (see
    /// [`Auth::try_header_value`] to tell the two apart).
    pub fn header_value(&self) -> Option<HeaderValue> {
        self.try_header_value().ok().flatten()
    }

    /// Like [`Auth::header_value`], but reports a credential that cannot be
    /// put in a header (for example one containing a newline) as an error.
    /// The error message never contains the credential. For an API key in a
    /// header, the key (the value of the header [`Auth::try_header`] names).
    pub fn try_header_value(&self) -> Result<Option<HeaderValue>, String> {
        let raw = match self {
            Auth::None => return Ok(None),
            Auth::ApiKey {
                location: KeyLocation::Query,
                ..
            } => return Ok(None),
            Auth::ApiKey { key, .. } => key.expose().to_owned(),
            Auth::Bearer(token) => format!("Bearer {}", token.expose()),
            Auth::Basic { username, password } => {
                let mut credentials =
                    Vec::with_capacity(username.expose().len() + password.expose().len() + 1);
                credentials.extend_from_slice(username.expose().as_bytes());
                credentials.push(b':');
                credentials.extend_from_slice(password.expose().as_bytes());
                format!("Basic {}", base64_encode(&credentials))
            }
        };
        let mut value = HeaderValue::from_str(&raw).map_err(|_| {
            "the credential contains characters that are not allowed in an HTTP header".to_owned()
        })?;
        value.set_sensitive(true);
        Ok(Some(value))
    }
}

/// Standard base64 (RFC 4648 §4) with padding, as Basic authentication wants it.
fn base64_encode(input: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
            ("user:pass", "dXNlcjpwYXNz"),
        ] {
            assert_eq!(base64_encode(input.as_bytes()), expected, "{input}");
        }
        assert_eq!(base64_encode(&[0xff, 0xfe, 0xfd]), "//79");
    }

    #[test]
    fn header_values_are_sensitive() {
        let bearer = Auth::bearer("tok").header_value().unwrap();
        assert_eq!(bearer, "Bearer tok");
        assert!(bearer.is_sensitive());
        let basic = Auth::basic("user", "pass").header_value().unwrap();
        assert_eq!(basic, "Basic dXNlcjpwYXNz");
        assert!(basic.is_sensitive());
        assert!(Auth::None.header_value().is_none());
    }

    #[test]
    fn api_keys_go_in_their_header_or_the_query() {
        let header = Auth::api_key_header("X-API-Key", "k1")
            .try_header()
            .unwrap();
        let (name, value) = header.expect("a header");
        assert_eq!(name, "x-api-key");
        assert_eq!(value, "k1");
        assert!(value.is_sensitive());
        let query = Auth::api_key_query("api_key", "k2");
        assert!(query.try_header().unwrap().is_none());
        let (name, key) = query.query_pair().expect("a query pair");
        assert_eq!((name, key.expose()), ("api_key", "k2"));
        let (name, _) = Auth::bearer("t").try_header().unwrap().unwrap();
        assert_eq!(name, AUTHORIZATION);
        assert!(Auth::api_key_header("bad name", "k").try_header().is_err());
        let dbg = format!("{:?}", Auth::api_key_query("api_key", "hunter2"));
        assert!(!dbg.contains("hunter2"), "{dbg}");
    }

    #[test]
    fn invalid_credentials_are_reported_without_the_secret() {
        let auth = Auth::bearer("line1\nsecret-part");
        assert!(auth.header_value().is_none());
        let err = auth.try_header_value().unwrap_err();
        assert!(!err.contains("secret-part"));
    }

    #[test]
    fn debug_and_display_are_redacted() {
        let secret = Secret::from("hunter2");
        assert_eq!(format!("{secret:?}"), "Secret(***)");
        assert_eq!(format!("{secret}"), "Secret(***)");
        assert_eq!(secret.expose(), "hunter2");
        let dbg = format!("{:?}", Auth::basic("key", "hunter2"));
        assert!(!dbg.contains("hunter2") && !dbg.contains("key\""), "{dbg}");
    }
}
