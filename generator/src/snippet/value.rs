//! A JSON value as a Rust expression of the type the model gives it: struct literals with the generated field
//! names, enum variants, Edm primitives parsed from their literals, a derived type chosen by `@odata.type`, and
//! properties the model does not declare kept in `additional_data`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{rust_string, Draft, Refusal, Writer, JSON, VEC};
use crate::model::{Shape, Struct, TypeDef, TypePath, TypeRef};

/// Writes the values of one request body into a snippet's draft (its imports, notes and `json!` values).
pub(super) struct ValueWriter<'w, 'm> {
    writer: &'w Writer<'m>,
    pub(super) draft: &'w mut Draft,
    /// Types the snippet names beyond its operation's (derived types chosen by `@odata.type`, the types of navigation
    /// properties it sets): their features may be others than the operation's.
    derived: BTreeSet<&'m TypePath>,
}

impl<'w, 'm> ValueWriter<'w, 'm> {
    pub(super) fn new(writer: &'w Writer<'m>, draft: &'w mut Draft) -> Self {
        ValueWriter { writer, draft, derived: BTreeSet::new() }
    }

    /// `serde_json::json!(…)` of a value: a placeholder the formatter replaces with the indented JSON.
    fn json_value(&mut self, value: &Value) -> String {
        self.draft.json.push(value.clone());
        format!("{JSON}({})", self.draft.json.len() - 1)
    }

    pub(super) fn derived_types(&self) -> impl Iterator<Item = &&'m TypePath> {
        self.derived.iter()
    }

    /// The request body: a value of `ty`.
    pub(super) fn top(&mut self, json: &Value, ty: &TypeRef) -> Result<String, Refusal> {
        self.value(json, ty, "")
    }

    /// `json` as an expression of type `ty`; `at` is its JSON pointer, for messages.
    fn value(&mut self, json: &Value, ty: &TypeRef, at: &str) -> Result<String, Refusal> {
        let misfit = |what: &str| {
            Refusal::new(format!(
                "the body's value at `{}` is {}, where the metadata expects {what}",
                if at.is_empty() { "/" } else { at },
                describe(json)
            ))
        };
        let crate_name = self.draft.imports.crate_name.clone();
        let runtime = |name: &str| format!("{crate_name}::runtime::{name}");
        let parsed = |type_name: &str, text: &str| format!("{}.parse::<{}>()?", rust_string(text), runtime(type_name));
        // A boolean or number written as a string is the value it spells (the service reads it so); noted.
        let pointer = if at.is_empty() { "/" } else { at };
        let spelled = |what: &str, notes: &mut Vec<String>| {
            notes.push(format!("{} at `{pointer}` is written as the {what} it spells", describe(json)));
        };
        Ok(match ty {
            TypeRef::String => match json {
                Value::String(s) => format!("{}.to_string()", rust_string(s)),
                _ => return Err(misfit("a string")),
            },
            TypeRef::Bool => match json {
                Value::Bool(b) => b.to_string(),
                Value::String(s) if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") => {
                    spelled("boolean", &mut self.draft.notes);
                    s.to_ascii_lowercase()
                }
                _ => return Err(misfit("a boolean")),
            },
            TypeRef::I32 | TypeRef::I64 => {
                let n = match json {
                    Value::String(s) => {
                        s.trim().parse::<i64>().ok().inspect(|_| spelled("integer", &mut self.draft.notes))
                    }
                    _ => json.as_i64(),
                };
                match n {
                    Some(n) if *ty == TypeRef::I64 || i32::try_from(n).is_ok() => n.to_string(),
                    _ => return Err(misfit("an integer")),
                }
            }
            TypeRef::F32 | TypeRef::F64 => {
                let n = match json {
                    Value::String(s) => s
                        .trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|n| n.is_finite())
                        .inspect(|_| spelled("number", &mut self.draft.notes)),
                    _ => json.as_f64(),
                };
                match n {
                    Some(n) => format!("{n:?}"),
                    None => return Err(misfit("a number")),
                }
            }
            TypeRef::Double => match json {
                Value::Number(n) => format!("{}({:?})", runtime("Double"), n.as_f64().unwrap_or_default()),
                Value::String(s) => {
                    edm_literal("Double", s).map_err(|e| misfit(&format!("an Edm.Double ({e})")))?;
                    parsed("Double", s)
                }
                _ => return Err(misfit("a number")),
            },
            TypeRef::DateTimeOffset
            | TypeRef::Date
            | TypeRef::TimeOfDay
            | TypeRef::Duration
            | TypeRef::Guid
            | TypeRef::Base64 => {
                let name = match ty {
                    TypeRef::DateTimeOffset => "DateTimeOffset",
                    TypeRef::Date => "Date",
                    TypeRef::TimeOfDay => "TimeOfDay",
                    TypeRef::Duration => "Duration",
                    TypeRef::Guid => "Guid",
                    _ => "Base64",
                };
                match json {
                    // Checked here with the runtime's own parser: a snippet never fails at run time on its literal.
                    Value::String(s) => {
                        edm_literal(name, s).map_err(|e| misfit(&format!("an Edm.{name} ({e})")))?;
                        parsed(name, s)
                    }
                    _ => return Err(misfit(&format!("an Edm.{name} literal"))),
                }
            }
            TypeRef::Json => self.json_value(json),
            TypeRef::Vec(inner) => format!("{VEC}({})", self.items(json, inner, at)?),
            TypeRef::Map(inner) => match json {
                Value::Object(map) => {
                    let entries: Vec<String> = map
                        .iter()
                        .map(|(k, v)| {
                            let v = self.value(v, inner, &format!("{at}/{k}"))?;
                            Ok(format!("({}.to_string(), {v})", rust_string(k)))
                        })
                        .collect::<Result<_, Refusal>>()?;
                    format!("[{}].into_iter().collect()", entries.join(", "))
                }
                _ => return Err(misfit("an object")),
            },
            TypeRef::Flags(path) => {
                let Some(def) = self.writer.type_def(path) else { return Err(misfit("a known enumeration")) };
                let Value::String(s) = json else { return Err(misfit("a comma-separated list of members")) };
                let members: Vec<String> =
                    s.split(',').map(|m| self.member(def, m.trim())).collect::<Result<_, _>>()?;
                format!("{}({VEC}({}))", runtime("Flags"), members.join(", "))
            }
            TypeRef::Named(path) => {
                let Some(def) = self.writer.type_def(path) else { return Err(misfit("a known type")) };
                match (&def.shape, json) {
                    (Shape::Enum(_), Value::String(s)) => self.member(def, s)?,
                    (Shape::Enum(_), _) => return Err(misfit("a string")),
                    (Shape::Struct(s), Value::Object(map)) => self.object(def, s, map, at)?,
                    (Shape::Struct(_), _) => return Err(misfit("an object")),
                }
            }
        })
    }

    /// The items of an array, each of type `inner`, comma-separated.
    fn items(&mut self, json: &Value, inner: &TypeRef, at: &str) -> Result<String, Refusal> {
        let Value::Array(items) = json else {
            return Err(Refusal::new(format!(
                "the body's value at `{}` is {}, where the metadata expects an array",
                if at.is_empty() { "/" } else { at },
                describe(json)
            )));
        };
        let items: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(i, item)| self.value(item, inner, &format!("{at}/{i}")))
            .collect::<Result<_, _>>()?;
        Ok(items.join(", "))
    }

    /// An enum member by its value (without case); a value the SDK does not know is `Other`.
    fn member(&mut self, def: &TypeDef, wire: &str) -> Result<String, Refusal> {
        let Shape::Enum(e) = &def.shape else {
            return Err(Refusal::new(format!("`{}` is not an enumeration", def.path.name)));
        };
        let name = self.draft.imports.name(&def.path);
        Ok(match e.members.iter().find(|m| m.wire.eq_ignore_ascii_case(wire)) {
            Some(m) => format!("{name}::{}", m.rust_name),
            None => format!("{name}::Other({}.to_string())", rust_string(wire)),
        })
    }

    /// A struct literal; an object whose `@odata.type` names a derived type is that type, converted to the declared
    /// one with `runtime::upcast`.
    fn object(
        &mut self,
        declared: &'m TypeDef,
        declared_struct: &'m Struct,
        map: &serde_json::Map<String, Value>,
        at: &str,
    ) -> Result<String, Refusal> {
        let odata_type = map.get("@odata.type").and_then(Value::as_str);
        let (def, s) = match odata_type
            .and_then(|t| self.writer.by_odata_type.get(&t.trim_start_matches('#').to_ascii_lowercase()))
        {
            Some(actual) if actual.path != declared.path => match &actual.shape {
                Shape::Struct(s) if derives_from(self.writer, &actual.path, &declared.path) => (*actual, s),
                _ => {
                    return Err(Refusal::new(format!(
                        "the body's `@odata.type` at `{}` is `{}`, which is not a `{}`",
                        if at.is_empty() { "/" } else { at },
                        odata_type.unwrap_or_default(),
                        declared.path.name
                    )))
                }
            },
            _ => (declared, declared_struct),
        };
        let derived = def.path != declared.path;
        let mut fields = Vec::new();
        let mut extra = Vec::new();
        for (key, value) in map {
            // The derived type's own `@odata.type` is added by `upcast`.
            if key == "@odata.type" && derived {
                continue;
            }
            let field = s
                .fields
                .iter()
                .find(|f| f.wire_name == *key)
                .or_else(|| s.fields.iter().find(|f| f.wire_name.eq_ignore_ascii_case(key)));
            let at = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
            // A navigation property's field exists only with a feature that compiles its type.
            if let Some(target) = field.filter(|f| f.navigation).and_then(|f| f.ty.named()) {
                self.derived.insert(target);
            }
            match (field, value) {
                (Some(f), Value::Null) if f.optional => {
                    let property = self.draft.imports.name_root("Property");
                    fields.push(format!("{}: {property}::Null", f.rust_name));
                }
                (Some(_), Value::Null) => {
                    return Err(Refusal::new(format!(
                        "the body sets `{at}` to `null`, and `{}` requires a value there",
                        def.path.name
                    )))
                }
                // A list property as an array (`[a, b].into()`; a `Property<Vec<T>>` converts from one).
                (Some(f), Value::Array(_)) if f.optional && !f.boxed && matches!(f.ty, TypeRef::Vec(_)) => {
                    let TypeRef::Vec(inner) = &f.ty else { continue };
                    fields.push(format!("{}: [{}].into()", f.rust_name, self.items(value, inner, &at)?));
                }
                (Some(f), _) => {
                    let mut v = self.value(value, &f.ty, &at)?;
                    if f.boxed {
                        v = format!("Box::new({v})");
                    }
                    if f.optional {
                        v = into_property(&v);
                    }
                    fields.push(format!("{}: {v}", f.rust_name));
                }
                (None, _) if s.additional_data => extra.push((key.clone(), self.json_value(value))),
                (None, _) => {
                    return Err(Refusal::new(format!(
                        "the body's property `{at}` is not a property of `{}`, which keeps no others",
                        def.path.name
                    )))
                }
            }
        }
        if !extra.is_empty() {
            let entries: Vec<String> =
                extra.iter().map(|(k, v)| format!("({}.to_string(), {v})", rust_string(k))).collect();
            fields.push(format!("additional_data: [{}].into_iter().collect()", entries.join(", ")));
        }
        fields.push("..Default::default()".to_owned());
        let name = self.draft.imports.name(&def.path);
        let literal = format!("{name} {{ {} }}", fields.join(", "));
        if derived {
            self.derived.insert(&def.path);
            let upcast = format!("{}::runtime::upcast", self.draft.imports.crate_name);
            let base = self.draft.imports.name(&declared.path);
            return Ok(format!("{upcast}::<{base}, _>(&{literal})?"));
        }
        Ok(literal)
    }
}

/// Whether `text` is a literal of the Edm type the runtime calls `name`, as the runtime reads it.
fn edm_literal(name: &str, text: &str) -> Result<(), msgraph_edm::ParseEdmError> {
    use msgraph_edm as edm;
    match name {
        "DateTimeOffset" => text.parse::<edm::DateTimeOffset>().map(drop),
        "Date" => text.parse::<edm::Date>().map(drop),
        "TimeOfDay" => text.parse::<edm::TimeOfDay>().map(drop),
        "Duration" => text.parse::<edm::Duration>().map(drop),
        "Guid" => text.parse::<edm::Guid>().map(drop),
        "Double" => text.parse::<edm::Double>().map(drop),
        _ => text.parse::<edm::Base64>().map(drop),
    }
}

/// A value as a `Property` field's: `"x".into()` for a string literal, `(-1).into()`, `value.into()`.
fn into_property(value: &str) -> String {
    if let Some(literal) = value.strip_suffix(".to_string()").filter(|l| l.starts_with('"') && l.ends_with('"')) {
        format!("{literal}.into()")
    } else if value.starts_with('-') {
        format!("({value}).into()")
    } else {
        format!("{value}.into()")
    }
}

/// Whether `derived` extends `base`, directly or not.
fn derives_from(writer: &Writer<'_>, derived: &TypePath, base: &TypePath) -> bool {
    let mut next = writer.type_def(derived);
    let mut steps = 0;
    while let Some(def) = next {
        if &def.path == base {
            return true;
        }
        steps += 1;
        next = match &def.shape {
            Shape::Struct(Struct { base: Some(b), .. }) if steps < 64 => writer.type_def(b),
            _ => None,
        };
    }
    false
}

fn describe(json: &Value) -> String {
    match json {
        Value::Null => "`null`".to_owned(),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}
