//! Data-driven: the API's `parameters` in `rules/apis/<product>/<version>.json`, and the
//! common parameters every call may carry (`rules/apis/common-parameters.json`).

use super::Context;
use crate::finding::{Finding, Target};
use crate::model::request::checked::{CheckedRequest, Violation};

crate::rule_meta!(META, "unknown-parameter", Warning, Validity, Request, "a parameter the API does not define");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_request(&self, request: &CheckedRequest<'_>, cx: &mut Context<'_>) {
        let CheckedRequest::Call(call) = request else { return };
        let Some(api) = call.api else { return };
        for violation in &call.violations {
            let Violation::UnknownParameter { param } = violation else { continue };
            let set = format!("params:{}:{}", api.product.code, api.name);
            let help = cx
                .catalog
                .closest(&set, &param.name, || api.spec.parameters.keys().map(String::as_str))
                .map(|c| format!("did you mean `{c}`?"));
            cx.emit(finding(&param.name, param.key(), &api.product.product, help));
        }
    }
}

fn finding(name: &str, target: Target, product: &str, help: Option<String>) -> Finding {
    Finding::new(&META, target, format!("`{name}` is not a parameter of this API"))
        .label(format!("unknown to the {product} API"))
        .maybe_help(help.or_else(|| {
            Some("the API's specification does not define it, and parameter names are case-sensitive".into())
        }))
}
