//! Text: identifiers and doc attributes, documentation made safe for rustdoc, and formatting a file.

use super::*;

/// An identifier the naming step has already made valid.
pub(super) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc = "…"]` (or `#![doc = "…"]`) attributes, one per line.
pub(super) fn doc_attrs(text: &str, inner: bool) -> TokenStream {
    let lines = text.trim_end().lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    if inner {
        quote! { #(#![doc = #lines])* }
    } else {
        quote! { #(#[doc = #lines])* }
    }
}

/// Description text made safe for rustdoc: paragraphs kept, lines joined (so nothing becomes a code block),
/// markdown link and HTML characters escaped, bare URLs wrapped in `<…>`.
pub fn sanitize_doc(text: &str) -> String {
    let mut paragraphs = Vec::new();
    for paragraph in text.split("\n\n") {
        let words: Vec<String> = paragraph.split_whitespace().map(sanitize_word).collect();
        if !words.is_empty() {
            paragraphs.push(words.join(" "));
        }
    }
    paragraphs.join("\n\n")
}

pub(super) fn sanitize_word(word: &str) -> String {
    if let Some(start) = word.find("https://").or_else(|| word.find("http://")) {
        let (prefix, rest) = word.split_at(start);
        let url = rest.trim_end_matches(['.', ',', ';', ':', ')', '\'', '"']);
        let suffix = &rest[url.len()..];
        if !url.contains(['<', '>', '`']) {
            return format!("{}<{url}>{}", escape(prefix), escape(suffix));
        }
    }
    escape(word)
}

pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '[' | ']' | '<' | '>' | '`' | '\\' | '*' | '_' | '#' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Formats `tokens` with prettyplease and appends `texts` (items formatted by the generator itself, checked to be
/// valid Rust too).
/// Formats one file, adding the time that took to `clock`.
pub(super) fn render(
    model: &Crate,
    path: &str,
    tokens: TokenStream,
    texts: &[String],
    clock: &mut std::time::Duration,
) -> Result<File> {
    let invalid = |e: syn::Error| {
        Error::in_file(
            std::path::Path::new(path),
            format!("internal error: the generator produced invalid Rust ({e}); please report this with the input"),
        )
    };
    let started = std::time::Instant::now();
    let file: syn::File = syn::parse2(tokens).map_err(invalid)?;
    let mut body = space_items(&prettyplease::unparse(&file));
    for text in texts {
        syn::parse_file(text).map_err(invalid)?;
        if !body.is_empty() {
            body.push('\n');
        }
        body.push_str(text);
    }
    *clock += started.elapsed();
    let contents = format!("// {MARKER} from {}. Do not edit by hand.\n{body}", model.spec_path);
    Ok(File { path: path.to_owned(), contents })
}

/// Puts a blank line between items (prettyplease writes them back to back): after a block closes, after the inner
/// docs, and between runs of different one-line items (`pub mod …;` then `pub use …;`).
pub(super) fn space_items(text: &str) -> String {
    fn indent(line: &str) -> usize {
        line.len() - line.trim_start().len()
    }
    fn kind(line: &str) -> &str {
        let t = line.trim_start();
        ["pub mod ", "mod ", "pub use ", "use "].into_iter().find(|k| t.starts_with(k)).unwrap_or("")
    }
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut prev: Option<&str> = None;
    for line in text.lines() {
        if let Some(p) = prev {
            let same_indent = indent(p) == indent(line);
            let t = line.trim_start();
            let closes = t.starts_with('}') || t.starts_with(')') || t.starts_with(']');
            // A doc comment's own lines (code in an example) are text, not items.
            let in_docs = p.trim_start().starts_with("///") && t.starts_with("///");
            let blank = !line.is_empty()
                && same_indent
                && !closes
                && !in_docs
                && ((p.trim_start() == "}" || p.trim_start() == "};")
                    || (p.trim_start().starts_with("//!") && !t.starts_with("//!"))
                    || (p.ends_with(';') && !kind(p).is_empty() && kind(p) != kind(line))
                    || (p.ends_with(';') && (t.starts_with("///") || t.starts_with("#[")))
                    // A one-line item (`impl X for Y {}`) before an item with a body.
                    || (p.ends_with(" {}") && !t.ends_with(" {}")));
            if blank {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        prev = Some(line);
    }
    out
}
