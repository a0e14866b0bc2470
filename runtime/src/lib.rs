//! The runtime of the generated Microsoft Graph SDK.
//!
//! Code generated from Graph's OpenAPI description (`msgraph-sdk`) builds requests with this crate and
//! sends them through it, much like Kiota's request adapter does for the other languages:
//!
//! - [`ClientBuilder`] and [`RequestAdapter`]: the base URL and [`NationalCloud`], the HTTP client
//!   (`reqwest` with rustls), the [`TokenProvider`], and which hosts may receive the token.
//! - [`BaseRequestBuilder`] and [`UrlPath`]: paths built segment by segment, with path parameters
//!   percent-encoded so that each stays exactly one segment.
//! - [`Request`]: per-request headers, query parameters and a JSON body; `.await` sends it,
//!   [`Request::build`] shows what would be sent. [`NoContent`] and [`Json`] read the response.
//! - OData query options, encoded as Graph expects: [`Request::select`], [`Request::expand`],
//!   [`Request::filter`], [`Request::orderby`], [`Request::search`], [`Request::top`],
//!   [`Request::skip`], [`Request::count`], and [`Request::consistency_level_eventual`] for Graph's
//!   advanced directory queries. Setting an option again replaces it.
//! - [`Page`] and [`Pages`]: collections that come in pages. [`Request::pages`] iterates over them,
//!   following each `@odata.nextLink` through the same adapter and with the same per-request headers;
//!   [`Request::collect_all`] returns every item. A link that repeats one already followed ends the
//!   iteration with an error instead of looping.
//! - [`NationalCloud`]: the global service and the national clouds (US Government L4 and L5 (DOD),
//!   China operated by 21Vianet), each with its own root URL and token scope. Choose one with
//!   [`ClientBuilder::cloud`]; an operation marked with [`Request::available_in`] that does not exist
//!   in the adapter's cloud fails with [`Error::NotAvailableInCloud`] before anything is sent.
//! - [`Permissions`]: the permissions an operation needs under each [`PermissionScheme`], as
//!   Microsoft's API reference lists them, and the scopes to ask for
//!   ([`Permissions::scopes`]); [`PermissionSource`] says whether the reference lists the operation,
//!   its table was inferred from one that acts on the same thing, or it is unknown.
//! - Graph's primitive types, with the wire formats Graph uses in JSON: [`DateTimeOffset`]
//!   (`2026-11-27T10:00:00Z`), [`Date`] (`2026-11-27`), [`TimeOfDay`] (`13:45:00`), [`Duration`]
//!   (ISO 8601, `PT1H30M`), [`Guid`], [`Double`] (a number, or `"NaN"`, `"INF"`, `"-INF"`) and
//!   [`Base64`] (`Edm.Binary`). Each reads the variations Graph sends, writes one canonical form, and
//!   converts to and from the natural Rust type; [`time`] is re-exported for the date and time types.
//! - [`Error`]: the service's answer (status, headers, body, the parsed OData error), kept apart from
//!   transport failures, timeouts, authentication failures and requests that could not be built.
//! - Production concerns, on by default and configurable per client and per request: retries of
//!   throttled and transient failures ([`RetryPolicy`]: `Retry-After`, backoff with jitter,
//!   `Retry-Attempt`), connect and request timeouts ([`Error::Timeout`]), a cap on response bodies
//!   ([`Error::BodyTooLarge`], gzip decompressed within it), query values redacted in `Debug`, a
//!   `tracing` span per attempt (`msgraph.request`: method, URL template, attempt, status, duration).
//! - [`CachingTokenProvider`]: tokens cached per scope set until shortly before they expire, one fetch
//!   for concurrent requests; with the `azure` feature, `AzureIdentityProvider` adapts any
//!   `azure_core` `TokenCredential`.
//! - [`Request::with_response`] (status and headers with the value), [`Pages::next_page`]
//!   (`@odata.count`, `@odata.deltaLink`), [`Request::collect_delta`] and [`Request::resume_from`],
//!   [`Batch`] (JSON batching) and [`LargeFileUpload`] (upload sessions).
//!
//! The access token goes only to the base URL's host and port (the Graph host of the adapter's cloud,
//! or the custom host) and hosts added with [`ClientBuilder::allowed_host`], and only over https or to
//! loopback. Redirects are
//! followed by the runtime, which checks each hop again, so a redirect to another host never carries
//! the token; the same rules apply to every `@odata.nextLink` that [`Pages`] follows. No `Debug` or
//! `Display` output shows it.
//!
//! ```no_run
//! use msgraph_runtime::{BaseRequestBuilder, Json, Method, RequestAdapter, StaticTokenProvider};
//!
//! # async fn run() -> Result<(), msgraph_runtime::Error> {
//! let adapter: RequestAdapter = RequestAdapter::builder()
//!     .base_url("https://graph.microsoft.com/v1.0")
//!     .auth(StaticTokenProvider::new("eyJ0eXAi…"))
//!     .sdk_version("my-tool/1.0.0")
//!     .build()?;
//! let user: serde_json::Value = BaseRequestBuilder::new(adapter)
//!     .segment("users")
//!     .parameter("user-id", "adele@contoso.com")
//!     .request::<Json<serde_json::Value>, serde_json::Value>(Method::GET)
//!     .select(["displayName"])
//!     .await?;
//! println!("{}", user["displayName"]);
//! # Ok(())
//! # }
//! ```

mod adapter;
mod auth;
#[cfg(feature = "azure")]
mod azure;
mod batch;
mod cloud;
mod download;
mod enums;
mod error;
pub mod object;
mod odata_type;
mod paging;
mod path;
mod permissions;
mod property;
mod request;
mod response;
mod retry;
mod send;
mod upload;

pub use adapter::{
    ClientBuilder, RequestAdapter, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BODY,
    DEFAULT_TIMEOUT, NATIONAL_CLOUD_HOSTS,
};
pub use auth::{
    AccessToken, BoxError, BoxFuture, CachingTokenProvider, StaticTokenProvider, TokenProvider, TokenRequest,
    DEFAULT_REFRESH_MARGIN,
};
#[cfg(feature = "azure")]
pub use azure::AzureIdentityProvider;
pub use batch::{Batch, BatchResponses, BatchStep, MAX_BATCH_SIZE};
pub use cloud::NationalCloud;
pub use download::Download;
pub use enums::Flags;
pub use error::{Error, ServiceError, TimeoutKind, ERROR_BODY_PREFIX};
pub use http::{HeaderMap, Method, StatusCode};
pub use msgraph_edm::{Base64, Date, DateTimeOffset, Double, Duration, Guid, ParseEdmError, TimeOfDay};
pub use object::{AdditionalData, Misfit, Object};
pub use odata_type::{downcast, odata_type_of, upcast, AsDerived, DerivesFrom, DowncastError, ODataType};
pub use paging::{CollectionPage, Delta, Page, Pages, DEFAULT_MAX_ITEMS, DEFAULT_MAX_PAGES};
pub use path::{CallArg, UrlPath, MAX_PARAMETER_LEN};
pub use permissions::{PermissionScheme, PermissionSource, Permissions, SchemePermissions};
pub use property::Property;
pub use request::{BaseRequestBuilder, HttpRequest, Request, MAX_REDIRECTS, MAX_URL_LEN};
pub use response::{Bytes, Json, MaybeJson, NoContent, Response, ResponseHandler, Text, WithResponse};
pub use retry::RetryPolicy;
pub use time;
pub use upload::{FileSource, LargeFileUpload, UploadSource, DEFAULT_UPLOAD_CHUNK, UPLOAD_CHUNK_UNIT};
pub use url::Url;

/// What the generated code's macros need; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use crate::enums::deserialize_str;
    pub use serde::{Deserialize, Deserializer, Serialize, Serializer};
}
