//! The async client: one method per operation over `desk_runtime::client::ApiClient`.
//!
//! Every name comes from the IR (operation methods, constructors, page and stream methods,
//! parameter and outcome types); these modules only render them, one unit per concept: here the
//! client struct, its builder and its constructors (one per server); [`operation`] an
//! operation's method; [`params`] the parameters struct and the calls that send parameters;
//! [`outcomes`] the status `match` and the outcome enums; [`pages`] the page and stream methods;
//! [`bodies`] request and response bodies by media type. The request is built by the runtime's
//! `RequestBuilder`, so an operation method is one chain and one `match`.

mod bodies;
mod operation;
mod outcomes;
mod pages;
mod params;

pub(super) use bodies::{collection, form_collections};
pub(super) use params::param_type;

use proc_macro2::TokenStream;
use quote::quote;

use super::syntax::Items;
use super::{docs, ident, EmitOptions};
use crate::ir::{BodyKind, Ir, KeyLocation, Server, UrlPart};

/// Emits the `Client`, its builder, per-operation parameter structs and outcome enums.
pub fn emit(ir: &Ir, options: &EmitOptions) -> Items {
    let runtime = &options.runtime_path;
    let mut items = Items::default();
    items.push_tokens(quote!(use #runtime::client as rt;));
    items.push_tokens(client_struct(ir, &super::syntax::path_text(runtime)));
    items.push_tokens(builder());
    if let Some(api_keys) = api_keys(ir) {
        items.push_tokens(api_keys);
    }
    items.push_tokens(constructors(ir));
    let methods = ir.operations.iter().map(|op| operation::operation(ir, op));
    items.push_tokens(quote! {
        impl Client {
            /// A client over an already configured [`ApiClient`](rt::ApiClient).
            pub fn from_api(api: rt::ApiClient) -> Self {
                Self { api }
            }

            /// The underlying runtime client.
            pub fn api(&self) -> &rt::ApiClient {
                &self.api
            }

            /// A copy of this client whose calls give each attempt `timeout` (overriding the
            /// client-wide timeout): `client.with_timeout(d).operation(..)` for one call.
            #[must_use]
            pub fn with_timeout(&self, timeout: ::std::time::Duration) -> Self {
                Self { api: self.api.with_timeout(timeout) }
            }

            /// A copy of this client whose calls end by `deadline`, retries and waits included
            /// (overriding the client-wide deadline): `client.with_deadline(d).operation(..)`
            /// for one call.
            #[must_use]
            pub fn with_deadline(&self, deadline: ::std::time::Duration) -> Self {
                Self { api: self.api.with_deadline(deadline) }
            }

            #(#methods)*
        }
    });
    for op in &ir.operations {
        for outcome in outcomes::outcome_enums(ir, op) {
            items.push_tokens(outcome);
        }
        if let Some(params_type) = &op.params_type {
            items.push_tokens(params::params_struct(ir, op, params_type));
        }
        if let Some(BodyKind::Multipart(def)) = op.body.as_ref().map(|body| &body.kind) {
            items.push_tokens(bodies::multipart_struct(ir, op, def));
        }
    }
    items
}

/// `pub struct Client`, with what its methods promise.
fn client_struct(ir: &Ir, runtime: &str) -> TokenStream {
    let title = format!(" Client for {} (version {}).", ir.title, ir.version);
    let retry = format!(
        " [`RetryPolicy`]({}::client::RetryPolicy)) and decodes the documented",
        runtime.trim_start_matches("::")
    );
    quote! {
        #[doc = #title]
        ///
        /// Cheap to clone: clones share one connection pool. Every method sends one request
        /// (plus bounded retries on `429` and, for idempotent methods, `502`/`503`/`504`, see
        #[doc = #retry]
        /// responses into typed values: documented error bodies become `Error::Api`, any other
        /// status `Error::UnexpectedStatus` (status, rate-limit headers, body text), and a body
        /// that is not the documented JSON `Error::Decode` (status and an excerpt).
        ///
        /// Every call is bounded: each attempt by a timeout (30 s), the whole call, retries and
        /// waits included, by a deadline (2 min); set them with
        /// [`ClientBuilder::timeout`](rt::ApiClientBuilder::timeout) and
        /// [`ClientBuilder::deadline`](rt::ApiClientBuilder::deadline), or per call with [`Client::with_timeout`] and
        /// [`Client::with_deadline`]. A call out of time fails with `is_timeout()`.
        ///
        /// `Debug` output never shows credentials.
        #[derive(Clone, Debug)]
        pub struct Client {
            api: rt::ApiClient,
        }
    }
}

/// `ClientBuilder`: the runtime's builder, building a `Client` (its settings are the runtime's,
/// written once there), and the conversion it builds through.
fn builder() -> TokenStream {
    quote! {
        /// Configures a [`Client`]: credentials, timeouts, retries, transport (the runtime's
        /// [`ApiClientBuilder`](rt::ApiClientBuilder), whose `build` gives a [`Client`]).
        pub type ClientBuilder = rt::ApiClientBuilder<Client>;

        impl From<rt::ApiClient> for Client {
            fn from(api: rt::ApiClient) -> Self {
                Self { api }
            }
        }
    }
}

/// The trait that gives the [`ClientBuilder`] (the runtime's type, which the generated code
/// cannot add methods to) one method per API key the description names.
fn api_keys(ir: &Ir) -> Option<TokenStream> {
    let name = ident(ir.api_keys_trait.as_deref()?);
    let (declarations, definitions): (Vec<TokenStream>, Vec<TokenStream>) = ir
        .api_keys
        .iter()
        .map(|key| {
            let method = ident(&key.method);
            let wire = &key.name;
            let (place, constructor) = match key.location {
                KeyLocation::Header => ("header", quote!(api_key_header)),
                KeyLocation::Query => ("query parameter", quote!(api_key_query)),
            };
            let mut doc = format!(
                " The API key of the `{}` scheme, sent as the `{wire}` {place}.",
                key.scheme
            );
            if let Some(description) = &key.docs {
                doc.push_str("\n\n");
                doc.push_str(description.trim());
            }
            let attrs = docs(Some(&doc));
            let declaration = quote! {
                #(#attrs)*
                fn #method(self, key: impl Into<rt::Secret>) -> Self;
            };
            let definition = quote! {
                fn #method(self, key: impl Into<rt::Secret>) -> Self {
                    self.auth(rt::Auth::#constructor(#wire, key))
                }
            };
            (declaration, definition)
        })
        .unzip();
    Some(quote! {
        /// The API keys of the description's security schemes, set on a [`ClientBuilder`]
        /// (bring the trait into scope to call them).
        pub trait #name {
            #(#declarations)*
        }

        impl #name for ClientBuilder {
            #(#definitions)*
        }
    })
}

/// `Client::builder(base_url)` and one constructor per server.
fn constructors(ir: &Ir) -> TokenStream {
    let servers = ir.servers.iter().map(server_constructor);
    quote! {
        impl Client {
            /// A builder for a client of the API at `base_url` (any server: production, a proxy,
            /// or a local test server).
            pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
                ClientBuilder::new(base_url)
            }

            #(#servers)*
        }
    }
}

/// The constructor of one server: its URL with the variables filled in, percent-encoded so
/// that a value cannot change the URL's structure (`evil.test/` cannot move the host: the
/// builder then refuses the URL).
fn server_constructor(server: &Server) -> TokenStream {
    let mut doc = format!(" A builder for `{}`", server.url);
    if let Some(description) = &server.description {
        doc.push_str(&format!(" ({})", description.trim().trim_end_matches('.')));
    }
    doc.push('.');
    if !server.variables.is_empty() {
        doc.push_str(" Values are percent-encoded: one that is not a plain name (`a/b`, `x?y`) makes `build()` fail rather than reach another host.");
    }
    let defaults: Vec<String> = server
        .variables
        .iter()
        .map(|v| format!("`{}` defaults to `{}`", v.name, v.default))
        .collect();
    let defaults_doc = (!defaults.is_empty()).then(|| {
        let text = format!(" In the description, {}.", defaults.join(", "));
        quote!(#[doc = ""] #[doc = #text])
    });
    let args = server.variables.iter().map(|v| {
        let name = ident(&v.rust_name);
        quote!(#name: &str)
    });
    // Positional (`{0}`, numbered in declaration order), so variables may appear in any order
    // in the URL, and more than once.
    let used: Vec<usize> = (0..server.variables.len())
        .filter(|index| server.variables[*index].in_url)
        .collect();
    let unused = server.variables.iter().filter(|v| !v.in_url).map(|v| {
        let name = ident(&v.rust_name);
        quote!(let _ = #name;)
    });
    let url = if used.is_empty() {
        let url = &server.url;
        quote!(#url)
    } else {
        let mut format_str = String::new();
        for part in &server.url_parts {
            match part {
                UrlPart::Text(text) => {
                    format_str.push_str(&text.replace('{', "{{").replace('}', "}}"))
                }
                UrlPart::Variable(index) => {
                    let position = used
                        .iter()
                        .position(|used| used == index)
                        .unwrap_or_default();
                    format_str.push_str(&format!("{{{position}}}"));
                }
            }
        }
        let format_args = used.iter().map(|index| {
            let name = ident(&server.variables[*index].rust_name);
            quote!(rt::encode_path_segment(#name))
        });
        quote!(format!(#format_str, #(#format_args),*))
    };
    let name = ident(&server.constructor);
    quote! {
        #[doc = #doc]
        #defaults_doc
        pub fn #name(#(#args),*) -> ClientBuilder {
            #(#unused)*
            Self::builder(#url)
        }
    }
}
