//! OData CSDL 4.0 (`$metadata`), the description Graph's OpenAPI is converted from, read into typed declarations.
//!
//! [`parse`] reads the XML (with `roxmltree`) into a [`Csdl`]: every type and operation under its qualified name,
//! with aliases resolved, `Core.Description` annotations attached, and each declaration's byte offset kept for
//! messages. It then checks what the conversion relies on: every type reference resolves, navigation properties
//! point at entity types, and no `BaseType` chain is a cycle. [`convert`] derives the paths the way Microsoft's
//! converter does for Graph and produces the same [`openapi::Document`](crate::openapi::Document) the OpenAPI
//! reader produces, so both inputs meet in one lowering.

pub mod annotations;
pub mod convert;
pub mod methods;
pub mod paths;
pub mod resolve;

use std::collections::BTreeMap;
use std::path::Path;

use roxmltree::{Node, ParsingOptions};

use crate::error::{Error, LineIndex, Result};
use crate::limits;
pub use annotations::Annotations;

/// The EDM namespace of CSDL 4.0 elements.
const EDM_NS: &str = "http://docs.oasis-open.org/odata/ns/edm";
/// The EDMX namespace of the `Edmx` and `DataServices` wrappers.
const EDMX_NS: &str = "http://docs.oasis-open.org/odata/ns/edmx";

/// A parsed CSDL document.
#[derive(Debug, Default)]
pub struct Csdl {
    /// Schemas in document order.
    pub schemas: Vec<SchemaInfo>,
    /// Entity, complex and enum types by qualified name (e.g. `microsoft.graph.user`).
    pub types: BTreeMap<String, TypeDecl>,
    /// Actions and functions, in document order (overloads share a name).
    pub operations: Vec<OperationDecl>,
    /// The entity container (Graph has one).
    pub container: Option<Container>,
}

/// A `<Schema>`.
#[derive(Debug, Clone)]
pub struct SchemaInfo {
    /// Its namespace, e.g. `microsoft.graph`.
    pub namespace: String,
    /// Its alias, e.g. `graph`.
    pub alias: Option<String>,
}

/// A reference to a type: `Edm.String`, `microsoft.graph.user`, `Collection(microsoft.graph.user)`, aliases
/// resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeName {
    /// Whether it is `Collection(…)`.
    pub collection: bool,
    /// The qualified element type name.
    pub name: String,
}

impl TypeName {
    /// Whether the element type is a primitive (`Edm.*`).
    pub fn is_primitive(&self) -> bool {
        self.name.starts_with("Edm.")
    }
}

/// What kind of type a [`TypeDecl`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeKind {
    /// `<EntityType>`.
    Entity,
    /// `<ComplexType>`.
    Complex,
    /// `<EnumType>`.
    Enum,
}

/// An entity, complex or enum type.
#[derive(Debug, Clone)]
pub struct TypeDecl {
    /// Its qualified name.
    pub name: String,
    /// Its kind.
    pub kind: TypeKind,
    /// `BaseType`, qualified.
    pub base: Option<String>,
    /// `Abstract="true"`.
    pub is_abstract: bool,
    /// `OpenType="true"`.
    pub open: bool,
    /// `<Key>` property names (declared on this type; inherited keys are on the base).
    pub key: Vec<String>,
    /// Structural properties.
    pub properties: Vec<PropertyDecl>,
    /// Navigation properties.
    pub navigation: Vec<NavigationDecl>,
    /// Enum members.
    pub members: Vec<MemberDecl>,
    /// `IsFlags="true"` on an enum.
    pub is_flags: bool,
    /// `HasStream="true"`: the entity is a media entity, its content at `$value`.
    pub has_stream: bool,
    /// `Core.AlternateKeys` (its own, else its nearest base type's): other keys that address one entity, each as
    /// `(alias, property)` parts naming properties the type has.
    pub alternate_keys: Vec<AlternateKey>,
    /// `Core.Description`.
    pub description: Option<String>,
    /// Its vocabulary annotations (inline and targeted).
    pub annotations: Annotations,
    /// Byte offset of the element.
    pub offset: usize,
}

/// An alternate key: `(alias, property)` for each of its parts.
pub type AlternateKey = Vec<(String, String)>;

/// A `<Property>` (or an operation `<Parameter>`).
#[derive(Debug, Clone)]
pub struct PropertyDecl {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: TypeName,
    /// `Nullable` (CSDL's default is `true`).
    pub nullable: bool,
    /// `Core.Description`.
    pub description: Option<String>,
    /// Its vocabulary annotations (inline and targeted).
    pub annotations: Annotations,
    /// Byte offset of the element.
    pub offset: usize,
}

/// A `<NavigationProperty>`.
#[derive(Debug, Clone)]
pub struct NavigationDecl {
    /// Its name.
    pub name: String,
    /// The target entity type (a collection for to-many navigation).
    pub ty: TypeName,
    /// `ContainsTarget="true"`: the targets live under this entity's path.
    pub contains_target: bool,
    /// `Nullable`.
    pub nullable: bool,
    /// `Core.Description`.
    pub description: Option<String>,
    /// Its vocabulary annotations (inline and targeted).
    pub annotations: Annotations,
    /// Byte offset of the element.
    pub offset: usize,
}

/// An enum `<Member>`.
#[derive(Debug, Clone)]
pub struct MemberDecl {
    /// Its name.
    pub name: String,
    /// Its value, when given.
    pub value: Option<i64>,
    /// `Core.Description`.
    pub description: Option<String>,
}

/// Whether an operation is an action or a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    /// `<Action>`: POST, may have side effects.
    Action,
    /// `<Function>`: GET, no side effects.
    Function,
}

/// An `<Action>` or `<Function>`.
#[derive(Debug, Clone)]
pub struct OperationDecl {
    /// Action or function.
    pub kind: OperationKind,
    /// Its namespace.
    pub namespace: String,
    /// Its unqualified name, e.g. `sendMail`.
    pub name: String,
    /// `IsBound="true"`: the first parameter is the binding parameter.
    pub bound: bool,
    /// `IsComposable="true"` (functions).
    pub composable: bool,
    /// Parameters, the binding parameter first when bound.
    pub parameters: Vec<PropertyDecl>,
    /// `<ReturnType>` and whether it is nullable.
    pub returns: Option<(TypeName, bool)>,
    /// `Core.Description`.
    pub description: Option<String>,
    /// Its vocabulary annotations (inline and targeted, by name or by signature).
    pub annotations: Annotations,
    /// Byte offset of the element.
    pub offset: usize,
}

impl OperationDecl {
    /// The binding parameter's type, for a bound operation.
    pub fn binding(&self) -> Option<&TypeName> {
        self.bound.then(|| self.parameters.first().map(|p| &p.ty)).flatten()
    }

    /// The parameters a caller passes (all but the binding parameter).
    pub fn arguments(&self) -> &[PropertyDecl] {
        if self.bound && !self.parameters.is_empty() {
            &self.parameters[1..]
        } else {
            &self.parameters
        }
    }

    /// `namespace.name`.
    pub fn qualified(&self) -> String {
        format!("{}.{}", self.namespace, self.name)
    }
}

/// The `<EntityContainer>`.
#[derive(Debug, Clone, Default)]
pub struct Container {
    /// Its qualified name.
    pub name: String,
    /// Entity sets and singletons, in document order.
    pub sources: Vec<Source>,
    /// Action and function imports: unbound operations reachable from the root.
    pub imports: Vec<Import>,
}

/// An `<EntitySet>` or `<Singleton>`.
#[derive(Debug, Clone)]
pub struct Source {
    /// Its name, the first path segment, e.g. `users`.
    pub name: String,
    /// Its entity type, qualified.
    pub entity_type: String,
    /// `true` for an entity set, `false` for a singleton.
    pub is_set: bool,
    /// `Core.Description`.
    pub description: Option<String>,
    /// Its vocabulary annotations (inline and targeted as `Container/name`).
    pub annotations: Annotations,
    /// Byte offset of the element.
    pub offset: usize,
}

/// An `<ActionImport>` or `<FunctionImport>`.
#[derive(Debug, Clone)]
pub struct Import {
    /// Its name, the path segment.
    pub name: String,
    /// The imported operation, qualified.
    pub operation: String,
    /// Byte offset of the element.
    pub offset: usize,
}

impl Csdl {
    /// A type and its base types, most derived first; stops at a missing type or a repeat (reported by
    /// [`parse`]).
    pub fn lineage<'c>(&'c self, name: &str) -> Vec<&'c TypeDecl> {
        let mut out: Vec<&TypeDecl> = Vec::new();
        let mut next = self.types.get(name);
        while let Some(t) = next {
            if out.iter().any(|seen| seen.name == t.name) {
                break;
            }
            out.push(t);
            next = t.base.as_deref().and_then(|b| self.types.get(b));
        }
        out
    }

    /// Whether `name` is `ancestor` or derives from it.
    pub fn derives_from(&self, name: &str, ancestor: &str) -> bool {
        self.lineage(name).iter().any(|t| t.name == ancestor)
    }

    /// A term annotated on a type or, as OData inherits type annotations, on the nearest base type.
    pub fn type_term(&self, name: &str, term: &str) -> Option<&annotations::Value> {
        self.lineage(name).into_iter().find_map(|t| t.annotations.get(term))
    }

    /// A record-valued term of a type (or a base type).
    pub fn type_record(&self, name: &str, term: &str) -> Option<&annotations::Record> {
        match self.type_term(name, term)? {
            annotations::Value::Record(r) => Some(r),
            _ => None,
        }
    }

    /// The texts of a collection-valued term of a type (or a base type).
    pub fn type_texts(&self, name: &str, term: &str) -> Vec<&str> {
        match self.type_term(name, term) {
            Some(annotations::Value::Collection(items)) => {
                items.iter().filter_map(annotations::Value::as_text).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Whether a value of `ty` is written quoted in a URL (a string or an enum member, not a collection).
    pub fn is_string_like(&self, ty: &TypeName) -> bool {
        !ty.collection
            && (ty.name == "Edm.String" || self.types.get(&ty.name).is_some_and(|t| t.kind == TypeKind::Enum))
    }

    /// Whether the property `name` of `entity` (or of a base type) is string-like.
    pub fn property_is_string(&self, entity: &str, name: &str) -> bool {
        self.lineage(entity)
            .iter()
            .flat_map(|t| &t.properties)
            .find(|p| p.name == name)
            .is_some_and(|p| self.is_string_like(&p.ty))
    }

    /// A qualified name with its namespace's alias, when the schema declares one: `microsoft.graph.user` →
    /// `graph.user`.
    pub fn aliased(&self, name: &str) -> String {
        match name.rsplit_once('.') {
            Some((namespace, local)) => match self.schemas.iter().find(|s| s.namespace == namespace) {
                Some(SchemaInfo { alias: Some(alias), .. }) => format!("{alias}.{local}"),
                _ => name.to_owned(),
            },
            None => name.to_owned(),
        }
    }

    /// The key property names of an entity type (declared on it or inherited).
    pub fn key_of(&self, name: &str) -> Vec<String> {
        self.lineage(name).into_iter().find(|t| !t.key.is_empty()).map(|t| t.key.clone()).unwrap_or_default()
    }
}

/// Counts of what a document declares, for reports and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Entity types.
    pub entity_types: usize,
    /// Complex types.
    pub complex_types: usize,
    /// Enum types.
    pub enum_types: usize,
    /// Actions.
    pub actions: usize,
    /// Functions.
    pub functions: usize,
    /// Entity sets.
    pub entity_sets: usize,
    /// Singletons.
    pub singletons: usize,
}

impl Csdl {
    /// What this document declares.
    pub fn counts(&self) -> Counts {
        let kind = |k: TypeKind| self.types.values().filter(|t| t.kind == k).count();
        let op = |k: OperationKind| self.operations.iter().filter(|o| o.kind == k).count();
        let sources = self.container.as_ref().map_or(&[][..], |c| &c.sources[..]);
        Counts {
            entity_types: kind(TypeKind::Entity),
            complex_types: kind(TypeKind::Complex),
            enum_types: kind(TypeKind::Enum),
            actions: op(OperationKind::Action),
            functions: op(OperationKind::Function),
            entity_sets: sources.iter().filter(|s| s.is_set).count(),
            singletons: sources.iter().filter(|s| !s.is_set).count(),
        }
    }
}

/// Whether `text` looks like XML rather than YAML or JSON.
pub fn looks_like_xml(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').trim_start().starts_with('<')
}

/// Parses and checks a CSDL document; `file` is only used in messages.
///
/// XML nested deeper than [`limits::MAX_XML_DEPTH`] is refused before the XML parser sees it.
pub fn parse(text: &str, file: &Path) -> Result<Csdl> {
    crate::limits::check_xml(text).map_err(|too_deep| Error::Input {
        file: file.to_path_buf(),
        location: LineIndex::new(text).location(too_deep.offset),
        message: too_deep.message,
    })?;
    let options = ParsingOptions { allow_dtd: false, ..ParsingOptions::default() };
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(|e| {
        let pos = e.pos();
        Error::Input {
            file: file.to_path_buf(),
            location: crate::error::Location::LineColumn { line: pos.row as usize, column: pos.col as usize },
            message: format!("invalid XML: {e}"),
        }
    })?;
    let mut reader = Reader { file, lines: LineIndex::new(text), errors: Vec::new(), aliases: BTreeMap::new() };
    let csdl = reader.read(&doc);
    let mut errors = reader.errors;
    if errors.is_empty() {
        reader.errors = Vec::new();
        reader.check(&csdl);
        errors = reader.errors;
    }
    match Error::from_list(errors) {
        Some(e) => Err(e),
        None => {
            let mut csdl = csdl;
            resolve_alternate_keys(&mut csdl);
            Ok(csdl)
        }
    }
}

/// Gives each entity type the alternate keys it has by inheritance, keeping only the parts that name one of its
/// properties (as Microsoft's converter does).
fn resolve_alternate_keys(csdl: &mut Csdl) {
    let resolved: Vec<(String, Vec<AlternateKey>)> = csdl
        .types
        .values()
        .filter(|t| t.kind == TypeKind::Entity)
        .map(|t| {
            let lineage = csdl.lineage(&t.name);
            let declared = lineage.iter().find(|a| !a.alternate_keys.is_empty());
            let exists = |property: &str| lineage.iter().any(|a| a.properties.iter().any(|p| p.name == property));
            let keys = declared
                .iter()
                .flat_map(|a| &a.alternate_keys)
                .map(|parts| parts.iter().filter(|(_, p)| exists(p)).cloned().collect::<Vec<_>>())
                .filter(|parts| !parts.is_empty())
                .collect();
            (t.name.clone(), keys)
        })
        .collect();
    for (name, keys) in resolved {
        if let Some(t) = csdl.types.get_mut(&name) {
            t.alternate_keys = keys;
        }
    }
}

struct Reader<'f, 't> {
    file: &'f Path,
    lines: LineIndex<'t>,
    errors: Vec<Error>,
    /// Alias → namespace.
    aliases: BTreeMap<String, String>,
}

/// `<Property Name="x">` as messages name an element.
fn describe(node: Node<'_, '_>) -> String {
    match node.attribute("Name") {
        Some(name) => format!("<{} Name=\"{name}\">", node.tag_name().name()),
        None => format!("<{}>", node.tag_name().name()),
    }
}

fn is_edm(node: &Node<'_, '_>, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(EDM_NS)
}

fn edm_children<'a, 'i>(node: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(move |c| is_edm(c, name))
}

impl Reader<'_, '_> {
    fn error_at(&mut self, offset: usize, message: String) {
        self.errors.push(Error::Input {
            file: self.file.to_path_buf(),
            location: self.lines.location(offset),
            message,
        });
    }

    fn required<'n>(&mut self, node: Node<'n, '_>, attribute: &str) -> Option<&'n str> {
        let value = node.attribute(attribute);
        if value.is_none_or(str::is_empty) {
            self.error_at(node.range().start, format!("{} has no `{attribute}` attribute", describe(node)));
            return None;
        }
        value
    }

    fn read(&mut self, doc: &roxmltree::Document<'_>) -> Csdl {
        let mut csdl = Csdl::default();
        let root = doc.root_element();
        if root.tag_name().name() != "Edmx" || root.tag_name().namespace() != Some(EDMX_NS) {
            self.error_at(
                root.range().start,
                format!(
                    "expected the CSDL root element <edmx:Edmx> (namespace {EDMX_NS}), found <{}>",
                    root.tag_name().name()
                ),
            );
            return csdl;
        }
        let schemas: Vec<Node<'_, '_>> = root
            .children()
            .filter(|c| c.is_element() && c.tag_name().name() == "DataServices")
            .flat_map(|d| edm_children(d, "Schema"))
            .collect();
        if schemas.is_empty() {
            self.error_at(root.range().start, "expected <edmx:DataServices> with at least one <Schema>".to_owned());
            return csdl;
        }
        // Aliases first: any schema may refer to any other by alias.
        for schema in &schemas {
            let Some(namespace) = self.required(*schema, "Namespace") else { continue };
            let alias = schema.attribute("Alias").map(str::to_owned);
            if let Some(alias) = &alias {
                self.aliases.insert(alias.clone(), namespace.to_owned());
            }
            csdl.schemas.push(SchemaInfo { namespace: namespace.to_owned(), alias });
        }
        // Vocabularies referenced by alias (`<edmx:Include Namespace="Org.OData.Core.V1" Alias="Core"/>`).
        for include in root
            .children()
            .filter(|c| c.is_element() && c.tag_name().name() == "Reference")
            .flat_map(|r| r.children().filter(|c| c.is_element() && c.tag_name().name() == "Include"))
        {
            if let (Some(namespace), Some(alias)) = (include.attribute("Namespace"), include.attribute("Alias")) {
                self.aliases.entry(alias.to_owned()).or_insert_with(|| namespace.to_owned());
            }
        }
        let mut targeted: BTreeMap<String, Annotations> = BTreeMap::new();
        for schema in &schemas {
            for annotations in edm_children(*schema, "Annotations") {
                if let Some(target) = annotations.attribute("Target") {
                    let read = self.annotations(annotations);
                    targeted.entry(self.qualify_target(target)).or_default().fill_from(&read);
                }
            }
        }
        let descriptions = &targeted;
        for schema in &schemas {
            let Some(namespace) = schema.attribute("Namespace").filter(|n| !n.is_empty()) else { continue };
            for node in schema.children().filter(Node::is_element) {
                match node.tag_name().name() {
                    "EntityType" | "ComplexType" | "EnumType" => {
                        if let Some(t) = self.type_decl(node, namespace, descriptions) {
                            if let Some(previous) = csdl.types.get(&t.name) {
                                let line = self.lines.location(previous.offset);
                                self.error_at(
                                    t.offset,
                                    format!("type `{}` is declared twice (first at {line:?})", t.name),
                                );
                            } else {
                                csdl.types.insert(t.name.clone(), t);
                            }
                        }
                    }
                    "Action" | "Function" => {
                        if let Some(op) = self.operation(node, namespace, descriptions) {
                            csdl.operations.push(op);
                        }
                    }
                    "EntityContainer" => {
                        if let Some(container) = self.container(node, namespace, descriptions) {
                            csdl.container = Some(container);
                        }
                    }
                    _ => {}
                }
            }
        }
        csdl
    }

    /// The `<Annotation>` children of `node`, terms with aliases resolved.
    fn annotations(&self, node: Node<'_, '_>) -> Annotations {
        Annotations::read(node, &|term: &str| self.qualify(term))
    }

    /// The inline annotations of `node`, then those targeting `target` (inline ones win).
    fn annotations_of(
        &self,
        node: Node<'_, '_>,
        target: &str,
        targeted: &BTreeMap<String, Annotations>,
    ) -> Annotations {
        let mut annotations = self.annotations(node);
        if let Some(more) = targeted.get(target) {
            annotations.fill_from(more);
        }
        annotations
    }

    /// `graph.user/aboutMe` → `microsoft.graph.user/aboutMe`; `ns.op(graph.user)` likewise inside parentheses.
    fn qualify_target(&self, target: &str) -> String {
        let (head, rest) = match target.find(['/', '(']) {
            Some(i) => target.split_at(i),
            None => (target, ""),
        };
        let rest = match rest.strip_prefix('(') {
            Some(inner) => {
                // The closing parenthesis of the signature: `Collection(…)` arguments nest.
                let mut depth = 0usize;
                let mut args = Vec::new();
                let mut start = 0;
                let mut end = None;
                for (i, c) in inner.char_indices() {
                    match c {
                        '(' => depth += 1,
                        ')' if depth == 0 => {
                            end = Some(i);
                            break;
                        }
                        ')' => depth -= 1,
                        ',' if depth == 0 => {
                            args.push(&inner[start..i]);
                            start = i + 1;
                        }
                        _ => {}
                    }
                }
                match end {
                    Some(end) => {
                        args.push(&inner[start..end]);
                        let args: Vec<String> =
                            args.iter().map(|a| a.trim()).filter(|a| !a.is_empty()).map(|a| self.qualify(a)).collect();
                        format!("({}){}", args.join(","), &inner[end + 1..])
                    }
                    None => rest.to_owned(),
                }
            }
            None => rest.to_owned(),
        };
        format!("{}{rest}", self.qualify(head))
    }

    /// Resolves an alias in a qualified name: `graph.user` → `microsoft.graph.user`.
    fn qualify(&self, name: &str) -> String {
        if let Some(inner) = name.strip_prefix("Collection(").and_then(|n| n.strip_suffix(')')) {
            return format!("Collection({})", self.qualify(inner));
        }
        match name.rsplit_once('.') {
            Some((ns, local)) => match self.aliases.get(ns) {
                Some(namespace) => format!("{namespace}.{local}"),
                None => name.to_owned(),
            },
            None => name.to_owned(),
        }
    }

    fn type_name(&mut self, node: Node<'_, '_>, attribute: &str) -> Option<TypeName> {
        let raw = self.required(node, attribute)?;
        let (collection, inner) = match raw.strip_prefix("Collection(").and_then(|r| r.strip_suffix(')')) {
            Some(inner) => (true, inner.trim()),
            None => (false, raw.trim()),
        };
        if inner.is_empty() || !inner.contains('.') || inner.contains(['(', ')', ' ']) {
            self.error_at(
                node.range().start,
                format!(
                    "{}: `{attribute}=\"{raw}\"` is not a type name (expected `Namespace.Name` or `Collection(Namespace.Name)`)",
                    describe(node)
                ),
            );
            return None;
        }
        Some(TypeName { collection, name: self.qualify(inner) })
    }

    fn type_decl(
        &mut self,
        node: Node<'_, '_>,
        namespace: &str,
        targeted: &BTreeMap<String, Annotations>,
    ) -> Option<TypeDecl> {
        let name = self.required(node, "Name")?;
        let qualified = format!("{namespace}.{name}");
        let kind = match node.tag_name().name() {
            "EntityType" => TypeKind::Entity,
            "ComplexType" => TypeKind::Complex,
            _ => TypeKind::Enum,
        };
        let annotations = self.annotations_of(node, &qualified, targeted);
        let mut decl = TypeDecl {
            name: qualified.clone(),
            kind,
            base: node.attribute("BaseType").map(|b| self.qualify(b)),
            is_abstract: node.attribute("Abstract") == Some("true"),
            open: node.attribute("OpenType") == Some("true"),
            key: Vec::new(),
            properties: Vec::new(),
            navigation: Vec::new(),
            members: Vec::new(),
            is_flags: node.attribute("IsFlags") == Some("true"),
            has_stream: node.attribute("HasStream") == Some("true"),
            alternate_keys: annotations
                .records("Core.AlternateKeys")
                .map(|key| {
                    key.records("Key")
                        .filter_map(|part| {
                            let name = part.text("Name")?;
                            Some((part.text("Alias").unwrap_or(name).to_owned(), name.to_owned()))
                        })
                        .collect::<Vec<_>>()
                })
                .filter(|parts| !parts.is_empty())
                .collect(),
            description: annotations.description(),
            annotations,
            offset: node.range().start,
        };
        for child in node.children().filter(Node::is_element) {
            match child.tag_name().name() {
                "Key" => {
                    for property_ref in edm_children(child, "PropertyRef") {
                        if let Some(n) = self.required(property_ref, "Name") {
                            decl.key.push(n.to_owned());
                        }
                    }
                }
                "Property" => {
                    if let Some(p) = self.property(child, &qualified, targeted) {
                        decl.properties.push(p);
                    }
                }
                "NavigationProperty" => {
                    let (Some(n), Some(ty)) = (self.required(child, "Name"), self.type_name(child, "Type")) else {
                        continue;
                    };
                    let annotations = self.annotations_of(child, &format!("{qualified}/{n}"), targeted);
                    decl.navigation.push(NavigationDecl {
                        name: n.to_owned(),
                        ty,
                        contains_target: child.attribute("ContainsTarget") == Some("true"),
                        nullable: child.attribute("Nullable") != Some("false"),
                        description: annotations.description(),
                        annotations,
                        offset: child.range().start,
                    });
                }
                "Member" => {
                    let Some(n) = self.required(child, "Name") else { continue };
                    let value = match child.attribute("Value") {
                        None => None,
                        Some(v) => match v.trim().parse::<i64>() {
                            Ok(v) => Some(v),
                            Err(_) => {
                                self.error_at(
                                    child.range().start,
                                    format!("{}: `Value=\"{v}\"` is not an integer", describe(child)),
                                );
                                None
                            }
                        },
                    };
                    decl.members.push(MemberDecl {
                        name: n.to_owned(),
                        value,
                        description: self.annotations_of(child, &format!("{qualified}/{n}"), targeted).description(),
                    });
                }
                _ => {}
            }
        }
        Some(decl)
    }

    fn property(
        &mut self,
        node: Node<'_, '_>,
        owner: &str,
        targeted: &BTreeMap<String, Annotations>,
    ) -> Option<PropertyDecl> {
        let name = self.required(node, "Name")?;
        let ty = self.type_name(node, "Type")?;
        let annotations = self.annotations_of(node, &format!("{owner}/{name}"), targeted);
        Some(PropertyDecl {
            name: name.to_owned(),
            ty,
            nullable: node.attribute("Nullable") != Some("false"),
            description: annotations.description(),
            annotations,
            offset: node.range().start,
        })
    }

    fn operation(
        &mut self,
        node: Node<'_, '_>,
        namespace: &str,
        targeted: &BTreeMap<String, Annotations>,
    ) -> Option<OperationDecl> {
        let name = self.required(node, "Name")?;
        let kind = if node.tag_name().name() == "Action" { OperationKind::Action } else { OperationKind::Function };
        let qualified = format!("{namespace}.{name}");
        let mut parameters: Vec<PropertyDecl> = Vec::new();
        for p in edm_children(node, "Parameter") {
            if let Some(p) = self.property(p, &qualified, targeted) {
                parameters.push(p);
            }
        }
        let returns = match edm_children(node, "ReturnType").next() {
            Some(r) => Some((self.type_name(r, "Type")?, r.attribute("Nullable") != Some("false"))),
            None => None,
        };
        let bound = node.attribute("IsBound") == Some("true");
        if bound && parameters.is_empty() {
            self.error_at(node.range().start, format!("{} is bound but has no binding parameter", describe(node)));
            return None;
        }
        let signature = |p: &PropertyDecl| {
            if p.ty.collection {
                format!("Collection({})", p.ty.name)
            } else {
                p.ty.name.clone()
            }
        };
        // An overload is targeted by its binding type, or (for an action) by every parameter type.
        let target = match (bound, parameters.first()) {
            (true, Some(binding)) => format!("{qualified}({})", signature(binding)),
            _ => qualified.clone(),
        };
        let full = format!("{qualified}({})", parameters.iter().map(signature).collect::<Vec<_>>().join(","));
        let mut annotations = self.annotations_of(node, &target, targeted);
        for more in [&full, &qualified] {
            if let Some(more) = targeted.get(more) {
                annotations.fill_from(more);
            }
        }
        // Parameters are annotated as `ns.op(binding type)/name`.
        for p in &mut parameters {
            for owner in [&target, &full, &qualified] {
                if let Some(more) = targeted.get(&format!("{owner}/{}", p.name)) {
                    p.annotations.fill_from(more);
                }
            }
            if p.description.is_none() {
                p.description = p.annotations.description();
            }
        }
        let description = annotations.description();
        Some(OperationDecl {
            kind,
            namespace: namespace.to_owned(),
            name: name.to_owned(),
            bound,
            composable: node.attribute("IsComposable") == Some("true"),
            parameters,
            returns,
            description,
            annotations,
            offset: node.range().start,
        })
    }

    fn container(
        &mut self,
        node: Node<'_, '_>,
        namespace: &str,
        targeted: &BTreeMap<String, Annotations>,
    ) -> Option<Container> {
        let name = self.required(node, "Name")?;
        let qualified = format!("{namespace}.{name}");
        let mut container = Container { name: qualified.clone(), ..Container::default() };
        for child in node.children().filter(Node::is_element) {
            let tag = child.tag_name().name();
            match tag {
                "EntitySet" | "Singleton" => {
                    let attribute = if tag == "EntitySet" { "EntityType" } else { "Type" };
                    let (Some(n), Some(ty)) = (self.required(child, "Name"), self.required(child, attribute)) else {
                        continue;
                    };
                    let annotations = self.annotations_of(child, &format!("{qualified}/{n}"), targeted);
                    container.sources.push(Source {
                        name: n.to_owned(),
                        entity_type: self.qualify(ty),
                        is_set: tag == "EntitySet",
                        description: annotations.description(),
                        annotations,
                        offset: child.range().start,
                    });
                }
                "ActionImport" | "FunctionImport" => {
                    let attribute = if tag == "ActionImport" { "Action" } else { "Function" };
                    let (Some(n), Some(op)) = (self.required(child, "Name"), self.required(child, attribute)) else {
                        continue;
                    };
                    container.imports.push(Import {
                        name: n.to_owned(),
                        operation: self.qualify(op),
                        offset: child.range().start,
                    });
                }
                _ => {}
            }
        }
        Some(container)
    }

    /// Every reference resolves, navigation targets are entity types, base types exist, are of the same kind and
    /// do not form a cycle.
    fn check(&mut self, csdl: &Csdl) {
        let declared = |name: &str| csdl.types.get(name);
        self.check_inheritance(csdl);
        for t in csdl.types.values() {
            if let Some(base) = &t.base {
                match declared(base) {
                    None => self
                        .error_at(t.offset, format!("type `{}` has BaseType `{base}`, which is not declared", t.name)),
                    Some(b) if b.kind != t.kind => self.error_at(
                        t.offset,
                        format!("type `{}` has BaseType `{base}`, which is not a type of the same kind", t.name),
                    ),
                    Some(_) => {}
                }
            }
            for p in &t.properties {
                self.check_reference(csdl, &p.ty, p.offset, &format!("property `{}` of `{}`", p.name, t.name));
            }
            for n in &t.navigation {
                match declared(&n.ty.name) {
                    Some(target) if target.kind == TypeKind::Entity => {}
                    Some(_) => self.error_at(
                        n.offset,
                        format!(
                            "navigation property `{}` of `{}` has type `{}`, which is not an entity type",
                            n.name, t.name, n.ty.name
                        ),
                    ),
                    None => self.error_at(
                        n.offset,
                        format!(
                            "navigation property `{}` of `{}` refers to `{}`, which is not declared",
                            n.name, t.name, n.ty.name
                        ),
                    ),
                }
            }
        }
        for op in &csdl.operations {
            for p in &op.parameters {
                self.check_reference(csdl, &p.ty, p.offset, &format!("parameter `{}` of `{}`", p.name, op.qualified()));
            }
            if let Some((ty, _)) = &op.returns {
                self.check_reference(csdl, ty, op.offset, &format!("the return type of `{}`", op.qualified()));
            }
        }
        if let Some(container) = &csdl.container {
            for s in &container.sources {
                match declared(&s.entity_type) {
                    Some(t) if t.kind == TypeKind::Entity => {}
                    _ => self.error_at(
                        s.offset,
                        format!("`{}` has type `{}`, which is not a declared entity type", s.name, s.entity_type),
                    ),
                }
            }
            let unbound: std::collections::BTreeSet<String> =
                csdl.operations.iter().filter(|o| !o.bound).map(OperationDecl::qualified).collect();
            for i in &container.imports {
                if !unbound.contains(&i.operation) {
                    self.error_at(
                        i.offset,
                        format!(
                            "import `{}` refers to `{}`, which is not a declared unbound operation",
                            i.name, i.operation
                        ),
                    );
                }
            }
        }
    }

    /// No `BaseType` chain loops (each cycle reported once, at its first type in the document) or is longer than
    /// [`limits::MAX_INHERITANCE_DEPTH`] types; in time linear in the types.
    fn check_inheritance(&mut self, csdl: &Csdl) {
        let mut types: Vec<&TypeDecl> = csdl.types.values().collect();
        types.sort_by_key(|t| t.offset);
        let index: BTreeMap<&str, usize> = types.iter().enumerate().map(|(i, t)| (t.name.as_str(), i)).collect();
        let bases: Vec<Vec<usize>> =
            types.iter().map(|t| t.base.as_deref().and_then(|b| index.get(b)).copied().into_iter().collect()).collect();
        for problem in limits::inheritance_problems(&bases, limits::MAX_INHERITANCE_DEPTH) {
            let message = problem.message(&|i| types[i].name.clone(), "BaseType");
            self.error_at(types[problem.at()].offset, message);
        }
    }

    fn check_reference(&mut self, csdl: &Csdl, ty: &TypeName, offset: usize, what: &str) {
        if ty.is_primitive() {
            if !is_known_primitive(&ty.name) {
                self.error_at(offset, format!("{what} has type `{}`, which is not an Edm primitive type", ty.name));
            }
        } else if !csdl.types.contains_key(&ty.name) {
            self.error_at(offset, format!("{what} refers to type `{}`, which is not declared", ty.name));
        }
    }
}

/// The primitive types of CSDL 4.0 (and the abstract ones Graph uses).
pub const PRIMITIVES: &[&str] = &[
    "Edm.Binary",
    "Edm.Boolean",
    "Edm.Byte",
    "Edm.Date",
    "Edm.DateTimeOffset",
    "Edm.Decimal",
    "Edm.Double",
    "Edm.Duration",
    "Edm.Guid",
    "Edm.Int16",
    "Edm.Int32",
    "Edm.Int64",
    "Edm.SByte",
    "Edm.Single",
    "Edm.Stream",
    "Edm.String",
    "Edm.TimeOfDay",
    "Edm.Geography",
    "Edm.GeographyPoint",
    "Edm.Geometry",
    "Edm.GeometryPoint",
    "Edm.PrimitiveType",
    "Edm.Untyped",
    "Edm.ComplexType",
    "Edm.EntityType",
];

fn is_known_primitive(name: &str) -> bool {
    PRIMITIVES.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edmx(schema: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?>\n<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"{EDMX_NS}\"><edmx:DataServices>\n\
             <Schema Namespace=\"ns.one\" Alias=\"one\" xmlns=\"{EDM_NS}\">\n{schema}\n</Schema>\
             </edmx:DataServices></edmx:Edmx>"
        )
    }

    fn parse_str(text: &str) -> Result<Csdl> {
        parse(text, Path::new("m.csdl"))
    }

    #[test]
    fn aliases_descriptions_and_keys() {
        let csdl = parse_str(&edmx(
            r#"<EntityType Name="entity" Abstract="true"><Key><PropertyRef Name="id"/></Key>
                 <Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
               <EntityType Name="widget" BaseType="one.entity">
                 <Property Name="size" Type="Edm.Int32"/>
                 <NavigationProperty Name="parts" Type="Collection(one.widget)" ContainsTarget="true"/></EntityType>
               <Action Name="spin" IsBound="true"><Parameter Name="bindingParameter" Type="one.widget"/>
                 <Parameter Name="speed" Type="Edm.Double"/></Action>
               <EntityContainer Name="Service"><EntitySet Name="widgets" EntityType="ns.one.widget"/></EntityContainer>
               <Annotations Target="one.widget/size"><Annotation Term="Org.OData.Core.V1.Description" String="How big."/></Annotations>
               <Annotations Target="one.spin(one.widget)"><Annotation Term="Org.OData.Core.V1.Description" String="Spins."/></Annotations>"#,
        ))
        .unwrap();
        let widget = &csdl.types["ns.one.widget"];
        assert_eq!(widget.base.as_deref(), Some("ns.one.entity"));
        assert_eq!(widget.properties[0].description.as_deref(), Some("How big."));
        assert_eq!(widget.navigation[0].ty, TypeName { collection: true, name: "ns.one.widget".into() });
        assert_eq!(csdl.key_of("ns.one.widget"), ["id"]);
        assert_eq!(csdl.operations[0].description.as_deref(), Some("Spins."));
        assert_eq!(csdl.operations[0].binding().map(|b| b.name.as_str()), Some("ns.one.widget"));
        assert_eq!(csdl.counts().entity_sets, 1);
    }

    #[test]
    fn problems_are_located() {
        let text = edmx(
            r#"<EntityType Name="a" BaseType="one.b"/>
<EntityType Name="b" BaseType="one.a"/>
<ComplexType Name="c"><Property Name="x" Type="one.nope"/></ComplexType>
<EntityType Name="d"><NavigationProperty Name="n" Type="one.missing"/></EntityType>"#,
        );
        let message = parse_str(&text).unwrap_err().to_string();
        assert!(
            message.contains(
                "m.csdl:4:1: the BaseType chain of `ns.one.a` loops back to it through 2 types: `ns.one.a` → `ns.one.b`, \
                 then `ns.one.a` again"
            ),
            "{message}"
        );
        assert_eq!(message.matches("loops").count(), 1, "{message}");
        assert!(message.contains("m.csdl:6:23: property `x` of `ns.one.c` refers to type `ns.one.nope`"), "{message}");
        assert!(
            message.contains("m.csdl:7:22: navigation property `n` of `ns.one.d` refers to `ns.one.missing`"),
            "{message}"
        );
    }

    #[test]
    fn malformed_xml_is_located() {
        let message = parse_str("<edmx:Edmx>\n  <oops>\n</edmx:Edmx>").unwrap_err().to_string();
        assert!(message.starts_with("m.csdl:1:"), "{message}");
        assert!(message.contains("invalid XML"), "{message}");
        let message = parse_str("<?xml version=\"1.0\"?>\n<root/>").unwrap_err().to_string();
        assert!(message.contains("m.csdl:2:1: expected the CSDL root element <edmx:Edmx>"), "{message}");
    }
}
