//! When and after how long a request is sent again: throttling (429) and transient faults (503, 504,
//! a connection that failed before any response).

use std::time::{Duration, SystemTime};

use http::header::RETRY_AFTER;
use http::{HeaderMap, Method, StatusCode};

/// How a request is retried when Graph throttles it (`429 Too Many Requests`) or is briefly unavailable
/// (`503 Service Unavailable`, `504 Gateway Timeout`), and when the connection fails before any response.
///
/// - The wait before each retry is the response's `Retry-After` (seconds or an HTTP date) when it has
///   one; otherwise an exponential backoff with jitter: half of `initial_backoff × 2^(retry − 1)`
///   (at most [`Self::max_backoff`]) plus a random part of up to the same again.
/// - At most [`Self::max_retries`] retries, and the waits add up to at most [`Self::max_total_delay`]: a
///   `Retry-After` that would go past it ends the retries, and the last response is returned as it is.
/// - 429, 503 and 504 are retried for every method, since the service did not act on the request
///   (Microsoft's SDKs do the same); a connection failure before any response only for idempotent
///   methods (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`, `TRACE`). A timeout of the request is not
///   retried.
/// - Each retry sends the same method, URL, headers and body, plus `Retry-Attempt: n` (n = 1, 2, …).
///
/// On by default ([`Self::default`]: 3 retries, 1 s initial backoff, 30 s at most per wait, 120 s in
/// all). Set one for a client with [`ClientBuilder::retry`](crate::ClientBuilder::retry) and for one
/// request with [`Request::retry`](crate::Request::retry); [`Self::none`] turns retries off.
///
/// ```
/// use std::time::Duration;
/// use msgraph_runtime::RetryPolicy;
///
/// let patient = RetryPolicy::default().max_retries(6).max_total_delay(Duration::from_secs(300));
/// assert_eq!(patient.get_max_retries(), 6);
/// assert_eq!(RetryPolicy::none().get_max_retries(), 0);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_total_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            max_total_delay: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// No retries: every response and failure is returned as it is.
    pub fn none() -> Self {
        Self { max_retries: 0, ..Self::default() }
    }

    /// At most `n` retries (so `n + 1` attempts); 0 turns retries off.
    #[must_use]
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// The backoff before the first retry when the response has no `Retry-After`; it doubles with each
    /// retry.
    #[must_use]
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest backoff computed without a `Retry-After`.
    #[must_use]
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The most time spent waiting between attempts, in all; a `Retry-After` that would go past it ends
    /// the retries.
    #[must_use]
    pub fn max_total_delay(mut self, delay: Duration) -> Self {
        self.max_total_delay = delay;
        self
    }

    /// The maximum number of retries.
    pub fn get_max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The maximum total wait between attempts.
    pub fn get_max_total_delay(&self) -> Duration {
        self.max_total_delay
    }

    /// The wait before retry number `retry` (1 for the first), from `retry_after` when the response had
    /// one, else from the backoff; `None` when no retry is left or the wait would go past the total.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>, waited: Duration) -> Option<Duration> {
        if retry > self.max_retries {
            return None;
        }
        let delay = match retry_after {
            Some(delay) => delay,
            None => {
                let doubled = self.initial_backoff.saturating_mul(1u32 << (retry - 1).min(20));
                let ceiling = doubled.min(self.max_backoff);
                let half = ceiling / 2;
                half + half.mul_f64(fastrand::f64())
            }
        };
        (waited.saturating_add(delay) <= self.max_total_delay).then_some(delay)
    }
}

/// Whether a response with `status` may be retried (whatever the method).
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 503 | 504)
}

/// Whether a connection failure before any response may be retried for `method`.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE)
}

/// The `Retry-After` header as a wait from now: seconds (`120`) or an HTTP date (a date in the past is
/// no wait). `None` when absent or unreadable.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(text).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, value.parse().unwrap());
        headers
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(retry_after(&headers("7")), Some(Duration::from_secs(7)));
        assert_eq!(retry_after(&headers(" 0 ")), Some(Duration::ZERO));
        assert_eq!(retry_after(&headers("Sun, 06 Nov 1994 08:49:37 GMT")), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let wait = retry_after(&headers(&later)).unwrap();
        assert!(wait > Duration::from_secs(25) && wait <= Duration::from_secs(30), "{wait:?}");
        assert_eq!(retry_after(&headers("soon")), None);
        assert_eq!(retry_after(&headers("-1")), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn backoff_doubles_with_jitter_and_stays_bounded() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350))
            .max_retries(10)
            .max_total_delay(Duration::from_secs(3600));
        for _ in 0..100 {
            for (retry, ceiling) in [(1, 100), (2, 200), (3, 350), (9, 350)] {
                let delay = policy.delay(retry, None, Duration::ZERO).unwrap();
                let ceiling = Duration::from_millis(ceiling);
                assert!(delay >= ceiling / 2 && delay <= ceiling, "{retry}: {delay:?}");
            }
        }
        assert_eq!(policy.delay(30, None, Duration::ZERO).map(|d| d <= Duration::from_millis(350)), None);
    }

    #[test]
    fn retries_and_total_delay_are_bounded() {
        let policy = RetryPolicy::default().max_retries(2).max_total_delay(Duration::from_secs(10));
        let after = Some(Duration::from_secs(4));
        assert_eq!(policy.delay(1, after, Duration::ZERO), after);
        assert_eq!(policy.delay(2, after, Duration::from_secs(6)), after);
        assert_eq!(policy.delay(2, after, Duration::from_secs(7)), None, "past the total");
        assert_eq!(policy.delay(3, after, Duration::ZERO), None, "past the count");
        assert_eq!(RetryPolicy::none().delay(1, None, Duration::ZERO), None);
    }

    #[test]
    fn statuses_and_methods() {
        for (status, retry) in [(429, true), (503, true), (504, true), (500, false), (502, false), (404, false)] {
            assert_eq!(is_retryable_status(StatusCode::from_u16(status).unwrap()), retry, "{status}");
        }
        assert!(is_idempotent(&Method::GET) && is_idempotent(&Method::PUT) && is_idempotent(&Method::DELETE));
        assert!(!is_idempotent(&Method::POST) && !is_idempotent(&Method::PATCH));
    }
}
