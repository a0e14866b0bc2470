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
