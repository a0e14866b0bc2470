//! Which URL paths an OData service has, derived from its CSDL by the rules of Microsoft's converter
//! (OpenAPI.OData's path provider) with the settings Microsoft converts Graph with: key as segment, `$count` paths,
//! alternate keys, type-cast segments where a `Validation.DerivedTypeConstraint` lists the types, media `$value` and
//! stream properties, `$ref` for referenceable navigation, complex properties that `Capabilities` restrictions
//! describe, bound operations on every path of their binding type, and composable functions continued by one
//! navigation step. `Capabilities.NavigationRestrictions` and `IndexableByKey` decide which navigation paths exist;
//! [`methods`](super::methods) decides which HTTP methods each path has.
//!
//! Only the CSDL is read: no list of paths is an input. The walk is bounded (see [`Limits`]), so a description whose
//! containment multiplies paths without end fails with a located message instead of exhausting memory.

use std::collections::{BTreeMap, BTreeSet};

use super::annotations::Record;
use super::{Csdl, Import, NavigationDecl, OperationDecl, OperationKind, PropertyDecl, Source, TypeDecl, TypeKind};

/// One segment of a path.
#[derive(Debug, Clone, Copy)]
pub enum Segment<'c> {
    /// An entity set or a singleton: the first segment.
    Source(&'c Source),
    /// `{user-id}`, or an alternate key `(appId='{appId}')` (its aliases and properties).
    Key {
        /// The entity type the key selects.
        entity: &'c TypeDecl,
        /// For an alternate key, `(alias, property)` of each part; `None` for the entity's own key.
        alternate: Option<&'c [(String, String)]>,
    },
    /// A navigation property, and the type that declares it.
    Navigation(&'c NavigationDecl, &'c TypeDecl),
    /// A type-cast segment to a derived type (`graph.user`).
    Cast(&'c TypeDecl),
    /// A structural property of complex type, and the type that declares it.
    Complex(&'c PropertyDecl, &'c TypeDecl),
    /// A stream property (`content`).
    StreamProperty(&'c PropertyDecl),
    /// `$value`: a media entity's content.
    Value,
    /// `$count`.
    Count,
    /// `$ref`.
    Ref,
    /// A bound action or function.
    Operation(&'c OperationDecl),
    /// An action or function import.
    Import(&'c Import, &'c OperationDecl),
}

impl<'c> Segment<'c> {
    /// What OData calls the segment's identifier: the name annotation target paths use.
    pub fn identifier(&self) -> String {
        match self {
            Segment::Source(s) => s.name.clone(),
            Segment::Key { entity: _, alternate: Some(parts) } => {
                parts.iter().map(|(_, p)| p.as_str()).collect::<Vec<_>>().join(",")
            }
            Segment::Key { .. } => "key".to_owned(),
            Segment::Navigation(n, _) => n.name.clone(),
            Segment::Cast(t) => t.name.clone(),
            Segment::Complex(p, _) | Segment::StreamProperty(p) => p.name.clone(),
            Segment::Value => "$value".to_owned(),
            Segment::Count => "$count".to_owned(),
            Segment::Ref => "$ref".to_owned(),
            Segment::Operation(op) => op.name.clone(),
            Segment::Import(i, _) => i.name.clone(),
        }
    }

    fn is_key(&self) -> bool {
        matches!(self, Segment::Key { .. })
    }

    fn is_alternate_key(&self) -> bool {
        matches!(self, Segment::Key { alternate: Some(_), .. })
    }
}

/// What a path addresses, from its segments (OpenAPI.OData's path kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `/users`.
    EntitySet,
    /// `/users/{user-id}`.
    Entity,
    /// `/me`.
    Singleton,
    /// Ends in a navigation property, or a key below one.
    NavigationProperty,
    /// Contains `$ref`.
    Ref,
    /// Ends in `$count`.
    DollarCount,
    /// Ends in a type cast.
    TypeCast,
    /// Ends in a complex property.
    ComplexProperty,
    /// Contains `$value` or a stream property.
    MediaEntity,
    /// Ends in a bound operation.
    Operation,
    /// An operation import.
    OperationImport,
    /// None of these.
    Unknown,
}

/// A path: its segments from the service root.
#[derive(Debug, Clone, Default)]
pub struct Path<'c> {
    /// The segments.
    pub segments: Vec<Segment<'c>>,
}

impl<'c> Path<'c> {
    fn new(first: Segment<'c>) -> Self {
        Path { segments: vec![first] }
    }

    fn with(&self, segment: Segment<'c>) -> Self {
        let mut path = self.clone();
        path.segments.push(segment);
        path
    }

    /// The last segment.
    pub fn last(&self) -> Option<&Segment<'c>> {
        self.segments.last()
    }

    /// The segment before the last.
    pub fn second_last(&self) -> Option<&Segment<'c>> {
        self.segments.len().checked_sub(2).map(|i| &self.segments[i])
    }

    /// The entity set or singleton the path starts at.
    pub fn source(&self) -> Option<&'c Source> {
        match self.segments.first() {
            Some(Segment::Source(s)) => Some(s),
            _ => None,
        }
    }

    /// The last navigation property segment.
    pub fn last_navigation(&self) -> Option<(&'c NavigationDecl, &'c TypeDecl)> {
        self.segments.iter().rev().find_map(|s| match s {
            Segment::Navigation(n, t) => Some((*n, *t)),
            _ => None,
        })
    }

    /// The URL template as Microsoft's converter writes it, with its parameters: keys as segments named
    /// `{type-id}` (numbered when a name repeats), alternate keys and function arguments in parentheses (strings and
    /// enum members quoted; an optional argument as the alias `@name`, whose value goes in the query), casts with
    /// the namespace's alias, and the stripped namespace dropped from operations.
    pub fn render(&self, csdl: &Csdl, strip_namespace: Option<&str>) -> Rendered<'c> {
        let mut rendered = Rendered { template: String::new(), parameters: Vec::new(), aliases: Vec::new() };
        let mut names: Vec<String> = Vec::new();
        let mut unique = |name: String| -> String {
            let mut candidate = name.clone();
            let mut n = 1;
            while names.contains(&candidate) {
                candidate = format!("{name}{n}");
                n += 1;
            }
            names.push(candidate.clone());
            candidate
        };
        let out = &mut rendered.template;
        for segment in &self.segments {
            match segment {
                Segment::Key { entity, alternate: None } => {
                    let key = csdl.key_of(&entity.name);
                    match &key[..] {
                        [single] => {
                            let name = unique(format!("{}-{single}", local(&entity.name)));
                            out.push_str(&format!("/{{{name}}}"));
                            rendered.parameters.push(PathParameter::Key { name, entity, property: single.clone() });
                        }
                        parts => {
                            let mut written = Vec::new();
                            for p in parts {
                                let quote = if csdl.property_is_string(&entity.name, p) { "'" } else { "" };
                                let name = unique(p.clone());
                                written.push(format!("{p}={quote}{{{name}}}{quote}"));
                                rendered.parameters.push(PathParameter::Key { name, entity, property: p.clone() });
                            }
                            out.push('/');
                            out.push_str(&written.join(","));
                        }
                    }
                }
                Segment::Key { entity, alternate: Some(parts) } => {
                    let mut written = Vec::new();
                    for (alias, p) in parts.iter() {
                        let name = unique(p.clone());
                        written.push(format!("{alias}='{{{name}}}'"));
                        rendered.parameters.push(PathParameter::Key { name, entity, property: p.clone() });
                    }
                    out.push('(');
                    out.push_str(&written.join(","));
                    out.push(')');
                }
                Segment::Cast(t) => {
                    out.push('/');
                    out.push_str(&csdl.aliased(&t.name));
                }
                Segment::Operation(op) | Segment::Import(_, op) => {
                    out.push('/');
                    match segment {
                        Segment::Import(import, _) => out.push_str(&import.name),
                        _ if strip_namespace == Some(op.namespace.as_str()) => out.push_str(&op.name),
                        _ => out.push_str(&op.qualified()),
                    }
                    if op.kind == OperationKind::Function {
                        let mut written = Vec::new();
                        for p in op.arguments() {
                            let quote = if csdl.is_string_like(&p.ty) { "'" } else { "" };
                            let name = unique(p.name.clone());
                            if p.annotations.has("Core.OptionalParameter") {
                                written.push(format!("{}={quote}@{name}{quote}", p.name));
                                rendered.aliases.push((name, p));
                            } else {
                                written.push(format!("{}={quote}{{{name}}}{quote}", p.name));
                                rendered.parameters.push(PathParameter::Argument { name, parameter: p });
                            }
                        }
                        out.push('(');
                        out.push_str(&written.join(","));
                        out.push(')');
                    }
                }
                other => {
                    out.push('/');
                    out.push_str(&other.identifier());
                }
            }
        }
        rendered
    }

    /// What the path addresses.
    pub fn kind(&self) -> Kind {
        let any = |f: fn(&Segment<'_>) -> bool| self.segments.iter().any(f);
        match (self.segments.len(), self.last()) {
            (_, None) => Kind::Unknown,
            (_, Some(Segment::Count)) => Kind::DollarCount,
            (_, Some(Segment::Cast(_))) => Kind::TypeCast,
            (_, Some(Segment::Complex(..))) => Kind::ComplexProperty,
            _ if any(|s| matches!(s, Segment::StreamProperty(_) | Segment::Value)) => Kind::MediaEntity,
            _ if any(|s| matches!(s, Segment::Ref)) => Kind::Ref,
            _ if any(|s| matches!(s, Segment::Import(..))) => Kind::OperationImport,
            (_, Some(Segment::Operation(_))) => Kind::Operation,
            _ if any(|s| matches!(s, Segment::Navigation(..))) => Kind::NavigationProperty,
            (1, Some(Segment::Source(s))) => {
                if s.is_set {
                    Kind::EntitySet
                } else {
                    Kind::Singleton
                }
            }
            (2, Some(Segment::Key { .. })) => Kind::Entity,
            _ => Kind::Unknown,
        }
    }

    /// The annotation target path: the container, then each segment's identifier but keys (and a final `$ref`,
    /// `$count` or `$value`), e.g. `microsoft.graph.GraphService/users/manager`.
    pub fn target_path(&self, container: &str) -> String {
        let skip_last = matches!(self.last(), Some(Segment::Ref | Segment::Count | Segment::Value));
        let n = self.segments.len();
        let mut target = container.to_owned();
        for (i, s) in self.segments.iter().enumerate() {
            if s.is_key() || (skip_last && i + 1 == n) {
                continue;
            }
            target.push('/');
            target.push_str(&s.identifier());
        }
        target
    }

    /// The navigation properties along the path, joined by `/` (and `name` after them, as OpenAPI.OData writes it,
    /// with a `/` even when there is none before).
    pub fn navigation_path(&self, name: Option<&str>) -> String {
        let value: Vec<&str> = self
            .segments
            .iter()
            .filter_map(|s| match s {
                Segment::Navigation(n, _) => Some(n.name.as_str()),
                _ => None,
            })
            .collect();
        let value = value.join("/");
        match name {
            Some(name) => format!("{value}/{name}"),
            None => value,
        }
    }
}

/// A path's URL template and the parameters in it.
#[derive(Debug, Clone)]
pub struct Rendered<'c> {
    /// The template, e.g. `/users/{user-id}/calendarView`.
    pub template: String,
    /// The `{…}` parameters, in order.
    pub parameters: Vec<PathParameter<'c>>,
    /// Optional function arguments written as an alias (`@name`): their values go in the query as `@name=…`.
    pub aliases: Vec<(String, &'c PropertyDecl)>,
}

/// A `{…}` parameter of a template.
#[derive(Debug, Clone)]
pub enum PathParameter<'c> {
    /// A key property of an entity (its own key or an alternate one).
    Key {
        /// The name in the template, e.g. `user-id`.
        name: String,
        /// The entity type.
        entity: &'c TypeDecl,
        /// The key property.
        property: String,
    },
    /// A function argument.
    Argument {
        /// The name in the template.
        name: String,
        /// The parameter.
        parameter: &'c PropertyDecl,
    },
}

impl PathParameter<'_> {
    /// The name in the template.
    pub fn name(&self) -> &str {
        match self {
            PathParameter::Key { name, .. } | PathParameter::Argument { name, .. } => name,
        }
    }
}

/// The bounds of the walk.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The most paths a description may derive.
    pub max_paths: usize,
    /// The most segments one path may have.
    pub max_segments: usize,
}

impl Default for Limits {
    fn default() -> Self {
        // Graph derives about 20,000 paths with at most 16 segments.
        Limits { max_paths: 400_000, max_segments: 64 }
    }
}

/// A description that derives more paths than [`Limits`] allow: where the walk stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooMany {
    /// The byte offset of the element whose paths went over the limit.
    pub offset: usize,
    /// What went over.
    pub message: String,
}

/// The converter's settings that decide which paths exist (Microsoft's values for Graph by default).
#[derive(Debug, Clone)]
pub struct Settings {
    /// The namespace dropped from operation segments, e.g. `microsoft.graph`.
    pub strip_namespace: Option<String>,
    /// Bounds of the walk.
    pub limits: Limits,
}

/// Every path of `csdl`, in a stable order (by template), each once.
pub fn derive<'c>(csdl: &'c Csdl, settings: &Settings) -> Result<Vec<Path<'c>>, TooMany> {
    let Some(container) = &csdl.container else { return Ok(Vec::new()) };
    let mut provider = Provider::new(csdl, settings);
    for source in container.sources.iter().filter(|s| s.is_set) {
        provider.navigation_source(source)?;
    }
    for source in container.sources.iter().filter(|s| !s.is_set) {
        provider.navigation_source(source)?;
    }
    provider.bound_operations()?;
    // The first unbound overload of each name, looked up once per import.
    let mut unbound: BTreeMap<String, &'c OperationDecl> = BTreeMap::new();
    for op in csdl.operations.iter().filter(|o| !o.bound) {
        unbound.entry(op.qualified()).or_insert(op);
    }
    for import in &container.imports {
        if let Some(&op) = unbound.get(&import.operation) {
            provider.append(Path::new(Segment::Import(import, op)))?;
        }
    }
    let Provider { source_paths, navigation_paths, operation_paths, .. } = provider;
    // A collection with a bound `count()` function has no `$count` segment beside it.
    let prefix =
        |p: &Path<'c>| Path { segments: p.segments[..p.segments.len() - 1].to_vec() }.render(csdl, None).template;
    let counted: BTreeSet<String> = operation_paths
        .iter()
        .filter(|p| matches!(p.last(), Some(Segment::Operation(op)) if op.name.eq_ignore_ascii_case("count")))
        .map(prefix)
        .collect();
    let mut all: Vec<Path<'c>> = source_paths
        .into_values()
        .flatten()
        .filter(|p| !(matches!(p.last(), Some(Segment::Count)) && counted.contains(&prefix(p))))
        .collect();
    all.extend(navigation_paths.into_values().flatten());
    all.extend(operation_paths);
    Ok(all)
}

struct Provider<'c, 's> {
    csdl: &'c Csdl,
    settings: &'s Settings,
    container: String,
    /// Paths starting at an entity set or singleton (entity sets, entities, casts, counts, media, complex
    /// properties), by the source's entity type.
    source_paths: BTreeMap<&'c str, Vec<Path<'c>>>,
    /// Paths through navigation properties (and their `$ref`s), by the last navigation property's target type.
    navigation_paths: BTreeMap<&'c str, Vec<Path<'c>>>,
    /// Paths ending in an operation.
    operation_paths: Vec<Path<'c>>,
    /// Each type's direct subtypes.
    subtypes: BTreeMap<&'c str, Vec<&'c TypeDecl>>,
    count: usize,
    /// The complex types from which navigation properties can be reached through complex properties (their own or
    /// a nested one's); no other is walked into.
    lead_to_navigation: BTreeSet<&'c str>,
}

/// The complex types with navigation properties (declared or inherited), and those whose own complex properties lead
/// to one, at any depth: what [`Provider::traverse_complex`] may find something in. Without it, a description whose
/// complex types each have two properties of the next would be walked down every one of the exponentially many
/// ways, though none ends anywhere.
fn lead_to_navigation(csdl: &Csdl) -> BTreeSet<&str> {
    let complex = |name: &str| csdl.types.get(name).filter(|t| t.kind == TypeKind::Complex);
    // Which complex types have a property of each complex type.
    let mut holders: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut found = Vec::new();
    for t in csdl.types.values().filter(|t| t.kind == TypeKind::Complex) {
        for p in &t.properties {
            if let Some(inner) = complex(&p.ty.name) {
                holders.entry(inner.name.as_str()).or_default().push(&t.name);
            }
        }
        if csdl.lineage(&t.name).iter().any(|a| !a.navigation.is_empty()) {
            found.push(t.name.as_str());
        }
    }
    let mut leads: BTreeSet<&str> = found.iter().copied().collect();
    while let Some(name) = found.pop() {
        for &holder in holders.get(name).into_iter().flatten() {
            if leads.insert(holder) {
                found.push(holder);
            }
        }
    }
    leads
}

/// Whether navigation is allowed by the restrictions of a source or a property (`restrictions`) and by the
/// restricted property's own entry (`restriction`), which wins when it says anything.
pub(super) fn navigable(restrictions: Option<&Record>, restriction: Option<&Record>) -> bool {
    if let Some(r) = restriction {
        if r.has("Navigability") {
            return !r.has_member("Navigability", "None");
        }
    }
    restrictions.is_none_or(|r| !r.has_member("Navigability", "None"))
}

impl<'c, 's> Provider<'c, 's> {
    fn new(csdl: &'c Csdl, settings: &'s Settings) -> Self {
        let mut subtypes: BTreeMap<&str, Vec<&TypeDecl>> = BTreeMap::new();
        for t in csdl.types.values() {
            if let Some(base) = &t.base {
                subtypes.entry(base.as_str()).or_default().push(t);
            }
        }
        let container = csdl.container.as_ref();
        Provider {
            csdl,
            settings,
            container: container.map(|c| c.name.clone()).unwrap_or_default(),
            source_paths: BTreeMap::new(),
            navigation_paths: BTreeMap::new(),
            operation_paths: Vec::new(),
            subtypes,
            count: 0,
            lead_to_navigation: lead_to_navigation(csdl),
        }
    }

    fn ty(&self, name: &str) -> Option<&'c TypeDecl> {
        self.csdl.types.get(name)
    }

    /// Every type deriving from `name`, at any depth.
    fn derived(&self, name: &str) -> Vec<&'c TypeDecl> {
        let mut out = Vec::new();
        let mut stack = vec![name];
        let mut seen = std::collections::BTreeSet::new();
        while let Some(n) = stack.pop() {
            for t in self.subtypes.get(n).into_iter().flatten() {
                if seen.insert(t.name.as_str()) {
                    out.push(*t);
                    stack.push(&t.name);
                }
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// The navigation properties of a type, inherited ones first, each with its declaring type.
    fn navigation_of(&self, name: &str) -> Vec<(&'c NavigationDecl, &'c TypeDecl)> {
        let mut lineage = self.csdl.lineage(name);
        lineage.reverse();
        lineage.into_iter().flat_map(|t| t.navigation.iter().map(move |n| (n, t))).collect()
    }

    /// The structural properties of a type, inherited ones first, each with its declaring type.
    fn properties_of(&self, name: &str) -> Vec<(&'c PropertyDecl, &'c TypeDecl)> {
        let mut lineage = self.csdl.lineage(name);
        lineage.reverse();
        lineage.into_iter().flat_map(|t| t.properties.iter().map(move |p| (p, t))).collect()
    }

    /// A term of the annotations on the path's target (in Graph's metadata only an entity set or singleton is
    /// targeted by path).
    fn target_record(&self, path: &Path<'c>, term: &str) -> Option<&'c Record> {
        let target = path.target_path(&self.container);
        let rest = target.strip_prefix(&self.container)?.strip_prefix('/')?;
        if rest.contains('/') {
            return None;
        }
        path.source().filter(|s| s.name == rest).and_then(|s| s.annotations.record(term))
    }

    /// A term on an entity set or singleton, else on its entity type.
    fn source_record(&self, source: &'c Source, term: &str) -> Option<&'c Record> {
        source.annotations.record(term).or_else(|| self.csdl.type_record(&source.entity_type, term))
    }

    fn source_texts(&self, source: &'c Source, term: &str) -> Vec<&'c str> {
        if source.annotations.has(term) {
            return source.annotations.texts(term);
        }
        self.csdl.type_texts(&source.entity_type, term)
    }

    fn offset_of(path: &Path<'c>) -> usize {
        path.segments
            .iter()
            .rev()
            .find_map(|s| match s {
                Segment::Navigation(n, _) => Some(n.offset),
                Segment::Source(s) => Some(s.offset),
                Segment::Operation(op) | Segment::Import(_, op) => Some(op.offset),
                Segment::Cast(t) | Segment::Key { entity: t, .. } => Some(t.offset),
                Segment::Complex(p, _) | Segment::StreamProperty(p) => Some(p.offset),
                _ => None,
            })
            .unwrap_or(0)
    }

    /// Records a path under the map its kind belongs to.
    fn append(&mut self, path: Path<'c>) -> Result<(), TooMany> {
        self.count += 1;
        if self.count > self.settings.limits.max_paths {
            return Err(TooMany {
                offset: Self::offset_of(&path),
                message: format!(
                    "the description derives more than {} paths (containment that repeats without end?); \
                     Microsoft converts Graph from its preprocessed cleanMetadata.xml",
                    self.settings.limits.max_paths
                ),
            });
        }
        if path.segments.len() > self.settings.limits.max_segments {
            return Err(TooMany {
                offset: Self::offset_of(&path),
                message: format!(
                    "a derived path has more than {} segments (containment nested too deeply)",
                    self.settings.limits.max_segments
                ),
            });
        }
        match path.kind() {
            Kind::ComplexProperty
            | Kind::TypeCast
            | Kind::DollarCount
            | Kind::Entity
            | Kind::EntitySet
            | Kind::Singleton
            | Kind::MediaEntity => {
                if let Some(source) = path.source() {
                    self.source_paths.entry(source.entity_type.as_str()).or_default().push(path);
                }
            }
            Kind::NavigationProperty | Kind::Ref => {
                if let Some((n, _)) = path.last_navigation() {
                    self.navigation_paths.entry(n.ty.name.as_str()).or_default().push(path);
                }
            }
            Kind::Operation | Kind::OperationImport => self.operation_paths.push(path),
            Kind::Unknown => {}
        }
        Ok(())
    }

    fn navigation_source(&mut self, source: &'c Source) -> Result<(), TooMany> {
        let Some(entity) = self.ty(&source.entity_type) else { return Ok(()) };
        let mut path = Path::new(Segment::Source(source));
        self.append(path.clone())?;
        let mut count = None;
        if source.is_set {
            count = self
                .target_record(&path, "Capabilities.CountRestrictions")
                .or_else(|| self.source_record(source, "Capabilities.CountRestrictions"));
            if count.is_none_or(|c| c.bool("Countable") != Some(false)) {
                self.append(path.with(Segment::Count))?;
            }
            self.casts(&path, entity, Some(source), None, true)?;
            self.alternate_keys(&path, entity)?;
            let indexable = source
                .annotations
                .bool("Capabilities.IndexableByKey")
                .or_else(|| self.csdl.type_term(&entity.name, "Capabilities.IndexableByKey").and_then(|v| v.as_bool()));
            if indexable == Some(false) {
                return self.entity_paths(&mut path, entity, count);
            }
            path.segments.push(Segment::Key { entity, alternate: None });
            self.append(path.clone())?;
            self.casts(&path, entity, Some(source), None, false)?;
        } else {
            self.casts(&path, entity, Some(source), None, false)?;
        }
        self.entity_paths(&mut path, entity, count)
    }

    /// Media, complex-property and navigation paths below one entity.
    fn entity_paths(
        &mut self,
        path: &mut Path<'c>,
        entity: &'c TypeDecl,
        count: Option<&'c Record>,
    ) -> Result<(), TooMany> {
        self.media(path, entity)?;
        self.complex_properties(path, entity)?;
        for (n, declaring) in self.navigation_of(&entity.name) {
            self.navigation(n, declaring, count, path, &mut Vec::new())?;
        }
        Ok(())
    }

    /// `/content` for each stream property; `$value` for a media entity without a `content` property.
    fn media(&mut self, path: &Path<'c>, entity: &'c TypeDecl) -> Result<(), TooMany> {
        let mut value = true;
        for (p, _) in self.properties_of(&entity.name) {
            if p.ty.name == "Edm.Stream" && !p.ty.collection {
                self.append(path.with(Segment::StreamProperty(p)))?;
            }
            if p.name.eq_ignore_ascii_case("content") {
                value = false;
            }
        }
        let base_has_stream = entity.base.as_deref().and_then(|b| self.ty(b)).is_some_and(|b| b.has_stream);
        if value && (entity.has_stream || base_has_stream) {
            self.append(path.with(Segment::Value))?;
        }
        Ok(())
    }

    /// Paths of complex-typed properties that restrictions annotations describe (read, update or insert).
    fn complex_properties(&mut self, path: &mut Path<'c>, entity: &'c TypeDecl) -> Result<(), TooMany> {
        for (p, declaring) in self.properties_of(&entity.name) {
            let Some(complex) = self.ty(&p.ty.name).filter(|t| t.kind == TypeKind::Complex) else { continue };
            path.segments.push(Segment::Complex(p, declaring));
            let described = [
                ("Capabilities.ReadRestrictions", "Readable"),
                ("Capabilities.UpdateRestrictions", "Updatable"),
                ("Capabilities.InsertRestrictions", "Insertable"),
            ]
            .iter()
            .any(|(term, property)| {
                self.target_record(path, term).or_else(|| p.annotations.record(term)).and_then(|r| r.bool(property))
                    == Some(true)
            });
            if !described {
                path.segments.pop();
                continue;
            }
            self.append(path.clone())?;
            if p.ty.collection {
                self.casts(path, complex, None, Some(&p.annotations), true)?;
                let countable = self
                    .target_record(path, "Capabilities.CountRestrictions")
                    .or_else(|| p.annotations.record("Capabilities.CountRestrictions"))
                    .and_then(|c| c.bool("Countable"))
                    .unwrap_or(true);
                if countable {
                    self.append(path.with(Segment::Count))?;
                }
            } else {
                self.casts(path, complex, None, Some(&p.annotations), false)?;
                self.complex_navigation(complex, path)?;
                self.traverse_complex(complex, path, &mut vec![complex.name.as_str()])?;
            }
            path.segments.pop();
        }
        Ok(())
    }

    /// The navigation properties of a complex type (declared and inherited); whether it has any.
    fn complex_navigation(&mut self, complex: &'c TypeDecl, path: &mut Path<'c>) -> Result<bool, TooMany> {
        let navigation = self.navigation_of(&complex.name);
        for (n, declaring) in &navigation {
            let count = self
                .target_record(path, "Capabilities.CountRestrictions")
                .or_else(|| n.annotations.record("Capabilities.CountRestrictions"));
            self.navigation(n, declaring, count, path, &mut Vec::new())?;
        }
        Ok(!navigation.is_empty())
    }

    /// Nested complex properties, for the navigation properties their types declare.
    fn traverse_complex(
        &mut self,
        complex: &'c TypeDecl,
        path: &mut Path<'c>,
        stack: &mut Vec<&'c str>,
    ) -> Result<(), TooMany> {
        for p in &complex.properties {
            let Some(inner) = self.ty(&p.ty.name).filter(|t| t.kind == TypeKind::Complex) else { continue };
            if stack.contains(&inner.name.as_str()) || !self.lead_to_navigation.contains(inner.name.as_str()) {
                continue;
            }
            if path.segments.len() >= self.settings.limits.max_segments {
                return Err(TooMany {
                    offset: p.offset,
                    message: format!(
                        "a derived path has more than {} segments (complex properties nested too deeply)",
                        self.settings.limits.max_segments
                    ),
                });
            }
            path.segments.push(Segment::Complex(p, complex));
            if !self.complex_navigation(inner, path)? {
                stack.push(&inner.name);
                self.traverse_complex(inner, path, stack)?;
                stack.pop();
            }
            path.segments.pop();
        }
        Ok(())
    }

    /// A navigation property's paths: itself, its `$count`, casts, `$ref`s or keys, and (when contained) what is
    /// below it.
    fn navigation(
        &mut self,
        n: &'c NavigationDecl,
        declaring: &'c TypeDecl,
        mut count: Option<&'c Record>,
        path: &mut Path<'c>,
        visited: &mut Vec<(&'c str, &'c str)>,
    ) -> Result<(), TooMany> {
        let key = (declaring.name.as_str(), n.name.as_str());
        if visited.contains(&key) {
            return Ok(());
        }
        let Some(target) = self.ty(&n.ty.name) else { return Ok(()) };
        let source_restrictions =
            path.source().and_then(|s| self.source_record(s, "Capabilities.NavigationRestrictions"));
        let own_restrictions = path.source().and_then(|_| n.annotations.record("Capabilities.NavigationRestrictions"));
        let navigation_path = path.navigation_path(Some(&n.name));
        let restriction = source_restrictions
            .and_then(|r| {
                r.records("RestrictedProperties").find(|p| p.text("NavigationProperty") == Some(&navigation_path))
            })
            .or_else(|| own_restrictions.and_then(|r| r.records("RestrictedProperties").next()));
        if !navigable(source_restrictions, restriction) || !navigable(own_restrictions, restriction) {
            return Ok(());
        }
        path.segments.push(Segment::Navigation(n, declaring));
        self.append(path.clone())?;
        visited.push(key);
        let indexable = restriction
            .and_then(|r| r.bool("IndexableByKey"))
            .or_else(|| n.annotations.bool("Capabilities.IndexableByKey"))
            .unwrap_or(true);
        let result = if indexable { self.below_navigation(n, target, &mut count, path, visited) } else { Ok(()) };
        path.segments.pop();
        visited.pop();
        result
    }

    fn below_navigation(
        &mut self,
        n: &'c NavigationDecl,
        target: &'c TypeDecl,
        count: &mut Option<&'c Record>,
        path: &mut Path<'c>,
        visited: &mut Vec<(&'c str, &'c str)>,
    ) -> Result<(), TooMany> {
        let many = n.ty.collection;
        if many {
            let mut create_count = None;
            if count.is_none() {
                *count = self
                    .target_record(path, "Capabilities.CountRestrictions")
                    .or_else(|| n.annotations.record("Capabilities.CountRestrictions"));
                create_count = count.and_then(|c| c.bool("Countable"));
            }
            // Graph declares no navigation partners, which makes every collection countable here.
            if create_count.unwrap_or(true) {
                self.append(path.with(Segment::Count))?;
            }
        }
        self.casts(path, target, None, Some(&n.annotations), many)?;
        let referenceable = [
            path.source().and_then(|s| self.source_record(s, "Capabilities.NavigationRestrictions")),
            n.annotations.record("Capabilities.NavigationRestrictions"),
        ]
        .iter()
        .any(|r| r.and_then(|r| r.bool("Referenceable")) == Some(true));
        if referenceable {
            self.append(path.with(Segment::Ref))?;
            if many {
                path.segments.push(Segment::Key { entity: target, alternate: None });
                self.append(path.with(Segment::Ref))?;
                self.casts(path, target, None, Some(&n.annotations), false)?;
            }
            self.media(path, target)?;
            self.complex_properties(path, target)?;
        } else {
            if many {
                self.alternate_keys(path, target)?;
                path.segments.push(Segment::Key { entity: target, alternate: None });
                self.append(path.clone())?;
                self.casts(path, target, None, Some(&n.annotations), false)?;
            }
            self.media(path, target)?;
            self.complex_properties(path, target)?;
            if n.contains_target {
                for (sub, declaring) in self.navigation_of(&target.name) {
                    self.navigation(sub, declaring, *count, path, visited)?;
                }
            }
        }
        if many {
            path.segments.pop();
        }
        Ok(())
    }

    fn alternate_keys(&mut self, path: &Path<'c>, entity: &'c TypeDecl) -> Result<(), TooMany> {
        for parts in &entity.alternate_keys {
            self.append(path.with(Segment::Key { entity, alternate: Some(parts) }))?;
        }
        Ok(())
    }

    /// Type-cast paths to the derived types a `Validation.DerivedTypeConstraint` lists (and, for a single value,
    /// the navigation and complex properties of the derived type below the cast).
    fn casts(
        &mut self,
        path: &Path<'c>,
        base: &'c TypeDecl,
        source: Option<&'c Source>,
        annotations: Option<&'c super::Annotations>,
        many: bool,
    ) -> Result<(), TooMany> {
        let allowed: Vec<&str> = match (source, annotations) {
            (Some(s), _) => self.source_texts(s, "Validation.DerivedTypeConstraint"),
            (None, Some(a)) => a.texts("Validation.DerivedTypeConstraint"),
            (None, None) => Vec::new(),
        };
        if allowed.is_empty() {
            return Ok(());
        }
        let contained_or_source = match path.last() {
            Some(Segment::Navigation(n, _)) => n.contains_target,
            Some(Segment::Key { .. }) => match path.second_last() {
                Some(Segment::Navigation(n, _)) => n.contains_target,
                _ => true,
            },
            _ => true,
        };
        for derived in self.derived(&base.name) {
            if !matches!(derived.kind, TypeKind::Entity | TypeKind::Complex)
                || !allowed.contains(&derived.name.as_str())
            {
                continue;
            }
            if path.segments.iter().any(|s| matches!(s, Segment::Cast(t) if t.name == derived.name)) {
                continue;
            }
            let mut cast = path.with(Segment::Cast(derived));
            self.append(cast.clone())?;
            if many {
                self.append(cast.with(Segment::Count))?;
            } else if contained_or_source {
                for (n, declaring) in self.navigation_of(&derived.name) {
                    self.navigation(n, declaring, None, &mut cast, &mut Vec::new())?;
                }
                if derived.kind == TypeKind::Entity {
                    self.complex_properties(&mut cast, derived)?;
                }
            }
        }
        Ok(())
    }

    /// Appends every bound operation to the paths of its binding type.
    fn bound_operations(&mut self) -> Result<(), TooMany> {
        let csdl = self.csdl;
        let bound: Vec<(&'c OperationDecl, &'c TypeDecl, bool)> = csdl
            .operations
            .iter()
            .filter(|o| o.bound)
            .filter_map(|o| {
                let binding = o.binding()?;
                let t = self.ty(&binding.name).filter(|t| t.kind == TypeKind::Entity)?;
                Some((o, t, binding.collection))
            })
            .collect();
        for &(op, binding, collection) in &bound {
            for entity in self.entities_for(binding) {
                self.on_source_paths(op, collection, entity)?;
                self.on_navigation_paths(op, collection, entity)?;
            }
        }
        for &(op, binding, collection) in &bound {
            for entity in self.entities_for(binding) {
                self.on_operation_paths(op, collection, entity)?;
            }
        }
        // A composable function returning an entity is continued by that entity's navigation properties.
        let composable: Vec<Path<'c>> = self
            .operation_paths
            .iter()
            .filter(|p| matches!(p.last(), Some(Segment::Operation(op)) if is_composable_entity_function(csdl, op)))
            .cloned()
            .collect();
        for path in composable {
            if matches!(path.second_last(), Some(Segment::Operation(_))) {
                continue;
            }
            let Some(Segment::Operation(op)) = path.last() else { continue };
            let Some((returns, _)) = &op.returns else { continue };
            for (n, declaring) in self.navigation_of(&returns.name) {
                self.append(path.with(Segment::Navigation(n, declaring)))?;
            }
        }
        Ok(())
    }

    /// The binding type and the types of the entity sets and singletons that derive from it.
    fn entities_for(&self, binding: &'c TypeDecl) -> Vec<&'c TypeDecl> {
        let mut out = vec![binding];
        let container = self.csdl.container.as_ref();
        for source in container
            .iter()
            .flat_map(|c| c.sources.iter().filter(|s| s.is_set))
            .chain(container.iter().flat_map(|c| c.sources.iter().filter(|s| !s.is_set)))
        {
            if source.entity_type != binding.name && self.csdl.derives_from(&source.entity_type, &binding.name) {
                if let Some(t) = self.ty(&source.entity_type) {
                    if !out.iter().any(|o| o.name == t.name) {
                        out.push(t);
                    }
                }
            }
        }
        out
    }

    /// Whether `Core.RequiresExplicitBinding` lets `op` be bound where `bindings` are the explicitly bound
    /// operations (`Core.ExplicitOperationBindings`); `default` when the operation does not require it.
    fn allowed(op: &OperationDecl, bindings: &[&str], default: bool) -> bool {
        if !op.annotations.has("Core.RequiresExplicitBinding") {
            return default;
        }
        bindings.contains(&op.qualified().as_str())
    }

    fn source_allows(&self, op: &OperationDecl, source: &'c Source) -> bool {
        Self::allowed(op, &self.source_texts(source, "Core.ExplicitOperationBindings"), true)
    }

    fn on_source_paths(
        &mut self,
        op: &'c OperationDecl,
        collection: bool,
        entity: &'c TypeDecl,
    ) -> Result<(), TooMany> {
        let Some(paths) = self.source_paths.get(entity.name.as_str()) else { return Ok(()) };
        let mut new = Vec::new();
        for path in paths {
            let kind = path.kind();
            let last = path.last();
            let second_last = path.second_last();
            if kind == Kind::TypeCast && !collection {
                let skip = match second_last {
                    None | Some(Segment::Key { .. }) => false,
                    Some(Segment::Source(s)) => s.is_set,
                    Some(Segment::Navigation(n, _)) => n.ty.collection,
                    Some(_) => true,
                };
                if skip {
                    continue;
                }
            }
            let cast_fits = match last {
                Some(Segment::Cast(t)) => t.name == entity.name || self.csdl.derives_from(&entity.name, &t.name),
                _ => true,
            };
            let kind_fits = if collection {
                kind == Kind::EntitySet
            } else {
                !matches!(kind, Kind::EntitySet | Kind::MediaEntity | Kind::DollarCount | Kind::ComplexProperty)
            };
            if !cast_fits || !kind_fits || matches!(last, Some(Segment::Cast(_))) {
                // Operations are not repeated under casts (OpenAPI.OData's AppendBoundOperationsOnDerivedTypeCastSegments
                // is off for Graph).
                continue;
            }
            if last.is_some_and(Segment::is_alternate_key) {
                continue;
            }
            let allowed = match last {
                Some(Segment::Source(s)) => self.source_allows(op, s),
                Some(Segment::Key { entity, .. }) => {
                    Self::allowed(op, &self.csdl.type_texts(&entity.name, "Core.ExplicitOperationBindings"), true)
                }
                _ => true,
            };
            if !allowed {
                if let Some(Segment::Source(s)) = second_last {
                    if !self.source_allows(op, s) {
                        continue;
                    }
                }
            }
            new.push(path.with(Segment::Operation(op)));
        }
        for path in new {
            self.append(path)?;
        }
        Ok(())
    }

    fn on_navigation_paths(
        &mut self,
        op: &'c OperationDecl,
        collection: bool,
        entity: &'c TypeDecl,
    ) -> Result<(), TooMany> {
        let Some(paths) = self.navigation_paths.get(entity.name.as_str()) else { return Ok(()) };
        let mut new = Vec::new();
        for path in paths.iter().filter(|p| p.kind() != Kind::Ref) {
            let Some((n, _)) = path.last_navigation() else { continue };
            if !Self::allowed(op, &n.annotations.texts("Core.ExplicitOperationBindings"), n.contains_target) {
                continue;
            }
            let last_is_key = path.last().is_some_and(Segment::is_key);
            let fits = if collection { !last_is_key && n.ty.collection } else { last_is_key || !n.ty.collection };
            if fits {
                new.push(path.with(Segment::Operation(op)));
            }
        }
        for path in new {
            self.append(path)?;
        }
        Ok(())
    }

    /// Operations bound to the entity a composable function returns, after the function.
    fn on_operation_paths(
        &mut self,
        op: &'c OperationDecl,
        collection: bool,
        entity: &'c TypeDecl,
    ) -> Result<(), TooMany> {
        if collection {
            return Ok(());
        }
        let csdl = self.csdl;
        let mut new = Vec::new();
        for path in &self.operation_paths {
            let Some(Segment::Operation(function)) = path.last() else { continue };
            if !is_composable_entity_function(csdl, function)
                || matches!(path.second_last(), Some(Segment::Operation(_)))
            {
                continue;
            }
            let returns_entity = function.returns.as_ref().is_some_and(|(t, _)| !t.collection && t.name == entity.name);
            if !returns_entity
                || !Self::allowed(op, &function.annotations.texts("Core.ExplicitOperationBindings"), true)
                || op.name == function.name
            {
                continue;
            }
            new.push(path.with(Segment::Operation(op)));
        }
        for path in new {
            self.append(path)?;
        }
        Ok(())
    }
}

/// The last part of a qualified name: `microsoft.graph.user` → `user`.
fn local(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

fn is_composable_entity_function(csdl: &Csdl, op: &OperationDecl) -> bool {
    op.kind == OperationKind::Function
        && op.composable
        && op
            .returns
            .as_ref()
            .is_some_and(|(t, _)| !t.collection && csdl.types.get(&t.name).is_some_and(|t| t.kind == TypeKind::Entity))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path as FilePath;

    use super::*;

    /// One construct per line: every rule the converter follows with Graph's settings.
    const CSDL: &str = r#"<?xml version="1.0"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="ns" Alias="g" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <EntityType Name="entity" Abstract="true"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
  <EntityType Name="directoryObject" BaseType="g.entity">
    <Annotation Term="Org.OData.Core.V1.ExplicitOperationBindings"><Collection><String>ns.restore</String></Collection></Annotation>
  </EntityType>
  <EntityType Name="user" BaseType="g.directoryObject">
    <Property Name="code" Type="Edm.String"/>
    <Property Name="settings" Type="g.settings">
      <Annotation Term="Org.OData.Capabilities.V1.ReadRestrictions"><Record><PropertyValue Property="Readable" Bool="true"/></Record></Annotation>
    </Property>
    <Property Name="other" Type="g.settings"/>
    <NavigationProperty Name="manager" Type="g.directoryObject"/>
    <NavigationProperty Name="memberOf" Type="Collection(g.directoryObject)">
      <Annotation Term="Org.OData.Validation.V1.DerivedTypeConstraint"><Collection><String>ns.group</String></Collection></Annotation>
      <Annotation Term="Org.OData.Capabilities.V1.NavigationRestrictions"><Record><PropertyValue Property="Referenceable" Bool="true"/></Record></Annotation>
    </NavigationProperty>
    <NavigationProperty Name="folders" Type="Collection(g.folder)" ContainsTarget="true"/>
    <NavigationProperty Name="hidden" Type="Collection(g.folder)" ContainsTarget="true">
      <Annotation Term="Org.OData.Capabilities.V1.NavigationRestrictions"><Record><PropertyValue Property="Navigability"><EnumMember>Org.OData.Capabilities.V1.NavigationType/None</EnumMember></PropertyValue></Record></Annotation>
    </NavigationProperty>
    <NavigationProperty Name="view" Type="Collection(g.folder)" ContainsTarget="true">
      <Annotation Term="Org.OData.Capabilities.V1.IndexableByKey" Bool="false"/>
    </NavigationProperty>
    <NavigationProperty Name="photo" Type="g.photo" ContainsTarget="true"/>
    <NavigationProperty Name="sheets" Type="Collection(g.sheet)" ContainsTarget="true"/>
    <Annotation Term="Org.OData.Core.V1.AlternateKeys"><Collection>
      <Record><PropertyValue Property="Key"><Collection><Record><PropertyValue Property="Alias" String="code"/><PropertyValue Property="Name" PropertyPath="code"/></Record></Collection></PropertyValue></Record>
      <Record><PropertyValue Property="Key"><Collection><Record><PropertyValue Property="Alias" String="gone"/><PropertyValue Property="Name" PropertyPath="gone"/></Record></Collection></PropertyValue></Record>
    </Collection></Annotation>
  </EntityType>
  <EntityType Name="group" BaseType="g.directoryObject"/>
  <EntityType Name="folder" BaseType="g.entity">
    <NavigationProperty Name="children" Type="Collection(g.folder)" ContainsTarget="true"/>
    <NavigationProperty Name="file" Type="g.file" ContainsTarget="true"/>
  </EntityType>
  <EntityType Name="file" BaseType="g.entity"><Property Name="content" Type="Edm.Stream"/></EntityType>
  <EntityType Name="photo" BaseType="g.entity" HasStream="true"/>
  <EntityType Name="sheet" BaseType="g.entity"/>
  <EntityType Name="range" BaseType="g.entity"><NavigationProperty Name="format" Type="g.sheet" ContainsTarget="true"/></EntityType>
  <EntityType Name="policy" BaseType="g.entity"/>
  <ComplexType Name="settings"><Property Name="language" Type="Edm.String"/></ComplexType>
  <Action Name="restore" IsBound="true"><Parameter Name="b" Type="g.directoryObject"/>
    <Annotation Term="Org.OData.Core.V1.RequiresExplicitBinding"/></Action>
  <Action Name="archive" IsBound="true"><Parameter Name="b" Type="g.folder"/><Parameter Name="Target" Type="Edm.String"/></Action>
  <Action Name="forget" IsBound="true"><Parameter Name="b" Type="g.directoryObject"/></Action>
  <Function Name="count" IsBound="true"><Parameter Name="b" Type="Collection(g.sheet)"/><ReturnType Type="Edm.Int32"/></Function>
  <Function Name="range" IsBound="true" IsComposable="true"><Parameter Name="b" Type="g.sheet"/><Parameter Name="address" Type="Edm.String"/><ReturnType Type="g.range"/></Function>
  <Function Name="clear" IsBound="true"><Parameter Name="b" Type="g.range"/><ReturnType Type="g.range"/></Function>
  <Function Name="recent" IsBound="true"><Parameter Name="b" Type="Collection(g.folder)"/>
    <Parameter Name="top" Type="Edm.Int32"><Annotation Term="Org.OData.Core.V1.OptionalParameter"/></Parameter>
    <ReturnType Type="Collection(g.folder)"/></Function>
  <EntityContainer Name="Service">
    <EntitySet Name="users" EntityType="ns.user"/>
    <EntitySet Name="groups" EntityType="ns.group">
      <Annotation Term="Org.OData.Capabilities.V1.CountRestrictions"><Record><PropertyValue Property="Countable" Bool="false"/></Record></Annotation>
      <Annotation Term="Org.OData.Capabilities.V1.InsertRestrictions"><Record><PropertyValue Property="Insertable" Bool="false"/></Record></Annotation>
    </EntitySet>
    <EntitySet Name="policies" EntityType="ns.policy">
      <Annotation Term="Org.OData.Capabilities.V1.UpdateRestrictions"><Record><PropertyValue Property="UpdateMethod"><EnumMember>Org.OData.Capabilities.V1.HttpMethod/PUT</EnumMember></PropertyValue></Record></Annotation>
    </EntitySet>
    <Singleton Name="me" Type="ns.user"/>
  </EntityContainer>
</Schema>
</edmx:DataServices></edmx:Edmx>"#;

    fn operations() -> BTreeSet<String> {
        let csdl = crate::csdl::parse(CSDL, FilePath::new("t.csdl")).unwrap();
        let settings = Settings { strip_namespace: Some("ns".to_owned()), limits: Limits::default() };
        let mut out = BTreeSet::new();
        for path in derive(&csdl, &settings).unwrap() {
            let template = path.render(&csdl, Some("ns")).template;
            for method in crate::csdl::methods::methods(&csdl, &path) {
                out.insert(format!("{} {template}", method.upper()));
            }
        }
        out
    }

    #[test]
    fn microsofts_rules() {
        let ops = operations();
        let has = |s: &str| assert!(ops.contains(s), "missing `{s}` in {ops:#?}");
        let lacks = |s: &str| assert!(!ops.contains(s), "unexpected `{s}`");
        // Entity sets: list, create, `$count`, get/update/delete by key and by alternate key (not by a key whose
        // property does not exist).
        for s in ["GET /users", "POST /users", "GET /users/$count", "GET /users/{user-id}", "PATCH /users/{user-id}"] {
            has(s);
        }
        has("DELETE /users/{user-id}");
        has("GET /users(code='{code}')");
        lacks("GET /users(gone='{gone}')");
        // Restrictions: not countable, not insertable, updated with PUT.
        lacks("GET /groups/$count");
        lacks("POST /groups");
        has("PUT /policies/{policy-id}");
        lacks("PATCH /policies/{policy-id}");
        // A singleton: read and update, no delete.
        has("GET /me");
        has("PATCH /me");
        lacks("DELETE /me");
        // Navigation that is not contained is read, not continued, and not updated.
        has("GET /users/{user-id}/manager");
        lacks("PATCH /users/{user-id}/manager");
        // Referenceable navigation: `$ref`s, casts to the types the constraint lists, no item path.
        for s in ["GET", "POST", "DELETE"] {
            has(&format!("{s} /users/{{user-id}}/memberOf/$ref"));
        }
        has("DELETE /users/{user-id}/memberOf/{directoryObject-id}/$ref");
        lacks("GET /users/{user-id}/memberOf/{directoryObject-id}");
        has("GET /users/{user-id}/memberOf/g.group");
        has("GET /users/{user-id}/memberOf/g.group/$count");
        has("GET /users/{user-id}/memberOf/{directoryObject-id}/g.group");
        // Contained navigation is continued; a navigation property is not followed twice along one path.
        has("POST /users/{user-id}/folders");
        has("GET /users/{user-id}/folders/$count");
        has("PATCH /users/{user-id}/folders/{folder-id}/children/{folder-id1}");
        lacks("GET /users/{user-id}/folders/{folder-id}/children/{folder-id1}/children");
        // Navigability None hides a property; IndexableByKey false keeps the collection without items.
        lacks("GET /users/{user-id}/hidden");
        has("GET /users/{user-id}/view");
        lacks("GET /users/{user-id}/view/{folder-id}");
        // Media: `$value` of a media entity, a stream property's own path.
        has("PUT /users/{user-id}/photo/$value");
        has("GET /users/{user-id}/folders/{folder-id}/file/content");
        // A complex property only where restrictions describe it.
        has("GET /users/{user-id}/settings");
        lacks("GET /users/{user-id}/other");
        // Bound operations: on every path of the binding type and of entity sets of derived types; one requiring
        // explicit binding only where the (inherited) annotation allows it.
        has("POST /users/{user-id}/forget");
        has("POST /users/{user-id}/restore");
        has("POST /users/{user-id}/folders/{folder-id}/archive");
        // ... but not below navigation that is not contained.
        lacks("POST /users/{user-id}/manager/forget");
        // Function arguments in the path; an optional one as an alias.
        has("GET /users/{user-id}/folders/recent(top=@top)");
        // A composable function is continued by one navigation step and the operations bound to its result.
        has("GET /users/{user-id}/sheets/{sheet-id}/range(address='{address}')");
        has("GET /users/{user-id}/sheets/{sheet-id}/range(address='{address}')/format");
        has("GET /users/{user-id}/sheets/{sheet-id}/range(address='{address}')/clear()");
        // A bound `count()` function replaces `$count`.
        has("GET /users/{user-id}/sheets/count()");
        lacks("GET /users/{user-id}/sheets/$count");
    }

    #[test]
    fn a_description_that_derives_too_much_is_refused_where_it_does() {
        let csdl = crate::csdl::parse(CSDL, FilePath::new("t.csdl")).unwrap();
        let settings = Settings { strip_namespace: None, limits: Limits { max_paths: 20, max_segments: 64 } };
        let error = derive(&csdl, &settings).unwrap_err();
        assert!(error.message.contains("more than 20 paths"), "{error:?}");
        assert!(error.offset > 0);
        let settings = Settings { strip_namespace: None, limits: Limits { max_paths: 1000, max_segments: 3 } };
        let error = derive(&csdl, &settings).unwrap_err();
        assert!(error.message.contains("more than 3 segments"), "{error:?}");
    }
}
