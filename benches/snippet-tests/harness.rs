//! The loopback check of `cargo xtask snippet-tests`: a snippet, run against a local server, must send the request
//! it was written from.
//!
//! Compared as the service reads a request, with these normalisations (and no others):
//! - the path: percent-decoded, without case (Graph's URLs ignore it, and the SDK writes the metadata's case),
//!   without empty segments (`/users/` is `/users`), a cast or bound operation by its unqualified name
//!   (`microsoft.graph.sendMail`, `graph.security.close` and `close` are one: Graph reads each), `f()` as `f`,
//!   function arguments without quotes (`date='2018-03-05'` and `date=2018-03-05`), a key in parentheses as a
//!   segment (`worksheets('a')` is `worksheets/a`), and a drive item by path below `items` (`drive/root:/a.txt:` is
//!   `drive/items/root:/a.txt:`, as Microsoft's SDKs send it);
//! - the query: the same parameters (names without case), percent-decoded, in any order; a list option
//!   (`$select`, `$expand`, `$orderby`) without spaces after its commas;
//! - headers: each header of the request is sent with its value; `Content-Type` is the body's: JSON for a JSON
//!   body, the request's own for an upload;
//! - a `$batch` body: the same requests in the same order, each compared as a request is (its `url` as a path
//!   and query, surrounding whitespace aside; each header it has sent with its value; its body as JSON), with the
//!   same ids and `dependsOn`;
//! - no body: none, or an empty JSON object (what the SDK sends for an action whose parameters are all left out);
//! - a JSON body: equal as JSON values, property names and strings without case (the SDK writes enumeration
//!   members and property names as the metadata spells them; Graph reads them without case), a set of flags
//!   without spaces after its commas, numbers by value (`10` and `10.0`), a boolean or number the request wrote as
//!   a string (`"true"`) as that value, and `@odata.type` with or without its leading `#`; any other body byte for
//!   byte, surrounding whitespace aside.

use std::error::Error;

use msgraph_sdk::{GraphServiceClient, StaticTokenProvider};
use serde_json::Value;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The request a snippet was written from.
pub struct Expected {
    pub method: &'static str,
    /// As the request wrote it: absolute, or a path from `/v1.0` or from the service root.
    pub url: &'static str,
    pub headers: &'static [(&'static str, &'static str)],
    pub body: Option<&'static [u8]>,
}

/// A loopback server that answers every request with `200 {}` and records it.
pub struct Server(MockServer);

impl Server {
    pub async fn start() -> Self {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
            .mount(&server)
            .await;
        Server(server)
    }

    /// A client of the server, as a snippet's `graph_client`.
    pub fn client(&self) -> GraphServiceClient {
        GraphServiceClient::builder()
            .base_url(format!("{}/v1.0", self.0.uri()))
            .auth(StaticTokenProvider::new("token"))
            .build()
            .expect("client builds")
    }

    /// Panics with every difference between the one request the snippet sent and `expected`. The snippet's own
    /// result does not matter (the server's answer need not fit the operation's type), unless it sent nothing.
    pub async fn check(&self, expected: &Expected, outcome: Result<(), Box<dyn Error>>) {
        let received = self.0.received_requests().await.unwrap_or_default();
        let [sent] = received.as_slice() else {
            panic!("the snippet sent {} requests, not one (its result: {outcome:?})", received.len());
        };
        let differences = differences(expected, sent);
        assert!(differences.is_empty(), "the snippet did not send the request:\n- {}", differences.join("\n- "));
    }
}

fn differences(expected: &Expected, sent: &Request) -> Vec<String> {
    let mut out = Vec::new();
    if !sent.method.as_str().eq_ignore_ascii_case(expected.method) {
        out.push(format!("method {} instead of {}", sent.method, expected.method));
    }
    let (path, query) = split_url(expected.url);
    let want = normal_path(&path);
    let got = normal_path(sent.url.path());
    if want != got {
        out.push(format!("path {got} instead of {want}"));
    }
    let want = normal_query(query.as_deref().unwrap_or(""));
    let got = normal_query(sent.url.query().unwrap_or(""));
    if want != got {
        out.push(format!("query {got:?} instead of {want:?}"));
    }
    let sent_header = |name: &str| -> Vec<String> {
        sent.headers.get_all(name).iter().map(|v| v.to_str().unwrap_or("(not text)").to_owned()).collect()
    };
    let mut content_type = None;
    for (name, value) in expected.headers {
        if name.eq_ignore_ascii_case("content-type") {
            content_type = Some(*value);
            continue;
        }
        let values = sent_header(name);
        if !values.iter().any(|v| v == value) {
            out.push(format!("header {name}: {values:?} instead of {value:?}"));
        }
    }
    let sent_type = sent_header("content-type").join(", ");
    match expected.body {
        // An action's optional body left out is sent as an empty object (or upload).
        None if !sent.body.is_empty() && serde_json::from_slice::<Value>(&sent.body).ok() != Some(serde_json::json!({})) => {
            out.push(format!("a body of {} bytes, and the request has none", sent.body.len()))
        }
        None => {}
        Some(body) => match serde_json::from_slice::<Value>(body) {
            Ok(want) if content_type.is_none_or(|t| t.to_ascii_lowercase().contains("json")) => {
                if !sent_type.starts_with("application/json") {
                    out.push(format!("Content-Type {sent_type:?} for a JSON body"));
                }
                match serde_json::from_slice::<Value>(&sent.body) {
                    Ok(got) if normal_path(&path) == "/v1.0/$batch" => same_batch(&want, &got, &mut out),
                    Ok(got) => same_json(&want, &got, "", &mut out),
                    Err(e) => out.push(format!("the body sent is not JSON: {e}")),
                }
            }
            _ => {
                let want_type = content_type.unwrap_or("application/octet-stream");
                if !sent_type.eq_ignore_ascii_case(want_type) {
                    out.push(format!("Content-Type {sent_type:?} instead of {want_type:?}"));
                }
                if sent.body.trim_ascii() != body.trim_ascii() {
                    out.push(format!("body {:?} instead of {:?}", sent.body.escape_ascii().to_string(), body.escape_ascii().to_string()));
                }
            }
        },
    }
    out
}

/// The path and query of a URL as a request writes it (absolute, or relative with or without `/v1.0`).
fn split_url(url: &str) -> (String, Option<String>) {
    let url = url.split('#').next().unwrap_or(url);
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p, Some(q.to_owned())),
        None => (url, None),
    };
    let path = match path.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => path,
    };
    let path = if path.to_ascii_lowercase().starts_with("/v1.0") { path.to_owned() } else { format!("/v1.0/{path}") };
    (path, query)
}

/// Percent-decoding (invalid escapes kept as written).
fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// The path as the comparison sees it (see the module's docs).
fn normal_path(path: &str) -> String {
    let decoded = decode(path).to_ascii_lowercase();
    let mut segments: Vec<String> = Vec::new();
    let mut in_item_path = false;
    for raw in decoded.split('/').filter(|s| !s.is_empty()) {
        if in_item_path {
            segments.last_mut().expect("item path started").push_str(&format!("/{raw}"));
            in_item_path = !raw.ends_with(':');
            continue;
        }
        if raw.ends_with(':') && !raw[..raw.len() - 1].contains(':') {
            if segments.last().is_none_or(|s| s != "items") && raw == "root:" {
                segments.push("items".to_owned());
            }
            segments.push(raw.to_owned());
            in_item_path = true;
            continue;
        }
        let segment = unqualified(raw);
        let segment = segment.strip_suffix("()").unwrap_or(&segment).to_owned();
        // `name('key')` or `name(key)`: one unnamed key.
        if let Some((name, key)) = segment.strip_suffix(')').and_then(|s| s.split_once('(')) {
            if !key.contains('=') && !name.is_empty() {
                let key = key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')).unwrap_or(key);
                segments.push(name.to_owned());
                segments.push(key.replace("''", "'"));
                continue;
            }
        }
        segments.push(segment);
    }
    format!("/{}", segments.join("/"))
}

/// `microsoft.graph.security.close(a='x')` → `close(a=x)`: an operation or cast without its namespace, and its
/// arguments without quotes.
fn unqualified(segment: &str) -> String {
    let (name, args) = match segment.split_once('(') {
        Some((name, args)) => (name, Some(args)),
        None => (segment, None),
    };
    let name = if name.starts_with("microsoft.graph.") || name.starts_with("graph.") {
        name.rsplit('.').next().unwrap_or(name)
    } else {
        name
    };
    match args {
        Some(args) if args.contains('=') => format!("{name}({})", args.replace('\'', "")),
        Some(args) => format!("{name}({args}"),
        None => name.to_owned(),
    }
}

/// The query's parameters as the comparison sees them, sorted.
fn normal_query(query: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (name, value) = p.split_once('=').unwrap_or((p, ""));
            let name = decode(name).to_ascii_lowercase();
            let value = decode(value);
            let value = if matches!(name.as_str(), "$select" | "$expand" | "$orderby") {
                value.split(',').map(str::trim).collect::<Vec<_>>().join(",")
            } else {
                value
            };
            (name, value)
        })
        .collect();
    pairs.sort();
    pairs
}

/// Records where the `$batch` body `got` differs from `want`.
fn same_batch(want: &Value, got: &Value, out: &mut Vec<String>) {
    let field = |v: &Value, name: &str| -> Option<Value> {
        v.as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
    };
    let requests = |v: &Value| field(v, "requests").and_then(|r| r.as_array().cloned()).unwrap_or_default();
    let (want, got) = (requests(want), requests(got));
    if want.len() != got.len() {
        out.push(format!("{} batched requests instead of {}", got.len(), want.len()));
        return;
    }
    for (i, (w, g)) in want.iter().zip(&got).enumerate() {
        let text = |v: &Value, name: &str| field(v, name).and_then(|s| s.as_str().map(str::to_owned)).unwrap_or_default();
        let at = format!("/requests/{i}");
        for name in ["id", "method"] {
            if !text(w, name).eq_ignore_ascii_case(&text(g, name)) {
                out.push(format!("{at}/{name}: {:?} instead of {:?}", text(g, name), text(w, name)));
            }
        }
        let (w_url, g_url) = (text(w, "url"), text(g, "url"));
        let (w_path, w_query) = split_url(w_url.trim());
        let (g_path, g_query) = split_url(g_url.trim());
        if normal_path(&w_path) != normal_path(&g_path)
            || normal_query(w_query.as_deref().unwrap_or("")) != normal_query(g_query.as_deref().unwrap_or(""))
        {
            out.push(format!("{at}/url: {g_url:?} instead of {w_url:?}"));
        }
        let headers = |v: &Value| field(v, "headers").and_then(|h| h.as_object().cloned()).unwrap_or_default();
        let g_headers = headers(g);
        for (name, value) in headers(w) {
            let sent = g_headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(&name)).map(|(_, v)| v);
            if sent.and_then(Value::as_str) != value.as_str() {
                out.push(format!("{at}/headers/{name}: {sent:?} instead of {value}"));
            }
        }
        match (field(w, "body"), field(g, "body")) {
            (None, None) => {}
            (Some(w_body), Some(g_body)) => same_json(&w_body, &g_body, &format!("{at}/body"), out),
            (w_body, g_body) => out.push(format!("{at}/body: {g_body:?} instead of {w_body:?}")),
        }
        let depends = |v: &Value| {
            let mut ids: Vec<String> = field(v, "dependsOn")
                .and_then(|d| d.as_array().cloned())
                .unwrap_or_default()
                .iter()
                .filter_map(|d| d.as_str().map(str::to_owned))
                .collect();
            ids.sort();
            ids
        };
        if depends(w) != depends(g) {
            out.push(format!("{at}/dependsOn: {:?} instead of {:?}", depends(g), depends(w)));
        }
    }
}

/// `a, b` → `a,b` (lower case): a set of flags as the comparison sees it.
fn flags(value: &str) -> String {
    value.split(',').map(str::trim).collect::<Vec<_>>().join(",").to_ascii_lowercase()
}

/// Records where `got` differs from `want` (see the module's docs for what counts as equal).
fn same_json(want: &Value, got: &Value, at: &str, out: &mut Vec<String>) {
    let at_or_root = if at.is_empty() { "/" } else { at };
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (key, w_value) in w {
                let g_value = g.get(key).or_else(|| g.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v));
                let here = format!("{at}/{key}");
                match g_value {
                    Some(g_value) if key == "@odata.type" => {
                        let bare = |v: &Value| v.as_str().map(|s| s.trim_start_matches('#').to_owned());
                        if bare(w_value) != bare(g_value) {
                            out.push(format!("{here}: {g_value} instead of {w_value}"));
                        }
                    }
                    Some(g_value) => same_json(w_value, g_value, &here, out),
                    None => out.push(format!("{here}: missing (the request has {w_value})")),
                }
            }
            for key in g.keys() {
                if !w.keys().any(|k| k.eq_ignore_ascii_case(key)) {
                    out.push(format!("{at}/{key}: sent ({}), and the request has no such property", g[key]));
                }
            }
        }
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
            for (i, (w, g)) in w.iter().zip(g).enumerate() {
                same_json(w, g, &format!("{at}/{i}"), out);
            }
        }
        (Value::Number(w), Value::Number(g)) if w.as_f64() == g.as_f64() => {}
        (Value::String(w), Value::Bool(g)) if w.eq_ignore_ascii_case(&g.to_string()) => {}
        (Value::String(w), Value::Number(g)) if w.trim().parse::<f64>().ok() == g.as_f64() => {}
        (Value::String(w), Value::String(g)) if w.eq_ignore_ascii_case(g) || flags(w) == flags(g) => {}
        (w, g) if w == g => {}
        (w, g) => out.push(format!("{at_or_root}: {g} instead of {w}")),
    }
}

/// Reads response `index` of the reference pages' `file` into `T` and writes it back: the call must succeed and the
/// JSON written must be the body read, explicit nulls and unknown properties included. Compared exactly but for
/// the normalisations the README's "Reading without loss" lists: numbers by value (`100` and `100.0`), a
/// duration in its canonical form (`P0DT1H` as `PT1H`), an enumeration member as the metadata spells it. Prints what
/// was normalised, and any value that did not fit its type (found by reading again strictly).
pub fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(file: &str, index: usize) {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
    let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
    let body = &json["responses"][index]["body"];
    let read: T = serde_json::from_value(body.clone())
        .unwrap_or_else(|e| panic!("response {index} does not read as {}: {e}", std::any::type_name::<T>()));
    let written = serde_json::to_value(&read).expect("a model writes as JSON");
    let mut differences = Vec::new();
    let mut normalised = Vec::new();
    same_read(body, &written, "", &mut differences, &mut normalised);
    for line in &normalised {
        println!("normalised {line}");
    }
    if let Err(e) = msgraph_sdk::runtime::object::strict(|| serde_json::from_value::<T>(body.clone())) {
        println!("misfit (kept in additional_data): {e}");
    }
    assert!(differences.is_empty(), "response {index} is not written back as read:\n- {}", differences.join("\n- "));
}

/// Records where the body `got` written back differs from the body `want` read (see [`round_trip`]); where it
/// differs only by a documented normalisation, records that in `normalised`.
fn same_read(want: &Value, got: &Value, at: &str, out: &mut Vec<String>, normalised: &mut Vec<String>) {
    let at_or_root = if at.is_empty() { "/" } else { at };
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (key, w_value) in w {
                let here = format!("{at}/{key}");
                match g.get(key) {
                    Some(g_value) => same_read(w_value, g_value, &here, out, normalised),
                    None => out.push(format!("{here}: dropped (it was {w_value})")),
                }
            }
            for key in g.keys().filter(|k| !w.contains_key(*k)) {
                out.push(format!("{at}/{key}: written ({}) but not read", g[key]));
            }
        }
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
            for (i, (w, g)) in w.iter().zip(g).enumerate() {
                same_read(w, g, &format!("{at}/{i}"), out, normalised);
            }
        }
        (Value::Number(w), Value::Number(g)) if w.as_f64() == g.as_f64() => {
            if w != g {
                normalised.push(format!("{at_or_root}: {w} as {g}"));
            }
        }
        (Value::String(w), Value::String(g)) if w != g && same_edm_text(w, g) => {
            normalised.push(format!("{at_or_root}: {w:?} as {g:?}"));
        }
        (w, g) if w == g => {}
        (w, g) => out.push(format!("{at_or_root}: written as {g}, read as {w}")),
    }
}

/// Whether `got` is `want` as a duration in its canonical text (the same value), or an enumeration member spelled
/// as the metadata spells it. Times of day and date-times are written back as read, so they must be equal.
fn same_edm_text(want: &str, got: &str) -> bool {
    use msgraph_sdk::runtime::Duration;
    let same_duration = match (want.parse::<Duration>(), got.parse::<Duration>()) {
        (Ok(w), Ok(g)) => w.to_std().is_some() && w.to_std() == g.to_std() && g.to_string() == got,
        _ => false,
    };
    same_duration || want.eq_ignore_ascii_case(got)
}
