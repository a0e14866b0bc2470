//! Vocabulary annotations (`<Annotation Term="…">`), read into plain values.
//!
//! CSDL attaches capabilities and core terms to declarations, either inline (an `<Annotation>` child) or out of
//! line (`<Annotations Target="microsoft.graph.user/manager">`). The reader merges both into one [`Annotations`]
//! per declaration, keyed by the term's short name (`Capabilities.NavigationRestrictions`, `Core.Description`,
//! `Validation.DerivedTypeConstraint`): the `Org.OData.` prefix and the `.V1` version are dropped, so a document
//! that refers to a vocabulary by alias (`Capabilities.…`) reads the same.

use std::collections::BTreeMap;

use roxmltree::Node;

/// How deep annotation values may nest (records in collections in records…); deeper values are cut off there.
const MAX_DEPTH: usize = 32;

/// An annotation's value, or a record property's.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An annotation without a value (a tag such as `Core.RequiresExplicitBinding`), read as `true`.
    Tag,
    /// `Bool="true"`.
    Bool(bool),
    /// `Int="3"`.
    Int(i64),
    /// `String="…"` or `<String>…</String>`.
    String(String),
    /// `EnumMember="…"`: the members' names (after the last `/`), several for a flags value.
    Enum(Vec<String>),
    /// `PropertyPath`, `NavigationPropertyPath`, `AnnotationPath` or `Path`.
    Path(String),
    /// `<Record>`.
    Record(Record),
    /// `<Collection>`.
    Collection(Vec<Value>),
}

/// A `<Record>`: property values by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    properties: BTreeMap<String, Value>,
}

impl Record {
    /// A property's value.
    pub fn get(&self, property: &str) -> Option<&Value> {
        self.properties.get(property)
    }

    /// A boolean property.
    pub fn bool(&self, property: &str) -> Option<bool> {
        self.get(property).and_then(Value::as_bool)
    }

    /// A record-valued property.
    pub fn record(&self, property: &str) -> Option<&Record> {
        match self.get(property)? {
            Value::Record(r) => Some(r),
            _ => None,
        }
    }

    /// A text-valued property (string or path).
    pub fn text(&self, property: &str) -> Option<&str> {
        self.get(property).and_then(Value::as_text)
    }

    /// Whether an enum-valued property names `member` (`Navigability` = `None`, `UpdateMethod` = `PUT`).
    pub fn has_member(&self, property: &str, member: &str) -> bool {
        matches!(self.get(property), Some(Value::Enum(members)) if members.iter().any(|m| m == member))
    }

    /// Whether the property is set at all.
    pub fn has(&self, property: &str) -> bool {
        self.properties.contains_key(property)
    }

    /// The records of a collection-valued property.
    pub fn records(&self, property: &str) -> impl Iterator<Item = &Record> {
        let items = match self.get(property) {
            Some(Value::Collection(items)) => &items[..],
            _ => &[],
        };
        items.iter().filter_map(|v| match v {
            Value::Record(r) => Some(r),
            _ => None,
        })
    }

    /// The texts of a collection-valued property (strings or paths).
    pub fn texts(&self, property: &str) -> Vec<&str> {
        match self.get(property) {
            Some(Value::Collection(items)) => items.iter().filter_map(Value::as_text).collect(),
            _ => Vec::new(),
        }
    }

    /// This record with every property it lacks taken from `fallback` (OData's "merge properties if null").
    pub fn or_from(&self, fallback: Option<&Record>) -> Record {
        let mut merged = self.clone();
        if let Some(fallback) = fallback {
            for (name, value) in &fallback.properties {
                merged.properties.entry(name.clone()).or_insert_with(|| value.clone());
            }
        }
        merged
    }
}

/// `primary` with what it lacks taken from `fallback`, or `fallback` alone.
pub fn merge(primary: Option<&Record>, fallback: Option<&Record>) -> Option<Record> {
    match (primary, fallback) {
        (Some(p), f) => Some(p.or_from(f)),
        (None, f) => f.cloned(),
    }
}

impl Value {
    /// A boolean, or `true` for a tag.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Tag => Some(true),
            _ => None,
        }
    }

    /// A string or a path.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::String(s) | Value::Path(s) => Some(s),
            _ => None,
        }
    }
}

/// The annotations of one declaration, by short term name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Annotations {
    terms: BTreeMap<String, Value>,
}

impl Annotations {
    /// A term's value.
    pub fn get(&self, term: &str) -> Option<&Value> {
        self.terms.get(term)
    }

    /// Whether the term is present.
    pub fn has(&self, term: &str) -> bool {
        self.terms.contains_key(term)
    }

    /// A boolean term (a tag reads as `true`).
    pub fn bool(&self, term: &str) -> Option<bool> {
        self.get(term).and_then(Value::as_bool)
    }

    /// A record-valued term.
    pub fn record(&self, term: &str) -> Option<&Record> {
        match self.get(term)? {
            Value::Record(r) => Some(r),
            _ => None,
        }
    }

    /// A text-valued term.
    pub fn text(&self, term: &str) -> Option<&str> {
        self.get(term).and_then(Value::as_text)
    }

    /// The texts of a collection-valued term.
    pub fn texts(&self, term: &str) -> Vec<&str> {
        match self.get(term) {
            Some(Value::Collection(items)) => items.iter().filter_map(Value::as_text).collect(),
            _ => Vec::new(),
        }
    }

    /// The records of a collection-valued term.
    pub fn records(&self, term: &str) -> impl Iterator<Item = &Record> {
        let items = match self.get(term) {
            Some(Value::Collection(items)) => &items[..],
            _ => &[],
        };
        items.iter().filter_map(|v| match v {
            Value::Record(r) => Some(r),
            _ => None,
        })
    }

    /// `Core.Description`, followed by `Core.LongDescription` when there is one.
    pub fn description(&self) -> Option<String> {
        let nonblank = |term| self.text(term).filter(|s| !s.trim().is_empty());
        match (nonblank("Core.Description"), nonblank("Core.LongDescription")) {
            (Some(s), Some(l)) => Some(format!("{s}\n\n{l}")),
            (s, l) => s.or(l).map(str::to_owned),
        }
    }

    /// Adds the terms of `other` that these annotations lack.
    pub fn fill_from(&mut self, other: &Annotations) {
        for (term, value) in &other.terms {
            self.terms.entry(term.clone()).or_insert_with(|| value.clone());
        }
    }

    /// Reads the `<Annotation>` children of `node`; `alias` resolves vocabulary aliases.
    pub(super) fn read(node: Node<'_, '_>, alias: &dyn Fn(&str) -> String) -> Annotations {
        let mut annotations = Annotations::default();
        for a in node.children().filter(|c| c.is_element() && c.tag_name().name() == "Annotation") {
            // A qualified annotation applies only where its qualifier is asked for, which the conversion never does.
            if a.attribute("Qualifier").is_some() {
                continue;
            }
            let Some(term) = a.attribute("Term") else { continue };
            let term = short_term(&alias(term));
            annotations.terms.entry(term).or_insert_with(|| value(a, 0));
        }
        annotations
    }
}

/// `Org.OData.Capabilities.V1.ReadRestrictions` → `Capabilities.ReadRestrictions`.
fn short_term(term: &str) -> String {
    let term = term.strip_prefix("Org.OData.").unwrap_or(term);
    term.replacen(".V1.", ".", 1)
}

/// The value of an `<Annotation>` or `<PropertyValue>`: an attribute or a child element.
fn value(node: Node<'_, '_>, depth: usize) -> Value {
    for (attribute, make) in [
        ("Bool", (|s: &str| Value::Bool(s.trim() == "true")) as fn(&str) -> Value),
        ("String", |s| Value::String(s.to_owned())),
        ("Int", |s| s.trim().parse().map_or(Value::String(s.to_owned()), Value::Int)),
        ("EnumMember", enum_members),
        ("PropertyPath", |s| Value::Path(s.to_owned())),
        ("NavigationPropertyPath", |s| Value::Path(s.to_owned())),
        ("AnnotationPath", |s| Value::Path(s.to_owned())),
        ("Path", |s| Value::Path(s.to_owned())),
    ] {
        if let Some(v) = node.attribute(attribute) {
            return make(v);
        }
    }
    node.children()
        .filter(|c| c.is_element() && c.tag_name().name() != "Annotation")
        .map(|c| element(c, depth))
        .next()
        .unwrap_or(Value::Tag)
}

/// A value written as an element: `<Record>`, `<Collection>`, `<String>`, `<Bool>`, `<EnumMember>`, a path.
fn element(node: Node<'_, '_>, depth: usize) -> Value {
    if depth >= MAX_DEPTH {
        return Value::Tag;
    }
    let text = || node.text().unwrap_or_default().trim().to_owned();
    match node.tag_name().name() {
        "Record" => Value::Record(Record {
            properties: node
                .children()
                .filter(|c| c.is_element() && c.tag_name().name() == "PropertyValue")
                .filter_map(|p| Some((p.attribute("Property")?.to_owned(), value(p, depth + 1))))
                .collect(),
        }),
        "Collection" => {
            Value::Collection(node.children().filter(|c| c.is_element()).map(|c| element(c, depth + 1)).collect())
        }
        "Bool" => Value::Bool(text() == "true"),
        "Int" => text().parse().map_or_else(|_| Value::String(text()), Value::Int),
        "EnumMember" => enum_members(&text()),
        "PropertyPath" | "NavigationPropertyPath" | "AnnotationPath" | "Path" => Value::Path(text()),
        _ => Value::String(text()),
    }
}

/// `Org.OData.Capabilities.V1.NavigationType/None` → `["None"]`; flags are separated by spaces.
fn enum_members(text: &str) -> Value {
    Value::Enum(text.split_whitespace().map(|m| m.rsplit('/').next().unwrap_or(m).to_owned()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(xml: &str) -> Annotations {
        let doc = roxmltree::Document::parse(xml).unwrap();
        Annotations::read(doc.root_element(), &|t: &str| t.to_owned())
    }

    #[test]
    fn values_of_every_form() {
        let a = read(
            r#"<E>
  <Annotation Term="Org.OData.Capabilities.V1.NavigationRestrictions"><Record>
    <PropertyValue Property="Navigability"><EnumMember>Org.OData.Capabilities.V1.NavigationType/None</EnumMember></PropertyValue>
    <PropertyValue Property="Referenceable" Bool="true"/>
    <PropertyValue Property="RestrictedProperties"><Collection><Record>
      <PropertyValue Property="NavigationProperty"><PropertyPath>calendarView</PropertyPath></PropertyValue>
      <PropertyValue Property="ReadRestrictions"><Record><PropertyValue Property="Readable" Bool="false"/></Record></PropertyValue>
    </Record></Collection></PropertyValue>
  </Record></Annotation>
  <Annotation Term="Org.OData.Validation.V1.DerivedTypeConstraint"><Collection><String>a.b</String><String>a.c</String></Collection></Annotation>
  <Annotation Term="Org.OData.Core.V1.RequiresExplicitBinding"/>
  <Annotation Term="Org.OData.Capabilities.V1.IndexableByKey" Bool="false"/>
  <Annotation Term="Org.OData.Capabilities.V1.UpdateRestrictions"><Record><PropertyValue Property="UpdateMethod" EnumMember="Org.OData.Capabilities.V1.HttpMethod/PUT Org.OData.Capabilities.V1.HttpMethod/PATCH"/></Record></Annotation>
  <Annotation Term="Org.OData.Core.V1.Description" String="Short."/>
  <Annotation Term="Org.OData.Core.V1.LongDescription"><String>Long.</String></Annotation>
  <Annotation Term="Org.OData.Core.V1.Description" Qualifier="x" String="Ignored."/>
</E>"#,
        );
        let nav = a.record("Capabilities.NavigationRestrictions").unwrap();
        assert!(nav.has_member("Navigability", "None"));
        assert_eq!(nav.bool("Referenceable"), Some(true));
        let restricted: Vec<&Record> = nav.records("RestrictedProperties").collect();
        assert_eq!(restricted[0].text("NavigationProperty"), Some("calendarView"));
        assert_eq!(restricted[0].record("ReadRestrictions").and_then(|r| r.bool("Readable")), Some(false));
        assert_eq!(a.texts("Validation.DerivedTypeConstraint"), ["a.b", "a.c"]);
        assert_eq!(a.bool("Core.RequiresExplicitBinding"), Some(true));
        assert_eq!(a.bool("Capabilities.IndexableByKey"), Some(false));
        let update = a.record("Capabilities.UpdateRestrictions").unwrap();
        assert!(update.has_member("UpdateMethod", "PUT") && update.has_member("UpdateMethod", "PATCH"));
        assert_eq!(a.description().as_deref(), Some("Short.\n\nLong."));
    }

    #[test]
    fn merging_fills_what_is_missing() {
        let a = read(
            r#"<E><Annotation Term="Capabilities.ReadRestrictions"><Record><PropertyValue Property="Readable" Bool="false"/></Record></Annotation></E>"#,
        );
        let b = read(
            r#"<E><Annotation Term="Capabilities.ReadRestrictions"><Record><PropertyValue Property="Readable" Bool="true"/>
               <PropertyValue Property="ReadByKeyRestrictions"><Record><PropertyValue Property="Readable" Bool="true"/></Record></PropertyValue></Record></Annotation></E>"#,
        );
        let merged =
            merge(a.record("Capabilities.ReadRestrictions"), b.record("Capabilities.ReadRestrictions")).unwrap();
        assert_eq!(merged.bool("Readable"), Some(false));
        assert!(merged.has("ReadByKeyRestrictions"));
        assert_eq!(merge(None, b.record("Capabilities.ReadRestrictions")).unwrap().bool("Readable"), Some(true));
        assert_eq!(merge(None, None), None);
    }
}
