//! One request on the wire: attempts (retries), each a chain of redirects, under a timeout, with the
//! response body read up to a cap; the token attached hop by hop; a tracing span per attempt.

use std::fmt;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, LOCATION};
use http::{HeaderMap, Method, StatusCode};
use tracing::Instrument;
use url::Url;

use crate::adapter::RequestAdapter;
use crate::auth::{AccessToken, TokenRequest};
use crate::error::{Error, TimeoutKind, ERROR_BODY_PREFIX};
use crate::request::MAX_REDIRECTS;
use crate::retry::{is_idempotent, is_retryable_status, retry_after, RetryPolicy};

/// The header that tells the service which retry this is (1, 2, …), as Microsoft's SDKs send it.
const RETRY_ATTEMPT: HeaderName = HeaderName::from_static("retry-attempt");

/// Per-request overrides of the adapter's settings.
#[derive(Clone, Debug, Default)]
pub(crate) struct SendOptions {
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_body: Option<u64>,
    /// Read with [`crate::object::strict`] whatever the client says.
    pub(crate) strict: bool,
    /// A 2xx body is left unread, for the caller to stream ([`RawResponse::stream`]).
    pub(crate) stream: bool,
}

/// A request on its way: the first hop of every attempt.
#[derive(Clone, Debug)]
pub(crate) struct Hop {
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Bytes>,
}

/// The final response of a request (after redirects and retries), its body read.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    /// The whole body of a 2xx response; at most [`ERROR_BODY_PREFIX`] bytes of any other.
    pub(crate) body: Vec<u8>,
    /// With [`SendOptions::stream`], the 2xx response whose body is still to be read.
    pub(crate) stream: Option<reqwest::Response>,
}

/// What one attempt ended with, when it has no response.
enum Failure<E> {
    /// No response arrived: the connection failed or was closed before the response headers.
    BeforeResponse(reqwest::Error),
    /// Anything else, never retried.
    Other(Error<E>),
}

/// Sends `first` through `adapter`: the attempts of the retry policy, each following redirects and
/// reading the body, under the request timeout. `template` names the request in tracing (no ids, no
/// query values); `explicit_auth` is an `Authorization` header set on the request itself.
pub(crate) async fn execute<E>(
    adapter: &RequestAdapter,
    first: Hop,
    explicit_auth: Option<&HeaderValue>,
    options: &SendOptions,
    template: &(dyn fmt::Display + Sync),
) -> Result<RawResponse, Error<E>> {
    let policy = options.retry.as_ref().unwrap_or_else(|| adapter.retry_policy());
    let timeout = options.timeout.unwrap_or_else(|| adapter.timeout());
    let limit = options.max_body.unwrap_or_else(|| adapter.max_response_body());
    let mut waited = Duration::ZERO;
    let mut retries = 0u32;
    loop {
        let span = tracing::info_span!(
            "msgraph.request",
            http.method = %first.method,
            url.template = %template,
            attempt = retries + 1,
            http.status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = (!span.is_disabled()).then(Instant::now);
        let outcome =
            tokio::time::timeout(timeout, attempt(adapter, &first, retries, explicit_auth, limit, options.stream))
                .instrument(span.clone())
                .await;
        if let Some(started) = started {
            span.record("duration_ms", started.elapsed().as_secs_f64() * 1000.0);
        }
        let (retry_wait, failure) = match outcome {
            Err(_) => return Err(Error::Timeout { kind: TimeoutKind::Request, limit: timeout }),
            Ok(Ok(response)) => {
                span.record("http.status", response.status.as_u16());
                if !is_retryable_status(response.status) {
                    return Ok(response);
                }
                match policy.delay(retries + 1, retry_after(&response.headers), waited) {
                    Some(delay) => (delay, format!("the service answered {}", response.status)),
                    None => return Ok(response),
                }
            }
            Ok(Err(Failure::BeforeResponse(error))) => {
                // A timeout of the client's own (not a connect timeout) is not a connection failure.
                let retryable = is_idempotent(&first.method) && (error.is_connect() || !error.is_timeout());
                match policy.delay(retries + 1, None, waited).filter(|_| retryable) {
                    Some(delay) => (delay, "no response (connection failed)".to_owned()),
                    None => return Err(transport_error(adapter, error)),
                }
            }
            Ok(Err(Failure::Other(error))) => return Err(error),
        };
        tracing::debug!(
            parent: &span,
            retry_in_ms = retry_wait.as_millis() as u64,
            reason = failure.as_str(),
            "retrying"
        );
        tokio::time::sleep(retry_wait).await;
        waited += retry_wait;
        retries += 1;
    }
}

/// One attempt: `first` (with `Retry-Attempt` when `retries` is not 0), then each redirect, then the
/// final response's body.
async fn attempt<E>(
    adapter: &RequestAdapter,
    first: &Hop,
    retries: u32,
    explicit_auth: Option<&HeaderValue>,
    limit: u64,
    stream: bool,
) -> Result<RawResponse, Failure<E>> {
    let mut token: Option<HeaderValue> = None;
    let mut redirects = 0;
    let mut redirected: Option<Hop> = None;
    loop {
        let hop = redirected.as_ref().unwrap_or(first);
        let mut headers = hop.headers.clone();
        if retries > 0 {
            headers.insert(RETRY_ATTEMPT, HeaderValue::from(retries));
        }
        if adapter.sends_token_to(&hop.url) {
            let value = match (explicit_auth, &token) {
                (Some(value), _) | (None, Some(value)) => value.clone(),
                (None, None) => {
                    let value = bearer(adapter, &hop.url).await.map_err(Failure::Other)?;
                    token.insert(value).clone()
                }
            };
            headers.insert(AUTHORIZATION, value);
        }
        let mut request = reqwest::Request::new(hop.method.clone(), hop.url.clone());
        *request.headers_mut() = headers;
        *request.body_mut() = hop.body.clone().map(reqwest::Body::from);
        let mut response = adapter.http_client().execute(request).await.map_err(Failure::BeforeResponse)?;
        let status = response.status();
        if let Some(location) = redirect_location(status, response.headers()) {
            if redirects == MAX_REDIRECTS {
                return Err(Failure::Other(Error::Redirect(format!(
                    "more than {MAX_REDIRECTS} redirects, the last from {}",
                    without_query(&hop.url)
                ))));
            }
            redirects += 1;
            let next = follow(hop.clone(), status, &location);
            redirected = Some(next.map_err(|message| Failure::Other(Error::Redirect(message)))?);
            continue;
        }
        let headers = std::mem::take(response.headers_mut());
        if stream && status.is_success() {
            return Ok(RawResponse { status, headers, body: Vec::new(), stream: Some(response) });
        }
        let body = read_body(adapter, response, status, limit).await.map_err(Failure::Other)?;
        return Ok(RawResponse { status, headers, body, stream: None });
    }
}

/// The body of `response`: all of it for a 2xx (at most `limit` bytes, else [`Error::BodyTooLarge`]),
/// at most [`ERROR_BODY_PREFIX`] bytes of any other (the rest is not read). Each chunk is copied once,
/// into a buffer sized from `Content-Length` when the response has one.
pub(crate) async fn read_body<E>(
    adapter: &RequestAdapter,
    mut response: reqwest::Response,
    status: StatusCode,
    limit: u64,
) -> Result<Vec<u8>, Error<E>> {
    let success = status.is_success();
    let cap = if success { limit } else { limit.min(ERROR_BODY_PREFIX as u64) };
    let declared = response.content_length();
    if success && declared.is_some_and(|length| length > cap) {
        return Err(Error::BodyTooLarge { status, limit });
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(0).min(cap).min(16 << 20) as usize);
    while let Some(chunk) = response.chunk().await.map_err(|error| transport_error(adapter, error))? {
        let room = cap.saturating_sub(body.len() as u64) as usize;
        if chunk.len() > room {
            if success {
                return Err(Error::BodyTooLarge { status, limit });
            }
            body.extend_from_slice(&chunk[..room]);
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A transport error as [`Error`]: a connect timeout as [`Error::Timeout`], anything else as
/// [`Error::Transport`] with the URL's query values redacted.
pub(crate) fn transport_error<E>(adapter: &RequestAdapter, error: reqwest::Error) -> Error<E> {
    if let (true, true, Some(limit)) = (error.is_connect(), error.is_timeout(), adapter.connect_timeout()) {
        return Error::Timeout { kind: TimeoutKind::Connect, limit };
    }
    let redacted = error.url().map(redact_query);
    match redacted {
        Some(url) => Error::Transport(error.with_url(url)),
        None => Error::Transport(error),
    }
}

/// `url` with the value of every query parameter replaced by `REDACTED` (names kept): query values may
/// carry signatures (`sig=`), tokens or personal data.
pub(crate) fn redact_query(url: &Url) -> Url {
    let mut shown = url.clone();
    if url.query().is_some() {
        let names: Vec<String> = url.query_pairs().map(|(name, _)| name.into_owned()).collect();
        let query: Vec<String> =
            names.iter().map(|name| format!("{}=REDACTED", crate::path::encode_query_name(name))).collect();
        shown.set_query(Some(&query.join("&")));
    }
    shown.set_fragment(None);
    shown
}

/// `url` for messages: without query or fragment, which may carry signatures (pre-authenticated
/// download URLs).
pub(crate) fn without_query(url: &Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.set_fragment(None);
    shown.to_string()
}

/// `Bearer {token}` from the adapter's provider, for a request to `url`.
async fn bearer<E>(adapter: &RequestAdapter, url: &Url) -> Result<HeaderValue, Error<E>> {
    let request = TokenRequest { scopes: adapter.scopes().to_vec(), url: url.clone() };
    let token: AccessToken = adapter.provider().access_token(&request).await.map_err(Error::Auth)?;
    adapter
        .authorization(&token)
        .ok_or_else(|| Error::Auth("the access token contains characters not allowed in a header".into()))
}

/// The `Location` of a redirect the runtime follows.
fn redirect_location(status: StatusCode, headers: &HeaderMap) -> Option<HeaderValue> {
    let followed = matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308);
    followed.then(|| headers.get(LOCATION).cloned()).flatten()
}

/// The next hop after a `status` redirect to `location`.
fn follow(mut hop: Hop, status: StatusCode, location: &HeaderValue) -> Result<Hop, String> {
    let location = location.to_str().map_err(|_| format!("the {status} Location header is not text"))?;
    let next = hop.url.join(location).map_err(|error| {
        let shown = location.split(['?', '#']).next().unwrap_or_default();
        format!("the {status} Location {shown:?} is not a URL: {error}")
    })?;
    if !matches!(next.scheme(), "http" | "https") {
        return Err(format!("the {status} Location {} is not http or https", without_query(&next)));
    }
    let keeps_method = matches!(status.as_u16(), 307 | 308) || matches!(hop.method, Method::GET | Method::HEAD);
    if !keeps_method {
        hop.method = Method::GET;
        hop.body = None;
        hop.headers.remove(CONTENT_TYPE);
        hop.headers.remove(CONTENT_LENGTH);
    }
    if next.origin() != hop.url.origin() {
        hop.headers.remove(COOKIE);
        hop.headers.remove(http::header::PROXY_AUTHORIZATION);
    }
    hop.url = next;
    Ok(hop)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hop(method: Method, url: &str, body: bool) -> Hop {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(COOKIE, HeaderValue::from_static("c=1"));
        Hop { method, url: Url::parse(url).unwrap(), headers, body: body.then(|| Bytes::from_static(b"{}")) }
    }

    #[test]
    fn see_other_turns_a_post_into_a_bodiless_get() {
        for status in [301, 302, 303] {
            let status = StatusCode::from_u16(status).unwrap();
            let next = follow(hop(Method::POST, "https://a.example/x", true), status, &HeaderValue::from_static("/y"))
                .unwrap();
            assert_eq!((next.method, next.url.as_str(), next.body), (Method::GET, "https://a.example/y", None));
            assert!(next.headers.get(CONTENT_TYPE).is_none());
            assert!(next.headers.get(COOKIE).is_some(), "same origin keeps the cookie");
        }
        let head = follow(
            hop(Method::HEAD, "https://a.example/x", false),
            StatusCode::SEE_OTHER,
            &HeaderValue::from_static("y"),
        )
        .unwrap();
        assert_eq!(head.method, Method::HEAD);
    }

    #[test]
    fn temporary_and_permanent_redirects_repeat_method_and_body() {
        for status in [StatusCode::TEMPORARY_REDIRECT, StatusCode::PERMANENT_REDIRECT] {
            let next = follow(
                hop(Method::PATCH, "https://a.example/x/y", true),
                status,
                &HeaderValue::from_static("https://b.example/z"),
            )
            .unwrap();
            assert_eq!((next.method, next.url.as_str()), (Method::PATCH, "https://b.example/z"));
            assert_eq!(next.body.as_deref(), Some(&b"{}"[..]));
            assert!(next.headers.get(COOKIE).is_none(), "another origin drops the cookie");
        }
    }

    #[test]
    fn unusable_locations_are_errors() {
        for location in ["file:///etc/passwd", "http://[bad?sig=secret"] {
            let result = follow(
                hop(Method::GET, "https://a.example/", false),
                StatusCode::FOUND,
                &HeaderValue::from_str(location).unwrap(),
            );
            let message = result.unwrap_err();
            assert!(!message.contains("secret"), "{message}");
        }
        assert!(redirect_location(StatusCode::FOUND, &HeaderMap::new()).is_none());
        assert!(redirect_location(StatusCode::NOT_MODIFIED, &HeaderMap::new()).is_none());
    }

    #[test]
    fn query_values_are_redacted() {
        let url = Url::parse("https://x.example/a/b?sig=s3cret&$select=id,name&flag#frag").unwrap();
        assert_eq!(redact_query(&url).as_str(), "https://x.example/a/b?sig=REDACTED&$select=REDACTED&flag=REDACTED");
        let plain = Url::parse("https://x.example/a").unwrap();
        assert_eq!(redact_query(&plain).as_str(), "https://x.example/a");
        assert_eq!(without_query(&url), "https://x.example/a/b");
    }
}
