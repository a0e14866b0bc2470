//! Cargo features per area, so that a crate using one part of Graph compiles only that part.
//!
//! An area is a top-level path segment (`users`, `groups`, `communications`, …) and its feature enables everything
//! under it. The area's own operations (`GET /users`, `POST /users`, `GET`/`PATCH`/`DELETE /users/{user-id}`) have
//! a feature of their own, `users-core`, and so has each part of an area — a segment below the area
//! (`/users/delta()`) or below its item (`/users/{user-id}/messages`): `users-messages` enables only that subtree.
//!
//! Every type is behind the features whose operations reach it: through their bodies and responses, the types
//! those derive from, and the structural fields (properties and complex values) of each; a type an operation
//! takes or returns also brings the types derived from it (what a value can be downcast to), unless it is a root
//! of the hierarchy, as `entity` is. Navigation properties (`manager`, `messages`) do not make their types
//! reachable: such a field exists only where a feature needs its type, and otherwise its value, when Graph sends
//! it (`$expand`), is kept in `additional_data`. So a program sending mail compiles the mail builders and the few
//! types they use. A type no operation reaches is behind `full`, which enables every area; the error model is
//! always compiled.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Crate, Field, ModulePath, Segment, Shape, TypePath, TypeRef, ITEM_MODULE};

/// The feature that enables every area.
pub const FULL: &str = "full";

/// The suffix of the feature of an area's own operations (`users-core`).
pub const CORE: &str = "core";

/// Which feature gates the code of a module: its area's own feature (`users`) or one part's (`users-messages`).
/// Shared inline types are kept within one such unit, so no part needs another one's modules.
pub fn unit_of(module: &[String]) -> Option<String> {
    let area = module.first()?;
    let part = match module.get(1).map(String::as_str) {
        Some(ITEM_MODULE) => module.get(2),
        Some(_) => module.get(1),
        None => None,
    };
    Some(match part {
        Some(part) => format!("{}-{}", kebab(area), kebab(part)),
        None => format!("{}-{CORE}", kebab(area)),
    })
}

fn kebab(module: &str) -> String {
    module.trim_end_matches('_').replace('_', "-")
}

/// Which features enable what, and which features each type and module needs.
#[derive(Debug, Default)]
pub struct Areas {
    /// Each area's feature and the part features it enables.
    pub areas: BTreeMap<String, BTreeSet<String>>,
    /// For each type, the units (area or part features) that reach it (empty: only `full`).
    pub of_type: BTreeMap<TypePath, BTreeSet<String>>,
    /// Types every build needs: the error model and what it uses.
    pub always: BTreeSet<TypePath>,
    /// For each module of a request builder, the units whose code is in or below it.
    pub of_module: BTreeMap<ModulePath, BTreeSet<String>>,
}

impl Areas {
    /// Works out the features of `model`.
    pub fn compute(model: &Crate) -> Self {
        let types: BTreeMap<&TypePath, &crate::model::TypeDef> = model.types.iter().map(|t| (&t.path, t)).collect();
        let mut areas = Areas::default();
        for t in &model.types {
            areas.of_type.insert(t.path.clone(), BTreeSet::new());
        }
        let hierarchy = model.hierarchy();
        // What an operation's type can be downcast to: the types derived from it, or from a page's items (none for
        // a root of its hierarchy, from which everything derives).
        let derived = |path: &TypePath| -> Vec<TypePath> {
            let page_item = hierarchy
                .structs
                .get(path)
                .and_then(|s| s.fields.iter().find(|f| f.wire_name == "value"))
                .and_then(|f| f.ty.named());
            [Some(path), page_item]
                .into_iter()
                .flatten()
                .filter(|start| hierarchy.structs.get(start).is_some_and(|s| s.base.is_some()))
                .flat_map(|start| hierarchy.with_descendants(start).into_iter().skip(1).cloned())
                .collect()
        };
        // The types each unit's operations use directly, and the types defined in its modules.
        let mut roots: BTreeMap<String, Vec<TypePath>> = BTreeMap::new();
        // For every builder module, the units in or below it; for every unit, the types its operations use.
        for node in model.nodes().into_iter().filter(|n| !matches!(n.segment, Segment::Root)) {
            let Some(unit) = unit_of(&node.module) else { continue };
            let entry = roots.entry(unit.clone()).or_default();
            for path in node.operations.iter().flat_map(|op| op.types()).filter_map(|ty| ty.named()) {
                entry.push(path.clone());
                entry.extend(derived(path));
            }
            if !node.operations.is_empty() {
                for depth in 1..=node.module.len() {
                    areas.of_module.entry(node.module[..depth].to_vec()).or_default().insert(unit.clone());
                }
            }
        }
        for t in &model.types {
            if let Some(unit) = unit_of(&t.path.module).filter(|_| areas.of_module.contains_key(&t.path.module)) {
                roots.entry(unit).or_default().push(t.path.clone());
            }
        }
        for r in &model.reexports {
            if let Some(unit) = unit_of(&r.module) {
                roots.entry(unit).or_default().push(r.target.clone());
            }
        }
        for (unit, mut stack) in roots {
            let mut seen = BTreeSet::new();
            while let Some(path) = stack.pop() {
                if !seen.insert(path.clone()) {
                    continue;
                }
                if let Some(set) = areas.of_type.get_mut(&path) {
                    set.insert(unit.clone());
                }
                if let Some(Shape::Struct(s)) = types.get(&path).map(|t| &t.shape) {
                    stack.extend(s.base.iter().cloned());
                    for f in s.fields.iter().filter(|f| !f.navigation) {
                        named(&f.ty, &mut stack);
                    }
                }
            }
        }
        for child in &model.root.children {
            let Some(area) = child.module.first() else { continue };
            let parts = areas.of_module.get(&child.module).cloned().unwrap_or_default();
            areas.areas.insert(kebab(area), parts);
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
        areas
    }

    /// The `cfg` predicate for a type: the units that reach it, `feature = "full"` for a type nothing reaches, or
    /// `None` for a type every build needs.
    pub fn type_predicate(&self, path: &TypePath) -> Option<String> {
        if self.always.contains(path) {
            return None;
        }
        let units = self.of_type.get(path)?;
        Some(any(units.iter().map(String::as_str)).unwrap_or_else(|| format!("feature = \"{FULL}\"")))
    }

    /// The `cfg` predicate for a field of `owner`: for a navigation property whose type is not compiled wherever
    /// `owner` is, its type's predicate; otherwise `None` (the field is there whenever its struct is).
    pub fn field_predicate(&self, owner: &TypePath, field: &Field) -> Option<String> {
        if !field.navigation {
            return None;
        }
        let target = field.ty.named()?;
        if self.always.contains(target) {
            return None;
        }
        let target_units = self.of_type.get(target)?;
        let implied = if self.always.contains(owner) {
            false
        } else {
            // `owner` compiled only under units that also compile the target (an empty set is `full` alone).
            let owner_units = self.of_type.get(owner)?;
            owner_units.is_empty() || owner_units.is_subset(target_units)
        };
        if implied {
            return None;
        }
        self.type_predicate(target)
    }

    /// A sentence for a gated type's docs naming the features that compile it (`None` for a type every build has).
    pub fn type_note(&self, path: &TypePath) -> Option<String> {
        if self.always.contains(path) {
            return None;
        }
        let units = self.of_type.get(path)?;
        Some(match units.len() {
            0 => format!("Compiled with the `{FULL}` feature only (no operation takes or returns it)."),
            1 => format!("Compiled with the {} feature (or its area's, or `{FULL}`).", listed(units)),
            _ => format!("Compiled with any of the features {} (or their areas', or `{FULL}`).", listed(units)),
        })
    }

    /// A sentence for a navigation method's docs naming the features that give it (any feature of the code below).
    pub fn module_note(&self, module: &ModulePath) -> Option<String> {
        let units = self.of_module.get(module)?;
        let area = module.first().map(|a| kebab(a)).unwrap_or_default();
        Some(match units.len() {
            0 => return None,
            1 => format!("Needs the {} feature (or `{area}`, or `{FULL}`).", listed(units)),
            _ => format!("Needs one of the features {} (or `{area}`, or `{FULL}`).", listed(units)),
        })
    }

    /// A sentence for an operation's docs naming the feature it needs.
    pub fn operation_note(module: &ModulePath) -> Option<String> {
        let unit = unit_of(module)?;
        let area = module.first().map(|a| kebab(a)).unwrap_or_default();
        Some(format!("Needs the `{unit}` feature (or `{area}`, or `{FULL}`)."))
    }

    /// The `cfg` predicate for a builder module (and the accessor that reaches it): any unit in or below it.
    pub fn module_predicate(&self, module: &ModulePath) -> Option<String> {
        any(self.of_module.get(module)?.iter().map(String::as_str))
    }

    /// The `cfg` predicate for the operations of the builder in `module`.
    pub fn operation_predicate(module: &ModulePath) -> Option<String> {
        unit_of(module).map(|unit| format!("feature = \"{unit}\""))
    }
}

/// The first four units in backticks, and how many more there are: "`a`, `b`, `c`, `d` and 12 more".
fn listed(units: &BTreeSet<String>) -> String {
    const SHOWN: usize = 4;
    let shown: Vec<String> = units.iter().take(SHOWN).map(|u| format!("`{u}`")).collect();
    match units.len().checked_sub(SHOWN) {
        Some(more) if more > 0 => format!("{} and {more} more", shown.join(", ")),
        _ => shown.join(", "),
    }
}

/// `feature = "a"`, or `any(feature = "a", feature = "b")`; `None` for no unit.
pub(crate) fn any<'a>(units: impl Iterator<Item = &'a str>) -> Option<String> {
    let list: Vec<String> = units.map(|u| format!("feature = \"{u}\"")).collect();
    match list.len() {
        0 => None,
        1 => list.into_iter().next(),
        _ => Some(format!("any({})", list.join(", "))),
    }
}

fn named(ty: &TypeRef, out: &mut Vec<TypePath>) {
    out.extend(ty.named().cloned());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|p| (*p).to_owned()).collect()
    }

    #[test]
    fn units_are_areas_and_their_parts() {
        assert_eq!(unit_of(&m(&["users"])).as_deref(), Some("users-core"));
        assert_eq!(unit_of(&m(&["users", "item"])).as_deref(), Some("users-core"));
        assert_eq!(unit_of(&m(&["users", "item", "messages", "item", "move_"])).as_deref(), Some("users-messages"));
        assert_eq!(unit_of(&m(&["users", "delta"])).as_deref(), Some("users-delta"));
        assert_eq!(
            unit_of(&m(&["identity_governance", "item", "mail_folders"])).as_deref(),
            Some("identity-governance-mail-folders")
        );
        assert_eq!(unit_of(&m(&["type_"])).as_deref(), Some("type-core"));
        assert_eq!(unit_of(&[]), None);
    }
}
