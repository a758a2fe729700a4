use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(
    META,
    "condition-operator-mismatch",
    Error,
    Validity,
    Policy,
    "the operator category does not fit the key's type"
);

pub struct Rule;

/// `an IP address`, `a date`...: a key type for messages.
fn kind(value_type: &str) -> &'static str {
    match value_type {
        "ip" => "an IP address",
        "numeric" => "a numeric",
        "date" => "a date",
        "boolean" => "a Boolean",
        "string" => "a string",
        _ => "a typed",
    }
}

fn operators_for(value_type: &str) -> &'static str {
    match value_type {
        "string" => "`StringEquals`, `StringLike` and the other String operators",
        "numeric" => "the Numeric operators",
        "date" => "the Date operators, such as `DateLessThan`",
        "boolean" => "`Bool`",
        "ip" => "`IpAddress` or `NotIpAddress`",
        _ => "an operator of the key's type",
    }
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            for block in st.conditions() {
                let Some(category) = cx.catalog.operator_category(block.operator) else { continue };
                for entry in &block.entries {
                    let Some(value_type) = cx.catalog.condition_key(entry.key).and_then(|k| k.value_type.as_deref())
                    else {
                        continue;
                    };
                    if value_type == category {
                        continue;
                    }
                    cx.emit(
                        Finding::new(
                            &META,
                            Target::key(entry.pointer.to_string()),
                            format!("`{}` does not apply to `{}`, {} key", block.operator, entry.key, kind(value_type)),
                        )
                        .label(format!("{} key", kind(value_type)))
                        .related(Target::key(block.pointer.to_string()), format!("{} operator", kind(category)))
                        .help(format!(
                            "RAM cannot compare them, so the condition never holds; use {}",
                            operators_for(value_type)
                        )),
                    );
                }
            }
        }
    }
}
