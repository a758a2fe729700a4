//! `ramlint check --format sarif` against the official SARIF 2.1.0 JSON Schema (OASIS Standard
//! with Errata 01, vendored as `tests/data/sarif-schema-2.1.0.json`, see `tests/data/README.md`),
//! offline: the schema's `$ref`s are all local. Formats (`uri`, `uri-reference`, `date-time`) are
//! asserted too: a `uri` that is not a URI reference is also an error (SARIF1002) for
//! `sarif-multitool validate`, which the contract requires to pass.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The SARIF 2.1.0 schema, compiled twice: as the dialect it declares (draft-04), and under
/// draft-07, which defines the `uri-reference` format that the schema gives every
/// `artifactLocation.uri` (draft-04 has no such format, so a draft-04 validator lets any string
/// through, while SARIF 2.1.0 §3.4.3 requires a valid URI reference). `format` is asserted in
/// both.
fn validators() -> &'static [(&'static str, jsonschema::Validator)] {
    static VALIDATORS: OnceLock<Vec<(&'static str, jsonschema::Validator)>> = OnceLock::new();
    VALIDATORS.get_or_init(|| {
        let text = std::fs::read_to_string(root().join("tests/data/sarif-schema-2.1.0.json")).unwrap();
        let schema: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
        [("draft-04", jsonschema::Draft::Draft4), ("draft-07", jsonschema::Draft::Draft7)]
            .into_iter()
            .map(|(name, draft)| {
                let validator = jsonschema::options()
                    .with_draft(draft)
                    .should_validate_formats(true)
                    .build(&schema)
                    .unwrap_or_else(|e| panic!("the SARIF 2.1.0 schema does not compile as {name}: {e}"));
                (name, validator)
            })
            .collect()
    })
}

/// Every schema violation of `log`: which dialect, where, which constraint, and the message
/// (shortened: a failing rule descriptor would otherwise print every rule page).
pub fn violations(log: &Value) -> Vec<String> {
    let mut found = Vec::new();
    for (name, validator) in validators() {
        for e in validator.iter_errors(log) {
            let mut message = e.to_string();
            if message.chars().count() > 300 {
                message = message.chars().take(300).collect::<String>() + "...";
            }
            found.push(format!("at {} (schema {}, {name}): {message}", e.instance_path(), e.schema_path()));
        }
    }
    found
}

fn assert_valid(what: &str, log: &Value) {
    let problems = violations(log);
    assert!(
        problems.is_empty(),
        "{what}: the SARIF output breaks the SARIF 2.1.0 schema ({} violations):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Runs `ramlint check --format sarif <args>` from the repository root, with `stdin` as standard
/// input; returns the SARIF log and the exit code.
fn check_sarif(args: &[&str], stdin: Option<&str>) -> (Value, i32) {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("ramlint");
    cmd.current_dir(root()).env("NO_COLOR", "1").args(["check", "--format", "sarif"]).args(args);
    if let Some(text) = stdin {
        cmd.write_stdin(text);
    }
    let output = cmd.output().unwrap();
    let log = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "`ramlint check --format sarif {}` did not print JSON ({e}):\n{}\n{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (log, output.status.code().unwrap())
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

/// Beyond the schema: every result names a rule of the driver, `ruleIndex` points at it, and
/// its location has a region.
fn assert_consistent(what: &str, log: &Value) {
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    for (i, result) in results(log).iter().enumerate() {
        let id = result["ruleId"].as_str().unwrap();
        let index =
            result["ruleIndex"].as_u64().unwrap_or_else(|| panic!("{what}: result {i} ({id}) has no ruleIndex"));
        assert_eq!(rules[index as usize]["id"], id, "{what}: result {i}: ruleIndex {index} is not `{id}`");
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1, "{what}: result {i} ({id}) has no startLine");
    }
}

/// Fixture files under `fixtures/*/` whose name starts with `prefix` (policies, requests, logs;
/// not the `ramlint.toml` fixtures of the configuration rules), relative to the root, sorted.
fn fixtures(prefix: &str) -> Vec<String> {
    let mut files = Vec::new();
    for dir in std::fs::read_dir(root().join("fixtures")).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&dir).unwrap() {
            let path = file.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if name.starts_with(prefix) && ["json", "jsonl", "txt", "gz"].contains(&ext) {
                files.push(path.strip_prefix(root()).unwrap().to_str().unwrap().replace('\\', "/"));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_schema_rejects_broken_sarif() {
    // The validator is not vacuous: a wrong level, a missing message and a zero line all fail.
    let log = json!({
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "ramlint"}},
            "results": [
                {"ruleId": "x", "level": "fatal", "message": {"text": "m"}},
                {"ruleId": "y"},
                {"ruleId": "z", "message": {"text": "m"}, "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": "a.json"}, "region": {"startLine": 0}}}]}
            ]
        }]
    });
    let problems = violations(&log);
    for pointer in [
        "/runs/0/results/0/level",
        "/runs/0/results/1",
        "/runs/0/results/2/locations/0/physicalLocation/region/startLine",
    ] {
        assert!(
            problems.iter().any(|p| p.starts_with(&format!("at {pointer} "))),
            "no violation at {pointer}: {problems:#?}"
        );
    }
    // ...and a URI that is not a URI reference fails its format.
    let log = json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "ramlint"}}, "results": [
        {"message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a b<c>.json"}}}]}
    ]}]});
    assert!(!violations(&log).is_empty(), "`a b<c>.json` passed as a uri-reference");
}

#[test]
fn examples_validate() {
    let (log, code) = check_sarif(&["examples/"], None);
    assert_eq!(code, 1, "the examples hold errors");
    assert!(!results(&log).is_empty());
    assert_valid("examples/", &log);
    assert_consistent("examples/", &log);
}

#[test]
fn every_invalid_fixture_validates() {
    let files = fixtures("invalid");
    assert!(files.len() >= 100, "only {} invalid fixtures found", files.len());
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let (log, code) = check_sarif(&args, None);
    assert_eq!(code, 1);
    assert_valid("fixtures/*/invalid*", &log);
    assert_consistent("fixtures/*/invalid*", &log);
    // Every file with a finding appears as an artifact location of some result.
    let uris: std::collections::BTreeSet<&str> = results(&log)
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap())
        .collect();
    let rules: std::collections::BTreeSet<&str> = results(&log).iter().map(|r| r["ruleId"].as_str().unwrap()).collect();
    assert!(uris.len() >= files.len() / 2, "{} of {} files have results", uris.len(), files.len());
    assert!(rules.len() >= 30, "only {} rules fired: {rules:?}", rules.len());
}

#[test]
fn a_few_invalid_fixtures_validate_one_by_one() {
    for file in [
        "fixtures/invalid-effect/invalid-typo-alow.json",
        "fixtures/json-syntax/invalid-trailing-comma.json",
        "fixtures/instance-type-mismatch/invalid-url-havip-with-eni-id.txt",
        "fixtures/recorded-error/invalid-jsonl-events.jsonl",
        "fixtures/policy-too-large/invalid-6145-characters.json",
    ] {
        assert!(Path::new(&root().join(file)).is_file(), "{file} is gone: pick another fixture");
        let (log, code) = check_sarif(&[file], None);
        assert!(code == 0 || code == 1, "{file}: exit code {code}");
        assert!(!results(&log).is_empty(), "{file}: no result");
        assert_valid(file, &log);
        assert_consistent(file, &log);
    }
}

#[test]
fn a_clean_run_validates() {
    let files = fixtures("valid");
    assert!(files.len() >= 30, "only {} valid fixtures found", files.len());
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let (log, code) = check_sarif(&args, None);
    assert_eq!(code, 0, "valid fixtures gave findings: {:#}", log["runs"][0]["results"]);
    assert!(results(&log).is_empty());
    assert_valid("fixtures/*/valid*", &log);
}

const ALOW_POLICY: &str =
    r#"{"Version":"1","Statement":[{"Effect":"Alow","Action":"vpc:DescribeEipAddresses","Resource":"*"}]}"#;

#[test]
fn standard_input_validates() {
    let (log, code) = check_sarif(&["-"], Some(ALOW_POLICY));
    assert_eq!(code, 1);
    assert_eq!(results(&log)[0]["ruleId"], "invalid-effect");
    assert_valid("standard input", &log);
}

#[test]
fn a_path_with_a_space_validates() {
    // `artifactLocation.uri` is a URI reference: a space in a file name must be percent-encoded.
    let dir = std::env::temp_dir().join(format!("ramlint sarif test {}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad policy.json");
    std::fs::write(&file, ALOW_POLICY).unwrap();
    let (log, code) = check_sarif(&[file.to_str().unwrap()], None);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(code, 1);
    assert_eq!(results(&log)[0]["ruleId"], "invalid-effect");
    assert_valid("a path with a space", &log);
}

/// Security rules carry GitHub's `security-severity` (high for error-level ones such as
/// `full-admin` and `public-role-trust`) and the `security` tag; other rules carry neither.
/// Every rule has its category as a tag, a `precision`, a `helpUri` to its page in the
/// repository and its page as `help.markdown`.
#[test]
fn security_rules_carry_a_security_severity() {
    let (log, code) = check_sarif(&["fixtures/public-role-trust/invalid-ram-star-array.json"], None);
    assert_eq!(code, 1);
    assert_valid("public trust", &log);
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let props = |id: &str| rules.iter().find(|r| r["id"] == id).unwrap()["properties"].clone();
    assert_eq!(props("public-role-trust")["security-severity"], "8.0");
    assert_eq!(props("full-admin")["security-severity"], "8.0");
    assert_eq!(props("privilege-escalation")["security-severity"], "5.0");
    assert_eq!(props("full-admin")["tags"], json!(["security"]));
    assert!(props("invalid-effect").get("security-severity").is_none());
    assert_eq!(props("invalid-effect")["tags"], json!(["syntax"]));
    assert_eq!(props("full-admin")["precision"], "very-high");
    assert_eq!(props("privilege-escalation")["precision"], "high");
    assert_eq!(props("redundant-action")["precision"], "medium");
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        assert_eq!(rule["helpUri"], format!("https://github.com/ramlint/ramlint/blob/main/docs/rules/{id}.md"));
        assert!(root().join(format!("docs/rules/{id}.md")).is_file(), "{id}: helpUri names a page that exists");
        assert!(rule["help"]["markdown"].as_str().unwrap().starts_with(&format!("# {id}")), "{id}: help.markdown");
        let props = &rule["properties"];
        assert!(["very-high", "high", "medium", "low"].contains(&props["precision"].as_str().unwrap()), "{id}");
        assert!(props["tags"].as_array().unwrap().contains(&props["category"]), "{id}: the category is a tag");
        assert_eq!(
            props.get("security-severity").is_some(),
            props["tags"].as_array().unwrap().contains(&json!("security")),
            "{id}: a security-severity exactly on the rules tagged security"
        );
    }
    let result = &results(&log)[0];
    assert_eq!((result["ruleId"].as_str(), result["level"].as_str()), (Some("public-role-trust"), Some("error")));
}
