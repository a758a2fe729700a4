use crate::catalog::wildcard;
use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(META, "invalid-account-id", Error, Validity, Policy, "the ARN account is not a 16-digit account id");

pub struct Rule;

/// An account field RAM accepts: 16 digits, empty, `*`, a wildcard pattern of digits, or
/// `system` (system policies, `acs:ram::system:policy/...`).
pub fn is_valid_account(account: &str) -> bool {
    if account.is_empty() || account == "system" {
        return true;
    }
    if wildcard::has_wildcard(account) {
        return account.chars().all(|c| c.is_ascii_digit() || c == '*' || c == '?')
            && account.chars().filter(char::is_ascii_digit).count() <= 16;
    }
    account.len() == 16 && account.bytes().all(|b| b.is_ascii_digit())
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            // The ARNs of `RAM` principals of a trust statement, then those of its resources.
            let principals = st.principals("RAM");
            let principal_arns = principals
                .iter()
                .filter(|i| !crate::model::policy::is_template(i.value))
                .filter_map(|i| crate::model::arn::parse(i.value).ok().map(|a| (i, a)));
            let resource_arns = st.arns().iter().map(|(i, a)| (i, *a));
            for (item, arn) in principal_arns.chain(resource_arns) {
                let account = arn.account.text;
                if is_valid_account(account) {
                    continue;
                }
                let label = if account.bytes().all(|b| b.is_ascii_digit()) {
                    format!("{} digits instead of 16", account.len())
                } else {
                    "expected 16 digits".to_string()
                };
                cx.emit(
                    Finding::new(
                        &META,
                        Target::substring(item.pointer.to_string(), arn.account.start, arn.account.end()),
                        format!("`{account}` is not a valid account id"),
                    )
                    .label(label)
                    .help("an Alibaba Cloud account id (UID) has 16 digits; use `*` for any account"),
                );
            }
        }
    }
}
