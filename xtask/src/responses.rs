//! The reference pages' response bodies (`doc-responses-v1.0.json` in the Graph samples), each paired with the model
//! type it is read into, for `cargo xtask snippet-tests` to write as round-trip tests: read into the type, written
//! back, compared with the body.
//!
//! The type is the one the page declares (`@odata.type` of the entry), found in the model by its `@odata.type`; a
//! collection (declared as one, or a body that is a page: a `value` array the type does not declare) is read into
//! the model's page type for it, `{Type}CollectionResponse`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use msgraph_generator::features::Areas;
use msgraph_generator::model::{Crate, Shape, TypeDef, TypePath};
use serde_json::Value;

/// One response body and the type it is read into.
pub struct ResponseCase {
    /// Its index in the file's `responses` array.
    pub index: usize,
    /// A Rust identifier naming it (`doc_response_07_directoryobject_getbyids`).
    pub ident: String,
    /// Where it comes from (`directoryobject-getbyids, Response: microsoft.graph.directoryObject, a page`).
    pub source: String,
    /// The type's path from outside the crate (`msgraph_sdk::models::DirectoryObjectCollectionResponse`) and the
    /// feature that compiles it (none for a crate without features), or why there is none.
    pub target: Result<(String, Option<String>), String>,
}

/// Every response of the file, with its type in `model`.
///
/// # Errors
///
/// When the file cannot be read or is not the responses' JSON (where, as a JSON pointer).
pub fn response_cases(model: &Crate, file: &Path, crate_name: &str) -> Result<Vec<ResponseCase>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let json: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}:{}:{}: {e}", file.display(), e.line(), e.column()))?;
    let responses = json
        .get("responses")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{}: expected an array at /responses", file.display()))?;
    let areas = model.area_features.then(|| Areas::compute(model));
    let mut cases = Vec::new();
    for (index, entry) in responses.iter().enumerate() {
        let text_at = |key: &str| {
            entry
                .get(key)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{}: expected a string at /responses/{index}/{key}", file.display()))
        };
        let page = text_at("page")?;
        let declared = text_at("type")?;
        let body = entry
            .get("body")
            .filter(|b| b.is_object())
            .ok_or_else(|| format!("{}: expected an object at /responses/{index}/body", file.display()))?;
        let declared_collection = entry.get("isCollection").and_then(Value::as_bool).unwrap_or(false);
        let example = entry.get("example").and_then(Value::as_str).unwrap_or("Response");
        let ident = format!("doc_response_{index:02}_{}", page.replace(|c: char| !c.is_ascii_alphanumeric(), "_"));
        let target = target(model, areas.as_ref(), declared, declared_collection, body, crate_name);
        let shape = match &target {
            Ok((path, _)) if path.ends_with("CollectionResponse") => ", a page",
            _ => "",
        };
        cases.push(ResponseCase { index, ident, source: format!("{page}, {example}: {declared}{shape}"), target });
    }
    Ok(cases)
}

/// The type a body declared as `declared` is read into, and a feature that compiles it.
fn target(
    model: &Crate,
    areas: Option<&Areas>,
    declared: &str,
    declared_collection: bool,
    body: &Value,
    crate_name: &str,
) -> Result<(String, Option<String>), String> {
    let odata_type = format!("#{declared}");
    let entity = model
        .types
        .iter()
        .find(|t| matches!(&t.shape, Shape::Struct(s) if s.odata_type.as_deref() == Some(odata_type.as_str())))
        .ok_or_else(|| format!("the model has no type `{declared}`"))?;
    let is_page = declared_collection
        || (body.get("value").is_some_and(Value::is_array) && !entity.fields().iter().any(|f| f.wire_name == "value"));
    let chosen: &TypeDef = if is_page {
        let name = format!("{}CollectionResponse", entity.path.name);
        model
            .types
            .iter()
            .find(|t| t.path.module == entity.path.module && t.path.name == name)
            .ok_or_else(|| format!("the model has no page type `{name}` for `{declared}`"))?
    } else {
        entity
    };
    let feature = areas.and_then(|a| a.of_type.get(&chosen.path)).and_then(|units| units.iter().next().cloned());
    let feature = match (areas, feature) {
        (None, _) => None,
        (Some(_), Some(unit)) => Some(unit),
        (Some(_), None) => Some(msgraph_generator::features::FULL.to_owned()),
    };
    Ok((rust_path(crate_name, &chosen.path), feature))
}

/// `crate_name::models::User`.
fn rust_path(crate_name: &str, path: &TypePath) -> String {
    let mut out = crate_name.to_owned();
    for part in path.module.iter().chain([&path.name]) {
        out.push_str("::");
        out.push_str(part);
    }
    out
}

/// The features the cases' types need.
pub fn features(cases: &[ResponseCase]) -> BTreeSet<String> {
    cases.iter().filter_map(|c| c.target.as_ref().ok().and_then(|(_, f)| f.clone())).collect()
}

/// `tests/responses.rs`: one round-trip test per case that has a type.
pub fn test_file(cases: &[ResponseCase], file: &Path, harness: &Path) -> String {
    let mut out = format!(
        "//! Written by `cargo xtask snippet-tests`: each response body of Graph's reference pages read into the model\n\
         //! type its page declares and written back (see `round_trip` in the harness).\n\n\
         #![allow(dead_code, unused_imports, clippy::all)]\n\n\
         #[path = {:?}]\nmod harness;\n\nconst RESPONSES: &str = {:?};\n",
        harness.display().to_string(),
        file.display().to_string()
    );
    for case in cases {
        let Ok((path, _)) = &case.target else { continue };
        let _ = write!(
            out,
            "\n/// {}\n#[test]\nfn {}() {{\n    harness::round_trip::<{path}>(RESPONSES, {});\n}}\n",
            case.source, case.ident, case.index
        );
    }
    out
}
