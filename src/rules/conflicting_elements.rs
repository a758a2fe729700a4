use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(
    META,
    "conflicting-elements",
    Error,
    Syntax,
    Policy,
    "both `Action` and `NotAction`, or both `Resource` and `NotResource`"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            for (positive, negative) in [("Action", "NotAction"), ("Resource", "NotResource")] {
                if st.node.get(positive).is_some() && st.node.get(negative).is_some() {
                    cx.emit(
                        Finding::new(
                            &META,
                            Target::key(st.pointer.key(negative).to_string()),
                            format!("a statement cannot have both `{positive}` and `{negative}`"),
                        )
                        .label(format!("`{negative}` here"))
                        .related(Target::key(st.pointer.key(positive).to_string()), format!("`{positive}` here"))
                        .help("keep one of them; split the statement if both are meant"),
                    );
                }
            }
        }
    }
}
