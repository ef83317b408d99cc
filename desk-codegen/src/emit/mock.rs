//! The `mock` module: a typed mock server for tests, thin over `desk_runtime::mock`.
//!
//! Every name comes from the IR ([`OperationMock`]): the server type, one server method per
//! operation, and per operation a *when* type (one method per parameter, and for the body) and
//! a *then* type (one method per documented response, one per documented header). Matching,
//! answering, faults and verification are the runtime's; the fixed methods of the *when* and
//! *then* types come from its `mock_when!` and `mock_then!` macros.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::client::{collection, form_collections, param_type};
use super::syntax::Items;
use super::{docs, ident, ty_tokens, EmitOptions, Form};
use crate::ir::{
    BodyForm, BodyKind, Ir, KeyLocation, MockHeader, Operation, Param, ParamArg, ParamEncoding,
    ParamLocation, ResponseContent, ResponseDef, ResponseMethod,
};

/// Emits the server type, its table of operations and, per operation, its *when* and *then*
/// types.
pub fn emit(ir: &Ir, options: &EmitOptions) -> Items {
    let runtime = &options.runtime_path;
    let mut items = Items::default();
    items.push_tokens(quote!(use #runtime::mock as rt;));
    items.push_tokens(server(ir));
    for op in &ir.operations {
        items.push_tokens(when_type(ir, op, runtime));
        items.push_tokens(then_type(ir, op, runtime));
    }
    items
}

/// The server: start, a client for it, the API table, one method per operation, and the
/// runtime server's own methods through `Deref`.
fn server(ir: &Ir) -> TokenStream {
    let name = ident(&ir.mock_server);
    let title = &ir.title;
    let doc = docs(Some(&format!(
        "A mock server of {title} for tests, on `127.0.0.1`: one method per operation registers a typed mock of it (a *when* with the operation's parameters and body as their Rust types, a *then* with one method per documented response, and faults), and returns a handle that counts the calls and reads the requests back as the operation's types.\n\nA request no mock matches fails the test with a message naming the closest operation and what differs; so do canned bodies that do not decode as their documented type, and unmet expectations ([`rt::Mock::expect`]), when the server is dropped. The runtime server's methods ([`rt::MockServer`]: `uri`, `received`, `verify`, `connections`, ...) are reached through `Deref`."
    )));
    let credentials = ir.api_keys.iter().map(|key| {
        let name = &key.name;
        match key.location {
            KeyLocation::Header => quote!(rt::Credential::Header(#name)),
            KeyLocation::Query => quote!(rt::Credential::Query(#name)),
        }
    });
    let operations = ir.operations.iter().map(|op| operation_entry(ir, op));
    let methods = ir.operations.iter().map(|op| server_method(ir, op));
    quote! {
        #(#doc)*
        #[derive(Debug)]
        pub struct #name(rt::MockServer);

        impl #name {
            /// Starts a server on `127.0.0.1` and an ephemeral port, on a thread of its own.
            pub fn start() -> Self {
                Self(rt::MockServer::start(&Self::API))
            }

            /// A builder for a [`Client`] of this server (set credentials, timeouts and the
            /// retry policy on it, then `build()`).
            pub fn client(&self) -> ClientBuilder {
                Client::builder(self.0.uri())
            }

            /// The operations, as the server routes and names them.
            const API: rt::Api = rt::Api {
                title: #title,
                operations: &[#(#operations),*],
                credentials: &[#(#credentials),*],
            };

            #(#methods)*
        }

        impl ::std::ops::Deref for #name {
            type Target = rt::MockServer;

            fn deref(&self) -> &rt::MockServer {
                &self.0
            }
        }
    }
}

/// One entry of the API table.
fn operation_entry(ir: &Ir, op: &Operation) -> TokenStream {
    let name = &op.rust_name;
    let id = &op.span_name;
    let method = op.method.as_str();
    let path = &op.path;
    let authenticated = op.authenticated;
    let responses = op.responses.iter().map(|r| {
        let status = match r.status {
            Some(status) => {
                let status = Literal::u16_unsuffixed(status);
                quote!(Some(#status))
            }
            None => quote!(None),
        };
        let range = r.range;
        let check = match (&r.content, &r.ty) {
            (ResponseContent::Json, Some(ty)) => {
                let ty = ty_tokens(ir, ty, Form::Model);
                quote!(Some(rt::check::<#ty>))
            }
            _ => quote!(None),
        };
        quote!(rt::Documented { status: #status, range: #range, check: #check })
    });
    quote! {
        rt::Operation {
            name: #name,
            id: #id,
            method: #method,
            path: #path,
            authenticated: #authenticated,
            responses: &[#(#responses),*],
        }
    }
}

/// The server method of one operation: build its *when* and *then*, let the test fill them in,
/// register them with a reader of the operation's parameters.
fn server_method(ir: &Ir, op: &Operation) -> TokenStream {
    let mock = &op.mock;
    let method = ident(&mock.method);
    let when = ident(&mock.when_type);
    let then = ident(&mock.then_type);
    let name = &op.rust_name;
    let params = match &op.params_type {
        Some(params) => {
            let params = ident(&params.name);
            quote!(#params)
        }
        None => quote!(()),
    };
    let body = match &op.body {
        Some(body) if body.kind == BodyKind::Json => match &body.ty {
            Some(ty) => ty_tokens(ir, ty, body_form(body.form)),
            None => quote!(rt::NoBody),
        },
        _ => quote!(rt::NoBody),
    };
    let reader = params_reader(op);
    let doc = format!(
        " Mocks [`Client::{}`] (`{} {}`): `mock` says what a request must carry ([`{}`]) and what to answer ([`{}`]).",
        op.rust_name, op.method, op.path, mock.when_type, mock.then_type
    );
    quote! {
        #[doc = #doc]
        #[track_caller]
        pub fn #method(
            &self,
            mock: impl FnOnce(&mut #when, &mut #then),
        ) -> rt::Mock<#params, #body> {
            let mut when = #when(self.0.when(#name));
            let mut then = #then(self.0.then(#name));
            mock(&mut when, &mut then);
            self.0.register(when.0, then.0, #reader)
        }
    }
}

fn body_form(form: BodyForm) -> Form {
    match form {
        BodyForm::Patch => Form::Patch,
        BodyForm::Create => Form::Create,
    }
}

/// Reads a received request's query and header parameters into the operation's parameter
/// struct (`()` without one).
fn params_reader(op: &Operation) -> TokenStream {
    let Some(params) = &op.params_type else {
        return quote!(|_| Ok(()));
    };
    let params = ident(&params.name);
    let fields = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| {
            let field = ident(&p.rust_name);
            let wire = &p.wire_name;
            let header = p.location == ParamLocation::Header;
            let read = match &p.encoding {
                ParamEncoding::Collection(items) => {
                    let items = collection(items);
                    if header {
                        quote!(request.header_collection(#wire, #items)?)
                    } else {
                        quote!(request.query_collection(#wire, #items)?)
                    }
                }
                ParamEncoding::Json if header => quote!(request.header_json(#wire)?),
                ParamEncoding::Json => quote!(request.query_json(#wire)?),
                ParamEncoding::Plain { explode } if p.list.is_some() => {
                    if header {
                        quote!(request.header_list(#wire, #explode)?)
                    } else {
                        quote!(request.query_list(#wire, #explode)?)
                    }
                }
                ParamEncoding::Plain { .. } if header => quote!(request.header(#wire)?),
                ParamEncoding::Plain { .. } => quote!(request.query(#wire)?),
            };
            if p.required {
                quote!(#field: request.require(#read, #wire)?)
            } else {
                quote!(#field: #read)
            }
        });
    quote!(|request| Ok(#params { #(#fields,)* }))
}

/// The *when* type: one method per parameter (path parameters first), and for a JSON or form
/// body an exact match and (JSON) a predicate over the decoded body.
fn when_type(ir: &Ir, op: &Operation, runtime: &syn::Path) -> TokenStream {
    let mock = &op.mock;
    let name = ident(&mock.when_type);
    let doc = format!(
        " What a request to [`Client::{}`] must carry for a mock to answer it: the parameters and body set here (as the client would send them), and what the methods from `mock_when!` add (credentials, absent parameters, a predicate). Anything not set may be anything.",
        op.rust_name
    );
    let params = op
        .params
        .iter()
        .zip(&mock.param_methods)
        .map(|(p, method)| param_method(ir, p, method));
    let body = body_methods(ir, op, runtime);
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        pub struct #name(rt::When);

        impl #name {
            #(#params)*
            #body
        }

        #runtime::mock_when!(#name);
    }
}

fn param_method(ir: &Ir, p: &Param, method: &str) -> TokenStream {
    let method = ident(method);
    let wire = &p.wire_name;
    let mut doc = match p.location {
        ParamLocation::Path => format!(" Matches the path parameter `{wire}`."),
        ParamLocation::Query => format!(" Matches the query parameter `{wire}`."),
        ParamLocation::Header => format!(" Matches the header `{wire}`."),
    };
    if let Some(text) = &p.docs {
        doc.push_str("\n\n");
        doc.push_str(text.trim());
    }
    let doc = docs(Some(&doc));
    if p.location == ParamLocation::Path {
        return if let ParamEncoding::Collection(items) = &p.encoding {
            // An array, as the client takes it and joins it into one segment.
            let ty = ty_tokens(ir, &p.ty, Form::Model);
            let items = collection(items);
            quote! {
                #(#doc)*
                pub fn #method(&mut self, value: #ty) -> &mut Self {
                    self.0.path_collection(#wire, &value, #items);
                    self
                }
            }
        } else if p.arg == ParamArg::Str {
            quote! {
                #(#doc)*
                pub fn #method(&mut self, value: &str) -> &mut Self {
                    self.0.path(#wire, value);
                    self
                }
            }
        } else {
            let ty = ty_tokens(ir, &p.ty, Form::Model);
            quote! {
                #(#doc)*
                pub fn #method(&mut self, value: #ty) -> &mut Self {
                    self.0.path(#wire, &value);
                    self
                }
            }
        };
    }
    let header = p.location == ParamLocation::Header;
    let (ty, item) = param_type(ir, p);
    let call = match p.encoding {
        ParamEncoding::Collection(_) if header => quote!(header_collection),
        ParamEncoding::Collection(_) => quote!(query_collection),
        ParamEncoding::Json if header => quote!(header_json),
        ParamEncoding::Json => quote!(query_json),
        ParamEncoding::Plain { .. } if item.is_some() && header => quote!(header_list),
        ParamEncoding::Plain { .. } if item.is_some() => quote!(query_list),
        ParamEncoding::Plain { .. } if header => quote!(header),
        ParamEncoding::Plain { .. } => quote!(query),
    };
    // What the runtime's list and collection methods take besides the values.
    let explode = match &p.encoding {
        ParamEncoding::Plain { explode } if item.is_some() => quote!(, #explode),
        ParamEncoding::Collection(items) => {
            let items = collection(items);
            quote!(, #items)
        }
        _ => TokenStream::new(),
    };
    match item {
        Some(item) => quote! {
            #(#doc)*
            pub fn #method(&mut self, values: impl IntoIterator<Item = impl Into<#item>>) -> &mut Self {
                let values: #ty = values.into_iter().map(Into::into).collect();
                self.0.#call(#wire, Some(&values) #explode);
                self
            }
        },
        None => quote! {
            #(#doc)*
            pub fn #method(&mut self, value: impl Into<#ty>) -> &mut Self {
                self.0.#call(#wire, Some(&value.into()) #explode);
                self
            }
        },
    }
}

fn body_methods(ir: &Ir, op: &Operation, runtime: &syn::Path) -> TokenStream {
    let mock = &op.mock;
    let (Some(methods), Some(body)) = (&mock.body_methods, &op.body) else {
        return TokenStream::new();
    };
    let exact = ident(&methods.exact);
    let ty = body
        .ty
        .as_ref()
        .map(|ty| ty_tokens(ir, ty, body_form(body.form)));
    match (&body.kind, ty) {
        (BodyKind::Text, _) => quote! {
            /// Matches the body: this text.
            pub fn #exact(&mut self, text: impl Into<String>) -> &mut Self {
                self.0.text_body(text);
                self
            }
        },
        (BodyKind::Binary, _) => quote! {
            /// Matches the body: these bytes.
            pub fn #exact(&mut self, body: impl Into<#runtime::client::Binary>) -> &mut Self {
                self.0.bytes_body(body.into().bytes);
                self
            }
        },
        (BodyKind::Form, Some(ty)) if body.form_collections.is_empty() => quote! {
            /// Matches the body: the same form fields, in the same order, as the client sends for `body`.
            pub fn #exact(&mut self, body: impl Into<#ty>) -> &mut Self {
                self.0.form_body(&body.into());
                self
            }
        },
        (BodyKind::Form, Some(ty)) => {
            let fields = form_collections(body);
            quote! {
                /// Matches the body: the same form fields, in the same order, as the client sends for `body`.
                pub fn #exact(&mut self, body: impl Into<#ty>) -> &mut Self {
                    self.0.form_body_with(&body.into(), #fields);
                    self
                }
            }
        }
        (BodyKind::Json, Some(ty)) => {
            let doc = match body.form {
                BodyForm::Patch => " Matches the body exactly: the fields `body` sets, the ones it clears (`null`), and no other (a field it leaves out must be absent).",
                BodyForm::Create => " Matches the body exactly: the JSON the client sends for `body`.",
            };
            let matching = methods.matching.as_ref().map(|matching| {
                let matching = ident(matching);
                quote! {
                    /// Matches bodies that decode as the request type and satisfy `predicate`.
                    pub fn #matching(
                        &mut self,
                        predicate: impl Fn(&#ty) -> bool + Send + Sync + 'static,
                    ) -> &mut Self {
                        self.0.json_body_matching(predicate);
                        self
                    }
                }
            });
            quote! {
                #[doc = #doc]
                pub fn #exact(&mut self, body: impl Into<#ty>) -> &mut Self {
                    self.0.json_body(&body.into());
                    self
                }

                #matching
            }
        }
        _ => TokenStream::new(),
    }
}

/// The *then* type: one method per documented response (taking its type), one per documented
/// header, and what `mock_then!` adds (faults, repetition, untyped answers).
fn then_type(ir: &Ir, op: &Operation, runtime: &syn::Path) -> TokenStream {
    let mock = &op.mock;
    let name = ident(&mock.then_type);
    let doc = format!(
        " What a mock of [`Client::{}`] answers, call after call: one method per documented response, and from `mock_then!` the faults (rate limits, server errors, delays, a connection closed mid-body or reset), repetition (`times`, `cycle`) and untyped answers.",
        op.rust_name
    );
    let responses = op
        .responses
        .iter()
        .zip(&mock.response_methods)
        .map(|(r, answer)| response_method(ir, r, answer, runtime));
    let headers = mock.headers.iter().map(|h| header_method(ir, h));
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        pub struct #name(rt::Then);

        impl #name {
            #(#responses)*
            #(#headers)*
        }

        #runtime::mock_then!(#name);
    }
}

fn response_method(
    ir: &Ir,
    r: &ResponseDef,
    answer: &ResponseMethod,
    runtime: &syn::Path,
) -> TokenStream {
    let method = ident(&answer.name);
    let (status_arg, status, what) = match r.status {
        Some(first) if r.range => {
            let hundred = first / 100;
            (
                quote!(status: u16,),
                quote!(rt::status_in(status, #hundred)),
                format!("`{hundred}XX` (`status`, one of that hundred)"),
            )
        }
        Some(code) => {
            let code = Literal::u16_unsuffixed(code);
            (TokenStream::new(), quote!(#code), format!("`{code}`"))
        }
        None => (
            quote!(status: u16,),
            quote!(status),
            "`status` (the documented `default`)".to_owned(),
        ),
    };
    let mut doc = format!(" Answers {what}");
    if let Some(text) = &r.docs {
        doc.push_str(": ");
        doc.push_str(text.trim());
    }
    if !doc.ends_with('.') {
        doc.push('.');
    }
    let doc = docs(Some(&doc));
    let media = &answer.media_type;
    match (&r.content, &r.ty) {
        (ResponseContent::Json, Some(ty)) => {
            let ty = ty_tokens(ir, ty, Form::Model);
            quote! {
                #(#doc)*
                pub fn #method(&mut self, #status_arg body: &#ty) -> &mut Self {
                    self.0.json(#status, body);
                    self
                }
            }
        }
        (ResponseContent::Text, _) => {
            quote! {
                #(#doc)*
                pub fn #method(&mut self, #status_arg text: impl Into<String>) -> &mut Self {
                    self.0.text(#status, text, #media);
                    self
                }
            }
        }
        (ResponseContent::Binary, _) => {
            quote! {
                #(#doc)*
                pub fn #method(
                    &mut self,
                    #status_arg
                    body: impl Into<#runtime::client::Binary>,
                ) -> &mut Self {
                    self.0.binary(#status, body, #media);
                    self
                }
            }
        }
        _ => quote! {
            #(#doc)*
            pub fn #method(&mut self, #status_arg) -> &mut Self {
                self.0.empty(#status);
                self
            }
        },
    }
}

fn header_method(ir: &Ir, header: &MockHeader) -> TokenStream {
    let method = ident(&header.method);
    let wire = &header.wire_name;
    let mut doc = format!(" Sets the header `{wire}` on the answer added last.");
    if let Some(text) = &header.docs {
        doc.push_str("\n\n");
        doc.push_str(text.trim());
    }
    let doc = docs(Some(&doc));
    let (arg, value) = match header.arg {
        ParamArg::Str => (quote!(value: &str), quote!(value)),
        ParamArg::Owned => {
            let ty = ty_tokens(ir, &header.ty, Form::Model);
            (quote!(value: #ty), quote!(&value))
        }
    };
    quote! {
        #(#doc)*
        pub fn #method(&mut self, #arg) -> &mut Self {
            self.0.typed_header(#wire, #value);
            self
        }
    }
}
