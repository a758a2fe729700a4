//! `ramlint diff` (`ramlint::diff`, `docs/diff.md`): one pair of policies per case of the
//! semantics, the properties (`diff(P, P)` is empty; what OLD -> NEW adds is what NEW -> OLD
//! removes), a differential test against the evaluation engine (a random call OLD denies and
//! NEW allows is reported as added), and the command's formats and exit codes.

use proptest::prelude::*;
use proptest::sample::select;
use ramlint::diff::{compare, Change, Why};
use ramlint::eval::{Call, Context, Decision, PolicySet};
use serde_json::{json, Value};
use std::collections::BTreeSet;

fn set(statements: &Value) -> PolicySet {
    let text = serde_json::to_string_pretty(&json!({"Version": "1", "Statement": statements})).unwrap();
    PolicySet::new(vec![("p.json".into(), text)]).unwrap()
}

fn diff(old: &Value, new: &Value) -> (Vec<Change>, Vec<Change>) {
    compare(crate::common::catalog(), &set(old), &set(new))
}

fn actions(changes: &[Change]) -> BTreeSet<String> {
    changes.iter().map(|c| c.action.clone()).collect()
}

fn allow(action: Value, resource: Value) -> Value {
    json!({"Effect": "Allow", "Action": action, "Resource": resource})
}

const EIPS: &str = "acs:vpc:*:1234567890123456:eip/*";

#[test]
fn added_action() {
    let old = json!([allow(json!("vpc:DescribeEipAddresses"), json!(EIPS))]);
    let new = json!([allow(json!(["vpc:DescribeEipAddresses", "vpc:UnassociateEipAddress"]), json!(EIPS))]);
    let (added, removed) = diff(&old, &new);
    assert_eq!(actions(&added), BTreeSet::from(["vpc:UnassociateEipAddress".to_string()]));
    assert!(added.iter().all(|c| c.exact && c.why == Why::Action && c.resources.patterns() == [EIPS]));
    assert!(removed.is_empty(), "{removed:?}");
}

#[test]
fn action_removed() {
    let old = json!([allow(json!(["vpc:DescribeEipAddresses", "vpc:ReleaseEipAddress"]), json!(EIPS))]);
    let new = json!([allow(json!("vpc:DescribeEipAddresses"), json!(EIPS))]);
    let (added, removed) = diff(&old, &new);
    assert!(added.is_empty());
    assert_eq!(actions(&removed), BTreeSet::from(["vpc:ReleaseEipAddress".to_string()]));
    assert_eq!(removed[0].why, Why::Action);
}

#[test]
fn wildcard_widening_shows_the_surprising_matches() {
    let old = json!([allow(json!("vpc:DescribeEipAddresses"), json!("*"))]);
    let new = json!([allow(json!("vpc:*Eip*"), json!("*"))]);
    let (added, removed) = diff(&old, &new);
    let added = actions(&added);
    // `*Eip*` ignores case: `CreateIpam` holds `eIp`.
    for expected in ["vpc:CreateIpam", "vpc:UnassociateEipAddress", "vpc:AllocateEipAddress"] {
        assert!(added.contains(expected), "{expected} not in {added:?}");
    }
    assert!(!added.contains("vpc:DescribeEipAddresses"));
    assert!(added.iter().all(|a| a.to_lowercase().contains("eip")), "{added:?}");
    assert!(removed.is_empty());
}

#[test]
fn resource_widening_and_narrowing() {
    let narrow = json!([allow(json!("vpc:UnassociateEipAddress"), json!("acs:vpc:*:1234567890123456:eip/eip-bp1*"))]);
    let wide = json!([allow(json!("vpc:UnassociateEipAddress"), json!(EIPS))]);
    let (added, removed) = diff(&narrow, &wide);
    assert_eq!(added.len(), 1);
    assert_eq!((added[0].why, added[0].exact), (Why::Resource, true));
    assert_eq!(added[0].resources.patterns(), [EIPS]);
    assert!(removed.is_empty());
    let (added, removed) = diff(&wide, &narrow);
    assert!(added.is_empty());
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].why, Why::Resource);
}

fn with_condition(condition: Value) -> Value {
    json!([{"Effect": "Allow", "Action": "vpc:UnassociateEipAddress", "Resource": EIPS, "Condition": condition}])
}

#[test]
fn condition_dropped_and_added() {
    let office = with_condition(json!({"IpAddress": {"acs:SourceIp": "10.0.0.0/8"}}));
    let anywhere = json!([allow(json!("vpc:UnassociateEipAddress"), json!(EIPS))]);
    let (added, removed) = diff(&office, &anywhere);
    assert_eq!(added.len(), 1);
    assert_eq!((added[0].why, added[0].exact), (Why::ConditionDropped, true));
    assert!(added[0].conditions.is_empty());
    assert!(removed.is_empty());
    let (added, removed) = diff(&anywhere, &office);
    assert!(added.is_empty());
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].why, Why::ConditionDropped);
    assert!(removed[0].conditions.is_empty(), "the old grant had no condition");
}

#[test]
fn condition_values_narrowed_is_no_addition_and_changed_is_may_add() {
    let two = with_condition(json!({"IpAddress": {"acs:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]}}));
    let one = with_condition(json!({"IpAddress": {"acs:SourceIp": ["10.0.0.0/8"]}}));
    let other = with_condition(json!({"IpAddress": {"acs:SourceIp": ["172.16.0.0/12"]}}));
    let (added, _) = diff(&two, &one);
    assert!(added.is_empty(), "fewer OR'd values allow less: {added:?}");
    let (added, _) = diff(&one, &two);
    assert!(!added.is_empty());
    let (added, _) = diff(&one, &other);
    assert_eq!(added.len(), 1);
    assert_eq!((added[0].why, added[0].exact), (Why::ConditionChanged, false), "may add access: condition changed");
}

#[test]
fn deny_added_and_removed() {
    let open = json!([allow(json!("vpc:*EipAddress"), json!("*"))]);
    let guarded = json!([
        allow(json!("vpc:*EipAddress"), json!("*")),
        {"Effect": "Deny", "Action": "vpc:ReleaseEipAddress", "Resource": "*"}
    ]);
    let (added, removed) = diff(&open, &guarded);
    assert!(added.is_empty());
    assert_eq!(actions(&removed), BTreeSet::from(["vpc:ReleaseEipAddress".to_string()]));
    assert_eq!(removed[0].why, Why::Deny);
    let (added, removed) = diff(&guarded, &open);
    assert_eq!(actions(&added), BTreeSet::from(["vpc:ReleaseEipAddress".to_string()]));
    assert_eq!((added[0].why, added[0].exact), (Why::Deny, true));
    assert!(removed.is_empty());
}

#[test]
fn effect_flip() {
    let deny = json!([{"Effect": "Deny", "Action": "vpc:ReleaseEipAddress", "Resource": "*"}]);
    let allow_it = json!([allow(json!("vpc:ReleaseEipAddress"), json!("*"))]);
    let (added, removed) = diff(&deny, &allow_it);
    assert_eq!(actions(&added), BTreeSet::from(["vpc:ReleaseEipAddress".to_string()]));
    assert_eq!(added[0].why, Why::Deny);
    assert!(removed.is_empty());
}

#[test]
fn reformatting_reordering_splitting_and_case_are_no_change() {
    let old = json!([
        allow(json!(["vpc:DescribeEipAddresses", "vpc:UnassociateEipAddress"]), json!([EIPS, "acs:ecs:*:*:instance/*"])),
        {"Effect": "Deny", "Action": "vpc:ReleaseEipAddress", "Resource": "*"}
    ]);
    let new = json!([
        {"Effect": "Deny", "Action": ["VPC:releaseEipAddress"], "Resource": ["*"]},
        allow(json!("vpc:unassociateeipaddress"), json!("acs:ecs:*:*:instance/*")),
        allow(json!(["VPC:DescribeEipAddresses", "vpc:UnassociateEipAddress"]), json!(EIPS)),
        allow(json!("vpc:DescribeEipAddresses"), json!("acs:ecs:*:*:instance/*")),
    ]);
    let (added, removed) = diff(&old, &new);
    assert!(added.is_empty(), "{added:?}");
    assert!(removed.is_empty(), "{removed:?}");
    // Whitespace alone.
    let text = serde_json::to_string(&json!({"Version": "1", "Statement": old})).unwrap();
    let a = PolicySet::new(vec![("a.json".into(), text.clone())]).unwrap();
    let b = PolicySet::new(vec![("b.json".into(), text.replace(',', ",\n   "))]).unwrap();
    let (added, removed) = compare(crate::common::catalog(), &a, &b);
    assert!(added.is_empty() && removed.is_empty());
}

#[test]
fn not_action_expands_over_the_catalog_and_may_reach_beyond_it() {
    let old = json!([allow(json!("vpc:*"), json!("*"))]);
    let new = json!([{"Effect": "Allow", "NotAction": "ram:*", "Resource": "*"}]);
    let (added, removed) = diff(&old, &new);
    let names = actions(&added);
    assert!(names.contains("ecs:DescribeInstances"), "{names:?}");
    assert!(!names.iter().any(|a| a.starts_with("ram:")), "{names:?}");
    assert!(!names.iter().any(|a| a.starts_with("vpc:")), "vpc was allowed before");
    let beyond: Vec<&Change> = added.iter().filter(|c| !c.expandable).collect();
    assert_eq!(beyond.len(), 1);
    assert_eq!((beyond[0].why, beyond[0].exact), (Why::NotAction, false));
    assert!(removed.is_empty(), "NotAction keeps vpc:*");
}

#[test]
fn a_pattern_outside_the_catalog_is_reported_as_written() {
    let old = json!([allow(json!("vpc:DescribeEipAddresses"), json!("*"))]);
    let new = json!([allow(json!(["vpc:DescribeEipAddresses", "foo:Get*"]), json!("*"))]);
    let (added, _) = diff(&old, &new);
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].action, "foo:Get*");
    assert!(!added[0].expandable);
}

#[test]
fn not_resource_is_compared_as_all_but() {
    // (`*` matches `:` too, so the region and account are named: `acs:vpc:*:*:eip/eip-keep*`
    // and `acs:vpc:*:*:eip/eip-other*` share `acs:vpc:a:b:eip/eip-other:c:eip/eip-keep`.)
    const HZ: &str = "acs:vpc:cn-hangzhou:1234567890123456";
    let old =
        json!([{"Effect": "Allow", "Action": "vpc:ReleaseEipAddress", "NotResource": format!("{HZ}:eip/eip-keep*")}]);
    let new = json!([allow(json!("vpc:ReleaseEipAddress"), json!(format!("{HZ}:eip/eip-other*")))]);
    let (added, removed) = diff(&old, &new);
    assert!(added.is_empty(), "eip-other* is outside the excluded eip-keep*: {added:?}");
    assert_eq!(removed.len(), 1);
    let new = json!([allow(json!("vpc:ReleaseEipAddress"), json!("*"))]);
    let (added, _) = diff(&old, &new);
    assert_eq!(added.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Properties and the differential test

const ACTION_PATTERNS: &[&str] = &[
    "vpc:UnassociateEipAddress",
    "vpc:ReleaseEipAddress",
    "vpc:Describe*",
    "vpc:*EipAddress",
    "vpc:*Eip*",
    "ecs:*",
    "ECS:describeinstances",
];

const CALL_ACTIONS: &[&str] = &[
    "vpc:UnassociateEipAddress",
    "vpc:ReleaseEipAddress",
    "vpc:DescribeEipAddresses",
    "vpc:AssociateEipAddress",
    "vpc:CreateIpam",
    "ecs:DescribeInstances",
    "ecs:StopInstance",
];

const RESOURCE_PATTERNS: &[&str] = &[
    "*",
    "acs:vpc:*:*:eip/*",
    "acs:vpc:cn-hangzhou:1234567890123456:eip/eip-1",
    "acs:vpc:cn-hangzhou:*:eip/eip-?",
    "acs:ecs:*:*:instance/*",
];

const CALL_RESOURCES: &[&str] = &[
    "acs:vpc:cn-hangzhou:1234567890123456:eip/eip-1",
    "acs:vpc:cn-hangzhou:1234567890123456:eip/eip-2",
    "acs:vpc:cn-beijing:1234567890123456:eip/eip-1",
    "acs:ecs:cn-hangzhou:1234567890123456:instance/i-1",
];

const NETWORKS: &[&str] = &["10.0.0.0/8", "192.168.1.0/24", "203.0.113.7"];
const SOURCE_IPS: &[&str] = &["10.1.2.3", "192.168.1.20", "203.0.113.7", "198.51.100.1"];

fn one_or_many(items: &[&str]) -> Value {
    match items {
        [one] => json!(one),
        _ => json!(items),
    }
}

fn statement() -> impl Strategy<Value = Value> {
    (
        any::<bool>(),
        prop::bool::weighted(0.15),
        prop::collection::vec(select(ACTION_PATTERNS), 1..=2),
        prop::bool::weighted(0.15),
        prop::collection::vec(select(RESOURCE_PATTERNS), 1..=2),
        prop::option::weighted(
            0.35,
            (select(&["IpAddress", "NotIpAddress"][..]), prop::collection::vec(select(NETWORKS), 1..=2)),
        ),
        prop::option::weighted(0.2, any::<bool>()),
    )
        .prop_map(|(allow, not_action, actions, not_resource, resources, ip, mfa)| {
            let mut s = serde_json::Map::new();
            s.insert("Effect".into(), json!(if allow { "Allow" } else { "Deny" }));
            s.insert((if not_action { "NotAction" } else { "Action" }).into(), one_or_many(&actions));
            s.insert((if not_resource { "NotResource" } else { "Resource" }).into(), one_or_many(&resources));
            let mut condition = serde_json::Map::new();
            if let Some((operator, networks)) = ip {
                condition.insert(operator.into(), json!({"acs:SourceIp": one_or_many(&networks)}));
            }
            if let Some(mfa) = mfa {
                condition.insert("Bool".into(), json!({"acs:MFAPresent": mfa.to_string()}));
            }
            if !condition.is_empty() {
                s.insert("Condition".into(), Value::Object(condition));
            }
            Value::Object(s)
        })
}

const PRINCIPAL_KINDS: &[&str] = &["Service", "RAM", "Federated"];
const PRINCIPAL_VALUES: &[&str] =
    &["ecs.aliyuncs.com", "fc.aliyuncs.com", "acs:ram::1234567890123456:root", "*", "ECS.aliyuncs.com"];

/// A role trust statement: who may assume the role, `*` included, sometimes under a condition.
fn trust_statement() -> impl Strategy<Value = Value> {
    (
        any::<bool>(),
        select(&["sts:AssumeRole", "sts:*", "sts:AssumeRoleWithOIDC"][..]),
        prop::option::weighted(0.8, (select(PRINCIPAL_KINDS), prop::collection::vec(select(PRINCIPAL_VALUES), 1..=2))),
        prop::option::weighted(0.3, prop::collection::vec(select(NETWORKS), 1..=2)),
    )
        .prop_map(|(allow, action, principal, ip)| {
            let principal = match principal {
                Some((kind, values)) => json!({ kind: one_or_many(&values) }),
                None => json!("*"),
            };
            let mut s =
                json!({"Effect": if allow { "Allow" } else { "Deny" }, "Action": action, "Principal": principal});
            if let Some(networks) = ip {
                s["Condition"] = json!({"IpAddress": {"acs:SourceIp": one_or_many(&networks)}});
            }
            s
        })
}

fn statements() -> impl Strategy<Value = Value> {
    prop::collection::vec(prop_oneof![4 => statement(), 1 => trust_statement()], 0..=5).prop_map(Value::Array)
}

fn call() -> impl Strategy<Value = Call> {
    (
        select(CALL_ACTIONS),
        select(CALL_RESOURCES),
        prop::option::weighted(0.7, select(SOURCE_IPS)),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(action, resource, ip, mfa)| {
            let mut context = Context::default();
            if let Some(ip) = ip {
                context.add("acs:SourceIp", ip);
            }
            if let Some(mfa) = mfa {
                context.add("acs:MFAPresent", if mfa { "true" } else { "false" });
            }
            Call { action: action.into(), resources: vec![resource.into()], context, ..Default::default() }
        })
}

/// What a change says, without where it is.
fn summary(changes: &[Change]) -> BTreeSet<String> {
    changes
        .iter()
        .map(|c| {
            format!(
                "{} {:?} {:?} {:?} {}",
                c.action,
                c.resources,
                c.principal,
                c.why,
                ramlint::diff::sets::describe(&c.conditions)
            )
        })
        .collect()
}

fn trust(effect: &str, principal: Value) -> Value {
    json!({"Effect": effect, "Action": "sts:AssumeRole", "Principal": principal})
}

fn principals(changes: &[Change]) -> BTreeSet<String> {
    changes.iter().filter_map(|c| c.principal.as_ref().map(|(k, v)| format!("{} {k}:{v}", c.action))).collect()
}

#[test]
fn a_new_trusted_principal_is_added_access_and_a_dropped_one_removed() {
    let old = json!([trust("Allow", json!({"Service": ["ecs.aliyuncs.com"]}))]);
    let new = json!([trust(
        "Allow",
        json!({"Service": ["ecs.aliyuncs.com", "fc.aliyuncs.com"], "RAM": "acs:ram::1234567890123456:root"})
    )]);
    let (added, removed) = diff(&old, &new);
    assert_eq!(
        principals(&added),
        BTreeSet::from([
            "sts:AssumeRole RAM:acs:ram::1234567890123456:root".to_string(),
            "sts:AssumeRole Service:fc.aliyuncs.com".to_string()
        ])
    );
    assert!(added.iter().all(|c| c.why == Why::Principal && c.exact && c.resources.patterns().is_empty()));
    assert!(removed.is_empty(), "{removed:?}");
    let (added, removed) = diff(&new, &old);
    assert!(added.is_empty());
    assert_eq!(principals(&removed).len(), 2);
}

#[test]
fn a_public_trust_holds_every_principal_and_is_added_over_any() {
    let one = json!([trust("Allow", json!({"Service": "ecs.aliyuncs.com"}))]);
    let anyone = json!([trust("Allow", json!("*"))]);
    let (added, _) = diff(&one, &anyone);
    assert_eq!(principals(&added), BTreeSet::from(["sts:AssumeRole :*".to_string()]));
    let (added, removed) = diff(&anyone, &one);
    assert!(added.is_empty(), "`*` held it: {added:?}");
    assert_eq!(removed.len(), 1);
    // A trust `Deny` of the principal lifted is added access; a condition dropped too.
    let denied = json!([trust("Allow", json!("*")), trust("Deny", json!({"Service": "fc.aliyuncs.com"}))]);
    let (added, _) = diff(&denied, &anyone);
    assert!(added.iter().any(|c| c.why == Why::Deny), "{added:?}");
    let mut conditional = trust("Allow", json!({"Service": "ecs.aliyuncs.com"}));
    conditional["Condition"] = json!({"IpAddress": {"acs:SourceIp": "10.0.0.0/8"}});
    let (added, _) = diff(&json!([conditional]), &one);
    assert!(added.iter().any(|c| c.why == Why::ConditionDropped), "{added:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_policy_against_itself_is_no_change(p in statements()) {
        let (added, removed) = diff(&p, &p);
        prop_assert!(added.is_empty(), "{:?}", added);
        prop_assert!(removed.is_empty(), "{:?}", removed);
    }

    #[test]
    fn added_one_way_is_removed_the_other(old in statements(), new in statements()) {
        let (added, removed) = diff(&old, &new);
        let (back_added, back_removed) = diff(&new, &old);
        prop_assert_eq!(summary(&added), summary(&back_removed));
        prop_assert_eq!(summary(&removed), summary(&back_added));
    }

    #[test]
    fn a_call_old_denies_and_new_allows_is_added(old in statements(), new in statements(), calls in prop::collection::vec(call(), 1..=8)) {
        let (o, n) = (set(&old), set(&new));
        let (added, _) = compare(crate::common::catalog(), &o, &n);
        for call in &calls {
            if o.decide(call, |_, _, _| {}) != Decision::Allow && n.decide(call, |_, _, _| {}) == Decision::Allow {
                let resource = &call.resources[0];
                prop_assert!(
                    added.iter().any(|c| c.action.eq_ignore_ascii_case(&call.action) && c.resources.contains(resource)),
                    "{} on {} is allowed by NEW only, but the diff adds {:?}", call.action, resource, summary(&added)
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The command

fn data() -> std::path::PathBuf {
    crate::common::root().join("tests/data/diff")
}

fn ramlint(args: &[&str]) -> (i32, String) {
    let output = assert_cmd::cargo::cargo_bin_cmd!("ramlint")
        .current_dir(data())
        .env("NO_COLOR", "1")
        .arg("diff")
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (output.status.code().unwrap(), String::from_utf8(output.stdout).unwrap())
}

#[test]
fn json_report_and_exit_codes() {
    let (code, out) = ramlint(&["eip-old.json", "eip-new.json", "--format", "json"]);
    assert_eq!(code, 1, "access added: {out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let added = report["added"].as_array().unwrap();
    let unassociate = added.iter().find(|a| a["action"] == "vpc:UnassociateEipAddress").unwrap();
    assert_eq!(unassociate["resources"], json!([EIPS]));
    assert_eq!(unassociate["conditions"], Value::Null);
    assert_eq!(report["removed"], json!([]));
    assert_eq!(report["findings"], json!([]));
    let (code, out) = ramlint(&["eip-new.json", "eip-old.json", "--format", "json"]);
    assert_eq!(code, 0, "access removed only: {out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["removed"].as_array().unwrap().len(), 3);
    let (code, _) = ramlint(&["eip-old.json", "eip-new.json", "--allow-added", "vpc:*EipAddress*"]);
    assert_eq!(code, 0, "every addition accepted");
    let (code, _) = ramlint(&["eip-old.json"]);
    assert_eq!(code, 2);
    let (code, _) = ramlint(&["eip-old.json", "missing.json"]);
    assert_eq!(code, 2);
}

#[test]
fn text_report() {
    let (code, out) = ramlint(&["eip-old.json", "eip-new.json"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn github_annotations_are_on_the_new_file_at_the_granting_action() {
    let (_, out) = ramlint(&["admin-old.json", "admin-new.json", "--format", "github"]);
    insta::assert_snapshot!(out);
    assert!(out.contains("file=admin-new.json,line=6,"), "{out}");
    assert!(out.contains("this line adds `ram:AttachPolicyToUser` on `*`"), "{out}");
    assert!(out.contains("title=ramlint privilege-escalation"), "the new escalation path is listed: {out}");
}

#[test]
fn sarif_report_is_valid() {
    let (_, out) = ramlint(&["admin-old.json", "admin-new.json", "--format", "sarif"]);
    let log: Value = serde_json::from_str(&out).unwrap();
    let errors = crate::sarif::violations(&log);
    assert!(errors.is_empty(), "{errors:?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "access-added"));
}

#[test]
fn security_findings_introduced_are_listed_by_rule_and_action() {
    let (_, out) = ramlint(&["admin-old.json", "admin-new.json", "--format", "json"]);
    let report: Value = serde_json::from_str(&out).unwrap();
    let rules: BTreeSet<&str> =
        report["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert!(rules.contains("privilege-escalation"), "{rules:?}");
    // A policy against itself introduces nothing.
    let (code, out) = ramlint(&["admin-new.json", "admin-new.json", "--format", "json"]);
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["findings"], json!([]));
    assert_eq!(report["added"], json!([]));
}

#[test]
fn base_compares_the_work_tree_with_a_git_revision() {
    let dir = crate::common::TempDir::new("diff-base");
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .current_dir(dir.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .unwrap();
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    };
    git(&["init", "-q"]);
    let old = std::fs::read_to_string(data().join("eip-old.json")).unwrap();
    let new = std::fs::read_to_string(data().join("eip-new.json")).unwrap();
    dir.write("policies/eip.json", &old);
    dir.write("policies/gone.json", &old);
    dir.write("package.json", "{\"name\": \"x\"}");
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);
    dir.write("policies/eip.json", &new);
    std::fs::remove_file(dir.path().join("policies/gone.json")).unwrap();
    dir.write("package.json", "{\"name\": \"y\"}");
    let output = assert_cmd::cargo::cargo_bin_cmd!("ramlint")
        .current_dir(dir.path())
        .args(["diff", "--base", "HEAD", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let files: Vec<&str> = report["files"].as_array().unwrap().iter().map(|f| f["file"].as_str().unwrap()).collect();
    assert_eq!(files, ["policies/eip.json", "policies/gone.json"], "package.json is not a policy");
    let added: BTreeSet<&str> =
        report["added"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
    assert!(added.contains("vpc:UnassociateEipAddress"));
    let removed: Vec<&Value> =
        report["removed"].as_array().unwrap().iter().filter(|r| r["file"] == "policies/gone.json").collect();
    assert_eq!(removed.len(), 2, "a deleted policy removes all it granted");
    let output = assert_cmd::cargo::cargo_bin_cmd!("ramlint")
        .current_dir(dir.path())
        .args(["diff", "--base", "no-such-rev"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

// ---------------------------------------------------------------------------------------------
// Policies embedded in Terraform and ROS templates

#[test]
fn terraform_pairs_are_matched_by_resource_address_with_spans_in_the_tf_file() {
    let (code, out) = ramlint(&["ops-old.tf", "ops-new.tf", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let files: Vec<String> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {} {}", f["resource"].as_str().unwrap(), f["old_exists"], f["new_exists"]))
        .collect();
    assert_eq!(
        files,
        [
            "alicloud_ram_policy.eip_operator.policy_document true true",
            "alicloud_ram_role.ops.assume_role_policy_document true true",
            "alicloud_ram_policy.escalation.policy_document false true",
            "alicloud_ram_policy.gone.policy_document true false",
        ]
    );
    let added = report["added"].as_array().unwrap();
    let find = |action: &str| added.iter().find(|a| a["action"] == action).unwrap_or_else(|| panic!("{action}: {out}"));
    // An action added beside an interpolated account: may add (never judged equal), at its
    // `.tf` line, with the resource as written.
    let unassociate = find("vpc:UnassociateEipAddress");
    assert_eq!(unassociate["exact"], false);
    assert_eq!(unassociate["resources"], json!(["acs:vpc:*:${var.account}:eip/*"]));
    assert_eq!(unassociate["resource"], "alicloud_ram_policy.eip_operator.policy_document");
    // The statement's line in the `.tf` file, not in the extracted document.
    assert_eq!(unassociate["line"], 10);
    // An unchanged action whose resource holds a template part is never judged equal.
    assert_eq!(find("vpc:DescribeEipAddresses")["why"], "unknown");
    // A service added to a role trust policy.
    let assume = find("sts:AssumeRole");
    assert_eq!(assume["principal"], json!({"Service": "fc.aliyuncs.com"}));
    assert_eq!(assume["exact"], true);
    // A new resource is all added, a removed one all removed.
    assert_eq!(find("ram:AttachPolicyToUser")["why"], "action");
    let removed = report["removed"].as_array().unwrap();
    assert!(removed
        .iter()
        .any(|r| r["action"] == "oss:GetObject" && r["resource"] == "alicloud_ram_policy.gone.policy_document"));
    let rules: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["privilege-escalation"]);
    assert_eq!(report["findings"][0]["line"], 34, "the new finding at its `.tf` line");
    assert_eq!(report["findings"][0]["resource"], "alicloud_ram_policy.escalation.policy_document");
    // Annotations on the `.tf` line of the granting action.
    let (_, github) = ramlint(&["ops-old.tf", "ops-new.tf", "--format", "github"]);
    assert!(github.contains("file=ops-new.tf,line=12,col=50"), "{github}");
    assert!(
        github.contains("file=ops-new.tf,line=27,") && github.contains("by `Service` `fc.aliyuncs.com`"),
        "{github}"
    );
    let (_, sarif) = ramlint(&["ops-old.tf", "ops-new.tf", "--format", "sarif"]);
    let log: Value = serde_json::from_str(&sarif).unwrap();
    assert!(crate::sarif::violations(&log).is_empty());
    let (_, text) = ramlint(&["ops-old.tf", "ops-new.tf"]);
    insta::assert_snapshot!("diff_terraform_text", text);
    // A configuration against itself: nothing, even with template parts.
    let (code, out) = ramlint(&["ops-new.tf", "ops-new.tf", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn ros_template_pairs_report_at_the_yaml_lines() {
    let (code, out) = ramlint(&["ros-old.yaml", "ros-new.yaml", "--format", "github"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("file=ros-new.yaml,line=14,") && out.contains("this line adds `vpc:ReleaseEipAddress` on `*`"),
        "{out}"
    );
    // A principal written with `Fn::Sub` is an unknown value: may add, never exact.
    assert!(out.contains("access-may-be-added") && out.contains("`RAM` `acs:ram::${ALIYUN::AccountId}:root`"), "{out}");
    assert!(out.contains("removes `sts:AssumeRole` by `Service` `ecs.aliyuncs.com`"), "{out}");
}

#[test]
fn base_pairs_changed_terraform_files_by_resource() {
    let dir = crate::common::TempDir::new("diff-base-tf");
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .current_dir(dir.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .unwrap();
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    };
    git(&["init", "-q"]);
    let old = std::fs::read_to_string(data().join("ops-old.tf")).unwrap();
    let new = std::fs::read_to_string(data().join("ops-new.tf")).unwrap();
    dir.write("infra/main.tf", &old);
    dir.write("infra/network.tf", "resource \"alicloud_vpc\" \"v\" {\n  cidr_block = \"10.0.0.0/8\"\n}\n");
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);
    dir.write("infra/main.tf", &new);
    dir.write("infra/network.tf", "resource \"alicloud_vpc\" \"v\" {\n  cidr_block = \"10.1.0.0/16\"\n}\n");
    let output = assert_cmd::cargo::cargo_bin_cmd!("ramlint")
        .current_dir(dir.path())
        .args(["diff", "--base", "HEAD", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let files: BTreeSet<String> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["file"].as_str().unwrap(), f["resource"].as_str().unwrap()))
        .collect();
    assert_eq!(files.len(), 4, "{files:?}");
    assert!(files.iter().all(|f| f.starts_with("infra/main.tf ")), "network.tf holds no policy: {files:?}");
    let added: BTreeSet<&str> =
        report["added"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
    assert!(added.contains("ram:AttachPolicyToUser") && added.contains("sts:AssumeRole"), "{added:?}");
    assert_eq!(report["files"][0]["old"], "HEAD:infra/main.tf");
}

/// A policy a template directive leaves unreadable may grant anything: every change it takes
/// part in is "may add access", at its `.tf` line; the same text on both sides is no change.
#[test]
fn a_policy_a_directive_leaves_unreadable_may_add_anything() {
    let dir = crate::common::TempDir::new("diff-directive");
    let tf = std::fs::read_to_string(crate::common::root().join("tests/data/embedded/directives.tf")).unwrap();
    let unreadable = &tf[tf.find("resource \"alicloud_ram_policy\" \"conditional\"").unwrap()..];
    let old = dir.write("old.tf", "");
    let new = dir.write("new.tf", unreadable);
    let run = |a: &std::path::Path, b: &std::path::Path| {
        let output = assert_cmd::cargo::cargo_bin_cmd!("ramlint")
            .args(["diff", "--format", "json"])
            .arg(a)
            .arg(b)
            .output()
            .unwrap();
        (output.status.code().unwrap(), serde_json::from_slice::<Value>(&output.stdout).unwrap())
    };
    let (code, report) = run(&old, &new);
    assert_eq!(code, 1);
    let added = report["added"].as_array().unwrap();
    assert!(added.len() > 100, "every catalog action may be added: {}", added.len());
    assert!(added.iter().all(|a| a["exact"] == false && a["line"] == 4), "{}", added[0]);
    let (code, report) = run(&new, &new);
    assert_eq!(code, 0);
    assert_eq!(report["added"], json!([]));
}
