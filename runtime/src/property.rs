//! A property of a Graph object: absent, an explicit `null`, or a value.

use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A property of a Graph object as JSON has it: not there at all, there as `null`, or there with a value.
///
/// The difference matters both ways. In an answer, an absent property was not selected or not sent, while `null`
/// means it has no value — in a delta page, that it was *cleared*. In an update (PATCH), an absent property is left
/// as it is, while `null` clears it. Every property of a generated struct is a `Property`, `Absent` by default;
/// reading and writing back keeps which of the three it was.
///
/// It reads like an `Option` and converts from a value:
///
/// ```
/// use msgraph_runtime::Property;
///
/// let mut office: Property<String> = "18/2111".into();
/// assert_eq!(office.as_deref(), Some("18/2111"));
/// office = Property::Null; // sent as `"officeLocation": null`: clears it
/// assert!(office.is_null() && office.as_deref().is_none());
/// assert_eq!(Property::<String>::default(), Property::Absent); // not sent at all
/// assert_eq!(Property::from(Some(3)), Property::Value(3));
/// assert_eq!(Property::<i32>::from(None), Property::Absent);
/// let tags: Property<Vec<String>> = ["a".to_string()].into();
/// assert_eq!(tags.as_deref(), Some(&["a".to_string()][..]));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Property<T> {
    /// Not in the object: not sent, so an update leaves it as it is.
    #[default]
    Absent,
    /// An explicit `null`: no value (cleared, in a delta answer); sent in an update, it clears the property.
    Null,
    /// A value.
    Value(T),
}

impl<T> Property<T> {
    /// Whether the object does not have it.
    pub const fn is_absent(&self) -> bool {
        matches!(self, Property::Absent)
    }

    /// Whether it is an explicit `null`.
    pub const fn is_null(&self) -> bool {
        matches!(self, Property::Null)
    }

    /// Whether it has a value.
    pub const fn is_value(&self) -> bool {
        matches!(self, Property::Value(_))
    }

    /// The value, if there is one.
    pub const fn as_ref(&self) -> Option<&T> {
        match self {
            Property::Value(value) => Some(value),
            Property::Absent | Property::Null => None,
        }
    }

    /// The value to change, if there is one.
    pub fn as_mut(&mut self) -> Option<&mut T> {
        match self {
            Property::Value(value) => Some(value),
            Property::Absent | Property::Null => None,
        }
    }

    /// The value dereferenced (`Option<&str>` for a `Property<String>`), if there is one.
    pub fn as_deref(&self) -> Option<&T::Target>
    where
        T: Deref,
    {
        self.as_ref().map(Deref::deref)
    }

    /// The value, if there is one (absent and `null` are both `None`).
    pub fn into_option(self) -> Option<T> {
        match self {
            Property::Value(value) => Some(value),
            Property::Absent | Property::Null => None,
        }
    }

    /// Takes the value out, leaving the property absent.
    pub fn take(&mut self) -> Option<T> {
        std::mem::take(self).into_option()
    }

    /// The same property with `f` applied to its value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Property<U> {
        match self {
            Property::Value(value) => Property::Value(f(value)),
            Property::Absent => Property::Absent,
            Property::Null => Property::Null,
        }
    }
}

impl<T> From<T> for Property<T> {
    fn from(value: T) -> Self {
        Property::Value(value)
    }
}

/// `None` is absent (not sent).
impl<T> From<Option<T>> for Property<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Property::Absent, Property::Value)
    }
}

/// A list property from an array: `to_recipients: [recipient].into()`.
impl<T, const N: usize> From<[T; N]> for Property<Vec<T>> {
    fn from(value: [T; N]) -> Self {
        Property::Value(value.into())
    }
}

impl From<&str> for Property<String> {
    fn from(value: &str) -> Self {
        Property::Value(value.to_owned())
    }
}

/// A value as itself, absent and `null` as `null` (an object leaves absent properties out before this is asked).
impl<T: Serialize> Serialize for Property<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Property::Value(value) => value.serialize(serializer),
            Property::Absent | Property::Null => serializer.serialize_none(),
        }
    }
}

/// `null` as [`Property::Null`], anything else as a value (an object's missing property stays absent).
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Property<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.map_or(Property::Null, Property::Value))
    }
}
