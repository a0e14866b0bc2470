// A downstream mail program: list the signed-in user's messages (newest first, through every page) and send one.
// `measure.sh` builds it against the full-Graph crate with the features it needs: `users-messages` and
// `users-send-mail`.
use msgraph_sdk::models::{BodyType, EmailAddress, ItemBody, Message, Recipient};
use msgraph_sdk::users::item::send_mail::SendMailPostRequestBody;
use msgraph_sdk::{GraphServiceClient, StaticTokenProvider};

#[tokio::main]
async fn main() -> Result<(), msgraph_sdk::Error> {
    let client = GraphServiceClient::new(StaticTokenProvider::new(std::env::var("GRAPH_TOKEN").unwrap_or_default()));
    let messages = client.me().messages().get().select(["subject", "from"]).orderby(["receivedDateTime desc"]).collect_all().await?;
    for message in &messages {
        println!("{:?}", message.subject.as_deref());
    }
    let body = SendMailPostRequestBody {
        message: Message {
            subject: "Meet for lunch?".into(),
            body: ItemBody { content_type: BodyType::Text.into(), content: "The new cafeteria is open.".into(), ..Default::default() }.into(),
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
    };
    client.me().send_mail().post(&body).await?;
    Ok(())
}
