//! Rust snippets for Graph's documentation: an HTTP request in, the Rust call that sends it out — what the other
//! languages' tabs on every reference page show, for this SDK.
//!
//! The writer reads only the [model](crate::model): [`Crate::find`] resolves the URL to the builders it walks
//! through, and every name it prints (accessors, methods, types, fields, variants) is the one the model gave the
//! generated crate, so the snippet and the crate agree by construction. Like the other languages' snippets, the
//! code assumes a client named `graph_client` in scope: with its `use` lines it is the body of
//! `async fn(graph_client: &GraphServiceClient) -> Result<(), Box<dyn std::error::Error>>` before `Ok(())`.
//!
//! A request the crate cannot express is refused with the reason; a snippet is never code that would not compile.

mod http;
mod value;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

pub use http::HttpRequest;

use crate::features::{unit_of, Areas};
use crate::model::{Crate, Method, Operation, RequestBody, ResponseShape, Segment, Shape, TypeDef, TypePath};

/// Why a request has no snippet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    reason: String,
    no_operation: bool,
}

impl Refusal {
    /// A refusal for `reason`.
    pub fn new(reason: impl Into<String>) -> Self {
        Refusal { reason: reason.into(), no_operation: false }
    }

    /// A refusal because the metadata has no operation of the request's method and path.
    fn no_operation(reason: String) -> Self {
        Refusal { reason, no_operation: true }
    }

    /// The reason.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// Whether the request names no operation of the crate (its path or method is not in the metadata), rather
    /// than one the snippet cannot express.
    pub fn names_no_operation(&self) -> bool {
        self.no_operation
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for Refusal {}

/// A snippet: the Cargo features it needs, the `use` lines and the statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The features of the crate the snippet needs (empty for a crate without features).
    pub features: Vec<String>,
    /// `use …;` lines.
    pub uses: Vec<String>,
    /// The statements.
    pub code: String,
    /// Where the code writes the request differently (a boolean sent as the string `"true"` is `true`).
    pub notes: Vec<String>,
}

impl Snippet {
    /// The whole text: a `// features: …` line, the `use` lines, a blank line and the statements.
    pub fn text(&self) -> String {
        let features = if self.features.is_empty() { "none".to_owned() } else { self.features.join(", ") };
        let mut out = format!("// features: {features}\n");
        for note in &self.notes {
            out.push_str(&format!("// note: {note}\n"));
        }
        for u in &self.uses {
            out.push_str(u);
            out.push('\n');
        }
        if !self.uses.is_empty() {
            out.push('\n');
        }
        out.push_str(&self.code);
        out
    }
}

/// Writes snippets for one crate.
#[derive(Debug)]
pub struct Writer<'m> {
    model: &'m Crate,
    crate_name: String,
    types: BTreeMap<&'m TypePath, &'m TypeDef>,
    /// Structs by `@odata.type`, lower case and without `#` (`microsoft.graph.user`).
    by_odata_type: BTreeMap<String, &'m TypeDef>,
    areas: Option<Areas>,
}

impl<'m> Writer<'m> {
    /// A writer for `model`, whose code names the crate `crate_name` (e.g. `msgraph_sdk`).
    pub fn new(model: &'m Crate, crate_name: &str) -> Self {
        let types = model.types.iter().map(|t| (&t.path, t)).collect();
        let by_odata_type = model
            .types
            .iter()
            .filter_map(|t| match &t.shape {
                Shape::Struct(s) => s.odata_type.as_ref().map(|o| (o.trim_start_matches('#').to_ascii_lowercase(), t)),
                Shape::Enum(_) => None,
            })
            .collect();
        let areas = model.area_features.then(|| Areas::compute(model));
        Writer { model, crate_name: crate_name.to_owned(), types, by_odata_type, areas }
    }

    /// The snippet of `request`.
    ///
    /// # Errors
    ///
    /// When the crate cannot express the request: a path or method it does not have, a body or query value that
    /// does not fit, a header it cannot send.
    pub fn write(&self, request: &HttpRequest) -> Result<Snippet, Refusal> {
        let mut draft = Draft::new(&self.crate_name);
        let path = request.url.split(['?', '#']).next().unwrap_or_default();
        if self.model.path_below_root(path).trim_end_matches('/').eq_ignore_ascii_case("/$batch") {
            self.batch(request, &mut draft)?;
        } else {
            let (chain, operation) = self.call(request, &mut draft, "request_body")?;
            draft.statements.push(match operation.response {
                ResponseShape::NoContent => format!("{chain}.await?;"),
                _ => format!("let result = {chain}.await?;"),
            });
        }
        let code = format_statements(&draft.statements.join("\n"), &draft.json)?;
        Ok(Snippet {
            features: draft.features.into_iter().collect(),
            uses: draft.imports.lines(),
            code,
            notes: draft.notes,
        })
    }

    /// `POST /$batch`: each inner request built with its builders and added to a `Batch` (`add_after` for
    /// `dependsOn`), then sent together.
    fn batch(&self, request: &HttpRequest, draft: &mut Draft) -> Result<(), Refusal> {
        if request.method != Method::Post {
            return Err(Refusal::new("`$batch` takes only POST"));
        }
        let body = request.body.as_deref().ok_or_else(|| Refusal::new("the `$batch` request has no body"))?;
        let json: serde_json::Value =
            serde_json::from_slice(body).map_err(|e| Refusal::new(format!("the body is not JSON: {e}")))?;
        let field = |value: &'_ serde_json::Value, name: &str| -> Option<serde_json::Value> {
            value.as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
        };
        let requests = field(&json, "requests")
            .and_then(|r| r.as_array().cloned())
            .ok_or_else(|| Refusal::new("the `$batch` body has no `requests` array"))?;
        let batch = draft.imports.name_at("Batch", &format!("{}::runtime::Batch", self.crate_name));
        draft.statements.push(format!("let mut batch = {batch}::new(graph_client.adapter());"));
        let mut ids = Vec::new();
        for (index, inner) in requests.iter().enumerate() {
            let at = format!("/requests/{index}");
            let text = |name: &str| {
                field(inner, name)
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .ok_or_else(|| Refusal::new(format!("the `$batch` request at `{at}` has no `{name}` string")))
            };
            // The runtime numbers its steps 1, 2, …; a batch written with other ids would be sent differently.
            let id = text("id")?;
            if id != (index + 1).to_string() {
                return Err(Refusal::new(format!(
                    "the `$batch` request at `{at}` has the id {id:?}; the runtime numbers its steps 1, 2, … in order"
                )));
            }
            let method = text("method")?;
            let method = Method::from_upper(&method.to_ascii_uppercase())
                .ok_or_else(|| Refusal::new(format!("`{method}` at `{at}/method` is not an HTTP method")))?;
            let mut headers = Vec::new();
            for (name, value) in field(inner, "headers").and_then(|h| h.as_object().cloned()).unwrap_or_default() {
                let value = value
                    .as_str()
                    .ok_or_else(|| Refusal::new(format!("the header `{name}` at `{at}/headers` is not a string")))?;
                headers.push((name, value.to_owned()));
            }
            let body = match field(inner, "body") {
                None => None,
                Some(serde_json::Value::String(_)) => {
                    return Err(Refusal::new(format!(
                        "the `$batch` request at `{at}` has a base64 body; only JSON bodies are written"
                    )))
                }
                Some(body) => Some(body.to_string().into_bytes()),
            };
            let inner_request = HttpRequest { method, url: text("url")?.trim().to_owned(), headers, body };
            let body_name = format!("request_body_{id}");
            let (chain, _) = self
                .call(&inner_request, draft, &body_name)
                .map_err(|r| Refusal::new(format!("the `$batch` request at `{at}`: {}", r.reason())))?;
            let after: Vec<String> = field(inner, "dependsOn")
                .and_then(|d| d.as_array().cloned())
                .unwrap_or_default()
                .iter()
                .map(|d| {
                    let d = d.as_str().unwrap_or_default();
                    match ids.iter().find(|known| *known == d) {
                        Some(known) => Ok(format!("step_{known}.id()")),
                        None => Err(Refusal::new(format!(
                            "the `$batch` request at `{at}` depends on {d:?}, which is not an earlier request"
                        ))),
                    }
                })
                .collect::<Result<_, _>>()?;
            draft.statements.push(if after.is_empty() {
                format!("let step_{id} = batch.add({chain});")
            } else {
                format!("let step_{id} = batch.add_after({chain}, &[{}]);", after.join(", "))
            });
            ids.push(id);
        }
        draft.statements.push("let responses = batch.send().await?;".to_owned());
        for id in &ids {
            draft.statements.push(format!("let result_{id} = responses.get(&step_{id});"));
        }
        Ok(())
    }

    /// The builder chain of one request up to (not including) `.await`, with its body written into `draft` as
    /// `let {body_name} = …;`.
    fn call(
        &self,
        request: &HttpRequest,
        draft: &mut Draft,
        body_name: &str,
    ) -> Result<(String, &'m Operation), Refusal> {
        let (path, query) = match request.url.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (request.url.as_str(), None),
        };
        let found = self.model.find(request.method, path).map_err(|nf| {
            let at = if nf.matched.is_empty() { "the root" } else { nf.matched.as_str() };
            Refusal::no_operation(format!("the metadata has no segment `{}` below {at}", nf.segment))
        })?;
        let node = found.node;
        let Some(operation) = found.operation else {
            let has: Vec<&str> = node.operations.iter().map(|op| op.method.upper()).collect();
            return Err(Refusal::no_operation(format!(
                "`{}` has no {} in the metadata{}",
                node.template,
                request.method.upper(),
                if has.is_empty() { String::new() } else { format!(" (it has {})", has.join(", ")) }
            )));
        };

        if self.areas.is_some() {
            draft.features.extend(unit_of(&node.module));
            // A builder an alias is an accessor of is compiled with its own area.
            for alias in &found.aliases {
                if let Some(parent) = self.model.root.find_template(&alias.parent).filter(|p| !p.module.is_empty()) {
                    draft.features.extend(unit_of(&parent.module));
                }
            }
        }

        // The builders, segment by segment.
        let mut chain = String::from("graph_client");
        for step in &found.steps {
            let accessor = step.accessor;
            let is_alias = !std::ptr::eq(accessor, step.node.accessor.as_str());
            let args: Vec<String> = match &step.node.segment {
                _ if is_alias => Vec::new(),
                Segment::Parameter { .. } => step.values.iter().flatten().map(|v| rust_string(v)).collect(),
                Segment::Call { args, .. } => args
                    .iter()
                    .zip(&step.values)
                    .filter(|(a, _)| a.alias.is_none())
                    .map(|(a, v)| {
                        let v = v.as_deref().unwrap_or_default();
                        if a.quoted || !is_plain_literal(v) {
                            rust_string(v)
                        } else {
                            v.to_owned()
                        }
                    })
                    .collect(),
                Segment::Static { .. } | Segment::Root => Vec::new(),
            };
            chain.push_str(&format!(".{accessor}({})", args.join(", ")));
        }

        // The body.
        if operation.deprecated {
            draft.notes.push(format!(
                "Graph's metadata marks `{} {}` deprecated",
                request.method.upper(),
                node.template
            ));
        }
        let mut content_type_header = None;
        let mut value_writer = value::ValueWriter::new(self, draft);
        let argument = match (&operation.body, &request.body) {
            (None, None) => String::new(),
            (None, Some(_)) => {
                return Err(Refusal::new(format!(
                    "`{} {}` takes no body, and the request has one",
                    request.method.upper(),
                    node.template
                )))
            }
            // Without a body where the operation takes one: an empty upload, or an empty object (what Graph reads
            // the same way as no body for an action's optional parameters).
            (Some(RequestBody::Bytes { .. }), None) => {
                value_writer.draft.notes.push("the request has no body; an empty one is sent".to_owned());
                "\"\"".to_owned()
            }
            (Some(RequestBody::Json(ty) | RequestBody::Patch(ty)), None) => {
                value_writer.draft.notes.push("the request has no body; an empty object (`{}`) is sent".to_owned());
                let expression = value_writer.top(&serde_json::json!({}), ty)?;
                value_writer.draft.statements.push(format!("let {body_name} = {expression};"));
                format!("&{body_name}")
            }
            (Some(RequestBody::Bytes { content_type }), Some(body)) => {
                // The upload's own media type when it is not the one the operation declares.
                if let Some(sent) = request.header("content-type").filter(|t| !t.eq_ignore_ascii_case(content_type)) {
                    content_type_header = Some(sent.to_owned());
                }
                bytes_literal(body)
            }
            (Some(RequestBody::Json(ty) | RequestBody::Patch(ty)), Some(body)) => {
                let content_type = request.header("content-type").unwrap_or("application/json");
                if !content_type.to_ascii_lowercase().contains("json") {
                    return Err(Refusal::new(format!(
                        "`{} {}` takes JSON, and the request sends `{content_type}`",
                        request.method.upper(),
                        node.template
                    )));
                }
                let json: serde_json::Value =
                    serde_json::from_slice(body).map_err(|e| Refusal::new(format!("the body is not JSON: {e}")))?;
                let expression = value_writer.top(&json, ty)?;
                value_writer.draft.statements.push(format!("let {body_name} = {expression};"));
                format!("&{body_name}")
            }
        };
        let derived: Vec<&TypePath> = value_writer.derived_types().copied().collect();
        if let Some(areas) = &self.areas {
            for path in derived {
                let units = areas.of_type.get(path).cloned().unwrap_or_default();
                if !units.iter().any(|u| draft.features.contains(u)) {
                    draft.features.insert(units.into_iter().next().unwrap_or_else(|| crate::features::FULL.to_owned()));
                }
            }
        }
        chain.push_str(&format!(".{}({argument})", operation.rust_name));

        // Query options and headers.
        if let Some(query) = query {
            for (name, value) in query_pairs(query) {
                chain.push_str(&query_call(&name, &value));
            }
        }
        if let Some(content_type) = &content_type_header {
            chain.push_str(&format!(".header(\"Content-Type\", {})", rust_string(content_type)));
        }
        for (name, value) in &request.headers {
            if name.eq_ignore_ascii_case("content-type") || name.eq_ignore_ascii_case("content-length") {
                continue;
            }
            if name.eq_ignore_ascii_case("consistencylevel") && value.eq_ignore_ascii_case("eventual") {
                chain.push_str(".consistency_level_eventual()");
            } else {
                chain.push_str(&format!(".header({}, {})", rust_string(name), rust_string(value)));
            }
        }
        Ok((chain, operation))
    }

    fn type_def(&self, path: &TypePath) -> Option<&'m TypeDef> {
        self.types.get(path).copied()
    }
}

/// What a snippet gathers while it is written.
#[derive(Debug)]
struct Draft {
    imports: Imports,
    features: BTreeSet<String>,
    /// Where the code writes the request differently.
    notes: Vec<String>,
    /// The values of `serde_json::json!` placeholders, by index.
    json: Vec<serde_json::Value>,
    statements: Vec<String>,
}

impl Draft {
    fn new(crate_name: &str) -> Self {
        Draft {
            imports: Imports::new(crate_name),
            features: BTreeSet::new(),
            notes: Vec::new(),
            json: Vec::new(),
            statements: Vec::new(),
        }
    }
}

/// The `use` lines of a snippet: each type by its name, or by its full path when another type took the name.
#[derive(Debug)]
struct Imports {
    crate_name: String,
    /// Name → the path it stands for.
    names: BTreeMap<String, String>,
}

impl Imports {
    fn new(crate_name: &str) -> Self {
        Imports { crate_name: crate_name.to_owned(), names: BTreeMap::new() }
    }

    /// How the snippet names `path`.
    fn name(&mut self, path: &TypePath) -> String {
        let full: String = std::iter::once(self.crate_name.as_str())
            .chain(path.module.iter().map(String::as_str))
            .chain([path.name.as_str()])
            .collect::<Vec<_>>()
            .join("::");
        self.claim(&path.name, full)
    }

    /// How the snippet names an item at the crate's root (`Property`).
    fn name_root(&mut self, name: &str) -> String {
        let full = format!("{}::{name}", self.crate_name);
        self.claim(name, full)
    }

    /// How the snippet names the item `name` at the path `full`.
    fn name_at(&mut self, name: &str, full: &str) -> String {
        self.claim(name, full.to_owned())
    }

    fn claim(&mut self, name: &str, full: String) -> String {
        match self.names.get(name) {
            Some(existing) if *existing == full => name.to_owned(),
            Some(_) => full,
            None => {
                self.names.insert(name.to_owned(), full);
                name.to_owned()
            }
        }
    }

    fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.names.values().map(|full| format!("use {full};")).collect();
        lines.sort();
        lines
    }
}

/// Stands for `vec![…]` until the statements are formatted (prettyplease keeps a macro's tokens as they are).
const VEC: &str = "__snippet_vec";
/// Stands for `serde_json::json!(…)` of the value with that index until the statements are formatted.
const JSON: &str = "__snippet_json";

/// The statements formatted as rustfmt would (by prettyplease, through a function around them), which also checks
/// that they are Rust; `vec!` and `json!` placeholders are then written as the macros.
fn format_statements(statements: &str, json: &[serde_json::Value]) -> Result<String, Refusal> {
    let wrapped = format!("async fn snippet() {{\n{statements}\n}}");
    let file = syn::parse_file(&wrapped)
        .map_err(|e| Refusal::new(format!("internal error: the snippet is not valid Rust ({e}); please report it")))?;
    let formatted = prettyplease::unparse(&file);
    let body: Vec<&str> = formatted.lines().collect();
    let inner = &body[1..body.len().saturating_sub(1)];
    let code = inner.iter().map(|l| l.strip_prefix("    ").unwrap_or(l)).collect::<Vec<_>>().join("\n");
    Ok(align_method_calls(&expand_placeholders(&code, json)))
}

/// A method call on a multi-line literal at the literal's indentation, as rustfmt writes it (prettyplease indents
/// it one level further): `}` then `.into(),` below it.
fn align_method_calls(code: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for line in code.lines() {
        let trimmed = line.trim_start();
        let closes = |l: &str| matches!(l.trim_start().chars().next(), Some('}' | ']' | ')'));
        match out.last() {
            Some(previous) if trimmed.starts_with(".into()") && closes(previous) => {
                let indent = previous.len() - previous.trim_start().len();
                out.push(format!("{}{trimmed}", " ".repeat(indent)));
            }
            _ => out.push(line.to_owned()),
        }
    }
    out.join("\n")
}

/// `__snippet_vec(a, b)` → `vec![a, b]` and `__snippet_json(0)` → `serde_json::json!({…})` (the JSON indented
/// like its line), outside string literals.
fn expand_placeholders(code: &str, json: &[serde_json::Value]) -> String {
    let mut out = String::with_capacity(code.len());
    // For each open parenthesis: whether it opened a `vec!`.
    let mut open: Vec<bool> = Vec::new();
    let mut rest = code;
    let mut in_string = false;
    while let Some(c) = rest.chars().next() {
        if in_string {
            if let Some(escaped) = rest.strip_prefix('\\') {
                let next = escaped.chars().next().map_or(0, char::len_utf8);
                out.push_str(&rest[..1 + next]);
                rest = &rest[1 + next..];
                continue;
            }
            in_string = c != '"';
        } else if let Some(after) = rest.strip_prefix(VEC).and_then(|r| r.strip_prefix('(')) {
            out.push_str("vec![");
            open.push(true);
            rest = after;
            continue;
        } else if let Some((index, after)) = rest.strip_prefix(JSON).and_then(|r| r.strip_prefix('(')).and_then(|r| {
            let (n, after) = r.split_once(')')?;
            Some((n.parse::<usize>().ok()?, after))
        }) {
            let indent = out.rsplit('\n').next().map_or(0, |line| line.len() - line.trim_start().len());
            let text = json.get(index).map(pretty_json).unwrap_or_default();
            out.push_str("serde_json::json!(");
            out.push_str(&text.replace('\n', &format!("\n{}", " ".repeat(indent))));
            out.push(')');
            rest = after;
            continue;
        } else {
            match c {
                '"' => in_string = true,
                '(' => open.push(false),
                ')' if open.pop() == Some(true) => {
                    out.push(']');
                    rest = &rest[1..];
                    continue;
                }
                _ => {}
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// JSON indented by four spaces, as Rust code is.
fn pretty_json(value: &serde_json::Value) -> String {
    use serde::Serialize;
    let mut out = Vec::new();
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut out, serde_json::ser::PrettyFormatter::with_indent(b"    "));
    // Writing a `Value` to memory cannot fail.
    let _ = value.serialize(&mut serializer);
    String::from_utf8(out).unwrap_or_default()
}

/// A Rust string literal for `s` (`to_string()` is added where a `String` is needed).
fn rust_string(s: &str) -> String {
    format!("{s:?}")
}

/// An upload's bytes: a string literal when they are UTF-8 text, else a byte string literal.
fn bytes_literal(body: &[u8]) -> String {
    match std::str::from_utf8(body) {
        Ok(text) => rust_string(text),
        Err(_) => format!("b\"{}\"", body.escape_ascii()),
    }
}

/// A number or boolean written as it is in a URL.
fn is_plain_literal(value: &str) -> bool {
    value == "true"
        || value == "false"
        || (!value.is_empty() && value.parse::<f64>().is_ok() && !value.contains(['e', 'E']))
}

/// `a=1&b=x%20y` → `[("a", "1"), ("b", "x y")]`.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((n, v)) => (percent_decode(n), percent_decode(v)),
            None => (percent_decode(p), String::new()),
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// The request method that sets one query option: OData's by their own methods, any other with `query`.
fn query_call(name: &str, value: &str) -> String {
    let list = |v: &str| split_top_level(v).iter().map(|item| rust_string(item)).collect::<Vec<_>>().join(", ");
    match name.to_ascii_lowercase().as_str() {
        "$select" if !value.is_empty() => format!(".select([{}])", list(value)),
        "$expand" if !value.is_empty() => format!(".expand([{}])", list(value)),
        "$orderby" if !value.is_empty() => format!(".orderby([{}])", list(value)),
        "$filter" => format!(".filter({})", rust_string(value)),
        "$search" => format!(".search({})", rust_string(value)),
        "$top" if value.parse::<u32>().is_ok() => format!(".top({value})"),
        "$skip" if value.parse::<u32>().is_ok() => format!(".skip({value})"),
        "$count" if value == "true" || value == "false" => format!(".count({value})"),
        _ => format!(".query({}, {})", rust_string(name), rust_string(value)),
    }
}

/// `a,b(c,d),e` → `["a", "b(c,d)", "e"]`: a list option's items, commas inside parentheses kept.
fn split_top_level(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for c in value.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    items.push(current);
    items.into_iter().map(|i| i.trim().to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_options() {
        assert_eq!(query_call("$select", "id,displayName"), r#".select(["id", "displayName"])"#);
        assert_eq!(
            query_call("$expand", "members($select=id,displayName)"),
            r#".expand(["members($select=id,displayName)"])"#
        );
        assert_eq!(query_call("$top", "5"), ".top(5)");
        assert_eq!(query_call("$top", "{n}"), r#".query("$top", "{n}")"#);
        assert_eq!(query_call("startdatetime", "2026-01-01"), r#".query("startdatetime", "2026-01-01")"#);
        assert_eq!(
            query_pairs("$filter=a%20eq%201&$count=true"),
            [("$filter".into(), "a eq 1".into()), ("$count".into(), "true".into())]
        );
        let json = [serde_json::json!({"a": [1, "x)"]})];
        assert_eq!(
            expand_placeholders("let x = __snippet_vec(f(\"__snippet_vec(\\\")\"), __snippet_json(0));", &json),
            "let x = vec![f(\"__snippet_vec(\\\")\"), serde_json::json!({\n    \"a\": [\n        1,\n        \"x)\"\n    ]\n})];"
        );
        assert_eq!(bytes_literal(b"a\"b"), r#""a\"b""#);
        assert_eq!(bytes_literal(&[0xff, 0xd8, b'"', b'a']), r#"b"\xff\xd8\"a""#);
        assert!(
            is_plain_literal("5")
                && is_plain_literal("true")
                && !is_plain_literal("2026-01-01")
                && !is_plain_literal("1e5")
        );
    }
}
