//! Types: structs (with the hierarchy items of types that extend others, and paging), enums, fields and type
//! expressions.

use super::*;

/// The docs of a type: summary, description, origin.
pub(super) fn type_docs(ty: &TypeDef) -> String {
    let mut docs = String::new();
    for part in [&ty.docs.summary, &ty.docs.description].into_iter().flatten() {
        docs.push_str(&sanitize_doc(part));
        docs.push_str("\n\n");
    }
    docs.push_str(&ty.origin);
    docs
}

/// For a type in a hierarchy: `ODataType`, `DerivesFrom` for every ancestor, and `downcast` when others derive from it.
pub(super) fn hierarchy_tokens(
    ty: &TypeDef,
    s: &Struct,
    hierarchy: &Hierarchy<'_>,
    here: &[String],
    gate: &Option<TokenStream>,
) -> TokenStream {
    let Some(odata_type) = &s.odata_type else { return TokenStream::new() };
    let ancestors = hierarchy.ancestors(&ty.path);
    let has_children = hierarchy.children.contains_key(&ty.path);
    if ancestors.is_empty() && !has_children {
        return TokenStream::new();
    }
    let name = ident(&ty.path.name);
    let accepts = hierarchy.accepts(&ty.path);
    let bases = ancestors.iter().map(|a| type_tokens(&TypeRef::Named((*a).clone()), here));
    let downcast = has_children.then(|| {
        quote! {
            #gate
            impl #name {
                /// This value as the derived type it really is (its `@odata.type` says which), with every property:
                /// e.g. a value declared as a base type that is a derived one.
                ///
                /// # Errors
                ///
                /// When its `@odata.type` is not `D` or a type derived from `D`, or its properties do not fit `D`.
                pub fn downcast<D: msgraph_runtime::DerivesFrom<Self>>(&self) -> Result<D, msgraph_runtime::DowncastError> {
                    msgraph_runtime::downcast(self)
                }

                /// The `@odata.type` this value carries, e.g. `#microsoft.graph.user`.
                pub fn odata_type(&self) -> Option<String> {
                    msgraph_runtime::odata_type_of(self)
                }
            }
        }
    });
    quote! {
        #gate
        impl msgraph_runtime::ODataType for #name {
            const ODATA_TYPE: &'static str = #odata_type;
            const ACCEPTS: &'static [&'static str] = &[#(#accepts),*];
        }
        #(#gate impl msgraph_runtime::DerivesFrom<#bases> for #name {})*
        #downcast
    }
}

/// A collection page (`value` plus `@odata.nextLink`) implements `msgraph_runtime::Page`, so a request for it can
/// be followed through every page.
pub(super) fn page_tokens(ty: &TypeDef, s: &Struct, here: &[String], gate: &Option<TokenStream>) -> TokenStream {
    let value = s.fields.iter().find(|f| f.wire_name == "value");
    let next = s.fields.iter().find(|f| f.wire_name == "@odata.nextLink" && f.ty == TypeRef::String);
    let (Some(value), Some(next)) = (value, next) else { return TokenStream::new() };
    let TypeRef::Vec(item) = &value.ty else { return TokenStream::new() };
    let name = ident(&ty.path.name);
    let item = type_tokens(item, here);
    let (value_field, next_field) = (ident(&value.rust_name), ident(&next.rust_name));
    let items = if value.optional {
        quote! { self.#value_field.into_option().unwrap_or_default() }
    } else {
        quote! { self.#value_field }
    };
    let next_link = if next.optional {
        quote! { self.#next_field.into_option() }
    } else {
        quote! { Some(self.#next_field) }
    };
    quote! {
        #gate
        impl msgraph_runtime::Page for #name {
            type Item = #item;
            fn into_parts(self) -> (Vec<#item>, Option<String>) {
                (#items, #next_link)
            }
        }
    }
}

/// A struct, its fields each behind `field_gates` (parallel to `s.fields`: a navigation property whose type only
/// some features compile), and its (de)serialisation.
pub(super) fn struct_tokens(
    ty: &TypeDef,
    s: &Struct,
    here: &[String],
    gate: &Option<TokenStream>,
    field_gates: &[Option<String>],
    field_notes: &[Option<String>],
    feature_note: Option<&str>,
) -> TokenStream {
    let name = ident(&ty.path.name);
    let mut docs = type_docs(ty);
    if let Some(note) = feature_note {
        docs.push_str("\n\n");
        docs.push_str(note);
    }
    if let Some(base) = &s.base {
        docs.push_str(&format!("\n\nExtends [`{}`]: its fields come first.", base.doc_link()));
    }
    let docs = doc_attrs(&docs, false);
    let gates: Vec<Option<TokenStream>> = field_gates.iter().map(|g| cfg_attr(g.clone())).collect();
    let fields = s.fields.iter().zip(&gates).zip(field_notes).map(|((f, gate), note)| {
        let tokens = field_tokens(f, here, note.as_deref());
        quote! { #gate #tokens }
    });
    let additional = s.additional_data.then(|| {
        quote! {
            /// Properties the description does not declare, and declared ones whose value did not fit their type
            /// (see [`msgraph_runtime::AdditionalData::misfits`]): kept when a value is read, and written back.
            pub additional_data: msgraph_runtime::AdditionalData,
        }
    });
    let object = object_tokens(&name, s, gate, &gates);
    quote! {
        #docs
        #gate
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct #name {
            #(#fields)*
            #additional
        }

        #object
    }
}

/// How a struct reads and writes itself: one `match` over its properties and one write per property, through the
/// runtime's shared code (`msgraph_runtime::object`), instead of derived (de)serializers.
fn object_tokens(name: &Ident, s: &Struct, gate: &Option<TokenStream>, gates: &[Option<TokenStream>]) -> TokenStream {
    // Reads dispatch on the property's position among the sorted names: one integer switch, where a `match` on
    // the name would compare it with each in turn.
    let mut names: Vec<(&str, usize)> = s.fields.iter().enumerate().map(|(i, f)| (f.wire_name.as_str(), i)).collect();
    names.sort_unstable();
    let sorted: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
    let reads = names.iter().enumerate().map(|(position, (_, i))| {
        let (f, gate) = (&s.fields[*i], &gates[*i]);
        let field = ident(&f.rust_name);
        let position = proc_macro2::Literal::usize_unsuffixed(position);
        if f.optional {
            quote! { #gate #position => msgraph_runtime::object::read(&mut self.#field, value), }
        } else {
            quote! { #gate #position => msgraph_runtime::object::read_required(&mut self.#field, value), }
        }
    });
    // With every gated field left out, `value` may be unused.
    let any_gated = gates.iter().any(Option::is_some);
    let read_body = if s.fields.is_empty() {
        quote! { let _ = (name, value); None }
    } else {
        let unused = any_gated.then(|| quote! { let _ = value; });
        quote! {
            #unused
            match msgraph_runtime::object::find(&[#(#sorted),*], name)? {
                #(#reads)*
                _ => None,
            }
        }
    };
    let writes = s.fields.iter().zip(gates).map(|(f, gate)| {
        let (wire, field) = (&f.wire_name, ident(&f.rust_name));
        if f.optional && f.skip_if_none {
            quote! { #gate w.property(#wire, &self.#field); }
        } else if f.optional {
            // Required but nullable: always written, `null` when it has no value.
            quote! { #gate w.nullable(#wire, &self.#field); }
        } else {
            quote! { #gate w.required(#wire, &self.#field); }
        }
    });
    let write_body = if s.fields.is_empty() {
        quote! { let _ = map; Ok(()) }
    } else {
        // With every gated field left out, nothing may be written.
        let allow = any_gated.then(|| quote! { #[allow(unused_mut)] });
        quote! {
            #allow
            let mut w = msgraph_runtime::object::Writer::new(map);
            #(#writes)*
            w.finish()
        }
    };
    let required: Vec<&str> = s.fields.iter().filter(|f| !f.skip_if_none).map(|f| f.wire_name.as_str()).collect();
    let required = (!required.is_empty()).then(|| {
        quote! {
            fn required() -> &'static [&'static str] {
                &[#(#required),*]
            }
        }
    });
    let additional = s.additional_data.then(|| {
        quote! {
            fn additional_data(&self) -> Option<&msgraph_runtime::AdditionalData> {
                Some(&self.additional_data)
            }
            fn additional_data_mut(&mut self) -> Option<&mut msgraph_runtime::AdditionalData> {
                Some(&mut self.additional_data)
            }
        }
    });
    quote! {
        #gate
        impl msgraph_runtime::Object for #name {
            fn read_property(
                &mut self,
                name: &str,
                value: &msgraph_runtime::object::RawValue,
            ) -> Option<Result<(), serde_json::Error>> {
                #read_body
            }
            fn write_properties<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                #write_body
            }
            #required
            #additional
        }

        #gate
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                msgraph_runtime::object::serialize(self, serializer)
            }
        }

        #gate
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                msgraph_runtime::object::deserialize(deserializer)
            }
        }
    }
}

/// An enum as a `string_enum!` invocation, formatted here (prettyplease leaves macro bodies on one line).
pub(super) fn enum_text(ty: &TypeDef, e: &Enumeration, feature_note: Option<&str>) -> String {
    let mut docs = type_docs(ty);
    if let Some(note) = feature_note {
        docs.push_str("\n\n");
        docs.push_str(note);
    }
    if e.flags {
        docs.push_str("\n\nA flags enum: a field of this type is a [`msgraph_runtime::Flags`], a set of values.");
    }
    let mut out = String::from("msgraph_runtime::string_enum! {\n");
    for line in docs.trim_end().lines() {
        out.push_str(if line.is_empty() { "    ///\n" } else { "    /// " });
        if !line.is_empty() {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str(&format!("    pub enum {} {{\n", ty.path.name));
    for m in &e.members {
        let wire = format!("{:?}", m.wire);
        out.push_str(&format!("        /// `{}`\n        {} = {wire},\n", m.wire.replace('`', "'"), m.rust_name));
    }
    out.push_str("    }\n}\n");
    out
}

/// A field; `gated` names the features it exists with (a navigation property), which its docs then say.
pub(super) fn field_tokens(field: &Field, here: &[String], gated: Option<&str>) -> TokenStream {
    let name = ident(&field.rust_name);
    let mut ty = type_tokens(&field.ty, here);
    if field.boxed {
        ty = quote! { Box<#ty> };
    }
    if field.optional {
        ty = quote! { msgraph_runtime::Property<#ty> };
    }
    let mut docs = field.docs.as_deref().map(sanitize_doc).unwrap_or_default();
    if let Some(features) = gated {
        if !docs.is_empty() {
            docs.push_str("\n\n");
        }
        docs.push_str(&format!(
            "A navigation property: the field is there only when its type is compiled. {features} Without one of \
             those, a value Graph sends for it (with `$expand`) is kept in `additional_data`."
        ));
    }
    let docs = (!docs.is_empty()).then(|| doc_attrs(&docs, false));
    quote! {
        #docs
        pub #name: #ty,
    }
}

/// A type as written in module `here`: types defined in `here` by their bare name, others by their full path.
pub(super) fn type_tokens(ty: &TypeRef, here: &[String]) -> TokenStream {
    match ty {
        TypeRef::String => quote! { String },
        TypeRef::Bool => quote! { bool },
        TypeRef::I32 => quote! { i32 },
        TypeRef::I64 => quote! { i64 },
        TypeRef::F32 => quote! { f32 },
        TypeRef::F64 => quote! { f64 },
        TypeRef::Double => quote! { msgraph_runtime::Double },
        TypeRef::DateTimeOffset => quote! { msgraph_runtime::DateTimeOffset },
        TypeRef::Date => quote! { msgraph_runtime::Date },
        TypeRef::TimeOfDay => quote! { msgraph_runtime::TimeOfDay },
        TypeRef::Duration => quote! { msgraph_runtime::Duration },
        TypeRef::Guid => quote! { msgraph_runtime::Guid },
        TypeRef::Base64 => quote! { msgraph_runtime::Base64 },
        TypeRef::Json => quote! { serde_json::Value },
        TypeRef::Named(path) if path.module == here => {
            let name = ident(&path.name);
            quote! { #name }
        }
        TypeRef::Named(path) => type_path(path),
        TypeRef::Vec(inner) => {
            let inner = type_tokens(inner, here);
            quote! { Vec<#inner> }
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner, here);
            quote! { std::collections::BTreeMap<String, #inner> }
        }
        TypeRef::Flags(path) => {
            let inner = type_tokens(&TypeRef::Named(path.clone()), here);
            quote! { msgraph_runtime::Flags<#inner> }
        }
    }
}

pub(super) fn type_path(path: &TypePath) -> TokenStream {
    let modules = path.module.iter().map(|m| ident(m));
    let name = ident(&path.name);
    quote! { crate #(::#modules)* :: #name }
}
