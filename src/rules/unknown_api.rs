//! Data-driven: the API names of `rules/apis/<product>/<version>.json` (`apis`), listed in
//! `rules/apis/products.json`.

use super::Context;
use crate::catalog::suggest;
use crate::finding::Finding;
use crate::model::request::checked::{CheckedRequest, Violation};

crate::rule_meta!(META, "unknown-api", Error, Validity, Request, "the API is not in its product's catalog");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_request(&self, request: &CheckedRequest<'_>, cx: &mut Context<'_>) {
        let CheckedRequest::Call(call) = request else { return };
        for violation in &call.violations {
            if let Violation::UnknownApi { name, target, product } = violation {
                // Candidates: the named product's APIs, else every API of the catalog.
                let help = match product {
                    Some(p) => suggest::did_you_mean(name, p.apis.keys().map(String::as_str)),
                    None => cx.catalog.apis.did_you_mean_any(name),
                };
                let named = product.map(|p| (p.product.as_str(), p.version.as_str()));
                cx.emit(finding(name, (*target).clone(), named, help));
            }
        }
    }
}

/// `product` is the product (name, version) the record names, when it names one.
fn finding(api: &str, target: crate::finding::Target, product: Option<(&str, &str)>, help: Option<String>) -> Finding {
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
