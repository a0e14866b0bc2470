//! No input hangs or aborts the generator: pathological inputs found by fuzzing and by hand, each refused with a
//! located message (or matched at once) instead of taking exponential time, exhausting memory or overflowing the
//! stack. Every test runs on the default test thread, so a recursion these inputs used to drive deep would abort it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use msgraph_generator::error::{Error, Location};
use msgraph_generator::glob::Pattern;
use msgraph_generator::lower::{self, Options};
use msgraph_generator::spec::{ReadOptions, Spec};

const EDMX_HEAD: &str = "<?xml version=\"1.0\"?>\n\
<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\"><edmx:DataServices>\n\
<Schema Namespace=\"ns\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n";
const EDMX_TAIL: &str = "</Schema>\n</edmx:DataServices></edmx:Edmx>\n";

/// Reads a description as the generator does, then (when it reads) lowers every path of it.
fn generate(text: &str, file: &str) -> Result<(), Error> {
    let file = Path::new(file);
    let spec =
        Spec::parse(text, file, &ReadOptions { base_url: Some("https://example.com/v1"), ..Default::default() })?;
    let patterns = [Pattern::parse("/**").expect("pattern")];
    let aliases = BTreeMap::new();
    let options = Options {
        package: "fuzzed",
        version: "0.1.0",
        description: None,
        client: "Client",
        strip_namespace: None,
        patterns: &patterns,
        config_file: Path::new("codegen.toml"),
        config_index: 0,
        spec_file: file,
        area_features: false,
        aliases: &aliases,
    };
    lower::lower(&spec.document, &options).map(drop).map_err(|e| spec.relocate(e, file, text))
}

/// The one input error `result` holds: its location and message.
fn single_error(result: Result<(), Error>) -> (Location, String) {
    match result {
        Err(Error::Input { location, message, .. }) => (location, message),
        Err(other) => panic!("expected one located input error, found: {:.2000}", other.to_string()),
        Ok(()) => panic!("expected an error"),
    }
}

fn line_column(location: &Location) -> (usize, usize) {
    match location {
        Location::LineColumn { line, column } => (*line, *column),
        other => panic!("expected a line and column, found {other:?}"),
    }
}

// ---- include patterns ----

#[test]
fn many_stars_in_one_segment_match_at_once() {
    // Used to try every way of splitting the segment among the stars: 11.8 s for 60 characters.
    let pattern = Pattern::parse("/*a*a*a*a*a*a*a*ab").expect("pattern");
    let segment = format!("/{}", "a".repeat(60));
    assert!(!pattern.matches_path(&segment));
    assert!(pattern.matches_path(&format!("{segment}b")));
    let pattern = Pattern::parse(&format!("/{}b", "*a".repeat(200))).expect("pattern");
    assert!(!pattern.matches_path(&format!("/{}", "a".repeat(2000))));
}

#[test]
fn a_thousand_any_depth_segments_match_at_once() {
    // Used to hang: every `**` tried every number of segments.
    let pattern = Pattern::parse(&format!("{}/nomatch", "/**".repeat(1000))).expect("pattern");
    let path = "/a".repeat(60);
    assert!(!pattern.matches_path(&path));
    assert!(pattern.matches_path(&format!("{path}/nomatch")));
    let pattern = Pattern::parse(&format!("{}/b", "/**/a".repeat(300))).expect("pattern");
    assert!(!pattern.matches_path(&"/a".repeat(600)));
    assert!(pattern.matches_path(&format!("{}/b", "/a".repeat(600))));
}

// ---- nesting ----

#[test]
fn deeply_nested_xml_is_refused_where_it_goes_too_deep() {
    // 4,000 levels (28 KB) overflowed the parser thread's stack; the process aborted without a message.
    let depth = 20_000;
    let mut text = String::from(EDMX_HEAD);
    text.push_str(&"<a>\n".repeat(depth));
    text.push_str(&"</a>".repeat(depth));
    text.push_str(EDMX_TAIL);
    let (location, message) = single_error(generate(&text, "deep.csdl"));
    let (line, column) = line_column(&location);
    assert_eq!(column, 1, "{message}");
    assert!(line > 200 && line < 300, "line {line}: {message}");
    assert!(message.contains("nested more than 256 elements deep"), "{message}");
}

#[test]
fn deeply_nested_yaml_flow_is_refused_where_it_goes_too_deep() {
    // 40,000 levels (1.6 MB) took 90 s in the YAML parser before its own depth limit applied.
    let depth = 40_000;
    let text = format!(
        "openapi: 3.0.1\ninfo: {{title: t, version: '1'}}\npaths: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let (location, message) = single_error(generate(&text, "deep.yaml"));
    let (line, column) = line_column(&location);
    assert_eq!(line, 3, "{message}");
    assert!(column > 90 && column < 110, "column {column}: {message}");
    assert!(message.contains("nested more than 100 levels deep"), "{message}");
}

#[test]
fn deeply_nested_json_is_refused_where_it_goes_too_deep() {
    let depth = 40_000;
    let text = format!("{{\"openapi\": \"3.0.1\", \"paths\": {}1{}}}", "{\"a\": ".repeat(depth), "}".repeat(depth));
    let (location, message) = single_error(generate(&text, "deep.json"));
    assert_eq!(line_column(&location).0, 1, "{message}");
    assert!(message.contains("nested more than 100 levels deep"), "{message}");
}

#[test]
fn deeply_nested_yaml_blocks_are_refused_where_they_go_too_deep() {
    let depth = 40_000;
    let text = format!("openapi: 3.0.1\npaths:\n  {}x\n", "- ".repeat(depth));
    let (location, message) = single_error(generate(&text, "deep.yaml"));
    assert_eq!(line_column(&location).0, 3, "{message}");
    assert!(message.contains("nested more than 100 levels deep"), "{message}");
    // Indentation counts as nesting too.
    let mut text = String::from("openapi: 3.0.1\npaths:\n");
    for level in 1..=150 {
        let _ = writeln!(text, "{}k{level}:", " ".repeat(level));
    }
    let (location, message) = single_error(generate(&text, "deep.yaml"));
    assert!(line_column(&location).0 < 110, "{message}");
    assert!(message.contains("nested more than 100 levels deep"), "{message}");
}

// ---- inheritance ----

/// `count` entity types, each deriving from the next (the last from `ns.t0` when `cycle`).
fn base_type_chain(count: usize, cycle: bool) -> String {
    let mut text = String::from(EDMX_HEAD);
    for i in 0..count {
        let base = if i + 1 < count {
            format!(" BaseType=\"ns.t{}\"", i + 1)
        } else if cycle {
            " BaseType=\"ns.t0\"".to_owned()
        } else {
            String::new()
        };
        let key = if i + 1 == count && !cycle {
            "<Key><PropertyRef Name=\"id\"/></Key><Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\"/>"
        } else {
            ""
        };
        let _ = writeln!(
            text,
            "<EntityType Name=\"t{i}\"{base}>{key}<Property Name=\"p{i}\" Type=\"Edm.String\"/></EntityType>"
        );
    }
    text.push_str(
        "<EntityContainer Name=\"Service\"><EntitySet Name=\"things\" EntityType=\"ns.t0\"/></EntityContainer>\n",
    );
    text.push_str(EDMX_TAIL);
    text
}

#[test]
fn a_base_type_cycle_is_reported_once_with_a_few_of_its_members() {
    // 2,000 types produced a 98 MB message: every member listed the whole cycle.
    let text = base_type_chain(2_000, true);
    let (location, message) = single_error(generate(&text, "cycle.csdl"));
    assert_eq!(line_column(&location), (4, 1), "{message}");
    assert!(message.len() < 1_000, "{} bytes: {message:.2000}", message.len());
    assert!(message.contains("BaseType"), "{message}");
    assert!(message.contains("`ns.t0`") && message.contains("and 1990 more"), "{message}");
}

#[test]
fn a_long_base_type_chain_is_refused_where_it_goes_too_deep() {
    // 4,000 to 5,000 levels overflowed the 8 MiB main thread's stack while lowering (300 a debug test thread's);
    // 1,000 took 26 s to flatten.
    let text = base_type_chain(1_000, false);
    let (location, message) = single_error(generate(&text, "chain.csdl"));
    // `t0` is the most derived type, 1,000 types from the root; `t935` is the first more than 64 from it.
    assert_eq!(line_column(&location), (4 + 935, 1), "{message}");
    assert!(message.contains("more than 64"), "{message}");
    assert!(message.contains("`ns.t935` → `ns.t936`") && message.contains("and 55 more"), "{message}");
    assert!(message.len() < 1_000, "{message}");
}

#[test]
fn a_base_type_chain_as_long_as_allowed_is_generated() {
    let text = base_type_chain(64, false);
    generate(&text, "chain.csdl").expect("64 levels are allowed");
}

#[test]
fn a_deep_containment_chain_is_refused_where_it_goes_too_deep() {
    // 2,000 levels of contained navigation overflowed the stack of the old converter.
    let count = 2_000;
    let mut text = String::from(EDMX_HEAD);
    for i in 0..count {
        let _ = writeln!(
            text,
            "<EntityType Name=\"t{i}\"><Key><PropertyRef Name=\"id\"/></Key><Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\"/>\
             <NavigationProperty Name=\"n{i}\" Type=\"ns.t{}\" ContainsTarget=\"true\"/></EntityType>",
            (i + 1) % count
        );
    }
    text.push_str(
        "<EntityContainer Name=\"Service\"><EntitySet Name=\"things\" EntityType=\"ns.t0\"/></EntityContainer>\n",
    );
    text.push_str(EDMX_TAIL);
    let (location, message) = single_error(generate(&text, "contained.csdl"));
    let (line, _) = line_column(&location);
    assert!(line > 4 && line < 4 + 100, "line {line}: {message}");
    assert!(message.contains("more than 64 segments"), "{message}");
}

/// `count` schemas, each extending the next with `allOf` (the last extending `T0` when `cycle`); the one path answers
/// with `T0`.
fn all_of_chain(count: usize, cycle: bool) -> String {
    let mut text = String::from(
        "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /things:\n    get:\n      responses:\n        \
         '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                \
         $ref: '#/components/schemas/T0'\ncomponents:\n  schemas:\n",
    );
    for i in 0..count {
        let base = if i + 1 < count {
            Some(i + 1)
        } else if cycle {
            Some(0)
        } else {
            None
        };
        match base {
            Some(b) => {
                let _ = writeln!(
                    text,
                    "    T{i}:\n      allOf:\n        - $ref: '#/components/schemas/T{b}'\n        - type: object\n          \
                     properties: {{p{i}: {{type: string}}}}"
                );
            }
            None => {
                let _ = writeln!(text, "    T{i}:\n      type: object\n      properties: {{p{i}: {{type: string}}}}");
            }
        }
    }
    text
}

#[test]
fn a_long_all_of_chain_is_refused_where_it_goes_too_deep() {
    // 4,000 to 5,000 levels overflowed the 8 MiB main thread's stack while lowering (300 a debug test thread's).
    let text = all_of_chain(1_000, false);
    let (location, message) = single_error(generate(&text, "chain.yaml"));
    assert_eq!(location, Location::Pointer("#/components/schemas/T935".to_owned()), "{message}");
    assert!(message.contains("more than 64"), "{message}");
    assert!(message.len() < 1_000, "{message}");
}

#[test]
fn an_all_of_chain_as_long_as_allowed_is_generated() {
    generate(&all_of_chain(64, false), "chain.yaml").expect("64 levels are allowed");
}

#[test]
fn an_all_of_cycle_is_reported_once_with_a_few_of_its_members() {
    // Overflowed the stack while lowering, before the cycle was noticed.
    let text = all_of_chain(1_000, true);
    let (location, message) = single_error(generate(&text, "cycle.yaml"));
    assert_eq!(location, Location::Pointer("#/components/schemas/T0".to_owned()), "{message}");
    assert!(message.contains("`T0` → `T1`") && message.contains("and 990 more"), "{message}");
    assert!(message.len() < 1_000, "{message}");
}

// ---- complex properties ----

/// An entity set whose entity has a readable complex property of type `c0`; `c{i}` has `fanout` properties of type
/// `c{i+1}`, and the last one (`c{count-1}`) a navigation property when `navigation`.
fn complex_nesting(count: usize, fanout: usize, navigation: bool) -> String {
    let mut text = String::from(EDMX_HEAD);
    text.push_str(
        "<EntityType Name=\"e\"><Key><PropertyRef Name=\"id\"/></Key><Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\"/>\n\
         <Property Name=\"c\" Type=\"ns.c0\"><Annotation Term=\"Org.OData.Capabilities.V1.ReadRestrictions\"><Record>\
         <PropertyValue Property=\"Readable\" Bool=\"true\"/></Record></Annotation></Property></EntityType>\n",
    );
    for i in 0..count {
        let _ = write!(text, "<ComplexType Name=\"c{i}\">");
        if i + 1 < count {
            for f in 0..fanout {
                let _ = write!(text, "<Property Name=\"p{f}\" Type=\"ns.c{}\"/>", i + 1);
            }
        } else if navigation {
            text.push_str("<NavigationProperty Name=\"back\" Type=\"ns.e\"/>");
        }
        text.push_str("</ComplexType>\n");
    }
    text.push_str("<EntityContainer Name=\"Service\"><EntitySet Name=\"es\" EntityType=\"ns.e\"/></EntityContainer>\n");
    text.push_str(EDMX_TAIL);
    text
}

#[test]
fn complex_properties_that_lead_nowhere_are_not_walked() {
    // Every one of the 2^40 ways down was tried, though none ends in a navigation property.
    generate(&complex_nesting(40, 2, false), "complex.csdl").expect("generates");
}

#[test]
fn deeply_nested_complex_properties_are_refused_where_they_go_too_deep() {
    // 5,000 levels down to a navigation property overflowed the stack while deriving paths.
    let (location, message) = single_error(generate(&complex_nesting(5_000, 1, true), "complex.csdl"));
    let (line, _) = line_column(&location);
    assert!(line > 4 && line < 4 + 100, "line {line}: {message}");
    assert!(message.contains("more than 64 segments"), "{message}");
}

// ---- many declarations ----

#[test]
fn many_operation_imports_are_resolved_at_once() {
    // Each import was looked up among all operations (twice), each name formatted anew: 20,000 of each took 103 s
    // in a debug build, 5,000 about 6 s; now the time grows with the count.
    let count = 5_000;
    let mut text = String::from(EDMX_HEAD);
    for i in 0..count {
        let _ = writeln!(text, "<Function Name=\"f{i}\"><ReturnType Type=\"Edm.String\"/></Function>");
    }
    text.push_str("<EntityContainer Name=\"Service\">\n");
    for i in 0..count {
        let _ = writeln!(text, "<FunctionImport Name=\"f{i}\" Function=\"ns.f{i}\"/>");
    }
    text.push_str("<FunctionImport Name=\"missing\" Function=\"ns.missing\"/>\n</EntityContainer>\n");
    text.push_str(EDMX_TAIL);
    let (location, message) = single_error(generate(&text, "imports.csdl"));
    assert_eq!(line_column(&location), (4 + 2 * count + 1, 1), "{message}");
    assert!(message.contains("import `missing` refers to `ns.missing`"), "{message}");
    text = text.replace("<FunctionImport Name=\"missing\" Function=\"ns.missing\"/>\n", "");
    let spec = Spec::parse(
        &text,
        Path::new("imports.csdl"),
        &ReadOptions { base_url: Some("https://x"), ..Default::default() },
    )
    .expect("reads");
    assert!(spec.document.paths.contains_key("/f4999()"), "{:?}", spec.document.paths.keys().last());
}

// ---- chains lowered without recursion ----

#[test]
fn a_long_chain_of_property_references_is_lowered() {
    // Lowering a schema once lowered the schemas its properties refer to first, recursively: 1,000 schemas each with
    // a property of the next overflowed even an 8 MiB stack in a debug build (a 2 MiB test thread at about 300). No
    // limit can stand in for an iterative walk here (Graph's navigation properties make most of its schemas
    // reachable from most others): component structs are now lowered from a work list. 20,000 on this thread.
    let count = 20_000;
    let mut text = String::from(
        "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /t:\n    get:\n      responses:\n        '200':\n          \
         description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/T0'}\n\
         components:\n  schemas:\n",
    );
    for i in 0..count {
        let _ = writeln!(
            text,
            "    T{i}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/T{}'}}}}}}",
            i + 1
        );
    }
    let _ = writeln!(text, "    T{count}: {{type: object, properties: {{name: {{type: string}}}}}}");
    generate(&text, "properties.yaml").expect("generates");
}
