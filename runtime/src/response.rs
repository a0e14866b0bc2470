//! How a successful response is turned into the value a request returns.

use std::fmt;
use std::marker::PhantomData;

use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::auth::BoxError;

/// Reads a successful (2xx) response into [`Self::Output`].
///
/// Non-2xx responses never reach a handler: they become [`Error::Service`](crate::Error::Service).
/// A handler's error becomes [`Error::Decode`](crate::Error::Decode), which keeps the status and body.
pub trait ResponseHandler: Send + 'static {
    /// What the request returns on success.
    type Output: Send;

    /// Reads the response `status`, `headers` and `body`.
    ///
    /// # Errors
    ///
    /// Why the body is not what this handler reads; the request then fails with
    /// [`Error::Decode`](crate::Error::Decode).
    fn handle(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Result<Self::Output, BoxError>;

    /// Reads the response from its owned `body`; by default [`Self::handle`]. A handler that keeps the
    /// bytes (like [`Bytes`]) overrides it to avoid a copy.
    ///
    /// # Errors
    ///
    /// As [`Self::handle`], with the body given back.
    #[allow(clippy::type_complexity)]
    fn handle_body(
        status: StatusCode,
        headers: &HeaderMap,
        body: Vec<u8>,
    ) -> Result<Self::Output, (BoxError, Vec<u8>)> {
        Self::handle(status, headers, &body).map_err(|error| (error, body))
    }
}

/// A successful response's status and headers with its value, from
/// [`Request::with_response`](crate::Request::with_response).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Response<T> {
    /// The status, e.g. `202 Accepted`.
    pub status: StatusCode,
    /// The response headers (`Location`, `ETag`, `request-id`, …).
    pub headers: HeaderMap,
    /// The value the request's handler read from the body.
    pub value: T,
}

impl<T> Response<T> {
    /// Graph's `request-id` response header, to quote in a support request.
    pub fn request_id(&self) -> Option<&str> {
        self.headers.get("request-id").and_then(|value| value.to_str().ok())
    }

    /// The value, without status and headers.
    pub fn into_value(self) -> T {
        self.value
    }
}

/// Reads a response with `H` and keeps its status and headers: [`Response<H::Output>`].
pub struct WithResponse<H>(PhantomData<fn() -> H>);

impl<H> fmt::Debug for WithResponse<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WithResponse<{}>", std::any::type_name::<H>())
    }
}

impl<H: ResponseHandler> ResponseHandler for WithResponse<H> {
    type Output = Response<H::Output>;

    fn handle(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Result<Self::Output, BoxError> {
        let value = H::handle(status, headers, body)?;
        Ok(Response { status, headers: headers.clone(), value })
    }

    fn handle_body(
        status: StatusCode,
        headers: &HeaderMap,
        body: Vec<u8>,
    ) -> Result<Self::Output, (BoxError, Vec<u8>)> {
        let value = H::handle_body(status, headers, body)?;
        Ok(Response { status, headers: headers.clone(), value })
    }
}

/// Any 2xx response (200, 204, …) is success; the body is ignored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoContent;

impl ResponseHandler for NoContent {
    type Output = ();

    fn handle(_: StatusCode, _: &HeaderMap, _: &[u8]) -> Result<(), BoxError> {
        Ok(())
    }
}

/// A 2xx response whose body is JSON, deserialised as `T`.
///
/// An empty body (as with 204 No Content) is an error, since there is no `T` to return.
pub struct Json<T>(PhantomData<fn() -> T>);

impl<T> fmt::Debug for Json<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Json<{}>", std::any::type_name::<T>())
    }
}

impl<T: DeserializeOwned + Send + 'static> ResponseHandler for Json<T> {
    type Output = T;

    fn handle(status: StatusCode, _: &HeaderMap, body: &[u8]) -> Result<T, BoxError> {
        if body.is_empty() {
            return Err(format!(
                "the {status} response has no body, but a JSON `{}` was expected",
                std::any::type_name::<T>()
            )
            .into());
        }
        Ok(serde_json::from_slice(body)?)
    }
}

/// A 2xx response whose body, if it has one, is JSON deserialised as `T`: `None` for an empty body.
///
/// Generated code reads the answers of PATCH, POST, PUT and DELETE this way: Graph describes many of them as
/// returning the entity, yet often answers `204 No Content` (PATCH of a user, for one).
pub struct MaybeJson<T>(PhantomData<fn() -> T>);

impl<T> fmt::Debug for MaybeJson<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MaybeJson<{}>", std::any::type_name::<T>())
    }
}

impl<T: DeserializeOwned + Send + 'static> ResponseHandler for MaybeJson<T> {
    type Output = Option<T>;

    fn handle(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Result<Option<T>, BoxError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        Json::<T>::handle(status, headers, body).map(Some)
    }
}

/// A 2xx response whose body is plain text (as `$count` answers), parsed with `T::from_str`: `Text<i64>` for
/// a count, `Text<String>` for the text itself.
pub struct Text<T>(PhantomData<fn() -> T>);

impl<T> fmt::Debug for Text<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Text<{}>", std::any::type_name::<T>())
    }
}

impl<T> ResponseHandler for Text<T>
where
    T: std::str::FromStr + Send + 'static,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    type Output = T;

    fn handle(_: StatusCode, _: &HeaderMap, body: &[u8]) -> Result<T, BoxError> {
        let text = std::str::from_utf8(body)?;
        Ok(text.trim().parse::<T>()?)
    }
}

/// A 2xx response whose body is returned as it is (file content, a photo, a report): its bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bytes;

impl ResponseHandler for Bytes {
    type Output = Vec<u8>;

    fn handle(_: StatusCode, _: &HeaderMap, body: &[u8]) -> Result<Vec<u8>, BoxError> {
        Ok(body.to_vec())
    }

    fn handle_body(_: StatusCode, _: &HeaderMap, body: Vec<u8>) -> Result<Vec<u8>, (BoxError, Vec<u8>)> {
        Ok(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_decodes_and_rejects_an_empty_body() {
        let value = Json::<Vec<u8>>::handle(StatusCode::OK, &HeaderMap::new(), b"[1,2]");
        assert_eq!(value.ok(), Some(vec![1, 2]));
        let empty = Json::<Vec<u8>>::handle(StatusCode::NO_CONTENT, &HeaderMap::new(), b"");
        let message = empty.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("204 No Content") && message.contains("no body"), "{message}");
        assert!(Json::<u8>::handle(StatusCode::OK, &HeaderMap::new(), b"\"x\"").is_err());
    }

    #[test]
    fn maybe_json_reads_an_empty_body_as_none() {
        assert_eq!(MaybeJson::<Vec<u8>>::handle(StatusCode::NO_CONTENT, &HeaderMap::new(), b"").ok(), Some(None));
        assert_eq!(MaybeJson::<Vec<u8>>::handle(StatusCode::OK, &HeaderMap::new(), b"[1]").ok(), Some(Some(vec![1])));
        assert!(MaybeJson::<Vec<u8>>::handle(StatusCode::OK, &HeaderMap::new(), b"{").is_err());
    }

    #[test]
    fn text_parses_and_bytes_are_kept() {
        assert_eq!(Text::<i64>::handle(StatusCode::OK, &HeaderMap::new(), b"42\n").ok(), Some(42));
        assert!(Text::<i64>::handle(StatusCode::OK, &HeaderMap::new(), b"many").is_err());
        assert_eq!(Text::<String>::handle(StatusCode::OK, &HeaderMap::new(), b"hi").ok().as_deref(), Some("hi"));
        assert_eq!(Bytes::handle(StatusCode::OK, &HeaderMap::new(), &[0, 159, 146]).ok(), Some(vec![0, 159, 146]));
    }

    #[test]
    fn no_content_accepts_anything() {
        assert!(NoContent::handle(StatusCode::OK, &HeaderMap::new(), b"not json").is_ok());
    }
}
