//! Walking the model: every node, every operation, every use of a type; the one place that knows how to reach
//! them all.

use super::{Crate, Node, Operation, RequestBody, ResponseShape, TypePath, TypeRef};

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
    let mut out = Vec::new();
    for node in model.nodes() {
        for op in &node.operations {
            out.push((op.method.upper(), node.template.clone()));
            out.extend(op.aliased.iter().map(|a| (op.method.upper(), a.template.clone())));
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(b.0)));
    out.dedup();
    out
}
