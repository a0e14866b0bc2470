//! Where the token may go: the configured origin (and trusted hosts) only, over https or loopback,
//! re-checked on every redirect hop; and never in `Debug` output.

mod common;

use common::{adapter, adapter_with, bearer, header, received, root, ODataError, Recording, TOKEN};
use msgraph_runtime::{
    AccessToken, BaseRequestBuilder, ClientBuilder, Error, Method, NoContent, Request, RequestAdapter,
    StaticTokenProvider, MAX_REDIRECTS,
};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    server
}

fn redirect(status: u16, location: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header("location", location)
}

#[tokio::test]
async fn an_absolute_url_on_another_port_gets_no_token() {
    let home = ok_server().await;
    let other = ok_server().await;
    let provider = Recording::default();
    let adapter = adapter_with(&home, provider.clone());

    let url = format!("{}/download?x=1", other.uri()).parse().expect("url");
    Request::<NoContent, ODataError>::with_url(&adapter, Method::GET, url).await.expect("sent");

    let requests = received(&other).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.path(), "/download");
    assert_eq!(header(&requests[0], "authorization"), None);
    assert!(provider.asked().is_empty(), "no token was even requested");
}

#[tokio::test]
async fn an_absolute_url_on_the_base_origin_gets_the_token() {
    let home = ok_server().await;
    let provider = Recording::default();
    let adapter = adapter_with(&home, provider.clone());

    let next_link = format!("{}/v1.0/users?$skiptoken=abc", home.uri());
    Request::<NoContent, ODataError>::with_url(&adapter, Method::GET, next_link.parse().expect("url"))
        .await
        .expect("sent");

    let requests = received(&home).await;
    assert_eq!(header(&requests[0], "authorization"), Some(bearer().as_str()));
    assert_eq!(requests[0].url.query(), Some("$skiptoken=abc"));
    let asked = provider.asked();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].scopes, ["http://127.0.0.1/.default"]);
    assert_eq!(asked[0].url.as_str(), next_link);
}

#[tokio::test]
async fn an_allowed_host_gets_the_token() {
    let home = ok_server().await;
    let files = ok_server().await;
    let adapter = RequestAdapter::builder()
        .base_url(home.uri())
        .auth(StaticTokenProvider::new(TOKEN))
        .allowed_host(files.address().to_string())
        .build()
        .expect("builds");
    let url = format!("{}/file", files.uri()).parse().expect("url");
    Request::<NoContent, ODataError>::with_url(&adapter, Method::GET, url).await.expect("sent");
    assert_eq!(header(&received(&files).await[0], "authorization"), Some(bearer().as_str()));
}

#[tokio::test]
async fn a_redirect_to_another_origin_drops_the_token() {
    let elsewhere = ok_server().await;
    let home = MockServer::start().await;
    Mock::given(method("POST")).respond_with(redirect(307, &format!("{}/landing", elsewhere.uri()))).mount(&home).await;

    root(&home)
        .segment("things")
        .request::<NoContent, ODataError>(Method::POST)
        .json_body(&serde_json::json!({"a": 1}))
        .await
        .expect("the redirect is followed");

    let first = received(&home).await;
    assert_eq!(header(&first[0], "authorization"), Some(bearer().as_str()));
    let landed = received(&elsewhere).await;
    assert_eq!(landed.len(), 1);
    assert_eq!(landed[0].method.as_str(), "POST", "307 keeps the method");
    assert_eq!(landed[0].url.path(), "/landing");
    assert_eq!(header(&landed[0], "authorization"), None, "the token leaked to another origin");
    assert_eq!(landed[0].body, first[0].body, "307 keeps the body");
    assert_eq!(header(&landed[0], "client-request-id"), header(&first[0], "client-request-id"));
}

#[tokio::test]
async fn a_redirect_within_the_origin_keeps_the_token() {
    let home = MockServer::start().await;
    Mock::given(path("/v1.0/old")).respond_with(redirect(308, "/v1.0/new")).mount(&home).await;
    Mock::given(path("/v1.0/new")).respond_with(ResponseTemplate::new(204)).mount(&home).await;
    let provider = Recording::default();

    BaseRequestBuilder::new(adapter_with(&home, provider.clone()))
        .segment("old")
        .request::<NoContent, ODataError>(Method::GET)
        .await
        .expect("followed");

    let requests = received(&home).await;
    let paths: Vec<&str> = requests.iter().map(|r| r.url.path()).collect();
    assert_eq!(paths, ["/v1.0/old", "/v1.0/new"]);
    for request in &requests {
        assert_eq!(header(request, "authorization"), Some(bearer().as_str()));
    }
    assert_eq!(provider.asked().len(), 1, "one token per request, reused across hops");
}

#[tokio::test]
async fn see_other_turns_a_post_into_a_get_without_body() {
    let home = MockServer::start().await;
    Mock::given(path("/v1.0/start")).respond_with(redirect(303, "result")).mount(&home).await;
    Mock::given(path("/v1.0/result"))
        .respond_with(ResponseTemplate::new(200).set_body_string("done"))
        .mount(&home)
        .await;

    root(&home)
        .segment("start")
        .request::<NoContent, ODataError>(Method::POST)
        .json_body(&serde_json::json!({"a": 1}))
        .await
        .expect("followed");

    let requests = received(&home).await;
    assert_eq!(requests[1].method.as_str(), "GET");
    assert_eq!(requests[1].url.path(), "/v1.0/result");
    assert!(requests[1].body.is_empty());
    assert_eq!(header(&requests[1], "content-type"), None);
}

#[tokio::test]
async fn too_many_redirects_is_an_error() {
    let home = MockServer::start().await;
    Mock::given(any()).respond_with(redirect(302, "/v1.0/loop")).mount(&home).await;

    let err =
        root(&home).segment("loop").request::<NoContent, ODataError>(Method::GET).await.expect_err("loops forever");

    assert!(matches!(&err, Error::Redirect(m) if m.contains("more than 5 redirects")), "{err:?}");
    assert_eq!(received(&home).await.len(), MAX_REDIRECTS + 1);
    assert_eq!(err.status(), None);
}

#[tokio::test]
async fn a_redirect_without_location_is_the_answer() {
    let home = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(302)).mount(&home).await;
    let err = root(&home).request::<NoContent, ODataError>(Method::GET).await.expect_err("302");
    assert_eq!(err.status(), Some(302));
}

#[tokio::test]
async fn an_explicit_authorization_header_obeys_the_same_rule() {
    let elsewhere = ok_server().await;
    let home = MockServer::start().await;
    Mock::given(any()).respond_with(redirect(307, &elsewhere.uri())).mount(&home).await;
    let provider = Recording::default();

    BaseRequestBuilder::new(adapter_with(&home, provider.clone()))
        .request::<NoContent, ODataError>(Method::GET)
        .header("Authorization", "Bearer delegated")
        .await
        .expect("followed");

    assert_eq!(header(&received(&home).await[0], "authorization"), Some("Bearer delegated"));
    assert_eq!(header(&received(&elsewhere).await[0], "authorization"), None);
    assert!(provider.asked().is_empty(), "the explicit header replaces the provider");
}

#[test]
fn http_to_a_host_that_is_not_loopback_is_refused() {
    let err = ClientBuilder::<RequestAdapter>::new()
        .base_url("http://graph.microsoft.com/v1.0")
        .auth(StaticTokenProvider::new(TOKEN))
        .build()
        .expect_err("plain http");
    assert!(matches!(&err, Error::Config(m) if m.contains("not loopback")), "{err:?}");
    for base in ["https://graph.microsoft.com/v1.0?x=1", "https://graph.microsoft.com/v1.0#f", "::"] {
        let result = RequestAdapter::builder().base_url(base).auth(StaticTokenProvider::new(TOKEN)).build();
        assert!(matches!(result, Err(Error::Config(_))), "{base}");
    }
    let missing = RequestAdapter::builder().build().expect_err("no provider");
    assert!(missing.to_string().contains("token provider"), "{missing}");
}

#[tokio::test]
async fn debug_output_never_shows_the_token() {
    let home = ok_server().await;
    let adapter = adapter(&home);
    let request =
        root(&home).request::<NoContent, ODataError>(Method::GET).header("Authorization", &format!("Bearer {TOKEN}"));
    let builder = RequestAdapter::builder().auth(StaticTokenProvider::new(TOKEN));
    for shown in [
        format!("{:?}", StaticTokenProvider::new(TOKEN)),
        format!("{:?}", AccessToken::new(TOKEN)),
        format!("{adapter:?}"),
        format!("{builder:?}"),
        format!("{request:?}"),
        format!("{:?}", request.build().expect("builds")),
        format!("{:?}", root(&home)),
    ] {
        assert!(!shown.contains("secret-token"), "{shown}");
    }
    assert!(format!("{adapter:?}").contains(&home.uri()));
}
