use crate::catalog::suggest;
use crate::finding::{Finding, Target};

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
}

pub fn finding(name: &str, value: &str, target: Target, allowed: &[String]) -> Finding {
    let lower = value.to_lowercase();
    let prefixed = (!lower.is_empty()).then(|| allowed.iter().find(|a| a.to_lowercase().starts_with(&lower))).flatten();
    let help = suggest::did_you_mean(value, allowed.iter().map(String::as_str))
        .or_else(|| prefixed.map(|a| format!("did you mean `{a}`?")));
    let list = allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
    Finding::new(&META, target, format!("`{value}` is not a valid value for `{name}`"))
        .label(format!("expected one of {list}"))
        .maybe_help(help.or_else(|| Some(format!("`{name}` takes one of {list}"))))
}
