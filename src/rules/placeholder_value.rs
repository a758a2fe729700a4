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

/// Every string under `node` with its pointer (the values of `Principal` and `Condition`).
fn strings<'a>(node: &'a Node, pointer: Pointer, out: &mut Vec<(&'a str, Pointer)>) {
    match &node.value {
        Value::String(s) => out.push((s, pointer)),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                strings(item, pointer.index(i), out);
            }
        }
        Value::Object(_) => {
            for m in node.members_in_effect() {
                strings(&m.value, pointer.key(&m.key), out);
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
            // pointers); those of `Principal` and `Condition` are gathered first.
            for v in [&st.action, &st.not_action, &st.resource, &st.not_resource].into_iter().flatten() {
                for item in &v.items {
                    report(cx, item.value, &item.pointer);
                }
            }
            let mut values: Vec<(&str, Pointer)> = Vec::new();
            if let Some(p) = st.principal {
                strings(&p.value, st.pointer.key("Principal"), &mut values);
            }
            for block in st.conditions() {
                for entry in &block.entries {
                    strings(&entry.member.value, entry.pointer.clone(), &mut values);
                }
            }
            for (value, pointer) in &values {
                report(cx, value, pointer);
            }
        }
    }
}

/// The finding for a placeholder in `value`, if it has one.
fn report(cx: &mut Context<'_>, value: &str, pointer: &Pointer) {
    let Some((start, end)) = placeholder::find(value) else { return };
    let token = value.get(start..end).unwrap_or(value);
    cx.emit(
        Finding::new(
            &META,
            Target::substring(pointer.to_string(), start, end),
            format!("`{token}` looks like a documentation placeholder or masked value"),
        )
        .label("placeholder")
        .help("replace it with the real value before use; as written, RAM reads it literally"),
    );
}
