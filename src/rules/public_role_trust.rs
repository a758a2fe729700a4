use crate::finding::{Finding, Target};
use crate::model::policy::{is_template, Policy};
use crate::rules::Context;

crate::rule_meta!(
    META,
    "public-role-trust",
    Error,
    Security,
    Policy,
    "a trust policy any Alibaba Cloud account can assume: a `RAM` principal of `*` or of account `*`"
);

pub struct Rule;

/// Whether a `RAM` principal names every account: `*`, or an ARN whose account is `*`
/// (`acs:ram::*:root`).
pub fn is_public(principal: &str) -> bool {
    if principal == "*" {
        return true;
    }
    !is_template(principal) && crate::model::arn::parse(principal).is_ok_and(|arn| arn.account.text == "*")
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in policy.statements.iter().filter(|s| s.is_allow()) {
            for item in st.principals("RAM").into_iter().filter(|i| is_public(i.value)) {
                cx.emit(
                    Finding::new(&META, Target::value(item.pointer.to_string()), format!("`{}` lets every Alibaba Cloud account assume this role", item.value))
                        .label("any account")
                        .help("name the accounts, RAM users or roles that may assume the role, e.g. `acs:ram::1234567890123456:root`"),
                );
            }
        }
    }
}
