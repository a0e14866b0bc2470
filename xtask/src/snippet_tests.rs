//! `cargo xtask snippet-tests`: the snippet of every real request we test against, written as a test crate that
//! compiles them all against the generated crate and runs each on a loopback server, checking that it sends the
//! request it was written from.
//!
//! Requests come from Graph Explorer's samples (a JSON file) and from `.http` collections (`### title` before each
//! request, in the format of [`HttpRequest::parse`]; a body `<<binary hex=…>>` stands for those bytes). The crate is
//! written to an output directory (under `target/`): `Cargo.toml` with the union of the snippets' features,
//! `tests/snippets.rs` (one test per snippet, using the checked-in harness `benches/snippet-tests/harness.rs`), and
//! `report.md` (what was expressed, and every refusal with its reason).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use msgraph_generator::model::{Crate, Method};
use msgraph_generator::snippet::{HttpRequest, Refusal, Snippet, Writer};

/// One request to write a snippet for.
pub struct Case {
    /// A Rust identifier naming it (`explorer_017`, `devx_csharp_writes_a_double`).
    pub ident: String,
    /// Where it comes from, for the report (`Graph Explorer #17: get my mail`).
    pub source: String,
    /// The request, or why it could not be read.
    pub request: Result<HttpRequest, String>,
}

/// Every sample of Graph Explorer's sample-query file, in order.
///
/// # Errors
///
/// When the file cannot be read or is not the samples' JSON (where, as a JSON pointer).
pub fn explorer_cases(file: &Path) -> Result<Vec<Case>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}:{}:{}: {e}", file.display(), e.line(), e.column()))?;
    let samples = json
        .get("samples")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| format!("{}: expected an array at /samples", file.display()))?;
    let text_at = |sample: &serde_json::Value, i: usize, key: &str| {
        sample
            .get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("{}: expected a string at /samples/{i}/{key}", file.display()))
    };
    let mut cases = Vec::new();
    for (i, sample) in samples.iter().enumerate() {
        let number = i + 1;
        let name = sample.get("humanName").and_then(serde_json::Value::as_str).unwrap_or_default();
        let request = (|| {
            let method = text_at(sample, i, "method")?;
            let method = Method::from_upper(&method.to_ascii_uppercase())
                .ok_or_else(|| format!("{}: /samples/{i}/method `{method}` is not an HTTP method", file.display()))?;
            let url = text_at(sample, i, "requestUrl")?;
            let mut headers = Vec::new();
            for (h, header) in
                sample.get("headers").and_then(serde_json::Value::as_array).into_iter().flatten().enumerate()
            {
                let field = |key: &str| {
                    header.get(key).and_then(serde_json::Value::as_str).map(str::to_owned).ok_or_else(|| {
                        format!("{}: expected a string at /samples/{i}/headers/{h}/{key}", file.display())
                    })
                };
                headers.push((field("name")?, field("value")?));
            }
            let body = sample
                .get("postBody")
                .and_then(serde_json::Value::as_str)
                .map(str::trim)
                .filter(|b| !b.is_empty())
                .map(|b| b.as_bytes().to_vec());
            Ok(HttpRequest { method, url, headers, body })
        })();
        cases.push(Case {
            ident: format!("explorer_{number:03}"),
            source: format!("Graph Explorer #{number}: {name}"),
            request,
        });
    }
    Ok(cases)
}

/// Every request of an `.http` collection (named `shown` in messages): lines before the first `### ` are
/// comments; each `### title` starts a request. A file without any is one request.
///
/// # Errors
///
/// When the file cannot be read.
pub fn http_cases(file: &Path, shown: &Path, prefix: &str) -> Result<Vec<Case>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let mut cases = Vec::new();
    let mut current: Option<(String, usize, String)> = None;
    let finish = |current: Option<(String, usize, String)>, cases: &mut Vec<Case>| {
        if let Some((title, line, body)) = current {
            let request = parse_block(&body).map_err(|e| format!("{}:{line}: {e}", shown.display()));
            let ident = format!("{prefix}_{}", snake(&title));
            cases.push(Case { ident, source: format!("{} ({}:{line})", title, shown.display()), request });
        }
    };
    for (n, line) in text.lines().enumerate() {
        if let Some(title) = line.strip_prefix("### ") {
            finish(current.take(), &mut cases);
            current = Some((title.trim().to_owned(), n + 2, String::new()));
        } else if let Some((_, _, body)) = &mut current {
            body.push_str(line);
            body.push('\n');
        }
    }
    finish(current.take(), &mut cases);
    // A file of one request without a title (an example) is that request, named after the file.
    if cases.is_empty() && !text.trim().is_empty() {
        let title = file.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        finish(Some((title, 1, text.clone())), &mut cases);
    }
    // Titles may repeat once made identifiers: number the later ones.
    let mut seen = BTreeSet::new();
    for case in &mut cases {
        let base = case.ident.clone();
        let mut n = 1;
        while !seen.insert(case.ident.clone()) {
            n += 1;
            case.ident = format!("{base}_{n}");
        }
    }
    Ok(cases)
}

/// One request of a collection; a body `<<binary hex=…>>` is those bytes.
fn parse_block(text: &str) -> Result<HttpRequest, Refusal> {
    let mut request = HttpRequest::parse(text)?;
    if let Some(hex) = request
        .body
        .as_deref()
        .and_then(|b| std::str::from_utf8(b).ok())
        .and_then(|b| b.strip_prefix("<<binary hex="))
        .and_then(|b| b.strip_suffix(">>"))
    {
        let bytes: Option<Vec<u8>> = (0..hex.len())
            .step_by(2)
            .map(|i| hex.get(i..i + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok()))
            .collect();
        request.body = Some(bytes.ok_or_else(|| Refusal::new(format!("`{hex}` is not hexadecimal bytes")))?);
    }
    Ok(request)
}

/// `CSharpGeneratorTests.WritesADoubleAsync[2]` → `csharp_generator_tests_writes_a_double_async_2`.
fn snake(title: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && previous_lower && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            previous_lower = false;
        }
    }
    out.trim_end_matches('_').to_owned()
}

/// Why a case has no snippet.
pub struct Miss {
    pub reason: String,
    /// The request names no operation of the metadata (rather than one the snippet cannot express).
    pub no_operation: bool,
}

/// What writing the crate found.
pub struct Outcome {
    /// Per case: its snippet or why there is none.
    pub results: Vec<(Case, Result<Snippet, Miss>)>,
    /// How long writing every snippet took (the model already built).
    pub writing: Duration,
}

/// Writes the snippet of every case.
pub fn write_snippets(model: &Crate, crate_name: &str, cases: Vec<Case>) -> Outcome {
    let writer = Writer::new(model, crate_name);
    let started = Instant::now();
    let results = cases
        .into_iter()
        .map(|case| {
            let result = match &case.request {
                Ok(request) => writer
                    .write(request)
                    .map_err(|r| Miss { reason: r.to_string(), no_operation: r.names_no_operation() }),
                Err(e) => Err(Miss { reason: e.clone(), no_operation: false }),
            };
            (case, result)
        })
        .collect();
    Outcome { results, writing: started.elapsed() }
}

/// The test crate's files: `Cargo.toml`, `tests/snippets.rs` and `report.md`, by path relative to the crate.
pub fn crate_files(
    outcome: &Outcome,
    package: &str,
    sdk: &Path,
    harness: &Path,
    lock: Option<String>,
    more_features: &BTreeSet<String>,
) -> Vec<(PathBuf, String)> {
    let features: BTreeSet<&str> = outcome
        .results
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok())
        .flat_map(|s| s.features.iter().map(String::as_str))
        .chain(more_features.iter().map(String::as_str))
        .collect();
    let features: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
    let manifest = format!(
        "# Written by `cargo xtask snippet-tests`: every snippet compiled against the generated crate and run on loopback.\n\
         [package]\nname = \"snippet-tests\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nmsgraph-sdk = {{ package = {package:?}, path = {:?}, default-features = false, features = [{}] }}\n\n\
         [dev-dependencies]\npercent-encoding = \"2\"\nserde = \"1\"\nserde_json = \"1\"\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\nwiremock = \"0.6\"\n\n\
         [workspace]\n",
        sdk.display().to_string(),
        features.join(", ")
    );
    let mut tests = format!(
        "//! Written by `cargo xtask snippet-tests`: each snippet as the body of `async fn(&GraphServiceClient)`, and a\n\
         //! test that runs it against a loopback server and compares what it sent with the request it was written from.\n\n\
         #![allow(unused_variables, unused_imports, deprecated, clippy::all)]\n\n\
         #[path = {:?}]\nmod harness;\n\nuse msgraph_sdk::GraphServiceClient;\n",
        harness.display().to_string()
    );
    for (case, result) in &outcome.results {
        let (Ok(snippet), Ok(request)) = (result, &case.request) else { continue };
        let ident = &case.ident;
        let _ = write!(
            tests,
            "\n/// {}\nasync fn {ident}(graph_client: &GraphServiceClient) -> Result<(), Box<dyn std::error::Error>> {{\n",
            case.source.replace('\n', " ")
        );
        for line in snippet.uses.iter().map(String::as_str).chain(snippet.code.lines()) {
            let _ = writeln!(tests, "    {line}");
        }
        let headers: Vec<String> = request.headers.iter().map(|(n, v)| format!("({n:?}, {v:?})")).collect();
        let body = match &request.body {
            Some(bytes) => format!("Some(&{}[..])", byte_string(bytes)),
            None => "None".to_owned(),
        };
        let _ = write!(
            tests,
            "    Ok(())\n}}\n\n#[tokio::test]\nasync fn {ident}_sends_its_request() {{\n    \
             let server = harness::Server::start().await;\n    let outcome = {ident}(&server.client()).await;\n    \
             server\n        .check(\n            &harness::Expected {{ method: {:?}, url: {:?}, headers: &[{}], body: {body} }},\n            \
             outcome,\n        )\n        .await;\n}}\n",
            request.method.upper(),
            request.url,
            headers.join(", ")
        );
    }
    let mut files = vec![
        (PathBuf::from("Cargo.toml"), manifest),
        (PathBuf::from("tests/snippets.rs"), tests),
        (PathBuf::from("report.md"), report(outcome)),
    ];
    if let Some(lock) = lock {
        files.push((PathBuf::from("Cargo.lock"), lock));
    }
    files
}

/// A byte string literal.
fn byte_string(bytes: &[u8]) -> String {
    format!("b\"{}\"", bytes.escape_ascii())
}

/// How many cases give snippets, and how many name an operation of the metadata at all.
pub fn counts(outcome: &Outcome) -> (usize, usize) {
    let expressed = outcome.results.iter().filter(|(_, r)| r.is_ok()).count();
    let named = outcome.results.iter().filter(|(_, r)| r.as_ref().err().is_none_or(|m| !m.no_operation)).count();
    (expressed, named)
}

/// What was expressed and what was refused, with the reasons.
pub fn report(outcome: &Outcome) -> String {
    let mut out = String::from("# Snippets of real requests\n\n");
    let (expressed, named) = counts(outcome);
    let _ = writeln!(
        out,
        "{expressed} of {} requests give snippets, {expressed} of the {named} that name an operation of the metadata \
         ({:.1} ms to write them all).\n",
        outcome.results.len(),
        outcome.writing.as_secs_f64() * 1000.0
    );
    for (title, no_operation) in [("Operations the metadata does not have", true), ("Refused", false)] {
        let _ = writeln!(out, "## {title}\n");
        for (case, result) in &outcome.results {
            let Err(miss) = result else { continue };
            if miss.no_operation != no_operation {
                continue;
            }
            let line = case.request.as_ref().map(|r| format!("`{} {}`", r.method.upper(), r.url)).unwrap_or_default();
            let _ = writeln!(out, "- {} {line}: {}", case.source, miss.reason);
        }
        out.push('\n');
    }
    out
}
