//! Data-driven: the documented errors of `rules/apis/<product>/<version>.json` (the API's
//! and the product's `errors`, and the product's `explanations`).

use super::Context;
use crate::catalog::apis::{ApiSpec, ProductSpec};
use crate::finding::{Finding, Target};
use crate::model::request::checked::CheckedRequest;

crate::rule_meta!(META, "recorded-error", Info, Audit, Request, "the record carries an error code");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_request(&self, request: &CheckedRequest<'_>, cx: &mut Context<'_>) {
        let CheckedRequest::Call(call) = request else { return };
        if let (Some((code, target)), Some(api)) = (&call.request.error_code, call.api) {
            cx.emit(finding(code, target.clone(), api.name, api.product, api.spec));
        }
    }
}

/// Explains a recorded error code from the API's documented errors.
fn finding(code: &str, target: Target, api_name: &str, product: &ProductSpec, api: &ApiSpec) -> Finding {
    let documented = api.errors.iter().chain(product.errors.iter()).find(|e| e.code == code);
    let explanation = product.explanations.get(code);
    let label = match documented {
        Some(e) => match e.status {
            Some(s) => format!("a documented {api_name} error (HTTP {s})"),
            None => format!("a documented {api_name} error"),
        },
        None => format!("not among {api_name}'s documented errors"),
    };
    let help = match (explanation, documented.and_then(|e| e.message.as_deref())) {
        (Some(x), _) => x.clone(),
        (None, Some(m)) => format!("the API documents it as \"{m}\""),
        (None, None) => family_help(code, api, product).unwrap_or_else(|| "see the API's error reference".to_string()),
    };
    Finding::new(&META, target, format!("the call failed with `{code}`")).label(label).help(help)
}

/// For an undocumented code (`Forbidden.RAM`), what the documentation says about its family:
/// the code before its first `.` (`Forbidden`) as documented for the API or product, or else
/// one documented code of the family. Messages that are only a placeholder (`%s`) say nothing.
fn family_help(code: &str, api: &ApiSpec, product: &ProductSpec) -> Option<String> {
    let (family, _) = code.split_once('.')?;
    // An authorization failure: ramlint can tell whether the caller's policies allow the call.
    let hint = if family.eq_ignore_ascii_case("Forbidden") {
        "; to see whether the caller's policies allow the call, replay the log with `ramlint audit --policy FILE`"
    } else {
        ""
    };
    family_said(code, family, api, product).map(|said| format!("{said}{hint}"))
}

fn family_said(code: &str, family: &str, api: &ApiSpec, product: &ProductSpec) -> Option<String> {
    let errors = || api.errors.iter().chain(product.errors.iter());
    let said = |m: &Option<String>| m.as_deref().filter(|m| m.chars().any(char::is_alphabetic)).map(str::to_string);
    if let Some(m) = errors().find(|e| e.code == family).and_then(|e| said(&e.message)) {
        return Some(format!("`{code}` is not documented itself; its family `{family}` is documented as \"{m}\""));
    }
    let prefix = format!("{family}.");
    let (other, m) =
        errors().filter(|e| e.code.starts_with(&prefix)).find_map(|e| Some((&e.code, said(&e.message)?)))?;
    Some(format!(
        "`{code}` is not documented itself; another code of its family `{family}` is documented: `{other}` (\"{m}\")"
    ))
}
