//! The command line of issue 16: `--select`/`--ignore`, `--output-file`, `--quiet`,
//! `--statistics`, `check` without a path, closed pipes, `--show-settings` and the errors of
//! `ramlint.toml` reported all at once.

use crate::common::{root, TempDir};
use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

fn ramlint() -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("ramlint");
    cmd.current_dir(root()).env("NO_COLOR", "1").env_remove("RAMLINT_NOW");
    cmd
}

/// `ramlint <args>` with the JSON report: its exit code and its rules, in order.
fn rules(args: &[&str]) -> (i32, Vec<String>) {
    let out = ramlint().args(args).args(["--format", "json"]).output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    let rules = report["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap().to_string());
    (out.status.code().unwrap(), rules.collect())
}

const ADMIN_TYPO: &str = r#"{"Version": "1", "Statement": [
  {"Effect": "Allow", "Action": "*", "Resource": "*"},
  {"Effect": "Alow", "Action": "vpc:DescribeEipAddresses", "Resource": "*"}
]}"#;

/// Rule id -> category, from `ramlint rules`.
fn categories() -> BTreeMap<String, String> {
    let out = ramlint().args(["rules", "--format", "json"]).output().unwrap();
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), r["category"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn select_and_ignore_take_rules_and_categories() {
    let categories = categories();
    let category = |rule: &str| categories[rule].as_str();
    let (code, all) = rules(&["check", "examples/", "fixtures/full-admin/"]);
    assert_eq!(code, 1);
    assert!(all.iter().any(|r| category(r) == "security") && all.iter().any(|r| category(r) != "security"));
    let (_, security) = rules(&["check", "examples/", "fixtures/full-admin/", "--select", "security"]);
    assert!(!security.is_empty() && security.iter().all(|r| category(r) == "security"), "{security:?}");
    let (_, rest) = rules(&["check", "examples/", "fixtures/full-admin/", "--ignore", "security"]);
    assert_eq!(rest.len(), all.len() - security.len());
    assert!(rest.iter().all(|r| category(r) != "security"));
    // Repeatable and comma-separated alike.
    assert_eq!(
        rules(&["check", "examples/", "--select", "security", "--select", "syntax"]),
        rules(&["check", "examples/", "--select", "security,syntax"])
    );
    // The more specific wins: a rule named by `--select` is reported though its category is ignored.
    let dir = TempDir::new("select");
    let policy = dir.write("p.json", ADMIN_TYPO);
    let p = policy.to_str().unwrap();
    assert_eq!(rules(&["check", p]).1, ["full-admin", "invalid-effect"]);
    assert_eq!(rules(&["check", p, "--select", "full-admin", "--ignore", "security"]).1, ["full-admin"]);
    assert_eq!(rules(&["check", p, "--select", "security", "--ignore", "full-admin"]), (0, vec![]));
    assert_eq!(rules(&["check", p, "--ignore", "invalid-effect,full-admin"]), (0, vec![]));
}

#[test]
fn select_and_ignore_win_over_the_configuration() {
    let dir = TempDir::new("select-config");
    dir.write("ramlint.toml", "[rules]\nfull-admin = \"off\"\n");
    dir.write("p.json", ADMIN_TYPO);
    let run = |args: &[&str]| {
        let out = ramlint().current_dir(dir.path()).args(["check", "--format", "json", "p.json"]).args(args).output();
        let report: Value = serde_json::from_slice(&out.unwrap().stdout).unwrap();
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect::<Vec<String>>()
    };
    assert_eq!(run(&[]), ["invalid-effect"]);
    assert_eq!(run(&["--select", "full-admin"]), ["full-admin"]);
    assert_eq!(run(&["--select", "security,syntax"]), ["full-admin", "invalid-effect"]);
    assert!(run(&["--ignore", "syntax"]).is_empty());
}

#[test]
fn an_unknown_selection_is_a_usage_error_with_a_suggestion() {
    ramlint()
        .args(["check", "examples/", "--select", "full-admn"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`full-admn` of --select is neither a rule nor a category"))
        .stderr(predicate::str::contains("did you mean `full-admin`?"));
    ramlint()
        .args(["audit", "examples/", "--ignore", "securty"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `security`?"));
}

#[test]
fn output_file_holds_the_report_and_stdout_stays_empty() {
    let dir = TempDir::new("output-file");
    let file = dir.path().join("report.json");
    ramlint().args(["check", "examples/", "--format", "json", "--output-file"]).arg(&file).assert().code(1).stdout("");
    let written: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let (_, expected) = rules(&["check", "examples/"]);
    let got: Vec<&str> =
        written["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert_eq!(got, expected);
    // A text report to a file has no colour even when `auto` would colour a terminal.
    let text = dir.path().join("report.txt");
    ramlint().env_remove("NO_COLOR").args(["check", "examples/", "--output-file"]).arg(&text).assert().code(1);
    let body = std::fs::read_to_string(&text).unwrap();
    assert!(body.contains("invalid-effect") && !body.contains('\u{1b}'));
    // The audit writes there too.
    let log = dir.path().join("audit.json");
    ramlint().args(["audit", "examples/", "--format", "json", "--output-file"]).arg(&log).assert().stdout("");
    assert!(serde_json::from_slice::<Value>(&std::fs::read(&log).unwrap()).unwrap()["diagnostics"].is_array());
    ramlint()
        .args(["check", "examples/", "--output-file", "/nonexistent-folder/r.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot create `/nonexistent-folder/r.txt`"));
}

#[test]
fn quiet_prints_the_findings_only() {
    let loud = ramlint().args(["check", "examples/", "fixtures/json-syntax/"]).output().unwrap();
    let quiet = ramlint().args(["check", "--quiet", "examples/", "fixtures/json-syntax/"]).output().unwrap();
    assert_eq!(quiet.status.code(), Some(1));
    let (loud, quiet) = (String::from_utf8(loud.stdout).unwrap(), String::from_utf8(quiet.stdout).unwrap());
    let last = loud.lines().last().unwrap();
    assert!(last.contains(" in ") && last.contains("files"), "{last}");
    assert!(!quiet.contains(last), "no summary line");
    assert!(quiet.contains("invalid-effect") && !quiet.contains("skipped "));
    assert_eq!(quiet.matches("invalid-effect").count(), loud.matches("invalid-effect").count());
}

#[test]
fn statistics_count_the_findings_of_each_rule() {
    let (code, all) = rules(&["check", "examples/"]);
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    for r in &all {
        *expected.entry(r.clone()).or_default() += 1;
    }
    let out = ramlint().args(["check", "examples/", "--statistics", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(code), "the exit code does not change");
    let counts: Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: BTreeMap<String, u64> = counts
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["rule"].as_str().unwrap().to_string(), c["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(got, expected);
    let first = counts[0]["count"].as_u64().unwrap();
    assert_eq!(first, *expected.values().max().unwrap(), "the most frequent rule first");
    let text = ramlint().args(["check", "examples/", "--statistics"]).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    for (rule, n) in &expected {
        let line = text.lines().find(|l| l.split_whitespace().nth(1) == Some(rule.as_str())).unwrap();
        assert_eq!(line.split_whitespace().next().unwrap(), n.to_string(), "{line}");
    }
    assert!(!text.contains("-->"), "no finding is drawn");
    assert!(text.lines().last().unwrap().contains("errors"), "the summary line closes it");
    ramlint()
        .args(["check", "examples/", "--statistics", "--format", "sarif"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`--statistics` prints text or JSON only"));
}

#[test]
fn check_without_a_path_checks_the_current_folder() {
    let dir = TempDir::new("no-path");
    dir.write("policies/p.json", ADMIN_TYPO);
    let out = ramlint().current_dir(dir.path()).args(["check", "--format", "json"]).assert().code(1);
    let report: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(report["summary"]["files"], 1);
    assert!(report["diagnostics"][0]["file"].as_str().unwrap().ends_with("policies/p.json"));
    ramlint()
        .current_dir(dir.path())
        .arg("audit")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no request log to audit"));
}

/// Runs ramlint with its standard output read up to one line and then closed, as `| head -1`
/// does: the run ends quietly, with no "Broken pipe" and exit code 0.
fn closed_after_one_line(args: &[&str]) -> (Option<i32>, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ramlint"))
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    // The reader is dropped here: the pipe is closed while ramlint still has output to write.
    let out = child.wait_with_output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    // Every command and format, each with more output than a pipe buffers (64 KiB).
    let dir = TempDir::new("pipes");
    let one =
        r#"{"Version": "1", "Statement": [{"Effect": "Alow", "Action": "vpc:DescribeEipAddresses", "Resource": "*"}]}"#;
    for i in 0..1000 {
        dir.write(&format!("p/{i:03}.json"), one);
    }
    let rpc = r#"{"Action": "UnassociateEipAddress", "Version": "2016-04-28", "RegionId": "cn-hangzhou", "AllocationId": "eip-bp1k4t7x2m9q5w3e8r6y1", "InstanceID": "i-bp1f5g8h2j6k9l3m7n4q"}"#;
    dir.write("log.jsonl", (0..3000).map(|_| rpc).collect::<Vec<_>>().join("\n"));
    let p = dir.path().join("p");
    let log = dir.path().join("log.jsonl");
    let (p, log) = (p.to_str().unwrap(), log.to_str().unwrap());
    let mut runs: Vec<Vec<&str>> = vec![vec!["actions", "*"], vec!["actions", "*", "--format", "json"], vec!["rules"]];
    for format in ["text", "json", "sarif", "github"] {
        runs.push(vec!["check", p, "--format", format]);
        runs.push(vec!["audit", log, "--format", format]);
    }
    for args in &runs {
        let (code, stderr) = closed_after_one_line(args);
        assert!(!stderr.contains("Broken pipe") && !stderr.contains("cannot write"), "{args:?}: {stderr}");
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
    }
    // Short outputs end before the reader closes, or quietly: never with an error.
    for args in [vec!["explain", "full-admin"], vec!["rules", "--format", "json"]] {
        let (code, stderr) = closed_after_one_line(&args);
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
        assert_eq!(code, Some(0), "{args:?}");
    }
}

#[test]
fn show_settings_says_where_each_value_comes_from() {
    let dir = TempDir::new("settings");
    let toml = "fail-on = \"error\"\nexclude = [\"vendor/**\"]\n\n[rules]\nredundant-action = \"off\"\n\n[[suppress]]\nrule = \"full-admin\"\npath = \"break-glass.json\"\nreason = \"reviewed\"\n";
    dir.write("ramlint.toml", toml);
    let out = ramlint()
        .current_dir(dir.path())
        .args(["check", "--show-settings", "--ignore", "security", "--now", "2026-01-01"])
        .assert()
        .code(0);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let line = |key: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{key} = ")))
            .unwrap_or_else(|| panic!("no `{key}` in:\n{text}"))
            .to_string()
    };
    let origin = |key: &str| line(key).split_once(" # ").unwrap().1.trim().to_string();
    assert!(line("fail-on").starts_with("fail-on = \"error\"") && origin("fail-on").ends_with("ramlint.toml"));
    assert!(line("exclude").contains("[\"vendor/**\"]") && origin("exclude").ends_with("ramlint.toml"));
    assert_eq!(origin("fail-on-skip"), "default");
    assert!(line("redundant-action").contains("\"off\"") && origin("redundant-action").ends_with("ramlint.toml"));
    assert!(line("full-admin").contains("\"off\"") && origin("full-admin") == "--ignore security");
    assert!(line("invalid-effect").contains("\"error\"") && origin("invalid-effect") == "default");
    assert_eq!(origin("now"), "--now");
    assert_eq!(origin("max-record-size"), "default (flag only: --max-record-size)");
    assert!(text.contains("[[suppress]]") && text.contains("reason = \"reviewed\""));
    assert!(text.contains("found from the current folder upward"));
    // The flag wins, and says so.
    let out = ramlint().current_dir(dir.path()).args(["check", "--show-settings", "--fail-on", "warning"]).output();
    let text = String::from_utf8(out.unwrap().stdout).unwrap();
    assert!(text.lines().any(|l| l.starts_with("fail-on = \"warning\"") && l.ends_with("# --fail-on")), "{text}");
    // Without a configuration, everything is a default.
    let out = ramlint().args(["check", "--show-settings", "--no-config"]).output().unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("# configuration: none (--no-config)"));
}

#[test]
fn every_configuration_error_is_reported_in_one_run() {
    let dir = TempDir::new("config-errors");
    let config = dir.write(
        "ramlint.toml",
        "exlude = [\"vendor/**\"]\nfail-on = \"eror\"\n\n[rules]\nful-admin = \"off\"\nredundant-action = \"of\"\n\n[[suppress]]\nrule = \"full-admin\"\nreasn = \"typo\"\nreason = \"\"\n",
    );
    let out = ramlint().arg("check").arg("--config").arg(&config).arg("examples/").assert().code(2);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    for needle in [
        "6 errors in `",
        "unknown key `exlude`",
        "did you mean `exclude`?",
        "`eror` is not a failure level",
        "`ful-admin` is not a rule",
        "did you mean `full-admin`?",
        "`of` is not a rule level",
        "unknown key `reasn`",
        "did you mean `reason`?",
        "a suppression needs a non-empty `reason`",
    ] {
        assert!(stderr.contains(needle), "no {needle:?} in:\n{stderr}");
    }
    // One error alone is reported as itself.
    let one = dir.write("one.toml", "exlude = []\n");
    ramlint()
        .arg("check")
        .arg("--config")
        .arg(&one)
        .arg("examples/")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown key `exlude`").and(predicate::str::contains("errors in `").not()));
}

/// The pre-commit hook's `files` pattern passes exactly the files `check` reads from a folder
/// (`discover::EXTENSIONS`): a new input extension must be added to both.
#[test]
fn the_hook_files_pattern_is_in_step_with_what_check_reads() {
    let manifest = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let pattern = manifest.lines().find_map(|l| l.trim().strip_prefix("files: ")).unwrap();
    let files = regex::Regex::new(pattern.trim()).unwrap();
    let others = [".json.bak", ".py", ".md", ".gz", ".jsonl.bz2", ".lock", ".toml"];
    for ext in ramlint::discover::EXTENSIONS.iter().chain(others.iter()) {
        let name = format!("policies/sub/x{ext}");
        assert_eq!(
            files.is_match(&name),
            ramlint::discover::EXTENSIONS.contains(ext),
            "{name}: the hook pattern `{pattern}` and discover::EXTENSIONS disagree"
        );
    }
}
