//! National clouds and permissions as a downstream crate sees them: the generated operation knows where it exists
//! and who may call it, and refuses to send a request to a cloud that does not have it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use msgraph_sdk::runtime::{BoxError, BoxFuture, Error};
use msgraph_sdk::users::item::presence::clear_presence::{ClearPresencePostRequestBody, ClearPresenceRequestBuilder};
use msgraph_sdk::{
    AccessToken, GraphServiceClient, NationalCloud, PermissionScheme, PermissionSource, Permissions, SchemePermissions,
    TokenProvider, TokenRequest,
};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Counts token requests and remembers the scopes asked for.
#[derive(Default)]
struct Counting {
    calls: AtomicUsize,
    scopes: std::sync::Mutex<Vec<String>>,
}

impl TokenProvider for Counting {
    fn access_token<'a>(&'a self, request: &'a TokenRequest) -> BoxFuture<'a, Result<AccessToken, BoxError>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.scopes.lock().expect("lock").extend(request.scopes.iter().cloned());
        Box::pin(async { Ok(AccessToken::new("token")) })
    }
}

async fn setup(cloud: NationalCloud) -> (MockServer, GraphServiceClient, Arc<Counting>) {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let tokens = Arc::new(Counting::default());
    let client = GraphServiceClient::builder()
        .cloud(cloud)
        .base_url(format!("{}/v1.0", server.uri()))
        .auth(tokens.clone())
        .build()
        .expect("client builds");
    (server, client, tokens)
}

fn body() -> ClearPresencePostRequestBody {
    ClearPresencePostRequestBody { session_id: "22553876-f5ab-4529-bffb-cfe50aa89f87".into(), ..Default::default() }
}

#[tokio::test]
async fn clear_presence_in_china_fails_without_sending_anything() {
    let (server, client, tokens) = setup(NationalCloud::China).await;
    let error = client.users().by_user_id("adele").presence().clear_presence().post(&body()).await.expect_err("China");
    match &error {
        Error::NotAvailableInCloud { operation, cloud, available } => {
            assert_eq!(*operation, "POST /users/{user-id}/presence/clearPresence");
            assert_eq!(*cloud, NationalCloud::China);
            assert_eq!(*available, ClearPresenceRequestBuilder::POST_CLOUDS);
        }
        other => panic!("expected NotAvailableInCloud, got {other:?}"),
    }
    assert!(error.to_string().contains("is not available in China operated by 21Vianet"), "{error}");
    let me = client.me().presence().clear_presence().post(&body()).await.expect_err("China");
    assert!(matches!(me, Error::NotAvailableInCloud { .. }), "{me:?}");
    assert!(server.received_requests().await.expect("recording").is_empty(), "the server saw a request");
    assert_eq!(tokens.calls.load(Ordering::SeqCst), 0, "no token is asked for a request that is not sent");
}

#[tokio::test]
async fn clear_presence_is_sent_in_every_cloud_that_has_it() {
    for cloud in [NationalCloud::Global, NationalCloud::UsGovernmentL4, NationalCloud::UsGovernmentL5Dod] {
        let (server, client, tokens) = setup(cloud).await;
        client.users().by_user_id("adele").presence().clear_presence().post(&body()).await.expect("sent");
        assert_eq!(server.received_requests().await.expect("recording").len(), 1, "{cloud:?}");
        // The token is asked for the cloud's own resource.
        assert_eq!(*tokens.scopes.lock().expect("lock"), [cloud.default_scope()]);
    }
}

#[test]
fn the_clients_cloud_sets_its_base_url() {
    let client = GraphServiceClient::builder()
        .cloud(NationalCloud::UsGovernmentL5Dod)
        .auth(msgraph_sdk::StaticTokenProvider::new("token"))
        .build()
        .expect("client builds");
    assert_eq!(client.adapter().base_url().as_str(), "https://dod-graph.microsoft.us/v1.0");
    assert_eq!(client.adapter().cloud(), Some(NationalCloud::UsGovernmentL5Dod));
}

#[test]
fn the_reference_pages_tables_are_data() {
    assert_eq!(
        ClearPresenceRequestBuilder::POST_CLOUDS,
        [NationalCloud::Global, NationalCloud::UsGovernmentL4, NationalCloud::UsGovernmentL5Dod]
    );
    let expected = Permissions {
        delegated_work: SchemePermissions { least: Some("Presence.ReadWrite"), higher: &[] },
        delegated_personal: SchemePermissions::NOT_SUPPORTED,
        application: SchemePermissions { least: Some("Presence.ReadWrite.All"), higher: &[] },
        source: PermissionSource::Listed,
    };
    assert_eq!(ClearPresenceRequestBuilder::POST_PERMISSIONS, expected);
    assert!(expected.is_known());
    // What a program asks its identity library for.
    let permissions = ClearPresenceRequestBuilder::POST_PERMISSIONS;
    assert_eq!(
        permissions.scopes(PermissionScheme::DelegatedWork, NationalCloud::Global),
        ["https://graph.microsoft.com/Presence.ReadWrite"]
    );
    assert!(permissions.scopes(PermissionScheme::DelegatedPersonal, NationalCloud::Global).is_empty());
    // `/me` is the signed-in user: delegated permissions only.
    assert_eq!(ClearPresenceRequestBuilder::ME_POST_PERMISSIONS.delegated_work, expected.delegated_work);
    assert_eq!(ClearPresenceRequestBuilder::ME_POST_PERMISSIONS.application, SchemePermissions::NOT_SUPPORTED);
}
