//! Condition evaluation: every operator of RAM's five categories (string, number, date and
//! time, Boolean, IP address), with the documented combination: the values of one key are
//! OR'd, and a context key that the call does not carry fails its condition.

use super::Context;
use crate::catalog::wildcard as glob;
use crate::json::{Node, Value};
use std::net::IpAddr;

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
    /// Every policy value parses as the operator's type (decided once, not per call).
    values_typed: bool,
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
        let values_typed = compare.is_none_or(|(c, _)| values.iter().all(|v| typed(c, v)));
        Condition {
            pointer,
            operator: operator.to_string(),
            key: key.to_string(),
            values,
            compare,
            values_typed,
            qualifier,
        }
    }

    pub fn check(&self, context: &Context) -> Check {
        let Some((compare, negated)) = self.compare else { return Check::Unsupported };
        let Some(actual) = context.get(&self.key) else { return Check::Missing };
        if actual.is_empty() {
            return Check::Missing;
        }
        // A value that is not of the operator's type cannot be compared: the authorization is
        // invalid (so a negated operator does not hold either).
        if !self.values_typed || !actual.iter().all(|v| typed(compare, v)) {
            return Check::NotMet;
        }
        let one = |value: &str| self.values.iter().any(|p| compares(compare, value, p)) != negated;
        let met = match self.qualifier {
            Qualifier::AllValues => actual.iter().all(|v| one(v)),
            Qualifier::AnyValue => actual.iter().any(|v| one(v)),
            // A negated operator holds when no value matches; a positive one when any does.
            Qualifier::None if negated => actual.iter().all(|v| one(v)),
            Qualifier::None => actual.iter().any(|v| one(v)),
        };
        if met {
            Check::Met
        } else {
            Check::NotMet
        }
    }
}

/// Whether a value parses as the type the operator compares.
fn typed(compare: Compare, value: &str) -> bool {
    match compare {
        Compare::Number(_) => value.trim().parse::<f64>().is_ok_and(f64::is_finite),
        Compare::Date(_) => crate::time::parse_millis(value).is_some(),
        Compare::Ip => {
            let address = value.trim().split_once('/').map_or(value.trim(), |(a, _)| a);
            address.parse::<IpAddr>().is_ok()
        }
        Compare::Bool => matches!(value.trim().to_ascii_lowercase().as_str(), "true" | "false"),
        Compare::String | Compare::StringIgnoreCase | Compare::Like => true,
    }
}

/// The positive comparison of a call's value with one policy value.
fn compares(compare: Compare, actual: &str, expected: &str) -> bool {
    match compare {
        Compare::String => actual == expected,
        Compare::StringIgnoreCase => actual.to_lowercase() == expected.to_lowercase(),
        Compare::Like => glob::matches(expected, actual, false),
        Compare::Number(order) => match (actual.trim().parse::<f64>(), expected.trim().parse::<f64>()) {
            (Ok(a), Ok(e)) => ordered(a.partial_cmp(&e), order),
            _ => false,
        },
        Compare::Date(order) => match (crate::time::parse_millis(actual), crate::time::parse_millis(expected)) {
            (Some(a), Some(e)) => ordered(Some(a.cmp(&e)), order),
            _ => false,
        },
        Compare::Bool => actual.trim().eq_ignore_ascii_case(expected.trim()),
        Compare::Ip => in_network(actual, expected),
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

/// Whether the address `ip` is in `network` (an address or a CIDR block), IPv4 or IPv6.
pub fn in_network(ip: &str, network: &str) -> bool {
    let Ok(address) = ip.trim().parse::<IpAddr>() else { return false };
    // An IPv4 client seen through an IPv6 socket (`::ffff:10.0.0.1`) is that IPv4 address.
    let address = match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    };
    let (base, bits) = match network.trim().split_once('/') {
        Some((base, bits)) => match bits.parse::<u32>() {
            Ok(bits) => (base, Some(bits)),
            Err(_) => return false,
        },
        None => (network.trim(), None),
    };
    let Ok(base) = base.parse::<IpAddr>() else { return false };
    match (address, base) {
        (IpAddr::V4(a), IpAddr::V4(b)) => prefix_equal(u128::from(u32::from(a)), u128::from(u32::from(b)), 32, bits),
        (IpAddr::V6(a), IpAddr::V6(b)) => prefix_equal(u128::from(a), u128::from(b), 128, bits),
        _ => false,
    }
}

fn prefix_equal(a: u128, b: u128, width: u32, bits: Option<u32>) -> bool {
    let bits = bits.unwrap_or(width);
    if bits > width {
        return false;
    }
    let shift = width - bits;
    if shift >= 128 {
        return true;
    }
    (a >> shift) == (b >> shift)
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
        assert!(in_network("10.1.2.3", "10.0.0.0/8"));
        assert!(in_network("10.1.2.3", "0.0.0.0/0"));
        assert!(!in_network("11.1.2.3", "10.0.0.0/8"));
        assert!(in_network("2001:db8::1", "2001:db8::/32"));
        assert!(!in_network("2001:db8::1", "10.0.0.0/8"));
        assert!(!in_network("10.1.2.3", "10.0.0.0/33"));
        assert!(!in_network("not-an-ip", "10.0.0.0/8"));
        assert!(in_network("::ffff:10.0.0.1", "10.0.0.0/8"));
    }
}
