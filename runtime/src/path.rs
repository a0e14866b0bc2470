//! Percent-encoding of path segments and query components, and the path a request builder holds.

use std::fmt::{self, Write};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Every byte except RFC 3986's unreserved characters (`ALPHA / DIGIT / "-" / "." / "_" / "~"`).
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Every byte that may not appear literally in an RFC 3986 path segment (`pchar`): the unreserved
/// characters, the sub-delimiters and `:` `@` stay, so literals such as `microsoft.graph.delta()` are
/// sent as written, while `/`, `?`, `#`, `%`, spaces and non-ASCII are encoded.
const NOT_PCHAR: &AsciiSet = &NOT_UNRESERVED
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// A query parameter name: like a value, but OData's `$` prefix (`$select`, `$top`) stays literal.
const NOT_QUERY_NAME: &AsciiSet = &NOT_UNRESERVED.remove(b'$');

/// Percent-encodes a path parameter value so that it is exactly one segment: every byte that is not an
/// unreserved character is encoded, e.g. `a/b?c#d` becomes `a%2Fb%3Fc%23d`.
pub(crate) fn encode_parameter(value: &str) -> String {
    utf8_percent_encode(value, NOT_UNRESERVED).to_string()
}

/// Percent-encodes a literal path segment taken from the API description.
pub(crate) fn encode_literal(literal: &str) -> String {
    utf8_percent_encode(literal, NOT_PCHAR).to_string()
}

/// Percent-encodes a query parameter name.
pub(crate) fn encode_query_name(name: &str) -> String {
    utf8_percent_encode(name, NOT_QUERY_NAME).to_string()
}

/// Percent-encodes a query parameter value (a space becomes `%20`, never `+`).
pub(crate) fn encode_query_value(value: &str) -> String {
    utf8_percent_encode(value, NOT_UNRESERVED).to_string()
}

/// Why a raw value cannot be sent as one path segment, if it cannot: URL parsers drop or resolve
/// empty, `.` and `..` segments, so the server would see another path.
fn dot_segment_problem(raw: &str) -> Option<&'static str> {
    match raw {
        "" => Some("is empty"),
        "." => Some("is \".\", which URLs treat as \"this directory\""),
        ".." => Some("is \"..\", which URLs treat as \"the parent directory\""),
        _ => None,
    }
}

/// One argument of an OData function call or alternate key in a path (see [`UrlPath::push_call`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallArg<'a> {
    /// A string, written as an OData string literal: `'value'`.
    Quoted(&'a str),
    /// A number, boolean or other literal, written as it is.
    Raw(String),
    /// A parameter alias, written `@name`: its value is given in the query (`?@name='…'`), or left out for an
    /// optional argument.
    Alias(&'static str),
}

/// The longest path parameter value, in bytes once percent-encoded: Graph's ids and keys are far
/// shorter, and a longer value is [`Error::InvalidRequest`](crate::Error::InvalidRequest) before anything
/// is sent (instead of a connection the server closes).
pub const MAX_PARAMETER_LEN: usize = 4096;

/// An already-encoded path below the base URL, built segment by segment by request builders.
///
/// Adding a segment never fails: a value that cannot be sent as one segment (empty, `.` or `..`) is
/// recorded, and the first such problem is reported by [`Request::build`](crate::Request::build) and
/// [`Request::send`](crate::Request::send) as [`Error::InvalidRequest`](crate::Error::InvalidRequest)
/// before anything is sent. `Display` shows the encoded path, e.g. `/users/a%2Fb/presence`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct UrlPath {
    /// The encoded path, each segment after a `/` (no segment contains one): `/users/a%2Fb`, or empty.
    path: String,
    /// How many segments `path` has.
    count: usize,
    /// The path with each parameter as `{name}` and each call argument as `{argument}`.
    template: String,
    problem: Option<String>,
}

impl UrlPath {
    /// The empty path: the base URL itself.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a literal segment from the API description, e.g. `clearPresence`.
    ///
    /// Characters that may not appear in a path segment (`/`, `?`, `#`, `%`, spaces, non-ASCII, …) are
    /// percent-encoded.
    pub fn push_segment(&mut self, literal: &str) {
        if let Some(reason) = dot_segment_problem(literal) {
            self.record(format!("the path segment {literal:?} {reason}"));
        }
        let start = self.path.len();
        self.path.push('/');
        let _ = write!(self.path, "{}", utf8_percent_encode(literal, NOT_PCHAR));
        self.template.push_str(&self.path[start..]);
        self.count += 1;
    }

    /// Appends the value of the path parameter `name` (e.g. `user-id`) as exactly one segment: every byte
    /// that is not an RFC 3986 unreserved character is percent-encoded.
    pub fn push_parameter(&mut self, name: &str, value: &str) {
        if let Some(reason) = dot_segment_problem(value) {
            self.record(format!("the path parameter `{name}` {reason}; it cannot be sent as a URL path segment"));
        }
        let start = self.path.len();
        self.path.push('/');
        let _ = write!(self.path, "{}", utf8_percent_encode(value, NOT_UNRESERVED));
        let length = self.path.len() - start - 1;
        self.check_length(name, length);
        self.template.push_str("/{");
        self.template.push_str(name);
        self.template.push('}');
        self.count += 1;
    }

    /// Appends an OData function call or alternate key, e.g. `delta(token='abc')` or
    /// `applications(appId='…')`: `name` as a literal, each argument as `name=value`. A
    /// [`CallArg::Quoted`] value is written as an OData string literal (single quotes, a quote inside
    /// doubled), a [`CallArg::Raw`] one (a number, a boolean) as it is; both are percent-encoded so the
    /// call stays one segment.
    pub fn push_call(&mut self, name: &str, args: &[(&str, CallArg<'_>)]) {
        let mut segment = encode_literal(name);
        segment.push('(');
        let mut template = segment.clone();
        for (i, (arg, value)) in args.iter().enumerate() {
            if i > 0 {
                segment.push(',');
            }
            if i > 0 {
                template.push(',');
            }
            segment.push_str(&encode_literal(arg));
            segment.push('=');
            template.push_str(&encode_literal(arg));
            template.push_str(match value {
                CallArg::Alias(_) => "=@",
                _ => "={",
            });
            match value {
                CallArg::Quoted(text) => {
                    segment.push('\'');
                    segment.push_str(&encode_parameter(&text.replace('\'', "''")));
                    segment.push('\'');
                }
                CallArg::Raw(text) => {
                    if text.is_empty() {
                        self.record(format!("the argument `{arg}` of `{name}` is empty"));
                    }
                    segment.push_str(&encode_parameter(text));
                }
                CallArg::Alias(alias) => {
                    segment.push('@');
                    segment.push_str(&encode_literal(alias));
                    template.push_str(&encode_literal(alias));
                }
            }
            if !matches!(value, CallArg::Alias(_)) {
                template.push_str(&encode_literal(arg));
                template.push('}');
            }
        }
        segment.push(')');
        template.push(')');
        self.check_length(name, segment.len());
        self.template.push('/');
        self.template.push_str(&template);
        self.path.push('/');
        self.path.push_str(&segment);
        self.count += 1;
    }

    /// The encoded segments, in order.
    pub fn segments(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        Segments { split: self.path.get(1..).unwrap_or_default().split('/'), remaining: self.count }
    }

    /// The encoded path: `/` and each segment, e.g. `/users/a%2Fb`; empty for no segment.
    pub(crate) fn encoded(&self) -> &str {
        &self.path
    }

    /// The path with each parameter as `{name}` and each call argument as `{argument}`, e.g.
    /// `/users/{user-id}/presence` or `/delta(token={token})`: what tracing shows instead of ids.
    pub fn template(&self) -> &str {
        if self.template.is_empty() {
            "/"
        } else {
            &self.template
        }
    }

    /// Records an over-long parameter (see [`MAX_PARAMETER_LEN`]).
    fn check_length(&mut self, name: &str, length: usize) {
        if length > MAX_PARAMETER_LEN {
            self.record(format!(
                "the path parameter `{name}` is {length} bytes long once encoded, more than the \
                 {MAX_PARAMETER_LEN} a path parameter may have"
            ));
        }
    }

    /// The first reason this path cannot be sent, if any.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    fn record(&mut self, problem: String) {
        self.problem.get_or_insert(problem);
    }
}

/// Room left in a cloned path for the next segments, so that building a path (each builder a clone
/// plus a segment) does not reallocate.
const ROOM: usize = 48;

impl Clone for UrlPath {
    fn clone(&self) -> Self {
        let with_room = |text: &String| {
            let mut copy = String::with_capacity(text.len() + ROOM);
            copy.push_str(text);
            copy
        };
        Self {
            path: with_room(&self.path),
            count: self.count,
            template: with_room(&self.template),
            problem: self.problem.clone(),
        }
    }
}

/// The segments of a [`UrlPath`].
struct Segments<'a> {
    split: std::str::Split<'a, char>,
    remaining: usize,
}

impl<'a> Iterator for Segments<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        self.split.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for Segments<'_> {}

impl fmt::Display for UrlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            return f.write_str("/");
        }
        f.write_str(&self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_quote_strings_and_keep_one_segment() {
        let mut path = UrlPath::new();
        path.push_call("microsoft.graph.delta", &[("token", CallArg::Quoted("it's a/b"))]);
        path.push_call("getRecentNotebooks", &[("includePersonalNotebooks", CallArg::Raw(true.to_string()))]);
        path.push_call("range", &[("start", CallArg::Quoted("x")), ("top", CallArg::Raw(5.to_string()))]);
        assert_eq!(
            path.to_string(),
            "/microsoft.graph.delta(token='it%27%27s%20a%2Fb')/getRecentNotebooks(includePersonalNotebooks=true)/range(start='x',top=5)"
        );
        assert_eq!(path.problem(), None);
        path.push_call("getAllRecordings", &[("userId", CallArg::Alias("userId"))]);
        assert!(path.to_string().ends_with("/getAllRecordings(userId=@userId)"), "{path}");
        path.push_call("f", &[("n", CallArg::Raw(String::new()))]);
        assert!(path.problem().is_some_and(|p| p.contains("`n` of `f` is empty")));
    }

    #[test]
    fn parameters_encode_everything_but_unreserved_characters() {
        assert_eq!(encode_parameter("a/b?c#d"), "a%2Fb%3Fc%23d");
        assert_eq!(encode_parameter("first last@contoso.com"), "first%20last%40contoso.com");
        assert_eq!(encode_parameter("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(encode_parameter("é"), "%C3%A9");
        assert_eq!(encode_parameter("%2e%2e"), "%252e%252e");
        assert_eq!(encode_parameter("a+b=c&d;e:f'(g)!*$,"), "a%2Bb%3Dc%26d%3Be%3Af%27%28g%29%21%2A%24%2C");
        assert_eq!(encode_parameter("\\\u{0}\n"), "%5C%00%0A");
    }

    #[test]
    fn every_encoded_byte_is_unreserved_or_an_escape() {
        let all: String = (0u32..0x300).filter_map(char::from_u32).collect();
        let encoded = encode_parameter(&all);
        assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
        let decoded = percent_encoding::percent_decode_str(&encoded).decode_utf8();
        assert_eq!(decoded.ok().as_deref(), Some(all.as_str()));
    }

    #[test]
    fn literals_keep_sub_delimiters() {
        assert_eq!(encode_literal("clearPresence"), "clearPresence");
        assert_eq!(encode_literal("microsoft.graph.delta()"), "microsoft.graph.delta()");
        assert_eq!(encode_literal("a/b c%?#"), "a%2Fb%20c%25%3F%23");
    }

    #[test]
    fn query_components() {
        assert_eq!(encode_query_name("$select"), "$select");
        assert_eq!(encode_query_name("a b&c"), "a%20b%26c");
        assert_eq!(encode_query_value("$x eq 'a&b'+1#"), "%24x%20eq%20%27a%26b%27%2B1%23");
    }

    #[test]
    fn dot_segments_and_empty_values_are_recorded_not_panicked() {
        for value in ["", ".", ".."] {
            let mut path = UrlPath::new();
            path.push_segment("users");
            path.push_parameter("user-id", value);
            let problem = path.problem().unwrap_or_default();
            assert!(problem.contains("`user-id`"), "{problem}");
        }
        let mut path = UrlPath::new();
        path.push_parameter("user-id", "...");
        path.push_parameter("user-id", ".a");
        assert_eq!(path.problem(), None);
    }

    #[test]
    fn the_first_problem_is_kept() {
        let mut path = UrlPath::new();
        path.push_parameter("first", "");
        path.push_parameter("second", "..");
        path.push_segment(".");
        assert!(path.problem().is_some_and(|p| p.contains("`first`")));
    }

    #[test]
    fn templates_name_parameters_and_arguments() {
        let mut path = UrlPath::new();
        assert_eq!(path.template(), "/");
        path.push_segment("users");
        path.push_parameter("user-id", "secret@contoso.com");
        path.push_call("delta", &[("token", CallArg::Quoted("t0k")), ("n", CallArg::Raw("5".into()))]);
        path.push_call("f", &[("a", CallArg::Alias("a"))]);
        assert_eq!(path.template(), "/users/{user-id}/delta(token={token},n={n})/f(a=@a)");
    }

    #[test]
    fn over_long_parameters_are_recorded() {
        let mut path = UrlPath::new();
        path.push_parameter("user-id", &"x".repeat(MAX_PARAMETER_LEN));
        assert_eq!(path.problem(), None);
        path.push_parameter("user-id", &"é".repeat(MAX_PARAMETER_LEN / 4));
        assert!(path.problem().is_some_and(|p| p.contains("`user-id` is 6144 bytes")), "{path:?}");
        let mut call = UrlPath::new();
        call.push_call("delta", &[("token", CallArg::Quoted(&"t".repeat(100_000)))]);
        assert!(call.problem().is_some_and(|p| p.contains("`delta`")));
    }

    #[test]
    fn display_shows_the_encoded_path() {
        let mut path = UrlPath::new();
        assert_eq!(path.to_string(), "/");
        path.push_segment("users");
        path.push_parameter("user-id", "a/b");
        assert_eq!(path.to_string(), "/users/a%2Fb");
        assert_eq!(path.segments().collect::<Vec<_>>(), ["users", "a%2Fb"]);
    }
}
