use crate::finding::{Finding, Target};

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
}

pub fn finding(name: &str, value: &str, target: Target, kind: &str) -> Finding {
    let expected = match kind {
        "boolean" => "`true` or `false`",
        "integer" => "an integer",
        "number" => "a number",
        "array" => "a list",
        "object" => "an object",
        _ => "a string",
    };
    Finding::new(&META, target, format!("`{value}` is not a valid {kind} for `{name}`"))
        .label(format!("expected {expected}"))
        .help(format!("`{name}` takes {expected}; the API rejects other values"))
}
