//! Bringing output directories in line with what was generated — or, in check mode, only saying what differs.
//!
//! Nothing is written unless every crate generated without an error (the caller plans everything first), so bad
//! input never leaves a half-written output. A new file is written directly; a changed one goes through a temporary
//! file and a rename, so it is never half-overwritten. A file under an output directory belongs to the generator
//! when it starts with [`MARKER`]; such a file that is no longer produced is removed, and any other file is left
//! alone.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::emit::MARKER;
use crate::error::{Error, Result};
use crate::pipeline::{slash_path, Planned};

/// Write the files, or only compare them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Add, update and remove files.
    Write,
    /// Change nothing; fail with [`Error::Stale`] when anything differs.
    Check,
}

/// What changed (or, in check mode, what is up to date).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Files created, relative to the workspace root.
    pub added: Vec<String>,
    /// Files whose contents changed.
    pub updated: Vec<String>,
    /// Generated files no longer produced, now removed.
    pub removed: Vec<String>,
    /// Files already up to date.
    pub unchanged: usize,
    /// What was left out because it could not be generated (only when keeping going), one line each.
    pub skipped: Vec<String>,
}

/// Compares the planned files with the disk under `root` and, in [`Mode::Write`], adds, updates and removes files;
/// `compared` hears how many files have been compared so far (every 256, and at the end).
pub fn sync(root: &Path, planned: &Planned, mode: Mode, compared: &mut dyn FnMut(usize)) -> Result<Report> {
    let existing = owned_files(root, planned)?;
    let mut report = Report { skipped: planned.skipped.iter().map(ToString::to_string).collect(), ..Report::default() };
    for (i, (path, contents)) in planned.files.iter().enumerate() {
        if i % 256 == 0 {
            compared(i);
        }
        match std::fs::read(root.join(path)) {
            Ok(current) if current == contents.as_bytes() => report.unchanged += 1,
            Ok(_) => report.updated.push(path.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => report.added.push(path.clone()),
            Err(e) => return Err(Error::io("read a generated file", &root.join(path), e)),
        }
    }
    report.removed = existing.into_iter().filter(|p| !planned.files.contains_key(p)).collect();
    if mode == Mode::Check {
        let stale: Vec<String> = report
            .added
            .iter()
            .map(|p| format!("{p} (missing)"))
            .chain(report.updated.iter().map(|p| format!("{p} (differs)")))
            .chain(report.removed.iter().map(|p| format!("{p} (no longer generated)")))
            .collect();
        return if stale.is_empty() { Ok(report) } else { Err(Error::Stale { files: stale }) };
    }
    // A new file replaces nothing, so it is written directly (a run cut short leaves a file the next run rewrites);
    // a changed one goes through a temporary file and a rename, so it is never half-overwritten.
    let mut created = BTreeSet::new();
    for path in &report.added {
        let file = root.join(path);
        if let Some(dir) = file.parent() {
            if created.insert(dir.to_path_buf()) {
                std::fs::create_dir_all(dir).map_err(|e| Error::io("create the output directory", dir, e))?;
            }
        }
        std::fs::write(&file, planned.files[path].as_bytes()).map_err(|e| Error::io("write", &file, e))?;
    }
    for path in &report.updated {
        write_atomically(&root.join(path), planned.files[path].as_bytes())?;
    }
    for path in &report.removed {
        let file = root.join(path);
        std::fs::remove_file(&file).map_err(|e| Error::io("remove a stale generated file", &file, e))?;
        remove_empty_parents(&file, root, &planned.output_dirs);
    }
    compared(planned.files.len());
    Ok(report)
}

/// The generator-owned files (those starting with the marker) under every configured output directory.
fn owned_files(root: &Path, planned: &Planned) -> Result<Vec<String>> {
    let mut owned = Vec::new();
    for dir in &planned.output_dirs {
        let mut stack = vec![root.join(dir)];
        while let Some(dir) = stack.pop() {
            let entries = match std::fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(Error::io("list the output directory", &dir, e)),
            };
            for entry in entries {
                let entry = entry.map_err(|e| Error::io("list the output directory", &dir, e))?;
                let path = entry.path();
                let kind = entry.file_type().map_err(|e| Error::io("inspect", &path, e))?;
                if kind.is_dir() {
                    if entry.file_name() != "target" {
                        stack.push(path);
                    }
                } else if kind.is_file() && starts_with_marker(&path) {
                    if let Ok(relative) = path.strip_prefix(root) {
                        owned.push(slash_path(relative));
                    }
                }
            }
        }
    }
    owned.sort();
    Ok(owned)
}

fn starts_with_marker(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 256];
    let Ok(mut file) = std::fs::File::open(path) else { return false };
    let n = file.read(&mut head).unwrap_or(0);
    let head = String::from_utf8_lossy(&head[..n]);
    head.lines().next().is_some_and(|line| line.contains(MARKER))
}

fn write_atomically(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create the output directory", dir, e))?;
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(".codegen-tmp");
    let tmp = dir.join(tmp_name);
    std::fs::write(&tmp, contents).map_err(|e| Error::io("write", &tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io("replace", path, e)
    })
}

/// Removes directories emptied by removing `file`, up to (not including) its output directory.
fn remove_empty_parents(file: &Path, root: &Path, output_dirs: &[PathBuf]) {
    let stops: Vec<PathBuf> = output_dirs.iter().map(|d| root.join(d)).collect();
    let mut dir = file.parent();
    while let Some(d) = dir {
        if stops.iter().any(|s| s == d) || !d.starts_with(root) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
