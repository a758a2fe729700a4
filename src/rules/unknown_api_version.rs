//! Data-driven: the product versions of `rules/apis/products.json` (one spec file per
//! version). A record that names a version its product does not have is never judged against
//! another version.

use super::Context;
use crate::finding::Finding;
use crate::model::request::checked::{CheckedRequest, Violation};

crate::rule_meta!(
    META,
    "unknown-api-version",
    Error,
    Validity,
    Request,
    "the API version is not a version of the product"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_request(&self, request: &CheckedRequest<'_>, cx: &mut Context<'_>) {
        let CheckedRequest::Call(call) = request else { return };
        let api = call.request.api.as_ref().map_or("", |(name, _)| name.as_str());
        for violation in &call.violations {
            if let Violation::UnknownVersion { version, target, versions } = violation {
                cx.emit(finding(api, version, target.clone(), versions));
            }
        }
    }
}

/// `versions`: the (product, version) pairs that exist, sorted.
fn finding(api: &str, version: &str, target: crate::finding::Target, versions: &[(&str, &str)]) -> Finding {
    let products: Vec<&str> = {
        let mut p: Vec<&str> = versions.iter().map(|(p, _)| *p).collect();
        p.dedup();
        p
    };
    let listed = versions.iter().map(|(p, v)| format!("{p} {v}")).collect::<Vec<_>>().join(", ");
    let (message, label) = match products.as_slice() {
        [one] => (
            format!("`{version}` is not an API version of {one}"),
            format!("{one} has {}", versions.iter().map(|(_, v)| *v).collect::<Vec<_>>().join(", ")),
        ),
        _ => (
            format!("`{version}` is not a version of any product with the API `{api}`"),
            "no product with this API has this version".to_string(),
        ),
    };
    let nearest = crate::catalog::suggest::did_you_mean(version, versions.iter().map(|(_, v)| *v));
    let help = match nearest {
        Some(hint) => format!("{hint} the versions that exist: {listed}"),
        None => format!("the versions that exist: {listed}; the endpoint rejects an unknown `Version`"),
    };
    Finding::new(&META, target, message).label(label).help(help)
}
