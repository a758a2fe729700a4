use crate::finding::{Finding, Target};
use crate::json::{has_repeated_keys, Member, Node, Value};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(META, "duplicate-statement", Info, Suggestion, Policy, "two statements are identical");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        // One statement repeats nothing.
        if policy.statements.len() < 2 {
            return;
        }
        // Each statement's canonical text (members sorted by key) against the first statement
        // with the same text: one hash lookup per statement, not a comparison with every
        // earlier one.
        // First a cheap digest of each statement that equal canonical texts share: a statement
        // whose digest no other statement has repeats nothing and is repeated by nothing, so
        // only the statements with a shared digest have their canonical text written.
        let prints: Vec<u64> = policy.statements.iter().map(|st| fingerprint(st.node)).collect();
        let mut sorted = prints.clone();
        sorted.sort_unstable();
        if sorted.windows(2).all(|w| w.first() != w.get(1)) {
            return;
        }
        let shared = |p: u64| sorted.partition_point(|&q| q <= p) - sorted.partition_point(|&q| q < p) > 1;
        let mut first_of: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for (i, (st, &print)) in policy.statements.iter().zip(&prints).enumerate() {
            if !shared(print) {
                continue;
            }
            let mut canonical = String::new();
            canonical_text(st.node, &mut canonical);
            let earlier = match first_of.entry(canonical) {
                std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(i);
                    None
                }
            };
            if let Some(j) = earlier {
                let Some(first) = policy.statements.get(j) else { continue };
                cx.emit(
                    Finding::new(
                        &META,
                        Target::opening(st.pointer.to_string()),
                        format!("this statement repeats `{}`", first.pointer),
                    )
                    .label("identical to an earlier statement")
                    .related(Target::opening(first.pointer.to_string()), "first written here")
                    .help("remove the repeated statement"),
                );
            }
        }
    }
}

/// The value's JSON text as `serde_json` writes it, with object members sorted by key and
/// only the last of repeated keys (what a reader keeps): equal values, equal texts. Written
/// straight from the spanned tree, without a `serde_json::Value` copy of it.
fn canonical_text(node: &Node, out: &mut String) {
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        // As `serde_json` reads and writes it (`1.0e2` and `100.0` are one number).
        Value::Number(n) => {
            out.push_str(&serde_json::from_str::<serde_json::Value>(n).unwrap_or(serde_json::Value::Null).to_string())
        }
        Value::String(s) => json_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical_text(item, out);
            }
            out.push(']');
        }
        Value::Object(_) => {
            let mut members = node.members_in_effect();
            members.sort_by(|a, b| a.key.cmp(&b.key));
            out.push('{');
            for (i, member) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(&member.key, out);
                out.push(':');
                canonical_text(&member.value, out);
            }
            out.push('}');
        }
    }
}

/// A digest of the value that any two values with the same [`canonical_text`] share (the
/// converse need not hold): object members are combined in any order, a number counts as
/// `null` (an unreadable number's canonical text is `null`), a string by its bytes.
fn fingerprint(node: &Node) -> u64 {
    match &node.value {
        Value::Null | Value::Number(_) => 1,
        Value::Bool(b) => 2 + u64::from(*b),
        Value::String(s) => mix(bytes_print(s)),
        Value::Array(items) => {
            items.iter().fold(5u64, |h, item| mix(h.wrapping_mul(0x0100_0000_01b3).wrapping_add(fingerprint(item))))
        }
        Value::Object(members) => {
            let member = |h: u64, m: &Member| {
                h.wrapping_add(mix(bytes_print(&m.key).wrapping_mul(31).wrapping_add(fingerprint(&m.value))))
            };
            // The members in effect, without gathering them when no key repeats.
            if has_repeated_keys(members) {
                node.members_in_effect().into_iter().fold(6u64, member)
            } else {
                members.iter().fold(6u64, member)
            }
        }
    }
}

/// FNV-1a of a string's bytes (cheaper here, for short strings, than length and edges).
fn bytes_print(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// A bit mixer (splitmix64's finaliser), so that sums of digests stay spread.
fn mix(x: u64) -> u64 {
    let x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    let x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A string as `serde_json` writes it: quoted, with `"`, `\\` and control characters escaped.
fn json_string(s: &str, out: &mut String) {
    if s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push_str(&serde_json::Value::String(s.to_string()).to_string());
    } else {
        out.push('"');
        out.push_str(s);
        out.push('"');
    }
}
