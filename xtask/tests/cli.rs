//! The `xtask` binary's exit codes and messages, as a maintainer or CI sees them.

use std::path::Path;
use std::process::Command;

fn xtask(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).output().expect("xtask runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn check_passes_on_this_workspace() {
    let (code, stdout, stderr) = xtask(&["codegen", "--check"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("checked"), "{stdout}");
}

#[test]
fn bad_input_exits_non_zero_with_a_located_message_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::write(
        root.join("codegen.toml"),
        "runtime = \"runtime\"\n[[crate]]\nname = \"x\"\nspec = \"api.yaml\"\noutput = \"out\"\n",
    )
    .expect("write");
    std::fs::write(root.join("api.yaml"), "openapi: 3.0.1\npaths:\n  /a: {get: {responses: 12}}\n").expect("write");
    let (code, _, stderr) = xtask(&["codegen", "--root", &root.to_string_lossy()]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("error: api.yaml:3:"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!Path::new(&root.join("out")).exists());
}

#[test]
fn usage_errors_exit_with_2() {
    assert_eq!(xtask(&[]).0, 2);
    assert_eq!(xtask(&["codegen", "--frobnicate"]).0, 2);
    assert_eq!(xtask(&["bench", "--iterations", "0"]).0, 2);
    let (code, stdout, _) = xtask(&["--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("cargo xtask codegen"), "{stdout}");
}

#[test]
fn operations_lists_the_api_surface() {
    let (code, stdout, stderr) = xtask(&["operations", "--crate", "msgraph-sdk"]);
    assert_eq!(code, 0, "{stderr}");
    // The slice's one operation, also as `me()` reaches it.
    assert_eq!(stdout, "POST\t/me/presence/clearPresence\nPOST\t/users/{user-id}/presence/clearPresence\n");
    // With each one's least-privileged permissions per scheme, where they come from, and its clouds.
    let (code, stdout, stderr) = xtask(&["operations", "--crate", "msgraph-sdk", "--annotations"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "POST\t/me/presence/clearPresence\tPresence.ReadWrite\t-\t-\tlisted\tGlobal,UsGovernmentL4,UsGovernmentL5Dod\n\
         POST\t/users/{user-id}/presence/clearPresence\tPresence.ReadWrite\t-\tPresence.ReadWrite.All\tlisted\t\
         Global,UsGovernmentL4,UsGovernmentL5Dod\n"
    );
    let (code, _, stderr) = xtask(&["operations", "--crate", "nope"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no crate named `nope`"), "{stderr}");
}

/// `xtask` with `stdin` as its standard input.
fn xtask_with_input(args: &[&str], stdin: &str) -> (i32, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("xtask runs");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    let output = child.wait_with_output().expect("xtask ends");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn snippet_of_the_reference_pages_request() {
    // The HTTP sample of the clearPresence reference page, as the page shows it.
    let request =
        "POST https://graph.microsoft.com/v1.0/users/fa8bf3dc-eca7-46b7-bad1-db199b62afc3/presence/clearPresence\n\
                   Content-type: application/json\n\n{ \"sessionId\": \"22553876-f5ab-4529-bffb-cfe50aa89f87\" }\n";
    let (code, stdout, stderr) = xtask_with_input(&["snippet"], request);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "// features: none
use msgraph_sdk::users::item::presence::clear_presence::ClearPresencePostRequestBody;

let request_body = ClearPresencePostRequestBody {
    session_id: \"22553876-f5ab-4529-bffb-cfe50aa89f87\".into(),
    ..Default::default()
};
graph_client
    .users()
    .by_user_id(\"fa8bf3dc-eca7-46b7-bad1-db199b62afc3\")
    .presence()
    .clear_presence()
    .post(&request_body)
    .await?;
"
    );
    // A request the crate cannot express is refused with the reason, and nothing on standard output.
    let (code, stdout, stderr) = xtask_with_input(&["snippet"], "GET /me/messages\n");
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(stderr, "no snippet: the metadata has no segment `messages` below /me\n");
    let (code, _, stderr) = xtask_with_input(&["snippet"], "FETCH /me\n");
    assert_eq!(code, 1);
    assert!(stderr.contains("`FETCH` is not an HTTP method"), "{stderr}");
}
