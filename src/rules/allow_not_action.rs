use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(META, "allow-not-action", Warning, Security, Policy, "`Allow` with `NotAction` or `NotResource`");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            if !st.is_allow() {
                continue;
            }
            for (element, what) in [
                ("NotAction", "every action except those listed"),
                ("NotResource", "every resource except those listed"),
            ] {
                if st.node.get(element).is_none() {
                    continue;
                }
                cx.emit(
                    Finding::new(&META, Target::key(st.pointer.key(element).to_string()), format!("`Allow` with `{element}` grants {what}"))
                        .label("broad grant")
                        .related(Target::value(st.pointer.key("Effect").to_string()), "allowed here")
                        .help("including actions and resources added to Alibaba Cloud later; list what is allowed instead, or use a `Deny` statement to take some away"),
                );
            }
        }
    }
}
