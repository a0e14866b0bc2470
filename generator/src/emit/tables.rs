//! The permissions and national-cloud tables operations share. Graph's 15,000 operations have fewer than a
//! thousand distinct permissions tables and five distinct sets of clouds, so each distinct value is one private
//! constant (in `src/tables.rs`) that the operations' public constants name, instead of a literal per operation:
//! the compiler checks and evaluates each value once.

use super::*;
use crate::features::unit_of;

/// One distinct value and where it is used.
struct Entry {
    /// Its constant's number, in order of first use.
    index: usize,
    /// The value's tokens.
    value: TokenStream,
    /// The units (features) of the operations that use it; empty in a crate without features.
    units: BTreeSet<String>,
}

/// Every distinct permissions table and set of clouds of a crate's operations.
pub(super) struct Tables {
    /// The root module they live in (`tables`, or with `_` appended while an area has that name).
    module: String,
    permissions: BTreeMap<String, Entry>,
    clouds: BTreeMap<String, Entry>,
}

impl Tables {
    /// Collects the tables of `model`'s operations (and of their aliased forms, `me()`'s), in the order of the URL
    /// tree.
    pub(super) fn collect(model: &Crate, features: bool) -> Self {
        let taken: BTreeSet<&str> =
            model.root.children.iter().filter_map(|c| c.module.first().map(String::as_str)).collect();
        let mut module = String::from("tables");
        while taken.contains(module.as_str()) {
            module.push('_');
        }
        let mut tables = Tables { module, permissions: BTreeMap::new(), clouds: BTreeMap::new() };
        for node in model.nodes() {
            let unit = if features { unit_of(&node.module) } else { None };
            for op in &node.operations {
                let permissions = op.permissions.iter().chain(op.aliased.iter().filter_map(|a| a.permissions.as_ref()));
                for p in permissions {
                    add(&mut tables.permissions, permissions_tokens(p), unit.as_ref());
                }
                if let Some(clouds) = &op.clouds {
                    add(&mut tables.clouds, clouds_tokens(clouds), unit.as_ref());
                }
            }
        }
        tables
    }

    /// The path of the constant holding `p`.
    pub(super) fn permissions(&self, p: &Permissions) -> TokenStream {
        self.path("PERMISSIONS", &self.permissions, &permissions_tokens(p))
    }

    /// The path of the constant holding `clouds`.
    pub(super) fn clouds(&self, clouds: &[Cloud]) -> TokenStream {
        self.path("CLOUDS", &self.clouds, &clouds_tokens(clouds))
    }

    fn path(&self, kind: &str, entries: &BTreeMap<String, Entry>, value: &TokenStream) -> TokenStream {
        let module = ident(&self.module);
        // Every value was collected from the same model; a value missing would be a bug in `collect`.
        let index = entries.get(&value.to_string()).map_or(usize::MAX, |e| e.index);
        let name = format_ident!("{kind}_{index}");
        quote! { crate::#module::#name }
    }

    /// The module's name, for `mod …;` in the crate root; `None` when there is nothing to share.
    pub(super) fn module(&self) -> Option<&str> {
        (!self.permissions.is_empty() || !self.clouds.is_empty()).then_some(self.module.as_str())
    }

    /// The module's items, each behind the features of the operations that use it.
    pub(super) fn items(&self) -> TokenStream {
        let mut permissions: Vec<&Entry> = self.permissions.values().collect();
        permissions.sort_by_key(|e| e.index);
        let mut clouds: Vec<&Entry> = self.clouds.values().collect();
        clouds.sort_by_key(|e| e.index);
        let permissions = permissions.iter().map(|e| {
            let name = format_ident!("PERMISSIONS_{}", e.index);
            let gate = gate(&e.units);
            let value = &e.value;
            quote! { #gate pub(crate) const #name: msgraph_runtime::Permissions = #value; }
        });
        let clouds = clouds.iter().map(|e| {
            let name = format_ident!("CLOUDS_{}", e.index);
            let gate = gate(&e.units);
            let value = &e.value;
            quote! { #gate pub(crate) const #name: &[msgraph_runtime::NationalCloud] = #value; }
        });
        let docs = doc_attrs(
            "The permissions tables and sets of national clouds that operations share, each once; the operations' \
             `…_PERMISSIONS` and `…_CLOUDS` constants name them.",
            true,
        );
        quote! { #docs #(#permissions)* #(#clouds)* }
    }
}

fn add(entries: &mut BTreeMap<String, Entry>, value: TokenStream, unit: Option<&String>) {
    let index = entries.len();
    let entry = entries.entry(value.to_string()).or_insert_with(|| Entry { index, value, units: BTreeSet::new() });
    entry.units.extend(unit.cloned());
}

/// `#[cfg(any(feature = …))]` for the units; nothing in a crate without features.
fn gate(units: &BTreeSet<String>) -> Option<TokenStream> {
    cfg_attr(crate::features::any(units.iter().map(String::as_str)))
}

/// `&[msgraph_runtime::NationalCloud::Global, …]`.
fn clouds_tokens(clouds: &[Cloud]) -> TokenStream {
    let variants = clouds.iter().map(|c| format_ident!("{}", c.variant()));
    quote! { &[#(msgraph_runtime::NationalCloud::#variants),*] }
}
