//! All of Graph v1.0: Microsoft's 38 OpenAPI modules merged, and the current `cleanMetadata.xml`, each with every
//! path included, build a model with no problem in which every operation of the input is reachable from the client.
//! The CSDL route gives the operations of Microsoft's own Kiota-generated SDK, measured against its list.
//! (Compiling the full crate takes minutes; `cargo xtask bench` and the README report that.)

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use msgraph_generator::config::Config;
use msgraph_generator::model::Crate;
use msgraph_generator::pipeline::{self, Timings};
use msgraph_generator::spec::normalize_path;

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
    pipeline::crate_model(&root, &config.crates[0], 0, &mut Timings::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// Every `(METHOD, path)` the client reaches, normalised.
fn reachable(model: &Crate) -> BTreeSet<(String, String)> {
    operations(model, None)
}

/// Every `(METHOD, normalized template)` of the model's own nodes (not again through aliases).
fn operations(model: &Crate, strip_namespace: Option<&str>) -> BTreeSet<(String, String)> {
    let nodes = model.nodes();
    let ops = nodes.iter().flat_map(|n| n.operations.iter().map(move |op| (op, &n.template)));
    ops.map(|(op, template)| (op.method.upper().to_owned(), normalize_path(template, strip_namespace))).collect()
}

/// Every `(METHOD, path)` the description declares, normalised.
fn declared(files: &[PathBuf]) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(file).expect("read");
        let doc: msgraph_generator::openapi::Document = msgraph_generator::yaml::from_str(&text, file).expect("parse");
        for (path, item) in &doc.paths {
            for (method, _) in item.operations() {
                out.insert((method.upper().to_owned(), normalize_path(path, None)));
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

/// The crate `benches/full-graph.toml` builds: Microsoft's current `cleanMetadata.xml`, every path, with `me()`.
fn clean_metadata_model() -> &'static Crate {
    static MODEL: std::sync::OnceLock<Crate> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| {
        let file = metadata_dir().join("csdl/cleanMetadata.xml");
        model(&format!(
            "spec = {:?}\nbase-url = \"https://graph.microsoft.com/v1.0\"\nstrip-namespace = \"microsoft.graph\"\n\
             camel-case-action-parameters = true\n[crate.aliases]\nme = \"/users/{{user-id}}\"\n",
            file.display().to_string()
        ))
    })
}

#[test]
fn clean_metadata_reaches_every_derived_operation() {
    let file = metadata_dir().join("csdl/cleanMetadata.xml");
    let text = std::fs::read_to_string(&file).expect("read");
    let spec = msgraph_generator::spec::Spec::parse(
        &text,
        &file,
        &msgraph_generator::spec::ReadOptions {
            base_url: Some("https://graph.microsoft.com/v1.0"),
            strip_namespace: Some("microsoft.graph"),
            ..Default::default()
        },
    )
    .expect("parse and convert");
    // `/me/…` is reached through `me()`, which serves `/users/{user-id}/…`.
    let declared: BTreeSet<(String, String)> = spec
        .operation_index(None)
        .into_iter()
        .map(|(method, path)| match path.strip_prefix("/me") {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => (method, format!("/users/{{}}{rest}")),
            _ => (method, path),
        })
        .collect();
    let model = clean_metadata_model();
    assert_eq!(reachable(model), declared);
    assert!(declared.len() > 15_000, "{}", declared.len());
    let me = &model.aliases[0];
    assert_eq!(
        (me.accessor.as_str(), me.target.as_str(), me.builder.as_str()),
        ("me", "/users/{user-id}", "UserItemRequestBuilder")
    );
}

/// What Microsoft's own v1.0 SDK exposes: `METHOD<TAB>/template` per operation (`/me` and `/copilot` excluded).
fn kiota_operations() -> BTreeSet<(String, String)> {
    let file = metadata_dir().join("reference/kiota-v1.0-operations.tsv");
    std::fs::read_to_string(&file)
        .expect("read the reference operation list")
        .lines()
        .filter_map(|line| line.split_once('\t'))
        .map(|(method, template)| {
            // A required query parameter that Kiota writes into the template is not part of the path.
            let path = template.split('?').next().unwrap_or(template);
            (method.to_owned(), normalize_path(path, Some("microsoft.graph")))
        })
        .collect()
}

#[test]
fn clean_metadata_gives_microsofts_sdk_operations() {
    let reference = kiota_operations();
    assert_eq!(reference.len(), 15_710, "the reference list has every operation of Microsoft's SDK");
    let mut ours = operations(clean_metadata_model(), Some("microsoft.graph"));
    // The reference leaves out what Microsoft's SDKs serve another way (`/me` by URL replacement) or not at all.
    ours.retain(|(_, path)| !path.starts_with("/copilot"));
    let both = ours.intersection(&reference).count();
    let recall = both as f64 / reference.len() as f64;
    let precision = both as f64 / ours.len() as f64;
    let missing: Vec<_> = reference.difference(&ours).collect();
    let extra: Vec<_> = ours.difference(&reference).collect();
    eprintln!(
        "{} operations, {} in Microsoft's SDK, {both} in both: recall {:.2}%, precision {:.2}%\nmissing: {missing:#?}\nextra: {extra:#?}",
        ours.len(),
        reference.len(),
        recall * 100.0,
        precision * 100.0
    );
    assert!(recall >= 0.98 && precision >= 0.98, "recall {recall:.4}, precision {precision:.4}");
}
