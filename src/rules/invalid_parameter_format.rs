use crate::finding::{Finding, Target};

crate::rule_meta!(
    META,
    "invalid-parameter-format",
    Error,
    Validity,
    Request,
    "a value that breaks the parameter's format"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }
}

/// A value that does not have the parameter's format (`described`: what it should be).
pub fn finding(name: &str, value: &str, target: Target, described: Option<String>) -> Finding {
    let masked = value.contains("****") || value.contains("XX");
    let expected = described.unwrap_or_else(|| "the documented format".into());
    let help = if masked {
        "this looks like a masked documentation example; use the real value".to_string()
    } else {
        format!("`{name}` takes {expected}")
    };
    Finding::new(&META, target, format!("`{value}` is not a valid `{name}`"))
        .label(format!("expected {expected}"))
        .help(help)
}

/// A value outside the parameter's limits (`what`: "above the maximum of 100").
pub fn out_of_limits(name: &str, value: &str, target: Target, what: &str) -> Finding {
    Finding::new(&META, target, format!("`{value}` for `{name}` is {what}"))
        .label(what.to_string())
        .help(format!("the API rejects `{name}` values {what}"))
}
