//! Maintainer commands:
//!
//! - `cargo xtask codegen [--check] [--keep-going]`: regenerate (or check) every crate listed in `codegen.toml`;
//! - `cargo xtask bench [--iterations N] [--config FILE]`: time each phase of generating every crate of
//!   `codegen.toml` (or of another config, such as `benches/real-metadata.toml`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use msgraph_generator::config::Config;
use msgraph_generator::workspace::{self, Mode, Timings};

const USAGE: &str =
    "usage: cargo xtask codegen [--check] [--keep-going] [--config FILE] | cargo xtask bench [--iterations N] [--config FILE]

  codegen             generate every crate listed in codegen.toml and write the changes
  codegen --check     write nothing; fail and list the stale files when the output differs
  codegen --keep-going  generate everything that can be, and list what could not (by path and reason)
  codegen --config    the crates of another config, e.g. benches/all-graph.toml (written relative to it)
  bench               time reading, parsing, modelling and emitting each configured crate (in memory)
  bench --iterations  how many runs to average (default 20)
  bench --config      a config other than codegen.toml, e.g. benches/real-metadata.toml (paths in it are
                      relative to its own directory)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut mode = Mode::Write;
    let mut keep_going = false;
    // The workspace root comes from this crate's location, never from the current directory; tests may pass
    // `--root DIR` to run against a scratch workspace.
    let mut root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut iterations = 20u32;
    let mut other_config: Option<PathBuf> = None;
    let mut iter = args.iter();
    let command = iter.next().map(String::as_str);
    match command {
        Some("codegen" | "bench") => {}
        Some("-h" | "--help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    }
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--check" if command == Some("codegen") => mode = Mode::Check,
            "--keep-going" if command == Some("codegen") => keep_going = true,
            "--iterations" if command == Some("bench") => match iter.next().and_then(|n| n.parse().ok()) {
                Some(n) if n > 0 => iterations = n,
                _ => {
                    eprintln!("--iterations needs a positive number\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--config" => match iter.next() {
                Some(file) => other_config = Some(PathBuf::from(file)),
                None => {
                    eprintln!("--config needs a file\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--root" => match iter.next() {
                Some(dir) => root = PathBuf::from(dir),
                None => {
                    eprintln!("--root needs a directory\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            other => {
                eprintln!("unknown argument `{other}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let root = root.canonicalize().unwrap_or(root);
    if command == Some("bench") {
        let config = match &other_config {
            None => root.join(workspace::CONFIG_FILE),
            Some(file) if file.is_absolute() => file.clone(),
            Some(file) => std::env::current_dir().map_or(file.clone(), |dir| dir.join(file)),
        };
        return bench(&config, iterations);
    }
    let started = Instant::now();
    // Another config's crates are written relative to its own directory.
    let (dir, name) = match &other_config {
        Some(file) => {
            let file = std::env::current_dir().map_or(file.clone(), |dir| dir.join(file));
            (
                file.parent().map(Path::to_path_buf).unwrap_or_default(),
                PathBuf::from(file.file_name().unwrap_or_default()),
            )
        }
        None => (root.clone(), PathBuf::from(workspace::CONFIG_FILE)),
    };
    let outcome = workspace::run_config_with_progress(&dir, &name, mode, keep_going, &mut |progress| match progress {
        // Only long runs say how far they are.
        workspace::Progress::Generated { name, files, timings }
            if files >= 1000
                || timings.read + timings.parse + timings.model + timings.emit > Duration::from_secs(1) =>
        {
            eprintln!(
                "{name}: {files} files (read {:.0?}, parse {:.0?}, model {:.0?}, annotate {:.0?}, emit and format {:.0?})",
                timings.read, timings.parse, timings.model, timings.annotate, timings.emit
            )
        }
        workspace::Progress::Writing { files } if files > 1000 => eprintln!("comparing and writing {files} files…"),
        _ => {}
    });
    match outcome {
        Ok(report) => {
            print_skipped(&report.skipped);
            for (label, files) in [("added", &report.added), ("updated", &report.updated), ("removed", &report.removed)]
            {
                for file in files {
                    println!("{label:>8} {file}");
                }
            }
            let changed = report.added.len() + report.updated.len() + report.removed.len();
            let verb = if mode == Mode::Check { "checked" } else { "generated" };
            println!(
                "{verb} {} files ({changed} changed, {} unchanged) in {:.0?}",
                changed + report.unchanged - report.removed.len(),
                report.unchanged,
                started.elapsed()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            if mode == Mode::Write {
                eprintln!("nothing was written");
            }
            ExitCode::FAILURE
        }
    }
}

/// Runs every crate of `config_file` `iterations` times in memory and prints the mean time per phase, the time to
/// write the files once (to a temporary directory) and the process's peak memory so far.
fn bench(config_file: &Path, iterations: u32) -> ExitCode {
    let root = config_file.parent().unwrap_or(Path::new("."));
    let config_name = Path::new(config_file.file_name().unwrap_or_default());
    let config = match Config::load(config_file, config_name) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "{:<36} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7} {:>9}",
        "crate (mean of runs)",
        "read",
        "parse",
        "model",
        "annotate",
        "emit",
        "(format)",
        "total",
        "write",
        "files",
        "peak MB"
    );
    for (index, crate_config) in config.crates.iter().enumerate() {
        let mut timings = Timings::default();
        let mut files = Vec::new();
        for _ in 0..iterations {
            match workspace::generate_crate(root, &config, crate_config, index, &mut timings) {
                Ok(generated) => files = generated,
                Err(error) => {
                    eprintln!("error: {error}");
                    return ExitCode::FAILURE;
                }
            }
        }
        let write = match write_once(&files) {
            Ok(elapsed) => elapsed,
            Err(error) => {
                eprintln!("error: cannot write to a temporary directory: {error}");
                return ExitCode::FAILURE;
            }
        };
        let mean = |d: Duration| d / iterations;
        let total = timings.read + timings.parse + timings.model + timings.annotate + timings.emit;
        println!(
            "{:<36} {:>9.2?} {:>9.2?} {:>9.2?} {:>9.2?} {:>9.2?} {:>9.2?} {:>9.2?} {:>9.2?} {:>7} {:>9}",
            crate_config.name,
            mean(timings.read),
            mean(timings.parse),
            mean(timings.model),
            mean(timings.annotate),
            mean(timings.emit),
            mean(timings.format),
            mean(total),
            write,
            files.len(),
            peak_memory_mb().map_or_else(|| "-".to_owned(), |mb| mb.to_string())
        );
    }
    ExitCode::SUCCESS
}

/// Writes `files` under a fresh temporary directory, timed, and removes it.
fn write_once(files: &[msgraph_generator::emit::File]) -> std::io::Result<Duration> {
    let dir = std::env::temp_dir().join(format!("msgraph-bench-{}", std::process::id()));
    let started = Instant::now();
    for file in files {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, &file.contents)?;
    }
    let elapsed = started.elapsed();
    std::fs::remove_dir_all(&dir)?;
    Ok(elapsed)
}

/// The process's peak resident memory so far, in MB (Linux only).
fn peak_memory_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

/// The summary of what `--keep-going` left out: how many problems of each kind, then each one.
fn print_skipped(skipped: &[String]) {
    if skipped.is_empty() {
        return;
    }
    let mut reasons: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for problem in skipped {
        // `file#/pointer: unsupported: REASON (the generator …)` → REASON; anything else by its message.
        let message = problem.split_once(": ").map_or(problem.as_str(), |(_, m)| m);
        let reason = message.split(" (").next().unwrap_or(message).split('`').next().unwrap_or(message).trim();
        *reasons.entry(reason.to_owned()).or_default() += 1;
    }
    eprintln!("left out {} things that cannot be generated yet; everything else was:", skipped.len());
    for (reason, count) in &reasons {
        eprintln!("{count:>8}  {reason}");
    }
    for problem in skipped {
        eprintln!("  - {problem}");
    }
}
