//! Request builders, requests, and sending them (authentication and redirects included).

use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;

use std::time::Duration;

use http::header::{
    HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, PROXY_AUTHORIZATION,
    USER_AGENT,
};
use http::{HeaderMap, Method};
use serde::de::DeserializeOwned;
use serde::Serialize;
use url::Url;

use crate::adapter::RequestAdapter;
use crate::auth::BoxFuture;
use crate::cloud::NationalCloud;
use crate::error::{Error, ServiceError, ERROR_BODY_PREFIX};
use crate::path::{encode_query_name, encode_query_value, CallArg, UrlPath};
use crate::response::ResponseHandler;
use crate::retry::RetryPolicy;
use crate::send::{execute, redact_query, Hop, RawResponse, SendOptions};

/// How many redirects one request follows before failing with [`Error::Redirect`].
pub const MAX_REDIRECTS: usize = 5;

/// The longest URL a request may have, in bytes once encoded: a longer one (an over-long id, a huge
/// `$filter`) is [`Error::InvalidRequest`] before anything is sent.
pub const MAX_URL_LEN: usize = 32 * 1024;

const APPLICATION_JSON: &str = "application/json";
const SDK_VERSION: HeaderName = HeaderName::from_static("sdkversion");
const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");
const CONSISTENCY_LEVEL: HeaderName = HeaderName::from_static("consistencylevel");

/// What every generated request builder holds: the adapter plus the path so far.
#[derive(Clone, Debug)]
pub struct BaseRequestBuilder {
    adapter: RequestAdapter,
    path: UrlPath,
}

impl BaseRequestBuilder {
    /// A builder for the base URL itself.
    pub fn new(adapter: RequestAdapter) -> Self {
        Self { adapter, path: UrlPath::new() }
    }

    /// The adapter requests are sent with.
    pub fn adapter(&self) -> &RequestAdapter {
        &self.adapter
    }

    /// The path below the base URL so far.
    pub fn path(&self) -> &UrlPath {
        &self.path
    }

    /// A builder one literal segment deeper, e.g. `clearPresence` (see [`UrlPath::push_segment`]).
    #[must_use]
    pub fn segment(&self, literal: &'static str) -> Self {
        let mut next = self.clone();
        next.path.push_segment(literal);
        next
    }

    /// A builder one path parameter deeper: `value` becomes exactly one segment (see
    /// [`UrlPath::push_parameter`]); `name` (e.g. `user-id`) is used in error messages.
    #[must_use]
    pub fn parameter(&self, name: &'static str, value: &str) -> Self {
        let mut next = self.clone();
        next.path.push_parameter(name, value);
        next
    }

    /// A builder one OData function call (or alternate key) deeper, e.g. `delta(token='…')` (see
    /// [`UrlPath::push_call`]).
    #[must_use]
    pub fn call(&self, name: &'static str, args: &[(&'static str, CallArg<'_>)]) -> Self {
        let mut next = self.clone();
        next.path.push_call(name, args);
        next
    }

    /// A request with `method` to this builder's path.
    pub fn request<H: ResponseHandler, E>(&self, method: Method) -> Request<H, E> {
        Request::new(self.adapter.clone(), method, Target::Path(self.path.clone()))
    }
}

impl From<RequestAdapter> for BaseRequestBuilder {
    fn from(adapter: RequestAdapter) -> Self {
        Self::new(adapter)
    }
}

/// Where a request goes.
#[derive(Clone, Debug)]
enum Target {
    /// Below the adapter's base URL.
    Path(UrlPath),
    /// Anywhere, e.g. an `@odata.nextLink`.
    Absolute(Url),
}

/// A request ready to send: `.await` it (or call [`Self::send`]), or inspect it with [`Self::build`].
///
/// `H` reads a successful response ([`NoContent`](crate::NoContent), [`Json`](crate::Json)); `E` is
/// the API's error model, parsed from non-2xx bodies. Problems found while configuring the request (an
/// invalid header, a body that does not serialise) are kept and returned by `build`/`send` as
/// [`Error::InvalidRequest`]; nothing is sent then. An operation marked with [`Self::available_in`]
/// that does not exist in the adapter's cloud is [`Error::NotAvailableInCloud`], also before anything
/// is sent. `Debug` never shows a token, and shows the values of query parameters as `REDACTED`.
#[must_use = "a request is sent only when awaited (or `send` is awaited)"]
pub struct Request<H, E = serde_json::Value> {
    adapter: RequestAdapter,
    method: Method,
    target: Target,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
    problem: Option<String>,
    availability: Option<Availability>,
    options: SendOptions,
    /// The URL template shown in tracing, when it is not the path's (a next page's).
    template: Option<String>,
    _types: PhantomData<fn() -> (H, E)>,
}

impl<B, E> Request<crate::Json<B>, E> {
    /// Reads the answer as `D`, a type derived from the declared `B`: a request for a `directoryObject` that is a
    /// `user` answers with a `User`. The answer's `@odata.type` must be `D` or derived from it, else the request
    /// fails with [`Error::Decode`] (see [`crate::AsDerived`]).
    pub fn cast<D: crate::DerivesFrom<B>>(self) -> Request<crate::AsDerived<D>, E> {
        self.handled_by()
    }
}

impl<H, E> Request<H, E> {
    fn new(adapter: RequestAdapter, method: Method, target: Target) -> Self {
        Self {
            adapter,
            method,
            target,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            problem: None,
            availability: None,
            options: SendOptions::default(),
            template: None,
            _types: PhantomData,
        }
    }

    /// The same request, its response read by `G` instead.
    pub(crate) fn handled_by<G>(self) -> Request<G, E> {
        Request {
            adapter: self.adapter,
            method: self.method,
            target: self.target,
            query: self.query,
            headers: self.headers,
            body: self.body,
            problem: self.problem,
            availability: self.availability,
            options: self.options,
            template: self.template,
            _types: PhantomData,
        }
    }

    /// The same request, answering with the response's status and headers as well as its value
    /// ([`Response`](crate::Response)), e.g. the `Location` of a `202 Accepted`.
    ///
    /// ```no_run
    /// # async fn run(request: msgraph_runtime::Request<msgraph_runtime::NoContent>) -> Result<(), msgraph_runtime::Error> {
    /// let response = request.with_response().await?;
    /// println!("{} {:?}", response.status, response.headers.get("location"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_response(self) -> Request<crate::response::WithResponse<H>, E> {
        self.handled_by()
    }

    /// Retries this request with `policy` instead of the client's (see [`RetryPolicy`]);
    /// `.retry(RetryPolicy::none())` sends it once.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }

    /// The request timeout of this request instead of the client's (see
    /// [`ClientBuilder::timeout`](crate::ClientBuilder::timeout)): the most time one attempt may take,
    /// from sending to the last byte of the response body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// The largest response body this request reads, in bytes, instead of the client's (see
    /// [`ClientBuilder::max_response_body`](crate::ClientBuilder::max_response_body)).
    pub fn max_response_body(mut self, bytes: u64) -> Self {
        self.options.max_body = Some(bytes);
        self
    }

    /// Reads this request's answer strictly, as
    /// [`ClientBuilder::strict_reading`](crate::ClientBuilder::strict_reading) does for every request: a property
    /// whose value does not fit its declared type fails the read with [`Error::Decode`] instead of being kept in
    /// `additional_data`.
    pub fn strict(mut self) -> Self {
        self.options.strict = true;
        self
    }

    /// The adapter this request is sent with.
    pub fn adapter(&self) -> &RequestAdapter {
        &self.adapter
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The URL template of this request as tracing shows it: the base URL's path and the path with each
    /// parameter as `{name}` (e.g. `/v1.0/users/{user-id}/presence`), no query; for an absolute URL its
    /// origin and `/…`.
    pub fn url_template(&self) -> String {
        UrlTemplate(self).to_string()
    }

    /// A request to an absolute URL, e.g. an `@odata.nextLink`.
    ///
    /// The token is attached only if the adapter trusts the URL (see
    /// [`RequestAdapter::sends_token_to`]); download URLs on other hosts are sent without it.
    pub fn with_url(adapter: &RequestAdapter, method: Method, url: Url) -> Self {
        Self::new(adapter.clone(), method, Target::Absolute(url))
    }

    /// Sets the body to `body` serialised as JSON (now), and `Content-Type: application/json`.
    pub fn json_body<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(bytes),
            Err(error) => self.record(format!("the request body cannot be serialised as JSON: {error}")),
        }
        self
    }

    /// Sets the body to `body` as it is, sent with `Content-Type: {content_type}` (file uploads, photos).
    pub fn bytes_body(self, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        let mut request = self.header(CONTENT_TYPE.as_str(), content_type);
        request.body = Some(body.into());
        request
    }

    /// Adds a header to this request. It replaces a default header of the same name (`Accept`,
    /// `Content-Type`, `client-request-id`, …); calling this twice with one name sends both values, except
    /// for `Content-Type`, which a body has only one of: the last one set is sent (e.g. `text/plain` for an
    /// upload the operation declares as `application/octet-stream`).
    ///
    /// An `Authorization` header set here replaces the provider's token, and like it is sent only to
    /// URLs that may receive the token.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let Ok(header) = HeaderName::from_bytes(name.as_bytes()) else {
            self.record(format!("{name:?} is not a valid header name"));
            return self;
        };
        match HeaderValue::from_str(value) {
            Ok(mut value) => {
                if header == AUTHORIZATION {
                    value.set_sensitive(true);
                }
                if header == CONTENT_TYPE {
                    self.headers.insert(header, value);
                } else {
                    self.headers.append(header, value);
                }
            }
            // The value is not repeated: it may be a secret.
            Err(_) => self.record(format!("the value of header `{header}` is not a valid header value")),
        }
        self
    }

    /// Adds the query parameter `name=value`; both are percent-encoded (a space as `%20`), except that
    /// `$` stays literal in names such as `$select`. Calling this twice with one name sends both.
    ///
    /// For OData's system query options prefer the typed methods ([`Self::select`], [`Self::filter`],
    /// [`Self::top`], …), which replace an earlier value instead.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.query.push((encode_query_name(name), encode_query_value(value)));
        self
    }

    /// Sets the OData query option `name` (e.g. `$top`) to the already-encoded `value`, replacing an
    /// earlier value of the same option (also one added with [`Self::query`]).
    fn set_option(mut self, name: &str, encoded_value: String) -> Self {
        let name = encode_query_name(name);
        self.query.retain(|(existing, _)| *existing != name);
        self.query.push((name, encoded_value));
        self
    }

    /// Sets a list option (`$select`, `$expand`, `$orderby`): each item percent-encoded like a
    /// [`Self::query`] value, joined with a literal `,`. An empty list or a blank item is recorded as a
    /// problem, reported by [`Self::build`] and sending: Graph rejects `$select=` and `$select=a,,b`.
    fn set_list_option<I, S>(mut self, name: &'static str, items: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut encoded = Vec::new();
        for item in items {
            let item = item.as_ref();
            if item.trim().is_empty() {
                self.record(format!("`{name}` has a blank item at position {}", encoded.len() + 1));
            }
            encoded.push(encode_query_value(item));
        }
        if encoded.is_empty() {
            self.record(format!("`{name}` needs at least one item"));
        }
        self.set_option(name, encoded.join(","))
    }

    /// `$select`: only these properties are returned, e.g. `.select(["id", "displayName"])` sends
    /// `$select=id,displayName`.
    ///
    /// Each field is percent-encoded like a [`Self::query`] value and the fields are joined with a
    /// literal `,`. A later call replaces an earlier one. An empty list or a blank field makes
    /// [`Self::build`] and sending fail with [`Error::InvalidRequest`].
    pub fn select<I, S>(self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.set_list_option("$select", fields)
    }

    /// `$expand`: related entities returned inline, e.g. `.expand(["manager", "memberOf"])` sends
    /// `$expand=manager,memberOf`. An item may carry its own options, e.g. `"manager($select=id)"`.
    ///
    /// Encoded and checked like [`Self::select`]; a later call replaces an earlier one.
    pub fn expand<I, S>(self, relations: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.set_list_option("$expand", relations)
    }

    /// `$orderby`: the sort order, each item a full expression, e.g.
    /// `.orderby(["displayName desc", "id"])` sends `$orderby=displayName%20desc,id`.
    ///
    /// Encoded and checked like [`Self::select`]; a later call replaces an earlier one. Ordering
    /// directory objects (users, groups, …) together with `$filter` or `$search` is an advanced query:
    /// see [`Self::consistency_level_eventual`].
    pub fn orderby<I, S>(self, expressions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.set_list_option("$orderby", expressions)
    }

    /// `$filter`: an OData filter expression, e.g. `.filter("startswith(displayName,'A')")`.
    ///
    /// The expression is sent as given, percent-encoded like a [`Self::query`] value (a space as
    /// `%20`, `'` as `%27`, …); string literals inside it use OData's single quotes, with a quote
    /// doubled (`'O''Brien'`). A later call replaces an earlier one. Some filters on directory objects
    /// (`endsWith`, `ne`, `not`, …) are advanced queries: see [`Self::consistency_level_eventual`].
    pub fn filter(self, expression: impl AsRef<str>) -> Self {
        self.set_option("$filter", encode_query_value(expression.as_ref()))
    }

    /// `$search`: a search expression, sent as given (percent-encoded like a [`Self::query`] value).
    ///
    /// Graph wants the search term in double quotes, with the property first for directory objects:
    /// `.search("\"displayName:ada\"")`; on directory objects `$search` also needs
    /// [`Self::consistency_level_eventual`]. A later call replaces an earlier one.
    pub fn search(self, expression: impl AsRef<str>) -> Self {
        self.set_option("$search", encode_query_value(expression.as_ref()))
    }

    /// `$top`: at most `n` items per page (Graph may return fewer, with an `@odata.nextLink` to the
    /// rest; see [`Self::pages`]). A later call replaces an earlier one.
    pub fn top(self, n: u32) -> Self {
        self.set_option("$top", n.to_string())
    }

    /// `$skip`: skips the first `n` items. Not every collection supports it (directory objects page
    /// with `$skiptoken` in the `@odata.nextLink` instead). A later call replaces an earlier one.
    pub fn skip(self, n: u32) -> Self {
        self.set_option("$skip", n.to_string())
    }

    /// `$count=true` (or `false`): asks for the total number of matching items in
    /// `@odata.count`. On directory objects (users, groups, applications, …) it is an advanced query
    /// and needs [`Self::consistency_level_eventual`]. A later call replaces an earlier one.
    pub fn count(self, include: bool) -> Self {
        self.set_option("$count", include.to_string())
    }

    /// Sends the header `ConsistencyLevel: eventual`, replacing an earlier `ConsistencyLevel` header.
    ///
    /// Graph requires it for *advanced queries* on directory objects (users, groups, applications,
    /// devices, …): `$count`, `$search`, `$filter` with `endsWith`, `ne`, `not` or on some properties,
    /// and `$orderby` combined with `$filter` or `$search`. The answer then comes from an index that
    /// may lag recent changes by a little. Other resources ignore it. [`Self::pages`] sends it with
    /// every page.
    pub fn consistency_level_eventual(mut self) -> Self {
        self.headers.insert(CONSISTENCY_LEVEL, HeaderValue::from_static("eventual"));
        self
    }

    /// Records that `operation` (named like `POST /users/{user-id}/presence/clearPresence`) exists only
    /// in `clouds`; generated code calls this with the clouds of the operation's reference page.
    ///
    /// When the adapter is in a cloud that is not in `clouds` (see [`RequestAdapter::cloud`]),
    /// [`Self::build`] and sending return [`Error::NotAvailableInCloud`]: no token is requested and
    /// nothing is sent. When the adapter is in no cloud (a custom or loopback base URL without
    /// [`ClientBuilder::cloud`](crate::ClientBuilder::cloud)), nothing is checked. A later call replaces
    /// an earlier one.
    ///
    /// ```
    /// use msgraph_runtime::{BaseRequestBuilder, Method, NationalCloud, NoContent, RequestAdapter, StaticTokenProvider};
    ///
    /// let adapter: RequestAdapter =
    ///     RequestAdapter::builder().cloud(NationalCloud::China).auth(StaticTokenProvider::new("t")).build()?;
    /// let request = BaseRequestBuilder::new(adapter)
    ///     .segment("me")
    ///     .request::<NoContent, serde_json::Value>(Method::GET)
    ///     .available_in("GET /me", &[NationalCloud::Global]);
    /// assert!(request.build().unwrap_err().is_not_available_in_cloud());
    /// # Ok::<(), msgraph_runtime::Error>(())
    /// ```
    pub fn available_in(mut self, operation: &'static str, clouds: &'static [NationalCloud]) -> Self {
        self.availability = Some(Availability { operation, clouds });
        self
    }

    /// [`Error::NotAvailableInCloud`] when the operation does not exist in the adapter's cloud.
    fn check_availability(&self) -> Result<(), Error<E>> {
        let (Some(availability), Some(cloud)) = (&self.availability, self.adapter.cloud()) else {
            return Ok(());
        };
        if availability.clouds.contains(&cloud) {
            Ok(())
        } else {
            Err(Error::NotAvailableInCloud { operation: availability.operation, cloud, available: availability.clouds })
        }
    }

    fn record(&mut self, problem: String) {
        self.problem.get_or_insert(problem);
    }

    /// What a `$batch` step needs: the built request and the headers set on this request itself
    /// (not the defaults every request gets), without `Authorization`.
    pub(crate) fn batch_parts(&self) -> Result<(HttpRequest, HeaderMap), Error<E>> {
        self.check_availability()?;
        let url = self.url().map_err(Error::InvalidRequest)?;
        let mut own = self.headers.clone();
        own.remove(AUTHORIZATION);
        Ok((HttpRequest { method: self.method.clone(), url, headers: self.headers(), body: self.body.clone() }, own))
    }

    /// This request, made unsendable: [`Self::build`] and sending report `problem`.
    pub(crate) fn invalid(mut self, problem: String) -> Self {
        self.record(problem);
        self
    }

    /// The request for the collection page at `next_link` (an `@odata.nextLink`): a `GET` through the
    /// same adapter with the same per-request headers (`ConsistencyLevel`, `Prefer`, an explicit
    /// `Authorization`, …) and cloud availability, but no query options of its own (the link carries
    /// its own query), no body and no `Content-Type`, and a fresh `client-request-id` even when this
    /// request set one.
    pub(crate) fn next_page(&self, next_link: Url) -> Self {
        let mut headers = self.headers.clone();
        headers.remove(CONTENT_TYPE);
        headers.remove(CONTENT_LENGTH);
        headers.remove(CLIENT_REQUEST_ID);
        Self {
            adapter: self.adapter.clone(),
            method: Method::GET,
            target: Target::Absolute(next_link),
            query: Vec::new(),
            headers,
            body: None,
            problem: self.problem.clone(),
            availability: self.availability,
            options: self.options.clone(),
            template: Some(format!("{} (next page)", self.url_template().trim_end_matches(" (next page)"))),
            _types: PhantomData,
        }
    }

    /// The URL of this request when it is a `GET` that can be built: a page that links back to it
    /// would repeat itself.
    pub(crate) fn get_url(&self) -> Option<Url> {
        (self.method == Method::GET).then(|| self.url().ok()).flatten()
    }

    /// The URL this request goes to, with its query.
    fn url(&self) -> Result<Url, String> {
        if let Some(problem) = &self.problem {
            return Err(problem.clone());
        }
        let mut url = match &self.target {
            Target::Path(path) => path_url(&self.adapter, path)?,
            Target::Absolute(url) => {
                if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
                    return Err(format!("{} is not an http(s) URL", crate::send::without_query(url)));
                }
                url.clone()
            }
        };
        if !self.query.is_empty() {
            let added = self.query.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("&");
            let query = match url.query() {
                Some(existing) if !existing.is_empty() => format!("{existing}&{added}"),
                _ => added,
            };
            url.set_query(Some(&query));
        }
        if url.as_str().len() > MAX_URL_LEN {
            return Err(format!(
                "the URL is {} bytes long, more than the {MAX_URL_LEN} a request may have",
                url.as_str().len()
            ));
        }
        Ok(url)
    }

    /// Every header except `Authorization`: defaults first, replaced by per-request headers.
    fn headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::with_capacity(8);
        let json = HeaderValue::from_static(APPLICATION_JSON);
        if self.body.is_some() {
            headers.insert(CONTENT_TYPE, json.clone());
        }
        headers.insert(ACCEPT, json);
        let sdk_version = self.adapter.sdk_version_header();
        headers.insert(SDK_VERSION, sdk_version.clone());
        headers.insert(USER_AGENT, sdk_version.clone());
        // A fresh random (version 4) id; it identifies, it protects nothing, so a fast generator does.
        let request_id = uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid();
        let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
        if let Ok(value) = HeaderValue::from_bytes(request_id.hyphenated().encode_lower(&mut text).as_bytes()) {
            headers.insert(CLIENT_REQUEST_ID, value);
        }
        for name in self.headers.keys() {
            headers.remove(name);
        }
        for (name, value) in &self.headers {
            if name != AUTHORIZATION {
                headers.append(name, value.clone());
            }
        }
        headers
    }
}

/// A request's URL template (see [`Request::url_template`]), written only when shown.
struct UrlTemplate<'a, H, E>(&'a Request<H, E>);

impl<H, E> fmt::Display for UrlTemplate<'_, H, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let request = self.0;
        if let Some(template) = &request.template {
            return f.write_str(template);
        }
        match &request.target {
            Target::Path(path) => {
                let base = request.adapter.base_url().path().trim_end_matches('/');
                write!(f, "{base}{}", path.template())
            }
            Target::Absolute(url) => write!(f, "{}/…", url.origin().ascii_serialization()),
        }
    }
}

/// The clouds an operation exists in, from [`Request::available_in`].
#[derive(Clone, Copy, Debug)]
struct Availability {
    operation: &'static str,
    clouds: &'static [NationalCloud],
}

/// The base URL followed by `path`, checked to have exactly the expected segments.
fn path_url(adapter: &RequestAdapter, path: &UrlPath) -> Result<Url, String> {
    if let Some(problem) = path.problem() {
        return Err(problem.to_owned());
    }
    let base = adapter.base_url();
    let base_path = if base.path() == "/" { "" } else { base.path() };
    let mut full = String::with_capacity(base_path.len() + path.encoded().len() + 1);
    full.push_str(base_path);
    full.push_str(path.encoded());
    if full.is_empty() {
        full.push('/');
    }
    let mut url = base.clone();
    url.set_path(&full);
    // Defence in depth: the encoding keeps every value one segment, and no URL normalisation may
    // have changed that (the same text is the same segments).
    if url.path() == full {
        Ok(url)
    } else {
        Err(format!("the path {path} does not stay below the base URL as written"))
    }
}

impl<H, E> Request<H, E>
where
    H: ResponseHandler,
    E: DeserializeOwned + fmt::Debug + Send + Sync + 'static,
{
    /// The request as it would be sent: method, full URL, headers (`Accept`, `Content-Type` when there
    /// is a body, `SdkVersion`, `User-Agent`, `client-request-id` and per-request headers) and body.
    ///
    /// Nothing is sent, no token is requested, and the `Authorization` header is never included. Each
    /// call generates a new `client-request-id`.
    ///
    /// # Errors
    ///
    /// [`Error::NotAvailableInCloud`] when the operation does not exist in the adapter's cloud (see
    /// [`Self::available_in`]); [`Error::InvalidRequest`] when a path parameter cannot be one segment, a
    /// header is invalid, the body did not serialise, or the URL is not usable.
    pub fn build(&self) -> Result<HttpRequest, Error<E>> {
        self.check_availability()?;
        let url = self.url().map_err(Error::InvalidRequest)?;
        Ok(HttpRequest { method: self.method.clone(), url, headers: self.headers(), body: self.body.clone() })
    }

    /// Sends the request, following redirects and retrying as the [`RetryPolicy`] says, and reads the
    /// response with `H`.
    ///
    /// The token is requested from the provider and attached only for hops that may receive it (see
    /// [`RequestAdapter::sends_token_to`]). Redirects (at most [`MAX_REDIRECTS`]): 301, 302 and 303
    /// become a `GET` without body unless the method was `GET` or `HEAD`; 307 and 308 repeat the
    /// method and body. Each attempt (its redirects and the whole body included) runs under the request
    /// timeout, and the body is read up to the response body cap.
    ///
    /// # Errors
    ///
    /// See [`Error`]: a non-2xx answer (after retries) is [`Error::Service`], a 2xx the handler cannot
    /// read is [`Error::Decode`], no response is [`Error::Transport`] or [`Error::Timeout`], a body
    /// over the cap is [`Error::BodyTooLarge`]. The errors of [`Self::build`] are returned before a
    /// token is requested or anything is sent.
    pub async fn send(self) -> Result<H::Output, Error<E>> {
        let strict = self.options.strict || self.adapter.strict_reading();
        let response = self.send_raw().await?;
        if strict {
            crate::object::strict(|| finish::<H, E>(response))
        } else {
            finish::<H, E>(response)
        }
    }

    /// Sends the request and returns its response with the body still to be read, in chunks
    /// ([`Download::chunk`](crate::Download::chunk)): for `$value` downloads and other bodies too large to hold, which
    /// [`Self::max_response_body`] does not bound.
    ///
    /// Retries and redirects apply until the response headers arrive, within the request timeout;
    /// then each chunk must arrive within the request timeout.
    ///
    /// ```no_run
    /// # async fn run(request: msgraph_runtime::Request<msgraph_runtime::Bytes>) -> Result<(), msgraph_runtime::Error> {
    /// let mut download = request.download().await?;
    /// let mut total = 0;
    /// while let Some(chunk) = download.chunk().await? {
    ///     total += chunk.len(); // write it to a file
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Self::send`]; a non-2xx answer is [`Error::Service`].
    pub async fn download(mut self) -> Result<crate::Download<E>, Error<E>> {
        self.options.stream = true;
        let timeout = self.options.timeout.unwrap_or_else(|| self.adapter.timeout());
        let adapter = self.adapter.clone();
        let mut response = self.send_raw().await?;
        match response.stream.take() {
            Some(stream) => Ok(crate::Download::new(adapter, response.status, response.headers, stream, timeout)),
            None => Err(finish::<crate::response::NoContent, E>(response)
                .err()
                .unwrap_or_else(|| Error::InvalidRequest("the response has no body to stream".to_owned()))),
        }
    }

    /// Sends the request and returns the final response, whatever its status.
    pub(crate) async fn send_raw(self) -> Result<RawResponse, Error<E>> {
        let built = self.build()?;
        let template = UrlTemplate(&self);
        let hop = Hop {
            method: built.method,
            url: built.url,
            headers: built.headers,
            body: built.body.map(bytes::Bytes::from),
        };
        execute(&self.adapter, hop, self.headers.get(AUTHORIZATION), &self.options, &template).await
    }
}

/// The request's result from the final response: `H` reads a 2xx, anything else is
/// [`Error::Service`] (its body parsed as `E` when it is complete).
pub(crate) fn finish<H, E>(response: RawResponse) -> Result<H::Output, Error<E>>
where
    H: ResponseHandler,
    E: DeserializeOwned,
{
    let RawResponse { status, headers, body, .. } = response;
    if status.is_success() {
        return H::handle_body(status, &headers, body).map_err(|(source, mut body)| {
            body.truncate(ERROR_BODY_PREFIX);
            Error::Decode { status, body, source }
        });
    }
    let odata = serde_json::from_slice(&body).ok();
    Err(Error::Service(Box::new(ServiceError::new(status, headers, body, odata))))
}

impl<H, E> IntoFuture for Request<H, E>
where
    H: ResponseHandler,
    E: DeserializeOwned + fmt::Debug + Send + Sync + 'static,
{
    type Output = Result<H::Output, Error<E>>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<H, E> Clone for Request<H, E> {
    fn clone(&self) -> Self {
        Self {
            adapter: self.adapter.clone(),
            method: self.method.clone(),
            target: self.target.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            problem: self.problem.clone(),
            availability: self.availability,
            options: self.options.clone(),
            template: self.template.clone(),
            _types: PhantomData,
        }
    }
}

/// `Debug` shows the URL with query values redacted (see [`Request`]).
impl<H, E> fmt::Debug for Request<H, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = match (self.url(), &self.target) {
            (Ok(url), _) => redact_query(&url).to_string(),
            (Err(_), Target::Path(path)) => format!("{} + {path}", self.adapter.base_url()),
            (Err(_), Target::Absolute(url)) => redact_query(url).to_string(),
        };
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &url)
            .field("headers", &Redacted(&self.headers))
            .field("body_len", &self.body.as_ref().map(Vec::len))
            .field("problem", &self.problem)
            .field("available_in", &self.availability.map(|availability| availability.clouds))
            .finish()
    }
}

/// A request as it would be sent, from [`Request::build`]: never includes the `Authorization` header.
///
/// `Debug` hides the values of `Authorization`, `Proxy-Authorization` and `Cookie` headers and of
/// headers marked sensitive, and the values of the URL's query parameters.
#[derive(Clone)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The full URL, query included.
    pub url: Url,
    /// The headers.
    pub headers: HeaderMap,
    /// The body, if any.
    pub body: Option<Vec<u8>>,
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &redact_query(&self.url).as_str())
            .field("headers", &Redacted(&self.headers))
            .field("body", &self.body.as_deref().map(String::from_utf8_lossy))
            .finish()
    }
}

/// Headers shown with secret values replaced by `<redacted>`.
struct Redacted<'a>(&'a HeaderMap);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            let secret = value.is_sensitive() || name == AUTHORIZATION || name == PROXY_AUTHORIZATION || name == COOKIE;
            if secret {
                map.entry(name, &"<redacted>");
            } else {
                map.entry(name, value);
            }
        }
        map.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NoContent, StaticTokenProvider};

    fn adapter(base: &str) -> RequestAdapter {
        RequestAdapter::builder().base_url(base).auth(StaticTokenProvider::new("t")).build().unwrap()
    }

    #[test]
    fn urls_join_base_path_and_query() {
        let base = BaseRequestBuilder::new(adapter("https://graph.microsoft.com/v1.0/"));
        let request: Request<NoContent> = base
            .segment("users")
            .parameter("user-id", "a b")
            .request(Method::GET)
            .query("$select", "id,displayName")
            .query("$filter", "name eq 'x+y'");
        let built = request.build().unwrap();
        assert_eq!(
            built.url.as_str(),
            "https://graph.microsoft.com/v1.0/users/a%20b?$select=id%2CdisplayName&$filter=name%20eq%20%27x%2By%27"
        );
        let root: Request<NoContent> = BaseRequestBuilder::new(adapter("https://example.com")).request(Method::GET);
        assert_eq!(root.build().unwrap().url.as_str(), "https://example.com/");
        let base_only: Request<NoContent> =
            BaseRequestBuilder::new(adapter("https://example.com/v1.0")).request(Method::GET);
        assert_eq!(base_only.build().unwrap().url.as_str(), "https://example.com/v1.0");
        let odd: Request<NoContent> =
            BaseRequestBuilder::new(adapter("https://example.com/a//b/")).segment("c").request(Method::GET);
        assert_eq!(odd.build().unwrap().url.as_str(), "https://example.com/a//b/c");
    }

    fn users() -> Request<NoContent> {
        BaseRequestBuilder::new(adapter("https://graph.microsoft.com/v1.0")).segment("users").request(Method::GET)
    }

    fn query_of(request: &Request<NoContent>) -> String {
        request.build().unwrap().url.query().unwrap_or_default().to_owned()
    }

    #[test]
    fn odata_options_are_encoded_as_graph_expects() {
        let request = users()
            .select(["id", "displayName"])
            .expand(["manager($select=id,displayName)"])
            .filter("startswith(displayName,'A')")
            .orderby(["displayName desc", "id"])
            .search("\"displayName:ada\"")
            .top(5)
            .skip(10)
            .count(true);
        assert_eq!(
            request.build().unwrap().url.as_str(),
            "https://graph.microsoft.com/v1.0/users?$select=id,displayName\
             &$expand=manager%28%24select%3Did%2CdisplayName%29\
             &$filter=startswith%28displayName%2C%27A%27%29\
             &$orderby=displayName%20desc,id\
             &$search=%22displayName%3Aada%22\
             &$top=5&$skip=10&$count=true"
        );
        assert_eq!(query_of(&users().count(false).select(vec![String::from("id")])), "$count=false&$select=id");
    }

    #[test]
    fn odata_values_with_reserved_and_non_ascii_characters_stay_one_value() {
        let request = users().filter("displayName eq 'Zoë & \"Co\" #1+2'").select(["a b", "x&y=z", "ü#"]);
        assert_eq!(
            query_of(&request),
            "$filter=displayName%20eq%20%27Zo%C3%AB%20%26%20%22Co%22%20%231%2B2%27&$select=a%20b,x%26y%3Dz,%C3%BC%23"
        );
        let url = request.build().unwrap().url;
        let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        assert_eq!(
            pairs,
            [
                ("$filter".to_owned(), "displayName eq 'Zoë & \"Co\" #1+2'".to_owned()),
                ("$select".to_owned(), "a b,x&y=z,ü#".to_owned()),
            ]
        );
        assert_eq!(url.fragment(), None);
    }

    #[test]
    fn setting_an_option_again_replaces_it() {
        let request = users()
            .query("$top", "1")
            .query("$top", "2")
            .filter("a eq 1")
            .top(3)
            .select(["id"])
            .filter("b eq 2")
            .top(4)
            .select(["displayName"])
            .query("other", "x");
        assert_eq!(query_of(&request), "$filter=b%20eq%202&$top=4&$select=displayName&other=x");
        assert_eq!(query_of(&users().query("$top", "1").query("$top", "2")), "$top=1&$top=2", "query() appends");
    }

    #[test]
    fn empty_lists_and_blank_items_are_reported_at_build() {
        let empty = users().select(Vec::<&str>::new());
        assert!(matches!(empty.build(), Err(Error::InvalidRequest(m)) if m == "`$select` needs at least one item"));
        let blank = users().orderby(["id", " "]);
        assert!(
            matches!(blank.build(), Err(Error::InvalidRequest(m)) if m == "`$orderby` has a blank item at position 2")
        );
        assert!(matches!(users().expand([""]).build(), Err(Error::InvalidRequest(m)) if m.contains("`$expand`")));
    }

    #[test]
    fn consistency_level_is_one_header() {
        let request =
            users().header("ConsistencyLevel", "session").consistency_level_eventual().consistency_level_eventual();
        let built = request.build().unwrap();
        assert_eq!(built.headers.get_all("consistencylevel").iter().collect::<Vec<_>>(), ["eventual"]);
        assert_eq!(built.url.query(), None);
    }

    #[test]
    fn absolute_urls_keep_their_query() {
        let adapter = adapter("https://graph.microsoft.com/v1.0");
        let next = Url::parse("https://graph.microsoft.com/v1.0/users?$skiptoken=abc").unwrap();
        let request: Request<NoContent> = Request::with_url(&adapter, Method::GET, next).query("$top", "5");
        assert_eq!(
            request.build().unwrap().url.as_str(),
            "https://graph.microsoft.com/v1.0/users?$skiptoken=abc&$top=5"
        );
        let other: Request<NoContent> =
            Request::with_url(&adapter, Method::GET, Url::parse("data:text/plain,x").unwrap());
        assert!(matches!(other.build(), Err(Error::InvalidRequest(_))));
    }

    #[test]
    fn invalid_headers_and_bodies_are_reported_at_build() {
        let base = BaseRequestBuilder::new(adapter("https://graph.microsoft.com/v1.0"));
        let bad_name: Request<NoContent> = base.request(Method::GET).header("bad name", "x");
        assert!(matches!(bad_name.build(), Err(Error::InvalidRequest(m)) if m.contains("bad name")));
        let bad_value: Request<NoContent> = base.request(Method::GET).header("Authorization", "Bearer s3cret\n");
        let message = bad_value.build().unwrap_err().to_string();
        assert!(message.contains("authorization") && !message.contains("s3cret"), "{message}");
        let map = std::collections::HashMap::from([(vec![1u8], 1)]);
        let bad_body: Request<NoContent> = base.request(Method::POST).json_body(&map);
        assert!(matches!(bad_body.build(), Err(Error::InvalidRequest(m)) if m.contains("JSON")));
    }

    #[test]
    fn per_request_headers_replace_defaults_and_authorization_is_not_built() {
        let base = BaseRequestBuilder::new(adapter("https://graph.microsoft.com/v1.0"));
        let request: Request<NoContent> = base
            .request(Method::GET)
            .header("Accept", "text/plain")
            .header("Prefer", "a")
            .header("Prefer", "b")
            .header("Authorization", "Bearer mine");
        let built = request.build().unwrap();
        assert_eq!(built.headers.get_all(ACCEPT).iter().collect::<Vec<_>>(), ["text/plain"]);
        assert_eq!(built.headers.get_all("prefer").iter().collect::<Vec<_>>(), ["a", "b"]);
        assert!(built.headers.get(AUTHORIZATION).is_none());
        assert!(built.headers.get(CONTENT_TYPE).is_none(), "no body, no content type");
        assert!(!format!("{request:?}").contains("mine"));
        let mut built = built;
        built.headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer mine"));
        assert!(!format!("{built:?}").contains("mine"));
    }

    #[test]
    fn a_body_has_one_content_type_the_last_set() {
        let base = BaseRequestBuilder::new(adapter("https://graph.microsoft.com/v1.0"));
        let request: Request<NoContent> = base
            .request(Method::PUT)
            .bytes_body("application/octet-stream", "hello")
            .header("Content-Type", "text/plain");
        let built = request.build().unwrap();
        assert_eq!(built.headers.get_all(CONTENT_TYPE).iter().collect::<Vec<_>>(), ["text/plain"]);
    }
}
