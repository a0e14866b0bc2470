//! No input hangs or aborts the generator: pathological inputs found by fuzzing and by hand, each refused with a
//! located message (or matched at once) instead of taking exponential time, exhausting memory or overflowing the
//! stack. Every test runs on the default test thread, so a recursion these inputs used to drive deep would abort it.

use msgraph_generator::glob::Pattern;

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
