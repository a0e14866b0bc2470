//! The signed-in user through `me()`, as Microsoft's SDKs expose it: the whole `/users/{user-id}` tree, sent as
//! `/me/…`; action bodies as Graph's reference pages write them; and every operation's national clouds, checked
//! before anything is sent.

use msgraph_sdk::models::{BodyType, EmailAddress, ItemBody, Message, Recipient};
use msgraph_sdk::users::item::presence::clear_presence::{ClearPresencePostRequestBody, ClearPresenceRequestBuilder};
use msgraph_sdk::users::item::send_mail::{SendMailPostRequestBody, SendMailRequestBuilder};
use msgraph_sdk::{
    GraphServiceClient, NationalCloud, PermissionScheme, PermissionSource, Permissions, StaticTokenProvider,
};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer, cloud: NationalCloud) -> GraphServiceClient {
    GraphServiceClient::builder()
        .cloud(cloud)
        .base_url(format!("{}/v1.0", server.uri()))
        .auth(StaticTokenProvider::new("token"))
        .build()
        .expect("client builds")
}

fn lunch() -> SendMailPostRequestBody {
    SendMailPostRequestBody {
        message: Message {
            subject: "Meet for lunch?".into(),
            body: ItemBody {
                content_type: BodyType::Text.into(),
                content: "The new cafeteria is open.".into(),
                ..Default::default()
            }
            .into(),
            to_recipients: [Recipient {
                email_address: EmailAddress { address: "frannis@contoso.com".into(), ..Default::default() }.into(),
                ..Default::default()
            }]
            .into(),
            ..Default::default()
        }
        .into(),
        save_to_sent_items: false.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn me_sends_mail_with_the_documented_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/sendMail"))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&server)
        .await;

    client(&server, NationalCloud::Global).me().send_mail().post(&lunch()).await.expect("202");

    let sent = server.received_requests().await.expect("recorded");
    let body: serde_json::Value = serde_json::from_slice(&sent[0].body).expect("json");
    assert_eq!(
        body,
        json!({
            "message": {
                "subject": "Meet for lunch?",
                "body": {"contentType": "text", "content": "The new cafeteria is open."},
                "toRecipients": [{"emailAddress": {"address": "frannis@contoso.com"}}]
            },
            "saveToSentItems": false
        })
    );
}

#[tokio::test]
async fn me_clears_presence() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/presence/clearPresence"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let body = ClearPresencePostRequestBody {
        session_id: "22553876-f5ab-4529-bffb-cfe50aa89f87".into(),
        ..Default::default()
    };
    client(&server, NationalCloud::Global).me().presence().clear_presence().post(&body).await.expect("200");
    let sent = server.received_requests().await.expect("recorded");
    assert_eq!(sent[0].body, br#"{"sessionId":"22553876-f5ab-4529-bffb-cfe50aa89f87"}"#);
}

#[tokio::test]
async fn a_china_client_is_refused_what_mooncake_lacks_and_allowed_what_it_has() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(202)).mount(&server).await;
    let china = client(&server, NationalCloud::China);

    // Mooncake's `$metadata` has no clearPresence: refused before anything is sent.
    let body = ClearPresencePostRequestBody { session_id: "s".into(), ..Default::default() };
    let error = china.me().presence().clear_presence().post(&body).await.expect_err("not in China");
    assert!(matches!(error, msgraph_sdk::runtime::Error::NotAvailableInCloud { .. }), "{error:?}");
    assert!(server.received_requests().await.expect("recorded").is_empty());

    // It has sendMail.
    china.me().send_mail().post(&lunch()).await.expect("202");
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);
}

#[test]
fn every_operation_carries_its_tables_as_data() {
    assert_eq!(
        ClearPresenceRequestBuilder::POST_CLOUDS,
        [NationalCloud::Global, NationalCloud::UsGovernmentL4, NationalCloud::UsGovernmentL5Dod]
    );
    assert!(SendMailRequestBuilder::POST_CLOUDS.contains(&NationalCloud::China));
    assert_eq!(SendMailRequestBuilder::POST_PERMISSIONS.delegated_work.least, Some("Mail.Send"));
    // Through `me()` there is a signed-in user: no application permission.
    let me = SendMailRequestBuilder::ME_POST_PERMISSIONS;
    assert_eq!(
        me.scopes(PermissionScheme::DelegatedWork, NationalCloud::Global),
        ["https://graph.microsoft.com/Mail.Send"]
    );
    assert_eq!(me.application.least, None);
    assert_eq!(
        msgraph_sdk::users::item::UserItemRequestBuilder::ME_GET_PERMISSIONS.delegated_work.least,
        Some("User.Read"),
        "GET /me needs less than GET /users/{{id}}"
    );
    assert_eq!(SendMailRequestBuilder::POST_PERMISSIONS.source, PermissionSource::Listed);
    // Counting users needs what listing them needs: the table of `GET /users`, said to be inferred.
    let count = msgraph_sdk::users::count::CountRequestBuilder::GET_PERMISSIONS;
    assert_eq!(count.source, PermissionSource::Inferred);
    assert_eq!(count.delegated_work.least, Some("User.ReadBasic.All"));
    // Microsoft's reference lists nothing that deletes a presence: a table, marked unknown, that asks for nothing.
    let unknown = msgraph_sdk::users::item::presence::PresenceRequestBuilder::DELETE_PERMISSIONS;
    assert_eq!(unknown, Permissions::UNLISTED);
    assert!(!unknown.is_known());
    assert!(unknown.scopes(PermissionScheme::DelegatedWork, NationalCloud::Global).is_empty());
}
