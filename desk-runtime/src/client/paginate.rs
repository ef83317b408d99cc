//! Walking page-numbered list endpoints as a [`Stream`]: whole pages
//! ([`pages`]) or their items ([`items`], [`paginate`]).

use std::future::Future;

use futures_util::stream::{self, Stream, StreamExt};

/// Turns a page-fetching closure into a stream of whole pages.
///
/// `fetch(page)` returns page `page` (the whole list body: items, included
/// objects, paging information) and whether to ask for the next one. The
/// stream starts at `first_page`, yields every page in order and asks for
/// `page + 1` only while the previous one said so. Generated clients say so
/// when the body reports more pages **and** the page had items (so a server
/// that keeps saying "more" with empty pages cannot loop forever). The first
/// error is yielded and ends the stream.
///
/// The stream is not `Unpin`; pin it (`std::pin::pin!`, `Box::pin`) before
/// calling `next()` on it.
pub fn pages<P, E, F, Fut>(first_page: u32, fetch: F) -> impl Stream<Item = Result<P, E>>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<(P, bool), E>>,
{
    stream::unfold((fetch, Some(first_page)), |(mut fetch, page)| async move {
        let page = page?;
        match fetch(page).await {
            Ok((body, more)) => {
                let next = if more { page.checked_add(1) } else { None };
                Some((Ok(body), (fetch, next)))
            }
            Err(error) => Some((Err(error), (fetch, None))),
        }
    })
}

/// The items of a stream of pages: `take(page)` takes the items out of each
/// page, which are yielded in order; an error is passed on.
pub fn items<P, T, E, S, F>(pages: S, mut take: F) -> impl Stream<Item = Result<T, E>>
where
    S: Stream<Item = Result<P, E>>,
    F: FnMut(P) -> Vec<T>,
{
    pages
        .map(move |page| {
            let batch: Vec<Result<T, E>> = match page {
                Ok(page) => take(page).into_iter().map(Ok).collect(),
                Err(error) => vec![Err(error)],
            };
            stream::iter(batch)
        })
        .flatten()
}

/// Turns a page-fetching closure into a stream of items.
///
/// `fetch(page)` returns the items of page `page` and whether more pages
/// follow. The stream starts at `first_page`, yields every item of each page
/// in order, and asks for the next page (`page + 1`) only while the previous
/// one said `has_more` **and** was non-empty (so a server that keeps saying
/// "more" with empty pages cannot loop forever). The first error is yielded
/// and ends the stream.
///
/// The stream is not `Unpin`; pin it (`std::pin::pin!`, `Box::pin`) before
/// calling `next()` on it.
///
/// ```
/// use desk_runtime::client::{paginate, StreamExt};
///
/// # tokio_test_block_on(async {
/// let items: Vec<Result<u32, ()>> = paginate(1, |page| async move {
///     Ok((vec![page * 10, page * 10 + 1], page < 3))
/// })
/// .collect()
/// .await;
/// assert_eq!(items, vec![Ok(10), Ok(11), Ok(20), Ok(21), Ok(30), Ok(31)]);
/// # });
/// # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
pub fn paginate<T, E, F, Fut>(first_page: u32, mut fetch: F) -> impl Stream<Item = Result<T, E>>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, bool), E>>,
{
    let pages = pages(first_page, move |page| {
        let fut = fetch(page);
        async move {
            let (items, has_more) = fut.await?;
            let more = has_more && !items.is_empty();
            Ok((items, more))
        }
    });
    items(pages, |items| items)
}
