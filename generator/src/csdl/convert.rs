//! From CSDL to the OpenAPI document Microsoft's converter would produce for Graph (its "Kiota" settings), so that a
//! CSDL and an OpenAPI description of the same API meet in one lowering and give the same crate.
//!
//! [`paths`] derives the paths as the converter does, and [`methods`] the HTTP methods of each; this module gives
//! each operation its parameters, body and responses:
//! - collections are read as pages (`…CollectionResponse`: `value`, `@odata.nextLink`, `@odata.count`) with the
//!   query options, single values as their type; created and updated values are sent as their type;
//! - `$count` answers `text/plain`; `$value` and stream properties are bytes in and out; `$ref` sends and reads
//!   links (`{"@odata.id": …}`), and deleting one from a collection takes `@id` in the query;
//! - an action's body has its parameters; a function's arguments are in the path (optional ones as `@name`
//!   aliases with their value in the query); a collection or primitive result comes wrapped in `{"value": …}`;
//! - errors are `4XX`/`5XX` responses with Graph's `ODataError` model, which the converter adds itself.
//!
//! A [`SourceMap`] remembers which CSDL element each part of the document came from, so that a problem the
//! lowering finds is reported at the element's line and column.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::paths::{self, Kind, PathParameter, Segment};
use super::{methods, Csdl, OperationDecl, OperationKind, PropertyDecl, TypeDecl, TypeKind, TypeName};
use crate::error::{pointer_push, Error, LineIndex, Location, Result};
use crate::model::Method;
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
    /// The CSDL file, for messages.
    pub file: &'a Path,
    /// Its text, for locating problems by line and column.
    pub text: &'a str,
    /// The service root, e.g. `https://graph.microsoft.com/v1.0` (CSDL does not say).
    pub base_url: &'a str,
    /// The namespace dropped from bound operations' segments, e.g. `microsoft.graph`.
    pub strip_namespace: Option<&'a str>,
    /// Whether an action's parameters are written in camelCase in its request body (`Message` → `message`).
    pub camel_case_action_parameters: bool,
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
    let mut components: Components = crate::yaml::from_str(ODATA_ERRORS, Path::new("<ODataError model>"))?;
    let settings = paths::Settings {
        strip_namespace: options.strip_namespace.map(str::to_owned),
        limits: paths::Limits::default(),
    };
    let derived = paths::derive(csdl, &settings).map_err(|too_many| Error::Input {
        file: options.file.to_path_buf(),
        location: LineIndex::new(options.text).location(too_many.offset),
        message: too_many.message,
    })?;
    let mut converter = Converter {
        csdl,
        options,
        paths: BTreeMap::new(),
        bindings: BTreeMap::new(),
        source_map: SourceMap::default(),
        collections: BTreeSet::new(),
    };
    for t in csdl.types.values() {
        let pointer = pointer_push("#/components/schemas", &t.name);
        converter.source_map.record(pointer.clone(), t.offset);
        let schema = converter.type_schema(t, &pointer);
        components.schemas.insert(t.name.clone(), schema);
    }
    for path in &derived {
        converter.add(path);
    }
    for entity in std::mem::take(&mut converter.collections) {
        components.schemas.entry(collection_response_name(&entity)).or_insert_with(|| collection_schema(&entity));
    }
    for (name, schema) in reference_schemas() {
        components.schemas.entry(name.to_owned()).or_insert(schema);
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

struct Converter<'c, 'o> {
    csdl: &'c Csdl,
    options: &'o ConvertOptions<'o>,
    paths: BTreeMap<String, PathItem>,
    /// For each operation path, the binding type of the overload it was made from.
    bindings: BTreeMap<String, &'c str>,
    source_map: SourceMap,
    /// Types whose collection response schema is used.
    collections: BTreeSet<String>,
}

/// What a path (or a prefix of it) addresses: a type, and whether it is a collection of it.
#[derive(Clone, Copy)]
struct Addressed<'c> {
    ty: &'c TypeDecl,
    many: bool,
}

/// `$ref` bodies and answers: a link to an entity by its URL (`@odata.id`).
fn reference_schemas() -> Vec<(&'static str, Schema)> {
    let object = |properties: &[(&str, bool)]| Schema {
        schema_type: Some("object".into()),
        properties: properties
            .iter()
            .map(|(name, nullable)| ((*name).to_owned(), Schema { nullable: *nullable, ..typed("string", None) }))
            .collect(),
        additional_properties: Some(AdditionalProperties::Schema(Box::new(typed("object", None)))),
        ..Schema::default()
    };
    let mut page = object(&[("@odata.nextLink", true)]);
    page.properties.insert(
        "value".to_owned(),
        Schema { schema_type: Some("array".into()), items: Some(Box::new(schema_ref(REFERENCE))), ..Schema::default() },
    );
    page.title = Some("Collection of references".to_owned());
    vec![
        (
            REFERENCE,
            Schema {
                title: Some("A link to an entity".to_owned()),
                ..object(&[("@odata.id", false), ("@odata.type", true)])
            },
        ),
        (REFERENCE_CREATE, object(&[("@odata.id", false)])),
        (REFERENCE_UPDATE, object(&[("@odata.id", false), ("@odata.type", true)])),
        (REFERENCE_PAGE, page),
    ]
}

/// The schemas of `$ref` requests and answers.
const REFERENCE: &str = "Reference";
const REFERENCE_CREATE: &str = "ReferenceCreate";
const REFERENCE_UPDATE: &str = "ReferenceUpdate";
const REFERENCE_PAGE: &str = "ReferenceCollectionResponse";

/// The query options of a GET that reads a collection, and of one that reads a single value.
const COLLECTION_QUERY: &[&str] = &["$top", "$skip", "$search", "$filter", "$count", "$orderby", "$select", "$expand"];
const SINGLE_QUERY: &[&str] = &["$select", "$expand"];

fn query_parameter(name: &str, description: Option<String>, required: bool) -> Parameter {
    Parameter {
        reference: None,
        name: name.to_owned(),
        location: "query".to_owned(),
        description,
        required,
        schema: Some(typed("string", None)),
        key_type: None,
    }
}

/// What the success response of an operation is.
enum Answer {
    None,
    Json(Box<Schema>),
    Text,
    Bytes,
}

impl Answer {
    fn json(schema: Schema) -> Self {
        Answer::Json(Box::new(schema))
    }
}

impl<'c> Converter<'c, '_> {
    fn ty(&self, name: &str) -> Option<&'c TypeDecl> {
        self.csdl.types.get(name)
    }

    /// What the first `n` segments of `path` address.
    fn addressed(&self, path: &paths::Path<'c>, n: usize) -> Option<Addressed<'c>> {
        let mut current: Option<Addressed<'c>> = None;
        for segment in &path.segments[..n] {
            current = match segment {
                Segment::Source(s) => Some(Addressed { ty: self.ty(&s.entity_type)?, many: s.is_set }),
                Segment::Key { entity, .. } => Some(Addressed { ty: entity, many: false }),
                Segment::Navigation(nav, _) => Some(Addressed { ty: self.ty(&nav.ty.name)?, many: nav.ty.collection }),
                Segment::Cast(t) => Some(Addressed { ty: t, many: current?.many }),
                Segment::Complex(p, _) => Some(Addressed { ty: self.ty(&p.ty.name)?, many: p.ty.collection }),
                Segment::Operation(op) | Segment::Import(_, op) => {
                    let (ty, _) = op.returns.as_ref()?;
                    Some(Addressed { ty: self.ty(&ty.name)?, many: ty.collection })
                }
                Segment::StreamProperty(_) | Segment::Value | Segment::Count | Segment::Ref => return None,
            };
        }
        current
    }

    /// The entity type named by the segment before the last (for choosing among overloads of an operation).
    fn bound_type(&self, path: &paths::Path<'c>) -> Option<&'c str> {
        self.addressed(path, path.segments.len().checked_sub(1)?).map(|a| a.ty.name.as_str())
    }

    /// Adds the path item and operations of one derived path.
    fn add(&mut self, path: &paths::Path<'c>) {
        let methods = methods::methods(self.csdl, path);
        if methods.is_empty() {
            return;
        }
        let rendered = path.render(self.csdl, self.options.strip_namespace);
        if self.paths.contains_key(&rendered.template) {
            // The same template from another path: an overload of the operation bound closer to this entity wins.
            let Some(Segment::Operation(op)) = path.last() else { return };
            let binding = op.binding().map(|b| b.name.as_str());
            if binding.is_none() || binding != self.bound_type(path) {
                return;
            }
            if self.bindings.get(&rendered.template).copied() == binding {
                return;
            }
            self.paths.remove(&rendered.template);
        }
        if let Some(Segment::Operation(op)) = path.last() {
            if let Some(b) = op.binding() {
                self.bindings.insert(
                    rendered.template.clone(),
                    self.csdl.types.get_key_value(&b.name).map_or("", |(k, _)| k.as_str()),
                );
            }
        }
        let offset = self.offset(path);
        let pointer = pointer_push("#/paths", &rendered.template);
        self.source_map.record(pointer, offset);
        let mut item = PathItem { description: Some(self.path_description(path)), ..PathItem::default() };
        item.parameters = rendered
            .parameters
            .iter()
            .map(|p| match p {
                PathParameter::Key { name, entity, .. } => Parameter {
                    reference: None,
                    name: name.clone(),
                    location: "path".to_owned(),
                    description: Some(format!("The unique identifier of {}", local(&entity.name))),
                    required: true,
                    schema: Some(typed("string", None)),
                    key_type: Some(local(&entity.name).to_owned()),
                },
                PathParameter::Argument { name, parameter } => Parameter {
                    reference: None,
                    name: name.clone(),
                    location: "path".to_owned(),
                    description: Some(format!("Usage: {}='{{{name}}}'", parameter.name)),
                    required: true,
                    schema: Some(self.parameter_schema(parameter)),
                    key_type: None,
                },
            })
            .collect();
        for method in methods {
            *item.slot(method) = Some(self.operation(path, &rendered, method));
        }
        self.paths.insert(rendered.template, item);
    }

    fn offset(&self, path: &paths::Path<'c>) -> usize {
        path.segments
            .iter()
            .rev()
            .find_map(|s| match s {
                Segment::Navigation(n, _) => Some(n.offset),
                Segment::Source(s) => Some(s.offset),
                Segment::Operation(op) | Segment::Import(_, op) => Some(op.offset),
                Segment::Cast(t) => Some(t.offset),
                Segment::Complex(p, _) | Segment::StreamProperty(p) => Some(p.offset),
                _ => None,
            })
            .unwrap_or(0)
    }

    /// The name of what the path's last named segment is, and of its parent, for summaries.
    fn names(&self, path: &paths::Path<'c>) -> (String, String) {
        let named: Vec<String> = path
            .segments
            .iter()
            .filter(|s| !matches!(s, Segment::Key { alternate: None, .. }))
            .map(|s| match s {
                Segment::Cast(t) => self.csdl.aliased(&t.name),
                other => other.identifier(),
            })
            .collect();
        let last = named.iter().rev().find(|n| !n.starts_with('$')).cloned().unwrap_or_default();
        let parent = named.iter().rev().filter(|n| !n.starts_with('$')).nth(1).cloned().unwrap_or_default();
        (last, parent)
    }

    fn path_description(&self, path: &paths::Path<'c>) -> String {
        let (last, _) = self.names(path);
        match path.kind() {
            Kind::EntitySet => format!("Provides operations to manage the collection of {last} entities."),
            Kind::Entity | Kind::Singleton => format!("Provides operations to manage the {last} entity."),
            Kind::Operation | Kind::OperationImport => format!("Provides operations to call the {last} method."),
            Kind::DollarCount => "Provides operations to count the resources in the collection.".to_owned(),
            Kind::TypeCast => format!("Casts the previous resource to {last}."),
            Kind::Ref => format!("Provides operations to manage the collection of {last} references."),
            Kind::MediaEntity => format!("Provides operations to manage the media for the {last} entity."),
            _ => format!("Provides operations to manage the {last} property."),
        }
    }

    fn documentation(&self, path: &paths::Path<'c>) -> Option<String> {
        path.segments.iter().rev().find_map(|s| match s {
            Segment::Navigation(n, _) => n.description.clone(),
            Segment::Source(s) => s.description.clone(),
            Segment::Complex(p, _) | Segment::StreamProperty(p) => p.description.clone(),
            Segment::Operation(op) | Segment::Import(_, op) => op.description.clone(),
            Segment::Key { .. } | Segment::Cast(_) | Segment::Value | Segment::Count | Segment::Ref => None,
        })
    }

    fn deprecated(&self, path: &paths::Path<'c>) -> bool {
        let revisions =
            |a: &crate::csdl::Annotations| a.records("Core.Revisions").any(|r| r.has_member("Kind", "Deprecated"));
        match path
            .segments
            .iter()
            .rev()
            .find(|s| !matches!(s, Segment::Key { .. } | Segment::Count | Segment::Ref | Segment::Value))
        {
            Some(Segment::Navigation(n, _)) => revisions(&n.annotations),
            Some(Segment::Source(s)) => revisions(&s.annotations),
            Some(Segment::Operation(op) | Segment::Import(_, op)) => revisions(&op.annotations),
            _ => false,
        }
    }

    /// One operation of a path.
    fn operation(&mut self, path: &paths::Path<'c>, rendered: &paths::Rendered<'c>, method: Method) -> Operation {
        let n = path.segments.len();
        let kind = path.kind();
        let (last, parent) = self.names(path);
        let here = self.addressed(path, n);
        let mut parameters = Vec::new();
        let mut body: Option<(String, Schema)> = None;
        let mut binary_body = false;
        let (summary, answer) = match kind {
            Kind::DollarCount => ("Get the number of the resource".to_owned(), Answer::Text),
            Kind::Ref => {
                let below_key = matches!(path.second_last(), Some(Segment::Key { .. }));
                let many = path.last_navigation().is_some_and(|(nav, _)| nav.ty.collection);
                match method {
                    Method::Get if many => {
                        ("Get ref of {last} from {parent}".to_owned(), Answer::json(schema_ref(REFERENCE_PAGE)))
                    }
                    Method::Get => ("Get ref of {last} from {parent}".to_owned(), Answer::json(schema_ref(REFERENCE))),
                    Method::Post => {
                        body = Some(("The reference to add".to_owned(), schema_ref(REFERENCE_CREATE)));
                        ("Create new navigation property ref to {last} for {parent}".to_owned(), Answer::None)
                    }
                    Method::Put => {
                        body = Some(("The new reference".to_owned(), schema_ref(REFERENCE_UPDATE)));
                        ("Update the ref of navigation property {last} in {parent}".to_owned(), Answer::None)
                    }
                    _ => {
                        if many && !below_key {
                            parameters.push(query_parameter("@id", Some("The delete Uri".to_owned()), true));
                        }
                        ("Delete ref of navigation property {last} for {parent}".to_owned(), Answer::None)
                    }
                }
            }
            Kind::MediaEntity => {
                let owner = self.addressed(path, n - 1);
                match method {
                    Method::Get => {
                        ("Get media content for the navigation property {last} from {parent}".to_owned(), Answer::Bytes)
                    }
                    Method::Put => {
                        binary_body = true;
                        let answer = match (path.last(), owner) {
                            (Some(Segment::StreamProperty(_)), Some(owner)) => Answer::json(schema_ref(&owner.ty.name)),
                            _ => Answer::None,
                        };
                        ("Update media content for the navigation property {last} in {parent}".to_owned(), answer)
                    }
                    _ => {
                        ("Delete media content for the navigation property {last} in {parent}".to_owned(), Answer::None)
                    }
                }
            }
            Kind::Operation | Kind::OperationImport => {
                let Some(Segment::Operation(op) | Segment::Import(_, op)) = path.last() else {
                    return Operation::default();
                };
                let op: &'c OperationDecl = op;
                if op.kind == OperationKind::Action && !op.arguments().is_empty() {
                    let mut schema = Schema {
                        schema_type: Some("object".into()),
                        additional_properties: Some(AdditionalProperties::Schema(Box::new(typed("object", None)))),
                        ..Schema::default()
                    };
                    for p in op.arguments() {
                        let name = if self.options.camel_case_action_parameters {
                            camel_case(&p.name)
                        } else {
                            p.name.clone()
                        };
                        schema.properties.insert(name, self.parameter_schema(p));
                    }
                    body = Some(("Action parameters".to_owned(), schema));
                }
                for (name, p) in &rendered.aliases {
                    parameters.push(query_parameter(
                        &format!("@{name}"),
                        Some(format!("Usage: {}=@{name}", p.name)),
                        false,
                    ));
                }
                let answer = match &op.returns {
                    Some((ty, _)) if ty.name == "Edm.Stream" && !ty.collection => Answer::Bytes,
                    Some((ty, nullable)) => Answer::json(self.return_schema(op, ty, *nullable)),
                    None => Answer::None,
                };
                let what = if op.kind == OperationKind::Action { "action" } else { "function" };
                (format!("Invoke {what} {}", op.name), answer)
            }
            Kind::ComplexProperty
            | Kind::EntitySet
            | Kind::Entity
            | Kind::Singleton
            | Kind::NavigationProperty
            | Kind::TypeCast
            | Kind::Unknown => {
                let Some(here) = here else { return Operation::default() };
                let value = || schema_ref(&here.ty.name);
                match method {
                    Method::Get if here.many => {
                        parameters.extend(COLLECTION_QUERY.iter().map(|q| query_parameter(q, None, false)));
                        let page = self.collection_ref(&here.ty.name);
                        (format!("Get {last} from {parent}"), Answer::json(page))
                    }
                    Method::Get => {
                        parameters.extend(SINGLE_QUERY.iter().map(|q| query_parameter(q, None, false)));
                        (format!("Get {last} from {parent}"), Answer::json(value()))
                    }
                    Method::Post => {
                        body = Some(("New navigation property".to_owned(), value()));
                        (format!("Create new navigation property to {last} for {parent}"), Answer::json(value()))
                    }
                    Method::Patch | Method::Put => {
                        body = Some(("New navigation property values".to_owned(), value()));
                        (format!("Update the navigation property {last} in {parent}"), Answer::json(value()))
                    }
                    _ => (format!("Delete navigation property {last} for {parent}"), Answer::None),
                }
            }
        };
        let summary = summary.replace("{last}", &last).replace("{parent}", &parent);
        let mut responses = success(None);
        if let Some(ok) = responses.get_mut(&StatusKey("2XX".to_owned())) {
            ok.content = match answer {
                Answer::None => BTreeMap::new(),
                Answer::Json(schema) => json(*schema),
                Answer::Text => BTreeMap::from([(
                    "text/plain".to_owned(),
                    MediaType { schema: Some(typed("integer", Some("int64"))) },
                )]),
                Answer::Bytes => BTreeMap::from([(
                    "application/octet-stream".to_owned(),
                    MediaType { schema: Some(typed("string", Some("binary"))) },
                )]),
            };
        }
        let request_body = if binary_body {
            Some(RequestBody {
                description: Some("New media content.".to_owned()),
                content: BTreeMap::from([(
                    "application/octet-stream".to_owned(),
                    MediaType { schema: Some(typed("string", Some("binary"))) },
                )]),
                required: true,
                ..RequestBody::default()
            })
        } else {
            body.map(|(description, schema)| RequestBody {
                description: Some(description),
                content: json(schema),
                required: true,
                ..RequestBody::default()
            })
        };
        let operation_type = match path.last() {
            Some(Segment::Operation(op) | Segment::Import(_, op)) if op.kind == OperationKind::Action => "action",
            Some(Segment::Operation(_) | Segment::Import(..)) => "function",
            _ => "operation",
        };
        Operation {
            summary: Some(summary),
            description: self.documentation(path),
            parameters,
            request_body,
            responses,
            deprecated: self.deprecated(path),
            operation_type: Some(operation_type.to_owned()),
            ..Operation::default()
        }
    }

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
            schema.navigation_property = true;
            self.source_map.record(pointer_push(&pointer_push(&own_pointer, "properties"), &n.name), n.offset);
            own.properties.insert(n.name.clone(), schema);
        }
        match &t.base {
            Some(base) => Schema { all_of: vec![schema_ref(base), own], ..Schema::default() },
            None => own,
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

/// `SaveToSentItems` → `saveToSentItems`.
fn camel_case(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
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
        let options = ConvertOptions {
            file: Path::new("t.csdl"),
            text: CSDL,
            base_url: "https://api.example.com/v1",
            strip_namespace: Some("ns"),
            camel_case_action_parameters: false,
        };
        convert(&csdl, &options).unwrap()
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
        // Contained navigation is continued wherever it is reached, as Microsoft's converter does.
        assert!(paths.contains(&"/users/{user-id}/groups/{group-id}/owners/{user-id1}"));
        // Collections count, and a navigation property is not followed twice along one path.
        assert!(paths.contains(&"/users/{user-id}/folders/$count"));
        assert!(!paths.iter().any(|p| p.contains("owners/{user-id1}/groups")), "{paths:#?}");
        // A folder's children repeat `folder`: the cycle stops after one level.
        assert!(!paths.iter().any(|p| p.contains("{folder-id1}/children")), "{paths:#?}");

        let item = &doc.paths["/users/{user-id}/folders/{folder-id}/move"];
        assert_eq!(item.parameters.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["user-id", "folder-id"]);
        assert_eq!(item.parameters[1].key_type.as_deref(), Some("folder"));
        let post = item.post.as_ref().unwrap();
        let body = &post.request_body.as_ref().unwrap().content["application/json"].schema.as_ref().unwrap();
        assert!(body.properties.contains_key("destinationId"));
        assert_eq!(post.operation_type.as_deref(), Some("action"));
        // Path parameters are declared on the path item, function arguments too.
        let report = &doc.paths["/users/{user-id}/profile/report(period='{period}')"];
        assert_eq!(report.parameters.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["user-id", "period"]);
        let ok = &report.get.as_ref().unwrap().responses[&crate::openapi::StatusKey("2XX".to_owned())];
        assert!(ok.content.contains_key("application/octet-stream"));
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
