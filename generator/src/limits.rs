//! Bounds on what an input may ask of the generator, checked before the code they protect runs.
//!
//! The XML and YAML parsers, and the lowering of inheritance, recurse (or slow down) as deep as the input nests. Each
//! input is therefore scanned first, in one linear pass, and refused with a located message when it nests deeper
//! than a limit far above anything Graph's metadata does:
//!
//! | what | limit | Graph v1.0 (all of `csdl/` and `openapi/v1.0/`) |
//! | --- | --- | --- |
//! | XML element nesting | [`MAX_XML_DEPTH`] = 256 | 16 (`cleanMetadata.xml`), 13 (each cloud's `$metadata`) |
//! | YAML/JSON nesting: block indentation plus `[`/`{` | [`MAX_YAML_DEPTH`] = 100 | 12 |
//! | types in a `BaseType` or `allOf` chain | [`MAX_INHERITANCE_DEPTH`] = 64 | 5 |
//!
//! Inheritance cycles are found here too, in linear time, and each is reported once with a few of its members.

use std::fmt::Write as _;

/// The deepest XML element nesting read.
pub const MAX_XML_DEPTH: usize = 256;

/// The deepest YAML or JSON nesting read: block levels plus flow (`[`, `{`) levels. Below `serde_yaml`'s own
/// recursion limit (128), which applies only after its parser has read the whole document (in time quadratic in the
/// flow nesting).
pub const MAX_YAML_DEPTH: usize = 100;

/// The most types in one inheritance chain (the type itself and each base up to the root).
pub const MAX_INHERITANCE_DEPTH: usize = 64;

/// How many members of a cycle or a chain a message names.
const LISTED: usize = 10;

/// A text that nests deeper than allowed: where, and what to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooDeep {
    /// The byte offset of the opening that goes over the limit.
    pub offset: usize,
    /// What went over.
    pub message: String,
}

/// Checks the element nesting of an XML text, without parsing it: comments, CDATA sections, processing instructions
/// and quoted attribute values are skipped; anything malformed is left to the parser.
pub fn check_xml(text: &str) -> Result<(), TooDeep> {
    match xml_depth(text, MAX_XML_DEPTH) {
        Ok(_) => Ok(()),
        Err(offset) => Err(TooDeep {
            offset,
            message: format!(
                "XML nested more than {MAX_XML_DEPTH} elements deep: the generator reads at most {MAX_XML_DEPTH} levels"
            ),
        }),
    }
}

/// Checks the nesting of a YAML (or JSON) text, without parsing it.
pub fn check_yaml(text: &str) -> Result<(), TooDeep> {
    match yaml_depth(text, MAX_YAML_DEPTH) {
        Ok(_) => Ok(()),
        Err(offset) => Err(TooDeep {
            offset,
            message: format!(
                "nested more than {MAX_YAML_DEPTH} levels deep (block indentation and `[`/`{{`): the generator reads \
                 at most {MAX_YAML_DEPTH} levels"
            ),
        }),
    }
}

/// The deepest element nesting of an XML text, or the offset of the first element deeper than `limit`.
pub fn xml_depth(text: &str, limit: usize) -> Result<usize, usize> {
    let bytes = text.as_bytes();
    // Past the first occurrence of `end` at or after `from` (the end of the text when there is none).
    let past = |from: usize, end: &str| {
        text.get(from..).and_then(|t| t.find(end)).map_or(bytes.len(), |i| from + i + end.len())
    };
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while let Some(at) = bytes.get(i..).and_then(|rest| rest.iter().position(|&b| b == b'<')).map(|p| i + p) {
        let rest = &bytes[at..];
        i = if rest.starts_with(b"<!--") {
            past(at + 4, "-->")
        } else if rest.starts_with(b"<![CDATA[") {
            past(at + 9, "]]>")
        } else if rest.starts_with(b"<?") {
            past(at + 2, "?>")
        } else if rest.starts_with(b"<!") {
            past(at + 2, ">")
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            past(at + 2, ">")
        } else {
            // A start tag: its end is the first `>` outside a quoted attribute value.
            let mut quote = None;
            let mut end = bytes.len();
            for (j, &b) in bytes.iter().enumerate().skip(at + 1) {
                match (quote, b) {
                    (None, b'"' | b'\'') => quote = Some(b),
                    (Some(q), b) if b == q => quote = None,
                    (None, b'>') => {
                        end = j;
                        break;
                    }
                    _ => {}
                }
            }
            if end < bytes.len() {
                // An empty-element tag (`<x/>`) is as deep as a start tag, but closes at once.
                deepest = deepest.max(depth + 1);
                if depth + 1 > limit {
                    return Err(at);
                }
                if bytes[end - 1] != b'/' {
                    depth += 1;
                }
            }
            end + 1
        };
    }
    Ok(deepest)
}

/// The deepest nesting of a YAML text (block levels plus flow levels), or the offset of the first opening deeper
/// than `limit`.
///
/// A scan of the tokens that nest, not a parser: block levels are counted by indentation (and by compact `- ` and
/// `? ` entries), flow levels by `[` and `{` where YAML reads them as indicators. Quoted scalars, comments, block
/// scalars (`|`, `>`) and the continuation lines of plain scalars are skipped, as the parser skips them. On valid
/// YAML it counts within a level of the parser (a sequence at its key's indentation is not counted; a scalar on the
/// line after its key is).
pub fn yaml_depth(text: &str, limit: usize) -> Result<usize, usize> {
    fn blank(b: u8) -> bool {
        matches!(b, b' ' | b'\t' | b'\r')
    }
    let bytes = text.as_bytes();
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    let mut deepest = 0usize;
    let mut quote: Option<u8> = None;
    // The indentation a block scalar's or a plain scalar's following lines must exceed to belong to it.
    let mut block_scalar: Option<usize> = None;
    let mut plain: Option<usize> = None;
    // Whether a node may start here (so `[`, `{` and quotes are indicators, not part of a plain scalar).
    let mut value = true;
    let mut line_start = 0usize;
    while line_start < bytes.len() {
        let line_end = bytes[line_start..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| line_start + p);
        let line = &bytes[line_start..line_end];
        let next_line = line_end + 1;
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let empty = line[indent..].iter().all(|&b| blank(b));
        // Where this line's node starts, and (for messages about a scalar starting there) its parent's indentation.
        let mut content = 0usize;
        let mut from_key = false;
        if quote.is_none() && flow == 0 {
            if let Some(parent) = block_scalar {
                if empty || indent > parent {
                    line_start = next_line;
                    continue;
                }
                block_scalar = None;
            }
            if empty || line[indent] == b'#' || line[0] == b'%' {
                line_start = next_line;
                continue;
            }
            if let Some(parent) = plain {
                if indent > parent {
                    line_start = next_line;
                    continue;
                }
                plain = None;
            }
            let mut start = indent;
            if indent == 0
                && (line.starts_with(b"---") || line.starts_with(b"..."))
                && line.get(3).is_none_or(|&b| blank(b))
            {
                indents.clear();
                start = 3 + line[3..].iter().take_while(|&&b| blank(b)).count();
                if start >= line.len() || line[start] == b'#' {
                    line_start = next_line;
                    continue;
                }
            }
            while indents.last().is_some_and(|&column| column > start) {
                indents.pop();
            }
            let mut push = |column: usize, indents: &mut Vec<usize>| {
                indents.push(column);
                deepest = deepest.max(indents.len());
                indents.len() > limit
            };
            if indents.last() != Some(&start) && push(start, &mut indents) {
                return Err(line_start + start);
            }
            // Compact entries: in `- - x` each `-` after the first opens a sequence inside the previous one.
            content = start;
            while content < line.len()
                && matches!(line[content], b'-' | b'?')
                && line.get(content + 1).is_none_or(|&b| blank(b))
            {
                if content != start && push(content, &mut indents) {
                    return Err(line_start + content);
                }
                content += 1;
                content += line[content..].iter().take_while(|&&b| blank(b)).count();
            }
            value = true;
        }
        let mut i = content;
        while i < line.len() {
            // Inside a quoted scalar only its quote and escapes matter; inside a plain scalar in block context only
            // a `:` (that may end a key) and a `#` (that may start a comment).
            let skip = match quote {
                Some(q) => line[i..].iter().position(|&b| b == q || b == b'\\'),
                None if flow == 0 && !value => line[i..].iter().position(|&b| b == b':' || b == b'#'),
                None => Some(0),
            };
            match skip {
                Some(skip) => i += skip,
                None => break,
            }
            let c = line[i];
            if let Some(q) = quote {
                match c {
                    b'\\' if q == b'"' => i += 1,
                    b'\'' if q == b'\'' && line.get(i + 1) == Some(&b'\'') => i += 1,
                    c if c == q => {
                        quote = None;
                        value = false;
                    }
                    _ => {}
                }
                i += 1;
                continue;
            }
            let next = line.get(i + 1).copied();
            match c {
                c if blank(c) => {}
                b'#' if i == 0 || blank(line[i - 1]) => break,
                b'[' | b'{' if flow > 0 || value => {
                    flow += 1;
                    let depth = indents.len() + flow;
                    deepest = deepest.max(depth);
                    if depth > limit {
                        return Err(line_start + i);
                    }
                    value = true;
                }
                b']' | b'}' if flow > 0 => {
                    flow -= 1;
                    value = false;
                }
                b',' if flow > 0 => value = true,
                b':' if next.is_none_or(blank) || (flow > 0 && next.is_some_and(|n| b",[]{}\"'".contains(&n))) => {
                    value = true;
                    if flow == 0 {
                        // What came before was a key, not a scalar that may go on on the next lines.
                        from_key = true;
                        plain = None;
                    }
                }
                b'\'' | b'"' if value => quote = Some(c),
                b'|' | b'>' if value && flow == 0 => {
                    block_scalar = Some(if from_key { content } else { content.saturating_sub(1) });
                    break;
                }
                b'&' | b'!' if value => {
                    // An anchor or a tag: the node follows it.
                    while i + 1 < line.len() && !blank(line[i + 1]) {
                        i += 1;
                    }
                }
                _ => {
                    if value && flow == 0 {
                        plain = Some(if from_key { content } else { content.saturating_sub(1) });
                    }
                    value = false;
                }
            }
            i += 1;
        }
        line_start = next_line;
    }
    Ok(deepest)
}

/// Something wrong with an inheritance graph, by node index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InheritanceProblem {
    /// Bases that extend each other in a cycle.
    Cycle {
        /// The member reported: the cycle's first node in index order.
        at: usize,
        /// The first members from `at`, each followed by its base (at most a few).
        members: Vec<usize>,
        /// How many types the cycle has.
        length: usize,
    },
    /// A type whose chain of bases is longer than allowed (only the first such type of each chain is reported).
    TooDeep {
        /// The type.
        at: usize,
        /// The first types of its longest chain, from `at` towards the root.
        members: Vec<usize>,
        /// How many types the chain has.
        length: usize,
    },
}

impl InheritanceProblem {
    /// The node the problem is reported at.
    pub fn at(&self) -> usize {
        match self {
            InheritanceProblem::Cycle { at, .. } | InheritanceProblem::TooDeep { at, .. } => *at,
        }
    }

    /// What is wrong, naming the nodes with `name` and the bases with `relation` (`BaseType`, `allOf`).
    pub fn message(&self, name: &dyn Fn(usize) -> String, relation: &str) -> String {
        let list = |members: &[usize], length: usize| {
            let mut text = members.iter().map(|&m| format!("`{}`", name(m))).collect::<Vec<_>>().join(" → ");
            if length > members.len() {
                let _ = write!(text, " → … and {} more", length - members.len());
            }
            text
        };
        match self {
            InheritanceProblem::Cycle { at, members, length } => format!(
                "the {relation} chain of `{}` loops back to it through {length} type{}: {}, then `{}` again",
                name(*at),
                if *length == 1 { "" } else { "s" },
                list(members, *length),
                name(*at),
            ),
            InheritanceProblem::TooDeep { at, members, length } => format!(
                "the {relation} chain of `{}` has more than {MAX_INHERITANCE_DEPTH} types ({}): the generator \
                 reads at most {MAX_INHERITANCE_DEPTH}",
                name(*at),
                list(members, *length),
            ),
        }
    }
}

/// The cycles of an inheritance graph (`bases[i]` are the bases of node `i`), each once, or when there are none the
/// types whose chains are more than `limit` types long. Linear in the nodes and edges.
pub fn inheritance_problems(bases: &[Vec<usize>], limit: usize) -> Vec<InheritanceProblem> {
    const NEW: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let n = bases.len();
    let mut state = vec![NEW; n];
    // The position of an open node on the walk's stack.
    let mut position = vec![0usize; n];
    // The most types in a chain from the node to a root (the node included).
    let mut depth = vec![0usize; n];
    let mut cycles = Vec::new();
    for root in 0..n {
        if state[root] != NEW {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = OPEN;
        while let Some(&mut (node, ref mut edge)) = stack.last_mut() {
            if let Some(&base) = bases[node].get(*edge) {
                *edge += 1;
                match state[base] {
                    NEW => {
                        state[base] = OPEN;
                        position[base] = stack.len();
                        stack.push((base, 0));
                    }
                    OPEN => {
                        // The stack from `base` up is a cycle; report it from its first node in index order.
                        let cycle = &stack[position[base]..];
                        let first = (0..cycle.len()).min_by_key(|&i| cycle[i].0).unwrap_or(0);
                        let members =
                            (0..cycle.len().min(LISTED)).map(|k| cycle[(first + k) % cycle.len()].0).collect();
                        cycles.push(InheritanceProblem::Cycle { at: cycle[first].0, members, length: cycle.len() });
                    }
                    _ => {}
                }
            } else {
                depth[node] =
                    1 + bases[node].iter().filter(|&&b| state[b] == DONE).map(|&b| depth[b]).max().unwrap_or(0);
                state[node] = DONE;
                stack.pop();
            }
        }
    }
    if !cycles.is_empty() {
        cycles.sort_by_key(InheritanceProblem::at);
        return cycles;
    }
    let mut too_deep = Vec::new();
    for (node, &d) in depth.iter().enumerate() {
        if d == limit + 1 {
            let mut members = vec![node];
            let mut next = node;
            while members.len() < LISTED {
                match bases[next].iter().copied().max_by_key(|&b| depth[b]) {
                    Some(base) => {
                        members.push(base);
                        next = base;
                    }
                    None => break,
                }
            }
            too_deep.push(InheritanceProblem::TooDeep { at: node, members, length: d });
        }
    }
    too_deep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_depth_skips_what_is_not_an_element() {
        let text = "<?xml version=\"1.0\"?><!-- <a><a> --><r a=\"<b>\" b='>'><x/><y><![CDATA[<c><c>]]></y><z>t</z></r>";
        assert_eq!(xml_depth(text, 10), Ok(2));
        assert_eq!(xml_depth("<a><b><c/></b></a>", 10), Ok(3));
        assert_eq!(xml_depth("<a><b><c/></b></a>", 2), Err(6));
        assert_eq!(xml_depth("<a><b", 10), Ok(1), "an unfinished tag is the parser's to report");
    }

    #[test]
    fn yaml_depth_counts_blocks_and_flows() {
        assert_eq!(yaml_depth("a: 1\nb:\n  c: [1, {d: 2}]\n", 100), Ok(4));
        assert_eq!(yaml_depth("- - - x\n", 100), Ok(3));
        assert_eq!(yaml_depth("{\"a\": [{\"b\": 1}]}", 100), Ok(4));
        assert_eq!(yaml_depth("a: [[[", 2), Err(4));
    }

    #[test]
    fn yaml_depth_skips_scalars_and_comments() {
        let text = "a: 'x [[[ '' [['\nb: \"x [[[ \\\" [[\"\nc: x [[[ {{{\n  [[[ more of c\nd: |\n  [[[ {{{\n    [[[\ne: # [[[\n  - >-\n    [[[\n  - f: g [[[\n    h: [1]\n";
        assert_eq!(yaml_depth(text, 100), Ok(4));
        assert_eq!(yaml_depth("a: [x, 'y]]]', \"z]]]\", w]\nb: {c: d}\n", 100), Ok(2));
    }

    #[test]
    fn inheritance_cycles_are_found_once_and_chains_measured() {
        // 0 → 1 → 2 → 0, 3 → 1.
        let problems = inheritance_problems(&[vec![1], vec![2], vec![0], vec![1]], 10);
        assert_eq!(problems, [InheritanceProblem::Cycle { at: 0, members: vec![0, 1, 2], length: 3 }]);
        // A chain 0 → 1 → … → 99, and 100 → 98.
        let mut bases: Vec<Vec<usize>> = (0..100).map(|i| if i < 99 { vec![i + 1] } else { vec![] }).collect();
        bases.push(vec![98]);
        let problems = inheritance_problems(&bases, 50);
        assert_eq!(problems.len(), 1);
        assert!(
            matches!(&problems[0], InheritanceProblem::TooDeep { at: 49, length: 51, members } if members.len() == LISTED)
        );
        let message = problems[0].message(&|i| format!("t{i}"), "BaseType");
        assert!(message.contains("`t49` → `t50`") && message.contains("and 41 more"), "{message}");
        assert!(inheritance_problems(&bases, 100).is_empty());
    }
}
