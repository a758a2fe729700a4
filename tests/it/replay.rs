//! `ramlint audit --policy` on single recorded calls: how a record becomes the request RAM
//! authorizes (action, resources, account, caller), seen through the replay's decisions.

use crate::common::TempDir;
use serde_json::{json, Value};

const ACCOUNT: &str = "1234567890123456";
const EIP: &str = "eip-bp1m6u2o8y4r7t3w5q9z0";

fn event(service: &str, version: &str, name: &str, params: Value) -> Value {
    json!({
        "eventType": "ApiCall", "eventName": name, "serviceName": service, "apiVersion": version,
        "eventTime": "2025-03-04T12:00:00Z", "acsRegion": "cn-hangzhou", "requestParameters": params,
        "sourceIpAddress": "203.0.113.24",
        "userIdentity": {"type": "ram-user", "accountId": ACCOUNT, "userName": "netops", "accessKeyId": "LTAI5tNetops"},
        "errorCode": ""
    })
}

fn policy(statements: Value) -> String {
    json!({"Version": "1", "Statement": statements}).to_string()
}

/// The replay's summary and its `denied-by-policy` messages.
fn replay(policy: &str, record: &Value, extra: &[&str]) -> (Value, Vec<String>) {
    let dir = TempDir::new("replay");
    dir.write("policy.json", policy);
    dir.write("log.jsonl", format!("{record}\n"));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ramlint"))
        .current_dir(dir.path())
        .args(["audit", "--no-config", "--format", "json", "--policy", "policy.json"])
        .args(extra)
        .arg("log.jsonl")
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let denied = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "denied-by-policy")
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect();
    (report["summary"]["policy"].clone(), denied)
}

fn eip_grant(extra_resources: &[&str]) -> String {
    let mut resources = vec![format!("acs:vpc:*:{ACCOUNT}:eip/*")];
    resources.extend(extra_resources.iter().map(|r| r.to_string()));
    policy(json!([{"Effect": "Allow", "Action": "vpc:UnassociateEipAddress", "Resource": resources}]))
}

#[test]
fn unassociating_from_a_havip_needs_the_havip() {
    let record = event(
        "Vpc",
        "2016-04-28",
        "UnassociateEipAddress",
        json!({"RegionId": "cn-hangzhou", "AllocationId": EIP, "InstanceId": "havip-bp1h3k7d2n9s4x6c8v1q5", "InstanceType": "HaVip"}),
    );
    let (_, denied) = replay(&eip_grant(&[]), &record, &[]);
    assert_eq!(denied.len(), 1);
    assert!(
        denied[0].contains(&format!("acs:vpc:cn-hangzhou:{ACCOUNT}:havip/havip-bp1h3k7d2n9s4x6c8v1q5")),
        "{denied:?}"
    );
    let (summary, denied) = replay(&eip_grant(&["acs:vpc:*:*:havip/*"]), &record, &[]);
    assert!(denied.is_empty(), "{denied:?}");
    assert_eq!(summary["allowed"], 1);
}

#[test]
fn the_ecs_copy_of_the_api_has_no_resource_level_authorization() {
    let record = event(
        "Ecs",
        "2014-05-26",
        "UnassociateEipAddress",
        json!({"RegionId": "cn-hangzhou", "AllocationId": EIP, "InstanceId": "i-bp1c8k3n7s2q9x4v6m1t"}),
    );
    let scoped = eip_grant(&["acs:ecs:*:*:instance/*"]);
    let (_, denied) = replay(&scoped, &record, &[]);
    assert_eq!(denied, vec!["the policy would deny `vpc:UnassociateEipAddress` on `*`".to_string()]);
    let everything = policy(json!([{"Effect": "Allow", "Action": "vpc:UnassociateEipAddress", "Resource": "*"}]));
    assert!(replay(&everything, &record, &[]).1.is_empty());
}

#[test]
fn assume_role_is_authorized_on_the_role_it_names() {
    let role = format!("acs:ram::{ACCOUNT}:role/netops-admin");
    let record = event("Sts", "2015-04-01", "AssumeRole", json!({"RoleArn": role, "RoleSessionName": "s"}));
    let grant = policy(
        json!([{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": format!("acs:ram:*:{ACCOUNT}:role/netops-*")}]),
    );
    let (summary, denied) = replay(&grant, &record, &[]);
    assert!(denied.is_empty(), "{denied:?}");
    assert_eq!(summary["allowed"], 1);
    let other =
        policy(json!([{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "acs:ram:*:*:role/readonly"}]));
    assert_eq!(replay(&other, &record, &[]).1.len(), 1);
}

#[test]
fn the_caller_is_the_event_identity_not_a_parameter() {
    let record = event(
        "Vpc",
        "2016-04-28",
        "UnassociateEipAddress",
        json!({"RegionId": "cn-hangzhou", "AllocationId": EIP, "AccessKeyId": "LTAI5tSomethingElse"}),
    );
    let (summary, _) = replay(&eip_grant(&[]), &record, &[]);
    let principals: Vec<&String> = summary["principals"].as_object().unwrap().keys().collect();
    assert_eq!(principals, vec!["netops"]);
}

#[test]
fn a_null_id_names_no_resource() {
    let record =
        event("Vpc", "2016-04-28", "ReleaseEipAddress", json!({"RegionId": "cn-hangzhou", "AllocationId": null}));
    let one = policy(
        json!([{"Effect": "Allow", "Action": "vpc:ReleaseEipAddress", "Resource": format!("acs:vpc:*:*:eip/{EIP}")}]),
    );
    let (_, denied) = replay(&one, &record, &[]);
    assert_eq!(denied.len(), 1);
    assert!(denied[0].contains(":eip/*`"), "{denied:?}");
}

#[test]
fn a_record_without_account_is_judged_on_everything_else() {
    let rpc =
        json!({"Action": "ReleaseEipAddress", "Version": "2016-04-28", "RegionId": "cn-hangzhou", "AllocationId": EIP});
    let grant = policy(
        json!([{"Effect": "Allow", "Action": "vpc:ReleaseEipAddress", "Resource": format!("acs:vpc:cn-hangzhou:{ACCOUNT}:eip/*")}]),
    );
    assert!(replay(&grant, &rpc, &[]).1.is_empty());
    assert!(replay(&grant, &rpc, &["--account", ACCOUNT]).1.is_empty());
    assert_eq!(replay(&grant, &rpc, &["--account", "6543210987654321"]).1.len(), 1);
    let beijing = policy(
        json!([{"Effect": "Allow", "Action": "vpc:ReleaseEipAddress", "Resource": "acs:vpc:cn-beijing:*:eip/*"}]),
    );
    assert_eq!(replay(&beijing, &rpc, &[]).1.len(), 1, "a known region still has to match");
}

/// Runs `ramlint` in `dir` with `args`: exit code, standard output, standard error.
fn run_in(dir: &TempDir, args: &[&str]) -> (i32, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ramlint"))
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (output.status.code().unwrap(), text(&output.stdout), text(&output.stderr))
}

/// A policy that allows `DescribeEipAddresses` from one network, and `DescribeVpcs` under a
/// `Deny` of the same; a log of RPC objects (no source IP) calling both.
fn honest_unknowns() -> TempDir {
    let dir = TempDir::new("unknowns");
    dir.write(
        "policy.json",
        policy(json!([
            {"Effect": "Allow", "Action": "vpc:DescribeEipAddresses", "Resource": "*",
             "Condition": {"IpAddress": {"acs:SourceIp": "10.0.0.0/8"}}},
            {"Effect": "Allow", "Action": "vpc:DescribeVpcs", "Resource": "*"},
            {"Effect": "Deny", "Action": "vpc:DescribeVpcs", "Resource": "*"}
        ])),
    );
    dir.write(
        "log.jsonl",
        "{\"Action\":\"DescribeEipAddresses\",\"Version\":\"2016-04-28\",\"RegionId\":\"cn-hangzhou\"}\n\
         {\"Action\":\"DescribeVpcs\",\"Version\":\"2016-04-28\",\"RegionId\":\"cn-hangzhou\"}\n",
    );
    dir
}

fn diagnostics_of(out: &str) -> (Value, Vec<(String, String, String)>) {
    let report: Value = serde_json::from_str(out).unwrap();
    let found = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (s("rule"), s("message"), s("help"))
        })
        .collect();
    (report, found)
}

#[test]
fn a_decision_on_a_key_the_record_lacks_is_undetermined_not_denied() {
    let dir = honest_unknowns();
    let (_, out, _) =
        run_in(&dir, &["audit", "--no-config", "--format", "json", "--policy", "policy.json", "log.jsonl"]);
    let (report, found) = diagnostics_of(&out);
    let policy = &report["summary"]["policy"];
    assert_eq!((policy["undetermined"].as_u64(), policy["explicit_deny"].as_u64()), (Some(1), Some(1)), "{policy}");
    assert_eq!(policy["implicit_deny"], 0, "the undetermined call is not counted as denied");
    let undetermined = found.iter().find(|(_, m, _)| m.contains("depends on")).unwrap();
    assert_eq!(
        undetermined.1,
        "the decision on `vpc:DescribeEipAddresses` depends on `acs:SourceIp`, which the record does not carry"
    );
    assert!(undetermined.2.contains("--context acs:SourceIp=VALUE"), "{}", undetermined.2);
    // The denied call's help names the command that shows its trace.
    let denied = found.iter().find(|(_, m, _)| m.contains("explicitly deny")).unwrap();
    assert!(
        denied.2.ends_with("`ramlint simulate --policy policy.json --request log.jsonl --record 2`"),
        "{}",
        denied.2
    );
    // Neither grant is called unused: one is pending a key, the other was overruled.
    let unused: Vec<&String> = found.iter().filter(|(r, _, _)| r == "unused-permission").map(|(_, m, _)| m).collect();
    assert_eq!(
        unused,
        [
            "`vpc:DescribeEipAddresses` matched 1 call whose decision depends on a key the record does not carry",
            "`vpc:DescribeVpcs` matched 1 call that was denied all the same"
        ]
    );
    // The text summary counts it apart.
    let (_, text, _) =
        run_in(&dir, &["audit", "--no-config", "--progress", "never", "--policy", "policy.json", "log.jsonl"]);
    assert!(text.contains("    undetermined        1"), "{text}");
}

#[test]
fn audit_context_supplies_a_key_the_records_lack() {
    let dir = honest_unknowns();
    let args = ["audit", "--no-config", "--format", "json", "--policy", "policy.json", "--context"];
    let (_, out, _) = run_in(&dir, &[&args[..], &["acs:SourceIp=10.1.2.3", "log.jsonl"]].concat());
    let (report, found) = diagnostics_of(&out);
    assert_eq!(report["summary"]["policy"]["allowed"], 1);
    assert_eq!(report["summary"]["policy"]["undetermined"], 0);
    assert!(!found.iter().any(|(_, m, _)| m.contains("depends on")));
    // Outside the granted network the call is denied, for certain.
    let (_, out, _) = run_in(&dir, &[&args[..], &["acs:SourceIp=192.0.2.1", "log.jsonl"]].concat());
    let (report, _) = diagnostics_of(&out);
    assert_eq!(report["summary"]["policy"]["implicit_deny"], 1);
    // A record's own value wins over `--context`.
    let (code, _, err) = run_in(&dir, &["audit", "--no-config", "--context", "acs:SourceIp=1.2.3.4", "log.jsonl"]);
    assert_eq!(code, 2, "--context needs --policy: {err}");
}

#[test]
fn simulate_picks_a_record_of_a_log() {
    let dir = honest_unknowns();
    let (code, out, _) = run_in(
        &dir,
        &["simulate", "--no-config", "--policy", "policy.json", "--request", "log.jsonl", "--record", "2"],
    );
    assert_eq!(code, 1);
    assert!(out.contains("vpc:DescribeVpcs") && out.contains("explicitly denied"), "{out}");
    let (code, out, _) = run_in(
        &dir,
        &[
            "simulate",
            "--no-config",
            "--policy",
            "policy.json",
            "--request",
            "log.jsonl",
            "--record",
            "1",
            "--context",
            "acs:SourceIp=10.0.0.1",
        ],
    );
    assert_eq!(code, 0, "{out}");
    let (code, _, err) = run_in(
        &dir,
        &["simulate", "--no-config", "--policy", "policy.json", "--request", "log.jsonl", "--record", "3"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("has no record 3"), "{err}");
    // Records of a delivery array are its elements.
    let call = |n: &str| json!({"Action": n, "Version": "2016-04-28", "RegionId": "cn-hangzhou"});
    dir.write("array.json", json!([call("DescribeVpcs"), call("DescribeEipAddresses")]).to_string());
    let (_, out, _) = run_in(
        &dir,
        &[
            "simulate",
            "--no-config",
            "--policy",
            "policy.json",
            "--request",
            "array.json",
            "--record",
            "2",
            "--format",
            "json",
        ],
    );
    assert!(out.contains("vpc:DescribeEipAddresses"), "{out}");
}

#[test]
fn generate_writes_the_policy_of_one_principal() {
    let dir = TempDir::new("generate-principal");
    let alice = event("Vpc", "2016-04-28", "DescribeVpcs", json!({"RegionId": "cn-hangzhou"}));
    let mut bob = event("Vpc", "2016-04-28", "DescribeEipAddresses", json!({"RegionId": "cn-hangzhou"}));
    bob["userIdentity"]["userName"] = json!("bob");
    dir.write("log.jsonl", format!("{alice}\n{bob}\n"));
    let (code, out, _) = run_in(&dir, &["generate", "--no-config", "--principal", "bob", "log.jsonl"]);
    assert_eq!(code, 0);
    assert!(out.contains("vpc:DescribeEipAddresses") && !out.contains("vpc:DescribeVpcs"), "{out}");
    let (code, _, err) = run_in(&dir, &["generate", "--no-config", "--principal", "carol", "log.jsonl"]);
    assert_eq!(code, 2);
    assert!(err.contains("no successful call of `carol`"), "{err}");
}
