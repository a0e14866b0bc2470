//! Any `azure_core` [`TokenCredential`] as a [`TokenProvider`] (cargo feature `azure`).

use std::fmt;
use std::sync::Arc;

use azure_core::credentials::TokenCredential;

use crate::auth::{AccessToken, BoxError, BoxFuture, CachingTokenProvider, TokenProvider, TokenRequest};

/// A [`TokenProvider`] backed by an `azure_core` [`TokenCredential`]: any credential of the
/// `azure_identity` crate (client secret, client certificate, managed identity, workload identity,
/// Azure CLI, developer tools, …) or one of your own. Cargo feature `azure`.
///
/// It asks the credential for the scopes of the client's national cloud (its `.default` scope, e.g.
/// `https://graph.microsoft.com/.default`) and caches the tokens as [`CachingTokenProvider`] does:
/// until 5 minutes before `expires_on`, one request to the credential however many requests wait.
///
/// ```ignore
/// let credential = azure_identity::ManagedIdentityCredential::new(None)?;
/// let client = GraphServiceClient::new(AzureIdentityProvider::new(credential));
/// ```
pub struct AzureIdentityProvider {
    cache: CachingTokenProvider<Credential>,
}

impl AzureIdentityProvider {
    /// A provider that gets its tokens from `credential` (e.g. the `Arc<ClientSecretCredential>` that
    /// `azure_identity` returns).
    pub fn new(credential: Arc<dyn TokenCredential>) -> Self {
        Self { cache: CachingTokenProvider::new(Credential(credential)) }
    }

    /// The same provider, refreshing tokens this long before they expire (see
    /// [`CachingTokenProvider::refresh_before`]).
    #[must_use]
    pub fn refresh_before(self, margin: std::time::Duration) -> Self {
        Self { cache: self.cache.refresh_before(margin) }
    }
}

impl TokenProvider for AzureIdentityProvider {
    fn access_token<'a>(&'a self, request: &'a TokenRequest) -> BoxFuture<'a, Result<AccessToken, BoxError>> {
        self.cache.access_token(request)
    }
}

impl fmt::Debug for AzureIdentityProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AzureIdentityProvider").field("credential", &self.cache.inner().0).finish()
    }
}

/// The credential as an uncached provider.
struct Credential(Arc<dyn TokenCredential>);

impl TokenProvider for Credential {
    fn access_token<'a>(&'a self, request: &'a TokenRequest) -> BoxFuture<'a, Result<AccessToken, BoxError>> {
        Box::pin(async move {
            let scopes: Vec<&str> = request.scopes.iter().map(String::as_str).collect();
            let token = self.0.get_token(&scopes, None).await?;
            Ok(AccessToken::new(token.token.secret()).with_expiry(token.expires_on))
        })
    }
}
