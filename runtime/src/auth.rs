//! Access tokens and the providers that supply them.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use time::OffsetDateTime;

/// A boxed, `Send` future, as returned by [`TokenProvider::access_token`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A boxed error that can cross threads, as returned by a [`TokenProvider`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What a token is being asked for.
///
/// The runtime asks for a token only for a URL that may receive one (see
/// [`RequestAdapter::sends_token_to`](crate::RequestAdapter::sends_token_to)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequest {
    /// The scopes to ask the identity platform for: the [default scope](crate::NationalCloud::default_scope)
    /// of the adapter's [cloud](crate::RequestAdapter::cloud), e.g. `https://graph.microsoft.com/.default`
    /// or `https://microsoftgraph.chinacloudapi.cn/.default`; for an adapter in no cloud (a custom
    /// host), `{scheme}://{base URL host}/.default`.
    pub scopes: Vec<String>,
    /// The URL the request is about to be sent to.
    pub url: url::Url,
}

/// A bearer token, and when it expires if that is known.
///
/// `Debug` prints `AccessToken(<redacted>)`; only [`AccessToken::secret`] reveals the token.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    secret: Arc<str>,
    expires_on: Option<OffsetDateTime>,
}

impl AccessToken {
    /// Wraps the secret token text (without the `Bearer ` prefix), its expiry unknown.
    pub fn new(secret: impl Into<String>) -> Self {
        Self { secret: Arc::from(secret.into()), expires_on: None }
    }

    /// The same token, expiring at `expires_on`: a [`CachingTokenProvider`] keeps it until shortly
    /// before then.
    #[must_use]
    pub fn with_expiry(mut self, expires_on: OffsetDateTime) -> Self {
        self.expires_on = Some(expires_on);
        self
    }

    /// The secret token text.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// When the token expires, if known.
    pub fn expires_on(&self) -> Option<OffsetDateTime> {
        self.expires_on
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.expires_on {
            None => f.write_str("AccessToken(<redacted>)"),
            Some(expires_on) => write!(f, "AccessToken(<redacted>, expires on {expires_on})"),
        }
    }
}

/// Supplies access tokens for requests.
///
/// Implement this to plug in any credential source (a cached OAuth client, a managed identity, …).
/// The runtime calls it once per sent request, and only when the request goes to a host that may
/// receive the token.
///
/// ```
/// use msgraph_runtime::{AccessToken, BoxError, BoxFuture, TokenProvider, TokenRequest};
///
/// struct FromEnvironment;
///
/// impl TokenProvider for FromEnvironment {
///     fn access_token<'a>(&'a self, _request: &'a TokenRequest) -> BoxFuture<'a, Result<AccessToken, BoxError>> {
///         Box::pin(async { Ok(AccessToken::new(std::env::var("GRAPH_TOKEN")?)) })
///     }
/// }
/// ```
pub trait TokenProvider: Send + Sync + 'static {
    /// Returns a token for `request`, or the reason none is available
    /// (reported as [`Error::Auth`](crate::Error::Auth)).
    fn access_token<'a>(&'a self, request: &'a TokenRequest) -> BoxFuture<'a, Result<AccessToken, BoxError>>;
}

impl<T: TokenProvider + ?Sized> TokenProvider for Arc<T> {
    fn access_token<'a>(&'a self, request: &'a TokenRequest) -> BoxFuture<'a, Result<AccessToken, BoxError>> {
        (**self).access_token(request)
    }
}

impl<T: TokenProvider + ?Sized> TokenProvider for Box<T> {
    fn access_token<'a>(&'a self, request: &'a TokenRequest) -> BoxFuture<'a, Result<AccessToken, BoxError>> {
        (**self).access_token(request)
    }
}

/// A provider that always returns the same token, e.g. one obtained elsewhere or a test token.
///
/// `Debug` does not show the token.
#[derive(Clone)]
pub struct StaticTokenProvider {
    token: AccessToken,
}

impl StaticTokenProvider {
    /// A provider that returns `token` (without the `Bearer ` prefix) for every request.
    pub fn new(token: impl Into<String>) -> Self {
        Self { token: AccessToken::new(token) }
    }
}

impl fmt::Debug for StaticTokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticTokenProvider").field("token", &self.token).finish()
    }
}

impl TokenProvider for StaticTokenProvider {
    fn access_token<'a>(&'a self, _request: &'a TokenRequest) -> BoxFuture<'a, Result<AccessToken, BoxError>> {
        let token = self.token.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// The default of [`CachingTokenProvider::refresh_before`]: 5 minutes, as Azure's SDKs do.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// A [`TokenProvider`] that caches another's tokens, per set of scopes, until shortly before they
/// expire; concurrent requests for the same scopes share one call to the inner provider.
///
/// A cached token is used until [`Self::refresh_before`] before its
/// [`expires_on`](AccessToken::expires_on) (or until half its lifetime is left, if that is shorter);
/// the first request after that asks the inner provider again, and requests arriving meanwhile wait
/// for that one answer instead of asking too. A token without an expiry is not cached, and neither is
/// an error. The cache is keyed by the scopes only (not the URL).
///
/// ```
/// use msgraph_runtime::{AccessToken, BoxError, BoxFuture, CachingTokenProvider, TokenProvider, TokenRequest};
///
/// /// Asks an identity platform for a token (here: pretends to).
/// struct ClientCredentials;
///
/// impl TokenProvider for ClientCredentials {
///     fn access_token<'a>(&'a self, _request: &'a TokenRequest) -> BoxFuture<'a, Result<AccessToken, BoxError>> {
///         Box::pin(async {
///             let expires_on = msgraph_runtime::time::OffsetDateTime::now_utc() + std::time::Duration::from_secs(3600);
///             Ok(AccessToken::new("eyJ0eXAi…").with_expiry(expires_on))
///         })
///     }
/// }
///
/// let provider = CachingTokenProvider::new(ClientCredentials);
/// ```
pub struct CachingTokenProvider<P> {
    inner: P,
    margin: Duration,
    slots: Mutex<HashMap<Vec<String>, Slot>>,
}

/// The cache entry of one scope set: locked while its token is fetched, so that one fetch serves all.
type Slot = Arc<tokio::sync::Mutex<Option<Cached>>>;

/// A cached token and when to stop using it.
struct Cached {
    token: AccessToken,
    refresh_at: OffsetDateTime,
}

impl<P: TokenProvider> CachingTokenProvider<P> {
    /// Caches the tokens of `inner`.
    pub fn new(inner: P) -> Self {
        Self { inner, margin: DEFAULT_REFRESH_MARGIN, slots: Mutex::new(HashMap::new()) }
    }

    /// Asks for a new token this long before the cached one expires ([`DEFAULT_REFRESH_MARGIN`] unless
    /// set).
    #[must_use]
    pub fn refresh_before(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// The provider whose tokens are cached.
    pub fn inner(&self) -> &P {
        &self.inner
    }

    /// The cache entry of `scopes` (in any order).
    fn slot(&self, scopes: &[String]) -> Slot {
        let mut key = scopes.to_vec();
        key.sort();
        key.dedup();
        let mut slots = self.slots.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        slots.entry(key).or_default().clone()
    }

    async fn token(&self, request: &TokenRequest) -> Result<AccessToken, BoxError> {
        let slot = self.slot(&request.scopes);
        let mut cached = slot.lock().await;
        let now = OffsetDateTime::now_utc();
        if let Some(entry) = cached.as_ref().filter(|entry| now < entry.refresh_at) {
            return Ok(entry.token.clone());
        }
        *cached = None;
        let token = self.inner.access_token(request).await?;
        if let Some(expires_on) = token.expires_on() {
            let lifetime = (expires_on - now).max(time::Duration::ZERO);
            let margin = time::Duration::try_from(self.margin).unwrap_or(time::Duration::MAX).min(lifetime / 2);
            *cached = Some(Cached { token: token.clone(), refresh_at: expires_on - margin });
        }
        Ok(token)
    }
}

impl<P: TokenProvider> TokenProvider for CachingTokenProvider<P> {
    fn access_token<'a>(&'a self, request: &'a TokenRequest) -> BoxFuture<'a, Result<AccessToken, BoxError>> {
        Box::pin(self.token(request))
    }
}

impl<P> fmt::Debug for CachingTokenProvider<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entries = self.slots.lock().map(|slots| slots.len()).unwrap_or_default();
        f.debug_struct("CachingTokenProvider")
            .field("inner", &std::any::type_name::<P>())
            .field("refresh_before", &self.margin)
            .field("scope_sets", &entries)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let token = AccessToken::new("top-secret");
        assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
        let provider = StaticTokenProvider::new("top-secret");
        let shown = format!("{provider:?} {provider:#?}");
        assert!(!shown.contains("top-secret"), "{shown}");
        assert_eq!(token.secret(), "top-secret");
    }
}
