//! Compression, tracing and response metadata over real HTTP on loopback: gzip bodies are decoded
//! (and a decompression bomb refused), each attempt is a tracing span with the URL template and never
//! a token, id or query value, and a success's status and headers can be read with its value.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{header, received, root, ODataError, TOKEN};
use msgraph_runtime::{Error, Json, Method, NoContent, RetryPolicy, StatusCode};
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).expect("compress");
    encoder.finish().expect("compress")
}

#[tokio::test]
async fn gzip_bodies_are_asked_for_and_decoded() {
    let server = MockServer::start().await;
    let body = serde_json::to_vec(&json!({"id": "u1", "displayName": "Adele"})).expect("json");
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-encoding", "gzip")
                .insert_header("content-type", "application/json")
                .set_body_bytes(gzip(&body)),
        )
        .mount(&server)
        .await;
    let user: serde_json::Value =
        root(&server).segment("me").request::<Json<_>, ODataError>(Method::GET).await.expect("decoded");
    assert_eq!(user["displayName"], "Adele");
    let requests = received(&server).await;
    assert_eq!(header(&requests[0], "accept-encoding"), Some("gzip"));
}

#[tokio::test]
async fn a_decompression_bomb_is_refused() {
    let server = MockServer::start().await;
    // 16 KiB on the wire, 16 MiB once decompressed.
    let bomb = gzip(&vec![0u8; 16 << 20]);
    assert!(bomb.len() < 64 << 10, "{}", bomb.len());
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).insert_header("content-encoding", "gzip").set_body_bytes(bomb))
        .mount(&server)
        .await;
    let err = root(&server)
        .segment("photo")
        .request::<msgraph_runtime::Bytes, ODataError>(Method::GET)
        .max_response_body(1 << 20)
        .await
        .expect_err("16 MiB decompressed is over 1 MiB");
    assert!(matches!(err, Error::BodyTooLarge { limit, .. } if limit == 1 << 20), "{err:?}");
}

#[tokio::test]
async fn with_response_gives_the_status_and_headers_with_the_value() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header("location", "https://graph.microsoft.com/v1.0/operations/op-1")
                .insert_header("request-id", "r-42"),
        )
        .mount(&server)
        .await;
    let response = root(&server)
        .segment("copy")
        .request::<NoContent, ODataError>(Method::POST)
        .with_response()
        .await
        .expect("accepted");
    assert_eq!(response.status, StatusCode::ACCEPTED);
    assert_eq!(
        response.headers.get("location").and_then(|v| v.to_str().ok()),
        Some("https://graph.microsoft.com/v1.0/operations/op-1")
    );
    assert_eq!(response.request_id(), Some("r-42"));
    response.into_value();

    let typed = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(201).insert_header("etag", "W/\"1\"").set_body_json(json!({"id": "new"})))
        .mount(&typed)
        .await;
    let created = root(&typed)
        .segment("users")
        .request::<Json<serde_json::Value>, ODataError>(Method::POST)
        .json_body(&json!({}))
        .with_response()
        .await
        .expect("created");
    assert_eq!((created.status.as_u16(), created.value["id"].as_str()), (201, Some("new")));
    assert_eq!(created.headers.get("etag").and_then(|v| v.to_str().ok()), Some("W/\"1\""));
}

/// A span or event as recorded: its name and its fields as `name=value` text.
#[derive(Clone, Debug, Default)]
struct Recorded {
    name: String,
    fields: Vec<(String, String)>,
}

impl Recorded {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().rev().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }
}

impl Visit for Recorded {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.fields.push((field.name().to_owned(), format!("{value:?}")));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.fields.push((field.name().to_owned(), value.to_owned()));
    }
}

/// Records every span (with the values recorded later) and event.
#[derive(Clone, Default)]
struct Recorder {
    spans: Arc<Mutex<Vec<Recorded>>>,
    events: Arc<Mutex<Vec<Recorded>>>,
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut recorded = Recorded { name: span.metadata().name().to_owned(), fields: Vec::new() };
        span.record(&mut recorded);
        let mut spans = self.spans.lock().expect("lock");
        spans.push(recorded);
        Id::from_u64(spans.len() as u64)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.spans.lock().expect("lock");
        if let Some(recorded) = spans.get_mut(span.into_u64() as usize - 1) {
            values.record(recorded);
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut recorded = Recorded { name: event.metadata().name().to_owned(), fields: Vec::new() };
        event.record(&mut recorded);
        self.events.lock().expect("lock").push(recorded);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn each_attempt_is_a_span_with_the_template_status_and_duration_and_no_secrets() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0").set_body_string("BODY-TEXT"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"secret": "BODY-TEXT"})))
        .mount(&server)
        .await;

    let _: serde_json::Value = root(&server)
        .segment("users")
        .parameter("user-id", "adele@contoso.com")
        .segment("presence")
        .request::<Json<_>, ODataError>(Method::GET)
        .filter("mail eq 'QUERY-VALUE'")
        .retry(RetryPolicy::default().max_total_delay(Duration::from_secs(5)))
        .await
        .expect("the retry succeeds");

    let spans = recorder.spans.lock().expect("lock").clone();
    let requests: Vec<&Recorded> = spans.iter().filter(|span| span.name == "msgraph.request").collect();
    assert_eq!(requests.len(), 2, "{spans:?}");
    for (span, (attempt, status)) in requests.iter().zip([("1", "429"), ("2", "200")]) {
        assert_eq!(span.field("http.method"), Some("GET"));
        assert_eq!(span.field("url.template"), Some("/v1.0/users/{user-id}/presence"));
        assert_eq!(span.field("attempt"), Some(attempt));
        assert_eq!(span.field("http.status"), Some(status));
        assert!(span.field("duration_ms").is_some_and(|ms| ms.parse::<f64>().is_ok()), "{span:?}");
    }
    let events = recorder.events.lock().expect("lock").clone();
    assert!(events.iter().any(|event| event.field("message") == Some("retrying")), "{events:?}");
    let everything = format!("{spans:?} {events:?}");
    for secret in [TOKEN, "adele", "QUERY-VALUE", "BODY-TEXT"] {
        assert!(!everything.contains(secret), "{secret} in {everything}");
    }
}
