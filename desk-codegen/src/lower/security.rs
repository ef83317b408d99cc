//! The credentials the client builder offers beyond its own `bearer_token` and `basic_auth`
//! (which cover `http` bearer and basic schemes and OAuth2 access tokens): one method per
//! `apiKey` security scheme in a header or the query, named after the scheme (`snake_case`,
//! with `_key` added unless the name says key already: `api_key`, `token_key`), unique among
//! the builder's methods. An `apiKey` in the `Authorization` header is how Swagger 2.0 writes
//! bearer tokens (it has no `bearer` scheme): `bearer_token` (and `auth`) already send that
//! header, so it gets no method of its own. An `apiKey` in a cookie is not offered, with a
//! warning.

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityScheme};

use super::names::{self, Scope};
use super::Lowerer;
use crate::error::DiagnosticKind;
use crate::ir::{ApiKey, KeyLocation};
use crate::locate::escape;

/// The methods of the runtime's builder (`ApiClientBuilder`, the generated `ClientBuilder`): an
/// API-key method of the `ApiKeys` trait with one of these names would be shadowed by it.
const BUILDER_METHODS: [&str; 10] = [
    "auth",
    "bearer_token",
    "basic_auth",
    "timeout",
    "deadline",
    "connect_timeout",
    "retry_policy",
    "transport",
    "user_agent",
    "build",
];

impl Lowerer<'_> {
    pub(super) fn lower_api_keys(&mut self) -> Vec<ApiKey> {
        let Some(components) = &self.doc.components else {
            return Vec::new();
        };
        let mut scope = Scope::with_reserved(BUILDER_METHODS);
        let mut keys = Vec::new();
        for (scheme, security) in &components.security_schemes {
            let ReferenceOr::Item(SecurityScheme::APIKey {
                location,
                name,
                description,
                ..
            }) = security
            else {
                continue;
            };
            let location = match location {
                APIKeyLocation::Header if name.eq_ignore_ascii_case("authorization") => continue,
                APIKeyLocation::Header => KeyLocation::Header,
                APIKeyLocation::Query => KeyLocation::Query,
                APIKeyLocation::Cookie => {
                    self.warn(
                        DiagnosticKind::Fallback,
                        &format!("/components/securitySchemes/{}", escape(scheme)),
                        format!("the API key `{scheme}` goes in a cookie, which the generated client does not send"),
                        "set the cookie through a custom transport (`ClientBuilder::transport`)",
                    );
                    continue;
                }
            };
            let mut method = names::field_name(scheme);
            if !method.contains("key") {
                method.push_str("_key");
            }
            keys.push(ApiKey {
                scheme: scheme.clone(),
                method: scope.claim(method),
                name: name.clone(),
                location,
                docs: description.clone(),
            });
        }
        keys
    }
}
