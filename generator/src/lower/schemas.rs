//! Schemas: each schema an operation uses, lowered to a Rust type (a struct, an enum, a primitive, a collection),
//! named by its component name or by where it is used.
use std::collections::BTreeSet;

use super::*;

impl<'a, 'd> Lowerer<'a, 'd> {
    /// Lowers a schema used at `pointer`; inline objects become structs named by `hint`.
    pub(super) fn schema(&mut self, schema: &'d Schema, pointer: &str, hint: &NameHint) -> Option<TypeRef> {
        if let Some(reference) = &schema.reference {
            return self.component(reference, &pointer_push(pointer, "$ref"));
        }
        if let [single] = &schema.all_of[..] {
            if single.reference.is_some() && schema.properties.is_empty() {
                return self.schema(single, &pointer_push(&pointer_push(pointer, "allOf"), "0"), hint);
            }
        }
        if !schema.all_of.is_empty() {
            return self.object(schema, pointer, hint, None);
        }
        for (key, members) in [("anyOf", &schema.any_of), ("oneOf", &schema.one_of)] {
            if members.is_empty() {
                continue;
            }
            // Graph writes a nullable reference as `anyOf: [{$ref: X}, {type: object, nullable: true}]`.
            let real: Vec<(usize, &Schema)> =
                members.iter().enumerate().filter(|(_, m)| !is_null_placeholder(m)).collect();
            // Kiota's form of a number that may also be written as a string (`"NaN"`, `"INF"`, a decimal):
            // `oneOf: [{type: number, format: double}, {type: string}, {$ref: ReferenceNumeric}]`.
            // Lowered as `Double`, which reads those strings too.
            if let Some(&(i, _)) = real.iter().find(|(_, m)| {
                m.schema_type.as_deref() == Some("number")
                    && matches!(m.format.as_deref(), Some("double" | "float" | "decimal"))
            }) {
                let rest_are_strings = real.iter().all(|(j, m)| {
                    *j == i
                        || (m.schema_type.as_deref() == Some("string") && m.format.is_none())
                        || m.reference.as_deref().is_some_and(|r| r.ends_with("/ReferenceNumeric"))
                });
                if rest_are_strings && real.len() > 1 {
                    return Some(TypeRef::Double);
                }
            }
            return match real[..] {
                [(i, member)] => self.schema(member, &pointer_push(&pointer_push(pointer, key), &i.to_string()), hint),
                _ => {
                    self.unsupported(&pointer_push(pointer, key), &format!("{key} with {} alternatives", real.len()));
                    None
                }
            };
        }
        if schema.not.is_some() {
            self.unsupported(&pointer_push(pointer, "not"), "not");
            return None;
        }
        if !schema.enum_values.is_empty() {
            let values: Option<Vec<&str>> =
                schema.enum_values.iter().filter(|v| !v.is_null()).map(serde_json::Value::as_str).collect();
            return match (values, schema.schema_type.as_deref()) {
                (Some(values), Some("string") | None) if !values.is_empty() => {
                    Some(self.enumeration(schema, &values, hint))
                }
                _ => {
                    self.unsupported(&pointer_push(pointer, "enum"), "an enum whose values are not all strings");
                    None
                }
            };
        }
        match schema.schema_type.as_deref() {
            // The formats Microsoft's converter gives Edm primitives.
            Some("string") => Some(match schema.format.as_deref() {
                Some("date-time") => TypeRef::DateTimeOffset,
                Some("date") => TypeRef::Date,
                Some("time") => TypeRef::TimeOfDay,
                Some("duration") => TypeRef::Duration,
                Some("uuid") => TypeRef::Guid,
                // Binary inside JSON can only be base64.
                Some("base64url" | "byte" | "binary") => TypeRef::Base64,
                _ => TypeRef::String,
            }),
            Some("boolean") => Some(TypeRef::Bool),
            Some("integer" | "number") => Some(match schema.format.as_deref() {
                Some("int32" | "int16" | "int8" | "uint8") => TypeRef::I32,
                Some("int64") => TypeRef::I64,
                Some("float") => TypeRef::F32,
                Some("double") => TypeRef::Double,
                _ if schema.schema_type.as_deref() == Some("integer") => TypeRef::I64,
                // `decimal` too: JSON numbers reach the SDK as f64.
                _ => TypeRef::F64,
            }),
            Some("array") => {
                let item_hint = NameHint {
                    module: hint.module.clone(),
                    name: naming::camel(&format!("{} item", hint.name)),
                    origin: format!("An item of: {}", hint.origin),
                    rank: hint.rank,
                };
                let items = match &schema.items {
                    Some(items) => self.schema(items, &pointer_push(pointer, "items"), &item_hint)?,
                    None => TypeRef::Json,
                };
                Some(TypeRef::Vec(Box::new(items)))
            }
            Some("object") | None => self.object(schema, pointer, hint, None),
            Some(other) => {
                self.error(
                    &pointer_push(pointer, "type"),
                    format!("expected one of string, boolean, integer, number, array, object; found `{other}`"),
                );
                None
            }
        }
    }

    /// An object schema: a struct when it has properties, a base or a name, otherwise a map or any JSON.
    ///
    /// With `allOf`, a reference to another object is the base the struct extends (its fields are added by
    /// `flatten_inheritance`), and the other members add properties.
    pub(super) fn object(
        &mut self,
        schema: &'d Schema,
        pointer: &str,
        hint: &NameHint,
        named: Option<TypePath>,
    ) -> Option<TypeRef> {
        let mut parts: Vec<(&'d Schema, String)> = vec![(schema, pointer.to_owned())];
        let mut base = None;
        for (i, member) in schema.all_of.iter().enumerate() {
            let at = pointer_push(&pointer_push(pointer, "allOf"), &i.to_string());
            match &member.reference {
                Some(reference) => match self.component(reference, &pointer_push(&at, "$ref"))? {
                    TypeRef::Named(path) if base.is_none() && self.structs.contains_key(&path) => base = Some(path),
                    TypeRef::Named(_) if base.is_some() => {
                        self.unsupported(&at, "allOf with more than one base (multiple inheritance)");
                        return None;
                    }
                    _ => {
                        self.unsupported(&at, "allOf with a member that is not an object");
                        return None;
                    }
                },
                None if is_plain_object(member) => parts.push((member, at)),
                None => {
                    self.unsupported(&at, "allOf with a member that is not a plain object");
                    return None;
                }
            }
        }
        let keeps_unknown =
            !parts.iter().any(|(p, _)| matches!(p.additional_properties, Some(AdditionalProperties::Flag(false))));
        let has_properties = parts.iter().any(|(p, _)| !p.properties.is_empty());
        if !has_properties && base.is_none() && named.is_none() {
            return match &schema.additional_properties {
                Some(AdditionalProperties::Schema(values)) if !is_any_object(values) => {
                    let value_hint = NameHint {
                        module: hint.module.clone(),
                        name: naming::camel(&format!("{} value", hint.name)),
                        origin: format!("A value of: {}", hint.origin),
                        rank: hint.rank,
                    };
                    let values = self.schema(values, &pointer_push(pointer, "additionalProperties"), &value_hint)?;
                    Some(TypeRef::Map(Box::new(values)))
                }
                _ => Some(TypeRef::Json),
            };
        }
        let path = match named {
            Some(path) => path,
            None => {
                let path = TypePath { module: hint.module.clone(), name: self.claim(&hint.module, hint.name.clone()) };
                self.inline_rank.insert(path.clone(), hint.rank);
                path
            }
        };
        self.structs.insert(path.clone(), pointer.to_owned());
        // A named schema's name is its OData type name.
        let odata_type = pointer.strip_prefix("#/components/schemas/").map(|name| format!("#{}", unescape(name)));
        let mut fields = Vec::new();
        let declared: BTreeSet<&str> =
            parts.iter().flat_map(|(p, _)| p.properties.keys().map(String::as_str)).collect();
        for (part, part_pointer) in &parts {
            for (wire, property) in &part.properties {
                let at = pointer_push(&pointer_push(part_pointer, "properties"), wire);
                let property_hint = NameHint {
                    module: path.module.clone(),
                    name: naming::camel(&format!("{} {wire}", path.name)),
                    origin: format!("The `{wire}` property of [`{}`].", path.doc_link()),
                    rank: hint.rank,
                };
                let Some(ty) = self.schema(property, &at, &property_hint) else { continue };
                let required = parts.iter().any(|(p, _)| p.required.iter().any(|r| r == wire));
                fields.push(Field {
                    // Chosen by `flatten_inheritance`, once the inherited fields are known.
                    rust_name: String::new(),
                    wire_name: wire.clone(),
                    ty,
                    optional: !required || property.nullable || is_nullable_wrapper(property),
                    skip_if_none: !required,
                    boxed: false,
                    navigation: property.navigation_property,
                    docs: property.description.clone().or_else(|| property.title.clone()),
                });
            }
            for (i, required) in part.required.iter().enumerate() {
                if base.is_none() && !declared.contains(required.as_str()) {
                    self.error(
                        &pointer_push(&pointer_push(part_pointer, "required"), &i.to_string()),
                        format!("required property `{required}` is not among the properties"),
                    );
                }
            }
        }
        let docs_from = parts.iter().rev().map(|(p, _)| *p).find(|p| p.title.is_some() || p.description.is_some());
        self.types.push(TypeDef {
            path: path.clone(),
            origin: hint.origin.clone(),
            file: None,
            docs: Docs {
                summary: docs_from.and_then(|p| p.title.clone()),
                description: docs_from.and_then(|p| p.description.clone()),
                link: None,
            },
            shape: Shape::Struct(Struct { base, fields, additional_data: keeps_unknown, odata_type }),
        });
        Some(TypeRef::Named(path))
    }

    /// A string enum named by `hint`; flags enums are used as sets.
    pub(super) fn enumeration(&mut self, schema: &Schema, values: &[&str], hint: &NameHint) -> TypeRef {
        let path = TypePath { module: hint.module.clone(), name: self.claim(&hint.module, hint.name.clone()) };
        let mut variants = Scope::new();
        variants.claim("Other".to_owned());
        let mut members = Vec::new();
        for wire in values {
            if members.iter().any(|m: &Member| m.wire == *wire) {
                continue;
            }
            let name = match wire.strip_prefix('-') {
                Some(rest) => naming::camel(&format!("minus {rest}")),
                None => naming::camel(wire),
            };
            members.push(Member { rust_name: variants.claim(name), wire: (*wire).to_owned() });
        }
        let flags = schema.enum_flags.as_ref().is_some_and(|f| f.is_flags);
        self.types.push(TypeDef {
            path: path.clone(),
            origin: hint.origin.clone(),
            file: None,
            docs: Docs { summary: schema.title.clone(), description: schema.description.clone(), link: None },
            shape: Shape::Enum(Enumeration { members, flags }),
        });
        if flags {
            TypeRef::Flags(path)
        } else {
            TypeRef::Named(path)
        }
    }

    /// Lowers `#/components/schemas/NAME` once; later uses get the same type.
    pub(super) fn component(&mut self, reference: &str, pointer: &str) -> Option<TypeRef> {
        let Some(name) = reference.strip_prefix(SCHEMA_REF) else {
            self.error(pointer, format!("unsupported $ref `{reference}`: expected a local `{SCHEMA_REF}…` reference"));
            return None;
        };
        match self.components.get(name) {
            Some(Component::Done(ty)) => return Some(ty.clone()),
            // Already reported where the schema itself is.
            Some(Component::Failed) => return None,
            Some(Component::Lowering) => {
                self.error(pointer, format!("$ref `{reference}` refers back to itself through other references"));
                return None;
            }
            None => {}
        }
        let doc = self.doc;
        let Some((name, schema)) = doc.components.schemas.get_key_value(name) else {
            self.error(
                pointer,
                format!("dangling $ref `{reference}`: no schema named `{name}` in #/components/schemas"),
            );
            return None;
        };
        let at = pointer_push("#/components/schemas", name);
        let (module, type_name) = self.component_name(name);
        let hint =
            NameHint { module: module.clone(), name: type_name, origin: format!("The `{name}` schema."), rank: 0 };
        let alias =
            matches!(&schema.all_of[..], [single] if single.reference.is_some()) && schema.properties.is_empty();
        let is_struct = schema.reference.is_none()
            && !alias
            && schema.any_of.is_empty()
            && schema.one_of.is_empty()
            && schema.enum_values.is_empty()
            && matches!(schema.schema_type.as_deref(), Some("object") | None)
            && (!schema.properties.is_empty() || schema.schema_type.is_some() || !schema.all_of.is_empty());
        if is_struct {
            let path = TypePath { module: module.clone(), name: self.claim(&module, hint.name.clone()) };
            // Known before its fields are lowered, so that a field (or a derived type) may refer back to it.
            self.components.insert(name.clone(), Component::Done(TypeRef::Named(path.clone())));
            self.structs.insert(path.clone(), at.clone());
            // Its fields are lowered later, from the work list (see `Lowerer::lower_deferred`).
            self.deferred.push(super::Deferred { schema, pointer: at, hint, path: path.clone() });
            Some(TypeRef::Named(path))
        } else {
            self.components.insert(name.clone(), Component::Lowering);
            let ty = self.schema(schema, &at, &hint);
            let state = ty.clone().map_or(Component::Failed, Component::Done);
            self.components.insert(name.clone(), state);
            ty
        }
    }

    /// `microsoft.graph.ODataErrors.ODataError` → (`models::o_data_errors`, `ODataError`).
    pub(super) fn component_name(&mut self, name: &str) -> (ModulePath, String) {
        let stripped = naming::strip_namespace(name, self.options.strip_namespace);
        let mut parts: Vec<&str> = stripped.split('.').collect();
        let type_name = naming::camel(parts.pop().unwrap_or(stripped));
        let mut module = vec![self.claim_module(&[], MODELS_MODULE)];
        for part in parts {
            let next = naming::snake(part);
            let child = self.claim_module(&module, &next);
            module.push(child);
        }
        (module, type_name)
    }

    /// A namespace's module name: claimed in its parent's scope the first time, the same name afterwards.
    pub(super) fn claim_module(&mut self, parent: &[String], name: &str) -> String {
        if parent.is_empty() {
            // `models` is claimed by the root scope up front.
            return name.to_owned();
        }
        let key: ModulePath = parent.iter().cloned().chain([name.to_owned()]).collect();
        if let Some(claimed) = self.namespaces.get(&key) {
            return claimed.clone();
        }
        let claimed = self.claim(&parent.to_vec(), name.to_owned());
        self.namespaces.insert(key, claimed.clone());
        claimed
    }
}

/// Graph's `{type: object, nullable: true}` member that only says "or null".
pub(super) fn is_null_placeholder(schema: &Schema) -> bool {
    schema.nullable
        && schema.reference.is_none()
        && schema.properties.is_empty()
        && schema.all_of.is_empty()
        && schema.any_of.is_empty()
        && schema.one_of.is_empty()
        && matches!(schema.schema_type.as_deref(), Some("object") | None)
}

/// A property written as `anyOf: [X, {nullable placeholder}]`.
pub(super) fn is_nullable_wrapper(schema: &Schema) -> bool {
    schema.any_of.iter().chain(&schema.one_of).any(is_null_placeholder)
}

/// A JSON pointer token as written (RFC 6901 unescaping).
pub(super) fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// An object schema without references or composition: one part of an `allOf`.
pub(super) fn is_plain_object(schema: &Schema) -> bool {
    schema.reference.is_none()
        && schema.all_of.is_empty()
        && schema.any_of.is_empty()
        && schema.one_of.is_empty()
        && schema.enum_values.is_empty()
        && matches!(schema.schema_type.as_deref(), Some("object") | None)
}

/// `additionalProperties: {type: object}` with nothing else: Graph's way of saying "any value".
pub(super) fn is_any_object(schema: &Schema) -> bool {
    schema.reference.is_none()
        && schema.properties.is_empty()
        && schema.items.is_none()
        && schema.all_of.is_empty()
        && schema.any_of.is_empty()
        && schema.one_of.is_empty()
        && matches!(schema.schema_type.as_deref(), Some("object") | None)
}
