use crate::catalog::suggest;
use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(
    META,
    "invalid-condition-operator",
    Error,
    Syntax,
    Policy,
    "a condition operator RAM does not support",
    fixable
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            let Some(condition) = st.condition else { continue };
            let base = st.pointer.key("Condition");
            // The operators the condition has, found once (a fix must not repeat one).
            let mut present: Option<std::collections::HashSet<&str>> = None;
            for block in condition.value.members_in_effect() {
                let op = &*block.key;
                if cx.catalog.operator_category(op).is_some() {
                    continue;
                }
                let base_op = cx.catalog.strip_qualifier(op);
                let qualifier = op.get(..op.len() - base_op.len()).unwrap_or_default();
                // A misspelt operator (not `...IfExists` or `Null`, which change the meaning)
                // with one close name, that the block does not already use.
                let fix = suggest::certain(base_op, cx.catalog.operator_names())
                    .filter(|_| !base_op.ends_with("IfExists") && base_op != "Null")
                    .map(|to| format!("{qualifier}{to}"))
                    .filter(|to| {
                        let present = present.get_or_insert_with(|| {
                            condition.value.as_object().unwrap_or_default().iter().map(|m| &*m.key).collect()
                        });
                        !present.contains(to.as_str())
                    })
                    .and_then(|to| {
                        super::fixes::replace_string(
                            cx.text,
                            block.key_span,
                            op,
                            &to,
                            format!("replace `{op}` with `{to}`"),
                        )
                    });
                let help = if let Some(stripped) = base_op.strip_suffix("IfExists") {
                    let fitting = fitting_operator(stripped, &block.value);
                    format!("RAM does not support `...IfExists` operators (it rejects them with \"The condition operator 'IfExists/Null' is not supported\"); use `{fitting}`, knowing that a missing key fails the condition")
                } else if base_op == "Null" {
                    "RAM does not support the `Null` operator (\"The condition operator 'IfExists/Null' is not supported\")".to_string()
                } else {
                    suggest::did_you_mean(base_op, cx.catalog.operator_names()).unwrap_or_else(|| {
                        "see RAM's condition operators: String*, Numeric*, Date*, Bool, IpAddress, NotIpAddress"
                            .to_string()
                    })
                };
                cx.emit(
                    Finding::new(
                        &META,
                        Target::key(base.key(op).to_string()),
                        format!("`{op}` is not a condition operator RAM supports"),
                    )
                    .label("unsupported operator")
                    .help(help)
                    .fix(fix),
                );
            }
        }
    }
}

/// The operator to use instead of `<base>IfExists` given the block's values: a wildcard value
/// (`terraform*`) needs the `...Like` form, since `StringEquals` compares it literally.
fn fitting_operator<'o>(base: &'o str, block: &crate::json::Node) -> &'o str {
    let wildcard = |n: &crate::json::Node| n.as_str().is_some_and(|v| v.contains('*') || v.contains('?'));
    let values = block.as_object().unwrap_or_default().iter().flat_map(|m| match m.value.as_array() {
        Some(items) => items.iter().collect::<Vec<_>>(),
        None => vec![&m.value],
    });
    let has_wildcard = values.into_iter().any(wildcard);
    match base {
        "StringEquals" if has_wildcard => "StringLike",
        "StringNotEquals" if has_wildcard => "StringNotLike",
        _ => base,
    }
}
