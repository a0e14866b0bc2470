//! Access tokens and the providers that supply them.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

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

/// A bearer token.
///
/// `Debug` prints `AccessToken(<redacted>)`; only [`AccessToken::secret`] reveals the token.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    /// Wraps the secret token text (without the `Bearer ` prefix).
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret token text.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
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
