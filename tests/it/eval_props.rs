//! Properties of the policy evaluation (`ramlint::eval`) over random policies and calls drawn
//! from a small alphabet (EIP actions and ARNs, `Action`/`NotAction`, `Resource`/`NotResource`,
//! conditions on `acs:SourceIp` and `acs:MFAPresent`): an added `Deny` never grants, an added
//! `Allow` never revokes, `Deny * *` denies everything, statement order and the split into
//! files do not matter, a call on several resources is decided resource by resource, and the
//! fast path (`decide`) agrees with the trace (`explain`).

use proptest::prelude::*;
use proptest::sample::select;
use ramlint::eval::{Call, Context, Decision, Effect, PolicySet};
use serde_json::{json, Map, Value};

// ---------------------------------------------------------------------------------------------
// The alphabet

const ACTION_PATTERNS: &[&str] =
    &["vpc:UnassociateEipAddress", "vpc:ReleaseEipAddress", "vpc:Describe*", "vpc:*", "*", "ecs:*", "vpc:*EipAddress"];

const CALL_ACTIONS: &[&str] = &[
    "vpc:UnassociateEipAddress",
    "vpc:ReleaseEipAddress",
    "vpc:DescribeEipAddresses",
    "vpc:AssociateEipAddress",
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
    "acs:vpc:cn-hangzhou:1234567890123456:eip/*",
    "acs:ecs:cn-hangzhou:1234567890123456:instance/i-1",
    "*",
];

const NETWORKS: &[&str] = &["10.0.0.0/8", "192.168.1.0/24", "203.0.113.7", "0.0.0.0/0", "2001:db8::/32"];

const SOURCE_IPS: &[&str] = &["10.1.2.3", "192.168.1.20", "203.0.113.7", "198.51.100.1", "2001:db8::5"];

/// One statement, as the generator sees it.
#[derive(Debug, Clone)]
struct Stmt {
    effect: Effect,
    /// `NotAction` instead of `Action`.
    not_action: bool,
    actions: Vec<&'static str>,
    /// `NotResource` instead of `Resource`.
    not_resource: bool,
    resources: Vec<&'static str>,
    /// (`IpAddress` or `NotIpAddress`, networks) on `acs:SourceIp`.
    source_ip: Option<(&'static str, Vec<&'static str>)>,
    /// `Bool` on `acs:MFAPresent`.
    mfa: Option<bool>,
}

/// A string for one value, an array for several (as people write them).
fn one_or_many(items: &[&str]) -> Value {
    match items {
        [one] => json!(one),
        _ => json!(items),
    }
}

impl Stmt {
    fn to_json(&self) -> Value {
        let mut s = Map::new();
        s.insert("Effect".into(), json!(if self.effect == Effect::Allow { "Allow" } else { "Deny" }));
        let action = if self.not_action { "NotAction" } else { "Action" };
        s.insert(action.into(), one_or_many(&self.actions));
        let resource = if self.not_resource { "NotResource" } else { "Resource" };
        s.insert(resource.into(), one_or_many(&self.resources));
        let mut condition = Map::new();
        if let Some((operator, networks)) = &self.source_ip {
            condition.insert((*operator).into(), json!({ "acs:SourceIp": one_or_many(networks) }));
        }
        if let Some(mfa) = self.mfa {
            condition.insert("Bool".into(), json!({ "acs:MFAPresent": mfa.to_string() }));
        }
        if !condition.is_empty() {
            s.insert("Condition".into(), Value::Object(condition));
        }
        Value::Object(s)
    }
}

fn document(statements: &[Stmt]) -> String {
    let statements: Vec<Value> = statements.iter().map(Stmt::to_json).collect();
    serde_json::to_string_pretty(&json!({"Version": "1", "Statement": statements})).unwrap()
}

fn effect() -> impl Strategy<Value = Effect> {
    prop_oneof![Just(Effect::Allow), Just(Effect::Deny)]
}

fn statement_with(effect: impl Strategy<Value = Effect>) -> impl Strategy<Value = Stmt> {
    (
        effect,
        prop::bool::weighted(0.2),
        prop::collection::vec(select(ACTION_PATTERNS), 1..=3),
        prop::bool::weighted(0.2),
        prop::collection::vec(select(RESOURCE_PATTERNS), 1..=2),
        prop::option::weighted(
            0.3,
            (select(&["IpAddress", "NotIpAddress"][..]), prop::collection::vec(select(NETWORKS), 1..=2)),
        ),
        prop::option::weighted(0.25, any::<bool>()),
    )
        .prop_map(|(effect, not_action, actions, not_resource, resources, source_ip, mfa)| Stmt {
            effect,
            not_action,
            actions,
            not_resource,
            resources,
            source_ip,
            mfa,
        })
}

fn statement() -> impl Strategy<Value = Stmt> {
    statement_with(effect())
}

fn statements() -> impl Strategy<Value = Vec<Stmt>> {
    prop::collection::vec(statement(), 0..=6)
}

fn call() -> impl Strategy<Value = Call> {
    (
        select(CALL_ACTIONS),
        prop::collection::vec(select(CALL_RESOURCES), 1..=2),
        prop::option::weighted(0.7, select(SOURCE_IPS)),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(action, resources, source_ip, mfa)| {
            let mut context = Context::default();
            if let Some(ip) = source_ip {
                context.add("acs:SourceIp", ip);
            }
            if let Some(mfa) = mfa {
                context.add("acs:MFAPresent", if mfa { "true" } else { "false" });
            }
            make_call(action, resources.into_iter().map(str::to_string).collect(), context)
        })
}

fn make_call(action: &str, resources: Vec<String>, context: Context) -> Call {
    Call { action: action.to_string(), resources, context, ..Default::default() }
}

fn calls() -> impl Strategy<Value = Vec<Call>> {
    prop::collection::vec(call(), 1..=8)
}

// ---------------------------------------------------------------------------------------------
// Evaluating

/// Compiles policy files given as statement lists (named `p0.json`, `p1.json`, ...).
fn set_of(files: &[Vec<Stmt>]) -> PolicySet {
    let sources = files.iter().enumerate().map(|(i, s)| (format!("p{i}.json"), document(s))).collect();
    PolicySet::new(sources).unwrap_or_else(|e| panic!("{e}"))
}

fn set(statements: &[Stmt]) -> PolicySet {
    set_of(&[statements.to_vec()])
}

/// The decision, after checking that the fast path and the trace agree, and that the trace is
/// consistent with itself.
fn decide(set: &PolicySet, call: &Call) -> Result<Decision, TestCaseError> {
    let fast = set.decide(call, |_, _, _| {});
    let evaluation = set.explain(call);
    prop_assert_eq!(fast, evaluation.decision, "decide() and explain() disagree on {:?}", call);
    let deciding = evaluation.deciding();
    let effects: Vec<Option<Effect>> = deciding.iter().map(|&i| set.statements[i].effect).collect();
    match fast {
        Decision::Allow => prop_assert!(
            !effects.is_empty() && effects.iter().all(|e| *e == Some(Effect::Allow)),
            "an allow is decided by Allow statements: {:?}",
            effects
        ),
        Decision::ExplicitDeny => prop_assert!(
            !effects.is_empty() && effects.iter().all(|e| *e == Some(Effect::Deny)),
            "an explicit deny is decided by Deny statements: {:?}",
            effects
        ),
        Decision::ImplicitDeny => prop_assert!(deciding.is_empty(), "nothing decides an implicit deny"),
    }
    let json = evaluation.to_json(set);
    prop_assert_eq!(&json["decision"], &serde_json::to_value(fast).unwrap());
    prop_assert_eq!(json["matched"].as_array().map(Vec::len), Some(deciding.len()));
    Ok(fast)
}

fn decisions(set: &PolicySet, calls: &[Call]) -> Result<Vec<Decision>, TestCaseError> {
    calls.iter().map(|c| decide(set, c)).collect()
}

/// The statements with `extra` inserted at `at` (modulo the length).
fn with(statements: &[Stmt], extra: Stmt, at: usize) -> Vec<Stmt> {
    let mut out = statements.to_vec();
    out.insert(at % (out.len() + 1), extra);
    out
}

/// Splits statements into files at the given cut points (files may be empty).
fn split(statements: &[Stmt], cuts: &[usize]) -> Vec<Vec<Stmt>> {
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (statements.len() + 1)).collect();
    cuts.sort_unstable();
    let mut files = Vec::new();
    let mut start = 0;
    for cut in cuts {
        files.push(statements[start..cut].to_vec());
        start = cut;
    }
    files.push(statements[start..].to_vec());
    files
}

fn deny_all() -> Stmt {
    Stmt {
        effect: Effect::Deny,
        not_action: false,
        actions: vec!["*"],
        not_resource: false,
        resources: vec!["*"],
        source_ip: None,
        mfa: None,
    }
}

// ---------------------------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// A `Deny` can only turn a decision into an explicit deny: never grant, never lift a deny.
    #[test]
    fn an_added_deny_never_grants(
        base in statements(),
        deny in statement_with(Just(Effect::Deny)),
        at in any::<usize>(),
        own_file in any::<bool>(),
        calls in calls(),
    ) {
        let before = decisions(&set(&base), &calls)?;
        let after = if own_file {
            decisions(&set_of(&[base.clone(), vec![deny]]), &calls)?
        } else {
            decisions(&set(&with(&base, deny, at)), &calls)?
        };
        for ((call, b), a) in calls.iter().zip(&before).zip(&after) {
            prop_assert!(
                *a == *b || *a == Decision::ExplicitDeny,
                "adding a Deny changed {:?} into {:?} for {:?}", b, a, call
            );
            if *b != Decision::Allow {
                prop_assert_ne!(*a, Decision::Allow, "adding a Deny granted {:?}", call);
            }
        }
    }

    /// An `Allow` can only turn an implicit deny into an allow: never revoke, never lift an
    /// explicit deny.
    #[test]
    fn an_added_allow_never_revokes(
        base in statements(),
        allow in statement_with(Just(Effect::Allow)),
        at in any::<usize>(),
        own_file in any::<bool>(),
        calls in calls(),
    ) {
        let before = decisions(&set(&base), &calls)?;
        let after = if own_file {
            decisions(&set_of(&[vec![allow], base.clone()]), &calls)?
        } else {
            decisions(&set(&with(&base, allow, at)), &calls)?
        };
        for ((call, b), a) in calls.iter().zip(&before).zip(&after) {
            match b {
                Decision::Allow => prop_assert_eq!(*a, Decision::Allow, "adding an Allow revoked {:?}", call),
                Decision::ExplicitDeny => {
                    prop_assert_eq!(*a, Decision::ExplicitDeny, "adding an Allow lifted the Deny of {:?}", call)
                }
                Decision::ImplicitDeny => prop_assert_ne!(*a, Decision::ExplicitDeny, "{:?}", call),
            }
        }
    }

    /// `{"Effect":"Deny","Action":"*","Resource":"*"}` denies every call, wherever it is.
    #[test]
    fn deny_everything_denies_every_call(
        base in statements(),
        at in any::<usize>(),
        own_file in any::<bool>(),
        calls in calls(),
    ) {
        let s = if own_file { set_of(&[base, vec![deny_all()]]) } else { set(&with(&base, deny_all(), at)) };
        for call in &calls {
            prop_assert_eq!(decide(&s, call)?, Decision::ExplicitDeny, "{:?}", call);
        }
        // Also a call that names no resource (it is on `*`).
        let bare = make_call("vpc:ReleaseEipAddress", Vec::new(), Context::default());
        prop_assert_eq!(decide(&s, &bare)?, Decision::ExplicitDeny);
    }

    /// Neither the order of the statements nor how they are split into files matters.
    #[test]
    fn order_and_files_do_not_matter(
        (base, shuffled) in statements().prop_flat_map(|s| (Just(s.clone()), Just(s).prop_shuffle())),
        cuts in prop::collection::vec(any::<usize>(), 0..=3),
        calls in calls(),
    ) {
        let expected = decisions(&set(&base), &calls)?;
        prop_assert_eq!(&decisions(&set(&shuffled), &calls)?, &expected, "shuffled");
        prop_assert_eq!(&decisions(&set_of(&split(&base, &cuts)), &calls)?, &expected, "split");
        prop_assert_eq!(&decisions(&set_of(&split(&shuffled, &cuts)), &calls)?, &expected, "shuffled and split");
        // One file per statement.
        let each: Vec<Vec<Stmt>> = shuffled.iter().map(|s| vec![s.clone()]).collect();
        prop_assert_eq!(&decisions(&set_of(&each), &calls)?, &expected, "one file each");
    }

    /// A call on several resources is allowed only when each resource is; it is explicitly
    /// denied when any resource is.
    #[test]
    fn resources_are_decided_one_by_one(base in statements(), call in call()) {
        let s = set(&base);
        let each: Vec<Decision> = call
            .resources
            .iter()
            .map(|r| decide(&s, &make_call(&call.action, vec![r.clone()], call.context.clone())))
            .collect::<Result<_, _>>()?;
        let expected = if each.contains(&Decision::ExplicitDeny) {
            Decision::ExplicitDeny
        } else if each.contains(&Decision::ImplicitDeny) {
            Decision::ImplicitDeny
        } else {
            Decision::Allow
        };
        prop_assert_eq!(decide(&s, &call)?, expected, "{:?} per resource: {:?}", call, each);
    }

    /// The fast path and the trace agree (checked by `decide` above), also when the set is
    /// evaluated many times (its per-action cache) and for calls in any letter case.
    #[test]
    fn decide_agrees_with_explain(base in statements(), calls in calls()) {
        let s = set(&base);
        let first = decisions(&s, &calls)?;
        prop_assert_eq!(&decisions(&s, &calls)?, &first, "a second evaluation differs");
        for (call, expected) in calls.iter().zip(&first) {
            let upper = make_call(&call.action.to_uppercase(), call.resources.clone(), call.context.clone());
            prop_assert_eq!(decide(&s, &upper)?, *expected, "actions compare case-insensitively: {:?}", upper);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A few fixed cases, so that the alphabet is known to reach every decision.

#[test]
fn the_alphabet_reaches_every_decision() {
    let allow = Stmt {
        effect: Effect::Allow,
        not_action: false,
        actions: vec!["vpc:*"],
        not_resource: false,
        resources: vec!["acs:vpc:*:*:eip/*"],
        source_ip: Some(("IpAddress", vec!["10.0.0.0/8"])),
        mfa: None,
    };
    let deny_no_mfa = Stmt {
        effect: Effect::Deny,
        not_action: true,
        actions: vec!["vpc:Describe*"],
        not_resource: false,
        resources: vec!["*"],
        source_ip: None,
        mfa: Some(false),
    };
    let s = set(&[allow, deny_no_mfa]);
    let eip = || vec!["acs:vpc:cn-hangzhou:1234567890123456:eip/eip-1".to_string()];
    let ctx = |ip: &str, mfa: &str| {
        let mut c = Context::default();
        c.add("acs:SourceIp", ip);
        c.add("acs:MFAPresent", mfa);
        c
    };
    let d = |action: &str, c: Context| decide(&s, &make_call(action, eip(), c)).unwrap();
    assert_eq!(d("vpc:ReleaseEipAddress", ctx("10.1.2.3", "true")), Decision::Allow);
    assert_eq!(d("vpc:ReleaseEipAddress", ctx("203.0.113.7", "true")), Decision::ImplicitDeny);
    assert_eq!(d("vpc:ReleaseEipAddress", ctx("10.1.2.3", "false")), Decision::ExplicitDeny);
    // `NotAction` leaves the queries out of the Deny.
    assert_eq!(d("vpc:DescribeEipAddresses", ctx("10.1.2.3", "false")), Decision::Allow);
    // A condition on a key the call does not carry does not hold, for a Deny too.
    assert_eq!(d("vpc:ReleaseEipAddress", Context::default()), Decision::ImplicitDeny);
}
