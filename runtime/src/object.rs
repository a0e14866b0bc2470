//! How every generated struct reads and writes itself as a JSON object: property by property, through the shared
//! code here, so that a generated struct carries one `match` and one list of writes instead of derived
//! (de)serializers — and so that reading keeps everything: explicit `null`s ([`Property::Null`]), properties the
//! description does not declare, and values that do not fit their declared type ([`AdditionalData`]).
//!
//! Reading is tolerant by default: Graph's answers drift from its metadata (an object where the metadata says a
//! string, a date that is not one), and one such value must not sink the whole answer. It is kept as raw JSON in
//! the struct's `additional_data`, with the reason ([`AdditionalData::misfits`]), and written back as it came.
//! [`strict`] makes such a value an error instead.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer, Error as _, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
pub use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::property::Property;

/// A generated JSON object type. The generated code implements it; nothing else needs to.
pub trait Object: Default {
    /// Reads the declared property `name` from its JSON text: `None` when `name` is not a declared property, else
    /// whether the value fits its type.
    fn read_property(&mut self, name: &str, value: &RawValue) -> Option<Result<(), serde_json::Error>>;

    /// Writes every declared property that is not absent.
    ///
    /// # Errors
    ///
    /// The serializer's.
    fn write_properties<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;

    /// The properties it requires (JSON names): one missing from an answer is reported as a misfit (an error in
    /// [`strict`] mode), and the field keeps its default.
    fn required() -> &'static [&'static str] {
        &[]
    }

    /// The properties it keeps besides the declared ones, when it keeps any.
    fn additional_data(&self) -> Option<&AdditionalData> {
        None
    }

    /// The same, to change.
    fn additional_data_mut(&mut self) -> Option<&mut AdditionalData> {
        None
    }
}

/// Reads `value` into a property: `null` as [`Property::Null`], anything else as the value.
pub fn read<T: DeserializeOwned>(
    property: &mut Property<T>,
    value: &RawValue,
) -> Option<Result<(), serde_json::Error>> {
    Some(serde_json::from_str::<Option<T>>(value.get()).map(|v| *property = v.map_or(Property::Null, Property::Value)))
}

/// Reads `value` into a property that must have a value.
pub fn read_required<T: DeserializeOwned>(property: &mut T, value: &RawValue) -> Option<Result<(), serde_json::Error>> {
    Some(serde_json::from_str::<T>(value.get()).map(|v| *property = v))
}

/// The position of `name` in `names` (sorted, as `str` orders them), for generated code to dispatch on an integer
/// instead of comparing `name` with every property's name in turn.
pub fn find(names: &[&str], name: &str) -> Option<usize> {
    names.binary_search(&name).ok()
}

/// Writes an object's declared properties into a map, keeping the first error: generated code writes every
/// property in a row, without a branch after each, and then [`finish`](Self::finish)es.
pub struct Writer<'m, M: SerializeMap> {
    map: &'m mut M,
    error: Option<M::Error>,
}

impl<M: SerializeMap> std::fmt::Debug for Writer<'_, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").field("failed", &self.error.is_some()).finish_non_exhaustive()
    }
}

impl<'m, M: SerializeMap> Writer<'m, M> {
    /// A writer into `map`.
    pub fn new(map: &'m mut M) -> Self {
        Writer { map, error: None }
    }

    fn entry<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        if self.error.is_none() {
            if let Err(e) = self.map.serialize_entry(name, value) {
                self.error = Some(e);
            }
        }
    }

    /// A property, unless it is absent.
    pub fn property<T: Serialize>(&mut self, name: &str, property: &Property<T>) {
        match property {
            Property::Absent => {}
            Property::Null => self.entry(name, &()),
            Property::Value(value) => self.entry(name, value),
        }
    }

    /// A property the object always has: absent is written as `null` (a required property that may be null).
    pub fn nullable<T: Serialize>(&mut self, name: &str, property: &Property<T>) {
        match property {
            Property::Absent | Property::Null => self.entry(name, &()),
            Property::Value(value) => self.entry(name, value),
        }
    }

    /// A property that always has a value.
    pub fn required<T: Serialize>(&mut self, name: &str, value: &T) {
        self.entry(name, value);
    }

    /// The first error, if any.
    ///
    /// # Errors
    ///
    /// The serializer's first.
    pub fn finish(self) -> Result<(), M::Error> {
        self.error.map_or(Ok(()), Err)
    }
}

/// Serializes an object: its declared properties, then its additional data.
///
/// # Errors
///
/// The serializer's.
pub fn serialize<T: Object, S: Serializer>(object: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    object.write_properties(&mut map)?;
    if let Some(extra) = object.additional_data() {
        for (name, value) in extra.iter() {
            map.serialize_entry(name, value)?;
        }
    }
    map.end()
}

/// Deserializes an object property by property (see the module docs for what is kept).
///
/// # Errors
///
/// When the input is not a JSON object; in [`strict`] mode, also when a property does not fit its type.
pub fn deserialize<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut object = T::default();
        let required = T::required();
        let mut missing: Vec<&'static str> = required.to_vec();
        while let Some(name) = map.next_key_seed(Name)? {
            if !missing.is_empty() {
                missing.retain(|r| *r != name);
            }
            let value: Box<RawValue> = map.next_value()?;
            match object.read_property(&name, &value) {
                Some(Ok(())) => {}
                Some(Err(error)) if is_strict() => {
                    return Err(A::Error::custom(format_args!("property `{name}`: {error}")));
                }
                Some(Err(error)) => {
                    if let Some(extra) = object.additional_data_mut() {
                        let reason = error.to_string();
                        extra.keep_misfit(name.into_owned(), raw_json(&value), reason);
                    }
                }
                None => {
                    if let Some(extra) = object.additional_data_mut() {
                        extra.values.insert(name.into_owned(), raw_json(&value));
                    }
                }
            }
        }
        if let Some(name) = missing.first() {
            if is_strict() {
                return Err(A::Error::missing_field(name));
            }
            if let Some(extra) = object.additional_data_mut() {
                for name in missing {
                    extra
                        .misfits
                        .push(Misfit { name: name.to_owned(), reason: "missing required property".to_owned() });
                }
            }
        }
        Ok(object)
    }
}

/// A value captured as raw JSON text, as a [`Value`] (it was read as JSON, so it parses).
fn raw_json(value: &RawValue) -> Value {
    serde_json::from_str(value.get()).unwrap_or(Value::Null)
}

/// A property name, borrowed from the input when it can be.
struct Name;

impl<'de> DeserializeSeed<'de> for Name {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        crate::enums::deserialize_str(deserializer)
    }
}

thread_local! {
    static STRICT: Cell<bool> = const { Cell::new(false) };
}

fn is_strict() -> bool {
    STRICT.with(Cell::get)
}

/// Runs `read` in strict mode: a property whose value does not fit its declared type fails the whole read (with
/// the property's name and the reason) instead of being kept in `additional_data`.
///
/// ```
/// # use msgraph_runtime::object;
/// let lenient: Result<serde_json::Value, _> = serde_json::from_str("{}");
/// let strict: Result<serde_json::Value, _> = object::strict(|| serde_json::from_str("{}"));
/// assert_eq!(lenient.unwrap(), strict.unwrap());
/// ```
pub fn strict<R>(read: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            STRICT.with(|s| s.set(self.0));
        }
    }
    let _reset = Reset(STRICT.with(|s| s.replace(true)));
    read()
}

/// The properties of an object besides the declared ones: those the description does not declare, and declared
/// ones whose value did not fit their type (each with the reason, in [`Self::misfits`]). Both are written back as
/// they were read.
///
/// It is a JSON object map (`Deref` to [`serde_json::Map`]) to read and to fill:
///
/// ```
/// use msgraph_runtime::AdditionalData;
///
/// let mut extra: AdditionalData = [("extensionName".to_string(), serde_json::json!("com.contoso.x"))].into_iter().collect();
/// extra.insert("theme".into(), "dark".into());
/// assert_eq!(extra.get("theme"), Some(&serde_json::json!("dark")));
/// assert!(extra.misfits().is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AdditionalData {
    values: Map<String, Value>,
    misfits: Vec<Misfit>,
}

/// A declared property whose value did not fit its type: its value is in the object's [`AdditionalData`], under
/// its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Misfit {
    /// The property's name as JSON has it.
    pub name: String,
    /// Why the value did not fit, e.g. `invalid type: map, expected a string`.
    pub reason: String,
}

impl AdditionalData {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// The declared properties whose values did not fit their types (their values are kept here, by name).
    pub fn misfits(&self) -> &[Misfit] {
        &self.misfits
    }

    /// Keeps a declared property's value that did not fit its type.
    pub fn keep_misfit(&mut self, name: String, value: Value, reason: String) {
        self.values.insert(name.clone(), value);
        self.misfits.push(Misfit { name, reason });
    }

    /// The map itself.
    pub fn into_map(self) -> Map<String, Value> {
        self.values
    }
}

impl Deref for AdditionalData {
    type Target = Map<String, Value>;

    fn deref(&self) -> &Self::Target {
        &self.values
    }
}

impl DerefMut for AdditionalData {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.values
    }
}

impl From<Map<String, Value>> for AdditionalData {
    fn from(values: Map<String, Value>) -> Self {
        AdditionalData { values, misfits: Vec::new() }
    }
}

impl FromIterator<(String, Value)> for AdditionalData {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        AdditionalData { values: iter.into_iter().collect(), misfits: Vec::new() }
    }
}

impl<'a> IntoIterator for &'a AdditionalData {
    type Item = (&'a String, &'a Value);
    type IntoIter = serde_json::map::Iter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.values.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default, Debug, PartialEq)]
    struct Person {
        name: Property<String>,
        age: Property<i32>,
        id: String,
        extra: AdditionalData,
    }

    impl Object for Person {
        fn read_property(&mut self, name: &str, value: &RawValue) -> Option<Result<(), serde_json::Error>> {
            match find(&["age", "id", "name"], name)? {
                0 => read(&mut self.age, value),
                1 => read_required(&mut self.id, value),
                2 => read(&mut self.name, value),
                _ => None,
            }
        }

        fn write_properties<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
            let mut w = Writer::new(map);
            w.property("name", &self.name);
            w.property("age", &self.age);
            w.required("id", &self.id);
            w.finish()
        }

        fn required() -> &'static [&'static str] {
            &["id"]
        }

        fn additional_data(&self) -> Option<&AdditionalData> {
            Some(&self.extra)
        }

        fn additional_data_mut(&mut self) -> Option<&mut AdditionalData> {
            Some(&mut self.extra)
        }
    }

    impl Serialize for Person {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize(self, serializer)
        }
    }

    impl<'de> serde::Deserialize<'de> for Person {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize(deserializer)
        }
    }

    #[test]
    fn absent_null_values_unknown_and_misfits_all_round_trip() {
        let text = r#"{"name":null,"id":"1","age":{"years":3},"nickname":"x"}"#;
        let person: Person = serde_json::from_str(text).unwrap();
        assert_eq!(person.name, Property::Null);
        assert_eq!(person.age, Property::Absent);
        assert_eq!(person.extra.misfits().len(), 1);
        assert_eq!(person.extra.misfits()[0].name, "age");
        assert!(person.extra.misfits()[0].reason.contains("expected i32"), "{:?}", person.extra.misfits());
        let back: Value = serde_json::to_value(&person).unwrap();
        assert_eq!(back, serde_json::from_str::<Value>(text).unwrap());
        // Through a `Value` as well (as `downcast` reads).
        let again: Person = serde_json::from_value(back).unwrap();
        assert_eq!(again, person);
    }

    #[test]
    fn strict_mode_fails_on_a_misfit_and_ends_with_its_scope() {
        let text = r#"{"id":"1","age":"three"}"#;
        let error = strict(|| serde_json::from_str::<Person>(text)).unwrap_err();
        assert!(error.to_string().starts_with("property `age`: invalid type: string \"three\""), "{error}");
        assert!(serde_json::from_str::<Person>(text).is_ok());
    }

    #[test]
    fn a_missing_required_property_is_its_default_and_not_an_object_is_an_error() {
        let person: Person = serde_json::from_str(r#"{"age":3}"#).unwrap();
        assert_eq!((person.id.as_str(), person.age), ("", Property::Value(3)));
        assert_eq!(person.extra.misfits(), [Misfit { name: "id".into(), reason: "missing required property".into() }]);
        let error = strict(|| serde_json::from_str::<Person>(r#"{"age":3}"#)).unwrap_err();
        assert!(error.to_string().starts_with("missing field `id`"), "{error}");
        assert!(serde_json::from_str::<Person>("[1]").is_err());
    }
}
