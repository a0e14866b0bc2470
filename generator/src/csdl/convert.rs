//! From CSDL to the OpenAPI document Microsoft's converter would produce for Graph (its "Kiota" settings), so that a
//! CSDL and an OpenAPI description of the same API meet in one lowering and give the same crate.
//!
//! Paths are derived as the converter derives them:
//! - an entity set is a collection (`/users`: list, create) with its key as a segment (`/users/{user-id}`: get,
//!   update, delete); a singleton is one entity (`/me`);
//! - a contained navigation property continues the path (`/users/{user-id}/mailFolders`), recursively, stopping at a
//!   type already on the path; a navigation property that is not contained is reached but not continued;
//! - a bound action (POST) or function (GET, with `()` and its parameters) is appended to every path whose entity
//!   type is, or derives from, its binding parameter's type, with the stripped namespace dropped from the segment
//!   (`/users/{user-id}/mailFolders/{mailFolder-id}/move`);
//! - path parameters are named `{type}-id` (`{user-id}`), numbered when a type repeats along a path;
//! - errors are `4XX`/`5XX` responses with Graph's `ODataError` model, which the converter adds itself.
//!
//! A [`SourceMap`] remembers which CSDL element each part of the document came from, so that a problem the
//! lowering finds is reported at the element's line and column.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::{Csdl, NavigationDecl, OperationDecl, OperationKind, PropertyDecl, TypeDecl, TypeKind, TypeName};
use crate::error::{pointer_push, Error, LineIndex, Location, Result};
use crate::openapi::{
    AdditionalProperties, Components, Document, EnumFlags, Info, MediaType, Operation, Parameter, PathItem,
    RequestBody, Response, Schema, Server, StatusKey,
};

/// The error model Microsoft's converter adds to every Graph description, under these schema names.
const ODATA_ERRORS: &str = r#"
schemas:
  microsoft.graph.ODataErrors.ODataError:
    type: object
    required: [error]
    properties:
      error: {$ref: '#/components/schemas/microsoft.graph.ODataErrors.MainError'}
    additionalProperties: {type: object}
  microsoft.graph.ODataErrors.MainError:
    type: object
    required: [code, message]
    properties:
      code: {type: string, description: A service-defined error code.}
      message: {type: string, description: A human-readable description of the error.}
      target: {type: string, description: The target of the error., nullable: true}
      details:
        type: array
        items: {$ref: '#/components/schemas/microsoft.graph.ODataErrors.ErrorDetails'}
      innerError: {$ref: '#/components/schemas/microsoft.graph.ODataErrors.InnerError'}
    additionalProperties: {type: object}
  microsoft.graph.ODataErrors.ErrorDetails:
    type: object
    required: [code, message]
    properties:
      code: {type: string}
      message: {type: string}
      target: {type: string, nullable: true}
    additionalProperties: {type: object}
  microsoft.graph.ODataErrors.InnerError:
    type: object
    description: The structure of this object is service-specific.
    additionalProperties: {type: object}
responses:
  error:
    description: error
    content:
      application/json:
        schema: {$ref: '#/components/schemas/microsoft.graph.ODataErrors.ODataError'}
"#;

/// How to convert.
#[derive(Debug, Clone, Copy)]
pub struct ConvertOptions<'a> {
    /// The service root, e.g. `https://graph.microsoft.com/v1.0` (CSDL does not say).
    pub base_url: &'a str,
    /// The namespace dropped from bound operations' segments, e.g. `microsoft.graph`.
    pub strip_namespace: Option<&'a str>,
}

/// Which CSDL element (by byte offset) each JSON pointer of the converted document came from.
#[derive(Debug, Default)]
pub struct SourceMap {
    offsets: BTreeMap<String, usize>,
}

impl SourceMap {
    fn record(&mut self, pointer: String, offset: usize) {
        self.offsets.entry(pointer).or_insert(offset);
    }

    /// The byte offset of the element the pointer (or its closest recorded ancestor) came from.
    pub fn offset(&self, pointer: &str) -> Option<usize> {
        let mut p = pointer;
        loop {
            if let Some(&offset) = self.offsets.get(p) {
                return Some(offset);
            }
            p = &p[..p.rfind('/')?];
        }
    }

    /// Rewrites errors located by a pointer into the converted document of `file` to the line and column of the
    /// CSDL element it came from; other errors are returned unchanged.
    pub fn relocate(&self, error: Error, file: &Path, text: &str) -> Error {
        let lines = LineIndex::new(text);
        self.relocate_with(error, file, &lines)
    }

    fn relocate_with(&self, error: Error, file: &Path, lines: &LineIndex<'_>) -> Error {
        match error {
            Error::Input { file: f, location: Location::Pointer(pointer), message } if f == file => {
                match self.offset(&pointer) {
                    Some(offset) => Error::Input {
                        file: f,
                        location: lines.location(offset),
                        message: format!("{message} (converted to OpenAPI at {pointer})"),
                    },
                    None => Error::Input { file: f, location: Location::Pointer(pointer), message },
                }
            }
            Error::Many(list) => Error::Many(list.into_iter().map(|e| self.relocate_with(e, file, lines)).collect()),
            other => other,
        }
    }
}

/// The converted document and where its parts came from.
#[derive(Debug)]
pub struct Converted {
    /// The OpenAPI document.
    pub document: Document,
    /// Pointer → CSDL element.
    pub source_map: SourceMap,
}

/// Converts a checked CSDL document.
pub fn convert(csdl: &Csdl, options: &ConvertOptions<'_>) -> Result<Converted> {
    let errors_yaml: Components = crate::yaml::from_str(ODATA_ERRORS, Path::new("<ODataError model>"))?;
    let mut converter = Converter {
        csdl,
        options,
        paths: BTreeMap::new(),
        source_map: SourceMap::default(),
        bound: BTreeMap::new(),
        collections: BTreeSet::new(),
        expand_at: expansion_depths(csdl),
    };
    for op in csdl.operations.iter().filter(|o| o.bound) {
        if let Some(binding) = op.binding() {
            converter.bound.entry((binding.name.clone(), binding.collection)).or_default().push(op);
        }
    }
    let mut components = errors_yaml;
    for t in csdl.types.values() {
        let pointer = pointer_push("#/components/schemas", &t.name);
        converter.source_map.record(pointer.clone(), t.offset);
        let schema = converter.type_schema(t, &pointer);
        components.schemas.insert(t.name.clone(), schema);
    }
    if let Some(container) = &csdl.container {
        for source in &container.sources {
            let path = format!("/{}", source.name);
            let mut walk = Walk { params: Vec::new(), stack: Vec::new() };
            if source.is_set {
                converter.entity_set(
                    &path,
                    &source.entity_type,
                    source.description.as_deref(),
                    source.offset,
                    &mut walk,
                );
            } else {
                converter.single(
                    &path,
                    &source.entity_type,
                    source.description.as_deref(),
                    source.offset,
                    &mut walk,
                    true,
                );
            }
        }
        for import in &container.imports {
            if let Some(op) = csdl.operations.iter().find(|o| !o.bound && o.qualified() == import.operation) {
                let walk = Walk { params: Vec::new(), stack: Vec::new() };
                converter.operation(&format!("/{}", import.name), op, &walk, import.offset);
            }
        }
    }
    for entity in std::mem::take(&mut converter.collections) {
        components.schemas.entry(collection_response_name(&entity)).or_insert_with(|| collection_schema(&entity));
    }
    let Converter { paths, source_map, .. } = converter;
    Ok(Converted {
        document: Document {
            openapi: "3.0.4".to_owned(),
            info: Info { title: "OData Service".to_owned(), version: String::new(), description: None },
            servers: vec![Server { url: options.base_url.to_owned() }],
            paths,
            components,
        },
        source_map,
    })
}

/// The parameters and entity types along the path being built.
#[derive(Clone)]
struct Walk {
    /// `(name, entity type)` of each key segment so far.
    params: Vec<(String, String)>,
    /// Entity types whose contained navigation has been followed on this path.
    stack: Vec<String>,
}

struct Converter<'c, 'o> {
    csdl: &'c Csdl,
    options: &'o ConvertOptions<'o>,
    paths: BTreeMap<String, PathItem>,
    source_map: SourceMap,
    /// Bound operations by (binding type, collection binding).
    bound: BTreeMap<(String, bool), Vec<&'c OperationDecl>>,
    /// Entity types whose collection response schema is used.
    collections: BTreeSet<String>,
    /// For each entity type, how many contained navigation steps from the container its shortest paths take: its
    /// own navigation is continued only there.
    expand_at: BTreeMap<String, usize>,
}

/// The fewest contained navigation steps from an entity set or singleton to each entity type (breadth first).
///
/// Graph's `$metadata` marks many navigation properties as contained that are references in practice (a group's
/// members, a drive's root item), so continuing every contained navigation everywhere would repeat each entity's
/// subtree under every path that reaches it — millions of paths for the full description. Continuing an entity's
/// navigation only where it is reached in the fewest steps keeps one canonical place per subtree (`/groups/{id}/…`,
/// `/drives/{id}/items/{id}/…`) while every path that reaches an entity still reaches it, with its own operations.
fn expansion_depths(csdl: &Csdl) -> BTreeMap<String, usize> {
    let mut depths = BTreeMap::new();
    let mut queue = std::collections::VecDeque::new();
    for source in csdl.container.iter().flat_map(|c| &c.sources) {
        if !depths.contains_key(&source.entity_type) {
            depths.insert(source.entity_type.clone(), 0);
            queue.push_back((source.entity_type.as_str(), 0));
        }
    }
    while let Some((entity, depth)) = queue.pop_front() {
        for t in csdl.lineage(entity) {
            for n in t.navigation.iter().filter(|n| n.contains_target) {
                if !depths.contains_key(&n.ty.name) {
                    depths.insert(n.ty.name.clone(), depth + 1);
                    queue.push_back((n.ty.name.as_str(), depth + 1));
                }
            }
        }
    }
    depths
}

/// The last part of a qualified name: `microsoft.graph.user` → `user`.
fn local(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

fn schema_ref(name: &str) -> Schema {
    Schema { reference: Some(format!("#/components/schemas/{name}")), ..Schema::default() }
}

fn typed(t: &str, format: Option<&str>) -> Schema {
    Schema { schema_type: Some(t.to_owned()), format: format.map(str::to_owned), ..Schema::default() }
}

fn any_value() -> Schema {
    Schema::default()
}

fn json(schema: Schema) -> BTreeMap<String, MediaType> {
    BTreeMap::from([("application/json".to_owned(), MediaType { schema: Some(schema) })])
}

fn error_responses(responses: &mut BTreeMap<StatusKey, Response>) {
    for key in ["4XX", "5XX"] {
        responses.insert(
            StatusKey(key.to_owned()),
            Response { reference: Some("#/components/responses/error".to_owned()), ..Response::default() },
        );
    }
}

fn success(schema: Option<Schema>) -> BTreeMap<StatusKey, Response> {
    let mut responses = BTreeMap::new();
    responses.insert(
        StatusKey("2XX".to_owned()),
        Response {
            reference: None,
            description: Some("Success".to_owned()),
            content: schema.map(json).unwrap_or_default(),
        },
    );
    error_responses(&mut responses);
    responses
}

/// An operation on entities: a summary, a description, an entity body (its description and type) and the success
/// response's schema.
fn crud(summary: String, description: Option<&str>, body: Option<(&str, &str)>, response: Option<Schema>) -> Operation {
    Operation {
        summary: Some(summary),
        description: description.map(str::to_owned),
        request_body: body.map(|(description, entity)| RequestBody {
            description: Some(description.to_owned()),
            content: json(schema_ref(entity)),
            required: true,
            ..RequestBody::default()
        }),
        responses: success(response),
        operation_type: Some("operation".to_owned()),
        ..Operation::default()
    }
}

/// The name Microsoft's converter gives the collection response of an entity type:
/// `microsoft.graph.userCollectionResponse`.
fn collection_response_name(entity: &str) -> String {
    format!("{entity}CollectionResponse")
}

/// `{value: [entity], @odata.nextLink, @odata.count}`: one page of a collection.
fn collection_schema(entity: &str) -> Schema {
    let mut properties = BTreeMap::new();
    properties.insert("@odata.nextLink".to_owned(), Schema { nullable: true, ..typed("string", None) });
    properties.insert("@odata.count".to_owned(), Schema { nullable: true, ..typed("integer", Some("int64")) });
    properties.insert(
        "value".to_owned(),
        Schema { schema_type: Some("array".into()), items: Some(Box::new(schema_ref(entity))), ..Schema::default() },
    );
    Schema {
        schema_type: Some("object".into()),
        title: Some(format!("Collection of {}", local(entity))),
        properties,
        additional_properties: Some(AdditionalProperties::Schema(Box::new(typed("object", None)))),
        ..Schema::default()
    }
}

impl Converter<'_, '_> {
    /// A reference to the collection response schema of `entity`, which is added to the components.
    fn collection_ref(&mut self, entity: &str) -> Schema {
        self.collections.insert(entity.to_owned());
        schema_ref(&collection_response_name(entity))
    }

    /// The schema of a value of type `ty`.
    fn value_schema(&self, ty: &TypeName, nullable: bool) -> Schema {
        let single = if ty.is_primitive() {
            let mut s = primitive_schema(&ty.name);
            s.nullable = nullable && !ty.collection && s.schema_type.is_some();
            s
        } else if nullable && !ty.collection {
            Schema {
                any_of: vec![
                    schema_ref(&ty.name),
                    Schema { schema_type: Some("object".into()), nullable: true, ..Schema::default() },
                ],
                ..Schema::default()
            }
        } else {
            schema_ref(&ty.name)
        };
        if ty.collection {
            Schema { schema_type: Some("array".into()), items: Some(Box::new(single)), ..Schema::default() }
        } else {
            single
        }
    }

    fn type_schema(&mut self, t: &TypeDecl, pointer: &str) -> Schema {
        if t.kind == TypeKind::Enum {
            return Schema {
                schema_type: Some("string".into()),
                title: Some(local(&t.name).to_owned()),
                description: t.description.clone(),
                enum_values: t.members.iter().map(|m| serde_json::Value::String(m.name.clone())).collect(),
                enum_flags: t.is_flags.then_some(EnumFlags { is_flags: true }),
                ..Schema::default()
            };
        }
        let own_pointer =
            if t.base.is_some() { pointer_push(&pointer_push(pointer, "allOf"), "1") } else { pointer.to_owned() };
        let mut own = Schema {
            schema_type: Some("object".into()),
            title: Some(local(&t.name).to_owned()),
            description: t.description.clone(),
            additional_properties: Some(AdditionalProperties::Schema(Box::new(typed("object", None)))),
            ..Schema::default()
        };
        for p in &t.properties {
            let mut schema = self.value_schema(&p.ty, p.nullable);
            schema.description.clone_from(&p.description);
            self.source_map.record(pointer_push(&pointer_push(&own_pointer, "properties"), &p.name), p.offset);
            own.properties.insert(p.name.clone(), schema);
        }
        for n in &t.navigation {
            let mut schema = self.value_schema(&n.ty, n.nullable);
            schema.description.clone_from(&n.description);
            self.source_map.record(pointer_push(&pointer_push(&own_pointer, "properties"), &n.name), n.offset);
            own.properties.insert(n.name.clone(), schema);
        }
        match &t.base {
            Some(base) => Schema { all_of: vec![schema_ref(base), own], ..Schema::default() },
            None => own,
        }
    }

    fn path_item(&mut self, path: &str, walk: &Walk, offset: usize) -> &mut PathItem {
        self.source_map.record(pointer_push("#/paths", path), offset);
        self.paths.entry(path.to_owned()).or_insert_with(|| PathItem {
            parameters: walk
                .params
                .iter()
                .map(|(name, entity)| Parameter {
                    reference: None,
                    name: name.clone(),
                    location: "path".to_owned(),
                    description: Some(format!("The unique identifier of {}", local(entity))),
                    required: true,
                    schema: Some(typed("string", None)),
                    key_type: Some(local(entity).to_owned()),
                })
                .collect(),
            ..PathItem::default()
        })
    }

    /// `/users` and `/users/{user-id}` and everything below.
    fn entity_set(&mut self, path: &str, entity: &str, description: Option<&str>, offset: usize, walk: &mut Walk) {
        let name = local(path.rsplit('/').next().unwrap_or(path)).to_owned();
        let page = self.collection_ref(entity);
        let item = self.path_item(path, walk, offset);
        item.description = Some(format!("Provides operations to manage the collection of {} entities.", local(entity)));
        item.get = Some(crud(format!("List {name}"), description, None, Some(page)));
        item.post = Some(crud(
            format!("Create new navigation property to {name}"),
            None,
            Some(("New navigation property", entity)),
            Some(schema_ref(entity)),
        ));
        self.bound_operations(path, entity, true, walk);
        let base = local(entity).to_owned();
        let used = walk.params.iter().filter(|(n, _)| n.starts_with(&format!("{base}-id"))).count();
        let param = if used == 0 { format!("{base}-id") } else { format!("{base}-id{used}") };
        walk.params.push((param.clone(), entity.to_owned()));
        self.single(&format!("{path}/{{{param}}}"), entity, description, offset, walk, false);
        walk.params.pop();
    }

    /// One entity: get, update, delete, its navigation properties and bound operations.
    fn single(
        &mut self,
        path: &str,
        entity: &str,
        description: Option<&str>,
        offset: usize,
        walk: &mut Walk,
        singleton: bool,
    ) {
        let item = self.path_item(path, walk, offset);
        item.description = Some(format!("Provides operations to manage the {} entity.", local(entity)));
        item.get = Some(crud(format!("Get {}", local(entity)), description, None, Some(schema_ref(entity))));
        item.patch = Some(crud(
            format!("Update {}", local(entity)),
            None,
            Some(("New property values", entity)),
            Some(schema_ref(entity)),
        ));
        if !singleton {
            item.delete = Some(Operation {
                summary: Some(format!("Delete {}", local(entity))),
                responses: success(None),
                operation_type: Some("operation".to_owned()),
                ..Operation::default()
            });
        }
        self.bound_operations(path, entity, false, walk);
        let shortest = self.expand_at.get(entity).is_some_and(|&depth| depth == walk.stack.len());
        if !shortest || walk.stack.iter().any(|t| t == entity) {
            return;
        }
        walk.stack.push(entity.to_owned());
        let csdl = self.csdl;
        let navigation: Vec<&NavigationDecl> =
            csdl.lineage(entity).into_iter().rev().flat_map(|t| t.navigation.iter()).collect();
        for n in navigation {
            self.navigation(path, n, walk);
        }
        walk.stack.pop();
    }

    fn navigation(&mut self, parent: &str, n: &NavigationDecl, walk: &mut Walk) {
        let path = format!("{parent}/{}", n.name);
        let target = n.ty.name.as_str();
        match (n.contains_target, n.ty.collection) {
            (true, true) => self.entity_set(&path, target, n.description.as_deref(), n.offset, walk),
            (true, false) => self.single(&path, target, n.description.as_deref(), n.offset, walk, false),
            (false, collection) => {
                // Reached, not continued: the entities live elsewhere and have their own paths.
                let schema = if collection { self.collection_ref(target) } else { schema_ref(target) };
                let item = self.path_item(&path, walk, n.offset);
                item.description = Some(format!("Provides operations to manage the {} property.", n.name));
                item.get = Some(Operation {
                    summary: Some(format!(
                        "Get {} from {}",
                        n.name,
                        local(parent.rsplit('/').next().unwrap_or(parent))
                    )),
                    description: n.description.clone(),
                    responses: success(Some(schema)),
                    operation_type: Some("operation".to_owned()),
                    ..Operation::default()
                });
            }
        }
    }

    /// Appends every operation bound to `entity` (or a base of it) at `path`.
    fn bound_operations(&mut self, path: &str, entity: &str, collection: bool, walk: &Walk) {
        let csdl = self.csdl;
        let mut ops: Vec<&OperationDecl> = Vec::new();
        for t in csdl.lineage(entity) {
            if let Some(list) = self.bound.get(&(t.name.clone(), collection)) {
                ops.extend(list.iter().copied());
            }
        }
        for op in ops {
            let segment = self.operation_segment(op);
            // An overload bound to a more derived type wins: it is met first.
            let full = format!("{path}/{segment}");
            if self.paths.contains_key(&full) {
                continue;
            }
            self.operation(&full, op, walk, op.offset);
        }
    }

    /// `sendMail`, `delta()`, `getByPath(path='{path}')`, or the qualified name for another namespace.
    fn operation_segment(&self, op: &OperationDecl) -> String {
        let name = match self.options.strip_namespace {
            Some(ns) if ns == op.namespace => op.name.clone(),
            _ => op.qualified(),
        };
        match op.kind {
            OperationKind::Action => name,
            OperationKind::Function => {
                let args: Vec<String> = op.arguments().iter().map(|p| format!("{0}='{{{0}}}'", p.name)).collect();
                format!("{name}({})", args.join(","))
            }
        }
    }

    fn operation(&mut self, path: &str, op: &OperationDecl, walk: &Walk, offset: usize) {
        let kind = match op.kind {
            OperationKind::Action => "action",
            OperationKind::Function => "function",
        };
        let responses = match &op.returns {
            // A stream comes back as it is, not as JSON.
            Some((ty, _)) if ty.name == "Edm.Stream" && !ty.collection => {
                let mut responses = success(None);
                if let Some(ok) = responses.get_mut(&StatusKey("2XX".to_owned())) {
                    ok.content = BTreeMap::from([(
                        "application/octet-stream".to_owned(),
                        MediaType { schema: Some(typed("string", Some("binary"))) },
                    )]);
                }
                responses
            }
            Some((ty, nullable)) => success(Some(self.return_schema(op, ty, *nullable))),
            None => success(None),
        };
        let mut operation = Operation {
            summary: Some(format!("Invoke {kind} {}", op.name)),
            description: op.description.clone(),
            responses,
            operation_type: Some(kind.to_owned()),
            ..Operation::default()
        };
        let item = self.path_item(path, walk, offset);
        item.description = Some(format!("Provides operations to call the {} method.", op.name));
        match op.kind {
            OperationKind::Action => {
                if !op.arguments().is_empty() {
                    let mut body = Schema {
                        schema_type: Some("object".into()),
                        additional_properties: Some(AdditionalProperties::Schema(Box::new(typed("object", None)))),
                        ..Schema::default()
                    };
                    for p in op.arguments() {
                        body.properties.insert(p.name.clone(), self.parameter_schema(p));
                    }
                    operation.request_body = Some(RequestBody {
                        description: Some("Action parameters".to_owned()),
                        content: json(body),
                        required: true,
                        ..RequestBody::default()
                    });
                }
                let item = self.paths.get_mut(path);
                if let Some(item) = item {
                    item.post = Some(operation);
                }
            }
            OperationKind::Function => {
                operation.parameters = op
                    .arguments()
                    .iter()
                    .map(|p| Parameter {
                        reference: None,
                        name: p.name.clone(),
                        location: "path".to_owned(),
                        description: Some(format!("Usage: {0}='{{{0}}}'", p.name)),
                        required: true,
                        schema: Some(self.parameter_schema(p)),
                        key_type: None,
                    })
                    .collect();
                if let Some(item) = self.paths.get_mut(path) {
                    item.get = Some(operation);
                }
            }
        }
    }

    fn parameter_schema(&self, p: &PropertyDecl) -> Schema {
        let mut schema = self.value_schema(&p.ty, p.nullable);
        schema.description.clone_from(&p.description);
        schema
    }

    /// A collection or primitive return value comes wrapped in `{"value": …}`; an entity or complex one as is.
    fn return_schema(&self, op: &OperationDecl, ty: &TypeName, nullable: bool) -> Schema {
        if !ty.collection && !ty.is_primitive() {
            return self.value_schema(ty, nullable);
        }
        let mut properties = BTreeMap::new();
        properties.insert("value".to_owned(), self.value_schema(ty, nullable));
        if ty.collection && op.kind == OperationKind::Function {
            properties.insert("@odata.nextLink".to_owned(), Schema { nullable: true, ..typed("string", None) });
        }
        Schema {
            schema_type: Some("object".into()),
            title: Some(format!("{}Response", op.name)),
            properties,
            additional_properties: Some(AdditionalProperties::Schema(Box::new(typed("object", None)))),
            ..Schema::default()
        }
    }
}

/// The OpenAPI form of an Edm primitive, as Microsoft's converter writes it.
fn primitive_schema(name: &str) -> Schema {
    match name {
        "Edm.String" => typed("string", None),
        "Edm.Boolean" => typed("boolean", None),
        "Edm.Byte" => typed("integer", Some("uint8")),
        "Edm.SByte" => typed("integer", Some("int8")),
        "Edm.Int16" => typed("integer", Some("int16")),
        "Edm.Int32" => typed("integer", Some("int32")),
        "Edm.Int64" => typed("integer", Some("int64")),
        "Edm.Single" => typed("number", Some("float")),
        "Edm.Double" => typed("number", Some("double")),
        "Edm.Decimal" => typed("number", Some("decimal")),
        "Edm.Guid" => typed("string", Some("uuid")),
        "Edm.Date" => typed("string", Some("date")),
        "Edm.DateTimeOffset" => typed("string", Some("date-time")),
        "Edm.TimeOfDay" => typed("string", Some("time")),
        "Edm.Duration" => typed("string", Some("duration")),
        "Edm.Binary" => typed("string", Some("base64url")),
        // A stream property's value, when it is inlined in JSON, is base64url (Microsoft's converter says so too).
        "Edm.Stream" => typed("string", Some("base64url")),
        _ => any_value(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSDL: &str = r#"<?xml version="1.0"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="ns" Alias="a" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <EntityType Name="entity" Abstract="true"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
  <EntityType Name="directoryObject" BaseType="a.entity"/>
  <EntityType Name="user" BaseType="a.directoryObject">
    <NavigationProperty Name="manager" Type="a.directoryObject"/>
    <NavigationProperty Name="folders" Type="Collection(a.folder)" ContainsTarget="true"/>
    <NavigationProperty Name="profile" Type="a.profile" ContainsTarget="true"/>
    <NavigationProperty Name="groups" Type="Collection(a.group)" ContainsTarget="true"/>
  </EntityType>
  <EntityType Name="group" BaseType="a.directoryObject">
    <NavigationProperty Name="owners" Type="Collection(a.user)" ContainsTarget="true"/>
  </EntityType>
  <EntityType Name="folder" BaseType="a.entity">
    <NavigationProperty Name="children" Type="Collection(a.folder)" ContainsTarget="true"/>
  </EntityType>
  <EntityType Name="profile" BaseType="a.entity"/>
  <Action Name="restore" IsBound="true"><Parameter Name="bindingParameter" Type="a.directoryObject"/><ReturnType Type="a.directoryObject"/></Action>
  <Action Name="move" IsBound="true"><Parameter Name="bindingParameter" Type="a.folder"/><Parameter Name="destinationId" Type="Edm.String"/></Action>
  <Function Name="delta" IsBound="true"><Parameter Name="bindingParameter" Type="Collection(a.folder)"/><ReturnType Type="Collection(a.folder)"/></Function>
  <Function Name="report" IsBound="true"><Parameter Name="bindingParameter" Type="a.profile"/><Parameter Name="period" Type="Edm.String"/><ReturnType Type="Edm.Stream"/></Function>
  <Action Name="reset"/>
  <EntityContainer Name="Service">
    <EntitySet Name="users" EntityType="ns.user"/>
    <EntitySet Name="groups" EntityType="ns.group"/>
    <Singleton Name="me" Type="ns.user"/>
    <ActionImport Name="reset" Action="ns.reset"/>
  </EntityContainer>
</Schema>
<Schema Namespace="ns.extra" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <Action Name="archive" IsBound="true"><Parameter Name="bindingParameter" Type="ns.profile"/></Action>
</Schema>
</edmx:DataServices></edmx:Edmx>"#;

    fn converted() -> Converted {
        let csdl = crate::csdl::parse(CSDL, Path::new("t.csdl")).unwrap();
        convert(&csdl, &ConvertOptions { base_url: "https://api.example.com/v1", strip_namespace: Some("ns") }).unwrap()
    }

    #[test]
    fn paths_follow_keys_containment_and_bindings() {
        let doc = converted().document;
        let paths: Vec<&str> = doc.paths.keys().map(String::as_str).collect();
        for expected in [
            "/users",
            "/users/{user-id}",
            // Bound to a base type: reachable on every derived entity.
            "/users/{user-id}/restore",
            // Not contained: reached, not continued.
            "/users/{user-id}/manager",
            "/users/{user-id}/folders/{folder-id}/move",
            "/users/{user-id}/folders/delta()",
            // A type repeating along a path gets a numbered parameter.
            "/users/{user-id}/folders/{folder-id}/children/{folder-id1}",
            "/users/{user-id}/profile/report(period='{period}')",
            // Another namespace keeps its name in the segment.
            "/users/{user-id}/profile/ns.extra.archive",
            "/me/profile",
            "/reset",
            "/groups/{group-id}/owners/{user-id}",
        ] {
            assert!(paths.contains(&expected), "{expected} missing from {paths:#?}");
        }
        // A group's subtree is continued where groups are reached first (`/groups/{id}`), not under each user.
        assert!(paths.contains(&"/users/{user-id}/groups/{group-id}"));
        assert!(!paths.iter().any(|p| p.starts_with("/users/{user-id}/groups/{group-id}/owners")), "{paths:#?}");
        // A folder's children repeat `folder`: the cycle stops after one level.
        assert!(!paths.iter().any(|p| p.contains("{folder-id1}/children")), "{paths:#?}");

        let item = &doc.paths["/users/{user-id}/folders/{folder-id}/move"];
        assert_eq!(item.parameters.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["user-id", "folder-id"]);
        assert_eq!(item.parameters[1].key_type.as_deref(), Some("folder"));
        let post = item.post.as_ref().unwrap();
        let body = &post.request_body.as_ref().unwrap().content["application/json"].schema.as_ref().unwrap();
        assert!(body.properties.contains_key("destinationId"));
        assert_eq!(post.operation_type.as_deref(), Some("action"));
        let report = doc.paths["/users/{user-id}/profile/report(period='{period}')"].get.as_ref().unwrap();
        assert_eq!(report.parameters[0].name, "period");
        let user = doc.paths["/users/{user-id}"].get.as_ref().unwrap();
        assert_eq!(user.responses.keys().map(|k| k.0.as_str()).collect::<Vec<_>>(), ["2XX", "4XX", "5XX"]);
        assert!(doc.components.schemas.contains_key("ns.userCollectionResponse"));
        assert!(doc.components.schemas.contains_key("microsoft.graph.ODataErrors.ODataError"));
        assert_eq!(doc.components.schemas["ns.user"].all_of.len(), 2, "a derived type is allOf [base, own]");
    }

    #[test]
    fn pointers_map_back_to_elements() {
        let converted = converted();
        let lines = LineIndex::new(CSDL);
        let at = |pointer: &str| converted.source_map.offset(pointer).map(|o| lines.location(o));
        let move_path = pointer_push("#/paths", "/users/{user-id}/folders/{folder-id}/move");
        assert_eq!(at(&format!("{move_path}/post/requestBody")), Some(Location::LineColumn { line: 20, column: 3 }));
        assert_eq!(
            at("#/components/schemas/ns.user/allOf/1/properties/folders/items"),
            Some(Location::LineColumn { line: 8, column: 5 })
        );
        assert_eq!(at("#/nothing/here"), None);

        // A problem the lowering finds in the converted document is reported at the element's line and column.
        let file = Path::new("t.csdl");
        let error = Error::Many(vec![
            Error::at_pointer(file, &format!("{move_path}/post/requestBody/content"), "unsupported: something"),
            Error::at_pointer(Path::new("codegen.toml"), "#/crate/0", "not about the CSDL"),
        ]);
        let message = converted.source_map.relocate(error, file, CSDL).to_string();
        assert!(message.contains("t.csdl:20:3: unsupported: something (converted to OpenAPI at #/paths/"), "{message}");
        assert!(message.contains("codegen.toml#/crate/0: not about the CSDL"), "{message}");
    }
}
