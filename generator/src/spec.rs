//! A description on disk, whichever form it takes: OpenAPI (YAML or JSON) or OData CSDL (XML). Both are read into
//! one [`Document`]; a CSDL one keeps a [`SourceMap`] so later problems point back into the XML.

use std::collections::BTreeSet;
use std::path::Path;

use crate::csdl;
use crate::csdl::convert::{self, ConvertOptions, SourceMap};
use crate::error::{Error, Result};
use crate::limits;
use crate::openapi::Document;
use crate::yaml;

/// Which form a description is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// OpenAPI 3.x, YAML or JSON.
    OpenApi,
    /// OData CSDL 4.0 XML (`$metadata`).
    Csdl,
}

/// A description read into an OpenAPI document.
#[derive(Debug)]
pub struct Spec {
    /// Its form.
    pub format: Format,
    /// The document (converted, for CSDL).
    pub document: Document,
    /// For CSDL: where each part of the document came from.
    pub source_map: Option<SourceMap>,
    /// For CSDL: the parsed CSDL itself, which operations can be resolved against.
    pub csdl: Option<csdl::Csdl>,
}

/// What reading a description needs besides its text.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions<'a> {
    /// The service root for CSDL (which does not say); ignored for OpenAPI.
    pub base_url: Option<&'a str>,
    /// The namespace dropped from bound operations' segments.
    pub strip_namespace: Option<&'a str>,
    /// For CSDL: action parameters in camelCase in request bodies.
    pub camel_case_action_parameters: bool,
}

impl Spec {
    /// Parses `text` (the contents of `file`, named so in messages) as CSDL when it is XML, OpenAPI otherwise.
    pub fn parse(text: &str, file: &Path, options: &ReadOptions<'_>) -> Result<Self> {
        if csdl::looks_like_xml(text) {
            let parsed = csdl::parse(text, file)?;
            let base_url = options.base_url.ok_or_else(|| {
                Error::in_file(
                    file,
                    "a CSDL description does not say where the service is: set `base-url` for this crate in codegen.toml",
                )
            })?;
            let converted = convert::convert(
                &parsed,
                &ConvertOptions {
                    file,
                    text,
                    base_url,
                    strip_namespace: options.strip_namespace,
                    camel_case_action_parameters: options.camel_case_action_parameters,
                },
            )?;
            return Ok(Spec {
                format: Format::Csdl,
                document: converted.document,
                source_map: Some(converted.source_map),
                csdl: Some(parsed),
            });
        }
        let mut document: Document = yaml::from_str(text, file)?;
        if !document.openapi.starts_with("3.") {
            return Err(Error::at_pointer(
                file,
                "#/openapi",
                format!("expected an OpenAPI 3.x description, found version `{}`", document.openapi),
            ));
        }
        if let Some(error) = Error::from_list(inheritance_problems(&document, &|_| file.to_path_buf())) {
            return Err(error);
        }
        if let (Some(url), true) = (options.base_url, document.servers.is_empty()) {
            document.servers.push(crate::openapi::Server { url: url.to_owned() });
        }
        Ok(Spec { format: Format::OpenApi, document, source_map: None, csdl: None })
    }

    /// Points errors about the converted document back at the CSDL text.
    pub fn relocate(&self, error: Error, file: &Path, text: &str) -> Error {
        match &self.source_map {
            Some(map) => map.relocate(error, file, text),
            None => error,
        }
    }

    /// Every `(METHOD, normalized path)` the description declares (see [`normalize_path`]).
    pub fn operation_index(&self, strip_namespace: Option<&str>) -> BTreeSet<(String, String)> {
        let mut index = BTreeSet::new();
        for (path, item) in &self.document.paths {
            let normalized = normalize_path(path, strip_namespace);
            for (method, _) in item.operations() {
                index.insert((method.upper().to_owned(), normalized.clone()));
            }
        }
        index
    }
}

/// The schemas whose `allOf` bases (or `$ref`) loop, each cycle once, or else whose chains of bases are longer than
/// [`limits::MAX_INHERITANCE_DEPTH`]: lowering follows those chains recursively. `file_of` names the file a schema
/// comes from.
fn inheritance_problems(document: &Document, file_of: &dyn Fn(&str) -> std::path::PathBuf) -> Vec<Error> {
    let schemas = &document.components.schemas;
    let names: Vec<&String> = schemas.keys().collect();
    let index: std::collections::BTreeMap<&str, usize> =
        names.iter().enumerate().map(|(i, name)| (name.as_str(), i)).collect();
    let base = |reference: &Option<String>| {
        reference.as_deref().and_then(|r| r.strip_prefix("#/components/schemas/")).and_then(|n| index.get(n)).copied()
    };
    let bases: Vec<Vec<usize>> = schemas
        .values()
        .map(|schema| {
            base(&schema.reference).into_iter().chain(schema.all_of.iter().filter_map(|m| base(&m.reference))).collect()
        })
        .collect();
    limits::inheritance_problems(&bases, limits::MAX_INHERITANCE_DEPTH)
        .into_iter()
        .map(|problem| {
            let name = names[problem.at()];
            let pointer = crate::error::pointer_push("#/components/schemas", name);
            Error::at_pointer(&file_of(&pointer), &pointer, problem.message(&|i| names[i].clone(), "$ref/allOf"))
        })
        .collect()
}

/// Several OpenAPI descriptions of one API (Microsoft publishes Graph's as modules) as one: paths and components
/// are taken from the first description that has them. Remembers which file each came from, for messages.
#[derive(Debug)]
pub struct Merged {
    /// The merged document.
    pub document: Document,
    /// The files, in order.
    files: Vec<std::path::PathBuf>,
    /// `#/paths/…` or `#/components/…/…` → index into `files`.
    origins: std::collections::BTreeMap<String, usize>,
}

impl Merged {
    /// Merges `parts` (each an OpenAPI document and its file); fails when the merged schemas' `allOf` bases loop or
    /// chain too deep (see [`Spec::parse`]), which each part alone may not.
    pub fn new(parts: Vec<(std::path::PathBuf, Document)>) -> Result<Self> {
        let mut files = Vec::new();
        let mut origins = std::collections::BTreeMap::new();
        let mut into = empty_document();
        for (i, (file, doc)) in parts.into_iter().enumerate() {
            files.push(file);
            if i == 0 {
                into.openapi = doc.openapi;
                into.info = doc.info;
            }
            if into.servers.is_empty() {
                into.servers = doc.servers;
            }
            let (c, to) = (doc.components, &mut into.components);
            take(&mut into.paths, doc.paths, "#/paths", i, &mut origins);
            take(&mut to.schemas, c.schemas, "#/components/schemas", i, &mut origins);
            take(&mut to.responses, c.responses, "#/components/responses", i, &mut origins);
            take(&mut to.parameters, c.parameters, "#/components/parameters", i, &mut origins);
            take(&mut to.request_bodies, c.request_bodies, "#/components/requestBodies", i, &mut origins);
        }
        let merged = Merged { document: into, files, origins };
        let file_of = |pointer: &str| merged.origin(pointer).cloned().unwrap_or_default();
        match Error::from_list(inheritance_problems(&merged.document, &file_of)) {
            Some(error) => Err(error),
            None => Ok(merged),
        }
    }

    /// The file the path or component `pointer` points into came from.
    fn origin(&self, pointer: &str) -> Option<&std::path::PathBuf> {
        let depth = if pointer.starts_with("#/components/") { 4 } else { 3 };
        let key: String = pointer.split('/').take(depth).collect::<Vec<_>>().join("/");
        self.origins.get(&key).and_then(|&i| self.files.get(i))
    }

    /// Rewrites errors located by a pointer into `display` (the name the lowering used for the merged document)
    /// to the file the pointed-at path or component came from.
    pub fn relocate(&self, error: Error, display: &Path) -> Error {
        match error {
            Error::Input { file, location: crate::error::Location::Pointer(pointer), message } if file == display => {
                let file = self.origin(&pointer).cloned().unwrap_or(file);
                Error::Input { file, location: crate::error::Location::Pointer(pointer), message }
            }
            Error::Many(list) => Error::Many(list.into_iter().map(|e| self.relocate(e, display)).collect()),
            other => other,
        }
    }
}

/// Adds the entries of file `i` that `into` does not have yet, remembering where they came from (`pointer/name`).
fn take<T>(
    into: &mut std::collections::BTreeMap<String, T>,
    from: std::collections::BTreeMap<String, T>,
    pointer: &str,
    i: usize,
    origins: &mut std::collections::BTreeMap<String, usize>,
) {
    for (name, value) in from {
        if let std::collections::btree_map::Entry::Vacant(slot) = into.entry(name) {
            origins.insert(crate::error::pointer_push(pointer, slot.key()), i);
            slot.insert(value);
        }
    }
}

fn empty_document() -> Document {
    Document {
        openapi: "3.0.4".to_owned(),
        info: crate::openapi::Info::default(),
        servers: Vec::new(),
        paths: std::collections::BTreeMap::new(),
        components: crate::openapi::Components::default(),
    }
}

/// Fills in what `document` does not say from `docs`, another description of the same API: each operation's
/// summary (a documented one replaces a generated one), description and reference link, matched by method and
/// normalized path; each schema's description and its properties' descriptions, matched by name.
pub fn fill_docs(document: &mut Document, docs: &Document, strip_namespace: Option<&str>) {
    let documented: std::collections::BTreeMap<String, &crate::openapi::PathItem> =
        docs.paths.iter().map(|(path, item)| (normalize_path(path, strip_namespace), item)).collect();
    for (path, item) in &mut document.paths {
        let Some(source) = documented.get(&normalize_path(path, strip_namespace)) else { continue };
        if item.description.is_none() {
            item.description.clone_from(&source.description);
        }
        for method in crate::model::Method::ALL {
            let (Some(op), Some(from)) = (item.operation_mut(method), source.operation(method)) else { continue };
            if from.summary.is_some() {
                op.summary.clone_from(&from.summary);
            }
            if op.description.is_none() {
                op.description.clone_from(&from.description);
            }
            if op.external_docs.is_none() {
                op.external_docs = from
                    .external_docs
                    .as_ref()
                    .map(|d| crate::openapi::ExternalDocs { description: d.description.clone(), url: d.url.clone() });
            }
        }
    }
    for (name, schema) in &mut document.components.schemas {
        if let Some(from) = docs.components.schemas.get(name) {
            fill_schema_docs(schema, from);
        }
    }
}

/// A schema's own object part: itself, or the inline member of `allOf: [base, own]`.
fn own_part(schema: &mut crate::openapi::Schema) -> &mut crate::openapi::Schema {
    match schema.all_of.iter().position(|s| s.reference.is_none()) {
        Some(i) => &mut schema.all_of[i],
        None => schema,
    }
}

fn fill_schema_docs(schema: &mut crate::openapi::Schema, from: &crate::openapi::Schema) {
    let from_own = from.all_of.iter().find(|s| s.reference.is_none()).unwrap_or(from);
    let own = own_part(schema);
    if own.description.is_none() {
        own.description = from_own.description.clone().or_else(|| from.description.clone());
    }
    for (property, p) in &mut own.properties {
        if p.description.is_none() {
            p.description = from_own.properties.get(property).and_then(|q| q.description.clone());
        }
    }
}

/// A path in a form every source writes the same way: lower case, each `{parameter}` as `{}`, the stripped
/// namespace dropped from segments, no trailing `/`. `/users/{user-id}/manager/microsoft.graph.restore`,
/// `/users/{user-id}/manager/restore` and `/users/{id}/manager/restore/` all become `/users/{}/manager/restore`.
/// Calls are compared without quotes, spaces or empty parentheses, as `permissions.json` writes them:
/// `delta()` is `delta`, `range(address='{address}')` is `range(address={})`.
pub fn normalize_path(path: &str, strip_namespace: Option<&str>) -> String {
    let mut out = String::with_capacity(path.len());
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        let segment = crate::naming::unqualify_segment(segment, strip_namespace);
        let segment = segment.strip_suffix("()").unwrap_or(segment);
        let mut in_parameter = false;
        for c in segment.chars() {
            match c {
                '{' => {
                    in_parameter = true;
                    out.push_str("{}");
                }
                '}' => in_parameter = false,
                '\'' | ' ' if !in_parameter => {}
                c if !in_parameter => out.extend(c.to_lowercase()),
                _ => {}
            }
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_descriptions_keep_the_first_of_each_and_say_where_it_came_from() {
        let first: Document = crate::yaml::from_str(
            "openapi: 3.0.4\npaths: {/a: {get: {responses: {}}}}\ncomponents: {schemas: {X: {type: object}}}",
            Path::new("one.yml"),
        )
        .unwrap();
        let second: Document = crate::yaml::from_str(
            "openapi: 3.0.4\nservers: [{url: 'https://x'}]\npaths: {/a: {post: {responses: {}}}, /b: {get: {responses: {}}}}\n\
             components: {schemas: {X: {type: string}, Y: {type: object}}}",
            Path::new("two.yml"),
        )
        .unwrap();
        let merged = Merged::new(vec![("one.yml".into(), first), ("two.yml".into(), second)]).unwrap();
        let doc = &merged.document;
        assert_eq!(doc.paths.keys().collect::<Vec<_>>(), ["/a", "/b"]);
        assert!(doc.paths["/a"].post.is_none(), "the first description's /a wins");
        assert_eq!(doc.components.schemas["X"].schema_type.as_deref(), Some("object"));
        assert_eq!(doc.servers[0].url, "https://x");
        let display = Path::new("specs/*.yml");
        let error = Error::Many(vec![
            Error::at_pointer(display, "#/paths/~1b/get/responses", "a"),
            Error::at_pointer(display, "#/components/schemas/Y/properties", "b"),
            Error::at_pointer(display, "#/paths/~1a", "c"),
        ]);
        let text = merged.relocate(error, display).to_string();
        assert!(text.contains("two.yml#/paths/~1b/get/responses: a"), "{text}");
        assert!(text.contains("two.yml#/components/schemas/Y/properties: b"), "{text}");
        assert!(text.contains("one.yml#/paths/~1a: c"), "{text}");
    }

    #[test]
    fn merged_inheritance_is_checked_as_a_whole() {
        // Two files of 40 schemas each, the first's root extending the second's leaf: each is fine alone.
        let part = |from: usize| {
            let mut text = String::from("openapi: 3.0.4\ncomponents:\n  schemas:\n");
            for i in from..from + 40 {
                text.push_str(&format!("    T{i}: {{allOf: [{{$ref: '#/components/schemas/T{}'}}]}}\n", i + 1));
            }
            crate::yaml::from_str::<Document>(&text, Path::new("part.yml")).unwrap()
        };
        let error = Merged::new(vec![("one.yml".into(), part(0)), ("two.yml".into(), part(40))]).unwrap_err();
        let text = error.to_string();
        assert!(
            text.starts_with("one.yml#/components/schemas/T15: the $ref/allOf chain of `T15` has more than 64"),
            "{text}"
        );
        assert!(Merged::new(vec![("one.yml".into(), part(0))]).is_ok());
    }

    #[test]
    fn paths_normalize_across_flavours() {
        let ns = Some("microsoft.graph");
        let expected = "/users/{}/mailfolders/{}/move";
        for path in [
            "/users/{user-id}/mailFolders/{mailFolder-id}/microsoft.graph.move",
            "/users/{user-id}/mailFolders/{mailFolder-id}/move",
            "/users/{id}/mailfolders/{id}/move/",
        ] {
            assert_eq!(normalize_path(path, ns), expected, "{path}");
        }
        assert_eq!(
            normalize_path("/reports/getOffice365ActiveUserDetail(period='{period}')", ns),
            "/reports/getoffice365activeuserdetail(period={})"
        );
        assert_eq!(
            normalize_path("/users/{user-id}/events/delta()", ns),
            normalize_path("/users/{id}/events/delta", ns)
        );
        assert_eq!(
            normalize_path("/me/drive/items/{id}/workbook/worksheets/{id}/range/resizedrange(deltarows={value}, deltacolumns={value})", ns),
            "/me/drive/items/{}/workbook/worksheets/{}/range/resizedrange(deltarows={},deltacolumns={})"
        );
        assert_eq!(
            normalize_path("/security/microsoft.graph.security.runHuntingQuery", ns),
            "/security/microsoft.graph.security.runhuntingquery"
        );
        assert_eq!(normalize_path("/", ns), "/");
    }
}
