//! Large files through an upload session (`createUploadSession`): fixed-size chunks with
//! `Content-Range`, progress, and resuming from the session's `nextExpectedRanges`.

use std::fmt;
use std::marker::PhantomData;
use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{HeaderValue, CONTENT_RANGE, CONTENT_TYPE};
use http::{HeaderMap, Method};
use serde::de::DeserializeOwned;
use url::Url;

use crate::adapter::RequestAdapter;
use crate::auth::{BoxError, BoxFuture};
use crate::error::{Error, ServiceError};
use crate::send::{execute, without_query, Hop, RawResponse, SendOptions};

/// The unit of upload chunks: Graph wants every chunk but the last to be a multiple of 320 KiB.
pub const UPLOAD_CHUNK_UNIT: usize = 320 * 1024;

/// The default chunk size: 10 × 320 KiB (3.125 MiB), within Graph's recommended 5–10 MiB range's
/// lower end and well under its 60 MiB maximum.
pub const DEFAULT_UPLOAD_CHUNK: usize = 10 * UPLOAD_CHUNK_UNIT;

/// Where the bytes of an upload come from: any source that knows its length and can read a range.
/// Implemented for bytes in memory (`Vec<u8>`, [`bytes::Bytes`]) and for a file ([`FileSource`]).
pub trait UploadSource: Send + Sync + 'static {
    /// The total length in bytes.
    fn len(&self) -> u64;

    /// Whether there is nothing to upload.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reads `length` bytes from `offset`.
    fn read_range(&self, offset: u64, length: usize) -> BoxFuture<'_, Result<Bytes, BoxError>>;
}

impl UploadSource for Bytes {
    fn len(&self) -> u64 {
        Bytes::len(self) as u64
    }

    fn read_range(&self, offset: u64, length: usize) -> BoxFuture<'_, Result<Bytes, BoxError>> {
        let start = usize::try_from(offset).unwrap_or(usize::MAX).min(Bytes::len(self));
        let end = start.saturating_add(length).min(Bytes::len(self));
        let range = self.slice(start..end);
        Box::pin(async move { Ok(range) })
    }
}

impl UploadSource for Vec<u8> {
    fn len(&self) -> u64 {
        Vec::len(self) as u64
    }

    fn read_range(&self, offset: u64, length: usize) -> BoxFuture<'_, Result<Bytes, BoxError>> {
        let start = usize::try_from(offset).unwrap_or(usize::MAX).min(Vec::len(self));
        let end = start.saturating_add(length).min(Vec::len(self));
        let range = Bytes::copy_from_slice(&self[start..end]);
        Box::pin(async move { Ok(range) })
    }
}

/// A file on disk as an [`UploadSource`]: each chunk is read when it is sent, so the file is never
/// held in memory whole.
#[derive(Debug)]
pub struct FileSource {
    file: tokio::sync::Mutex<tokio::fs::File>,
    len: u64,
}

impl FileSource {
    /// Opens the file at `path`.
    ///
    /// # Errors
    ///
    /// When it cannot be opened or its length read.
    pub async fn open(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let file = tokio::fs::File::open(path).await?;
        let len = file.metadata().await?.len();
        Ok(Self { file: tokio::sync::Mutex::new(file), len })
    }
}

impl UploadSource for FileSource {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_range(&self, offset: u64, length: usize) -> BoxFuture<'_, Result<Bytes, BoxError>> {
        Box::pin(async move {
            use tokio::io::{AsyncReadExt, AsyncSeekExt};
            let mut file = self.file.lock().await;
            file.seek(std::io::SeekFrom::Start(offset)).await?;
            let mut buffer = vec![0u8; length];
            file.read_exact(&mut buffer).await?;
            Ok(Bytes::from(buffer))
        })
    }
}

/// A progress callback: bytes the service has confirmed so far, and the total.
type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// Uploads a file through an upload session, such as `createUploadSession` of a drive item or a
/// message attachment returns: [`Self::upload`] sends fixed-size chunks with `PUT` and
/// `Content-Range: bytes {start}-{end}/{total}` and returns the created item as `T`.
///
/// - Chunks are [`Self::chunk_size`] bytes, a multiple of [`UPLOAD_CHUNK_UNIT`] (320 KiB), the last
///   one shorter.
/// - [`Self::on_progress`] is called after each accepted chunk.
/// - Each chunk is sent as any request is: retried when throttled or the connection fails (see
///   [`RetryPolicy`](crate::RetryPolicy)), under the request timeout. A chunk that still fails (an error
///   status, a broken connection) is not the end: the task asks the session which ranges it still
///   expects (`nextExpectedRanges`) and goes on from there, up to [`Self::max_resumes`] times in a
///   row. [`Self::resume`] does the same for a session an earlier task left unfinished.
/// - The upload URL is pre-authenticated: the token is sent to it only when the adapter would send it
///   to that URL anyway (see [`RequestAdapter::sends_token_to`]), i.e. never to a storage host such as
///   SharePoint's.
///
/// ```no_run
/// use msgraph_runtime::{FileSource, LargeFileUpload, RequestAdapter, StaticTokenProvider};
///
/// # async fn run(upload_url: &str) -> Result<(), Box<dyn std::error::Error>> {
/// let adapter = RequestAdapter::new(StaticTokenProvider::new("eyJ0eXAi…"));
/// // upload_url: from `createUploadSession`
/// let file = FileSource::open("report.pdf").await?;
/// let item: serde_json::Value = LargeFileUpload::<_>::new(&adapter, upload_url, file)
///     .on_progress(|sent, total| println!("{sent} of {total} bytes"))
///     .upload()
///     .await?;
/// println!("created {}", item["id"]);
/// # Ok(())
/// # }
/// ```
pub struct LargeFileUpload<S, T = serde_json::Value, E = serde_json::Value> {
    adapter: RequestAdapter,
    upload_url: Result<Url, String>,
    source: S,
    chunk_size: usize,
    max_resumes: u32,
    progress: Option<Progress>,
    _types: PhantomData<fn() -> (T, E)>,
}

impl<S, T, E> LargeFileUpload<S, T, E>
where
    S: UploadSource,
    T: DeserializeOwned + Send + 'static,
    E: DeserializeOwned + fmt::Debug + Send + Sync + 'static,
{
    /// An upload of `source` to the session at `upload_url`, sent through `adapter`.
    pub fn new(adapter: &RequestAdapter, upload_url: &str, source: S) -> Self {
        let upload_url = Url::parse(upload_url)
            .map_err(|error| format!("the upload URL is not an absolute URL ({error})"))
            .and_then(|url| {
                if matches!(url.scheme(), "http" | "https") {
                    Ok(url)
                } else {
                    Err(format!("the upload URL {} is not http(s)", without_query(&url)))
                }
            });
        Self {
            adapter: adapter.clone(),
            upload_url,
            source,
            chunk_size: DEFAULT_UPLOAD_CHUNK,
            max_resumes: 3,
            progress: None,
            _types: PhantomData,
        }
    }

    /// The size of each chunk but the last ([`DEFAULT_UPLOAD_CHUNK`] unless set): a positive multiple
    /// of [`UPLOAD_CHUNK_UNIT`], else [`Self::upload`] fails with [`Error::InvalidRequest`].
    pub fn chunk_size(mut self, bytes: usize) -> Self {
        self.chunk_size = bytes;
        self
    }

    /// How many times in a row the task goes on from the session's `nextExpectedRanges` after a chunk
    /// failed (3 unless set; 0: the first failure ends the upload).
    pub fn max_resumes(mut self, n: u32) -> Self {
        self.max_resumes = n;
        self
    }

    /// Called after each accepted chunk with the bytes confirmed so far and the total.
    pub fn on_progress(mut self, progress: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(progress));
        self
    }

    /// Uploads the whole source from its start; returns the created item.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for an unusable upload URL or chunk size, or a source that cannot be
    /// read; the last chunk's error once [`Self::max_resumes`] is used up (a [`Error::Service`] for an
    /// error status, e.g. 404 for an expired session); [`Error::Decode`] when the final answer is not a
    /// `T`.
    pub async fn upload(&self) -> Result<T, Error<E>> {
        self.run(0).await
    }

    /// Goes on with a session that an earlier upload left unfinished: asks it for
    /// `nextExpectedRanges`, then sends the rest.
    ///
    /// # Errors
    ///
    /// As [`Self::upload`].
    pub async fn resume(&self) -> Result<T, Error<E>> {
        let url = self.upload_url.clone().map_err(Error::InvalidRequest)?;
        let offset = self.next_expected(&url).await?;
        self.run(offset).await
    }

    async fn run(&self, mut offset: u64) -> Result<T, Error<E>> {
        let url = self.upload_url.clone().map_err(Error::InvalidRequest)?;
        if self.chunk_size == 0 || self.chunk_size % UPLOAD_CHUNK_UNIT != 0 {
            return Err(Error::InvalidRequest(format!(
                "the chunk size {} is not a positive multiple of {UPLOAD_CHUNK_UNIT} bytes (320 KiB)",
                self.chunk_size
            )));
        }
        let total = self.source.len();
        if total == 0 {
            return Err(Error::InvalidRequest("an upload session cannot upload an empty source".to_owned()));
        }
        let mut failures = 0;
        loop {
            let length = usize::try_from(total.saturating_sub(offset)).unwrap_or(usize::MAX).min(self.chunk_size);
            let outcome = match self.source.read_range(offset, length).await {
                Ok(chunk) if chunk.len() == length => self.put(&url, offset, total, chunk).await,
                Ok(chunk) => {
                    return Err(Error::InvalidRequest(format!(
                        "the upload source gave {} bytes at offset {offset} instead of {length}",
                        chunk.len()
                    )))
                }
                Err(error) => {
                    return Err(Error::InvalidRequest(format!(
                        "the upload source cannot be read at offset {offset}: {error}"
                    )))
                }
            };
            let failure = match outcome {
                Ok(response) if response.status.is_success() && response.status != http::StatusCode::ACCEPTED => {
                    self.report(total, total);
                    return crate::request::finish::<crate::response::Json<T>, E>(response);
                }
                Ok(response) if response.status == http::StatusCode::ACCEPTED => {
                    let next = next_from_body(&response.body).unwrap_or(offset + length as u64);
                    failures = 0;
                    offset = next.min(total);
                    self.report(offset, total);
                    continue;
                }
                Ok(response) => service_error(response),
                Err(error) => error,
            };
            // A chunk failed: ask the session where it stands, and go on from there.
            if failures >= self.max_resumes || !resumable(&failure) {
                return Err(failure);
            }
            failures += 1;
            tracing::debug!(offset, failures, "upload chunk failed; resuming from the session's next expected range");
            offset = match self.next_expected(&url).await {
                Ok(next) => next,
                Err(_) => return Err(failure),
            };
        }
    }

    /// Sends one chunk.
    async fn put(&self, url: &Url, offset: u64, total: u64, chunk: Bytes) -> Result<RawResponse, Error<E>> {
        let mut headers = HeaderMap::new();
        let end = (offset + chunk.len() as u64).saturating_sub(1);
        let range = format!("bytes {offset}-{end}/{total}");
        headers.insert(CONTENT_RANGE, HeaderValue::from_str(&range).map_err(|_| Error::InvalidRequest(range))?);
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
        headers.insert(http::header::USER_AGENT, self.adapter.sdk_version_header().clone());
        let hop = Hop { method: Method::PUT, url: url.clone(), headers, body: Some(chunk) };
        execute(&self.adapter, hop, None, &SendOptions::default(), &"upload session").await
    }

    /// The start of the session's first `nextExpectedRanges`.
    async fn next_expected(&self, url: &Url) -> Result<u64, Error<E>> {
        let hop = Hop { method: Method::GET, url: url.clone(), headers: HeaderMap::new(), body: None };
        let response = execute(&self.adapter, hop, None, &SendOptions::default(), &"upload session").await?;
        if !response.status.is_success() {
            return Err(service_error(response));
        }
        next_from_body(&response.body)
            .ok_or_else(|| Error::InvalidRequest("the upload session's status has no nextExpectedRanges".to_owned()))
    }

    fn report(&self, sent: u64, total: u64) {
        if let Some(progress) = &self.progress {
            progress(sent, total);
        }
    }
}

/// A non-2xx answer as [`Error::Service`].
fn service_error<E: DeserializeOwned>(response: RawResponse) -> Error<E> {
    let odata = serde_json::from_slice(&response.body).ok();
    Error::Service(Box::new(ServiceError::new(response.status, response.headers, response.body, odata)))
}

/// Whether the task may go on after `error`: a broken connection, a timeout, a server error,
/// throttling, or a range the session did not expect (409, 416); not a session that is gone (404) or
/// a request that is wrong.
fn resumable<E>(error: &Error<E>) -> bool {
    match error {
        Error::Transport(_) | Error::Timeout { .. } => true,
        Error::Service(service) => {
            let status = service.status().as_u16();
            status >= 500 || matches!(status, 408 | 409 | 416 | 429)
        }
        _ => false,
    }
}

/// The start of the first of `nextExpectedRanges` (`["26-"]`, `["26-49", "60-"]`) in a session's
/// JSON.
fn next_from_body(body: &[u8]) -> Option<u64> {
    #[derive(serde::Deserialize)]
    struct Status {
        #[serde(rename = "nextExpectedRanges", default)]
        next_expected_ranges: Vec<String>,
    }
    let status: Status = serde_json::from_slice(body).ok()?;
    let first = status.next_expected_ranges.first()?;
    first.split('-').next()?.trim().parse().ok()
}

impl<S, T, E> fmt::Debug for LargeFileUpload<S, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = match &self.upload_url {
            Ok(url) => without_query(url),
            Err(problem) => problem.clone(),
        };
        f.debug_struct("LargeFileUpload")
            .field("upload_url", &url)
            .field("chunk_size", &self.chunk_size)
            .field("max_resumes", &self.max_resumes)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_expected_ranges_are_read() {
        assert_eq!(next_from_body(br#"{"nextExpectedRanges":["26-"]}"#), Some(26));
        assert_eq!(next_from_body(br#"{"nextExpectedRanges":["12-49","60-"],"x":1}"#), Some(12));
        assert_eq!(next_from_body(br#"{"nextExpectedRanges":[]}"#), None);
        assert_eq!(next_from_body(b"not json"), None);
    }

    #[tokio::test]
    async fn in_memory_sources_read_ranges() {
        let bytes = Bytes::from_static(b"0123456789");
        assert_eq!(bytes.read_range(3, 4).await.unwrap(), "3456");
        assert_eq!(bytes.read_range(8, 4).await.unwrap(), "89");
        assert_eq!(bytes.read_range(20, 4).await.unwrap(), "");
        let vec = b"abc".to_vec();
        assert_eq!(UploadSource::len(&vec), 3);
        assert_eq!(vec.read_range(1, 5).await.unwrap(), "bc");
    }
}
