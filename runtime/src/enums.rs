//! String enumerations as Graph uses them: a known set of values that grows over time, so a value this SDK does
//! not know yet is kept (as `Other`), never an error; and flags enumerations, whose value is a comma-separated set.

use std::fmt;
use std::str::FromStr;

use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize, Serializer};

/// Declares a string enumeration: one variant per known value, plus `Other(String)` for values Graph adds later.
///
/// The generated SDK declares every enum with this macro, so each one reads and writes its values the same way:
/// `Display`/`as_str` give the wire value, `From<&str>` and `FromStr` never fail and ignore case, serde uses the wire value, and
/// `Default` is the first value listed.
///
/// ```
/// msgraph_runtime::string_enum! {
///     /// How important a message is.
///     pub enum Importance {
///         /// `low`
///         Low = "low",
///         /// `normal`
///         Normal = "normal",
///     }
/// }
///
/// assert_eq!(Importance::from("low"), Importance::Low);
/// assert_eq!(Importance::from("Low"), Importance::Low); // without case, as Graph compares them
/// assert_eq!(Importance::from("urgent"), Importance::Other("urgent".into()));
/// assert_eq!(serde_json::to_string(&Importance::Normal).unwrap(), "\"normal\"");
/// let parsed: Importance = serde_json::from_str("\"urgent\"").unwrap();
/// assert_eq!(parsed.as_str(), "urgent");
/// ```
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(#[$first_meta:meta])* $first:ident = $first_wire:literal,
            $( $(#[$variant_meta:meta])* $variant:ident = $wire:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $(#[$first_meta])*
            $first,
            $( $(#[$variant_meta])* $variant, )*
            /// A value this version of the SDK does not know (Graph adds values over time), kept as received.
            Other(String),
        }

        impl $name {
            /// The value as Graph writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    Self::$first => $first_wire,
                    $( Self::$variant => $wire, )*
                    Self::Other(value) => value,
                }
            }
        }

        impl ::core::default::Default for $name {
            fn default() -> Self {
                Self::$first
            }
        }

        /// The member with this value (Graph's values compare without case: `"Scheduled"` is `scheduled`), or
        /// `Other`.
        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $first_wire => Self::$first,
                    $( $wire => Self::$variant, )*
                    other if other.eq_ignore_ascii_case($first_wire) => Self::$first,
                    $( other if other.eq_ignore_ascii_case($wire) => Self::$variant, )*
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;
            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::Serialize for $name {
            fn serialize<S: $crate::__private::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                $crate::__private::deserialize_str(deserializer).map(|value| Self::from(value.as_ref()))
            }
        }
    };
}

/// Reads a string, borrowed when the input allows it.
#[doc(hidden)]
pub fn deserialize_str<'de, D: Deserializer<'de>>(deserializer: D) -> Result<std::borrow::Cow<'de, str>, D::Error> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = std::borrow::Cow<'de, str>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(std::borrow::Cow::Borrowed(v))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(std::borrow::Cow::Owned(v.to_owned()))
        }
        fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(std::borrow::Cow::Owned(v))
        }
    }
    deserializer.deserialize_str(Visitor)
}

/// A value of a flags enumeration: a set of its members, written as Graph writes them, comma-separated
/// (`"email,push"`). Order is kept as given; an empty set is `""`.
///
/// ```
/// use msgraph_runtime::Flags;
///
/// msgraph_runtime::string_enum! {
///     /// Where to notify.
///     pub enum Channel {
///         /// `email`
///         Email = "email",
///         /// `push`
///         Push = "push",
///     }
/// }
///
/// let both: Flags<Channel> = serde_json::from_str("\"email, push\"").unwrap();
/// assert_eq!(both, Flags(vec![Channel::Email, Channel::Push]));
/// assert_eq!(serde_json::to_string(&both).unwrap(), "\"email,push\"");
/// assert!(both.contains(&Channel::Push));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Flags<T>(pub Vec<T>);

impl<T> Default for Flags<T> {
    fn default() -> Self {
        Flags(Vec::new())
    }
}

impl<T: PartialEq> Flags<T> {
    /// Whether `value` is set.
    pub fn contains(&self, value: &T) -> bool {
        self.0.contains(value)
    }
}

impl<T> FromIterator<T> for Flags<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Flags(iter.into_iter().collect())
    }
}

impl<T: fmt::Display> fmt::Display for Flags<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, value) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            value.fmt(f)?;
        }
        Ok(())
    }
}

impl<T: FromStr> FromStr for Flags<T> {
    type Err = T::Err;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(T::from_str)
            .collect::<Result<_, _>>()
            .map(Flags)
    }
}

impl<T: fmt::Display> Serialize for Flags<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de, T: FromStr> Deserialize<'de> for Flags<T>
where
    T::Err: fmt::Display,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = deserialize_str(deserializer)?;
        text.parse().map_err(D::Error::custom)
    }
}
