//! The rule fixtures: a snapshot of every `fixtures/<rule>/<file>` (the input and its rendered
//! diagnostics), and the naming contract of fixtures/README.md checked on its own.

use crate::common::{
    fixture_files, fixture_policy, is_audit_only, is_fixture_policy, json_rule_ids, lint_bytes, relative, root,
    rule_ids, run_audit_fixture, run_config,
};
use ramlint::lint::FileReport;
use ramlint::report::text::{summary_line, TextRenderer};
use ramlint::report::Summary;
use std::fmt::Write as _;
use std::path::Path;

fn lint_fixture(path: &Path) -> FileReport {
    lint_bytes(&relative(path), std::fs::read(path).unwrap(), None)
}

/// The input text (decompressed for gzip), then every diagnostic as `ramlint check` prints it
/// without colour, then the summary line.
fn snapshot_text(path: &Path, report: &FileReport) -> String {
    let mut out = String::new();
    let gzip = path.extension().is_some_and(|e| e == "gz");
    writeln!(out, "── input{} ──", if gzip { " (decompressed)" } else { "" }).unwrap();
    out.push_str(&report.source.text);
    if !report.source.text.ends_with('\n') {
        out.push('\n');
    }
    writeln!(out, "── diagnostics ──").unwrap();
    if let Some(reason) = &report.skipped {
        writeln!(out, "skipped: {reason}").unwrap();
    }
    let renderer = TextRenderer::new(false);
    for d in &report.diagnostics {
        writeln!(out, "{}", renderer.render(d, report.source.text.clone())).unwrap();
    }
    out.push_str(&summary_line(&Summary::of(std::slice::from_ref(report))));
    out
}

/// The folder's rule of a fixture file.
fn rule_of(path: &Path) -> String {
    path.parent().and_then(Path::file_name).unwrap().to_string_lossy().into_owned()
}

/// For the rules only `ramlint audit` reports: the input, then the audit's JSON diagnostics
/// one per paragraph (with the folder's `policy.json` as `--policy` when it has one, and then
/// the counts of the policy replay after the summary).
fn audit_snapshot_text(path: &Path) -> String {
    let rule = rule_of(path);
    let report = run_audit_fixture(&rule, Path::new(&relative(path)));
    let mut out = format!("── input ──\n{}", std::fs::read_to_string(path).unwrap());
    if !out.ends_with('\n') {
        out.push('\n');
    }
    match fixture_policy(&rule) {
        Some(policy) => writeln!(out, "── ramlint audit --policy {} ──", relative(&policy)).unwrap(),
        None => out.push_str("── ramlint audit ──\n"),
    }
    for d in report["diagnostics"].as_array().unwrap() {
        let record = d["record"].as_u64().map(|r| format!(" (record {r})")).unwrap_or_default();
        writeln!(
            out,
            "{}[{}] {}:{}:{}-{}:{}{record} at {}",
            d["severity"].as_str().unwrap(),
            d["rule"].as_str().unwrap(),
            d["file"].as_str().unwrap(),
            d["line"],
            d["column"],
            d["end_line"],
            d["end_column"],
            d["pointer"]
        )
        .unwrap();
        writeln!(out, "  {}", d["message"].as_str().unwrap()).unwrap();
        if let Some(help) = d["help"].as_str() {
            writeln!(out, "  help: {help}").unwrap();
        }
    }
    let summary = &report["summary"];
    write!(
        out,
        "{} errors, {} warnings, {} infos; {} records",
        summary["errors"], summary["warnings"], summary["infos"], summary["records"]
    )
    .unwrap();
    let policy = &summary["policy"];
    if !policy.is_null() {
        write!(
            out,
            "\npolicy: {} evaluated, {} allowed, {} explicitly denied, {} implicitly denied",
            policy["evaluated"], policy["allowed"], policy["explicit_deny"], policy["implicit_deny"]
        )
        .unwrap();
    }
    out
}

#[test]
fn fixtures() {
    insta::glob!("../../fixtures", "*/*.{json,jsonl,txt,gz,toml}", |path| {
        if is_fixture_policy(&rule_of(path), path) {
            // the policy the folder's fixtures replay against, not a fixture
        } else if path.extension().is_some_and(|e| e == "toml") {
            let report = run_config(&rule_of(path), path);
            insta::assert_snapshot!(serde_json::to_string_pretty(&report["diagnostics"]).unwrap());
        } else if is_audit_only(&rule_of(path)) {
            insta::assert_snapshot!(audit_snapshot_text(path));
        } else {
            insta::assert_snapshot!(snapshot_text(path, &lint_fixture(path)));
        }
    });
}

/// The rules a fixture reports: through the library, or through `ramlint audit` for the
/// rules only the audit reports.
fn fixture_rules(rule: &str, path: &Path) -> (Vec<String>, Option<String>) {
    if path.extension().is_some_and(|e| e == "toml") {
        return (json_rule_ids(&run_config(rule, path)), None);
    }
    if is_audit_only(rule) {
        return (json_rule_ids(&run_audit_fixture(rule, Path::new(&relative(path)))), None);
    }
    let report = lint_fixture(path);
    (rule_ids(&report).into_iter().map(str::to_string).collect(), report.skipped.map(|r| r.to_string()))
}

/// `invalid*` fixtures that the linter does not flag yet, with the cause. The naming test
/// fails when one of them starts to pass, so that its entry is removed here.
const KNOWN_GAPS: &[(&str, &str)] = &[];

/// fixtures/README.md: `invalid*` files report their folder's rule, `valid*` files do not.
#[test]
fn fixture_names_match_their_findings() {
    let files = fixture_files();
    assert!(files.len() > 100, "expected the fixture corpus, found {} files", files.len());
    let mut problems = Vec::new();
    for (rule, path) in &files {
        assert!(ramlint::rules::by_id(rule).is_some(), "fixtures/{rule}/ is not named after a registered rule");
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (ids, _) = fixture_rules(rule, path);
        let fired = ids.iter().any(|id| id == rule);
        let known_gap = KNOWN_GAPS.iter().find(|(file, _)| *file == relative(path));
        if let Some((file, cause)) = known_gap {
            if fired {
                problems.push(format!("{file}: now reports `{rule}`; remove it from KNOWN_GAPS ({cause})"));
            }
        } else if name.starts_with("invalid") {
            if !fired {
                problems.push(format!("{}: expected `{rule}`, got {ids:?}", relative(path)));
            }
        } else if name.starts_with("valid") {
            if fired {
                problems.push(format!("{}: `{rule}` must not fire, got {ids:?}", relative(path)));
            }
        } else {
            problems.push(format!("{}: a fixture name starts with `invalid` or `valid`", relative(path)));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for (file, _) in KNOWN_GAPS {
        assert!(files.iter().any(|(_, p)| relative(p) == *file), "KNOWN_GAPS names a missing fixture: {file}");
    }
}

/// fixtures/README.md: valid files are clean under every rule, so that they double as
/// "no false positive" checks for the other rules.
#[test]
fn valid_fixtures_are_clean_under_every_rule() {
    let mut problems = Vec::new();
    for (rule, path) in fixture_files() {
        if !path.file_name().unwrap().to_string_lossy().starts_with("valid") {
            continue;
        }
        let (ids, skipped) = fixture_rules(&rule, &path);
        if !ids.is_empty() || skipped.is_some() {
            problems.push(format!("{}: {ids:?} skipped={skipped:?}", relative(&path)));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every fixture file has an extension the snapshot glob covers (nothing silently untested).
#[test]
fn every_fixture_file_is_covered_by_the_snapshot_glob() {
    for dir in crate::common::sorted_entries(&root().join("fixtures")) {
        if !dir.is_dir() {
            assert_eq!(dir.file_name().unwrap(), "README.md", "unexpected file {}", relative(&dir));
            continue;
        }
        for file in crate::common::sorted_entries(&dir) {
            let ext = file.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
            let folder = dir.file_name().unwrap().to_string_lossy().into_owned();
            if crate::common::is_config_rule(&folder) && file.file_name().unwrap() == "policy.json.in" {
                continue; // the document the configuration fixtures run over
            }
            assert!(
                crate::common::INPUT_EXTENSIONS.contains(&ext.as_str()),
                "{} is not picked up by the fixture tests",
                relative(&file)
            );
        }
    }
}
