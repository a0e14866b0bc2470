//! A response whose body is read in chunks, from [`Request::download`](crate::Request::download).

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use crate::adapter::RequestAdapter;
use crate::error::{Error, TimeoutKind};
use crate::send::transport_error;

/// A successful response whose body is read chunk by chunk ([`Self::chunk`]), so that a body of any
/// size (a `$value` download, a report) never has to be held whole.
pub struct Download<E = serde_json::Value> {
    adapter: RequestAdapter,
    status: StatusCode,
    headers: HeaderMap,
    response: reqwest::Response,
    timeout: Duration,
    received: u64,
    _error: std::marker::PhantomData<fn() -> E>,
}

impl<E> Download<E> {
    pub(crate) fn new(
        adapter: RequestAdapter,
        status: StatusCode,
        headers: HeaderMap,
        response: reqwest::Response,
        timeout: Duration,
    ) -> Self {
        Self { adapter, status, headers, response, timeout, received: 0, _error: std::marker::PhantomData }
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body's length, when the response declares it (and is not compressed).
    pub fn content_length(&self) -> Option<u64> {
        self.response.content_length()
    }

    /// How many body bytes were read so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// The next chunk of the body; `None` at its end.
    ///
    /// # Errors
    ///
    /// [`Error::Timeout`] when no chunk arrives within the request timeout; [`Error::Transport`] when
    /// the connection breaks.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error<E>> {
        let chunk = tokio::time::timeout(self.timeout, self.response.chunk())
            .await
            .map_err(|_| Error::Timeout { kind: TimeoutKind::Request, limit: self.timeout })?
            .map_err(|error| transport_error(&self.adapter, error))?;
        if let Some(chunk) = &chunk {
            self.received += chunk.len() as u64;
        }
        Ok(chunk)
    }
}

impl<E> fmt::Debug for Download<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("status", &self.status)
            .field("content_length", &self.content_length())
            .field("received", &self.received)
            .finish_non_exhaustive()
    }
}
