//! Maintainer commands:
//!
//! - `cargo xtask codegen [--check] [--keep-going] [--config FILE]`: regenerate (or check) every crate listed in
//!   `codegen.toml` (or in another config);
//! - `cargo xtask bench [--iterations N] [--config FILE]`: time each phase of generating every crate of
//!   `codegen.toml` (or of another config, such as `benches/real-metadata.toml`);
//! - `cargo xtask operations [--config FILE] [--crate NAME]`: every generated operation, `METHOD<TAB>/template`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use msgraph_generator::config::Config;
use msgraph_generator::pipeline::{self, Timings};
use msgraph_generator::sync::Mode;

mod responses;
mod snippet_tests;

/// The workspace's maintainer commands.
#[derive(Debug, Parser)]
#[command(
    name = "xtask",
    bin_name = "cargo xtask",
    about = "Maintainer commands: `cargo xtask codegen` regenerates the crates codegen.toml lists",
    after_help = "Examples:\n  cargo xtask codegen --check\n  cargo xtask codegen --config benches/full-graph.toml\n  \
                  cargo xtask bench --config benches/real-metadata.toml\n  cargo xtask operations --config benches/full-graph.toml"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The workspace root (by default the one this xtask belongs to), e.g. a scratch workspace in tests.
    #[arg(long, global = true, hide = true)]
    root: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate every crate the config lists and write the changes.
    Codegen {
        /// Write nothing; fail and list the stale files when the output differs.
        #[arg(long)]
        check: bool,
        /// Generate everything that can be, and list what could not (by path and reason).
        #[arg(long)]
        keep_going: bool,
        /// Another config, e.g. benches/full-graph.toml (its crates are written relative to it).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// List every file added, updated or removed (by default only when there are few).
        #[arg(long, short)]
        verbose: bool,
    },
    /// Time reading, parsing, modelling and emitting each configured crate (in memory).
    Bench {
        /// How many runs to average.
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
        iterations: u32,
        /// Another config, e.g. benches/real-metadata.toml (paths in it are relative to its own directory).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Print the Rust snippet of an HTTP request (as Graph's docs write them), read from a file or stdin.
    Snippet {
        /// The request: `METHOD URL`, headers, a blank line and the body. Standard input when absent.
        file: Option<PathBuf>,
        /// Another config, e.g. benches/full-graph.toml.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// The crate whose API the snippet uses (by package name; the config's first by default).
        #[arg(long = "crate", value_name = "NAME")]
        krate: Option<String>,
        /// The name the program knows the crate by (by default its library name, e.g. `msgraph_sdk`).
        #[arg(long = "as", value_name = "NAME")]
        crate_name: Option<String>,
    },
    /// Write the snippet of every real request (Graph Explorer's samples, `.http` collections) as a test crate that
    /// compiles them against the generated crate and runs each on loopback; print what was expressed and refused.
    SnippetTests {
        /// The config whose crate the snippets use; it must have been generated (`cargo xtask codegen --config …`).
        #[arg(long, value_name = "FILE", default_value = "benches/full-graph.toml")]
        config: PathBuf,
        /// Graph Explorer's sample queries (by default `explorer-v1.0.json` in `GRAPH_SAMPLES_DIR`, or in
        /// `../shared/graph-samples` beside the workspace).
        #[arg(long, value_name = "FILE")]
        explorer: Option<PathBuf>,
        /// Response bodies of the reference pages, each read into its model type and written back (by default
        /// `doc-responses-v1.0.json` beside the Explorer samples).
        #[arg(long, value_name = "FILE")]
        responses: Option<PathBuf>,
        /// `.http` collections of further requests (by default `tests/snippets/*.http` and
        /// `specs/examples/*.http`).
        #[arg(long = "http", value_name = "FILE")]
        http: Vec<PathBuf>,
        /// Where to write the test crate.
        #[arg(long, value_name = "DIR", default_value = "target/snippet-tests")]
        out: PathBuf,
        /// A `Cargo.lock` to start the test crate's from (pins its dependencies).
        #[arg(long, value_name = "FILE", default_value = "benches/full-graph-tests/Cargo.lock")]
        lock: PathBuf,
        /// Fail when fewer than this percentage of Graph Explorer's requests that name an operation of the
        /// metadata give snippets.
        #[arg(long, value_name = "PERCENT")]
        min_explorer: Option<f64>,
    },
    /// Print every operation of each crate as `METHOD<TAB>/path/template`, sorted: the API surface at a glance.
    Operations {
        /// Another config, e.g. benches/full-graph.toml.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Only this crate (by package name).
        #[arg(long = "crate", value_name = "NAME")]
        krate: Option<String>,
        /// Add each operation's least-privileged permissions (delegated work, delegated personal, application)
        /// and where they come from, and its national clouds, as more tab-separated columns.
        #[arg(long)]
        annotations: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The workspace root comes from this crate's location, never from the current directory.
    let root = cli.root.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".."));
    let root = root.canonicalize().unwrap_or(root);
    // A config named on the command line is relative to the current directory; its paths are relative to itself.
    let config_path = |other: Option<PathBuf>| match other {
        None => root.join(pipeline::CONFIG_FILE),
        Some(file) if file.is_absolute() => file,
        Some(file) => std::env::current_dir().map_or(file.clone(), |dir| dir.join(file)),
    };
    match cli.command {
        Command::Bench { iterations, config } => bench(&config_path(config), iterations),
        Command::Operations { config, krate, annotations } => {
            operations(&config_path(config), krate.as_deref(), annotations)
        }
        Command::Snippet { file, config, krate, crate_name } => {
            snippet(&config_path(config), file.as_deref(), krate.as_deref(), crate_name.as_deref())
        }
        Command::SnippetTests { config, explorer, responses, http, out, lock, min_explorer } => {
            let at_root = |p: PathBuf| if p.is_absolute() { p } else { root.join(p) };
            let samples = std::env::var_os("GRAPH_SAMPLES_DIR")
                .map_or_else(|| root.join("../shared/graph-samples"), PathBuf::from);
            let explorer = explorer.unwrap_or_else(|| samples.join("explorer-v1.0.json"));
            let responses = responses.unwrap_or_else(|| samples.join("doc-responses-v1.0.json"));
            let http = if http.is_empty() {
                // Microsoft's test requests, and the reference pages' examples the slice's docs show.
                [root.join("tests/snippets"), root.join("specs/examples")]
                    .iter()
                    .flat_map(|d| http_collections(d))
                    .collect()
            } else {
                http
            };
            let explorer = explorer.canonicalize().unwrap_or(explorer);
            let responses = responses.canonicalize().unwrap_or(responses);
            let inputs =
                SnippetInputs { explorer, responses, http, out: at_root(out), lock: at_root(lock), min_explorer };
            snippet_tests(&root, &at_root(config), &inputs)
        }
        Command::Codegen { check, keep_going, config, verbose } => {
            let mode = if check { Mode::Check } else { Mode::Write };
            let file = config_path(config);
            let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
            let name = PathBuf::from(file.file_name().unwrap_or_default());
            codegen(&dir, &name, mode, keep_going, verbose)
        }
    }
}

/// `cargo xtask codegen`: generates the crates of the config `name` in `dir` and writes (or checks) them.
/// How many changed files are listed without `--verbose`.
const LISTED: usize = 20;

fn codegen(dir: &Path, name: &Path, mode: Mode, keep_going: bool, verbose: bool) -> ExitCode {
    let started = Instant::now();
    let options = pipeline::Options { config: name, mode, keep_going };
    // A spinner, then a bar while files are compared and written; drawn only on a terminal.
    let bar = ProgressBar::new_spinner();
    let outcome = pipeline::run(dir, &options, &mut |progress| match progress {
        pipeline::Progress::Started { name } => {
            bar.set_message(format!("generating {name}…"));
            bar.tick();
        }
        // Long runs say where the time went.
        pipeline::Progress::Generated { name, files, timings }
            if files >= 1000
                || timings.read + timings.parse + timings.model + timings.emit > Duration::from_secs(1) =>
        {
            bar.suspend(|| {
                eprintln!(
                    "{name}: {files} files (read {:.0?}, parse {:.0?}, model {:.0?}, annotate {:.0?}, emit and format {:.0?})",
                    timings.read, timings.parse, timings.model, timings.annotate, timings.emit
                )
            });
        }
        pipeline::Progress::Writing { files } => {
            bar.set_length(files as u64);
            if let Ok(style) = ProgressStyle::with_template("{msg} {bar:40} {pos}/{len}") {
                bar.set_style(style);
            }
            bar.set_message(if mode == Mode::Check { "comparing" } else { "comparing and writing" });
        }
        pipeline::Progress::Synced { done } => bar.set_position(done as u64),
        _ => {}
    });
    bar.finish_and_clear();
    match outcome {
        Ok(report) => {
            print_skipped(&report.skipped);
            let changed = report.added.len() + report.updated.len() + report.removed.len();
            if verbose || changed <= LISTED {
                for (label, files) in
                    [("added", &report.added), ("updated", &report.updated), ("removed", &report.removed)]
                {
                    for file in files {
                        println!("{label:>8} {file}");
                    }
                }
            }
            let verb = if mode == Mode::Check { "checked" } else { "generated" };
            println!(
                "{verb} {} files ({} added, {} updated, {} removed, {} unchanged) in {:.0?}{}",
                changed + report.unchanged - report.removed.len(),
                report.added.len(),
                report.updated.len(),
                report.removed.len(),
                report.unchanged,
                started.elapsed(),
                if verbose || changed <= LISTED { "" } else { " (--verbose lists them)" }
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

/// The `.http` files in `dir`, sorted.
fn http_collections(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "http"))
        .collect();
    files.sort();
    files
}

/// The model of the crate `only` of `config_file` (its first when `None`), with its name and output directory.
fn load_model(
    config_file: &Path,
    only: Option<&str>,
) -> Result<(msgraph_generator::model::Crate, LoadedCrate), String> {
    let root = config_file.parent().unwrap_or(Path::new("."));
    let config_name = Path::new(config_file.file_name().unwrap_or_default());
    let config = Config::load(config_file, config_name).map_err(|e| e.to_string())?;
    let (index, crate_config) = config
        .crates
        .iter()
        .enumerate()
        .find(|(_, c)| only.is_none_or(|n| c.name == n))
        .ok_or_else(|| format!("{} has no crate named `{}`", config_name.display(), only.unwrap_or_default()))?;
    let model = pipeline::crate_model(root, crate_config, index, &mut Timings::default()).map_err(|e| e.to_string())?;
    let output = root.join(&crate_config.output);
    Ok((model, LoadedCrate { name: crate_config.name.clone(), output }))
}

/// The package name of a crate of a config, and where it is generated.
struct LoadedCrate {
    name: String,
    output: PathBuf,
}

/// Where `cargo xtask snippet-tests` reads and writes.
struct SnippetInputs {
    explorer: PathBuf,
    responses: PathBuf,
    http: Vec<PathBuf>,
    out: PathBuf,
    lock: PathBuf,
    min_explorer: Option<f64>,
}

/// `cargo xtask snippet-tests`.
fn snippet_tests(root: &Path, config_file: &Path, inputs: &SnippetInputs) -> ExitCode {
    let fail = |e: String| {
        eprintln!("error: {e}");
        ExitCode::FAILURE
    };
    let started = Instant::now();
    let (model, crate_config) = match load_model(config_file, None) {
        Ok(found) => found,
        Err(e) => return fail(e),
    };
    let modelled = started.elapsed();
    let mut sources = Vec::new();
    match snippet_tests::explorer_cases(&inputs.explorer) {
        Ok(cases) => sources.push((inputs.explorer.clone(), cases)),
        Err(e) => return fail(e),
    }
    for file in &inputs.http {
        let prefix = file.file_stem().map_or("http".into(), |s| s.to_string_lossy().replace(['-', '.'], "_"));
        let shown = file.strip_prefix(root).unwrap_or(file);
        match snippet_tests::http_cases(file, shown, &prefix) {
            Ok(cases) => sources.push((file.clone(), cases)),
            Err(e) => return fail(e),
        }
    }
    let mut all = Vec::new();
    let mut below = None;
    for (n, (file, cases)) in sources.into_iter().enumerate() {
        let outcome = snippet_tests::write_snippets(&model, "msgraph_sdk", cases);
        let (expressed, named) = snippet_tests::counts(&outcome);
        let percent = 100.0 * expressed as f64 / named.max(1) as f64;
        println!(
            "{}: {expressed} of {} requests give snippets, {expressed} of the {named} that name an operation ({percent:.1}%; {:.1} ms)",
            file.display(),
            outcome.results.len(),
            outcome.writing.as_secs_f64() * 1000.0
        );
        // The first source is Graph Explorer's.
        if n == 0 && inputs.min_explorer.is_some_and(|min| percent < min) {
            below = Some(percent);
        }
        all.push(outcome);
    }
    let outcome = snippet_tests::Outcome {
        writing: all.iter().map(|o| o.writing).sum(),
        results: all.into_iter().flat_map(|o| o.results).collect(),
    };
    let sdk = crate_config.output.canonicalize().unwrap_or(crate_config.output);
    if !sdk.join("Cargo.toml").is_file() {
        return fail(format!(
            "{} has not been generated: run `cargo xtask codegen --config {}` first",
            sdk.display(),
            config_file.display()
        ));
    }
    let harness = root.join("benches/snippet-tests/harness.rs");
    let lock = std::fs::read_to_string(&inputs.lock).ok();
    let responses = match responses::response_cases(&model, &inputs.responses, "msgraph_sdk") {
        Ok(cases) => cases,
        Err(e) => return fail(e),
    };
    let typed = responses.iter().filter(|c| c.target.is_ok()).count();
    println!("{}: {typed} of {} response bodies have a model type", inputs.responses.display(), responses.len());
    for case in &responses {
        if let Err(why) = &case.target {
            println!("  {}: {why}", case.source);
        }
    }
    let mut files = snippet_tests::crate_files(
        &outcome,
        &crate_config.name,
        &sdk,
        &harness,
        lock,
        &responses::features(&responses),
    );
    files.push((PathBuf::from("tests/responses.rs"), responses::test_file(&responses, &inputs.responses, &harness)));
    for (path, text) in files {
        let path = inputs.out.join(path);
        let written = path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&path, text));
        if let Err(e) = written {
            return fail(format!("cannot write {}: {e}", path.display()));
        }
    }
    println!(
        "wrote {} (model {:.1} s); refusals and their reasons in {}",
        inputs.out.display(),
        modelled.as_secs_f64(),
        inputs.out.join("report.md").display()
    );
    if let (Some(percent), Some(min)) = (below, inputs.min_explorer) {
        return fail(format!(
            "only {percent:.1}% of Graph Explorer's requests give snippets, below the {min}% required"
        ));
    }
    ExitCode::SUCCESS
}

/// `cargo xtask snippet`: the snippet of the request in `file` (or stdin) for a crate of `config_file`.
fn snippet(config_file: &Path, file: Option<&Path>, only: Option<&str>, crate_name: Option<&str>) -> ExitCode {
    let text = match file {
        Some(file) => std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display())),
        None => std::io::read_to_string(std::io::stdin()).map_err(|e| format!("cannot read standard input: {e}")),
    };
    let request = match text.map(|t| msgraph_generator::snippet::HttpRequest::parse(&t).map_err(|e| e.to_string())) {
        Ok(Ok(request)) => request,
        Ok(Err(e)) | Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (model, loaded) = match load_model(config_file, only) {
        Ok(found) => found,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let name = crate_name.map_or_else(|| loaded.name.replace('-', "_"), str::to_owned);
    match msgraph_generator::snippet::Writer::new(&model, &name).write(&request) {
        Ok(snippet) => {
            println!("{}", snippet.text());
            ExitCode::SUCCESS
        }
        Err(refusal) => {
            eprintln!("no snippet: {refusal}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask operations`: every operation of each crate of `config_file` (or only `only`), sorted.
fn operations(config_file: &Path, only: Option<&str>, annotations: bool) -> ExitCode {
    let root = config_file.parent().unwrap_or(Path::new("."));
    let config_name = Path::new(config_file.file_name().unwrap_or_default());
    let config = match Config::load(config_file, config_name) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let selected: Vec<(usize, &msgraph_generator::config::CrateConfig)> =
        config.crates.iter().enumerate().filter(|(_, c)| only.is_none_or(|name| c.name == name)).collect();
    if selected.is_empty() {
        eprintln!("error: {} has no crate named `{}`", config_name.display(), only.unwrap_or_default());
        return ExitCode::FAILURE;
    }
    let mut out = String::new();
    for (index, crate_config) in &selected {
        let model = match pipeline::crate_model(root, crate_config, *index, &mut Timings::default()) {
            Ok(model) => model,
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::FAILURE;
            }
        };
        if selected.len() > 1 {
            out.push_str(&format!("# {}\n", crate_config.name));
        }
        if annotations {
            for line in msgraph_generator::model::annotated_operations(&model) {
                out.push_str(&line);
                out.push('\n');
            }
        } else {
            for (method, template) in msgraph_generator::model::operations(&model) {
                out.push_str(&format!("{method}\t{template}\n"));
            }
        }
    }
    print!("{out}");
    ExitCode::SUCCESS
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
            match pipeline::generate_crate(root, &config, crate_config, index, &mut timings) {
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
