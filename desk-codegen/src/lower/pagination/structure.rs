//! Rules 5 to 10: how a `GET` list operation pages, read from its parameters, its success body
//! and its documented response headers (see the parent module's docs for the rules).

use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr, SchemaKind, Type};

use super::body::{wire_path, Chain, Items, ListBody, ValueKind};
use super::{norm, Candidate, Decision};
use crate::ir::{PageNext, PageRule, PageSource, PageTarget, Param, ParamLocation, TypeRef};

/// Body fields that hold the next page's token, whatever their parent.
const TOKENS: &[&str] = &[
    "nextpagetoken",
    "nexttoken",
    "nextcursor",
    "nextmarker",
    "continuationtoken",
    "nextcontinuationtoken",
    "nextpagecursor",
    "nextkey",
    "nextpagekey",
    "endcursor",
    "nextpage",
    "nextoffset",
    "nextstart",
    "nextpageid",
    "scrollid",
    "continuation",
];

/// Objects that hold a list's paging information (`meta.next_cursor`, `paging.next`).
const CONTAINERS: &[&str] = &[
    "meta",
    "metadata",
    "pagination",
    "paging",
    "page",
    "pageinfo",
    "responsemetadata",
    "cursors",
    "links",
    "link",
    "pager",
];

/// Body fields that hold the next page's URL.
const LINKS: &[&str] = &[
    "odatanextlink",
    "nextlink",
    "nextpagelink",
    "nextpageurl",
    "nexturl",
    "nexthref",
    "nextpageuri",
    "nexturi",
    "nextrecordsurl",
    "nextpagehref",
    "nextresultsurl",
];

/// Booleans that say more pages follow.
const MORE: &[&str] = &[
    "hasmore",
    "hasmorepages",
    "hasnextpage",
    "hasnext",
    "hasmoreresults",
    "hasmoreitems",
    "hasmorerecords",
    "hasmoreentries",
    "moreresults",
    "moreavailable",
    "morepages",
    "more",
    "nextpage",
];

/// Booleans that say this is the last page.
const DONE: &[&str] = &["last", "islast", "islastpage", "lastpage", "done", "isdone"];

/// Integers that count the items of the whole list.
const TOTAL_ITEMS: &[&str] = &[
    "total",
    "totalcount",
    "totalitems",
    "totalresults",
    "totalrecords",
    "totalelements",
    "totalsize",
    "totalhits",
    "totalentries",
    "totalrows",
    "totalobjects",
    "recordstotal",
    "numfound",
];

/// Integers that count the pages.
const TOTAL_PAGES: &[&str] = &[
    "totalpages",
    "pagecount",
    "lastpage",
    "numpages",
    "pagestotal",
    "totalpagecount",
    "pages",
];

/// Response headers that count the items, or the pages.
const HEADER_TOTAL_ITEMS: &[&str] = &[
    "xtotalcount",
    "xtotal",
    "totalcount",
    "xtotalresults",
    "xtotalitems",
    "xtotalrecords",
    "xpaginationtotalcount",
];
const HEADER_TOTAL_PAGES: &[&str] = &[
    "xtotalpages",
    "xpages",
    "xpaginationpagecount",
    "xpagecount",
];

/// Page-number parameters.
const PAGES: &[&str] = &[
    "page",
    "pagenumber",
    "pageno",
    "pagenum",
    "pageindex",
    "pageidx",
    "currentpage",
];

/// Offset parameters that need no partner, and those that need a page-size parameter beside
/// them (they may mean other things alone).
const OFFSETS: &[&str] = &[
    "offset",
    "skip",
    "startindex",
    "pageoffset",
    "skiprecords",
    "startoffset",
];
const WEAK_OFFSETS: &[&str] = &["start", "from", "startat", "startrow", "startposition"];

/// Parameters that end a range a weak offset would start.
const RANGE_ENDS: &[&str] = &[
    "end", "stop", "until", "to", "duration", "endtime", "enddate", "endat",
];

/// Page-size parameters.
const SIZES: &[&str] = &[
    "limit",
    "perpage",
    "pagesize",
    "size",
    "count",
    "pagelimit",
    "maxresults",
    "max",
    "maxitems",
    "maxrecords",
    "top",
    "rows",
    "resultsperpage",
    "itemsperpage",
    "take",
    "num",
    "pagelen",
    "maxcount",
    "numresults",
    "batchsize",
];

/// The decision of the first structural rule that fits, with the flags and totals the body
/// has.
pub(super) fn decide<'a>(candidate: &Candidate<'a>) -> Option<Decision<'a>> {
    let body = candidate.body.as_ref()?;
    let items = candidate.items(None)?;
    let signals = Signals::read(candidate, body);
    let mut decision = token(candidate, body, &items)
        .or_else(|| last_item(candidate, body, &items, &signals))
        .or_else(|| next_link(body, &items))
        .or_else(|| link_header(candidate, &items))
        .or_else(|| offset(candidate, &items))
        .or_else(|| page_number(candidate, &items))?;
    signals.apply(&mut decision);
    Some(decision)
}

/// The normalised wire names of a chain.
fn names(chain: &Chain<'_>) -> Vec<String> {
    chain.iter().map(|r| norm(&r.field.wire_name)).collect()
}

/// Whether a description speaks of any of `words`.
fn speaks_of(docs: Option<&str>, words: &[&str]) -> bool {
    docs.is_some_and(|d| {
        let d = d.to_ascii_lowercase();
        words.iter().any(|w| d.contains(w))
    })
}

const URL_WORDS: &[&str] = &["url", "uri", "link", "http", "href"];
const TOKEN_WORDS: &[&str] = &["cursor", "token", "marker", "continuation"];

/// Objects whose `next` is a link (JSON:API's `links`, HAL's `_links`).
const LINK_PARENTS: &[&str] = &["links", "link"];

/// What a body field carries to the next request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Carries {
    /// A URL to fetch.
    Link,
    /// A token to send back, with how strongly its name says so: 0 (a `next...` name) or 1 (a
    /// plain `cursor` or `next`).
    Token(u8),
}

/// What the last field of `chain` carries, if it names the next page: its name, its parent's,
/// its siblings' (`next` beside `previous` is Django REST's link), and its description (a
/// `next` that speaks of URLs is a link, one that speaks of cursors a token).
fn carries(body: &ListBody<'_>, chain: &Chain<'_>, fields: &[Chain<'_>]) -> Option<Carries> {
    let leaf = chain.last()?;
    let kind = body.kind(&leaf.field.ty);
    let names = names(chain);
    let name = names[names.len() - 1].as_str();
    let parent = names.len().checked_sub(2).map_or("", |i| names[i].as_str());
    let grandparent = names.len().checked_sub(3).map_or("", |i| names[i].as_str());
    let docs = leaf.field.docs.as_deref();
    let contained = parent.is_empty() || CONTAINERS.contains(&parent);
    match kind {
        ValueKind::Int => {
            let token = TOKENS.contains(&name) || (name == "next" && contained);
            return token.then_some(Carries::Token(1));
        }
        ValueKind::Text => {}
        _ => return None,
    }
    if LINKS.contains(&name)
        || (name == "href" && parent == "next" && LINK_PARENTS.contains(&grandparent))
    {
        return Some(Carries::Link);
    }
    let ambiguous = matches!(name, "next" | "nextpage");
    if !ambiguous {
        if TOKENS.contains(&name) || (name == "after" && parent == "cursors") {
            let link = speaks_of(docs, URL_WORDS) && !speaks_of(docs, TOKEN_WORDS);
            return Some(if link {
                Carries::Link
            } else {
                Carries::Token(0)
            });
        }
        return (name == "cursor" && contained).then_some(Carries::Token(1));
    }
    if speaks_of(docs, TOKEN_WORDS) {
        return Some(Carries::Token(0));
    }
    if speaks_of(docs, URL_WORDS) || LINK_PARENTS.contains(&parent) {
        return Some(Carries::Link);
    }
    if !contained {
        return None;
    }
    let previous = fields.iter().any(|other| {
        other.len() == chain.len()
            && other[..other.len() - 1] == chain[..chain.len() - 1]
            && matches!(
                norm(&other[other.len() - 1].field.wire_name).as_str(),
                "previous" | "prev"
            )
    });
    Some(if previous {
        Carries::Link
    } else {
        Carries::Token(1)
    })
}

/// The parameter names (normalised) that may take a token named `leaf` back, in order.
fn takers(leaf: &str) -> Vec<String> {
    let mut names = vec![leaf.to_owned()];
    if let Some(rest) = leaf.strip_prefix("next").filter(|r| !r.is_empty()) {
        names.push(rest.to_owned());
    }
    let mut family = |list: &[&str]| names.extend(list.iter().map(|s| (*s).to_owned()));
    if leaf.contains("token") || leaf == "continuation" {
        family(&[
            "pagetoken",
            "token",
            "continuationtoken",
            "skiptoken",
            "continuation",
            "nexttoken",
        ]);
    }
    if leaf.contains("cursor") || leaf == "after" {
        family(&["cursor", "after", "startcursor", "pagecursor"]);
    }
    if leaf.contains("marker") {
        family(&["marker"]);
    }
    if matches!(leaf, "next" | "nextpage") {
        family(&["cursor", "pagetoken", "token", "after", "page"]);
    }
    names
}

/// The query parameter (else request header) named `name` (normalised) that can carry a token
/// of `kind`.
fn carrier<'a>(candidate: &Candidate<'a>, name: &str, kind: ValueKind) -> Option<&'a Param> {
    let fits = |p: &&Param| {
        norm(&p.wire_name) == name
            && match p.ty {
                TypeRef::String => true,
                TypeRef::Int(_) => kind == ValueKind::Int,
                _ => false,
            }
    };
    let params = &candidate.op.params;
    params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .find(fits)
        .or_else(|| {
            params
                .iter()
                .filter(|p| p.location == ParamLocation::Header)
                .find(fits)
        })
}

fn target(param: &Param) -> PageTarget {
    match param.location {
        ParamLocation::Header => PageTarget::Header(param.wire_name.clone()),
        _ => PageTarget::Query(param.wire_name.clone()),
    }
}

/// Rule 5: a token in the body (or a response header) and a parameter to send it back.
fn token<'a>(
    candidate: &Candidate<'a>,
    body: &ListBody<'a>,
    items: &Items<'a>,
) -> Option<Decision<'a>> {
    let fields = body.all_fields();
    let mut best: Option<(u8, usize, PageSource, PageTarget)> = None;
    for chain in &fields {
        let Some(Carries::Token(tier)) = carries(body, chain, &fields) else {
            continue;
        };
        let leaf = chain.last()?;
        let kind = body.kind(&leaf.field.ty);
        let Some(param) = takers(&norm(&leaf.field.wire_name))
            .iter()
            .find_map(|name| carrier(candidate, name, kind))
        else {
            continue;
        };
        let rank = (tier, chain.len());
        if best.as_ref().is_none_or(|(t, d, ..)| rank < (*t, *d)) {
            best = Some((
                tier,
                chain.len(),
                PageSource::Body(wire_path(chain)),
                target(param),
            ));
        }
    }
    if best.is_none() {
        for header in &candidate.response_headers {
            let name = norm(header);
            let name = name
                .strip_prefix("xms")
                .or_else(|| name.strip_prefix('x'))
                .unwrap_or(&name)
                .to_owned();
            if !TOKENS.contains(&name.as_str()) {
                continue;
            }
            let same_header = candidate.op.params.iter().find(|p| {
                p.location == ParamLocation::Header && p.wire_name.eq_ignore_ascii_case(header)
            });
            let param = same_header.or_else(|| {
                takers(&name)
                    .iter()
                    .find_map(|n| carrier(candidate, n, ValueKind::Int))
            });
            if let Some(param) = param {
                best = Some((
                    0,
                    0,
                    PageSource::Header((*header).to_owned()),
                    target(param),
                ));
                break;
            }
        }
    }
    let (_, _, from, to) = best?;
    Some(Decision::new(
        PageRule::Token,
        PageNext::Token { from, to },
        items.clone(),
    ))
}

/// Rule 6: Stripe's `starting_after`, the last item's `id`, while `has_more` says so.
fn last_item<'a>(
    candidate: &Candidate<'a>,
    body: &ListBody<'a>,
    items: &Items<'a>,
    signals: &Signals,
) -> Option<Decision<'a>> {
    let param =
        candidate.op.params.iter().find(|p| {
            p.location == ParamLocation::Query && norm(&p.wire_name) == "startingafter"
        })?;
    if signals.more.is_empty()
        || !body
            .item_fields(items.item_ty)
            .iter()
            .any(|f| f.wire_name == "id")
    {
        return None;
    }
    Some(Decision::new(
        PageRule::LastItem,
        PageNext::LastItem {
            field: "id".into(),
            to: PageTarget::Query(param.wire_name.clone()),
        },
        items.clone(),
    ))
}

/// Rule 7: a next link in the body.
fn next_link<'a>(body: &ListBody<'a>, items: &Items<'a>) -> Option<Decision<'a>> {
    let fields = body.all_fields();
    let found = fields
        .iter()
        .find(|chain| carries(body, chain, &fields) == Some(Carries::Link))?;
    Some(Decision::new(
        PageRule::NextLink,
        PageNext::Link {
            from: PageSource::Body(wire_path(found)),
        },
        items.clone(),
    ))
}

/// Rule 8: a documented RFC 8288 `Link` response header.
fn link_header<'a>(candidate: &Candidate<'a>, items: &Items<'a>) -> Option<Decision<'a>> {
    candidate
        .response_headers
        .iter()
        .any(|h| h.eq_ignore_ascii_case("link"))
        .then(|| {
            Decision::new(
                PageRule::LinkHeader,
                PageNext::Link {
                    from: PageSource::LinkHeader,
                },
                items.clone(),
            )
        })
}

/// The query parameter named as one of `names` (normalised) that holds a number: an integer,
/// or when `loose` (names that say paging outright) also a `number`, or a string whose
/// description speaks of pages, offsets or indexes (Salesforce's `offset` is a string).
fn number_query<'a>(candidate: &Candidate<'a>, names: &[&str], loose: bool) -> Option<&'a Param> {
    candidate.op.params.iter().find(|p| {
        p.location == ParamLocation::Query
            && names.contains(&norm(&p.wire_name).as_str())
            && match p.ty {
                TypeRef::Int(_) => true,
                TypeRef::F64 | TypeRef::F32 => loose,
                TypeRef::String => {
                    loose
                        && speaks_of(
                            p.docs.as_deref(),
                            &["page", "offset", "index", "skip", "number"],
                        )
                }
                _ => false,
            }
    })
}

/// Whether a parameter's description speaks of time (a `start` that is a date).
fn speaks_of_time(param: &Param) -> bool {
    speaks_of(
        param.docs.as_deref(),
        &["time", "date", "epoch", "timestamp", "second"],
    )
}

/// Rule 9: an offset advanced by the items received.
fn offset<'a>(candidate: &Candidate<'a>, items: &Items<'a>) -> Option<Decision<'a>> {
    // A `start` beside an `end` (or a duration) opens a range, of time most often.
    let range = candidate.op.params.iter().any(|p| {
        p.location == ParamLocation::Query && RANGE_ENDS.contains(&norm(&p.wire_name).as_str())
    });
    let param = number_query(candidate, OFFSETS, true).or_else(|| {
        number_query(candidate, SIZES, false)?;
        number_query(candidate, WEAK_OFFSETS, false).filter(|p| !range && !speaks_of_time(p))
    })?;
    // SCIM (RFC 7644) counts `startIndex` from 1.
    let scim = norm(&param.wire_name) == "startindex"
        && candidate.op.path.to_ascii_lowercase().contains("/scim/");
    let fallback = if scim { 1 } else { 0 };
    let start = first_value(candidate, &param.wire_name, fallback);
    Some(Decision::new(
        PageRule::Offset,
        PageNext::Offset {
            param: param.wire_name.clone(),
            start: u64::try_from(start).unwrap_or(0),
        },
        items.clone(),
    ))
}

/// Rule 10: page numbers.
fn page_number<'a>(candidate: &Candidate<'a>, items: &Items<'a>) -> Option<Decision<'a>> {
    let param = number_query(candidate, PAGES, true)?;
    Some(Decision::new(
        PageRule::PageNumber,
        PageNext::Number {
            param: param.wire_name.clone(),
            first: first_value(candidate, &param.wire_name, 1),
        },
        items.clone(),
    ))
}

/// The first page's number or item's offset: the parameter's `default` when 0 or 1, else its
/// `minimum` when 0 or 1, else what its description says (`1-based`, `0-based`), else
/// `fallback`.
fn first_value(candidate: &Candidate<'_>, wire: &str, fallback: i64) -> i64 {
    let doc = candidate.doc;
    let param = candidate
        .raw
        .parameters
        .iter()
        .chain(candidate.path_params)
        .filter_map(|p| match p {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/parameters/")
                .and_then(|name| {
                    doc.components
                        .as_ref()?
                        .parameters
                        .get(&crate::locate::unescape(name))?
                        .as_item()
                }),
        })
        .find(|p| matches!(p, Parameter::Query { .. }) && p.parameter_data_ref().name == wire);
    let schema = param.and_then(|p| match &p.parameter_data_ref().format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => Some(schema),
        ParameterSchemaOrContent::Schema(ReferenceOr::Reference { reference }) => reference
            .strip_prefix("#/components/schemas/")
            .and_then(|name| {
                doc.components
                    .as_ref()?
                    .schemas
                    .get(&crate::locate::unescape(name))?
                    .as_item()
            }),
        ParameterSchemaOrContent::Content(_) => None,
    });
    let docs = param
        .and_then(|p| p.parameter_data_ref().description.as_deref())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let said = if [
        "1-based",
        "one-based",
        "starts at 1",
        "starting at 1",
        "starting from 1",
    ]
    .iter()
    .any(|w| docs.contains(w))
    {
        Some(1)
    } else if [
        "0-based",
        "zero-based",
        "starts at 0",
        "starting at 0",
        "starting from 0",
    ]
    .iter()
    .any(|w| docs.contains(w))
    {
        Some(0)
    } else {
        None
    };
    let Some(schema) = schema else {
        return said.unwrap_or(fallback);
    };
    let default = schema
        .schema_data
        .default
        .as_ref()
        .and_then(serde_json::Value::as_i64);
    let minimum = match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(int)) => int.minimum,
        _ => None,
    };
    [default, minimum]
        .into_iter()
        .flatten()
        .find(|value| (0..=1).contains(value))
        .or(said)
        .unwrap_or(fallback)
}

/// The flags and totals a body (and its documented headers) carries.
struct Signals {
    more: Vec<Vec<String>>,
    done: Vec<Vec<String>>,
    total_items: Option<PageSource>,
    total_pages: Option<PageSource>,
}

impl Signals {
    fn read(candidate: &Candidate<'_>, body: &ListBody<'_>) -> Self {
        let mut signals = Signals {
            more: Vec::new(),
            done: Vec::new(),
            total_items: None,
            total_pages: None,
        };
        for chain in body.all_fields() {
            let Some(leaf) = chain.last() else { continue };
            let names = names(&chain);
            let name = names[names.len() - 1].as_str();
            let parent = names.len().checked_sub(2).map_or("", |i| names[i].as_str());
            match body.kind(&leaf.field.ty) {
                ValueKind::Bool if MORE.contains(&name) => signals.more.push(wire_path(&chain)),
                ValueKind::Bool if DONE.contains(&name) => signals.done.push(wire_path(&chain)),
                ValueKind::Int if signals.total_items.is_none() && TOTAL_ITEMS.contains(&name) => {
                    signals.total_items = Some(PageSource::Body(wire_path(&chain)));
                }
                ValueKind::Int
                    if signals.total_pages.is_none()
                        && TOTAL_PAGES.contains(&name)
                        && (name != "pages"
                            || parent.is_empty()
                            || CONTAINERS.contains(&parent)) =>
                {
                    signals.total_pages = Some(PageSource::Body(wire_path(&chain)));
                }
                _ => {}
            }
        }
        // `X-Total-Count`, `X-Paging-TotalResults`, `X-Pages`, `X-Pagination-Page-Count`.
        let counts = |name: &str, exact: &[&str], ends: &[&str]| {
            exact.contains(&name)
                || (name.starts_with('x') && ends.iter().any(|e| name.ends_with(e)))
        };
        for header in &candidate.response_headers {
            let name = norm(header);
            if signals.total_items.is_none()
                && counts(
                    &name,
                    HEADER_TOTAL_ITEMS,
                    &[
                        "totalcount",
                        "totalresults",
                        "totalitems",
                        "totalrecords",
                        "totalentries",
                    ],
                )
            {
                signals.total_items = Some(PageSource::Header((*header).to_owned()));
            }
            if signals.total_pages.is_none()
                && counts(&name, HEADER_TOTAL_PAGES, &["totalpages", "pagecount"])
            {
                signals.total_pages = Some(PageSource::Header((*header).to_owned()));
            }
        }
        signals
    }

    /// Flags for every style; totals for page numbers and offsets without flags (a flag is the
    /// server's own word). No page size: a server that caps it would make every page look
    /// short, so an empty page ends these walks.
    fn apply(self, decision: &mut Decision<'_>) {
        decision.more = self.more;
        decision.done = self.done;
        let counted = matches!(
            decision.next,
            PageNext::Number { .. } | PageNext::Offset { .. }
        );
        if counted && decision.more.is_empty() && decision.done.is_empty() {
            decision.total_items = self.total_items;
            if matches!(decision.next, PageNext::Number { .. }) {
                decision.total_pages = self.total_pages;
            }
        }
    }
}
