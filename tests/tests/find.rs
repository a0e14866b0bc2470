//! Resolving real request URLs against a crate's model: the one URL-to-template matcher the snippet writer and
//! tools use.

use std::path::{Path, PathBuf};

use msgraph_generator::config::Config;
use msgraph_generator::model::{Crate, Method};
use msgraph_generator::pipeline::{self, Timings};

fn model(name: &str) -> Crate {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let config = Config::load(&root.join("codegen.toml"), Path::new("codegen.toml")).expect("codegen.toml");
    let index = config.crates.iter().position(|c| c.name == name).expect("crate");
    pipeline::crate_model(&root, &config.crates[index], index, &mut Timings::default()).expect("model")
}

#[test]
fn the_seed_request_and_its_me_form() {
    let model = model("msgraph-sdk");
    let url = "https://graph.microsoft.com/v1.0/users/fa8bf3dc-eca7-46b7-bad1-db199b62afc3/presence/clearPresence";
    let found = model.find(Method::Post, url).expect("resolves");
    assert_eq!(found.node.template, "/users/{user-id}/presence/clearPresence");
    assert!(found.operation.is_some_and(|op| op.method == Method::Post));
    let accessors: Vec<&str> = found.steps.iter().map(|s| s.node.accessor.as_str()).collect();
    assert_eq!(accessors, ["users", "by_user_id", "presence", "clear_presence"]);
    assert_eq!(found.steps[1].values, [Some("fa8bf3dc-eca7-46b7-bad1-db199b62afc3".to_owned())]);
    assert!(found.aliases.is_empty());

    // `/me` continues at `/users/{user-id}`; segments compare without case.
    let me = model.find(Method::Post, "/v1.0/me/presence/clearpresence").expect("resolves");
    assert_eq!(me.aliases.iter().map(|a| a.accessor.as_str()).collect::<Vec<_>>(), ["me"]);
    assert_eq!(me.node.template, "/users/{user-id}/presence/clearPresence");
    assert_eq!(me.steps.iter().map(|s| s.accessor).collect::<Vec<_>>(), ["me", "presence", "clear_presence"]);
    // A method the path does not have, and a path the crate does not have.
    assert!(model.find(Method::Get, "/me/presence/clearPresence").expect("resolves").operation.is_none());
    let missing = model.find(Method::Get, "/me/messages").expect_err("no messages in the slice");
    assert_eq!((missing.matched.as_str(), missing.segment.as_str()), ("/me", "messages"));
}

#[test]
fn calls_alternate_keys_and_dollar_segments() {
    let model = model("fixture-kinds");
    let found = model.find(Method::Get, "/people(email='adele%40contoso.com')").expect("alternate key");
    assert_eq!(found.node.template, "/people(email='{email}')");
    assert_eq!(found.steps[0].values, [Some("adele@contoso.com".to_owned())]);
    let found = model.find(Method::Get, "/people/1/fixture.activities(since='2026-01-01',top=5)").expect("call");
    assert_eq!(found.steps.last().map(|s| s.values.clone()), Some(vec![Some("2026-01-01".into()), Some("5".into())]));
    assert_eq!(model.find(Method::Get, "/people/$count").expect("count").node.template, "/people/$count");
    let photo = model.find(Method::Put, "/people/1/photo/$value").expect("media");
    assert!(photo.operation.is_some());
    // A key in parentheses is the collection's item, beside the alternate key's call of the same name.
    let keyed = model.find(Method::Get, "/people('a%2Fb')/photo/$value").expect("key in parentheses");
    assert_eq!(keyed.node.template, "/people/{person-id}/photo/$value");
    assert_eq!(
        keyed.steps.iter().map(|s| s.accessor).collect::<Vec<_>>(),
        ["people", "by_person_id", "photo", "value"]
    );
    assert_eq!(keyed.steps[1].values, [Some("a/b".to_owned())]);
    // Graph's colon path syntax is one item key.
    let by_path = model.find(Method::Put, "/people/root:/folder/a b.txt:/photo/$value").expect("colon path");
    assert_eq!(by_path.steps[1].values, [Some("root:/folder/a b.txt:".to_owned())]);
    assert_eq!(by_path.node.template, "/people/{person-id}/photo/$value");
}
