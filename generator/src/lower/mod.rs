//! From a parsed OpenAPI description to the [`model`]: select the configured operations, build the
//! URL tree, and lower the schemas they use into structs, choosing every Rust name on the way.
//!
//! Problems are collected, not returned at the first one: the caller gets every dangling `$ref` and every
//! construct the generator cannot express yet, each located by a JSON pointer into the description.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::error::{pointer_push, Error, Result};
use crate::glob::Pattern;
use crate::model::{
    self, Crate, Docs, Enumeration, Field, Member, Method, ModulePath, Node, Operation, ResponseShape, Segment, Shape,
    Struct, TypeDef, TypePath, TypeRef, MODELS_MODULE, RUNTIME_REEXPORTS,
};
use crate::naming::{self, Scope};
use crate::openapi::{AdditionalProperties, Document, Parameter, PathItem, RequestBody, Response, Schema};

mod operations;
mod schemas;
mod select;
mod tree;

/// What the lowering needs to know besides the description.
#[derive(Debug)]
pub struct Options<'a> {
    /// Package name.
    pub package: &'a str,
    /// Package version.
    pub version: &'a str,
    /// Package description (defaults to the API title).
    pub description: Option<&'a str>,
    /// The root client type's name.
    pub client: &'a str,
    /// A namespace prefix that maps to `models` itself (and is dropped from operation segment names).
    pub strip_namespace: Option<&'a str>,
    /// The include patterns.
    pub patterns: &'a [Pattern],
    /// The config file and the crate's index in it, for locating pattern errors.
    pub config_file: &'a Path,
    /// The crate's index in the config.
    pub config_index: usize,
    /// The description file, as it should be named in messages and headers.
    pub spec_file: &'a Path,
    /// Whether areas go behind Cargo features.
    pub area_features: bool,
    /// Root segments that stand for another path (`me` → `/users/{user-id}`), from the config.
    pub aliases: &'a BTreeMap<String, String>,
}

const SCHEMA_REF: &str = "#/components/schemas/";
const RESPONSE_REF: &str = "#/components/responses/";
const PARAMETER_REF: &str = "#/components/parameters/";
const BODY_REF: &str = "#/components/requestBodies/";

/// Lowers `doc` into a crate model; any problem fails the whole crate, with every problem listed.
pub fn lower(doc: &Document, options: &Options<'_>) -> Result<Crate> {
    let (crate_model, problems) = lower_keeping_going(doc, options);
    match Error::from_list(problems) {
        Some(error) => Err(error),
        None => Ok(crate_model),
    }
}

/// Lowers `doc` into a crate model without what could not be lowered, and lists each problem (once): an operation
/// whose body or response cannot be expressed is left out, as is a property whose type cannot be.
pub fn lower_keeping_going(doc: &Document, options: &Options<'_>) -> (Crate, Vec<Error>) {
    let mut lowerer = Lowerer::new(doc, options);
    let crate_model = lowerer.run();
    let mut seen = BTreeSet::new();
    let problems = lowerer.errors.into_iter().filter(|e| seen.insert(e.to_string())).collect();
    (crate_model, problems)
}

/// A selected operation, before naming.
struct Selected<'d> {
    method: Method,
    /// Where it goes in the URL tree: the description's path, or for a path below an alias, the alias's target's.
    path: String,
    /// The description's path, for locating problems.
    source: &'d str,
    item: &'d PathItem,
    op: &'d crate::openapi::Operation,
}

/// The URL tree before naming: children keyed by static segment, `{}` for the parameter child.
#[derive(Default)]
struct RawNode<'d> {
    children: BTreeMap<String, RawNode<'d>>,
    parameter: Option<(String, Option<String>)>,
    operations: Vec<Selected<'d>>,
    template: String,
    description: Option<String>,
}

/// What became of a component schema.
enum Component {
    /// Being lowered: meeting it again means a cycle of plain `$ref`s.
    Lowering,
    /// Lowered to this type.
    Done(TypeRef),
    /// Could not be lowered; the problem is reported once.
    Failed,
}

/// Where an inline type will be defined and how it is named.
#[derive(Clone)]
struct NameHint {
    module: ModulePath,
    name: String,
    /// Where the type comes from, for its docs, e.g. "The request body of `POST /me`."
    origin: String,
    /// How many path parameters the operation that uses it has (see `share_identical_inline_types`).
    rank: usize,
}

struct Lowerer<'a, 'd> {
    doc: &'d Document,
    options: &'a Options<'a>,
    errors: Vec<Error>,
    scopes: BTreeMap<ModulePath, Scope>,
    /// Namespace modules by (parent module, wanted name), so every type of a namespace shares one module.
    namespaces: BTreeMap<ModulePath, String>,
    /// Component schemas reached so far.
    components: BTreeMap<String, Component>,
    types: Vec<TypeDef>,
    /// Inline (not component) types with the rank of the operation that defined them.
    inline_rank: BTreeMap<TypePath, usize>,
    /// Every struct (named before its fields are lowered, so a reference to it can be recognised early) and where
    /// its schema is.
    structs: BTreeMap<TypePath, String>,
    /// Component structs named but not yet lowered: their fields are lowered from this work list rather than
    /// recursively, so a chain of schemas each with a property of the next is lowered in constant stack depth.
    deferred: Vec<Deferred<'d>>,
}

/// A component struct to lower: its schema, where it is, how it is named, and the path already given to it.
struct Deferred<'d> {
    schema: &'d Schema,
    pointer: String,
    hint: NameHint,
    path: TypePath,
}

impl<'a, 'd> Lowerer<'a, 'd> {
    pub(super) fn new(doc: &'d Document, options: &'a Options<'a>) -> Self {
        let mut root = Scope::module();
        for name in model::ROOT_ITEMS.iter().chain(RUNTIME_REEXPORTS) {
            root.claim((*name).to_owned());
        }
        root.claim(options.client.to_owned());
        let mut scopes = BTreeMap::new();
        scopes.insert(Vec::new(), root);
        Lowerer {
            doc,
            options,
            errors: Vec::new(),
            scopes,
            namespaces: BTreeMap::new(),
            components: BTreeMap::new(),
            types: Vec::new(),
            inline_rank: BTreeMap::new(),
            structs: BTreeMap::new(),
            deferred: Vec::new(),
        }
    }

    pub(super) fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.errors.push(Error::at_pointer(self.options.spec_file, pointer, message));
    }

    pub(super) fn unsupported(&mut self, pointer: &str, what: &str) {
        self.error(pointer, format!("unsupported: {what} (the generator cannot express this yet)"));
    }

    pub(super) fn claim(&mut self, module: &ModulePath, name: String) -> String {
        self.scopes.entry(module.clone()).or_insert_with(Scope::module).claim(name)
    }

    pub(super) fn run(&mut self) -> Crate {
        let default_base_url = self.base_url();
        let selected = self.select();
        let mut raw = RawNode::default();
        for s in selected {
            self.insert(&mut raw, s);
        }
        let mut error_types = BTreeSet::new();
        let mut root = self.name_node(
            raw,
            Vec::new(),
            Segment::Root,
            String::new(),
            self.options.client.to_owned(),
            &mut error_types,
        );
        let error_type = self.crate_error_type(error_types);
        self.lower_deferred(&mut root);
        let aliases = self.aliases(&mut root);
        // The whole-model passes, in order.
        for path in crate::passes::inherit::flatten(&mut self.types) {
            let at = self.structs.get(&path).cloned().unwrap_or_default();
            self.unsupported(&at, "allOf bases that extend each other in a cycle");
        }
        let area_features = self.options.area_features;
        let unit = |module: &[String]| if area_features { crate::features::unit_of(module) } else { None };
        let reexports = crate::passes::share::share_identical(&mut self.types, &mut root, &self.inline_rank, &unit);
        crate::passes::cycles::box_cycles(&mut self.types);
        self.types.sort_by(|a, b| a.path.cmp(&b.path));
        name_type_files(&mut self.types);
        Crate {
            package: self.options.package.to_owned(),
            version: self.options.version.to_owned(),
            description: self.options.description.map_or_else(|| self.doc.info.title.clone(), str::to_owned),
            spec_path: self.options.spec_file.display().to_string().replace('\\', "/"),
            default_base_url,
            root,
            types: std::mem::take(&mut self.types),
            reexports,
            error_type,
            area_features: self.options.area_features,
            models_crate: false,
            aliases,
        }
    }

    /// Lowers the fields of every component struct named so far, and of those their fields name, in turn. A struct
    /// that cannot be lowered (its problem is reported) is left out with every field and operation that uses it.
    fn lower_deferred(&mut self, root: &mut Node) {
        let mut failed = BTreeSet::new();
        loop {
            while let Some(Deferred { schema, pointer, hint, path }) = self.deferred.pop() {
                if self.object(schema, &pointer, &hint, Some(path.clone())).is_none() {
                    failed.insert(path);
                }
            }
            // What a value can be downcast to: the named types derived from a type the crate has, unless that type
            // is a root of its hierarchy (every entity derives from `entity`), and then their own, and so on.
            let derived = self.derived_to_lower();
            if derived.is_empty() {
                break;
            }
            for name in derived {
                let pointer = pointer_push("#/components/schemas", &name);
                self.component(&format!("{SCHEMA_REF}{name}"), &pointer);
            }
        }
        if !failed.is_empty() {
            let fits = |ty: &TypeRef| ty.named().is_none_or(|p| !failed.contains(p));
            for t in &mut self.types {
                if let Shape::Struct(s) = &mut t.shape {
                    s.fields.retain(|f| fits(&f.ty));
                }
            }
            root.visit_mut(&mut |node| node.operations.retain(|op| op.types().all(fits)));
        }
    }

    /// The component schemas not lowered yet that extend (`allOf` with a reference first) a lowered one that has a
    /// base of its own, in name order.
    fn derived_to_lower(&self) -> Vec<String> {
        let doc = self.doc;
        fn base_of(schema: &Schema) -> Option<&str> {
            schema.all_of.first().and_then(|part| part.reference.as_deref()).and_then(|r| r.strip_prefix(SCHEMA_REF))
        }
        let lowered_with_base = |name: &str| {
            matches!(self.components.get(name), Some(Component::Done(TypeRef::Named(_))))
                && doc.components.schemas.get(name).and_then(base_of).is_some()
        };
        doc.components
            .schemas
            .iter()
            .filter(|(name, schema)| {
                !self.components.contains_key(name.as_str()) && base_of(schema).is_some_and(lowered_with_base)
            })
            .map(|(name, _)| name.clone())
            .collect()
    }

    pub(super) fn base_url(&mut self) -> String {
        match self.doc.servers.first() {
            None => {
                self.error("#/servers", "expected at least one server: its URL becomes the client's default base URL");
                String::new()
            }
            Some(server) => {
                let url = server.url.trim_end_matches('/');
                let valid = url
                    .strip_prefix("https://")
                    .is_some_and(|rest| !rest.is_empty() && !rest.contains(['?', '#', ' ', '"', '\\', '{']));
                if !valid {
                    self.error(
                        "#/servers/0/url",
                        format!("expected an absolute https URL without query or variables, found `{}`", server.url),
                    );
                }
                url.to_owned()
            }
        }
    }
}

/// Under `models` every type gets a file of its own, named after it, within its module's scope: not a submodule's
/// name (a namespace) nor the module's own (`models::billing::billing` would be a module inside its namesake).
fn name_type_files(types: &mut [TypeDef]) {
    let mut submodules: BTreeMap<ModulePath, BTreeSet<String>> = BTreeMap::new();
    for t in types.iter() {
        for depth in 1..t.path.module.len() {
            submodules.entry(t.path.module[..depth].to_vec()).or_default().insert(t.path.module[depth].clone());
        }
    }
    let mut scopes: BTreeMap<ModulePath, Scope> = BTreeMap::new();
    for t in types.iter_mut().filter(|t| t.path.module.first().is_some_and(|m| m == MODELS_MODULE)) {
        let scope = scopes.entry(t.path.module.clone()).or_insert_with(|| {
            let mut scope = Scope::new();
            let taken = submodules.get(&t.path.module).into_iter().flatten().chain(t.path.module.last());
            for name in taken {
                scope.claim(name.clone());
            }
            scope
        });
        t.file = Some(scope.claim(naming::snake(&t.path.name)));
    }
}
