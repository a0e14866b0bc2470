//! JSON batching: several requests in one `POST /$batch`, each answer read as its own typed result.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use http::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use http::{HeaderMap, Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::adapter::RequestAdapter;
use crate::error::Error;
use crate::request::{finish, BaseRequestBuilder, Request};
use crate::response::{Json, ResponseHandler};
use crate::retry::{is_retryable_status, retry_after, RetryPolicy};
use crate::send::RawResponse;
use msgraph_edm::Base64;

/// The most requests Graph accepts in one `$batch`.
pub const MAX_BATCH_SIZE: usize = 20;

/// Requests sent together through Graph's JSON batching (`POST {base}/$batch`), each answer read by its
/// step as the operation's own typed result or typed error.
///
/// Add requests built with the normal builders ([`Self::add`]); each gets an id (`1`, `2`, …) and
/// returns a typed [`BatchStep`]. [`Self::add_after`] makes a request wait for others (`dependsOn`).
/// [`Self::send`] posts them in batches of at most [`MAX_BATCH_SIZE`] (requests that depend on each
/// other stay in one batch), retries inner requests that were throttled (429) or briefly unavailable
/// (503, 504) under the client's [`RetryPolicy`] in a further batch, and returns every answer:
/// [`BatchResponses::get`] reads one as the request itself would have.
///
/// Each inner request keeps its method, URL below the base URL (with its query), the headers set on
/// it and its body (JSON as JSON, other content base64-encoded); the outer request carries the token.
///
/// ```no_run
/// use msgraph_runtime::{Batch, BaseRequestBuilder, Json, Method, RequestAdapter, StaticTokenProvider};
///
/// # async fn run() -> Result<(), msgraph_runtime::Error> {
/// let adapter = RequestAdapter::new(StaticTokenProvider::new("eyJ0eXAi…"));
/// let users = BaseRequestBuilder::new(adapter.clone()).segment("users");
/// let mut batch = Batch::new(&adapter);
/// let adele = batch.add(users.parameter("user-id", "adele@contoso.com").request::<Json<serde_json::Value>, _>(Method::GET));
/// let alex = batch.add(users.parameter("user-id", "alex@contoso.com").request::<Json<serde_json::Value>, _>(Method::GET));
/// let answers = batch.send().await?;
/// let adele = answers.get(&adele)?; // the user, or that request's own error (e.g. a 404)
/// let alex = answers.get(&alex);
/// # Ok(())
/// # }
/// ```
pub struct Batch<E = serde_json::Value> {
    adapter: RequestAdapter,
    retry: Option<RetryPolicy>,
    steps: Vec<Step>,
    problem: Option<String>,
    _error: PhantomData<fn() -> E>,
}

/// One inner request as it goes on the wire.
#[derive(Clone, Debug, Serialize)]
struct Step {
    id: String,
    #[serde(serialize_with = "method_text")]
    method: Method,
    url: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    headers: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<serde_json::Value>,
    #[serde(rename = "dependsOn", skip_serializing_if = "Vec::is_empty")]
    depends_on: Vec<String>,
}

fn method_text<S: serde::Serializer>(method: &Method, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(method.as_str())
}

/// A request added to a [`Batch`]: read its answer with [`BatchResponses::get`] as `H` reads it.
pub struct BatchStep<H> {
    id: String,
    _handler: PhantomData<fn() -> H>,
}

impl<H> BatchStep<H> {
    /// The step's id in the batch (`1`, `2`, …), as `dependsOn` names it.
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl<H> Clone for BatchStep<H> {
    fn clone(&self) -> Self {
        Self { id: self.id.clone(), _handler: PhantomData }
    }
}

impl<H> fmt::Debug for BatchStep<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("BatchStep").field(&self.id).finish()
    }
}

impl<E> Batch<E>
where
    E: DeserializeOwned + fmt::Debug + Send + Sync + 'static,
{
    /// An empty batch sent through `adapter` (to `{base URL}/$batch`).
    pub fn new(adapter: &RequestAdapter) -> Self {
        Self { adapter: adapter.clone(), retry: None, steps: Vec::new(), problem: None, _error: PhantomData }
    }

    /// Retries the `$batch` requests, and the throttled requests inside them, with `policy` instead of
    /// the client's ([`RetryPolicy::none`]: each answer as it comes).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Adds `request`, answered independently of the others.
    ///
    /// A request that cannot be built, or whose URL is not below the adapter's base URL, makes
    /// [`Self::send`] fail with its error before anything is sent.
    pub fn add<H: ResponseHandler>(&mut self, request: Request<H, E>) -> BatchStep<H> {
        self.add_after(request, &[])
    }

    /// Adds `request`, run only after the steps with the ids `after` (`dependsOn`), e.g.
    /// `batch.add_after(request, &[first.id()])`. Steps that depend on each other go in the same
    /// `$batch`.
    pub fn add_after<H: ResponseHandler>(&mut self, request: Request<H, E>, after: &[&str]) -> BatchStep<H> {
        let id = (self.steps.len() + 1).to_string();
        match self.step(&request, id.clone(), after) {
            Ok(step) => self.steps.push(step),
            Err(problem) => {
                self.problem.get_or_insert(format!("batch step {id}: {problem}"));
                self.steps.push(Step {
                    id: id.clone(),
                    method: Method::GET,
                    url: String::new(),
                    headers: BTreeMap::new(),
                    body: None,
                    depends_on: Vec::new(),
                });
            }
        }
        BatchStep { id, _handler: PhantomData }
    }

    /// How many requests were added.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Whether no request was added.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    fn step<H>(&self, request: &Request<H, E>, id: String, after: &[&str]) -> Result<Step, String> {
        let (built, own_headers) = request.batch_parts().map_err(|error| error.to_string())?;
        let base = self.adapter.base_url();
        let base_path = base.path().trim_end_matches('/');
        let url = &built.url;
        let below = url.origin() == base.origin()
            && url.path().starts_with(base_path)
            && matches!(url.path().as_bytes().get(base_path.len()), Some(b'/') | None);
        if !below {
            return Err("its URL is not below the base URL".to_owned());
        }
        let mut relative = url.path()[base_path.len()..].to_owned();
        if relative.is_empty() {
            relative.push('/');
        }
        if let Some(query) = url.query() {
            relative.push('?');
            relative.push_str(query);
        }
        let mut headers = BTreeMap::new();
        for (name, value) in &own_headers {
            let value = value.to_str().map_err(|_| format!("the value of header `{name}` is not text"))?;
            headers.insert(name.as_str().to_owned(), value.to_owned());
        }
        let body = match built.body {
            None => None,
            Some(bytes) => {
                let content_type = built.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
                headers.insert(CONTENT_TYPE.as_str().to_owned(), content_type.to_owned());
                match serde_json::from_slice(&bytes) {
                    Ok(json) if is_json(content_type) => Some(json),
                    _ => Some(serde_json::Value::String(Base64(bytes).to_string())),
                }
            }
        };
        for dependency in after {
            let known = dependency.parse::<usize>().is_ok_and(|n| n >= 1 && n <= self.steps.len());
            if !known {
                return Err(format!("it depends on {dependency:?}, which is not an earlier step"));
            }
        }
        Ok(Step {
            id,
            method: built.method,
            url: relative,
            headers,
            body,
            depends_on: after.iter().map(|id| (*id).to_owned()).collect(),
        })
    }

    /// Sends every request: in `$batch` requests of at most [`MAX_BATCH_SIZE`], one after another,
    /// then again those that were throttled (see [`Batch`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when a request could not be added or more than [`MAX_BATCH_SIZE`]
    /// depend on each other; the errors of the `$batch` request itself (an inner request's error is
    /// returned by [`BatchResponses::get`]).
    pub async fn send(self) -> Result<BatchResponses<E>, Error<E>> {
        if let Some(problem) = self.problem {
            return Err(Error::InvalidRequest(problem));
        }
        let policy = self.retry.clone().unwrap_or_else(|| self.adapter.retry_policy().clone());
        let mut answers: HashMap<String, RawResponse> = HashMap::new();
        for group in groups(&self.steps)? {
            let steps: Vec<Step> = group.into_iter().map(|index| self.steps[index].clone()).collect();
            self.send_group(steps, &policy, &mut answers).await?;
        }
        Ok(BatchResponses { answers, _error: PhantomData })
    }

    /// Sends `steps` (at most [`MAX_BATCH_SIZE`], their dependencies among them), then the throttled
    /// ones again while the policy allows.
    async fn send_group(
        &self,
        mut steps: Vec<Step>,
        policy: &RetryPolicy,
        answers: &mut HashMap<String, RawResponse>,
    ) -> Result<(), Error<E>> {
        let mut waited = Duration::ZERO;
        let mut retries = 0;
        loop {
            let body = BatchRequestBody { requests: &steps };
            let sent: BatchResponseBody = BaseRequestBuilder::new(self.adapter.clone())
                .segment("$batch")
                .request::<Json<BatchResponseBody>, E>(Method::POST)
                .json_body(&body)
                .retry(policy.clone())
                .send()
                .await?;
            let mut throttled = Vec::new();
            let mut wait: Option<Duration> = None;
            for answer in sent.responses {
                let response = answer.into_raw();
                if is_retryable_status(response.response.status) {
                    throttled.push(response.id.clone());
                    if let Some(after) = retry_after(&response.response.headers) {
                        wait = Some(wait.map_or(after, |wait| wait.max(after)));
                    }
                }
                answers.insert(response.id, response.response);
            }
            if throttled.is_empty() {
                return Ok(());
            }
            // Retry the throttled steps, and those that failed because one of them did (424).
            let mut again: Vec<String> = throttled;
            for step in &steps {
                let failed_dependency =
                    answers.get(&step.id).is_some_and(|r| r.status == StatusCode::FAILED_DEPENDENCY);
                if failed_dependency && step.depends_on.iter().any(|id| again.contains(id)) {
                    again.push(step.id.clone());
                }
            }
            // The longest Retry-After of the throttled answers, else the policy's backoff.
            let Some(delay) = policy.delay(retries + 1, wait, waited) else {
                return Ok(());
            };
            tokio::time::sleep(delay).await;
            waited += delay;
            retries += 1;
            steps.retain(|step| again.contains(&step.id));
            for step in &mut steps {
                step.depends_on.retain(|id| again.contains(id));
            }
        }
    }
}

/// Whether `content_type` is JSON (`application/json`, `…+json`, with parameters).
fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// The steps split into batches of at most [`MAX_BATCH_SIZE`] (indexes, in order), each set of steps
/// connected by `dependsOn` kept in one batch.
fn groups<E>(steps: &[Step]) -> Result<Vec<Vec<usize>>, Error<E>> {
    // Union-find over the dependencies: each step's root is the earliest step of its set.
    let mut parent: Vec<usize> = (0..steps.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (index, step) in steps.iter().enumerate() {
        for dependency in &step.depends_on {
            let Some(other) = dependency.parse::<usize>().ok().and_then(|n| n.checked_sub(1)) else { continue };
            let (a, b) = (root(&mut parent, index), root(&mut parent, other));
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut sets: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for index in 0..steps.len() {
        let set = root(&mut parent, index);
        sets.entry(set).or_default().push(index);
    }
    let mut batches: Vec<Vec<usize>> = Vec::new();
    for set in sets.into_values() {
        if set.len() > MAX_BATCH_SIZE {
            return Err(Error::InvalidRequest(format!(
                "{} batch steps depend on each other (starting with step {}); a $batch holds at most {MAX_BATCH_SIZE}",
                set.len(),
                set[0] + 1
            )));
        }
        match batches.last_mut() {
            Some(last) if last.len() + set.len() <= MAX_BATCH_SIZE => last.extend(set),
            _ => batches.push(set),
        }
    }
    for batch in &mut batches {
        batch.sort_unstable();
    }
    Ok(batches)
}

#[derive(Serialize)]
struct BatchRequestBody<'a> {
    requests: &'a [Step],
}

#[derive(Deserialize)]
struct BatchResponseBody {
    #[serde(default)]
    responses: Vec<InnerResponse>,
}

#[derive(Deserialize)]
struct InnerResponse {
    id: String,
    status: u16,
    #[serde(default)]
    headers: HashMap<String, String>,
    #[serde(default)]
    body: Option<serde_json::Value>,
}

/// An inner response with its id.
struct Answer {
    id: String,
    response: RawResponse,
}

impl InnerResponse {
    fn into_raw(self) -> Answer {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_GATEWAY);
        let mut headers = HeaderMap::new();
        for (name, value) in &self.headers {
            if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
                headers.append(name, value);
            }
        }
        let json = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_none_or(is_json);
        let body = match self.body {
            None | Some(serde_json::Value::Null) => Vec::new(),
            Some(serde_json::Value::String(text)) if !json => match text.parse::<Base64>() {
                Ok(bytes) => bytes.0,
                Err(_) => text.into_bytes(),
            },
            Some(value) => serde_json::to_vec(&value).unwrap_or_default(),
        };
        Answer { id: self.id, response: RawResponse { status, headers, body, stream: None } }
    }
}

/// The answers of a sent [`Batch`], by step.
pub struct BatchResponses<E = serde_json::Value> {
    answers: HashMap<String, RawResponse>,
    _error: PhantomData<fn() -> E>,
}

impl<E> BatchResponses<E>
where
    E: DeserializeOwned,
{
    /// The answer of `step`, read as its request would have read it: `H::Output` for a 2xx,
    /// [`Error::Service`] (with the parsed error model) for any other status, [`Error::Decode`] for a
    /// 2xx `H` cannot read.
    ///
    /// # Errors
    ///
    /// As above; [`Error::InvalidRequest`] when the service gave no answer for the step.
    pub fn get<H: ResponseHandler>(&self, step: &BatchStep<H>) -> Result<H::Output, Error<E>> {
        let answer = self
            .answers
            .get(&step.id)
            .ok_or_else(|| Error::InvalidRequest(format!("the $batch answer has no response for step {}", step.id)))?;
        let copy = RawResponse {
            status: answer.status,
            headers: answer.headers.clone(),
            body: answer.body.clone(),
            stream: None,
        };
        finish::<H, E>(copy)
    }

    /// The status of the answer of the step with `id`, if there is one.
    pub fn status(&self, id: &str) -> Option<StatusCode> {
        self.answers.get(id).map(|answer| answer.status)
    }

    /// How many answers there are.
    pub fn len(&self) -> usize {
        self.answers.len()
    }

    /// Whether there is no answer.
    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }
}

impl<E> fmt::Debug for Batch<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let steps: Vec<String> = self
            .steps
            .iter()
            .map(|step| format!("{} {} {}", step.id, step.method, step.url.split('?').next().unwrap_or_default()))
            .collect();
        f.debug_struct("Batch").field("steps", &steps).field("problem", &self.problem).finish()
    }
}

impl<E> fmt::Debug for BatchResponses<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let statuses: BTreeMap<&str, u16> =
            self.answers.iter().map(|(id, answer)| (id.as_str(), answer.status.as_u16())).collect();
        f.debug_struct("BatchResponses").field("statuses", &statuses).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(id: usize, depends_on: &[usize]) -> Step {
        Step {
            id: id.to_string(),
            method: Method::GET,
            url: "/me".into(),
            headers: BTreeMap::new(),
            body: None,
            depends_on: depends_on.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn batches_hold_twenty_and_keep_dependencies_together() {
        let plain: Vec<Step> = (1..=45).map(|id| step(id, &[])).collect();
        let sizes: Vec<usize> = groups::<()>(&plain).unwrap().iter().map(Vec::len).collect();
        assert_eq!(sizes, [20, 20, 5]);

        // 19 independent steps, then 3 chained ones: the chain does not fit with the 19 and moves on.
        let mut chained: Vec<Step> = (1..=19).map(|id| step(id, &[])).collect();
        chained.extend([step(20, &[]), step(21, &[20]), step(22, &[21])]);
        let batches = groups::<()>(&chained).unwrap();
        assert_eq!(batches[0], (0..19).collect::<Vec<_>>());
        assert_eq!(batches[1], [19, 20, 21]);

        let long: Vec<Step> = (1..=21).map(|id| step(id, if id > 1 { &[1] } else { &[] })).collect();
        let err = groups::<()>(&long).unwrap_err();
        assert!(err.to_string().contains("21 batch steps depend on each other"), "{err}");
    }

    #[test]
    fn steps_serialise_as_graph_expects() {
        let mut second = step(2, &[1]);
        second.method = Method::POST;
        second.body = Some(serde_json::json!({"a": 1}));
        second.headers.insert("content-type".into(), "application/json".into());
        let body = serde_json::to_value(BatchRequestBody { requests: &[step(1, &[]), second] }).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"requests": [
                {"id": "1", "method": "GET", "url": "/me"},
                {"id": "2", "method": "POST", "url": "/me", "headers": {"content-type": "application/json"},
                 "body": {"a": 1}, "dependsOn": ["1"]}
            ]})
        );
    }

    #[test]
    fn inner_bodies_are_json_or_base64() {
        let raw = |headers: serde_json::Value, body: serde_json::Value| {
            let inner: InnerResponse =
                serde_json::from_value(serde_json::json!({"id": "1", "status": 200, "headers": headers, "body": body}))
                    .unwrap();
            inner.into_raw().response.body
        };
        assert_eq!(raw(serde_json::json!({}), serde_json::json!({"x": 1})), br#"{"x":1}"#);
        assert_eq!(raw(serde_json::json!({"Content-Type": "image/png"}), serde_json::json!("AAEC")), [0, 1, 2]);
        assert_eq!(raw(serde_json::json!({"Content-Type": "application/json"}), serde_json::json!("hi")), br#""hi""#);
        assert!(raw(serde_json::json!({}), serde_json::Value::Null).is_empty());
    }
}
