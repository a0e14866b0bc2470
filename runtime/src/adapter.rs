//! The shared client state and its builder.

use std::fmt;
use std::marker::PhantomData;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderValue;
use url::{Host, Url};

use crate::auth::TokenProvider;
use crate::cloud::NationalCloud;
use crate::error::Error;
use crate::retry::RetryPolicy;

/// The base URL of Microsoft Graph v1.0 in the global cloud.
pub const DEFAULT_BASE_URL: &str = "https://graph.microsoft.com/v1.0";

/// Graph's hosts in the global and national clouds ([`NationalCloud::host`] of each of
/// [`NationalCloud::ALL`], in that order). An adapter sends the token to one of them only when it is the
/// base URL's host (the cloud the adapter targets); see [`RequestAdapter::sends_token_to`].
pub const NATIONAL_CLOUD_HOSTS: [&str; NationalCloud::ALL.len()] = {
    let mut hosts = [""; NationalCloud::ALL.len()];
    let mut index = 0;
    while index < hosts.len() {
        hosts[index] = NationalCloud::ALL[index].host();
        index += 1;
    }
    hosts
};

/// The default of [`ClientBuilder::connect_timeout`].
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default of [`ClientBuilder::timeout`] (the default of .NET's `HttpClient`, which Microsoft's C#
/// SDK uses).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(100);

/// The default of [`ClientBuilder::max_response_body`]: 256 MiB.
pub const DEFAULT_MAX_RESPONSE_BODY: u64 = 256 << 20;

/// The runtime's own part of the `SdkVersion` and `User-Agent` headers.
const RUNTIME_VERSION: &str = concat!("msgraph-runtime/", env!("CARGO_PKG_VERSION"));

/// A host and port that may receive the token.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Origin {
    host: String,
    port: u16,
}

impl Origin {
    fn of(url: &Url) -> Option<Self> {
        Some(Self { host: url.host_str()?.to_ascii_lowercase(), port: url.port_or_known_default()? })
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.host, self.port)
    }
}

/// Whether `url`'s host is the local machine: `127.0.0.0/8`, `::1` or `localhost`.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

fn is_http(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https")
}

/// Shared client state: base URL, national cloud, HTTP client, token provider, the hosts that may
/// receive the token and the SDK version. Cheap to clone (one `Arc`).
///
/// Built by [`ClientBuilder`] (or [`RequestAdapter::new`] for Graph's global cloud). `Debug` shows
/// the configuration, never a token.
#[derive(Clone)]
pub struct RequestAdapter {
    inner: Arc<Inner>,
}

struct Inner {
    base_url: Url,
    cloud: Option<NationalCloud>,
    client: reqwest::Client,
    provider: Box<dyn TokenProvider>,
    scopes: Vec<String>,
    trusted: Vec<Origin>,
    sdk_version: String,
    sdk_version_header: HeaderValue,
    retry: RetryPolicy,
    timeout: Duration,
    connect_timeout: Option<Duration>,
    max_response_body: u64,
    strict: bool,
    /// The `Authorization` value of the last token, reused while the provider returns the same token.
    last_authorization: std::sync::Mutex<Option<(String, HeaderValue)>>,
}

impl RequestAdapter {
    /// An adapter for Graph's global cloud ([`DEFAULT_BASE_URL`]) that authenticates with `provider`.
    ///
    /// # Panics
    ///
    /// When the HTTP client cannot be created, as [`reqwest::Client::new`] does; use [`ClientBuilder`]
    /// to handle that as an error.
    pub fn new(provider: impl TokenProvider) -> Self {
        ClientBuilder::<Self>::new()
            .auth(provider)
            .build()
            .unwrap_or_else(|error| panic!("cannot create the request adapter: {error}"))
    }

    /// A builder for an adapter with another base URL, HTTP client or SDK version.
    pub fn builder() -> ClientBuilder<Self> {
        ClientBuilder::new()
    }

    /// The base URL every request path is appended to, without a trailing slash (except for a bare
    /// host, whose path is `/`).
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The national cloud requests go to: the one set with [`ClientBuilder::cloud`], else the one
    /// whose host the base URL is on ([`NationalCloud::from_host`]), else `None` (a custom or loopback
    /// host).
    ///
    /// It decides the token scope and whether an operation is available (see
    /// [`Request::available_in`](crate::Request::available_in)); without a cloud, no operation is
    /// refused.
    pub fn cloud(&self) -> Option<NationalCloud> {
        self.inner.cloud
    }

    /// The value of the `SdkVersion` and `User-Agent` headers.
    pub fn sdk_version(&self) -> &str {
        &self.inner.sdk_version
    }

    /// The HTTP client requests are sent with.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.client
    }

    /// Whether a request to `url` carries the access token.
    ///
    /// True only when `url`'s host and port are the base URL's (the Graph host of the cloud the adapter
    /// targets, or the custom base URL's host — never the other clouds' hosts) or one added with
    /// [`ClientBuilder::allowed_host`]; and its scheme is `https`, or `http` to a loopback host
    /// (`127.0.0.0/8`, `::1`, `localhost`). Every redirect hop is checked again.
    pub fn sends_token_to(&self, url: &Url) -> bool {
        let secure = match url.scheme() {
            "https" => true,
            "http" => is_loopback(url),
            _ => false,
        };
        secure && Origin::of(url).is_some_and(|origin| self.inner.trusted.contains(&origin))
    }

    /// The retry policy of requests that set none (see [`ClientBuilder::retry`]).
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The request timeout of requests that set none (see [`ClientBuilder::timeout`]).
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The connect timeout of the adapter's HTTP client; `None` when the client was given with
    /// [`ClientBuilder::http_client`] (its own settings apply).
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.inner.connect_timeout
    }

    /// The largest response body read by requests that set no other (see
    /// [`ClientBuilder::max_response_body`]).
    pub fn max_response_body(&self) -> u64 {
        self.inner.max_response_body
    }

    /// Whether a value that does not fit its declared type fails the read (see
    /// [`ClientBuilder::strict_reading`]).
    pub fn strict_reading(&self) -> bool {
        self.inner.strict
    }

    /// The base URL's path segments (none for a bare host).
    #[cfg(test)]
    fn base_segments(&self) -> Vec<String> {
        match self.inner.base_url.path_segments() {
            Some(segments) if self.inner.base_url.path() != "/" => segments.map(str::to_owned).collect(),
            _ => Vec::new(),
        }
    }

    /// `Bearer {token}` as a sensitive header value; `None` when the token cannot be a header.
    pub(crate) fn authorization(&self, token: &crate::auth::AccessToken) -> Option<HeaderValue> {
        let mut last = self.inner.last_authorization.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((secret, value)) = last.as_ref() {
            if secret == token.secret() {
                return Some(value.clone());
            }
        }
        let mut value = HeaderValue::from_str(&format!("Bearer {}", token.secret())).ok()?;
        value.set_sensitive(true);
        *last = Some((token.secret().to_owned(), value.clone()));
        Some(value)
    }

    pub(crate) fn sdk_version_header(&self) -> &HeaderValue {
        &self.inner.sdk_version_header
    }

    pub(crate) fn provider(&self) -> &dyn TokenProvider {
        &*self.inner.provider
    }

    pub(crate) fn scopes(&self) -> &[String] {
        &self.inner.scopes
    }
}

impl fmt::Debug for RequestAdapter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let trusted: Vec<String> = self.inner.trusted.iter().map(Origin::to_string).collect();
        f.debug_struct("RequestAdapter")
            .field("base_url", &self.inner.base_url.as_str())
            .field("cloud", &self.inner.cloud)
            .field("sdk_version", &self.sdk_version())
            .field("token_hosts", &trusted)
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .field("connect_timeout", &self.inner.connect_timeout)
            .field("max_response_body", &self.inner.max_response_body)
            .field("strict_reading", &self.inner.strict)
            .finish_non_exhaustive()
    }
}

/// Configures and builds a client: a [`RequestAdapter`], or any `C: From<RequestAdapter>` such as a
/// generated `GraphServiceClient`.
///
/// `E` is the error model of the [`Error`] that [`Self::build`] returns, so that `build()?` works in a
/// function returning the API's `Error<E>`; it does not affect the client.
///
/// The base URL is, in order of precedence:
///
/// 1. the one set with [`Self::base_url`], an explicit override (a test server, a proxy);
/// 2. the one set with [`Self::default_base_url`] (the generated crate's global-cloud URL), or else
///    [`DEFAULT_BASE_URL`], moved to the [`Self::cloud`] when one is set: its scheme, host and port
///    become the cloud's [root URL](NationalCloud::root_url) and its path is kept.
///
/// ```
/// use msgraph_runtime::{NationalCloud, RequestAdapter, StaticTokenProvider};
///
/// let adapter: RequestAdapter = RequestAdapter::builder()
///     .default_base_url("https://graph.microsoft.com/v1.0")
///     .cloud(NationalCloud::China)
///     .auth(StaticTokenProvider::new("token"))
///     .build()?;
/// assert_eq!(adapter.base_url().as_str(), "https://microsoftgraph.chinacloudapi.cn/v1.0");
/// assert_eq!(adapter.cloud(), Some(NationalCloud::China));
///
/// let local: RequestAdapter = RequestAdapter::builder()
///     .base_url("http://127.0.0.1:8080/v1.0")
///     .auth(StaticTokenProvider::new("token"))
///     .build()?;
/// assert_eq!(local.base_url().as_str(), "http://127.0.0.1:8080/v1.0");
/// assert_eq!(local.cloud(), None);
/// # Ok::<(), msgraph_runtime::Error>(())
/// ```
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder<C = RequestAdapter, E = serde_json::Value> {
    base_url: Option<String>,
    default_base_url: Option<String>,
    cloud: Option<NationalCloud>,
    provider: Option<Box<dyn TokenProvider>>,
    http_client: Option<reqwest::Client>,
    sdk_version: Option<String>,
    allowed_hosts: Vec<String>,
    retry: RetryPolicy,
    timeout: Duration,
    connect_timeout: Duration,
    max_response_body: u64,
    strict: bool,
    _client: PhantomData<fn() -> (C, E)>,
}

impl<C: From<RequestAdapter>, E> ClientBuilder<C, E> {
    /// A builder for [`DEFAULT_BASE_URL`], without a token provider yet.
    pub fn new() -> Self {
        Self {
            base_url: None,
            default_base_url: None,
            cloud: None,
            provider: None,
            http_client: None,
            sdk_version: None,
            allowed_hosts: Vec::new(),
            retry: RetryPolicy::default(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            strict: false,
            _client: PhantomData,
        }
    }

    /// How requests are retried when throttled (429) or briefly unavailable (503, 504), or when the
    /// connection fails; [`RetryPolicy::default`] unless set, [`RetryPolicy::none`] turns retries off. A
    /// request can override it ([`Request::retry`](crate::Request::retry)).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The most time one attempt of a request may take, from sending it to the last byte of the
    /// response body, redirects included ([`DEFAULT_TIMEOUT`] unless set); then it fails with
    /// [`Error::Timeout`]. A request can override it ([`Request::timeout`](crate::Request::timeout)).
    ///
    /// Timeouts and retry waits use Tokio's timers: requests must run on a Tokio runtime with timers
    /// enabled (as `#[tokio::main]` and `#[tokio::test]` build them), as `reqwest`'s own timeouts do.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The most time establishing a connection may take ([`DEFAULT_CONNECT_TIMEOUT`] unless set); then
    /// the attempt fails with [`Error::Timeout`]. Not used with [`Self::http_client`], whose own settings
    /// apply.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The largest response body read, in bytes, after decompression ([`DEFAULT_MAX_RESPONSE_BODY`]
    /// unless set): a larger one fails with [`Error::BodyTooLarge`] as soon as it is known to be larger,
    /// without reading the rest. A request can override it
    /// ([`Request::max_response_body`](crate::Request::max_response_body)).
    pub fn max_response_body(mut self, bytes: u64) -> Self {
        self.max_response_body = bytes;
        self
    }

    /// Reads answers strictly: a property whose value does not fit its declared type (a string where the
    /// description declares an object, a date that is not one) fails the whole read with [`Error::Decode`]
    /// instead of being kept, with the reason, in the object's `additional_data` (see
    /// [`AdditionalData::misfits`](crate::AdditionalData::misfits)). Off unless set; a request can ask for it
    /// alone ([`Request::strict`](crate::Request::strict)).
    pub fn strict_reading(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// The base URL request paths are appended to, e.g. `http://127.0.0.1:8080/v1.0`; a trailing slash
    /// is optional. It must be `https`, or `http` to a loopback host, and have no query or fragment.
    ///
    /// This is an explicit override (a test server, a proxy): it is used as written, whatever
    /// [`Self::cloud`] says. Without [`Self::cloud`], the adapter's cloud is the one whose host this
    /// URL is on, if any.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The base URL in Graph's global cloud as the generated crate knows it, e.g.
    /// `https://graph.microsoft.com/v1.0` (instead of [`DEFAULT_BASE_URL`]).
    ///
    /// Used when no [`Self::base_url`] is set; with [`Self::cloud`], its scheme, host and port are
    /// replaced by the cloud's [root URL](NationalCloud::root_url) and its path is kept, so
    /// `https://graph.microsoft.com/beta` in [`NationalCloud::China`] becomes
    /// `https://microsoftgraph.chinacloudapi.cn/beta`. The same rules as for [`Self::base_url`] apply.
    pub fn default_base_url(mut self, url: impl Into<String>) -> Self {
        self.default_base_url = Some(url.into());
        self
    }

    /// The national cloud to use: it moves the default base URL there (see
    /// [`Self::default_base_url`]), decides the token scope ([`NationalCloud::default_scope`]) and
    /// which operations may be sent (see [`Request::available_in`](crate::Request::available_in)).
    ///
    /// With an explicit [`Self::base_url`] on a custom host (a test server, a proxy), the URL is kept
    /// and the adapter still behaves as in `cloud`.
    pub fn cloud(mut self, cloud: NationalCloud) -> Self {
        self.cloud = Some(cloud);
        self
    }

    /// The token provider (required).
    pub fn auth(mut self, provider: impl TokenProvider) -> Self {
        self.provider = Some(Box::new(provider));
        self
    }

    /// Sends requests with `client` instead of a new one (to set timeouts, a proxy, …).
    ///
    /// The client should not follow redirects itself (build it with
    /// `.redirect(reqwest::redirect::Policy::none())`): the runtime follows them, and decides for each
    /// hop whether the token may go along. A client that follows redirects on its own bypasses that
    /// check and the hop limit.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The SDK's name and version, e.g. `msgraph-sdk/0.1.0`: the `SdkVersion` and `User-Agent` headers
    /// become `{value}, msgraph-runtime/{runtime version}`.
    pub fn sdk_version(mut self, value: impl Into<String>) -> Self {
        self.sdk_version = Some(value.into());
        self
    }

    /// Another host that may receive the token (over https, or http when it is loopback): `host`, which
    /// means port 443, or `host:port`.
    pub fn allowed_host(mut self, host: impl Into<String>) -> Self {
        self.allowed_hosts.push(host.into());
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when no token provider was set; the base URL (explicit or default) does not
    /// parse, is not `http(s)`, has a query, a fragment or credentials, or is `http` to a host that is
    /// not loopback; an explicit base URL is on the host of another national cloud than the one set
    /// with [`Self::cloud`]; an allowed host is not a plain `host` or `host:port`; the SDK version is
    /// not a valid header value; or the HTTP client cannot be created.
    pub fn build(self) -> Result<C, Error<E>> {
        let provider = self.provider.ok_or_else(|| config("no token provider: call `.auth(provider)`"))?;
        let base_url = match (&self.base_url, self.cloud) {
            (Some(explicit), _) => parse_base_url(explicit)?,
            (None, cloud) => {
                let default = parse_base_url(self.default_base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
                match cloud {
                    Some(cloud) => in_cloud(&default, cloud)?,
                    None => default,
                }
            }
        };
        let host_cloud = base_url.host_str().and_then(NationalCloud::from_host);
        let cloud = match (self.cloud, host_cloud) {
            (Some(chosen), Some(host)) if chosen != host => {
                return Err(config(format!(
                    "the base URL {base_url} is in {host}, but the cloud is set to {chosen}; \
                     leave out `.base_url(..)` to use {chosen}'s URL"
                )));
            }
            (chosen, host) => chosen.or(host),
        };
        // The base URL's host: the targeted cloud's Graph host, or the custom host. Not the other clouds'.
        let mut trusted = Vec::new();
        trusted.extend(Origin::of(&base_url));
        for host in &self.allowed_hosts {
            trusted.push(parse_allowed_host(host)?);
        }
        let sdk_version = match &self.sdk_version {
            Some(sdk) => format!("{sdk}, {RUNTIME_VERSION}"),
            None => RUNTIME_VERSION.to_owned(),
        };
        let sdk_version_header = HeaderValue::from_str(&sdk_version)
            .map_err(|_| config(format!("the SDK version {sdk_version:?} is not a valid header value")))?;
        let (client, connect_timeout) = match self.http_client {
            Some(client) => (client, None),
            None => {
                let client = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .connect_timeout(self.connect_timeout)
                    .build()
                    .map_err(|error| config(format!("the HTTP client cannot be created: {error}")))?;
                (client, Some(self.connect_timeout))
            }
        };
        let scopes = match cloud {
            Some(cloud) => vec![cloud.default_scope()],
            None => vec![format!("{}://{}/.default", base_url.scheme(), base_url.host_str().unwrap_or_default())],
        };
        let adapter = RequestAdapter {
            inner: Arc::new(Inner {
                base_url,
                cloud,
                client,
                provider,
                scopes,
                trusted,
                sdk_version,
                sdk_version_header,
                retry: self.retry,
                timeout: self.timeout,
                connect_timeout,
                max_response_body: self.max_response_body,
                strict: self.strict,
                last_authorization: std::sync::Mutex::new(None),
            }),
        };
        Ok(C::from(adapter))
    }
}

impl<C: From<RequestAdapter>, E> Default for ClientBuilder<C, E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C, E> fmt::Debug for ClientBuilder<C, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("default_base_url", &self.default_base_url)
            .field("cloud", &self.cloud)
            .field("has_token_provider", &self.provider.is_some())
            .field("has_http_client", &self.http_client.is_some())
            .field("sdk_version", &self.sdk_version)
            .field("allowed_hosts", &self.allowed_hosts)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_response_body", &self.max_response_body)
            .field("strict_reading", &self.strict)
            .finish()
    }
}

fn config<E>(message: impl Into<String>) -> Error<E> {
    Error::Config(message.into())
}

fn parse_base_url<E>(text: &str) -> Result<Url, Error<E>> {
    let mut url = Url::parse(text).map_err(|error| config(format!("the base URL {text:?} does not parse: {error}")))?;
    if !is_http(&url) {
        return Err(config(format!("the base URL {text:?} is not http or https")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(config(format!(
            "the base URL {text:?} has a query or fragment; it must be a plain prefix of request URLs"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(config("the base URL must not contain credentials"));
    }
    if url.scheme() != "https" && !is_loopback(&url) {
        return Err(config(format!(
            "the base URL {text:?} is http to a host that is not loopback; the token is only sent over https"
        )));
    }
    if url.path().len() > 1 && url.path().ends_with('/') {
        let trimmed = url.path().trim_end_matches('/').to_owned();
        url.set_path(&trimmed);
    }
    Ok(url)
}

/// `default` with its scheme, host and port replaced by `cloud`'s root URL.
fn in_cloud<E>(default: &Url, cloud: NationalCloud) -> Result<Url, Error<E>> {
    let mut url = Url::parse(cloud.root_url())
        .map_err(|error| config(format!("the root URL of {cloud} does not parse: {error}")))?;
    url.set_path(default.path());
    Ok(url)
}

fn parse_allowed_host<E>(text: &str) -> Result<Origin, Error<E>> {
    let invalid = || config(format!("the allowed host {text:?} is not a `host` or `host:port`"));
    let url = Url::parse(&format!("https://{text}")).map_err(|_| invalid())?;
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(invalid());
    }
    Origin::of(&url).ok_or_else(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StaticTokenProvider;

    fn adapter(base: &str) -> Result<RequestAdapter, Error> {
        RequestAdapter::builder()
            .base_url(base)
            .auth(StaticTokenProvider::new("t"))
            .allowed_host("files.example.com")
            .allowed_host("127.0.0.1:9000")
            .build()
    }

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn base_urls_are_normalised_and_validated() {
        for base in ["https://graph.microsoft.com/v1.0", "https://graph.microsoft.com/v1.0/"] {
            assert_eq!(adapter(base).unwrap().base_url().as_str(), "https://graph.microsoft.com/v1.0");
            assert_eq!(adapter(base).unwrap().base_segments(), ["v1.0"]);
        }
        assert_eq!(adapter("https://example.com").unwrap().base_segments(), [] as [String; 0]);
        let odd = adapter("https://example.com/a//b//").unwrap();
        assert_eq!(odd.base_url().as_str(), "https://example.com/a//b");
        assert_eq!(odd.base_segments(), ["a", "", "b"]);
        for ok in ["http://127.0.0.1:1/x", "http://127.9.9.9/", "http://[::1]:8/", "http://LOCALHOST:8/"] {
            assert!(adapter(ok).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("http://example.com/v1.0", "not loopback"),
            ("http://10.0.0.1/v1.0", "not loopback"),
            ("not a url", "does not parse"),
            ("ftp://127.0.0.1/", "not http or https"),
            ("https://example.com/v1.0?x=1", "query or fragment"),
            ("https://example.com/v1.0#top", "query or fragment"),
            ("https://user:pw@example.com/", "credentials"),
        ] {
            let message = adapter(bad).unwrap_err().to_string();
            assert!(message.contains(why), "{bad}: {message}");
        }
    }

    #[test]
    fn build_requires_a_provider_and_valid_settings() {
        let err = RequestAdapter::builder().build().unwrap_err();
        assert!(matches!(&err, Error::Config(m) if m.contains("token provider")), "{err}");
        let err =
            RequestAdapter::builder().auth(StaticTokenProvider::new("t")).allowed_host("a/b").build().unwrap_err();
        assert!(err.to_string().contains("allowed host"), "{err}");
        let err = RequestAdapter::builder()
            .auth(StaticTokenProvider::new("t"))
            .sdk_version("bad\nvalue")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("SDK version"), "{err}");
    }

    #[test]
    fn the_token_goes_only_to_trusted_origins() {
        let adapter = adapter("https://graph.microsoft.com/v1.0").unwrap();
        for yes in [
            "https://graph.microsoft.com/v1.0/users?$skiptoken=x",
            "https://GRAPH.microsoft.com:443/beta",
            "https://files.example.com/download",
            "http://127.0.0.1:9000/x",
        ] {
            assert!(adapter.sends_token_to(&url(yes)), "{yes}");
        }
        for no in [
            "http://graph.microsoft.com/v1.0",
            "https://graph.microsoft.com:8443/v1.0",
            "https://graph.microsoft.us/v1.0",
            "https://dod-graph.microsoft.us/v1.0",
            "https://microsoftgraph.chinacloudapi.cn/v1.0",
            "https://graph.microsoft.com.evil.example/v1.0",
            "https://evil.example/graph.microsoft.com",
            "https://files.example.com:444/download",
            "http://files.example.com/download",
            "http://127.0.0.1:9001/x",
            "ftp://graph.microsoft.com/",
        ] {
            assert!(!adapter.sends_token_to(&url(no)), "{no}");
        }
    }

    #[test]
    fn loopback_base_trusts_only_its_own_port() {
        let adapter = adapter("http://127.0.0.1:8080/v1.0").unwrap();
        assert!(adapter.sends_token_to(&url("http://127.0.0.1:8080/other")));
        assert!(!adapter.sends_token_to(&url("http://127.0.0.1:8081/v1.0")));
        assert!(!adapter.sends_token_to(&url("http://localhost:8080/v1.0")));
        assert_eq!(adapter.scopes(), ["http://127.0.0.1/.default"]);
        for cloud in NATIONAL_CLOUD_HOSTS {
            assert!(!adapter.sends_token_to(&url(&format!("https://{cloud}/v1.0/me"))), "{cloud}");
        }
    }

    fn in_cloud(cloud: Option<NationalCloud>, default: Option<&str>, base: Option<&str>) -> RequestAdapter {
        let mut builder = RequestAdapter::builder().auth(StaticTokenProvider::new("t"));
        if let Some(cloud) = cloud {
            builder = builder.cloud(cloud);
        }
        if let Some(default) = default {
            builder = builder.default_base_url(default);
        }
        if let Some(base) = base {
            builder = builder.base_url(base);
        }
        builder.build().unwrap()
    }

    #[test]
    fn national_cloud_hosts_are_the_clouds_hosts() {
        let hosts: Vec<&str> = NationalCloud::ALL.iter().map(|cloud| cloud.host()).collect();
        assert_eq!(NATIONAL_CLOUD_HOSTS.as_slice(), hosts);
        assert_eq!(
            NATIONAL_CLOUD_HOSTS,
            ["graph.microsoft.com", "graph.microsoft.us", "dod-graph.microsoft.us", "microsoftgraph.chinacloudapi.cn"]
        );
    }

    #[test]
    fn a_cloud_moves_the_default_base_url_and_sets_the_scope() {
        let expected = [
            (NationalCloud::Global, "https://graph.microsoft.com/v1.0", "https://graph.microsoft.com/.default"),
            (NationalCloud::UsGovernmentL4, "https://graph.microsoft.us/v1.0", "https://graph.microsoft.us/.default"),
            (
                NationalCloud::UsGovernmentL5Dod,
                "https://dod-graph.microsoft.us/v1.0",
                "https://dod-graph.microsoft.us/.default",
            ),
            (
                NationalCloud::China,
                "https://microsoftgraph.chinacloudapi.cn/v1.0",
                "https://microsoftgraph.chinacloudapi.cn/.default",
            ),
        ];
        for (cloud, base, scope) in expected {
            for default in [None, Some(DEFAULT_BASE_URL), Some("https://graph.microsoft.com/v1.0/")] {
                let adapter = in_cloud(Some(cloud), default, None);
                assert_eq!(adapter.base_url().as_str(), base, "{cloud} {default:?}");
                assert_eq!(adapter.base_segments(), ["v1.0"]);
                assert_eq!(adapter.cloud(), Some(cloud));
                assert_eq!(adapter.scopes(), [scope]);
            }
            // The host and port are replaced; the path is kept.
            let beta = in_cloud(Some(cloud), Some("https://example.com:8443/beta/x"), None);
            assert_eq!(beta.base_url().as_str(), format!("{}/beta/x", cloud.root_url()));
            let bare = in_cloud(Some(cloud), Some("https://example.com"), None);
            assert_eq!(bare.base_url().as_str(), format!("{}/", cloud.root_url()));
            assert_eq!(bare.base_segments(), [] as [String; 0]);
        }
    }

    #[test]
    fn without_a_cloud_the_base_url_host_decides() {
        let global = in_cloud(None, None, None);
        assert_eq!((global.base_url().as_str(), global.cloud()), (DEFAULT_BASE_URL, Some(NationalCloud::Global)));
        let default = in_cloud(None, Some("https://GRAPH.microsoft.us/beta"), None);
        assert_eq!(default.base_url().as_str(), "https://graph.microsoft.us/beta");
        assert_eq!(default.cloud(), Some(NationalCloud::UsGovernmentL4));
        assert_eq!(default.scopes(), ["https://graph.microsoft.us/.default"]);
        let explicit = in_cloud(None, Some(DEFAULT_BASE_URL), Some("https://dod-graph.microsoft.us/v1.0"));
        assert_eq!(explicit.cloud(), Some(NationalCloud::UsGovernmentL5Dod));
        let custom = in_cloud(None, Some("https://api.example.com/v2"), None);
        assert_eq!((custom.cloud(), custom.scopes()), (None, &["https://api.example.com/.default".to_owned()][..]));
        let loopback = in_cloud(None, Some(DEFAULT_BASE_URL), Some("http://127.0.0.1:9/v1.0"));
        assert_eq!(loopback.base_url().as_str(), "http://127.0.0.1:9/v1.0");
        assert_eq!(loopback.cloud(), None);
    }

    #[test]
    fn an_explicit_base_url_is_kept_with_the_cloud() {
        let adapter = in_cloud(Some(NationalCloud::China), Some(DEFAULT_BASE_URL), Some("http://127.0.0.1:9/v1.0/"));
        assert_eq!(adapter.base_url().as_str(), "http://127.0.0.1:9/v1.0");
        assert_eq!(adapter.cloud(), Some(NationalCloud::China));
        assert_eq!(adapter.scopes(), ["https://microsoftgraph.chinacloudapi.cn/.default"]);
        assert!(adapter.sends_token_to(&url("http://127.0.0.1:9/v1.0/me")));
        assert!(!adapter.sends_token_to(&url("https://microsoftgraph.chinacloudapi.cn/v1.0/me")));
        let china = in_cloud(Some(NationalCloud::China), None, None);
        assert!(china.sends_token_to(&url("https://microsoftgraph.chinacloudapi.cn/v1.0/me")));
        assert!(!china.sends_token_to(&url("https://graph.microsoft.com/v1.0/me")));
        let same = in_cloud(Some(NationalCloud::Global), None, Some("https://graph.microsoft.com/beta"));
        assert_eq!(
            (same.base_url().as_str(), same.cloud()),
            ("https://graph.microsoft.com/beta", Some(NationalCloud::Global))
        );
    }

    #[test]
    fn an_explicit_base_url_in_another_cloud_is_refused() {
        let err = RequestAdapter::builder()
            .base_url("https://graph.microsoft.us/v1.0")
            .cloud(NationalCloud::China)
            .auth(StaticTokenProvider::new("t"))
            .build()
            .unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("is in US Government L4, but the cloud is set to China operated by 21Vianet"),
            "{message}"
        );
    }

    #[test]
    fn an_invalid_default_base_url_is_a_config_error_even_with_a_cloud() {
        for cloud in [None, Some(NationalCloud::China)] {
            let mut builder = RequestAdapter::builder()
                .default_base_url("https://x.example/v1?q=1")
                .auth(StaticTokenProvider::new("t"));
            if let Some(cloud) = cloud {
                builder = builder.cloud(cloud);
            }
            let err = builder.build().unwrap_err();
            assert!(matches!(&err, Error::Config(m) if m.contains("query")), "{err}");
        }
        // An explicit base URL wins, so an unused default is not checked.
        let adapter = RequestAdapter::builder()
            .default_base_url("not a url")
            .base_url("https://graph.microsoft.com/v1.0")
            .auth(StaticTokenProvider::new("t"))
            .build()
            .unwrap();
        assert_eq!(adapter.cloud(), Some(NationalCloud::Global));
    }

    #[test]
    fn sdk_version_and_debug() {
        let adapter = RequestAdapter::builder()
            .auth(StaticTokenProvider::new("super-secret"))
            .sdk_version("msgraph-sdk/0.1.0")
            .build()
            .unwrap();
        let expected = format!("msgraph-sdk/0.1.0, msgraph-runtime/{}", env!("CARGO_PKG_VERSION"));
        assert_eq!(adapter.sdk_version(), expected);
        assert_eq!(adapter.scopes(), ["https://graph.microsoft.com/.default"]);
        let shown = format!("{adapter:?}");
        assert!(shown.contains("https://graph.microsoft.com/v1.0") && !shown.contains("super-secret"));
        assert!(shown.contains("cloud: Some(Global)"), "{shown}");
        let builder =
            RequestAdapter::builder().auth(StaticTokenProvider::new("super-secret")).cloud(NationalCloud::China);
        let shown = format!("{builder:?}");
        assert!(!shown.contains("super-secret") && shown.contains("cloud: Some(China)"), "{shown}");
        let plain = RequestAdapter::new(StaticTokenProvider::new("t"));
        assert_eq!(plain.sdk_version(), RUNTIME_VERSION);
    }
}
