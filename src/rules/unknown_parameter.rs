use crate::finding::{Finding, Target};

crate::rule_meta!(META, "unknown-parameter", Warning, Validity, Request, "a parameter the API does not define");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }
}

pub fn finding(name: &str, target: Target, product: &str, help: Option<String>) -> Finding {
    Finding::new(&META, target, format!("`{name}` is not a parameter of this API"))
        .label(format!("unknown to the {product} API"))
        .maybe_help(help.or_else(|| Some("the API ignores it; parameter names are case-sensitive".into())))
}
