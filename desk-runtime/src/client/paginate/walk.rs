//! One walk over a list: what each next request changes ([`Rewrite`], applied by a
//! [`PageSlot`] as the request is sent), and when the walk ends ([`Walk::after`]).

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use http::{HeaderMap, Method};
use serde_json::Value;

use super::paging::{Next, PageField, PageParam, Paging};
use super::PagingError;
use crate::client::api_client::{ApiClient, RequestSpec};
use crate::client::encode::encode_query_component;
use crate::client::transport::Response;

/// What the next request changes from the request the caller's parameters make.
#[derive(Clone, Debug)]
pub(crate) enum Rewrite {
    /// Nothing: the first page, as the caller asked for it.
    AsGiven,
    /// Sets this query parameter.
    Query { name: &'static str, value: String },
    /// Sets this request header.
    Header { name: &'static str, value: String },
    /// `GET` this URL instead; `credentials`: whether it is on the client's origin, and so
    /// may be sent the `Authorization` header and the operation's header parameters.
    Url { url: url::Url, credentials: bool },
}

/// What one page's request and response were, as the walk needs them.
#[derive(Debug)]
pub(crate) struct Seen {
    /// The request's URL (relative next links resolve against it).
    url: url::Url,
    /// The response headers.
    headers: HeaderMap,
    /// The response body.
    body: Bytes,
}

impl Seen {
    /// The last value of query parameter `name` the request sent.
    fn query(&self, name: &str) -> Option<String> {
        self.url
            .query_pairs()
            .filter(|(key, _)| key == name)
            .last()
            .map(|(_, value)| value.into_owned())
    }
}

/// The request of one page: changed by [`PageSlot::prepare`] as it is sent, its response kept
/// by [`PageSlot::record`] for the walk. The generated operation method sends it as usual;
/// its client copy carries the slot (see `ApiClient::with_page_slot`).
#[derive(Debug)]
pub(crate) struct PageSlot {
    rewrite: Rewrite,
    keep_only: Option<&'static [&'static str]>,
    carry: &'static [&'static str],
    /// The request's URL, once prepared.
    url: Mutex<Option<url::Url>>,
    seen: Mutex<Option<Seen>>,
}

impl PageSlot {
    fn new(rewrite: Rewrite, paging: &Paging) -> Self {
        PageSlot {
            rewrite,
            keep_only: paging.keep_only,
            carry: paging.carry,
            url: Mutex::new(None),
            seen: Mutex::new(None),
        }
    }

    /// Applies the rewrite to the request the operation built.
    pub(crate) fn prepare(&self, spec: &mut RequestSpec, client: &ApiClient) {
        match &self.rewrite {
            Rewrite::AsGiven => {}
            Rewrite::Query { name, value } => {
                if let Some(keep) = self.keep_only {
                    spec.query
                        .retain(|(key, _)| keep.contains(&key.as_str()) || key == name);
                }
                set_pair(&mut spec.query, name, value, |a, b| a == b);
            }
            Rewrite::Header { name, value } => {
                set_pair(&mut spec.headers, name, value, str::eq_ignore_ascii_case);
            }
            Rewrite::Url { url, credentials } => {
                let mut url = url.clone();
                carry_params(&mut url, &spec.query, self.carry);
                spec.method = Method::GET;
                spec.body = None;
                spec.query.clear();
                spec.idempotent = true;
                spec.headers
                    .retain(|(key, _)| !key.eq_ignore_ascii_case("content-type"));
                if !credentials {
                    spec.authenticated = false;
                    spec.headers
                        .retain(|(key, _)| key.eq_ignore_ascii_case("accept"));
                }
                spec.url = Some(url.into());
            }
        }
        let url = match &spec.url {
            Some(url) => url::Url::parse(url).ok(),
            None => url::Url::parse(&client.url(&spec.path, &spec.query)).ok(),
        };
        *lock(&self.url) = url;
    }

    /// Keeps what the walk needs of the response.
    pub(crate) fn record(&self, response: &Response) {
        let Some(url) = lock(&self.url).take() else {
            return;
        };
        *lock(&self.seen) = Some(Seen {
            url,
            headers: response.headers.clone(),
            body: response.body.clone(),
        });
    }

    fn take(&self) -> Option<Seen> {
        lock(&self.seen).take()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Sets `name` to `value` in `pairs`: in place of its first occurrence (others removed), or
/// appended.
fn set_pair(
    pairs: &mut Vec<(String, String)>,
    name: &str,
    value: &str,
    same: impl Fn(&str, &str) -> bool,
) {
    match pairs.iter().position(|(key, _)| same(key, name)) {
        Some(first) => {
            pairs[first].1 = value.to_owned();
            let mut index = 0;
            pairs.retain(|(key, _)| {
                index += 1;
                index - 1 == first || !same(key, name)
            });
        }
        None => pairs.push((name.to_owned(), value.to_owned())),
    }
}

/// Adds to `url` each of `names` that the first request sent and the link lacks.
fn carry_params(url: &mut url::Url, sent: &[(String, String)], names: &[&str]) {
    let mut query = url.query().unwrap_or_default().to_owned();
    let mut changed = false;
    for name in names {
        if url.query_pairs().any(|(key, _)| key == *name) {
            continue;
        }
        for (key, value) in sent.iter().filter(|(key, _)| key == name) {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&encode_query_component(key));
            query.push('=');
            query.push_str(&encode_query_component(value));
            changed = true;
        }
    }
    if changed {
        url.set_query(Some(&query));
    }
}

/// The state of one walk: the next request, the pages fetched, what has been followed.
pub(crate) struct Walk {
    paging: Paging,
    client: ApiClient,
    /// The next request; `None` once the walk has ended.
    next: Option<Rewrite>,
    pages: u64,
    max_pages: Option<u64>,
    /// Hashes of every token, item id and link followed: one seen again is a loop.
    followed: HashSet<u64>,
    /// A hash of the previous page's items.
    last_items: Option<u64>,
    /// The most items one page has held (the page size, when the request does not set one).
    largest_page: u64,
}

impl Walk {
    pub(crate) fn new(client: &ApiClient, paging: Paging) -> Self {
        Walk {
            paging,
            client: client.clone(),
            next: Some(Rewrite::AsGiven),
            pages: 0,
            max_pages: None,
            followed: HashSet::new(),
            last_items: None,
            largest_page: 0,
        }
    }

    /// Ends the walk: nothing more is fetched.
    pub(crate) fn end(&mut self) {
        self.next = None;
    }

    pub(crate) fn set_max_pages(&mut self, max: u64) {
        self.max_pages = Some(max);
    }

    /// The client copy that sends the next page's request, and the slot that rewrites it;
    /// `None` when the walk has ended or reached its cap.
    pub(crate) fn start(&mut self) -> Option<(ApiClient, Arc<PageSlot>)> {
        if self.max_pages.is_some_and(|max| self.pages >= max) {
            self.next = None;
        }
        let rewrite = self.next.take()?;
        self.pages += 1;
        let slot = Arc::new(PageSlot::new(rewrite, &self.paging));
        Some((self.client.with_page_slot(slot.clone()), slot))
    }

    /// Decides the next request from what `slot` saw: ends the walk when nothing says more,
    /// and with an error when the server sends the walk in a circle.
    pub(crate) fn after(&mut self, slot: &PageSlot) -> Result<(), PagingError> {
        let Some(seen) = slot.take() else {
            return Ok(());
        };
        self.next = self.decide(&seen)?;
        Ok(())
    }

    fn decide(&mut self, seen: &Seen) -> Result<Option<Rewrite>, PagingError> {
        let body: Value = serde_json::from_slice(&seen.body).unwrap_or(Value::Null);
        let items = at(&body, self.paging.items).and_then(Value::as_array);
        let count = items.map_or(0, Vec::len) as u64;
        if let Some(items) = items.filter(|items| !items.is_empty()) {
            let hash = hash_of(&serde_json::to_string(items).unwrap_or_default());
            if self.last_items == Some(hash) {
                return Err(PagingError::SameItems { page: self.pages });
            }
            self.last_items = Some(hash);
        }
        self.largest_page = self.largest_page.max(count);
        if !self.paging.more.is_empty() && first_bool(&body, self.paging.more) != Some(true) {
            return Ok(None);
        }
        if first_bool(&body, self.paging.done) == Some(true) {
            return Ok(None);
        }
        match self.paging.next {
            Next::Page { param, first } => {
                if count == 0 || self.short(seen, count) {
                    return Ok(None);
                }
                let current = seen
                    .query(param)
                    .and_then(|v| v.trim().parse::<i64>().ok())
                    .unwrap_or(first);
                let walked = u64::try_from(current.saturating_sub(first))
                    .unwrap_or(0)
                    .saturating_add(1);
                if self
                    .number(seen, &body, self.paging.total_pages)
                    .is_some_and(|total| walked >= total)
                {
                    return Ok(None);
                }
                // The largest page seen, not the size asked for: a server may cap it.
                let size = self.largest_page;
                if self
                    .number(seen, &body, self.paging.total_items)
                    .is_some_and(|total| walked.saturating_mul(size) >= total)
                {
                    return Ok(None);
                }
                Ok(current.checked_add(1).map(|next| Rewrite::Query {
                    name: param,
                    value: next.to_string(),
                }))
            }
            Next::Offset { param, start } => {
                if count == 0 || self.short(seen, count) {
                    return Ok(None);
                }
                let current = seen
                    .query(param)
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .unwrap_or(start);
                let next = current.saturating_add(count);
                if self
                    .number(seen, &body, self.paging.total_items)
                    .is_some_and(|total| next.saturating_sub(start) >= total)
                {
                    return Ok(None);
                }
                Ok(Some(Rewrite::Query {
                    name: param,
                    value: next.to_string(),
                }))
            }
            Next::Token { from, to } => {
                let Some(token) = self.text(seen, &body, from) else {
                    return Ok(None);
                };
                self.follow("next-page token", &token)?;
                Ok(Some(param_rewrite(to, token)))
            }
            Next::LastItem { field, to } => {
                let last = items.and_then(|items| items.last());
                let Some(id) = last.and_then(|item| item.get(field)).and_then(token_text) else {
                    return Ok(None);
                };
                self.follow("last item's id", &id)?;
                Ok(Some(param_rewrite(to, id)))
            }
            Next::Link { from } => {
                let Some(link) = self.text(seen, &body, from) else {
                    return Ok(None);
                };
                let url = seen
                    .url
                    .join(&link)
                    .map_err(|error| PagingError::InvalidLink {
                        page: self.pages,
                        reason: error.to_string(),
                    })?;
                if !matches!(url.scheme(), "http" | "https") {
                    return Err(PagingError::InvalidLink {
                        page: self.pages,
                        reason: format!("the scheme `{}` is not http or https", url.scheme()),
                    });
                }
                self.follow("next link", url.as_str())?;
                let credentials = url.origin() == self.client.base_origin();
                Ok(Some(Rewrite::Url { url, credentials }))
            }
        }
    }

    /// Whether the request set the page size and the page holds fewer items.
    fn short(&self, seen: &Seen, count: u64) -> bool {
        self.size_sent(seen).is_some_and(|size| count < size)
    }

    fn size_sent(&self, seen: &Seen) -> Option<u64> {
        let param = self.paging.page_size?;
        seen.query(param)?.trim().parse().ok().filter(|n| *n > 0)
    }

    /// A count the page gives (a total), as a number or its text.
    fn number(&self, seen: &Seen, body: &Value, field: Option<PageField>) -> Option<u64> {
        let text = match field? {
            PageField::Body(path) => {
                let value = at(body, path)?;
                match value {
                    Value::Number(n) => {
                        return n
                            .as_u64()
                            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
                    }
                    other => other.as_str()?.to_owned(),
                }
            }
            PageField::Header(name) => seen.headers.get(name)?.to_str().ok()?.to_owned(),
            PageField::LinkHeader => return None,
        };
        text.trim().parse().ok()
    }

    /// A token or link the page gives: `None` when absent, `null` or empty.
    fn text(&self, seen: &Seen, body: &Value, field: PageField) -> Option<String> {
        let text = match field {
            PageField::Body(path) => token_text(at(body, path)?)?,
            PageField::Header(name) => seen.headers.get(name)?.to_str().ok()?.trim().to_owned(),
            PageField::LinkHeader => super::link::next_target(&seen.headers)?,
        };
        (!text.is_empty()).then_some(text)
    }

    /// Remembers a token, id or link; one already followed is a loop.
    fn follow(&mut self, what: &'static str, value: &str) -> Result<(), PagingError> {
        if self.followed.insert(hash_of(value)) {
            Ok(())
        } else {
            Err(PagingError::Repeated {
                page: self.pages,
                what,
            })
        }
    }
}

fn param_rewrite(to: PageParam, value: String) -> Rewrite {
    match to {
        PageParam::Query(name) => Rewrite::Query { name, value },
        PageParam::Header(name) => Rewrite::Header { name, value },
    }
}

/// The value at `path` of wire names from `value`.
fn at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(value, |value, key| value.get(key))
}

/// The first boolean present at one of `paths`.
fn first_bool(body: &Value, paths: &[&[&str]]) -> Option<bool> {
    paths
        .iter()
        .find_map(|path| at(body, path).and_then(Value::as_bool))
}

/// A token as text: a string as it is, a number in JSON notation; `None` for anything else.
fn token_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.trim().to_owned()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// A hash that keeps what was followed out of memory (tokens may be secrets).
fn hash_of(text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_pair_replaces_in_place_and_removes_repeats() {
        let mut pairs = vec![
            ("a".to_owned(), "1".to_owned()),
            ("page".to_owned(), "1".to_owned()),
            ("b".to_owned(), "2".to_owned()),
            ("page".to_owned(), "9".to_owned()),
        ];
        set_pair(&mut pairs, "page", "2", |a, b| a == b);
        assert_eq!(
            pairs,
            [("a", "1"), ("page", "2"), ("b", "2")].map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        set_pair(&mut pairs, "cursor", "x", |a, b| a == b);
        assert_eq!(
            pairs.last().unwrap(),
            &("cursor".to_owned(), "x".to_owned())
        );
    }

    #[test]
    fn carried_params_are_added_only_when_missing() {
        let sent = vec![
            ("api-version".to_owned(), "2020-01-01".to_owned()),
            ("$top".to_owned(), "5".to_owned()),
        ];
        let mut url = url::Url::parse("https://x.test/list?$skiptoken=abc").unwrap();
        carry_params(&mut url, &sent, &["api-version"]);
        assert_eq!(
            url.as_str(),
            "https://x.test/list?$skiptoken=abc&api-version=2020-01-01"
        );
        let mut url = url::Url::parse("https://x.test/list?api-version=2021").unwrap();
        carry_params(&mut url, &sent, &["api-version"]);
        assert_eq!(url.as_str(), "https://x.test/list?api-version=2021");
    }

    #[test]
    fn tokens_are_text() {
        assert_eq!(token_text(&Value::from("  abc ")), Some("abc".into()));
        assert_eq!(token_text(&Value::from(7)), Some("7".into()));
        assert_eq!(token_text(&Value::Null), None);
        assert_eq!(token_text(&Value::Bool(true)), None);
    }
}
