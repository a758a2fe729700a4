//! Data-driven: the documented errors of `rules/apis/<product>/<version>.json` (the API's
//! and the product's `errors`, and the product's `explanations`).

use super::Context;
use crate::catalog::apis::{ApiSpec, ProductSpec};
use crate::finding::{Finding, Target};
use crate::model::request::checked::CheckedRequest;

crate::rule_meta!(META, "recorded-error", Info, Audit, Request, "the record carries an error code");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_request(&self, request: &CheckedRequest<'_>, cx: &mut Context<'_>) {
        let CheckedRequest::Call(call) = request else { return };
        if let (Some((code, target)), Some(api)) = (&call.request.error_code, call.api) {
            cx.emit(finding(code, target.clone(), api.name, api.product, api.spec));
        }
    }
}

/// Explains a recorded error code from the API's documented errors.
fn finding(code: &str, target: Target, api_name: &str, product: &ProductSpec, api: &ApiSpec) -> Finding {
    let documented = api.errors.iter().chain(product.errors.iter()).find(|e| e.code == code);
    let explanation = product.explanations.get(code);
    let label = match documented {
        Some(e) => match e.status {
            Some(s) => format!("a documented {api_name} error (HTTP {s})"),
            None => format!("a documented {api_name} error"),
        },
        None => format!("not among {api_name}'s documented errors"),
    };
    let help = match (explanation, documented.and_then(|e| e.message.as_deref())) {
        (Some(x), _) => x.clone(),
        (None, Some(m)) => format!("the API documents it as \"{m}\""),
        (None, None) => "see the API's error reference".to_string(),
    };
    Finding::new(&META, target, format!("the call failed with `{code}`")).label(label).help(help)
}
