//! Rate-limit headers ([`RateLimit`]) and the retry policy ([`RetryPolicy`]).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::HeaderMap;

/// Rate-limit information from response headers.
///
/// Every field is `None` when its header is missing or not a non-negative
/// integer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// `X-Rate-Limit-Limit`: requests allowed per window.
    pub limit: Option<u64>,
    /// `X-Rate-Limit-Remaining`: requests left in the current window.
    pub remaining: Option<u64>,
    /// `X-Rate-Limit-Reset`: when the window resets, as UTC epoch seconds.
    pub reset: Option<u64>,
    /// `Retry-After`: how long to wait before retrying (delay-seconds, or the
    /// time left until the HTTP date it names).
    pub retry_after: Option<Duration>,
}

impl RateLimit {
    /// Reads `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining`,
    /// `X-Rate-Limit-Reset` and `Retry-After` (names are case-insensitive),
    /// as of the current time.
    ///
    /// The `X-RateLimit-*` spelling (no hyphen between "Rate" and "Limit") is
    /// accepted as a fallback. `Retry-After` is understood in both of its
    /// forms (RFC 9110 §10.2.3): delay-seconds, and an HTTP date, which
    /// becomes the time left until then (zero if it has passed).
    pub fn from_headers(headers: &HeaderMap) -> RateLimit {
        RateLimit::from_headers_at(headers, SystemTime::now())
    }

    /// [`RateLimit::from_headers`] as of `now` (an HTTP-date `Retry-After`
    /// is counted from `now`).
    pub fn from_headers_at(headers: &HeaderMap, now: SystemTime) -> RateLimit {
        let number = |names: &[&str]| names.iter().find_map(|name| header_u64(headers, name));
        RateLimit {
            limit: number(&["x-rate-limit-limit", "x-ratelimit-limit"]),
            remaining: number(&["x-rate-limit-remaining", "x-ratelimit-remaining"]),
            reset: number(&["x-rate-limit-reset", "x-ratelimit-reset"]),
            retry_after: retry_after(headers, now),
        }
    }

    /// Whether any of the headers was present.
    pub fn is_empty(&self) -> bool {
        *self == RateLimit::default()
    }

    /// How long to wait, counted from `now`, before the rate limit allows
    /// another request: `retry_after` if present, otherwise the time until
    /// `reset` (zero if that is in the past), otherwise `None`.
    ///
    /// A `reset` value too small to be an epoch timestamp (below
    /// 1 000 000 000, i.e. before 2001) is taken as a number of seconds to
    /// wait, which is how some servers use this header.
    pub fn wait_time(&self, now: SystemTime) -> Option<Duration> {
        if let Some(retry_after) = self.retry_after {
            return Some(retry_after);
        }
        let reset = self.reset?;
        if reset < 1_000_000_000 {
            return Some(Duration::from_secs(reset));
        }
        let at = UNIX_EPOCH.checked_add(Duration::from_secs(reset))?;
        Some(at.duration_since(now).unwrap_or(Duration::ZERO))
    }
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse::<u64>().ok()
}

/// `Retry-After` as delay-seconds or as an HTTP date (IMF-fixdate, and the obsolete RFC 850 and
/// asctime forms, as `httpdate` reads them).
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = headers.get("retry-after")?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(text).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// When and how long [`ApiClient::execute`](super::ApiClient::execute) waits
/// before retrying.
///
/// * `429 Too Many Requests` is retried for every method: the wait is
///   `Retry-After`, else the time until `X-Rate-Limit-Reset`, else the
///   exponential backoff — always capped at `max_rate_limit_wait`.
/// * `502`, `503`, `504`, timeouts and connection failures are retried only
///   for idempotent requests, after the exponential backoff
///   (`initial_backoff * 2^retry`, capped at `max_backoff`) with jitter
///   (a random wait between half of it and all of it, so that clients that
///   failed together do not retry together), or after `Retry-After` when a
///   `503` carries one.
/// * No wait runs past the call's deadline
///   ([`ApiClientBuilder::deadline`](super::ApiClientBuilder::deadline)): when
///   the next wait would, the call ends with what it has. The deadline is
///   therefore the cap on the total time spent retrying.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times a request may be retried (so at most `max_retries + 1`
    /// attempts). `0` disables retries.
    pub max_retries: u32,
    /// The wait before the first retry; doubled for each further retry.
    pub initial_backoff: Duration,
    /// The longest exponential-backoff wait.
    pub max_backoff: Duration,
    /// The longest wait for a rate limit (429) to clear.
    pub max_rate_limit_wait: Duration,
    /// Whether exponential-backoff waits are randomised (see
    /// [`RetryPolicy::jittered_backoff`]). Waits the server asks for
    /// (`Retry-After`, `X-Rate-Limit-Reset`) are never jittered.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    /// 3 retries, 500 ms initial backoff, 30 s maximum backoff, 60 s maximum
    /// rate-limit wait, jitter on.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_rate_limit_wait: Duration::from_secs(60),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The exponential backoff before retry number `retry + 1` (`retry`
    /// counts from 0): `initial_backoff * 2^retry`, capped at `max_backoff`.
    pub fn backoff(&self, retry: u32) -> Duration {
        self.initial_backoff
            .saturating_mul(2u32.saturating_pow(retry))
            .min(self.max_backoff)
    }

    /// The wait before retry number `retry + 1` after a transient failure:
    /// [`RetryPolicy::backoff`] with "equal jitter" — a uniformly random
    /// duration between half of it and all of it — or exactly the backoff
    /// when `jitter` is off.
    pub fn jittered_backoff(&self, retry: u32) -> Duration {
        let full = self.backoff(retry);
        if !self.jitter {
            return full;
        }
        let half = full / 2;
        half + (full - half).mul_f64(fastrand::f64())
    }

    /// The wait before retrying a `429` response with rate-limit information
    /// `rate_limit`, as of `now`, capped at `max_rate_limit_wait`.
    pub fn rate_limit_wait(&self, rate_limit: &RateLimit, retry: u32, now: SystemTime) -> Duration {
        rate_limit
            .wait_time(now)
            .unwrap_or_else(|| self.jittered_backoff(retry))
            .min(self.max_rate_limit_wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn parses_headers_case_insensitively() {
        let mut headers = HeaderMap::new();
        headers.insert("X-RATE-LIMIT-LIMIT", HeaderValue::from_static("150"));
        headers.insert("x-rate-limit-remaining", HeaderValue::from_static(" 0 "));
        headers.insert("X-Rate-Limit-Reset", HeaderValue::from_static("1700000000"));
        headers.insert("Retry-After", HeaderValue::from_static("7"));
        assert_eq!(
            RateLimit::from_headers(&headers),
            RateLimit {
                limit: Some(150),
                remaining: Some(0),
                reset: Some(1_700_000_000),
                retry_after: Some(Duration::from_secs(7)),
            }
        );
    }

    #[test]
    fn ignores_missing_and_malformed_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("x-rate-limit-limit", HeaderValue::from_static("lots"));
        headers.insert("retry-after", HeaderValue::from_static("soon"));
        let rl = RateLimit::from_headers(&headers);
        assert!(rl.is_empty(), "{rl:?}");
    }

    #[test]
    fn retry_after_as_an_http_date() {
        let now = UNIX_EPOCH + Duration::from_secs(1_445_412_470); // 2015-10-21 07:27:50 UTC
        let mut headers = HeaderMap::new();
        headers.insert(
            "retry-after",
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        let rl = RateLimit::from_headers_at(&headers, now);
        assert_eq!(rl.retry_after, Some(Duration::from_secs(10)));
        // The obsolete RFC 850 form is accepted too; a date in the past means "now".
        headers.insert(
            "retry-after",
            HeaderValue::from_static("Wednesday, 21-Oct-15 07:27:00 GMT"),
        );
        let rl = RateLimit::from_headers_at(&headers, now);
        assert_eq!(rl.retry_after, Some(Duration::ZERO));
    }

    #[test]
    fn jitter_stays_between_half_and_all_of_the_backoff() {
        let policy = RetryPolicy::default();
        for retry in 0..6 {
            let full = policy.backoff(retry);
            let samples: Vec<Duration> = (0..200).map(|_| policy.jittered_backoff(retry)).collect();
            for wait in &samples {
                assert!(
                    *wait >= full / 2 && *wait <= full,
                    "{wait:?} outside [{:?}, {full:?}]",
                    full / 2
                );
            }
            let distinct: std::collections::BTreeSet<_> = samples.iter().collect();
            assert!(distinct.len() > 10, "waits are randomised: {distinct:?}");
        }
        let fixed = RetryPolicy {
            jitter: false,
            ..RetryPolicy::default()
        };
        assert_eq!(fixed.jittered_backoff(2), Duration::from_secs(2));
    }

    #[test]
    fn accepts_ratelimit_spelling() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("3"));
        assert_eq!(RateLimit::from_headers(&headers).remaining, Some(3));
    }

    #[test]
    fn wait_time_prefers_retry_after_then_reset() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let rl = RateLimit {
            reset: Some(1_700_000_010),
            retry_after: Some(Duration::from_secs(2)),
            ..RateLimit::default()
        };
        assert_eq!(rl.wait_time(now), Some(Duration::from_secs(2)));
        let rl = RateLimit {
            retry_after: None,
            ..rl
        };
        assert_eq!(rl.wait_time(now), Some(Duration::from_secs(10)));
        let past = RateLimit {
            reset: Some(1_600_000_000),
            ..RateLimit::default()
        };
        assert_eq!(past.wait_time(now), Some(Duration::ZERO));
        let relative = RateLimit {
            reset: Some(30),
            ..RateLimit::default()
        };
        assert_eq!(relative.wait_time(now), Some(Duration::from_secs(30)));
        assert_eq!(RateLimit::default().wait_time(now), None);
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.backoff(0), Duration::from_millis(500));
        assert_eq!(policy.backoff(1), Duration::from_secs(1));
        assert_eq!(policy.backoff(2), Duration::from_secs(2));
        assert_eq!(policy.backoff(10), Duration::from_secs(30));
        assert_eq!(policy.backoff(u32::MAX), Duration::from_secs(30));
    }

    #[test]
    fn rate_limit_wait_is_capped() {
        let policy = RetryPolicy {
            jitter: false,
            ..RetryPolicy::default()
        };
        let now = SystemTime::now();
        let long = RateLimit {
            retry_after: Some(Duration::from_secs(3600)),
            ..RateLimit::default()
        };
        assert_eq!(
            policy.rate_limit_wait(&long, 0, now),
            Duration::from_secs(60)
        );
        assert_eq!(
            policy.rate_limit_wait(&RateLimit::default(), 1, now),
            Duration::from_secs(1)
        );
    }

    #[test]
    fn defaults() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.max_retries, 3);
        assert_eq!(policy.initial_backoff, Duration::from_millis(500));
        assert_eq!(policy.max_backoff, Duration::from_secs(30));
        assert_eq!(policy.max_rate_limit_wait, Duration::from_secs(60));
        assert!(policy.jitter);
        assert_eq!(RetryPolicy::none().max_retries, 0);
    }
}
