//! Page streams: one engine that walks a list operation page after page, whatever its style.
//!
//! A generated `{operation}_pages` method states how its operation pages (a [`Paging`]) and
//! hands [`Pages::new`] a closure that calls the operation with a client copy; the stream
//! calls it once per page. The first request is exactly the one the caller's parameters make;
//! each next one is that request with one change, decided from the page before:
//!
//! | style | the next request | no more when |
//! |---|---|---|
//! | [`Paging::page_number`] | the page number sent (or the first) plus one | an empty page; a page shorter than the page size sent; the total pages or items reached; a "more" flag not `true` or a "last" flag `true` |
//! | [`Paging::offset`] | the offset sent (or 0) plus the items received | the same, for offsets |
//! | [`Paging::token`] | the token the page gives (body field or header), sent as a query parameter or header | no token (absent, `null`, `""`); flags as above |
//! | [`Paging::last_item`] | a field of the last item (Stripe's `starting_after` = its `id`) | an empty page; flags |
//! | [`Paging::next_link`] | `GET` the URL the page gives (body field, or `rel="next"` of the `Link` header) | no link; flags |
//!
//! # Safety of the walk
//!
//! * **Next links** resolve against the URL of the request that returned them, so relative
//!   links work. A link on another origin (scheme, host or port) than the client's base URL
//!   is followed **without credentials**: no `Authorization` header and none of the
//!   operation's header parameters (which may carry API keys). A link that is not `http(s)`
//!   ends the stream with [`PagingError::InvalidLink`].
//! * **Loops end with an error**: a token, item id or link the walk has already followed, or
//!   a page holding the same items as the one before, ends the stream with
//!   [`PagingError::Repeated`] or [`PagingError::SameItems`] (after the page that showed it)
//!   instead of asking again for ever. Only hashes of what was followed are kept.
//! * **Errors end the stream**: the first failed page is yielded as its error, and nothing
//!   more is fetched.
//! * **Time**: each page is one call of the operation, bounded by the client's per-call
//!   deadline and timeout (`with_deadline`, `with_timeout` on the client the method is called
//!   on), so a slow page fails with `is_timeout()` and ends the stream.
//! * **Caps**: [`Pages::max_pages`], [`Items::max_pages`] and [`Items::max_items`] stop the
//!   walk early without fetching another page; streams are lazy, so `take(n)` works as well.
//!
//! Each page's body is read twice: once into the operation's type, once as JSON for the
//! walk's fields (items, tokens, links, flags, totals).

mod link;
mod paging;
mod walk;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::Stream;

pub use paging::{PageField, PageParam, Paging};
pub(crate) use walk::PageSlot;
use walk::Walk;

use super::api_client::ApiClient;
use super::transport::BoxFuture;

/// Why a page stream ended early although the server answered every request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PagingError {
    /// The server gave a token, item id or link this walk had already followed: following it
    /// would go round for ever.
    #[error("page {page} repeats a {what} this walk already followed (the server sends the walk in a circle)")]
    Repeated {
        /// The page (counted from 1) whose response repeated it.
        page: u64,
        /// What repeated: `next link`, `next-page token`, `last item's id`.
        what: &'static str,
    },
    /// A page held exactly the items of the one before: the server ignores the page
    /// parameter, and asking on would go round for ever.
    #[error("page {page} holds the same items as the page before (the server ignores the page parameter)")]
    SameItems {
        /// The page (counted from 1) that repeated its predecessor.
        page: u64,
    },
    /// A page's next link is not a URL that can be followed.
    #[error("the next link of page {page} cannot be followed: {reason}")]
    InvalidLink {
        /// The page (counted from 1) that gave the link.
        page: u64,
        /// Why (the link itself is not shown: it may carry tokens).
        reason: String,
    },
}

type Fetch<'a, P, E> = Box<dyn FnMut(ApiClient) -> BoxFuture<'a, Result<P, E>> + Send + 'a>;

/// A page's request under way, and the slot that sees its response.
type InFlight<'a, P, E> = (BoxFuture<'a, Result<P, E>>, Arc<PageSlot>);

/// A stream of whole pages of a list operation (each the operation's typed body: items,
/// included objects, totals and metadata stay reachable), made by a generated
/// `{operation}_pages` method. See the [module docs](self) for how it walks and when it
/// stops; it yields the first error and then ends.
///
/// It is `Unpin` and `Send`: call `next()` (from [`StreamExt`](super::StreamExt)) directly,
/// or spawn it when the method borrows nothing.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<'a, P, E> {
    fetch: Fetch<'a, P, E>,
    walk: Walk,
    in_flight: Option<InFlight<'a, P, E>>,
    /// An error to yield after the page that showed it.
    pending: Option<PagingError>,
}

impl<'a, P: 'a, E: 'a> Pages<'a, P, E> {
    /// The pages of the operation `fetch` calls: once per page, with a copy of `client` that
    /// makes the changes `paging` decides to the request it sends.
    pub fn new<F, Fut>(client: &ApiClient, paging: Paging, mut fetch: F) -> Self
    where
        F: FnMut(ApiClient) -> Fut + Send + 'a,
        Fut: Future<Output = Result<P, E>> + Send + 'a,
    {
        Pages {
            fetch: Box::new(move |client| Box::pin(fetch(client))),
            walk: Walk::new(client, paging),
            in_flight: None,
            pending: None,
        }
    }

    /// Stops after `max` pages (counted from the first one this stream fetches).
    pub fn max_pages(mut self, max: u64) -> Self {
        self.walk.set_max_pages(max);
        self
    }

    /// The items of each page, in order: `take` takes them out of a page.
    pub fn items<T: 'a>(self, take: fn(P) -> Vec<T>) -> Items<'a, T, E> {
        let mut fetch = self.fetch;
        let pages = Pages {
            fetch: Box::new(move |client| {
                let page = fetch(client);
                Box::pin(async move { page.await.map(take) })
            }),
            walk: self.walk,
            in_flight: None,
            pending: None,
        };
        Items {
            pages,
            batch: Vec::new().into_iter(),
            max_items: None,
            yielded: 0,
        }
    }
}

impl<P, E: From<PagingError>> Stream for Pages<'_, P, E> {
    type Item = Result<P, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some((page, slot)) = &mut this.in_flight {
                let result = match page.as_mut().poll(cx) {
                    Poll::Ready(result) => result,
                    Poll::Pending => return Poll::Pending,
                };
                let slot = slot.clone();
                this.in_flight = None;
                return Poll::Ready(Some(match result {
                    Ok(page) => {
                        if let Err(error) = this.walk.after(&slot) {
                            this.pending = Some(error);
                            this.walk.end();
                        }
                        Ok(page)
                    }
                    Err(error) => {
                        this.walk.end();
                        Err(error)
                    }
                }));
            }
            if let Some(error) = this.pending.take() {
                return Poll::Ready(Some(Err(error.into())));
            }
            let Some((client, slot)) = this.walk.start() else {
                return Poll::Ready(None);
            };
            this.in_flight = Some(((this.fetch)(client), slot));
        }
    }
}

/// A stream of the items of a list operation, page after page, made by a generated
/// `{operation}_stream` method (see [`Pages`]); it yields the first error and then ends.
#[must_use = "streams do nothing unless polled"]
pub struct Items<'a, T, E> {
    pages: Pages<'a, Vec<T>, E>,
    batch: std::vec::IntoIter<T>,
    max_items: Option<u64>,
    yielded: u64,
}

// Nothing is pinned in place: the pages stream is boxed inside and items are moved out.
impl<T, E> Unpin for Items<'_, T, E> {}

impl<T, E> Items<'_, T, E> {
    /// Stops after `max` items, without fetching a page more than they need.
    pub fn max_items(mut self, max: u64) -> Self {
        self.max_items = Some(max);
        self
    }

    /// Stops after the items of `max` pages.
    pub fn max_pages(mut self, max: u64) -> Self {
        self.pages.walk.set_max_pages(max);
        self
    }
}

impl<T, E: From<PagingError>> Stream for Items<'_, T, E> {
    type Item = Result<T, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.max_items.is_some_and(|max| this.yielded >= max) {
                return Poll::Ready(None);
            }
            if let Some(item) = this.batch.next() {
                this.yielded += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Ready(Some(Ok(items))) => this.batch = items.into_iter(),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}
