use crate::finding::{Finding, Target};
use crate::json::{Node, Value};
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
        let mut first_of: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for (i, st) in policy.statements.iter().enumerate() {
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
