//! Large-file uploads over an upload session, on loopback: chunks of 320 KiB multiples with
//! `Content-Range`, progress, resuming from `nextExpectedRanges` after a failed chunk, and the token
//! kept away from an upload host that is not Graph's.

mod common;

use std::sync::{Arc, Mutex};

use common::{header, received, ODataError};
use msgraph_runtime::{Error, LargeFileUpload, UPLOAD_CHUNK_UNIT};
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

/// An upload session: it keeps what it received, fails the chunk starting at `fail_at` once with a
/// 500, and answers as Graph does.
#[derive(Clone, Default)]
struct Session {
    received: Arc<Mutex<Vec<u8>>>,
    fail_at: Option<usize>,
    failed: Arc<Mutex<bool>>,
}

impl Respond for Session {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let mut received = self.received.lock().expect("lock");
        let next = json!({"expirationDateTime": "2026-11-28T10:00:00Z", "nextExpectedRanges": [format!("{}-", received.len())]});
        if request.method.as_str() == "GET" {
            return ResponseTemplate::new(200).set_body_json(next);
        }
        let range = request.headers.get("content-range").and_then(|v| v.to_str().ok()).unwrap_or_default();
        let (start, total) = parse_range(range);
        if start != received.len() {
            return ResponseTemplate::new(416).set_body_json(next);
        }
        if Some(start) == self.fail_at && !std::mem::replace(&mut *self.failed.lock().expect("lock"), true) {
            return ResponseTemplate::new(500).set_body_string("the chunk was lost");
        }
        received.extend_from_slice(&request.body);
        if received.len() == total {
            ResponseTemplate::new(201).set_body_json(json!({"id": "item-1", "size": total}))
        } else {
            let next = json!({"nextExpectedRanges": [format!("{}-", received.len())]});
            ResponseTemplate::new(202).set_body_json(next)
        }
    }
}

/// `bytes {start}-{end}/{total}` as (start, total).
fn parse_range(range: &str) -> (usize, usize) {
    let rest = range.strip_prefix("bytes ").expect("bytes range");
    let (span, total) = rest.split_once('/').expect("total");
    let start = span.split('-').next().expect("start").parse().expect("number");
    (start, total.parse().expect("number"))
}

fn data() -> Vec<u8> {
    (0..2 * UPLOAD_CHUNK_UNIT + 1000).map(|i| (i % 251) as u8).collect()
}

async fn session_server(session: Session) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(session).mount(&server).await;
    server
}

#[tokio::test]
async fn a_three_chunk_upload_resumes_after_a_failed_chunk() {
    let graph = MockServer::start().await;
    let session = Session { fail_at: Some(UPLOAD_CHUNK_UNIT), ..Session::default() };
    let storage = session_server(session.clone()).await;
    let adapter = common::adapter(&graph);
    let progress = Arc::new(Mutex::new(Vec::new()));
    let seen = progress.clone();

    let upload_url = format!("{}/uploadSession?guid=abc&sig=secret", storage.uri());
    let item: Value = LargeFileUpload::<_, Value, ODataError>::new(&adapter, &upload_url, data())
        .chunk_size(UPLOAD_CHUNK_UNIT)
        .on_progress(move |sent, total| seen.lock().expect("lock").push((sent, total)))
        .upload()
        .await
        .expect("uploaded");

    assert_eq!(item["id"], "item-1");
    assert_eq!(*session.received.lock().expect("lock"), data(), "every byte once, in order");
    let total = data().len() as u64;
    let unit = UPLOAD_CHUNK_UNIT as u64;
    assert_eq!(*progress.lock().expect("lock"), [(unit, total), (2 * unit, total), (total, total)]);

    let requests = received(&storage).await;
    let calls: Vec<String> =
        requests.iter().map(|r| format!("{} {}", r.method, header(r, "content-range").unwrap_or("-"))).collect();
    let last = total - 1;
    assert_eq!(
        calls,
        [
            "PUT bytes 0-327679/656360".to_owned(),
            "PUT bytes 327680-655359/656360".to_owned(),
            "GET -".to_owned(),
            "PUT bytes 327680-655359/656360".to_owned(),
            format!("PUT bytes 655360-{last}/656360"),
        ]
    );
    assert!(requests.iter().all(|r| header(r, "authorization").is_none()), "no token to a storage host");
    assert!(requests.iter().all(|r| r.url.query() == Some("guid=abc&sig=secret")));
    assert!(received(&graph).await.is_empty());
}

#[tokio::test]
async fn an_upload_session_on_the_graph_host_gets_the_token() {
    let session = Session::default();
    let graph = session_server(session.clone()).await;
    let adapter = common::adapter(&graph);
    let url = format!("{}/v1.0/uploadSession", graph.uri());
    let _: Value =
        LargeFileUpload::<_, Value, ODataError>::new(&adapter, &url, data()).upload().await.expect("uploaded");
    let requests = received(&graph).await;
    assert_eq!(requests.len(), 1, "one default-size chunk");
    assert_eq!(header(&requests[0], "authorization"), Some(common::bearer().as_str()));
}

#[tokio::test]
async fn a_new_task_resumes_an_unfinished_session() {
    let session = Session::default();
    session.received.lock().expect("lock").extend_from_slice(&data()[..UPLOAD_CHUNK_UNIT]);
    let storage = session_server(session.clone()).await;
    let adapter = common::adapter(&storage);
    let upload_url = format!("{}/elsewhere/session", storage.uri());
    let item: Value = LargeFileUpload::<_, Value, ODataError>::new(&adapter, &upload_url, bytes::Bytes::from(data()))
        .chunk_size(UPLOAD_CHUNK_UNIT)
        .resume()
        .await
        .expect("resumed");
    assert_eq!(item["size"], data().len());
    assert_eq!(*session.received.lock().expect("lock"), data());
    let methods: Vec<String> = received(&storage).await.iter().map(|r| r.method.to_string()).collect();
    assert_eq!(methods, ["GET", "PUT", "PUT"]);
}

#[tokio::test]
async fn failures_that_cannot_be_resumed_end_the_upload() {
    let graph = MockServer::start().await;
    let adapter = common::adapter(&graph);
    let upload = |url: &str| LargeFileUpload::<_, Value, ODataError>::new(&adapter, url, data());

    let err = upload(&graph.uri()).chunk_size(1000).upload().await.expect_err("bad chunk size");
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("multiple of 327680")), "{err:?}");
    let err = upload("not a url").upload().await.expect_err("bad url");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");

    let expired = MockServer::start().await;
    let error = json!({"error": {"code": "itemNotFound", "message": "The upload session was not found"}});
    Mock::given(any()).respond_with(ResponseTemplate::new(404).set_body_json(error)).mount(&expired).await;
    let err = upload(&expired.uri()).upload().await.expect_err("expired");
    assert_eq!(err.odata_error().map(|e| e.error.code.as_str()), Some("itemNotFound"));
    assert_eq!(received(&expired).await.len(), 1, "a 404 is not resumed");

    let broken = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(500)).mount(&broken).await;
    let adapter = common::adapter(&broken);
    let err = LargeFileUpload::<_, Value, ODataError>::new(&adapter, &broken.uri(), data())
        .max_resumes(0)
        .upload()
        .await
        .expect_err("500");
    assert_eq!(err.status(), Some(500));
    assert_eq!(received(&broken).await.len(), 1);
}
