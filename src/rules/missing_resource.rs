use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(
    META,
    "missing-resource",
    Error,
    Syntax,
    Policy,
    "an identity-policy statement has neither `Resource` nor `NotResource`"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            if st.resource.is_none() && st.not_resource.is_none() && !st.is_trust() {
                cx.emit(
                    Finding::new(&META, Target::opening(st.pointer.to_string()), "the statement has neither `Resource` nor `NotResource`")
                        .label("no resource in this statement")
                        .help("add `\"Resource\": \"*\"` or the ARNs the statement applies to; only trust statements (with `Principal`) go without"),
                );
            }
        }
    }
}
