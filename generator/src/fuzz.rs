//! The bodies of the fuzz targets under `fuzz/`, here so that the stable test replaying their corpora
//! (`generator/tests/fuzz_replay.rs`) runs exactly the same code.
//!
//! Each feeds arbitrary bytes through one reader the way the generator does and returns whatever the outcome. It
//! panics only when an invariant breaks: an error message out of proportion to its input (a message listing a whole
//! cycle for each of its members once ran to gigabytes), or a pattern that matches a request but not its path.

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::Config;
use crate::csdl;
use crate::error::Error;
use crate::glob::Pattern;
use crate::lower::{self, Options};
use crate::permissions::PermissionIndex;
use crate::spec::{ReadOptions, Spec};

/// The most bytes of messages an input of `len` bytes may produce.
fn message_budget(len: usize) -> usize {
    64 * len + 16 * 1024
}

fn check_message(error: &Error, len: usize) {
    let message = error.to_string();
    assert!(
        message.len() <= message_budget(len),
        "{} bytes of messages for {len} bytes of input: {:.500}…",
        message.len(),
        message
    );
}

/// The text of `data` when it is UTF-8 (the generator reads only UTF-8 files).
fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// A CSDL document read and converted to OpenAPI, as `Spec::parse` does for XML.
pub fn csdl(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let file = Path::new("fuzz.csdl");
    let parsed = match csdl::parse(text, file) {
        Ok(parsed) => parsed,
        Err(error) => return check_message(&error, data.len()),
    };
    let options = csdl::convert::ConvertOptions {
        file,
        text,
        base_url: "https://example.com/v1",
        strip_namespace: Some("microsoft.graph"),
        camel_case_action_parameters: true,
    };
    if let Err(error) = csdl::convert::convert(&parsed, &options) {
        check_message(&error, data.len());
    }
}

/// An OpenAPI description read and lowered with every path included, keeping going past what cannot be lowered.
pub fn openapi(data: &[u8]) {
    let Some(text) = text(data) else { return };
    if csdl::looks_like_xml(text) {
        // The CSDL target covers XML.
        return;
    }
    let file = Path::new("fuzz.yaml");
    let read = ReadOptions {
        base_url: Some("https://example.com/v1"),
        strip_namespace: Some("microsoft.graph"),
        ..Default::default()
    };
    let spec = match Spec::parse(text, file, &read) {
        Ok(spec) => spec,
        Err(error) => return check_message(&error, data.len()),
    };
    let Ok(everything) = Pattern::parse("/**") else { return };
    let patterns = [everything];
    let aliases = BTreeMap::from([("me".to_owned(), "/users/{user-id}".to_owned())]);
    let options = Options {
        package: "fuzzed",
        version: "0.1.0",
        description: None,
        client: "Client",
        strip_namespace: Some("microsoft.graph"),
        patterns: &patterns,
        config_file: Path::new("codegen.toml"),
        config_index: 0,
        spec_file: file,
        area_features: true,
        aliases: &aliases,
    };
    let (_, problems) = lower::lower_keeping_going(&spec.document, &options);
    if let Some(error) = Error::from_list(problems) {
        check_message(&error, data.len());
    }
}

/// Include patterns: the first line is a pattern, each further line `METHOD path` (or a bare path) to match.
pub fn pattern(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let mut lines = text.lines();
    let Some(pattern) = lines.next() else { return };
    let Ok(parsed) = Pattern::parse(pattern) else { return };
    for line in lines {
        let (method, path) = line.split_once(' ').unwrap_or(("GET", line));
        let matched = parsed.matches(path, method);
        assert!(!matched || parsed.matches_path(path), "`{pattern}` matches `{line}` but not its path");
    }
}

/// A `codegen.toml`, and each crate's include patterns.
pub fn config(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let file = Path::new("codegen.toml");
    match Config::parse(text, file) {
        Ok(config) => {
            for (index, crate_config) in config.crates.iter().enumerate() {
                if let Err(error) = crate_config.patterns(file, index) {
                    check_message(&error, data.len());
                }
            }
        }
        Err(error) => check_message(&error, data.len()),
    }
}

/// A permissions file, and a few lookups in it.
pub fn permissions(data: &[u8]) {
    let Some(text) = text(data) else { return };
    match PermissionIndex::parse(text, Path::new("permissions.json"), Some("microsoft.graph")) {
        Ok(index) => {
            for path in ["/users/{user-id}", "/me/messages/{message-id}/move", "/users/$count", "/"] {
                for method in [crate::model::Method::Get, crate::model::Method::Post] {
                    let _ = index.lookup(method, path, Some("microsoft.graph"));
                    let _ = index.related(method, path, Some("microsoft.graph"));
                }
            }
        }
        Err(error) => check_message(&error, data.len()),
    }
}

/// Runs the target named `target` (a directory name under `fuzz/corpus/`) on `data`; `false` for an unknown name.
pub fn run(target: &str, data: &[u8]) -> bool {
    match target {
        "csdl" => csdl(data),
        "openapi" => openapi(data),
        "pattern" => pattern(data),
        "config" => config(data),
        "permissions" => permissions(data),
        _ => return false,
    }
    true
}
