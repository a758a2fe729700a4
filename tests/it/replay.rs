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
