// A downstream program that uses one operation of Graph, as the other SDKs' snippets write it. `measure.sh` builds
// it against the checked-in slice crate and against the full-Graph crate with only the `users-presence` feature.
use msgraph_sdk::users::item::presence::clear_presence::ClearPresencePostRequestBody;
use msgraph_sdk::{GraphServiceClient, StaticTokenProvider};

#[tokio::main]
async fn main() -> Result<(), msgraph_sdk::Error> {
    let client = GraphServiceClient::new(StaticTokenProvider::new(std::env::var("GRAPH_TOKEN").unwrap_or_default()));
    let body = ClearPresencePostRequestBody { session_id: "22553876-f5ab-4529-bffb-cfe50aa89f87".into(), ..Default::default() };
    client.users().by_user_id("fa8bf3dc-eca7-46b7-bad1-db199b62afc3").presence().clear_presence().post(&body).await?;
    Ok(())
}
