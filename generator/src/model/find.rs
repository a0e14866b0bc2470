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
    /// Each segment the URL walks through below the root: the accessor that reaches it, its node, and the values
    /// it gives the segment.
    pub steps: Vec<Step<'m>>,
    /// The aliases the URL goes through (`/me/…`, `…/drive/…`), in order.
    pub aliases: Vec<&'m Alias>,
    /// The node the URL ends at.
    pub node: &'m Node,
    /// The operation of the method on that node, when it has one.
    pub operation: Option<&'m Operation>,
}

/// One segment of a resolved URL.
#[derive(Debug, Clone)]
pub struct Step<'m> {
    /// The method of the previous builder that reaches it (a node's own, or an alias's).
    pub accessor: &'m str,
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
    /// The path of `url` below the service root: without scheme, host, query and fragment, and without the base
    /// URL's path (`/v1.0`) when it starts with it.
    pub fn path_below_root<'u>(&self, url: &'u str) -> &'u str {
        path_of(url, &self.default_base_url)
    }

    /// Resolves `url` (absolute, or a path with or without the base URL's path, e.g. `/v1.0/users/1`) for `method`.
    ///
    /// # Errors
    ///
    /// When a segment matches no node: where.
    pub fn find(&self, method: Method, url: &str) -> Result<Found<'_>, NotFound> {
        let path = self.path_below_root(url);
        let mut node = &self.root;
        let mut steps = Vec::new();
        let mut aliases = Vec::new();
        let mut matched = String::new();
        let mut raws = path.split('/').filter(|s| !s.is_empty());
        while let Some(raw) = raws.next() {
            // Graph's path syntax for drive items: `root:/folder/file.txt:` is one item key.
            if let Some(start) = raw.strip_suffix(':').filter(|s| !s.contains(':')) {
                let mut key = format!("{start}:");
                for next in raws.by_ref() {
                    key.push('/');
                    key.push_str(next);
                    if next.ends_with(':') {
                        break;
                    }
                }
                let key = decode(&key);
                let Some(found) = node.item_with_path(&key) else {
                    return Err(NotFound { matched, segment: key });
                };
                matched.push('/');
                matched.push_str(&key);
                node = found.last().map_or(node, |s| s.node);
                steps.extend(found);
                continue;
            }
            let segment = decode(raw);
            let alias =
                self.aliases.iter().find(|a| a.parent == node.template && a.wire.eq_ignore_ascii_case(&segment));
            if let Some((alias, target)) = alias.and_then(|a| Some((a, self.root.find_template(&a.target)?))) {
                aliases.push(alias);
                node = target;
                matched.push('/');
                matched.push_str(&alias.wire);
                steps.push(Step { accessor: &alias.accessor, node: target, values: Vec::new() });
                continue;
            }
            // A literal segment or call first, then a key in parentheses, then a parameter.
            let found = match node.child_for(&segment, raw) {
                Some(step) => vec![step],
                None => match node.keyed_children(raw) {
                    Some(steps) => steps.into(),
                    None => match node.parameter_child(&segment) {
                        Some(step) => vec![step],
                        None => return Err(NotFound { matched, segment }),
                    },
                },
            };
            matched.push('/');
            matched.push_str(&segment);
            node = found.last().map_or(node, |s| s.node);
            steps.extend(found);
        }
        let operation = node.operations.iter().find(|op| op.method == method);
        Ok(Found { steps, aliases, node, operation })
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

    /// The node whose template is `template`, at or below this one, to change it.
    pub fn find_template_mut(&mut self, template: &str) -> Option<&mut Node> {
        if self.template == template {
            return Some(self);
        }
        self.children.iter_mut().find_map(|c| c.find_template_mut(template))
    }

    /// A drive item addressed by path (`root:/a/b.txt:` below a drive, `{id}:/a.txt:` below its items): the item
    /// parameter, reached through `items` when this node is not the collection itself.
    fn item_with_path(&self, key: &str) -> Option<Vec<Step<'_>>> {
        fn parameter<'n>(node: &'n Node, key: &str) -> Option<Step<'n>> {
            let item = node.children.iter().find(|c| matches!(c.segment, Segment::Parameter { .. }))?;
            Some(Step { accessor: &item.accessor, node: item, values: vec![Some(key.to_owned())] })
        }
        if let Some(item) = parameter(self, key) {
            return Some(vec![item]);
        }
        let items = self.children.iter().find(|c| matches!(&c.segment, Segment::Static { wire } if wire == "items"))?;
        Some(vec![Step { accessor: &items.accessor, node: items, values: Vec::new() }, parameter(items, key)?])
    }

    /// A key in parentheses (`worksheets('Sheet1')`, `users(id='1')`): the collection's literal segment and the
    /// item below it, when the collection has an item parameter.
    fn keyed_children(&self, raw: &str) -> Option<[Step<'_>; 2]> {
        let (name, key) = split_key(raw)?;
        let collection = self
            .children
            .iter()
            .find(|c| matches!(&c.segment, Segment::Static { wire } if same_literal(wire, name)))?;
        let item = collection.children.iter().find(|c| matches!(c.segment, Segment::Parameter { .. }))?;
        Some([
            Step { accessor: &collection.accessor, node: collection, values: Vec::new() },
            Step { accessor: &item.accessor, node: item, values: vec![Some(unquote(&decode(key)))] },
        ])
    }

    /// The child a URL segment (decoded, and `raw` as written) reaches as a literal segment, or else as a call.
    fn child_for(&self, segment: &str, raw: &str) -> Option<Step<'_>> {
        let literal = self.children.iter().find(|c| match &c.segment {
            Segment::Static { wire } => same_literal(wire, segment),
            _ => false,
        });
        if let Some(child) = literal {
            return Some(Step { accessor: &child.accessor, node: child, values: Vec::new() });
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
                        return Some(Step { accessor: &child.accessor, node: child, values });
                    }
                }
            }
        }
        None
    }

    /// The parameter child a segment that is no literal or call is the value of.
    fn parameter_child(&self, segment: &str) -> Option<Step<'_>> {
        let parameter = self.children.iter().find(|c| matches!(c.segment, Segment::Parameter { .. }))?;
        Some(Step { accessor: &parameter.accessor, node: parameter, values: vec![Some(segment.to_owned())] })
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

/// `name('k')` or `name(id='k')` → `("name", "'k'")`: one key, bare or named.
fn split_key(segment: &str) -> Option<(&str, &str)> {
    let (name, rest) = segment.split_once('(')?;
    let inner = rest.strip_suffix(')')?;
    if inner.is_empty() || name.is_empty() {
        return None;
    }
    if inner.starts_with('\'') {
        return Some((name, inner));
    }
    match split_call(segment) {
        Some((_, args)) if args.len() == 1 => Some((name, args[0].1)),
        Some(_) => None,
        None => Some((name, inner.trim())),
    }
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
    percent_encoding::percent_decode_str(segment).decode_utf8_lossy().into_owned()
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
        assert_eq!(split_key("worksheets('Sheet1')"), Some(("worksheets", "'Sheet1'")));
        assert_eq!(split_key("users(id='1')"), Some(("users", "'1'")));
        assert_eq!(split_key("f(a=1,b=2)"), None);
        assert_eq!(split_key("delta()"), None);
        assert_eq!(decode("a%2Fb%40c%zz"), "a/b@c%zz");
    }
}
