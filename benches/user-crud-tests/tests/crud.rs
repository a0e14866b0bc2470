//! A user-CRUD program's calls against the full-Graph crate built with only the features such a program needs,
//! `users-core` and `users-manager` (not the whole `users` area): a filtered, selected and paged user list, a PATCH
//! that clears a property, and the manager read as a `User`. CI runs it after generating the crate:
//!   cargo test --manifest-path benches/user-crud-tests/Cargo.toml --target-dir target

use msgraph_sdk::models::User;
use msgraph_sdk::{GraphServiceClient, Property, StaticTokenProvider};
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
    let names: Vec<_> = users.iter().map(|u| (u.id.as_deref(), u.display_name.as_deref(), u.account_enabled.into_option())).collect();
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

    // Typed: `office_location` set to `Property::Null` is sent as `null`, which clears it; absent ones are left out.
    let update = User { job_title: "Product Manager".into(), office_location: Property::Null, ..Default::default() };
    client
        .users()
        .by_user_id("adele@contoso.com")
        .patch(&update)
        .await
        .expect("204");
    let sent = server.received_requests().await.expect("recorded");
    let body: serde_json::Value = serde_json::from_slice(&sent[0].body).expect("json");
    assert_eq!(body, json!({"jobTitle": "Product Manager", "officeLocation": null}));
}

/// The manager is declared as a directory object; it is a user, and `users-manager` compiles `User` (a type an
/// operation returns brings the types derived from it).
#[tokio::test]
async fn the_manager_reads_as_a_user() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/adele/manager"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directoryObjects/$entity",
            "@odata.type": "#microsoft.graph.user",
            "id": "2",
            "displayName": "Megan Bowen",
            "jobTitle": "Marketing Manager"
        })))
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server).await;

    let manager = client.users().by_user_id("adele").manager().get().await.expect("200");
    let manager: User = manager.downcast().expect("a user");
    assert_eq!(manager.job_title.as_deref(), Some("Marketing Manager"));
    let manager = client.users().by_user_id("adele").manager().get().cast::<User>().await.expect("a user");
    assert_eq!(manager.display_name.as_deref(), Some("Megan Bowen"));
}
