//! Large untrusted inputs (issue 14, item 4): each input is many times larger than any real
//! policy (RAM caps a policy at 6,144 characters). These tests assert the results on them; that
//! the time stays near-linear is `scripts/complexity_check.py`'s job (CPU time of the release
//! build on n and 4n, run by `.ci/run`), never a wall-time budget in a test.

use crate::common::TempDir;

fn ramlint() -> assert_cmd::Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("ramlint");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Runs ramlint in `dir`; its exit code and standard output.
fn run(dir: &std::path::Path, args: &[&str]) -> (i32, String) {
    let output = ramlint().current_dir(dir).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "ramlint {args:?} panicked: {stderr}");
    (output.status.code().unwrap(), String::from_utf8_lossy(&output.stdout).into_owned())
}

/// `n` distinct statements, one repeated: about 120 bytes per statement.
fn statements(n: usize) -> String {
    let statements: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"Effect": "Allow", "Action": ["ecs:DescribeInstances"], "Resource": ["acs:ecs:cn-hangzhou:1234567890123456:instance/i-{:020}"]}}"#,
                i % (n - 1)
            )
        })
        .collect();
    format!("{{\"Version\": \"1\", \"Statement\": [\n  {}\n]}}\n", statements.join(",\n  "))
}

#[test]
fn many_statements_check_and_simulate() {
    let dir = TempDir::new("scale-statements");
    // 20,000 statements, 2.7 MB: duplicate-statement compared each with every earlier one.
    dir.write("p.json", statements(20_000));
    let (code, out) = run(dir.path(), &["check", "--no-config", "--format", "json", "p.json"]);
    assert_eq!(code, 1, "policy-too-large: {}", &out[..out.len().min(2000)]);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let repeats: Vec<&serde_json::Value> =
        report["diagnostics"].as_array().unwrap().iter().filter(|d| d["rule"] == "duplicate-statement").collect();
    assert_eq!(repeats.len(), 1, "the last statement repeats the first");
    assert_eq!(repeats[0]["pointer"], "/Statement/19999");
    // The text report draws every finding from the same large file.
    let (code, _) = run(dir.path(), &["check", "--no-config", "p.json"]);
    assert_eq!(code, 1);
    // An implicit deny draws every `Allow` statement with its text.
    let (code, out) = run(
        dir.path(),
        &[
            "simulate",
            "--no-config",
            "--policy",
            "p.json",
            "--action",
            "ecs:DescribeInstances",
            "--resource",
            "acs:ecs:cn-hangzhou:1234567890123456:instance/i-x",
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("/Statement/19998 (Allow) does not apply"), "{}", &out[out.len().saturating_sub(2000)..]);
}

#[test]
fn many_unknown_parameters_in_one_record() {
    let dir = TempDir::new("scale-params");
    // One record of 10,000 unknown parameters (220 KB on one line): each finding was placed by
    // searching the object's members and counting its columns from the record's start.
    let mut params = serde_json::Map::new();
    params.insert("Action".into(), "DescribeEipAddresses".into());
    params.insert("Version".into(), "2016-04-28".into());
    params.insert("RegionId".into(), "cn-hangzhou".into());
    for i in 0..10_000 {
        params.insert(format!("Unknown{i:05}"), "x".into());
    }
    let line = serde_json::Value::Object(params).to_string();
    dir.write("log.jsonl", format!("{line}\n{line}\n"));
    let (code, out) = run(dir.path(), &["audit", "--no-config", "--format", "json", "log.jsonl"]);
    // Warnings (`unknown-parameter`) fail by default.
    assert_eq!(code, 1, "{}", &out[..out.len().min(2000)]);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let unknown: Vec<&serde_json::Value> =
        report["diagnostics"].as_array().unwrap().iter().filter(|d| d["rule"] == "unknown-parameter").collect();
    assert_eq!(unknown.len(), 20_000);
    // Placed exactly: the key of `Unknown09999` on line 2.
    let last = unknown.iter().find(|d| d["pointer"] == "/Unknown09999" && d["record"] == 2).unwrap();
    let column = line.find("\"Unknown09999\"").unwrap() + 1;
    assert_eq!((last["line"].as_u64(), last["column"].as_u64()), (Some(2), Some(column as u64)));
}

#[test]
fn many_suppressions_text_report() {
    let dir = TempDir::new("scale-suppressions");
    // 8,000 suppressions that match nothing: 8,000 findings drawn from one 500 KB file.
    let mut toml = String::new();
    for i in 0..8_000 {
        toml.push_str(&format!(
            "[[suppress]]\nrule = \"unknown-action\"\npath = \"p{i}.json\"\nreason = \"reviewed\"\n\n"
        ));
    }
    dir.write("ramlint.toml", toml);
    dir.write(
        "p.json",
        r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": "*"}]}"#,
    );
    let (code, out) = run(dir.path(), &["check", "p.json"]);
    // `unused-suppression` is a warning, and warnings fail by default.
    assert_eq!(code, 1);
    assert_eq!(out.matches("unused-suppression").count(), 8_000);
    // The last one is drawn at its own line.
    assert!(out.contains("ramlint.toml:39996:1]"), "{}", &out[out.len().saturating_sub(1500)..]);
}
