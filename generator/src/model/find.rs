//! From a concrete request URL to what the model calls it: the nodes it walks through (with the values the URL
//! gives their parameters and arguments) and the operation its method calls. The one URL-to-template matcher.
//!
//! Segments compare without case (Graph's paths do), keys and function arguments are percent-decoded and
//! unquoted, an operation segment may carry the namespace the crate strips (`microsoft.graph.delta()`), a function
//! without arguments may be written without `()`, and a root segment that is an alias (`me`) continues at its
//! target's node.

use super::{Alias, Crate, Method, Node, Operation, Segment};

/// A URL resolved against the model.
#[derive(Debug, Clone)]
pub struct Found<'m> {
    /// Each node the URL walks through below the root, with the values it gives that node's segment.
    pub steps: Vec<Step<'m>>,
    /// The alias the URL starts with, if any (`/me/…`).
    pub alias: Option<&'m Alias>,
    /// The node the URL ends at.
    pub node: &'m Node,
    /// The operation of the method on that node, when it has one.
    pub operation: Option<&'m Operation>,
}

/// One segment of a resolved URL.
#[derive(Debug, Clone)]
pub struct Step<'m> {
    /// The node it reaches.
    pub node: &'m Node,
    /// For a parameter, its value; for a call, each argument's value in the order the node declares them (`None`
    /// for an alias argument the URL leaves out); nothing for a static segment.
    pub values: Vec<Option<String>>,
}

/// Why a URL does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotFound {
    /// The URL path up to the segment that matched nothing.
    pub matched: String,
    /// The segment no node matches.
    pub segment: String,
}

impl Crate {
    /// Resolves `url` (absolute, or a path with or without the base URL's path, e.g. `/v1.0/users/1`) for `method`.
    ///
    /// # Errors
    ///
    /// When a segment matches no node: where.
    pub fn find(&self, method: Method, url: &str) -> Result<Found<'_>, NotFound> {
        let path = path_of(url, &self.default_base_url);
        let mut node = &self.root;
        let mut steps = Vec::new();
        let mut alias = None;
        let mut matched = String::new();
        for (i, raw) in path.split('/').filter(|s| !s.is_empty()).enumerate() {
            let segment = decode(raw);
            if i == 0 {
                if let Some(a) = self.aliases.iter().find(|a| a.wire.eq_ignore_ascii_case(&segment)) {
                    if let Some(target) = self.root.find_template(&a.target) {
                        alias = Some(a);
                        node = target;
                        matched.push('/');
                        matched.push_str(&a.wire);
                        continue;
                    }
                }
            }
            let Some(step) = node.child_for(&segment, raw) else {
                return Err(NotFound { matched, segment });
            };
            matched.push('/');
            matched.push_str(&segment);
            node = step.node;
            steps.push(step);
        }
        let operation = node.operations.iter().find(|op| op.method == method);
        Ok(Found { steps, alias, node, operation })
    }
}

impl Node {
    /// The node whose template is `template`, at or below this one.
    pub fn find_template(&self, template: &str) -> Option<&Node> {
        if self.template == template {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find_template(template))
    }

    /// The child a URL segment (decoded, and `raw` as written) reaches: a literal segment first, then a call, then
    /// a parameter.
    fn child_for(&self, segment: &str, raw: &str) -> Option<Step<'_>> {
        let literal = self.children.iter().find(|c| match &c.segment {
            Segment::Static { wire } => same_literal(wire, segment),
            _ => false,
        });
        if let Some(child) = literal {
            return Some(Step { node: child, values: Vec::new() });
        }
        if let Some((name, args)) = split_call(raw) {
            for child in &self.children {
                if let Segment::Call { name: wire, args: declared } = &child.segment {
                    if !same_literal(wire, name) {
                        continue;
                    }
                    let values: Option<Vec<Option<String>>> = declared
                        .iter()
                        .map(|d| {
                            let given = args.iter().find(|(n, _)| n.eq_ignore_ascii_case(&d.wire));
                            match (given, &d.alias) {
                                (Some((_, v)), None) => Some(Some(unquote(&decode(v)))),
                                (None, None) => None,
                                (given, Some(_)) => Some(given.map(|(_, v)| unquote(&decode(v)))),
                            }
                        })
                        .collect();
                    let all_known = args.iter().all(|(n, _)| declared.iter().any(|d| d.wire.eq_ignore_ascii_case(n)));
                    if let (Some(values), true) = (values, all_known) {
                        return Some(Step { node: child, values });
                    }
                }
            }
        }
        let parameter = self.children.iter().find(|c| matches!(c.segment, Segment::Parameter { .. }))?;
        Some(Step { node: parameter, values: vec![Some(segment.to_owned())] })
    }
}

/// Whether a literal segment of the model (`delta()`, `microsoft.graph.security.runHuntingQuery`) is the URL's:
/// without case, with or without a leading namespace, with or without `()`.
fn same_literal(wire: &str, segment: &str) -> bool {
    let bare = |s: &str| s.strip_suffix("()").unwrap_or(s).to_ascii_lowercase();
    let (wire, segment) = (bare(wire), bare(segment));
    wire == segment || segment.ends_with(&format!(".{wire}")) || wire.ends_with(&format!(".{segment}"))
}

/// `name(a='x',b=2)` → `("name", [("a", "'x'"), ("b", "2")])`; `None` without arguments.
fn split_call(segment: &str) -> Option<(&str, Vec<(&str, &str)>)> {
    let (name, rest) = segment.split_once('(')?;
    let inner = rest.strip_suffix(')')?;
    if inner.is_empty() {
        return None;
    }
    let mut args = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, c) in inner.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            ',' if !quoted => {
                args.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    args.push(&inner[start..]);
    let args = args.into_iter().map(|a| a.split_once('=').map(|(n, v)| (n.trim(), v.trim()))).collect::<Option<_>>()?;
    Some((name, args))
}

/// `'it''s'` → `it's`; anything else as it is.
fn unquote(value: &str) -> String {
    match value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        Some(inner) => inner.replace("''", "'"),
        None => value.to_owned(),
    }
}

/// Percent-decoding of one segment (invalid escapes are kept as written).
fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The path of `url` below the service root: the scheme and host dropped, the query and fragment dropped, and the
/// base URL's path (`/v1.0`) dropped when the URL starts with it.
fn path_of<'u>(url: &'u str, base_url: &str) -> &'u str {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => url,
    };
    let base_path = base_url.split_once("://").and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..])).unwrap_or("");
    let base_path = base_path.trim_end_matches('/');
    match path.get(..base_path.len()) {
        Some(prefix) if !base_path.is_empty() && prefix.eq_ignore_ascii_case(base_path) => &path[base_path.len()..],
        _ => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_reduce_to_paths_below_the_root() {
        let base = "https://graph.microsoft.com/v1.0";
        assert_eq!(path_of("https://graph.microsoft.com/v1.0/me/messages?$top=5", base), "/me/messages");
        assert_eq!(path_of("/v1.0/users/1", base), "/users/1");
        assert_eq!(path_of("/users/1#x", base), "/users/1");
        assert_eq!(path_of("https://graph.microsoft.com/V1.0/me", base), "/me");
    }

    #[test]
    fn segments_and_calls() {
        assert!(same_literal("delta()", "delta"));
        assert!(same_literal("delta()", "microsoft.graph.delta()"));
        assert!(same_literal("sendMail", "sendmail"));
        assert!(!same_literal("delta()", "deltas"));
        assert_eq!(split_call("f(a='x,y',b=2)"), Some(("f", vec![("a", "'x,y'"), ("b", "2")])));
        assert_eq!(split_call("delta()"), None);
        assert_eq!(unquote("'it''s'"), "it's");
        assert_eq!(decode("a%2Fb%40c%zz"), "a/b@c%zz");
    }
}
