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
    /// Operations by unqualified name.
    operations: BTreeMap<&'c str, Vec<&'c OperationDecl>>,
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
        let mut operations: BTreeMap<&str, Vec<&OperationDecl>> = BTreeMap::new();
        for op in &csdl.operations {
            operations.entry(op.name.as_str()).or_default().push(op);
        }
        Resolver { csdl, strip_namespace: strip_namespace.map(str::to_owned), operations }
    }

    /// Whether the document declares `method template`: every segment resolves, and an action is posted and a
    /// function read. (Which methods an entity allows is not compared.)
    pub fn declares(&self, method: Method, template: &str) -> bool {
        let mut at = At::Root;
        let mut last_operation = None;
        for segment in segments(template) {
            let Some((next, operation)) = self.step(at, segment) else { return false };
            at = next;
            last_operation = operation;
        }
        match last_operation {
            Some(OperationKind::Action) => method == Method::Post,
            Some(OperationKind::Function) => method == Method::Get,
            None => !matches!(at, At::Root),
        }
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

    /// One step along the template; the operation kind when the segment is a call.
    fn step(&self, at: At<'c>, segment: &str) -> Option<(At<'c>, Option<OperationKind>)> {
        let (name, has_args) = match segment.find('(') {
            Some(i) => (&segment[..i], true),
            None => (segment, false),
        };
        match at {
            At::End => None,
            At::Root => {
                let container = self.csdl.container.as_ref()?;
                if let Some(source) = container.sources.iter().find(|s| s.name == name) {
                    let t = self.ty(&source.entity_type)?;
                    // `applications(appId='{appId}')`: an alternate key selects one.
                    return Some((if source.is_set && !has_args { At::Many(t) } else { At::One(t) }, None));
                }
                let import = container.imports.iter().find(|i| i.name == name)?;
                let op = self.csdl.operations.iter().find(|o| !o.bound && o.qualified() == import.operation)?;
                Some((self.result(op), Some(op.kind)))
            }
            At::Many(t) => {
                // `{user-id}`, or a key of several parts `a='{a}',b={b}`.
                if segment.starts_with('{') || (!has_args && segment.contains('=')) {
                    return Some((At::One(t), None));
                }
                if segment == "$count" || segment == "$ref" {
                    return Some((At::End, None));
                }
                if let Some(derived) = self.cast(t, name) {
                    return Some((At::Many(derived), None));
                }
                let op = self.operation(t, true, name)?;
                Some((self.result(op), Some(op.kind)))
            }
            At::One(t) => {
                if matches!(segment, "$value" | "$ref" | "$count") {
                    return Some((At::End, None));
                }
                let lineage = self.csdl.lineage(&t.name);
                if let Some(n) = lineage.iter().flat_map(|t| &t.navigation).find(|n| n.name == name) {
                    let target = self.ty(&n.ty.name)?;
                    return Some((if n.ty.collection && !has_args { At::Many(target) } else { At::One(target) }, None));
                }
                if let Some(p) = lineage.iter().flat_map(|t| &t.properties).find(|p| p.name == name) {
                    return Some((self.value(&p.ty.name, p.ty.collection), None));
                }
                if let Some(derived) = self.cast(t, name) {
                    return Some((At::One(derived), None));
                }
                let op = self.operation(t, false, name)?;
                Some((self.result(op), Some(op.kind)))
            }
        }
    }

    /// `graph.user` or `microsoft.graph.user` below `base`: the derived type it names.
    fn cast(&self, base: &TypeDecl, name: &str) -> Option<&'c TypeDecl> {
        let (namespace, local) = name.rsplit_once('.')?;
        let namespace = self
            .csdl
            .schemas
            .iter()
            .find(|s| s.alias.as_deref() == Some(namespace))
            .map_or(namespace, |s| s.namespace.as_str());
        let derived = self.ty(&format!("{namespace}.{local}"))?;
        self.csdl.derives_from(&derived.name, &base.name).then_some(derived)
    }

    /// The operation `name` (qualified, or unqualified in the stripped namespace) bound to `t` or a base of it.
    fn operation(&self, t: &TypeDecl, collection: bool, name: &str) -> Option<&'c OperationDecl> {
        let (namespace, local) = match name.rsplit_once('.') {
            Some((namespace, local)) => (Some(namespace), local),
            None => (self.strip_namespace.as_deref(), name),
        };
        let lineage = self.csdl.lineage(&t.name);
        self.operations.get(local)?.iter().copied().find(|op| {
            namespace.is_none_or(|ns| op.namespace == ns)
                && op.binding().is_some_and(|b| b.collection == collection && lineage.iter().any(|l| l.name == b.name))
        })
    }

    /// What an operation's result is, for what may follow it (a composable function's navigation).
    fn result(&self, op: &OperationDecl) -> At<'c> {
        match &op.returns {
            Some((ty, _)) if op.composable => self.value(&ty.name, ty.collection),
            _ => At::End,
        }
    }
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
