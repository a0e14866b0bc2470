//! The full-Graph crate, with only the `users` and `directory-objects` areas, used as a program would against a
//! loopback server: a filtered, selected and paged user list, a PATCH that clears a property, and a directory
//! object that is really a user.

use msgraph_sdk::models::{DirectoryObject, User};
use msgraph_sdk::{GraphServiceClient, Patch, StaticTokenProvider};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client(server: &MockServer) -> GraphServiceClient {
    GraphServiceClient::builder()
        .base_url(format!("{}/v1.0", server.uri()))
        .auth(StaticTokenProvider::new("token"))
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn list_users_with_select_and_filter_through_every_page() {
    let server = MockServer::start().await;
    let next = format!("{}/v1.0/users?$skiptoken=X", server.uri());
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(query_param("$select", "id,displayName,accountEnabled"))
        .and(query_param("$filter", "startswith(displayName,'A')"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users(id,displayName,accountEnabled)",
            "value": [{"id": "1", "displayName": "Adele Vance", "accountEnabled": true}],
            "@odata.nextLink": next
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(query_param("$skiptoken", "X"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "2", "displayName": "Alex Wilber", "accountEnabled": false}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server).await;

    let users: Vec<User> = client
        .users()
        .get()
        .select(["id", "displayName", "accountEnabled"])
        .filter("startswith(displayName,'A')")
        .collect_all()
        .await
        .expect("two pages");
    let names: Vec<_> = users.iter().map(|u| (u.id.as_deref(), u.display_name.as_deref(), u.account_enabled)).collect();
    assert_eq!(names, [(Some("1"), Some("Adele Vance"), Some(true)), (Some("2"), Some("Alex Wilber"), Some(false))]);
}

#[tokio::test]
async fn patch_a_user_clearing_one_property() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        // Path values are percent-encoded so they stay one segment (Graph decodes them).
        .and(path("/v1.0/users/adele%40contoso.com"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server).await;

    let update = User { job_title: Some("Product Manager".into()), ..Default::default() };
    client
        .users()
        .by_user_id("adele@contoso.com")
        .patch(&Patch::new(update).null("officeLocation"))
        .await
        .expect("204");
    let sent = server.received_requests().await.expect("recorded");
    let body: serde_json::Value = serde_json::from_slice(&sent[0].body).expect("json");
    assert_eq!(body, json!({"jobTitle": "Product Manager", "officeLocation": null}));
}

#[tokio::test]
async fn a_directory_object_that_is_a_user_reads_as_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/directoryObjects/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.type": "#microsoft.graph.user",
            "id": "1",
            "displayName": "Adele Vance",
            "userPrincipalName": "adele@contoso.com",
            "businessPhones": ["+1 425 555 0109"]
        })))
        .mount(&server)
        .await;
    let client = client(&server).await;

    let object: DirectoryObject = client.directory_objects().by_directory_object_id("1").get().await.expect("200");
    assert_eq!(object.odata_type().as_deref(), Some("#microsoft.graph.user"));
    let user: User = object.downcast().expect("a user");
    assert_eq!(user.user_principal_name.as_deref(), Some("adele@contoso.com"));
    assert_eq!(user.business_phones, Some(vec!["+1 425 555 0109".to_owned()]));

    // Or read it as a user directly.
    let user: User = client.directory_objects().by_directory_object_id("1").get().cast::<User>().await.expect("a user");
    assert_eq!(user.display_name.as_deref(), Some("Adele Vance"));
}
