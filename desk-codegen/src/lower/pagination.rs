//! Which list operations page, and how: the [`Pagination`] of each operation, which the client
//! renders as `{operation}_pages` (whole typed pages) and `{operation}_stream` (their items)
//! over the runtime's one page engine (`desk_runtime::client::Pages`).
//!
//! # The rules, in order
//!
//! The first rule that applies decides; an operation no rule fits gets no page methods.
//! Names are compared without case, `_`, `-`, `.`, `@`, `$` and brackets (`next_page_token`,
//! `nextPageToken` and `NextPageToken` are one name).
//!
//! 1. **`Config::pagination(operationId, hint)`** ([`PageHint`]), then the operation's
//!    **`x-desk-pagination`** extension (the same fields): said by hand, checked against the
//!    operation. `style: none` (or `x-desk-pagination: false`) turns page methods off. A hint
//!    that does not fit (a parameter the operation does not have, a path its success body does
//!    not have, a field of the wrong type) is an error at the hint.
//! 2. **`x-ms-pageable`** (Azure): the body's `nextLinkName` field (`nextLink`,
//!    `@odata.nextLink`) is the next link, `itemName` (default `value`) the items;
//!    `nextLinkName` absent or `null` means one page: no page methods. A link without the
//!    first request's `api-version` gets it (as Azure's SDKs do).
//! 3. **`x-dropshot-pagination`** (Oxide's dropshot, as in nexus): the body's `next_page`
//!    token goes back as the `page_token` query parameter, the items are `items`; the next
//!    requests keep only `limit` and the parameters listed in `required` (the token stands for
//!    the others, as progenitor sends them).
//! 4. **`x-speakeasy-pagination`**: `type: offsetLimit` (an `offset` or `page` input, a
//!    `limit` input), `cursor` (a `cursor` input, `outputs.nextCursor`) or `url`
//!    (`outputs.nextUrl`), with `outputs.results` (`$.a.b` paths) as the items.
//!
//!    A vendor extension that names fields the success body does not have is warned about,
//!    and the operation gets no page methods.
//!
//! Then the structure, for `GET` operations whose one success body is JSON and holds an array
//! of items (the body itself; else its one array field, or the one whose name says items or is
//! the path's last segment; else the one array one object down):
//!
//! 5. **A token**: a text or integer field within three objects of the root named as a next
//!    token (`nextPageToken`, `next_cursor`, `response_metadata.next_cursor`, `nextToken`,
//!    `nextMarker`, `continuationToken`, `pageInfo.endCursor`, `paging.cursors.after`, `next`,
//!    `next_page`, ...), or a documented response header so named (`X-Next-Page`,
//!    `X-Ms-Continuation`), **and** a parameter that takes it back: the same name, the name
//!    without `next` (`nextPageToken` → `pageToken`, `next_cursor` → `cursor`), or one of
//!    its family (`cursor`, `after`, `page_token`, `token`, `page` for an integer). The walk
//!    ends when the page gives no token.
//! 6. **The last item's id** (Stripe): a `starting_after` parameter, a `has_more` boolean and
//!    items with an `id`.
//! 7. **A next link in the body**: a text field named `@odata.nextLink`, `nextLink`,
//!    `next_link`, `nextPageUrl`, `nextUrl`, `nextRecordsUrl`, `_links.next.href`,
//!    `links.next`, `paging.next`, or a top-level `next` beside a `previous` (Django REST).
//! 8. **A documented `Link` response header** (RFC 8288, as GitHub): its `rel="next"` URL.
//! 9. **Offset and limit**: an integer `offset`, `skip`, `$skip`, `startIndex` (or `start`,
//!    `from`, `startAt` beside a limit parameter, when their description does not speak of
//!    time) advanced by the items received; stops on an empty or short page or at a total.
//! 10. **Page numbers**: an integer `page`, `page_number`, `pageNo`, `pageIndex` or
//!     `page[number]` (from its `default`, else its `minimum` when 0, else 1), stopping when a
//!     "more" flag (`hasMore`, `has_more`, `hasMorePages`, `hasNextPage`: Teamwork's
//!     `pagination.hasMorePages` and `meta.page.hasMore`) is not `true` or a "last" flag
//!     (`last`, `isLastPage`, `done`) is; without flags at a total (`total_pages`, `pages`,
//!     `last_page`; `total`, `total_count`, `totalElements`, or an `X-Total-Count` header),
//!     on a page shorter than the page size sent (`per_page`, `pageSize`, `limit`, ...) and on
//!     an empty page.
//!
//! Rules 5 to 10 also read the flags and totals where the body has them. Whatever the rule,
//! a walk whose server loops (a token or link seen before, the same items twice) ends with
//! an error at run time (see the runtime's `paginate` module), and an operation whose
//! response has no way to say "more" (no token, link, flag, count or array to run empty)
//! gets no page methods.
//!
//! The methods are `{operation}_pages` and `{operation}_stream`; where either name is taken
//! (by an operation, a constructor or another list's methods) the list gets none.

mod body;
mod hint;
mod structure;
mod vendor;

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr};

pub use hint::PageHint;

use super::operations::MethodNames;
use crate::error::{Diagnostic, DiagnosticKind, Severity};
use crate::ir::{
    BodyKind, Ir, Operation, PageNext, PageRule, PageSource, PageTarget, Pagination, ParamLocation,
    TypeRef,
};
use crate::load::LoadedSpec;
use crate::locate::escape;
use body::{wire_path, Chain, Items, ListBody, ValueKind};
use hint::HintStyle;

/// `name` lower-cased without `_`, `-`, `.`, `@`, `$`, `[` and `]`: how rules compare names.
pub(super) fn norm(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | '@' | '$' | '[' | ']' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// What a rule decided for one operation.
struct Decision<'a> {
    rule: PageRule,
    next: PageNext,
    items: Items<'a>,
    more: Vec<Vec<String>>,
    done: Vec<Vec<String>>,
    total_items: Option<PageSource>,
    total_pages: Option<PageSource>,
    page_size: Option<String>,
    keep_only: Option<Vec<String>>,
}

impl<'a> Decision<'a> {
    fn new(rule: PageRule, next: PageNext, items: Items<'a>) -> Self {
        Decision {
            rule,
            next,
            items,
            more: Vec::new(),
            done: Vec::new(),
            total_items: None,
            total_pages: None,
            page_size: None,
            keep_only: None,
        }
    }
}

/// One operation as the rules see it.
struct Candidate<'a> {
    doc: &'a OpenAPI,
    op: &'a Operation,
    raw: &'a openapiv3::Operation,
    /// The parameters of the operation's path item.
    path_params: &'a [ReferenceOr<openapiv3::Parameter>],
    pointer: String,
    body: Option<ListBody<'a>>,
    /// The documented headers of the success response.
    response_headers: Vec<&'a str>,
}

impl<'a> Candidate<'a> {
    /// The query parameter with this wire name.
    fn query_param(&self, wire: &str) -> Option<&'a crate::ir::Param> {
        self.op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Query && p.wire_name == wire)
    }

    /// The operation's array of items (see [`ListBody::items`]).
    fn items(&self, named: Option<&str>) -> Option<Items<'a>> {
        self.body.as_ref()?.items(named, &self.resources())
    }

    /// What the path lists, normalised: its last segment that is not a parameter, and of a
    /// custom method (`{pool}:queryDeployedModels`) the method's object (`deployedmodels`).
    fn resources(&self) -> Vec<String> {
        let mut names = Vec::new();
        if let Some(segment) = self
            .op
            .path
            .rsplit('/')
            .find(|s| !s.is_empty() && !s.starts_with('{'))
        {
            names.push(norm(segment));
        }
        if let Some((_, method)) = self.op.path.rsplit_once(':') {
            let method = norm(method);
            let object = ["batchget", "list", "query", "search", "get"]
                .iter()
                .find_map(|verb| method.strip_prefix(verb))
                .unwrap_or(&method);
            names.push(object.to_owned());
        }
        names
    }
}

/// Decides the pagination of every operation (see the module docs) and names its methods.
/// Errors are wrong hints; warnings are vendor extensions that do not fit.
pub(super) fn detect(
    ir: &mut Ir,
    doc: &OpenAPI,
    spec: &LoadedSpec,
    hints: &BTreeMap<String, PageHint>,
    method_names: &mut MethodNames,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for name in hints.keys() {
        if !ir
            .operations
            .iter()
            .any(|op| op.operation_id.as_deref() == Some(name.as_str()))
        {
            errors.push(
                Diagnostic::error(
                    DiagnosticKind::UnmatchedSelector,
                    &spec.path,
                    format!("`Config::pagination` names the operationId `{name}`, which no generated operation has"),
                )
                .help("give the operationId as the description writes it"),
            );
        }
    }
    let mut decided = Vec::new();
    for (index, op) in ir.operations.iter().enumerate() {
        let Some((path_params, raw)) = raw_operation(doc, op) else {
            continue;
        };
        let candidate = Candidate {
            doc,
            op,
            raw,
            path_params,
            pointer: format!(
                "/paths/{}/{}",
                escape(&op.path),
                op.method.as_str().to_ascii_lowercase()
            ),
            body: ListBody::of(ir, op),
            response_headers: success_headers(doc, raw),
        };
        let hint = op.operation_id.as_ref().and_then(|id| hints.get(id));
        if !pageable_body(op) {
            if hint.is_some() || candidate.raw.extensions.contains_key("x-desk-pagination") {
                errors.push(spec.diagnostic(
                    DiagnosticKind::UnsupportedOperation,
                    &candidate.pointer,
                    format!("`{}` has a request body that is neither JSON nor a form: page methods cannot resend it", op.rust_name),
                ).help("remove the pagination hint"));
            }
            continue;
        }
        let outcome = match hint {
            Some(hint) => from_hint(&candidate, hint, HintPlace::Config),
            None => decide(&candidate, spec, &mut warnings),
        };
        match outcome {
            Ok(Some(decision)) => decided.push((index, pagination(&candidate, decision))),
            Ok(None) => {}
            Err(diag) => errors.push(spec_diagnostic(spec, diag)),
        }
    }
    for (index, mut pagination) in decided {
        let rust_name = &ir.operations[index].rust_name;
        let pages = format!("{rust_name}_pages");
        let items = format!("{rust_name}_stream");
        if method_names.is_taken(&pages) || method_names.is_taken(&items) {
            continue;
        }
        pagination.pages_method = method_names.claim(pages);
        pagination.items_method = method_names.claim(items);
        ir.operations[index].pagination = Some(pagination);
    }
    (errors, warnings)
}

/// Whether the page methods can send the operation's request body again on every page (a
/// JSON or form body of a schema's type, or none).
fn pageable_body(op: &Operation) -> bool {
    op.body.as_ref().is_none_or(|body| {
        matches!(body.kind, BodyKind::Json | BodyKind::Form) && body.ty.is_some()
    })
}

/// A diagnostic a rule made (message, pointer, help) as the spec's.
fn spec_diagnostic(spec: &LoadedSpec, diag: HintError) -> Diagnostic {
    spec.diagnostic(DiagnosticKind::InvalidDocument, &diag.pointer, diag.message)
        .help(diag.help)
}

/// The IR of a decision; the method names are claimed afterwards.
fn pagination(candidate: &Candidate<'_>, decision: Decision<'_>) -> Pagination {
    // Azure's SDKs add the `api-version` a next link may lack; other links are followed as
    // they are.
    let carry = match decision.rule {
        PageRule::MsPageable => candidate
            .query_param("api-version")
            .map(|p| p.wire_name.clone())
            .into_iter()
            .collect(),
        _ => Vec::new(),
    };
    Pagination {
        rule: decision.rule,
        next: decision.next,
        body_ty: candidate
            .body
            .as_ref()
            .map_or(TypeRef::Json, |b| b.ty.clone()),
        page_variant: candidate
            .body
            .as_ref()
            .and_then(|b| b.variant.map(str::to_owned)),
        items: decision
            .items
            .chain
            .iter()
            .map(|r| r.page_field())
            .collect(),
        item_ty: decision.items.item_ty.clone(),
        more: decision.more,
        done: decision.done,
        total_items: decision.total_items,
        total_pages: decision.total_pages,
        page_size: decision.page_size,
        keep_only: decision.keep_only,
        carry,
        pages_method: String::new(),
        items_method: String::new(),
    }
}

/// The rules after a hint: `x-desk-pagination`, the vendor extensions, the structure.
fn decide<'a>(
    candidate: &Candidate<'a>,
    spec: &LoadedSpec,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Option<Decision<'a>>, HintError> {
    let extensions = &candidate.raw.extensions;
    if let Some(value) = extensions.get("x-desk-pagination") {
        let pointer = format!("{}/x-desk-pagination", candidate.pointer);
        let hint: PageHint = match value {
            serde_json::Value::Bool(false) => PageHint::none(),
            other => serde_json::from_value(other.clone()).map_err(|error| HintError {
                pointer: pointer.clone(),
                message: format!("`x-desk-pagination` of `{}` is not a pagination hint: {error}", candidate.op.rust_name),
                help: "give `style` (none, page-number, offset, token, last-item, next-link, link-header) and the fields it needs (README, \"Pagination\")".into(),
            })?,
        };
        return from_hint(candidate, &hint, HintPlace::Extension(pointer));
    }
    let vendor = [
        ("x-ms-pageable", vendor::ms_pageable as vendor::Rule),
        ("x-dropshot-pagination", vendor::dropshot),
        ("x-speakeasy-pagination", vendor::speakeasy),
    ];
    for (name, rule) in vendor {
        if let Some(value) = extensions.get(name) {
            return Ok(match rule(candidate, value) {
                Ok(decision) => decision,
                Err(reason) => {
                    let mut diag = spec
                        .diagnostic(
                            DiagnosticKind::Fallback,
                            &format!("{}/{name}", candidate.pointer),
                            format!("`{name}` of `{}` does not fit the operation ({reason}); it gets no page methods", candidate.op.rust_name),
                        )
                        .help("correct the extension, or say how it pages with `x-desk-pagination` or `Config::pagination`");
                    diag.severity = Severity::Warning;
                    warnings.push(diag);
                    None
                }
            });
        }
    }
    if candidate.op.method != http::Method::GET {
        return Ok(None);
    }
    Ok(structure::decide(candidate))
}

/// The operation at `op`'s path and method in the document, with its path item's parameters.
#[allow(clippy::type_complexity)]
fn raw_operation<'d>(
    doc: &'d OpenAPI,
    op: &Operation,
) -> Option<(
    &'d [ReferenceOr<openapiv3::Parameter>],
    &'d openapiv3::Operation,
)> {
    let item = doc.paths.paths.get(&op.path)?.as_item()?;
    let method = op.method.as_str().to_ascii_lowercase();
    let raw = item.iter().find(|(m, _)| *m == method).map(|(_, op)| op)?;
    Some((&item.parameters, raw))
}

/// The header names documented on the first success response (2xx, else `default`).
fn success_headers<'d>(doc: &'d OpenAPI, op: &'d openapiv3::Operation) -> Vec<&'d str> {
    let success = op
        .responses
        .responses
        .iter()
        .find(|(status, _)| match status {
            openapiv3::StatusCode::Code(code) => (200..300).contains(code),
            openapiv3::StatusCode::Range(range) => *range == 2,
        })
        .map(|(_, response)| response);
    let mut response = success;
    // Follow `$ref`s to `components/responses`, a few deep.
    for _ in 0..4 {
        match response {
            Some(ReferenceOr::Reference { reference }) => {
                response = reference
                    .strip_prefix("#/components/responses/")
                    .and_then(|name| {
                        doc.components
                            .as_ref()?
                            .responses
                            .get(&crate::locate::unescape(name))
                    });
            }
            Some(ReferenceOr::Item(item)) => {
                return item.headers.keys().map(String::as_str).collect();
            }
            None => break,
        }
    }
    Vec::new()
}

/// Where a hint comes from, for its errors.
enum HintPlace {
    Config,
    /// The extension, at this pointer.
    Extension(String),
}

/// A hint that does not fit its operation.
struct HintError {
    pointer: String,
    message: String,
    help: String,
}

/// The decision a hint states, checked against the operation (`Ok(None)`: `style: none`).
fn from_hint<'a>(
    candidate: &Candidate<'a>,
    hint: &PageHint,
    place: HintPlace,
) -> Result<Option<Decision<'a>>, HintError> {
    let (rule, origin, base) = match &place {
        HintPlace::Config => (
            PageRule::Config,
            format!(
                "`Config::pagination` for `{}`",
                candidate.op.operation_id.as_deref().unwrap_or_default()
            ),
            candidate.pointer.clone(),
        ),
        HintPlace::Extension(pointer) => (
            PageRule::DeskExtension,
            format!("`x-desk-pagination` of `{}`", candidate.op.rust_name),
            pointer.clone(),
        ),
    };
    let fail = |key: &str, message: String, help: String| HintError {
        pointer: match place {
            HintPlace::Config => base.clone(),
            HintPlace::Extension(_) => format!("{base}/{key}"),
        },
        message: format!("{origin}: {message}"),
        help,
    };
    if hint.style == HintStyle::None {
        return Ok(None);
    }
    let Some(body) = &candidate.body else {
        return Err(fail(
            "style",
            "the operation's success response is not one JSON body".into(),
            "page methods need a JSON list body; remove the hint".into(),
        ));
    };
    let items = candidate.items(hint.items.as_deref()).ok_or_else(|| {
        fail(
            "items",
            match &hint.items {
                Some(path) => format!("the success body has no array at `{path}`"),
                None => "the success body has no one array of items".into(),
            },
            format!(
                "name the array of items with `items` (one of: {})",
                fields_of_kind(body, ValueKind::Array)
            ),
        )
    })?;
    let query_param = |key: &str, name: &Option<String>| -> Result<String, HintError> {
        let Some(name) = name else {
            return Err(fail(
                key,
                format!("style `{}` needs `{key}`", hint.style.name()),
                format!("name the query parameter the next request sets with `{key}`"),
            ));
        };
        match candidate.query_param(name) {
            Some(_) => Ok(name.clone()),
            None => Err(fail(
                key,
                format!("the operation has no query parameter `{name}`"),
                format!(
                    "use one of its query parameters: {}",
                    query_params(candidate)
                ),
            )),
        }
    };
    let source = |key: &str, path: &str, want: &[ValueKind]| -> Result<PageSource, HintError> {
        if let Some(header) = path.strip_prefix("header:") {
            return Ok(PageSource::Header(header.trim().to_owned()));
        }
        let chain = body.dotted(path).ok_or_else(|| {
            fail(
                key,
                format!("the success body has no field `{path}`"),
                "give a path of wire names joined by `.` from the body's root, or `header:Name`"
                    .into(),
            )
        })?;
        let kind = body.kind(&chain.last().expect("a chain has a field").field.ty);
        if !want.contains(&kind) {
            return Err(fail(
                key,
                format!("`{path}` is not {}", kinds_text(want)),
                format!("point `{key}` at {}", kinds_text(want)),
            ));
        }
        Ok(PageSource::Body(wire_path(&chain)))
    };
    let flag = |key: &str, path: &Option<String>| -> Result<Vec<Vec<String>>, HintError> {
        match path {
            None => Ok(Vec::new()),
            Some(path) => match source(key, path, &[ValueKind::Bool])? {
                PageSource::Body(path) => Ok(vec![path]),
                _ => Err(fail(
                    key,
                    format!("`{key}` must be a body field"),
                    "give a path of wire names".into(),
                )),
            },
        }
    };
    let target = |key: &str| -> Result<PageTarget, HintError> {
        match (&hint.param, &hint.header) {
            (_, Some(header)) => Ok(PageTarget::Header(header.clone())),
            (param, None) => query_param(key, param).map(PageTarget::Query),
        }
    };
    let next_source = |want: &[ValueKind]| -> Result<PageSource, HintError> {
        match &hint.next {
            Some(path) => source("next", path, want),
            None => Err(fail(
                "next",
                format!("style `{}` needs `next`", hint.style.name()),
                "say where the page gives it: a body path, or `header:Name`".into(),
            )),
        }
    };
    let next = match hint.style {
        HintStyle::None => return Ok(None),
        HintStyle::PageNumber => PageNext::Number {
            param: query_param("param", &hint.param)?,
            first: hint.first.unwrap_or(1),
        },
        HintStyle::Offset => PageNext::Offset {
            param: query_param("param", &hint.param)?,
            start: hint.first.and_then(|f| u64::try_from(f).ok()).unwrap_or(0),
        },
        HintStyle::Token => PageNext::Token {
            from: next_source(&[ValueKind::Text, ValueKind::Int])?,
            to: target("param")?,
        },
        HintStyle::LastItem => {
            let field = hint.id.clone().unwrap_or_else(|| "id".into());
            if !body
                .item_fields(items.item_ty)
                .iter()
                .any(|f| f.wire_name == field)
            {
                return Err(fail(
                    "id",
                    format!("the items have no field `{field}`"),
                    "name the item field the next request sends with `id`".into(),
                ));
            }
            PageNext::LastItem {
                field,
                to: target("param")?,
            }
        }
        HintStyle::NextLink => PageNext::Link {
            from: next_source(&[ValueKind::Text])?,
        },
        HintStyle::LinkHeader => PageNext::Link {
            from: PageSource::LinkHeader,
        },
    };
    let mut decision = Decision::new(rule, next, items);
    decision.more = flag("more", &hint.more)?;
    decision.done = flag("done", &hint.done)?;
    let count = [ValueKind::Int, ValueKind::Text];
    decision.total_items = hint
        .total_items
        .as_deref()
        .map(|p| source("total-items", p, &count))
        .transpose()?;
    decision.total_pages = hint
        .total_pages
        .as_deref()
        .map(|p| source("total-pages", p, &count))
        .transpose()?;
    decision.page_size = match &hint.page_size {
        Some(_) => Some(query_param("page-size", &hint.page_size)?),
        None => None,
    };
    Ok(Some(decision))
}

fn kinds_text(kinds: &[ValueKind]) -> &'static str {
    match kinds {
        [ValueKind::Bool] => "a boolean",
        [ValueKind::Text] => "a string",
        [ValueKind::Int, ValueKind::Text] => "a number",
        _ => "a string or an integer",
    }
}

/// The operation's query parameters, for help texts.
fn query_params(candidate: &Candidate<'_>) -> String {
    let names: Vec<String> = candidate
        .op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(|p| format!("`{}`", p.wire_name))
        .collect();
    if names.is_empty() {
        "it has none".into()
    } else {
        names.join(", ")
    }
}

/// The body's fields of one kind, as dotted paths, for help texts.
fn fields_of_kind(body: &ListBody<'_>, kind: ValueKind) -> String {
    let paths: Vec<String> = body
        .all_fields()
        .iter()
        .filter(|chain: &&Chain<'_>| {
            body.kind(&chain.last().expect("a chain has a field").field.ty) == kind
        })
        .map(|chain| format!("`{}`", wire_path(chain).join(".")))
        .collect();
    if paths.is_empty() {
        "it has none".into()
    } else {
        paths.join(", ")
    }
}
