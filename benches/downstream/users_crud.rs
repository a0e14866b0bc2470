// A downstream user-CRUD program: list users with `$select`/`$filter` through every page, get one with its manager,
// and patch it (clearing one property). `measure.sh` builds it against the full-Graph crate with the features it
// needs: `users-core` and `users-manager`.
use msgraph_sdk::models::User;
use msgraph_sdk::{GraphServiceClient, Property, StaticTokenProvider};

#[tokio::main]
async fn main() -> Result<(), msgraph_sdk::Error> {
    let client = GraphServiceClient::new(StaticTokenProvider::new(std::env::var("GRAPH_TOKEN").unwrap_or_default()));
    let mut pages = client
        .users()
        .get()
        .select(["id", "displayName", "officeLocation"])
        .filter("startswith(displayName,'A')")
        .pages();
    while let Some(page) = pages.next().await {
        for user in page? {
            println!("{:?} {:?}", user.id.as_deref(), user.display_name.as_deref());
        }
    }
    let adele = client.users().by_user_id("adele@contoso.com").get().await?;
    let manager: Option<User> = client.users().by_user_id("adele@contoso.com").manager().get().await?.downcast().ok();
    println!("{:?} reports to {:?}", adele.display_name.as_deref(), manager.and_then(|m| m.display_name.into_option()));
    let change = User { job_title: "Product Manager".into(), office_location: Property::Null, ..Default::default() };
    client.users().by_user_id("adele@contoso.com").patch(&change).await?;
    Ok(())
}
