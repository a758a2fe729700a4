//! Data-driven: the `enum` of the API's `parameters` in `rules/apis/<product>/<version>.json`
//! (`case_insensitive` values are compared ignoring case).

use super::Context;
use crate::catalog::suggest;
use crate::finding::Finding;
use crate::model::request::checked::{CheckedRequest, ValueAt, Violation};

crate::rule_meta!(
    META,
    "invalid-enum-value",
    Error,
    Validity,
    Request,
    "a value outside the parameter's allowed values"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_request(&self, request: &CheckedRequest<'_>, cx: &mut Context<'_>) {
        let CheckedRequest::Call(call) = request else { return };
        let findings = call.violations.iter().filter_map(|v| match v {
            Violation::NotInEnum { at, allowed } => Some(finding(at, allowed)),
            _ => None,
        });
        super::emit_distinct(cx, findings);
    }
}

fn finding(at: &ValueAt, allowed: &[String]) -> Finding {
    let (name, value) = (&at.param, &at.value);
    let lower = value.to_lowercase();
    let prefixed = (!lower.is_empty()).then(|| allowed.iter().find(|a| a.to_lowercase().starts_with(&lower))).flatten();
    let help = suggest::did_you_mean(value, allowed.iter().map(String::as_str))
        .or_else(|| prefixed.map(|a| format!("did you mean `{a}`?")));
    let list = allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
    Finding::new(&META, at.target.clone(), format!("`{value}` is not a valid value for `{name}`"))
        .label(format!("expected one of {list}"))
        .maybe_help(help.or_else(|| Some(format!("`{name}` takes one of {list}"))))
}
