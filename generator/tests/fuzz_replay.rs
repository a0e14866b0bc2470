//! Every committed fuzz input, replayed on stable Rust through the fuzz targets' own code
//! (`msgraph_generator::fuzz`): the seed corpora under `fuzz/corpus/<target>/` and the inputs that once crashed, hung
//! or exhausted memory under `fuzz/artifacts/<target>/`. Each must now run to an end without panicking, so every
//! finding stays fixed without nightly or cargo-fuzz.

use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries.map(|e| e.expect("a directory entry").path()).filter(|p| p.is_file()).collect();
    out.sort();
    out
}

#[test]
fn every_committed_fuzz_input_runs_to_an_end() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut replayed = 0;
    for kind in ["corpus", "artifacts"] {
        let Ok(targets) = std::fs::read_dir(fuzz.join(kind)) else { continue };
        let mut targets: Vec<PathBuf> = targets.map(|e| e.expect("a directory entry").path()).collect();
        targets.sort();
        for dir in targets.iter().filter(|d| d.is_dir()) {
            let target = dir.file_name().and_then(|n| n.to_str()).expect("a UTF-8 target name");
            for file in files(dir) {
                let data = std::fs::read(&file).expect("read a fuzz input");
                let known = msgraph_generator::fuzz::run(target, &data);
                assert!(known, "{}: no fuzz target is called `{target}`", file.display());
                replayed += 1;
            }
        }
    }
    println!("replayed {replayed} inputs");
    assert!(replayed >= 5, "expected the seed corpora under {}, found {replayed} inputs", fuzz.display());
}
