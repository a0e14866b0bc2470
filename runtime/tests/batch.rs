//! JSON batching over real HTTP on loopback: typed requests built with the normal builders go into
//! `$batch` requests of at most 20, each answer is read as its own typed result or typed error, and
//! throttled inner requests are sent again.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use common::{bearer, header, received, root, ODataError};
use msgraph_runtime::{Batch, Error, Json, MaybeJson, Method, NoContent, Request};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

#[derive(Debug, PartialEq, serde::Deserialize)]
struct User {
    id: String,
}

/// Answers a `$batch` as Graph does: `/users/missing` is a 404 with an OData error, `/users/throttled`
/// is throttled once, a POST echoes its body, anything else is the user named by the last segment.
struct Graph {
    throttled_once: Arc<AtomicBool>,
}

impl Respond for Graph {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let batch: Value = serde_json::from_slice(&request.body).expect("a JSON batch");
        let responses: Vec<Value> = batch["requests"]
            .as_array()
            .expect("requests")
            .iter()
            .map(|inner| {
                let id = inner["id"].clone();
                let url = inner["url"].as_str().expect("url");
                let path = url.split('?').next().unwrap_or_default();
                let last = path.rsplit('/').next().unwrap_or_default();
                if path == "/users/missing" {
                    let error = json!({"error": {"code": "Request_ResourceNotFound", "message": "No such user."}});
                    json!({"id": id, "status": 404, "headers": {"Content-Type": "application/json"}, "body": error})
                } else if path == "/users/throttled" && !self.throttled_once.swap(true, Ordering::SeqCst) {
                    json!({"id": id, "status": 429, "headers": {"Retry-After": "0"}})
                } else if inner["method"] == "POST" {
                    json!({"id": id, "status": 201, "headers": {"Content-Type": "application/json"}, "body": inner["body"]})
                } else {
                    json!({"id": id, "status": 200, "headers": {"Content-Type": "application/json"}, "body": {"id": last}})
                }
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({ "responses": responses }))
    }
}

async fn graph() -> MockServer {
    let server = MockServer::start().await;
    let throttled_once = Arc::new(AtomicBool::new(false));
    Mock::given(method("POST")).and(path("/v1.0/$batch")).respond_with(Graph { throttled_once }).mount(&server).await;
    server
}

fn get_user(server: &MockServer, id: &str) -> Request<Json<User>, ODataError> {
    root(server).segment("users").parameter("user-id", id).request(Method::GET).select(["id"])
}

/// The inner requests of each `$batch` the server received.
async fn batches(server: &MockServer) -> Vec<Vec<Value>> {
    received(server)
        .await
        .iter()
        .map(|request| {
            let body: Value = serde_json::from_slice(&request.body).expect("json");
            body["requests"].as_array().expect("requests").clone()
        })
        .collect()
}

#[tokio::test]
async fn twenty_five_requests_become_two_batches_with_typed_answers() {
    let server = graph().await;
    let adapter = common::adapter(&server);
    let mut batch: Batch<ODataError> = Batch::new(&adapter);
    let users: Vec<_> = (0..22).map(|n| batch.add(get_user(&server, &format!("u{n}")))).collect();
    let missing = batch.add(get_user(&server, "missing"));
    let created = batch.add(
        root(&server)
            .segment("users")
            .request::<MaybeJson<Value>, ODataError>(Method::POST)
            .json_body(&json!({"displayName": "Adele"}))
            .header("Prefer", "return=representation"),
    );
    let after = batch.add_after(
        root(&server).segment("users").parameter("user-id", "u-after").request::<NoContent, ODataError>(Method::DELETE),
        &[created.id()],
    );
    assert_eq!(batch.len(), 25);

    let answers = batch.send().await.expect("sent");
    assert_eq!(answers.len(), 25);
    for (n, step) in users.iter().enumerate() {
        assert_eq!(answers.get(step).expect("a user"), User { id: format!("u{n}") });
    }
    let err = answers.get(&missing).expect_err("a typed error");
    assert!(matches!(err, Error::Service(_)), "{err:?}");
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.odata_error().map(|e| e.error.code.as_str()), Some("Request_ResourceNotFound"));
    assert_eq!(answers.get(&created).expect("created"), Some(json!({"displayName": "Adele"})));
    answers.get(&after).expect("no content");

    let sent = batches(&server).await;
    assert_eq!(sent.iter().map(Vec::len).collect::<Vec<_>>(), [20, 5], "two HTTP calls");
    assert_eq!(sent[0][0], json!({"id": "1", "method": "GET", "url": "/users/u0?$select=id"}));
    let post = &sent[1][3];
    assert_eq!(post["body"], json!({"displayName": "Adele"}));
    assert_eq!(post["headers"]["prefer"], "return=representation");
    assert_eq!(post["headers"]["content-type"], "application/json");
    assert_eq!(sent[1][4]["dependsOn"], json!(["24"]));
    let outer = received(&server).await;
    assert_eq!(header(&outer[0], "authorization"), Some(bearer().as_str()), "the token is on the outer request");
}

#[tokio::test]
async fn a_throttled_inner_request_is_sent_again() {
    let server = graph().await;
    let adapter = common::adapter(&server);
    let mut batch: Batch<ODataError> = Batch::new(&adapter);
    let a = batch.add(get_user(&server, "a"));
    let throttled = batch.add(get_user(&server, "throttled"));
    let answers = batch.send().await.expect("sent");
    assert_eq!(answers.get(&a).expect("a").id, "a");
    assert_eq!(answers.get(&throttled).expect("retried").id, "throttled");
    let sent = batches(&server).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].len(), 1, "only the throttled request again");
    assert_eq!(sent[1][0]["id"], "2");
}

#[tokio::test]
async fn requests_that_cannot_be_batched_fail_before_sending() {
    let server = graph().await;
    let adapter = common::adapter(&server);
    let mut batch: Batch<ODataError> = Batch::new(&adapter);
    batch.add(get_user(&server, ".."));
    let err = batch.send().await.expect_err("invalid");
    assert!(matches!(&err, Error::InvalidRequest(m) if m.starts_with("batch step 1:")), "{err:?}");

    let mut batch: Batch<ODataError> = Batch::new(&adapter);
    let elsewhere = "https://example.com/x".parse().expect("url");
    batch.add(Request::<NoContent, ODataError>::with_url(&adapter, Method::GET, elsewhere));
    batch.add_after(get_user(&server, "a"), &["7"]);
    let err = batch.send().await.expect_err("invalid");
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("not below the base URL")), "{err:?}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_batch_without_retries_returns_the_throttled_answer() {
    let server = graph().await;
    let adapter = common::adapter(&server);
    let mut batch: Batch<ODataError> = Batch::new(&adapter).retry(msgraph_runtime::RetryPolicy::none());
    let throttled = batch.add(get_user(&server, "throttled"));
    let answers = batch.send().await.expect("sent");
    assert_eq!(answers.status("2"), None);
    assert_eq!(answers.get(&throttled).expect_err("throttled").status(), Some(429));
    assert_eq!(batches(&server).await.len(), 1);
}
