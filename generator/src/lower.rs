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
    self, Crate, Docs, Enumeration, Field, Member, Method, ModulePath, Node, Operation, Reexport, ResponseShape,
    Segment, Shape, Struct, TypeDef, TypePath, TypeRef, MODELS_MODULE, RUNTIME_REEXPORTS,
};
use crate::naming::{self, Scope};
use crate::openapi::{AdditionalProperties, Document, Parameter, PathItem, RequestBody, Response, Schema};

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

/// Names that the root module defines besides the client, the path modules and the runtime re-exports.
const ROOT_NAMES: &[&str] = &[MODELS_MODULE, "runtime", "Error", "Request", "DEFAULT_BASE_URL"];

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
}

impl<'a, 'd> Lowerer<'a, 'd> {
    fn new(doc: &'d Document, options: &'a Options<'a>) -> Self {
        let mut root = Scope::module();
        for name in ROOT_NAMES.iter().chain(RUNTIME_REEXPORTS) {
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
        }
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.errors.push(Error::at_pointer(self.options.spec_file, pointer, message));
    }

    fn unsupported(&mut self, pointer: &str, what: &str) {
        self.error(pointer, format!("unsupported: {what} (the generator cannot express this yet)"));
    }

    fn claim(&mut self, module: &ModulePath, name: String) -> String {
        self.scopes.entry(module.clone()).or_insert_with(Scope::module).claim(name)
    }

    fn run(&mut self) -> Crate {
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
        let aliases = self.aliases(&mut root);
        self.flatten_inheritance();
        let reexports = self.share_identical_inline_types(&mut root);
        self.box_cycles();
        self.types.sort_by(|a, b| a.path.cmp(&b.path));
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
            aliases,
        }
    }

    /// Each configured alias with the builder it returns; every operation below its target learns how it is
    /// reached through it.
    fn aliases(&mut self, root: &mut Node) -> Vec<model::Alias> {
        fn find<'n>(node: &'n mut Node, template: &str) -> Option<&'n mut Node> {
            if node.template == template {
                return Some(node);
            }
            node.children.iter_mut().find_map(|c| find(c, template))
        }
        fn visit(node: &mut Node, alias: &model::Alias) {
            let template = format!("/{}{}", alias.wire, &node.template[alias.target.len()..]);
            for op in &mut node.operations {
                op.aliased.push(model::AliasedOperation {
                    alias: alias.wire.clone(),
                    accessor: alias.accessor.clone(),
                    template: template.clone(),
                    permissions: None,
                });
            }
            for child in &mut node.children {
                visit(child, alias);
            }
        }
        let mut aliases = Vec::new();
        for (wire, target) in self.options.aliases {
            let Some(node) = find(root, target) else {
                self.errors.push(Error::at_pointer(
                    self.options.config_file,
                    &pointer_push(&format!("#/crate/{}/aliases", self.options.config_index), wire),
                    format!("`{target}` is not a path of the selected operations, so `{wire}` cannot stand for it"),
                ));
                continue;
            };
            let alias = model::Alias {
                wire: wire.clone(),
                accessor: naming::snake(wire),
                target: target.clone(),
                module: node.module.clone(),
                builder: node.builder.clone(),
            };
            visit(node, &alias);
            aliases.push(alias);
        }
        aliases
    }

    fn base_url(&mut self) -> String {
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

    /// The operations the patterns select; a pattern that selects nothing is an error.
    fn select(&mut self) -> Vec<Selected<'d>> {
        let mut used = vec![false; self.options.patterns.len()];
        let mut selected = Vec::new();
        for (path, item) in &self.doc.paths {
            for (key, op) in item.operations() {
                let mut hit = false;
                for (i, pattern) in self.options.patterns.iter().enumerate() {
                    if pattern.matches(path, key) {
                        used[i] = true;
                        hit = true;
                    }
                }
                if let (true, Some(method)) = (hit, Method::from_key(key)) {
                    selected.push(Selected { method, path: path.clone(), source: path, item, op });
                }
            }
        }
        // A path below an alias is the target's path: kept there unless the description has that one too.
        let own: BTreeSet<(Method, String)> = selected
            .iter()
            .filter(|s| self.alias_target(&s.path).is_none())
            .map(|s| (s.method, crate::spec::normalize_path(&s.path, None)))
            .collect();
        let mut aliased = Vec::new();
        selected.retain_mut(|s| match self.alias_target(&s.path) {
            None => true,
            Some(path) => {
                if !own.contains(&(s.method, crate::spec::normalize_path(&path, None))) {
                    s.path = path;
                    aliased.push(std::mem::replace(s, Selected { path: String::new(), ..*s }));
                }
                false
            }
        });
        selected.extend(aliased);
        for (i, pattern) in self.options.patterns.iter().enumerate() {
            if !used[i] {
                self.errors.push(Error::at_pointer(
                    self.options.config_file,
                    &format!("#/crate/{}/include/{i}", self.options.config_index),
                    format!(
                        "pattern `{}` matches no operation in {}",
                        pattern.as_str(),
                        self.options.spec_file.display()
                    ),
                ));
            }
        }
        selected
    }

    /// For a path below an alias (`/me/sendMail`), the same path below the alias's target
    /// (`/users/{user-id}/sendMail`).
    fn alias_target(&self, path: &str) -> Option<String> {
        let rest = path.strip_prefix('/')?;
        let (first, rest) = rest.split_once('/').map_or((rest, ""), |(f, r)| (f, r));
        let target = self.options.aliases.get(first)?;
        Some(if rest.is_empty() { target.clone() } else { format!("{target}/{rest}") })
    }

    fn insert(&mut self, root: &mut RawNode<'d>, selected: Selected<'d>) {
        let pointer = pointer_push("#/paths", selected.source);
        let mut node = root;
        let mut template = String::new();
        for segment in selected.path.split('/').filter(|s| !s.is_empty()) {
            template.push('/');
            template.push_str(segment);
            let key = match parameter_name(segment) {
                Ok(Some(name)) => {
                    let key_type = self.key_type(selected.item, selected.op, name);
                    let child = node.children.entry("{}".to_owned()).or_default();
                    match &child.parameter {
                        Some((existing, _)) if existing != name => {
                            self.unsupported(
                                &pointer,
                                &format!("path parameter `{{{name}}}` where another path has `{{{existing}}}` at the same place"),
                            );
                        }
                        Some(_) => {}
                        None => child.parameter = Some((name.to_owned(), key_type)),
                    }
                    "{}".to_owned()
                }
                Ok(None) => segment.to_owned(),
                Err(()) if parse_call(segment).is_some() => segment.to_owned(),
                Err(()) => {
                    self.unsupported(&pointer, &format!("path segment `{segment}` mixes text and parameters"));
                    return;
                }
            };
            node = node.children.entry(key).or_default();
            node.template.clone_from(&template);
        }
        if node.description.is_none() {
            node.description.clone_from(&selected.item.description);
        }
        node.operations.push(selected);
    }

    /// The `x-ms-docs-key-type` of the path parameter `name`, if declared.
    fn key_type(&mut self, item: &PathItem, op: &crate::openapi::Operation, name: &str) -> Option<String> {
        op.parameters
            .iter()
            .chain(&item.parameters)
            .filter_map(|p| self.resolve_parameter(p))
            .find(|p| p.location == "path" && p.name == name)
            .and_then(|p| p.key_type.clone())
    }

    fn resolve_parameter(&self, p: &'d Parameter) -> Option<&'d Parameter> {
        match &p.reference {
            None => Some(p),
            Some(r) => r.strip_prefix(PARAMETER_REF).and_then(|name| self.doc.components.parameters.get(name)),
        }
    }

    /// Names a node (its module, builder and accessor) and its subtree.
    fn name_node(
        &mut self,
        raw: RawNode<'d>,
        module: ModulePath,
        segment: Segment,
        accessor: String,
        builder: String,
        error_types: &mut BTreeSet<Option<TypePath>>,
    ) -> Node {
        let prefix = builder.strip_suffix("RequestBuilder").unwrap_or(&builder).to_owned();
        // Methods of this builder: operations first, then one accessor per child.
        let mut methods = Scope::new();
        for name in ["new", "base", "adapter", "builder", "from"] {
            methods.claim(name.to_owned());
        }
        if module.is_empty() {
            // The client's alias accessors (`me`) come first: they are named by the config.
            for wire in self.options.aliases.keys() {
                methods.claim(naming::snake(wire));
            }
        }
        let mut operations = Vec::new();
        for selected in &raw.operations {
            let rust_name = methods.claim(selected.method.lower().to_owned());
            if let Some(op) = self.operation(selected, &module, &prefix, rust_name, error_types) {
                operations.push(op);
            }
        }
        operations.sort_by_key(|o| o.method);
        let mut children = Vec::new();
        for (key, child) in raw.children {
            let (child_module_name, child_segment, child_accessor, child_builder) = match &child.parameter {
                Some((wire, key_type)) if key == "{}" => {
                    let rust = naming::snake(wire);
                    let item = match key_type {
                        Some(k) => k.as_str(),
                        None => wire.trim_end_matches("-id").trim_end_matches("Id"),
                    };
                    let description = self.parameter_description(&child, wire);
                    (
                        "item".to_owned(),
                        Segment::Parameter { wire: wire.clone(), rust: rust.clone(), description },
                        methods.claim(format!("by_{rust}")),
                        naming::camel(&format!("{item} item request builder")),
                    )
                }
                _ => match parse_call(&key) {
                    Some((function, args)) => {
                        // Kiota's naming: `delta(token='{token}')` is `deltaWithToken`.
                        let name = self.strip_namespace(function);
                        let mut words = name.to_owned();
                        for arg in args.iter().filter(|a| a.alias.is_none()) {
                            words.push_str(" with ");
                            words.push_str(arg.name);
                        }
                        let mut arg_names = Scope::new();
                        arg_names.claim("self".to_owned());
                        let args = args
                            .into_iter()
                            .map(|arg| crate::model::CallArg {
                                rust: arg_names.claim(naming::snake(arg.name)),
                                wire: arg.name.to_owned(),
                                quoted: arg.quoted,
                                alias: arg.alias.map(str::to_owned),
                            })
                            .collect();
                        (
                            naming::snake(&words),
                            Segment::Call { name: function.to_owned(), args },
                            methods.claim(not_a_trait_method(naming::snake(&words))),
                            naming::camel(&format!("{words} request builder")),
                        )
                    }
                    None => {
                        let name = self.strip_namespace(&key);
                        (
                            naming::snake(name),
                            Segment::Static { wire: key.clone() },
                            methods.claim(not_a_trait_method(naming::snake(name))),
                            naming::camel(&format!("{name} request builder")),
                        )
                    }
                },
            };
            let module_name = self.claim(&module, child_module_name);
            let mut child_module = module.clone();
            child_module.push(module_name);
            let builder = self.claim(&child_module, child_builder);
            children.push(self.name_node(child, child_module, child_segment, child_accessor, builder, error_types));
        }
        // A path whose operations could all not be lowered (only when keeping going) leaves no empty builder.
        children.retain(|c| !c.operations.is_empty() || !c.children.is_empty());
        children.sort_by(|a, b| a.accessor.cmp(&b.accessor));
        Node {
            module,
            builder,
            template: if raw.template.is_empty() { "/".to_owned() } else { raw.template },
            segment,
            accessor,
            children,
            operations,
            description: raw.description,
        }
    }

    fn parameter_description(&self, node: &RawNode<'d>, wire: &str) -> Option<String> {
        fn first<'x>(node: &'x RawNode<'_>) -> Option<&'x Selected<'x>> {
            node.operations.first().or_else(|| node.children.values().find_map(first))
        }
        let selected = first(node)?;
        selected
            .op
            .parameters
            .iter()
            .chain(&selected.item.parameters)
            .filter_map(|p| self.resolve_parameter(p))
            .find(|p| p.location == "path" && p.name == wire)
            .and_then(|p| p.description.clone())
    }

    fn strip_namespace<'s>(&self, name: &'s str) -> &'s str {
        self.options
            .strip_namespace
            .and_then(|ns| name.strip_prefix(ns))
            .and_then(|rest| rest.strip_prefix('.'))
            .filter(|rest| !rest.is_empty())
            .unwrap_or(name)
    }

    fn operation(
        &mut self,
        selected: &Selected<'d>,
        module: &ModulePath,
        prefix: &str,
        rust_name: String,
        error_types: &mut BTreeSet<Option<TypePath>>,
    ) -> Option<Operation> {
        let op = selected.op;
        let pointer = pointer_push(&pointer_push("#/paths", selected.source), selected.method.lower());
        let method = selected.method.camel();
        let endpoint = format!("`{} {}`", selected.method.upper(), selected.path);
        let rank = selected.path.matches('{').count();
        let body = match &op.request_body {
            None => None,
            Some(body) => {
                let at = pointer_push(&pointer, "requestBody");
                let hint = NameHint {
                    module: module.clone(),
                    name: naming::camel(&format!("{prefix} {method} request body")),
                    origin: format!("The request body of {endpoint}."),
                    rank,
                };
                Some(self.request_body(body, &at, hint)?)
            }
        };
        let mut success = Vec::new();
        let mut errors = BTreeSet::new();
        for (status, response) in &op.responses {
            let at = pointer_push(&pointer_push(&pointer, "responses"), &status.0);
            if status.is_success() {
                let hint = NameHint {
                    module: module.clone(),
                    name: naming::camel(&format!("{prefix} {method} response")),
                    origin: format!("The response body of {endpoint}."),
                    rank,
                };
                success.push((at.clone(), self.response(response, &at, hint)?));
            } else if status.is_error() {
                let hint = NameHint {
                    module: module.clone(),
                    name: naming::camel(&format!("{prefix} {method} error")),
                    origin: format!("The error body of {endpoint}."),
                    rank,
                };
                match self.response(response, &at, hint)? {
                    None => {}
                    Some(ResponseShape::Json(TypeRef::Named(path))) => {
                        errors.insert(path);
                    }
                    Some(_) => self.unsupported(&at, "an error response whose body is not a JSON object"),
                }
            }
        }
        let response = match success.iter().filter_map(|(at, ty)| ty.as_ref().map(|ty| (at, ty))).collect::<Vec<_>>()[..]
        {
            [] => ResponseShape::NoContent,
            [(_, shape)] => shape.clone(),
            [(_, first), ref rest @ ..] => {
                if let Some((at, _)) = rest.iter().find(|(_, shape)| *shape != first) {
                    self.unsupported(at, "success responses with different body types");
                }
                first.clone()
            }
        };
        match errors.len() {
            0 => {
                error_types.insert(None);
            }
            1 => {
                error_types.extend(errors.into_iter().map(Some));
            }
            _ => self.unsupported(&pointer_push(&pointer, "responses"), "error responses with different body types"),
        }
        Some(Operation {
            method: selected.method,
            rust_name,
            docs: Docs {
                summary: op.summary.clone(),
                description: op.description.clone(),
                link: op.external_docs.as_ref().map(|d| {
                    (d.description.clone().unwrap_or_else(|| "Reference documentation".to_owned()), d.url.clone())
                }),
            },
            deprecated: op.deprecated,
            body,
            response,
            clouds: None,
            permissions: None,
            aliased: Vec::new(),
            query: op
                .parameters
                .iter()
                .chain(&selected.item.parameters)
                .filter_map(|p| self.resolve_parameter(p))
                .filter(|p| p.location == "query")
                .map(|p| p.name.clone())
                .collect(),
        })
    }

    /// The one error model all selected operations share.
    fn crate_error_type(&mut self, error_types: BTreeSet<Option<TypePath>>) -> Option<TypePath> {
        let named: Vec<TypePath> = error_types.into_iter().flatten().collect();
        if named.len() > 1 {
            let names: Vec<String> = named.iter().map(|p| format!("{}::{}", p.module.join("::"), p.name)).collect();
            self.unsupported("#/paths", &format!("operations with different error models ({})", names.join(", ")));
        }
        named.into_iter().next()
    }

    fn request_body(&mut self, body: &'d RequestBody, pointer: &str, hint: NameHint) -> Option<model::RequestBody> {
        let (body, pointer) = match &body.reference {
            None => (body, pointer.to_owned()),
            Some(r) => match r
                .strip_prefix(BODY_REF)
                .and_then(|n| self.doc.components.request_bodies.get(n).map(|b| (n, b)))
            {
                Some((name, b)) => (b, pointer_push("#/components/requestBodies", name)),
                None => {
                    self.error(&pointer_push(pointer, "$ref"), format!("dangling $ref `{r}`: no such request body"));
                    return None;
                }
            },
        };
        let Some((media, content)) = json_content(&body.content) else {
            return match body.content.keys().next() {
                Some(media) => Some(model::RequestBody::Bytes { content_type: media.clone() }),
                None => {
                    self.error(&pointer_push(&pointer, "content"), "a request body without any media type");
                    None
                }
            };
        };
        let at = pointer_push(&pointer_push(&pointer_push(&pointer, "content"), media), "schema");
        let ty = match &content.schema {
            Some(schema) => self.schema(schema, &at, &hint)?,
            None => TypeRef::Json,
        };
        Some(model::RequestBody::Json(ty))
    }

    /// How a response's body is read, `None` inside when it has none.
    fn response(&mut self, response: &'d Response, pointer: &str, hint: NameHint) -> Option<Option<ResponseShape>> {
        let (response, pointer) = match &response.reference {
            None => (response, pointer.to_owned()),
            Some(r) => {
                match r.strip_prefix(RESPONSE_REF).and_then(|n| self.doc.components.responses.get(n).map(|x| (n, x))) {
                    Some((name, x)) => (x, pointer_push("#/components/responses", name)),
                    None => {
                        self.error(&pointer_push(pointer, "$ref"), format!("dangling $ref `{r}`: no such response"));
                        return None;
                    }
                }
            }
        };
        if response.content.is_empty() {
            return Some(None);
        }
        if let Some((media, content)) = json_content(&response.content) {
            let at = pointer_push(&pointer_push(&pointer_push(&pointer, "content"), media), "schema");
            return match &content.schema {
                Some(schema) => self.schema(schema, &at, &hint).map(|ty| Some(ResponseShape::Json(ty))),
                None => Some(Some(ResponseShape::Json(TypeRef::Json))),
            };
        }
        if let Some(text) = response.content.get("text/plain") {
            let integer = text.schema.as_ref().is_some_and(|s| {
                let s = match &s.reference {
                    Some(r) => r.strip_prefix(SCHEMA_REF).and_then(|n| self.doc.components.schemas.get(n)).unwrap_or(s),
                    None => s,
                };
                matches!(s.schema_type.as_deref(), Some("integer" | "number")) && s.format.as_deref() != Some("double")
            });
            return Some(Some(ResponseShape::Text(if integer { TypeRef::I64 } else { TypeRef::String })));
        }
        Some(Some(ResponseShape::Bytes))
    }

    /// Lowers a schema used at `pointer`; inline objects become structs named by `hint`.
    fn schema(&mut self, schema: &'d Schema, pointer: &str, hint: &NameHint) -> Option<TypeRef> {
        if let Some(reference) = &schema.reference {
            return self.component(reference, &pointer_push(pointer, "$ref"));
        }
        if let [single] = &schema.all_of[..] {
            if single.reference.is_some() && schema.properties.is_empty() {
                return self.schema(single, &pointer_push(&pointer_push(pointer, "allOf"), "0"), hint);
            }
        }
        if !schema.all_of.is_empty() {
            return self.object(schema, pointer, hint, None);
        }
        for (key, members) in [("anyOf", &schema.any_of), ("oneOf", &schema.one_of)] {
            if members.is_empty() {
                continue;
            }
            // Graph writes a nullable reference as `anyOf: [{$ref: X}, {type: object, nullable: true}]`.
            let real: Vec<(usize, &Schema)> =
                members.iter().enumerate().filter(|(_, m)| !is_null_placeholder(m)).collect();
            // Kiota's form of a number that may also be written as a string (`"NaN"`, `"INF"`, a decimal):
            // `oneOf: [{type: number, format: double}, {type: string}, {$ref: ReferenceNumeric}]`.
            // Lowered as `Double`, which reads those strings too.
            if let Some(&(i, _)) = real.iter().find(|(_, m)| {
                m.schema_type.as_deref() == Some("number")
                    && matches!(m.format.as_deref(), Some("double" | "float" | "decimal"))
            }) {
                let rest_are_strings = real.iter().all(|(j, m)| {
                    *j == i
                        || (m.schema_type.as_deref() == Some("string") && m.format.is_none())
                        || m.reference.as_deref().is_some_and(|r| r.ends_with("/ReferenceNumeric"))
                });
                if rest_are_strings && real.len() > 1 {
                    return Some(TypeRef::Double);
                }
            }
            return match real[..] {
                [(i, member)] => self.schema(member, &pointer_push(&pointer_push(pointer, key), &i.to_string()), hint),
                _ => {
                    self.unsupported(&pointer_push(pointer, key), &format!("{key} with {} alternatives", real.len()));
                    None
                }
            };
        }
        if schema.not.is_some() {
            self.unsupported(&pointer_push(pointer, "not"), "not");
            return None;
        }
        if !schema.enum_values.is_empty() {
            let values: Option<Vec<&str>> =
                schema.enum_values.iter().filter(|v| !v.is_null()).map(serde_json::Value::as_str).collect();
            return match (values, schema.schema_type.as_deref()) {
                (Some(values), Some("string") | None) if !values.is_empty() => {
                    Some(self.enumeration(schema, &values, hint))
                }
                _ => {
                    self.unsupported(&pointer_push(pointer, "enum"), "an enum whose values are not all strings");
                    None
                }
            };
        }
        match schema.schema_type.as_deref() {
            // The formats Microsoft's converter gives Edm primitives.
            Some("string") => Some(match schema.format.as_deref() {
                Some("date-time") => TypeRef::DateTimeOffset,
                Some("date") => TypeRef::Date,
                Some("time") => TypeRef::TimeOfDay,
                Some("duration") => TypeRef::Duration,
                Some("uuid") => TypeRef::Guid,
                // Binary inside JSON can only be base64.
                Some("base64url" | "byte" | "binary") => TypeRef::Base64,
                _ => TypeRef::String,
            }),
            Some("boolean") => Some(TypeRef::Bool),
            Some("integer" | "number") => Some(match schema.format.as_deref() {
                Some("int32" | "int16" | "int8" | "uint8") => TypeRef::I32,
                Some("int64") => TypeRef::I64,
                Some("float") => TypeRef::F32,
                Some("double") => TypeRef::Double,
                _ if schema.schema_type.as_deref() == Some("integer") => TypeRef::I64,
                // `decimal` too: JSON numbers reach the SDK as f64.
                _ => TypeRef::F64,
            }),
            Some("array") => {
                let item_hint = NameHint {
                    module: hint.module.clone(),
                    name: naming::camel(&format!("{} item", hint.name)),
                    origin: format!("An item of: {}", hint.origin),
                    rank: hint.rank,
                };
                let items = match &schema.items {
                    Some(items) => self.schema(items, &pointer_push(pointer, "items"), &item_hint)?,
                    None => TypeRef::Json,
                };
                Some(TypeRef::Vec(Box::new(items)))
            }
            Some("object") | None => self.object(schema, pointer, hint, None),
            Some(other) => {
                self.error(
                    &pointer_push(pointer, "type"),
                    format!("expected one of string, boolean, integer, number, array, object; found `{other}`"),
                );
                None
            }
        }
    }

    /// An object schema: a struct when it has properties, a base or a name, otherwise a map or any JSON.
    ///
    /// With `allOf`, a reference to another object is the base the struct extends (its fields are added by
    /// `flatten_inheritance`), and the other members add properties.
    fn object(
        &mut self,
        schema: &'d Schema,
        pointer: &str,
        hint: &NameHint,
        named: Option<TypePath>,
    ) -> Option<TypeRef> {
        let mut parts: Vec<(&'d Schema, String)> = vec![(schema, pointer.to_owned())];
        let mut base = None;
        for (i, member) in schema.all_of.iter().enumerate() {
            let at = pointer_push(&pointer_push(pointer, "allOf"), &i.to_string());
            match &member.reference {
                Some(reference) => match self.component(reference, &pointer_push(&at, "$ref"))? {
                    TypeRef::Named(path) if base.is_none() && self.structs.contains_key(&path) => base = Some(path),
                    TypeRef::Named(_) if base.is_some() => {
                        self.unsupported(&at, "allOf with more than one base (multiple inheritance)");
                        return None;
                    }
                    _ => {
                        self.unsupported(&at, "allOf with a member that is not an object");
                        return None;
                    }
                },
                None if is_plain_object(member) => parts.push((member, at)),
                None => {
                    self.unsupported(&at, "allOf with a member that is not a plain object");
                    return None;
                }
            }
        }
        let keeps_unknown =
            !parts.iter().any(|(p, _)| matches!(p.additional_properties, Some(AdditionalProperties::Flag(false))));
        let has_properties = parts.iter().any(|(p, _)| !p.properties.is_empty());
        if !has_properties && base.is_none() && named.is_none() {
            return match &schema.additional_properties {
                Some(AdditionalProperties::Schema(values)) if !is_any_object(values) => {
                    let value_hint = NameHint {
                        module: hint.module.clone(),
                        name: naming::camel(&format!("{} value", hint.name)),
                        origin: format!("A value of: {}", hint.origin),
                        rank: hint.rank,
                    };
                    let values = self.schema(values, &pointer_push(pointer, "additionalProperties"), &value_hint)?;
                    Some(TypeRef::Map(Box::new(values)))
                }
                _ => Some(TypeRef::Json),
            };
        }
        let path = match named {
            Some(path) => path,
            None => {
                let path = TypePath { module: hint.module.clone(), name: self.claim(&hint.module, hint.name.clone()) };
                self.inline_rank.insert(path.clone(), hint.rank);
                path
            }
        };
        self.structs.insert(path.clone(), pointer.to_owned());
        // A named schema's name is its OData type name.
        let odata_type = pointer.strip_prefix("#/components/schemas/").map(|name| format!("#{}", unescape(name)));
        let mut fields = Vec::new();
        let declared: BTreeSet<&str> =
            parts.iter().flat_map(|(p, _)| p.properties.keys().map(String::as_str)).collect();
        for (part, part_pointer) in &parts {
            for (wire, property) in &part.properties {
                let at = pointer_push(&pointer_push(part_pointer, "properties"), wire);
                let property_hint = NameHint {
                    module: path.module.clone(),
                    name: naming::camel(&format!("{} {wire}", path.name)),
                    origin: format!("The `{wire}` property of [`{}`].", path.doc_link()),
                    rank: hint.rank,
                };
                let Some(ty) = self.schema(property, &at, &property_hint) else { continue };
                let required = parts.iter().any(|(p, _)| p.required.iter().any(|r| r == wire));
                fields.push(Field {
                    // Chosen by `flatten_inheritance`, once the inherited fields are known.
                    rust_name: String::new(),
                    wire_name: wire.clone(),
                    ty,
                    optional: !required || property.nullable || is_nullable_wrapper(property),
                    skip_if_none: !required,
                    boxed: false,
                    docs: property.description.clone().or_else(|| property.title.clone()),
                });
            }
            for (i, required) in part.required.iter().enumerate() {
                if base.is_none() && !declared.contains(required.as_str()) {
                    self.error(
                        &pointer_push(&pointer_push(part_pointer, "required"), &i.to_string()),
                        format!("required property `{required}` is not among the properties"),
                    );
                }
            }
        }
        let docs_from = parts.iter().rev().map(|(p, _)| *p).find(|p| p.title.is_some() || p.description.is_some());
        self.types.push(TypeDef {
            path: path.clone(),
            origin: hint.origin.clone(),
            docs: Docs {
                summary: docs_from.and_then(|p| p.title.clone()),
                description: docs_from.and_then(|p| p.description.clone()),
                link: None,
            },
            shape: Shape::Struct(Struct { base, fields, additional_data: keeps_unknown, odata_type }),
        });
        Some(TypeRef::Named(path))
    }

    /// A string enum named by `hint`; flags enums are used as sets.
    fn enumeration(&mut self, schema: &Schema, values: &[&str], hint: &NameHint) -> TypeRef {
        let path = TypePath { module: hint.module.clone(), name: self.claim(&hint.module, hint.name.clone()) };
        let mut variants = Scope::new();
        variants.claim("Other".to_owned());
        let mut members = Vec::new();
        for wire in values {
            if members.iter().any(|m: &Member| m.wire == *wire) {
                continue;
            }
            let name = match wire.strip_prefix('-') {
                Some(rest) => naming::camel(&format!("minus {rest}")),
                None => naming::camel(wire),
            };
            members.push(Member { rust_name: variants.claim(name), wire: (*wire).to_owned() });
        }
        let flags = schema.enum_flags.as_ref().is_some_and(|f| f.is_flags);
        self.types.push(TypeDef {
            path: path.clone(),
            origin: hint.origin.clone(),
            docs: Docs { summary: schema.title.clone(), description: schema.description.clone(), link: None },
            shape: Shape::Enum(Enumeration { members, flags }),
        });
        if flags {
            TypeRef::Flags(path)
        } else {
            TypeRef::Named(path)
        }
    }

    /// Lowers `#/components/schemas/NAME` once; later uses get the same type.
    fn component(&mut self, reference: &str, pointer: &str) -> Option<TypeRef> {
        let Some(name) = reference.strip_prefix(SCHEMA_REF) else {
            self.error(pointer, format!("unsupported $ref `{reference}`: expected a local `{SCHEMA_REF}…` reference"));
            return None;
        };
        match self.components.get(name) {
            Some(Component::Done(ty)) => return Some(ty.clone()),
            // Already reported where the schema itself is.
            Some(Component::Failed) => return None,
            Some(Component::Lowering) => {
                self.error(pointer, format!("$ref `{reference}` refers back to itself through other references"));
                return None;
            }
            None => {}
        }
        let doc = self.doc;
        let Some((name, schema)) = doc.components.schemas.get_key_value(name) else {
            self.error(
                pointer,
                format!("dangling $ref `{reference}`: no schema named `{name}` in #/components/schemas"),
            );
            return None;
        };
        let at = pointer_push("#/components/schemas", name);
        let (module, type_name) = self.component_name(name);
        let hint =
            NameHint { module: module.clone(), name: type_name, origin: format!("The `{name}` schema."), rank: 0 };
        let alias =
            matches!(&schema.all_of[..], [single] if single.reference.is_some()) && schema.properties.is_empty();
        let is_struct = schema.reference.is_none()
            && !alias
            && schema.any_of.is_empty()
            && schema.one_of.is_empty()
            && schema.enum_values.is_empty()
            && matches!(schema.schema_type.as_deref(), Some("object") | None)
            && (!schema.properties.is_empty() || schema.schema_type.is_some() || !schema.all_of.is_empty());
        if is_struct {
            let path = TypePath { module: module.clone(), name: self.claim(&module, hint.name.clone()) };
            // Known before its fields are lowered, so that a field (or a derived type) may refer back to it.
            self.components.insert(name.clone(), Component::Done(TypeRef::Named(path.clone())));
            self.structs.insert(path.clone(), at.clone());
            self.object(schema, &at, &hint, Some(path))
        } else {
            self.components.insert(name.clone(), Component::Lowering);
            let ty = self.schema(schema, &at, &hint);
            let state = ty.clone().map_or(Component::Failed, Component::Done);
            self.components.insert(name.clone(), state);
            ty
        }
    }

    /// `microsoft.graph.ODataErrors.ODataError` → (`models::o_data_errors`, `ODataError`).
    fn component_name(&mut self, name: &str) -> (ModulePath, String) {
        let stripped = match self.options.strip_namespace {
            Some(ns) => {
                name.strip_prefix(ns).and_then(|r| r.strip_prefix('.')).filter(|r| !r.is_empty()).unwrap_or(name)
            }
            None => name,
        };
        let mut parts: Vec<&str> = stripped.split('.').collect();
        let type_name = naming::camel(parts.pop().unwrap_or(stripped));
        let mut module = vec![self.claim_module(&[], MODELS_MODULE)];
        for part in parts {
            let next = naming::snake(part);
            let child = self.claim_module(&module, &next);
            module.push(child);
        }
        (module, type_name)
    }

    /// A namespace's module name: claimed in its parent's scope the first time, the same name afterwards.
    fn claim_module(&mut self, parent: &[String], name: &str) -> String {
        if parent.is_empty() {
            // `models` is claimed by the root scope up front.
            return name.to_owned();
        }
        let key: ModulePath = parent.iter().cloned().chain([name.to_owned()]).collect();
        if let Some(claimed) = self.namespaces.get(&key) {
            return claimed.clone();
        }
        let claimed = self.claim(&parent.to_vec(), name.to_owned());
        self.namespaces.insert(key, claimed.clone());
        claimed
    }

    /// Gives every struct the fields of the types it extends, base first; a property a derived type declares again
    /// takes the base field's place. Then chooses the Rust field names, in that order.
    fn flatten_inheritance(&mut self) {
        let index: BTreeMap<TypePath, usize> =
            self.types.iter().enumerate().map(|(i, t)| (t.path.clone(), i)).collect();
        let mut flattened: BTreeMap<TypePath, Vec<Field>> = BTreeMap::new();
        for i in 0..self.types.len() {
            let mut chain = vec![i];
            // Walk up to the root of the hierarchy, then flatten downwards.
            while let Shape::Struct(Struct { base: Some(base), .. }) = &self.types[chain[chain.len() - 1]].shape {
                if flattened.contains_key(base) {
                    break;
                }
                let Some(&b) = index.get(base) else { break };
                if chain.contains(&b) {
                    let at = self.structs.get(&self.types[i].path).cloned().unwrap_or_default();
                    self.unsupported(&at, "allOf bases that extend each other in a cycle");
                    break;
                }
                chain.push(b);
            }
            for &t in chain.iter().rev() {
                let path = self.types[t].path.clone();
                if flattened.contains_key(&path) {
                    continue;
                }
                let Shape::Struct(s) = &self.types[t].shape else { continue };
                let mut fields = s.base.as_ref().and_then(|b| flattened.get(b)).cloned().unwrap_or_default();
                for own in &s.fields {
                    match fields.iter_mut().find(|f| f.wire_name == own.wire_name) {
                        Some(inherited) => *inherited = own.clone(),
                        None => fields.push(own.clone()),
                    }
                }
                flattened.insert(path, fields);
            }
        }
        for t in &mut self.types {
            if let Shape::Struct(s) = &mut t.shape {
                let mut scope = Scope::new();
                if s.additional_data {
                    scope.claim("additional_data".to_owned());
                }
                s.fields = flattened.remove(&t.path).unwrap_or_default();
                for f in &mut s.fields {
                    f.rust_name = scope.claim(naming::snake(&f.wire_name));
                }
            }
        }
    }

    /// Operations on different paths often declare the same inline type (Graph's `/me/…` mirrors
    /// `/users/{user-id}/…`). Identical ones (same name, same fields) become one type, defined where its operation
    /// has the most path parameters — the general form — and re-exported under every other name, so one value
    /// works with all those operations (with a feature per area: all those operations of one area). Repeats until
    /// nested inline types have been shared too.
    fn share_identical_inline_types(&mut self, root: &mut Node) -> Vec<Reexport> {
        let mut reexports = Vec::new();
        loop {
            let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (i, t) in self.types.iter().enumerate() {
                if self.inline_rank.contains_key(&t.path) {
                    // With features per area, a type is shared only within one feature's code, so that no
                    // feature needs another one's modules.
                    let area = self.options.area_features.then(|| crate::features::unit_of(&t.path.module));
                    groups.entry(format!("{:?}", (&t.path.name, &t.shape, area))).or_default().push(i);
                }
            }
            let mut replaced: BTreeMap<TypePath, TypePath> = BTreeMap::new();
            let mut origins: BTreeMap<TypePath, Vec<String>> = BTreeMap::new();
            for members in groups.values().filter(|m| m.len() > 1) {
                let rank = |i: &usize| self.inline_rank.get(&self.types[*i].path).copied().unwrap_or(0);
                let Some(&canonical) = members
                    .iter()
                    .max_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| self.types[**b].path.cmp(&self.types[**a].path)))
                else {
                    continue;
                };
                let target = self.types[canonical].path.clone();
                for &i in members.iter().filter(|&&i| i != canonical) {
                    let path = self.types[i].path.clone();
                    origins.entry(target.clone()).or_default().push(self.types[i].origin.clone());
                    reexports.push(Reexport { module: path.module.clone(), target: target.clone() });
                    replaced.insert(path, target.clone());
                }
            }
            if replaced.is_empty() {
                break;
            }
            self.types.retain(|t| !replaced.contains_key(&t.path));
            for t in &mut self.types {
                if let Some(extra) = origins.get(&t.path) {
                    for origin in extra {
                        t.origin.push_str("\n\n");
                        t.origin.push_str(origin);
                    }
                }
                if let Shape::Struct(s) = &mut t.shape {
                    if let Some(base) = &mut s.base {
                        if let Some(to) = replaced.get(base) {
                            *base = to.clone();
                        }
                    }
                    for f in &mut s.fields {
                        retarget(&mut f.ty, &replaced);
                    }
                }
            }
            retarget_node(root, &replaced);
            for r in &mut reexports {
                if let Some(to) = replaced.get(&r.target) {
                    r.target = to.clone();
                }
            }
        }
        reexports.sort_by(|a, b| (&a.module, &a.target).cmp(&(&b.module, &b.target)));
        reexports
    }

    /// Boxes every field whose type can contain the field's own struct without a `Vec` or map in between.
    fn box_cycles(&mut self) {
        let direct: BTreeMap<TypePath, Vec<TypePath>> = self
            .types
            .iter()
            .map(|t| {
                let targets = t.fields().iter().filter_map(|f| match &f.ty {
                    TypeRef::Named(p) => Some(p.clone()),
                    _ => None,
                });
                (t.path.clone(), targets.collect())
            })
            .collect();
        let reaches = |from: &TypePath, to: &TypePath| {
            let mut seen = BTreeSet::new();
            let mut stack = vec![from.clone()];
            while let Some(p) = stack.pop() {
                if &p == to {
                    return true;
                }
                if seen.insert(p.clone()) {
                    stack.extend(direct.get(&p).into_iter().flatten().cloned());
                }
            }
            false
        };
        for t in &mut self.types {
            let path = t.path.clone();
            for f in t.fields_mut() {
                if let TypeRef::Named(target) = &f.ty {
                    f.boxed = reaches(target, &path);
                }
            }
        }
    }
}

/// Points every use of a replaced type at its replacement.
fn retarget(ty: &mut TypeRef, replaced: &BTreeMap<TypePath, TypePath>) {
    match ty {
        TypeRef::Named(path) | TypeRef::Flags(path) => {
            if let Some(to) = replaced.get(path) {
                *path = to.clone();
            }
        }
        TypeRef::Vec(inner) | TypeRef::Map(inner) => retarget(inner, replaced),
        _ => {}
    }
}

fn retarget_node(node: &mut Node, replaced: &BTreeMap<TypePath, TypePath>) {
    for op in &mut node.operations {
        if let Some(model::RequestBody::Json(body)) = &mut op.body {
            retarget(body, replaced);
        }
        if let ResponseShape::Json(ty) | ResponseShape::Text(ty) = &mut op.response {
            retarget(ty, replaced);
        }
    }
    for child in &mut node.children {
        retarget_node(child, replaced);
    }
}

/// Methods of traits every builder implements or users call on values (`clone`, `to_string`, …): a path segment
/// named like one gets a `_` suffix, as a keyword does, so that `team.clone_()` is the `/clone` action and
/// `team.clone()` still clones the builder.
const TRAIT_METHODS: &[&str] =
    &["clone", "clone_from", "fmt", "eq", "ne", "hash", "default", "into", "try_into", "to_owned", "to_string"];

fn not_a_trait_method(name: String) -> String {
    if TRAIT_METHODS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// `name(a='{a}',b={b})` → `("name", [("a", quoted), ("b", not quoted)])`: an OData function call or alternate key
/// whose arguments are all path parameters named like themselves.
/// An argument of an OData function call or alternate key in a path template.
struct ParsedArg<'s> {
    /// The argument's name, e.g. `token`.
    name: &'s str,
    /// Whether its value is a quoted string literal.
    quoted: bool,
    /// For `name=@alias` (Microsoft writes `name='@alias'` for strings): the alias.
    alias: Option<&'s str>,
}

/// `delta(token='{token}')`, `cell(row={row},column={column})`, `getAllRecordings(userId='@userId')`: the name and
/// the arguments; `None` when the segment is not a call with arguments.
fn parse_call(segment: &str) -> Option<(&str, Vec<ParsedArg<'_>>)> {
    let (name, rest) = segment.split_once('(')?;
    let inner = rest.strip_suffix(')')?;
    if name.is_empty() || name.contains(['{', '}', '\'']) || inner.is_empty() {
        return None;
    }
    let mut args = Vec::new();
    for part in inner.split(',') {
        let (arg, value) = part.split_once('=')?;
        let (value, quoted) = match value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
            Some(v) => (v, true),
            None => (value, false),
        };
        if arg.is_empty() || arg.contains(['{', '}', '\'', '(', ')', '@']) {
            return None;
        }
        let alias = match value.strip_prefix('@') {
            Some(alias) if !alias.is_empty() && !alias.contains(['{', '}', '\'']) => Some(alias),
            Some(_) => return None,
            None => {
                // The placeholder's name may differ from the argument's (`column={column1}`): only its place counts.
                let placeholder = value.strip_prefix('{')?.strip_suffix('}')?;
                if placeholder.is_empty() || placeholder.contains(['{', '}']) {
                    return None;
                }
                None
            }
        };
        args.push(ParsedArg { name: arg, quoted, alias });
    }
    Some((name, args))
}

/// `{name}` → `Some(name)`, a literal → `None`, anything mixing the two → `Err`.
fn parameter_name(segment: &str) -> std::result::Result<Option<&str>, ()> {
    if !segment.contains(['{', '}']) {
        return Ok(None);
    }
    match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
        Some(name) if !name.is_empty() && !name.contains(['{', '}']) => Ok(Some(name)),
        _ => Err(()),
    }
}

/// The JSON entry of a `content` map: `application/json` first, then any `…/…+json` or `…/json` type.
fn json_content<T>(content: &BTreeMap<String, T>) -> Option<(&str, &T)> {
    content
        .get_key_value("application/json")
        .or_else(|| {
            content.iter().find(|(k, _)| {
                let base = k.split(';').next().unwrap_or(k).trim();
                base.ends_with("/json") || base.ends_with("+json")
            })
        })
        .map(|(k, v)| (k.as_str(), v))
}

/// Graph's `{type: object, nullable: true}` member that only says "or null".
fn is_null_placeholder(schema: &Schema) -> bool {
    schema.nullable
        && schema.reference.is_none()
        && schema.properties.is_empty()
        && schema.all_of.is_empty()
        && schema.any_of.is_empty()
        && schema.one_of.is_empty()
        && matches!(schema.schema_type.as_deref(), Some("object") | None)
}

/// A property written as `anyOf: [X, {nullable placeholder}]`.
fn is_nullable_wrapper(schema: &Schema) -> bool {
    schema.any_of.iter().chain(&schema.one_of).any(is_null_placeholder)
}

/// A JSON pointer token as written (RFC 6901 unescaping).
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// An object schema without references or composition: one part of an `allOf`.
fn is_plain_object(schema: &Schema) -> bool {
    schema.reference.is_none()
        && schema.all_of.is_empty()
        && schema.any_of.is_empty()
        && schema.one_of.is_empty()
        && schema.enum_values.is_empty()
        && matches!(schema.schema_type.as_deref(), Some("object") | None)
}

/// `additionalProperties: {type: object}` with nothing else: Graph's way of saying "any value".
fn is_any_object(schema: &Schema) -> bool {
    schema.reference.is_none()
        && schema.properties.is_empty()
        && schema.items.is_none()
        && schema.all_of.is_empty()
        && schema.any_of.is_empty()
        && schema.one_of.is_empty()
        && matches!(schema.schema_type.as_deref(), Some("object") | None)
}
