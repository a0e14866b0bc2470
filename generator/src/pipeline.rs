//! The driver of `cargo xtask codegen`: for every crate of a config, in memory and timed,
//!
//! 1. **read** the description files (and the files that document, annotate or locate it);
//! 2. **parse** them ([`spec`](crate::spec): OpenAPI, or CSDL converted to the same OpenAPI document) and fill in
//!    documentation from other descriptions;
//! 3. **lower** the selected operations into the [`model`](crate::model) ([`lower`]), then run the whole-model
//!    [`passes`](crate::passes) (inheritance, shared inline types, cycles, clouds and permissions);
//! 4. **emit** the crate's files ([`emit`]) and its lock file;
//!
//! and then, only when every crate generated, [`sync`](mod@crate::sync) the output directories (or check them).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::config::{Config, CrateConfig};
use crate::emit;
use crate::error::{Error, Result};
use crate::lower::{self, Options as LowerOptions};
use crate::model::Crate;
use crate::spec::{Format, Merged, ReadOptions, Spec};
use crate::sync::{self, Mode, Report};

/// The config file's name at the workspace root.
pub const CONFIG_FILE: &str = "codegen.toml";

/// The lock file written next to each generated crate's sources.
pub const LOCK_FILE: &str = "codegen.lock";

/// What to run.
#[derive(Clone, Copy, Debug)]
pub struct Options<'a> {
    /// The config file, relative to the root (whose paths are relative to the root too), e.g.
    /// `benches/full-graph.toml` with `benches` as the root.
    pub config: &'a Path,
    /// Write the files, or only compare them.
    pub mode: Mode,
    /// Generate what can be and report the rest, for every crate (as each crate's `keep-going` setting does).
    pub keep_going: bool,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options { config: Path::new(CONFIG_FILE), mode: Mode::Write, keep_going: false }
    }
}

/// What a long run has done so far.
#[derive(Debug)]
#[non_exhaustive]
pub enum Progress<'a> {
    /// A crate's generation started.
    Started {
        /// Its package name.
        name: &'a str,
    },
    /// A crate was generated in memory.
    Generated {
        /// Its package name.
        name: &'a str,
        /// How many files it has.
        files: usize,
        /// How long each phase took.
        timings: &'a Timings,
    },
    /// Files are about to be compared with (and written to) the disk.
    Writing {
        /// How many files were generated in all.
        files: usize,
    },
    /// So many files have been compared with (and, when they differ, written to) the disk.
    Synced {
        /// How many so far.
        done: usize,
    },
}

/// Generates every crate of the config and writes (or checks) the output, telling `progress` after each crate and
/// before writing. [`Report::skipped`] lists what was left out when keeping going.
pub fn run(root: &Path, options: &Options<'_>, progress: &mut dyn FnMut(Progress<'_>)) -> Result<Report> {
    let planned = plan(root, options.config, options.keep_going, progress)?;
    progress(Progress::Writing { files: planned.files.len() });
    sync::sync(root, &planned, options.mode, &mut |done| progress(Progress::Synced { done }))
}

/// Every file of every configured crate, keyed by path relative to the root (`/`-separated).
#[derive(Debug, Default)]
pub struct Planned {
    /// Contents by relative path.
    pub files: BTreeMap<String, String>,
    /// The output directories, relative to the root.
    pub output_dirs: Vec<PathBuf>,
    /// What was left out (only when keeping going).
    pub skipped: Vec<Error>,
}

/// Generates every crate of `config` (relative to `root`) in memory; if any crate fails, the run fails with every
/// problem of every crate listed.
pub fn plan(
    root: &Path,
    config_name: &Path,
    keep_going: bool,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Planned> {
    let config = Config::load(&root.join(config_name), config_name)?;
    let mut planned = Planned::default();
    let mut errors = Vec::new();
    for (index, crate_config) in config.crates.iter().enumerate() {
        let mut timings = Timings::default();
        progress(Progress::Started { name: &crate_config.name });
        let job = Job {
            root,
            config_file: config_name,
            crate_config,
            index,
            keep_going: keep_going || crate_config.keep_going,
        };
        match job.files(&config, &mut timings) {
            Ok(Generated { files, skipped }) => {
                progress(Progress::Generated { name: &crate_config.name, files: files.len(), timings: &timings });
                planned.skipped.extend(skipped);
                for file in files {
                    planned.files.insert(join(&crate_config.output, &file.path), file.contents);
                }
                planned.output_dirs.push(crate_config.output.clone());
            }
            Err(Error::Many(list)) => errors.extend(list),
            Err(e) => errors.push(e),
        }
    }
    match Error::from_list(errors) {
        Some(e) => Err(e),
        None => Ok(planned),
    }
}

/// Every crate of `root/codegen.toml`, in memory.
pub fn plan_workspace(root: &Path) -> Result<Planned> {
    plan(root, Path::new(CONFIG_FILE), false, &mut |_| {})
}

/// Time spent in each phase, added up over calls.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timings {
    /// Reading the input files from disk.
    pub read: Duration,
    /// Parsing the description into typed structs (and converting CSDL to OpenAPI).
    pub parse: Duration,
    /// Selecting operations and building the model.
    pub model: Duration,
    /// Finding each operation's clouds and permissions: parsing their files (reading them counts as `read`).
    pub annotate: Duration,
    /// Emitting tokens and formatting them into files (formatting included).
    pub emit: Duration,
    /// The part of `emit` spent formatting: parsing the tokens and prettyplease.
    pub format: Duration,
}

/// One crate's files (paths relative to its output directory), including its lock file; `root` is the directory
/// the config's paths are relative to.
pub fn generate_crate(
    root: &Path,
    config: &Config,
    crate_config: &CrateConfig,
    index: usize,
    timings: &mut Timings,
) -> Result<Vec<emit::File>> {
    let job =
        Job { root, config_file: Path::new(CONFIG_FILE), crate_config, index, keep_going: crate_config.keep_going };
    job.files(config, timings).map(|g| g.files)
}

/// A crate's model: everything but the emitting. `index` is the crate's place in the config, for messages.
pub fn crate_model(root: &Path, crate_config: &CrateConfig, index: usize, timings: &mut Timings) -> Result<Crate> {
    let job = Job { root, config_file: Path::new(CONFIG_FILE), crate_config, index, keep_going: false };
    job.model(timings).map(|(model, _, _)| model)
}

/// One crate of a config, to generate.
struct Job<'a> {
    root: &'a Path,
    config_file: &'a Path,
    crate_config: &'a CrateConfig,
    index: usize,
    keep_going: bool,
}

/// One crate's files and, when keeping going, what was left out.
#[derive(Debug)]
struct Generated {
    /// The files, paths relative to the crate's output directory.
    files: Vec<emit::File>,
    /// Each problem that left something out (empty unless keeping going).
    skipped: Vec<Error>,
}

impl Job<'_> {
    fn files(&self, config: &Config, timings: &mut Timings) -> Result<Generated> {
        let (model, inputs, skipped) = self.model(timings)?;
        let started = Instant::now();
        let runtime = relative_path(&self.crate_config.output, &config.runtime);
        let emitted = emit::emit(&model, &runtime)?;
        timings.format += emitted.format_time;
        let mut files = emitted.files;
        files.push(emit::lock_file(&model.spec_path, &self.crate_config.include, &inputs.hashes, &files));
        files.sort_by(|a, b| a.path.cmp(&b.path));
        timings.emit += started.elapsed();
        Ok(Generated { files, skipped })
    }

    /// Read, parse, lower, and the whole-model passes.
    fn model(&self, timings: &mut Timings) -> Result<(Crate, Inputs, Vec<Error>)> {
        let crate_config = self.crate_config;
        let read_options = ReadOptions {
            base_url: crate_config.base_url.as_deref(),
            strip_namespace: crate_config.strip_namespace.as_deref(),
            camel_case_action_parameters: crate_config.camel_case_action_parameters,
        };
        let mut inputs = Inputs::default();
        let files = crate_config.spec_files(self.root, self.config_file, self.index)?;
        let mut texts = Vec::new();
        for file in &files {
            texts.push(inputs.read(self.root, file, "read the description", timings)?);
        }
        let started = Instant::now();
        let mut source = Source::parse(&files, &texts, &read_options)?;
        timings.parse += started.elapsed();
        let docs_files = crate_config.docs_files(self.root, self.config_file, self.index)?;
        if !docs_files.is_empty() {
            let mut texts = Vec::new();
            for file in &docs_files {
                texts.push(inputs.read(self.root, file, "read a documentation description", timings)?);
            }
            let started = Instant::now();
            let docs = Source::parse(&docs_files, &texts, &read_options)?;
            crate::spec::fill_docs(source.document_mut(), docs.document(), read_options.strip_namespace);
            timings.parse += started.elapsed();
        }

        let started = Instant::now();
        let patterns = crate_config.patterns(self.config_file, self.index)?;
        let spec_name = &crate_config.spec;
        let (mut model, problems) = lower::lower_keeping_going(
            source.document(),
            &LowerOptions {
                package: &crate_config.name,
                version: &crate_config.version,
                description: crate_config.description.as_deref(),
                client: &crate_config.client,
                strip_namespace: crate_config.strip_namespace.as_deref(),
                patterns: &patterns,
                config_file: self.config_file,
                config_index: self.index,
                spec_file: spec_name,
                area_features: crate_config.area_features,
                aliases: &crate_config.aliases,
            },
        );
        let problems: Vec<Error> = problems.into_iter().map(|e| source.relocate(e, spec_name, &texts[0])).collect();
        let skipped = if self.keep_going {
            problems
        } else {
            if let Some(e) = Error::from_list(problems) {
                return Err(e);
            }
            Vec::new()
        };
        timings.model += started.elapsed();
        // A models crate only where there are models (a description whose types are all inline has none).
        model.models_crate = crate_config.models_crate
            && model.types.iter().any(|t| t.path.module.first().is_some_and(|m| m == crate::model::MODELS_MODULE));

        let started = Instant::now();
        let read_before = timings.read;
        let root = self.root;
        crate::passes::annotate::annotate(crate_config, source.csdl(), &mut model, &mut |file, action| {
            inputs.read(root, file, action, timings)
        })?;
        timings.annotate += started.elapsed().saturating_sub(timings.read - read_before);

        let example_files = crate_config.examples_files(self.root, self.config_file, self.index)?;
        if !example_files.is_empty() {
            let mut texts = Vec::new();
            for file in &example_files {
                texts.push(inputs.read(self.root, file, "read an example request", timings)?);
            }
            let requests: Vec<(&Path, &str)> =
                example_files.iter().map(PathBuf::as_path).zip(texts.iter().map(String::as_str)).collect();
            let lib_name = model.lib_name();
            crate::passes::examples::attach(&mut model, &requests, &lib_name)?;
        }
        Ok((model, inputs, skipped))
    }
}

/// One description, or several merged into one.
enum Source {
    Single(Spec),
    Merged(Merged),
}

impl Source {
    /// Parses the description files (on as many threads as the machine has cores), merging several into one.
    fn parse(files: &[PathBuf], texts: &[String], options: &ReadOptions<'_>) -> Result<Self> {
        let mut parsed = parse_all(files, texts, options)?;
        if parsed.len() == 1 {
            return Ok(Source::Single(parsed.remove(0)));
        }
        if let Some(i) = parsed.iter().position(|s| s.format == Format::Csdl) {
            return Err(Error::in_file(
                &files[i],
                "a CSDL description cannot be merged with others: a crate is generated from one CSDL file",
            ));
        }
        Ok(Source::Merged(Merged::new(files.iter().cloned().zip(parsed.into_iter().map(|s| s.document)).collect())?))
    }

    /// A CSDL description's parsed CSDL.
    fn csdl(&self) -> Option<&crate::csdl::Csdl> {
        match self {
            Source::Single(spec) => spec.csdl.as_ref(),
            Source::Merged(_) => None,
        }
    }

    /// Points a problem found in the (converted or merged) document at the file and place it came from.
    fn relocate(&self, error: Error, spec_name: &Path, text: &str) -> Error {
        match self {
            Source::Single(spec) => spec.relocate(error, spec_name, text),
            Source::Merged(merged) => merged.relocate(error, spec_name),
        }
    }

    fn document(&self) -> &crate::openapi::Document {
        match self {
            Source::Single(spec) => &spec.document,
            Source::Merged(merged) => &merged.document,
        }
    }

    fn document_mut(&mut self) -> &mut crate::openapi::Document {
        match self {
            Source::Single(spec) => &mut spec.document,
            Source::Merged(merged) => &mut merged.document,
        }
    }
}

/// Parses every description, on as many threads as the machine has cores; every file's problems are reported.
fn parse_all(files: &[PathBuf], texts: &[String], options: &ReadOptions<'_>) -> Result<Vec<Spec>> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(files.len()).max(1);
    let chunk = files.len().div_ceil(threads);
    let results: Vec<Result<Spec>> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .zip(texts.chunks(chunk))
            .map(|(files, texts)| {
                scope.spawn(move || {
                    files.iter().zip(texts).map(|(file, text)| Spec::parse(text, file, options)).collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|_| vec![Err(Error::in_file(Path::new("<parser>"), "a parser thread panicked"))])
            })
            .collect()
    });
    let mut specs = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(spec) => specs.push(spec),
            Err(Error::Many(list)) => errors.extend(list),
            Err(e) => errors.push(e),
        }
    }
    match Error::from_list(errors) {
        Some(e) => Err(e),
        None => Ok(specs),
    }
}

/// The input files a crate was generated from, with their SHA-256, for the lock file.
#[derive(Default)]
struct Inputs {
    hashes: BTreeMap<String, String>,
}

impl Inputs {
    fn read(&mut self, root: &Path, name: &Path, action: &'static str, timings: &mut Timings) -> Result<String> {
        let started = Instant::now();
        let text = std::fs::read_to_string(root.join(name)).map_err(|e| Error::io(action, name, e))?;
        timings.read += started.elapsed();
        let hash = Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        self.hashes.insert(slash_path(name), hash);
        Ok(text)
    }
}

fn join(dir: &Path, file: &str) -> String {
    let dir = slash_path(dir);
    let dir = dir.trim_end_matches('/');
    if dir.is_empty() || dir == "." {
        file.to_owned()
    } else {
        format!("{dir}/{file}")
    }
}

/// A relative path with `/` separators, as generated files are keyed.
pub(crate) fn slash_path(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// `to` relative to `from` (both relative to the same root), e.g. `generated` → `runtime` is `../runtime`.
fn relative_path(from: &Path, to: &Path) -> String {
    if to.is_absolute() {
        return slash_path(to).replacen("//", "/", 1);
    }
    let from: Vec<_> = from.components().filter(|c| c.as_os_str() != ".").collect();
    let to: Vec<_> = to.components().filter(|c| c.as_os_str() != ".").collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(to[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(relative_path(Path::new("generated"), Path::new("runtime")), "../runtime");
        assert_eq!(
            relative_path(Path::new("tests/fixtures/generated/names"), Path::new("runtime")),
            "../../../../runtime"
        );
        assert_eq!(relative_path(Path::new("a/b"), Path::new("a/c")), "../c");
    }

    #[test]
    fn joined_paths_use_slashes() {
        assert_eq!(join(Path::new("generated"), "src/lib.rs"), "generated/src/lib.rs");
        assert_eq!(join(Path::new("./"), "Cargo.toml"), "Cargo.toml");
    }
}
