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

/// `benches/full-graph.toml`'s crate without the documentation modules: `cleanMetadata.xml` with Microsoft's
/// permissions file and three clouds' `$metadata`.
fn annotated_clean_metadata_model() -> Crate {
    let dir = metadata_dir();
    let file = |name: &str| format!("{:?}", dir.join(name).display().to_string());
    model(&format!(
        "spec = {}\nbase-url = \"https://graph.microsoft.com/v1.0\"\nstrip-namespace = \"microsoft.graph\"\n\
         camel-case-action-parameters = true\npermissions = {}\n\
         [crate.clouds]\nglobal = {}\nus-government-l4 = {}\nus-government-l5-dod = {}\nchina = {}\n\
         [crate.aliases]\nme = \"/users/{{user-id}}\"\n",
        file("csdl/cleanMetadata.xml"),
        file("permissions.json"),
        file("csdl/v1.0-Prod.csdl"),
        file("csdl/v1.0-Fairfax.csdl"),
        file("csdl/v1.0-Fairfax.csdl"),
        file("csdl/v1.0-Mooncake.csdl"),
    ))
}

#[test]
fn every_operation_of_all_of_graph_has_its_permissions_and_clouds() {
    use msgraph_generator::model::PermissionSource;
    let model = annotated_clean_metadata_model();
    let (mut listed, mut inferred, mut unlisted, mut total) = (0, 0, 0, 0);
    let mut count = |p: &msgraph_generator::model::Permissions| {
        total += 1;
        match p.source {
            PermissionSource::Listed => listed += 1,
            PermissionSource::SameAs { .. } => inferred += 1,
            PermissionSource::Unlisted => unlisted += 1,
        }
    };
    let mut no_cloud = Vec::new();
    for node in model.nodes() {
        for op in &node.operations {
            let permissions = op.permissions.as_ref();
            count(
                permissions
                    .unwrap_or_else(|| panic!("{} {} has no permissions table", op.method.upper(), node.template)),
            );
            for aliased in &op.aliased {
                let permissions = aliased.permissions.as_ref();
                let permissions =
                    permissions.unwrap_or_else(|| panic!("{} {} has none", op.method.upper(), aliased.template));
                count(permissions);
                // The signed-in user's alias is delegated only.
                assert!(permissions.application.least.is_none(), "{} {}", op.method.upper(), aliased.template);
            }
            let clouds =
                op.clouds.as_ref().unwrap_or_else(|| panic!("{} {} has no clouds", op.method.upper(), node.template));
            if clouds.is_empty() {
                no_cloud.push(format!("{} {}", op.method.upper(), node.template));
            }
        }
    }
    let known = listed + inferred;
    eprintln!(
        "{total} operations (with `me()`'s): {listed} listed, {inferred} inferred, {unlisted} unlisted; \
         {:.1}% with a known table; declared by no cloud: {no_cloud:#?}",
        known as f64 * 100.0 / total as f64
    );
    assert!(total > 17_000, "{total}");
    assert!(known * 100 >= total * 55, "{known} of {total} with a known table");
    // Microsoft's converter writes navigation from a collection without a key (`/invitations/invitedUser`), which
    // no cloud's `$metadata` declares: those requests are refused before they are sent, in every cloud.
    assert!(no_cloud.iter().all(|op| op.contains("/invitations/invitedUser")), "{no_cloud:#?}");
}

#[test]
fn inferred_permissions_agree_with_the_listed_ones() {
    use msgraph_generator::csdl::resolve::Resolver;
    use msgraph_generator::permissions::PermissionIndex;
    let dir = metadata_dir();
    let csdl_file = dir.join("csdl/cleanMetadata.xml");
    let csdl =
        msgraph_generator::csdl::parse(&std::fs::read_to_string(&csdl_file).expect("read"), &csdl_file).expect("parse");
    let resolver = Resolver::new(&csdl, Some("microsoft.graph"));
    let file = dir.join("permissions.json");
    let index = PermissionIndex::parse(&std::fs::read_to_string(&file).expect("read"), &file, Some("microsoft.graph"))
        .expect("parse");
    let agreement = index.leave_one_out(&index.signatures(&resolver), &resolver);
    let percent = |n: usize, of: usize| n as f64 * 100.0 / of as f64;
    let rules: Vec<String> = msgraph_generator::model::Inference::ALL
        .iter()
        .zip(agreement.by_rule)
        .map(|(rule, (inferred, same))| format!("{rule:?} {same}/{inferred}"))
        .collect();
    eprintln!(
        "each of {} listed operations left out in turn: {} get a table from the others, {:.1}% the same table, {:.1}% the same least-privileged permissions (by rule: {}); disagreements: {:#?}",
        agreement.listed,
        agreement.inferred,
        percent(agreement.same_table, agreement.inferred),
        percent(agreement.same_least, agreement.inferred),
        rules.join(", "),
        &agreement.disagreements
    );
    assert!(agreement.listed > 3_500, "{}", agreement.listed);
    assert!(agreement.inferred > 2_000, "{}", agreement.inferred);
    assert!(
        agreement.same_least * 100 >= agreement.inferred * 90,
        "{} of {}",
        agreement.same_least,
        agreement.inferred
    );
}
