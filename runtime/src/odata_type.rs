//! Graph's type hierarchy at run time: a value declared as a base type (`directoryObject`) is often a derived one
//! (`user`), named by its `@odata.type`. Generated types say where they sit in the hierarchy; [`downcast`] turns a
//! base value into the derived type it really is, keeping every property.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A generated type with an OData type name.
pub trait ODataType: Serialize + DeserializeOwned {
    /// The `@odata.type` of this type, e.g. `#microsoft.graph.user`.
    const ODATA_TYPE: &'static str;
    /// The `@odata.type` of this type and of every type derived from it: a value with any of these can be read
    /// as this type.
    const ACCEPTS: &'static [&'static str];
}

/// `Self` derives from `B` (directly or through other types), so a `B` value may really be a `Self`.
pub trait DerivesFrom<B>: ODataType {}

/// Why [`downcast`] could not return the derived type.
#[derive(Debug)]
#[non_exhaustive]
pub enum DowncastError {
    /// The value's `@odata.type` is neither the wanted type nor derived from it (or the value has none).
    OtherType {
        /// The value's `@odata.type`, if it has one.
        actual: Option<String>,
        /// The wanted type.
        wanted: &'static str,
    },
    /// The value says it is of the wanted type, but its properties do not fit it.
    Invalid(serde_json::Error),
}

impl fmt::Display for DowncastError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OtherType { actual: Some(actual), wanted } => {
                write!(f, "the value is a `{actual}`, not a `{wanted}`")
            }
            Self::OtherType { actual: None, wanted } => {
                write!(f, "the value has no `@odata.type`, so it cannot be read as a `{wanted}`")
            }
            Self::Invalid(error) => write!(f, "the value does not fit its `@odata.type`: {error}"),
        }
    }
}

impl std::error::Error for DowncastError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Invalid(error) => Some(error),
            Self::OtherType { .. } => None,
        }
    }
}

/// The `@odata.type` a value carries (as a declared field or among its additional properties).
pub fn odata_type_of<B: Serialize>(value: &B) -> Option<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(map)) => map.get("@odata.type").and_then(|t| t.as_str()).map(str::to_owned),
        _ => None,
    }
}

/// Reads `value`, declared as `B`, as the derived type `D` it really is: every property is kept (those `B` does
/// not declare were kept in its `additional_data`).
///
/// # Errors
///
/// [`DowncastError::OtherType`] when the value's `@odata.type` is not `D` or a type derived from `D`;
/// [`DowncastError::Invalid`] when its properties do not fit `D`.
pub fn downcast<B: Serialize, D: DerivesFrom<B>>(value: &B) -> Result<D, DowncastError> {
    let json = serde_json::to_value(value).map_err(DowncastError::Invalid)?;
    let actual = json.get("@odata.type").and_then(|t| t.as_str());
    match actual {
        Some(actual) if D::ACCEPTS.contains(&actual) => serde_json::from_value(json).map_err(DowncastError::Invalid),
        _ => Err(DowncastError::OtherType { actual: actual.map(str::to_owned), wanted: D::ODATA_TYPE }),
    }
}

/// `value`, of the derived type `D`, as its base type `B`: what a property declared as `B` holds when the value is
/// really a `D`. The properties `B` does not declare are kept in its `additional_data`, and `@odata.type` says it
/// is a `D`, so the value is sent (and read back with [`downcast`]) whole.
///
/// # Errors
///
/// When the value cannot be written as JSON or its properties do not fit `B` (which its generated types rule out).
pub fn upcast<B: DeserializeOwned, D: DerivesFrom<B>>(value: &D) -> Result<B, serde_json::Error> {
    let mut json = serde_json::to_value(value)?;
    if let serde_json::Value::Object(map) = &mut json {
        map.entry("@odata.type").or_insert_with(|| serde_json::Value::String(D::ODATA_TYPE.to_owned()));
    }
    serde_json::from_value(json)
}

/// A 2xx JSON response read as `D`, a derived type, after checking its `@odata.type` (see
/// [`Request::cast`](crate::Request::cast)).
pub struct AsDerived<D>(std::marker::PhantomData<fn() -> D>);

impl<D> fmt::Debug for AsDerived<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AsDerived<{}>", std::any::type_name::<D>())
    }
}

impl<D: ODataType + Send + 'static> crate::ResponseHandler for AsDerived<D> {
    type Output = D;

    fn handle(_: http::StatusCode, _: &http::HeaderMap, body: &[u8]) -> Result<D, crate::BoxError> {
        let json: serde_json::Value = serde_json::from_slice(body)?;
        let actual = json.get("@odata.type").and_then(|t| t.as_str());
        match actual {
            Some(actual) if D::ACCEPTS.contains(&actual) => Ok(serde_json::from_value(json)?),
            _ => Err(Box::new(DowncastError::OtherType { actual: actual.map(str::to_owned), wanted: D::ODATA_TYPE })),
        }
    }
}
