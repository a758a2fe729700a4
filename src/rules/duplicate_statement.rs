use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(META, "duplicate-statement", Info, Suggestion, Policy, "two statements are identical");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        // Each statement's canonical text (members sorted by key) against the first statement
        // with the same text: one hash lookup per statement, not a comparison with every
        // earlier one.
        let mut first_of: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for (i, st) in policy.statements.iter().enumerate() {
            let mut canonical = String::new();
            canonical_text(&st.node.to_serde(), &mut canonical);
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

/// The value's JSON text with object members sorted by key: equal values, equal texts
/// (whatever the order `serde_json`'s map keeps).
fn canonical_text(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical_text(item, out);
            }
            out.push(']');
        }
        serde_json::Value::Object(map) => {
            let mut members: Vec<_> = map.iter().collect();
            members.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, item)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::Value::String(key.clone()).to_string());
                out.push(':');
                canonical_text(item, out);
            }
            out.push('}');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}
