use super::*;

fn set(policies: &[&str]) -> PolicySet {
    let sources = policies.iter().enumerate().map(|(i, p)| (format!("p{i}.json"), p.to_string())).collect();
    match PolicySet::new(sources) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

fn call(action: &str, resources: &[&str], context: &[(&str, &str)]) -> Call {
    let mut c = Context::default();
    for (k, v) in context {
        c.add(k, v);
    }
    Call {
        action: action.into(),
        resources: resources.iter().map(|r| r.to_string()).collect(),
        context: c,
        open: Open::default(),
    }
}

fn decide(s: &PolicySet, c: &Call) -> Decision {
    let fast = s.decide(c, |_, _, _| {});
    assert_eq!(fast, s.explain(c).decision, "the fast path and the trace agree");
    fast
}

const EIP: &str = "acs:vpc:cn-hangzhou:1234567890123456:eip/eip-bp1m6u2o8y4r7t3w5q9z0";

#[test]
fn nothing_is_allowed_by_default() {
    let s = set(&[r#"{"Version":"1","Statement":[]}"#]);
    assert_eq!(decide(&s, &call("vpc:UnassociateEipAddress", &[EIP], &[])), Decision::ImplicitDeny);
}

#[test]
fn actions_match_case_insensitively_with_wildcards() {
    let s = set(&[r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"VPC:unassociate*","Resource":"*"}]}"#]);
    assert_eq!(decide(&s, &call("vpc:UnassociateEipAddress", &[EIP], &[])), Decision::Allow);
    assert_eq!(decide(&s, &call("vpc:AssociateEipAddress", &[EIP], &[])), Decision::ImplicitDeny);
    let q = set(&[
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"vpc:?nassociateEipAddress","Resource":"*"}]}"#,
    ]);
    assert_eq!(decide(&q, &call("vpc:UnassociateEipAddress", &[EIP], &[])), Decision::Allow);
}

#[test]
fn an_explicit_deny_wins_across_policies() {
    let allow = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    let deny = r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"vpc:*","Resource":"acs:vpc:*:*:eip/*"}]}"#;
    let s = set(&[allow, deny]);
    assert_eq!(decide(&s, &call("vpc:ReleaseEipAddress", &[EIP], &[])), Decision::ExplicitDeny);
    assert_eq!(decide(&s, &call("ecs:DescribeInstances", &["*"], &[])), Decision::Allow);
    let trace = s.explain(&call("vpc:ReleaseEipAddress", &[EIP], &[]));
    assert_eq!(trace.deciding(), vec![1]);
}

#[test]
fn not_action_and_not_resource_subtract() {
    let s = set(&[r#"{"Version":"1","Statement":[
        {"Effect":"Allow","NotAction":"ram:*","Resource":"*"},
        {"Effect":"Allow","Action":"ram:GetUser","NotResource":"acs:ram:*:*:user/root*"}]}"#]);
    assert_eq!(decide(&s, &call("vpc:ReleaseEipAddress", &[EIP], &[])), Decision::Allow);
    assert_eq!(decide(&s, &call("ram:CreateUser", &["acs:ram::1:user/a"], &[])), Decision::ImplicitDeny);
    assert_eq!(decide(&s, &call("ram:GetUser", &["acs:ram::1:user/alice"], &[])), Decision::Allow);
    assert_eq!(decide(&s, &call("ram:GetUser", &["acs:ram::1:user/rootish"], &[])), Decision::ImplicitDeny);
}

#[test]
fn every_resource_of_a_call_must_be_allowed() {
    let s = set(&[
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"vpc:UnassociateEipAddress","Resource":"acs:vpc:*:*:eip/*"}]}"#,
    ]);
    let instance = "acs:ecs:cn-hangzhou:1234567890123456:instance/i-1";
    assert_eq!(decide(&s, &call("vpc:UnassociateEipAddress", &[EIP], &[])), Decision::Allow);
    assert_eq!(decide(&s, &call("vpc:UnassociateEipAddress", &[EIP, instance], &[])), Decision::ImplicitDeny);
}

#[test]
fn an_unknown_id_needs_a_grant_on_every_resource_of_its_type() {
    let one = set(&[
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"vpc:DescribeEipAddresses","Resource":"acs:vpc:*:*:eip/eip-1"}]}"#,
    ]);
    let all = set(&[
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"vpc:DescribeEipAddresses","Resource":"acs:vpc:*:*:eip/*"}]}"#,
    ]);
    let list = call("vpc:DescribeEipAddresses", &["acs:vpc:cn-hangzhou:1:eip/*"], &[]);
    assert_eq!(decide(&one, &list), Decision::ImplicitDeny);
    assert_eq!(decide(&all, &list), Decision::Allow);
}

#[test]
fn conditions_and_within_a_statement() {
    let s = set(&[r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"vpc:*","Resource":"*",
        "Condition":{"IpAddress":{"acs:SourceIp":["10.0.0.0/8","192.168.1.1"]},"Bool":{"acs:SecureTransport":"true"}}}]}"#]);
    let ok = [("acs:SourceIp", "192.168.1.1"), ("acs:SecureTransport", "true")];
    assert_eq!(decide(&s, &call("vpc:ReleaseEipAddress", &[EIP], &ok)), Decision::Allow);
    let insecure = [("acs:SourceIp", "10.2.3.4"), ("acs:SecureTransport", "false")];
    assert_eq!(decide(&s, &call("vpc:ReleaseEipAddress", &[EIP], &insecure)), Decision::ImplicitDeny);
    let missing = [("acs:SourceIp", "10.2.3.4")];
    assert_eq!(decide(&s, &call("vpc:ReleaseEipAddress", &[EIP], &missing)), Decision::ImplicitDeny);
}

#[test]
fn a_deny_on_a_missing_key_does_not_apply() {
    let s = set(&[r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
        {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"acs:MFAPresent":"false"}}}]}"#]);
    assert_eq!(decide(&s, &call("vpc:ReleaseEipAddress", &[EIP], &[])), Decision::Allow);
    assert_eq!(
        decide(&s, &call("vpc:ReleaseEipAddress", &[EIP], &[("acs:MFAPresent", "false")])),
        Decision::ExplicitDeny
    );
}

#[test]
fn malformed_and_trust_statements_never_apply() {
    let s = set(&[r#"{"Version":"1","Statement":[
        {"Effect":"allow","Action":"*","Resource":"*"},
        {"Effect":"Allow","Action":"*"},
        {"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":["ecs.aliyuncs.com"]}},
        {"Effect":"Allow","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"acs:MFAPresent":"true"}}}]}"#]);
    let c = call("sts:AssumeRole", &["acs:ram::1:role/r"], &[("acs:MFAPresent", "true")]);
    assert_eq!(decide(&s, &c), Decision::ImplicitDeny);
    let trace = s.explain(&c);
    assert!(trace.statements.iter().all(|o| !matches!(o, trace::Outcome::Applies { .. })));
}

#[test]
fn usage_reports_the_matching_patterns_of_allowing_statements() {
    let s = set(&[
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["vpc:Describe*","vpc:UnassociateEipAddress","vpc:*Eip*"],"Resource":"*"},
        {"Effect":"Allow","NotAction":"ram:*","Resource":"acs:ecs:*:*:*"}]}"#,
    ]);
    let mut used = Vec::new();
    s.decide(&call("vpc:UnassociateEipAddress", &[EIP], &[]), |st, hits, _| used.push((st, hits.to_vec())));
    assert_eq!(used, vec![(0, vec![1, 2])]);
}

#[test]
fn the_trace_says_why_a_statement_did_not_apply() {
    let s = set(&[r#"{"Version":"1","Statement":[
        {"Effect":"Allow","Action":"vpc:ReleaseEipAddress","Resource":"*"},
        {"Effect":"Allow","Action":"vpc:UnassociateEipAddress","Resource":"acs:vpc:*:*:havip/*"},
        {"Effect":"Allow","Action":"vpc:UnassociateEipAddress","Resource":"*","Condition":{"IpAddress":{"acs:SourceIp":"10.0.0.0/8"}}}]}"#]);
    let e = s.explain(&call("vpc:UnassociateEipAddress", &[EIP], &[("acs:SourceIp", "203.0.113.1")]));
    let ats: Vec<&str> = e.statements.iter().map(|o| o.at()).collect();
    assert_eq!(
        ats,
        vec!["/Statement/0/Action", "/Statement/1/Resource", "/Statement/2/Condition/IpAddress/acs:SourceIp"]
    );
    assert!(e.summary(&s).contains("`acs:SourceIp` is `203.0.113.1`"), "{}", e.summary(&s));
}

#[test]
fn fields_a_record_does_not_name_match_any_statement() {
    let s = set(&[
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"vpc:ReleaseEipAddress","Resource":"acs:vpc:cn-hangzhou:1234567890123456:eip/*"}]}"#,
    ]);
    let mut c = call("vpc:ReleaseEipAddress", &["acs:vpc:cn-hangzhou:*:eip/eip-1"], &[]);
    assert_eq!(decide(&s, &c), Decision::ImplicitDeny, "a `*` account needs a grant on every account");
    c.open.account = true;
    assert_eq!(decide(&s, &c), Decision::Allow, "an unknown account matches the statement's");
    c.resources = vec!["acs:vpc:cn-beijing:*:eip/eip-1".into()];
    assert_eq!(decide(&s, &c), Decision::ImplicitDeny, "a known region still has to match");
}

#[test]
fn a_malformed_element_makes_its_statement_never_apply() {
    for statement in [
        r#"{"Effect":"Allow","Action":"vpc:*","Resource":"*","Condition":{"IpAddress":["acs:SourceIp","10.0.0.0/8"]}}"#,
        r#"{"Effect":"Allow","Action":"vpc:*","Resource":"*","Condition":null}"#,
        r#"{"Effect":"Allow","Action":"vpc:*","Resource":"*","Condition":"nope"}"#,
        r#"{"Effect":"Allow","Action":"vpc:*","NotResource":[]}"#,
        r#"{"Effect":"Allow","Action":"vpc:*","NotResource":5}"#,
        r#"{"Effect":"Allow","NotAction":[],"Resource":"*"}"#,
        r#"{"Effect":"Allow","Action":"vpc:*","NotAction":"ram:*","Resource":"*"}"#,
        r#"{"Effect":"Allow","Action":["vpc:*",""],"Resource":"*"}"#,
    ] {
        let s = set(&[&format!(r#"{{"Version":"1","Statement":[{statement}]}}"#)]);
        let c = call("vpc:ReleaseEipAddress", &[EIP], &[("acs:SourceIp", "8.8.8.8")]);
        assert_eq!(decide(&s, &c), Decision::ImplicitDeny, "{statement}");
        assert!(matches!(s.explain(&c).statements[0], trace::Outcome::NotEvaluated { .. }), "{statement}");
    }
    let empty =
        set(&[r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"vpc:*","Resource":"*","Condition":{}}]}"#]);
    assert_eq!(
        decide(&empty, &call("vpc:ReleaseEipAddress", &[EIP], &[])),
        Decision::Allow,
        "`Condition: {{}}` is valid"
    );
}

#[test]
fn not_resource_grants_many_resources_only_when_none_is_excluded() {
    let s = set(&[
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"vpc:*","NotResource":"acs:vpc:*:*:eip/eip-secret"}]}"#,
    ]);
    assert_eq!(decide(&s, &call("vpc:ReleaseEipAddress", &["acs:vpc:cn-hangzhou:1:eip/eip-1"], &[])), Decision::Allow);
    assert_eq!(
        decide(&s, &call("vpc:ReleaseEipAddress", &["acs:vpc:cn-hangzhou:1:eip/eip-secret"], &[])),
        Decision::ImplicitDeny
    );
    assert_eq!(
        decide(&s, &call("vpc:DescribeEipAddresses", &["acs:vpc:cn-hangzhou:1:eip/*"], &[])),
        Decision::ImplicitDeny
    );
    assert_eq!(decide(&s, &call("vpc:DescribeHaVips", &["acs:vpc:cn-hangzhou:1:havip/*"], &[])), Decision::Allow);
}
