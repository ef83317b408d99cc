//! The async client: one method per operation over `desk_runtime::client::ApiClient`.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

use super::bodies::{accept_statement, request_body, response_body_type, response_decode};
use super::models::{chained, setter, shape, Shape};
use super::syntax::{self, Items};
use super::{docs, ident, ty_syn, ty_tokens, EmitOptions, Form};
use crate::ir::{
    Field, Ir, Operation, Param, ParamEncoding, ParamLocation, PathPart, TypeKind, TypeRef,
};

/// Emits the `Client`, its builder, per-operation parameter structs and result enums.
pub fn emit(ir: &Ir, options: &EmitOptions) -> Items {
    let rt = syntax::join(&options.runtime_path, "client");
    let rt_text = syntax::path_text(&rt);
    let rt_type = |name: &str| syntax::named_type(&format!("{rt_text}::{name}"));
    let mut types = Items::default();
    let mut methods = Vec::new();
    for op in &ir.operations {
        let (op_types, op_methods) = emit_operation(ir, op, &rt);
        types.extend(op_types);
        methods.extend(op_methods);
    }

    let doc_text = rt_text.trim_start_matches("::");
    let title = format!(" Client for {} (version {}).", ir.title, ir.version);
    let retry_doc =
        format!(" [`RetryPolicy`]({doc_text}::RetryPolicy)) and decodes the documented");
    let mut attrs: Vec<syn::Attribute> = [
        title.as_str(),
        "",
        " Cheap to clone: clones share one connection pool. Every method sends one request",
        " (plus bounded retries on `429` and, for idempotent methods, `502`/`503`/`504`, see",
        retry_doc.as_str(),
        " responses into typed values: documented error bodies become `Error::Api`, any other",
        " status `Error::UnexpectedStatus` (status, rate-limit headers, body text), and a body",
        " that is not the documented JSON `Error::Decode` (status and an excerpt).",
        "",
        " Every call is bounded: each attempt by a timeout (30 s), the whole call, retries and",
        " waits included, by a deadline (2 min); set them with [`ClientBuilder::timeout`] and",
        " [`ClientBuilder::deadline`], or per call with [`Client::with_timeout`] and",
        " [`Client::with_deadline`]. A call out of time fails with `is_timeout()`.",
        "",
        " `Debug` output never shows credentials.",
    ]
    .into_iter()
    .map(syntax::doc)
    .collect();
    attrs.push(syntax::attr_list("derive", quote!(Clone, Debug)));
    // Only operations read the timeout: without any, the field is dead code.
    let timeout_attrs = if ir.operations.is_empty() {
        vec![syntax::attr_list("allow", quote!(dead_code))]
    } else {
        Vec::new()
    };
    let duration = || syntax::named_type("::std::time::Duration");
    let fields = vec![
        syntax::named_field(Vec::new(), false, "api", rt_type("ApiClient")),
        syntax::named_field(
            timeout_attrs.clone(),
            false,
            "timeout",
            syntax::generic_type("Option", [duration()]),
        ),
        syntax::named_field(
            timeout_attrs,
            false,
            "deadline",
            syntax::generic_type("Option", [duration()]),
        ),
    ];
    let mut items = Items::default();
    items.push(syntax::item_struct(attrs, "Client", fields));
    items.extend(emit_builder(ir, &rt));

    let from_api_doc =
        format!(" A client over an already configured [`ApiClient`]({doc_text}::ApiClient).");
    let self_api = || syntax::field(syntax::var("self"), "api");
    let mut client_items = vec![
        syntax::Method {
            attrs: vec![syntax::doc(&from_api_doc)],
            public: true,
            name: ident("from_api"),
            receiver: syntax::SelfArg::None,
            args: vec![(ident("api"), rt_type("ApiClient"))],
            output: Some(syntax::named_type("Self")),
            body: vec![syntax::tail(syntax::struct_expr(
                "Self",
                [("api", syntax::var("api")), ("timeout", syntax::var("None")), ("deadline", syntax::var("None"))],
            ))],
        }
        .build(),
        syntax::Method {
            attrs: vec![syntax::doc(" The underlying runtime client.")],
            public: true,
            name: ident("api"),
            receiver: syntax::SelfArg::Ref,
            args: Vec::new(),
            output: Some(syntax::reference(rt_type("ApiClient"))),
            body: vec![syntax::tail(syntax::borrow(self_api()))],
        }
        .build(),
        syntax::Method {
            attrs: vec![
                syntax::doc(" A copy of this client whose calls give each attempt `timeout` (overriding the"),
                syntax::doc(" client-wide timeout): `client.with_timeout(d).operation(..)` for one call."),
                syntax::attr_word("must_use"),
            ],
            public: true,
            name: ident("with_timeout"),
            receiver: syntax::SelfArg::Ref,
            args: vec![(ident("timeout"), duration())],
            output: Some(syntax::named_type("Self")),
            body: vec![syntax::tail(syntax::struct_expr(
                "Self",
                [
                    ("api", syntax::method_call(self_api(), "clone", [])),
                    ("timeout", syntax::call(syntax::var("Some"), [syntax::var("timeout")])),
                    ("deadline", syntax::field(syntax::var("self"), "deadline")),
                ],
            ))],
        }
        .build(),
        syntax::Method {
            attrs: vec![
                syntax::doc(" A copy of this client whose calls end by `deadline`, retries and waits included"),
                syntax::doc(" (overriding the client-wide deadline): `client.with_deadline(d).operation(..)`"),
                syntax::doc(" for one call."),
                syntax::attr_word("must_use"),
            ],
            public: true,
            name: ident("with_deadline"),
            receiver: syntax::SelfArg::Ref,
            args: vec![(ident("deadline"), duration())],
            output: Some(syntax::named_type("Self")),
            body: vec![syntax::tail(syntax::struct_expr(
                "Self",
                [
                    ("api", syntax::method_call(self_api(), "clone", [])),
                    ("timeout", syntax::field(syntax::var("self"), "timeout")),
                    ("deadline", syntax::call(syntax::var("Some"), [syntax::var("deadline")])),
                ],
            ))],
        }
        .build(),
    ];
    client_items.extend(methods);
    items.push(syntax::item_impl(
        None,
        syntax::named_type("Client"),
        client_items,
    ));
    items.extend(types);
    items
}

/// `ClientBuilder`, its methods, and `Client::builder` with one constructor per server.
fn emit_builder(ir: &Ir, rt: &syn::Path) -> Items {
    let rt_text = syntax::path_text(rt);
    let rt_type = |name: &str| syntax::named_type(&format!("{rt_text}::{name}"));
    let rt_expr = |name: &str| syntax::var(&format!("{rt_text}::{name}"));
    let mut scope = crate::names::Scope::with_reserved([
        "builder",
        "from_api",
        "api",
        "with_timeout",
        "with_deadline",
    ]);
    for op in &ir.operations {
        scope.claim(op.rust_name.clone());
    }
    let mut constructors = vec![syntax::Method {
        attrs: vec![
            syntax::doc(" A builder for a client of the API at `base_url` (any server: production, a proxy,"),
            syntax::doc(" or a local test server)."),
        ],
        public: true,
        name: ident("builder"),
        receiver: syntax::SelfArg::None,
        args: vec![(ident("base_url"), syntax::impl_trait("Into", syntax::named_type("String")))],
        output: Some(syntax::named_type("ClientBuilder")),
        body: vec![syntax::tail(syntax::struct_expr(
            "ClientBuilder",
            [("inner", syntax::call(rt_expr("ApiClient::builder"), [syntax::var("base_url")]))],
        ))],
    }
    .build()];
    for (index, server) in ir.servers.iter().enumerate() {
        let wanted = if let Some(name) = &server.constructor {
            name.clone()
        } else if server.variables.is_empty() {
            format!("for_server_{index}")
        } else {
            format!(
                "for_{}",
                server
                    .variables
                    .iter()
                    .map(|v| v.rust_name.trim_end_matches('_'))
                    .collect::<Vec<_>>()
                    .join("_")
            )
        };
        let name = scope.claim(wanted);
        let args = server
            .variables
            .iter()
            .map(|v| {
                (
                    ident(&v.rust_name),
                    syntax::reference(syntax::named_type("str")),
                )
            })
            .collect();
        let mut format_str = server.url.clone();
        let mut format_args = Vec::new();
        let mut body = Vec::new();
        for var in &server.variables {
            let placeholder = format!("{{{}}}", var.name);
            if !format_str.contains(&placeholder) {
                body.push(syntax::let_stmt(
                    syntax::pat_wild(),
                    None,
                    syntax::var(&var.rust_name),
                ));
                continue;
            }
            // Positional (`{0}`), so variables may appear in any order in the URL.
            format_str =
                format_str.replace(&placeholder, &format!("\u{0}{}\u{1}", format_args.len()));
            // Percent-encoded, so that a value cannot change the URL's structure: `evil.test/`
            // cannot move the host (the builder then refuses the URL).
            let arg = ident(&var.rust_name);
            let rt_tokens = rt.to_token_stream();
            format_args.push(quote!(#rt_tokens::encode_path_segment(#arg)));
        }
        let format_str = format_str
            .replace('{', "{{")
            .replace('}', "}}")
            .replace('\u{0}', "{")
            .replace('\u{1}', "}");
        let url = if format_args.is_empty() {
            syntax::lit_str(&server.url)
        } else {
            syntax::macro_call("format", quote!(#format_str, #(#format_args),*))
        };
        body.push(syntax::tail(syntax::call(
            syntax::var("Self::builder"),
            [url],
        )));
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
        let mut attrs = vec![syntax::doc(&doc)];
        let defaults: Vec<String> = server
            .variables
            .iter()
            .map(|v| format!("`{}` defaults to `{}`", v.name, v.default))
            .collect();
        if !defaults.is_empty() {
            attrs.push(syntax::doc(""));
            attrs.push(syntax::doc(&format!(
                " In the description, {}.",
                defaults.join(", ")
            )));
        }
        constructors.push(
            syntax::Method {
                attrs,
                public: true,
                name: ident(&name),
                receiver: syntax::SelfArg::None,
                args,
                output: Some(syntax::named_type("ClientBuilder")),
                body,
            }
            .build(),
        );
    }

    // `pub fn name(self, args) -> Self { Self { inner: self.inner.name(args) } }`.
    let forward = |doc: &str, name: &str, args: Vec<(&str, syn::Type)>| {
        let call_args: Vec<syn::Expr> = args.iter().map(|(arg, _)| syntax::var(arg)).collect();
        let inner =
            syntax::method_call(syntax::field(syntax::var("self"), "inner"), name, call_args);
        syntax::Method {
            attrs: vec![syntax::doc(doc)],
            public: true,
            name: ident(name),
            receiver: syntax::SelfArg::Value,
            args: args.into_iter().map(|(arg, ty)| (ident(arg), ty)).collect(),
            output: Some(syntax::named_type("Self")),
            body: vec![syntax::tail(syntax::struct_expr(
                "Self",
                [("inner", inner)],
            ))],
        }
        .build()
    };
    let secret = || syntax::impl_trait("Into", rt_type("Secret"));
    let build = syntax::method_call(
        syntax::method_call(
            syntax::method_call(syntax::field(syntax::var("self"), "inner"), "build", []),
            "map",
            [syntax::var("Client::from_api")],
        ),
        "map_err",
        [rt_expr("Error::into_any_body")],
    );
    let error = syntax::path_type(syntax::with_args(
        syntax::path(&format!("{rt_text}::Error")),
        [syntax::named_type("::std::convert::Infallible")],
    ));
    let builder_methods = vec![
        forward(" Credentials for every operation that needs them.", "auth", vec![("auth", rt_type("Auth"))]),
        forward(" `Authorization: Bearer <token>` (an API key or an OAuth2 access token).", "bearer_token", vec![("token", secret())]),
        forward(" HTTP Basic credentials.", "basic_auth", vec![("username", secret()), ("password", secret())]),
        forward(
            " The timeout of each attempt (connect to end of body); 30 s unless set.",
            "timeout",
            vec![("timeout", syntax::named_type("::std::time::Duration"))],
        ),
        forward(
            " The deadline of each call, every retry and wait included; 2 min unless set.",
            "deadline",
            vec![("deadline", syntax::named_type("::std::time::Duration"))],
        ),
        forward(
            " How long connecting (TCP and TLS) may take with the default transport; 10 s unless set.",
            "connect_timeout",
            vec![("connect_timeout", syntax::named_type("::std::time::Duration"))],
        ),
        forward(" How `429` and transient failures are retried.", "retry_policy", vec![("policy", rt_type("RetryPolicy"))]),
        forward(" Another HTTP stack or middleware.", "transport", vec![("transport", syntax::impl_path(syntax::path(&format!("{rt_text}::Transport"))))]),
        forward(" The `User-Agent` header.", "user_agent", vec![("user_agent", syntax::impl_trait("Into", syntax::named_type("String")))]),
        syntax::Method {
            attrs: vec![syntax::doc(" Builds the client; fails on a base URL that is not absolute `http(s)`.")],
            public: true,
            name: ident("build"),
            receiver: syntax::SelfArg::Value,
            args: Vec::new(),
            output: Some(syntax::generic_type("Result", [syntax::named_type("Client"), error])),
            body: vec![syntax::tail(build)],
        }
        .build(),
    ];

    let attrs = vec![
        syntax::doc(" Configures a [`Client`]: credentials, timeouts, retries, transport."),
        syntax::attr_list("derive", quote!(Debug)),
        syntax::attr_word("must_use"),
    ];
    let mut items = Items::default();
    items.push(syntax::item_struct(
        attrs,
        "ClientBuilder",
        vec![syntax::named_field(
            Vec::new(),
            false,
            "inner",
            rt_type("ApiClientBuilder"),
        )],
    ));
    items.push(syntax::item_impl(
        None,
        syntax::named_type("ClientBuilder"),
        builder_methods,
    ));
    items.push(syntax::item_impl(
        None,
        syntax::named_type("Client"),
        constructors,
    ));
    items
}

/// How a documented outcome is typed.
struct Outcomes<'a> {
    success: Vec<&'a crate::ir::ResponseDef>,
    errors: Vec<&'a crate::ir::ResponseDef>,
}

fn outcomes(op: &Operation) -> Outcomes<'_> {
    let (success, errors) = op
        .responses
        .iter()
        .partition(|r| r.status.is_some_and(|s| (100..400).contains(&s)));
    Outcomes { success, errors }
}

fn status_pattern(response: &crate::ir::ResponseDef) -> syn::Pat {
    match response.status {
        Some(code) if code % 100 == 0 && response.rust_name.ends_with("xx") => {
            syntax::pat_range_inclusive(
                syntax::lit_int(&format!("{code}u16")),
                syntax::lit_int(&format!("{}u16", code + 99)),
            )
        }
        Some(code) => syntax::pat_lit(syntax::lit_int(&format!("{code}u16"))),
        None => syntax::pat_wild(),
    }
}

/// An enum with one variant per documented response (holding its body, when typed).
fn outcome_enum(
    ir: &Ir,
    rt: &syn::Path,
    name: &str,
    doc: &str,
    responses: &[&crate::ir::ResponseDef],
) -> syn::Item {
    let variants = responses
        .iter()
        .map(|r| {
            syntax::variant(
                docs(r.docs.as_deref()),
                &r.rust_name,
                response_body_type(ir, r, rt),
            )
        })
        .collect();
    let attrs = vec![
        syntax::doc(doc),
        syntax::attr_list("derive", quote!(Debug, Clone, PartialEq)),
    ];
    syntax::item_enum(attrs, name, variants)
}

fn emit_operation(ir: &Ir, op: &Operation, rt: &syn::Path) -> (Items, Vec<syn::ImplItem>) {
    let rtp = |name: &str| syntax::path(&format!("{}::{name}", syntax::path_text(rt)));
    let rte = |name: &str| syntax::expr_path(rtp(name));
    let stem = &op.type_stem;
    let outcomes = outcomes(op);
    let mut types = Items::default();

    // Result type.
    let typed_success: Vec<_> = outcomes.success.iter().collect();
    let ok_name = format!("{stem}Response");
    let (ok_ty, single_success) = match typed_success.as_slice() {
        [] => (syntax::unit_type(), true),
        [only] => (
            response_body_type(ir, only, rt).unwrap_or_else(syntax::unit_type),
            true,
        ),
        _ => {
            let doc = format!(
                " The documented successful responses of `{}`.",
                op.rust_name
            );
            types.push(outcome_enum(ir, rt, &ok_name, &doc, &outcomes.success));
            (syntax::named_type(&ok_name), false)
        }
    };
    let typed_errors: Vec<syn::Type> = outcomes
        .errors
        .iter()
        .filter_map(|r| response_body_type(ir, r, rt))
        .collect();
    let distinct: BTreeSet<String> = typed_errors
        .iter()
        .map(|ty| ty.to_token_stream().to_string())
        .collect();
    let err_name = format!("{stem}Error");
    let (err_ty, error_enum) = match (typed_errors.first(), distinct.len()) {
        (None, _) => (syntax::named_type("::std::convert::Infallible"), false),
        (Some(first), 1) => (first.clone(), false),
        _ => {
            let doc = format!(" The documented error responses of `{}`.", op.rust_name);
            types.push(outcome_enum(ir, rt, &err_name, &doc, &outcomes.errors));
            (syntax::named_type(&err_name), true)
        }
    };

    // Parameters: path ones as arguments, the rest in a struct.
    let path_params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .collect();
    let other_params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .collect();
    let params_name = format!("{stem}Params");
    let has_params_struct = !other_params.is_empty();
    if has_params_struct {
        types.extend(emit_params_struct(ir, op, &params_name, &other_params));
    }

    let mut args = Vec::new();
    for p in &path_params {
        let ty = match &p.ty {
            TypeRef::String => syntax::reference(syntax::named_type("str")),
            other => ty_syn(ir, other, Form::Model),
        };
        args.push((ident(&p.rust_name), ty));
    }
    if has_params_struct {
        args.push((
            ident("params"),
            syntax::reference(syntax::named_type(&params_name)),
        ));
    }
    let request_body = op.body.as_ref().map(|b| request_body(ir, op, b, rt));
    if let Some(request_body) = &request_body {
        args.push((ident("body"), request_body.arg.clone()));
        types.extend(request_body.types.0.iter().cloned());
    }

    // The request.
    let rt_tokens = rt.to_token_stream();
    let path_expr = {
        let mut format_str = String::new();
        let mut format_args = Vec::new();
        for part in &op.path_parts {
            match part {
                PathPart::Literal(text) => {
                    format_str.push_str(&text.replace('{', "{{").replace('}', "}}"))
                }
                PathPart::Param(index) => {
                    format_str.push_str("{}");
                    let p = ident(&op.params[*index].rust_name);
                    format_args.push(quote!(#rt_tokens::encode_path_segment(&#rt_tokens::param_text(&#p).map_err(#rt_tokens::Error::Encode)?)));
                }
            }
        }
        if format_args.is_empty() {
            syntax::lit_str(&format_str)
        } else {
            syntax::macro_call("format", quote!(#format_str, #(#format_args),*))
        }
    };
    let spec = || syntax::var("spec");
    let new_spec = syntax::call(
        rte("RequestSpec::new"),
        [
            syntax::expr_path(rtp(&format!("http::Method::{}", op.method))),
            path_expr,
        ],
    );
    let operation_id = op
        .operation_id
        .clone()
        .unwrap_or_else(|| op.rust_name.clone());
    let new_spec = syntax::method_call(
        new_spec,
        "with_operation",
        [syntax::lit_str(&operation_id), syntax::lit_str(&op.path)],
    );
    let mut body = vec![
        syntax::let_stmt(syntax::pat_mut("spec"), None, new_spec),
        syntax::semi(syntax::assign(
            syntax::field(spec(), "authenticated"),
            syntax::lit_bool(op.authenticated),
        )),
        syntax::semi(syntax::assign(
            syntax::field(spec(), "timeout"),
            syntax::field(syntax::var("self"), "timeout"),
        )),
        syntax::semi(syntax::assign(
            syntax::field(spec(), "deadline"),
            syntax::field(syntax::var("self"), "deadline"),
        )),
    ];
    body.extend(other_params.iter().flat_map(|p| param_push(p, &rte)));
    if let Some(request_body) = request_body {
        body.extend(request_body.stmts);
    }
    body.extend(accept_statement(op));
    let execute = syntax::method_call(
        syntax::field(syntax::var("self"), "api"),
        "execute",
        [spec()],
    );
    let response = syntax::try_(syntax::method_call(
        syntax::await_(execute),
        "map_err",
        [rte("Error::into_any")],
    ));
    body.push(syntax::let_stmt(syntax::pat("response"), None, response));

    // Decoding.
    let mut ordered: Vec<&crate::ir::ResponseDef> = op.responses.iter().collect();
    ordered.sort_by_key(|r| match r.status {
        Some(_) if r.rust_name.ends_with("xx") => 1,
        Some(_) => 0,
        None => 2,
    });
    let decode = |r: &crate::ir::ResponseDef| response_decode(ir, r, rt, &err_ty);
    let ok = |value: syn::Expr| syntax::call(syntax::var("Ok"), [value]);
    let api_error = |body: syn::Expr| {
        syntax::call(
            syntax::var("Err"),
            [syntax::call(
                rte("api_error"),
                [syntax::borrow(syntax::var("response")), body],
            )],
        )
    };
    let variant = |enum_name: &str, v: &str| syntax::join(&syntax::path(enum_name), v);
    let mut arms: Vec<(syn::Pat, syn::Expr)> = Vec::new();
    for r in ordered {
        let pattern = status_pattern(r);
        let is_success = r.status.is_some_and(|s| (100..400).contains(&s));
        if is_success {
            let value = decode(r);
            let result = match (single_success, value) {
                (true, value) => ok(value.unwrap_or_else(syntax::unit)),
                (false, Some(value)) => ok(syntax::call(
                    syntax::expr_path(variant(&ok_name, &r.rust_name)),
                    [value],
                )),
                (false, None) => ok(syntax::expr_path(variant(&ok_name, &r.rust_name))),
            };
            arms.push((pattern, result));
        } else {
            let body = match (decode(r), error_enum) {
                (Some(value), false) => value,
                (Some(value), true) => {
                    syntax::call(syntax::expr_path(variant(&err_name, &r.rust_name)), [value])
                }
                (None, true) => syntax::expr_path(variant(&err_name, &r.rust_name)),
                (None, false) => continue,
            };
            arms.push((pattern, api_error(body)));
        }
    }
    if outcomes.success.is_empty() {
        // No success documented (e.g. `responses: {}`): any 2xx still means it worked.
        arms.insert(
            0,
            (
                syntax::pat_range_inclusive(syntax::lit_int("200"), syntax::lit_int("299")),
                ok(syntax::unit()),
            ),
        );
    }
    let has_wildcard = op
        .responses
        .iter()
        .any(|r| r.status.is_none() && (r.has_body() || error_enum));
    let unexpected = || {
        syntax::call(
            syntax::var("Err"),
            [syntax::call(rte("unexpected"), [syntax::var("response")])],
        )
    };
    // No arm besides the fallback: nothing to match on (a lone `_` arm is a clippy warning).
    let decode = if arms.is_empty() && !has_wildcard {
        unexpected()
    } else {
        if !has_wildcard {
            arms.push((syntax::pat_wild(), unexpected()));
        }
        let status = syntax::method_call(
            syntax::field(syntax::var("response"), "status"),
            "as_u16",
            [],
        );
        syntax::match_expr(status, arms)
    };
    body.push(syntax::tail(decode));

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
    let mut attrs = docs(Some(&doc));
    if op.deprecated {
        attrs.push(syntax::doc(""));
        attrs.push(syntax::doc(" Deprecated by the API."));
    }
    let error = syntax::path_type(syntax::with_args(rtp("Error"), [err_ty.clone()]));
    let method = syntax::Method {
        attrs,
        public: true,
        name: ident(&op.rust_name),
        receiver: syntax::SelfArg::Ref,
        args,
        output: Some(syntax::generic_type("Result", [ok_ty, error])),
        body,
    };
    let mut methods = vec![method.build_async()];
    let err_tokens = err_ty.to_token_stream();
    let streams = op
        .pagination
        .as_ref()
        .map(|p| emit_streams(ir, op, p, &ident(&params_name), &err_tokens, &rt_tokens));
    for stream in streams.into_iter().flatten() {
        methods.push(syntax::parse_impl_item(stream));
    }
    (types, methods)
}

/// The statements that add one query/header parameter to `spec`.
fn param_push(p: &Param, rte: &dyn Fn(&str) -> syn::Expr) -> Vec<syn::Stmt> {
    let target = || {
        syntax::field(
            syntax::var("spec"),
            if p.location == ParamLocation::Header {
                "headers"
            } else {
                "query"
            },
        )
    };
    let wire = || syntax::method_call(syntax::lit_str(&p.wire_name), "to_owned", []);
    let encoded = |func: &str, value: syn::Expr| {
        syntax::try_(syntax::method_call(
            syntax::call(rte(func), [value]),
            "map_err",
            [rte("Error::Encode")],
        ))
    };
    let push_one = |value: syn::Expr| {
        let text = match p.encoding {
            ParamEncoding::Json => encoded("serde_json::to_string", value),
            ParamEncoding::Plain { .. } => encoded("param_text", value),
        };
        syntax::semi(syntax::method_call(
            target(),
            "push",
            [syntax::tuple([wire(), text])],
        ))
    };
    let is_array = matches!(p.ty, TypeRef::Vec(_)) && p.encoding != ParamEncoding::Json;
    let explode = matches!(p.encoding, ParamEncoding::Plain { explode: true });
    let emit_value = |value: syn::Expr| -> Vec<syn::Stmt> {
        if is_array && explode {
            vec![syntax::for_loop(
                syntax::pat("item"),
                value,
                vec![push_one(syntax::var("item"))],
            )]
        } else if is_array {
            let joined = || syntax::var("joined");
            vec![
                syntax::let_stmt(
                    syntax::pat_mut("joined"),
                    None,
                    syntax::call(syntax::var("Vec::new"), []),
                ),
                syntax::for_loop(
                    syntax::pat("item"),
                    value,
                    vec![syntax::semi(syntax::method_call(
                        joined(),
                        "push",
                        [encoded("param_text", syntax::var("item"))],
                    ))],
                ),
                syntax::semi(syntax::method_call(
                    target(),
                    "push",
                    [syntax::tuple([
                        wire(),
                        syntax::method_call(joined(), "join", [syntax::lit_str(",")]),
                    ])],
                )),
            ]
        } else {
            vec![push_one(value)]
        }
    };
    let field = syntax::field(syntax::var("params"), &p.rust_name);
    if p.required {
        emit_value(syntax::borrow(field))
    } else {
        vec![syntax::if_let(
            syntax::pat_tuple_struct("Some", [syntax::pat("value")]),
            syntax::borrow(field),
            emit_value(syntax::var("value")),
        )]
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

/// The Rust type of a non-path parameter, and for array parameters the item type.
///
/// An array with `uniqueItems: true` whose items are ordered is a `BTreeSet`: duplicates cannot
/// be expressed and the order on the wire is fixed (the items' order).
fn param_ty(ir: &Ir, p: &Param) -> (syn::Type, Option<syn::Type>) {
    match &p.ty {
        TypeRef::Vec(item) => {
            let item_ty = ty_syn(ir, item, Form::Model);
            let ty = if p.unique_items && is_ordered(ir, item) {
                syntax::generic_type("::std::collections::BTreeSet", [item_ty.clone()])
            } else {
                syntax::generic_type("Vec", [item_ty.clone()])
            };
            (ty, Some(item_ty))
        }
        other => (ty_syn(ir, other, Form::Model), None),
    }
}

fn emit_params_struct(ir: &Ir, op: &Operation, name: &str, params: &[&Param]) -> Items {
    let all_optional = params.iter().all(|p| !p.required);
    let fields = params
        .iter()
        .map(|p| {
            let (ty, _) = param_ty(ir, p);
            let ty = if p.required {
                ty
            } else {
                syntax::generic_type("Option", [ty])
            };
            syntax::named_field(docs(p.docs.as_deref()), true, &p.rust_name, ty)
        })
        .collect();
    let setters = params
        .iter()
        .filter(|_| all_optional)
        .map(|p| {
            let (ty, item) = param_ty(ir, p);
            match item {
                Some(item) => {
                    let doc = format!(" Sets `{}` from any collection of values (an array, a `Vec`, an iterator).", p.wire_name);
                    let values = syntax::method_call(
                        syntax::method_call(syntax::method_call(syntax::var("values"), "into_iter", []), "map", [syntax::var("Into::into")]),
                        "collect",
                        [],
                    );
                    let args = vec![(ident("values"), syntax::impl_into_iter_of_into(item))];
                    chained(&doc, &p.rust_name, args, &p.rust_name, syntax::call(syntax::var("Some"), [values]))
                }
                None => setter(&format!(" Sets `{}`.", p.wire_name), &p.rust_name, &p.rust_name, ty, syntax::path("Some")),
            }
        })
        .collect();
    let default = if all_optional {
        quote!(Default,)
    } else {
        TokenStream::new()
    };
    let doc = format!(
        " Query and header parameters of [`Client::{}`].",
        op.rust_name
    );
    let attrs = vec![
        syntax::doc(&doc),
        syntax::attr_list("derive", quote!(Debug, Clone, PartialEq, #default)),
    ];
    let mut items = Items::default();
    items.push(syntax::item_struct(attrs, name, fields));
    items.push(syntax::item_impl(None, syntax::named_type(name), setters));
    items
}

/// The fields along `path` (Rust names), starting in `body`.
fn walk<'a>(ir: &'a Ir, body: &'a crate::ir::StructDef, path: &[String]) -> Option<Vec<&'a Field>> {
    let mut current = body;
    let mut fields = Vec::new();
    for (i, name) in path.iter().enumerate() {
        let field = current.fields.iter().find(|f| &f.rust_name == name)?;
        fields.push(field);
        if i + 1 < path.len() {
            let TypeRef::Named(id) = field.ty else {
                return None;
            };
            let TypeKind::Struct(next) = &ir.ty(id).kind else {
                return None;
            };
            current = next;
        }
    }
    Some(fields)
}

/// `Option<bool>`: the boolean at the end of `fields`, read from `body`, `None` when a step
/// on the way is absent.
fn optional_chain(fields: &[&Field]) -> TokenStream {
    let optional = |f: &Field| !matches!(shape(f, Form::Model), Shape::Plain);
    let (leaf, steps) = fields.split_last().expect("a path has a field");
    let mut expr: Option<TokenStream> = None;
    for field in steps {
        let name = ident(&field.rust_name);
        expr = Some(match (expr, optional(field)) {
            (None, true) => quote!(body.#name.as_ref()),
            (None, false) => quote!(Some(&body.#name)),
            (Some(e), true) => quote!(#e.and_then(|v| v.#name.as_ref())),
            (Some(e), false) => quote!(#e.map(|v| &v.#name)),
        });
    }
    let name = ident(&leaf.rust_name);
    match (expr, optional(leaf)) {
        (None, true) => quote!(body.#name),
        (None, false) => quote!(Some(body.#name)),
        (Some(e), true) => quote!(#e.and_then(|v| v.#name)),
        (Some(e), false) => quote!(#e.map(|v| v.#name)),
    }
}

/// `{op}_pages` (whole list bodies, page after page) and `{op}_stream` (their items) for a
/// paginated list operation.
fn emit_streams(
    ir: &Ir,
    op: &Operation,
    pagination: &crate::ir::Pagination,
    params_name: &proc_macro2::Ident,
    err_ty: &TokenStream,
    rt: &TokenStream,
) -> Vec<TokenStream> {
    let (Some(body_ty), Some(page_param)) = (
        op.responses
            .iter()
            .find(|r| r.status.is_some_and(|s| (200..300).contains(&s)))
            .and_then(|r| r.ty.as_ref()),
        op.params.get(pagination.page_param),
    ) else {
        return Vec::new();
    };
    let TypeRef::Named(body_id) = body_ty else {
        return Vec::new();
    };
    let TypeKind::Struct(body) = &ir.ty(*body_id).kind else {
        return Vec::new();
    };
    let Some(items_field) = body
        .fields
        .iter()
        .find(|f| f.rust_name == pagination.items_field)
    else {
        return Vec::new();
    };
    let more_paths: Vec<Vec<&Field>> = pagination
        .has_more
        .iter()
        .filter_map(|path| walk(ir, body, path))
        .collect();
    if more_paths.is_empty() {
        return Vec::new();
    }
    // An operation of the same name as a stream method keeps its name; the streams give way.
    let (pages_text, stream_text) = (
        format!("{}_pages", op.rust_name),
        format!("{}_stream", op.rust_name),
    );
    if ir
        .operations
        .iter()
        .any(|o| o.rust_name == pages_text || o.rust_name == stream_text)
    {
        return Vec::new();
    }

    let items_name = ident(&items_field.rust_name);
    let items_optional = !matches!(shape(items_field, Form::Model), Shape::Plain);
    let (take_items, non_empty) = if items_optional {
        (
            quote!(body.#items_name.unwrap_or_default()),
            quote!(body.#items_name.as_ref().is_some_and(|items| !items.is_empty())),
        )
    } else {
        (
            quote!(body.#items_name),
            quote!(!body.#items_name.is_empty()),
        )
    };
    // One `Option<bool>` per place that can say so; the first one present decides.
    let more_names: Vec<proc_macro2::Ident> = (0..more_paths.len())
        .map(|i| ident(&format!("more_{i}")))
        .collect();
    let more_chains: Vec<TokenStream> = more_paths
        .iter()
        .map(|fields| optional_chain(fields))
        .collect();
    let first_more = &more_names[0];
    let other_more = &more_names[1..];
    let more_doc = more_paths
        .iter()
        .map(|fields| {
            format!(
                "`{}`",
                fields
                    .iter()
                    .map(|f| f.wire_name.as_str())
                    .collect::<Vec<_>>()
                    .join(".")
            )
        })
        .collect::<Vec<_>>()
        .join(", else ");

    // Path parameters: `&str` ones are copied into each page's request, the others cloned.
    let path_params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .collect();
    let path_args: Vec<TokenStream> = path_params
        .iter()
        .map(|p| {
            let name = ident(&p.rust_name);
            match &p.ty {
                TypeRef::String => quote!(#name: &'a str),
                other => {
                    let ty = ty_tokens(ir, other, Form::Model);
                    quote!(#name: #ty)
                }
            }
        })
        .collect();
    let path_clones: Vec<TokenStream> = path_params
        .iter()
        .filter(|p| p.ty != TypeRef::String)
        .map(|p| {
            let name = ident(&p.rust_name);
            quote!(let #name = ::std::clone::Clone::clone(&#name);)
        })
        .collect();
    let path_names: Vec<proc_macro2::Ident> =
        path_params.iter().map(|p| ident(&p.rust_name)).collect();

    let page_field = ident(&page_param.rust_name);
    let page_ty = ty_tokens(ir, &page_param.ty, Form::Model);
    let body_ty = ty_tokens(ir, body_ty, Form::Model);
    let item_ty = ty_tokens(ir, &pagination.item_ty, Form::Model);
    let method = ident(&op.rust_name);
    let pages_name = ident(&pages_text);
    let stream_name = ident(&stream_text);
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
    let pages_doc = format!(
        " Every page of [`Client::{}`] as a whole body (items, included objects, paging information), \
         page after page while {more_doc} says more pages follow and the page had items.",
        op.rust_name
    );
    let stream_doc = format!(
        " Every item of [`Client::{}`], page after page (see [`Client::{}_pages`]).",
        op.rust_name, op.rust_name
    );
    let pages = quote! {
        #[doc = #pages_doc]
        ///
        /// Starts at the page set in `params` (or the first); stops after the first error.
        pub fn #pages_name<'a>(&'a self, #(#path_args,)* params: #params_name)
            -> impl #rt::Stream<Item = Result<#body_ty, #rt::Error<#err_ty>>> + 'a
        {
            let first = u32::try_from(#first).unwrap_or(1);
            #rt::pages(first, move |page| {
                let mut params = params.clone();
                let page_value = <#page_ty>::try_from(page).unwrap_or(<#page_ty>::MAX);
                #set_page
                #(#path_clones)*
                async move {
                    let body = self.#method(#(#path_names,)* &params).await?;
                    #(let #more_names = #more_chains;)*
                    let more = #first_more #(.or(#other_more))*.unwrap_or(false) && #non_empty;
                    Ok((body, more))
                }
            })
        }
    };
    let stream = quote! {
        #[doc = #stream_doc]
        ///
        /// Starts at the page set in `params` (or the first); stops after the first error.
        pub fn #stream_name<'a>(&'a self, #(#path_args,)* params: #params_name)
            -> impl #rt::Stream<Item = Result<#item_ty, #rt::Error<#err_ty>>> + 'a
        {
            #rt::items(self.#pages_name(#(#path_names,)* params), |body| #take_items)
        }
    };
    vec![pages, stream]
}
