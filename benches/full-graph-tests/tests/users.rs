//! The full-Graph crate, with a few features of the `users` and `directory-objects` areas (not the whole areas),
//! used as a program would against a loopback server: a directory object that is really a user, and a delta round.
//! The user-CRUD calls are in `benches/user-crud-tests`, built with only the features they need.

use msgraph_sdk::models::{DirectoryObject, User};
use msgraph_sdk::{GraphServiceClient, Property, StaticTokenProvider};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client(server: &MockServer) -> GraphServiceClient {
    GraphServiceClient::builder()
        .base_url(format!("{}/v1.0", server.uri()))
        .auth(StaticTokenProvider::new("token"))
        .build()
        .expect("client builds")
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
