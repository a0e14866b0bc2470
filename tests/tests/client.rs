//! The generated `msgraph-sdk` used exactly as a downstream crate would, against a real HTTP server on loopback.

use msgraph_sdk::users::item::presence::clear_presence::ClearPresencePostRequestBody;
use msgraph_sdk::{GraphServiceClient, StaticTokenProvider};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOi.secret-token";
const USER: &str = "fa8bf3dc-eca7-46b7-bad1-db199b62afc3";
const SESSION: &str = "22553876-f5ab-4529-bffb-cfe50aa89f87";
const USER_PATH: &str = "/v1.0/users/fa8bf3dc-eca7-46b7-bad1-db199b62afc3/presence/clearPresence";

fn client(server: &MockServer) -> GraphServiceClient {
    GraphServiceClient::builder()
        .base_url(format!("{}/v1.0", server.uri()))
        .auth(StaticTokenProvider::new(TOKEN))
        .build()
        .expect("client builds")
}

fn body() -> ClearPresencePostRequestBody {
    ClearPresencePostRequestBody { session_id: SESSION.into(), ..Default::default() }
}

/// The call under test, as the other SDKs' snippets write it.
fn clear_presence(client: &GraphServiceClient, user: &str) -> msgraph_sdk::Request<msgraph_sdk::NoContent> {
    client.users().by_user_id(user).presence().clear_presence().post(&body())
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn clear_presence_sends_the_documented_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(USER_PATH))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).users().by_user_id(USER).presence().clear_presence().post(&body()).await.expect("200 is success");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), USER_PATH);
    assert_eq!(request.url.query(), None);
    assert_eq!(std::str::from_utf8(&request.body).expect("utf-8"), format!("{{\"sessionId\":\"{SESSION}\"}}"));
    assert_eq!(header(request, "authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(header(request, "content-type"), Some("application/json"));
    assert_eq!(header(request, "accept"), Some("application/json"));
    let sdk_version = header(request, "sdkversion").expect("SdkVersion header");
    assert!(sdk_version.starts_with("msgraph-sdk/0.1.0"), "{sdk_version}");
    let request_id = header(request, "client-request-id").expect("client-request-id header");
    assert_eq!(request_id.len(), 36, "{request_id}");
    assert_eq!(request_id.matches('-').count(), 4, "{request_id}");
}

#[tokio::test]
async fn me_reaches_the_same_action() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/presence/clearPresence"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).me().presence().clear_presence().post(&body()).await.expect("200 is success");
}

#[tokio::test]
async fn any_2xx_is_success() {
    for status in [200, 202, 204] {
        let server = MockServer::start().await;
        let response = if status == 204 {
            ResponseTemplate::new(204)
        } else {
            ResponseTemplate::new(status).set_body_string("{\"ignored\": true}")
        };
        Mock::given(method("POST")).respond_with(response).mount(&server).await;
        let result = clear_presence(&client(&server), USER).await;
        assert!(result.is_ok(), "{status}: {result:?}");
    }
}

#[tokio::test]
async fn not_found_is_an_odata_error() {
    let server = MockServer::start().await;
    let odata = json!({
        "error": {
            "code": "NotFound",
            "message": "Presence session not found.",
            "innerError": {"date": "2026-11-26T10:00:00", "request-id": "d0a4-11", "client-request-id": "abc"},
            "details": [{"code": "SessionMissing", "message": "No session with that id.", "target": "sessionId"}]
        }
    });
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_json(&odata).insert_header("request-id", "d0a4-11"))
        .mount(&server)
        .await;

    let err = clear_presence(&client(&server), USER).await.expect_err("404");
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.odata_error().map(|e| e.error.code.as_str()), Some("NotFound"));
    let main = &err.odata_error().expect("parsed").error;
    assert_eq!(main.message, "Presence session not found.");
    let details = main.details.as_ref().expect("details");
    assert_eq!((details[0].code.as_str(), details[0].target.as_deref()), ("SessionMissing", Some("sessionId")));
    let inner = main.inner_error.as_ref().expect("innerError");
    assert_eq!(inner.additional_data["date"], "2026-11-26T10:00:00");
    assert_eq!(err.request_id(), Some("d0a4-11"));
    assert_eq!(err.headers().and_then(|h| h.get("request-id")).map(|v| v.as_bytes()), Some(&b"d0a4-11"[..]));
    assert!(!err.is_transport());
    let shown = err.to_string();
    assert!(
        shown.contains("404") && shown.contains("NotFound") && shown.contains("Presence session not found."),
        "{shown}"
    );
    assert!(!shown.contains(TOKEN) && !format!("{err:?}").contains(TOKEN));
}

#[tokio::test]
async fn server_error_with_a_text_body_keeps_status_and_text() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_raw("upstream exploded", "text/plain"))
        .mount(&server)
        .await;
    let err = clear_presence(&client(&server), USER).await.expect_err("500");
    assert_eq!(err.status(), Some(500));
    assert!(err.odata_error().is_none());
    assert_eq!(err.text().as_deref(), Some("upstream exploded"));
    assert_eq!(err.raw_body(), Some(&b"upstream exploded"[..]));
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let client = GraphServiceClient::builder()
        .base_url(format!("http://127.0.0.1:{port}/v1.0"))
        .auth(StaticTokenProvider::new(TOKEN))
        .build()
        .expect("client builds");
    let err = clear_presence(&client, USER).await.expect_err("refused");
    assert!(err.is_transport(), "{err:?}");
    assert_eq!(err.status(), None);
    assert!(err.odata_error().is_none());
}

#[tokio::test]
async fn path_values_stay_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = client(&server);
    for (id, expected) in [
        ("a/b?c#d", "/v1.0/users/a%2Fb%3Fc%23d/presence/clearPresence"),
        ("first last@contoso.com", "/v1.0/users/first%20last%40contoso.com/presence/clearPresence"),
        ("%2e%2e", "/v1.0/users/%252e%252e/presence/clearPresence"),
        ("é", "/v1.0/users/%C3%A9/presence/clearPresence"),
    ] {
        clear_presence(&client, id).await.expect("sent");
        let requests = received(&server).await;
        let last = requests.last().expect("a request");
        assert_eq!(last.url.path(), expected, "for {id:?}");
        assert_eq!(last.url.query(), None, "for {id:?}");
    }
}

#[tokio::test]
async fn dot_segments_are_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).expect(0).mount(&server).await;
    let client = client(&server);
    for id in ["..", ".", ""] {
        let err = clear_presence(&client, id).await.expect_err(id);
        assert_eq!(err.status(), None);
        assert!(!err.is_transport());
        assert!(err.to_string().contains("user-id"), "{err}");
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_request_can_be_built_without_sending_it() {
    let server = MockServer::start().await;
    let client = client(&server);
    let request = clear_presence(&client, USER).header("Prefer", "respond-async").build().expect("builds");
    assert_eq!(request.method, msgraph_sdk::runtime::Method::POST);
    assert_eq!(request.url.as_str(), format!("{}{USER_PATH}", server.uri()));
    assert_eq!(request.headers.get("prefer").map(|v| v.as_bytes()), Some(&b"respond-async"[..]));
    assert_eq!(request.headers.get("content-type").map(|v| v.as_bytes()), Some(&b"application/json"[..]));
    assert!(request.headers.get("authorization").is_none(), "the token is added only when sending");
    assert_eq!(request.body.as_deref(), Some(format!("{{\"sessionId\":\"{SESSION}\"}}").as_bytes()));
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn per_request_headers_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    clear_presence(&client(&server), USER)
        .header("client-request-id", "my-correlation-id")
        .header("Prefer", "return=minimal")
        .await
        .expect("sent");
    let requests = received(&server).await;
    assert_eq!(header(&requests[0], "client-request-id"), Some("my-correlation-id"));
    assert_eq!(header(&requests[0], "prefer"), Some("return=minimal"));
}

#[tokio::test]
async fn the_token_does_not_follow_a_redirect_to_another_host() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).expect(1).mount(&elsewhere).await;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", format!("{}/landing", elsewhere.uri())))
        .mount(&server)
        .await;
    clear_presence(&client(&server), USER).await.expect("redirect followed");
    let first = received(&server).await;
    assert_eq!(header(&first[0], "authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    let landed = received(&elsewhere).await;
    assert_eq!(landed.len(), 1);
    assert_eq!(landed[0].url.path(), "/landing");
    assert_eq!(header(&landed[0], "authorization"), None, "the token leaked to another host");
    assert_eq!(landed[0].body, first[0].body, "307 keeps the body");
}

#[test]
fn debug_output_never_shows_the_token() {
    let client = GraphServiceClient::new(StaticTokenProvider::new(TOKEN));
    let request = clear_presence(&client, USER);
    for shown in [format!("{client:?}"), format!("{request:?}"), format!("{:?}", StaticTokenProvider::new(TOKEN))] {
        assert!(!shown.contains("secret-token"), "{shown}");
    }
    assert_eq!(client.adapter().base_url().as_str().trim_end_matches('/'), "https://graph.microsoft.com/v1.0");
}

#[test]
fn the_body_serialises_to_exactly_the_documented_json() {
    assert_eq!(serde_json::to_string(&body()).expect("serialises"), format!("{{\"sessionId\":\"{SESSION}\"}}"));
    assert_eq!(serde_json::to_string(&ClearPresencePostRequestBody::default()).expect("serialises"), "{}");
    let mut with_extra = body();
    with_extra.additional_data.insert("futureFlag".into(), json!(true));
    let text = serde_json::to_string(&with_extra).expect("serialises");
    assert_eq!(text, format!("{{\"sessionId\":\"{SESSION}\",\"futureFlag\":true}}"));
    let back: ClearPresencePostRequestBody = serde_json::from_str(&text).expect("deserialises");
    assert_eq!(back, with_extra);
}

/// What async Rust code needs: clients and requests move across threads (`tokio::spawn`), and the error
/// converts into `Box<dyn Error + Send + Sync>` (and so into `anyhow::Error`).
#[test]
fn clients_requests_and_errors_work_across_threads() {
    fn send_sync<T: Send + Sync + 'static>() {}
    fn send<T: Send + 'static>(_: &T) {}
    send_sync::<GraphServiceClient>();
    send_sync::<msgraph_sdk::users::item::presence::clear_presence::ClearPresenceRequestBuilder>();
    send_sync::<msgraph_sdk::Error>();
    let client = GraphServiceClient::new(StaticTokenProvider::new(TOKEN));
    let future = std::future::IntoFuture::into_future(clear_presence(&client, USER));
    send(&future);
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(msgraph_sdk::Error::InvalidRequest("x".into()));
    assert!(boxed.to_string().contains('x'), "{boxed}");
}

#[tokio::test]
async fn a_throttled_call_is_retried_with_the_same_body_and_can_show_its_status() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202).insert_header("request-id", "r-1"))
        .mount(&server)
        .await;

    let response = clear_presence(&client(&server), USER).with_response().await.expect("the retry succeeds");
    assert_eq!((response.status.as_u16(), response.request_id()), (202, Some("r-1")));

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
    assert_eq!(header(&requests[1], "retry-attempt"), Some("1"));

    let result = clear_presence(&client(&server), USER)
        .retry(msgraph_sdk::runtime::RetryPolicy::none())
        .timeout(std::time::Duration::from_secs(5))
        .await;
    assert!(result.is_ok(), "{result:?}");
}
