//! [`Then`]: what a mock answers, call after call, faults included.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{HeaderName, HeaderValue, StatusCode};
use serde::Serialize;

use super::Operation;

/// The answers of a mock, in order: each is used for [`Then::times`] calls (one unless set),
/// and the last for every call after that, unless [`Then::cycle`] starts them over. The
/// generated *then* types wrap one, with one method per documented response taking that
/// response's type; faults and untyped answers are here.
///
/// `delay`, `close_mid_body`, `times` and `header` change the answer added last.
///
/// # Panics
///
/// Those four panic when no answer has been added yet, and the answer methods when given a
/// status that is not one (outside 100–999) or a header that is not valid: the mistake is the
/// test's.
#[derive(Debug)]
pub struct Then {
    operation: &'static Operation,
    steps: Vec<Step>,
    cycle: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct Step {
    pub answer: Answer,
    pub times: usize,
}

/// One answer.
#[derive(Clone, Debug)]
pub(crate) enum Answer {
    /// A response.
    Respond(Canned),
    /// The connection closed without a response, after `delay`.
    Reset { delay: Duration },
}

/// A canned response.
#[derive(Clone, Debug)]
pub(crate) struct Canned {
    pub status: StatusCode,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: Bytes,
    /// Check the body against the documented type when sending it.
    pub check: bool,
    /// Wait this long before answering.
    pub delay: Duration,
    /// Send half the body, then close the connection.
    pub cut: bool,
}

impl Canned {
    fn new(status: u16) -> Self {
        Canned {
            status: StatusCode::from_u16(status)
                .unwrap_or_else(|_| panic!("a mock cannot answer status {status}")),
            headers: Vec::new(),
            body: Bytes::new(),
            check: false,
            delay: Duration::ZERO,
            cut: false,
        }
    }

    /// A plain-text answer (the server's own messages).
    pub(crate) fn plain_text(status: u16, text: String) -> Self {
        Canned::new(status).content("text/plain; charset=utf-8", text.into())
    }

    fn content(mut self, content_type: &str, body: Bytes) -> Self {
        self.headers
            .push((http::header::CONTENT_TYPE, header_value(content_type)));
        self.body = body;
        self
    }
}

fn header_value(value: &str) -> HeaderValue {
    HeaderValue::from_str(value).unwrap_or_else(|_| panic!("{value:?} cannot be a header value"))
}

impl Then {
    pub(crate) fn new(operation: &'static Operation) -> Self {
        Then {
            operation,
            steps: Vec::new(),
            cycle: false,
        }
    }

    pub(crate) fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// The steps, and whether they start over after the last.
    pub(crate) fn into_steps(self) -> (Vec<Step>, bool) {
        (self.steps, self.cycle)
    }

    fn push(&mut self, answer: Answer) -> &mut Self {
        self.steps.push(Step { answer, times: 1 });
        self
    }

    fn last(&mut self, what: &str) -> &mut Step {
        self.steps
            .last_mut()
            .unwrap_or_else(|| panic!("`{what}` changes the answer added last: add one first"))
    }

    fn last_canned(&mut self, what: &str) -> &mut Canned {
        match &mut self.last(what).answer {
            Answer::Respond(canned) => canned,
            Answer::Reset { .. } => panic!("`{what}` needs a response, not a reset connection"),
        }
    }

    /// Answers `status` with `body` as JSON (the typed answers of the generated *then* types).
    pub fn json<T: Serialize + ?Sized>(&mut self, status: u16, body: &T) -> &mut Self {
        let bytes = serde_json::to_vec(body)
            .unwrap_or_else(|error| panic!("the canned body cannot be encoded: {error}"));
        let mut canned = Canned::new(status).content("application/json", bytes.into());
        canned.check = true;
        self.push(Answer::Respond(canned))
    }

    /// Answers `status` with a JSON body that is not typed, checked against the documented
    /// type for `status` (if any) when it is sent: one that does not decode fails the test.
    pub fn json_value(&mut self, status: u16, body: serde_json::Value) -> &mut Self {
        self.json(status, &body)
    }

    /// Answers `status` with text of `content_type`.
    pub fn text(&mut self, status: u16, text: impl Into<String>, content_type: &str) -> &mut Self {
        let text: String = text.into();
        let canned = Canned::new(status).content(content_type, text.into());
        self.push(Answer::Respond(canned))
    }

    /// Answers `status` with bytes, of their own content type or else `content_type`.
    pub fn binary(
        &mut self,
        status: u16,
        body: impl Into<crate::client::Binary>,
        content_type: &str,
    ) -> &mut Self {
        let body: crate::client::Binary = body.into();
        let content_type = body
            .content_type
            .as_deref()
            .unwrap_or(content_type)
            .to_owned();
        let canned = Canned::new(status).content(&content_type, body.bytes);
        self.push(Answer::Respond(canned))
    }

    /// Answers `status` without a body.
    pub fn empty(&mut self, status: u16) -> &mut Self {
        self.push(Answer::Respond(Canned::new(status)))
    }

    /// Answers `status` with `body` as it is, unchecked.
    pub fn raw(&mut self, status: u16, content_type: &str, body: impl Into<Bytes>) -> &mut Self {
        let canned = Canned::new(status).content(content_type, body.into());
        self.push(Answer::Respond(canned))
    }

    /// Answers `429 Too Many Requests` with `Retry-After` (whole seconds, rounded up) and
    /// `X-Rate-Limit-Remaining: 0`.
    pub fn rate_limited(&mut self, retry_after: Duration) -> &mut Self {
        let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
        let mut canned = Canned::new(429);
        canned
            .headers
            .push((http::header::RETRY_AFTER, HeaderValue::from(seconds)));
        canned.headers.push((
            HeaderName::from_static("x-rate-limit-remaining"),
            HeaderValue::from_static("0"),
        ));
        self.push(Answer::Respond(canned))
    }

    /// Answers `429 Too Many Requests` with `X-Rate-Limit-Reset` (`reset` as epoch seconds)
    /// and `X-Rate-Limit-Remaining: 0`.
    pub fn rate_limited_until(&mut self, reset: SystemTime) -> &mut Self {
        let epoch = reset
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        let mut canned = Canned::new(429);
        canned.headers.push((
            HeaderName::from_static("x-rate-limit-reset"),
            HeaderValue::from(epoch),
        ));
        canned.headers.push((
            HeaderName::from_static("x-rate-limit-remaining"),
            HeaderValue::from_static("0"),
        ));
        self.push(Answer::Respond(canned))
    }

    /// Answers `status` (a `5xx`) without a body.
    pub fn server_error(&mut self, status: u16) -> &mut Self {
        self.empty(status)
    }

    /// Closes the connection without answering (the client sees it reset), after reading the
    /// request.
    pub fn reset_connection(&mut self) -> &mut Self {
        self.push(Answer::Reset {
            delay: Duration::ZERO,
        })
    }

    /// Sends the answer added last after `delay`.
    pub fn delay(&mut self, delay: Duration) -> &mut Self {
        match &mut self.last("delay").answer {
            Answer::Respond(canned) => canned.delay = delay,
            Answer::Reset { delay: wait } => *wait = delay,
        }
        self
    }

    /// Sends the status, the headers and half the body of the answer added last, then closes
    /// the connection.
    pub fn close_mid_body(&mut self) -> &mut Self {
        self.last_canned("close_mid_body").cut = true;
        self
    }

    /// Uses the answer added last for `times` calls.
    pub fn times(&mut self, times: usize) -> &mut Self {
        self.last("times").times = times;
        self
    }

    /// Starts the answers over after the last one.
    pub fn cycle(&mut self) -> &mut Self {
        self.cycle = true;
        self
    }

    /// Adds the header `name: value` to the answer added last.
    pub fn header(&mut self, name: &str, value: &str) -> &mut Self {
        let name = HeaderName::from_bytes(name.as_bytes())
            .unwrap_or_else(|_| panic!("{name:?} cannot be a header name"));
        let value = header_value(value);
        self.last_canned("header").headers.push((name, value));
        self
    }

    /// Adds the header `name` with `value`'s text (as the client writes parameters) to the
    /// answer added last: the documented response headers of the generated *then* types.
    pub fn typed_header<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> &mut Self {
        let text = crate::client::param_text(value)
            .unwrap_or_else(|error| panic!("the header `{name}` cannot be encoded: {error}"));
        self.header(name, &text)
    }
}

/// The index of the step that answers call number `call` (from 0).
pub(crate) fn answer_for(steps: &[Step], cycle: bool, call: usize) -> Option<usize> {
    let last = steps.len().checked_sub(1)?;
    let total: usize = steps.iter().map(|step| step.times).sum();
    if total == 0 {
        return Some(last);
    }
    let mut index = if cycle { call % total } else { call };
    for (position, step) in steps.iter().enumerate() {
        if index < step.times {
            return Some(position);
        }
        index -= step.times;
    }
    Some(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::Documented;

    static OPERATION: Operation = Operation {
        name: "get",
        id: "get",
        method: "GET",
        path: "/x",
        authenticated: true,
        responses: &[] as &[Documented],
    };

    fn statuses(then: Then, calls: usize) -> Vec<u16> {
        let (steps, cycle) = then.into_steps();
        (0..calls)
            .map(
                |call| match &steps[answer_for(&steps, cycle, call).unwrap()].answer {
                    Answer::Respond(canned) => canned.status.as_u16(),
                    Answer::Reset { .. } => 0,
                },
            )
            .collect()
    }

    #[test]
    fn sequences_repeat_the_last_answer_or_cycle() {
        let mut then = Then::new(&OPERATION);
        then.rate_limited(Duration::from_millis(1500))
            .times(2)
            .json(200, &1);
        let (steps, _) = Then::new(&OPERATION).into_steps();
        assert!(answer_for(&steps, false, 0).is_none());
        match &then.steps[0].answer {
            Answer::Respond(canned) => assert_eq!(canned.headers[0].1, "2"),
            other => panic!("{other:?}"),
        }
        assert_eq!(statuses(then, 5), [429, 429, 200, 200, 200]);

        let mut then = Then::new(&OPERATION);
        then.empty(200)
            .times(2)
            .server_error(503)
            .reset_connection()
            .cycle();
        assert_eq!(statuses(then, 8), [200, 200, 503, 0, 200, 200, 503, 0]);
    }

    #[test]
    #[should_panic(expected = "`delay` changes the answer added last: add one first")]
    fn modifiers_need_an_answer() {
        Then::new(&OPERATION).delay(Duration::from_secs(1));
    }
}
