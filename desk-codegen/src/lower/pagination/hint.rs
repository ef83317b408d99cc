//! [`PageHint`]: pagination said by hand, with [`Config::pagination`](crate::Config::pagination)
//! or the `x-desk-pagination` extension.

use serde::Deserialize;

/// How one operation pages, said by hand where detection cannot tell (or tells wrong):
/// [`Config::pagination`](crate::Config::pagination), or the operation's `x-desk-pagination`
/// extension, which takes the same fields in `kebab-case`:
///
/// ```yaml
/// x-desk-pagination:
///   style: token              # none | page-number | offset | token | last-item | next-link | link-header
///   param: cursor             # the query parameter the next request sets (page-number, offset, token, last-item)
///   next: meta.next_cursor    # token, next-link: where the page gives it (`header:Name` for a response header)
///   items: data               # the array of items (found when the body has one array)
///   more: meta.has_more       # a boolean that says more pages follow
/// ```
///
/// Paths are wire names joined by `.` from the body's root (a name that holds a `.` itself,
/// such as `@odata.nextLink`, is matched whole first). `x-desk-pagination: false` is
/// `style: none`: no page methods. A hint that does not fit the operation (a parameter it
/// does not have, a path its success body does not have or of the wrong type) stops
/// generation with an error at the hint.
///
/// ```
/// use desk_codegen::{Config, PageHint};
///
/// let mut config = Config::new();
/// config
///     .pagination("listEvents", PageHint::token("after", "paging.cursors.after").items("data"))
///     .pagination("listLogs", PageHint::none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PageHint {
    pub(crate) style: HintStyle,
    #[serde(default)]
    pub(crate) param: Option<String>,
    #[serde(default)]
    pub(crate) header: Option<String>,
    #[serde(default)]
    pub(crate) next: Option<String>,
    #[serde(default)]
    pub(crate) id: Option<String>,
    #[serde(default)]
    pub(crate) items: Option<String>,
    #[serde(default)]
    pub(crate) more: Option<String>,
    #[serde(default)]
    pub(crate) done: Option<String>,
    #[serde(default)]
    pub(crate) total_items: Option<String>,
    #[serde(default)]
    pub(crate) total_pages: Option<String>,
    #[serde(default)]
    pub(crate) page_size: Option<String>,
    #[serde(default)]
    pub(crate) first: Option<i64>,
}

/// The styles a [`PageHint`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum HintStyle {
    None,
    PageNumber,
    Offset,
    Token,
    LastItem,
    NextLink,
    LinkHeader,
}

impl HintStyle {
    pub(crate) fn name(self) -> &'static str {
        match self {
            HintStyle::None => "none",
            HintStyle::PageNumber => "page-number",
            HintStyle::Offset => "offset",
            HintStyle::Token => "token",
            HintStyle::LastItem => "last-item",
            HintStyle::NextLink => "next-link",
            HintStyle::LinkHeader => "link-header",
        }
    }
}

impl PageHint {
    fn of(style: HintStyle) -> Self {
        PageHint {
            style,
            param: None,
            header: None,
            next: None,
            id: None,
            items: None,
            more: None,
            done: None,
            total_items: None,
            total_pages: None,
            page_size: None,
            first: None,
        }
    }

    /// No page methods, whatever detection finds.
    pub fn none() -> Self {
        Self::of(HintStyle::None)
    }

    /// Page numbers in the query parameter `param` (from 1, or [`PageHint::first`]).
    pub fn page_number(param: impl Into<String>) -> Self {
        PageHint {
            param: Some(param.into()),
            ..Self::of(HintStyle::PageNumber)
        }
    }

    /// An offset in the query parameter `param`, advanced by the items received.
    pub fn offset(param: impl Into<String>) -> Self {
        PageHint {
            param: Some(param.into()),
            ..Self::of(HintStyle::Offset)
        }
    }

    /// A token the page gives at `next` (a body path, or `header:Name`), sent back as the
    /// query parameter `param`.
    pub fn token(param: impl Into<String>, next: impl Into<String>) -> Self {
        PageHint {
            param: Some(param.into()),
            next: Some(next.into()),
            ..Self::of(HintStyle::Token)
        }
    }

    /// A token the page gives at `next`, sent back as the request header `header`.
    pub fn header_token(header: impl Into<String>, next: impl Into<String>) -> Self {
        PageHint {
            header: Some(header.into()),
            next: Some(next.into()),
            ..Self::of(HintStyle::Token)
        }
    }

    /// The last item's `id` sent as the query parameter `param` (Stripe's `starting_after`);
    /// another field with [`PageHint::id`].
    pub fn last_item(param: impl Into<String>) -> Self {
        PageHint {
            param: Some(param.into()),
            ..Self::of(HintStyle::LastItem)
        }
    }

    /// A URL the page gives at `next` (a body path, or `header:Name`), fetched with `GET`.
    pub fn next_link(next: impl Into<String>) -> Self {
        PageHint {
            next: Some(next.into()),
            ..Self::of(HintStyle::NextLink)
        }
    }

    /// The `rel="next"` URL of the RFC 8288 `Link` response header.
    pub fn link_header() -> Self {
        Self::of(HintStyle::LinkHeader)
    }

    /// The path of the array of items in the body.
    pub fn items(mut self, path: impl Into<String>) -> Self {
        self.items = Some(path.into());
        self
    }

    /// The path of a boolean that says more pages follow.
    pub fn more(mut self, path: impl Into<String>) -> Self {
        self.more = Some(path.into());
        self
    }

    /// The path of a boolean that says this is the last page.
    pub fn done(mut self, path: impl Into<String>) -> Self {
        self.done = Some(path.into());
        self
    }

    /// Where the page gives the number of items in the whole list (a body path, or
    /// `header:Name`).
    pub fn total_items(mut self, path: impl Into<String>) -> Self {
        self.total_items = Some(path.into());
        self
    }

    /// Where the page gives the number of pages (a body path, or `header:Name`).
    pub fn total_pages(mut self, path: impl Into<String>) -> Self {
        self.total_pages = Some(path.into());
        self
    }

    /// The query parameter that sets the page size: a shorter page is the last.
    pub fn page_size(mut self, param: impl Into<String>) -> Self {
        self.page_size = Some(param.into());
        self
    }

    /// The item field whose value the last-item style sends (default `id`).
    pub fn id(mut self, field: impl Into<String>) -> Self {
        self.id = Some(field.into());
        self
    }

    /// The number of the first page (default 1), or the offset of the first item (default 0),
    /// when the request sends none.
    pub fn first(mut self, first: i64) -> Self {
        self.first = Some(first);
        self
    }
}
