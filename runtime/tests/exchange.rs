//! Requests as the server sees them, and responses as the caller sees them.

mod common;

use common::{bearer, free_port, header, received, root, ODataError, TOKEN};
use msgraph_runtime::{Error, Json, Method, NoContent, Request, RequestAdapter, StaticTokenProvider};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn post(server: &MockServer) -> Request<NoContent, ODataError> {
    root(server)
        .segment("users")
        .parameter("user-id", "u1")
        .segment("clearPresence")
        .request(Method::POST)
        .json_body(&json!({"sessionId": "s1"}))
}

async fn respond(server: &MockServer, response: ResponseTemplate) {
    Mock::given(wiremock::matchers::any()).respond_with(response).mount(server).await;
}

#[tokio::test]
async fn default_headers_are_sent() {
    let server = MockServer::start().await;
    respond(&server, ResponseTemplate::new(204)).await;

    post(&server).await.expect("204 is success");
    post(&server).send().await.expect("204 is success");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    let first = &requests[0];
    assert_eq!(header(first, "authorization"), Some(bearer().as_str()));
    assert_eq!(header(first, "accept"), Some("application/json"));
    assert_eq!(header(first, "content-type"), Some("application/json"));
    let version = format!("msgraph-sdk/0.1.0, msgraph-runtime/{}", env!("CARGO_PKG_VERSION"));
    assert_eq!(header(first, "sdkversion"), Some(version.as_str()));
    assert_eq!(header(first, "user-agent"), Some(version.as_str()));

    let ids: Vec<&str> = requests.iter().map(|r| header(r, "client-request-id").expect("client-request-id")).collect();
    for id in &ids {
        let groups: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12], "{id}");
        assert!(id.chars().all(|c| c == '-' || c.is_ascii_hexdigit()), "{id}");
        assert_eq!(id.as_bytes()[14], b'4', "version 4: {id}");
    }
    assert_ne!(ids[0], ids[1], "a fresh id per request");
}

#[tokio::test]
async fn per_request_headers_arrive_and_override_defaults() {
    let server = MockServer::start().await;
    respond(&server, ResponseTemplate::new(204)).await;

    post(&server)
        .header("client-request-id", "my-correlation-id")
        .header("Accept", "application/json;odata.metadata=none")
        .header("Prefer", "return=minimal")
        .await
        .expect("sent");

    let requests = received(&server).await;
    let request = &requests[0];
    assert_eq!(header(request, "client-request-id"), Some("my-correlation-id"));
    assert_eq!(request.headers.get_all("accept").iter().count(), 1);
    assert_eq!(header(request, "accept"), Some("application/json;odata.metadata=none"));
    assert_eq!(header(request, "prefer"), Some("return=minimal"));
}

#[tokio::test]
async fn the_json_body_is_sent_byte_for_byte() {
    let server = MockServer::start().await;
    respond(&server, ResponseTemplate::new(200)).await;
    #[derive(serde::Serialize)]
    struct Body<'a> {
        #[serde(rename = "sessionId")]
        session_id: &'a str,
        note: &'a str,
    }

    root(&server)
        .segment("things")
        .request::<NoContent, serde_json::Value>(Method::PATCH)
        .json_body(&Body { session_id: "22553876", note: "é \"q\"" })
        .await
        .expect("sent");

    let requests = received(&server).await;
    assert_eq!(requests[0].method.as_str(), "PATCH");
    assert_eq!(requests[0].body, "{\"sessionId\":\"22553876\",\"note\":\"é \\\"q\\\"\"}".as_bytes());
}

#[tokio::test]
async fn a_request_without_body_has_no_content_type() {
    let server = MockServer::start().await;
    respond(&server, ResponseTemplate::new(204)).await;
    root(&server).segment("me").request::<NoContent, serde_json::Value>(Method::DELETE).await.expect("sent");
    let requests = received(&server).await;
    assert!(requests[0].body.is_empty());
    assert_eq!(header(&requests[0], "content-type"), None);
}

#[tokio::test]
async fn no_content_accepts_any_2xx_body() {
    for response in [
        ResponseTemplate::new(200),
        ResponseTemplate::new(204),
        ResponseTemplate::new(202).set_body_string("not json at all"),
    ] {
        let server = MockServer::start().await;
        respond(&server, response).await;
        let result: Result<(), _> = post(&server).await;
        assert!(result.is_ok(), "{result:?}");
    }
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct User {
    id: String,
    #[serde(rename = "displayName")]
    display_name: String,
}

#[tokio::test]
async fn json_decodes_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/u1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "u1", "displayName": "Adele", "extra": 1})))
        .mount(&server)
        .await;
    let user: User = root(&server)
        .segment("users")
        .parameter("user-id", "u1")
        .request::<Json<User>, ODataError>(Method::GET)
        .await
        .expect("decodes");
    assert_eq!(user, User { id: "u1".into(), display_name: "Adele".into() });
}

#[tokio::test]
async fn json_reports_an_empty_or_mismatched_body_as_decode_errors() {
    for (response, status, needle) in [
        (ResponseTemplate::new(204), 204, "no body"),
        (ResponseTemplate::new(200), 200, "no body"),
        (ResponseTemplate::new(200).set_body_string("{\"id\": 7}"), 200, "invalid type"),
    ] {
        let server = MockServer::start().await;
        respond(&server, response).await;
        let err = root(&server).request::<Json<User>, ODataError>(Method::GET).await.expect_err("cannot decode");
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        assert_eq!(err.status(), Some(status));
        let reason = std::error::Error::source(&err).map(ToString::to_string).unwrap_or_default();
        assert!(reason.contains(needle), "{reason}");
        assert!(!err.is_transport());
    }
}

#[tokio::test]
async fn not_found_exposes_the_odata_error() {
    let server = MockServer::start().await;
    let body =
        json!({"error": {"code": "NotFound", "message": "Presence session not found.", "innerError": {"date": "x"}}});
    respond(&server, ResponseTemplate::new(404).set_body_json(&body).insert_header("request-id", "d0a4-11")).await;

    let err = post(&server).await.expect_err("404");

    assert_eq!(err.status(), Some(404));
    assert_eq!(err.odata_error().map(|e| e.error.code.as_str()), Some("NotFound"));
    assert_eq!(err.odata_error().map(|e| e.error.message.as_str()), Some("Presence session not found."));
    assert_eq!(err.request_id(), Some("d0a4-11"));
    assert_eq!(err.headers().and_then(|h| h.get("request-id")).map(|v| v.as_bytes()), Some(&b"d0a4-11"[..]));
    assert_eq!(err.raw_body(), Some(serde_json::to_vec(&body).expect("json").as_slice()));
    assert!(!err.is_transport());
    let shown = err.to_string();
    assert!(
        shown.contains("404") && shown.contains("NotFound") && shown.contains("Presence session not found."),
        "{shown}"
    );
    assert!(shown.contains("d0a4-11"), "{shown}");
    assert!(!shown.contains(TOKEN) && !format!("{err:?}").contains(TOKEN));
}

#[tokio::test]
async fn a_text_error_body_is_kept_as_text() {
    let server = MockServer::start().await;
    respond(&server, ResponseTemplate::new(500).set_body_raw("upstream exploded", "text/plain")).await;

    let err = post(&server).await.expect_err("500");

    assert_eq!(err.status(), Some(500));
    assert!(err.odata_error().is_none());
    assert_eq!(err.text().as_deref(), Some("upstream exploded"));
    assert_eq!(err.raw_body(), Some(&b"upstream exploded"[..]));
    assert_eq!(err.to_string(), "the service answered 500 Internal Server Error");
}

#[tokio::test]
async fn the_default_error_model_is_any_json() {
    let server = MockServer::start().await;
    respond(&server, ResponseTemplate::new(403).set_body_json(json!({"error": {"code": "Forbidden"}}))).await;
    let err = root(&server).request::<NoContent, serde_json::Value>(Method::GET).await.expect_err("403");
    assert_eq!(err.odata_error().map(|v| v["error"]["code"].clone()), Some(json!("Forbidden")));
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let adapter = RequestAdapter::builder()
        .base_url(format!("http://127.0.0.1:{}/v1.0", free_port()))
        .auth(StaticTokenProvider::new(TOKEN))
        .build()
        .expect("builds");
    let err = msgraph_runtime::BaseRequestBuilder::new(adapter)
        .request::<NoContent, ODataError>(Method::GET)
        .retry(msgraph_runtime::RetryPolicy::none())
        .await
        .expect_err("refused");
    assert!(err.is_transport(), "{err:?}");
    assert_eq!(err.status(), None);
    assert!(err.odata_error().is_none() && err.raw_body().is_none());
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn a_failing_token_provider_is_an_auth_error_and_nothing_is_sent() {
    let server = MockServer::start().await;
    respond(&server, ResponseTemplate::new(204)).await;
    let adapter = common::adapter_with(&server, common::Failing);
    let err = msgraph_runtime::BaseRequestBuilder::new(adapter)
        .request::<NoContent, ODataError>(Method::GET)
        .await
        .expect_err("no token");
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    let reason = std::error::Error::source(&err).map(ToString::to_string);
    assert_eq!(reason.as_deref(), Some("the credential has expired"));
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn build_shows_the_request_without_sending_it() {
    let server = MockServer::start().await;
    respond(&server, ResponseTemplate::new(204)).await;

    let request = post(&server).header("Prefer", "respond-async").query("$select", "id");
    let built = request.build().expect("builds");

    assert_eq!(built.method, Method::POST);
    assert_eq!(built.url.as_str(), format!("{}/v1.0/users/u1/clearPresence?$select=id", server.uri()));
    assert_eq!(built.body.as_deref(), Some(&b"{\"sessionId\":\"s1\"}"[..]));
    let headers = &built.headers;
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    assert_eq!(get("accept"), Some("application/json"));
    assert_eq!(get("content-type"), Some("application/json"));
    assert_eq!(get("prefer"), Some("respond-async"));
    assert!(get("sdkversion").is_some_and(|v| v.starts_with("msgraph-sdk/0.1.0, msgraph-runtime/")));
    assert!(get("client-request-id").is_some_and(|v| v.len() == 36));
    assert_eq!(get("authorization"), None, "the token is added only when sending");
    assert!(!format!("{built:?}").contains(TOKEN));
    assert!(received(&server).await.is_empty(), "build sends nothing");
}

#[tokio::test]
async fn query_parameters_are_encoded() {
    let server = MockServer::start().await;
    respond(&server, ResponseTemplate::new(204)).await;
    root(&server)
        .segment("users")
        .request::<NoContent, ODataError>(Method::GET)
        .query("$filter", "startswith(displayName,'A B&C')")
        .query("$top", "5")
        .await
        .expect("sent");
    let requests = received(&server).await;
    assert_eq!(requests[0].url.query(), Some("$filter=startswith%28displayName%2C%27A%20B%26C%27%29&$top=5"));
    let pairs: Vec<(String, String)> = requests[0].url.query_pairs().map(|(k, v)| (k.into(), v.into())).collect();
    assert_eq!(pairs[0], ("$filter".to_string(), "startswith(displayName,'A B&C')".to_string()));
}

#[test]
fn adapter_new_uses_the_global_cloud() {
    let adapter = RequestAdapter::new(StaticTokenProvider::new(TOKEN));
    assert_eq!(adapter.base_url().as_str(), "https://graph.microsoft.com/v1.0");
    assert!(adapter.sends_token_to(&"https://graph.microsoft.com/v1.0/me".parse().expect("url")));
}
