use crate::catalog::{suggest, wildcard};
use crate::finding::{Finding, Target};
use crate::model::policy::{is_template, Policy};
use crate::rules::Context;

crate::rule_meta!(
    META,
    "invalid-trust-action",
    Error,
    Validity,
    Policy,
    "an action of a trust statement that is not a role assumption (`sts:AssumeRole`, `sts:AssumeRoleWithSAML`, `sts:AssumeRoleWithOIDC`)"
);

/// The actions a role's trust policy authorizes: assuming the role.
const ASSUME: &[&str] = &["sts:AssumeRole", "sts:AssumeRoleWithOIDC", "sts:AssumeRoleWithSAML"];

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        // A role's trust statement: a `Principal` object and no `Resource` (RAM's trust policies
        // omit it). Resource-based policies of other services (an OSS bucket policy's
        // `Principal` list, a statement with `Resource`) grant their own actions.
        let role_trust = |s: &&crate::model::policy::Statement<'_>| {
            s.principal.is_some_and(|p| p.value.as_object().is_some())
                && s.resource.is_none()
                && s.not_resource.is_none()
        };
        for st in policy.statements.iter().filter(role_trust) {
            for item in st.actions() {
                // RAM matches actions case-insensitively; a wildcard that covers an assumption is fine.
                if is_template(item.value) || ASSUME.iter().any(|a| wildcard::matches(item.value, a, true)) {
                    continue;
                }
                cx.emit(
                    Finding::new(
                        &META,
                        Target::value(item.pointer.to_string()),
                        format!("`{}` is not a role-assumption action, so this trust statement never matches it", item.value),
                    )
                    .label("not `sts:AssumeRole`, `sts:AssumeRoleWithSAML` or `sts:AssumeRoleWithOIDC`")
                    .maybe_help(suggest::did_you_mean(item.value, ASSUME.iter().copied()).or_else(|| {
                        Some("a trust policy says who may assume the role; grant other actions in a policy attached to the role".into())
                    })),
                );
            }
        }
    }
}
