//! Inheritance: every struct gets the fields of the types it extends, base first, inherited fields before its own;
//! a property a derived type declares again takes the base field's place. Then each struct's Rust field names are
//! chosen, in that order. Work is proportional to the fields produced: each type is flattened once, after its
//! base, and a redeclared property is found by name, not by scanning.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Field, Shape, Struct, TypeDef, TypePath};
use crate::naming::{self, Scope};

/// Flattens every struct of `types`; returns the structs whose bases extend each other in a cycle (their own
/// fields are kept as they are).
pub fn flatten(types: &mut [TypeDef]) -> Vec<TypePath> {
    let index: BTreeMap<TypePath, usize> = types.iter().enumerate().map(|(i, t)| (t.path.clone(), i)).collect();
    let base_of = |types: &[TypeDef], i: usize| match &types[i].shape {
        Shape::Struct(Struct { base: Some(base), .. }) => index.get(base).copied(),
        _ => None,
    };
    // Bases before the types that extend them: walk each chain up to a flattened (or root) type, then down.
    let mut order = Vec::with_capacity(types.len());
    let mut placed = vec![false; types.len()];
    let mut cycles = Vec::new();
    for start in 0..types.len() {
        let mut chain = Vec::new();
        let mut on_chain = BTreeSet::new();
        let mut next = Some(start);
        while let Some(i) = next.filter(|&i| !placed[i]) {
            if !on_chain.insert(i) {
                cycles.push(types[start].path.clone());
                break;
            }
            chain.push(i);
            next = base_of(types, i);
        }
        for &i in chain.iter().rev() {
            if !placed[i] {
                placed[i] = true;
                order.push(i);
            }
        }
    }
    let in_cycle: BTreeSet<&TypePath> = cycles.iter().collect();
    let mut flattened: Vec<Option<Vec<Field>>> = vec![None; types.len()];
    for &i in &order {
        let Shape::Struct(s) = &types[i].shape else { continue };
        let inherited = match base_of(types, i) {
            Some(b) if !in_cycle.contains(&types[i].path) => flattened[b].clone(),
            _ => None,
        };
        let mut fields = inherited.unwrap_or_default();
        let mut position: BTreeMap<String, usize> =
            fields.iter().enumerate().map(|(at, f)| (f.wire_name.clone(), at)).collect();
        for own in &s.fields {
            match position.get(&own.wire_name) {
                Some(&at) => fields[at] = own.clone(),
                None => {
                    position.insert(own.wire_name.clone(), fields.len());
                    fields.push(own.clone());
                }
            }
        }
        flattened[i] = Some(fields);
    }
    for (t, fields) in types.iter_mut().zip(flattened) {
        if let Shape::Struct(s) = &mut t.shape {
            let mut scope = Scope::new();
            if s.additional_data {
                scope.claim("additional_data".to_owned());
            }
            s.fields = fields.unwrap_or_default();
            for f in &mut s.fields {
                f.rust_name = scope.claim(naming::snake(&f.wire_name));
            }
        }
    }
    cycles
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Docs, TypeRef};

    fn field(wire: &str, ty: TypeRef) -> Field {
        Field {
            rust_name: String::new(),
            wire_name: wire.to_owned(),
            ty,
            optional: true,
            skip_if_none: true,
            boxed: false,
            navigation: false,
            docs: None,
        }
    }

    fn ty(name: &str, base: Option<&str>, fields: Vec<Field>) -> TypeDef {
        TypeDef {
            path: TypePath { module: vec!["models".into()], name: name.into() },
            origin: String::new(),
            file: None,
            docs: Docs::default(),
            shape: Shape::Struct(Struct {
                base: base.map(|b| TypePath { module: vec!["models".into()], name: b.into() }),
                fields,
                additional_data: true,
                odata_type: None,
            }),
        }
    }

    #[test]
    fn bases_first_redeclared_in_place_names_chosen() {
        // Listed derived-first, to show the order does not matter.
        let mut types = vec![
            ty("User", Some("DirectoryObject"), vec![field("id", TypeRef::I64), field("type", TypeRef::String)]),
            ty("DirectoryObject", Some("Entity"), vec![field("deletedDateTime", TypeRef::DateTimeOffset)]),
            ty("Entity", None, vec![field("id", TypeRef::String), field("additional_data", TypeRef::Json)]),
        ];
        assert!(flatten(&mut types).is_empty());
        let names: Vec<(&str, &str)> =
            types[0].fields().iter().map(|f| (f.wire_name.as_str(), f.rust_name.as_str())).collect();
        assert_eq!(
            names,
            [
                ("id", "id"),
                ("additional_data", "additional_data_2"),
                ("deletedDateTime", "deleted_date_time"),
                ("type", "type_")
            ]
        );
        assert_eq!(types[0].fields()[0].ty, TypeRef::I64, "the derived type's declaration wins, in the base's place");
    }

    #[test]
    fn a_cycle_is_reported_and_a_long_chain_is_fast() {
        let mut types = vec![ty("A", Some("B"), vec![]), ty("B", Some("A"), vec![])];
        assert_eq!(flatten(&mut types).len(), 1);
        // 1,000 levels, one property each: half a million inherited fields, each produced once.
        let mut chain: Vec<TypeDef> = (0..1000)
            .map(|i| {
                let base = (i > 0).then(|| format!("T{}", i - 1));
                ty(&format!("T{i}"), base.as_deref(), vec![field(&format!("p{i}"), TypeRef::Bool)])
            })
            .collect();
        assert!(flatten(&mut chain).is_empty());
        assert_eq!(chain[999].fields().len(), 1000);
        assert_eq!(chain[999].fields()[0].wire_name, "p0");
    }
}
