//! The fixture crates compile (they are workspace members) and behave: wire names survive odd Rust names,
//! required/nullable/optional properties serialise as the description says, absent and `null` stay apart, unknown
//! properties and values that do not fit round-trip, recursive types work, and builders reach the right paths.

use fixture_names::models::{sub_space, Option2, Self_, Thing};
use fixture_shapes::models::{Person, Widget, WidgetDimensions};
use fixture_shapes::Property;
use serde_json::json;

#[test]
fn keyword_and_odd_property_names_keep_their_wire_names() {
    let thing = Thing {
        type_: "t".into(),
        self_: "s".into(),
        odata_type: "#fixture.thing".into(),
        odata_type_2: "other".into(),
        _2fa: true.into(),
        dash_name: 7.into(),
        dot_name: 1.5.into(),
        gen_: "g".into(),
        additional_data_2: "declared".into(),
        nested: sub_space::Thing { value: "v".into(), ..Default::default() }.into(),
        ..Default::default()
    };
    let value = serde_json::to_value(&thing).expect("serialises");
    assert_eq!(
        value,
        json!({
            "type": "t", "self": "s", "@odata.type": "#fixture.thing", "odataType": "other", "2fa": true,
            "dash-name": 7, "dot.name": 1.5, "gen": "g", "additional_data": "declared", "nested": {"value": "v"}
        })
    );
    let back: Thing = serde_json::from_value(value).expect("deserialises");
    assert_eq!(back, thing);
    // Types named like keywords and prelude types are renamed; their wire names are untouched.
    let _ =
        (Self_ { ref_: "r".into(), ..Default::default() }, Option2 { some: Property::Absent, ..Default::default() });
}

#[test]
fn unknown_properties_round_trip() {
    let input = json!({"type": "t", "futureProperty": {"deep": [1, 2]}, "@odata.etag": "W/\"1\""});
    let thing: Thing = serde_json::from_value(input.clone()).expect("deserialises");
    assert_eq!(thing.type_.as_deref(), Some("t"));
    assert_eq!(thing.additional_data["futureProperty"], json!({"deep": [1, 2]}));
    assert_eq!(serde_json::to_value(&thing).expect("serialises"), input);
}

#[test]
fn required_nullable_and_optional_properties() {
    // `id` is required, `name` required but nullable: both are always written; unset optionals are not.
    let widget = Widget { id: "w1".into(), ..Default::default() };
    assert_eq!(serde_json::to_value(&widget).expect("serialises"), json!({"id": "w1", "name": null}));
    // A missing required property is reported (an error in strict mode); a missing nullable one is absent.
    let w: Widget = serde_json::from_value(json!({"name": "x"})).expect("tolerant");
    assert_eq!(w.additional_data.misfits()[0].name, "id");
    let err = fixture_shapes::runtime::object::strict(|| serde_json::from_value::<Widget>(json!({"name": "x"})))
        .expect_err("id is required");
    assert!(err.to_string().contains("missing field `id`"), "{err}");
    let w: Widget = serde_json::from_value(json!({"id": "w2"})).expect("name may be missing");
    assert_eq!(w.name, Property::Absent);
    let w: Widget = serde_json::from_value(json!({"id": "w2", "name": null})).expect("name may be null");
    assert_eq!(w.name, Property::Null);
    // `Person` forbids additional properties, so it has no `additional_data` and ignores nothing it knows.
    let p = Person { display_name: "Ada".into() };
    assert_eq!(serde_json::to_value(&p).expect("serialises"), json!({"displayName": "Ada"}));
}

#[test]
fn nested_arrays_maps_refs_and_recursion() {
    let input = json!({
        "id": "child",
        "name": "Child",
        "tags": ["a", "b"],
        "dimensions": {"width": 1.5, "height": 2.25, "unit": {"symbol": "cm"}},
        "owner": {"displayName": "Ada"},
        "maintainer": {"displayName": "Grace"},
        "counters": {"views": 3, "likes": 9_007_199_254_740_993_i64},
        "extra": {"anything": [true, null]},
        "matrix": [[1, 2], [3]],
        "parts": [{"id": "p1", "widget": {"id": "inner", "name": null}}],
        "parent": {"id": "root", "name": null, "parent": {"id": "grandparent", "name": null}},
        "size": 12,
        "enabled": false
    });
    let widget: Widget = serde_json::from_value(input.clone()).expect("deserialises");
    let dimensions: &WidgetDimensions = widget.dimensions.as_ref().expect("dimensions");
    assert_eq!(dimensions.width, Property::Value(1.5_f32));
    assert_eq!(dimensions.unit.as_ref().and_then(|u| u.symbol.as_deref()), Some("cm"));
    assert_eq!(widget.maintainer.as_ref().and_then(|m| m.display_name.as_deref()), Some("Grace"));
    assert_eq!(widget.counters.as_ref().map(|c| c["likes"]), Some(9_007_199_254_740_993));
    let grandparent = widget.parent.as_ref().and_then(|p| p.parent.as_ref()).expect("two levels of recursion");
    assert_eq!(grandparent.id, "grandparent");
    assert_eq!(widget.parts.as_ref().map(|p| p[0].widget.as_ref().map(|w| w.id.as_str())), Some(Some("inner")));
    assert_eq!(serde_json::to_value(&widget).expect("serialises"), input);
}

#[test]
fn builders_reach_the_paths_of_the_description() {
    let names = fixture_names::NamesClient::builder()
        .base_url("http://127.0.0.1:9/api")
        .auth(fixture_names::StaticTokenProvider::new("t"))
        .build()
        .expect("client builds");
    let item = names.type_().by_self_id("x");
    // The item's own POST keeps `post`; the child segment named `post` becomes `post_2`.
    let own = item.post().build().expect("builds");
    let child = item.post_2().post().build().expect("builds");
    let digits = item._2fa().get().build().expect("builds");
    let dotted = item.do_thing().post(&Default::default()).build().expect("builds");
    assert_eq!(own.url.path(), "/api/type/x");
    assert_eq!(child.url.path(), "/api/type/x/post");
    assert_eq!(digits.url.path(), "/api/type/x/2fa");
    assert_eq!(dotted.url.path(), "/api/type/x/fixture.do-thing");
    assert_eq!(dotted.body.as_deref(), Some(&b"{}"[..]));

    let shapes = fixture_shapes::ShapesClient::new(fixture_shapes::StaticTokenProvider::new("t"));
    let part = shapes.widgets().by_widget_id("w 1").parts().by_part_id("p/1").get().build().expect("builds");
    assert_eq!(part.url.as_str(), "https://shapes.example.com/v1/widgets/w%201/parts/p%2F1");
}

#[tokio::test]
async fn json_responses_and_errors_are_typed() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let page = json!({"value": [{"id": "w1", "name": "One"}], "@odata.nextLink": "https://shapes.example.com/v1/widgets?$skiptoken=2"});
    Mock::given(method("GET"))
        .and(path("/v1/widgets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&page))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v1/widgets/w1"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"code": "Invalid", "message": "no"})))
        .mount(&server)
        .await;
    let client = shapes_client(&server.uri());

    let listed = client.widgets().get().await.expect("a page");
    assert_eq!(listed.value.as_ref().map(|v| v[0].name.as_deref()), Some(Some("One")));
    assert_eq!(listed.odata_next_link.as_deref(), Some("https://shapes.example.com/v1/widgets?$skiptoken=2"));

    let widget = Widget { id: "w1".into(), size: 3.into(), ..Default::default() };
    let err = client.widgets().by_widget_id("w1").patch(&widget).await.expect_err("400");
    assert_eq!(err.status(), Some(400));
    // This description's error model is `Problem`, not Graph's ODataError.
    assert_eq!(err.odata_error().map(|p| p.code.as_str()), Some("Invalid"));
    let sent = server.received_requests().await.expect("recorded");
    assert_eq!(sent[1].body, br#"{"id":"w1","name":null,"size":3}"#.to_vec());
}

#[tokio::test]
async fn a_patch_clears_null_properties_and_leaves_absent_ones_alone() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1/widgets/w1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    let client = shapes_client(&server.uri());
    let change = Widget { id: "w1".into(), size: 4.into(), ..Default::default() };
    let widget = client.widgets().by_widget_id("w1");
    // Absent `tags` is not sent: Graph leaves it alone.
    widget.patch(&change).await.expect("patched");
    // Set to `null` through the typed fields: sent as an explicit null, which clears it.
    let clear = Widget { tags: Property::Null, size: Property::Null, ..change };
    widget.patch(&clear).await.expect("patched");
    let sent = server.received_requests().await.expect("recorded");
    assert_eq!(sent[0].body, br#"{"id":"w1","name":null,"size":4}"#.to_vec());
    assert_eq!(sent[1].body, br#"{"id":"w1","name":null,"size":null,"tags":null}"#.to_vec());
}

/// A shapes client for a loopback server at `uri`.
fn shapes_client(uri: &str) -> fixture_shapes::ShapesClient {
    fixture_shapes::ShapesClient::builder()
        .base_url(format!("{uri}/v1"))
        .auth(fixture_shapes::StaticTokenProvider::new("t"))
        .build()
        .expect("client builds")
}
