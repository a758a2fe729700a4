use crate::catalog::wildcard;
use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(
    META,
    "pass-role-wildcard",
    Warning,
    Security,
    Policy,
    "`Allow` of `ram:PassRole` on `*` without an `acs:Service` condition"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            if !st.is_allow()
                || st.is_trust()
                || st.has_condition_key("acs:Service")
                || !super::privilege_escalation::broad_ram_resource(st)
            {
                continue;
            }
            let Some(item) = st.actions().iter().find(|i| {
                !super::full_admin::every_action(i.value) && wildcard::matches(i.value, "ram:PassRole", true)
            }) else {
                continue;
            };
            cx.emit(
                Finding::new(&META, Target::value(item.pointer.to_string()), format!("`{}` on every role lets the caller hand any role to a service", item.value))
                    .label(if item.value.eq_ignore_ascii_case("ram:PassRole") { "passes any role".to_string() } else { format!("`{}` covers `ram:PassRole`", item.value) })
                    .help("limit `Resource` to the roles meant to be passed, or add a condition such as `\"StringEquals\": {\"acs:Service\": \"ecs.aliyuncs.com\"}`"),
            );
        }
    }
}
