//! Path parameters stay one segment on the wire; values that cannot are refused before sending.

mod common;

use common::{received, root, ODataError, TOKEN};
use msgraph_runtime::{BaseRequestBuilder, Error, Method, NoContent, RequestAdapter, StaticTokenProvider};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    server
}

#[tokio::test]
async fn parameters_are_percent_encoded_as_one_segment() {
    let server = server().await;
    for (id, expected) in [
        ("a/b?c#d", "/v1.0/users/a%2Fb%3Fc%23d/x"),
        ("first last@contoso.com", "/v1.0/users/first%20last%40contoso.com/x"),
        ("é", "/v1.0/users/%C3%A9/x"),
        ("%2e%2e", "/v1.0/users/%252e%252e/x"),
        ("..%2f", "/v1.0/users/..%252f/x"),
        ("...", "/v1.0/users/.../x"),
        ("a\\b", "/v1.0/users/a%5Cb/x"),
    ] {
        root(&server)
            .segment("users")
            .parameter("user-id", id)
            .segment("x")
            .request::<NoContent, ODataError>(Method::GET)
            .await
            .expect("sent");
        let requests = received(&server).await;
        let last = requests.last().expect("a request");
        assert_eq!(last.url.path(), expected, "for {id:?}");
        assert_eq!(last.url.query(), None, "for {id:?}");
    }
}

#[tokio::test]
async fn empty_and_dot_values_are_refused_before_sending() {
    let server = server().await;
    for id in ["..", ".", ""] {
        let request = root(&server)
            .segment("users")
            .parameter("user-id", id)
            .segment("x")
            .request::<NoContent, ODataError>(Method::POST);
        let built = request.build();
        assert!(matches!(&built, Err(Error::InvalidRequest(m)) if m.contains("user-id")), "{id:?}: {built:?}");
        let err = request.await.expect_err(id);
        assert!(matches!(&err, Error::InvalidRequest(_)), "{err:?}");
        assert!(err.to_string().contains("`user-id`"), "{err}");
        assert_eq!(err.status(), None);
        assert!(!err.is_transport());
    }
    assert!(received(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_trailing_slash_on_the_base_url_is_optional() {
    let server = server().await;
    for base in [format!("{}/v1.0", server.uri()), format!("{}/v1.0/", server.uri())] {
        let adapter = RequestAdapter::builder()
            .base_url(base.as_str())
            .auth(StaticTokenProvider::new(TOKEN))
            .build()
            .expect("builds");
        BaseRequestBuilder::new(adapter)
            .segment("me")
            .request::<NoContent, ODataError>(Method::GET)
            .await
            .expect("sent");
        let requests = received(&server).await;
        assert_eq!(requests.last().expect("a request").url.path(), "/v1.0/me", "base {base}");
    }
}

#[tokio::test]
async fn a_base_url_without_a_path_works() {
    let server = server().await;
    let adapter =
        RequestAdapter::builder().base_url(server.uri()).auth(StaticTokenProvider::new(TOKEN)).build().expect("builds");
    let builder = BaseRequestBuilder::new(adapter).segment("me").segment("microsoft.graph.delta()");
    assert_eq!(builder.path().to_string(), "/me/microsoft.graph.delta()");
    builder.request::<NoContent, ODataError>(Method::GET).await.expect("sent");
    let requests = received(&server).await;
    assert_eq!(requests[0].url.path(), "/me/microsoft.graph.delta()");
}
