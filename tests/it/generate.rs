//! `ramlint generate` through the binary, over ActionTrail logs written here: the policy only
//! grants what successful calls needed (no failed or rejected call), it lints clean with
//! `ramlint check`, and `ramlint audit --policy` replays the same calls without a deny; the same
//! with `--widen`; a log of thousands of EIPs yields a policy within RAM's size limit (exactly at
//! the limit the exact policy is kept); no successful call is an error (exit code 2).

use crate::common::gzip_cut_after;
use crate::common::TempDir;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const ACCOUNT: &str = "1234567890123456";
const EIP_A: &str = "eip-bp1m6u2o8y4r7t3w5q9z0";
const EIP_B: &str = "eip-bp1h3k7d2n9s4x6c8v1q5";
const EIP_C: &str = "eip-bp1k4t7x2m9q5w3e8r6y1";
const EIP_D: &str = "eip-2ze8w3r6t1y4u7i0o5p2a";
/// Only in failed or rejected calls: it must not be granted.
const EIP_FAILED: &str = "eip-bp1q9w8e7r6t5y4u3i2o1p0";
const INSTANCE: &str = "i-bp1c8k3n7s2q9x4v6m1t";
const HAVIP: &str = "havip-bp1d4f7g0h3j6k9l2z5x";
const NAT: &str = "ngw-bp1x7c4v1b8n5m2q9w6e";

/// RAM's limit on a policy document without insignificant whitespace.
const LIMIT: usize = 6144;

// ---------------------------------------------------------------------------------------------
// Logs

/// One ActionTrail event (a JSON Lines record) of a `Vpc` API; `error` is its `errorCode`
/// (empty: it succeeded).
fn event(n: usize, name: &str, region: &str, params: Value, error: &str) -> String {
    let mut params = params;
    params["RegionId"] = json!(region);
    let event = json!({
        "eventId": format!("3f6b2a10-8c4d-4e7f-9a1b-{n:012}"),
        "eventVersion": "1",
        "eventType": "ApiCall",
        "eventCategory": "Management",
        "eventName": name,
        "eventSource": "vpc.aliyuncs.com",
        "eventTime": format!("2026-03-02T{:02}:{:02}:00Z", 8 + n / 60 % 12, n % 60),
        "serviceName": "Vpc",
        "apiVersion": "2016-04-28",
        "acsRegion": region,
        "requestId": format!("5B1D2C3E-6A7F-4B8C-9D0E-{n:012}"),
        "requestParameters": params,
        "sourceIpAddress": "203.0.113.45",
        "userAgent": "AlibabaCloud (Linux; amd64) Python/3.12.3 Core/2.15.1",
        "userIdentity": {
            "type": "ram-user",
            "principalId": "276123456789012",
            "accountId": ACCOUNT,
            "accessKeyId": "LTAI5tDocExampleKey01",
            "userName": "eip-operator"
        },
        "errorCode": error,
        "errorMessage": if error.is_empty() { "" } else { "failed" },
    });
    serde_json::to_string(&event).unwrap()
}

/// The successful calls of the small log: an EIP unassociated from an ECS instance, EIPs
/// associated with a HaVip and a NAT gateway, releases in two regions, a listing.
fn successful() -> Vec<String> {
    vec![
        event(
            1,
            "UnassociateEipAddress",
            "cn-hangzhou",
            json!({"AllocationId": EIP_A, "InstanceId": INSTANCE, "InstanceType": "EcsInstance"}),
            "",
        ),
        event(
            2,
            "AssociateEipAddress",
            "cn-hangzhou",
            json!({"AllocationId": EIP_B, "InstanceId": HAVIP, "InstanceType": "HaVip"}),
            "",
        ),
        event(
            3,
            "AssociateEipAddress",
            "cn-hangzhou",
            json!({"AllocationId": EIP_C, "InstanceId": NAT, "InstanceType": "Nat"}),
            "",
        ),
        event(4, "ReleaseEipAddress", "cn-hangzhou", json!({"AllocationId": EIP_A}), ""),
        event(5, "ReleaseEipAddress", "cn-beijing", json!({"AllocationId": EIP_D}), ""),
        event(6, "DescribeEipAddresses", "cn-hangzhou", json!({"PageSize": 50}), ""),
    ]
}

/// Calls that did not succeed: two with an error code (one of an action no successful call
/// used), one the API would reject as recorded (an ECS `InstanceType` with a NAT gateway id).
fn unsuccessful() -> Vec<String> {
    vec![
        event(7, "ReleaseEipAddress", "cn-hangzhou", json!({"AllocationId": EIP_FAILED}), "IncorrectEipStatus"),
        event(
            8,
            "ModifyEipAddressAttribute",
            "cn-hangzhou",
            json!({"AllocationId": EIP_A, "Bandwidth": "5"}),
            "Forbidden.RAM",
        ),
        event(
            9,
            "UnassociateEipAddress",
            "cn-hangzhou",
            json!({"AllocationId": EIP_FAILED, "InstanceId": NAT, "InstanceType": "EcsInstance"}),
            "",
        ),
    ]
}

/// The successful calls with the unsuccessful ones interleaved (records 2, 5 and 8).
fn mixed() -> Vec<String> {
    let (ok, failed) = (successful(), unsuccessful());
    vec![
        ok[0].clone(),
        failed[0].clone(),
        ok[1].clone(),
        ok[2].clone(),
        failed[1].clone(),
        ok[3].clone(),
        ok[4].clone(),
        failed[2].clone(),
        ok[5].clone(),
    ]
}
const MIXED_UNSUCCESSFUL_RECORDS: [u64; 3] = [2, 5, 8];

fn jsonl(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// `n` distinct EIPs released, half in each of two regions.
fn many_releases(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let region = if i % 2 == 0 { "cn-hangzhou" } else { "cn-shanghai" };
            event(i, "ReleaseEipAddress", region, json!({"AllocationId": format!("eip-bp1{i:020}")}), "")
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Running the binary

fn ramlint(dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("ramlint");
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

/// `ramlint generate --no-config <args>` in `dir`: exit code, stdout, stderr.
fn generate_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = ramlint(dir).args(["generate", "--no-config"]).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "ramlint generate {args:?} panicked: {stderr}");
    (output.status.code().unwrap(), String::from_utf8(output.stdout).unwrap(), stderr)
}

/// Generates a policy from `log`, which must succeed; returns the policy's text and stderr.
fn generate(dir: &TempDir, log: &[String], extra: &[&str]) -> (String, String) {
    dir.write("calls.jsonl", jsonl(log));
    let (code, policy, stderr) = generate_in(dir.path(), &[extra, &["calls.jsonl"]].concat());
    assert_eq!(code, 0, "ramlint generate failed:\n{policy}\n{stderr}");
    (policy, stderr)
}

/// `ramlint check --format json <policy>`: the diagnostics, after checking the exit code.
fn check(dir: &TempDir, policy: &str) -> Vec<Value> {
    dir.write("generated.json", policy);
    let output =
        ramlint(dir.path()).args(["check", "--no-config", "--format", "json", "generated.json"]).output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("check printed no JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)));
    let diagnostics = report["diagnostics"].as_array().unwrap().clone();
    let code = output.status.code().unwrap();
    assert!(matches!(code, 0 | 1), "check exited with {code}: {}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(code == 0, diagnostics.iter().all(|d| d["severity"] != "error"), "{report:#}");
    diagnostics
}

/// `ramlint audit --format json --policy generated.json <log>`: the report.
fn audit(dir: &TempDir, policy: &str, log: &[String]) -> Value {
    dir.write("generated.json", policy);
    dir.write("replay.jsonl", jsonl(log));
    let output = ramlint(dir.path())
        .args(["audit", "--no-config", "--format", "json", "--progress", "never", "--policy", "generated.json"])
        .arg("replay.jsonl")
        .output()
        .unwrap();
    let code = output.status.code().unwrap();
    assert!(matches!(code, 0 | 1), "audit exited with {code}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("audit printed no JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)))
}

fn findings<'r>(report: &'r Value, rule: &str) -> Vec<&'r Value> {
    report["diagnostics"].as_array().unwrap().iter().filter(|d| d["rule"] == rule).collect()
}

/// Every call of `log` is allowed by `policy`, and every grant was used.
fn assert_replay_allows_all(dir: &TempDir, policy: &str, log: &[String]) {
    let report = audit(dir, policy, log);
    let p = &report["summary"]["policy"];
    assert_eq!(findings(&report, "denied-by-policy"), Vec::<&Value>::new(), "{policy}");
    assert_eq!(p["implicit_deny"], 0, "{p:#}");
    assert_eq!(p["explicit_deny"], 0, "{p:#}");
    assert_eq!(p["evaluated"], log.len(), "{p:#}");
    assert_eq!(p["allowed"], log.len(), "{p:#}");
    assert_eq!(findings(&report, "unused-permission"), Vec::<&Value>::new(), "every grant is used:\n{policy}");
}

// ---------------------------------------------------------------------------------------------
// Reading a generated policy

fn parse(policy: &str) -> Value {
    serde_json::from_str(policy).unwrap_or_else(|e| panic!("not JSON ({e}): {policy}"))
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().map(|i| i.as_str().unwrap().to_string()).collect(),
        other => panic!("not a string or list of strings: {other}"),
    }
}

fn statements(policy: &str) -> Vec<Value> {
    parse(policy)["Statement"].as_array().unwrap().clone()
}

fn actions(policy: &str) -> BTreeSet<String> {
    statements(policy).iter().flat_map(|s| strings(&s["Action"])).collect()
}

fn resources(policy: &str) -> BTreeSet<String> {
    statements(policy).iter().flat_map(|s| strings(&s["Resource"])).collect()
}

/// The resources granted for one action.
fn resources_of(policy: &str, action: &str) -> BTreeSet<String> {
    statements(policy)
        .iter()
        .filter(|s| strings(&s["Action"]).iter().any(|a| a == action))
        .flat_map(|s| strings(&s["Resource"]))
        .collect()
}

/// Characters without insignificant whitespace (what RAM's limit counts).
fn minified_len(policy: &str) -> usize {
    serde_json::to_string(&parse(policy)).unwrap().chars().count()
}

fn arn(region: &str, relative: &str) -> String {
    format!("acs:vpc:{region}:{ACCOUNT}:{relative}")
}

// ---------------------------------------------------------------------------------------------
// Tests

#[test]
fn the_policy_grants_exactly_the_successful_calls() {
    let dir = TempDir::new("exact");
    let (policy, stderr) = generate(&dir, &mixed(), &[]);
    assert!(stderr.is_empty(), "{stderr}");
    let p = parse(&policy);
    assert_eq!(p["Version"], "1");
    assert!(statements(&policy).iter().all(|s| s["Effect"] == "Allow" && s.get("Condition").is_none()));
    let expected: BTreeSet<String> =
        ["vpc:AssociateEipAddress", "vpc:DescribeEipAddresses", "vpc:ReleaseEipAddress", "vpc:UnassociateEipAddress"]
            .map(String::from)
            .into();
    assert_eq!(actions(&policy), expected, "{policy}");
    assert!(!policy.contains("ModifyEipAddressAttribute"), "a failed call is not granted:\n{policy}");
    assert!(!policy.contains(EIP_FAILED), "failed and rejected calls are not granted:\n{policy}");

    assert_eq!(
        resources_of(&policy, "vpc:AssociateEipAddress"),
        [
            arn("cn-hangzhou", &format!("eip/{EIP_B}")),
            arn("cn-hangzhou", &format!("eip/{EIP_C}")),
            arn("cn-hangzhou", &format!("havip/{HAVIP}")),
            arn("cn-hangzhou", &format!("natgateway/{NAT}")),
        ]
        .into(),
        "{policy}"
    );
    assert_eq!(
        resources_of(&policy, "vpc:ReleaseEipAddress"),
        [arn("cn-beijing", &format!("eip/{EIP_D}")), arn("cn-hangzhou", &format!("eip/{EIP_A}"))].into(),
        "{policy}"
    );
    // A listing names no EIP: it needs every EIP of the region.
    assert_eq!(resources_of(&policy, "vpc:DescribeEipAddresses"), [arn("cn-hangzhou", "eip/*")].into());
    let unassociate = resources_of(&policy, "vpc:UnassociateEipAddress");
    assert!(unassociate.contains(&arn("cn-hangzhou", &format!("eip/{EIP_A}"))), "{policy}");
    assert!(unassociate.iter().any(|r| r.ends_with(&format!("instance/{INSTANCE}"))), "{policy}");

    insta::assert_snapshot!("small_log", policy);
}

#[test]
fn the_policy_lints_clean_and_allows_the_replayed_calls() {
    let dir = TempDir::new("replay");
    let (policy, _) = generate(&dir, &mixed(), &[]);
    assert_eq!(check(&dir, &policy), Vec::<Value>::new(), "{policy}");
    assert_replay_allows_all(&dir, &policy, &successful());
}

/// Replaying the whole log, failures included: exactly the calls that did not succeed are
/// denied (implicitly: the policy has no `Deny`).
#[test]
fn only_the_unsuccessful_calls_are_denied_on_replay() {
    let dir = TempDir::new("replay-all");
    let (policy, _) = generate(&dir, &mixed(), &[]);
    let report = audit(&dir, &policy, &mixed());
    let denied: Vec<u64> =
        findings(&report, "denied-by-policy").iter().map(|d| d["record"].as_u64().unwrap()).collect();
    assert_eq!(denied, MIXED_UNSUCCESSFUL_RECORDS, "{report:#}");
    let p = &report["summary"]["policy"];
    assert_eq!(p["explicit_deny"], 0);
    assert_eq!(p["implicit_deny"], MIXED_UNSUCCESSFUL_RECORDS.len());
    assert_eq!(p["allowed"], successful().len());
}

#[test]
fn widened_resources_end_in_a_wildcard() {
    let dir = TempDir::new("widen");
    let (policy, stderr) = generate(&dir, &mixed(), &["--widen"]);
    assert!(stderr.is_empty(), "{stderr}");
    for r in resources(&policy) {
        assert!(r.ends_with("/*"), "`{r}` is not widened:\n{policy}");
    }
    for id in [EIP_A, EIP_B, EIP_C, EIP_D, EIP_FAILED, INSTANCE, HAVIP, NAT] {
        assert!(!policy.contains(id), "`{id}` is still named:\n{policy}");
    }
    assert_eq!(
        resources_of(&policy, "vpc:AssociateEipAddress"),
        [arn("cn-hangzhou", "eip/*"), arn("cn-hangzhou", "havip/*"), arn("cn-hangzhou", "natgateway/*")].into()
    );
    assert!(!policy.contains("ModifyEipAddressAttribute"), "{policy}");
    assert_eq!(check(&dir, &policy), Vec::<Value>::new(), "{policy}");
    assert_replay_allows_all(&dir, &policy, &successful());
}

#[test]
fn the_policy_does_not_depend_on_record_order_or_files() {
    let dir = TempDir::new("order");
    let (expected, _) = generate(&dir, &mixed(), &[]);
    let mut reversed = mixed();
    reversed.reverse();
    let (policy, _) = generate(&dir, &reversed, &[]);
    assert_eq!(policy, expected, "reversed records");
    // Split across two files, and a folder.
    let log = mixed();
    std::fs::create_dir_all(dir.path().join("logs")).unwrap();
    dir.write("logs/b.jsonl", jsonl(&log[..4]));
    dir.write("logs/a.jsonl", jsonl(&log[4..]));
    let (code, policy, stderr) = generate_in(dir.path(), &["logs/b.jsonl", "logs/a.jsonl"]);
    assert_eq!((code, policy.as_str()), (0, expected.as_str()), "{stderr}");
    let (code, policy, stderr) = generate_in(dir.path(), &["logs"]);
    assert_eq!((code, policy.as_str()), (0, expected.as_str()), "{stderr}");
    // Standard input.
    let output =
        ramlint(dir.path()).args(["generate", "--no-config", "-"]).write_stdin(jsonl(&mixed())).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), expected);
}

#[test]
fn the_example_log_with_an_account() {
    // RPC objects name no account: `--account` supplies it.
    let dir = TempDir::new("example");
    let example =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/requests/unassociate.jsonl"))
            .unwrap();
    let log: Vec<String> = example.lines().map(str::to_string).collect();
    let (policy, _) = generate(&dir, &log, &["--account", ACCOUNT]);
    assert!(resources(&policy).iter().all(|r| r.contains(&format!(":{ACCOUNT}:"))), "{policy}");
    assert_eq!(check(&dir, &policy), Vec::<Value>::new(), "{policy}");
}

/// An EIP associated with an ECS instance: the grant on the instance must lint clean too.
#[test]
fn associating_with_an_ecs_instance_lints_clean() {
    let dir = TempDir::new("ecs");
    let log = vec![event(
        1,
        "AssociateEipAddress",
        "cn-hangzhou",
        json!({"AllocationId": EIP_A, "InstanceId": INSTANCE, "InstanceType": "EcsInstance"}),
        "",
    )];
    for widen in [&[][..], &["--widen"][..]] {
        let (policy, _) = generate(&dir, &log, widen);
        assert!(resources(&policy).iter().any(|r| r.contains("instance/")), "{policy}");
        assert_eq!(check(&dir, &policy), Vec::<Value>::new(), "{policy}");
        assert_replay_allows_all(&dir, &policy, &log);
    }
}

/// Thousands of EIPs: the exact policy is far over RAM's limit, so it is widened until it fits,
/// and still allows every call.
#[test]
fn thousands_of_eips_fit_in_the_size_limit() {
    let dir = TempDir::new("large");
    let log = many_releases(2000);
    let (policy, stderr) = generate(&dir, &log, &[]);
    assert!(minified_len(&policy) <= LIMIT, "{} characters:\n{policy}", minified_len(&policy));
    assert!(stderr.contains("exceeds RAM's limit of 6144 characters"), "the widening is noted: {stderr}");
    assert_eq!(
        resources(&policy),
        [arn("cn-hangzhou", "eip/*"), arn("cn-shanghai", "eip/*")].into(),
        "widened to every EIP of each region:\n{policy}"
    );
    let diagnostics = check(&dir, &policy);
    assert!(findings(&json!({ "diagnostics": diagnostics }), "policy-too-large").is_empty());
    assert_eq!(diagnostics, Vec::<Value>::new(), "{policy}");
    assert_replay_allows_all(&dir, &policy, &log);
}

/// The EIP log whose exact policy is `target` characters long (minified): `n` EIPs, the last id
/// padded to reach the length.
fn sized_log(target: usize) -> Vec<String> {
    let id = |i: usize| format!("eip-bp1{i:020}");
    let document = |ids: &[String]| {
        let resources: Vec<String> = ids.iter().map(|id| arn("cn-hangzhou", &format!("eip/{id}"))).collect();
        serde_json::to_string(&json!({"Version": "1", "Statement": [
            {"Effect": "Allow", "Action": "vpc:ReleaseEipAddress", "Resource": resources}
        ]}))
        .unwrap()
        .chars()
        .count()
    };
    let mut ids: Vec<String> = (0..2).map(id).collect();
    loop {
        let mut more = ids.clone();
        more.push(id(ids.len()));
        if document(&more) > target {
            break;
        }
        ids = more;
    }
    let short = target - document(&ids);
    let last = ids.last_mut().unwrap();
    last.push_str(&"z".repeat(short));
    assert_eq!(document(&ids), target);
    ids.iter()
        .enumerate()
        .map(|(i, id)| event(i, "ReleaseEipAddress", "cn-hangzhou", json!({"AllocationId": id}), ""))
        .collect()
}

#[test]
fn a_policy_of_exactly_the_limit_is_kept_exact() {
    let dir = TempDir::new("boundary");
    let at_limit = sized_log(LIMIT);
    let (policy, stderr) = generate(&dir, &at_limit, &[]);
    assert!(stderr.is_empty(), "a policy of exactly {LIMIT} characters is not widened: {stderr}");
    assert_eq!(minified_len(&policy), LIMIT);
    assert_eq!(resources(&policy).len(), at_limit.len());
    assert_eq!(check(&dir, &policy), Vec::<Value>::new(), "{policy}");
    assert_replay_allows_all(&dir, &policy, &at_limit);

    let over = sized_log(LIMIT + 1);
    let (policy, stderr) = generate(&dir, &over, &[]);
    assert!(stderr.contains("exceeds RAM's limit"), "{stderr}");
    assert_eq!(resources(&policy), [arn("cn-hangzhou", "eip/*")].into(), "{policy}");
    assert_replay_allows_all(&dir, &policy, &over);
}

#[test]
fn no_successful_call_is_an_error() {
    let dir = TempDir::new("none");
    for (name, log) in [
        ("failed.jsonl", jsonl(&unsuccessful())),
        ("empty.jsonl", String::new()),
        (
            "unknown.jsonl",
            jsonl(&[r#"{"eventName":"DoSomething","eventType":"ApiCall","serviceName":"Nope","apiVersion":"2020-01-01","requestParameters":{},"errorCode":""}"#.to_string()]),
        ),
    ] {
        dir.write(name, log);
        let (code, stdout, stderr) = generate_in(dir.path(), &[name]);
        assert_eq!(code, 2, "{name}: {stdout}\n{stderr}");
        assert!(stdout.is_empty(), "{name}: no policy is printed: {stdout}");
        assert!(stderr.contains("no successful call"), "{name}: {stderr}");
    }
    let (code, stdout, stderr) = generate_in(dir.path(), &["missing.jsonl"]);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(stderr.contains("missing.jsonl"), "{stderr}");
}

/// 20,000 distinct EIPs: the exact policy cannot fit, so every id of the type is granted,
/// and the result still fits RAM's limit. (It runs in a second or two: `minimal` is linear
/// in the ids; a quadratic version took minutes here.)
#[test]
fn twenty_thousand_eips_widen_to_one_grant() {
    let dir = TempDir::new("scale");
    dir.write("calls.jsonl", jsonl(&many_releases(20_000)));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ramlint"))
        .current_dir(dir.path())
        .args(["generate", "--no-config", "calls.jsonl"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("eip/*"), "{text}");
    assert!(text.len() < 6144, "{}", text.len());
}

/// A catalog overlay whose `authorization.json` says `vpc:ReleaseEipAddress` has no
/// resource-level authorization (its calls are on `*`).
fn release_on_star_catalog(dir: &TempDir) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules/authorization.json");
    let mut data: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let entry =
        data["actions"].as_array_mut().unwrap().iter_mut().find(|a| a["action"] == "vpc:ReleaseEipAddress").unwrap();
    entry["resources"] = json!([]);
    dir.write("extra/authorization.json", serde_json::to_string_pretty(&data).unwrap());
}

#[test]
fn catalog_overlays_and_the_configuration_apply() {
    let dir = TempDir::new("generate-catalog");
    release_on_star_catalog(&dir);
    let log = [event(1, "ReleaseEipAddress", "cn-hangzhou", json!({"AllocationId": EIP_A}), "")];
    let (policy, _) = generate(&dir, &log, &[]);
    assert_eq!(resources(&policy), BTreeSet::from([arn("cn-hangzhou", &format!("eip/{EIP_A}"))]), "{policy}");
    let (policy, _) = generate(&dir, &log, &["--catalog", "extra"]);
    assert_eq!(resources(&policy), BTreeSet::from(["*".to_string()]), "{policy}");
    // The same overlay named by the `ramlint.toml` of the working folder.
    dir.write("ramlint.toml", "catalog = [\"extra\"]\n");
    let output = ramlint(dir.path()).args(["generate", "calls.jsonl"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let policy = String::from_utf8(output.stdout).unwrap();
    assert_eq!(resources(&policy), BTreeSet::from(["*".to_string()]), "{policy}");
}

// ---------------------------------------------------------------------------------------------
// Input that cannot be read (issue 14, item 7): said, and the run fails as `audit` fails

#[test]
fn a_truncated_gzip_or_invalid_utf8_fails_with_a_message() {
    let dir = TempDir::new("generate-unreadable");
    let ok = jsonl(&successful());
    dir.write("cut.jsonl.gz", gzip_cut_after(ok.as_bytes(), ok.as_bytes()));
    let (code, policy, stderr) = generate_in(dir.path(), &["cut.jsonl.gz"]);
    assert_eq!(code, 1, "{policy}\n{stderr}");
    assert!(stderr.contains("json-syntax") && stderr.contains("gzip"), "{stderr}");
    assert!(stderr.contains("the policy covers only the calls that were read"), "{stderr}");
    assert_eq!(actions(&policy), actions(&generate(&dir, &successful(), &[]).0), "the calls read are granted");
    // A record with a byte that is not UTF-8: unreadable, as `audit` counts it.
    let mut bytes = ok.clone().into_bytes();
    bytes.extend_from_slice(b"{\"eventName\": \"\xff\"}\n");
    dir.write("bad.jsonl", bytes);
    let (code, _, stderr) = generate_in(dir.path(), &["bad.jsonl"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("UTF-8"), "{stderr}");
}
