//! Helpers shared by the integration tests: an adapter pointed at a loopback mock server, a token
//! provider that records what it was asked, and a small OData error model.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use msgraph_runtime::{
    AccessToken, BaseRequestBuilder, BoxError, BoxFuture, RequestAdapter, StaticTokenProvider, TokenProvider,
    TokenRequest,
};
use wiremock::{MockServer, Request};

pub const TOKEN: &str = "eyJ0eXAiOiJKV1Qi.secret-token-value";

/// The error model a generated crate would pass as `E`.
#[derive(Debug, serde::Deserialize)]
pub struct ODataError {
    pub error: MainError,
}

/// `ODataError.error`.
#[derive(Debug, serde::Deserialize)]
pub struct MainError {
    pub code: String,
    pub message: String,
}

pub fn adapter(server: &MockServer) -> RequestAdapter {
    adapter_with(server, StaticTokenProvider::new(TOKEN))
}

pub fn adapter_with(server: &MockServer, provider: impl TokenProvider) -> RequestAdapter {
    RequestAdapter::builder()
        .base_url(format!("{}/v1.0", server.uri()))
        .auth(provider)
        .sdk_version("msgraph-sdk/0.1.0")
        .build()
        .expect("adapter builds")
}

pub fn root(server: &MockServer) -> BaseRequestBuilder {
    BaseRequestBuilder::new(adapter(server))
}

pub async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

pub fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

pub fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

/// A port nothing listens on (bound, then released).
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// A provider that returns [`TOKEN`] and records every request it is asked for.
#[derive(Clone, Default)]
pub struct Recording {
    pub asked: Arc<Mutex<Vec<TokenRequest>>>,
}

impl Recording {
    pub fn asked(&self) -> Vec<TokenRequest> {
        self.asked.lock().expect("not poisoned").clone()
    }
}

impl TokenProvider for Recording {
    fn access_token<'a>(&'a self, request: &'a TokenRequest) -> BoxFuture<'a, Result<AccessToken, BoxError>> {
        self.asked.lock().expect("not poisoned").push(request.clone());
        Box::pin(async { Ok(AccessToken::new(TOKEN)) })
    }
}

/// A provider that always fails.
pub struct Failing;

impl TokenProvider for Failing {
    fn access_token<'a>(&'a self, _: &'a TokenRequest) -> BoxFuture<'a, Result<AccessToken, BoxError>> {
        Box::pin(async { Err("the credential has expired".into()) })
    }
}

/// A small HTTP/1.1 server on loopback for what wiremock cannot do (hang, trickle, stream gigabytes,
/// drop connections): `serve` is called with each accepted connection and its index (0, 1, …).
pub async fn raw_server<F, Fut>(serve: F) -> std::net::SocketAddr
where
    F: Fn(tokio::net::TcpStream, usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let mut index = 0;
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream, index));
            index += 1;
        }
    });
    address
}

/// Reads one request (head and a `Content-Length` body) from `stream`: its head as text and its body;
/// `None` when the connection closes first.
pub async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<(String, Vec<u8>)> {
    use tokio::io::AsyncReadExt;
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length").then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = buffer[head_end..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Some((head, body))
}

/// The value of header `name` in a request head from [`read_request`].
pub fn head_header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

/// An adapter for `http://{address}/v1.0`, built by `configure` from the usual test settings.
pub fn adapter_at(
    address: std::net::SocketAddr,
    configure: impl FnOnce(msgraph_runtime::ClientBuilder) -> msgraph_runtime::ClientBuilder,
) -> RequestAdapter {
    configure(
        RequestAdapter::builder().base_url(format!("http://{address}/v1.0")).auth(StaticTokenProvider::new(TOKEN)),
    )
    .build()
    .expect("adapter builds")
}
