//! Documentation placeholders and masked values left in a policy, found by
//! [`crate::model::placeholder`]; the field rules do not judge them again (see `wins_over`).

use crate::finding::{Finding, Target};
use crate::json::{Node, Pointer, Value};
use crate::model::placeholder;
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(
    META,
    "placeholder-value",
    Warning,
    Validity,
    Policy,
    "a documentation placeholder or masked value (`xxxx`, `****`, `<accountId>`, `%s`) left in a policy",
    wins_over = [
        "action-matches-nothing",
        "arn-service-mismatch",
        "invalid-account-id",
        "invalid-action-format",
        "invalid-arn",
        "invalid-condition-key",
        "invalid-principal",
        "invalid-region",
        "invalid-resource-id",
        "redundant-action",
        "resource-type-mismatch",
        "unknown-action",
        "unknown-condition-key",
        "unknown-service",
    ]
);

pub struct Rule;

/// Reports every string under `node` (the values of `Principal` and `Condition`), in document
/// order; `pointer` makes its pointer, which only a finding needs.
fn strings(cx: &mut Context<'_>, node: &Node, pointer: &dyn Fn() -> Pointer) {
    match &node.value {
        Value::String(s) => report(cx, s, || pointer().to_string()),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                strings(cx, item, &|| pointer().index(i));
            }
        }
        Value::Object(_) => {
            for m in node.members_in_effect() {
                strings(cx, &m.value, &|| pointer().key(&m.key));
            }
        }
        _ => {}
    }
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            // The strings of the four list elements are read in place (no copy of their
            // pointers); those of `Principal` and `Condition` get a pointer only for a finding.
            for v in [&st.action, &st.not_action, &st.resource, &st.not_resource].into_iter().flatten() {
                for item in &v.items {
                    report(cx, item.value, || item.pointer.to_string());
                }
            }
            if let Some(p) = st.principal {
                strings(cx, &p.value, &|| st.pointer.key("Principal"));
            }
            for block in st.conditions() {
                for entry in &block.entries {
                    strings(cx, &entry.member.value, &|| entry.pointer.clone());
                }
            }
        }
    }
}

/// The finding for a placeholder in `value`, if it has one.
fn report(cx: &mut Context<'_>, value: &str, pointer: impl FnOnce() -> String) {
    let Some((start, end)) = placeholder::find(value) else { return };
    let token = value.get(start..end).unwrap_or(value);
    cx.emit(
        Finding::new(
            &META,
            Target::substring(pointer(), start, end),
            format!("`{token}` looks like a documentation placeholder or masked value"),
        )
        .label("placeholder")
        .help("replace it with the real value before use; as written, RAM reads it literally"),
    );
}
