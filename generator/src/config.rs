//! `codegen.toml`: which descriptions become which crates.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Location, Result};
use crate::glob::Pattern;
use crate::naming;

/// The whole configuration file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The hand-written runtime crate's directory, relative to the config file.
    pub runtime: PathBuf,
    /// The crates to generate.
    #[serde(rename = "crate", default)]
    pub crates: Vec<CrateConfig>,
}

/// One generated crate.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CrateConfig {
    /// The package name, e.g. `msgraph-sdk`.
    pub name: String,
    /// The package version.
    #[serde(default = "default_version")]
    pub version: String,
    /// The package description.
    pub description: Option<String>,
    /// The description (OpenAPI or CSDL), relative to the config file. A `*` in the file name takes every matching
    /// file of that directory as one description, e.g. Microsoft's OpenAPI modules: `openapi/v1.0/*.yml`.
    pub spec: PathBuf,
    /// The directory the crate is written to, relative to the config file.
    pub output: PathBuf,
    /// The name of the root client type.
    #[serde(default = "default_client")]
    pub client: String,
    /// A schema namespace prefix that maps to the `models` module itself, e.g. `microsoft.graph`.
    pub strip_namespace: Option<String>,
    /// Include patterns (see [`crate::glob`]); every pattern must select at least one operation.
    #[serde(default = "default_include")]
    pub include: Vec<String>,
    /// The service root, e.g. `https://graph.microsoft.com/v1.0`: required for a CSDL description (which does not
    /// say), used for an OpenAPI one only when it lists no server.
    pub base_url: Option<String>,
    /// A permissions file in the shape of Microsoft's `permissions.json`; each operation it lists documents and
    /// exposes its permissions.
    pub permissions: Option<PathBuf>,
    /// One description (CSDL or OpenAPI) per national cloud; each operation knows the clouds whose description
    /// declares it.
    pub clouds: Option<Clouds>,
    /// For a CSDL description: write action parameters in the request body in camelCase (`Message` →
    /// `message`). Graph reads them case-insensitively, its reference pages and Graph Explorer write them so, and
    /// its CSDL declares a few in PascalCase (`sendMail`'s `Message` and `SaveToSentItems`).
    #[serde(default)]
    pub camel_case_action_parameters: bool,
    /// OpenAPI descriptions (a `*` in the file name takes several) whose operation summaries, descriptions and
    /// reference links, and type and property descriptions, fill in what the main description lacks — matched by
    /// method and path, and by schema name. Microsoft's OpenAPI modules document many operations that its CSDL
    /// does not.
    pub docs: Option<PathBuf>,
    /// Generate everything that can be generated and report the rest, instead of failing on the first crate with
    /// a problem (`cargo xtask codegen --keep-going` does this for every crate).
    #[serde(default)]
    pub keep_going: bool,
    /// Put each top-level area (`users`, `groups`, …) behind a Cargo feature, and every type behind the features
    /// of the areas that use it, so a crate using one area compiles only that area.
    #[serde(default)]
    pub area_features: bool,
    /// Write the `models` module as a crate of its own (package `{name}-models`, in `models/` of the output),
    /// which the crate depends on and re-exports as `models`: the compiler then holds the models and the request
    /// builders in memory one at a time, which halves the peak memory of building all of Graph. Features are
    /// forwarded, so users see one crate.
    #[serde(default)]
    pub models_crate: bool,
    /// Segments that stand for another path, as `/me` stands for the signed-in user's `/users/{user-id}`:
    /// `me = "/users/{user-id}"` gives the client `me()`, which returns that path's builder and sends `/me/…`;
    /// `"/users/{user-id}/drive" = "/drives/{drive-id}"` gives a user's builder `drive()` with every operation of
    /// a drive. The description's own paths below the segment are served by the target's builders.
    #[serde(default)]
    pub aliases: std::collections::BTreeMap<String, String>,
    /// HTTP requests as Graph's reference pages write them (a `*` in the file name takes several files, e.g.
    /// `examples/*.http`); each becomes, as its Rust snippet, the example in the docs of the operation it calls
    /// (and so a doctest).
    pub examples: Option<PathBuf>,
}

/// The description of each national cloud, relative to the config file. Microsoft publishes one `$metadata` per
/// cloud: Prod for the global service, Fairfax for both US Government clouds, Mooncake for China.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Clouds {
    /// The global service (`graph.microsoft.com`).
    pub global: PathBuf,
    /// US Government L4 (`graph.microsoft.us`).
    pub us_government_l4: PathBuf,
    /// US Government L5, DOD (`dod-graph.microsoft.us`).
    pub us_government_l5_dod: PathBuf,
    /// China, operated by 21Vianet (`microsoftgraph.chinacloudapi.cn`).
    pub china: PathBuf,
}

impl Clouds {
    /// Each cloud with its description.
    pub fn entries(&self) -> [(crate::model::Cloud, &Path); 4] {
        use crate::model::Cloud;
        [
            (Cloud::Global, &self.global),
            (Cloud::UsGovernmentL4, &self.us_government_l4),
            (Cloud::UsGovernmentL5Dod, &self.us_government_l5_dod),
            (Cloud::China, &self.china),
        ]
    }
}

fn default_version() -> String {
    "0.1.0".to_owned()
}

fn default_client() -> String {
    "GraphServiceClient".to_owned()
}

fn default_include() -> Vec<String> {
    vec!["/**".to_owned()]
}

impl CrateConfig {
    /// The description files `spec` names, in order: itself, or every file its `*` pattern matches.
    ///
    /// # Errors
    ///
    /// When the directory cannot be listed or the pattern matches no file.
    pub fn spec_files(&self, root: &Path, config_file: &Path, index: usize) -> Result<Vec<PathBuf>> {
        matching_files(&self.spec, root, config_file, &format!("#/crate/{index}/spec"))
    }

    /// The files `docs` names, in order (none when it is not set).
    ///
    /// # Errors
    ///
    /// When the directory cannot be listed or the pattern matches no file.
    pub fn docs_files(&self, root: &Path, config_file: &Path, index: usize) -> Result<Vec<PathBuf>> {
        match &self.docs {
            Some(docs) => matching_files(docs, root, config_file, &format!("#/crate/{index}/docs")),
            None => Ok(Vec::new()),
        }
    }

    /// The example request files, sorted (none without `examples`).
    ///
    /// # Errors
    ///
    /// When the directory of a pattern with `*` cannot be listed.
    pub fn examples_files(&self, root: &Path, config_file: &Path, index: usize) -> Result<Vec<PathBuf>> {
        match &self.examples {
            Some(examples) => matching_files(examples, root, config_file, &format!("#/crate/{index}/examples")),
            None => Ok(Vec::new()),
        }
    }

    /// The parsed include patterns.
    pub fn patterns(&self, file: &Path, index: usize) -> Result<Vec<Pattern>> {
        self.include
            .iter()
            .enumerate()
            .map(|(i, p)| {
                Pattern::parse(p).map_err(|e| Error::at_pointer(file, &format!("#/crate/{index}/include/{i}"), e.0))
            })
            .collect()
    }
}

/// The file `pattern` names, or every file its `*` (in the file name) matches, sorted; `pointer` locates it in the
/// config for messages.
fn matching_files(pattern: &Path, root: &Path, config_file: &Path, pointer: &str) -> Result<Vec<PathBuf>> {
    let name = pattern.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let Some((prefix, suffix)) = name.split_once('*') else { return Ok(vec![pattern.to_path_buf()]) };
    let dir = pattern.parent().unwrap_or(Path::new(""));
    let entries = std::fs::read_dir(root.join(dir)).map_err(|e| Error::io("list the description directory", dir, e))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("list the description directory", dir, e))?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let matches = file_name.len() >= prefix.len() + suffix.len()
            && file_name.starts_with(prefix)
            && file_name.ends_with(suffix)
            && !file_name[prefix.len()..file_name.len() - suffix.len()].contains('/');
        if matches && entry.file_type().is_ok_and(|t| t.is_file()) {
            files.push(dir.join(file_name));
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(Error::at_pointer(config_file, pointer, format!("`{}` matches no file", pattern.display())));
    }
    Ok(files)
}

impl Config {
    /// Reads and checks `file`.
    pub fn load(file: &Path, display_name: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(file).map_err(|e| Error::io("read the codegen config", display_name, e))?;
        Self::parse(&text, display_name)
    }

    /// Parses and checks configuration text; `file` is only used in messages.
    pub fn parse(text: &str, file: &Path) -> Result<Self> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let location = match e.span() {
                Some(span) => crate::error::LineIndex::new(text).location(span.start),
                None => Location::File,
            };
            Error::Input { file: file.to_path_buf(), location, message: format!("invalid config: {}", e.message()) }
        })?;
        config.check(file)?;
        Ok(config)
    }

    fn check(&self, file: &Path) -> Result<()> {
        let mut errors = Vec::new();
        for (i, c) in self.crates.iter().enumerate() {
            let at = |field: &str| format!("#/crate/{i}/{field}");
            if c.name.is_empty() || !c.name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                errors.push(Error::at_pointer(file, &at("name"), format!("`{}` is not a valid package name", c.name)));
            }
            if !naming::is_plain_type_name(&c.client) {
                errors.push(Error::at_pointer(
                    file,
                    &at("client"),
                    format!(
                        "`{}` is not a valid Rust type name (expected UpperCamelCase, e.g. GraphServiceClient)",
                        c.client
                    ),
                ));
            }
            if let Err(e) = c.patterns(file, i) {
                errors.push(e);
            }
            for (alias, target) in &c.aliases {
                let at = crate::error::pointer_push(&at("aliases"), alias);
                let segment = alias.rsplit('/').next().unwrap_or(alias);
                let plain =
                    |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
                if !plain(segment) || (alias.contains('/') && !alias.starts_with('/')) {
                    errors.push(Error::at_pointer(
                        file,
                        &at,
                        format!("`{alias}` is neither a root segment (`me`) nor a path ending in one (`/users/{{user-id}}/drive`)"),
                    ));
                }
                if !target.starts_with('/') || target.len() < 2 || target.ends_with('/') {
                    errors.push(Error::at_pointer(
                        file,
                        &at,
                        format!("`{target}` is not a path template (expected e.g. `/users/{{user-id}}`)"),
                    ));
                }
            }
            for (j, other) in self.crates.iter().enumerate().take(i) {
                if other.output == c.output {
                    errors.push(Error::at_pointer(
                        file,
                        &at("output"),
                        format!("crate {j} already writes to `{}`", c.output.display()),
                    ));
                }
            }
        }
        Error::from_list(errors).map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply() {
        let c = Config::parse(
            "runtime = \"rt\"\n[[crate]]\nname = \"x\"\nspec = \"s.yaml\"\noutput = \"out\"\n",
            Path::new("c.toml"),
        )
        .unwrap();
        assert_eq!(c.crates[0].client, "GraphServiceClient");
        assert_eq!(c.crates[0].include, ["/**"]);
        assert_eq!(c.crates[0].version, "0.1.0");
    }

    #[test]
    fn unknown_keys_are_located() {
        let err = Config::parse("runtime = \"rt\"\n[[crate]]\nname = \"x\"\nspecs = \"s.yaml\"\n", Path::new("c.toml"))
            .unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("c.toml:4:1: invalid config: unknown field `specs`"), "{text}");
    }

    #[test]
    fn bad_values_are_all_reported() {
        let err = Config::parse(
            "runtime = \"rt\"\n[[crate]]\nname = \"a b\"\nspec = \"s\"\noutput = \"o\"\nclient = \"my client\"\ninclude = [\"nope\"]\n",
            Path::new("c.toml"),
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("c.toml#/crate/0/name: `a b` is not a valid package name"), "{text}");
        assert!(text.contains("c.toml#/crate/0/client"), "{text}");
        assert!(text.contains("c.toml#/crate/0/include/0: pattern `nope` must start with `/`"), "{text}");
    }
}
