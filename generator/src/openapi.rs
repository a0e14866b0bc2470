//! The parts of OpenAPI 3.0 that Graph's descriptions use, as typed serde structs.
//!
//! Unknown keys (Graph's many `x-ms-*` extensions among them) are ignored; the extensions the generator uses are
//! named fields. `$ref` is a field on every object that may be a reference, so a reference and an inline object
//! parse the same way and [`crate::lower`] resolves it with a located error when it dangles.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use crate::model::Method;

/// An OpenAPI document.
#[derive(Debug, Deserialize)]
pub struct Document {
    /// The OpenAPI version, e.g. `3.0.4`.
    pub openapi: String,
    /// API metadata.
    #[serde(default)]
    pub info: Info,
    /// Servers; the first one's URL is the generated client's default base URL.
    #[serde(default)]
    pub servers: Vec<Server>,
    /// Path templates and their operations.
    #[serde(default)]
    pub paths: BTreeMap<String, PathItem>,
    /// Reusable objects.
    #[serde(default)]
    pub components: Components,
}

/// `info`.
#[derive(Debug, Default, Deserialize)]
pub struct Info {
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Version of the API.
    #[serde(default)]
    pub version: String,
    /// Description.
    pub description: Option<String>,
}

/// A server.
#[derive(Debug, Deserialize)]
pub struct Server {
    /// Its URL.
    pub url: String,
}

/// A path item: the operations of one path template.
#[derive(Debug, Default, Deserialize)]
pub struct PathItem {
    /// Summary.
    pub summary: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Parameters shared by all operations of this path.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// GET.
    pub get: Option<Operation>,
    /// PUT.
    pub put: Option<Operation>,
    /// POST.
    pub post: Option<Operation>,
    /// DELETE.
    pub delete: Option<Operation>,
    /// PATCH.
    pub patch: Option<Operation>,
    /// HEAD.
    pub head: Option<Operation>,
    /// OPTIONS.
    pub options: Option<Operation>,
    /// TRACE.
    pub trace: Option<Operation>,
}

impl PathItem {
    /// The operation of `method`, if the path has one.
    pub fn operation(&self, method: Method) -> Option<&Operation> {
        match method {
            Method::Get => self.get.as_ref(),
            Method::Put => self.put.as_ref(),
            Method::Post => self.post.as_ref(),
            Method::Delete => self.delete.as_ref(),
            Method::Patch => self.patch.as_ref(),
            Method::Head => self.head.as_ref(),
            Method::Options => self.options.as_ref(),
            Method::Trace => self.trace.as_ref(),
        }
    }

    /// [`Self::operation`], to change it.
    pub fn operation_mut(&mut self, method: Method) -> Option<&mut Operation> {
        self.slot(method).as_mut()
    }

    /// Where the operation of `method` goes.
    pub fn slot(&mut self, method: Method) -> &mut Option<Operation> {
        match method {
            Method::Get => &mut self.get,
            Method::Put => &mut self.put,
            Method::Post => &mut self.post,
            Method::Delete => &mut self.delete,
            Method::Patch => &mut self.patch,
            Method::Head => &mut self.head,
            Method::Options => &mut self.options,
            Method::Trace => &mut self.trace,
        }
    }

    /// The operations of this path with their methods, in [`Method::ALL`]'s order.
    pub fn operations(&self) -> impl Iterator<Item = (Method, &Operation)> {
        Method::ALL.into_iter().filter_map(|m| self.operation(m).map(|op| (m, op)))
    }
}

/// An operation.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    /// Operation id.
    pub operation_id: Option<String>,
    /// One-line summary.
    pub summary: Option<String>,
    /// Longer description.
    pub description: Option<String>,
    /// Link to the reference documentation.
    pub external_docs: Option<ExternalDocs>,
    /// Parameters of this operation (merged with the path item's).
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// The request body.
    pub request_body: Option<RequestBody>,
    /// Responses by status code (`200`, `2XX`, `default`, …).
    #[serde(default)]
    pub responses: BTreeMap<StatusKey, Response>,
    /// Whether the operation is deprecated.
    #[serde(default)]
    pub deprecated: bool,
    /// Graph's kind of operation: `operation`, `action` or `function`.
    #[serde(rename = "x-ms-docs-operation-type")]
    pub operation_type: Option<String>,
}

/// `externalDocs`.
#[derive(Debug, Deserialize)]
pub struct ExternalDocs {
    /// What the link is.
    pub description: Option<String>,
    /// The link.
    pub url: String,
}

/// A parameter (or a reference to one).
#[derive(Debug, Default, Deserialize)]
pub struct Parameter {
    /// `$ref` to `#/components/parameters/…`.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// `path`, `query`, `header` or `cookie`.
    #[serde(rename = "in", default)]
    pub location: String,
    /// Description.
    pub description: Option<String>,
    /// Whether it is required.
    #[serde(default)]
    pub required: bool,
    /// Its schema.
    pub schema: Option<Schema>,
    /// Graph's name for the entity a key parameter identifies, e.g. `user`.
    #[serde(rename = "x-ms-docs-key-type")]
    pub key_type: Option<String>,
}

/// A request body (or a reference to one).
#[derive(Debug, Default, Deserialize)]
pub struct RequestBody {
    /// `$ref` to `#/components/requestBodies/…`.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Media types.
    #[serde(default)]
    pub content: BTreeMap<String, MediaType>,
    /// Whether it is required.
    #[serde(default)]
    pub required: bool,
}

/// A response (or a reference to one).
#[derive(Debug, Default, Deserialize)]
pub struct Response {
    /// `$ref` to `#/components/responses/…`.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Media types.
    #[serde(default)]
    pub content: BTreeMap<String, MediaType>,
}

/// A media type entry.
#[derive(Debug, Default, Deserialize)]
pub struct MediaType {
    /// Its schema.
    pub schema: Option<Schema>,
}

/// Reusable objects.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Components {
    /// Schemas by name, e.g. `microsoft.graph.user`.
    #[serde(default)]
    pub schemas: BTreeMap<String, Schema>,
    /// Responses by name.
    #[serde(default)]
    pub responses: BTreeMap<String, Response>,
    /// Parameters by name.
    #[serde(default)]
    pub parameters: BTreeMap<String, Parameter>,
    /// Request bodies by name.
    #[serde(default)]
    pub request_bodies: BTreeMap<String, RequestBody>,
}

/// A schema (or a reference to one).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    /// `$ref` to `#/components/schemas/…`.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// `type`.
    #[serde(rename = "type")]
    pub schema_type: Option<String>,
    /// `format`.
    pub format: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Whether `null` is allowed.
    #[serde(default)]
    pub nullable: bool,
    /// Required property names.
    #[serde(default)]
    pub required: Vec<String>,
    /// Properties by wire name.
    #[serde(default)]
    pub properties: BTreeMap<String, Schema>,
    /// Item schema of an array.
    pub items: Option<Box<Schema>>,
    /// `additionalProperties`: a flag or a schema.
    pub additional_properties: Option<AdditionalProperties>,
    /// `allOf`.
    #[serde(default)]
    pub all_of: Vec<Schema>,
    /// `anyOf`.
    #[serde(default)]
    pub any_of: Vec<Schema>,
    /// `oneOf`.
    #[serde(default)]
    pub one_of: Vec<Schema>,
    /// `not`.
    pub not: Option<Box<Schema>>,
    /// `enum` values.
    #[serde(rename = "enum", default)]
    pub enum_values: Vec<serde_json::Value>,
    /// `discriminator`.
    pub discriminator: Option<serde_json::Value>,
    /// Graph's marker of a flags enum, whose value is a comma-separated set of members.
    #[serde(rename = "x-ms-enum-flags")]
    pub enum_flags: Option<EnumFlags>,
    /// Graph's marker of a navigation property (a link to other entities, not part of this one's value).
    #[serde(rename = "x-ms-navigationProperty", default)]
    pub navigation_property: bool,
}

/// `x-ms-enum-flags`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnumFlags {
    /// Whether the enum is a flags enum.
    #[serde(default)]
    pub is_flags: bool,
}

/// `additionalProperties`: `true`/`false` or a schema for the extra values.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum AdditionalProperties {
    /// Allowed or not.
    Flag(bool),
    /// Allowed, with this schema.
    Schema(Box<Schema>),
}

/// A response key: a status code (`200`), a range (`2XX`) or `default`. YAML writes `200:` as a number and `2XX:`
/// as a string; both are accepted.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct StatusKey(pub String);

impl StatusKey {
    /// Whether this key describes success (`2XX`, `200`…`299`).
    pub fn is_success(&self) -> bool {
        let k = self.0.as_bytes();
        k.len() == 3
            && k[0] == b'2'
            && (self.0[1..].eq_ignore_ascii_case("xx") || self.0[1..].bytes().all(|b| b.is_ascii_digit()))
    }

    /// Whether this key describes an error (`4XX`, `5XX`, `400`…`599`, `default`).
    pub fn is_error(&self) -> bool {
        let k = self.0.as_bytes();
        self.0 == "default" || (k.len() == 3 && (k[0] == b'4' || k[0] == b'5'))
    }
}

impl<'de> Deserialize<'de> for StatusKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = StatusKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an HTTP status code, a range like 2XX, or `default`")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<StatusKey, E> {
                Ok(StatusKey(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<StatusKey, E> {
                Ok(StatusKey(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StatusKey, E> {
                Ok(StatusKey(v.to_owned()))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_keys() {
        for ok in ["2XX", "2xx", "200", "204"] {
            assert!(StatusKey(ok.into()).is_success(), "{ok}");
        }
        for err in ["4XX", "5XX", "404", "default"] {
            assert!(StatusKey(err.into()).is_error(), "{err}");
            assert!(!StatusKey(err.into()).is_success(), "{err}");
        }
        let parsed: BTreeMap<StatusKey, Response> =
            crate::yaml::from_str("200: {description: ok}\n2XX: {description: ok}\n", std::path::Path::new("t.yaml"))
                .unwrap();
        assert_eq!(parsed.keys().map(|k| k.0.as_str()).collect::<Vec<_>>(), ["200", "2XX"]);
    }
}
