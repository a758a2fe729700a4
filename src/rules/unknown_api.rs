use crate::finding::{Finding, Target};

crate::rule_meta!(META, "unknown-api", Error, Validity, Request, "the API is not in its product's catalog");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }
}

/// `product` is the product (name, version) the record names, when it names one.
pub fn finding(api: &str, target: Target, product: Option<(&str, &str)>, help: Option<String>) -> Finding {
    let (message, label) = match product {
        Some((p, v)) => (format!("`{api}` is not an API of {p} {v}"), format!("not in the {p} {v} catalog")),
        None => (format!("`{api}` is not a known API"), "not in any product's catalog".to_string()),
    };
    Finding::new(&META, target, message).label(label).maybe_help(help.or_else(|| {
        Some(
            "the API would fail with `InvalidAction.NotFound`; check the name against the product's API reference"
                .into(),
        )
    }))
}
