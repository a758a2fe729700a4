use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(
    META,
    "unconstrained-oidc-trust",
    Warning,
    Security,
    Policy,
    "an OIDC identity provider is trusted without an `oidc:aud` or `oidc:sub` condition"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in policy.statements.iter().filter(|s| s.is_allow()) {
            if st.has_condition_key("oidc:aud") || st.has_condition_key("oidc:sub") {
                continue;
            }
            for item in st.principals("Federated").into_iter().filter(|i| i.value.contains(":oidc-provider/")) {
                cx.emit(
                    Finding::new(
                        &META,
                        Target::value(item.pointer.to_string()),
                        "any identity this OIDC provider issues a token for can assume this role",
                    )
                    .label("no `oidc:aud` or `oidc:sub` condition")
                    .help("add a `StringEquals` condition on `oidc:aud` (the client id) and `oidc:sub` (the identity), as RAM's guide to roles for an OIDC identity provider describes"),
                );
            }
        }
    }
}
