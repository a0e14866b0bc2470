//! The one place that turns wire names into Rust identifiers.
//!
//! Every character that is not an ASCII letter or digit separates words; `heck` does the casing; a leading digit is
//! prefixed with `_`; Rust keywords (strict, reserved and edition-2024 ones, including `gen`) get a trailing `_`.
//! The wire name itself is kept by the emitter in `#[serde(rename)]`. [`Scope`] resolves collisions
//! deterministically: the first claimant keeps the name, later ones get a numeric suffix.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro",
    "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static", "struct", "super",
    "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Names the generated code uses unqualified; a generated type must not shadow them.
const PRELUDE_TYPES: &[&str] = &["Box", "Default", "Err", "None", "Ok", "Option", "Result", "Some", "String", "Vec"];

/// Whether `s` is a Rust keyword.
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

fn words(wire: &str) -> String {
    wire.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect()
}

fn finish(mut ident: String, fallback: &str) -> String {
    if ident.is_empty() {
        ident = fallback.to_owned();
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    if is_keyword(&ident) {
        ident.push('_');
    }
    ident
}

/// A `snake_case` identifier for a module, field, method or parameter.
pub fn snake(wire: &str) -> String {
    finish(words(wire).to_snake_case(), "value")
}

/// An `UpperCamelCase` identifier for a type.
pub fn camel(wire: &str) -> String {
    finish(words(wire).to_upper_camel_case(), "Value")
}

/// `microsoft.graph.user` → `user` for the namespace `microsoft.graph`: the namespace dropped from a qualified name
/// that starts with it. What is left of a deeper namespace stays (`microsoft.graph.security.alert` →
/// `security.alert`), to become modules or words of a Rust name.
pub fn strip_namespace<'n>(name: &'n str, namespace: Option<&str>) -> &'n str {
    namespace
        .and_then(|ns| name.strip_prefix(ns))
        .and_then(|rest| rest.strip_prefix('.'))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(name)
}

/// A path segment without the namespace of the operation it calls, when that namespace is exactly `namespace`:
/// `microsoft.graph.restore` → `restore`, `microsoft.graph.delta(token='{token}')` → `delta(token='{token}')`, but
/// `microsoft.graph.security.runHuntingQuery` stays as it is (its namespace is `microsoft.graph.security`). This is
/// how Microsoft's converter writes operation segments (`NamespacePrefixToStripForInMethodPaths`).
pub fn unqualify_segment<'s>(segment: &'s str, namespace: Option<&str>) -> &'s str {
    let name = segment.split('(').next().unwrap_or(segment);
    match name.rsplit_once('.') {
        Some((ns, _)) if Some(ns) == namespace => &segment[ns.len() + 1..],
        _ => segment,
    }
}

/// Whether `s` can be used as a type name as it is (ASCII, starts with an upper-case letter, not a keyword).
pub fn is_plain_type_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric()) && !is_keyword(s)
}

/// A set of names already taken in one Rust namespace (a module, a struct's fields, an impl's methods).
#[derive(Clone, Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// An empty scope.
    pub fn new() -> Self {
        Self::default()
    }

    /// A module scope, where the prelude's type names are taken already.
    pub fn module() -> Self {
        let mut scope = Self::new();
        for name in PRELUDE_TYPES {
            scope.taken.insert((*name).to_owned());
        }
        scope
    }

    /// Claims `name`, or the first free `name{n}` (`name_{n}` for snake case) with n = 2, 3, ….
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let separator = if name.starts_with(|c: char| c.is_ascii_uppercase()) { "" } else { "_" };
        let base = name.trim_end_matches('_');
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        let cases = [
            ("displayName", "display_name"),
            ("@odata.type", "odata_type"),
            ("type", "type_"),
            ("self", "self_"),
            ("gen", "gen_"),
            ("2fa", "_2fa"),
            ("dash-name", "dash_name"),
            ("dot.name", "dot_name"),
            ("ODataErrors", "o_data_errors"),
            ("assignLicense", "assign_license"),
            ("user-id", "user_id"),
            ("café", "caf"),
            ("@", "value"),
        ];
        for (wire, rust) in cases {
            assert_eq!(snake(wire), rust, "{wire}");
        }
    }

    #[test]
    fn camel_names() {
        let cases = [
            ("assignLicense", "AssignLicense"),
            ("ODataError", "ODataError"),
            ("microsoft graph user", "MicrosoftGraphUser"),
            ("self", "Self_"),
            ("2fa", "_2fa"),
            ("", "Value"),
        ];
        for (wire, rust) in cases {
            assert_eq!(camel(wire), rust, "{wire}");
        }
    }

    #[test]
    fn namespaces() {
        let ns = Some("microsoft.graph");
        assert_eq!(strip_namespace("microsoft.graph.user", ns), "user");
        assert_eq!(strip_namespace("microsoft.graph.security.alert", ns), "security.alert");
        assert_eq!(strip_namespace("other.user", ns), "other.user");
        assert_eq!(strip_namespace("microsoft.graph", ns), "microsoft.graph");
        assert_eq!(unqualify_segment("microsoft.graph.delta(token='{token}')", ns), "delta(token='{token}')");
        assert_eq!(
            unqualify_segment("microsoft.graph.security.runHuntingQuery", ns),
            "microsoft.graph.security.runHuntingQuery"
        );
        assert_eq!(unqualify_segment("manager", ns), "manager");
        assert_eq!(unqualify_segment("getByPath(path='a.b')", ns), "getByPath(path='a.b')");
    }

    #[test]
    fn scopes_resolve_collisions_in_order() {
        let mut s = Scope::module();
        assert_eq!(s.claim("Option".into()), "Option2");
        assert_eq!(s.claim("odata_type".into()), "odata_type");
        assert_eq!(s.claim("odata_type".into()), "odata_type_2");
        assert_eq!(s.claim("type_".into()), "type_");
        assert_eq!(s.claim("type_".into()), "type_2");
        assert_eq!(s.claim("Foo".into()), "Foo");
        assert_eq!(s.claim("Foo".into()), "Foo2");
    }
}
