//! Whether a CSDL document declares what a URL template addresses, found by following the template through the
//! document (entity sets, keys, navigation and complex properties, casts, bound operations) rather than by deriving
//! every path: a national cloud's raw `$metadata` has containment that derives paths without end, yet answering
//! "does Mooncake have `POST /users/{id}/mailFolders/{id}/move`?" takes a few map lookups.

use std::collections::BTreeMap;

use super::{Csdl, OperationDecl, OperationKind, TypeDecl, TypeKind};
use crate::model::Method;

/// A CSDL document indexed for [`Resolver::declares`].
#[derive(Debug)]
pub struct Resolver<'c> {
    csdl: &'c Csdl,
    strip_namespace: Option<String>,
    /// Operations by unqualified name, lower case.
    operations: BTreeMap<String, Vec<&'c OperationDecl>>,
}

/// What an operation is, whatever path reaches it: its method, the segment that names what it acts on (an entity
/// set, a navigation or complex property, a cast or an operation, lower case), the type that segment is reached from
/// (empty at the root), whether a key follows it, and a trailing `$count`, `$ref` or `$value`.
/// `GET /me/events/{id}/attachments/{id}` and `GET /users/{id}/calendar/events/{id}/attachments/{id}` have the same
/// signature: an event's attachment, read by key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Signature {
    /// The HTTP method.
    pub method: Method,
    /// The type the named segment is reached from, e.g. `microsoft.graph.event`.
    pub owner: String,
    /// The named segment, lower case, e.g. `attachments`.
    pub name: String,
    /// Whether a key selects one item after it.
    pub keyed: bool,
    /// `$count`, `$ref` or `$value` at the end.
    pub suffix: Option<String>,
    /// The entity type the path addresses (after the named segment and its key), when it is not an operation's
    /// result, e.g. `microsoft.graph.attachment`.
    pub target: Option<String>,
    /// The path's first segment, lower case, without a key (`users`, `identity`, `applications` for
    /// `applications(appId='…')`): the area [`Signature::by_target`] compares within. Empty in
    /// [`Signature::by_owner`].
    pub area: String,
}

impl Signature {
    /// The same signature without the target and area: what [`Signature`]s are compared by first.
    pub fn by_owner(&self) -> Signature {
        Signature { target: None, area: String::new(), ..self.clone() }
    }

    /// What acting on the target type whatever path and owner reach it within the same area is compared by:
    /// method, target, key, suffix and area. The same entity type reached from another area is governed by that
    /// area's permissions (an identity provider of a user flow needs `IdentityUserFlow.*`, one of
    /// `/identityProviders` `IdentityProvider.*`).
    pub fn by_target(&self) -> Option<Signature> {
        let target = self.target.clone()?;
        Some(Signature { owner: String::new(), name: String::new(), target: Some(target), ..self.clone() })
    }
}

/// One step along a template.
struct Step<'c> {
    at: At<'c>,
    /// When the segment calls an operation: its kind.
    operation: Option<OperationKind>,
    /// What the segment names, when it names something (not a key or `$…`).
    name: Option<String>,
}

/// Where a walk along a template is.
#[derive(Clone, Copy)]
enum At<'c> {
    Root,
    /// A collection of this type.
    Many(&'c TypeDecl),
    /// One value of this (entity or complex) type.
    One(&'c TypeDecl),
    /// Something with nothing below it: `$count`, `$value`, `$ref`, a stream, a primitive result.
    End,
}

impl<'c> Resolver<'c> {
    /// Indexes `csdl`; `strip_namespace` is the namespace templates drop from operation segments.
    pub fn new(csdl: &'c Csdl, strip_namespace: Option<&str>) -> Self {
        let mut operations: BTreeMap<String, Vec<&OperationDecl>> = BTreeMap::new();
        for op in &csdl.operations {
            operations.entry(op.name.to_ascii_lowercase()).or_default().push(op);
        }
        Resolver { csdl, strip_namespace: strip_namespace.map(str::to_owned), operations }
    }

    /// Whether the document declares `method template`: every segment resolves, and an action is posted and a
    /// function read. (Which methods an entity allows is not compared.)
    pub fn declares(&self, method: Method, template: &str) -> bool {
        self.signature(method, template).is_some()
    }

    /// The [`Signature`] of `method template` when the document declares it (names compared without case, as
    /// Graph does and as `permissions.json` writes them).
    pub fn signature(&self, method: Method, template: &str) -> Option<Signature> {
        let mut at = At::Root;
        let mut last_operation = None;
        let mut signature = Signature {
            method,
            owner: String::new(),
            name: String::new(),
            keyed: false,
            suffix: None,
            target: None,
            area: segments(template)
                .next()
                .map_or_else(String::new, |first| first.split('(').next().unwrap_or(first).to_ascii_lowercase()),
        };
        for segment in segments(template) {
            let owner = match at {
                At::Many(t) | At::One(t) => t.name.clone(),
                At::Root | At::End => String::new(),
            };
            let step = self.step(at, segment)?;
            match step.name {
                Some(name) => {
                    signature.owner = owner;
                    signature.name = name.to_ascii_lowercase();
                    signature.keyed = segment.contains('(') && step.operation.is_none();
                    signature.suffix = None;
                }
                None if segment.starts_with('$') => signature.suffix = Some(segment.to_owned()),
                None => signature.keyed = true,
            }
            at = step.at;
            last_operation = step.operation;
            signature.target = match (at, last_operation) {
                (At::Many(t) | At::One(t), None) if t.kind == TypeKind::Entity => Some(t.name.clone()),
                _ if step_is_suffix(segment) => signature.target.take(),
                _ => None,
            };
        }
        let fits = match last_operation {
            Some(OperationKind::Action) => method == Method::Post,
            Some(OperationKind::Function) => method == Method::Get,
            None => !matches!(at, At::Root),
        };
        fits.then_some(signature)
    }

    fn ty(&self, name: &str) -> Option<&'c TypeDecl> {
        self.csdl.types.get(name)
    }

    /// What `value` of type `name` (a collection or not) is.
    fn value(&self, name: &str, collection: bool) -> At<'c> {
        match self.ty(name) {
            Some(t) if t.kind != TypeKind::Enum => {
                if collection {
                    At::Many(t)
                } else {
                    At::One(t)
                }
            }
            _ => At::End,
        }
    }

    /// One step along the template.
    fn step(&self, at: At<'c>, segment: &str) -> Option<Step<'c>> {
        let (name, has_args) = match segment.find('(') {
            Some(i) => (&segment[..i], true),
            None => (segment, false),
        };
        let same = |a: &str| a.eq_ignore_ascii_case(name);
        let plain = |at| Some(Step { at, operation: None, name: None });
        let named = |at, n: &str| Some(Step { at, operation: None, name: Some(n.to_owned()) });
        let call = |op: &OperationDecl| {
            Some(Step { at: self.result(op), operation: Some(op.kind), name: Some(op.name.clone()) })
        };
        match at {
            At::End => None,
            At::Root => {
                let container = self.csdl.container.as_ref()?;
                if let Some(source) = container.sources.iter().find(|s| same(&s.name)) {
                    let t = self.ty(&source.entity_type)?;
                    // `applications(appId='{appId}')`: an alternate key selects one.
                    return named(if source.is_set && !has_args { At::Many(t) } else { At::One(t) }, &source.name);
                }
                let import = container.imports.iter().find(|i| same(&i.name))?;
                let op = self.csdl.operations.iter().find(|o| !o.bound && o.qualified() == import.operation)?;
                call(op)
            }
            At::Many(t) => {
                // `{user-id}`, or a key of several parts `a='{a}',b={b}`.
                if segment.starts_with('{') || (!has_args && segment.contains('=')) {
                    return plain(At::One(t));
                }
                if segment == "$count" || segment == "$ref" {
                    return plain(At::End);
                }
                if let Some(derived) = self.cast(t, name) {
                    return named(At::Many(derived), &derived.name);
                }
                call(self.operation(t, true, name, has_args)?)
            }
            At::One(t) => {
                if matches!(segment, "$value" | "$ref" | "$count") {
                    return plain(At::End);
                }
                let lineage = self.csdl.lineage(&t.name);
                if let Some(n) = lineage.iter().flat_map(|t| &t.navigation).find(|n| same(&n.name)) {
                    let target = self.ty(&n.ty.name)?;
                    return named(
                        if n.ty.collection && !has_args { At::Many(target) } else { At::One(target) },
                        &n.name,
                    );
                }
                if let Some(p) = lineage.iter().flat_map(|t| &t.properties).find(|p| same(&p.name)) {
                    return named(self.value(&p.ty.name, p.ty.collection), &p.name);
                }
                if let Some(derived) = self.cast(t, name) {
                    return named(At::One(derived), &derived.name);
                }
                call(self.operation(t, false, name, has_args)?)
            }
        }
    }

    /// `graph.user` or `microsoft.graph.user` below `base`: the derived type it names.
    fn cast(&self, base: &TypeDecl, name: &str) -> Option<&'c TypeDecl> {
        let (namespace, local) = name.rsplit_once('.')?;
        let schema = self.csdl.schemas.iter().find(|s| {
            s.namespace.eq_ignore_ascii_case(namespace)
                || s.alias.as_deref().is_some_and(|a| a.eq_ignore_ascii_case(namespace))
        })?;
        let qualified = format!("{}.{local}", schema.namespace);
        let derived = self.ty(&qualified).or_else(|| {
            self.csdl
                .types
                .range(format!("{}.", schema.namespace)..)
                .find(|(n, _)| n.eq_ignore_ascii_case(&qualified))
                .map(|(_, t)| t)
        })?;
        self.csdl.derives_from(&derived.name, &base.name).then_some(derived)
    }

    /// The operation `name` (qualified, or unqualified in the stripped namespace) bound to `t` or a base of it.
    /// Where an action and a function share the name and binding (`browse` on `browseSessionBase`), a segment
    /// with parentheses calls the function and one without the action, as templates write them; either is taken
    /// when only one exists (`permissions.json` writes `delta` for `delta()`).
    fn operation(&self, t: &TypeDecl, collection: bool, name: &str, has_args: bool) -> Option<&'c OperationDecl> {
        let (namespace, local) = match name.rsplit_once('.') {
            Some((namespace, local)) => (Some(namespace), local),
            None => (self.strip_namespace.as_deref(), name),
        };
        let lineage = self.csdl.lineage(&t.name);
        let mut bound = self.operations.get(&local.to_ascii_lowercase())?.iter().copied().filter(|op| {
            namespace.is_none_or(|ns| op.namespace.eq_ignore_ascii_case(ns))
                && op.binding().is_some_and(|b| b.collection == collection && lineage.iter().any(|l| l.name == b.name))
        });
        let first = bound.next()?;
        let preferred = if has_args { OperationKind::Function } else { OperationKind::Action };
        if first.kind == preferred {
            return Some(first);
        }
        Some(bound.find(|op| op.kind == preferred).unwrap_or(first))
    }

    /// What an operation's result is, for what may follow it (a composable function's navigation).
    fn result(&self, op: &OperationDecl) -> At<'c> {
        match &op.returns {
            Some((ty, _)) if op.composable => self.value(&ty.name, ty.collection),
            _ => At::End,
        }
    }
}

/// `$count`, `$ref`, `$value`: a segment that keeps what the path addresses.
fn step_is_suffix(segment: &str) -> bool {
    matches!(segment, "$count" | "$ref" | "$value")
}

/// The segments of a template; an alternate key or call's parentheses stay with their segment.
fn segments(template: &str) -> impl Iterator<Item = &str> {
    template.split('/').filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const CSDL: &str = r#"<?xml version="1.0"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="ns" Alias="a" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <EntityType Name="entity" Abstract="true"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
  <EntityType Name="directoryObject" BaseType="a.entity"/>
  <EntityType Name="user" BaseType="a.directoryObject">
    <Property Name="settings" Type="a.settings"/>
    <NavigationProperty Name="inbox" Type="a.inbox" ContainsTarget="true"/>
    <NavigationProperty Name="memberOf" Type="Collection(a.directoryObject)"/>
  </EntityType>
  <EntityType Name="group" BaseType="a.directoryObject"/>
  <EntityType Name="inbox" BaseType="a.entity"/>
  <ComplexType Name="settings"><Property Name="language" Type="Edm.String"/></ComplexType>
  <Action Name="archive" IsBound="true"><Parameter Name="b" Type="a.inbox"/></Action>
  <Function Name="delta" IsBound="true"><Parameter Name="b" Type="Collection(a.user)"/><ReturnType Type="Collection(a.user)"/></Function>
  <EntityContainer Name="Service">
    <EntitySet Name="users" EntityType="ns.user"/>
    <Singleton Name="me" Type="ns.user"/>
  </EntityContainer>
</Schema>
</edmx:DataServices></edmx:Edmx>"#;

    #[test]
    fn templates_resolve_through_the_document() {
        let csdl = crate::csdl::parse(CSDL, Path::new("t.csdl")).unwrap();
        let r = Resolver::new(&csdl, Some("ns"));
        let yes = [
            (Method::Post, "/users/{user-id}/inbox/archive"),
            (Method::Post, "/me/inbox/ns.archive"),
            (Method::Get, "/users/delta()"),
            (Method::Get, "/users/{user-id}/memberOf/a.group/$count"),
            (Method::Get, "/users/{user-id}/memberOf/{directoryObject-id}/ns.group"),
            (Method::Patch, "/users/{user-id}/settings"),
            (Method::Get, "/users/$count"),
            (Method::Delete, "/users/{user-id}/memberOf/{directoryObject-id}/$ref"),
        ];
        for (method, template) in yes {
            assert!(r.declares(method, template), "{method:?} {template}");
        }
        let no = [
            (Method::Get, "/users/{user-id}/inbox/archive"),
            (Method::Post, "/users/{user-id}/archive"),
            (Method::Get, "/groups"),
            (Method::Get, "/users/{user-id}/inbox/a.user"),
            (Method::Get, "/users/$count/more"),
            (Method::Get, "/"),
        ];
        for (method, template) in no {
            assert!(!r.declares(method, template), "{method:?} {template}");
        }
    }
}
