//! The TOML files of a crate: its manifest (with the features of a crate split per area), its `rustfmt.toml` and
//! its lock file. Values are written as TOML strings by the `toml` crate, so any name or path is quoted correctly.

use super::*;

pub(super) fn manifest(model: &Crate, runtime_path: &str) -> String {
    let mut out = package_manifest(&model.spec_path, &model.package, &model.version, &model.description, runtime_path);
    if model.models_crate {
        out.push_str(&format!("{} = {{ path = \"models\" }}\n", toml_key(&models_package(model))));
    }
    out
}

/// The manifest of the models crate (see [`Crate::models_crate`]), in `models/` of the output.
pub(super) fn models_manifest(model: &Crate, runtime_path: &str) -> String {
    let runtime = if std::path::Path::new(runtime_path).is_absolute() {
        runtime_path.to_owned()
    } else {
        format!("../{runtime_path}")
    };
    let description = format!("The types of {}, which re-exports them as `models`", model.package);
    package_manifest(&model.spec_path, &models_package(model), &model.version, &description, &runtime)
}

/// The package name of the models crate: `msgraph-sdk-full-models`.
pub(super) fn models_package(model: &Crate) -> String {
    format!("{}-models", model.package)
}

fn package_manifest(spec: &str, name: &str, version: &str, description: &str, runtime_path: &str) -> String {
    let q = toml_string;
    format!(
        "# {MARKER} from {spec}. Do not edit by hand.\n\
         [package]\n\
         name = {name}\n\
         version = {version}\n\
         edition = \"2021\"\n\
         description = {description}\n\
         publish = false\n\
         \n\
         [dependencies]\n\
         msgraph-runtime = {{ path = {runtime} }}\n\
         serde = \"1\"\n\
         serde_json = {{ version = \"1\", features = [\"raw_value\"] }}\n",
        name = q(name),
        version = q(version),
        description = q(description),
        runtime = q(runtime_path),
    )
}

/// A TOML string (or a bare key when it needs no quotes).
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn toml_key(s: &str) -> String {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        s.to_owned()
    } else {
        toml_string(s)
    }
}

/// The `[features]` table of a crate split per area: `full`, each area with its parts, each part; each part also
/// enables itself in `forward` (the models crate) when there is one.
pub(super) fn features_table(areas: &Areas, forward: Option<&str>) -> String {
    let mut out = String::from(
        "\n[package.metadata.docs.rs]\n\
         # Every feature, with the features each item needs shown (`doc_cfg`).\n\
         all-features = true\n\
         rustdoc-args = [\"--cfg\", \"docsrs\"]\n\
         \n[features]\n\
         # Nothing by default: enable the areas (`users`), the areas' own operations (`users-core`) or parts of areas\n\
         # (`users-messages`) you use, or `full`.\n\
         default = []\n",
    );
    let all: Vec<String> = areas.areas.keys().map(|a| toml_string(a)).collect();
    out.push_str(&format!("{} = [{}]\n", crate::features::FULL, all.join(", ")));
    for (area, parts) in &areas.areas {
        let list: Vec<String> = parts.iter().map(|p| toml_string(p)).collect();
        out.push_str(&format!("{} = [{}]\n", toml_key(area), list.join(", ")));
        for part in parts {
            let enables = forward.map(|package| toml_string(&format!("{package}/{part}"))).unwrap_or_default();
            out.push_str(&format!("{} = [{enables}]\n", toml_key(part)));
        }
    }
    out
}

/// `codegen.lock`: what the crate was generated from (generator, description, include patterns, the SHA-256 of
/// every input file) and the files it has; `cargo xtask codegen --check` fails when any of it changed.
pub fn lock_file(
    spec_path: &str,
    include: &[String],
    input_hashes: &std::collections::BTreeMap<String, String>,
    files: &[File],
) -> File {
    let list =
        |items: &mut dyn Iterator<Item = &str>| items.map(|s| format!("    {},\n", toml_string(s))).collect::<String>();
    let hashes: String =
        input_hashes.iter().map(|(file, hash)| format!("{} = {}\n", toml_string(file), toml_string(hash))).collect();
    let contents = format!(
        "# {MARKER}. Do not edit by hand.\n\
         # What this crate was generated from; `cargo xtask codegen --check` fails when it is out of date.\n\
         generator = {generator}\n\
         spec = {spec}\n\
         include = [\n{include}]\n\
         files = [\n{files}]\n\
         \n\
         # SHA-256 of every input file.\n\
         [inputs]\n\
         {hashes}",
        generator = toml_string(crate::GENERATOR_VERSION),
        spec = toml_string(spec_path),
        include = list(&mut include.iter().map(String::as_str)),
        files = list(&mut files.iter().map(|f| f.path.as_str())),
    );
    File { path: crate::pipeline::LOCK_FILE.to_owned(), contents }
}
