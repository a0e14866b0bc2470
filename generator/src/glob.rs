//! Kiota-style include patterns: `/users/{user-id}/manager#GET`.
//!
//! A pattern is a path template where `*` matches any run of characters within one segment, `**` (a whole segment)
//! matches any number of segments, and everything else matches itself, ASCII case-insensitively. An optional
//! `#GET,POST` suffix limits the methods; without it every method matches.

use std::fmt;

/// A parsed include pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    source: String,
    segments: Vec<Segment>,
    methods: Option<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    AnyDepth,
    Glob(String),
}

/// Why a pattern cannot be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError(pub String);

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

const METHODS: [&str; 8] = ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"];

impl Pattern {
    /// Parses a pattern.
    pub fn parse(source: &str) -> Result<Self, PatternError> {
        let (path, methods) = match source.split_once('#') {
            Some((path, methods)) => (path, Some(methods)),
            None => (source, None),
        };
        let Some(rest) = path.strip_prefix('/') else {
            return Err(PatternError(format!("pattern `{source}` must start with `/`")));
        };
        let segments = if rest.is_empty() {
            Vec::new()
        } else {
            rest.split('/')
                .map(|s| match s {
                    "" => Err(PatternError(format!("pattern `{source}` has an empty segment"))),
                    "**" => Ok(Segment::AnyDepth),
                    s if s.contains("**") => {
                        Err(PatternError(format!("pattern `{source}`: `**` must be a whole segment, found `{s}`")))
                    }
                    s => Ok(Segment::Glob(s.to_owned())),
                })
                .collect::<Result<_, _>>()?
        };
        let methods = match methods {
            None => None,
            Some(list) => {
                let mut out = Vec::new();
                for m in list.split(',') {
                    let m = m.trim().to_ascii_uppercase();
                    if !METHODS.contains(&m.as_str()) {
                        return Err(PatternError(format!(
                            "pattern `{source}`: `{m}` is not an HTTP method (expected one of {})",
                            METHODS.join(", ")
                        )));
                    }
                    out.push(m);
                }
                Some(out)
            }
        };
        Ok(Pattern { source: source.to_owned(), segments, methods })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the pattern selects `method` (any case) on the path template `path`.
    pub fn matches(&self, path: &str, method: &str) -> bool {
        if let Some(methods) = &self.methods {
            if !methods.iter().any(|m| m.eq_ignore_ascii_case(method)) {
                return false;
            }
        }
        self.matches_path(path)
    }

    /// Whether the pattern selects the path template `path` (ignoring methods).
    pub fn matches_path(&self, path: &str) -> bool {
        let rest = path.strip_prefix('/').unwrap_or(path);
        let segments: Vec<&str> = if rest.is_empty() { Vec::new() } else { rest.split('/').collect() };
        match_segments(&self.segments, &segments)
    }
}

fn match_segments(pattern: &[Segment], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((Segment::AnyDepth, rest)) => (0..=path.len()).any(|skip| match_segments(rest, &path[skip..])),
        Some((Segment::Glob(glob), rest)) => match path.split_first() {
            Some((first, path_rest)) => {
                match_glob(glob.as_bytes(), first.as_bytes()) && match_segments(rest, path_rest)
            }
            None => false,
        },
    }
}

/// `*` matches any run of bytes; everything else matches itself, ASCII case-insensitively.
fn match_glob(glob: &[u8], text: &[u8]) -> bool {
    match glob.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|skip| match_glob(rest, &text[skip..])),
        Some((c, rest)) => match text.split_first() {
            Some((t, text_rest)) => c.eq_ignore_ascii_case(t) && match_glob(rest, text_rest),
            None => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Pattern {
        Pattern::parse(s).unwrap()
    }

    #[test]
    fn exact_paths_and_methods() {
        let pat = p("/users/{user-id}/manager/ref#POST");
        assert!(pat.matches("/users/{user-id}/manager/ref", "post"));
        assert!(pat.matches("/users/{user-id}/MANAGER/Ref", "POST"));
        assert!(!pat.matches("/users/{user-id}/manager/ref", "GET"));
        assert!(!pat.matches("/users/{user-id}/manager", "POST"));
        assert!(!pat.matches("/users/{user-id}/manager/ref/x", "POST"));
    }

    #[test]
    fn wildcards() {
        assert!(p("/**").matches("/", "GET"));
        assert!(p("/**").matches("/a/b/c", "GET"));
        assert!(p("/users/**").matches("/users", "GET"));
        assert!(p("/users/**/assign*").matches("/users/{user-id}/licenses/assignLicense", "POST"));
        assert!(!p("/users/*").matches("/users/{user-id}/manager", "GET"));
        assert!(p("/users/*/manager#GET,post").matches("/users/{id}/manager", "POST"));
    }

    #[test]
    fn bad_patterns_say_why() {
        assert!(Pattern::parse("users").unwrap_err().0.contains("must start with `/`"));
        assert!(Pattern::parse("/a//b").unwrap_err().0.contains("empty segment"));
        assert!(Pattern::parse("/a**").unwrap_err().0.contains("whole segment"));
        assert!(Pattern::parse("/a#FETCH").unwrap_err().0.contains("not an HTTP method"));
    }
}
