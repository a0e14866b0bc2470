//! The input limits (see `msgraph_generator::limits`) sit far above what Graph's real metadata needs: every `$metadata`
//! and every OpenAPI module is measured with the same scans the generator runs, and must stay under a quarter of each
//! limit.
//!
//! The real metadata is read from `GRAPH_METADATA_DIR`, or `../shared/graph-metadata` beside the workspace.

use std::path::{Path, PathBuf};

use msgraph_generator::limits::{self, MAX_INHERITANCE_DEPTH, MAX_XML_DEPTH, MAX_YAML_DEPTH};

fn metadata_dir() -> PathBuf {
    let dir = std::env::var_os("GRAPH_METADATA_DIR")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/graph-metadata"), PathBuf::from);
    assert!(dir.join("csdl").is_dir(), "Graph's metadata is not at {}: set GRAPH_METADATA_DIR", dir.display());
    dir
}

fn files(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("metadata directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| extensions.iter().any(|x| e == *x)))
        .collect();
    out.sort();
    out
}

#[test]
fn graph_metadata_nests_far_below_the_limits() {
    let dir = metadata_dir();
    let mut deepest_xml = (0, PathBuf::new());
    for file in files(&dir.join("csdl"), &["xml", "csdl"]) {
        let text = std::fs::read_to_string(&file).expect("read");
        let depth = limits::xml_depth(&text, usize::MAX).expect("no limit");
        deepest_xml = deepest_xml.max((depth, file));
    }
    let mut deepest_yaml = (0, PathBuf::new());
    for file in files(&dir.join("openapi/v1.0"), &["yml", "yaml"]) {
        let text = std::fs::read_to_string(&file).expect("read");
        let depth = limits::yaml_depth(&text, usize::MAX).expect("no limit");
        deepest_yaml = deepest_yaml.max((depth, file));
    }
    println!(
        "deepest XML: {} ({}); deepest YAML: {} ({})",
        deepest_xml.0,
        deepest_xml.1.display(),
        deepest_yaml.0,
        deepest_yaml.1.display()
    );
    assert!(deepest_xml.0 >= 13 && deepest_xml.0 * 4 <= MAX_XML_DEPTH, "{deepest_xml:?}");
    assert!(deepest_yaml.0 >= 10 && deepest_yaml.0 * 4 <= MAX_YAML_DEPTH, "{deepest_yaml:?}");
}

#[test]
fn graph_inheritance_is_far_shallower_than_the_limit() {
    let file = metadata_dir().join("csdl/cleanMetadata.xml");
    let text = std::fs::read_to_string(&file).expect("read");
    let csdl = msgraph_generator::csdl::parse(&text, &file).unwrap_or_else(|e| panic!("{e}"));
    let longest = csdl.types.keys().map(|name| csdl.lineage(name).len()).max().unwrap_or(0);
    println!("longest BaseType chain: {longest} types");
    assert!(longest >= 4 && longest * 4 <= MAX_INHERITANCE_DEPTH, "{longest}");
}
