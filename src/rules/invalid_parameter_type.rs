//! Data-driven: the `type` of the API's `parameters` in `rules/apis/<product>/<version>.json`.

use super::Context;
use crate::finding::Finding;
use crate::model::request::checked::{CheckedRequest, ValueAt, Violation};

crate::rule_meta!(
    META,
    "invalid-parameter-type",
    Error,
    Validity,
    Request,
    "a value that does not parse as the parameter's type"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_request(&self, request: &CheckedRequest<'_>, cx: &mut Context<'_>) {
        let CheckedRequest::Call(call) = request else { return };
        let findings = call.violations.iter().filter_map(|v| match v {
            Violation::WrongType { at, expected } => Some(finding(at, expected)),
            _ => None,
        });
        super::emit_distinct(cx, findings);
    }
}

/// `kind`: the parameter's type in the spec.
fn finding(at: &ValueAt, kind: &str) -> Finding {
    let (name, value) = (&at.param, &at.value);
    let expected = match kind {
        "boolean" => "`true` or `false`",
        "integer" => "an integer",
        "number" => "a number",
        "array" => "a list",
        "object" => "an object",
        _ => "a string",
    };
    Finding::new(&META, at.target.clone(), format!("`{value}` is not a valid {kind} for `{name}`"))
        .label(format!("expected {expected}"))
        .help(format!("`{name}` takes {expected}; the API rejects other values"))
}
