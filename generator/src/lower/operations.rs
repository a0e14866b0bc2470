//! Operations: each selected operation's body, responses, error model, docs and query parameters.
use std::collections::{BTreeMap, BTreeSet};

use super::*;

impl<'a, 'd> Lowerer<'a, 'd> {
    pub(super) fn operation(
        &mut self,
        selected: &Selected<'d>,
        module: &ModulePath,
        prefix: &str,
        rust_name: String,
        error_types: &mut BTreeSet<Option<TypePath>>,
    ) -> Option<Operation> {
        let op = selected.op;
        let pointer = pointer_push(&pointer_push("#/paths", selected.source), selected.method.lower());
        let method = selected.method.camel();
        let endpoint = format!("`{} {}`", selected.method.upper(), selected.path);
        let rank = selected.path.matches('{').count();
        let body = match &op.request_body {
            None => None,
            Some(body) => {
                let at = pointer_push(&pointer, "requestBody");
                let hint = NameHint {
                    module: module.clone(),
                    name: naming::camel(&format!("{prefix} {method} request body")),
                    origin: format!("The request body of {endpoint}."),
                    rank,
                };
                Some(self.request_body(body, &at, hint)?)
            }
        };
        let mut success = Vec::new();
        let mut errors = BTreeSet::new();
        for (status, response) in &op.responses {
            let at = pointer_push(&pointer_push(&pointer, "responses"), &status.0);
            if status.is_success() {
                let hint = NameHint {
                    module: module.clone(),
                    name: naming::camel(&format!("{prefix} {method} response")),
                    origin: format!("The response body of {endpoint}."),
                    rank,
                };
                success.push((at.clone(), self.response(response, &at, hint)?));
            } else if status.is_error() {
                let hint = NameHint {
                    module: module.clone(),
                    name: naming::camel(&format!("{prefix} {method} error")),
                    origin: format!("The error body of {endpoint}."),
                    rank,
                };
                match self.response(response, &at, hint)? {
                    None => {}
                    Some(ResponseShape::Json(TypeRef::Named(path))) => {
                        errors.insert(path);
                    }
                    Some(_) => self.unsupported(&at, "an error response whose body is not a JSON object"),
                }
            }
        }
        let response = match success.iter().filter_map(|(at, ty)| ty.as_ref().map(|ty| (at, ty))).collect::<Vec<_>>()[..]
        {
            [] => ResponseShape::NoContent,
            [(_, shape)] => shape.clone(),
            [(_, first), ref rest @ ..] => {
                if let Some((at, _)) = rest.iter().find(|(_, shape)| *shape != first) {
                    self.unsupported(at, "success responses with different body types");
                }
                first.clone()
            }
        };
        // Graph often answers a change with 204 although it describes a body.
        let response = match response {
            ResponseShape::Json(ty) if selected.method != Method::Get => ResponseShape::MaybeJson(ty),
            other => other,
        };
        // An update's body may also clear properties.
        let body = match body {
            Some(model::RequestBody::Json(ty)) if selected.method == Method::Patch => {
                Some(model::RequestBody::Patch(ty))
            }
            other => other,
        };
        let upper = rust_name.to_ascii_uppercase();
        match errors.len() {
            0 => {
                error_types.insert(None);
            }
            1 => {
                error_types.extend(errors.into_iter().map(Some));
            }
            _ => self.unsupported(&pointer_push(&pointer, "responses"), "error responses with different body types"),
        }
        Some(Operation {
            method: selected.method,
            rust_name,
            docs: Docs {
                summary: op.summary.clone(),
                description: op.description.clone(),
                link: op.external_docs.as_ref().map(|d| {
                    (d.description.clone().unwrap_or_else(|| "Reference documentation".to_owned()), d.url.clone())
                }),
            },
            deprecated: op.deprecated,
            body,
            response,
            clouds: None,
            permissions: None,
            aliased: Vec::new(),
            examples: Vec::new(),
            permissions_const: format!("{upper}_PERMISSIONS"),
            clouds_const: format!("{upper}_CLOUDS"),
            query: op
                .parameters
                .iter()
                .chain(&selected.item.parameters)
                .filter_map(|p| self.resolve_parameter(p))
                .filter(|p| p.location == "query")
                .map(|p| p.name.clone())
                .collect(),
        })
    }

    /// The one error model all selected operations share.
    pub(super) fn crate_error_type(&mut self, error_types: BTreeSet<Option<TypePath>>) -> Option<TypePath> {
        let named: Vec<TypePath> = error_types.into_iter().flatten().collect();
        if named.len() > 1 {
            let names: Vec<String> = named.iter().map(|p| format!("{}::{}", p.module.join("::"), p.name)).collect();
            self.unsupported("#/paths", &format!("operations with different error models ({})", names.join(", ")));
        }
        named.into_iter().next()
    }

    pub(super) fn request_body(
        &mut self,
        body: &'d RequestBody,
        pointer: &str,
        hint: NameHint,
    ) -> Option<model::RequestBody> {
        let (body, pointer) = match &body.reference {
            None => (body, pointer.to_owned()),
            Some(r) => match r
                .strip_prefix(BODY_REF)
                .and_then(|n| self.doc.components.request_bodies.get(n).map(|b| (n, b)))
            {
                Some((name, b)) => (b, pointer_push("#/components/requestBodies", name)),
                None => {
                    self.error(&pointer_push(pointer, "$ref"), format!("dangling $ref `{r}`: no such request body"));
                    return None;
                }
            },
        };
        let Some((media, content)) = json_content(&body.content) else {
            return match body.content.keys().next() {
                Some(media) => Some(model::RequestBody::Bytes { content_type: media.clone() }),
                None => {
                    self.error(&pointer_push(&pointer, "content"), "a request body without any media type");
                    None
                }
            };
        };
        let at = pointer_push(&pointer_push(&pointer_push(&pointer, "content"), media), "schema");
        let ty = match &content.schema {
            Some(schema) => self.schema(schema, &at, &hint)?,
            None => TypeRef::Json,
        };
        Some(model::RequestBody::Json(ty))
    }

    /// How a response's body is read, `None` inside when it has none.
    pub(super) fn response(
        &mut self,
        response: &'d Response,
        pointer: &str,
        hint: NameHint,
    ) -> Option<Option<ResponseShape>> {
        let (response, pointer) = match &response.reference {
            None => (response, pointer.to_owned()),
            Some(r) => {
                match r.strip_prefix(RESPONSE_REF).and_then(|n| self.doc.components.responses.get(n).map(|x| (n, x))) {
                    Some((name, x)) => (x, pointer_push("#/components/responses", name)),
                    None => {
                        self.error(&pointer_push(pointer, "$ref"), format!("dangling $ref `{r}`: no such response"));
                        return None;
                    }
                }
            }
        };
        if response.content.is_empty() {
            return Some(None);
        }
        if let Some((media, content)) = json_content(&response.content) {
            let at = pointer_push(&pointer_push(&pointer_push(&pointer, "content"), media), "schema");
            return match &content.schema {
                Some(schema) => self.schema(schema, &at, &hint).map(|ty| Some(ResponseShape::Json(ty))),
                None => Some(Some(ResponseShape::Json(TypeRef::Json))),
            };
        }
        if let Some(text) = response.content.get("text/plain") {
            let integer = text.schema.as_ref().is_some_and(|s| {
                let s = match &s.reference {
                    Some(r) => r.strip_prefix(SCHEMA_REF).and_then(|n| self.doc.components.schemas.get(n)).unwrap_or(s),
                    None => s,
                };
                matches!(s.schema_type.as_deref(), Some("integer" | "number")) && s.format.as_deref() != Some("double")
            });
            return Some(Some(ResponseShape::Text(if integer { TypeRef::I64 } else { TypeRef::String })));
        }
        Some(Some(ResponseShape::Bytes))
    }
}

/// The JSON entry of a `content` map: `application/json` first, then any `…/…+json` or `…/json` type.
pub(super) fn json_content<T>(content: &BTreeMap<String, T>) -> Option<(&str, &T)> {
    content
        .get_key_value("application/json")
        .or_else(|| {
            content.iter().find(|(k, _)| {
                let base = k.split(';').next().unwrap_or(k).trim();
                base.ends_with("/json") || base.ends_with("+json")
            })
        })
        .map(|(k, v)| (k.as_str(), v))
}
