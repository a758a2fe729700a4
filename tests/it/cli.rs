//! The `ramlint` binary: exit codes, inputs (folders, globs, stdin, gzip, BOM, JSON Lines, URL
//! lines), the JSON report of the contract, and the `rules`, `explain` and `actions` commands.

use crate::common::gzip;
use crate::common::{root, TempDir};
use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn ramlint() -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("ramlint");
    cmd.current_dir(root()).env("NO_COLOR", "1");
    cmd
}

/// Runs `ramlint check --format json <args>`, checks the exit code and returns the report.
fn check_json(args: &[&str], code: i32) -> Value {
    let output =
        ramlint().arg("check").args(["--format", "json"]).args(args).assert().code(code).get_output().stdout.clone();
    serde_json::from_slice(&output).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&output)))
}

fn diagnostics(report: &Value) -> &Vec<Value> {
    report["diagnostics"].as_array().unwrap()
}

fn rules_of(report: &Value) -> Vec<&str> {
    diagnostics(report).iter().map(|d| d["rule"].as_str().unwrap()).collect()
}

const CLEAN_POLICY: &str = r#"{
  "Version": "1",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "vpc:DescribeEipAddresses",
      "Resource": "*"
    }
  ]
}
"#;

/// `invalid-effect` at line 5, column 17 (`"Alow"`).
const ALOW_POLICY: &str = r#"{
  "Version": "1",
  "Statement": [
    {
      "Effect": "Alow",
      "Action": "vpc:DescribeEipAddresses",
      "Resource": "*"
    }
  ]
}
"#;

#[test]
fn check_examples_fails_and_prints_the_summary() {
    let output = ramlint().args(["check", "examples/"]).assert().code(1).get_output().stdout.clone();
    let text = String::from_utf8(output).unwrap();
    let last = text.lines().last().unwrap();
    let summary =
        regex::Regex::new(r"^(\d+) errors?, (\d+) warnings?, (\d+) infos? in (\d+) files?( \(\d+ records?\))?$")
            .unwrap();
    let caps = summary.captures(last).unwrap_or_else(|| panic!("no summary line at the end: {last:?}"));
    let json = check_json(&["examples/"], 1);
    for (i, key) in [(1, "errors"), (2, "warnings"), (3, "infos"), (4, "files")] {
        assert_eq!(
            caps[i].parse::<u64>().unwrap(),
            json["summary"][key].as_u64().unwrap(),
            "the text and JSON summaries agree on {key}"
        );
    }
    assert!(text.contains("invalid-effect") && text.contains("examples/policies/eip-operator.json"));
}

#[test]
fn json_report_has_the_contract_shape_and_order() {
    let report = check_json(&["examples/", "fixtures/invalid-effect/", "fixtures/json-syntax/"], 1);
    assert_eq!(report["version"], 1);
    assert_eq!(report["tool"]["name"], "ramlint");
    assert_eq!(report["tool"]["version"], env!("CARGO_PKG_VERSION"));
    let summary = &report["summary"];
    for key in ["files", "records", "errors", "warnings", "infos"] {
        assert!(summary[key].is_u64(), "summary.{key} is a count");
    }
    let diags = diagnostics(&report);
    assert!(diags.len() >= 5);
    let count = |severity: &str| diags.iter().filter(|d| d["severity"] == severity).count() as u64;
    assert_eq!(summary["errors"].as_u64(), Some(count("error")));
    assert_eq!(summary["warnings"].as_u64(), Some(count("warning")));
    assert_eq!(summary["infos"].as_u64(), Some(count("info")));
    for d in diags {
        for key in [
            "rule",
            "severity",
            "category",
            "message",
            "help",
            "file",
            "record",
            "pointer",
            "line",
            "column",
            "end_line",
            "end_column",
        ] {
            assert!(d.get(key).is_some(), "diagnostic without `{key}`: {d}");
        }
        assert!(ramlint::rules::by_id(d["rule"].as_str().unwrap()).is_some(), "unregistered rule in {d}");
        assert!(["error", "warning", "info"].contains(&d["severity"].as_str().unwrap()));
        assert!(["syntax", "validity", "security", "suggestion", "audit"].contains(&d["category"].as_str().unwrap()));
        assert!(d["help"].is_null() || d["help"].is_string());
        assert!(d["record"].is_null() || d["record"].as_u64().is_some_and(|r| r >= 1));
        let pointer = d["pointer"].as_str().unwrap();
        assert!(pointer.is_empty() || pointer.starts_with('/'), "pointer {pointer:?}");
        let start = (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap());
        let end = (d["end_line"].as_u64().unwrap(), d["end_column"].as_u64().unwrap());
        assert!(start.0 >= 1 && start.1 >= 1 && start <= end, "bad position in {d}");
    }
    let key = |d: &Value| {
        (
            d["file"].as_str().unwrap().to_string(),
            d["record"].as_u64(),
            d["line"].as_u64(),
            d["column"].as_u64(),
            d["rule"].as_str().unwrap().to_string(),
        )
    };
    for pair in diags.windows(2) {
        assert!(
            key(&pair[0]) <= key(&pair[1]),
            "not sorted by file, record, line, column, rule:\n{}\n{}",
            pair[0],
            pair[1]
        );
    }
    let alow = diags.iter().find(|d| d["file"] == "fixtures/invalid-effect/invalid-typo-alow.json").unwrap();
    assert_eq!(
        (&alow["rule"], &alow["pointer"], &alow["line"], &alow["column"], &alow["end_column"]),
        (&"invalid-effect".into(), &"/Statement/0/Effect".into(), &5.into(), &17.into(), &23.into())
    );
}

#[test]
fn stdin_is_read_with_a_dash() {
    let output = ramlint()
        .args(["check", "--format", "json", "-"])
        .write_stdin(ALOW_POLICY)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&output).unwrap();
    assert_eq!(rules_of(&report), ["invalid-effect"]);
    assert_eq!(diagnostics(&report)[0]["file"], "<stdin>");
    ramlint()
        .args(["check", "-"])
        .write_stdin(CLEAN_POLICY)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 errors, 0 warnings, 0 infos in 1 file"));
}

#[test]
fn a_missing_path_is_a_usage_error() {
    ramlint()
        .args(["check", "no/such/file.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`no/such/file.json` does not exist"));
}

#[test]
fn a_glob_matching_nothing_is_a_usage_error() {
    ramlint()
        .args(["check", "fixtures/*/nothing-matches-*.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no file matches"));
}

#[test]
fn an_empty_folder_is_a_usage_error() {
    let dir = TempDir::new("empty");
    dir.write("notes.txt", "not a policy");
    ramlint().arg("check").arg(dir.path()).assert().code(2).stderr(predicate::str::contains("holds no file to"));
}

#[test]
fn a_glob_expands_to_its_files() {
    let report = check_json(&["fixtures/invalid-effect/invalid-*.json"], 1);
    let files: std::collections::BTreeSet<&str> =
        diagnostics(&report).iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert!(files.len() >= 3 && files.iter().all(|f| f.starts_with("fixtures/invalid-effect/invalid-")), "{files:?}");
    assert_eq!(report["summary"]["files"].as_u64(), Some(files.len() as u64));
}

#[test]
fn warnings_fail_by_default_and_fail_on_error_lets_them_pass() {
    let file = "fixtures/undocumented-element/invalid-sid.json";
    let report = check_json(&[file], 1);
    assert_eq!(report["summary"]["errors"], 0);
    assert!(report["summary"]["warnings"].as_u64().unwrap() >= 1);
    ramlint().args(["check", file]).assert().code(1);
    ramlint().args(["check", "--fail-on", "warning", file]).assert().code(1);
    ramlint().args(["check", "--fail-on", "error", file]).assert().code(0);
}

#[test]
fn a_clean_file_exits_zero() {
    ramlint()
        .args(["check", "examples/policies/trust-ecs.json"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 errors, 0 warnings, 0 infos in 1 file"));
    let report = check_json(&["fixtures/invalid-effect/valid-allow-and-deny.json"], 0);
    assert!(diagnostics(&report).is_empty());
}

#[test]
fn folder_walk_skips_hidden_folders_target_and_other_extensions() {
    let dir = TempDir::new("walk");
    for rel in [
        "a.json",
        "sub/b.json",
        "sub/deeper/c.jsonl",
        "d.ndjson",
        ".hidden/x.json",
        "target/x.json",
        "sub/.git/x.json",
        "node_modules/x.json",
        "notes.txt",
        "policy.json.bak",
    ] {
        dir.write(rel, ALOW_POLICY.replace('\n', ""));
    }
    dir.write("e.json.gz", gzip(ALOW_POLICY.as_bytes()));
    let report = check_json(&[dir.path().to_str().unwrap()], 1);
    let prefix = format!("{}/", dir.path().display());
    let mut files: Vec<String> = diagnostics(&report)
        .iter()
        .map(|d| d["file"].as_str().unwrap().strip_prefix(&prefix).unwrap().to_string())
        .collect();
    files.dedup();
    assert_eq!(files, ["a.json", "d.ndjson", "e.json.gz", "sub/b.json", "sub/deeper/c.jsonl"]);
    assert_eq!(report["summary"]["files"], 5);
}

#[test]
fn a_utf8_bom_is_accepted() {
    let dir = TempDir::new("bom");
    let clean = dir.write("clean.json", format!("\u{feff}{CLEAN_POLICY}"));
    assert!(diagnostics(&check_json(&[clean.to_str().unwrap()], 0)).is_empty());
    let alow = dir.write("alow.json", format!("\u{feff}{}", ALOW_POLICY.replace("{\n  \"Version\"", "{\"Version\"")));
    let report = check_json(&[alow.to_str().unwrap()], 1);
    assert_eq!(rules_of(&report), ["invalid-effect"]);
    // `{"Version": "1",` is now line 1; the effect stays at line 4, column 17.
    assert_eq!((&diagnostics(&report)[0]["line"], &diagnostics(&report)[0]["column"]), (&4.into(), &17.into()));
    let first_line = dir.write("first-line.json", "\u{feff}{\"Version\": \"1\", \"Statement\": [{\"Effect\": \"Alow\", \"Action\": \"vpc:DescribeEipAddresses\", \"Resource\": \"*\"}]}");
    let report = check_json(&[first_line.to_str().unwrap()], 1);
    // A BOM is not a column: `"Alow"` starts at character 43 after it.
    assert_eq!(diagnostics(&report)[0]["column"], 43, "{report}");
}

#[test]
fn invalid_utf8_is_a_json_syntax_finding_not_a_crash() {
    let dir = TempDir::new("utf8");
    let mut bytes = CLEAN_POLICY.as_bytes().to_vec();
    let at = CLEAN_POLICY.find("Describe").unwrap();
    bytes.splice(at..at, [0xff, 0xfe]);
    let file = dir.write("latin1.json", bytes);
    let output = ramlint()
        .args(["check", "--format", "json"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("panicked").not())
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&output).unwrap();
    assert_eq!(rules_of(&report), ["json-syntax"]);
    assert_eq!(diagnostics(&report)[0]["line"], 6);
}

#[test]
fn gzip_input_is_decompressed() {
    let dir = TempDir::new("gzip");
    let file = dir.write("policy.json.gz", gzip(ALOW_POLICY.as_bytes()));
    let report = check_json(&[file.to_str().unwrap()], 1);
    assert_eq!(rules_of(&report), ["invalid-effect"]);
    let d = &diagnostics(&report)[0];
    assert_eq!((&d["line"], &d["column"], &d["pointer"]), (&5.into(), &17.into(), &"/Statement/0/Effect".into()));
    let clean = dir.write("clean.json.gz", gzip(CLEAN_POLICY.as_bytes()));
    check_json(&[clean.to_str().unwrap()], 0);
}

fn truncated_gzip(dir: &TempDir) -> std::path::PathBuf {
    let full = gzip(ALOW_POLICY.as_bytes());
    dir.write("cut.json.gz", &full[..full.len() / 2])
}

#[test]
fn a_truncated_gzip_stream_is_a_finding_not_a_crash() {
    let dir = TempDir::new("gzip-cut");
    let file = truncated_gzip(&dir);
    let output = ramlint()
        .args(["check", "--format", "json"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("panicked").not())
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&output).unwrap();
    assert!(rules_of(&report).iter().all(|r| *r == "json-syntax") && !rules_of(&report).is_empty(), "{report}");
}

/// Known bug (src/lint.rs `lint_decoded`): the decoding problem is reported as a `json-syntax`
/// and the cut text is parsed and reported again, so the document gets two identical
/// findings (the contract allows one per document); and the only mention of the truncation is
/// a label at the end of the text, which the text report does not show.
#[test]
fn a_truncated_gzip_stream_is_reported_once_as_truncated() {
    let dir = TempDir::new("gzip-once");
    let file = truncated_gzip(&dir);
    let report = check_json(&[file.to_str().unwrap()], 1);
    assert_eq!(rules_of(&report), ["json-syntax"], "one json-syntax per document: {report}");
    ramlint().arg("check").arg(&file).assert().code(1).stdout(predicate::str::contains("truncated"));
}

#[test]
fn json_lines_have_record_numbers() {
    let dir = TempDir::new("jsonl");
    let lines = [
        r#"{"Action":"DescribeEipAddresses","Version":"2016-04-28","RegionId":"cn-hangzhou"}"#,
        "",
        r#"{"Action":"UnassociateEipAddress","Version":"2016-04-28","RegionId":"cn-hangzhou","AllocationId":"eip-bp1k4t7x2m9q5w3e8r6y1","InstanceId":"lb-bp1x7c4v1b8n5m2q9w6e"}"#,
        r#"{"Action":"DescribeEipAddresses","Version":"2016-04-28","RegionId":"cn-hangzhou"#,
    ];
    let file = dir.write("calls.jsonl", lines.join("\n"));
    let report = check_json(&[file.to_str().unwrap()], 1);
    let found: Vec<(&str, u64, &str, u64)> = diagnostics(&report)
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap(),
                d["record"].as_u64().unwrap(),
                d["pointer"].as_str().unwrap(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(found, [("instance-type-mismatch", 3, "/InstanceId", 3), ("json-syntax", 4, "", 4)]);
    assert_eq!(report["summary"]["records"], 3);
}

#[test]
fn an_array_of_requests_numbers_its_elements() {
    let report = check_json(&["fixtures/recorded-error/invalid-delivery-array-second-event.json"], 0);
    let records: Vec<u64> = diagnostics(&report).iter().map(|d| d["record"].as_u64().unwrap()).collect();
    assert_eq!(records, [2]);
}

#[test]
fn kind_request_reads_url_lines() {
    let dir = TempDir::new("urls");
    let text = "https://vpc.aliyuncs.com/?Action=UnassociateEipAddress&RegionId=cn-hangzhou&InstanceId=i-bp1f5g8h2j6k9l3m7n4q\n\
                https://vpc.aliyuncs.com/?Action=DescribeEipAddresses&RegionId=cn-hangzhou\n";
    let txt = dir.write("calls.txt", text);
    let report = check_json(&["--kind", "request", txt.to_str().unwrap()], 1);
    let found: Vec<(&str, u64, &str)> = diagnostics(&report)
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["record"].as_u64().unwrap(), d["pointer"].as_str().unwrap()))
        .collect();
    assert_eq!(found, [("missing-parameter", 1, "")]);
    assert!(diagnostics(&report)[0]["message"].as_str().unwrap().contains("AllocationId"));
    assert_eq!(report["summary"]["records"], 2);
    // Another extension is URL lines only when the kind is forced.
    let dat = dir.write("calls.dat", text);
    assert_eq!(rules_of(&check_json(&[dat.to_str().unwrap()], 1)), ["json-syntax"]);
    assert_eq!(rules_of(&check_json(&["--kind", "request", dat.to_str().unwrap()], 1)), ["missing-parameter"]);
}

#[test]
fn kind_policy_overrides_detection() {
    let file = "fixtures/missing-parameter/invalid-rpc-no-allocation-id.json";
    assert_eq!(rules_of(&check_json(&[file], 1)), ["missing-parameter"]);
    let as_policy = check_json(&["--kind", "policy", file], 1);
    assert!(rules_of(&as_policy).contains(&"invalid-statement"), "{as_policy}");
    assert!(!rules_of(&as_policy).contains(&"missing-parameter"));
}

#[test]
fn rules_json_lists_every_rule() {
    let output = ramlint().args(["rules", "--format", "json"]).assert().code(0).get_output().stdout.clone();
    let list: Value = serde_json::from_slice(&output).unwrap();
    let list = list.as_array().unwrap();
    let ids: Vec<&str> = list.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let registered: Vec<&str> = ramlint::rules::ALL.iter().map(|r| r.meta().id).collect();
    assert_eq!(ids, registered);
    for rule in list {
        let keys: Vec<&str> = rule.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["category", "fixable", "id", "severity", "subject", "summary"], "{rule}");
        let meta = ramlint::rules::by_id(rule["id"].as_str().unwrap()).unwrap().meta();
        assert_eq!(rule["severity"], meta.severity.as_str());
        assert_eq!(rule["category"], meta.category.as_str());
        assert_eq!(rule["subject"], meta.subject.as_str());
        assert_eq!(rule["fixable"], meta.fixable);
        assert_eq!(rule["summary"], meta.summary);
    }
}

#[test]
fn rules_text_lists_every_rule() {
    let output = ramlint().arg("rules").assert().code(0).get_output().stdout.clone();
    let text = String::from_utf8(output).unwrap();
    for rule in ramlint::rules::ALL {
        assert!(
            text.lines().any(|l| l.starts_with(&format!("{} ", rule.meta().id))),
            "`{}` is not listed",
            rule.meta().id
        );
    }
}

#[test]
fn explain_prints_the_rule_page() {
    let page = std::fs::read_to_string(root().join("docs/rules/invalid-effect.md")).unwrap();
    ramlint().args(["explain", "invalid-effect"]).assert().code(0).stdout(predicate::str::contains(page.trim_end()));
}

#[test]
fn explain_an_unknown_rule_is_a_usage_error() {
    ramlint()
        .args(["explain", "nosuch"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule `nosuch`").and(predicate::str::contains("ramlint rules")));
    ramlint()
        .args(["explain", "invalid-efect"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `invalid-effect`?"));
}

#[test]
fn actions_lists_matching_catalog_actions() {
    let output = ramlint().args(["actions", "vpc:*Eip*"]).assert().code(0).get_output().stdout.clone();
    let text = String::from_utf8(output).unwrap();
    let names: Vec<&str> =
        text.lines().filter_map(|l| l.split_whitespace().next()).filter(|n| n.contains(':')).collect();
    assert!(names.contains(&"vpc:UnassociateEipAddress") && names.contains(&"vpc:AssociateEipAddress"), "{text}");
    assert!(names.iter().all(|n| n.starts_with("vpc:") && n.to_lowercase().contains("eip")), "{names:?}");
    let unassociate = text.lines().find(|l| l.starts_with("vpc:UnassociateEipAddress ")).unwrap();
    assert!(unassociate.contains("ecs:instance") && unassociate.contains("vpc:eip"), "{unassociate}");
}

#[test]
fn catalog_folders_add_actions_to_a_catalogued_service() {
    let dir = TempDir::new("catalog");
    dir.write(
        "extra/actions/vpc.json",
        r#"{"service": "vpc", "catalogued": true, "actions": [{"name": "DescribeEipPrivatePreview", "access": "list"}]}"#,
    );
    let policy = dir.write(
        "policy.json",
        r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": ["vpc:DescribeEipPrivatePreview", "vpc:UnassociateEipAddress"], "Resource": "*"}]}"#,
    );
    // Without the extra data the private action is unknown; with it, the embedded actions stay known too.
    ramlint().arg("check").arg(&policy).assert().code(1).stdout(predicate::str::contains("unknown-action"));
    ramlint().arg("check").arg("--catalog").arg(dir.path().join("extra")).arg(&policy).assert().code(0);
    ramlint()
        .args(["actions", "vpc:DescribeEipP*", "--catalog"])
        .arg(dir.path().join("extra"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("vpc:DescribeEipPrivatePreview"));
}

#[test]
fn a_missing_catalog_folder_is_a_usage_error() {
    ramlint().args(["check", "--catalog", "no/such/folder", "examples/policies/trust-ecs.json"]).assert().code(2);
}

#[test]
fn sarif_output_lists_rules_and_results_with_regions_and_pointers() {
    let out = ramlint().args(["check", "--format", "sarif", "examples/policies/eip-operator.json"]).assert().code(1);
    let log: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), ramlint::rules::ALL.len());
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1 && region["endColumn"].as_u64().unwrap() > 1);
        assert!(r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
            .as_str()
            .unwrap()
            .starts_with("/Statement/"));
        assert!(r["partialFingerprints"]["ramlintFinding/v1"].as_str().unwrap().len() == 16);
    }
}

#[test]
fn github_output_is_one_annotation_per_finding() {
    let out = ramlint().args(["check", "--format", "github", "examples/policies/eip-operator.json"]).assert().code(1);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines.iter().all(|l| l.starts_with("::error file=examples/policies/eip-operator.json,line=")
        || l.starts_with("::warning file=examples/policies/eip-operator.json,line=")));
    assert!(lines
        .iter()
        .any(|l| l.contains("title=ramlint invalid-effect::`Alow` is not a valid effect%0Adid you mean `Allow`?")));
}

const ADMIN: &str = r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;
/// A policy whose only finding is a warning (`undocumented-element`).
const SID: &str = r#"{"Version": "1", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "vpc:DescribeEipAddresses", "Resource": "*"}]}"#;

#[test]
fn the_configuration_is_found_upward_and_the_cli_wins_over_it() {
    let dir = TempDir::new("config-up");
    dir.write("ramlint.toml", "fail-on = \"error\"\n");
    dir.write("policies/sid.json", SID);
    let sub = dir.path().join("policies");
    // `Sid` is a warning: the file's fail-on lets it pass, the flag wins over the file, and
    // without the file the default (`warning`) fails it.
    ramlint().current_dir(&sub).args(["check", "sid.json"]).assert().code(0);
    ramlint().current_dir(&sub).args(["check", "--fail-on", "warning", "sid.json"]).assert().code(1);
    ramlint().current_dir(&sub).args(["check", "--no-config", "sid.json"]).assert().code(1);
}

#[test]
fn configured_levels_excludes_and_suppressions_apply() {
    let dir = TempDir::new("config-apply");
    dir.write("policies/admin.json", ADMIN);
    dir.write(
        "vendor/other.json",
        r#"{"Version": "1", "Statement": [{"Effect": "Alow", "Action": "vpc:DescribeEipAddresses", "Resource": "*"}]}"#,
    );
    let config = dir.write("ramlint.toml", "exclude = [\"vendor/**\"]\n[rules]\nfull-admin = \"error\"\n");
    let out =
        ramlint().current_dir(dir.path()).args(["check", "--format", "json", "policies", "vendor"]).assert().code(1);
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let found: Vec<(&str, &str)> =
        diagnostics(&report).iter().map(|d| (d["rule"].as_str().unwrap(), d["severity"].as_str().unwrap())).collect();
    assert_eq!(found, [("full-admin", "error")], "vendor/ is excluded and full-admin raised to error: {report}");
    std::fs::write(
        &config,
        "[[suppress]]\nrule = \"full-admin\"\npath = \"policies/*.json\"\npointer = \"/Statement/0\"\nreason = \"break-glass role\"\n",
    )
    .unwrap();
    ramlint().current_dir(dir.path()).args(["check", "policies"]).assert().code(0);
}

#[test]
fn suppressions_that_match_nothing_or_expired_are_reported_in_the_configuration() {
    let dir = TempDir::new("config-rot");
    dir.write("admin.json", ADMIN);
    dir.write(
        "ramlint.toml",
        "[[suppress]]\nrule = \"full-admin\"\nreason = \"window\"\nexpires = \"2020-01-31\"\n\n[[suppress]]\nrule = \"invalid-effect\"\nreason = \"gone\"\n",
    );
    // The expired suppression no longer suppresses `full-admin`, an error: the run fails.
    let out = ramlint().current_dir(dir.path()).args(["check", "--format", "json", "admin.json"]).assert().code(1);
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let found: Vec<(&str, &str, &str, u64)> = diagnostics(&report)
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["pointer"].as_str().unwrap(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("full-admin", "admin.json", "/Statement/0", 1),
            ("expired-suppression", "ramlint.toml", "/suppress/0", 1),
            ("unused-suppression", "ramlint.toml", "/suppress/1", 6),
        ]
    );
}

#[test]
fn configuration_errors_point_into_the_file_and_exit_2() {
    let dir = TempDir::new("config-bad");
    dir.write("admin.json", ADMIN);
    for (text, needle) in [
        ("[rules]\nredundant-actoin = \"off\"\n", "did you mean `redundant-action`?"),
        ("[rules]\nfull-admin = \"loud\"\n", "is not a rule level"),
        ("[[suppress]]\nrule = \"full-admin\"\n", "reason"),
        ("[[suppress]]\nrule = \"full-admin\"\nreason = \"x\"\nexpires = \"soon\"\n", "is not a date"),
        ("colour = \"red\"\n", "unknown key `colour`"),
    ] {
        let config = dir.write("ramlint.toml", text);
        ramlint()
            .arg("check")
            .arg("--config")
            .arg(&config)
            .arg(dir.path().join("admin.json"))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(needle));
    }
}

#[test]
fn a_baseline_hides_known_findings_even_after_reformatting() {
    let dir = TempDir::new("baseline");
    let policy = dir.write(
        "policy.json",
        r#"{"Version": "1", "Statement": [{"Effect": "Alow", "Action": "vpc:DescribeEipAddresses", "Resource": "*"}]}"#,
    );
    let baseline = dir.path().join("baseline.json");
    // A baseline that does not exist is an error, never a silent first run.
    ramlint()
        .current_dir(dir.path())
        .args(["check", "--baseline", "baseline.json", "policy.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--update-baseline"));
    assert!(!baseline.exists());
    // Writing is explicit: reports nothing and exits 0.
    ramlint()
        .current_dir(dir.path())
        .args(["check", "--baseline", "baseline.json", "--update-baseline", "policy.json"])
        .assert()
        .code(0)
        .stdout("")
        .stderr(predicate::str::contains("wrote 1 finding to the baseline `baseline.json`"));
    let written: serde_json::Value = serde_json::from_slice(&std::fs::read(&baseline).unwrap()).unwrap();
    assert_eq!(written["findings"][0]["rule"], "invalid-effect");
    // Reformatted: lines and columns move, the finding is still known.
    std::fs::write(
        &policy,
        "{\n  \"Version\": \"1\",\n  \"Statement\": [\n    {\"Effect\": \"Alow\", \"Action\": \"vpc:DescribeEipAddresses\", \"Resource\": \"*\"}\n  ]\n}\n",
    )
    .unwrap();
    ramlint().current_dir(dir.path()).args(["check", "--baseline", "baseline.json", "policy.json"]).assert().code(0);
    // A new problem is reported, the old one still is not.
    std::fs::write(
        &policy,
        r#"{"Version": "1", "Statement": [{"Effect": "Alow", "Action": "vpc:DescribeEipAddresses", "Resource": "*"}, {"Effect": "Allow", "Action": "vpc:UnasociateEipAddress", "Resource": "*"}]}"#,
    )
    .unwrap();
    let out = ramlint()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "--baseline", "baseline.json", "policy.json"])
        .assert()
        .code(1);
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let rules: Vec<&str> = diagnostics(&report).iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["unknown-action"]);
}

#[test]
fn configured_regions_and_trusted_accounts_are_checked() {
    let dir = TempDir::new("config-project");
    dir.write("ramlint.toml", "regions = [\"cn-hangzhou\"]\ntrusted-accounts = [\"1234567890123456\"]\n");
    dir.write(
        "policy.json",
        r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "vpc:DescribeEipAddresses", "Resource": ["acs:vpc:cn-hangzhou:*:eip/*", "acs:vpc:cn-beijing:*:eip/*"]}]}"#,
    );
    dir.write(
        "trust.json",
        r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"RAM": ["acs:ram::1234567890123456:root", "acs:ram::6543210987654321:root"]}}]}"#,
    );
    let out = ramlint()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "policy.json", "trust.json"])
        .assert()
        .code(1);
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let found: Vec<(&str, &str, &str)> = diagnostics(&report)
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["pointer"].as_str().unwrap(), d["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("invalid-region", "/Statement/0/Resource/1", "warning"),
            ("invalid-principal", "/Statement/0/Principal/RAM/1", "warning"),
        ]
    );
}

#[test]
fn audit_applies_the_configuration_too() {
    let dir = TempDir::new("config-audit");
    dir.write(
        "calls.jsonl",
        "{\"eventName\":\"UnassociateEipAddress\",\"eventType\":\"ApiCall\",\"serviceName\":\"Vpc\",\"apiVersion\":\"2016-04-28\",\"eventTime\":\"2025-03-04T08:15:02Z\",\"requestParameters\":{\"RegionId\":\"cn-hangzhou\",\"AllocationId\":\"eip-bp1m6u2o8y4r7t3w5q9z0\"},\"errorCode\":\"TaskConflict\"}\n",
    );
    dir.write(
        "ramlint.toml",
        "[rules]\nrecorded-error = \"off\"\n\n[[suppress]]\nrule = \"unknown-parameter\"\nreason = \"nothing to hide\"\n",
    );
    let out = ramlint().current_dir(dir.path()).args(["audit", "--format", "json", "calls.jsonl"]).assert().code(1);
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let rules: Vec<&str> = diagnostics(&report).iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["unused-suppression"], "{report}");
    assert_eq!(report["summary"]["by_rule"]["unused-suppression"], 1);
}

#[test]
fn output_formats_snapshot() {
    for format in ["json", "github"] {
        let out = ramlint().args(["check", "--format", format, "examples/policies/eip-operator.json"]).assert().code(1);
        let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        let text = text.replace(env!("CARGO_PKG_VERSION"), "<version>");
        insta::assert_snapshot!(format!("format_{format}"), text);
    }
}

#[test]
fn actions_honours_the_configurations_catalog() {
    let dir = TempDir::new("actions-config");
    dir.write(
        "extra/actions/vpc.json",
        r#"{"service": "vpc", "catalogued": true, "actions": [{"name": "DescribeEipPrivatePreview", "access": "list"}]}"#,
    );
    ramlint().current_dir(dir.path()).args(["actions", "vpc:DescribeEipP*"]).assert().code(1);
    dir.write("ramlint.toml", "catalog = [\"extra\"]\n");
    ramlint()
        .current_dir(dir.path())
        .args(["actions", "vpc:DescribeEipP*"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("vpc:DescribeEipPrivatePreview"));
    ramlint().current_dir(dir.path()).args(["actions", "--no-config", "vpc:DescribeEipP*"]).assert().code(1);
}

/// The pre-commit hook runs `ramlint check FILE` with the default flags: a policy with misspelt
/// top-level keys, a public trust policy and an admin policy each fail it.
#[test]
fn a_pre_commit_style_run_fails_on_misspelt_keys_public_trust_and_admin() {
    for (file, rule) in [
        ("fixtures/unknown-element/invalid-misspelt-top-level-keys.json", "unknown-element"),
        ("fixtures/public-role-trust/invalid-ram-star-array.json", "public-role-trust"),
        ("fixtures/public-role-trust/invalid-any-account-root.json", "public-role-trust"),
        ("fixtures/full-admin/invalid-star-on-star.json", "full-admin"),
        ("fixtures/unconstrained-oidc-trust/invalid-no-condition.json", "unconstrained-oidc-trust"),
        ("fixtures/invalid-trust-action/invalid-ecs-action.json", "invalid-trust-action"),
        ("fixtures/invalid-principal/invalid-aws-service-domain.json", "invalid-principal"),
        ("fixtures/invalid-account-id/invalid-principal-twelve-digits.json", "invalid-account-id"),
    ] {
        let out = ramlint().args(["check", file]).assert().code(1);
        let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        assert!(text.contains(rule), "{file}: {text}");
    }
    // The misspelt document is linted as a policy: its statements too.
    let report = check_json(&["fixtures/unknown-element/invalid-misspelt-top-level-keys.json"], 1);
    let rules = rules_of(&report);
    assert!(rules.contains(&"unknown-element") && rules.contains(&"full-admin"), "{rules:?}");
    assert_eq!(report["files"][0]["kind"], "ram-policy");
}

/// A file that is neither a policy nor a request is listed in every format, and fails the run
/// with `--fail-on-skip` or `fail-on-skip = true`.
#[test]
fn a_skipped_file_is_always_listed_and_can_fail_the_run() {
    let dir = TempDir::new("skipped");
    dir.write("package.json", r#"{"name": "site", "version": "1.0.0", "private": true}"#);
    dir.write("policy.json", r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "vpc:DescribeEipAddresses", "Resource": "*"}]}"#);
    let run = |args: &[&str], code: i32| {
        let out = ramlint().current_dir(dir.path()).arg("check").args(args).assert().code(code);
        String::from_utf8_lossy(&out.get_output().stdout).to_string()
    };
    let text = run(&["package.json", "policy.json"], 0);
    assert!(text.contains("skipped package.json: not a RAM policy or a recorded request"), "{text}");
    let report: Value = serde_json::from_str(&run(&["--format", "json", "package.json", "policy.json"], 0)).unwrap();
    assert_eq!(
        report["files"],
        serde_json::json!([
            {"file": "package.json", "kind": null, "status": "skipped", "reason": "not a RAM policy or a recorded request"},
            {"file": "policy.json", "kind": "ram-policy", "status": "linted"}
        ])
    );
    let sarif: Value = serde_json::from_str(&run(&["--format", "sarif", "package.json"], 0)).unwrap();
    let notes = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(notes[0]["level"], "warning", "{notes}");
    assert!(notes[0]["message"]["text"].as_str().unwrap().contains("skipped `package.json`"), "{notes}");
    run(&["--fail-on-skip", "package.json", "policy.json"], 1);
    run(&["--fail-on-skip", "policy.json"], 0);
    dir.write("ramlint.toml", "fail-on-skip = true\n");
    run(&["package.json"], 1);
}

/// Runs `check --format json` on one policy text in a temporary folder; returns the report
/// (`code`: 1 when it holds a warning or an error, the default failure level).
fn check_text(name: &str, text: &str, extra: &[&str], code: i32) -> Value {
    let dir = TempDir::new(name);
    dir.write("policy.json", text);
    let out = ramlint()
        .current_dir(dir.path())
        .args(["check", "--format", "json"])
        .args(extra)
        .arg("policy.json")
        .assert()
        .code(code);
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

fn found(report: &Value) -> Vec<(String, String, String, u64)> {
    diagnostics(report)
        .iter()
        .map(|d| {
            (
                d["severity"].as_str().unwrap().to_string(),
                d["rule"].as_str().unwrap().to_string(),
                d["pointer"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn one_statement(statement: &str) -> String {
    format!("{{\n\"Version\": \"1\",\n\"Statement\": [\n{statement}\n]\n}}")
}

#[test]
fn admin_equivalent_grants_are_full_admin_errors_at_the_action() {
    for (action, resource) in [
        ("\"*\"", "\"acs:*:*:*:*\""),
        ("\"*:*\"", "\"*\""),
        ("[\"ecs:DescribeInstances\",\n\"*\"]", "[\"acs:ecs:*:1234567890123456:instance/*\", \"*\"]"),
    ] {
        let text =
            one_statement(&format!("{{\"Effect\": \"Allow\",\n\"Action\": {action},\n\"Resource\": {resource}}}"));
        let report = check_text("full-admin", &text, &[], 1);
        // Infos (`redundant-action`) aside, full-admin is the only finding.
        let rows: Vec<_> = found(&report).into_iter().filter(|r| r.0 != "info").collect();
        assert_eq!(rows.len(), 1, "{text}: {report}");
        let (severity, rule, pointer, line) = &rows[0];
        assert_eq!((severity.as_str(), rule.as_str(), pointer.as_str()), ("error", "full-admin", "/Statement/0"));
        assert!(*line >= 5, "shown at the action, not the statement: {report}");
    }
    let text = one_statement("{\"Effect\": \"Allow\", \"Action\": \"ram:*\", \"Resource\": \"*\"}");
    let rules: Vec<String> = found(&check_text("ram-star", &text, &[], 1)).into_iter().map(|r| r.1).collect();
    assert_eq!(rules, ["full-admin", "pass-role-wildcard", "privilege-escalation"]);
}

#[test]
fn every_escalating_action_is_reported() {
    let text = one_statement(
        "{\"Effect\": \"Allow\", \"Action\": [\n\"ram:AttachPolicyToUser\",\n\"ram:CreateAccessKey\",\n\"ram:PassRole\",\n\"ram:UpdateRole\"\n], \"Resource\": \"*\"}",
    );
    let rows = found(&check_text("escalation", &text, &[], 1));
    let at: Vec<(&str, &str)> = rows.iter().map(|r| (r.1.as_str(), r.2.as_str())).collect();
    assert_eq!(
        at,
        [
            ("privilege-escalation", "/Statement/0/Action/0"),
            ("privilege-escalation", "/Statement/0/Action/1"),
            ("pass-role-wildcard", "/Statement/0/Action/2"),
            ("privilege-escalation", "/Statement/0/Action/3"),
        ]
    );
}

#[test]
fn resource_type_typos_are_reported_with_a_suggestion() {
    for (arn, help) in [
        (
            "acs:vpc:cn-hangzhou:1234567890123456:eip:eip-bp1k4t7x2m9q5w3e8r6y1",
            "did you mean `eip/eip-bp1k4t7x2m9q5w3e8r6y1`?",
        ),
        ("acs:vpc:cn-hangzhou:1234567890123456:eips/eip-bp1k4t7x2m9q5w3e8r6y1", "did you mean `eip`?"),
        (
            "acs:ecs:cn-hangzhou:1234567890123456:eip/eip-bp1k4t7x2m9q5w3e8r6y1",
            "did you mean `acs:vpc:cn-hangzhou:1234567890123456:eip/eip-bp1k4t7x2m9q5w3e8r6y1`?",
        ),
    ] {
        let text = one_statement(&format!(
            "{{\"Effect\": \"Allow\", \"Action\": \"vpc:UnassociateEipAddress\", \"Resource\": \"{arn}\"}}"
        ));
        let report = check_text("resource-typo", &text, &[], 1);
        let diags = diagnostics(&report);
        assert_eq!(diags.len(), 1, "{arn}: {report}");
        assert_eq!(diags[0]["rule"], "resource-type-mismatch");
        assert!(diags[0]["help"].as_str().unwrap().starts_with(help), "{arn}: {report}");
    }
}

#[test]
fn unsatisfiable_conditions_are_judged_against_the_given_time() {
    let text = one_statement(
        "{\"Effect\": \"Allow\", \"Action\": \"vpc:DescribeEipAddresses\", \"Resource\": \"*\",\n\"Condition\": {\"DateLessThan\": {\"acs:CurrentTime\": \"2026-06-01T00:00:00Z\"}}}",
    );
    let before = check_text("now-before", &text, &["--now", "2026-01-01T00:00:00Z"], 0);
    assert!(diagnostics(&before).is_empty(), "{before}");
    let after = check_text("now-after", &text, &["--now", "2026-07-01T00:00:00Z"], 1);
    assert_eq!(
        found(&after),
        [(
            "warning".to_string(),
            "unsatisfiable-condition".to_string(),
            "/Statement/0/Condition/DateLessThan/acs:CurrentTime".to_string(),
            5
        )]
    );
    let dir = TempDir::new("now-env");
    dir.write("policy.json", &text);
    let out = ramlint()
        .current_dir(dir.path())
        .env("RAMLINT_NOW", "2026-07-01")
        .args(["check", "--format", "json", "policy.json"])
        .assert()
        .code(1);
    let report: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(rules_of(&report), ["unsatisfiable-condition"]);
    ramlint().current_dir(dir.path()).args(["check", "--now", "yesterday", "policy.json"]).assert().code(2);
}

#[test]
fn duplicate_keys_keep_exact_spans_and_only_the_last_member_is_linted() {
    let text = "{\n\"Version\": \"1\",\n\"Statement\": [{\n\"Effect\": \"Allow\",\n\"Action\": \"vpc:UnassociateEipAddress\",\n\"Resource\": \"*\",\n\"Condition\": {\"StringEquals\": {\"acs:SourceIpp\": \"x\", \"acs:SourceIpp\": \"y\"}},\n\"Condition\": {\"IpAddress\": {\"acs:SourceIp\": \"203.0.113.0/24\"}}\n}]\n}";
    let report = check_text("dup", text, &[], 1);
    let rows: Vec<(String, String, u64, u64)> = diagnostics(&report)
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["pointer"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(rows, [("duplicate-key".to_string(), "/Statement/0/Condition".to_string(), 7, 1)], "{report}");
}

#[test]
fn many_duplicate_or_distinct_keys_are_each_reported_at_their_key() {
    let n = 20_000;
    let head = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"vpc:DescribeEipAddresses","Resource":"*"}],"#;
    let repeated = format!("{head}{}}}", vec![r#""Version":"1""#; n].join(","));
    let distinct = format!("{head}{}}}", (0..n).map(|i| format!("\"k{i}\":1")).collect::<Vec<_>>().join(","));
    for (name, text, rule) in [("many-dup", repeated, "duplicate-key"), ("many-distinct", distinct, "unknown-element")]
    {
        let report = check_text(name, &text, &[], 1);
        let diags = diagnostics(&report);
        assert!(diags.len() >= n, "{name}: {} findings", diags.len());
        assert!(
            diags.iter().filter(|d| d["rule"] == rule).all(|d| d["column"].as_u64().unwrap() > 1),
            "{name}: exact spans"
        );
    }
}

#[test]
fn a_wildcard_that_matches_other_families_is_a_broad_wildcard() {
    let text = one_statement("{\"Effect\": \"Allow\", \"Action\": \"vpc:*Eip*\", \"Resource\": \"*\"}");
    let report = check_text("broad", &text, &[], 1);
    let diags = diagnostics(&report);
    assert_eq!(rules_of(&report), ["broad-wildcard"], "{report}");
    let message = diags[0]["message"].as_str().unwrap();
    assert!(message.contains("`vpc:AddCommonBandwidthPackageIp`"), "{message}");
    let text = one_statement("{\"Effect\": \"Allow\", \"Action\": \"vpc:DescribeEip*\", \"Resource\": \"*\"}");
    assert!(diagnostics(&check_text("narrow", &text, &[], 0)).is_empty());
}

#[test]
fn actions_say_where_each_list_comes_from() {
    let output = ramlint().args(["actions", "kms:List*"]).assert().code(0).get_output().stdout.clone();
    let text = String::from_utf8(output).unwrap();
    assert!(text.lines().any(|l| l.starts_with("# kms: derived list") && l.contains("2025-12-19")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("kms:ListAliases ")), "{text}");
    let output = ramlint().args(["actions", "eflo:*", "--format", "json"]).assert().code(0).get_output().stdout.clone();
    let json: serde_json::Value = serde_json::from_slice(&output).unwrap();
    let entries = json.as_array().unwrap();
    assert!(!entries.is_empty());
    assert!(entries.iter().all(|e| e["list"] == "derived" && e["catalog_date"] == "2025-12-19"), "{json}");
    let output = ramlint().args(["actions", "vpc:UnassociateEipAddress"]).assert().code(0).get_output().stdout.clone();
    assert!(String::from_utf8(output).unwrap().contains("# vpc: authoritative list"));
    let output = ramlint().args(["actions", "ecs:AllocateEipAddress"]).assert().code(0).get_output().stdout.clone();
    assert!(String::from_utf8(output).unwrap().contains("(deprecated)"));
}

#[test]
fn actions_without_a_match_exit_1_with_a_hint() {
    ramlint().args(["actions", "eip:*"]).assert().code(1).stderr(predicate::str::contains("did you mean `vpc:*`?"));
    ramlint()
        .args(["actions", "UnassociateEipAddress"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("did you mean `vpc:UnassociateEipAddress`?"));
    ramlint()
        .args(["actions", "kms:ListeAliases"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("did you mean `kms:ListAliases`?"));
}

/// Issue 16, item 11: the messages of the walkthrough.
#[test]
fn messages_speak_of_what_was_read() {
    let dir = TempDir::new("messages");
    let one = |file: &str, content: &str| -> Vec<(String, String, String)> {
        dir.write(file, content);
        let report = check_json(&[dir.path().join(file).to_str().unwrap()], 1);
        diagnostics(&report)
            .iter()
            .map(|d| {
                let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
                (s("rule"), s("message"), s("help"))
            })
            .collect()
    };
    let empty = one("empty.json", "\n");
    assert_eq!((empty[0].0.as_str(), empty[0].1.as_str()), ("json-syntax", "empty file"));
    let text = one("notes.txt", "hello world\n");
    assert_eq!(text[0].1, "the file is neither JSON nor a log of request URLs");
    assert!(!text[0].2.contains("RAM accepts"), "{}", text[0].2);
    let log = one(
        "log.jsonl",
        "{\"Action\":\"DescribeEipAddresses\",\"Version\":\"2016-04-28\",\"RegionId\":\"cn-hangzou\",\"PageSize\":500}\n{bad\n",
    );
    let messages: Vec<&str> = log.iter().map(|(_, m, _)| m.as_str()).collect();
    assert!(messages.contains(&"`500` for `PageSize` is above the maximum of 100"), "{messages:?}");
    assert!(messages.contains(&"the record is not valid JSON"), "{messages:?}");
    assert!(log.iter().any(|(_, _, h)| h == "did you mean `cn-hangzhou`?"), "{log:?}");
    let policy = one(
        "p.json",
        r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "vpc:DescribeVpcs", "Resource": "*",
            "Condition": {"StringEqualsIfExists": {"acs:UserAgent": "terraform*"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}"#,
    );
    let help_of = |rule: &str| policy.iter().find(|(r, _, _)| r == rule).unwrap().2.clone();
    assert!(help_of("invalid-condition-operator").contains("use `StringLike`"), "{policy:?}");
    assert!(help_of("unknown-condition-key").ends_with("did you mean `acs:SourceIp`?"), "{policy:?}");
}

#[test]
fn a_text_finding_of_a_log_shows_its_record_alone() {
    let dir = TempDir::new("one-record");
    let path = dir.write(
        "log.jsonl",
        "{\"Action\":\"DescribeVpcs\",\"Version\":\"2016-04-28\",\"RegionId\":\"cn-hangzhou\"}\n\
         {\"Action\":\"DescribeEipAddresses\",\"Version\":\"2016-04-28\",\"RegionId\":\"cn-hangzou\"}\n\
         {\"Action\":\"DescribeVpcs\",\"Version\":\"2016-04-28\",\"RegionId\":\"cn-shanghai\"}\n",
    );
    let out = ramlint().args(["check", "--color", "never"]).arg(&path).assert().code(1).get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains(" 2 │ {\"Action\":\"DescribeEipAddresses\""), "{out}");
    assert!(!out.contains(" 1 │ ") && !out.contains(" 3 │ "), "the neighbouring records are not shown:\n{out}");
}

#[test]
fn an_undocumented_error_code_gets_its_family() {
    let dir = TempDir::new("family");
    let path = dir.write(
        "err.jsonl",
        r#"{"eventName":"UnassociateEipAddress","serviceName":"Vpc","apiVersion":"2016-04-28","eventType":"ApiCall","acsRegion":"cn-hangzhou","requestParameters":{"RegionId":"cn-hangzhou","AllocationId":"eip-bp1m6u2o8y4r7t3w5q9z0"},"errorCode":"Forbidden.RAM"}"#,
    );
    let report = check_json(&[path.to_str().unwrap()], 0);
    let help = diagnostics(&report)[0]["help"].as_str().unwrap().to_string();
    assert!(
        help.starts_with("`Forbidden.RAM` is not documented itself; its family `Forbidden` is documented as"),
        "{help}"
    );
    assert!(help.contains("ramlint audit --policy"), "{help}");
}
