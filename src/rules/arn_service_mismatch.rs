use crate::catalog::{wildcard, Catalog, Summary};
use crate::finding::{Finding, Target};
use crate::model::arn::Arn;
use crate::model::policy::{Policy, Statement};
use crate::rules::Context;

crate::rule_meta!(
    META,
    "arn-service-mismatch",
    Warning,
    Validity,
    Policy,
    "the resource's service is the service of none of the statement's actions"
);

pub struct Rule;

/// Whether some action of the statement could apply to an ARN of `service`: an action of
/// that service (or its product), one documented to accept a resource type of that service,
/// or an action that may be anything (`*`). `None` when the statement has no `Action`.
pub fn service_fits(catalog: &Catalog, st: &Statement<'_>, service: &str) -> Option<bool> {
    if st.not_action.is_some() {
        return None;
    }
    let actions = st.action.as_ref()?;
    let mut fits = false;
    // Per pattern, resolved once per statement: not a walk over every matched action per ARN.
    let summaries = st.summaries(catalog);
    for summary in summaries.iter().take(actions.items.len()) {
        let step = match summary.get() {
            Summary::Any => None,
            Summary::Undocumented(code) => Some(catalog.same_product(code, service) || code.is_empty()),
            // Documented resource types decide; the product's other RAM codes count only
            // for actions whose resources are undocumented.
            Summary::Actions(code, matched) => Some(
                code.eq_ignore_ascii_case(service)
                    || matched.resource_services.iter().any(|s| s.eq_ignore_ascii_case(service))
                    || (!matched.documented && catalog.same_product(code, service)),
            ),
        };
        fits |= step?;
    }
    Some(fits)
}

/// Whether the statement's ARN would get this rule (so that other rules can stand back).
pub fn fires(catalog: &Catalog, st: &Statement<'_>, arn: &Arn<'_>) -> bool {
    let service = arn.service.text;
    !wildcard::has_wildcard(service) && catalog.is_service(service) && service_fits(catalog, st, service) == Some(false)
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            let Some(resources) = &st.resource else { continue };
            for (item, arn) in st.arns() {
                if !resources.items.iter().any(|i| i.pointer == item.pointer) || !fires(cx.catalog, st, arn) {
                    continue;
                }
                let service = arn.service.text;
                let mut finding = Finding::new(&META, Target::value(item.pointer.to_string()), format!("no action of this statement applies to `{service}` resources"))
                    .label(format!("an `acs:{service}:` ARN"))
                    .help(format!("the statement's actions never authorize against `acs:{service}:` ARNs, so this resource matches no request; use the ARN of the resource the actions act on"));
                if let Some(first) = st.actions().first() {
                    finding =
                        finding.related(Target::value(first.pointer.to_string()), "the statement's actions start here");
                }
                cx.emit(finding);
            }
        }
    }
}
