//! The per-call overhead of the SDK over a bare `reqwest` call, on loopback.
//!
//! `cargo bench -p msgraph-runtime --bench overhead` starts a keep-alive HTTP/1.1 server on
//! 127.0.0.1 that answers every request with the same small JSON user, then times sequential `GET`s
//! decoded into a struct: with `reqwest` directly (the `Authorization` header set by hand), and through
//! the runtime (`Request<Json<User>>`: URL building, default headers, token provider, retry policy,
//! timeout, body cap, tracing span). The SDK's calls have a request timeout, which costs a timer per
//! call, so the bare calls are timed twice: without a timeout, and with the same 100 s timeout set
//! with `RequestBuilder::timeout` (as a production call would). Rounds alternate between the kinds;
//! the medians are printed. It measures, it asserts nothing. `--quick` runs fewer calls.

use std::time::{Duration, Instant};

use msgraph_runtime::{BaseRequestBuilder, Json, Method, RequestAdapter, StaticTokenProvider};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct User {
    id: String,
    #[serde(rename = "displayName")]
    display_name: String,
    mail: Option<String>,
}

const BODY: &str = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users/$entity","id":"87d349ed-44d7-43e1-9a83-5f2406dee5bd","displayName":"Adele Vance","mail":"AdeleV@contoso.com"}"#;

/// Serves `BODY` to every request on every connection, keeping connections open.
async fn serve() -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let response =
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{BODY}", BODY.len());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let response = response.clone();
            tokio::spawn(async move {
                let _ = stream.set_nodelay(true);
                let mut buffer = Vec::with_capacity(4096);
                let mut chunk = [0u8; 4096];
                loop {
                    // Requests here have no body: one head per request.
                    while let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                        buffer.drain(..end + 4);
                        if stream.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                    match stream.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(read) => buffer.extend_from_slice(&chunk[..read]),
                    }
                }
            });
        }
    });
    address
}

async fn bare(client: &reqwest::Client, url: &str, calls: usize, timeout: Option<Duration>) -> Duration {
    let started = Instant::now();
    for _ in 0..calls {
        let mut request = client.get(url);
        if let Some(timeout) = timeout {
            request = request.timeout(timeout);
        }
        let response = request
            .header("authorization", "Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.token")
            .header("accept", "application/json")
            .send()
            .await
            .expect("sent");
        assert!(response.status().is_success());
        let body = response.bytes().await.expect("body");
        let user: User = serde_json::from_slice(&body).expect("json");
        std::hint::black_box(user);
    }
    started.elapsed() / calls as u32
}

async fn sdk(adapter: &RequestAdapter, calls: usize) -> Duration {
    let root = BaseRequestBuilder::new(adapter.clone());
    let started = Instant::now();
    for _ in 0..calls {
        let user: User = root
            .segment("users")
            .parameter("user-id", "87d349ed-44d7-43e1-9a83-5f2406dee5bd")
            .request::<Json<User>, serde_json::Value>(Method::GET)
            .await
            .expect("sent");
        std::hint::black_box(user);
    }
    started.elapsed() / calls as u32
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn main() {
    let quick = std::env::args().any(|arg| arg == "--quick");
    let (rounds, calls) = if quick { (5, 2_000) } else { (41, 2_000) };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let address = serve().await;
        let url = format!("http://{address}/v1.0/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd");
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        let adapter: RequestAdapter = RequestAdapter::builder()
            .base_url(format!("http://{address}/v1.0"))
            .auth(StaticTokenProvider::new("eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.token"))
            .build()
            .expect("adapter");
        let timeout = Some(msgraph_runtime::DEFAULT_TIMEOUT);
        // Warm up connections and allocators.
        bare(&client, &url, calls / 5, None).await;
        bare(&client, &url, calls / 5, timeout).await;
        sdk(&adapter, calls / 5).await;
        // `--only bare` / `--only sdk`: one kind of call only, for a profiler or an instruction counter
        // (`perf stat -e instructions -- … --only sdk`), which the machine's load does not disturb.
        let args: Vec<String> = std::env::args().collect();
        if let Some(only) = args.iter().position(|arg| arg == "--only").and_then(|i| args.get(i + 1)) {
            let per_call = match only.as_str() {
                "bare" => bare(&client, &url, rounds * calls, None).await,
                "bare-timeout" => bare(&client, &url, rounds * calls, timeout).await,
                _ => sdk(&adapter, rounds * calls).await,
            };
            println!("{only}: {:.2} µs per call over {} calls", per_call.as_secs_f64() * 1e6, rounds * calls);
            return;
        }
        // Short rounds, in alternating order, so that drift (other load on the machine) hits both alike;
        // the overhead is the median of each round's difference.
        let (mut plain, mut timed, mut ours) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..rounds {
            // Rotate the order each round.
            for kind in (0..3).map(|k| (k + round) % 3) {
                match kind {
                    0 => plain.push(bare(&client, &url, calls, None).await),
                    1 => timed.push(bare(&client, &url, calls, timeout).await),
                    _ => ours.push(sdk(&adapter, calls).await),
                }
            }
        }
        // The overhead against each kind of bare call: the median of each round's difference.
        let overhead = |bare: &[Duration]| {
            let mut differences: Vec<f64> =
                ours.iter().zip(bare).map(|(s, b)| s.as_secs_f64() - b.as_secs_f64()).collect();
            differences.sort_by(f64::total_cmp);
            let difference = differences[differences.len() / 2];
            (difference * 1e6, difference / median(bare.to_vec()).as_secs_f64() * 100.0)
        };
        let (vs_plain, vs_timed) = (overhead(&plain), overhead(&timed));
        println!("{rounds} rounds of {calls} sequential GETs on loopback (current-thread runtime), median per call:");
        println!("  bare reqwest:                 {:>7.2} µs", median(plain).as_secs_f64() * 1e6);
        println!("  bare reqwest, 100 s timeout:  {:>7.2} µs", median(timed).as_secs_f64() * 1e6);
        println!("  msgraph-runtime:              {:>7.2} µs", median(ours).as_secs_f64() * 1e6);
        println!("  overhead vs bare:             {:>7.2} µs ({:+.1}%)", vs_plain.0, vs_plain.1);
        println!("  overhead vs bare + timeout:   {:>7.2} µs ({:+.1}%)", vs_timed.0, vs_timed.1);
    });
}
