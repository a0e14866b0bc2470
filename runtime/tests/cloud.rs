//! National clouds over real HTTP on loopback: the token scope follows the adapter's cloud, and an
//! operation that does not exist in it is refused before a token is requested or anything is sent.

mod common;

use common::{bearer, header, received, ODataError, Recording};
use msgraph_runtime::{
    BaseRequestBuilder, ClientBuilder, Error, Method, NationalCloud, NoContent, Request, RequestAdapter,
};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use NationalCloud::{China, Global, UsGovernmentL4, UsGovernmentL5Dod};

/// The clouds of `clearPresence`'s reference page: everywhere but China.
const CLEAR_PRESENCE_CLOUDS: &[NationalCloud] = &[Global, UsGovernmentL4, UsGovernmentL5Dod];
const CLEAR_PRESENCE: &str = "POST /users/{user-id}/presence/clearPresence";

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/users/u1/presence/clearPresence"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

/// An adapter on `server` (an explicit base URL) in `cloud`, or in none.
fn adapter(server: &MockServer, cloud: Option<NationalCloud>, provider: &Recording) -> RequestAdapter {
    let mut builder = ClientBuilder::<RequestAdapter, ODataError>::new()
        .default_base_url("https://graph.microsoft.com/v1.0")
        .base_url(format!("{}/v1.0", server.uri()))
        .auth(provider.clone());
    if let Some(cloud) = cloud {
        builder = builder.cloud(cloud);
    }
    builder.build().expect("adapter builds")
}

fn clear_presence(adapter: RequestAdapter) -> Request<NoContent, ODataError> {
    BaseRequestBuilder::new(adapter)
        .segment("users")
        .parameter("user-id", "u1")
        .segment("presence")
        .segment("clearPresence")
        .request(Method::POST)
        .json_body(&json!({"sessionId": "s1"}))
        .available_in(CLEAR_PRESENCE, CLEAR_PRESENCE_CLOUDS)
}

#[tokio::test]
async fn an_operation_missing_from_the_cloud_is_refused_before_anything_happens() {
    let server = server().await;
    let provider = Recording::default();
    let adapter = adapter(&server, Some(China), &provider);
    assert_eq!(adapter.base_url().as_str(), format!("{}/v1.0", server.uri()), "the explicit URL is kept");
    assert_eq!(adapter.cloud(), Some(China));

    let request = clear_presence(adapter);
    let built = request.build().expect_err("not in China");
    assert!(built.is_not_available_in_cloud(), "{built:?}");
    let err = request.clone().await.expect_err("not in China");
    let sent = request.send().await.expect_err("not in China");

    for err in [err, sent] {
        match &err {
            Error::NotAvailableInCloud { operation, cloud, available } => {
                assert_eq!((*operation, *cloud, *available), (CLEAR_PRESENCE, China, CLEAR_PRESENCE_CLOUDS));
            }
            other => panic!("expected NotAvailableInCloud, got {other:?}"),
        }
        assert_eq!(
            err.to_string(),
            "`POST /users/{user-id}/presence/clearPresence` is not available in China operated by 21Vianet \
             (it is available in: Global service, US Government L4, US Government L5 (DOD))"
        );
    }
    assert!(received(&server).await.is_empty(), "nothing was sent");
    assert!(provider.asked().is_empty(), "no token was requested");
}

#[tokio::test]
async fn an_operation_available_in_the_cloud_is_sent_with_the_clouds_scope() {
    for cloud in CLEAR_PRESENCE_CLOUDS.iter().copied() {
        let server = server().await;
        let provider = Recording::default();

        clear_presence(adapter(&server, Some(cloud), &provider)).await.expect("available and sent");

        let requests = received(&server).await;
        assert_eq!(requests.len(), 1, "{cloud}");
        assert_eq!(header(&requests[0], "authorization"), Some(bearer().as_str()));
        let asked = provider.asked();
        assert_eq!(asked.len(), 1);
        assert_eq!(asked[0].scopes, [cloud.default_scope()], "{cloud}");
        assert_eq!(asked[0].url.as_str(), format!("{}/v1.0/users/u1/presence/clearPresence", server.uri()));
    }
}

#[tokio::test]
async fn without_a_cloud_nothing_is_checked() {
    let server = server().await;
    let provider = Recording::default();
    let adapter = adapter(&server, None, &provider);
    assert_eq!(adapter.cloud(), None, "a loopback host is no cloud");

    clear_presence(adapter.clone()).await.expect("sent");
    // Even an operation available nowhere is sent: the adapter does not know where it is.
    clear_presence(adapter).available_in("POST /x", &[]).await.expect("sent");

    assert_eq!(received(&server).await.len(), 2);
    let asked = provider.asked();
    assert_eq!(asked.len(), 2);
    assert_eq!(asked[0].scopes, ["http://127.0.0.1/.default"], "the host's own scope, as before");
}

#[tokio::test]
async fn requests_without_availability_are_sent_in_every_cloud() {
    let server = server().await;
    let provider = Recording::default();
    let request: Request<NoContent, ODataError> = BaseRequestBuilder::new(adapter(&server, Some(China), &provider))
        .segment("users")
        .parameter("user-id", "u1")
        .segment("presence")
        .segment("clearPresence")
        .request(Method::POST);
    request.await.expect("no availability recorded, so sent");
    assert_eq!(received(&server).await.len(), 1);
    assert_eq!(provider.asked()[0].scopes, ["https://microsoftgraph.chinacloudapi.cn/.default"]);
}

#[tokio::test]
async fn absolute_urls_are_checked_too() {
    let server = server().await;
    let provider = Recording::default();
    let adapter = adapter(&server, Some(UsGovernmentL5Dod), &provider);
    let url = format!("{}/v1.0/users/u1/presence/clearPresence", server.uri()).parse().expect("url");
    let err = Request::<NoContent, ODataError>::with_url(&adapter, Method::POST, url)
        .available_in(CLEAR_PRESENCE, &[Global])
        .await
        .expect_err("Global only");
    assert!(matches!(err, Error::NotAvailableInCloud { cloud: UsGovernmentL5Dod, .. }), "{err:?}");
    assert!(received(&server).await.is_empty());
    assert!(provider.asked().is_empty());
}

#[test]
fn the_default_base_url_moves_to_the_cloud() {
    let provider = Recording::default();
    let expected: [(NationalCloud, &str, &'static [NationalCloud]); 4] = [
        (Global, "https://graph.microsoft.com/v1.0", &[Global]),
        (UsGovernmentL4, "https://graph.microsoft.us/v1.0", &[UsGovernmentL4]),
        (UsGovernmentL5Dod, "https://dod-graph.microsoft.us/v1.0", &[UsGovernmentL5Dod]),
        (China, "https://microsoftgraph.chinacloudapi.cn/v1.0", &[China]),
    ];
    for (cloud, base, only_here) in expected {
        let adapter: RequestAdapter = RequestAdapter::builder()
            .default_base_url("https://graph.microsoft.com/v1.0")
            .cloud(cloud)
            .auth(provider.clone())
            .build()
            .expect("builds");
        assert_eq!(adapter.base_url().as_str(), base);
        assert_eq!(adapter.cloud(), Some(cloud));
        assert!(format!("{adapter:?}").contains(&format!("cloud: Some({cloud:?})")));
        let me = BaseRequestBuilder::new(adapter).segment("me");
        let here: Request<NoContent> = me.request(Method::GET).available_in("GET /me", only_here);
        assert_eq!(here.build().expect("available").url.as_str(), format!("{base}/me"));
        let elsewhere: &'static [NationalCloud] = if cloud == Global { &[China] } else { &[Global] };
        let there: Request<NoContent> = me.request(Method::GET).available_in("GET /me", elsewhere);
        assert!(there.build().expect_err("not available").is_not_available_in_cloud());
    }
    assert!(provider.asked().is_empty());
}

#[test]
fn clouds_are_found_by_host() {
    for cloud in NationalCloud::ALL {
        assert_eq!(NationalCloud::from_host(cloud.host()), Some(cloud));
        assert_eq!(NationalCloud::from_host(&cloud.host().to_uppercase()), Some(cloud));
    }
    assert_eq!(NationalCloud::from_host("microsoftgraph.chinacloudapi.cn"), Some(China));
    assert_eq!(NationalCloud::from_host("127.0.0.1"), None);
    assert_eq!(NationalCloud::from_host("graph.microsoft.com.example"), None);
}
