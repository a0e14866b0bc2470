//! An `azure_core` `TokenCredential` drives real requests through `AzureIdentityProvider` (feature
//! `azure`): the cloud's `.default` scope is asked for, the token is sent, and it is cached.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use azure_core::credentials::{AccessToken, TokenCredential, TokenRequestOptions};
use azure_core::time::OffsetDateTime;
use common::{header, received, ODataError};
use msgraph_runtime::{AzureIdentityProvider, BaseRequestBuilder, Method, NoContent, RequestAdapter};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A credential as `azure_identity`'s are used: it records the scopes it is asked for.
#[derive(Debug, Default)]
struct TestCredential {
    asked: Mutex<Vec<Vec<String>>>,
}

#[async_trait::async_trait]
impl TokenCredential for TestCredential {
    async fn get_token(
        &self,
        scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        self.asked.lock().expect("lock").push(scopes.iter().map(|s| (*s).to_owned()).collect());
        tokio::time::sleep(Duration::from_millis(50)).await;
        Ok(AccessToken::new("azure-issued-token", OffsetDateTime::now_utc() + Duration::from_secs(3600)))
    }
}

#[tokio::test]
async fn a_token_credential_drives_real_requests_with_one_token_fetch() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let credential = Arc::new(TestCredential::default());
    let adapter: RequestAdapter = RequestAdapter::builder()
        .base_url(format!("{}/v1.0", server.uri()))
        .cloud(msgraph_runtime::NationalCloud::UsGovernmentL4)
        .auth(AzureIdentityProvider::new(credential.clone()))
        .build()
        .expect("builds");

    let calls = (0..8).map(|_| {
        let adapter = adapter.clone();
        tokio::spawn(async move {
            BaseRequestBuilder::new(adapter).segment("me").request::<NoContent, ODataError>(Method::GET).await
        })
    });
    for call in calls {
        call.await.expect("ran").expect("sent");
    }

    let requests = received(&server).await;
    assert_eq!(requests.len(), 8);
    for request in &requests {
        assert_eq!(header(request, "authorization"), Some("Bearer azure-issued-token"));
    }
    let asked = credential.asked.lock().expect("lock").clone();
    assert_eq!(asked, [vec!["https://graph.microsoft.us/.default".to_owned()]], "one fetch, the cloud's scope");
    assert!(!format!("{adapter:?}").contains("azure-issued-token"));
}
