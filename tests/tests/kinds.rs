//! The constructs all of Graph uses beyond plain objects, generated from `tests/fixtures/specs/kinds.yaml` and used
//! against a loopback server: inheritance, enums that tolerate new values, flags, `$count`, `$value`, OData
//! function calls and alternate keys.

use fixture_kinds::models::{Channels, Entity, Party, PartyKind, Person};
use fixture_kinds::{DowncastError, Flags, KindsClient, ODataType, Property, StaticTokenProvider};
use serde_json::json;
use wiremock::matchers::{body_bytes, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> KindsClient {
    KindsClient::builder()
        .base_url(format!("{}/v1", server.uri()))
        .auth(StaticTokenProvider::new("t"))
        .build()
        .expect("client builds")
}

#[test]
fn a_derived_type_has_its_bases_fields_and_enums_keep_unknown_values() {
    let input = json!({
        "id": "p1",
        "displayName": "Ada",
        "kind": "cooperative",
        "channels": "email,push",
        "birthday": "1815-12-10",
        "@odata.type": "#fixture.person"
    });
    let person: Person = serde_json::from_value(input.clone()).expect("deserialises");
    // `id` comes from `entity`, `kind` from `party`, `channels` and `birthday` from `person` itself.
    assert_eq!(person.id.as_deref(), Some("p1"));
    assert_eq!(person.kind, Property::Value(PartyKind::Other("cooperative".into())));
    assert_eq!(person.channels, Property::Value(Flags(vec![Channels::Email, Channels::Push])));
    assert_eq!(person.additional_data["@odata.type"], "#fixture.person");
    assert_eq!(serde_json::to_value(&person).expect("serialises"), input);

    assert_eq!(PartyKind::from("-INF"), PartyKind::MinusInf);
    assert_eq!(PartyKind::UnknownFutureValue.to_string(), "unknownFutureValue");
    let set = Person { kind: PartyKind::Organization.into(), ..Default::default() };
    assert_eq!(serde_json::to_value(&set).expect("serialises"), json!({"kind": "organization"}));
}

#[tokio::test]
async fn count_value_calls_and_alternate_keys() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/people/$count"))
        .and(header("accept", "text/plain"))
        .respond_with(ResponseTemplate::new(200).set_body_string("42"))
        .mount(&server)
        .await;
    let photo = vec![0x89, b'P', b'N', b'G', 0, 255];
    Mock::given(method("GET"))
        .and(path("/v1/people/p1/photo/$value"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(photo.clone()))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/v1/people/p1/photo/$value"))
        .and(header("content-type", "application/octet-stream"))
        .and(body_bytes(photo.clone()))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        // The value is an OData string literal (quote doubled), percent-encoded so that it stays one segment.
        .and(path("/v1/people(email='o%27%27hara%40example.com')"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "p2", "displayName": "O'Hara"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/people/p1/fixture.activities(since='2026-01-01',top=5)"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": ["sailed"]})))
        .mount(&server)
        .await;
    let client = client(&server);

    assert_eq!(client.people().count().get().await.expect("count"), 42);
    assert_eq!(client.people().by_person_id("p1").photo().value().get().await.expect("bytes"), photo);
    client.people().by_person_id("p1").photo().value().put(photo.clone()).await.expect("uploaded");
    let by_email = client.people_with_email("o'hara@example.com").get().await.expect("alternate key");
    assert_eq!(by_email.display_name.as_deref(), Some("O'Hara"));
    let activities = client.people().by_person_id("p1").activities_with_since_with_top("2026-01-01", 5);
    let url = activities.get().build().expect("builds").url;
    assert!(url.path().ends_with("/people/p1/fixture.activities(since='2026-01-01',top=5)"), "{url}");
    let page = activities.get().await.expect("function result");
    assert_eq!(page.value, Property::Value(vec!["sailed".to_owned()]));
}

#[tokio::test]
async fn a_base_typed_response_that_is_a_derived_type_reads_as_one() {
    let server = MockServer::start().await;
    let ada = json!({"@odata.type": "#fixture.person", "id": "p1", "displayName": "Ada", "kind": "individual", "channels": "push"});
    Mock::given(method("GET"))
        .and(path("/v1/objects/p1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&ada))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/objects/o1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"@odata.type": "#fixture.party", "id": "o1"})))
        .mount(&server)
        .await;
    let client = client(&server);

    let object: Entity = client.objects().by_entity_id("p1").get().await.expect("an entity");
    assert_eq!(object.odata_type().as_deref(), Some(Person::ODATA_TYPE));
    let person: Person = object.downcast().expect("really a person");
    assert_eq!(person.display_name.as_deref(), Some("Ada"));
    assert_eq!(person.channels, Property::Value(Flags(vec![Channels::Push])));
    // A person is a party too (through two levels of inheritance), with nothing lost on the way.
    let party: Party = object.downcast().expect("a person is a party");
    assert_eq!(party.kind, Property::Value(PartyKind::Individual));
    assert_eq!(serde_json::to_value(party.downcast::<Person>().expect("and back")).expect("json"), ada);

    let organization: Entity = client.objects().by_entity_id("o1").get().await.expect("an entity");
    match organization.downcast::<Person>() {
        Err(DowncastError::OtherType { actual, wanted }) => {
            assert_eq!((actual.as_deref(), wanted), (Some("#fixture.party"), "#fixture.person"));
        }
        other => panic!("a party is not a person: {other:?}"),
    }
    assert!(organization.downcast::<Party>().is_ok());

    // Or read the answer as the derived type directly; its `@odata.type` is checked.
    let person: Person = client.objects().by_entity_id("p1").get().cast::<Person>().await.expect("a person");
    assert_eq!(person.kind, Property::Value(PartyKind::Individual));
    let error = client.objects().by_entity_id("o1").get().cast::<Person>().await.expect_err("a party");
    assert_eq!(error.status(), Some(200));
    let reason = std::error::Error::source(&error).map(ToString::to_string);
    assert_eq!(reason.as_deref(), Some("the value is a `#fixture.party`, not a `#fixture.person`"));
}

#[test]
fn edm_primitives_use_their_wire_formats() {
    use fixture_kinds::runtime::{Base64, DateTimeOffset, Double, Duration, Guid, TimeOfDay};
    let input = json!({
        "lastSeen": "2026-11-27T10:00:00.1234567Z",
        "wakesAt": "07:30:00",
        "focusTime": "PT1H30M",
        "tenantId": "fa8bf3dc-eca7-46b7-bad1-db199b62afc3",
        "photo": "iVBORw0KGgo=",
        "score": "NaN",
        "visits": 9_007_199_254_740_993_i64,
        "birthday": "1815-12-10"
    });
    let person: Person = serde_json::from_value(input).expect("deserialises");
    let seen: DateTimeOffset = person.last_seen.into_option().expect("lastSeen");
    assert_eq!((seen.year(), seen.nanosecond()), (2026, 123_456_700));
    assert_eq!(person.wakes_at, Property::Value("07:30:00".parse::<TimeOfDay>().expect("time")));
    let focus: Duration = person.focus_time.into_option().expect("focusTime");
    assert_eq!(focus.to_std(), Some(std::time::Duration::from_secs(90 * 60)));
    assert_eq!(person.tenant_id.map(|g: Guid| g.to_string()).as_deref(), Some("fa8bf3dc-eca7-46b7-bad1-db199b62afc3"));
    assert_eq!(person.photo.as_ref().map(|b: &Base64| &b[..4]), Some(&[0x89, b'P', b'N', b'G'][..]));
    assert!(person.score.as_ref().is_some_and(|s: &Double| s.is_nan()));
    assert_eq!(person.visits, Property::Value(9_007_199_254_740_993));
    let written = serde_json::to_value(&person).expect("serialises");
    assert_eq!(written["score"], "NaN");
    assert_eq!(written["focusTime"], "PT1H30M");
    assert_eq!(written["birthday"], "1815-12-10");
}

#[tokio::test]
async fn query_options_and_every_page_of_a_collection() {
    use wiremock::matchers::query_param;
    let server = MockServer::start().await;
    let next = format!("{}/v1/people?$skiptoken=page2", server.uri());
    Mock::given(method("GET"))
        .and(path("/v1/people"))
        .and(query_param("$select", "id,displayName"))
        .and(query_param("$filter", "startswith(displayName,'A')"))
        .and(query_param("$top", "1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": "p1"}], "@odata.nextLink": next})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/people"))
        .and(query_param("$skiptoken", "page2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": "p2"}]})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);

    let everyone = client
        .people()
        .get()
        .select(["id", "displayName"])
        .filter("startswith(displayName,'A')")
        .top(1)
        .collect_all()
        .await
        .expect("two pages");
    let ids: Vec<_> = everyone.iter().map(|p| p.id.as_deref()).collect();
    assert_eq!(ids, [Some("p1"), Some("p2")]);
}

/// A page whose second item has a value that does not fit (a birthday that is not a date) and explicit nulls: the
/// call succeeds, the odd value is kept with its reason, nulls stay nulls, and the page is written back as read.
/// Asked strictly, the same page is an error naming the property.
#[tokio::test]
async fn one_odd_value_never_sinks_a_page_and_nulls_stay_nulls() {
    let server = MockServer::start().await;
    let body = json!({"value": [
        {"id": "p1", "displayName": "Ada", "birthday": "1815-12-10"},
        {"id": "p2", "displayName": null, "birthday": "not a date", "kind": "INDIVIDUAL", "visits": null}
    ]});
    Mock::given(method("GET"))
        .and(path("/v1/people"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body.clone()))
        .mount(&server)
        .await;
    let client = client(&server);

    let people = client.people().get().collect_all().await.expect("the page reads");
    assert_eq!(people.len(), 2);
    let odd = &people[1];
    assert_eq!(odd.display_name, Property::Null);
    assert_eq!(odd.visits, Property::Null);
    assert!(odd.birthday.is_absent());
    assert_eq!(odd.kind.as_ref(), Some(&PartyKind::Individual), "enum members are read case-insensitively");
    let misfits = odd.additional_data.misfits();
    assert_eq!(misfits.len(), 1);
    assert_eq!(misfits[0].name, "birthday");
    assert!(misfits[0].reason.contains("date"), "{}", misfits[0].reason);
    assert_eq!(odd.additional_data["birthday"], "not a date");
    let mut written = serde_json::to_value(&people).expect("written back");
    // The one normalisation on the way back: an enum member is written as the description spells it.
    assert_eq!(written[1]["kind"], "individual");
    written[1]["kind"] = "INDIVIDUAL".into();
    assert_eq!(written, body["value"]);

    let strict = client.people().get().strict().collect_all().await.expect_err("strict reading fails");
    let reason = std::error::Error::source(&strict).map(ToString::to_string).unwrap_or_default();
    assert!(reason.contains("birthday"), "{strict}: {reason}");
    let strict_client = KindsClient::builder()
        .base_url(format!("{}/v1", server.uri()))
        .auth(StaticTokenProvider::new("t"))
        .strict_reading(true)
        .build()
        .expect("client builds");
    assert!(strict_client.people().get().collect_all().await.is_err());
}
