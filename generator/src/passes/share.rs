//! Sharing: operations on different paths often declare the same inline type (Graph's `/me/…` mirrors
//! `/users/{user-id}/…`). Identical ones (same name, same fields) become one type, defined where its operation has
//! the most path parameters — the general form — and re-exported under every other name, so one value works with
//! all those operations. With a feature per area, types are shared only within one feature's code, so that no
//! feature needs another one's modules. Repeats until nested inline types have been shared too.

use std::collections::BTreeMap;

use crate::model::{Node, Reexport, Shape, TypeDef, TypePath};

/// Shares identical inline types (`inline` gives each one the number of path parameters of the operation that
/// defined it; `unit` the feature code in a module belongs to, when there are features) and points every use at
/// the one kept. Returns the re-exports that keep the other names.
pub fn share_identical(
    types: &mut Vec<TypeDef>,
    root: &mut Node,
    inline: &BTreeMap<TypePath, usize>,
    unit: &dyn Fn(&[String]) -> Option<String>,
) -> Vec<Reexport> {
    let mut reexports = Vec::new();
    loop {
        let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, t) in types.iter().enumerate() {
            if inline.contains_key(&t.path) {
                groups.entry(format!("{:?}", (&t.path.name, &t.shape, unit(&t.path.module)))).or_default().push(i);
            }
        }
        let mut replaced: BTreeMap<TypePath, TypePath> = BTreeMap::new();
        let mut origins: BTreeMap<TypePath, Vec<String>> = BTreeMap::new();
        for members in groups.values().filter(|m| m.len() > 1) {
            let rank = |i: &usize| inline.get(&types[*i].path).copied().unwrap_or(0);
            let Some(&canonical) =
                members.iter().max_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| types[**b].path.cmp(&types[**a].path)))
            else {
                continue;
            };
            let target = types[canonical].path.clone();
            for &i in members.iter().filter(|&&i| i != canonical) {
                let path = types[i].path.clone();
                origins.entry(target.clone()).or_default().push(types[i].origin.clone());
                reexports.push(Reexport { module: path.module.clone(), target: target.clone() });
                replaced.insert(path, target.clone());
            }
        }
        if replaced.is_empty() {
            break;
        }
        types.retain(|t| !replaced.contains_key(&t.path));
        let retarget = |path: &mut TypePath| {
            if let Some(to) = replaced.get(path) {
                *path = to.clone();
            }
        };
        for t in types.iter_mut() {
            if let Some(extra) = origins.get(&t.path) {
                for origin in extra {
                    t.origin.push_str("\n\n");
                    t.origin.push_str(origin);
                }
            }
            if let Shape::Struct(s) = &mut t.shape {
                if let Some(base) = &mut s.base {
                    retarget(base);
                }
                for f in &mut s.fields {
                    if let Some(p) = f.ty.named_mut() {
                        retarget(p);
                    }
                }
            }
        }
        root.visit_mut(&mut |node| {
            for op in &mut node.operations {
                for ty in op.types_mut() {
                    if let Some(p) = ty.named_mut() {
                        retarget(p);
                    }
                }
            }
        });
        for r in &mut reexports {
            retarget(&mut r.target);
        }
    }
    reexports.sort_by(|a, b| (&a.module, &a.target).cmp(&(&b.module, &b.target)));
    reexports
}
