//! Throttling, transient faults, timeouts and bounds, over real HTTP on loopback: retries honour
//! `Retry-After` and replay the body, stop at their limits; a hanging server or a trickling body times
//! out; an over-large body stops being read; errors keep a bounded prefix; query values never show.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{adapter_at, bearer, head_header, header, raw_server, read_request, received, root, ODataError};
use msgraph_runtime::{
    BaseRequestBuilder, Error, Json, Method, NoContent, Request, RetryPolicy, TimeoutKind, ERROR_BODY_PREFIX,
};
use serde_json::json;
use tokio::io::AsyncWriteExt;
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A policy that retries quickly, for tests that do not look at the waits.
fn quick(retries: u32) -> RetryPolicy {
    RetryPolicy::default().max_retries(retries).initial_backoff(Duration::from_millis(10))
}

fn post(server: &MockServer) -> Request<Json<serde_json::Value>, ODataError> {
    root(server).segment("users").request(Method::POST).json_body(&json!({"displayName": "Adele", "n": [1, 2]}))
}

#[tokio::test]
async fn a_429_is_retried_after_retry_after_with_the_same_body() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "u1"}))).mount(&server).await;

    let started = Instant::now();
    let user = post(&server).await.expect("the retry succeeds");
    let elapsed = started.elapsed();
    assert_eq!(user["id"], "u1");
    assert!(elapsed >= Duration::from_secs(1), "Retry-After: 1 was honoured ({elapsed:?})");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method.as_str(), "POST", "a 429 is retried for every method");
    assert_eq!(requests[1].body, requests[0].body, "the body is replayed exactly");
    assert_eq!(requests[0].body, br#"{"displayName":"Adele","n":[1,2]}"#);
    assert_eq!(header(&requests[0], "retry-attempt"), None);
    assert_eq!(header(&requests[1], "retry-attempt"), Some("1"));
    assert_eq!(header(&requests[1], "authorization"), Some(bearer().as_str()));
    assert_eq!(header(&requests[1], "content-type"), Some("application/json"));
}

#[tokio::test]
async fn retries_stop_at_the_limit_and_return_the_last_answer() {
    for status in [503, 504, 429] {
        let server = MockServer::start().await;
        let error = json!({"error": {"code": "serviceNotAvailable", "message": "busy"}});
        Mock::given(any()).respond_with(ResponseTemplate::new(status).set_body_json(error)).mount(&server).await;
        let err = post(&server).retry(quick(2)).await.expect_err("always unavailable");
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.odata_error().map(|e| e.error.code.as_str()), Some("serviceNotAvailable"));
        let requests = received(&server).await;
        let attempts: Vec<Option<&str>> = requests.iter().map(|r| header(r, "retry-attempt")).collect();
        assert_eq!(attempts, [None, Some("1"), Some("2")], "{status}");
    }
}

#[tokio::test]
async fn other_statuses_and_disabled_policies_are_not_retried() {
    for (status, policy) in [(500, quick(3)), (502, quick(3)), (404, quick(3)), (503, RetryPolicy::none())] {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(ResponseTemplate::new(status)).mount(&server).await;
        let err = post(&server).retry(policy).await.expect_err("an error");
        assert_eq!(err.status(), Some(status));
        assert_eq!(received(&server).await.len(), 1, "{status}");
    }
}

#[tokio::test]
async fn a_retry_after_past_the_total_delay_ends_the_retries() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = post(&server).await.expect_err("throttled for an hour");
    assert_eq!(err.status(), Some(429));
    assert_eq!(received(&server).await.len(), 1);
    assert!(started.elapsed() < Duration::from_secs(10), "it did not wait");
}

#[tokio::test]
async fn the_client_policy_applies_and_a_request_overrides_it() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let address = *server.address();
    let adapter = adapter_at(address, |builder| builder.retry(quick(1)));
    let request =
        |adapter| BaseRequestBuilder::new(adapter).segment("me").request::<NoContent, ODataError>(Method::GET);
    request(adapter.clone()).await.expect_err("503");
    assert_eq!(received(&server).await.len(), 2, "the client's single retry");
    request(adapter).retry(quick(3)).await.expect_err("503");
    assert_eq!(received(&server).await.len(), 2 + 4, "the request's three retries");
}

/// A server whose first `drop_first` connections are closed without an answer; later ones get a 200.
async fn flaky_server(drop_first: usize, connections: Arc<AtomicUsize>) -> std::net::SocketAddr {
    raw_server(move |mut stream, index| {
        let connections = connections.clone();
        async move {
            connections.fetch_add(1, Ordering::SeqCst);
            let Some(_) = read_request(&mut stream).await else { return };
            if index < drop_first {
                return;
            }
            let body = br#"{"id":"me"}"#;
            let head =
                format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len());
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(body).await;
        }
    })
    .await
}

#[tokio::test]
async fn a_connection_failure_is_retried_only_for_idempotent_methods() {
    let connections = Arc::new(AtomicUsize::new(0));
    let address = flaky_server(1, connections.clone()).await;
    let adapter = adapter_at(address, |builder| builder.retry(quick(2)));
    let me: serde_json::Value = BaseRequestBuilder::new(adapter.clone())
        .segment("me")
        .request::<Json<serde_json::Value>, ODataError>(Method::GET)
        .await
        .expect("the GET is retried on a new connection");
    assert_eq!(me["id"], "me");
    assert_eq!(connections.load(Ordering::SeqCst), 2);

    let connections = Arc::new(AtomicUsize::new(0));
    let address = flaky_server(1, connections.clone()).await;
    let adapter = adapter_at(address, |builder| builder.retry(quick(2)));
    let err = BaseRequestBuilder::new(adapter)
        .segment("users")
        .request::<NoContent, ODataError>(Method::POST)
        .json_body(&json!({}))
        .await
        .expect_err("a POST is not sent twice");
    assert!(err.is_transport(), "{err:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let address = raw_server(|mut stream, _| async move {
        let _ = read_request(&mut stream).await;
        tokio::time::sleep(Duration::from_secs(3600)).await;
    })
    .await;
    let adapter = adapter_at(address, |builder| builder.timeout(Duration::from_secs(1)));
    let started = Instant::now();
    let err = BaseRequestBuilder::new(adapter)
        .segment("me")
        .request::<NoContent, ODataError>(Method::GET)
        .await
        .expect_err("no answer");
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert!(
        matches!(err, Error::Timeout { kind: TimeoutKind::Request, limit } if limit == Duration::from_secs(1)),
        "{err:?}"
    );
    assert!(err.is_timeout());
    assert_eq!(
        err.to_string(),
        "the request timeout of 1 s fired before the whole response had arrived",
        "the error says which timeout fired"
    );
}

#[tokio::test]
async fn a_trickling_body_times_out() {
    let address = raw_server(|mut stream, _| async move {
        let _ = read_request(&mut stream).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n";
        if stream.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        for _ in 0..100_000 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if stream.write_all(b" ").await.is_err() {
                return;
            }
        }
    })
    .await;
    let adapter = adapter_at(address, |builder| builder);
    let started = Instant::now();
    let err = BaseRequestBuilder::new(adapter)
        .segment("me")
        .request::<Json<serde_json::Value>, ODataError>(Method::GET)
        .timeout(Duration::from_millis(1500))
        .await
        .expect_err("too slow");
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert!(matches!(err, Error::Timeout { kind: TimeoutKind::Request, .. }), "{err:?}");
}

#[tokio::test]
async fn a_connect_timeout_says_so() {
    // A listener whose accept queue is full and never drained: the kernel drops new SYNs, so a
    // connection attempt neither succeeds nor fails.
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.bind("127.0.0.1:0".parse().expect("address")).expect("bind");
    let listener = socket.listen(0).expect("listen");
    let address = listener.local_addr().expect("address");
    let mut fillers = Vec::new();
    for _ in 0..8 {
        let attempt = tokio::time::timeout(Duration::from_millis(200), tokio::net::TcpStream::connect(address)).await;
        match attempt {
            Ok(Ok(stream)) => fillers.push(stream),
            _ => break,
        }
    }
    let adapter =
        adapter_at(address, |builder| builder.connect_timeout(Duration::from_millis(500)).retry(RetryPolicy::none()));
    let started = Instant::now();
    let err = BaseRequestBuilder::new(adapter)
        .segment("me")
        .request::<NoContent, ODataError>(Method::GET)
        .await
        .expect_err("no connection");
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert!(
        matches!(err, Error::Timeout { kind: TimeoutKind::Connect, limit } if limit == Duration::from_millis(500)),
        "{err:?}"
    );
    assert!(err.to_string().starts_with("the connect timeout of 0.5 s fired"), "{err}");
    drop((listener, fillers));
}

/// A server that answers with `gib` GiB of `0` bytes (declaring the length or not), counting what it
/// managed to write before the client went away.
async fn huge_body(gib: u64, declare_length: bool, written: Arc<AtomicUsize>) -> std::net::SocketAddr {
    raw_server(move |mut stream, _| {
        let written = written.clone();
        async move {
            let _ = read_request(&mut stream).await;
            let total = gib << 30;
            let head = if declare_length {
                format!("HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {total}\r\n\r\n")
            } else {
                "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ntransfer-encoding: chunked\r\n\r\n"
                    .to_owned()
            };
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let block = vec![b'0'; 64 << 10];
            let chunk_head = format!("{:x}\r\n", block.len());
            let mut sent = 0u64;
            while sent < total {
                let result = if declare_length {
                    stream.write_all(&block).await
                } else {
                    let mut framed = Vec::with_capacity(block.len() + 16);
                    framed.extend_from_slice(chunk_head.as_bytes());
                    framed.extend_from_slice(&block);
                    framed.extend_from_slice(b"\r\n");
                    stream.write_all(&framed).await
                };
                if result.is_err() {
                    return;
                }
                sent += block.len() as u64;
                written.fetch_add(block.len(), Ordering::SeqCst);
            }
        }
    })
    .await
}

#[tokio::test]
async fn a_body_over_the_cap_fails_after_reading_little_more_than_the_cap() {
    for declare_length in [false, true] {
        let written = Arc::new(AtomicUsize::new(0));
        let address = huge_body(2, declare_length, written.clone()).await;
        let adapter = adapter_at(address, |builder| builder.max_response_body(1 << 20));
        let err = BaseRequestBuilder::new(adapter)
            .segment("drive")
            .segment("content")
            .request::<msgraph_runtime::Bytes, ODataError>(Method::GET)
            .await
            .expect_err("2 GiB is over 1 MiB");
        assert!(matches!(err, Error::BodyTooLarge { limit, .. } if limit == 1 << 20), "{err:?}");
        assert!(err.to_string().contains("larger than the limit of 1048576 bytes"), "{err}");
        // Let the server notice the closed connection, then check it could not push much more than
        // the cap (plus what the kernel's socket buffers hold).
        tokio::time::sleep(Duration::from_millis(300)).await;
        let sent = written.load(Ordering::SeqCst);
        assert!(sent < 64 << 20, "the server wrote {sent} bytes (declared length: {declare_length})");
    }
}

#[tokio::test]
async fn a_body_under_a_request_cap_is_read_and_over_it_refused() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_bytes(vec![7u8; 5000])).mount(&server).await;
    let get = || root(&server).segment("photo").request::<msgraph_runtime::Bytes, ODataError>(Method::GET);
    assert_eq!(get().max_response_body(5000).await.expect("exactly the cap").len(), 5000);
    let err = get().max_response_body(4999).await.expect_err("one byte over");
    assert!(matches!(err, Error::BodyTooLarge { .. }), "{err:?}");
}

#[tokio::test]
async fn errors_keep_a_bounded_prefix_of_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_bytes(vec![b'x'; 4 << 20]))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'y'; 1 << 20]))
        .mount(&server)
        .await;
    let err = root(&server).segment("a").request::<NoContent, ODataError>(Method::GET).await.expect_err("500");
    assert_eq!(err.status(), Some(500));
    assert_eq!(err.raw_body().map(<[u8]>::len), Some(ERROR_BODY_PREFIX));
    let err = root(&server).segment("a").request::<Json<u32>, ODataError>(Method::POST).await.expect_err("not a u32");
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(err.raw_body().map(<[u8]>::len), Some(ERROR_BODY_PREFIX));
}

#[tokio::test]
async fn query_values_never_show_in_debug_or_errors() {
    let address = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address")
    };
    let adapter = adapter_at(address, |builder| builder.retry(RetryPolicy::none()));
    let url = format!("http://{address}/download?sig=SIGNATURE-VALUE&se=2026").parse().expect("url");
    let request = Request::<NoContent, ODataError>::with_url(&adapter, Method::GET, url)
        .query("$filter", "mail eq 'private@contoso.com'");
    let shown = format!("{request:?} {:?}", request.build().expect("builds"));
    assert!(!shown.contains("SIGNATURE") && !shown.contains("private"), "{shown}");
    assert!(shown.contains("sig=REDACTED") && shown.contains("$filter=REDACTED"), "{shown}");
    let err = request.await.expect_err("nothing listens");
    let shown =
        format!("{err} {err:?} {}", std::error::Error::source(&err).map(ToString::to_string).unwrap_or_default());
    assert!(err.is_transport(), "{err:?}");
    assert!(!shown.contains("SIGNATURE") && !shown.contains("private"), "{shown}");
}

#[tokio::test]
async fn an_over_long_id_is_an_invalid_request_and_nothing_is_sent() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let id = "a".repeat(100_000);
    let err = root(&server)
        .segment("users")
        .parameter("user-id", &id)
        .request::<NoContent, ODataError>(Method::GET)
        .await
        .expect_err("too long");
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("`user-id` is 100000 bytes")), "{err:?}");
    let long_filter = root(&server)
        .segment("users")
        .request::<NoContent, ODataError>(Method::GET)
        .filter("x".repeat(40_000))
        .await
        .expect_err("too long");
    assert!(matches!(&long_filter, Error::InvalidRequest(m) if m.contains("URL is")), "{long_filter:?}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn the_token_goes_to_the_custom_base_url_host_only() {
    // A loopback base URL: the Graph hosts of every cloud are not trusted any more.
    let address = raw_server(|mut stream, _| async move {
        let Some((head, _)) = read_request(&mut stream).await else { return };
        let auth = head_header(&head, "authorization").unwrap_or("none").to_owned();
        let response = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{auth}", auth.len());
        let _ = stream.write_all(response.as_bytes()).await;
    })
    .await;
    let adapter = adapter_at(address, |builder| builder);
    for host in msgraph_runtime::NATIONAL_CLOUD_HOSTS {
        let url = format!("https://{host}/v1.0/me").parse().expect("url");
        assert!(!adapter.sends_token_to(&url), "{host}");
    }
    let echoed = BaseRequestBuilder::new(adapter)
        .segment("me")
        .request::<msgraph_runtime::Text<String>, ODataError>(Method::GET)
        .await
        .expect("echo");
    assert_eq!(echoed, bearer());
}

#[tokio::test]
async fn a_download_streams_a_body_larger_than_the_cap() {
    let address = raw_server(|mut stream, _| async move {
        let _ = read_request(&mut stream).await;
        let total = 64usize << 20;
        let head =
            format!("HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {total}\r\n\r\n");
        if stream.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let block = vec![b'z'; 1 << 20];
        for _ in 0..64 {
            if stream.write_all(&block).await.is_err() {
                return;
            }
        }
    })
    .await;
    let adapter = adapter_at(address, |builder| builder.max_response_body(1 << 20));
    let mut download = BaseRequestBuilder::new(adapter)
        .segment("drive")
        .segment("content")
        .request::<msgraph_runtime::Bytes, ODataError>(Method::GET)
        .download()
        .await
        .expect("headers arrive");
    assert_eq!(download.status(), 200);
    assert_eq!(download.content_length(), Some(64 << 20));
    let mut largest = 0;
    while let Some(chunk) = download.chunk().await.expect("a chunk") {
        largest = largest.max(chunk.len());
    }
    assert_eq!(download.received(), 64 << 20, "the cap does not apply to a stream");
    assert!(largest < 1 << 20, "read in chunks, not whole: {largest}");

    let server = MockServer::start().await;
    let error = json!({"error": {"code": "itemNotFound", "message": "gone"}});
    Mock::given(any()).respond_with(ResponseTemplate::new(404).set_body_json(error)).mount(&server).await;
    let err = root(&server)
        .segment("content")
        .request::<msgraph_runtime::Bytes, ODataError>(Method::GET)
        .download()
        .await
        .expect_err("404");
    assert_eq!(err.odata_error().map(|e| e.error.code.as_str()), Some("itemNotFound"));
}
