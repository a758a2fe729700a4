//! Lint and evaluation type condition values the same way (one `ConditionValue`): for every
//! operator category and arbitrary text, a value that lints clean under an operator of that
//! category is compared by the engine, and a value the engine cannot compare is a
//! `condition-value-type` finding. Plus the two cases users saw disagree: an impossible date
//! (`2099-02-30`), and a `+08` offset (accepted by both: ISO 8601 allows `±hh`).

use crate::common::{lint_text, TempDir};
use proptest::prelude::*;
use ramlint::eval::{Call, Context, Decision, PolicySet};
use serde_json::json;

const RULE: &str = "condition-value-type";

/// One operator category: its positive and (when RAM has one) negated operator, a key of its
/// type, and a value of the type for the call when the policy value is under test.
struct Category {
    name: &'static str,
    positive: &'static str,
    negated: Option<&'static str>,
    key: &'static str,
    valid: &'static str,
}

const CATEGORIES: &[Category] = &[
    Category {
        name: "string",
        positive: "StringEquals",
        negated: Some("StringNotEquals"),
        key: "acs:UserAgent",
        valid: "curl",
    },
    Category {
        name: "numeric",
        positive: "NumericEquals",
        negated: Some("NumericNotEquals"),
        key: "ecs:Size",
        valid: "40",
    },
    Category {
        name: "date",
        positive: "DateEquals",
        negated: Some("DateNotEquals"),
        key: "acs:CurrentTime",
        valid: "2026-03-02T09:00:00Z",
    },
    Category { name: "boolean", positive: "Bool", negated: None, key: "acs:MFAPresent", valid: "true" },
    Category {
        name: "ip",
        positive: "IpAddress",
        negated: Some("NotIpAddress"),
        key: "acs:SourceIp",
        valid: "203.0.113.7",
    },
];

fn category(name: &str) -> &'static Category {
    CATEGORIES.iter().find(|c| c.name == name).unwrap()
}

/// A policy allowing every call under one condition.
fn policy(operator: &str, key: &str, value: &str) -> String {
    serde_json::to_string_pretty(&json!({
        "Version": "1",
        "Statement": [{
            "Effect": "Allow",
            "Action": "vpc:DescribeEipAddresses",
            "Resource": "*",
            "Condition": {operator: {key: value}}
        }]
    }))
    .unwrap()
}

/// Whether `check` reports the value under the operator.
fn lint_finding(operator: &str, key: &str, value: &str) -> bool {
    let report = lint_text("policy.json", &policy(operator, key, value), None);
    report.diagnostics.iter().any(|d| d.rule == RULE)
}

/// The decision of the engine for a call carrying `key` = `actual`, under the policy.
fn decision(operator: &str, key: &str, value: &str, actual: &str) -> Decision {
    let set = PolicySet::new(vec![("policy.json".to_string(), policy(operator, key, value))]).unwrap();
    let mut context = Context::default();
    context.add(key, actual);
    let call = Call { action: "vpc:DescribeEipAddresses".to_string(), context, ..Default::default() };
    let fast = set.decide(&call, |_, _, _| {});
    assert_eq!(fast, set.explain(&call).decision, "decide() and explain() disagree");
    fast
}

/// The call value that a policy value compares equal to (an IP block holds its own address).
fn itself(category: &Category, value: &str) -> String {
    match category.name {
        "ip" => value.split_once('/').map_or(value, |(address, _)| address).to_string(),
        _ => value.to_string(),
    }
}

/// Whether the engine types `value`: a value of the type holds against itself.
fn engine_types(category: &Category, value: &str) -> bool {
    decision(category.positive, category.key, value, &itself(category, value)) == Decision::Allow
}

fn agree(category: &Category, value: &str) -> Result<(), TestCaseError> {
    let clean = !lint_finding(category.positive, category.key, value);
    let typed = engine_types(category, value);
    prop_assert_eq!(
        clean,
        typed,
        "{} value {:?}: lints clean {}, engine types it {}",
        category.name,
        value,
        clean,
        typed
    );
    if let (false, Some(negated)) = (typed, category.negated) {
        // Not a value: even the negated operator does not hold, whatever the call carries.
        prop_assert_eq!(
            decision(negated, category.key, value, category.valid),
            Decision::ImplicitDeny,
            "{} {:?} holds",
            negated,
            value
        );
        prop_assert!(lint_finding(negated, category.key, value), "{} {:?} lints clean", negated, value);
    }
    // The call's value is typed the same way: one that is not a value never satisfies a
    // condition, negated or not.
    if !typed {
        prop_assert_eq!(decision(category.positive, category.key, category.valid, value), Decision::ImplicitDeny);
        if let Some(negated) = category.negated {
            prop_assert_eq!(decision(negated, category.key, category.valid, value), Decision::ImplicitDeny);
        }
    }
    Ok(())
}

/// Arbitrary text, and text near each category's form (most of it valid, some of it not).
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9a-zA-Z:./ +-]{0,24}",
        // Dates, with impossible days and months, out-of-range times and every zone form.
        "[0-9]{4}-[01][0-9]-[0-3][0-9]([T t][0-2][0-9]:[0-6][0-9](:[0-6][0-9](\\.[0-9]{0,4})?)?([Zz]|[+-][0-2][0-9](:?[0-6][0-9]{1,2})?)?)?",
        "20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](Z|[+-]0[0-9](:?[0-5][0-9])?)",
        // Addresses and blocks, IPv4, IPv6 and IPv4-mapped.
        "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}(/[0-9+]{0,3})?",
        "(::ffff:)?(1?[0-9]{1,2}\\.){3}1?[0-9]{1,2}(/[0-9]{1,3})?",
        "[0-9a-f]{0,4}(:[0-9a-f]{0,4}){1,7}(/[0-9]{1,3})?",
        // Numbers and Booleans.
        "[ ]?[+-]?[0-9]{0,4}(\\.[0-9]{0,3})?([eE][+-]?[0-9]{1,3})?[ ]?",
        "(inf|-inf|NaN|infinity|1e308|1e309|0x10)",
        "[ ]?[tTfF][rRaA][uUlL][eEsS][eE]?[ ]?",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn lint_and_engine_agree_on_strings(value in text()) {
        agree(category("string"), &value)?;
    }

    #[test]
    fn lint_and_engine_agree_on_numbers(value in text()) {
        agree(category("numeric"), &value)?;
    }

    #[test]
    fn lint_and_engine_agree_on_dates(value in text()) {
        agree(category("date"), &value)?;
    }

    #[test]
    fn lint_and_engine_agree_on_booleans(value in text()) {
        agree(category("boolean"), &value)?;
    }

    #[test]
    fn lint_and_engine_agree_on_ip_addresses(value in text()) {
        agree(category("ip"), &value)?;
    }
}

#[test]
fn the_forms_users_write_agree() {
    for (name, value) in [
        ("date", "2099-02-30T00:00:00Z"),
        ("date", "2026-12-31T18:00:00+08"),
        ("date", "2026-12-31T18:00:00+0800"),
        ("date", "2026-12-31T18:00:00+08:00"),
        ("date", "2024-02-29"),
        ("date", " 2026-12-31T18:00:00Z"),
        ("ip", "10.0.0.0/33"),
        ("ip", "::ffff:10.0.0.1"),
        ("ip", "42.120.XX.X/24"),
        ("boolean", " true"),
        ("numeric", " 10 "),
    ] {
        agree(category(name), value).unwrap();
    }
}

// ---------------------------------------------------------------------------------------------
// The two cases of the issue

/// `ramlint simulate --policy policy.json --action vpc:DescribeEipAddresses` at a fixed time:
/// its exit code and standard error.
fn simulate(text: &str) -> (i32, String, String) {
    let dir = TempDir::new("condition-values");
    dir.write("policy.json", text);
    let output = assert_cmd::cargo::cargo_bin_cmd!("ramlint")
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["simulate", "--policy", "policy.json", "--action", "vpc:DescribeEipAddresses"])
        .args(["--context", "acs:CurrentTime=2026-03-02T09:00:00Z", "--color", "never"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code().unwrap(), String::from_utf8(output.stdout).unwrap(), stderr)
}

#[test]
fn an_impossible_date_is_a_finding_and_never_holds() {
    let text = policy("DateLessThan", "acs:CurrentTime", "2099-02-30T00:00:00Z");
    let report = lint_text("policy.json", &text, None);
    let findings: Vec<_> = report.diagnostics.iter().filter(|d| d.rule == RULE).collect();
    assert_eq!(findings.len(), 1, "{:#?}", report.diagnostics);
    assert_eq!(findings[0].message, "`2099-02-30T00:00:00Z` is not a valid value for `DateLessThan`");
    assert_eq!(findings[0].label.as_deref(), Some("2099-02 has no day 30"));
    assert_eq!(findings[0].pointer, "/Statement/0/Condition/DateLessThan/acs:CurrentTime");

    // `simulate` cannot compare it either: the `Allow` does not apply, and the warning says
    // the file holds an error.
    let (code, stdout, stderr) = simulate(&text);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(stdout.contains("implicitly denied"), "{stdout}");
    assert!(stderr.contains("has 1 error RAM would reject"), "{stderr}");
    // Nor does a `Deny` guard with it apply (it is not a date, so no comparison holds).
    let guard = policy("DateNotEquals", "acs:CurrentTime", "2099-02-30T00:00:00Z").replace("Allow", "Deny");
    assert!(lint_text("guard.json", &guard, None).diagnostics.iter().any(|d| d.rule == RULE));
    assert_eq!(decision("DateNotEquals", "acs:CurrentTime", "2099-02-30T00:00:00Z", "2026-03-02T09:00:00Z"), {
        Decision::ImplicitDeny
    });
}

#[test]
fn an_offset_of_hours_only_is_a_date_for_check_and_simulate() {
    // ISO 8601 writes an offset `+08:00`, `+0800` or `+08`: all three are dates, the same time.
    for offset in ["+08:00", "+0800", "+08"] {
        let value = format!("2026-03-02T17:00:00{offset}");
        let text = policy("DateEquals", "acs:CurrentTime", &value);
        let report = lint_text("policy.json", &text, None);
        assert!(report.diagnostics.is_empty(), "{value}: {:#?}", report.diagnostics);
        let (code, stdout, stderr) = simulate(&text);
        assert_eq!(code, 0, "{value} is 2026-03-02T09:00:00Z:\n{stdout}\n{stderr}");
        assert!(stderr.is_empty(), "{stderr}");
    }
    // A malformed offset is neither.
    let text = policy("DateEquals", "acs:CurrentTime", "2026-03-02T17:00:00+8");
    assert!(lint_text("policy.json", &text, None).diagnostics.iter().any(|d| d.rule == RULE));
    assert_eq!(simulate(&text).0, 1);
}
