//! Following `@odata.nextLink` over real HTTP on loopback: every page goes through the same adapter
//! with the same per-request headers, the token only where the adapter's rules allow, and a service
//! that repeats a link or answers with an error ends the iteration.

mod common;

use common::{adapter_with, bearer, header, received, ODataError, Recording, TOKEN};
use msgraph_runtime::{
    BaseRequestBuilder, ClientBuilder, Error, Json, Method, NationalCloud, Page, Pages, Request, RequestAdapter,
    RetryPolicy,
};
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A user, as far as these tests care.
#[derive(Debug, serde::Deserialize)]
struct User {
    id: String,
}

/// A collection page as the generated `UserCollectionResponse` has it.
#[derive(Debug, serde::Deserialize)]
struct UserCollectionResponse {
    value: Option<Vec<User>>,
    #[serde(rename = "@odata.nextLink")]
    odata_next_link: Option<String>,
}

impl Page for UserCollectionResponse {
    type Item = User;

    fn into_parts(self) -> (Vec<User>, Option<String>) {
        (self.value.unwrap_or_default(), self.odata_next_link)
    }
}

type UsersRequest = Request<Json<UserCollectionResponse>, ODataError>;

/// A `200` page with these user ids and, if given, this `@odata.nextLink`.
fn page(ids: &[&str], next_link: Option<String>) -> ResponseTemplate {
    let value: Vec<_> = ids.iter().map(|id| json!({ "id": id })).collect();
    let mut body = json!({ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "value": value });
    if let Some(link) = next_link {
        body["@odata.nextLink"] = json!(link);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

/// `{server}/v1.0/users?$skiptoken={token}`: an absolute link as Graph writes them.
fn link(server: &MockServer, token: &str) -> String {
    format!("{}/v1.0/users?$skiptoken={token}", server.uri())
}

/// Answers `GET /v1.0/users?$skiptoken={token}` on `server` with `response`.
async fn serve_token(server: &MockServer, token: &str, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(query_param("$skiptoken", token))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

/// Answers the first `GET /v1.0/users` (no `$skiptoken`) on `server` with `response`.
async fn serve_first(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(query_param_is_missing("$skiptoken"))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

/// A server with three linked pages: `a b`, then `c`, then `d`.
async fn three_pages() -> MockServer {
    let server = MockServer::start().await;
    serve_first(&server, page(&["a", "b"], Some(link(&server, "p2")))).await;
    serve_token(&server, "p2", page(&["c"], Some(link(&server, "p3")))).await;
    serve_token(&server, "p3", page(&["d"], None)).await;
    server
}

fn users(adapter: RequestAdapter) -> UsersRequest {
    BaseRequestBuilder::new(adapter).segment("users").request(Method::GET)
}

fn ids(users: &[User]) -> Vec<&str> {
    users.iter().map(|user| user.id.as_str()).collect()
}

#[tokio::test]
async fn three_pages_are_followed_with_the_same_headers_and_their_own_query() {
    let server = three_pages().await;
    let provider = Recording::default();
    let mut pages = users(adapter_with(&server, provider.clone()))
        .select(["id", "displayName"])
        .filter("startswith(displayName,'A')")
        .top(2)
        .count(true)
        .consistency_level_eventual()
        .header("Prefer", "odata.maxpagesize=2")
        .header("client-request-id", "11111111-2222-3333-4444-555555555555")
        .pages();

    let mut seen = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.expect("every page arrives");
        seen.push(ids(&page).join(" "));
    }
    assert_eq!(seen, ["a b", "c", "d"]);
    assert!(pages.next().await.is_none(), "still the end");

    let requests = received(&server).await;
    let queries: Vec<&str> = requests.iter().map(|r| r.url.query().unwrap_or_default()).collect();
    assert_eq!(
        queries,
        [
            "$select=id,displayName&$filter=startswith%28displayName%2C%27A%27%29&$top=2&$count=true",
            "$skiptoken=p2",
            "$skiptoken=p3",
        ],
        "the options go with the first request only; each link carries its own query"
    );
    let request_ids: Vec<&str> = requests.iter().filter_map(|r| header(r, "client-request-id")).collect();
    assert_eq!(request_ids.len(), 3);
    assert_eq!(request_ids[0], "11111111-2222-3333-4444-555555555555");
    assert!(request_ids[1] != request_ids[0] && request_ids[2] != request_ids[1], "{request_ids:?}");
    for request in &requests {
        assert_eq!(request.method.as_str(), "GET");
        assert_eq!(request.url.path(), "/v1.0/users");
        assert_eq!(header(request, "consistencylevel"), Some("eventual"));
        assert_eq!(header(request, "prefer"), Some("odata.maxpagesize=2"));
        assert_eq!(header(request, "authorization"), Some(bearer().as_str()));
        assert_eq!(header(request, "accept"), Some("application/json"));
    }
    let asked: Vec<String> = provider.asked().iter().map(|asked| asked.url.to_string()).collect();
    assert_eq!(asked.len(), 3, "a token per page, as for any request");
    assert_eq!(asked[1], link(&server, "p2"));
}

#[tokio::test]
async fn collect_all_returns_every_item_in_order_from_a_spawned_task() {
    let server = three_pages().await;
    let request = users(adapter_with(&server, Recording::default())).top(2);
    let all = tokio::spawn(request.collect_all()).await.expect("the task ran").expect("every page arrives");
    assert_eq!(ids(&all), ["a", "b", "c", "d"]);

    let second = three_pages().await;
    let pages: Pages<UserCollectionResponse, ODataError> = users(adapter_with(&second, Recording::default())).pages();
    let all = tokio::spawn(pages.collect_all()).await.expect("the task ran").expect("every page arrives");
    assert_eq!(ids(&all), ["a", "b", "c", "d"]);
}

#[tokio::test]
async fn an_error_on_page_two_surfaces_and_ends_the_iteration() {
    let server = MockServer::start().await;
    serve_first(&server, page(&["a"], Some(link(&server, "p2")))).await;
    let error = json!({"error": {"code": "serviceNotAvailable", "message": "Try later."}});
    serve_token(&server, "p2", ResponseTemplate::new(503).set_body_json(error)).await;
    Mock::given(query_param("$skiptoken", "p3")).respond_with(page(&["never"], None)).expect(0).mount(&server).await;
    // A 503 is retried by default; the request's own policy goes with every page.
    let mut pages = users(adapter_with(&server, Recording::default())).retry(RetryPolicy::none()).pages();

    assert_eq!(ids(&pages.next().await.expect("a page").expect("page one")), ["a"]);
    let err = pages.next().await.expect("a result").expect_err("page two fails");
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.odata_error().map(|e| e.error.code.as_str()), Some("serviceNotAvailable"));
    assert!(pages.next().await.is_none());
    assert!(pages.next().await.is_none());
    assert_eq!(received(&server).await.len(), 2, "nothing after the error");

    let again = MockServer::start().await;
    serve_first(&again, page(&["a"], Some(link(&again, "p2")))).await;
    serve_token(&again, "p2", ResponseTemplate::new(500)).await;
    let err = users(adapter_with(&again, Recording::default())).collect_all().await.expect_err("page two fails");
    assert_eq!(err.status(), Some(500));
}

#[tokio::test]
async fn a_link_to_another_origin_is_followed_without_the_token() {
    let home = MockServer::start().await;
    let other = MockServer::start().await;
    serve_first(&home, page(&["a"], Some(link(&other, "p2")))).await;
    serve_token(&other, "p2", page(&["b"], None)).await;
    let provider = Recording::default();

    let all = users(adapter_with(&home, provider.clone()))
        .consistency_level_eventual()
        .collect_all()
        .await
        .expect("both pages");

    assert_eq!(ids(&all), ["a", "b"]);
    assert_eq!(header(&received(&home).await[0], "authorization"), Some(bearer().as_str()));
    let landed = received(&other).await;
    assert_eq!(landed.len(), 1);
    assert_eq!(header(&landed[0], "authorization"), None, "the token leaked to another origin");
    assert_eq!(header(&landed[0], "consistencylevel"), Some("eventual"));
    assert_eq!(provider.asked().len(), 1, "no token was even requested for the other origin");
}

#[tokio::test]
async fn an_explicit_authorization_header_follows_the_same_rule_on_every_page() {
    let home = MockServer::start().await;
    let other = MockServer::start().await;
    serve_first(&home, page(&["a"], Some(link(&home, "p2")))).await;
    serve_token(&home, "p2", page(&["b"], Some(link(&other, "p3")))).await;
    serve_token(&other, "p3", page(&["c"], None)).await;
    let provider = Recording::default();

    let mut pages = users(adapter_with(&home, provider.clone())).header("Authorization", "Bearer delegated").pages();
    let shown = format!("{pages:?}");
    assert!(!shown.contains("delegated") && !shown.contains(TOKEN), "{shown}");
    let mut all = Vec::new();
    while let Some(page) = pages.next().await {
        all.extend(page.expect("a page"));
    }

    assert_eq!(ids(&all), ["a", "b", "c"]);
    for request in received(&home).await {
        assert_eq!(header(&request, "authorization"), Some("Bearer delegated"));
    }
    assert_eq!(header(&received(&other).await[0], "authorization"), None);
    assert!(provider.asked().is_empty(), "the explicit header replaces the provider");
    let shown = format!("{pages:?}");
    assert!(!shown.contains("delegated") && !shown.contains(TOKEN), "{shown}");
}

#[tokio::test]
async fn a_repeated_link_stops_with_an_error() {
    let server = MockServer::start().await;
    serve_first(&server, page(&["a"], Some(link(&server, "p2")))).await;
    serve_token(&server, "p2", page(&["b"], Some(link(&server, "p2")))).await;
    let mut pages = users(adapter_with(&server, Recording::default())).pages();

    assert_eq!(ids(&pages.next().await.expect("a page").expect("page one")), ["a"]);
    assert_eq!(ids(&pages.next().await.expect("a page").expect("page two, items kept")), ["b"]);
    let err = pages.next().await.expect("a result").expect_err("the link repeats");
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("already requested")), "{err:?}");
    assert!(!err.to_string().contains("skiptoken"), "{err}");
    assert!(pages.next().await.is_none());
    assert_eq!(received(&server).await.len(), 2, "the repeated page is not requested again");

    // A link back to the first request is a loop too.
    let back = MockServer::start().await;
    serve_first(&back, page(&["a"], Some(format!("{}/v1.0/users", back.uri())))).await;
    let err = users(adapter_with(&back, Recording::default())).collect_all().await.expect_err("loops");
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("already requested")), "{err:?}");
}

#[tokio::test]
async fn a_relative_or_non_http_link_is_an_invalid_request() {
    for next_link in ["/v1.0/users?$skiptoken=p2", "users?$skiptoken=p2", "ftp://127.0.0.1/users"] {
        let server = MockServer::start().await;
        serve_first(&server, page(&["a"], Some(next_link.to_owned()))).await;
        let mut pages = users(adapter_with(&server, Recording::default())).pages();

        assert_eq!(ids(&pages.next().await.expect("a page").expect("page one")), ["a"], "{next_link}");
        let err = pages.next().await.expect("a result").expect_err("unusable link");
        assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("@odata.nextLink")), "{err:?}");
        assert!(pages.next().await.is_none());
        assert_eq!(received(&server).await.len(), 1);
    }
}

#[tokio::test]
async fn a_collection_from_a_post_is_paged_with_get() {
    let server = MockServer::start().await;
    let next_link = format!("{}/v1.0/directoryObjects/getByIds?$skiptoken=p2", server.uri());
    Mock::given(method("POST"))
        .and(path("/v1.0/directoryObjects/getByIds"))
        .respond_with(page(&["a"], Some(next_link)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/directoryObjects/getByIds"))
        .and(query_param("$skiptoken", "p2"))
        .respond_with(page(&["b"], None))
        .expect(1)
        .mount(&server)
        .await;

    let all = BaseRequestBuilder::new(adapter_with(&server, Recording::default()))
        .segment("directoryObjects")
        .segment("getByIds")
        .request::<Json<UserCollectionResponse>, ODataError>(Method::POST)
        .json_body(&json!({"ids": ["a", "b"]}))
        .collect_all()
        .await
        .expect("both pages");

    assert_eq!(ids(&all), ["a", "b"]);
    let requests = received(&server).await;
    assert_eq!(header(&requests[0], "content-type"), Some("application/json"));
    assert_eq!(requests[1].method.as_str(), "GET");
    assert!(requests[1].body.is_empty());
    assert_eq!(header(&requests[1], "content-type"), None);
}

#[tokio::test]
async fn an_operation_missing_from_the_cloud_sends_no_page() {
    let server = MockServer::start().await;
    let provider = Recording::default();
    let adapter: RequestAdapter = ClientBuilder::<RequestAdapter, ODataError>::new()
        .base_url(format!("{}/v1.0", server.uri()))
        .cloud(NationalCloud::China)
        .auth(provider.clone())
        .build()
        .expect("adapter builds");
    let mut pages = users(adapter).available_in("GET /users", &[NationalCloud::Global]).pages();

    let err = pages.next().await.expect("a result").expect_err("not in China");
    assert!(err.is_not_available_in_cloud(), "{err:?}");
    assert!(pages.next().await.is_none());
    assert!(received(&server).await.is_empty());
    assert!(provider.asked().is_empty());
}

/// Answers every page with one user and a link to a page never seen before: an endless chain.
struct Endless(String);

impl wiremock::Respond for Endless {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let n: u64 = request
            .url
            .query_pairs()
            .find(|(name, _)| name == "$skiptoken")
            .and_then(|(_, value)| value.parse().ok())
            .unwrap_or(0);
        page(&[&format!("u{n}")], Some(format!("{}/v1.0/users?$skiptoken={}", self.0, n + 1)))
    }
}

#[tokio::test]
async fn an_endless_chain_of_links_stops_at_the_page_limit() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(Endless(server.uri())).mount(&server).await;
    let err = users(adapter_with(&server, Recording::default()))
        .pages()
        .max_pages(50)
        .collect_all()
        .await
        .expect_err("endless");
    assert!(matches!(err, Error::LimitExceeded { what: "pages", limit: 50 }), "{err:?}");
    assert_eq!(err.to_string(), "stopped after 50 pages: the limit of pages to collect was reached");
    assert_eq!(received(&server).await.len(), 50, "the 51st page is not requested");

    let err = users(adapter_with(&server, Recording::default()))
        .pages()
        .max_items(10)
        .collect_all()
        .await
        .expect_err("endless");
    assert!(matches!(err, Error::LimitExceeded { what: "items", limit: 10 }), "{err:?}");
    assert_eq!(received(&server).await.len(), 50 + 11);

    let mut pages = users(adapter_with(&server, Recording::default())).pages().max_pages(2);
    assert!(pages.next().await.expect("one").is_ok());
    assert!(pages.next().await.expect("two").is_ok());
    let third = pages.next().await.expect("an error");
    assert!(matches!(third, Err(Error::LimitExceeded { what: "pages", .. })), "{third:?}");
    assert!(pages.next().await.is_none());
}

#[tokio::test]
async fn odata_count_is_read_from_the_page() {
    let server = MockServer::start().await;
    let first = json!({"@odata.count": 3, "value": [{"id": "a"}, {"id": "b"}], "@odata.nextLink": link(&server, "p2")});
    serve_first(&server, ResponseTemplate::new(200).set_body_json(first)).await;
    serve_token(&server, "p2", page(&["c"], None)).await;
    let mut pages = users(adapter_with(&server, Recording::default())).count(true).consistency_level_eventual().pages();
    let one = pages.next_page().await.expect("a page").expect("page one");
    assert_eq!(one.count, Some(3));
    assert_eq!(one.next_link.as_deref(), Some(link(&server, "p2").as_str()));
    assert_eq!(ids(&one.items), ["a", "b"]);
    let two = pages.next_page().await.expect("a page").expect("page two");
    assert_eq!((two.count, two.next_link, ids(&two.items)), (None, None, vec!["c"]));
    assert_eq!(pages.count(), Some(3), "the count stays known");
    assert!(pages.next_page().await.is_none());
    let requests = received(&server).await;
    assert_eq!(requests[0].url.query(), Some("$count=true"));
}

#[tokio::test]
async fn a_delta_round_returns_the_delta_link_and_resumes_from_it() {
    let server = MockServer::start().await;
    let delta_path = "/v1.0/users/delta";
    let round_one_next = format!("{}{delta_path}?$skiptoken=r1p2", server.uri());
    let round_one_delta = format!("{}{delta_path}?$deltatoken=d1", server.uri());
    let round_two_delta = format!("{}{delta_path}?$deltatoken=d2", server.uri());
    Mock::given(method("GET"))
        .and(path(delta_path))
        .and(query_param_is_missing("$skiptoken"))
        .and(query_param_is_missing("$deltatoken"))
        .respond_with(page(&["a", "b"], Some(round_one_next)))
        .expect(1)
        .mount(&server)
        .await;
    let last = json!({"value": [{"id": "c"}], "@odata.deltaLink": round_one_delta});
    Mock::given(query_param("$skiptoken", "r1p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(last))
        .expect(1)
        .mount(&server)
        .await;
    let changes = json!({"value": [{"id": "b"}], "@odata.deltaLink": round_two_delta});
    Mock::given(query_param("$deltatoken", "d1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(changes))
        .expect(1)
        .mount(&server)
        .await;

    let delta = || -> UsersRequest {
        BaseRequestBuilder::new(adapter_with(&server, Recording::default()))
            .segment("users")
            .segment("delta")
            .request(Method::GET)
            .select(["id"])
            .header("Prefer", "odata.maxpagesize=2")
    };
    let round = delta().collect_delta().await.expect("round one");
    assert_eq!(ids(&round.items), ["a", "b", "c"]);
    assert_eq!(round.delta_link, round_one_delta);

    // Stored, then resumed later: only the changes, and the next link to store.
    let stored = round.delta_link;
    let round = delta().resume_from(&stored).collect_delta().await.expect("round two");
    assert_eq!(ids(&round.items), ["b"]);
    assert_eq!(round.delta_link, round_two_delta);

    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[2].url.query(), Some("$deltatoken=d1"), "the stored link as it is, no $select added");
    assert_eq!(header(&requests[2], "prefer"), Some("odata.maxpagesize=2"), "the request's headers go along");
    assert_eq!(header(&requests[2], "authorization"), Some(bearer().as_str()));

    let err = delta().resume_from("not a link?$deltatoken=secret").collect_delta().await.expect_err("bad link");
    assert!(matches!(&err, Error::InvalidRequest(m) if !m.contains("secret")), "{err:?}");
}

#[tokio::test]
async fn a_round_without_a_delta_link_is_an_error() {
    let server = three_pages().await;
    let err = users(adapter_with(&server, Recording::default())).collect_delta().await.expect_err("no delta link");
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("no @odata.deltaLink")), "{err:?}");
}
