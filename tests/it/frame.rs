//! One framer for `check` and `audit`: the same inputs (invalid UTF-8 in one line, a byte order
//! mark, CRLF, blank lines, a broken line, a delivery array, URL lines, gzip whole and cut)
//! give the same diagnostics and the same record counts under both commands.

use crate::common::TempDir;
use crate::common::{gzip, gzip_cut_after};
use serde_json::Value;
use std::path::Path;

/// Rules only `audit` runs (sequences across records): not part of the comparison.
const AUDIT_ONLY: &[&str] = &["client-token-reuse", "concurrent-operation", "operation-while-pending"];

fn run(dir: &Path, command: &str, files: &[&str]) -> Value {
    let output = assert_cmd::cargo::cargo_bin_cmd!("ramlint")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args([command, "--format", "json", "--no-config"])
        .args(files)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(matches!(output.status.code(), Some(0 | 1)), "{command} {files:?}: {stderr}");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("{command} {files:?} printed no JSON ({e}): {}", String::from_utf8_lossy(&output.stdout))
    })
}

type Row = (String, String, Option<u64>, u64, u64, u64, u64, String);

/// (rule, file, record, line, column, end line, end column, message) of every diagnostic.
fn rows(report: &Value) -> Vec<Row> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| !AUDIT_ONLY.contains(&d["rule"].as_str().unwrap()))
        .map(|d| {
            let n = |k: &str| d[k].as_u64().unwrap();
            (
                d["rule"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["record"].as_u64(),
                n("line"),
                n("column"),
                n("end_line"),
                n("end_column"),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn count(report: &Value, key: &str) -> u64 {
    report["summary"][key].as_u64().unwrap_or_else(|| panic!("no summary.{key}: {}", report["summary"]))
}

fn rpc(region: &str, extra: &str) -> String {
    format!(r#"{{"Action":"DescribeEipAddresses","Version":"2016-04-28","RegionId":"{region}"{extra}}}"#)
}

fn event(api: &str, params: &str) -> String {
    format!(
        r#"{{"eventVersion":"1","eventName":"{api}","eventType":"ApiCall","serviceName":"Vpc","apiVersion":"2016-04-28","eventTime":"2026-01-01T00:00:00Z","acsRegion":"cn-hangzhou","requestParameters":{{{params}}}}}"#
    )
}

/// Writes the mixed inputs; returns their names.
fn inputs(dir: &TempDir) -> Vec<&'static str> {
    let mut utf8 = Vec::new();
    utf8.extend(rpc("cn-hangzhou", "").as_bytes());
    utf8.push(b'\n');
    utf8.extend(rpc("cn-hang\u{1}zhou", r#","Foo":1"#).replace('\u{1}', "\u{ff}").as_bytes());
    // The byte itself, not its UTF-8 encoding.
    let at = utf8.windows(2).position(|w| w == "\u{ff}".as_bytes()).unwrap();
    utf8.splice(at..at + 2, [0xff]);
    utf8.push(b'\n');
    utf8.extend(rpc("cn-hangzou", "").as_bytes());
    utf8.push(b'\n');
    dir.write("utf8.jsonl", utf8);

    let lines = [
        rpc("cn-hangzhou", r#","Foo":1"#),
        String::new(),
        "  ".into(),
        rpc("cn-hangzhou", "").replace('}', ""),
        rpc("cn-beijing", ""),
    ];
    dir.write("bom-crlf.jsonl", format!("\u{feff}{}\r\n", lines.join("\r\n")));

    let array = format!(
        "[\n  {},\n  {},\n  {{\"eventName\": 1}}\n]\n",
        event("DescribeEipAddresses", r#""RegionId":"cn-hangzhou""#),
        event("DescribeEipAddresses", r#""RegionId":"cn-hangzhou","Bar":"x""#)
    );
    dir.write("delivery.json", array);

    dir.write(
        "calls.txt",
        "https://vpc.aliyuncs.com/?Action=DescribeEipAddresses&Version=2016-04-28&RegionId=cn-hangzhou\n&Foo=1\n\n  &Bar=2\nAction=DescribeEipAddresses&Version=2016-04-28&RegionId=cn-hangzou\n",
    );

    let log: Vec<String> =
        (0..6).map(|i| if i % 2 == 0 { rpc("cn-hangzhou", "") } else { rpc("cn-hangzou", "") }).collect();
    dir.write("calls.jsonl.gz", gzip(log.join("\n").as_bytes()));
    let text = log.join("\n");
    let cut = text.len() - log[5].len() / 2;
    dir.write("cut.jsonl.gz", gzip_cut_after(&text.as_bytes()[..cut], &text.as_bytes()[cut..]));

    let policy = "{\n  \"Version\": \"1\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"vpc:Describe\u{1}*\", \"Resource\": \"*\"}]\n}\n";
    let mut bytes = policy.as_bytes().to_vec();
    let at = bytes.iter().position(|&b| b == 1).unwrap();
    bytes[at] = 0xfe;
    dir.write("latin1.json", bytes);
    let policy = policy.replace('\u{1}', "");
    let full = gzip(policy.as_bytes());
    dir.write("cut-policy.json.gz", &full[..full.len() / 2]);

    dir.write("one.jsonl", rpc("cn-hangzou", "") + "\n");
    vec![
        "bom-crlf.jsonl",
        "calls.jsonl.gz",
        "calls.txt",
        "cut-policy.json.gz",
        "cut.jsonl.gz",
        "delivery.json",
        "latin1.json",
        "one.jsonl",
        "utf8.jsonl",
    ]
}

#[test]
fn check_and_audit_read_the_same_records_the_same_way() {
    let dir = TempDir::new("frame-same");
    let files = inputs(&dir);
    let mut requests = 0;
    for file in &files {
        let check = run(dir.path(), "check", &[file]);
        let audit = run(dir.path(), "audit", &[file]);
        assert_eq!(rows(&check), rows(&audit), "{file}: check and audit report the same\n{check}\n{audit}");
        if *file != "latin1.json" && *file != "cut-policy.json.gz" {
            assert!(!rows(&check).is_empty(), "{file} has findings: {check}");
        }
        assert_eq!(count(&check, "records"), count(&audit, "records"), "{file}: the same records");
        let [records, linted, skipped, unreadable] =
            ["records", "linted", "skipped", "unreadable"].map(|k| count(&audit, k));
        assert_eq!(records, linted + skipped + unreadable, "{file}: {}", audit["summary"]);
        // Every unreadable record has its one finding.
        let unreadable_findings = rows(&audit)
            .iter()
            .filter(|r| r.2.is_some() && ["json-syntax", "not-a-request"].contains(&r.0.as_str()))
            .count();
        assert_eq!(unreadable as usize, unreadable_findings, "{file}: {audit}");
        requests += records;
    }
    // All files at once: the same again, in the same order.
    let check = run(dir.path(), "check", &files);
    let audit = run(dir.path(), "audit", &files);
    assert_eq!(rows(&check), rows(&audit));
    assert_eq!(count(&check, "records"), requests);
    assert_eq!(count(&audit, "records"), requests);
}

#[test]
fn invalid_utf8_in_one_line_makes_that_record_unreadable_only() {
    let dir = TempDir::new("frame-utf8");
    inputs(&dir);
    for command in ["check", "audit"] {
        let report = run(dir.path(), command, &["utf8.jsonl"]);
        let found: Vec<(String, Option<u64>, u64, u64)> =
            rows(&report).into_iter().map(|r| (r.0, r.2, r.3, r.4)).collect();
        // Record 2 is unreadable at its bad byte (column 76: after `..."RegionId":"cn-hang`);
        // records 1 and 3 are linted (3 has a misspelt region).
        assert_eq!(
            found,
            [("json-syntax".to_string(), Some(2), 2, 76), ("invalid-parameter-format".to_string(), Some(3), 3, 68)],
            "{command}: {report}"
        );
        assert_eq!(count(&report, "records"), 3, "{command}");
        let message = report["diagnostics"][0]["message"].as_str().unwrap();
        assert_eq!(message, "the file is not valid UTF-8 (invalid byte at offset 157)", "{command}");
        if command == "audit" {
            assert_eq!((count(&report, "linted"), count(&report, "unreadable")), (2, 1));
        }
    }
}

#[test]
fn invalid_utf8_in_a_policy_is_one_finding_at_the_byte() {
    let dir = TempDir::new("frame-policy");
    inputs(&dir);
    for command in ["check", "audit"] {
        let report = run(dir.path(), command, &["latin1.json"]);
        let found: Vec<(String, Option<u64>, u64)> = rows(&report).into_iter().map(|r| (r.0, r.2, r.3)).collect();
        assert_eq!(found, [("json-syntax".to_string(), None, 3)], "{command}: {report}");
        assert_eq!(count(&report, "records"), 0, "{command}");
    }
}

#[test]
fn logs_larger_than_an_audit_block_frame_the_same() {
    // About 2.5 MiB each, so that `audit` reads them in three blocks of about 1 MiB.
    let dir = TempDir::new("frame-big");
    let mut jsonl = b"\xef\xbb\xbf".to_vec();
    let mut urls = Vec::new();
    for i in 0..30_000 {
        let region = if i % 1000 == 7 { "cn-hangzou" } else { "cn-hangzhou" };
        jsonl.extend(rpc(region, "").as_bytes());
        jsonl.extend(b"\r\n");
        if i % 9000 == 8999 {
            // An invalid byte in a line of a later block: its offset counts the blocks before.
            let at = jsonl.len() - 10;
            jsonl.insert(at, 0xc0);
        }
        urls.extend(format!("Action=DescribeEipAddresses&Version=2016-04-28&RegionId={region}\n").as_bytes());
        for k in 0..(i % 3) {
            urls.extend(format!("{}&Tag.{k}.Key=t\n", if k == 1 { "\n" } else { "" }).as_bytes());
        }
    }
    assert!(jsonl.len() > 2 << 20 && urls.len() > 2 << 20);
    dir.write("big.jsonl", &jsonl);
    dir.write("big.jsonl.gz", gzip(&jsonl));
    dir.write("big.log", &urls);
    for file in ["big.jsonl", "big.jsonl.gz", "big.log"] {
        let check = run(dir.path(), "check", &[file]);
        let audit = run(dir.path(), "audit", &[file]);
        assert_eq!(rows(&check), rows(&audit), "{file}");
        assert_eq!(count(&check, "records"), count(&audit, "records"), "{file}");
        assert_eq!(count(&audit, "records"), 30_000, "{file}");
        let unreadable = if file.starts_with("big.jsonl") { 3 } else { 0 };
        assert_eq!(count(&audit, "unreadable"), unreadable, "{file}: {}", audit["summary"]);
    }
}

#[test]
fn simulate_reads_the_first_record_through_the_same_framer() {
    let data = crate::common::root().join("tests/data/eval");
    let event: Value =
        serde_json::from_str(&std::fs::read_to_string(data.join("release-event.json")).unwrap()).unwrap();
    let dir = TempDir::new("frame-simulate");
    let mut log = format!("\u{feff}{event}\r\n").into_bytes();
    log.extend(b"{\"Action\":\"\xff\"}\r\n");
    dir.write("log.jsonl", &log);
    dir.write("log.jsonl.gz", gzip(&log));
    let mut bad = b"{\"Action\":\"\xff\"}\n".to_vec();
    bad.extend(event.to_string().as_bytes());
    dir.write("bad.jsonl", &bad);
    let simulate = |file: &str| {
        let output = assert_cmd::cargo::cargo_bin_cmd!("ramlint")
            .current_dir(dir.path())
            .args(["simulate", "--format", "json", "--context", "acs:CurrentTime=2026-03-02T09:00:00Z", "--policy"])
            .arg(data.join("operator.json"))
            .arg(data.join("guard.json"))
            .args(["--request", file])
            .output()
            .unwrap();
        (
            output.status.code().unwrap(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, expected, _) = simulate(data.join("release-event.json").to_str().unwrap());
    assert_eq!(code, 1);
    for file in ["log.jsonl", "log.jsonl.gz"] {
        let (code, stdout, stderr) = simulate(file);
        assert_eq!((code, &stdout), (1, &expected), "{file}: {stderr}");
    }
    // The first record is not UTF-8: nothing to evaluate.
    let (code, _, stderr) = simulate("bad.jsonl");
    assert_eq!(code, 2);
    assert!(stderr.contains("not valid UTF-8") && stderr.contains("offset 11)"), "{stderr}");
}
