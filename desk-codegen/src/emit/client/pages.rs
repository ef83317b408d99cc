//! The page methods of a list operation: `{operation}_pages` (whole typed pages) and
//! `{operation}_stream` (their items). Each is one call into the runtime's page engine
//! (`rt::Pages`), which the operation's [`Pagination`] describes as an `rt::Paging` value;
//! the engine calls the operation method once per page.
//!
//! The generated code binds no name of its own that a parameter could have: the closure's
//! argument is `client` (a name no parameter gets), the values it clones are the method's own
//! arguments under their own names, and `Clone::clone` is called by its path (a parameter
//! named `clone` gives the parameter struct a method of that name).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::emit::{ident, ty_tokens, Form};
use crate::ir::{
    Ir, Operation, Outcome, PageField, PageNext, PageSource, PageTarget, Pagination, ParamArg,
    ParamLocation,
};

/// The two page methods of `op`.
pub(super) fn page_methods(
    ir: &Ir,
    op: &Operation,
    pagination: &Pagination,
    error_ty: &TokenStream,
) -> TokenStream {
    let args = Args::of(ir, op);
    let lifetime = if args.borrowed {
        quote!('a)
    } else {
        quote!('static)
    };
    let generics = args.borrowed.then(|| quote!(<'a>));
    let Args {
        params,
        clones,
        passed,
        ..
    } = &args;
    let paging = paging(pagination);
    let method = ident(&op.rust_name);
    let pages = ident(&pagination.pages_method);
    let stream = ident(&pagination.items_method);
    let (page_ty, take) = match (&pagination.page_variant, &op.ok) {
        (Some(variant), Outcome::Enum(name)) => {
            let (name, variant) = (ident(name), ident(variant));
            let items = take_items(&pagination.items);
            (
                quote!(#name),
                quote!(|page| match page {
                    #name::#variant(page) => #items,
                    _ => Vec::new(),
                }),
            )
        }
        _ => {
            let items = take_items(&pagination.items);
            (
                ty_tokens(ir, &pagination.body_ty, Form::Model),
                quote!(|page| #items),
            )
        }
    };
    let item_ty = ty_tokens(ir, &pagination.item_ty, Form::Model);
    let names: Vec<_> = passed.iter().map(|(name, _)| name).collect();
    let call_args = passed.iter().map(|(name, by_ref)| {
        if *by_ref {
            quote!(&#name)
        } else {
            quote!(#name)
        }
    });
    let pages_doc = format!(
        " Every page of [`Client::{}`], as a whole body (items, totals and metadata), {}, until {}.",
        op.rust_name,
        how(pagination),
        until(pagination)
    );
    let rule_doc = format!(" Paging rule: {}.", pagination.rule.name());
    let stream_doc = format!(
        " Every item of [`Client::{}`], page after page (see [`Client::{}`]).",
        op.rust_name, pagination.pages_method
    );
    quote! {
        #[doc = #pages_doc]
        ///
        /// The first request is the one the arguments make; each page is one call of the
        /// operation (bounded by the client's deadline). The stream ends after the first error,
        /// and with `Error::Paging` when the server would send it in a circle.
        ///
        #[doc = #rule_doc]
        pub fn #pages #generics(&self, #(#params),*) -> rt::Pages<#lifetime, #page_ty, rt::Error<#error_ty>> {
            rt::Pages::new(&self.api, #paging, move |client| {
                #(#clones)*
                async move { Self::from_api(client).#method(#(#call_args),*).await }
            })
        }

        #[doc = #stream_doc]
        pub fn #stream #generics(&self, #(#params),*) -> rt::Items<#lifetime, #item_ty, rt::Error<#error_ty>> {
            self.#pages(#(#names),*).items(#take)
        }
    }
}

/// The arguments of the page methods: those of the operation, owned where the operation
/// takes a reference or an `impl Into`.
struct Args {
    /// `name: Type` for each argument.
    params: Vec<TokenStream>,
    /// `let name = Clone::clone(&name);` for each owned argument, in the closure.
    clones: Vec<TokenStream>,
    /// Each argument's name, and whether the operation takes it by reference.
    passed: Vec<(syn::Ident, bool)>,
    /// Whether an argument is a borrowed `&str` (the streams then live as long as it).
    borrowed: bool,
}

impl Args {
    fn of(ir: &Ir, op: &Operation) -> Self {
        let mut args = Args {
            params: Vec::new(),
            clones: Vec::new(),
            passed: Vec::new(),
            borrowed: false,
        };
        for p in op
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Path)
        {
            let name = ident(&p.rust_name);
            match p.arg {
                ParamArg::Str => {
                    args.params.push(quote!(#name: &'a str));
                    args.borrowed = true;
                }
                ParamArg::Owned => {
                    let ty = ty_tokens(ir, &p.ty, Form::Model);
                    args.params.push(quote!(#name: #ty));
                    args.clones.push(clone(&name));
                }
            }
            args.passed.push((name, false));
        }
        if let Some(params_type) = &op.params_type {
            let name = ident("params");
            let ty = ident(&params_type.name);
            args.params.push(quote!(#name: #ty));
            args.clones.push(clone(&name));
            args.passed.push((name, true));
        }
        if let Some(body) = &op.body {
            let name = ident("body");
            let ty = body.ty.as_ref().map_or_else(
                || quote!(::serde_json::Value),
                |ty| ty_tokens(ir, ty, body.form.form()),
            );
            let ty = if body.required {
                ty
            } else {
                quote!(Option<#ty>)
            };
            args.params.push(quote!(#name: #ty));
            args.clones.push(clone(&name));
            args.passed.push((name, false));
        }
        args
    }
}

fn clone(name: &syn::Ident) -> TokenStream {
    quote!(let #name = ::std::clone::Clone::clone(&#name);)
}

/// `&["a", "b"]`.
fn path(names: &[String]) -> TokenStream {
    quote!(&[#(#names),*])
}

fn source(source: &PageSource) -> TokenStream {
    match source {
        PageSource::Body(names) => {
            let names = path(names);
            quote!(rt::PageField::Body(#names))
        }
        PageSource::Header(name) => quote!(rt::PageField::Header(#name)),
        PageSource::LinkHeader => quote!(rt::PageField::LinkHeader),
    }
}

fn target(target: &PageTarget) -> TokenStream {
    match target {
        PageTarget::Query(name) => quote!(rt::PageParam::Query(#name)),
        PageTarget::Header(name) => quote!(rt::PageParam::Header(#name)),
    }
}

/// The `rt::Paging` value: the style, then each part the pagination has.
fn paging(pagination: &Pagination) -> TokenStream {
    let mut value = match &pagination.next {
        PageNext::Number { param, first } => {
            let first = Literal::i64_unsuffixed(*first);
            quote!(rt::Paging::page_number(#param, #first))
        }
        PageNext::Offset { param, start } => {
            let start = Literal::u64_unsuffixed(*start);
            quote!(rt::Paging::offset(#param, #start))
        }
        PageNext::Token { from, to } => {
            let (from, to) = (source(from), target(to));
            quote!(rt::Paging::token(#from, #to))
        }
        PageNext::LastItem { field, to } => {
            let to = target(to);
            quote!(rt::Paging::last_item(#field, #to))
        }
        PageNext::Link { from } => {
            let from = source(from);
            quote!(rt::Paging::next_link(#from))
        }
    };
    if !pagination.items.is_empty() {
        let names: Vec<String> = pagination
            .items
            .iter()
            .map(|f| f.wire_name.clone())
            .collect();
        let items = path(&names);
        value = quote!(#value.items(#items));
    }
    let paths = |paths: &[Vec<String>]| {
        let each = paths.iter().map(|p| path(p));
        quote!(&[#(#each),*])
    };
    if !pagination.more.is_empty() {
        let more = paths(&pagination.more);
        value = quote!(#value.more(#more));
    }
    if !pagination.done.is_empty() {
        let done = paths(&pagination.done);
        value = quote!(#value.done(#done));
    }
    if let Some(total) = &pagination.total_items {
        let total = source(total);
        value = quote!(#value.total_items(#total));
    }
    if let Some(total) = &pagination.total_pages {
        let total = source(total);
        value = quote!(#value.total_pages(#total));
    }
    if let Some(size) = &pagination.page_size {
        value = quote!(#value.page_size(#size));
    }
    if let Some(keep) = &pagination.keep_only {
        let keep = path(keep);
        value = quote!(#value.keep_only(#keep));
    }
    if !pagination.carry.is_empty() {
        let carry = path(&pagination.carry);
        value = quote!(#value.carry(#carry));
    }
    value
}

/// The items of a page named `page`: `page.data.unwrap_or_default()`.
fn take_items(steps: &[PageField]) -> TokenStream {
    let mut expr = quote!(page);
    let mut optional = false;
    for step in steps {
        let name = ident(&step.rust_name);
        expr = match (optional, step.optional) {
            (false, _) => quote!(#expr.#name),
            (true, true) => quote!(#expr.and_then(|v| v.#name)),
            (true, false) => quote!(#expr.map(|v| v.#name)),
        };
        optional |= step.optional;
    }
    if optional {
        expr = quote!(#expr.unwrap_or_default());
    }
    expr
}

/// `a.b` for docs.
fn dotted(names: &[String]) -> String {
    names.join(".")
}

fn source_doc(source: &PageSource) -> String {
    match source {
        PageSource::Body(names) => format!("`{}`", dotted(names)),
        PageSource::Header(name) => format!("the `{name}` header"),
        PageSource::LinkHeader => "the `Link` header's `rel=\"next\"` URL".into(),
    }
}

fn target_doc(target: &PageTarget) -> String {
    match target {
        PageTarget::Query(name) => format!("`{name}`"),
        PageTarget::Header(name) => format!("the `{name}` header"),
    }
}

/// How the next request is made, for the docs.
fn how(pagination: &Pagination) -> String {
    match &pagination.next {
        PageNext::Number { param, first } => {
            format!(
                "asking for the next page number in `{param}` (from the one given, else {first})"
            )
        }
        PageNext::Offset { param, start } => {
            format!("advancing `{param}` (from the one given, else {start}) by the items received")
        }
        PageNext::Token { from, to } => format!(
            "sending the token each page gives in {} back as {}",
            source_doc(from),
            target_doc(to)
        ),
        PageNext::LastItem { field, to } => {
            format!("sending the last item's `{field}` as {}", target_doc(to))
        }
        PageNext::Link { from } => format!(
            "following {} of each page (without credentials when it leaves the client's origin)",
            match from {
                PageSource::LinkHeader => source_doc(from),
                other => format!("the URL in {}", source_doc(other)),
            }
        ),
    }
}

/// What ends the walk, for the docs.
fn until(pagination: &Pagination) -> String {
    let mut stops = Vec::new();
    match &pagination.next {
        PageNext::Token { .. } => stops.push("a page gives no token".to_owned()),
        PageNext::Link { .. } => stops.push("a page gives no link".to_owned()),
        _ => stops.push("a page is empty".to_owned()),
    }
    for more in &pagination.more {
        stops.push(format!("`{}` is not true", dotted(more)));
    }
    for done in &pagination.done {
        stops.push(format!("`{}` is true", dotted(done)));
    }
    if let Some(total) = &pagination.total_items {
        stops.push(format!(
            "the items counted in {} are reached",
            source_doc(total)
        ));
    }
    if let Some(total) = &pagination.total_pages {
        stops.push(format!(
            "the pages counted in {} are reached",
            source_doc(total)
        ));
    }
    if let Some(size) = &pagination.page_size {
        stops.push(format!("a page holds fewer items than `{size}` asked for"));
    }
    match stops.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}
