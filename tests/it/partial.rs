//! The interface of the Spark job (docs/spark.md), through the CLI and without Spark:
//! `audit --partial` per input, `audit --partial --facts` per key group, `merge` of every
//! part give byte for byte the report of one `audit` over the same files, with sequence
//! findings across files, a policy replay and suppressions used in both passes.

use crate::common::TempDir;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn event(api: &str, time: &str, params: &str) -> String {
    format!(
        r#"{{"eventName":"{api}","eventType":"ApiCall","serviceName":"Vpc","apiVersion":"2016-04-28","eventTime":"{time}","acsRegion":"cn-hangzhou","requestParameters":{{"RegionId":"cn-hangzhou",{params}}},"sourceIpAddress":"203.0.113.24","userIdentity":{{"type":"ram-user","accountId":"1234567890123456","userName":"netops"}},"errorCode":""}}"#
    )
}

const EIP_A: &str = r#""AllocationId":"eip-bp1m6u2o8y4r7t3w5q9z0","InstanceId":"i-bp1c8k3n7s2q9x4v6m1t""#;
const EIP_B: &str = r#""AllocationId":"eip-bp1h3k7d2n9s4x6c8v1q5","InstanceId":"i-bp1c8k3n7s2q9x4v6m1t""#;

/// Two logs whose sequence findings need both: a disassociation of one EIP in each (2 s
/// apart), a client token reused across them, two calls on one EIP at the same second (the
/// tie is broken by file, then record), per-record findings and an unreadable line.
fn project() -> TempDir {
    let dir = TempDir::new("partial");
    let a = [
        event("UnassociateEipAddress", "2025-03-04T08:15:02Z", EIP_A),
        event(
            "AllocateEipAddress",
            "2025-03-04T08:16:00Z",
            r#""Bandwidth":"5","ClientToken":"0c593ea1-3bea-11e9-b96b-88e9fe637760""#,
        ),
        event("DescribeEipAddresses", "2025-03-04T08:16:01Z", r#""PageSize":"10","AllocationID":"eip-x""#),
        "{\"Action\": \"UnassociateEipAddress\", }".to_string(),
        event("UnassociateEipAddress", "2025-03-04T08:20:00Z", EIP_B),
    ];
    let b = [
        event("UnassociateEipAddress", "2025-03-04T08:15:04Z", EIP_A),
        event(
            "AllocateEipAddress",
            "2025-03-04T08:17:00Z",
            r#""Bandwidth":"10","ClientToken":"0c593ea1-3bea-11e9-b96b-88e9fe637760""#,
        ),
        event("UnassociateEipAddress", "2025-03-04T08:20:00Z", EIP_B),
        event("ReleaseEipAddress", "2025-03-04T08:20:01Z", r#""AllocationId":"eip-bp1h3k7d2n9s4x6c8v1q5""#),
        event(
            "ReleaseEipAddress",
            "2025-03-04T08:25:00Z",
            r#""AllocationId":"eip-bp1m6u2o8y4r7t3w5q9z0","Force":"yes""#,
        ),
    ];
    dir.write("logs/a.jsonl", a.join("\n") + "\n");
    dir.write("logs/b.jsonl", b.join("\n") + "\n");
    dir.write("logs/c.url", "https://vpc.aliyuncs.com/?Action=DescribeEipAddresses&RegionId=cn-hangzhou&PageSize=10\n");
    dir.write(
        "policy.json",
        r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": ["vpc:UnassociateEipAddress", "vpc:DescribeEipAddresses", "vpc:DescribeVpcs"], "Resource": "*"}]}"#,
    );
    // One suppression used in pass 1, one in pass 2 only, one never (`unused-suppression`).
    dir.write(
        "ramlint.toml",
        "[[suppress]]\nrule = \"unknown-parameter\"\npath = \"logs/a.jsonl\"\nreason = \"pass 1\"\n\n\
         [[suppress]]\nrule = \"operation-while-pending\"\npath = \"logs/b.jsonl\"\nreason = \"pass 2\"\n\n\
         [[suppress]]\nrule = \"full-admin\"\npath = \"nothing.json\"\nreason = \"never\"\n",
    );
    dir
}

/// Runs ramlint in `dir`: (exit code, standard output).
fn ramlint(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> (i32, Vec<u8>) {
    use std::io::Write;
    let mut command = Command::new(env!("CARGO_BIN_EXE_ramlint"));
    command.current_dir(dir).args(args).env("RAMLINT_NOW", "2026-01-01T00:00:00Z");
    command.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped());
    let mut child = command.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or_default()).unwrap();
    drop(input);
    let output = child.wait_with_output().unwrap();
    (output.status.code().unwrap_or(-1), output.stdout)
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap()
}

/// The kind of a part's line (`finding`, `fact`, `summary`) and the line.
fn lines(output: &[u8]) -> Vec<(String, serde_json::Value, String)> {
    text(output)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let kind = v.as_object().unwrap().keys().next().unwrap().clone();
            (kind, v, l.to_string())
        })
        .collect()
}

/// Runs the passes the Spark job runs, by hand: pass 1 per input, the facts grouped by key
/// into `groups` pass-2 runs, and returns the finding and summary lines of every part.
fn parts(dir: &Path, groups: usize) -> Vec<String> {
    let (code, listed) = ramlint(dir, &["audit", "--list-inputs", "logs/"], None);
    assert_eq!(code, 0);
    let inputs: Vec<String> = lines(&listed).iter().map(|(_, v, _)| v["file"].as_str().unwrap().to_string()).collect();
    assert_eq!(inputs, ["logs/a.jsonl", "logs/b.jsonl", "logs/c.url"]);
    let mut kept = Vec::new();
    let mut by_group: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for input in &inputs {
        let (code, out) = ramlint(dir, &["audit", "--partial", "--policy", "policy.json", input], None);
        assert_eq!(code, 0, "{}", text(&out));
        for (kind, v, line) in lines(&out) {
            if kind == "fact" {
                let key = v["fact"]["key"].as_str().unwrap();
                let group = key.bytes().map(usize::from).sum::<usize>() % groups;
                by_group.entry(group).or_default().push(line);
            } else {
                kept.push(line);
            }
        }
    }
    assert!(by_group.values().map(Vec::len).sum::<usize>() >= 8, "the logs have facts in both orders");
    for group in 0..groups {
        let facts = by_group.remove(&group).unwrap_or_default().join("\n");
        let (code, out) = ramlint(dir, &["audit", "--partial", "--facts", "-"], Some(facts.as_bytes()));
        assert_eq!(code, 0, "{}", text(&out));
        for (kind, _, line) in lines(&out) {
            assert_ne!(kind, "fact");
            kept.push(line);
        }
    }
    kept
}

#[test]
fn parts_merge_into_the_whole_audit() {
    let dir = project();
    let whole_args = ["audit", "--format", "json", "--policy", "policy.json", "logs/"];
    let (whole_code, whole) = ramlint(dir.path(), &whole_args, None);
    assert_eq!(whole_code, 1);
    let report: serde_json::Value = serde_json::from_slice(&whole).unwrap();
    let by_rule = &report["summary"]["by_rule"];
    for rule in [
        "concurrent-operation",
        "client-token-reuse",
        "denied-by-policy",
        "unused-permission",
        "unused-suppression",
        "json-syntax",
        "unknown-parameter",
    ] {
        assert!(by_rule[rule].as_u64().unwrap_or(0) >= 1, "the whole audit reports `{rule}`: {by_rule}");
    }
    // Suppressed: `unknown-parameter` in a.jsonl (pass 1), `operation-while-pending` (pass 2).
    assert_eq!(by_rule["unknown-parameter"], 1, "b.jsonl's only: {by_rule}");
    assert!(by_rule.get("operation-while-pending").is_none(), "{by_rule}");
    assert_eq!(by_rule["unused-suppression"], 1, "the pass-2 suppression counts as used");
    let (_, unsuppressed) = ramlint(dir.path(), &["audit", "--format", "json", "--no-config", "logs/"], None);
    let unsuppressed: serde_json::Value = serde_json::from_slice(&unsuppressed).unwrap();
    assert_eq!(unsuppressed["summary"]["by_rule"]["operation-while-pending"], 1);
    assert_eq!(unsuppressed["summary"]["by_rule"]["unknown-parameter"], 2);

    for groups in [1, 3] {
        let mut kept = parts(dir.path(), groups);
        for order in [false, true] {
            if order {
                kept.reverse();
            }
            dir.write("parts.jsonl", kept.join("\n") + "\n");
            for format in ["json", "sarif", "text"] {
                let merge_args = ["merge", "--format", format, "--policy", "policy.json", "parts.jsonl"];
                let (code, merged) = ramlint(dir.path(), &merge_args, None);
                let audit_args = ["audit", "--format", format, "--policy", "policy.json", "logs/"];
                let (_, whole) = ramlint(dir.path(), &audit_args, None);
                assert_eq!(code, whole_code, "{}", text(&merged));
                assert_eq!(text(&merged), text(&whole), "{format}, {groups} key groups, reversed {order}");
            }
        }
    }
}

#[test]
fn merge_refuses_parts_that_do_not_fit() {
    let dir = project();
    let (_, pass1) = ramlint(dir.path(), &["audit", "--partial", "--policy", "policy.json", "logs/a.jsonl"], None);
    dir.write("with-facts.jsonl", &pass1);
    // A fact line: pass 2 has not run.
    let (code, out) = ramlint(dir.path(), &["merge", "--policy", "policy.json", "with-facts.jsonl"], None);
    assert_eq!(code, 2, "{}", text(&out));
    let rest: Vec<String> = lines(&pass1).into_iter().filter(|(k, _, _)| k != "fact").map(|(_, _, l)| l).collect();
    dir.write("part.jsonl", rest.join("\n"));
    // The parts replayed a policy that merge is not given, and the reverse.
    assert_eq!(ramlint(dir.path(), &["merge", "part.jsonl"], None).0, 2);
    let (_, plain) = ramlint(dir.path(), &["audit", "--partial", "logs/c.url"], None);
    let plain: Vec<String> = lines(&plain).into_iter().filter(|(k, _, _)| k != "fact").map(|(_, _, l)| l).collect();
    dir.write("plain.jsonl", plain.join("\n"));
    assert_eq!(ramlint(dir.path(), &["merge", "--policy", "policy.json", "plain.jsonl"], None).0, 2);
    // Another configuration (no suppressions) than the parts ran with.
    assert_eq!(ramlint(dir.path(), &["merge", "--no-config", "--policy", "policy.json", "part.jsonl"], None).0, 2);
    // Not a part at all; no summary.
    dir.write("policy-as-part.jsonl", "{\"Version\": \"1\"}\n");
    assert_eq!(ramlint(dir.path(), &["merge", "policy-as-part.jsonl"], None).0, 2);
    dir.write("empty.jsonl", "");
    assert_eq!(ramlint(dir.path(), &["merge", "empty.jsonl"], None).0, 2);
    // Pass 2 reads facts only.
    assert_eq!(ramlint(dir.path(), &["audit", "--partial", "--facts", "part.jsonl"], None).0, 2);
}

/// Facts that no pass 1 wrote (an unknown resource kind, ids and times at the limits, a record
/// number past `u32`) are judged without a crash; lines that are not facts stop the run with a
/// usage error naming the line, never a panic.
#[test]
fn odd_facts_are_no_crash() {
    let dir = TempDir::new("partial-odd");
    let fact = |kind: &str, time: &str, record: &str| {
        format!(
            r#"{{"fact":{{"key":"resource:{kind}:x","file":"a","record":{record},"api":"UnassociateEipAddress","time":{time},"fingerprint":"0000000000000000","query":false,"accepted":true,"in_event":false,"resource":{{"kind":{kind},"id":"x","at":[1,1,2]}}}}}}"#
        )
    };
    let odd = [
        fact("0", "1125899906842624", "1"),
        fact("0", "-1125899906842624", "2"),
        fact("0", "1125899906842623", "99999999999"),
        fact("9999", "0", "null"),
        fact("0", "null", "3"),
    ]
    .join("\n");
    let (code, out) = ramlint(dir.path(), &["audit", "--partial", "--facts", "-"], Some(odd.as_bytes()));
    assert_eq!(code, 0, "{}", text(&out));
    assert_eq!(lines(&out).last().unwrap().0, "summary");
    for bad in [
        r#"{"fact":{"key":"k"}}"#.to_string(),
        fact("0", "1", "1").replace(r#""resource""#, r#""token":{"hash":"zz","at":[1,1,1]},"resource""#),
        fact("0", "1", "1").replace("[1,1,2]", "[1,1]"),
        "[".repeat(100_000),
        fact("0", "9223372036854775807", "1") + "\n" + &fact("0", "-9223372036854775807", "2"),
        "not json".to_string(),
    ] {
        let (code, out) = ramlint(dir.path(), &["audit", "--partial", "--facts", "-"], Some(bad.as_bytes()));
        assert_eq!(code, 2, "{bad:.80}: {}", text(&out));
        let (code, _) = ramlint(dir.path(), &["merge", "-"], Some(bad.as_bytes()));
        assert_eq!(code, 2, "{bad:.80}");
    }
    // `--partial` writes JSON Lines only: another format is a usage error.
    assert_eq!(ramlint(dir.path(), &["audit", "--partial", "--format", "sarif", "-"], Some(b"")).0, 2);
}
