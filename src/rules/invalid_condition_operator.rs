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
    "a condition operator RAM does not support"
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
            for block in condition.value.members_in_effect() {
                let op = &*block.key;
                if cx.catalog.operator_category(op).is_some() {
                    continue;
                }
                let base_op = cx.catalog.strip_qualifier(op);
                let help = if let Some(stripped) = base_op.strip_suffix("IfExists") {
                    format!("RAM does not support `...IfExists` operators (it rejects them with \"The condition operator 'IfExists/Null' is not supported\"); use `{stripped}`, knowing that a missing key fails the condition")
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
                    .help(help),
                );
            }
        }
    }
}
