//! CSDL and OpenAPI meet in one model: the hand-written slices, Microsoft's real v1.0 `$metadata` and its
//! PowerShell-flavour OpenAPI all give the same builders and body types for clearPresence. The national-cloud table
//! and the permissions table the generator derives from the real metadata equal the reference page's.
//!
//! The real metadata is read from `GRAPH_METADATA_DIR`, or `../shared/graph-metadata` beside the workspace.

use std::path::{Path, PathBuf};

use msgraph_generator::config::Config;
use msgraph_generator::csdl;
use msgraph_generator::model::{Cloud, Crate, Docs, Node, PermissionSource, Permissions, SchemePermissions, Segment};
use msgraph_generator::pipeline::{self, Timings};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the tests crate is in the workspace").to_path_buf()
}

fn metadata_dir() -> PathBuf {
    let dir = std::env::var_os("GRAPH_METADATA_DIR")
        .map_or_else(|| workspace_root().join("../shared/graph-metadata"), PathBuf::from);
    assert!(
        dir.join("csdl/v1.0-Prod.csdl").is_file(),
        "Graph's metadata is not at {}: set GRAPH_METADATA_DIR",
        dir.display()
    );
    dir
}

/// The model of a one-crate config (paths relative to the workspace, or absolute).
fn model(crate_toml: &str) -> Crate {
    let text =
        format!("runtime = \"runtime\"\n[[crate]]\nname = \"msgraph-sdk\"\noutput = \"generated\"\n{crate_toml}");
    let config = Config::parse(&text, Path::new("codegen.toml")).expect("config");
    pipeline::crate_model(&workspace_root(), &config.crates[0], 0, &mut Timings::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

const CLEAR_PRESENCE: &str =
    r#"include = ["/users/{user-id}/presence/clearPresence#POST", "/me/presence/clearPresence#POST"]"#;

/// `client.me()` as the checked-in crate has it (a TOML table: it goes last).
const ME: &str = "[crate.aliases]\nme = \"/users/{user-id}\"\n";

/// The model without any documentation or provenance: what decides the Rust API.
fn api_shape(model: &Crate) -> Crate {
    fn strip(node: &mut Node) {
        node.description = None;
        if let Segment::Parameter { description, .. } = &mut node.segment {
            *description = None;
        }
        for op in &mut node.operations {
            op.docs = Docs::default();
        }
        node.children.iter_mut().for_each(strip);
    }
    let mut shape = model.clone();
    shape.spec_path = String::new();
    shape.description = String::new();
    strip(&mut shape.root);
    for t in &mut shape.types {
        t.docs = Docs::default();
        t.origin = String::new();
        for f in t.fields_mut() {
            f.docs = None;
        }
    }
    shape
}

fn openapi_slice() -> Crate {
    model(&format!(
        "spec = \"specs/clear-presence.openapi.yaml\"\nstrip-namespace = \"microsoft.graph\"\n{CLEAR_PRESENCE}\n{ME}"
    ))
}

#[test]
fn csdl_slice_and_openapi_slice_give_the_same_crate() {
    let from_csdl = model(&format!(
        "spec = \"specs/clear-presence.csdl.xml\"\nbase-url = \"https://graph.microsoft.com/v1.0\"\n\
         strip-namespace = \"microsoft.graph\"\n{CLEAR_PRESENCE}\n{ME}"
    ));
    let from_openapi = openapi_slice();
    assert_eq!(api_shape(&from_csdl), api_shape(&from_openapi));
    // The slice's annotations carry the reference page's text, so even the docs agree (CSDL has no doc link).
    let body =
        |m: &Crate| m.types.iter().find(|t| t.path.name == "ClearPresencePostRequestBody").cloned().expect("body");
    assert_eq!(body(&from_csdl).fields(), body(&from_openapi).fields());
    let op = |m: &Crate| {
        let users = m.root.children.iter().find(|c| c.accessor == "users").expect("users");
        let mut docs = users.children[0].children[0].children[0].operations[0].docs.clone();
        docs.link = None;
        docs
    };
    assert_eq!(op(&from_csdl), op(&from_openapi));
}

#[test]
fn real_prod_csdl_parses_completely_and_clean_metadata_gives_the_same_clear_presence() {
    let dir = metadata_dir();
    let file = dir.join("csdl/v1.0-Prod.csdl");
    let text = std::fs::read_to_string(&file).expect("read Prod");
    let started = std::time::Instant::now();
    let parsed = csdl::parse(&text, &file).unwrap_or_else(|e| panic!("{e}"));
    eprintln!("parsed {} bytes of CSDL in {:?}", text.len(), started.elapsed());
    let counts = parsed.counts();
    assert_eq!(
        (counts.entity_types, counts.complex_types, counts.enum_types, counts.actions, counts.functions),
        (1182, 1779, 861, 857, 326)
    );
    assert_eq!((counts.entity_sets, counts.singletons), (41, 31));
    let annotated = parsed.types.values().filter(|t| t.description.is_some()).count();
    assert!(annotated > 100, "Core.Description annotations reach the types ({annotated})");

    // Microsoft converts its preprocessed `cleanMetadata.xml`, not the raw `$metadata`: so does the generator.
    let clean = dir.join("csdl/cleanMetadata.xml");
    let from_clean = model(&format!(
        "spec = {:?}\nbase-url = \"https://graph.microsoft.com/v1.0\"\nstrip-namespace = \"microsoft.graph\"\n{CLEAR_PRESENCE}\n{ME}",
        clean.display().to_string()
    ));
    assert_eq!(api_shape(&from_clean), api_shape(&openapi_slice()));
}

#[test]
fn raw_prod_csdl_is_refused_quickly_with_a_located_message() {
    // The raw `$metadata` marks navigation as contained that is not (a group's members, a drive's root), so
    // following containment as Microsoft's converter does derives paths without end. The walk stops at its limit
    // and says where, in well under a second, instead of exhausting memory.
    let file = metadata_dir().join("csdl/v1.0-Prod.csdl");
    let text = std::fs::read_to_string(&file).expect("read Prod");
    let options = msgraph_generator::spec::ReadOptions {
        base_url: Some("https://graph.microsoft.com/v1.0"),
        strip_namespace: Some("microsoft.graph"),
        ..Default::default()
    };
    let message = msgraph_generator::spec::Spec::parse(&text, &file, &options).expect_err("too many paths").to_string();
    assert!(message.starts_with(&format!("{}:", file.display())), "{message}");
    assert!(message.contains("derives more than 400000 paths"), "{message}");
    assert!(message.contains("cleanMetadata.xml"), "{message}");
}

#[test]
fn powershell_flavour_openapi_gives_the_same_rust_names() {
    let dir = metadata_dir();
    let from_powershell = model(&format!(
        "spec = {:?}\nstrip-namespace = \"microsoft.graph\"\ninclude = [\"/users/{{user-id}}/presence/microsoft.graph.clearPresence#POST\"]",
        dir.join("openapi/v1.0/Users.Actions.yml").display().to_string()
    ));
    let from_kiota = model(
        "spec = \"specs/clear-presence.openapi.yaml\"\nstrip-namespace = \"microsoft.graph\"\n\
         include = [\"/users/{user-id}/presence/clearPresence#POST\"]",
    );
    // Same modules, builders, accessors, methods and types; only the wire segment keeps the namespace.
    let mut shape = api_shape(&from_powershell);
    fn unqualify(node: &mut Node) {
        if let Segment::Static { wire } = &mut node.segment {
            if let Some(rest) = wire.strip_prefix("microsoft.graph.") {
                *wire = rest.to_owned();
            }
        }
        node.template = node.template.replace("microsoft.graph.", "");
        node.children.iter_mut().for_each(unqualify);
    }
    unqualify(&mut shape.root);
    shape.version.clone_from(&from_kiota.version);
    assert_eq!(shape.root, api_shape(&from_kiota).root);
    let names = |m: &Crate| m.types.iter().map(|t| (t.path.clone(), t.fields().len())).collect::<Vec<_>>();
    assert_eq!(names(&shape), names(&api_shape(&from_kiota)));
}

fn operation<'m>(model: &'m Crate, path: &[&str]) -> &'m msgraph_generator::model::Operation {
    let mut node = &model.root;
    for accessor in path {
        node = node.children.iter().find(|c| c.accessor == *accessor).unwrap_or_else(|| panic!("no {accessor}"));
    }
    &node.operations[0]
}

#[test]
fn real_metadata_gives_the_reference_pages_tables() {
    let dir = metadata_dir();
    let csdl = |cloud: &str| format!("{:?}", dir.join(format!("csdl/v1.0-{cloud}.csdl")).display().to_string());
    let crate_model = model(&format!(
        "spec = \"specs/clear-presence.openapi.yaml\"\nstrip-namespace = \"microsoft.graph\"\n{CLEAR_PRESENCE}\n\
         permissions = {:?}\n\
         [crate.clouds]\nglobal = {}\nus-government-l4 = {}\nus-government-l5-dod = {}\nchina = {}\n{ME}",
        dir.join("permissions.json").display().to_string(),
        csdl("Prod"),
        csdl("Fairfax"),
        csdl("Fairfax"),
        csdl("Mooncake"),
    ));
    let clear = operation(&crate_model, &["users", "by_user_id", "presence", "clear_presence"]);
    // Global ✅, US Government L4 ✅, US Government L5 (DOD) ✅, China operated by 21Vianet ❌.
    assert_eq!(clear.clouds.as_deref(), Some(&[Cloud::Global, Cloud::UsGovernmentL4, Cloud::UsGovernmentL5Dod][..]));
    assert_eq!(
        clear.permissions,
        Some(Permissions {
            delegated_work: SchemePermissions { least: Some("Presence.ReadWrite".into()), higher: vec![] },
            delegated_personal: SchemePermissions::default(),
            application: SchemePermissions { least: Some("Presence.ReadWrite.All".into()), higher: vec![] },
            source: PermissionSource::Listed,
        })
    );
    // Through `me()`: delegated only.
    let me = &clear.aliased[0];
    assert_eq!((me.accessor.as_str(), me.template.as_str()), ("me", "/me/presence/clearPresence"));
    let me_permissions = me.permissions.as_ref().expect("permissions through me()");
    assert_eq!(Some(&me_permissions.delegated_work), clear.permissions.as_ref().map(|p| &p.delegated_work));
    assert_eq!(me_permissions.application, SchemePermissions::default());

    // The checked-in crate, generated from the hand-written slices, carries the same tables.
    let root = workspace_root();
    let config = Config::load(&root.join("codegen.toml"), Path::new("codegen.toml")).expect("codegen.toml");
    let sdk = config.crates.iter().position(|c| c.name == "msgraph-sdk").expect("the msgraph-sdk crate");
    let slices = pipeline::crate_model(&root, &config.crates[sdk], sdk, &mut Timings::default()).expect("model");
    let from_slices = operation(&slices, &["users", "by_user_id", "presence", "clear_presence"]);
    assert_eq!((&from_slices.clouds, &from_slices.permissions), (&clear.clouds, &clear.permissions));
}
