//! The one place that knows which YAML library parses descriptions (`serde_yaml` is archived upstream; swapping it
//! means changing only this module).

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{Error, LineIndex, Location, Result};
use crate::limits;

/// Parses YAML (or JSON, which is YAML) into `T`, reporting the line and column of the first problem.
///
/// Text nested deeper than [`limits::MAX_YAML_DEPTH`] is refused before the parser sees it.
pub fn from_str<T: DeserializeOwned>(text: &str, file: &Path) -> Result<T> {
    limits::check_yaml(text).map_err(|too_deep| Error::Input {
        file: file.to_path_buf(),
        location: LineIndex::new(text).location(too_deep.offset),
        message: format!("invalid description: {}", too_deep.message),
    })?;
    serde_yaml::from_str(text).map_err(|e| {
        let location = match e.location() {
            Some(l) => Location::LineColumn { line: l.line(), column: l.column() },
            None => Location::File,
        };
        let mut message = e.to_string();
        // serde_yaml appends " at line L column C" itself; the location already says so.
        if let Some(at) = message.find(" at line ") {
            message.truncate(at);
        }
        Error::Input { file: file.to_path_buf(), location, message: format!("invalid description: {message}") }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_are_located() {
        let err = from_str::<serde_json::Value>("a: 1\nb: [1, 2\n", Path::new("x.yaml")).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("x.yaml:"), "{text}");
        assert!(text.contains("invalid description"), "{text}");
        match err {
            Error::Input { location: Location::LineColumn { line, .. }, .. } => assert!(line >= 2),
            other => panic!("unexpected {other:?}"),
        }
    }
}
