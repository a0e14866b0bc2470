//! Cargo features per area, so that a crate using one part of Graph compiles only that part.
//!
//! An area is a top-level path segment (`users`, `groups`, `communications`, …): its request builders are behind a
//! feature of the same name, and every type is behind the features of the areas whose operations reach it
//! (through bodies, responses, fields and base types). A type no operation reaches (a derived type only ever met
//! as a value of its base type, say) is behind `full`, which enables every area. An area that uses a type defined
//! under another area (an inline type shared between `/me/…` and `/users/{id}/…`) enables that area too.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Crate, Node, RequestBody, ResponseShape, Shape, TypePath, TypeRef, MODELS_MODULE};

/// The feature that enables every area.
pub const FULL: &str = "full";

/// Which features enable what.
#[derive(Debug, Default)]
pub struct Areas {
    /// Each area's feature and the other areas it enables.
    pub features: BTreeMap<String, BTreeSet<String>>,
    /// For each type, the areas that reach it (empty: only `full`).
    pub of_type: BTreeMap<TypePath, BTreeSet<String>>,
    /// Types every build needs: the error model and what it uses.
    pub always: BTreeSet<TypePath>,
}

impl Areas {
    /// Works out the areas of `model`.
    pub fn compute(model: &Crate) -> Self {
        let types: BTreeMap<&TypePath, &crate::model::TypeDef> = model.types.iter().map(|t| (&t.path, t)).collect();
        let area_names: BTreeSet<&str> =
            model.root.children.iter().filter_map(|c| c.module.first().map(String::as_str)).collect();
        let mut areas = Areas::default();
        for t in &model.types {
            areas.of_type.insert(t.path.clone(), BTreeSet::new());
        }
        for child in &model.root.children {
            let Some(area) = child.module.first() else { continue };
            let mut needs = BTreeSet::new();
            // Everything the area's operations use, and every type defined in its modules.
            let mut stack: Vec<TypePath> = Vec::new();
            collect_operation_types(child, &mut stack);
            stack.extend(model.types.iter().filter(|t| t.path.module.first() == Some(area)).map(|t| t.path.clone()));
            for r in model.reexports.iter().filter(|r| r.module.first() == Some(area)) {
                stack.push(r.target.clone());
            }
            let mut seen = BTreeSet::new();
            while let Some(path) = stack.pop() {
                if !seen.insert(path.clone()) {
                    continue;
                }
                match path.module.first().map(String::as_str) {
                    Some(m) if m == MODELS_MODULE => {}
                    Some(other) if other != area && area_names.contains(other) => {
                        needs.insert(other.to_owned());
                    }
                    _ => {}
                }
                if let Some(set) = areas.of_type.get_mut(&path) {
                    set.insert(area.clone());
                }
                if let Some(t) = types.get(&path) {
                    if let Shape::Struct(s) = &t.shape {
                        stack.extend(s.base.iter().cloned());
                        for f in &s.fields {
                            named(&f.ty, &mut stack);
                        }
                    }
                }
            }
            areas.features.insert(area.clone(), needs);
        }
        let mut stack: Vec<TypePath> = model.error_type.iter().cloned().collect();
        while let Some(path) = stack.pop() {
            if !areas.always.insert(path.clone()) {
                continue;
            }
            if let Some(Shape::Struct(s)) = types.get(&path).map(|t| &t.shape) {
                stack.extend(s.base.iter().cloned());
                for f in &s.fields {
                    named(&f.ty, &mut stack);
                }
            }
        }
        // An area that needs another needs what that one needs.
        loop {
            let snapshot = areas.features.clone();
            let mut changed = false;
            for (area, needs) in &mut areas.features {
                let extra: BTreeSet<String> =
                    needs.iter().flat_map(|n| snapshot.get(n).into_iter().flatten().cloned()).collect();
                for e in extra {
                    if &e != area && needs.insert(e) {
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        // A type reached by an area is also compiled for every area that enables that one (no cfg needs that),
        // so listing the areas that reach it directly is enough.
        areas
    }

    /// The `cfg` predicate for a type, e.g. `any(feature = "users", feature = "me")`, or `feature = "full"` for a type
    /// no area reaches.
    pub fn type_predicate(&self, path: &TypePath) -> Option<String> {
        if self.always.contains(path) {
            return None;
        }
        let areas = self.of_type.get(path)?;
        if areas.is_empty() {
            return Some(format!("feature = \"{FULL}\""));
        }
        let list: Vec<String> = areas.iter().map(|a| format!("feature = \"{a}\"")).collect();
        Some(if list.len() == 1 { list[0].clone() } else { format!("any({})", list.join(", ")) })
    }

    /// The `[features]` table of the manifest.
    pub fn manifest_table(&self) -> String {
        let q = |s: &str| toml::Value::String(s.to_owned()).to_string();
        let mut out =
            String::from("\n[features]\n# Nothing by default: enable the areas you use (or `full`).\ndefault = []\n");
        let all: Vec<String> = self.features.keys().map(|a| q(a)).collect();
        out.push_str(&format!("{FULL} = [{}]\n", all.join(", ")));
        for (area, needs) in &self.features {
            let needs: Vec<String> = needs.iter().map(|n| q(n)).collect();
            out.push_str(&format!("{} = [{}]\n", area, needs.join(", ")));
        }
        out
    }
}

fn collect_operation_types(node: &Node, out: &mut Vec<TypePath>) {
    for op in &node.operations {
        if let Some(RequestBody::Json(ty)) = &op.body {
            named(ty, out);
        }
        if let ResponseShape::Json(ty) | ResponseShape::Text(ty) = &op.response {
            named(ty, out);
        }
    }
    for child in &node.children {
        collect_operation_types(child, out);
    }
}

fn named(ty: &TypeRef, out: &mut Vec<TypePath>) {
    match ty {
        TypeRef::Named(p) | TypeRef::Flags(p) => out.push(p.clone()),
        TypeRef::Vec(inner) | TypeRef::Map(inner) => named(inner, out),
        _ => {}
    }
}
