//! Examples in the docs: each example request of the config becomes the Rust snippet (see [`crate::snippet`]) of
//! the operation it calls, attached to that operation for its docs, where it is compiled as a doctest.

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::Crate;
use crate::snippet::{HttpRequest, Writer};

/// Attaches the snippet of each `(file, text)` request to the operation it calls; `crate_name` is how the snippet
/// names the crate (its library name).
///
/// # Errors
///
/// When a file is not a request, or the crate cannot express it: the file and the reason.
pub fn attach(model: &mut Crate, requests: &[(&Path, &str)], crate_name: &str) -> Result<()> {
    let mut found = Vec::new();
    {
        let writer = Writer::new(model, crate_name);
        for (file, text) in requests {
            let fail = |reason: &str| Error::in_file(file, format!("expected an example request: {reason}"));
            let request = HttpRequest::parse(text).map_err(|r| fail(r.reason()))?;
            let snippet = writer.write(&request).map_err(|r| fail(&format!("no snippet: {}", r.reason())))?;
            let path = request.url.split(['?', '#']).next().unwrap_or_default();
            let target = model.find(request.method, path).map_err(|_| fail("its URL names no operation"))?;
            let mut text = snippet.uses.join("\n");
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&snippet.code);
            found.push((target.node.template.clone(), request.method, text));
        }
    }
    for (template, method, text) in found {
        let node = model.root.find_template_mut(&template);
        if let Some(op) = node.and_then(|n| n.operations.iter_mut().find(|op| op.method == method)) {
            op.examples.push(text);
        }
    }
    Ok(())
}
