//! Which HTTP methods each derived path has, decided by `Capabilities` restrictions the way Microsoft's converter
//! (OpenAPI.OData's path item handlers) decides them: reading, inserting, updating (PATCH, or PUT where
//! `UpdateMethod` says so) and deleting are allowed unless a restriction says otherwise, and on navigation that is
//! not contained only where a restriction explicitly allows it.

use super::annotations::{merge, Record};
use super::paths::{navigable, Kind, Path, Segment};
use super::{Csdl, OperationKind, Source};
use crate::model::Method;

/// The HTTP methods of `path`, in [`Method`] order.
pub fn methods<'c>(csdl: &'c Csdl, path: &Path<'c>) -> Vec<Method> {
    let container = csdl.container.as_ref().map_or("", |c| c.name.as_str());
    let lookup = Lookup { csdl, path, target: target_source(path, container) };
    let mut methods = match path.kind() {
        Kind::EntitySet => lookup.entity_set(),
        Kind::Entity => lookup.entity(),
        Kind::Singleton => lookup.singleton(),
        Kind::NavigationProperty => lookup.navigation(),
        Kind::Ref => lookup.reference(),
        Kind::MediaEntity => lookup.media(),
        Kind::ComplexProperty => lookup.complex(),
        Kind::DollarCount | Kind::TypeCast => vec![Method::Get],
        Kind::Operation | Kind::OperationImport => match path.last() {
            Some(Segment::Operation(op) | Segment::Import(_, op)) if op.kind == OperationKind::Action => {
                vec![Method::Post]
            }
            _ => vec![Method::Get],
        },
        Kind::Unknown => Vec::new(),
    };
    methods.sort();
    methods.dedup();
    methods
}

/// The entity set or singleton a path's annotation target path names, when it names one (Graph annotates no deeper
/// target paths).
fn target_source<'c>(path: &Path<'c>, container: &str) -> Option<&'c Source> {
    let target = path.target_path(container);
    let name = target.strip_prefix(container)?.strip_prefix('/')?;
    path.source().filter(|s| s.name == name)
}

struct Lookup<'a, 'c> {
    csdl: &'c Csdl,
    path: &'a Path<'c>,
    target: Option<&'c Source>,
}

/// `Readable` is not `false`.
fn readable(r: Option<&Record>) -> bool {
    r.and_then(|r| r.bool("Readable")) != Some(false)
}

impl<'c> Lookup<'_, 'c> {
    /// A term on the path's annotation target.
    fn on_target(&self, term: &str) -> Option<&'c Record> {
        self.target.and_then(|s| s.annotations.record(term))
    }

    /// A term on the entity set or singleton the path starts at, else on its entity type.
    fn on_source(&self, term: &str) -> Option<&'c Record> {
        let source = self.path.source()?;
        source.annotations.record(term).or_else(|| self.csdl.type_record(&source.entity_type, term))
    }

    /// The target's restriction merged with the source's.
    fn restriction(&self, term: &str) -> Option<Record> {
        merge(self.on_target(term), self.on_source(term))
    }

    fn entity_set(&self) -> Vec<Method> {
        let mut methods = Vec::new();
        if readable(self.restriction("Capabilities.ReadRestrictions").as_ref()) {
            methods.push(Method::Get);
        }
        let insert = self.restriction("Capabilities.InsertRestrictions");
        if insert.and_then(|r| r.bool("Insertable")) != Some(false) {
            methods.push(Method::Post);
        }
        methods
    }

    fn entity(&self) -> Vec<Method> {
        let mut methods = Vec::new();
        if readable_by_key(self.restriction("Capabilities.ReadRestrictions").as_ref()) {
            methods.push(Method::Get);
        }
        let update = self.restriction("Capabilities.UpdateRestrictions");
        if update.as_ref().and_then(|r| r.bool("Updatable")) != Some(false) {
            methods.extend(update_methods(update.as_ref()));
        }
        let delete = self.restriction("Capabilities.DeleteRestrictions");
        if delete.and_then(|r| r.bool("Deletable")) != Some(false) {
            methods.push(Method::Delete);
        }
        methods
    }

    fn singleton(&self) -> Vec<Method> {
        let mut methods = Vec::new();
        if readable(self.restriction("Capabilities.ReadRestrictions").as_ref()) {
            methods.push(Method::Get);
        }
        if self.restriction("Capabilities.UpdateRestrictions").and_then(|r| r.bool("Updatable")) != Some(false) {
            methods.push(Method::Patch);
        }
        methods
    }

    fn media(&self) -> Vec<Method> {
        let term = |t: &str| self.on_target(t).or_else(|| self.on_source(t)).cloned();
        let mut methods = Vec::new();
        if readable_by_key(term("Capabilities.ReadRestrictions").as_ref()) {
            methods.push(Method::Get);
        }
        if term("Capabilities.UpdateRestrictions").and_then(|r| r.bool("Updatable")) != Some(false) {
            methods.push(Method::Put);
        }
        if term("Capabilities.DeleteRestrictions").and_then(|r| r.bool("Deletable")) != Some(false) {
            methods.push(Method::Delete);
        }
        methods
    }

    fn complex(&self) -> Vec<Method> {
        let Some(Segment::Complex(property, _)) = self.path.last() else { return Vec::new() };
        let term = |t: &str| merge(self.on_target(t), property.annotations.record(t));
        let mut methods = Vec::new();
        if term("Capabilities.ReadRestrictions").and_then(|r| r.bool("Readable")) == Some(true) {
            methods.push(Method::Get);
        }
        let update = term("Capabilities.UpdateRestrictions");
        if update.as_ref().and_then(|r| r.bool("Updatable")) == Some(true) {
            methods.extend(update_methods(update.as_ref()));
        }
        if property.ty.collection
            && term("Capabilities.InsertRestrictions").and_then(|r| r.bool("Insertable")) == Some(true)
        {
            methods.push(Method::Post);
        }
        methods
    }

    /// The navigation restrictions of the source, and the restriction of the navigation property `path` names.
    fn restricted<'r>(restrictions: Option<&'r Record>, path: &str) -> Option<&'r Record> {
        restrictions?.records("RestrictedProperties").find(|r| r.text("NavigationProperty") == Some(path))
    }

    fn navigation(&self) -> Vec<Method> {
        let Some((n, _)) = self.path.last_navigation() else { return Vec::new() };
        let on_target = self.on_target("Capabilities.NavigationRestrictions");
        let on_source = self.on_source("Capabilities.NavigationRestrictions");
        let on_property = n.annotations.record("Capabilities.NavigationRestrictions");
        let restriction = on_target
            .and_then(|r| r.records("RestrictedProperties").next())
            .or_else(|| Self::restricted(on_source, &self.path.navigation_path(None)))
            .or_else(|| on_property.and_then(|r| r.records("RestrictedProperties").next()));
        if !navigable(on_source, restriction) || !navigable(on_property, restriction) {
            return Vec::new();
        }
        let key = self.path.last().is_some_and(|s| matches!(s, Segment::Key { .. }));
        let many = n.ty.collection;
        let on_entity = |term: &str| self.csdl.type_record(&n.ty.name, term);
        // The target path's restriction, then the restricted property's, then the navigation property's own.
        let layered = |term: &str, inner: &str| {
            let first = merge(self.on_target(term), restriction.and_then(|r| r.record(inner)));
            merge(first.as_ref(), n.annotations.record(term))
        };
        let mut methods = Vec::new();

        let read = layered("Capabilities.ReadRestrictions", "ReadRestrictions");
        let entity_read = on_entity("Capabilities.ReadRestrictions");
        let get = match (&read, entity_read) {
            (None, None) => true,
            _ if many && key => {
                readable(read.as_ref().and_then(|r| r.record("ReadByKeyRestrictions"))) && readable(entity_read)
            }
            _ => readable(read.as_ref()) && readable(entity_read),
        };
        if get {
            methods.push(Method::Get);
        }

        let update = layered("Capabilities.UpdateRestrictions", "UpdateRestrictions");
        let insert = layered("Capabilities.InsertRestrictions", "InsertRestrictions");
        let entity_update = on_entity("Capabilities.UpdateRestrictions");
        let updatable = |r: Option<&Record>| r.and_then(|r| r.bool("Updatable")) != Some(false);
        let insertable = |r: Option<&Record>| r.and_then(|r| r.bool("Insertable")) != Some(false);
        if n.contains_target {
            let chosen = update.as_ref().or(entity_update);
            if many && key {
                if updatable(entity_update) && updatable(update.as_ref()) {
                    methods.extend(update_methods(chosen));
                }
            } else if many {
                let entity_insert = on_entity("Capabilities.InsertRestrictions");
                if (insert.is_none() && entity_insert.is_none())
                    || (insertable(entity_insert) && insertable(insert.as_ref()))
                {
                    methods.push(Method::Post);
                }
            } else if updatable(chosen) {
                methods.extend(update_methods(chosen));
            }
        } else {
            let explicitly = |r: Option<&Record>, p: &str| r.and_then(|r| r.bool(p)) == Some(true);
            if many && !key {
                if explicitly(insert.as_ref(), "Insertable") {
                    methods.push(Method::Post);
                }
            } else if explicitly(update.as_ref(), "Updatable") {
                methods.extend(update_methods(update.as_ref()));
            }
        }

        if !many || key {
            let delete = layered("Capabilities.DeleteRestrictions", "DeleteRestrictions");
            let entity_delete = on_entity("Capabilities.DeleteRestrictions");
            let deletable = |r: Option<&Record>| r.and_then(|r| r.bool("Deletable")) != Some(false);
            let is_deletable = (delete.is_none() && entity_delete.is_none())
                || (deletable(entity_delete) && deletable(delete.as_ref()));
            if (n.contains_target && is_deletable) || delete.and_then(|r| r.bool("Deletable")) == Some(true) {
                methods.push(Method::Delete);
            }
        }
        methods
    }

    fn reference(&self) -> Vec<Method> {
        let Some((n, _)) = self.path.last_navigation() else { return Vec::new() };
        let restrictions = merge(
            self.on_target("Capabilities.NavigationRestrictions"),
            self.on_source("Capabilities.NavigationRestrictions"),
        );
        // OpenAPI.OData names the property by every segment but keys and the source, `$ref` included.
        let name: Vec<String> = self
            .path
            .segments
            .iter()
            .filter(|s| !matches!(s, Segment::Key { .. } | Segment::Source(_)))
            .map(Segment::identifier)
            .collect();
        let restriction = Self::restricted(restrictions.as_ref(), &name.join("/"));
        if restriction.is_some_and(|r| r.has_member("Navigability", "None")) {
            return Vec::new();
        }
        if restriction.is_none_or(|r| !r.has("Navigability"))
            && restrictions.as_ref().is_some_and(|r| r.has_member("Navigability", "None"))
        {
            return Vec::new();
        }
        let allowed = |term: &str, inner: &str, property: &str| {
            merge(self.on_target(term), restriction.and_then(|r| r.record(inner))).and_then(|r| r.bool(property))
                != Some(false)
        };
        let read = allowed("Capabilities.ReadRestrictions", "ReadRestrictions", "Readable");
        let insert = allowed("Capabilities.InsertRestrictions", "InsertRestrictions", "Insertable");
        let update = allowed("Capabilities.UpdateRestrictions", "UpdateRestrictions", "Updatable");
        let delete = allowed("Capabilities.DeleteRestrictions", "DeleteRestrictions", "Deletable");
        let below_key = matches!(self.path.second_last(), Some(Segment::Key { .. }));
        let mut methods = Vec::new();
        let mut add = |yes: bool, method: Method| {
            if yes {
                methods.push(method);
            }
        };
        if n.ty.collection && below_key {
            add(delete, Method::Delete);
        } else if n.ty.collection {
            add(read, Method::Get);
            add(insert, Method::Post);
            add(delete, Method::Delete);
        } else {
            add(read, Method::Get);
            add(update, Method::Put);
            add(delete, Method::Delete);
        }
        methods
    }
}

/// Readable by key: no restriction, or `ReadByKeyRestrictions/Readable` (else `Readable`) not `false`.
fn readable_by_key(r: Option<&Record>) -> bool {
    match r {
        None => true,
        Some(r) => match r.record("ReadByKeyRestrictions") {
            Some(by_key) => readable(Some(by_key)),
            None => readable(Some(r)),
        },
    }
}

/// PATCH, or PUT (or both) when `UpdateMethod` says so.
fn update_methods(update: Option<&Record>) -> Vec<Method> {
    let put = update.is_some_and(|r| r.has_member("UpdateMethod", "PUT"));
    let patch = update.is_some_and(|r| r.has_member("UpdateMethod", "PATCH"));
    match (put, patch) {
        (true, true) => vec![Method::Put, Method::Patch],
        (true, false) => vec![Method::Put],
        _ => vec![Method::Patch],
    }
}
