//! One insta snapshot per generated file, for the real crate and every fixture crate, generated in memory from
//! `codegen.toml`. A snapshot whose file is no longer generated fails the test too.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn snapshot_name(path: &str) -> String {
    path.replace('/', "__")
}

#[test]
fn every_generated_file_matches_its_snapshot() {
    let planned = msgraph_generator::pipeline::plan_workspace(&workspace_root()).expect("codegen.toml generates");
    assert!(planned.files.keys().any(|p| p == "generated/src/users/item/presence/clear_presence/mod.rs"));
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for (path, contents) in &planned.files {
            insta::assert_snapshot!(snapshot_name(path), contents);
        }
    });
    let expected: BTreeSet<String> = planned.files.keys().map(|p| format!("{}.snap", snapshot_name(p))).collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let present: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("snapshot directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".snap"))
        .collect();
    let orphans: Vec<&String> = present.difference(&expected).collect();
    assert!(orphans.is_empty(), "snapshots of files that are no longer generated: {orphans:?}");
}

#[test]
fn generation_is_deterministic() {
    let first = msgraph_generator::pipeline::plan_workspace(&workspace_root()).expect("generates");
    let second = msgraph_generator::pipeline::plan_workspace(&workspace_root()).expect("generates");
    assert_eq!(first.files, second.files);
}
