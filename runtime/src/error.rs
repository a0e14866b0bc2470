//! The error type of every request.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use http::{HeaderMap, StatusCode};

use crate::auth::BoxError;
use crate::cloud::{display_list, NationalCloud};

/// Everything that can go wrong with a request.
///
/// `E` is the API's error model (the generated crate passes its `ODataError`); the body of a non-2xx
/// response is parsed as `E` when it can be. No variant's `Display` or `Debug` shows the access token.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error<E = serde_json::Value> {
    /// The service answered with a status that is not 2xx (redirects are followed first).
    #[error("{0}")]
    Service(Box<ServiceError<E>>),
    /// The request could not be sent or the response could not be read: connection refused, TLS
    /// failure, a connection closed mid-body, … Its `Display` and `Debug` show the URL with query
    /// values redacted.
    #[error("the request could not be sent or its response could not be read")]
    Transport(#[source] reqwest::Error),
    /// A timeout fired: [`TimeoutKind::Connect`] while connecting, or [`TimeoutKind::Request`] before the
    /// whole response (headers and body) of one attempt had arrived. See
    /// [`ClientBuilder::connect_timeout`](crate::ClientBuilder::connect_timeout) and
    /// [`ClientBuilder::timeout`](crate::ClientBuilder::timeout).
    #[error("{} timeout of {} fired{}", .kind.name(), seconds(.limit), .kind.suffix())]
    Timeout {
        /// Which timeout fired.
        kind: TimeoutKind,
        /// Its configured duration.
        limit: Duration,
    },
    /// A response body is larger than the configured cap (see
    /// [`ClientBuilder::max_response_body`](crate::ClientBuilder::max_response_body)); reading stopped
    /// there. For compressed responses the decompressed size counts.
    #[error("the {status} response body is larger than the limit of {limit} bytes; reading stopped there")]
    BodyTooLarge {
        /// The response status.
        status: StatusCode,
        /// The configured cap, in bytes.
        limit: u64,
    },
    /// Collecting pages stopped at a configured bound (see [`Pages::max_pages`](crate::Pages::max_pages)
    /// and [`Pages::max_items`](crate::Pages::max_items)).
    #[error("stopped after {limit} {what}: the limit of {what} to collect was reached")]
    LimitExceeded {
        /// `pages` or `items`.
        what: &'static str,
        /// The configured limit.
        limit: u64,
    },
    /// The token provider failed, or returned a token that cannot be sent in a header.
    #[error("no access token could be obtained")]
    Auth(#[source] BoxError),
    /// The request was not sent because it could not be built: a path parameter that cannot be one
    /// segment, an invalid header, a body that does not serialise, an empty `$select` (or other list
    /// option), an unusable URL, or an `@odata.nextLink` that is not an absolute `http(s)` URL or
    /// repeats a page already requested (see [`Pages::next`](crate::Pages::next)).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The service answered 2xx, but the body is not what the response handler expected.
    #[error("the {status} response could not be decoded")]
    Decode {
        /// The response status.
        status: StatusCode,
        /// The response body as received, or its first [`ERROR_BODY_PREFIX`] bytes when it is longer.
        body: Vec<u8>,
        /// Why it could not be decoded.
        source: BoxError,
    },
    /// The client is misconfigured (reported by [`ClientBuilder::build`](crate::ClientBuilder::build)).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// A redirect could not be followed: more than [`MAX_REDIRECTS`](crate::MAX_REDIRECTS) of them, or
    /// a `Location` that is not an `http(s)` URL.
    #[error("redirect not followed: {0}")]
    Redirect(String),
    /// The operation does not exist in the adapter's national cloud (see
    /// [`Request::available_in`](crate::Request::available_in)): nothing was sent and no token was
    /// requested.
    #[error("`{operation}` is not available in {cloud} ({})", available_in(.available))]
    NotAvailableInCloud {
        /// The operation, e.g. `POST /users/{user-id}/presence/clearPresence`.
        operation: &'static str,
        /// The adapter's cloud (see [`RequestAdapter::cloud`](crate::RequestAdapter::cloud)).
        cloud: NationalCloud,
        /// The clouds the operation is available in.
        available: &'static [NationalCloud],
    },
}

/// Which timeout fired, in [`Error::Timeout`].
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeoutKind {
    /// The connection could not be established in time.
    Connect,
    /// One attempt (the request, its redirects, the response headers and the whole body) took too long.
    Request,
}

impl TimeoutKind {
    fn name(self) -> &'static str {
        match self {
            Self::Connect => "the connect",
            Self::Request => "the request",
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Self::Connect => " before a connection was established",
            Self::Request => " before the whole response had arrived",
        }
    }
}

/// `limit` in seconds, e.g. `1.5 s`.
fn seconds(limit: &Duration) -> String {
    format!("{} s", limit.as_secs_f64())
}

/// The parenthesis of [`Error::NotAvailableInCloud`]'s message.
fn available_in(clouds: &[NationalCloud]) -> String {
    if clouds.is_empty() {
        "it is available in no cloud".to_owned()
    } else {
        format!("it is available in: {}", display_list(clouds))
    }
}

impl<E> Error<E> {
    /// The HTTP status of a service error, of a 2xx response that could not be decoded, or of a response
    /// whose body was over the cap.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Service(service) => Some(service.status.as_u16()),
            Self::Decode { status, .. } | Self::BodyTooLarge { status, .. } => Some(status.as_u16()),
            _ => None,
        }
    }

    /// The service error, when the service answered with a non-2xx status.
    pub fn service_error(&self) -> Option<&ServiceError<E>> {
        match self {
            Self::Service(service) => Some(service),
            _ => None,
        }
    }

    /// The error body parsed as the API's error model, when the service answered with one.
    pub fn odata_error(&self) -> Option<&E> {
        self.service_error().and_then(ServiceError::odata_error)
    }

    /// The response body of a service error or of a 2xx response that could not be decoded.
    pub fn raw_body(&self) -> Option<&[u8]> {
        match self {
            Self::Service(service) => Some(service.body()),
            Self::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// [`Self::raw_body`] as text (invalid UTF-8 replaced by `U+FFFD`).
    pub fn text(&self) -> Option<Cow<'_, str>> {
        self.raw_body().map(String::from_utf8_lossy)
    }

    /// The response headers of a service error.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.service_error().map(ServiceError::headers)
    }

    /// Graph's `request-id` response header of a service error, to quote in a support request.
    pub fn request_id(&self) -> Option<&str> {
        self.service_error().and_then(ServiceError::request_id)
    }

    /// Whether the request failed in transport (no usable response), as opposed to the service
    /// answering with an error.
    pub fn is_transport(&self) -> bool {
        matches!(self, Self::Transport(_))
    }

    /// Whether a timeout fired ([`Self::Timeout`]).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout { .. })
    }

    /// Whether the request was not sent because its operation does not exist in the adapter's
    /// national cloud ([`Self::NotAvailableInCloud`]).
    pub fn is_not_available_in_cloud(&self) -> bool {
        matches!(self, Self::NotAvailableInCloud { .. })
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Service(service) => f.debug_tuple("Service").field(service).finish(),
            Self::Transport(error) => f.debug_tuple("Transport").field(error).finish(),
            Self::Auth(error) => f.debug_tuple("Auth").field(error).finish(),
            Self::InvalidRequest(message) => f.debug_tuple("InvalidRequest").field(message).finish(),
            Self::Decode { status, body, source } => f
                .debug_struct("Decode")
                .field("status", status)
                .field("body", &String::from_utf8_lossy(body))
                .field("source", source)
                .finish(),
            Self::Timeout { kind, limit } => {
                f.debug_struct("Timeout").field("kind", kind).field("limit", limit).finish()
            }
            Self::BodyTooLarge { status, limit } => {
                f.debug_struct("BodyTooLarge").field("status", status).field("limit", limit).finish()
            }
            Self::LimitExceeded { what, limit } => {
                f.debug_struct("LimitExceeded").field("what", what).field("limit", limit).finish()
            }
            Self::Config(message) => f.debug_tuple("Config").field(message).finish(),
            Self::Redirect(message) => f.debug_tuple("Redirect").field(message).finish(),
            Self::NotAvailableInCloud { operation, cloud, available } => f
                .debug_struct("NotAvailableInCloud")
                .field("operation", operation)
                .field("cloud", cloud)
                .field("available", available)
                .finish(),
        }
    }
}

/// How many bytes of a response body an [`Error`] keeps: a service error's body is read up to this
/// length (and parsed as the error model when it is complete), a body that could not be decoded is cut
/// to it.
pub const ERROR_BODY_PREFIX: usize = 64 * 1024;

/// A non-2xx response: its status, headers and body, and the body parsed as the API's error model `E`.
///
/// `Display` shows the status, Graph's `code: message` when the body is an OData error, and the
/// `request-id` header when present.
pub struct ServiceError<E> {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
    odata: Option<E>,
}

impl<E> ServiceError<E> {
    /// A service error; `odata` is `body` parsed as the error model, when it parsed.
    pub fn new(status: StatusCode, headers: HeaderMap, body: Vec<u8>, odata: Option<E>) -> Self {
        Self { status, headers, body, odata }
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The response body as received, or its first [`ERROR_BODY_PREFIX`] bytes when it is longer.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The response body as text (invalid UTF-8 replaced by `U+FFFD`).
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The body parsed as the API's error model, when it parsed.
    pub fn odata_error(&self) -> Option<&E> {
        self.odata.as_ref()
    }

    /// Graph's `request-id` response header.
    pub fn request_id(&self) -> Option<&str> {
        self.headers.get("request-id").and_then(|value| value.to_str().ok())
    }

    /// `error.code` and `error.message` of an OData error body, read without knowing `E`.
    fn code_and_message(&self) -> Option<(String, Option<String>)> {
        let body: serde_json::Value = serde_json::from_slice(&self.body).ok()?;
        let error = body.get("error")?;
        let code = error.get("code")?.as_str()?.to_owned();
        let message = error.get("message").and_then(serde_json::Value::as_str).map(str::to_owned);
        Some((code, message))
    }
}

impl<E> fmt::Display for ServiceError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the service answered {}", self.status)?;
        match self.code_and_message() {
            Some((code, Some(message))) => write!(f, ": {code}: {message}")?,
            Some((code, None)) => write!(f, ": {code}")?,
            None => {}
        }
        if let Some(request_id) = self.request_id() {
            write!(f, " (request-id {request_id})")?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug> fmt::Debug for ServiceError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &self.text())
            .field("odata", &self.odata)
            .finish()
    }
}

impl<E: fmt::Debug> std::error::Error for ServiceError<E> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(status: u16, body: &str, request_id: Option<&str>) -> Error {
        let mut headers = HeaderMap::new();
        if let Some(id) = request_id {
            headers.insert("request-id", http::HeaderValue::from_str(id).unwrap());
        }
        let status = StatusCode::from_u16(status).unwrap();
        let odata = serde_json::from_str(body).ok();
        Error::Service(Box::new(ServiceError::new(status, headers, body.into(), odata)))
    }

    #[test]
    fn display_names_status_code_message_and_request_id() {
        let err = service(404, r#"{"error":{"code":"NotFound","message":"Gone."}}"#, Some("r-1"));
        assert_eq!(err.to_string(), "the service answered 404 Not Found: NotFound: Gone. (request-id r-1)");
        let err = service(503, "busy", None);
        assert_eq!(err.to_string(), "the service answered 503 Service Unavailable");
        let err = service(400, r#"{"error":{"code":"BadRequest"}}"#, None);
        assert_eq!(err.to_string(), "the service answered 400 Bad Request: BadRequest");
    }

    #[test]
    fn accessors() {
        let err = service(500, "upstream exploded", Some("r-2"));
        assert_eq!(err.status(), Some(500));
        assert_eq!(err.text().as_deref(), Some("upstream exploded"));
        assert_eq!(err.raw_body(), Some(&b"upstream exploded"[..]));
        assert_eq!(err.request_id(), Some("r-2"));
        assert!(err.odata_error().is_none());
        assert!(!err.is_transport());
        assert!(format!("{err:?}").contains("upstream exploded"));

        let err: Error = Error::Config("x".into());
        assert_eq!((err.status(), err.raw_body(), err.headers()), (None, None, None));
    }

    #[test]
    fn decode_errors_keep_status_body_and_reason() {
        let source = serde_json::from_slice::<u8>(b"").map(|_| ()).unwrap_err();
        let err: Error = Error::Decode { status: StatusCode::OK, body: Vec::new(), source: source.into() };
        assert_eq!(err.status(), Some(200));
        assert_eq!(err.to_string(), "the 200 OK response could not be decoded");
        assert!(std::error::Error::source(&err).is_some());
    }

    #[test]
    fn not_available_in_cloud_names_the_operation_and_the_clouds() {
        use NationalCloud::{China, Global, UsGovernmentL4, UsGovernmentL5Dod};
        let err: Error = Error::NotAvailableInCloud {
            operation: "POST /users/{user-id}/presence/clearPresence",
            cloud: China,
            available: &[Global, UsGovernmentL4, UsGovernmentL5Dod],
        };
        assert_eq!(
            err.to_string(),
            "`POST /users/{user-id}/presence/clearPresence` is not available in China operated by 21Vianet \
             (it is available in: Global service, US Government L4, US Government L5 (DOD))"
        );
        assert!(err.is_not_available_in_cloud() && !err.is_transport());
        assert_eq!((err.status(), err.raw_body(), err.request_id()), (None, None, None));
        let shown = format!("{err:?}");
        assert!(shown.starts_with("NotAvailableInCloud") && shown.contains("China"), "{shown}");

        let nowhere: Error = Error::NotAvailableInCloud { operation: "GET /x", cloud: Global, available: &[] };
        assert_eq!(nowhere.to_string(), "`GET /x` is not available in Global service (it is available in no cloud)");
        assert!(!Error::<serde_json::Value>::Config("x".into()).is_not_available_in_cloud());
    }
}
