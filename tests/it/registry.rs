//! The rule registry (`rules::ALL`): ids are unique, kebab-case and sorted; each rule has its
//! docs page and fixtures; every rule the contract requires is registered with its severity.

use crate::common::{root, sorted_entries};
use ramlint::finding::{Category, Severity, Subject};
use ramlint::rules::{by_id, ALL};

/// The policy rules table of the contract: id, severity, and the category where it says one.
const POLICY_RULES: &[(&str, Severity, Option<Category>)] = &[
    ("json-syntax", Severity::Error, None),
    ("duplicate-key", Severity::Error, None),
    ("invalid-version", Severity::Error, None),
    ("invalid-statement", Severity::Error, None),
    ("unknown-element", Severity::Error, None),
    ("undocumented-element", Severity::Warning, None),
    ("invalid-value-type", Severity::Error, None),
    ("invalid-effect", Severity::Error, None),
    ("missing-action", Severity::Error, None),
    ("missing-resource", Severity::Error, None),
    ("conflicting-elements", Severity::Error, None),
    ("invalid-action-format", Severity::Error, None),
    ("invalid-arn", Severity::Error, None),
    ("invalid-region", Severity::Error, None),
    ("invalid-account-id", Severity::Error, None),
    ("invalid-condition-operator", Severity::Error, None),
    ("invalid-condition-key", Severity::Error, None),
    ("condition-value-type", Severity::Error, None),
    ("policy-too-large", Severity::Error, None),
    ("invalid-principal", Severity::Error, None),
    ("unknown-service", Severity::Warning, None),
    ("unknown-action", Severity::Error, None),
    ("action-matches-nothing", Severity::Error, None),
    ("resource-type-mismatch", Severity::Warning, None),
    ("arn-service-mismatch", Severity::Warning, None),
    ("invalid-resource-id", Severity::Warning, None),
    ("unknown-condition-key", Severity::Warning, None),
    ("condition-operator-mismatch", Severity::Error, None),
    ("full-admin", Severity::Error, Some(Category::Security)),
    ("allow-not-action", Severity::Warning, Some(Category::Security)),
    ("privilege-escalation", Severity::Warning, Some(Category::Security)),
    ("pass-role-wildcard", Severity::Warning, Some(Category::Security)),
    ("redundant-action", Severity::Info, Some(Category::Suggestion)),
    ("duplicate-statement", Severity::Info, Some(Category::Suggestion)),
    // Added in turn 2.
    ("public-role-trust", Severity::Error, Some(Category::Security)),
    ("unconstrained-oidc-trust", Severity::Warning, Some(Category::Security)),
    ("invalid-trust-action", Severity::Error, None),
];

/// The request rules table of the contract.
const REQUEST_RULES: &[(&str, Severity, Option<Category>)] = &[
    ("unknown-api", Severity::Error, None),
    ("missing-parameter", Severity::Error, None),
    ("unknown-parameter", Severity::Warning, None),
    ("invalid-parameter-type", Severity::Error, None),
    ("invalid-enum-value", Severity::Error, None),
    ("invalid-parameter-format", Severity::Error, None),
    ("instance-type-mismatch", Severity::Error, None),
    ("parameter-not-applicable", Severity::Warning, None),
    ("recorded-error", Severity::Info, Some(Category::Audit)),
    // Added for issue 17.
    ("unknown-api-version", Severity::Error, None),
];

/// The audit rules table of the contract. They land with `ramlint audit`, so they are checked
/// only once registered.
const AUDIT_RULES: &[(&str, Severity, Option<Category>)] = &[
    ("concurrent-operation", Severity::Warning, Some(Category::Audit)),
    ("operation-while-pending", Severity::Warning, Some(Category::Audit)),
    ("client-token-reuse", Severity::Warning, Some(Category::Audit)),
    ("denied-by-policy", Severity::Warning, Some(Category::Audit)),
    ("unused-permission", Severity::Info, Some(Category::Audit)),
];

fn ids() -> Vec<&'static str> {
    ALL.iter().map(|r| r.meta().id).collect()
}

fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            part.starts_with(|c: char| c.is_ascii_lowercase())
                && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

#[test]
fn ids_are_unique_kebab_case_and_sorted() {
    let ids = ids();
    for id in &ids {
        assert!(is_kebab_case(id), "rule id `{id}` is not kebab-case");
    }
    for pair in ids.windows(2) {
        assert!(
            pair[0] < pair[1],
            "rules::ALL must be sorted by id without repeats: `{}` comes before `{}`",
            pair[0],
            pair[1]
        );
    }
    assert!(
        is_kebab_case("a-b2-c")
            && !is_kebab_case("A-b")
            && !is_kebab_case("a--b")
            && !is_kebab_case("a_b")
            && !is_kebab_case("-a")
    );
}

#[test]
fn by_id_finds_every_rule() {
    for id in ids() {
        assert_eq!(by_id(id).map(|r| r.meta().id), Some(id));
    }
    assert!(by_id("no-such-rule").is_none());
}

#[test]
fn summaries_are_one_lowercase_line() {
    for rule in ALL {
        let m = rule.meta();
        assert!(!m.summary.is_empty() && !m.summary.contains('\n'), "`{}`: the summary is one line", m.id);
        assert!(!m.summary.ends_with('.'), "`{}`: the summary has no final period", m.id);
        assert!(!m.summary.starts_with(|c: char| c.is_uppercase()), "`{}`: the summary starts in lowercase", m.id);
    }
}

#[test]
fn every_rule_has_a_docs_page_and_fixtures() {
    for id in ids() {
        assert!(root().join("docs/rules").join(format!("{id}.md")).is_file(), "docs/rules/{id}.md is missing");
        let dir = root().join("fixtures").join(id);
        assert!(dir.is_dir(), "fixtures/{id}/ is missing");
        let names: Vec<String> =
            sorted_entries(&dir).iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert!(names.iter().any(|n| n.starts_with("invalid")), "fixtures/{id}/ has no invalid* file");
        assert!(names.iter().any(|n| n.starts_with("valid")), "fixtures/{id}/ has no valid* file");
    }
}

#[test]
fn docs_pages_and_fixture_folders_belong_to_registered_rules() {
    let ids = ids();
    for page in sorted_entries(&root().join("docs/rules")) {
        let stem = page.file_stem().unwrap().to_string_lossy().into_owned();
        assert!(ids.contains(&stem.as_str()), "docs/rules/{stem}.md documents no registered rule");
    }
    for dir in sorted_entries(&root().join("fixtures")).into_iter().filter(|p| p.is_dir()) {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!(ids.contains(&name.as_str()), "fixtures/{name}/ belongs to no registered rule");
    }
}

fn check_registered(table: &[(&str, Severity, Option<Category>)]) {
    for (id, severity, category) in table {
        let rule = by_id(id).unwrap_or_else(|| panic!("the contract requires the rule `{id}`"));
        assert_eq!(rule.meta().severity, *severity, "`{id}` has the contract's severity");
        if let Some(category) = category {
            assert_eq!(rule.meta().category, *category, "`{id}` has the contract's category");
        }
    }
}

#[test]
fn contract_policy_rules_are_registered() {
    check_registered(POLICY_RULES);
}

#[test]
fn contract_request_rules_are_registered() {
    check_registered(REQUEST_RULES);
}

#[test]
fn contract_audit_rules_have_the_contract_severity_once_registered() {
    let registered: Vec<_> = AUDIT_RULES.iter().copied().filter(|(id, _, _)| by_id(id).is_some()).collect();
    check_registered(&registered);
}

#[test]
fn rule_ids() {
    insta::assert_snapshot!(ids().join("\n"));
}

/// The rules over the calls of a log run through their `check_calls` hooks in `rules::ALL`:
/// the registry's dispatch alone, over calls given out of order, finds a repeated operation, an
/// operation while another is pending, and a reused client token.
#[test]
fn log_rules_fire_through_the_registry() {
    use ramlint::model::call::{CallFact, CallParts, OrderedCalls, Place};
    use std::sync::Arc;
    let resources = &crate::common::catalog().sequences;
    let eip = resources.iter().position(|r| r.key == "AllocationId").unwrap();
    let call = |record: usize, api: &str, fingerprint: u64, token: u64| {
        let place = Place { line: u32::try_from(record).unwrap(), column: 1, end_column: 5 };
        CallFact::new(CallParts {
            file: Arc::from("log.jsonl"),
            api: Arc::from(api),
            time: Some(1_000 * i64::try_from(record).unwrap()),
            fingerprint,
            record: Some(record),
            query: false,
            accepted: true,
            in_event: false,
            key: Some((eip, Arc::from("eip-bp1k4t7x2m9q5w3e8r6y1"), place)),
            token: Some((token, place)),
        })
    };
    let facts = [
        call(3, "ReleaseEipAddress", 30, 7),
        call(2, "UnassociateEipAddress", 20, 8),
        call(1, "UnassociateEipAddress", 10, 7),
    ];
    let calls = OrderedCalls::new(facts.iter().collect(), resources, 10_000);
    let found: Vec<(&str, Option<String>)> = ramlint::rules::check_calls(&calls)
        .iter()
        .map(|f| {
            let record = match &f.primary {
                ramlint::finding::Target::Located { file, record, .. } => Some(format!("{file}:{}", record.unwrap())),
                _ => None,
            };
            (f.rule.id, record)
        })
        .collect();
    let at = |s: &str| Some(s.to_string());
    assert_eq!(
        found,
        [
            ("client-token-reuse", at("log.jsonl:3")),
            ("concurrent-operation", at("log.jsonl:2")),
            ("operation-while-pending", at("log.jsonl:3")),
        ]
    );
    for (id, _) in &found {
        assert_eq!(by_id(id).unwrap().meta().subject, Subject::Log, "`{id}` is a rule of the log");
    }
}

/// The rules about the configuration run through their `check_config` hooks in `rules::ALL`:
/// an expired suppression is `expired-suppression` (not also unused), one that hid nothing is
/// `unused-suppression`, one that hid something is fine.
#[test]
fn config_rules_fire_through_the_registry() {
    use ramlint::json::Span;
    use ramlint::model::config::{ConfigView, Expiry, SuppressionUse};
    let expiry = Expiry { date: "2026-01-01".into(), end_ms: 1_000 };
    let suppression = |index: usize, uses: usize| SuppressionUse {
        index,
        rule: "full-admin",
        reason: "reviewed",
        expires: None,
        uses,
        span: Span::new(index * 10, index * 10 + 5),
    };
    let expired = SuppressionUse { expires: Some(&expiry), ..suppression(0, 0) };
    let view = ConfigView { suppressions: vec![expired, suppression(1, 0), suppression(2, 3)], now_ms: 2_000 };
    let found: Vec<(&str, String)> =
        ramlint::rules::check_config(&view).iter().map(|f| (f.rule.id, f.primary.pointer().to_string())).collect();
    assert_eq!(
        found,
        [("expired-suppression", "/suppress/0".to_string()), ("unused-suppression", "/suppress/1".to_string())]
    );
    for (id, _) in &found {
        assert_eq!(by_id(id).unwrap().meta().subject, Subject::Config, "`{id}` is a rule of the configuration");
    }
}

/// The replay rules run through their `check_replay` hooks in `rules::ALL` (per replayed call
/// while linting, over the whole run at the end of an audit): each fires on its fixture.
#[test]
fn replay_rules_fire_through_the_registry() {
    let replay: Vec<&str> =
        ALL.iter().map(|r| r.meta()).filter(|m| m.subject == Subject::Replay).map(|m| m.id).collect();
    assert_eq!(replay, ["denied-by-policy", "unused-permission"]);
    for (id, fixture) in [
        ("denied-by-policy", "fixtures/denied-by-policy/invalid-implicit-deny-action.jsonl"),
        ("unused-permission", "fixtures/unused-permission/invalid-action-never-used.jsonl"),
    ] {
        let report = crate::common::run_audit_fixture(id, std::path::Path::new(fixture));
        assert!(crate::common::json_rule_ids(&report).iter().any(|r| r == id), "{fixture} reports `{id}`");
    }
}

/// `rules::check_document` runs only the rules of subject `file` (once per document and per
/// log record): every rule's document hook, run directly over a document that breaks the
/// file rules, finds something only in rules of that subject, and the dispatch finds the same.
#[test]
fn document_hooks_belong_to_file_rules() {
    let text = r#"{"Version": "1", "Version": "1", "Statement": [{"Effect": "Allow", "Effect": "Deny",
        "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"a": "b", "a": "c"}}}]}"#;
    let root = ramlint::json::parse(text).unwrap();
    let project = ramlint::rules::Project::default();
    let mut direct = Vec::new();
    for rule in ALL {
        let mut cx = ramlint::rules::Context::new(crate::common::catalog(), text, &project);
        rule.check_document(&root, &mut cx);
        let found = cx.into_findings();
        if !found.is_empty() {
            assert_eq!(rule.meta().subject, Subject::File, "`{}` has a document hook", rule.meta().id);
        }
        direct.extend(found.into_iter().map(|f| (f.rule.id, f.primary.pointer().to_string())));
    }
    let mut cx = ramlint::rules::Context::new(crate::common::catalog(), text, &project);
    ramlint::rules::check_document(&root, &mut cx);
    let dispatched: Vec<_> =
        cx.into_findings().into_iter().map(|f| (f.rule.id, f.primary.pointer().to_string())).collect();
    assert_eq!(dispatched.len(), 3, "{dispatched:?}");
    assert_eq!(dispatched, direct);
}
