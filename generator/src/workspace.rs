//! `cargo xtask codegen`: generate every configured crate in memory, then bring the output directories in line —
//! or, in check mode, only say what differs.
//!
//! Nothing is written unless every crate generated without an error, so bad input never leaves a half-written
//! output. Files are replaced through a temporary file and a rename. A file under an output directory belongs to
//! the generator when it starts with [`MARKER`]; such a file that is no longer produced is
//! removed, and any other file is left alone.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::config::{Config, CrateConfig};
use crate::emit::{self, MARKER};
use crate::error::{Error, Result};
use crate::lower::{self, Options};
use crate::model::{Cloud, Crate, Node};
use crate::permissions::PermissionIndex;
use crate::spec::{normalize_path, Format, Merged, ReadOptions, Spec};
use crate::GENERATOR_VERSION;

/// The config file's name at the workspace root.
pub const CONFIG_FILE: &str = "codegen.toml";

/// The lock file written next to each generated crate's sources.
pub const LOCK_FILE: &str = "codegen.lock";

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

/// Generates every crate in `root/codegen.toml` and writes or checks the result.
pub fn run(root: &Path, mode: Mode) -> Result<Report> {
    run_with(root, mode, false)
}

/// [`run`], optionally keeping going past what cannot be generated (as each crate's `keep-going` setting does):
/// the rest is written, and [`Report::skipped`] lists each problem.
pub fn run_with(root: &Path, mode: Mode, keep_going: bool) -> Result<Report> {
    run_config_with_progress(root, Path::new(CONFIG_FILE), mode, keep_going, &mut |_| {})
}

/// What a long run has done so far, for [`run_config_with_progress`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Progress<'a> {
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
}

/// [`run_with`] for another config file than `codegen.toml` (`config` is relative to `root`, and the paths in it are
/// relative to `root` too, e.g. to write the crates of `benches/full-graph.toml`), telling `progress` after each
/// crate and before writing.
pub fn run_config_with_progress(
    root: &Path,
    config: &Path,
    mode: Mode,
    keep_going: bool,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Report> {
    let planned = generate_all_reporting(root, config, keep_going, progress)?;
    progress(Progress::Writing { files: planned.files.len() });
    let existing = owned_files(root, &planned)?;
    let mut report = Report { skipped: planned.skipped.iter().map(ToString::to_string).collect(), ..Report::default() };
    for (path, contents) in &planned.files {
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
    Ok(report)
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

/// Generates every configured crate in memory; the first layer that fails for any crate fails the whole run, with
/// every problem found listed.
pub fn generate_all(root: &Path) -> Result<Planned> {
    generate_all_reporting(root, Path::new(CONFIG_FILE), false, &mut |_| {})
}

/// Every crate of the config file `config_name`, telling `progress` after each one.
fn generate_all_reporting(
    root: &Path,
    config_name: &Path,
    keep_going: bool,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Planned> {
    let config = Config::load(&root.join(config_name), config_name)?;
    let mut planned = Planned::default();
    let mut errors = Vec::new();
    for (index, crate_config) in config.crates.iter().enumerate() {
        let keep_going = keep_going || crate_config.keep_going;
        let mut timings = Timings::default();
        let generated = generate_crate_in(root, config_name, &config, crate_config, index, keep_going, &mut timings);
        match generated {
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

/// Time spent in each phase of [`generate_crate`], added up over calls.
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

/// Generates one crate's files (paths relative to its output directory), including its lock file.
pub fn generate_crate(
    root: &Path,
    config: &Config,
    crate_config: &CrateConfig,
    index: usize,
    timings: &mut Timings,
) -> Result<Vec<emit::File>> {
    generate_crate_in(root, Path::new(CONFIG_FILE), config, crate_config, index, crate_config.keep_going, timings)
        .map(|g| g.files)
}

/// One crate's files and, when keeping going, what was left out.
#[derive(Debug)]
struct Generated {
    /// The files, paths relative to the crate's output directory.
    files: Vec<emit::File>,
    /// Each problem that left something out (empty unless keeping going).
    skipped: Vec<Error>,
}

/// [`generate_crate`] for the crate at `index` of the config file `config_file`, keeping going past what cannot be
/// generated when `keep_going` is set.
fn generate_crate_in(
    root: &Path,
    config_file: &Path,
    config: &Config,
    crate_config: &CrateConfig,
    index: usize,
    keep_going: bool,
    timings: &mut Timings,
) -> Result<Generated> {
    let (model, inputs, skipped) = build_model(root, config_file, crate_config, index, keep_going, timings)?;
    let started = Instant::now();
    let runtime = relative_path(&crate_config.output, &config.runtime);
    let (mut files, format_time) = emit::emit_timed(&model, &runtime)?;
    timings.format += format_time;
    files.push(lock_file(&model.spec_path, &inputs, crate_config, &files));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    timings.emit += started.elapsed();
    Ok(Generated { files, skipped })
}

/// Reads a crate's description (and its clouds' descriptions and permissions file) and builds its model: everything
/// but the emitting. `index` is the crate's place in the config, for messages.
pub fn crate_model(root: &Path, crate_config: &CrateConfig, index: usize, timings: &mut Timings) -> Result<Crate> {
    build_model(root, Path::new(CONFIG_FILE), crate_config, index, false, timings).map(|(model, _, _)| model)
}

fn build_model(
    root: &Path,
    config_file: &Path,
    crate_config: &CrateConfig,
    index: usize,
    keep_going: bool,
    timings: &mut Timings,
) -> Result<(Crate, Inputs, Vec<Error>)> {
    let spec_name = &crate_config.spec;
    let read_options = ReadOptions {
        base_url: crate_config.base_url.as_deref(),
        strip_namespace: crate_config.strip_namespace.as_deref(),
        camel_case_action_parameters: crate_config.camel_case_action_parameters,
    };
    let mut inputs = Inputs::default();
    let files = crate_config.spec_files(root, config_file, index)?;
    let mut texts = Vec::new();
    for file in &files {
        texts.push(inputs.read(root, file, "read the description", timings)?);
    }
    let started = Instant::now();
    let mut parsed = parse_all(&files, &texts, &read_options)?;
    timings.parse += started.elapsed();
    let patterns = crate_config.patterns(config_file, index)?;
    let mut source = if parsed.len() == 1 {
        Source::Single(parsed.remove(0))
    } else {
        if let Some(i) = parsed.iter().position(|s| s.format == Format::Csdl) {
            return Err(Error::in_file(
                &files[i],
                "a CSDL description cannot be merged with others: a crate is generated from one CSDL file",
            ));
        }
        Source::Merged(Merged::new(files.iter().cloned().zip(parsed.into_iter().map(|s| s.document)).collect())?)
    };
    let docs_files = crate_config.docs_files(root, config_file, index)?;
    if !docs_files.is_empty() {
        let mut texts = Vec::new();
        for file in &docs_files {
            texts.push(inputs.read(root, file, "read a documentation description", timings)?);
        }
        let started = Instant::now();
        let mut parsed = parse_all(&docs_files, &texts, &read_options)?;
        let docs = if parsed.len() == 1 {
            parsed.remove(0).document
        } else {
            Merged::new(docs_files.iter().cloned().zip(parsed.into_iter().map(|s| s.document)).collect())?.document
        };
        crate::spec::fill_docs(source.document_mut(), &docs, read_options.strip_namespace);
        timings.parse += started.elapsed();
    }
    let started = Instant::now();
    let relocate = |e: Error| match &source {
        Source::Single(spec) => spec.relocate(e, spec_name, &texts[0]),
        Source::Merged(merged) => merged.relocate(e, spec_name),
    };
    let (mut model, problems) = lower::lower_keeping_going(
        source.document(),
        &Options {
            package: &crate_config.name,
            version: &crate_config.version,
            description: crate_config.description.as_deref(),
            client: &crate_config.client,
            strip_namespace: crate_config.strip_namespace.as_deref(),
            patterns: &patterns,
            config_file,
            config_index: index,
            spec_file: spec_name,
            area_features: crate_config.area_features,
            aliases: &crate_config.aliases,
        },
    );
    let problems: Vec<Error> = problems.into_iter().map(relocate).collect();
    let skipped = if keep_going {
        problems
    } else {
        if let Some(e) = Error::from_list(problems) {
            return Err(e);
        }
        Vec::new()
    };
    timings.model += started.elapsed();
    let started = Instant::now();
    let read_before = timings.read;
    let csdl = match &source {
        Source::Single(spec) => spec.csdl.as_ref(),
        Source::Merged(_) => None,
    };
    annotate(root, crate_config, csdl, &mut model, &mut inputs, timings)?;
    timings.annotate += started.elapsed().saturating_sub(timings.read - read_before);
    Ok((model, inputs, skipped))
}

/// One description, or several merged into one.
enum Source {
    Single(Spec),
    Merged(Merged),
}

impl Source {
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

/// Fills in each operation's national clouds and permissions from the files the config names.
fn annotate(
    root: &Path,
    crate_config: &CrateConfig,
    description: Option<&crate::csdl::Csdl>,
    model: &mut Crate,
    inputs: &mut Inputs,
    timings: &mut Timings,
) -> Result<()> {
    let strip = crate_config.strip_namespace.as_deref();
    // Each distinct cloud description once: a CSDL one is resolved against, an OpenAPI one indexed by path.
    let mut loaded: BTreeMap<&Path, CloudDescription> = BTreeMap::new();
    let mut clouds: Vec<(Cloud, &Path)> = Vec::new();
    if let Some(config) = &crate_config.clouds {
        let mut errors = Vec::new();
        for (cloud, file) in config.entries() {
            if !loaded.contains_key(file) {
                let result = inputs.read(root, file, "read a national cloud's description", timings).and_then(|text| {
                    if crate::csdl::looks_like_xml(&text) {
                        return crate::csdl::parse(&text, file).map(CloudDescription::Csdl);
                    }
                    let options = ReadOptions {
                        base_url: Some(&model.default_base_url),
                        strip_namespace: strip,
                        ..ReadOptions::default()
                    };
                    Spec::parse(&text, file, &options).map(|spec| CloudDescription::Paths(spec.operation_index(strip)))
                });
                match result {
                    Ok(description) => {
                        loaded.insert(file, description);
                    }
                    Err(e) => {
                        errors.push(e);
                        continue;
                    }
                }
            }
            clouds.push((cloud, file));
        }
        if let Some(e) = Error::from_list(errors) {
            return Err(e);
        }
    }
    let resolvers: BTreeMap<&Path, CloudIndex<'_>> = loaded
        .iter()
        .map(|(file, description)| {
            let index = match description {
                CloudDescription::Csdl(csdl) => CloudIndex::Csdl(crate::csdl::resolve::Resolver::new(csdl, strip)),
                CloudDescription::Paths(paths) => CloudIndex::Paths(paths),
            };
            (*file, index)
        })
        .collect();
    let permissions = match &crate_config.permissions {
        Some(file) => {
            let text = inputs.read(root, file, "read the permissions file", timings)?;
            Some(PermissionIndex::parse(&text, file, strip)?)
        }
        None => None,
    };
    // An operation the file does not list takes the table of the listed ones that act on the same thing by the
    // same method, when the description is CSDL that both resolve against.
    let own = description.map(|csdl| crate::csdl::resolve::Resolver::new(csdl, strip));
    let signatures = match (&permissions, &own) {
        (Some(index), Some(resolver)) => Some(index.signatures(resolver)),
        _ => None,
    };
    let inferred = |method, template: &str| match (&signatures, &own) {
        (Some(signatures), Some(resolver)) => signatures.lookup(resolver, method, template),
        _ => None,
    };
    let has_clouds = crate_config.clouds.is_some();
    visit_operations(&mut model.root, &mut |template, op| {
        if has_clouds {
            op.clouds = Some(
                clouds
                    .iter()
                    .filter(|(_, file)| {
                        resolvers.get(file).is_some_and(|index| index.declares(op.method, template, strip))
                    })
                    .map(|(c, _)| *c)
                    .collect(),
            );
        }
        if let Some(index) = &permissions {
            op.permissions = index.lookup(op.method, template, strip).or_else(|| inferred(op.method, template));
            for aliased in &mut op.aliased {
                aliased.permissions =
                    index.lookup_aliased(op.method, &aliased.template, template, strip).or_else(|| {
                        inferred(op.method, template).map(|mut p| {
                            p.application = crate::model::SchemePermissions::default();
                            p
                        })
                    });
            }
        }
    });
    Ok(())
}

/// A national cloud's description.
enum CloudDescription {
    /// CSDL, resolved against template by template.
    Csdl(crate::csdl::Csdl),
    /// OpenAPI: every `(METHOD, normalized path)` it declares.
    Paths(BTreeSet<(String, String)>),
}

/// What answers whether a cloud declares an operation.
enum CloudIndex<'a> {
    Csdl(crate::csdl::resolve::Resolver<'a>),
    Paths(&'a BTreeSet<(String, String)>),
}

impl CloudIndex<'_> {
    fn declares(&self, method: crate::model::Method, template: &str, strip: Option<&str>) -> bool {
        match self {
            CloudIndex::Csdl(resolver) => resolver.declares(method, template),
            CloudIndex::Paths(paths) => paths.contains(&(method.upper().to_owned(), normalize_path(template, strip))),
        }
    }
}

fn visit_operations(node: &mut Node, f: &mut impl FnMut(&str, &mut crate::model::Operation)) {
    for op in &mut node.operations {
        f(&node.template, op);
    }
    for child in &mut node.children {
        visit_operations(child, f);
    }
}

/// What the crate was generated from: generator, include patterns, input hashes, files.
fn lock_file(spec_path: &str, inputs: &Inputs, config: &CrateConfig, files: &[emit::File]) -> emit::File {
    let q = |s: &str| toml::Value::String(s.to_owned()).to_string();
    let list = |items: &mut dyn Iterator<Item = &str>| items.map(|s| format!("    {},\n", q(s))).collect::<String>();
    let hashes: String = inputs.hashes.iter().map(|(file, hash)| format!("{} = {}\n", q(file), q(hash))).collect();
    let contents = format!(
        "# {MARKER}. Do not edit by hand.\n\
         # What this crate was generated from; `cargo xtask codegen --check` fails when it is out of date.\n\
         generator = {generator}\n\
         spec = {spec}\n\
         include = [\n{include}]\n\
         files = [\n{files}]\n\
         \n\
         # SHA-256 of every input file.\n\
         [inputs]\n\
         {hashes}",
        generator = q(GENERATOR_VERSION),
        spec = q(spec_path),
        include = list(&mut config.include.iter().map(String::as_str)),
        files = list(&mut files.iter().map(|f| f.path.as_str())),
    );
    emit::File { path: LOCK_FILE.to_owned(), contents }
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

fn join(dir: &Path, file: &str) -> String {
    let dir = slash_path(dir);
    let dir = dir.trim_end_matches('/');
    if dir.is_empty() || dir == "." {
        file.to_owned()
    } else {
        format!("{dir}/{file}")
    }
}

fn slash_path(path: &Path) -> String {
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
