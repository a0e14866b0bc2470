//! Collections that come in pages: following `@odata.nextLink` until the last page.

use std::collections::HashSet;
use std::fmt;

use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use crate::auth::BoxError;
use crate::error::Error;
use crate::request::Request;
use crate::response::{Json, ResponseHandler};
use crate::send::without_query;

/// The default of [`Pages::max_pages`]: an iteration stops with [`Error::LimitExceeded`] past this many
/// pages.
pub const DEFAULT_MAX_PAGES: u64 = 10_000;

/// The default of [`Pages::max_items`]: collecting stops with [`Error::LimitExceeded`] past this many
/// items.
pub const DEFAULT_MAX_ITEMS: u64 = 1_000_000;

/// A collection page as Graph returns it: some items (`value`) and, unless it is the last page, the
/// absolute URL of the next one (`@odata.nextLink`).
///
/// Generated code implements this for collection responses (`UserCollectionResponse`, …), whose
/// `value: Option<Vec<T>>` and `odata_next_link: Option<String>` fields are the two parts; see
/// [`Request::pages`] and [`Request::collect_all`].
///
/// ```
/// use msgraph_runtime::Page;
///
/// #[derive(serde::Deserialize)]
/// struct UserCollectionResponse {
///     value: Option<Vec<serde_json::Value>>,
///     #[serde(rename = "@odata.nextLink")]
///     odata_next_link: Option<String>,
/// }
///
/// impl Page for UserCollectionResponse {
///     type Item = serde_json::Value;
///
///     fn into_parts(self) -> (Vec<serde_json::Value>, Option<String>) {
///         (self.value.unwrap_or_default(), self.odata_next_link)
///     }
/// }
/// ```
pub trait Page: DeserializeOwned + Send + 'static {
    /// One item of the collection.
    type Item: Send + 'static;

    /// The items and the `@odata.nextLink`, if any.
    fn into_parts(self) -> (Vec<Self::Item>, Option<String>);
}

impl<T, E> Request<Json<T>, E>
where
    T: Page,
    E: DeserializeOwned + fmt::Debug + Send + Sync + 'static,
{
    /// The pages of the collection this request returns, one [`Pages::next`] at a time: the first call
    /// sends this request, each later one follows the previous page's `@odata.nextLink`.
    ///
    /// Nothing is sent until [`Pages::next`] is awaited.
    pub fn pages(self) -> Pages<T, E> {
        Pages::new(self)
    }

    /// Every item of every page, in order: this request, then each `@odata.nextLink` until a page has
    /// none.
    ///
    /// # Errors
    ///
    /// The first error of any page (see [`Pages::next`]); the items already received are dropped. To
    /// keep them, iterate with [`Self::pages`] instead.
    pub async fn collect_all(self) -> Result<Vec<T::Item>, Error<E>> {
        self.pages().collect_all().await
    }

    /// A delta query's round: every item of every page until the page with the `@odata.deltaLink`, and
    /// that link, to store and pass to [`Self::resume_from`] next time (see [`Pages::collect_delta`]).
    ///
    /// ```no_run
    /// # use msgraph_runtime::{Json, Page, Request};
    /// # async fn run<T: Page>(delta: Request<Json<T>>, stored: Option<String>) -> Result<(), msgraph_runtime::Error> {
    /// // `delta` is e.g. `client.users().delta().get()`
    /// let request = match &stored {
    ///     Some(link) => delta.resume_from(link),
    ///     None => delta,
    /// };
    /// let round = request.collect_delta().await?;
    /// println!("{} changes; next time resume from the stored link", round.items.len());
    /// let stored = Some(round.delta_link);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Pages::collect_delta`].
    pub async fn collect_delta(self) -> Result<Delta<T::Item>, Error<E>> {
        self.pages().collect_delta().await
    }

    /// This request sent to a stored `@odata.deltaLink` (or `@odata.nextLink`) instead: a `GET` with the
    /// same per-request headers (`Prefer`, `ConsistencyLevel`, …), settings and token rules, and no
    /// query options of its own (the link carries them). A link that is not an absolute `http(s)` URL
    /// makes sending fail with [`Error::InvalidRequest`].
    pub fn resume_from(self, link: &str) -> Self {
        match Url::parse(link) {
            Ok(url) => self.next_page(url),
            Err(error) => {
                let shown = link.split(['?', '#']).next().unwrap_or_default();
                self.invalid(format!("the stored link {shown:?} is not an absolute URL ({error})"))
            }
        }
    }
}

/// One page as [`Pages::next_page`] returns it: its items and its annotations.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct CollectionPage<I> {
    /// The page's items (`value`).
    pub items: Vec<I>,
    /// `@odata.count`: the number of items of the whole collection, when asked for with
    /// [`Request::count`] (Graph sends it on the first page).
    pub count: Option<i64>,
    /// `@odata.nextLink`: the next page, unless this is the last.
    pub next_link: Option<String>,
    /// `@odata.deltaLink`: on the last page of a delta query, where the next round starts.
    pub delta_link: Option<String>,
}

/// A delta query's round, from [`Pages::collect_delta`]: the changed items and the link to resume from.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Delta<I> {
    /// Every item of every page of this round.
    pub items: Vec<I>,
    /// The final page's `@odata.deltaLink`: store it and pass it to [`Request::resume_from`].
    pub delta_link: String,
}

/// The annotations of a page that [`Page::into_parts`] does not return.
#[derive(Debug, Default, serde::Deserialize)]
struct Annotations {
    #[serde(rename = "@odata.count", default)]
    count: Option<i64>,
    #[serde(rename = "@odata.deltaLink", default)]
    delta_link: Option<String>,
}

/// Reads a page as `Json<T>` does, plus its annotations.
struct PageHandler<T>(std::marker::PhantomData<fn() -> T>);

impl<T: Page> ResponseHandler for PageHandler<T> {
    type Output = (T, Annotations);

    fn handle(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Result<Self::Output, BoxError> {
        let page = Json::<T>::handle(status, headers, body)?;
        // A second, allocation-free pass that skips everything but the two annotations.
        let annotations = serde_json::from_slice(body).unwrap_or_default();
        Ok((page, annotations))
    }
}

/// The pages of a collection, from [`Request::pages`]: an async iterator that follows
/// `@odata.nextLink`.
///
/// [`Self::next`] sends the original request first; each later call sends a `GET` to the previous
/// page's `@odata.nextLink` through the same adapter, with the same per-request headers
/// (`ConsistencyLevel`, `Prefer`, an explicit `Authorization`, …) and cloud availability (see
/// [`Request::available_in`]), but a fresh `client-request-id` and none of the original query options:
/// the link carries its own query. Each page is sent exactly like any request (see
/// [`Request::send`]): the token goes only to URLs that may receive it
/// ([`RequestAdapter::sends_token_to`](crate::RequestAdapter::sends_token_to)), so a link to another
/// host is followed without it, and redirects are checked hop by hop.
///
/// `Pages` is `Send` (use it in spawned tasks); `Debug` shows the original request as
/// [`Request`]'s `Debug` does (never a token) and the next link without its query.
///
/// ```no_run
/// use msgraph_runtime::{BaseRequestBuilder, Json, Method, Page, RequestAdapter, StaticTokenProvider};
///
/// #[derive(serde::Deserialize)]
/// struct UserCollectionResponse {
///     value: Option<Vec<serde_json::Value>>,
///     #[serde(rename = "@odata.nextLink")]
///     odata_next_link: Option<String>,
/// }
///
/// impl Page for UserCollectionResponse {
///     type Item = serde_json::Value;
///
///     fn into_parts(self) -> (Vec<serde_json::Value>, Option<String>) {
///         (self.value.unwrap_or_default(), self.odata_next_link)
///     }
/// }
///
/// # async fn run() -> Result<(), msgraph_runtime::Error> {
/// let adapter = RequestAdapter::new(StaticTokenProvider::new("eyJ0eXAi…"));
/// let mut pages = BaseRequestBuilder::new(adapter)
///     .segment("users")
///     .request::<Json<UserCollectionResponse>, serde_json::Value>(Method::GET)
///     .select(["id", "displayName"])
///     .top(100)
///     .pages();
/// while let Some(page) = pages.next().await {
///     for user in page? {
///         println!("{}", user["displayName"]);
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "pages are sent only when `next` (or `collect_all`) is awaited"]
pub struct Pages<T, E = serde_json::Value> {
    request: Request<Json<T>, E>,
    state: State<E>,
    /// Every URL requested so far (the original request's, when it is a `GET`, and each followed
    /// `@odata.nextLink`), to stop a service that links to a page it already returned.
    followed: HashSet<String>,
    /// How many pages were received.
    received: u64,
    /// How many items were received.
    items: u64,
    max_pages: u64,
    max_items: u64,
    /// The last `@odata.count` received.
    count: Option<i64>,
    /// The `@odata.deltaLink` of the last page, once received.
    delta_link: Option<String>,
}

/// What [`Pages::next`] does next.
enum State<E> {
    /// Sends the original request.
    First,
    /// Follows this `@odata.nextLink`.
    Next(Url),
    /// Returns this error (the last page's `@odata.nextLink` is unusable), then ends.
    Failed(Error<E>),
    /// Ends: after the last page or an error.
    Done,
}

impl<T, E> Pages<T, E>
where
    T: Page,
    E: DeserializeOwned + fmt::Debug + Send + Sync + 'static,
{
    fn new(request: Request<Json<T>, E>) -> Self {
        let followed = request.get_url().map(String::from).into_iter().collect();
        Self {
            request,
            state: State::First,
            followed,
            received: 0,
            items: 0,
            max_pages: DEFAULT_MAX_PAGES,
            max_items: DEFAULT_MAX_ITEMS,
            count: None,
            delta_link: None,
        }
    }

    /// At most `n` pages ([`DEFAULT_MAX_PAGES`] unless set): asking for one more ends the iteration with
    /// [`Error::LimitExceeded`] instead of sending it, so a service that links on forever cannot keep the
    /// caller busy forever.
    pub fn max_pages(mut self, n: u64) -> Self {
        self.max_pages = n;
        self
    }

    /// At most `n` items when collecting ([`Self::collect_all`], [`Self::collect_delta`];
    /// [`DEFAULT_MAX_ITEMS`] unless set): a page that goes past it ends with [`Error::LimitExceeded`]
    /// instead of holding more in memory. Iterating with [`Self::next`] is not bounded by items.
    pub fn max_items(mut self, n: u64) -> Self {
        self.max_items = n;
        self
    }

    /// The `@odata.count` of the pages received so far (the total number of items, when the request
    /// asked for it with [`Request::count`]).
    pub fn count(&self) -> Option<i64> {
        self.count
    }

    /// The `@odata.deltaLink` of the last page, once it is received: where the next round of a delta
    /// query starts (see [`Request::resume_from`]).
    pub fn delta_link(&self) -> Option<&str> {
        self.delta_link.as_deref()
    }

    /// The items of the next page; `None` after the last page or after an error.
    ///
    /// The first call sends the original request, each later one the previous page's
    /// `@odata.nextLink` (see [`Pages`]). If the future is dropped before it completes, the next call
    /// sends the same page again.
    ///
    /// # Errors
    ///
    /// The errors of [`Request::send`] for the page, after which the iteration ends. A page's
    /// `@odata.nextLink` that is not an absolute `http(s)` URL, or that repeats a URL already
    /// requested (a service that would otherwise loop forever), is [`Error::InvalidRequest`]: that
    /// page's items are returned first, the error by the following call, and then `None`. Past
    /// [`Self::max_pages`], [`Error::LimitExceeded`] instead of the page.
    pub async fn next(&mut self) -> Option<Result<Vec<T::Item>, Error<E>>> {
        self.next_page().await.map(|page| page.map(|page| page.items))
    }

    /// The next page with its annotations (`@odata.count`, `@odata.nextLink`, `@odata.deltaLink`); as
    /// [`Self::next`] otherwise.
    ///
    /// # Errors
    ///
    /// As [`Self::next`].
    pub async fn next_page(&mut self) -> Option<Result<CollectionPage<T::Item>, Error<E>>> {
        let request = match &self.state {
            State::First => self.request.clone(),
            State::Next(url) => self.request.next_page(url.clone()),
            State::Failed(_) | State::Done => {
                return match std::mem::replace(&mut self.state, State::Done) {
                    State::Failed(error) => Some(Err(error)),
                    _ => None,
                };
            }
        };
        if self.received >= self.max_pages {
            self.state = State::Done;
            return Some(Err(Error::LimitExceeded { what: "pages", limit: self.max_pages }));
        }
        let result = request.handled_by::<PageHandler<T>>().send().await;
        self.state = State::Done;
        let (page, annotations) = match result {
            Ok(page) => page,
            Err(error) => return Some(Err(error)),
        };
        self.received += 1;
        let (items, next_link) = page.into_parts();
        self.items += items.len() as u64;
        if annotations.count.is_some() {
            self.count = annotations.count;
        }
        if let Some(link) = &annotations.delta_link {
            self.delta_link = Some(link.clone());
        }
        if let Some(next_link) = &next_link {
            self.state = match self.follow(next_link) {
                Ok(url) => State::Next(url),
                Err(error) => State::Failed(error),
            };
        }
        Some(Ok(CollectionPage { items, count: annotations.count, next_link, delta_link: annotations.delta_link }))
    }

    /// Every item of this and the remaining pages, in order.
    ///
    /// # Errors
    ///
    /// The first error of [`Self::next`]; the items already received are dropped. Past
    /// [`Self::max_pages`] pages or [`Self::max_items`] items, [`Error::LimitExceeded`].
    pub async fn collect_all(mut self) -> Result<Vec<T::Item>, Error<E>> {
        let mut items = Vec::new();
        while let Some(page) = self.next_page().await {
            let page = page?;
            if self.items > self.max_items {
                return Err(Error::LimitExceeded { what: "items", limit: self.max_items });
            }
            items.extend(page.items);
        }
        Ok(items)
    }

    /// A delta query's round: every item of this and the remaining pages, and the final page's
    /// `@odata.deltaLink` (see [`Request::collect_delta`]).
    ///
    /// # Errors
    ///
    /// As [`Self::collect_all`]; and [`Error::InvalidRequest`] when the last page has no
    /// `@odata.deltaLink` (the request was not a delta query).
    pub async fn collect_delta(mut self) -> Result<Delta<T::Item>, Error<E>> {
        let mut items = Vec::new();
        let mut last_delta = None;
        while let Some(page) = self.next_page().await {
            let page = page?;
            if self.items > self.max_items {
                return Err(Error::LimitExceeded { what: "items", limit: self.max_items });
            }
            items.extend(page.items);
            last_delta = page.delta_link;
        }
        match last_delta {
            Some(delta_link) => Ok(Delta { items, delta_link }),
            None => Err(Error::InvalidRequest(format!(
                "the last of {} pages has no @odata.deltaLink: the request is not a delta query",
                self.received
            ))),
        }
    }

    /// The URL of the page at `next_link`, the `@odata.nextLink` of the page just received.
    fn follow(&mut self, next_link: &str) -> Result<Url, Error<E>> {
        let page = self.received;
        let url = Url::parse(next_link).map_err(|error| {
            // The query is left out: it may carry a signature.
            let shown = next_link.split(['?', '#']).next().unwrap_or_default();
            Error::InvalidRequest(format!(
                "the @odata.nextLink {shown:?} of page {page} is not an absolute URL ({error})"
            ))
        })?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(Error::InvalidRequest(format!(
                "the @odata.nextLink {} of page {page} is not an http(s) URL",
                without_query(&url)
            )));
        }
        if !self.followed.insert(url.as_str().to_owned()) {
            return Err(Error::InvalidRequest(format!(
                "the @odata.nextLink {} of page {page} links to a page already requested; \
                 following it would loop forever",
                without_query(&url)
            )));
        }
        Ok(url)
    }
}

impl<T, E: fmt::Debug> fmt::Debug for Pages<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Pages");
        debug
            .field("request", &self.request)
            .field("received", &self.received)
            .field("items", &self.items)
            .field("max_pages", &self.max_pages)
            .field("max_items", &self.max_items)
            .field("count", &self.count)
            .field("delta_link", &self.delta_link.is_some());
        match &self.state {
            State::First => debug.field("next", &"the request"),
            State::Next(url) => debug.field("next", &without_query(url)),
            State::Failed(error) => debug.field("failed", error),
            State::Done => debug.field("next", &"none"),
        };
        debug.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BaseRequestBuilder, Method, RequestAdapter, StaticTokenProvider};

    #[derive(serde::Deserialize)]
    struct Numbers {
        value: Vec<u32>,
        #[serde(rename = "@odata.nextLink")]
        next: Option<String>,
    }

    impl Page for Numbers {
        type Item = u32;

        fn into_parts(self) -> (Vec<u32>, Option<String>) {
            (self.value, self.next)
        }
    }

    fn pages() -> Pages<Numbers> {
        let adapter =
            RequestAdapter::builder().base_url("https://graph.microsoft.com/v1.0").auth(StaticTokenProvider::new("t"));
        let adapter: RequestAdapter = adapter.build().unwrap();
        BaseRequestBuilder::new(adapter).segment("users").request(Method::GET).top(5).pages()
    }

    fn assert_send<S: Send>(_: &S) {}

    #[test]
    fn links_must_be_new_absolute_http_urls() {
        let mut pages = pages();
        assert_send(&pages);
        assert_send(&pages.next());
        let first = "https://graph.microsoft.com/v1.0/users?$top=5";
        assert!(pages.followed.contains(first), "{:?}", pages.followed);

        let relative = pages.follow("/v1.0/users?$skiptoken=secret").unwrap_err().to_string();
        assert!(relative.contains("\"/v1.0/users\"") && relative.contains("not an absolute URL"), "{relative}");
        assert!(!relative.contains("secret"), "{relative}");
        let other = pages.follow("ftp://graph.microsoft.com/x").unwrap_err().to_string();
        assert!(other.contains("not an http(s) URL"), "{other}");

        let next = "https://graph.microsoft.com/v1.0/users?$skiptoken=a";
        assert_eq!(pages.follow(next).unwrap().as_str(), next);
        for repeated in [next, first] {
            let message = pages.follow(repeated).unwrap_err().to_string();
            assert!(message.contains("already requested"), "{message}");
        }
    }

    #[test]
    fn debug_shows_the_request_and_the_next_link_without_its_query() {
        let mut pages = pages();
        let shown = format!("{pages:?}");
        assert!(shown.contains("users?$top=REDACTED") && shown.contains("the request"), "{shown}");
        pages.state = State::Next(Url::parse("https://graph.microsoft.com/v1.0/users?$skiptoken=zzz").unwrap());
        let shown = format!("{pages:?}");
        assert!(shown.contains("https://graph.microsoft.com/v1.0/users\"") && !shown.contains("zzz"), "{shown}");
    }

    #[test]
    fn the_next_page_is_a_bare_get_with_the_same_headers() {
        let request: Request<Json<Numbers>> = BaseRequestBuilder::new(
            RequestAdapter::builder()
                .base_url("https://graph.microsoft.com/v1.0")
                .auth(StaticTokenProvider::new("t"))
                .build()
                .unwrap(),
        )
        .segment("things")
        .request(Method::POST)
        .json_body(&[1, 2])
        .header("client-request-id", "mine")
        .header("Prefer", "odata.maxpagesize=2")
        .consistency_level_eventual()
        .count(true);
        let next = request.next_page(Url::parse("https://graph.microsoft.com/v1.0/things?$skiptoken=b").unwrap());
        let built = next.build().unwrap();
        assert_eq!(
            (built.method, built.url.as_str()),
            (Method::GET, "https://graph.microsoft.com/v1.0/things?$skiptoken=b")
        );
        assert_eq!(built.body, None);
        assert!(built.headers.get("content-type").is_none());
        assert_eq!(built.headers.get("prefer").map(|v| v.as_bytes()), Some(&b"odata.maxpagesize=2"[..]));
        assert_eq!(built.headers.get("consistencylevel").map(|v| v.as_bytes()), Some(&b"eventual"[..]));
        let id = built.headers.get("client-request-id").map(|v| v.as_bytes().to_vec()).unwrap_or_default();
        assert!(id != b"mine" && id.len() == 36, "{id:?}");
        assert_eq!(request.get_url(), None, "a POST is not a page");
    }
}
