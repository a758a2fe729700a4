//! `--fix` and `--diff`: fixes are byte edits that change only what they report, a fixed file
//! lints clean of what was fixed, and the command line round-trips.

use crate::common::{fixture_files, lint_text, relative, root, TempDir};
use assert_cmd::Command;
use ramlint::diagnostic::Diagnostic;
use ramlint::finding::Edit;
use ramlint::rules::ALL;
use std::collections::BTreeMap;

/// The text with the edits (sorted, not overlapping) spliced in, rebuilt here independently
/// of `ramlint::fix::apply`.
fn splice(text: &str, edits: &[Edit]) -> String {
    let mut out = String::new();
    let mut pos = 0;
    for e in edits {
        assert!(e.span.start >= pos, "edits overlap or are out of order: {edits:?}");
        out.push_str(&text[pos..e.span.start]);
        out.push_str(&e.replacement);
        pos = e.span.end;
    }
    out.push_str(&text[pos..]);
    out
}

fn counts(diagnostics: &[Diagnostic]) -> BTreeMap<(String, String), usize> {
    let mut out = BTreeMap::new();
    for d in diagnostics {
        *out.entry((d.rule.to_string(), d.message.clone())).or_default() += 1;
    }
    out
}

/// Checks one text: every fix stays within what its finding points at (plus the separator
/// before a removed element), the fixed text is the original outside the edited spans, it
/// still parses, and the fixed findings are gone. Returns how many fixes were applied.
fn check_round_trip(name: &str, text: &str) -> usize {
    let before = lint_text(name, text, None);
    let fixes: Vec<&ramlint::finding::Fix> = before.diagnostics.iter().filter_map(|d| d.fix.as_ref()).collect();
    for d in before.diagnostics.iter().filter(|d| d.fix.is_some()) {
        let rule = ramlint::rules::by_id(d.rule).unwrap();
        assert!(rule.meta().fixable, "{name}: `{}` has a fix but its metadata says it cannot fix", d.rule);
        for e in &d.fix.as_ref().unwrap().edits {
            let start = if e.span.start < d.span.start {
                // Only a separator may lie before the finding's span (a removed repeat).
                let gap = &text[e.span.start..d.span.start];
                assert!(gap.chars().all(|c| c == ',' || c.is_whitespace()), "{name}: `{}` edits {gap:?}", d.rule);
                d.span.start
            } else {
                e.span.start
            };
            assert!(
                start >= d.span.start && e.span.end <= d.span.end,
                "{name}: the fix of `{}` edits {:?}, outside its finding at {:?}",
                d.rule,
                e.span,
                d.span
            );
        }
    }
    if fixes.is_empty() {
        return 0;
    }
    let applied = ramlint::fix::apply(text, fixes.iter().copied());
    assert_eq!(applied.text, splice(text, &applied.edits), "{name}: bytes outside the edits changed");
    let after = lint_text(name, &applied.text, None);
    assert!(
        !after.diagnostics.iter().any(|d| d.rule == "json-syntax"),
        "{name}: the fixed text does not parse:\n{}",
        applied.text
    );
    // What was fixed is gone: each fixed finding (rule and message) is reported fewer times.
    let (was, now) = (counts(&before.diagnostics), counts(&after.diagnostics));
    let applied_fixes: Vec<&Diagnostic> = before
        .diagnostics
        .iter()
        .filter(|d| d.fix.as_ref().is_some_and(|f| f.edits.iter().all(|e| applied.edits.contains(e))))
        .collect();
    for d in &applied_fixes {
        let key = (d.rule.to_string(), d.message.clone());
        assert!(
            now.get(&key).copied().unwrap_or(0) < was[&key],
            "{name}: `{}` ({}) is still reported after its fix:\n{}",
            d.rule,
            d.message,
            applied.text
        );
    }
    applied_fixes.len()
}

#[test]
fn fixes_over_every_fixture_change_only_what_they_fix() {
    let mut fixed_rules = std::collections::BTreeSet::new();
    for (rule, path) in fixture_files() {
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        if check_round_trip(&relative(&path), &text) > 0 {
            fixed_rules.insert(rule);
        }
    }
    // Every fixable rule has a fixture that its fix repairs.
    for rule in ALL.iter().filter(|r| r.meta().fixable) {
        assert!(fixed_rules.contains(rule.meta().id), "no fixture of `{}` gets a fix", rule.meta().id);
    }
}

/// The first ```json block of a docs page's `## Incorrect` section.
fn incorrect_example(id: &str) -> Option<String> {
    let page = std::fs::read_to_string(root().join(format!("docs/rules/{id}.md"))).unwrap();
    let section = page.split("\n## Incorrect\n").nth(1)?;
    let body = section.split("```json\n").nth(1)?;
    Some(body.split("\n```").next()?.to_string())
}

#[test]
fn fixable_rules_say_so_in_their_docs_and_examples_round_trip() {
    for rule in ALL {
        let m = rule.meta();
        assert_eq!(
            m.docs.contains("\n## Fix\n"),
            m.fixable,
            "docs/rules/{}.md has a `## Fix` section exactly when the rule is fixable",
            m.id
        );
        // Every Incorrect example, fixable or not, round-trips (a fix may come from another rule).
        if let Some(example) = incorrect_example(m.id) {
            check_round_trip(m.id, &example);
        }
    }
}

const MESSY: &str = "{\"Version\":\"1\",\n\t\"Statement\" : {\"Resource\":\"acs:vpc:cn-hangzou:*:eip/*\",  \"effect\" :\"Alow\",\r\n \"Action\" : [ \"vpc:DescribeVpcs\" ,\"eip:UnassociateEipAddress\",\n   \"vpc:describevpcs\"  ] } }\n";

#[test]
fn fix_rewrites_the_file_in_place_keeping_its_layout() {
    let dir = TempDir::new("fix");
    let path = dir.write("p.json", MESSY);
    let out = Command::cargo_bin("ramlint")
        .unwrap()
        .args(["check", "--format", "json", "--fix"])
        .arg(&path)
        .assert()
        .code(0)
        .get_output()
        .clone();
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        fixed,
        "{\"Version\":\"1\",\n\t\"Statement\" : [{\"Resource\":\"acs:vpc:cn-hangzhou:*:eip/*\",  \"Effect\" :\"Allow\",\r\n \"Action\" : [ \"vpc:DescribeVpcs\" ,\"vpc:UnassociateEipAddress\"  ] }] }\n"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["diagnostics"], serde_json::json!([]), "what is left is reported");
    assert!(String::from_utf8_lossy(&out.stderr).contains("applied 6 fixes to 1 file"));
    // A second run has nothing left to fix.
    Command::cargo_bin("ramlint").unwrap().args(["check", "--diff"]).arg(&path).assert().code(0);
}

#[test]
fn diff_previews_and_changes_nothing() {
    let dir = TempDir::new("diff");
    let path = dir.write("p.json", MESSY);
    let out = Command::cargo_bin("ramlint")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "--diff", "p.json"])
        .assert()
        .code(1);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stdout.starts_with("--- a/p.json\n+++ b/p.json\n"), "{stdout}");
    assert!(stdout.contains("+\t\"Statement\" : [{"), "{stdout}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), MESSY, "--diff writes nothing");
}

#[test]
fn uncertain_and_unfixable_inputs_are_left_alone() {
    let dir = TempDir::new("fix-none");
    // `Permit` is close to neither effect; a gzip file is not fixed in place.
    let text = "{\"Version\": \"1\", \"Statement\": [{\"Effect\": \"Permit\", \"Action\": \"vpc:DescribeVpcs\", \"Resource\": \"*\"}]}";
    let path = dir.write("p.json", text);
    Command::cargo_bin("ramlint").unwrap().args(["check", "--fix"]).arg(&path).assert().code(1);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let gz = dir.write("q.json.gz", crate::common::gzip(MESSY.as_bytes()));
    let before = std::fs::read(&gz).unwrap();
    let out = Command::cargo_bin("ramlint").unwrap().args(["check", "--fix"]).arg(&gz).assert().code(1);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("was not fixed"));
    assert_eq!(std::fs::read(&gz).unwrap(), before);
}

#[test]
fn rules_lists_which_rules_can_fix() {
    let out = Command::cargo_bin("ramlint").unwrap().args(["rules", "--format", "json"]).assert().code(0);
    let list: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let effect = list.as_array().unwrap().iter().find(|r| r["id"] == "invalid-effect").unwrap();
    assert_eq!(effect["fixable"], true);
    let admin = list.as_array().unwrap().iter().find(|r| r["id"] == "full-admin").unwrap();
    assert_eq!(admin["fixable"], false);
    let text = Command::cargo_bin("ramlint").unwrap().arg("rules").assert().code(0).get_output().stdout.clone();
    let text = String::from_utf8(text).unwrap();
    assert!(text.lines().next().unwrap().contains(" FIX "));
    assert!(text.lines().any(|l| l.starts_with("invalid-effect") && l.contains(" yes ")));
}
