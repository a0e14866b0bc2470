//! Boxing: a field whose type can contain the field's own struct without a `Vec` or map in between is boxed, so the
//! struct has a size. That is the case exactly when the field's type and the struct are in the same strongly
//! connected component of the "has a field of type" graph, found in linear time (Tarjan's algorithm, iterative so
//! long chains cannot exhaust the stack).

use std::collections::BTreeMap;

use crate::model::{TypeDef, TypePath, TypeRef};

/// Sets `boxed` on every field that closes a cycle of types containing each other.
pub fn box_cycles(types: &mut [TypeDef]) {
    let index: BTreeMap<&TypePath, usize> = types.iter().enumerate().map(|(i, t)| (&t.path, i)).collect();
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| {
            t.fields()
                .iter()
                .filter_map(|f| match &f.ty {
                    TypeRef::Named(p) => index.get(p).copied(),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let component = components(&edges);
    let paths: Vec<TypePath> = types.iter().map(|t| t.path.clone()).collect();
    let by_path: BTreeMap<&TypePath, usize> = paths.iter().enumerate().map(|(i, p)| (p, i)).collect();
    for (i, t) in types.iter_mut().enumerate() {
        for f in t.fields_mut() {
            if let TypeRef::Named(target) = &f.ty {
                f.boxed = by_path.get(target).is_some_and(|&j| component[j] == component[i]);
            }
        }
    }
}

/// The strongly connected component of each vertex (Tarjan's algorithm without recursion).
fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut index, mut low, mut component) = (vec![UNSEEN; n], vec![0; n], vec![UNSEEN; n]);
    let mut on_stack = vec![false; n];
    let (mut stack, mut next_index, mut next_component) = (Vec::new(), 0, 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (vertex, next edge to look at)
        let mut work = vec![(root, 0)];
        while let Some(&(v, edge)) = work.last() {
            if edge == 0 && index[v] == UNSEEN {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(edge) {
                if let Some(top) = work.last_mut() {
                    top.1 += 1;
                }
                if index[w] == UNSEEN {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_of_cycles_and_chains() {
        // 0 → 1 → 2 → 0, 2 → 3, 3 → 3, 4 alone.
        let c = components(&[vec![1], vec![2], vec![0, 3], vec![3], vec![]]);
        assert!(c[0] == c[1] && c[1] == c[2]);
        assert!(c[3] != c[0] && c[4] != c[0] && c[4] != c[3]);
        // A chain of 100,000 vertices does not exhaust the stack.
        let chain: Vec<Vec<usize>> =
            (0..100_000).map(|i| if i + 1 < 100_000 { vec![i + 1] } else { vec![0] }).collect();
        let c = components(&chain);
        assert!(c.iter().all(|&x| x == c[0]));
    }
}
