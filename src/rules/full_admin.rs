use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(META, "full-admin", Error, Security, Policy, "`Allow` of `*` on `*` without a condition");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            if !st.is_allow() || st.has_condition() || st.is_trust() {
                continue;
            }
            let (Some(action), Some(resource)) = (&st.action, &st.resource) else { continue };
            let (Some(a), Some(r)) =
                (action.items.iter().find(|i| i.value == "*"), resource.items.iter().find(|i| i.value == "*"))
            else {
                continue;
            };
            cx.emit(
                Finding::new(
                    &META,
                    Target::opening(st.pointer.to_string()),
                    "this statement grants every action on every resource",
                )
                .label("full administrator access")
                .related(Target::value(a.pointer.to_string()), "every action")
                .related(Target::value(r.pointer.to_string()), "every resource")
                .help("grant the actions and resources the principal needs, or limit the statement with a `Condition`"),
            );
        }
    }
}
