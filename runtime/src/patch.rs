//! PATCH bodies that clear properties: Graph treats a property that is absent as "leave it" and one that is `null`
//! as "clear it". Generated structs leave out every `None`, so [`Patch`] says which properties to send as `null`.

use serde::ser::Error as _;
use serde::{Serialize, Serializer};

/// What a generated PATCH operation accepts as the body for `T`: a `T` itself, or a [`Patch<T>`].
pub trait Body<T>: Serialize {}

impl<T: Serialize> Body<T> for T {}

impl<T: Serialize> Body<T> for Patch<T> {}

/// A PATCH body: `value`'s set properties, plus properties sent as an explicit `null` to clear them.
///
/// Unset (`None`) properties of a generated struct are not sent, so Graph leaves them as they are; a property
/// named with [`Patch::null`] is sent as `null`, so Graph clears it. Names are the JSON (wire) names, as in
/// Graph's documentation.
///
/// ```
/// use msgraph_runtime::Patch;
///
/// #[derive(serde::Serialize, Default)]
/// struct User {
///     #[serde(rename = "jobTitle", skip_serializing_if = "Option::is_none")]
///     job_title: Option<String>,
///     #[serde(rename = "officeLocation", skip_serializing_if = "Option::is_none")]
///     office_location: Option<String>,
/// }
///
/// let update = Patch::new(User { job_title: Some("Engineer".into()), ..Default::default() }).null("officeLocation");
/// assert_eq!(serde_json::to_string(&update).unwrap(), r#"{"jobTitle":"Engineer","officeLocation":null}"#);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Patch<T> {
    value: T,
    nulls: Vec<String>,
}

impl<T> Patch<T> {
    /// A body that sends `value`'s set properties.
    pub fn new(value: T) -> Self {
        Patch { value, nulls: Vec::new() }
    }

    /// Also sends the property `wire_name` as `null` (replacing a value `value` has for it).
    #[must_use]
    pub fn null(mut self, wire_name: impl Into<String>) -> Self {
        self.nulls.push(wire_name.into());
        self
    }

    /// The value whose set properties are sent.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The properties sent as `null`.
    pub fn nulls(&self) -> &[String] {
        &self.nulls
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut object = match serde_json::to_value(&self.value).map_err(S::Error::custom)? {
            serde_json::Value::Object(object) => object,
            other => {
                return Err(S::Error::custom(format!(
                    "a PATCH body must be a JSON object to clear properties in, not `{other}`"
                )))
            }
        };
        for name in &self.nulls {
            object.insert(name.clone(), serde_json::Value::Null);
        }
        object.serialize(serializer)
    }
}
