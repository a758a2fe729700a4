//! Data-driven: the `required` flags of the API's `parameters`, and its cross-parameter
//! `rules` of kind `missing-parameter` (`if` ... `require`), in
//! `rules/apis/<product>/<version>.json`.

use super::Context;
use crate::catalog::apis::CrossRule;
use crate::finding::{Finding, Target};
use crate::model::request::checked::{CheckedRequest, Violation};

crate::rule_meta!(META, "missing-parameter", Error, Validity, Request, "a required parameter is absent");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_request(&self, request: &CheckedRequest<'_>, cx: &mut Context<'_>) {
        let CheckedRequest::Call(call) = request else { return };
        let findings = call.violations.iter().filter_map(|v| match v {
            Violation::Missing { name, when } => Some(finding(name, call.request.params_target(), *when)),
            Violation::EmptySigning { param } => Some(empty(&param.name, param.value_target())),
            _ => None,
        });
        super::emit_distinct(cx, findings);
    }
}

/// `when` is the cross-parameter rule that makes the parameter required, if it is one.
fn finding(name: &str, target: Target, when: Option<&CrossRule>) -> Finding {
    let condition = when.map(|r| {
        r.when
            .iter()
            .map(|(k, v)| {
                format!(
                    "`{k}` is {}",
                    v.iter()
                        .map(|x| format!("`{}`", x.as_str().map_or_else(|| x.to_string(), str::to_string)))
                        .collect::<Vec<_>>()
                        .join(" or ")
                )
            })
            .collect::<Vec<_>>()
            .join(" and ")
    });
    let (message, help) = match condition {
        Some(c) => (
            format!("`{name}` is required when {c}"),
            "add the parameter; the API rejects the call without it".to_string(),
        ),
        None => (
            format!("the required parameter `{name}` is missing"),
            "add the parameter; the API rejects the call with `MissingParameter` without it".to_string(),
        ),
    };
    Finding::new(&META, target, message).label(format!("`{name}` is missing here")).help(help)
}

/// A signing parameter written with an empty value (`Signature=` in a URL).
fn empty(name: &str, target: Target) -> Finding {
    Finding::new(&META, target, format!("the signing parameter `{name}` is empty"))
        .label(format!("`{name}` has no value"))
        .help("`Signature`, `Timestamp` and `SignatureNonce` are required common parameters; an endpoint does not accept a request whose signature, timestamp or nonce is empty")
}
