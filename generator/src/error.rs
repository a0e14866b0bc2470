//! Errors that name the file, the place in it and what was expected.

use std::fmt;
use std::path::{Path, PathBuf};

/// A result with the generator's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where in an input file a problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// The whole file.
    File,
    /// A line and column, both 1-based.
    LineColumn {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A JSON pointer into the parsed document (RFC 6901), e.g. `#/paths/~1users/post`.
    Pointer(String),
}

/// Everything that can go wrong while generating.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// An input file (or the output directory) could not be read or written.
    Io {
        /// What was being done, e.g. "read spec".
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// An input is wrong: syntax, shape or meaning.
    Input {
        /// The input file, relative to the workspace when possible.
        file: PathBuf,
        /// Where in the file.
        location: Location,
        /// What is wrong and what was expected.
        message: String,
    },
    /// Several independent problems, reported together.
    Many(Vec<Error>),
    /// `--check` found generated files that differ from what the generator produces now.
    Stale {
        /// The stale files, relative to the workspace, with what differs.
        files: Vec<String>,
    },
}

impl Error {
    /// An input error at a JSON pointer.
    pub fn at_pointer(file: &Path, pointer: &str, message: impl Into<String>) -> Self {
        Error::Input {
            file: file.to_path_buf(),
            location: Location::Pointer(pointer.to_owned()),
            message: message.into(),
        }
    }

    /// An input error about a whole file.
    pub fn in_file(file: &Path, message: impl Into<String>) -> Self {
        Error::Input { file: file.to_path_buf(), location: Location::File, message: message.into() }
    }

    /// An I/O error.
    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        Error::Io { action, path: path.to_path_buf(), source }
    }

    /// Collapses a list of errors into one (`None` when there are none).
    pub fn from_list(mut errors: Vec<Error>) -> Option<Self> {
        match errors.len() {
            0 => None,
            1 => errors.pop(),
            _ => Some(Error::Many(errors)),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { action, path, source } => write!(f, "{}: cannot {action}: {source}", path.display()),
            Error::Input { file, location, message } => match location {
                Location::File => write!(f, "{}: {message}", file.display()),
                Location::LineColumn { line, column } => write!(f, "{}:{line}:{column}: {message}", file.display()),
                Location::Pointer(pointer) => write!(f, "{}{pointer}: {message}", file.display()),
            },
            Error::Many(errors) => {
                write!(f, "{} problems:", errors.len())?;
                for error in errors {
                    write!(f, "\n  - {error}")?;
                }
                Ok(())
            }
            Error::Stale { files } => {
                write!(f, "generated files are stale; run `cargo xtask codegen` to update them:")?;
                for file in files {
                    write!(f, "\n  - {file}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Byte offsets to 1-based lines and columns (columns count characters), for a text scanned once.
#[derive(Debug)]
pub struct LineIndex<'t> {
    text: &'t str,
    line_starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    /// Indexes the line starts of `text`.
    pub fn new(text: &'t str) -> Self {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { text, line_starts }
    }

    /// The location of byte `offset` (clamped to the text).
    pub fn location(&self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self.line_starts[line.saturating_sub(1)];
        let column = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
        Location::LineColumn { line, column }
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` as RFC 6901 asks.
pub fn pointer_push(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        let p = pointer_push("#/paths", "/users/{user-id}");
        assert_eq!(p, "#/paths/~1users~1{user-id}");
        assert_eq!(pointer_push(&p, "a~b"), "#/paths/~1users~1{user-id}/a~0b");
    }

    #[test]
    fn line_index_counts_characters() {
        let index = LineIndex::new("ab\nçd\n\nx");
        assert_eq!(index.location(0), Location::LineColumn { line: 1, column: 1 });
        assert_eq!(index.location(3), Location::LineColumn { line: 2, column: 1 });
        assert_eq!(index.location(5), Location::LineColumn { line: 2, column: 2 });
        assert_eq!(index.location(8), Location::LineColumn { line: 4, column: 1 });
        assert_eq!(index.location(99), Location::LineColumn { line: 4, column: 2 });
    }

    #[test]
    fn display_names_file_and_place() {
        let e = Error::at_pointer(Path::new("specs/a.yaml"), "#/paths/~1x", "unsupported: oneOf");
        assert_eq!(e.to_string(), "specs/a.yaml#/paths/~1x: unsupported: oneOf");
        let e = Error::Input {
            file: "specs/a.yaml".into(),
            location: Location::LineColumn { line: 3, column: 7 },
            message: "expected a mapping".into(),
        };
        assert_eq!(e.to_string(), "specs/a.yaml:3:7: expected a mapping");
    }
}
