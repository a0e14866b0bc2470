//! The full-Graph crate, with only the features a user-CRUD program needs (`users-core`, `users-manager`,
//! `users-delta`, `directory-objects-core`; not the whole `users` area), used as a program would against a loopback
//! server: a filtered, selected and paged user list, a PATCH that clears a property, the manager as a user, a
//! directory object that is really a user, and a delta round.

use msgraph_sdk::models::{DirectoryObject, User};
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
    assert_eq!(user.business_phones.as_deref(), Some(&["+1 425 555 0109".to_owned()][..]));

    // Or read it as a user directly.
    let user: User = client.directory_objects().by_directory_object_id("1").get().cast::<User>().await.expect("a user");
    assert_eq!(user.display_name.as_deref(), Some("Adele Vance"));
}

/// A delta round as a sync would run it: an explicit `null` means the property was cleared and stays `Null` (not
/// absent); a value Graph sends that does not fit the metadata is kept with its reason instead of failing the
/// page; the delta link is there to resume from.
#[tokio::test]
async fn a_delta_round_keeps_clears_and_odd_values() {
    let server = MockServer::start().await;
    let delta_link = format!("{}/v1.0/users/delta()?$deltatoken=next", server.uri());
    Mock::given(method("GET"))
        .and(path("/v1.0/users/delta()"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
            "value": [
                {"id": "1", "displayName": "Adele Vance", "officeLocation": null},
                {"id": "2", "mailboxSettings": {"userPurpose": {"value": "user"}, "timeZone": "UTC"}},
                {"id": "3", "@removed": {"reason": "changed"}}
            ],
            "@odata.deltaLink": delta_link
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server).await;

    let round = client.users().delta().get().collect_delta().await.expect("one round");
    assert_eq!(round.delta_link, delta_link);
    let [cleared, odd, removed] = &round.items[..] else { panic!("three users: {:?}", round.items) };
    assert_eq!(cleared.office_location, Property::Null, "cleared, not absent");
    assert!(cleared.mobile_phone.is_absent(), "not in this round");
    let settings = odd.mailbox_settings.as_ref().expect("mailbox settings read");
    assert_eq!(settings.time_zone.as_deref(), Some("UTC"));
    assert!(settings.user_purpose.is_absent());
    assert_eq!(settings.additional_data.misfits()[0].name, "userPurpose");
    assert_eq!(settings.additional_data["userPurpose"], json!({"value": "user"}));
    assert_eq!(removed.additional_data["@removed"], json!({"reason": "changed"}));
    // Written back as read: the null, the odd value and the annotation are all there.
    assert_eq!(serde_json::to_value(odd).unwrap()["mailboxSettings"]["userPurpose"], json!({"value": "user"}));
    assert_eq!(serde_json::to_value(cleared).unwrap(), json!({"id": "1", "displayName": "Adele Vance", "officeLocation": null}));
}

/// The manager is declared as a directory object; it is a user, and `users-manager` alone compiles `User` (a type an
/// operation returns brings the types derived from it). A user's `manager` expanded in a list is kept in
/// `additional_data` when `User` has no `manager` field in this build, or read into it when it has.
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

/// The README's delta loop ("Reading without loss"), compiled here against the all-of-Graph crate.
#[allow(dead_code)]
async fn the_readmes_delta_loop(client: &GraphServiceClient, store: impl Fn(String)) -> Result<(), msgraph_sdk::Error> {
    let round = client.users().delta().get().collect_delta().await?;
    for user in &round.items {
        match &user.office_location {
            Property::Value(office) => println!("{:?} moved to {office}", user.id),
            Property::Null => println!("{:?} has no office any more", user.id),
            Property::Absent => {} // unchanged in this round
        }
        if let Some(removed) = user.additional_data.get("@removed") {
            println!("{:?} was removed: {removed}", user.id);
        }
        for misfit in user.additional_data.misfits() {
            eprintln!("{}: kept as {} ({})", misfit.name, user.additional_data[&misfit.name], misfit.reason);
        }
    }
    store(round.delta_link);
    Ok(())
}
