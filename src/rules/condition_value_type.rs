use crate::catalog::formats::is_cidr;
use crate::finding::{Finding, Target};
use crate::json::{Node, Value};
use crate::model::policy::Policy;
use crate::rules::Context;
use std::net::IpAddr;

crate::rule_meta!(
    META,
    "condition-value-type",
    Error,
    Validity,
    Policy,
    "a condition value that does not fit its operator or key"
);

pub struct Rule;

/// Whether a string value fits an operator category.
pub fn fits(category: &str, value: &str) -> bool {
    match category {
        "numeric" => value.trim().parse::<f64>().is_ok_and(f64::is_finite),
        "date" => is_iso8601(value),
        "boolean" => value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false"),
        "ip" => value.parse::<IpAddr>().is_ok() || is_cidr(value),
        _ => true,
    }
}

fn expected(category: &str) -> &'static str {
    match category {
        "numeric" => "a number in a string, such as `\"10\"`",
        "date" => "an ISO 8601 date and time, such as `\"2026-01-01T00:00:00Z\"`",
        "boolean" => "`\"true\"` or `\"false\"`",
        "ip" => "an IP address or CIDR block, such as `\"192.168.0.0/16\"`",
        _ => "a string",
    }
}

/// `YYYY-MM-DD`, optionally followed by `THH:MM[:SS[.fff]]` and `Z` or an offset.
pub fn is_iso8601(value: &str) -> bool {
    let b = value.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if !(digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7) && b.get(7) == Some(&b'-') && digits(8..10)) {
        return false;
    }
    let month = value.get(5..7).and_then(|m| m.parse::<u8>().ok()).unwrap_or(0);
    let day = value.get(8..10).and_then(|m| m.parse::<u8>().ok()).unwrap_or(0);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    let Some(rest) = value.get(10..) else { return false };
    if rest.is_empty() {
        return true;
    }
    let Some(time) = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' ')) else { return false };
    let (clock, zone) = match time.find(['Z', 'z', '+', '-']) {
        Some(i) => (time.get(..i).unwrap_or_default(), time.get(i..).unwrap_or_default()),
        None => (time, ""),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let two = |s: &str, max: u8| s.len() == 2 && s.parse::<u8>().is_ok_and(|v| v <= max);
    let clock_ok = match parts.as_slice() {
        [h, m] => two(h, 23) && two(m, 59),
        [h, m, s] => {
            let (whole, frac) = s.split_once('.').unwrap_or((s, "0"));
            two(h, 23) && two(m, 59) && two(whole, 60) && !frac.is_empty() && frac.bytes().all(|c| c.is_ascii_digit())
        }
        _ => false,
    };
    let zone_ok = match zone {
        "" | "Z" | "z" => true,
        z => {
            let offset = z.get(1..).unwrap_or_default();
            let (h, m) = offset
                .split_once(':')
                .unwrap_or((offset.get(..2).unwrap_or_default(), offset.get(2..).unwrap_or_default()));
            two(h, 23) && two(m, 59)
        }
    };
    clock_ok && zone_ok
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            for block in st.conditions() {
                let Some(category) = cx.catalog.operator_category(block.operator).map(str::to_string) else { continue };
                for entry in &block.entries {
                    let pointer = entry.pointer.to_string();
                    let value = &entry.member.value;
                    match &value.value {
                        Value::String(s) => check_string(cx, &category, block.operator, s, &pointer),
                        Value::Array(items) if items.is_empty() => {
                            cx.emit(
                                Finding::new(&META, Target::value(pointer), format!("`{}` has no values", entry.key))
                                    .label("expected at least one value"),
                            );
                        }
                        Value::Array(items) => {
                            if category == "boolean" && items.len() > 1 {
                                cx.emit(
                                    Finding::new(
                                        &META,
                                        Target::value(pointer.clone()),
                                        format!("`Bool` takes one value for `{}`, not {}", entry.key, items.len()),
                                    )
                                    .label("more than one Boolean value")
                                    .help("give a single `\"true\"` or `\"false\"`"),
                                );
                            }
                            for (i, item) in items.iter().enumerate() {
                                let item_pointer = format!("{pointer}/{i}");
                                match item.as_str() {
                                    Some(s) => check_string(cx, &category, block.operator, s, &item_pointer),
                                    None => unquoted(cx, item, &category, &item_pointer),
                                }
                            }
                        }
                        _ => unquoted(cx, value, &category, &pointer),
                    }
                }
            }
        }
    }
}

fn check_string(cx: &mut Context<'_>, category: &str, operator: &str, value: &str, pointer: &str) {
    if fits(category, value) {
        return;
    }
    cx.emit(
        Finding::new(&META, Target::value(pointer), format!("`{value}` is not a valid value for `{operator}`"))
            .label(format!("expected {}", expected(category)))
            .help(format!("`{operator}` compares {}", expected(category))),
    );
}

fn unquoted(cx: &mut Context<'_>, node: &Node, category: &str, pointer: &str) {
    let raw = cx.text.get(node.span.start..node.span.end).unwrap_or_default().chars().take(40).collect::<String>();
    let (message, help) = match &node.value {
        Value::Bool(_) | Value::Number(_) => (
            format!("the condition value `{raw}` is not quoted"),
            format!("write it as the string `\"{raw}\"`: RAM requires condition values to be strings"),
        ),
        _ if node.as_object().is_some_and(|m| m.iter().any(|k| k.key.starts_with("Fn::") || &*k.key == "Ref")) => (
            format!("a condition value must be a string, not {}", node.type_name()),
            "this looks like an unresolved template function: RAM needs the resolved string".to_string(),
        ),
        _ => (
            format!("a condition value must be a string, not {}", node.type_name()),
            format!("expected {}", expected(category)),
        ),
    };
    cx.emit(Finding::new(&META, Target::value(pointer), message).label("expected a string").help(help));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        for ok in [
            "2019-08-12T17:00:00+08:00",
            "2012-11-11T23:59:59Z",
            "2026-01-01",
            "2026-01-01T00:00Z",
            "2026-01-01T00:00:00.123Z",
        ] {
            assert!(is_iso8601(ok), "{ok}");
        }
        for bad in ["2026-13-01", "tomorrow", "2026/01/01", "2026-01-01T25:00:00Z", "1700000000"] {
            assert!(!is_iso8601(bad), "{bad}");
        }
    }

    #[test]
    fn values() {
        assert!(fits("ip", "192.168.0.0/16"));
        assert!(fits("ip", "2001:db8::/32"));
        assert!(!fits("ip", "42.120.XX.X/24"));
        assert!(fits("numeric", "10"));
        assert!(!fits("numeric", "ten"));
        assert!(fits("boolean", "true"));
        assert!(!fits("boolean", "yes"));
    }
}
