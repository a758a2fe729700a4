//! Data-driven: the API's cross-parameter `rules` of kind `parameter-not-applicable` (`if`
//! ... `absent`) in `rules/apis/<product>/<version>.json`.

use super::Context;
use crate::catalog::apis::{ApiSpec, CrossRule};
use crate::finding::{Finding, Target};
use crate::model::request::checked::{CheckedRequest, Violation};

crate::rule_meta!(
    META,
    "parameter-not-applicable",
    Warning,
    Validity,
    Request,
    "a parameter that has no effect with the others"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_request(&self, request: &CheckedRequest<'_>, cx: &mut Context<'_>) {
        let CheckedRequest::Call(call) = request else { return };
        let Some(api) = call.api else { return };
        let findings = call.violations.iter().filter_map(|v| match v {
            Violation::NotApplicable { name, target, rule } => Some(finding(name, target.clone(), rule, api.spec)),
            _ => None,
        });
        super::emit_distinct(cx, findings);
    }
}

fn finding(name: &str, target: Target, rule: &CrossRule, api: &ApiSpec) -> Finding {
    let Some((param, values)) = rule.when.iter().next() else {
        return Finding::new(&META, target, format!("`{name}` has no effect here"));
    };
    let applies: Vec<String> = api
        .parameters
        .get(param)
        .and_then(|p| p.values.as_ref())
        .map(|all| {
            all.iter()
                .filter(|v| !values.contains(v))
                .map(|v| format!("`{}`", v.as_str().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    let help = if applies.is_empty() {
        format!("remove `{name}`")
    } else {
        format!("`{name}` only applies when `{param}` is {}; remove it or set `{param}`", applies.join(" or "))
    };
    Finding::new(&META, target, format!("`{name}` has no effect with this `{param}`"))
        .label("ignored by the API")
        .help(help)
}
