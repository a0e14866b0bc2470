//! All of Graph v1.0: Microsoft's 38 OpenAPI modules merged, and the full Prod CSDL, each with every path
//! included, build a model with no problem in which every operation of the input is reachable from the client.
//! (Compiling the full crate takes minutes; `cargo xtask bench` and the README report that.)

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use msgraph_generator::config::Config;
use msgraph_generator::model::{Crate, Node};
use msgraph_generator::spec::normalize_path;
use msgraph_generator::workspace::{self, Timings};

fn metadata_dir() -> PathBuf {
    let dir = std::env::var_os("GRAPH_METADATA_DIR")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/graph-metadata"), PathBuf::from);
    assert!(dir.join("openapi/v1.0").is_dir(), "Graph's metadata is not at {}: set GRAPH_METADATA_DIR", dir.display());
    dir
}

fn model(crate_toml: &str) -> Crate {
    let text = format!("runtime = \"runtime\"\n[[crate]]\nname = \"msgraph-sdk\"\noutput = \"out\"\n{crate_toml}");
    let config = Config::parse(&text, Path::new("codegen.toml")).expect("config");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    workspace::crate_model(&root, &config.crates[0], 0, &mut Timings::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// Every `(METHOD, path)` the client reaches, normalised.
fn reachable(model: &Crate) -> BTreeSet<(String, String)> {
    fn walk(node: &Node, out: &mut BTreeSet<(String, String)>) {
        for op in &node.operations {
            out.insert((op.method.upper().to_owned(), normalize_path(&node.template, None)));
        }
        for child in &node.children {
            walk(child, out);
        }
    }
    let mut out = BTreeSet::new();
    walk(&model.root, &mut out);
    out
}

/// Every `(METHOD, path)` the description declares, normalised.
fn declared(files: &[PathBuf]) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(file).expect("read");
        let doc: msgraph_generator::openapi::Document = msgraph_generator::yaml::from_str(&text, file).expect("parse");
        for (path, item) in &doc.paths {
            for (method, _) in item.operations() {
                out.insert((method.to_ascii_uppercase(), normalize_path(path, None)));
            }
        }
    }
    out
}

#[test]
fn all_38_openapi_modules_reach_every_operation() {
    let dir = metadata_dir().join("openapi/v1.0");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("list")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 38);
    let model =
        model(&format!("spec = {:?}\nstrip-namespace = \"microsoft.graph\"", dir.join("*.yml").display().to_string()));
    let declared = declared(&files);
    let reachable = reachable(&model);
    let missing: Vec<_> = declared.difference(&reachable).take(10).collect();
    assert!(
        missing.is_empty(),
        "{} of {} operations unreachable, e.g. {missing:?}",
        declared.len() - reachable.len(),
        declared.len()
    );
    assert_eq!(reachable.len(), declared.len());
    assert!(declared.len() > 12_000, "{}", declared.len());
    assert!(model.types.len() > 2_500, "{}", model.types.len());
}

#[test]
fn the_full_prod_csdl_reaches_every_derived_operation() {
    let file = metadata_dir().join("csdl/v1.0-Prod.csdl");
    let text = std::fs::read_to_string(&file).expect("read");
    let spec = msgraph_generator::spec::Spec::parse(
        &text,
        &file,
        &msgraph_generator::spec::ReadOptions {
            base_url: Some("https://graph.microsoft.com/v1.0"),
            strip_namespace: Some("microsoft.graph"),
        },
    )
    .expect("parse and convert");
    let declared = spec.operation_index(None);
    let model = model(&format!(
        "spec = {:?}\nbase-url = \"https://graph.microsoft.com/v1.0\"\nstrip-namespace = \"microsoft.graph\"",
        file.display().to_string()
    ));
    let reachable = reachable(&model);
    assert_eq!(reachable, declared);
    assert!(declared.len() > 19_000, "{}", declared.len());
}
