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
        let mut segments = if rest.is_empty() {
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
                .collect::<Result<Vec<_>, _>>()?
        };
        // `**/**` matches what `**` does; one keeps matching linear in the pattern.
        segments.dedup_by(|a, b| *a == Segment::AnyDepth && *b == Segment::AnyDepth);
        let methods = match methods {
            None => None,
            Some(list) => {
                let mut out = Vec::new();
                for m in list.split(',') {
                    let m = m.trim().to_ascii_uppercase();
                    if crate::model::Method::from_upper(&m).is_none() {
                        let all: Vec<&str> = crate::model::Method::ALL.iter().map(|m| m.upper()).collect();
                        return Err(PatternError(format!(
                            "pattern `{source}`: `{m}` is not an HTTP method (expected one of {})",
                            all.join(", ")
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

/// Whether `path` matches `pattern`, where `**` matches any run of segments and every other segment exactly one.
///
/// The classic wildcard walk, over segments: on a mismatch only the last `**` seen takes one more segment, so the
/// time is at most the product of the lengths (each segment compared by [`match_glob`], itself linear-ish).
fn match_segments(pattern: &[Segment], path: &[&str]) -> bool {
    let (mut p, mut t) = (0, 0);
    // The last `**` seen and the path position it was tried from.
    let mut star: Option<(usize, usize)> = None;
    while t < path.len() {
        match pattern.get(p) {
            Some(Segment::AnyDepth) => {
                star = Some((p, t));
                p += 1;
            }
            Some(Segment::Glob(glob)) if match_glob(glob.as_bytes(), path[t].as_bytes()) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((star_p, star_t)) => {
                    star = Some((star_p, star_t + 1));
                    p = star_p + 1;
                    t = star_t + 1;
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|s| *s == Segment::AnyDepth)
}

/// `*` matches any run of bytes; everything else matches itself, ASCII case-insensitively.
///
/// The same walk as [`match_segments`], over bytes: at most `glob.len() × text.len()` steps.
fn match_glob(glob: &[u8], text: &[u8]) -> bool {
    let (mut g, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match glob.get(g) {
            Some(b'*') => {
                star = Some((g, t));
                g += 1;
            }
            Some(c) if c.eq_ignore_ascii_case(&text[t]) => {
                g += 1;
                t += 1;
            }
            _ => match star {
                Some((star_g, star_t)) => {
                    star = Some((star_g, star_t + 1));
                    g = star_g + 1;
                    t = star_t + 1;
                }
                None => return false,
            },
        }
    }
    glob[g..].iter().all(|&c| c == b'*')
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

    /// The definitions, written as directly (and as slowly) as possible.
    fn reference_glob(glob: &[u8], text: &[u8]) -> bool {
        match glob.split_first() {
            None => text.is_empty(),
            Some((b'*', rest)) => (0..=text.len()).any(|skip| reference_glob(rest, &text[skip..])),
            Some((c, rest)) => {
                text.split_first().is_some_and(|(t, text)| c.eq_ignore_ascii_case(t) && reference_glob(rest, text))
            }
        }
    }

    fn reference_segments(pattern: &[Segment], path: &[&str]) -> bool {
        match pattern.split_first() {
            None => path.is_empty(),
            Some((Segment::AnyDepth, rest)) => (0..=path.len()).any(|skip| reference_segments(rest, &path[skip..])),
            Some((Segment::Glob(glob), rest)) => path.split_first().is_some_and(|(first, path)| {
                reference_glob(glob.as_bytes(), first.as_bytes()) && reference_segments(rest, path)
            }),
        }
    }

    /// Every string of length at most `max` over `alphabet`.
    fn strings(alphabet: &[&str], max: usize) -> Vec<Vec<String>> {
        let mut all = vec![Vec::new()];
        let mut last = vec![Vec::new()];
        for _ in 0..max {
            last = last
                .iter()
                .flat_map(|s: &Vec<String>| {
                    alphabet.iter().map(move |a| s.iter().cloned().chain([(*a).to_owned()]).collect())
                })
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    #[test]
    fn the_linear_walks_agree_with_the_definitions() {
        let texts = strings(&["a", "b", "A"], 5);
        for glob in strings(&["a", "b", "*"], 5) {
            let glob = glob.concat();
            for text in &texts {
                let text = text.concat();
                assert_eq!(
                    match_glob(glob.as_bytes(), text.as_bytes()),
                    reference_glob(glob.as_bytes(), text.as_bytes()),
                    "`{glob}` on `{text}`"
                );
            }
        }
        let paths = strings(&["a", "b", "ab"], 4);
        for pattern in strings(&["a", "*b", "**"], 4) {
            let source = format!("/{}", pattern.join("/"));
            let parsed = Pattern::parse(&source).unwrap();
            let raw: Vec<Segment> =
                pattern.iter().map(|s| if s == "**" { Segment::AnyDepth } else { Segment::Glob(s.clone()) }).collect();
            for path in &paths {
                let segments: Vec<&str> = path.iter().map(String::as_str).collect();
                let expected = reference_segments(&raw, &segments);
                assert_eq!(parsed.matches_path(&format!("/{}", path.join("/"))), expected, "`{source}` on {path:?}");
            }
        }
    }

    #[test]
    fn bad_patterns_say_why() {
        assert!(Pattern::parse("users").unwrap_err().0.contains("must start with `/`"));
        assert!(Pattern::parse("/a//b").unwrap_err().0.contains("empty segment"));
        assert!(Pattern::parse("/a**").unwrap_err().0.contains("whole segment"));
        assert!(Pattern::parse("/a#FETCH").unwrap_err().0.contains("not an HTTP method"));
    }
}
