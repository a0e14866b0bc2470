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
use crate::model::{Crate, RequestBody, ResponseShape, Segment, Shape, TypeDef, TypePath};

/// Why a request has no snippet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(String);

impl Refusal {
    fn new(reason: impl Into<String>) -> Self {
        Refusal(reason.into())
    }

    /// The reason.
    pub fn reason(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
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
        let (path, query) = match request.url.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (request.url.as_str(), None),
        };
        let found = self.model.find(request.method, path).map_err(|nf| {
            let at = if nf.matched.is_empty() { "the root" } else { nf.matched.as_str() };
            Refusal::new(format!("the metadata has no segment `{}` below {at}", nf.segment))
        })?;
        let node = found.node;
        let Some(operation) = found.operation else {
            let has: Vec<&str> = node.operations.iter().map(|op| op.method.upper()).collect();
            return Err(Refusal::new(format!(
                "`{}` has no {} in the metadata{}",
                node.template,
                request.method.upper(),
                if has.is_empty() { String::new() } else { format!(" (it has {})", has.join(", ")) }
            )));
        };

        let mut imports = Imports::new(&self.crate_name);
        let mut features = BTreeSet::new();
        if self.areas.is_some() {
            features.extend(unit_of(&node.module));
            // A builder an alias is an accessor of is compiled with its own area.
            for alias in &found.aliases {
                if let Some(parent) = self.model.root.find_template(&alias.parent).filter(|p| !p.module.is_empty()) {
                    features.extend(unit_of(&parent.module));
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
        let mut statements = Vec::new();
        let mut value_writer = value::ValueWriter::new(self, &mut imports);
        let argument = match (&operation.body, &request.body) {
            (None, None) => String::new(),
            (None, Some(_)) => {
                return Err(Refusal::new(format!(
                    "`{} {}` takes no body, and the request has one",
                    request.method.upper(),
                    node.template
                )))
            }
            (Some(_), None) => {
                return Err(Refusal::new(format!(
                    "`{} {}` takes a body, and the request has none",
                    request.method.upper(),
                    node.template
                )))
            }
            (Some(RequestBody::Bytes { .. }), Some(body)) => rust_string(body),
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
                    serde_json::from_str(body).map_err(|e| Refusal::new(format!("the body is not JSON: {e}")))?;
                let expression = value_writer.top(&json, ty)?;
                statements.push(format!("let request_body = {expression};"));
                let nulls = value_writer.take_top_nulls();
                if nulls.is_empty() {
                    "&request_body".to_owned()
                } else if matches!(operation.body, Some(RequestBody::Patch(_))) {
                    let patch = value_writer.imports.name_root("Patch");
                    let nulls: String = nulls.iter().map(|n| format!(".null({})", rust_string(n))).collect();
                    format!("&{patch}::new(request_body){nulls}")
                } else {
                    return Err(Refusal::new(
                        "the body sets a property to `null`, which only an update (PATCH) can send".to_owned(),
                    ));
                }
            }
        };
        let notes = std::mem::take(&mut value_writer.notes);
        let json = std::mem::take(&mut value_writer.json);
        for path in value_writer.derived_types() {
            if let Some(areas) = &self.areas {
                let units = areas.of_type.get(path).cloned().unwrap_or_default();
                if !units.iter().any(|u| features.contains(u)) {
                    features.insert(units.into_iter().next().unwrap_or_else(|| crate::features::FULL.to_owned()));
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
        chain.push_str(".await?;");
        statements.push(match operation.response {
            ResponseShape::NoContent => chain,
            _ => format!("let result = {chain}"),
        });
        let code = format_statements(&statements.join("\n"), &json)?;
        Ok(Snippet { features: features.into_iter().collect(), uses: imports.lines(), code, notes })
    }

    fn type_def(&self, path: &TypePath) -> Option<&'m TypeDef> {
        self.types.get(path).copied()
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

    /// How the snippet names an item at the crate's root (`Patch`).
    fn name_root(&mut self, name: &str) -> String {
        let full = format!("{}::{name}", self.crate_name);
        self.claim(name, full)
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
    Ok(expand_placeholders(&code, json))
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
        assert!(
            is_plain_literal("5")
                && is_plain_literal("true")
                && !is_plain_literal("2026-01-01")
                && !is_plain_literal("1e5")
        );
    }
}
