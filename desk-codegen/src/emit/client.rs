//! The async client: one method per operation over `desk_runtime::client::ApiClient`.
//!
//! Every name comes from the IR (operation methods, constructors, page and stream methods,
//! parameter and outcome types); this module only renders them, one function per concept:
//! [`client_struct`], [`builder`], [`constructors`], [`operation`] (with [`decode`]),
//! [`params_struct`] and [`outcome_enum`]; the page methods of list operations are in
//! [`pages`](super::pages), request and response bodies by media type in
//! [`bodies`](super::bodies). The request is built
//! by the runtime's `RequestBuilder`, so an operation method is one chain and one `match`.

use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens};

use super::bodies::{accept_call, body_type, collection, multipart_struct, request_body};
use super::syntax::Items;
use super::{docs, ident, ty_tokens, EmitOptions, Form};
use crate::ir::{
    BodyKind, Ir, KeyLocation, Operation, Outcome, Param, ParamEncoding, ParamLocation,
    ResponseBody, ResponseDef, Server, TypeKind, TypeRef,
};

/// Emits the `Client`, its builder, per-operation parameter structs and outcome enums.
pub fn emit(ir: &Ir, options: &EmitOptions) -> Items {
    let runtime = &options.runtime_path;
    let mut items = Items::default();
    items.push_tokens(quote!(use #runtime::client as rt;));
    items.push_tokens(client_struct(ir, &super::syntax::path_text(runtime)));
    items.push_tokens(builder(ir));
    items.push_tokens(constructors(ir));
    let methods = ir.operations.iter().map(|op| operation(ir, op));
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
        if let Outcome::Enum(name) = &op.ok {
            let doc = format!(
                " The documented successful responses of `{}`.",
                op.rust_name
            );
            items.push_tokens(outcome_enum(
                ir,
                name,
                &doc,
                op.responses.iter().filter(|r| r.is_success()),
            ));
        }
        if let Outcome::Enum(name) = &op.error {
            let doc = format!(" The documented error responses of `{}`.", op.rust_name);
            items.push_tokens(outcome_enum(
                ir,
                name,
                &doc,
                op.responses.iter().filter(|r| !r.is_success()),
            ));
        }
        if let Some(name) = &op.params_type {
            items.push_tokens(params_struct(ir, op, name));
        }
        if let Some(BodyKind::Multipart(def)) = op.body.as_ref().map(|body| &body.kind) {
            items.push_tokens(multipart_struct(ir, op, def));
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
        /// waits included, by a deadline (2 min); set them with [`ClientBuilder::timeout`] and
        /// [`ClientBuilder::deadline`], or per call with [`Client::with_timeout`] and
        /// [`Client::with_deadline`]. A call out of time fails with `is_timeout()`.
        ///
        /// `Debug` output never shows credentials.
        #[derive(Clone, Debug)]
        pub struct Client {
            api: rt::ApiClient,
        }
    }
}

/// `ClientBuilder`: each setting forwarded to the runtime's builder, and one method per API
/// key the description names.
fn builder(ir: &Ir) -> TokenStream {
    let forward = |doc: &str, name: &str, args: TokenStream, names: TokenStream| {
        let name = ident(name);
        quote! {
            #[doc = #doc]
            pub fn #name(self, #args) -> Self {
                Self { inner: self.inner.#name(#names) }
            }
        }
    };
    let duration = quote!(::std::time::Duration);
    let secret = quote!(impl Into<rt::Secret>);
    let methods = [
        forward(" Credentials for every operation that needs them.", "auth", quote!(auth: rt::Auth), quote!(auth)),
        forward(" `Authorization: Bearer <token>` (an API key or an OAuth2 access token).", "bearer_token", quote!(token: #secret), quote!(token)),
        forward(" HTTP Basic credentials.", "basic_auth", quote!(username: #secret, password: #secret), quote!(username, password)),
        forward(" The timeout of each attempt (connect to end of body); 30 s unless set.", "timeout", quote!(timeout: #duration), quote!(timeout)),
        forward(" The deadline of each call, every retry and wait included; 2 min unless set.", "deadline", quote!(deadline: #duration), quote!(deadline)),
        forward(" How long connecting (TCP and TLS) may take with the default transport; 10 s unless set.", "connect_timeout", quote!(connect_timeout: #duration), quote!(connect_timeout)),
        forward(" How `429` and transient failures are retried.", "retry_policy", quote!(policy: rt::RetryPolicy), quote!(policy)),
        forward(" Another HTTP stack or middleware.", "transport", quote!(transport: impl rt::Transport), quote!(transport)),
        forward(" The `User-Agent` header.", "user_agent", quote!(user_agent: impl Into<String>), quote!(user_agent)),
    ];
    let api_keys = ir.api_keys.iter().map(|key| {
        let method = ident(&key.method);
        let name = &key.name;
        let (place, constructor) = match key.location {
            KeyLocation::Header => ("header", quote!(api_key_header)),
            KeyLocation::Query => ("query parameter", quote!(api_key_query)),
        };
        let mut doc = format!(
            " The API key of the `{}` scheme, sent as the `{name}` {place}.",
            key.scheme
        );
        if let Some(description) = &key.docs {
            doc.push_str("\n\n");
            doc.push_str(description.trim());
        }
        let attrs = docs(Some(&doc));
        quote! {
            #(#attrs)*
            pub fn #method(self, key: impl Into<rt::Secret>) -> Self {
                Self { inner: self.inner.auth(rt::Auth::#constructor(#name, key)) }
            }
        }
    });
    quote! {
        /// Configures a [`Client`]: credentials, timeouts, retries, transport.
        #[derive(Debug)]
        #[must_use]
        pub struct ClientBuilder {
            inner: rt::ApiClientBuilder,
        }

        impl ClientBuilder {
            #(#methods)*
            #(#api_keys)*

            /// Builds the client; fails on a base URL that is not absolute `http(s)`.
            pub fn build(self) -> Result<Client, rt::Error<::std::convert::Infallible>> {
                self.inner.build().map(Client::from_api).map_err(rt::Error::into_any_body)
            }
        }
    }
}

/// `Client::builder(base_url)` and one constructor per server.
fn constructors(ir: &Ir) -> TokenStream {
    let servers = ir.servers.iter().map(server_constructor);
    quote! {
        impl Client {
            /// A builder for a client of the API at `base_url` (any server: production, a proxy,
            /// or a local test server).
            pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
                ClientBuilder { inner: rt::ApiClient::builder(base_url) }
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
    // Positional (`{0}`), so variables may appear in any order in the URL.
    let mut format_str = server.url.replace('{', "\u{0}").replace('}', "\u{1}");
    let mut format_args = Vec::new();
    let mut unused = Vec::new();
    for var in &server.variables {
        let placeholder = format!("\u{0}{}\u{1}", var.name);
        let name = ident(&var.rust_name);
        if format_str.contains(&placeholder) {
            format_str = format_str.replace(&placeholder, &format!("{{{}}}", format_args.len()));
            format_args.push(quote!(rt::encode_path_segment(#name)));
        } else {
            unused.push(quote!(let _ = #name;));
        }
    }
    let url = if format_args.is_empty() {
        let url = &server.url;
        quote!(#url)
    } else {
        let format_str = format_str.replace('\u{0}', "{{").replace('\u{1}', "}}");
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

/// The method of one operation: a request chain, then a `match` on the status.
fn operation(ir: &Ir, op: &Operation) -> TokenStream {
    let mut args = Vec::new();
    let mut calls = Vec::new();
    for p in op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
    {
        let name = ident(&p.rust_name);
        let wire = &p.wire_name;
        if let ParamEncoding::Collection(items) = &p.encoding {
            let ty = ty_tokens(ir, &p.ty, Form::Model);
            let items = collection(items);
            args.push(quote!(#name: #ty));
            calls.push(quote!(.path_collection(#wire, &#name, #items)));
        } else if p.ty == TypeRef::String {
            args.push(quote!(#name: &str));
            calls.push(quote!(.path(#wire, #name)));
        } else {
            let ty = ty_tokens(ir, &p.ty, Form::Model);
            args.push(quote!(#name: #ty));
            calls.push(quote!(.path(#wire, &#name)));
        }
    }
    if let Some(name) = &op.params_type {
        let name = ident(name);
        args.push(quote!(params: &#name));
        calls.extend(op.params.iter().filter_map(param_call));
    }
    if let Some(body) = &op.body {
        let (arg, call) = request_body(ir, body);
        args.push(arg);
        calls.push(call);
    }
    calls.extend(accept_call(op));
    if !op.authenticated {
        calls.push(quote!(.public()));
    }
    let method = ident(op.method.as_str());
    let path = &op.path;
    let operation_id = op.operation_id.as_deref().unwrap_or(&op.rust_name);
    let name = ident(&op.rust_name);
    let ok = outcome_type(ir, &op.ok, quote!(()));
    let err = outcome_type(ir, &op.error, quote!(::std::convert::Infallible));
    let attrs = operation_docs(op);
    let decode = decode(op);
    let pages = op
        .pagination
        .as_ref()
        .map(|pagination| super::pages::page_methods(ir, op, pagination, &err));
    quote! {
        #(#attrs)*
        pub async fn #name(&self, #(#args),*) -> Result<#ok, rt::Error<#err>> {
            let response = self
                .api
                .request(rt::Method::#method, #path, #operation_id)
                #(#calls)*
                .send()
                .await?;
            #decode
        }

        #pages
    }
}

/// The summary, the description, `METHOD /path`, whether it is public, and deprecation.
fn operation_docs(op: &Operation) -> Vec<syn::Attribute> {
    let mut doc = String::new();
    for text in [&op.summary, &op.description].into_iter().flatten() {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str(text.trim());
    }
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("`{} {}`", op.method, op.path));
    if !op.authenticated {
        doc.push_str(" (public: sent without credentials)");
    }
    let mut attrs = docs(Some(&doc));
    if op.deprecated {
        attrs.push(syn::parse_quote!(#[doc = ""]));
        attrs.push(syn::parse_quote!(#[doc = " Deprecated by the API."]));
    }
    attrs
}

/// The call that adds one query or header parameter (none for a path parameter).
fn param_call(p: &Param) -> Option<TokenStream> {
    let wire = &p.wire_name;
    let field = ident(&p.rust_name);
    let value = if p.required {
        quote!(Some(&params.#field))
    } else {
        quote!(params.#field.as_ref())
    };
    let header = match p.location {
        ParamLocation::Path => return None,
        ParamLocation::Query => false,
        ParamLocation::Header => true,
    };
    Some(match &p.encoding {
        ParamEncoding::Collection(items) => {
            let items = collection(items);
            if header {
                quote!(.header_collection(#wire, #value, #items))
            } else {
                quote!(.query_collection(#wire, #value, #items))
            }
        }
        ParamEncoding::Json if header => quote!(.header_json(#wire, #value)),
        ParamEncoding::Json => quote!(.query_json(#wire, #value)),
        ParamEncoding::Plain { explode } if matches!(p.ty, TypeRef::Vec(_)) => {
            if header {
                quote!(.header_list(#wire, #value, #explode))
            } else {
                quote!(.query_list(#wire, #value, #explode))
            }
        }
        ParamEncoding::Plain { .. } if header => quote!(.header(#wire, #value)),
        ParamEncoding::Plain { .. } => quote!(.query(#wire, #value)),
    })
}

/// The type an outcome is returned as.
fn outcome_type(ir: &Ir, outcome: &Outcome, none: TokenStream) -> TokenStream {
    match outcome {
        Outcome::None => none,
        Outcome::Body(body) => body_type(ir, body),
        Outcome::Enum(name) => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

/// The `match` on the status: one arm per documented response (exact statuses, then ranges,
/// then `default`; neighbours that decode alike share an arm), and an unexpected status for
/// anything else.
fn decode(op: &Operation) -> TokenStream {
    let mut ordered: Vec<&ResponseDef> = op.responses.iter().collect();
    ordered.sort_by_key(|r| match r.status {
        Some(_) if r.range => 1,
        Some(_) => 0,
        None => 2,
    });
    let mut arms: Vec<Arm> = Vec::new();
    if !op.responses.iter().any(ResponseDef::is_success) {
        // No success documented (e.g. `responses: {}`): any 2xx still means it worked.
        let value = quote!(Ok(()));
        arms.push(Arm::new(Some((200, 299)), value));
    }
    let mut wildcard = false;
    for r in ordered {
        let value = if r.is_success() {
            match (&op.ok, r.body()) {
                (Outcome::Enum(name), Some(ResponseBody::Json(_))) => {
                    let variant = variant(name, &r.rust_name);
                    quote!(response.json_into(#variant))
                }
                (Outcome::Enum(name), Some(body)) => {
                    let variant = variant(name, &r.rust_name);
                    let value = unparsed(&body);
                    quote!(Ok(#variant(#value)))
                }
                (Outcome::Enum(name), None) => {
                    let variant = variant(name, &r.rust_name);
                    quote!(Ok(#variant))
                }
                (_, Some(ResponseBody::Json(_))) => quote!(response.json()),
                (_, Some(body)) => {
                    let value = unparsed(&body);
                    quote!(Ok(#value))
                }
                (_, None) => quote!(Ok(())),
            }
        } else {
            match (&op.error, r.body()) {
                (Outcome::Enum(name), Some(ResponseBody::Json(_))) => {
                    let variant = variant(name, &r.rust_name);
                    quote!(response.error_into(#variant))
                }
                (Outcome::Enum(name), Some(body)) => {
                    let variant = variant(name, &r.rust_name);
                    let value = unparsed(&body);
                    quote!(response.error(#variant(#value)))
                }
                (Outcome::Enum(name), None) => {
                    let variant = variant(name, &r.rust_name);
                    quote!(response.error(#variant))
                }
                (_, Some(ResponseBody::Json(_))) => quote!(response.error_json()),
                (_, Some(body)) => {
                    let value = unparsed(&body);
                    quote!(response.error(#value))
                }
                (_, None) => continue,
            }
        };
        let codes = r
            .status
            .map(|code| (code, if r.range { code + 99 } else { code }));
        wildcard |= codes.is_none();
        let arm = Arm::new(codes, value);
        match (arms.last_mut(), codes) {
            (Some(last), Some((first, end))) if last.text == arm.text => {
                // Adjacent codes join one range (clippy's `manual_range_patterns`).
                match last.statuses.last_mut() {
                    Some(Some((_, prev_end))) if *prev_end + 1 == first => *prev_end = end,
                    _ => last.statuses.push(codes),
                }
            }
            _ => arms.push(arm),
        }
    }
    if arms.is_empty() {
        // Nothing to match on (a lone `_` arm is a clippy warning).
        return quote!(response.unexpected());
    }
    let mut arms: Vec<TokenStream> = arms
        .into_iter()
        .map(
            |Arm {
                 statuses, value, ..
             }| {
                let patterns = statuses.into_iter().map(|codes| match codes {
                    Some((first, last)) if first == last => {
                        Literal::u16_unsuffixed(first).into_token_stream()
                    }
                    Some((first, last)) => {
                        let (first, last) = (
                            Literal::u16_unsuffixed(first),
                            Literal::u16_unsuffixed(last),
                        );
                        quote!(#first..=#last)
                    }
                    None => quote!(_),
                });
                quote!(#(#patterns)|* => #value)
            },
        )
        .collect();
    if !wildcard {
        arms.push(quote!(_ => response.unexpected()));
    }
    quote! {
        match response.status.as_u16() {
            #(#arms,)*
        }
    }
}

/// One arm of the status `match`.
struct Arm {
    /// Ranges of status codes (one code: a range of one); `None` for `_`.
    statuses: Vec<Option<(u16, u16)>>,
    /// What the arm returns.
    value: TokenStream,
    /// `value` as text, to compare neighbours.
    text: String,
}

impl Arm {
    fn new(codes: Option<(u16, u16)>, value: TokenStream) -> Self {
        let text = value.to_string();
        Arm {
            statuses: vec![codes],
            value,
            text,
        }
    }
}

/// A text or binary body as it came, with its content type (JSON bodies are decoded instead).
fn unparsed(body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Text => quote!(rt::decode_text(&response)),
        _ => quote!(rt::decode_binary(&response)),
    }
}

fn variant(enum_name: &str, variant: &str) -> TokenStream {
    let (enum_name, variant) = (ident(enum_name), ident(variant));
    quote!(#enum_name::#variant)
}

/// An enum with one variant per documented response (holding its body, when typed).
fn outcome_enum<'a>(
    ir: &Ir,
    name: &str,
    doc: &str,
    responses: impl Iterator<Item = &'a ResponseDef>,
) -> TokenStream {
    let variants = responses.map(|r| {
        let attrs = docs(r.docs.as_deref());
        let name = ident(&r.rust_name);
        let body = r.body().map(|body| {
            let ty = body_type(ir, &body);
            quote!((#ty))
        });
        quote!(#(#attrs)* #name #body)
    });
    let name = ident(name);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants,)*
        }
    }
}

/// Whether values of `ty` have a total order, so that a set of them can be a `BTreeSet`.
fn is_ordered(ir: &Ir, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::String | TypeRef::Bool | TypeRef::Int(_) | TypeRef::Date | TypeRef::DateTime => {
            true
        }
        TypeRef::Named(id) => matches!(
            ir.ty(*id).kind,
            TypeKind::StringEnum(_) | TypeKind::IntEnum(_)
        ),
        _ => false,
    }
}

/// The Rust type of a query or header parameter, and for array parameters the item type.
///
/// An array with `uniqueItems: true` whose items are ordered is a `BTreeSet`: duplicates cannot
/// be expressed and the order on the wire is fixed (the items' order).
pub(super) fn param_type(ir: &Ir, p: &Param) -> (TokenStream, Option<TokenStream>) {
    match &p.ty {
        TypeRef::Vec(item) => {
            let item_ty = ty_tokens(ir, item, Form::Model);
            let ty = if p.unique_items && is_ordered(ir, item) {
                quote!(::std::collections::BTreeSet<#item_ty>)
            } else {
                quote!(Vec<#item_ty>)
            };
            (ty, Some(item_ty))
        }
        other => (ty_tokens(ir, other, Form::Model), None),
    }
}

/// The struct of an operation's query and header parameters; when all are optional it is
/// `Default` and has a chained setter per parameter.
fn params_struct(ir: &Ir, op: &Operation, name: &str) -> TokenStream {
    let params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .collect();
    let all_optional = params.iter().all(|p| !p.required);
    let fields = params.iter().map(|p| {
        let attrs = docs(p.docs.as_deref());
        let field = ident(&p.rust_name);
        let (ty, _) = param_type(ir, p);
        let ty = if p.required { ty } else { quote!(Option<#ty>) };
        quote!(#(#attrs)* pub #field: #ty)
    });
    let doc = format!(
        " Query and header parameters of [`Client::{}`].",
        op.rust_name
    );
    let name = ident(name);
    let default = all_optional.then(|| quote!(Default,));
    let setters = all_optional.then(|| {
        let setters = params.iter().map(|p| {
            let field = ident(&p.rust_name);
            match param_type(ir, p) {
                (_, Some(item)) => {
                    let doc = format!(" Sets `{}` from any collection of values (an array, a `Vec`, an iterator).", p.wire_name);
                    quote! {
                        #[doc = #doc]
                        #[must_use]
                        pub fn #field(mut self, values: impl IntoIterator<Item = impl Into<#item>>) -> Self {
                            self.#field = Some(values.into_iter().map(Into::into).collect());
                            self
                        }
                    }
                }
                (ty, None) => {
                    let doc = format!(" Sets `{}`.", p.wire_name);
                    quote! {
                        #[doc = #doc]
                        #[must_use]
                        pub fn #field(mut self, value: impl Into<#ty>) -> Self {
                            self.#field = Some(value.into());
                            self
                        }
                    }
                }
            }
        });
        quote!(impl #name { #(#setters)* })
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #(#fields,)*
        }

        #setters
    }
}
