//! `cargo test` catches a stale `generated/` the same way `cargo xtask codegen --check` does.

use std::path::Path;

use msgraph_generator::pipeline::{self, Options};
use msgraph_generator::sync::Mode;

#[test]
fn generated_crates_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    match pipeline::run(&root, &Options { mode: Mode::Check, ..Options::default() }, &mut |_| {}) {
        Ok(report) => {
            assert!(report.added.is_empty() && report.updated.is_empty() && report.removed.is_empty());
            assert!(report.unchanged > 10, "{report:?}");
        }
        Err(error) => panic!("{error}"),
    }
}
