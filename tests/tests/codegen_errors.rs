//! Bad input gets a located error and leaves the output exactly as it was; good input adds, updates and removes
//! exactly the generator's own files. Each case runs in a scratch workspace.

use std::collections::BTreeMap;
use std::path::Path;

use msgraph_generator::pipeline::{self, Options};
use msgraph_generator::sync::{Mode, Report};
use msgraph_generator::Error;

const GOOD_SPEC: &str = "\
openapi: 3.0.1
info: {title: Scratch, version: '1'}
servers: [{url: 'https://api.example.com/v1/'}]
paths:
  '/things/{thing-id}':
    get:
      parameters: [{name: thing-id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
components:
  schemas:
    Thing: {type: object, properties: {name: {type: string}}}
";

struct Scratch {
    dir: tempfile::TempDir,
}

const GOOD_CSDL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="scratch.api" Alias="api" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="entity" Abstract="true">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
      <EntityType Name="thing" BaseType="api.entity">
        <Property Name="name" Type="Edm.String" />
        <NavigationProperty Name="parts" Type="Collection(api.part)" ContainsTarget="true" />
      </EntityType>
      <EntityType Name="part" BaseType="api.entity" />
      <EnumType Name="color"><Member Name="red" Value="0" /></EnumType>
      <Action Name="polish" IsBound="true">
        <Parameter Name="bindingParameter" Type="api.thing" />
        <Parameter Name="strength" Type="Edm.Int32" Nullable="false" />
      </Action>
      <EntityContainer Name="Service">
        <EntitySet Name="things" EntityType="scratch.api.thing" />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

impl Scratch {
    /// A workspace whose one crate is generated from `specs/api.csdl` (CSDL needs a base URL in the config).
    fn csdl(csdl: &str, include: &[&str]) -> Self {
        let scratch = Scratch { dir: tempfile::tempdir().expect("temp dir") };
        let include: Vec<String> = include.iter().map(|p| format!("{p:?}")).collect();
        scratch.write(
            "codegen.toml",
            &format!(
                "runtime = \"runtime\"\n[[crate]]\nname = \"scratch\"\nspec = \"specs/api.csdl\"\noutput = \"out\"\n\
                 base-url = \"https://api.example.com/v1\"\nstrip-namespace = \"scratch.api\"\ninclude = [{}]\n",
                include.join(", ")
            ),
        );
        scratch.write("specs/api.csdl", csdl);
        scratch
    }

    fn edit_config(&self, from: &str, to: &str) {
        let config = std::fs::read_to_string(self.root().join("codegen.toml")).expect("read");
        assert!(config.contains(from), "{config}");
        self.write("codegen.toml", &config.replacen(from, to, 1));
    }

    fn new(spec: &str, include: &[&str]) -> Self {
        let scratch = Scratch { dir: tempfile::tempdir().expect("temp dir") };
        let include: Vec<String> = include.iter().map(|p| format!("{p:?}")).collect();
        scratch.write(
            "codegen.toml",
            &format!(
                "runtime = \"runtime\"\n[[crate]]\nname = \"scratch\"\nspec = \"specs/api.yaml\"\noutput = \"out\"\ninclude = [{}]\n",
                include.join(", ")
            ),
        );
        scratch.write("specs/api.yaml", spec);
        scratch
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, relative: &str, contents: &str) {
        let path = self.root().join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, contents).expect("write");
    }

    fn run(&self, mode: Mode) -> Result<Report, Error> {
        pipeline::run(self.root(), &Options { mode, ..Options::default() }, &mut |_| {})
    }

    /// Every file under `out/` with its bytes.
    fn output(&self) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        let mut stack = vec![self.root().join("out")];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for entry in entries {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let relative = path.strip_prefix(self.root()).expect("inside").to_string_lossy().replace('\\', "/");
                    files.insert(relative, std::fs::read(&path).expect("read"));
                }
            }
        }
        files
    }

    /// Generates once, then breaks the input with `edit`, and checks that the run fails with a message containing
    /// every `expected` part while the output stays byte for byte the same.
    fn assert_fails_untouched(&self, edit: impl FnOnce(&Scratch), expected: &[&str]) -> String {
        self.run(Mode::Write).expect("the good input generates");
        self.write("out/notes.txt", "hand-written, not generated\n");
        let before = self.output();
        edit(self);
        let message = match self.run(Mode::Write) {
            Ok(report) => panic!("expected an error, got {report:?}"),
            Err(error) => error.to_string(),
        };
        for part in expected {
            assert!(message.contains(part), "`{part}` missing from:\n{message}");
        }
        assert_eq!(self.output(), before, "the output changed although the input was bad");
        assert!(self.run(Mode::Check).is_err(), "check mode must fail the same way");
        message
    }
}

#[test]
fn good_input_adds_updates_and_removes_only_generated_files() {
    let s = Scratch::new(GOOD_SPEC, &["/**"]);
    let report = s.run(Mode::Write).expect("generates");
    assert!(report.added.contains(&"out/src/things/item/mod.rs".to_owned()), "{report:?}");
    assert!(report.added.contains(&"out/src/models/thing.rs".to_owned()), "{report:?}");
    assert!(report.added.contains(&"out/codegen.lock".to_owned()), "{report:?}");
    assert!(report.updated.is_empty() && report.removed.is_empty());
    let lock = String::from_utf8(s.output()["out/codegen.lock"].clone()).expect("utf-8");
    assert!(lock.contains("spec = \"specs/api.yaml\""), "{lock}");
    assert!(lock.contains("[inputs]\n\"specs/api.yaml\" = \""), "{lock}");
    assert!(lock.contains("\"/**\""), "{lock}");

    // Up to date: check passes and a second run changes nothing.
    assert!(s.run(Mode::Check).is_ok());
    let again = s.run(Mode::Write).expect("generates");
    assert_eq!((again.added.len(), again.updated.len(), again.removed.len()), (0, 0, 0));

    // A stale generated file and a hand-written one: check names the stale one and writes nothing.
    s.write("out/src/old.rs", "// @generated by `cargo xtask codegen` from an older spec. Do not edit by hand.\n");
    s.write("out/README.md", "mine\n");
    s.write("out/src/lib.rs", "// edited by hand\n");
    let stale = s.run(Mode::Check).expect_err("stale").to_string();
    assert!(stale.contains("out/src/old.rs (no longer generated)"), "{stale}");
    assert!(stale.contains("out/src/lib.rs (differs)"), "{stale}");
    assert!(stale.contains("cargo xtask codegen"), "{stale}");
    assert!(s.root().join("out/src/old.rs").exists(), "check mode must not remove anything");

    // Write mode repairs: removes the stale generated file, restores lib.rs, keeps the hand-written file.
    let report = s.run(Mode::Write).expect("generates");
    assert_eq!(report.removed, ["out/src/old.rs"]);
    assert_eq!(report.updated, ["out/src/lib.rs"]);
    assert!(!s.root().join("out/src/old.rs").exists());
    assert!(s.root().join("out/README.md").exists());

    // A narrower selection removes the files of what is no longer selected, and the emptied directories.
    s.write("specs/api.yaml", &GOOD_SPEC.replace("'/things/{thing-id}'", "'/things'"));
    let report = s.run(Mode::Write).expect("generates");
    assert!(report.removed.contains(&"out/src/things/item/mod.rs".to_owned()), "{report:?}");
    assert!(!s.root().join("out/src/things/item").exists());
}

#[test]
fn missing_spec() {
    let s = Scratch::new(GOOD_SPEC, &["/**"]);
    s.assert_fails_untouched(
        |s| std::fs::remove_file(s.root().join("specs/api.yaml")).expect("remove"),
        &["specs/api.yaml: cannot read the description"],
    );
}

#[test]
fn malformed_yaml_is_located_by_line_and_column() {
    let s = Scratch::new(GOOD_SPEC, &["/**"]);
    let message = s.assert_fails_untouched(
        |s| s.write("specs/api.yaml", "openapi: 3.0.1\npaths:\n  /x: [unclosed\n"),
        &["specs/api.yaml:", "invalid description"],
    );
    assert!(message.starts_with("specs/api.yaml:3:") || message.starts_with("specs/api.yaml:4:"), "{message}");
}

#[test]
fn wrong_shape_is_located() {
    let s = Scratch::new(GOOD_SPEC, &["/**"]);
    s.assert_fails_untouched(
        |s| s.write("specs/api.yaml", &GOOD_SPEC.replace("required: true, schema", "required: maybe, schema")),
        &["specs/api.yaml:7:", "invalid description", "expected a boolean"],
    );
}

#[test]
fn dangling_ref_names_the_pointer() {
    let s = Scratch::new(GOOD_SPEC, &["/**"]);
    s.assert_fails_untouched(
        |s| s.write("specs/api.yaml", &GOOD_SPEC.replace("schemas/Thing'", "schemas/Nope'")),
        &[
            "specs/api.yaml#/paths/~1things~1{thing-id}/get/responses/200/content/application~1json/schema/$ref",
            "dangling $ref `#/components/schemas/Nope`",
        ],
    );
}

#[test]
fn include_pattern_that_matches_nothing() {
    let s = Scratch::new(GOOD_SPEC, &["/**"]);
    s.assert_fails_untouched(
        |s| {
            let config = std::fs::read_to_string(s.root().join("codegen.toml")).expect("read");
            s.write("codegen.toml", &config.replace("[\"/**\"]", "[\"/**\", \"/nothing/here#GET\"]"));
        },
        &["codegen.toml#/crate/0/include/1: pattern `/nothing/here#GET` matches no operation in specs/api.yaml"],
    );
}

#[test]
fn unsupported_schema_is_reported_not_a_panic() {
    let s = Scratch::new(GOOD_SPEC, &["/**"]);
    s.assert_fails_untouched(
        |s| {
            s.write(
                "specs/api.yaml",
                &GOOD_SPEC.replace(
                    "properties: {name: {type: string}}",
                    "properties: {name: {oneOf: [{type: string}, {type: integer}]}}",
                ),
            )
        },
        &["specs/api.yaml#/components/schemas/Thing/properties/name/oneOf: unsupported: oneOf with 2 alternatives"],
    );
}

#[test]
fn every_problem_is_listed_at_once() {
    let s = Scratch::new(GOOD_SPEC, &["/**"]);
    let message = s.assert_fails_untouched(
        |s| {
            let spec = GOOD_SPEC
                .replace("schemas/Thing'", "schemas/Nope'")
                .replace("servers: [{url: 'https://api.example.com/v1/'}]", "servers: [{url: 'ftp://x'}]");
            s.write("specs/api.yaml", &spec);
        },
        &["2 problems:", "#/servers/0/url: expected an absolute https URL", "dangling $ref"],
    );
    assert_eq!(message.matches("\n  - ").count(), 2, "{message}");
}

#[test]
fn bad_config_is_located() {
    let s = Scratch::new(GOOD_SPEC, &["/**"]);
    s.assert_fails_untouched(
        |s| s.write("codegen.toml", "runtime = \"runtime\"\n[[crate]]\nname = \"scratch\"\nspec = 3\n"),
        &["codegen.toml:4:8: invalid config: invalid type: integer `3`, expected path"],
    );
}

#[test]
fn a_cycle_of_plain_refs_is_reported_once() {
    let s = Scratch::new(GOOD_SPEC, &["/**"]);
    let message = s.assert_fails_untouched(
        |s| {
            let spec = GOOD_SPEC.replace(
                "Thing: {type: object, properties: {name: {type: string}}}",
                "Thing: {$ref: '#/components/schemas/Alias'}\n    Alias: {$ref: '#/components/schemas/Thing'}",
            );
            s.write("specs/api.yaml", &spec);
        },
        &["specs/api.yaml#/components/schemas/Alias: the $ref/allOf chain of `Alias` loops back to it through 2 types: \
           `Alias` → `Thing`, then `Alias` again"],
    );
    assert_eq!(message.matches("loops back").count(), 1, "{message}");
}

const POLISH: &str = "/things/{thing-id}/polish#POST";

#[test]
fn csdl_generates_bound_actions_under_their_entity() {
    let s = Scratch::csdl(GOOD_CSDL, &[POLISH]);
    let report = s.run(Mode::Write).expect("generates");
    assert!(report.added.contains(&"out/src/things/item/polish/mod.rs".to_owned()), "{report:?}");
    let builder = String::from_utf8(s.output()["out/src/things/item/polish/mod.rs"].clone()).expect("utf-8");
    assert!(builder.contains("pub struct PolishPostRequestBody"), "{builder}");
    assert!(builder.contains("pub strength: msgraph_runtime::Property<i32>,"), "{builder}");
    let lock = String::from_utf8(s.output()["out/codegen.lock"].clone()).expect("utf-8");
    assert!(lock.contains("\"specs/api.csdl\" = \""), "{lock}");
}

#[test]
fn malformed_xml_is_located() {
    let s = Scratch::csdl(GOOD_CSDL, &[POLISH]);
    s.assert_fails_untouched(
        |s| {
            s.write(
                "specs/api.csdl",
                &GOOD_CSDL
                    .replace("<EntityType Name=\"part\" BaseType=\"api.entity\" />", "<EntityType Name=\"part\">"),
            )
        },
        &["specs/api.csdl:", "invalid XML"],
    );
}

#[test]
fn unknown_type_reference_is_located() {
    let s = Scratch::csdl(GOOD_CSDL, &[POLISH]);
    s.assert_fails_untouched(
        |s| s.write("specs/api.csdl", &GOOD_CSDL.replace("Name=\"name\" Type=\"Edm.String\"", "Name=\"name\" Type=\"api.label\"")),
        &["specs/api.csdl:10:9: property `name` of `scratch.api.thing` refers to type `scratch.api.label`, which is not declared"],
    );
}

#[test]
fn base_type_cycle_is_located() {
    let s = Scratch::csdl(GOOD_CSDL, &[POLISH]);
    s.assert_fails_untouched(
        |s| {
            let csdl = GOOD_CSDL.replace(
                "<EntityType Name=\"entity\" Abstract=\"true\">",
                "<EntityType Name=\"entity\" Abstract=\"true\" BaseType=\"api.part\">",
            );
            s.write("specs/api.csdl", &csdl)
        },
        &["specs/api.csdl:5:7: the BaseType chain of `scratch.api.entity` loops back to it through 2 types: \
           `scratch.api.entity` → `scratch.api.part`, then `scratch.api.entity` again"],
    );
}

#[test]
fn navigation_to_a_missing_type_is_located() {
    let s = Scratch::csdl(GOOD_CSDL, &[POLISH]);
    s.assert_fails_untouched(
        |s| s.write("specs/api.csdl", &GOOD_CSDL.replace("Collection(api.part)", "Collection(api.piece)")),
        &["specs/api.csdl:11:9: navigation property `parts` of `scratch.api.thing` refers to `scratch.api.piece`, which is not declared"],
    );
}

#[test]
fn csdl_without_a_base_url_says_what_to_set() {
    let s = Scratch::csdl(GOOD_CSDL, &[POLISH]);
    s.assert_fails_untouched(
        |s| s.edit_config("base-url = \"https://api.example.com/v1\"\n", ""),
        &["specs/api.csdl: a CSDL description does not say where the service is: set `base-url`"],
    );
}

#[test]
fn permissions_file_of_the_wrong_shape_is_located() {
    let s = Scratch::new(GOOD_SPEC, &["/**"]);
    s.write("specs/permissions.json", "{\"permissions\": {}}\n");
    s.edit_config("include = ", "permissions = \"specs/permissions.json\"\ninclude = ");
    s.assert_fails_untouched(
        |s| s.write("specs/permissions.json", "{\"permissions\": {\"Thing.Read\": {\"pathSets\": {\"paths\": 1}}}}\n"),
        &["specs/permissions.json:1:", "invalid permissions file: invalid type: map, expected a sequence"],
    );
}

#[test]
fn a_broken_cloud_description_is_located() {
    let s = Scratch::csdl(GOOD_CSDL, &[POLISH]);
    s.write("specs/china.csdl", &GOOD_CSDL.replace("<Action Name=\"polish\"", "<Action Name=\"polish\" IsBound=\"true\"><Parameter Name=\"b\" Type=\"api.thing\"/></Action><Action Name=\"other\""));
    s.edit_config(
        "include = ",
        "clouds = { global = \"specs/api.csdl\", us-government-l4 = \"specs/api.csdl\", us-government-l5-dod = \"specs/api.csdl\", china = \"specs/china.csdl\" }\ninclude = ",
    );
    s.assert_fails_untouched(
        |s| s.write("specs/china.csdl", &GOOD_CSDL.replace("api.part", "api.nothing")),
        &["specs/china.csdl:11:9: navigation property `parts` of `scratch.api.thing` refers to `scratch.api.nothing`"],
    );
    // Unknown clouds are config errors.
    s.edit_config("china = ", "mars = \"specs/api.csdl\", china = ");
    let message = s.run(Mode::Write).expect_err("unknown cloud").to_string();
    assert!(message.contains("codegen.toml:") && message.contains("unknown field `mars`"), "{message}");
}

#[test]
fn keep_going_generates_the_rest_and_lists_what_it_left_out() {
    let spec = GOOD_SPEC.replace(
        "components:",
        "  /gadgets:\n    get:\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {oneOf: [{type: string}, {type: integer}]}}}}\ncomponents:",
    );
    let s = Scratch::new(&spec, &["/**"]);
    // Without keeping going: nothing is written.
    let message = s.run(Mode::Write).expect_err("the oneOf fails the crate").to_string();
    assert!(message.contains("unsupported: oneOf with 2 alternatives"), "{message}");
    assert!(s.output().is_empty());

    let report =
        pipeline::run(s.root(), &Options { keep_going: true, ..Options::default() }, &mut |_| {}).expect("keeps going");
    assert_eq!(report.skipped.len(), 1, "{:?}", report.skipped);
    assert!(
        report.skipped[0].starts_with(
            "specs/api.yaml#/paths/~1gadgets/get/responses/200/content/application~1json/schema/oneOf: unsupported: oneOf"
        ),
        "{:?}",
        report.skipped
    );
    let files = s.output();
    assert!(files.contains_key("out/src/things/item/mod.rs"), "the rest is generated");
    let lib = String::from_utf8(files["out/src/lib.rs"].clone()).expect("utf-8");
    assert!(!lib.contains("gadgets"), "the operation that cannot be generated is left out:\n{lib}");

    // The same from the config.
    s.edit_config("include = ", "keep-going = true\ninclude = ");
    let report = s.run(Mode::Check).expect("up to date, keeping going");
    assert_eq!(report.skipped.len(), 1);
}
