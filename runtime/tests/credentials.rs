//! `CachingTokenProvider` over real requests: concurrent calls share one token fetch, tokens are kept
//! per scope set until shortly before they expire, errors are not cached.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{header, received, ODataError};
use msgraph_runtime::time::OffsetDateTime;
use msgraph_runtime::{
    AccessToken, BaseRequestBuilder, BoxError, BoxFuture, CachingTokenProvider, Method, NoContent, RequestAdapter,
    TokenProvider, TokenRequest,
};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A slow identity platform: each call takes 100 ms and returns `token-{n}`, valid for `lifetime`
/// seconds (negative: already expired); `fail_first` calls fail.
struct Slow {
    calls: Arc<AtomicUsize>,
    lifetime: i64,
    fail_first: usize,
}

impl TokenProvider for Slow {
    fn access_token<'a>(&'a self, _request: &'a TokenRequest) -> BoxFuture<'a, Result<AccessToken, BoxError>> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(Duration::from_millis(100)).await;
            if n <= self.fail_first {
                return Err("the identity platform is down".into());
            }
            let expires_on = OffsetDateTime::now_utc() + time::Duration::seconds(self.lifetime);
            Ok(AccessToken::new(format!("token-{n}")).with_expiry(expires_on))
        })
    }
}

fn slow(lifetime: i64, fail_first: usize) -> (Arc<AtomicUsize>, Slow) {
    let calls = Arc::new(AtomicUsize::new(0));
    (calls.clone(), Slow { calls, lifetime, fail_first })
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    server
}

fn client(server: &MockServer, provider: impl TokenProvider) -> RequestAdapter {
    RequestAdapter::builder().base_url(format!("{}/v1.0", server.uri())).auth(provider).build().expect("builds")
}

async fn get(adapter: &RequestAdapter) -> Result<(), msgraph_runtime::Error<ODataError>> {
    BaseRequestBuilder::new(adapter.clone()).segment("me").request::<NoContent, ODataError>(Method::GET).await
}

#[tokio::test]
async fn concurrent_calls_share_one_token_fetch() {
    let server = server().await;
    let (calls, provider) = slow(3600, 0);
    let adapter = client(&server, CachingTokenProvider::new(provider));
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let adapter = adapter.clone();
            tokio::spawn(async move { get(&adapter).await })
        })
        .collect();
    for task in tasks {
        task.await.expect("ran").expect("sent");
    }
    get(&adapter).await.expect("sent");
    assert_eq!(calls.load(Ordering::SeqCst), 1, "20 concurrent calls and one later: one fetch");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 21);
    assert!(requests.iter().all(|r| header(r, "authorization") == Some("Bearer token-1")));
}

#[tokio::test]
async fn an_expiring_token_is_fetched_again() {
    let server = server().await;
    // Expired already: every request asks again.
    let (calls, provider) = slow(-1, 0);
    let adapter = client(&server, CachingTokenProvider::new(provider));
    get(&adapter).await.expect("sent");
    get(&adapter).await.expect("sent");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    // Valid for 4 more minutes, refreshed 5 minutes before expiry: as good as expiring, but the margin
    // is cut to half the lifetime, so it is kept for two minutes.
    let (calls, provider) = slow(240, 0);
    let adapter = client(&server, CachingTokenProvider::new(provider));
    get(&adapter).await.expect("sent");
    get(&adapter).await.expect("sent");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // With a margin of an hour and a lifetime of 10 minutes: kept for 5 minutes.
    let (calls, provider) = slow(600, 0);
    let adapter = client(&server, CachingTokenProvider::new(provider).refresh_before(Duration::from_secs(3600)));
    get(&adapter).await.expect("sent");
    get(&adapter).await.expect("sent");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let tokens: Vec<String> =
        received(&server).await.iter().map(|r| header(r, "authorization").unwrap_or_default().to_owned()).collect();
    assert_eq!(tokens[..2], ["Bearer token-1", "Bearer token-2"]);
}

#[tokio::test]
async fn tokens_are_cached_per_scope_set_and_errors_are_not() {
    let (calls, provider) = slow(3600, 1);
    let cache = CachingTokenProvider::new(provider);
    let request = |scopes: &[&str]| TokenRequest {
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        url: "https://graph.microsoft.com/v1.0/me".parse().expect("url"),
    };
    let error = cache.access_token(&request(&["a"])).await.expect_err("down");
    assert_eq!(error.to_string(), "the identity platform is down");
    let a = cache.access_token(&request(&["a", "b"])).await.expect("token");
    let same = cache.access_token(&request(&["b", "a", "a"])).await.expect("token");
    let other = cache.access_token(&request(&["c"])).await.expect("token");
    assert_eq!((a.secret(), same.secret(), other.secret()), ("token-2", "token-2", "token-3"));
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert!(a.expires_on().is_some());
    let shown = format!("{cache:?} {a:?}");
    assert!(!shown.contains("token-2"), "{shown}");
}

#[tokio::test]
async fn tokens_without_an_expiry_are_not_cached() {
    let cache = CachingTokenProvider::new(msgraph_runtime::StaticTokenProvider::new("static"));
    let request = TokenRequest { scopes: vec!["s".into()], url: "https://graph.microsoft.com/".parse().expect("url") };
    assert_eq!(cache.access_token(&request).await.expect("token").secret(), "static");
    assert_eq!(cache.access_token(&request).await.expect("token").expires_on(), None);
}
