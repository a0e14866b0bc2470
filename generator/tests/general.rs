//! The generator is general: no source file names the operation or property the first slice happens to use.

use std::path::Path;

#[test]
fn generator_source_names_no_particular_operation() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut checked = 0;
    let mut dirs = vec![src];
    let mut files = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read");
        let lower = text.to_lowercase();
        for word in ["presence", "sessionid", "session_id", "clearpresence"] {
            assert!(!lower.contains(word), "{} mentions `{word}`", path.display());
        }
        checked += 1;
    }
    assert!(checked >= 14, "expected the generator's modules, found {checked}");
}
