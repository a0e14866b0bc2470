//! Each operation's national clouds and permissions, from the files the config names: one description per cloud
//! (a CSDL one is resolved against template by template, an OpenAPI one indexed by path) and a permissions file in
//! the shape of Microsoft's `permissions.json`. An operation the permissions file does not list takes the table of
//! listed ones that act on the same thing (by path, or when the crate's description is CSDL both resolve against,
//! by what they act on); the rest are marked unlisted, so every operation has a table that says where it comes
//! from.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::config::CrateConfig;
use crate::error::{Error, Result};
use crate::model::{Cloud, Crate, Permissions};
use crate::permissions::PermissionIndex;
use crate::spec::{normalize_path, ReadOptions, Spec};

/// Fills in each operation's national clouds and permissions from the files the config names.
pub fn annotate(
    crate_config: &CrateConfig,
    description: Option<&crate::csdl::Csdl>,
    model: &mut Crate,
    read: &mut dyn FnMut(&Path, &'static str) -> Result<String>,
) -> Result<()> {
    let strip = crate_config.strip_namespace.as_deref();
    // Each distinct cloud description once: a CSDL one is resolved against, an OpenAPI one indexed by path.
    let mut loaded: BTreeMap<&Path, CloudDescription> = BTreeMap::new();
    let mut clouds: Vec<(Cloud, &Path)> = Vec::new();
    if let Some(config) = &crate_config.clouds {
        let mut errors = Vec::new();
        for (cloud, file) in config.entries() {
            if !loaded.contains_key(file) {
                let result = read(file, "read a national cloud's description").and_then(|text| {
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
            let text = read(file, "read the permissions file")?;
            Some(PermissionIndex::parse(&text, file, strip)?)
        }
        None => None,
    };
    // An operation the file does not list takes the table of a listed one that acts on the same thing: by path,
    // then, when the description is CSDL that both resolve against, by what they act on. `me`: for the signed-in
    // user's alias, whose application column is dropped, `/me/…` listings may decide.
    let resolver = description.map(|csdl| crate::csdl::resolve::Resolver::new(csdl, strip));
    let signatures = match (&permissions, &resolver) {
        (Some(index), Some(resolver)) => Some(index.signatures(resolver)),
        _ => None,
    };
    let inferred = |index: &PermissionIndex, method, template: &str, me: bool| {
        index.related(method, template, strip).or_else(|| match (&signatures, &resolver) {
            (Some(signatures), Some(resolver)) => signatures.lookup(resolver, method, template, me),
            _ => None,
        })
    };
    let has_clouds = crate_config.clouds.is_some();
    model.root.visit_mut(&mut |node| {
        let template = node.template.as_str();
        for op in &mut node.operations {
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
                let table =
                    index.lookup(op.method, template, strip).or_else(|| inferred(index, op.method, template, false));
                // Through an alias: its own listing, else the target's table, delegated only.
                for aliased in &mut op.aliased {
                    let permissions = index
                        .lookup(op.method, &aliased.template, strip)
                        .or_else(|| table.clone())
                        .or_else(|| inferred(index, op.method, template, true))
                        .map(Permissions::delegated_only);
                    aliased.permissions = Some(permissions.unwrap_or_else(Permissions::unlisted));
                }
                op.permissions = Some(table.unwrap_or_else(Permissions::unlisted));
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
