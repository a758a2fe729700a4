//! Resource types per action (issue 12 item 7): each `Resource` is judged against the
//! documented resource types of each action of its statement on its own, so a statement's
//! verdict on a resource is exactly "every one of its actions alone would get it". Adding an
//! action to a statement can only take a finding away, never change which resource gets one.

use crate::common::lint_text;
use proptest::prelude::*;
use ramlint::lint::Kind;

/// Actions of services with documented resource types (SLS, OSS, VPC, RAM), with undocumented
/// and wildcard ones, and actions of other services.
const ACTIONS: &[&str] = &[
    "log:GetProject",
    "log:ListProject",
    "log:GetLogStore",
    "log:CreateIndex",
    "log:GetDashboard",
    "log:ListDashboard",
    "log:GetSavedSearch",
    "log:GetMachineGroup",
    "log:ListConsumerGroup",
    "log:GetLogging",
    "log:GetETL",
    "log:PostLogStoreLogs",
    "log:Get*",
    "log:*Dashboard*",
    "oss:ListObjects",
    "oss:GetObject",
    "oss:Get*",
    "vpc:UnassociateEipAddress",
    "vpc:ReleaseEipAddress",
    "ecs:DescribeInstances",
    "ram:GetRole",
    "sts:AssumeRole",
    "kms:Decrypt",
    "*",
];

/// Resources of those services: exact ARNs, wildcard paths, types the actions do not take.
const RESOURCES: &[&str] = &[
    "*",
    "acs:log:*:*:*",
    "acs:log:*:*:project/p",
    "acs:log:*:*:project/*",
    "acs:log:*:*:project/p/*",
    "acs:log:*:*:project/p/logstore/l",
    "acs:log:*:*:project/p/logstore/*",
    "acs:log:cn-hangzhou:1234567890123456:project/p/dashboard/d",
    "acs:log:*:*:project/p/savedsearch/s",
    "acs:log:*:*:project/p/machinegroup/m",
    "acs:log:*:*:project/p/logstore/l/consumergroup/c",
    "acs:log:*:*:project/p/logging",
    "acs:log:*:*:project/p/job/j",
    "acs:oss:*:*:bucket",
    "acs:oss:*:*:bucket/*",
    "acs:vpc:*:*:eip/eip-bp1k4t7x2m9q5w3e8r6y1",
    "acs:vpc:*:*:vswitch/*",
    "acs:vpc:*:*:eips/*",
    "acs:ecs:*:*:instance/*",
    "acs:ram:*:1234567890123456:role/admin",
];

/// Whether the resource of a one-statement policy gets `resource-type-mismatch` or
/// `arn-service-mismatch` (the two verdicts "RAM never matches this resource here").
fn never_matches(actions: &[&str], resource: &str) -> bool {
    let policy = serde_json::json!({
        "Version": "1",
        "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resource}],
    });
    let report = lint_text("policy.json", &policy.to_string(), Some(Kind::Policy));
    report.diagnostics.iter().any(|d| {
        (d.rule == "resource-type-mismatch" || d.rule == "arn-service-mismatch") && d.pointer == "/Statement/0/Resource"
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn a_statement_never_matches_a_resource_exactly_when_each_of_its_actions_never_does(
        picks in proptest::collection::vec(0..ACTIONS.len(), 1..5),
        resource in 0..RESOURCES.len(),
    ) {
        let actions: Vec<&str> = picks.iter().map(|&i| ACTIONS[i]).collect();
        let resource = RESOURCES[resource];
        let alone: Vec<bool> = actions.iter().map(|a| never_matches(&[a], resource)).collect();
        prop_assert_eq!(
            never_matches(&actions, resource),
            alone.iter().all(|&n| n),
            "{:?} on {}: each alone {:?}",
            actions,
            resource,
            alone
        );
    }
}

/// The SLS verdicts of the issue: a dashboard ARN is a dashboard, whatever else the statement
/// holds, and a wildcard path below a project is no project.
#[test]
fn sls_verdicts_follow_each_actions_documented_types() {
    let dashboard = "acs:log:*:*:project/p/dashboard/d";
    assert!(!never_matches(&["log:GetDashboard"], dashboard));
    assert!(never_matches(&["log:GetLogStore"], dashboard));
    assert!(never_matches(&["log:GetProject"], dashboard));
    assert!(!never_matches(&["log:GetLogStore", "log:GetDashboard"], dashboard));
    assert!(never_matches(&["log:GetLogStore", "log:GetProject", "kms:Decrypt"], dashboard));
    assert!(never_matches(&["log:GetProject"], "acs:log:*:*:project/p/*"));
    assert!(!never_matches(&["log:GetProject"], "acs:log:*:*:project/*"));
    assert!(!never_matches(&["log:GetLogStore"], "acs:log:*:*:project/p/*"));
    assert!(!never_matches(&["log:GetSavedSearch"], "acs:log:*:*:project/*/savedsearch/actiontrail_*"));
    assert!(never_matches(&["log:GetSavedSearch"], "acs:log:*:*:project/p/machinegroup/m"));
    assert!(!never_matches(&["log:GetMachineGroup"], "acs:log:*:*:project/p/machinegroup/m"));
    // Undocumented SLS actions (data-plane ones) may take anything of their service.
    assert!(!never_matches(&["log:PostLogStoreLogs"], dashboard));
}
