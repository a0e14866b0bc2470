//! A client shaped like the generated `GraphServiceClient`: built from a `RequestAdapter`, reaching
//! paths through `BaseRequestBuilder`, with the API's error model as `E`.

mod common;

use common::{bearer, header, received, ODataError, TOKEN};
use msgraph_runtime::{
    BaseRequestBuilder, ClientBuilder, Error, Method, NoContent, RequestAdapter, StaticTokenProvider,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Clone, Debug)]
struct GraphClient {
    base: BaseRequestBuilder,
}

impl From<RequestAdapter> for GraphClient {
    fn from(adapter: RequestAdapter) -> Self {
        Self { base: BaseRequestBuilder::new(adapter) }
    }
}

impl GraphClient {
    fn builder() -> ClientBuilder<Self, ODataError> {
        ClientBuilder::new().sdk_version("msgraph-sdk/0.1.0")
    }

    fn clear_presence(&self, user_id: &str) -> msgraph_runtime::Request<NoContent, ODataError> {
        self.base
            .segment("users")
            .parameter("user-id", user_id)
            .segment("presence")
            .segment("clearPresence")
            .request(Method::POST)
            .json_body(&serde_json::json!({"sessionId": "s"}))
    }
}

/// `build()?` and `.await?` in one function returning the API's error type.
async fn clear(base_url: String, user_id: &str) -> Result<(), Error<ODataError>> {
    let client = GraphClient::builder().base_url(base_url).auth(StaticTokenProvider::new(TOKEN)).build()?;
    client.clear_presence(user_id).await?;
    Ok(())
}

#[tokio::test]
async fn a_generated_style_client_sends_through_the_runtime() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/users/u%201/presence/clearPresence"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    clear(format!("{}/v1.0/", server.uri()), "u 1").await.expect("sent");

    let requests = received(&server).await;
    assert_eq!(header(&requests[0], "authorization"), Some(bearer().as_str()));
}

#[tokio::test]
async fn configuration_errors_use_the_api_error_type() {
    let err = clear("http://example.com/v1.0".into(), "u").await.expect_err("plain http");
    assert!(matches!(&err, Error::Config(m) if m.contains("not loopback")), "{err:?}");
    let err = clear("https://example.com/v1.0?tenant=x".into(), "u").await.expect_err("query");
    assert!(matches!(&err, Error::Config(m) if m.contains("query")), "{err:?}");
}

#[test]
fn the_builder_defaults_to_the_global_cloud() {
    let client = GraphClient::builder().auth(StaticTokenProvider::new(TOKEN)).build().expect("builds");
    assert_eq!(client.base.adapter().base_url().as_str(), "https://graph.microsoft.com/v1.0");
    let version = client.base.adapter().sdk_version();
    assert!(version.starts_with("msgraph-sdk/0.1.0, msgraph-runtime/"), "{version}");
    assert!(!format!("{client:?}").contains(TOKEN));
}
