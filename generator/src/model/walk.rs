//! Walking the model: every node, every operation, every use of a type; the one place that knows how to reach
//! them all.

use std::collections::{BTreeMap, BTreeSet};

use super::{Crate, Node, Operation, RequestBody, ResponseShape, Shape, Struct, TypePath, TypeRef};

impl Node {
    /// Calls `f` on this node and every node below it, parents before children.
    pub fn visit_mut(&mut self, f: &mut dyn FnMut(&mut Node)) {
        f(self);
        for child in &mut self.children {
            child.visit_mut(f);
        }
    }
}

impl Operation {
    /// The uses of types in its request body and success response.
    pub fn types_mut(&mut self) -> impl Iterator<Item = &mut TypeRef> {
        let body = match &mut self.body {
            Some(RequestBody::Json(ty) | RequestBody::Patch(ty)) => Some(ty),
            Some(RequestBody::Bytes { .. }) | None => None,
        };
        let response = match &mut self.response {
            ResponseShape::Json(ty) | ResponseShape::MaybeJson(ty) | ResponseShape::Text(ty) => Some(ty),
            ResponseShape::NoContent | ResponseShape::Bytes => None,
        };
        body.into_iter().chain(response)
    }

    /// The uses of types in its request body and success response.
    pub fn types(&self) -> impl Iterator<Item = &TypeRef> {
        let body = match &self.body {
            Some(RequestBody::Json(ty) | RequestBody::Patch(ty)) => Some(ty),
            Some(RequestBody::Bytes { .. }) | None => None,
        };
        let response = match &self.response {
            ResponseShape::Json(ty) | ResponseShape::MaybeJson(ty) | ResponseShape::Text(ty) => Some(ty),
            ResponseShape::NoContent | ResponseShape::Bytes => None,
        };
        body.into_iter().chain(response)
    }
}

impl TypeRef {
    /// The generated type it names, if any: `Vec<Message>` and `Flags<Day>` name `Message` and `Day`.
    pub fn named(&self) -> Option<&TypePath> {
        match self {
            TypeRef::Named(path) | TypeRef::Flags(path) => Some(path),
            TypeRef::Vec(inner) | TypeRef::Map(inner) => inner.named(),
            _ => None,
        }
    }

    /// [`Self::named`], to change it.
    pub fn named_mut(&mut self) -> Option<&mut TypePath> {
        match self {
            TypeRef::Named(path) | TypeRef::Flags(path) => Some(path),
            TypeRef::Vec(inner) | TypeRef::Map(inner) => inner.named_mut(),
            _ => None,
        }
    }
}

impl Crate {
    /// Every node of the URL tree, parents before children.
    pub fn nodes(&self) -> Vec<&Node> {
        let mut out = Vec::new();
        let mut stack = vec![&self.root];
        while let Some(node) = stack.pop() {
            out.push(node);
            stack.extend(node.children.iter().rev());
        }
        out
    }
}

/// Every operation of `model` as `(METHOD, template)`, sorted: each node's own, and each one again as it is reached
/// through an alias (`GET /me` for `GET /users/{user-id}`).
pub fn operations(model: &Crate) -> Vec<(&'static str, String)> {
    rows(model).into_iter().map(|row| (row.method, row.template)).collect()
}

/// Every operation as [`operations`] lists it, each followed by tab-separated columns: the least privileged
/// permission of each scheme (delegated work, delegated personal, application; `-` when the scheme is not
/// supported), where the table comes from (`listed`; `same-as METHOD /path (Rule)` for one taken from a listed
/// operation that acts on the same thing; `unlisted` when the file says nothing of it; `-` without a permissions
/// file) and the national clouds, comma-separated. What a maintainer diffs between two metadata or permissions
/// versions.
pub fn annotated_operations(model: &Crate) -> Vec<String> {
    fn permissions(p: Option<&super::Permissions>) -> String {
        let Some(p) = p else { return "-\t-\t-\t-".to_owned() };
        let least = |s: &super::SchemePermissions| s.least.clone().unwrap_or_else(|| "-".to_owned());
        let source = match &p.source {
            super::PermissionSource::Listed => "listed".to_owned(),
            super::PermissionSource::SameAs { listed, rule } => format!("same-as {listed} ({rule:?})"),
            super::PermissionSource::Unlisted => "unlisted".to_owned(),
        };
        format!("{}\t{}\t{}\t{source}", least(&p.delegated_work), least(&p.delegated_personal), least(&p.application))
    }
    rows(model)
        .into_iter()
        .map(|row| {
            let clouds = row
                .operation
                .clouds
                .as_ref()
                .map_or_else(|| "-".to_owned(), |c| c.iter().map(|c| c.variant()).collect::<Vec<_>>().join(","));
            format!("{}\t{}\t{}\t{clouds}", row.method, row.template, permissions(row.permissions))
        })
        .collect()
}

/// One operation as a client reaches it: on its node, or through an alias.
struct Row<'m> {
    method: &'static str,
    template: String,
    operation: &'m Operation,
    /// The table for this way of reaching it.
    permissions: Option<&'m super::Permissions>,
}

/// Every operation, on its node and through each alias, sorted by template then method; the first of equal ones.
fn rows(model: &Crate) -> Vec<Row<'_>> {
    let mut out = Vec::new();
    for node in model.nodes() {
        for op in &node.operations {
            let method = op.method.upper();
            let permissions = op.permissions.as_ref();
            out.push(Row { method, template: node.template.clone(), operation: op, permissions });
            out.extend(op.aliased.iter().map(|a| Row {
                method,
                template: a.template.clone(),
                operation: op,
                permissions: a.permissions.as_ref(),
            }));
        }
    }
    out.sort_by(|a, b| a.template.cmp(&b.template).then(a.method.cmp(b.method)));
    out.dedup_by(|a, b| (&a.template, a.method) == (&b.template, b.method));
    out
}

/// Who extends whom among a crate's structs ([`Crate::hierarchy`]).
#[derive(Debug)]
pub struct Hierarchy<'m> {
    /// Every struct, by path.
    pub structs: BTreeMap<&'m TypePath, &'m Struct>,
    /// The structs that extend each one directly, in the model's order.
    pub children: BTreeMap<&'m TypePath, Vec<&'m TypePath>>,
}

impl Crate {
    /// Its structs and who extends whom.
    pub fn hierarchy(&self) -> Hierarchy<'_> {
        let mut structs = BTreeMap::new();
        let mut children: BTreeMap<&TypePath, Vec<&TypePath>> = BTreeMap::new();
        for t in &self.types {
            if let Shape::Struct(s) = &t.shape {
                structs.insert(&t.path, s);
                if let Some(base) = &s.base {
                    children.entry(base).or_default().push(&t.path);
                }
            }
        }
        Hierarchy { structs, children }
    }
}

impl<'m> Hierarchy<'m> {
    /// The type's base, its base's base, and so on.
    pub fn ancestors(&self, path: &TypePath) -> Vec<&'m TypePath> {
        let mut out: Vec<&TypePath> = Vec::new();
        let mut next = self.structs.get(path).and_then(|s| s.base.as_ref());
        while let Some(base) = next {
            if out.contains(&base) {
                break;
            }
            out.push(base);
            next = self.structs.get(base).and_then(|s| s.base.as_ref());
        }
        out
    }

    /// The type and every type derived from it, directly or not, depth first in a fixed order.
    pub fn with_descendants<'p>(&self, path: &'p TypePath) -> Vec<&'p TypePath>
    where
        'm: 'p,
    {
        let mut out = Vec::new();
        let mut stack = vec![path];
        let mut seen = BTreeSet::new();
        while let Some(p) = stack.pop() {
            if !seen.insert(p) {
                continue;
            }
            out.push(p);
            stack.extend(self.children.get(p).into_iter().flatten().rev());
        }
        out
    }

    /// The `@odata.type` of the type and of every type derived from it, in a fixed order.
    pub fn accepts(&self, path: &TypePath) -> Vec<&'m str> {
        self.with_descendants(path)
            .into_iter()
            .filter_map(|p| self.structs.get(p).and_then(|s| s.odata_type.as_deref()))
            .collect()
    }
}
