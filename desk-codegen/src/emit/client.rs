//! The async client: one method per operation over `desk_runtime::client::ApiClient`.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::models::shape;
use super::models::Shape;
use super::{doc_attrs, ident, ty_tokens, Form};
use crate::ir::{Field, Ir, Operation, Param, ParamEncoding, ParamLocation, PathPart, TypeKind, TypeRef};

/// Emits the `Client`, its builder, per-operation parameter structs and result enums.
pub fn emit(ir: &Ir, runtime: &TokenStream) -> TokenStream {
    let rt = quote!(#runtime::client);
    let builder = emit_builder(ir, &rt);
    let mut items = Vec::new();
    let mut methods = Vec::new();
    for op in &ir.operations {
        let (types, method) = emit_operation(ir, op, &rt);
        items.push(types);
        methods.push(method);
    }
    let title = format!(" Client for {} (version {}).", ir.title, ir.version);
    // Only operations read the timeout: without any, the field is dead code.
    let unread_timeout = ir.operations.is_empty().then(|| quote!(#[allow(dead_code)]));
    let rt_text = rt.to_string().replace(' ', "").trim_start_matches("::").to_owned();
    let retry_doc = format!(" [`RetryPolicy`]({rt_text}::RetryPolicy)) and decodes the documented");
    let from_api_doc = format!(" A client over an already configured [`ApiClient`]({rt_text}::ApiClient).");
    quote! {
        #[doc = #title]
        ///
        /// Cheap to clone: clones share one connection pool. Every method sends one request
        /// (plus bounded retries on `429` and, for idempotent methods, `502`/`503`/`504`, see
        #[doc = #retry_doc]
        /// responses into typed values: documented error bodies become `Error::Api`, any other
        /// status `Error::UnexpectedStatus` (status, rate-limit headers, body text), and a body
        /// that is not the documented JSON `Error::Decode` (status and an excerpt).
        ///
        /// `Debug` output never shows credentials.
        #[derive(Clone, Debug)]
        pub struct Client {
            api: #rt::ApiClient,
            #unread_timeout
            timeout: Option<::std::time::Duration>,
        }
        #builder
        impl Client {
            #[doc = #from_api_doc]
            pub fn from_api(api: #rt::ApiClient) -> Self {
                Self { api, timeout: None }
            }
            /// The underlying runtime client.
            pub fn api(&self) -> &#rt::ApiClient {
                &self.api
            }
            /// A copy of this client whose requests time out after `timeout` (overriding the
            /// client-wide timeout).
            #[must_use]
            pub fn with_timeout(&self, timeout: ::std::time::Duration) -> Self {
                Self { api: self.api.clone(), timeout: Some(timeout) }
            }
            #(#methods)*
        }
        #(#items)*
    }
}

fn emit_builder(ir: &Ir, rt: &TokenStream) -> TokenStream {
    let mut scope = crate::names::Scope::with_reserved(["builder", "from_api", "api", "with_timeout"]);
    for op in &ir.operations {
        scope.claim(op.rust_name.clone());
    }
    let constructors = ir.servers.iter().enumerate().map(|(index, server)| {
        let wanted = if let Some(name) = &server.constructor {
            name.clone()
        } else if server.variables.is_empty() {
            format!("for_server_{index}")
        } else {
            format!("for_{}", server.variables.iter().map(|v| v.rust_name.trim_end_matches('_')).collect::<Vec<_>>().join("_"))
        };
        let name = ident(&scope.claim(wanted));
        let args = server.variables.iter().map(|v| {
            let arg = ident(&v.rust_name);
            quote!(#arg: &str)
        });
        let mut format_str = server.url.clone();
        let mut format_args = Vec::new();
        let mut unused = Vec::new();
        for var in &server.variables {
            let placeholder = format!("{{{}}}", var.name);
            let arg = ident(&var.rust_name);
            if !format_str.contains(&placeholder) {
                unused.push(quote!(let _ = #arg;));
                continue;
            }
            // Positional (`{0}`), so variables may appear in any order in the URL.
            format_str = format_str.replace(&placeholder, &format!("\u{0}{}\u{1}", format_args.len()));
            // Percent-encoded, so that a value cannot change the URL's structure: `evil.test/`
            // cannot move the host (the builder then refuses the URL).
            format_args.push(quote!(#rt::encode_path_segment(#arg)));
        }
        let format_str = format_str.replace('{', "{{").replace('}', "}}").replace('\u{0}', "{").replace('\u{1}', "}");
        let url = if format_args.is_empty() {
            let literal = &server.url;
            quote!(#literal)
        } else {
            quote!(format!(#format_str, #(#format_args),*))
        };
        let mut doc = format!(" A builder for `{}`", server.url);
        if let Some(description) = &server.description {
            doc.push_str(&format!(" ({})", description.trim().trim_end_matches('.')));
        }
        doc.push('.');
        if !server.variables.is_empty() {
            doc.push_str(
                " Values are percent-encoded: one that is not a plain name (`a/b`, `x?y`) makes `build()` fail rather than reach another host.",
            );
        }
        let defaults: Vec<String> = server.variables.iter().map(|v| format!("`{}` defaults to `{}`", v.name, v.default)).collect();
        let defaults_doc = (!defaults.is_empty()).then(|| {
            let text = format!(" In the description, {}.", defaults.join(", "));
            quote!(#[doc = ""] #[doc = #text])
        });
        quote! {
            #[doc = #doc]
            #defaults_doc
            pub fn #name(#(#args),*) -> ClientBuilder {
                #(#unused)*
                Self::builder(#url)
            }
        }
    });
    quote! {
        /// Configures a [`Client`]: credentials, timeouts, retries, transport.
        #[derive(Debug)]
        #[must_use]
        pub struct ClientBuilder {
            inner: #rt::ApiClientBuilder,
        }
        impl ClientBuilder {
            /// Credentials for every operation that needs them.
            pub fn auth(self, auth: #rt::Auth) -> Self {
                Self { inner: self.inner.auth(auth) }
            }
            /// `Authorization: Bearer <token>` (an API key or an OAuth2 access token).
            pub fn bearer_token(self, token: impl Into<#rt::Secret>) -> Self {
                Self { inner: self.inner.bearer_token(token) }
            }
            /// HTTP Basic credentials.
            pub fn basic_auth(self, username: impl Into<#rt::Secret>, password: impl Into<#rt::Secret>) -> Self {
                Self { inner: self.inner.basic_auth(username, password) }
            }
            /// The client-wide timeout of one request.
            pub fn timeout(self, timeout: ::std::time::Duration) -> Self {
                Self { inner: self.inner.timeout(timeout) }
            }
            /// How `429` and transient failures are retried.
            pub fn retry_policy(self, policy: #rt::RetryPolicy) -> Self {
                Self { inner: self.inner.retry_policy(policy) }
            }
            /// Another HTTP stack or middleware.
            pub fn transport(self, transport: impl #rt::Transport) -> Self {
                Self { inner: self.inner.transport(transport) }
            }
            /// The `User-Agent` header.
            pub fn user_agent(self, user_agent: impl Into<String>) -> Self {
                Self { inner: self.inner.user_agent(user_agent) }
            }
            /// Builds the client; fails on a base URL that is not absolute `http(s)`.
            pub fn build(self) -> Result<Client, #rt::Error<::std::convert::Infallible>> {
                self.inner.build().map(Client::from_api).map_err(#rt::Error::into_any_body)
            }
        }
        impl Client {
            /// A builder for a client of the API at `base_url` (any server: production, a proxy,
            /// or a local test server).
            pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
                ClientBuilder { inner: #rt::ApiClient::builder(base_url) }
            }
            #(#constructors)*
        }
    }
}

/// How a documented outcome is typed.
struct Outcomes<'a> {
    success: Vec<&'a crate::ir::ResponseDef>,
    errors: Vec<&'a crate::ir::ResponseDef>,
}

fn outcomes(op: &Operation) -> Outcomes<'_> {
    let (success, errors) = op.responses.iter().partition(|r| r.status.is_some_and(|s| (100..400).contains(&s)));
    Outcomes { success, errors }
}

fn status_pattern(response: &crate::ir::ResponseDef, exact: &BTreeSet<u16>) -> TokenStream {
    match response.status {
        Some(code) if code % 100 == 0 && response.rust_name.ends_with("xx") => {
            let end = code + 99;
            let _ = exact;
            quote!(#code..=#end)
        }
        Some(code) => quote!(#code),
        None => quote!(_),
    }
}

/// An enum with one variant per documented response (holding its body, when typed).
fn outcome_enum(ir: &Ir, name: &proc_macro2::Ident, doc: &str, responses: &[&crate::ir::ResponseDef]) -> TokenStream {
    let variants = responses.iter().map(|r| {
        let v = ident(&r.rust_name);
        let docs = doc_attrs(r.docs.as_deref());
        match &r.ty {
            Some(t) => {
                let t = ty_tokens(ir, t, Form::Model);
                quote!(#docs #v(#t),)
            }
            None => quote!(#docs #v,),
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name { #(#variants)* }
    }
}

fn emit_operation(ir: &Ir, op: &Operation, rt: &TokenStream) -> (TokenStream, TokenStream) {
    let method_name = ident(&op.rust_name);
    let stem = &op.type_stem;
    let outcomes = outcomes(op);
    let mut types = TokenStream::new();

    // Result type.
    let typed_success: Vec<_> = outcomes.success.iter().collect();
    let (ok_ty, single_success) = match typed_success.as_slice() {
        [] => (quote!(()), true),
        [only] => (only.ty.as_ref().map_or(quote!(()), |t| ty_tokens(ir, t, Form::Model)), true),
        _ => {
            let name = ident(&format!("{stem}Response"));
            let doc = format!(" The documented successful responses of `{}`.", op.rust_name);
            types.extend(outcome_enum(ir, &name, &doc, &outcomes.success));
            (quote!(#name), false)
        }
    };
    let typed_errors: Vec<_> = outcomes.errors.iter().filter(|r| r.ty.is_some()).collect();
    let distinct: BTreeSet<String> = typed_errors.iter().map(|r| ty_tokens(ir, r.ty.as_ref().unwrap_or(&TypeRef::Json), Form::Model).to_string()).collect();
    let (err_ty, error_enum) = match (typed_errors.first(), distinct.len()) {
        (None, _) => (quote!(::std::convert::Infallible), false),
        (Some(first), 1) => (ty_tokens(ir, first.ty.as_ref().unwrap_or(&TypeRef::Json), Form::Model), false),
        _ => {
            let name = ident(&format!("{stem}Error"));
            let doc = format!(" The documented error responses of `{}`.", op.rust_name);
            types.extend(outcome_enum(ir, &name, &doc, &outcomes.errors));
            (quote!(#name), true)
        }
    };

    // Parameters: path ones as arguments, the rest in a struct.
    let path_params: Vec<&Param> = op.params.iter().filter(|p| p.location == ParamLocation::Path).collect();
    let other_params: Vec<&Param> = op.params.iter().filter(|p| p.location != ParamLocation::Path).collect();
    let params_name = ident(&format!("{stem}Params"));
    let has_params_struct = !other_params.is_empty();
    if has_params_struct {
        types.extend(emit_params_struct(ir, op, &params_name, &other_params));
    }

    let mut args = Vec::new();
    for p in &path_params {
        let name = ident(&p.rust_name);
        let ty = match &p.ty {
            TypeRef::String => quote!(&str),
            other => ty_tokens(ir, other, Form::Model),
        };
        args.push(quote!(#name: #ty));
    }
    if has_params_struct {
        args.push(quote!(params: &#params_name));
    }
    let body_ty = op.body.as_ref().and_then(|b| b.ty.as_ref().map(|t| (b, t)));
    if let Some((body, ty)) = body_ty {
        let form = match body.form {
            crate::ir::BodyForm::Patch => Form::Patch,
            crate::ir::BodyForm::Create => Form::Create,
        };
        let ty = ty_tokens(ir, ty, form);
        if body.required {
            args.push(quote!(body: impl Into<#ty>));
        } else {
            args.push(quote!(body: Option<#ty>));
        }
    } else if op.body.is_some() {
        args.push(quote!(body: Vec<u8>));
    }

    // The request.
    let path_expr = {
        let mut format_str = String::new();
        let mut format_args = Vec::new();
        for part in &op.path_parts {
            match part {
                PathPart::Literal(text) => format_str.push_str(&text.replace('{', "{{").replace('}', "}}")),
                PathPart::Param(index) => {
                    format_str.push_str("{}");
                    let p = ident(&op.params[*index].rust_name);
                    format_args.push(quote!(#rt::encode_path_segment(&#rt::param_text(&#p).map_err(#rt::Error::Encode)?)));
                }
            }
        }
        if format_args.is_empty() {
            quote!(#format_str)
        } else {
            quote!(format!(#format_str, #(#format_args),*))
        }
    };
    let method_const = ident(&op.method);
    let authenticated = op.authenticated;
    let query = other_params.iter().map(|p| param_push(ir, p, rt));
    let body_stmt = match body_ty {
        Some((body, _)) if body.required => quote! {
            let body = body.into();
            spec = spec.with_json(&body)?;
        },
        Some(_) => quote! {
            if let Some(body) = &body {
                spec = spec.with_json(body)?;
            }
        },
        None if op.body.is_some() => {
            let media = op.body.as_ref().map(|b| b.media_type.clone()).unwrap_or_default();
            quote! {
                spec = spec.with_body(body);
                spec.headers.push(("content-type".to_owned(), #media.to_owned()));
            }
        }
        None => TokenStream::new(),
    };

    // Decoding.
    let mut exact: BTreeSet<u16> = BTreeSet::new();
    for r in &op.responses {
        if let Some(s) = r.status {
            if !r.rust_name.ends_with("xx") {
                exact.insert(s);
            }
        }
    }
    let mut ordered: Vec<&crate::ir::ResponseDef> = op.responses.iter().collect();
    ordered.sort_by_key(|r| match r.status {
        Some(_) if r.rust_name.ends_with("xx") => 1,
        Some(_) => 0,
        None => 2,
    });
    let mut arms = Vec::new();
    for r in ordered {
        let pattern = status_pattern(r, &exact);
        let is_success = r.status.is_some_and(|s| (100..400).contains(&s));
        let arm = if is_success {
            let value = match &r.ty {
                Some(t) => {
                    let t = ty_tokens(ir, t, Form::Model);
                    quote!(#rt::decode_json::<#t, #err_ty>(&response)?)
                }
                None => quote!(()),
            };
            if single_success {
                quote!(#pattern => Ok(#value),)
            } else {
                let v = ident(&r.rust_name);
                let ok_name = ident(&format!("{stem}Response"));
                if r.ty.is_some() {
                    quote!(#pattern => Ok(#ok_name::#v(#value)),)
                } else {
                    quote!(#pattern => Ok(#ok_name::#v),)
                }
            }
        } else {
            match (&r.ty, error_enum) {
                (Some(t), false) => {
                    let t = ty_tokens(ir, t, Form::Model);
                    quote!(#pattern => Err(#rt::Error::Api {
                        status: response.status,
                        rate_limit: response.rate_limit(),
                        body: #rt::decode_json::<#t, #err_ty>(&response)?,
                    }),)
                }
                (Some(t), true) => {
                    let t = ty_tokens(ir, t, Form::Model);
                    let v = ident(&r.rust_name);
                    quote!(#pattern => Err(#rt::Error::Api {
                        status: response.status,
                        rate_limit: response.rate_limit(),
                        body: #err_ty::#v(#rt::decode_json::<#t, #err_ty>(&response)?),
                    }),)
                }
                (None, true) => {
                    let v = ident(&r.rust_name);
                    quote!(#pattern => Err(#rt::Error::Api {
                        status: response.status,
                        rate_limit: response.rate_limit(),
                        body: #err_ty::#v,
                    }),)
                }
                (None, false) => TokenStream::new(),
            }
        };
        arms.push(arm);
    }
    if outcomes.success.is_empty() {
        // No success documented (e.g. `responses: {}`): any 2xx still means it worked.
        arms.insert(0, quote!(200..=299 => Ok(()),));
    }
    let has_wildcard = op.responses.iter().any(|r| r.status.is_none() && (r.ty.is_some() || error_enum));
    let fallback = if has_wildcard { TokenStream::new() } else { quote!(_ => Err(#rt::unexpected(response)),) };

    let mut doc = String::new();
    if let Some(summary) = &op.summary {
        doc.push_str(summary.trim());
    }
    if let Some(description) = &op.description {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str(description.trim());
    }
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("`{} {}`", op.method, op.path));
    if !op.authenticated {
        doc.push_str(" (public: sent without credentials)");
    }
    let docs = doc_attrs(Some(&doc));
    let deprecated_note = op.deprecated.then(|| quote!(#[doc = ""] #[doc = " Deprecated by the API."]));
    // No arm besides the fallback: nothing to match on (a lone `_` arm is a clippy warning).
    let decode = if arms.iter().all(TokenStream::is_empty) && !has_wildcard {
        quote!(Err(#rt::unexpected(response)))
    } else {
        quote! {
            match response.status.as_u16() {
                #(#arms)*
                #fallback
            }
        }
    };
    let method = quote! {
        #docs
        #deprecated_note
        pub async fn #method_name(&self, #(#args),*) -> Result<#ok_ty, #rt::Error<#err_ty>> {
            let mut spec = #rt::RequestSpec::new(#rt::http::Method::#method_const, #path_expr);
            spec.authenticated = #authenticated;
            spec.timeout = self.timeout;
            #(#query)*
            #body_stmt
            let response = self.api.execute(spec).await.map_err(#rt::Error::into_any)?;
            #decode
        }
    };
    let stream = op.pagination.as_ref().map(|p| emit_stream(ir, op, p, &params_name, &err_ty, rt));
    (types, quote!(#method #stream))
}

/// The statement that adds one query/header parameter to `spec`.
fn param_push(ir: &Ir, p: &Param, rt: &TokenStream) -> TokenStream {
    let field = ident(&p.rust_name);
    let wire = &p.wire_name;
    let target = match p.location {
        ParamLocation::Header => quote!(spec.headers),
        _ => quote!(spec.query),
    };
    let push_one = |value: TokenStream| match p.encoding {
        ParamEncoding::Json => quote! {
            #target.push((#wire.to_owned(), #rt::serde_json::to_string(#value).map_err(#rt::Error::Encode)?));
        },
        ParamEncoding::Plain { .. } => quote! {
            #target.push((#wire.to_owned(), #rt::param_text(#value).map_err(#rt::Error::Encode)?));
        },
    };
    let is_array = matches!(p.ty, TypeRef::Vec(_)) && p.encoding != ParamEncoding::Json;
    let explode = matches!(p.encoding, ParamEncoding::Plain { explode: true });
    let emit_value = |value: TokenStream| {
        if is_array && explode {
            let one = push_one(quote!(item));
            quote!(for item in #value { #one })
        } else if is_array {
            quote! {
                let mut joined = Vec::new();
                for item in #value {
                    joined.push(#rt::param_text(item).map_err(#rt::Error::Encode)?);
                }
                #target.push((#wire.to_owned(), joined.join(",")));
            }
        } else {
            push_one(value)
        }
    };
    let _ = ir;
    if p.required {
        emit_value(quote!(&params.#field))
    } else {
        let inner = emit_value(quote!(value));
        quote!(if let Some(value) = &params.#field { #inner })
    }
}

/// Whether values of `ty` have a total order, so that a set of them can be a `BTreeSet`.
fn is_ordered(ir: &Ir, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::String | TypeRef::Bool | TypeRef::Int(_) | TypeRef::Date | TypeRef::DateTime => true,
        TypeRef::Named(id) => matches!(ir.ty(*id).kind, TypeKind::StringEnum(_) | TypeKind::IntEnum(_)),
        _ => false,
    }
}

/// The Rust type of a non-path parameter, and for array parameters the item type.
///
/// An array with `uniqueItems: true` whose items are ordered is a `BTreeSet`: duplicates cannot
/// be expressed and the order on the wire is fixed (the items' order).
fn param_ty(ir: &Ir, p: &Param) -> (TokenStream, Option<TokenStream>) {
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

fn emit_params_struct(ir: &Ir, op: &Operation, name: &proc_macro2::Ident, params: &[&Param]) -> TokenStream {
    let all_optional = params.iter().all(|p| !p.required);
    let fields = params.iter().map(|p| {
        let docs = doc_attrs(p.docs.as_deref());
        let rust = ident(&p.rust_name);
        let (ty, _) = param_ty(ir, p);
        let ty = if p.required { ty } else { quote!(Option<#ty>) };
        quote!(#docs pub #rust: #ty,)
    });
    let setters = params.iter().filter(|_| all_optional).map(|p| {
        let rust = ident(&p.rust_name);
        let (ty, item) = param_ty(ir, p);
        match item {
            Some(item) => {
                let doc = format!(" Sets `{}` from any collection of values (an array, a `Vec`, an iterator).", p.wire_name);
                quote! {
                    #[doc = #doc]
                    #[must_use]
                    pub fn #rust(mut self, values: impl IntoIterator<Item = impl Into<#item>>) -> Self {
                        self.#rust = Some(values.into_iter().map(Into::into).collect());
                        self
                    }
                }
            }
            None => {
                let doc = format!(" Sets `{}`.", p.wire_name);
                quote! {
                    #[doc = #doc]
                    #[must_use]
                    pub fn #rust(mut self, value: impl Into<#ty>) -> Self {
                        self.#rust = Some(value.into());
                        self
                    }
                }
            }
        }
    });
    let default = if all_optional { quote!(Default,) } else { TokenStream::new() };
    let doc = format!(" Query and header parameters of [`Client::{}`].", op.rust_name);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name { #(#fields)* }
        impl #name { #(#setters)* }
    }
}

/// Field access `base.field` producing a reference to an `Option`-like value (`as_ref()`).
fn access(field: &Field, base: TokenStream) -> (TokenStream, bool) {
    let rust = ident(&field.rust_name);
    let optional = !matches!(shape(field, Form::Model), Shape::Plain);
    (quote!(#base.#rust), optional)
}

fn emit_stream(
    ir: &Ir,
    op: &Operation,
    pagination: &crate::ir::Pagination,
    params_name: &proc_macro2::Ident,
    err_ty: &TokenStream,
    rt: &TokenStream,
) -> TokenStream {
    let (Some(body_ty), Some(page_param)) = (
        op.responses.iter().find(|r| r.status.is_some_and(|s| (200..300).contains(&s))).and_then(|r| r.ty.as_ref()),
        op.params.get(pagination.page_param),
    ) else {
        return TokenStream::new();
    };
    let TypeRef::Named(body_id) = body_ty else { return TokenStream::new() };
    let TypeKind::Struct(body) = &ir.ty(*body_id).kind else { return TokenStream::new() };
    let Some(items_field) = body.fields.iter().find(|f| f.rust_name == pagination.items_field) else { return TokenStream::new() };
    let Some(pag_field) = body.fields.iter().find(|f| f.rust_name == pagination.pagination_field) else { return TokenStream::new() };
    let TypeRef::Named(pag_id) = pag_field.ty else { return TokenStream::new() };
    let TypeKind::Struct(pag) = &ir.ty(pag_id).kind else { return TokenStream::new() };
    let Some(more_field) = pag.fields.iter().find(|f| f.rust_name == pagination.has_more_field) else { return TokenStream::new() };
    if op.params.iter().any(|p| p.location == ParamLocation::Path) {
        return TokenStream::new();
    }

    let (items_expr, items_optional) = access(items_field, quote!(body));
    let items = if items_optional { quote!(#items_expr.unwrap_or_default()) } else { items_expr };
    let (pag_expr, pag_optional) = access(pag_field, quote!(body));
    let more_rust = ident(&more_field.rust_name);
    let more_optional = !matches!(shape(more_field, Form::Model), Shape::Plain);
    let more = match (pag_optional, more_optional) {
        (true, true) => quote!(#pag_expr.as_ref().and_then(|p| p.#more_rust).unwrap_or(false)),
        (true, false) => quote!(#pag_expr.as_ref().is_some_and(|p| p.#more_rust)),
        (false, true) => quote!(#pag_expr.#more_rust.unwrap_or(false)),
        (false, false) => quote!(#pag_expr.#more_rust),
    };
    let page_field = ident(&page_param.rust_name);
    let page_ty = ty_tokens(ir, &page_param.ty, Form::Model);
    let item_ty = ty_tokens(ir, &pagination.item_ty, Form::Model);
    let method = ident(&op.rust_name);
    let stream_name = ident(&format!("{}_stream", op.rust_name));
    let set_page = if page_param.required {
        quote!(params.#page_field = page_value;)
    } else {
        quote!(params.#page_field = Some(page_value);)
    };
    let first = if page_param.required {
        quote!(params.#page_field)
    } else {
        quote!(params.#page_field.unwrap_or(1))
    };
    let doc = format!(
        " Every item of [`Client::{}`], page after page, following `{}` until it is false.",
        op.rust_name, more_field.wire_name
    );
    quote! {
        #[doc = #doc]
        ///
        /// Starts at the page set in `params` (or the first); stops after the first error.
        pub fn #stream_name(&self, params: #params_name)
            -> impl #rt::Stream<Item = Result<#item_ty, #rt::Error<#err_ty>>> + '_
        {
            let first = u32::try_from(#first).unwrap_or(1);
            #rt::paginate(first, move |page| {
                let mut params = params.clone();
                let page_value = <#page_ty>::try_from(page).unwrap_or(<#page_ty>::MAX);
                #set_page
                async move {
                    let body = self.#method(&params).await?;
                    let has_more = #more;
                    Ok((#items, has_more))
                }
            })
        }
    }
}
