use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(META, "missing-action", Error, Syntax, Policy, "a statement has neither `Action` nor `NotAction`");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            if st.action.is_none() && st.not_action.is_none() {
                // A `Principal` makes a RAM statement a trust statement; in the other languages
                // (OSS bucket, endpoint, stack policies) it is their own element.
                let help = if st.is_trust() && cx.language.is_ram() {
                    "a trust statement needs `\"Action\": \"sts:AssumeRole\"`"
                } else {
                    "add an `Action` (or `NotAction`) element"
                };
                cx.emit(
                    Finding::new(
                        &META,
                        Target::opening(st.pointer.to_string()),
                        "the statement has neither `Action` nor `NotAction`",
                    )
                    .label("no action in this statement")
                    .help(help),
                );
            }
        }
    }
}
