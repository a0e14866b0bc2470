//! Rust snippets for Graph's documentation, written from the all-of-Graph model (`benches/full-graph.toml`, over
//! Graph's real metadata): a representative request of each kind, snapshotted, and requests that must be refused
//! with their reasons. (`cargo xtask snippet-tests` compiles and runs the snippets of every real request we have.)

use std::path::Path;
use std::sync::OnceLock;

use msgraph_generator::config::Config;
use msgraph_generator::model::Crate;
use msgraph_generator::pipeline::{self, Timings};
use msgraph_generator::snippet::{HttpRequest, Writer};

/// A snapshot of a snippet, kept apart from the generated files' snapshots (in `snippet-snapshots/`).
macro_rules! assert_snippet {
    ($text:expr) => {{
        let text = $text;
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("snippet-snapshots");
        settings.bind(|| insta::assert_snapshot!(text));
    }};
}

fn model() -> &'static Crate {
    static MODEL: OnceLock<Crate> = OnceLock::new();
    MODEL.get_or_init(|| {
        let benches = Path::new(env!("CARGO_MANIFEST_DIR")).join("../benches");
        let config = Config::load(&benches.join("full-graph.toml"), Path::new("full-graph.toml")).expect("config");
        pipeline::crate_model(&benches, &config.crates[0], 0, &mut Timings::default()).unwrap_or_else(|e| panic!("{e}"))
    })
}

fn snippet(request: &str) -> String {
    let request = HttpRequest::parse(request).expect("a request");
    match Writer::new(model(), "msgraph_sdk").write(&request) {
        Ok(snippet) => snippet.text(),
        Err(refusal) => panic!("refused: {refusal}"),
    }
}

fn refusal(request: &str) -> String {
    let request = HttpRequest::parse(request).expect("a request");
    match Writer::new(model(), "msgraph_sdk").write(&request) {
        Ok(snippet) => panic!("expected a refusal, got:\n{}", snippet.text()),
        Err(refusal) => refusal.to_string(),
    }
}

#[test]
fn an_action_with_a_body_through_me() {
    assert_snippet!(snippet(
        "POST https://graph.microsoft.com/v1.0/me/sendMail\nContent-Type: application/json\n\n\
         {\"message\": {\"subject\": \"Lunch?\", \"body\": {\"contentType\": \"Text\", \"content\": \"At noon.\"},\n\
         \"toRecipients\": [{\"emailAddress\": {\"address\": \"adele@contoso.com\"}}]}, \"saveToSentItems\": false}"
    ));
}

#[test]
fn query_options_and_headers() {
    assert_snippet!(snippet(
        "GET /v1.0/users?$filter=startswith(displayName,'a')&$select=id,displayName&$orderby=displayName&$top=5&$count=true\n\
         ConsistencyLevel: eventual\nPrefer: outlook.timezone=\"Pacific Standard Time\"\n"
    ));
}

#[test]
fn a_function_with_arguments_and_a_custom_query_parameter() {
    assert_snippet!(snippet("GET /reports/getMailboxUsageDetail(period='D7')?format=text/csv"));
    assert_snippet!(snippet(
        "GET /me/calendarView?startDateTime=2026-11-27T00:00:00Z&endDateTime=2026-12-04T00:00:00Z"
    ));
}

#[test]
fn keys_casts_and_dollar_segments() {
    assert_snippet!(snippet("GET /users(userPrincipalName='adele@contoso.com')?$select=id"));
    assert_snippet!(snippet("GET /groups/{group-id}/members/microsoft.graph.user/$count\nConsistencyLevel: eventual"));
    assert_snippet!(snippet(
        "POST /groups/{group-id}/members/$ref\nContent-Type: application/json\n\n\
         {\"@odata.id\": \"https://graph.microsoft.com/v1.0/directoryObjects/{id}\"}"
    ));
    assert_snippet!(snippet("GET /me/drive/root:/Documents/notes.txt:/content"));
    assert_snippet!(snippet("GET /me/drive/items/{item-id}/workbook/worksheets('Sheet1')/usedRange"));
}

#[test]
fn an_upload_and_a_patch_that_clears_a_property() {
    assert_snippet!(snippet("PUT /me/photo/$value\nContent-Type: image/jpeg\n\nnot really a jpeg"));
    assert_snippet!(snippet(
        "PATCH /users/{user-id}\nContent-Type: application/json\n\n{\"jobTitle\": null, \"officeLocation\": \"18/2111\"}"
    ));
}

#[test]
fn enums_edm_literals_derived_types_and_unknown_properties() {
    assert_snippet!(snippet(
        "POST /me/events\nContent-Type: application/json\n\n\
         {\"subject\": \"Review\", \"importance\": \"HIGH\", \"showAs\": \"somethingNew\",\n\
         \"start\": {\"dateTime\": \"2026-11-27T10:00:00\", \"timeZone\": \"UTC\"},\n\
         \"recurrence\": {\"pattern\": {\"type\": \"weekly\", \"interval\": 1, \"daysOfWeek\": [\"friday\"]},\n\
         \"range\": {\"type\": \"noEnd\", \"startDate\": \"2026-11-27\"}}, \"x-custom\": {\"a\": [1, 2]}}"
    ));
    assert_snippet!(snippet(
        "POST /me/messages/{message-id}/attachments\nContent-Type: application/json\n\n\
         {\"@odata.type\": \"#microsoft.graph.fileAttachment\", \"name\": \"a.txt\", \"contentBytes\": \"SGVsbG8=\"}"
    ));
}

#[test]
fn a_batch_of_dependent_requests() {
    assert_snippet!(snippet(
        "POST /$batch\nContent-Type: application/json\n\n\
         {\"requests\": [{\"id\": \"1\", \"method\": \"GET\", \"url\": \"/me?$select=id\"},\n\
         {\"id\": \"2\", \"method\": \"POST\", \"url\": \"/me/presence/clearPresence\", \"dependsOn\": [\"1\"],\n\
         \"headers\": {\"Content-Type\": \"application/json\"}, \"body\": {\"sessionId\": \"{session-id}\"}}]}"
    ));
}

#[test]
fn requests_the_crate_cannot_express_are_refused_with_the_reason() {
    assert_eq!(refusal("GET /me/nothingHere"), "the metadata has no segment `nothingHere` below /me");
    assert_eq!(
        refusal("PUT /applications/{id}/owners"),
        "`/applications/{application-id}/owners` has no PUT in the metadata (it has GET)"
    );
    assert_eq!(
        refusal("POST /me/sendMail\nContent-Type: application/json\n\n{\"saveToSentItems\": \"maybe\"}"),
        "the body's value at `/saveToSentItems` is the string \"maybe\", where the metadata expects a boolean"
    );
    assert!(refusal("POST /me/events\nContent-Type: application/json\n\n{\"start\": {\"dateTime\": 5}}")
        .starts_with("the body's value at `/start/dateTime` is the number `5`"),);
    assert!(refusal(
        "POST /me/events\nContent-Type: application/json\n\n\
         {\"recurrence\": {\"range\": {\"type\": \"noEnd\", \"startDate\": \"2026-13-45\"}}}"
    )
    .starts_with("the body's value at `/recurrence/range/startDate` is the string \"2026-13-45\", where the metadata expects an Edm.Date"));
    assert!(refusal("POST /me/sendMail\nContent-Type: application/json\n\n{\"message\": ")
        .starts_with("the body is not JSON"));
    assert_eq!(
        refusal("POST /$batch\nContent-Type: application/json\n\n{\"requests\": [{\"id\": \"a\", \"method\": \"GET\", \"url\": \"/me\"}]}"),
        "the `$batch` request at `/requests/0` has the id \"a\"; the runtime numbers its steps 1, 2, … in order"
    );
}

#[test]
fn the_same_request_gives_the_same_snippet() {
    let request = HttpRequest::parse("GET /me/messages?$top=5").expect("request");
    let first = Writer::new(model(), "msgraph_sdk").write(&request).expect("snippet");
    for _ in 0..20 {
        assert_eq!(Writer::new(model(), "msgraph_sdk").write(&request).expect("snippet"), first);
    }
}
