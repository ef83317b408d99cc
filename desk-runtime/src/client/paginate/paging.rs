//! [`Paging`]: how one list operation pages, as generated code states it.

/// Where a page says something: a field of the JSON body or a response header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageField {
    /// The value at this path of wire names from the body's root (`["meta", "next_cursor"]`).
    Body(&'static [&'static str]),
    /// The value of this response header.
    Header(&'static str),
    /// The `rel="next"` target of the RFC 8288 `Link` response header (next links only).
    LinkHeader,
}

/// What carries a token (a cursor, an item id) into the next request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageParam {
    /// This query parameter (set, replacing the caller's value).
    Query(&'static str),
    /// This request header (set, replacing the caller's value).
    Header(&'static str),
}

/// What the next request changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Next {
    /// Page numbers in a query parameter: the one sent (or `first`) plus one.
    Page { param: &'static str, first: i64 },
    /// An offset in a query parameter: the one sent (or `start`) plus the items received.
    Offset { param: &'static str, start: u64 },
    /// A token the page gives, sent back as it is.
    Token { from: PageField, to: PageParam },
    /// A field of the page's last item (Stripe's `starting_after` takes its `id`).
    LastItem { field: &'static str, to: PageParam },
    /// A URL the page gives (in the body or the `Link` header), fetched with `GET` as it is.
    Link { from: PageField },
}

/// How a list operation pages: what carries the next request, where the items are and what
/// says "no more". Generated page methods state it with these `const` builders; the page
/// streams ([`Pages`](super::Pages)) do the rest.
///
/// ```
/// use desk_runtime::client::{PageField, PageParam, Paging};
///
/// // Google: `nextPageToken` in the body goes back as the `pageToken` query parameter.
/// const GOOGLE: Paging = Paging::token(PageField::Body(&["nextPageToken"]), PageParam::Query("pageToken"))
///     .items(&["items"]);
/// // Teamwork: page numbers from 1 while `pagination.hasMorePages` (else `meta.page.hasMore`) says so.
/// const TEAMWORK: Paging = Paging::page_number("page", 1)
///     .items(&["conversations"])
///     .more(&[&["pagination", "hasMorePages"], &["meta", "page", "hasMore"]]);
/// // GitHub: the `Link` header's `rel="next"` URL; the body is the array of items.
/// const GITHUB: Paging = Paging::next_link(PageField::LinkHeader);
/// # let _ = (GOOGLE, TEAMWORK, GITHUB);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    pub(crate) next: Next,
    pub(crate) items: &'static [&'static str],
    pub(crate) more: &'static [&'static [&'static str]],
    pub(crate) done: &'static [&'static [&'static str]],
    pub(crate) total_items: Option<PageField>,
    pub(crate) total_pages: Option<PageField>,
    pub(crate) page_size: Option<&'static str>,
    pub(crate) keep_only: Option<&'static [&'static str]>,
    pub(crate) carry: &'static [&'static str],
}

impl Paging {
    const fn with(next: Next) -> Self {
        Paging {
            next,
            items: &[],
            more: &[],
            done: &[],
            total_items: None,
            total_pages: None,
            page_size: None,
            keep_only: None,
            carry: &[],
        }
    }

    /// Page numbers in the query parameter `param`: the next request sends the number the
    /// last one sent (or `first`, when it sent none) plus one. Stops on an empty page, a short
    /// one (see [`Paging::page_size`]) and when a total is reached.
    pub const fn page_number(param: &'static str, first: i64) -> Self {
        Self::with(Next::Page { param, first })
    }

    /// An offset in the query parameter `param`: the next request sends the offset the last
    /// one sent (or `start`, the first item's: 0, or 1 for SCIM's `startIndex`) plus the
    /// number of items received. Stops on an empty page, a short one (see
    /// [`Paging::page_size`]) and when the total is reached.
    pub const fn offset(param: &'static str, start: u64) -> Self {
        Self::with(Next::Offset { param, start })
    }

    /// A token (cursor, continuation, page token) that each page gives in `from` and the next
    /// request sends in `to`. Stops when the page gives none (absent, `null` or empty).
    pub const fn token(from: PageField, to: PageParam) -> Self {
        Self::with(Next::Token { from, to })
    }

    /// The value of `field` in the page's last item (an id) sent in `to`, as Stripe's
    /// `starting_after`. Stops on an empty page.
    pub const fn last_item(field: &'static str, to: PageParam) -> Self {
        Self::with(Next::LastItem { field, to })
    }

    /// A URL each page gives in `from` (a body field, or [`PageField::LinkHeader`]), fetched
    /// with `GET`; relative URLs resolve against the request's. Stops when the page gives none.
    pub const fn next_link(from: PageField) -> Self {
        Self::with(Next::Link { from })
    }

    /// The path of wire names from the body's root to the array of items; empty (the default)
    /// when the body is the array.
    pub const fn items(mut self, path: &'static [&'static str]) -> Self {
        self.items = path;
        self
    }

    /// Booleans that say "more pages follow" (`has_more`), in order of preference: the first
    /// present decides, and the walk stops unless one is present and `true`.
    pub const fn more(mut self, paths: &'static [&'static [&'static str]]) -> Self {
        self.more = paths;
        self
    }

    /// Booleans that say "this is the last page" (`last`, `done`): the first present decides,
    /// and `true` stops the walk.
    pub const fn done(mut self, paths: &'static [&'static [&'static str]]) -> Self {
        self.done = paths;
        self
    }

    /// Where the page gives the number of items in the whole list: page-number and offset
    /// walks stop once they have gone that far.
    pub const fn total_items(mut self, field: PageField) -> Self {
        self.total_items = Some(field);
        self
    }

    /// Where the page gives the number of pages: page-number walks stop at the last one.
    pub const fn total_pages(mut self, field: PageField) -> Self {
        self.total_pages = Some(field);
        self
    }

    /// The query parameter that sets the page size (`per_page`, `limit`): when the request
    /// sent one, a page with fewer items is the last (page-number and offset walks).
    pub const fn page_size(mut self, param: &'static str) -> Self {
        self.page_size = Some(param);
        self
    }

    /// Token walks: the next requests keep only these query parameters of the first (with the
    /// token), as dropshot wants (its page token stands for the other parameters).
    pub const fn keep_only(mut self, params: &'static [&'static str]) -> Self {
        self.keep_only = Some(params);
        self
    }

    /// Next links: these query parameters of the first request are added to a link that lacks
    /// them (Azure's `api-version`, which a `nextLink` may leave out).
    pub const fn carry(mut self, params: &'static [&'static str]) -> Self {
        self.carry = params;
        self
    }
}
