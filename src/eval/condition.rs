//! Condition evaluation: every operator of RAM's five categories (string, number, date and
//! time, Boolean, IP address), with the documented combination: the values of one key are
//! OR'd, and a context key that the call does not carry fails its condition.

use super::Context;
use crate::catalog::wildcard;
use crate::json::{Node, Value};
use crate::model::condition_value::{Category, ConditionValue};

/// What an operator compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compare {
    String,
    StringIgnoreCase,
    Like,
    Number(Order),
    Date(Order),
    Bool,
    Ip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    Equal,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// How the values of a multi-valued context key combine (`ForAllValues:`, `ForAnyValue:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Qualifier {
    None,
    AnyValue,
    AllValues,
}

/// One key of one operator block: `"IpAddress": {"acs:SourceIp": [...]}`.
#[derive(Debug, Clone)]
pub struct Condition {
    /// The key member's pointer (`/Statement/0/Condition/IpAddress/acs:SourceIp`).
    pub pointer: String,
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
    /// `None` when RAM does not support the operator (it then never holds).
    compare: Option<(Compare, bool)>,
    /// The policy values typed by the operator's category (once, not per call); `None` when
    /// one of them is not of that type (the condition then never holds).
    typed: Option<Vec<ConditionValue<'static>>>,
    qualifier: Qualifier,
}

/// Why a condition holds or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Met,
    /// The call does not carry the key.
    Missing,
    /// The call's value does not satisfy the operator.
    NotMet,
    /// RAM does not support the operator.
    Unsupported,
}

fn parse_operator(name: &str) -> Option<(Compare, bool)> {
    use Compare::*;
    use Order::*;
    Some(match name {
        "StringEquals" => (String, false),
        "StringNotEquals" => (String, true),
        "StringEqualsIgnoreCase" => (StringIgnoreCase, false),
        "StringNotEqualsIgnoreCase" => (StringIgnoreCase, true),
        "StringLike" => (Like, false),
        "StringNotLike" => (Like, true),
        "NumericEquals" => (Number(Equal), false),
        "NumericNotEquals" => (Number(Equal), true),
        "NumericLessThan" => (Number(Less), false),
        "NumericLessThanEquals" => (Number(LessOrEqual), false),
        "NumericGreaterThan" => (Number(Greater), false),
        "NumericGreaterThanEquals" => (Number(GreaterOrEqual), false),
        "DateEquals" => (Date(Equal), false),
        "DateNotEquals" => (Date(Equal), true),
        "DateLessThan" => (Date(Less), false),
        "DateLessThanEquals" => (Date(LessOrEqual), false),
        "DateGreaterThan" => (Date(Greater), false),
        "DateGreaterThanEquals" => (Date(GreaterOrEqual), false),
        "Bool" => (Bool, false),
        "IpAddress" => (Ip, false),
        "NotIpAddress" => (Ip, true),
        _ => return None,
    })
}

/// The strings of a condition value: one string, or an array of them. Numbers and booleans
/// count as written (`condition-value-type` reports them; RAM's own parser reads them so).
pub fn values_of(node: &Node) -> Vec<String> {
    let one = |n: &Node| match &n.value {
        Value::String(s) => Some(s.to_string()),
        Value::Number(s) => Some(s.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match &node.value {
        Value::Array(items) => items.iter().filter_map(one).collect(),
        _ => one(node).into_iter().collect(),
    }
}

impl Condition {
    pub fn new(operator: &str, key: &str, values: Vec<String>, pointer: String) -> Self {
        let (qualifier, base) = if let Some(rest) = operator.strip_prefix("ForAnyValue:") {
            (Qualifier::AnyValue, rest)
        } else if let Some(rest) = operator.strip_prefix("ForAllValues:") {
            (Qualifier::AllValues, rest)
        } else {
            (Qualifier::None, operator)
        };
        let compare = parse_operator(base);
        let typed = compare.and_then(|(c, _)| {
            values.iter().map(|v| ConditionValue::parse(c.category(), v).map(ConditionValue::into_owned).ok()).collect()
        });
        Condition { pointer, operator: operator.to_string(), key: key.to_string(), values, compare, typed, qualifier }
    }

    /// Whether the condition holds for no call: RAM does not support its operator, or one of
    /// its values is not of the operator's type.
    pub fn never_holds(&self) -> bool {
        self.compare.is_none() || self.typed.is_none()
    }

    pub fn check(&self, context: &Context) -> Check {
        let Some((compare, negated)) = self.compare else { return Check::Unsupported };
        let Some(actual) = context.get(&self.key) else { return Check::Missing };
        if actual.is_empty() {
            return Check::Missing;
        }
        // A value that is not of the operator's type cannot be compared: the authorization is
        // invalid (so a negated operator does not hold either).
        let Some(expected) = &self.typed else { return Check::NotMet };
        let category = compare.category();
        // One value (the common case) is typed without a heap allocation.
        let (one_value, values);
        let actual: &[ConditionValue<'_>] = match actual {
            [v] => {
                let Ok(v) = ConditionValue::parse(category, v) else { return Check::NotMet };
                one_value = v;
                std::slice::from_ref(&one_value)
            }
            _ => {
                let Ok(v) = actual.iter().map(|v| ConditionValue::parse(category, v)).collect::<Result<Vec<_>, _>>()
                else {
                    return Check::NotMet;
                };
                values = v;
                &values
            }
        };
        let one = |value: &ConditionValue<'_>| expected.iter().any(|p| compares(compare, value, p)) != negated;
        let met = match self.qualifier {
            Qualifier::AllValues => actual.iter().all(&one),
            Qualifier::AnyValue => actual.iter().any(&one),
            // A negated operator holds when no value matches; a positive one when any does.
            Qualifier::None if negated => actual.iter().all(&one),
            Qualifier::None => actual.iter().any(&one),
        };
        if met {
            Check::Met
        } else {
            Check::NotMet
        }
    }
}

impl Compare {
    /// The category of the values the operator compares.
    fn category(self) -> Category {
        match self {
            Compare::String | Compare::StringIgnoreCase | Compare::Like => Category::String,
            Compare::Number(_) => Category::Numeric,
            Compare::Date(_) => Category::Date,
            Compare::Bool => Category::Boolean,
            Compare::Ip => Category::Ip,
        }
    }
}

/// The positive comparison of a call's value with one policy value, both typed by the
/// operator's category.
fn compares(compare: Compare, actual: &ConditionValue<'_>, expected: &ConditionValue<'_>) -> bool {
    use ConditionValue as V;
    match (compare, actual, expected) {
        (Compare::String, V::String(a), V::String(e)) => a == e,
        (Compare::StringIgnoreCase, V::String(a), V::String(e)) => a.to_lowercase() == e.to_lowercase(),
        (Compare::Like, V::String(a), V::String(e)) => wildcard::matches(e, a, false),
        (Compare::Number(order), V::Number(a), V::Number(e)) => ordered(a.partial_cmp(e), order),
        (Compare::Date(order), V::Date(a), V::Date(e)) => ordered(Some(a.cmp(e)), order),
        (Compare::Bool, V::Bool(a), V::Bool(e)) => a == e,
        (Compare::Ip, V::Ip(a), V::Ip(network)) => network.contains(a),
        _ => false,
    }
}

fn ordered(ordering: Option<std::cmp::Ordering>, order: Order) -> bool {
    use std::cmp::Ordering::*;
    match (ordering, order) {
        (None, _) => false,
        (Some(o), Order::Equal) => o == Equal,
        (Some(o), Order::Less) => o == Less,
        (Some(o), Order::LessOrEqual) => o != Greater,
        (Some(o), Order::Greater) => o == Greater,
        (Some(o), Order::GreaterOrEqual) => o != Less,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(pairs: &[(&str, &[&str])]) -> Context {
        let mut c = Context::default();
        for (k, vs) in pairs {
            for v in *vs {
                c.add(k, v);
            }
        }
        c
    }

    fn check(op: &str, key: &str, values: &[&str], ctx: &Context) -> Check {
        Condition::new(op, key, values.iter().map(|v| v.to_string()).collect(), String::new()).check(ctx)
    }

    #[test]
    fn values_of_one_key_are_ored() {
        let ctx = context(&[("acs:SourceIp", &["172.16.215.218"])]);
        assert_eq!(check("IpAddress", "acs:SourceIp", &["192.168.0.0/16", "172.16.215.218"], &ctx), Check::Met);
        assert_eq!(check("IpAddress", "acs:SourceIp", &["192.168.0.0/16"], &ctx), Check::NotMet);
        assert_eq!(check("NotIpAddress", "acs:SourceIp", &["192.168.0.0/16"], &ctx), Check::Met);
        assert_eq!(check("NotIpAddress", "acs:SourceIp", &["172.16.0.0/12"], &ctx), Check::NotMet);
    }

    #[test]
    fn a_missing_key_fails_every_operator() {
        let ctx = Context::default();
        for op in ["StringEquals", "StringNotEquals", "Bool", "NotIpAddress", "DateLessThan", "ForAllValues:StringLike"]
        {
            assert_eq!(check(op, "acs:MFAPresent", &["false"], &ctx), Check::Missing, "{op}");
        }
    }

    #[test]
    fn keys_compare_case_insensitively_and_values_by_operator() {
        let ctx = context(&[("acs:mfapresent", &["TRUE"]), ("acs:CurrentTime", &["2025-03-04T12:00:00Z"])]);
        assert_eq!(check("Bool", "acs:MFAPresent", &["true"], &ctx), Check::Met);
        assert_eq!(check("DateLessThan", "acs:CurrentTime", &["2026-01-01T00:00:00Z"], &ctx), Check::Met);
        assert_eq!(check("DateGreaterThan", "acs:CurrentTime", &["2026-01-01T00:00:00Z"], &ctx), Check::NotMet);
        assert_eq!(check("StringEquals", "acs:MFAPresent", &["true"], &ctx), Check::NotMet);
        assert_eq!(check("StringEqualsIgnoreCase", "acs:MFAPresent", &["true"], &ctx), Check::Met);
        assert_eq!(check("StringLike", "acs:MFAPresent", &["T*"], &ctx), Check::Met);
        assert_eq!(check("StringNotLike", "acs:MFAPresent", &["T*"], &ctx), Check::NotMet);
        assert_eq!(check("BoolIfExists", "acs:MFAPresent", &["true"], &ctx), Check::Unsupported);
    }

    #[test]
    fn numbers_and_qualifiers() {
        let ctx = context(&[("ecs:Size", &["40", "80"])]);
        assert_eq!(check("NumericLessThanEquals", "ecs:size", &["40"], &ctx), Check::Met);
        assert_eq!(check("ForAllValues:NumericLessThanEquals", "ecs:size", &["40"], &ctx), Check::NotMet);
        assert_eq!(check("ForAnyValue:NumericGreaterThan", "ecs:size", &["50"], &ctx), Check::Met);
        assert_eq!(check("NumericNotEquals", "ecs:size", &["40"], &ctx), Check::NotMet);
        assert_eq!(check("NumericEquals", "ecs:size", &["x"], &ctx), Check::NotMet);
    }

    #[test]
    fn values_of_the_wrong_type_never_hold_even_negated() {
        let ctx = context(&[("acs:SourceIp", &["garbage"]), ("ecs:Size", &["abc"]), ("acs:CurrentTime", &["soon"])]);
        assert_eq!(check("NotIpAddress", "acs:SourceIp", &["10.0.0.0/8"], &ctx), Check::NotMet);
        assert_eq!(check("NumericNotEquals", "ecs:Size", &["10"], &ctx), Check::NotMet);
        assert_eq!(check("DateNotEquals", "acs:CurrentTime", &["2025-01-01T00:00:00Z"], &ctx), Check::NotMet);
        let good = context(&[("acs:SourceIp", &["10.1.1.1"])]);
        assert_eq!(check("NotIpAddress", "acs:SourceIp", &["not-a-cidr"], &good), Check::NotMet);
        assert_eq!(check("Bool", "acs:SourceIp", &["maybe"], &good), Check::NotMet);
    }

    #[test]
    fn networks() {
        let in_network = |ip: &str, network: &str| {
            check("IpAddress", "acs:SourceIp", &[network], &context(&[("acs:SourceIp", &[ip])])) == Check::Met
        };
        assert!(in_network("10.1.2.3", "10.0.0.0/8"));
        assert!(in_network("10.1.2.3", "0.0.0.0/0"));
        assert!(!in_network("11.1.2.3", "10.0.0.0/8"));
        assert!(in_network("2001:db8::1", "2001:db8::/32"));
        assert!(!in_network("2001:db8::1", "10.0.0.0/8"));
        assert!(!in_network("10.1.2.3", "10.0.0.0/33"));
        assert!(!in_network("not-an-ip", "10.0.0.0/8"));
        assert!(in_network("::ffff:10.0.0.1", "10.0.0.0/8"));
        assert!(in_network("10.0.0.1", "::ffff:10.0.0.1"));
    }

    #[test]
    fn values_the_lint_rejects_never_hold() {
        let ctx = context(&[("acs:SourceIp", &["10.1.1.1"]), ("acs:CurrentTime", &["2026-03-02T09:00:00Z"])]);
        // A prefix longer than the address, an impossible date: not values, so not even the
        // negated operators hold.
        assert_eq!(check("NotIpAddress", "acs:SourceIp", &["192.168.0.0/33"], &ctx), Check::NotMet);
        assert_eq!(check("DateLessThan", "acs:CurrentTime", &["2099-02-30T00:00:00Z"], &ctx), Check::NotMet);
        assert_eq!(check("DateNotEquals", "acs:CurrentTime", &["2099-02-30T00:00:00Z"], &ctx), Check::NotMet);
        assert_eq!(check("DateLessThan", "acs:CurrentTime", &["2099-02-28T00:00:00+08"], &ctx), Check::Met);
    }
}
