//! Data-driven: the `format` (ids of `rules/formats.json`), `pattern` and limits (`minimum`,
//! `maximum`, `min_length`, `max_length`, `min_items`, `max_items`) of the API's
//! `parameters` in `rules/apis/<product>/<version>.json`.

use super::Context;
use crate::finding::Finding;
use crate::model::request::checked::{CheckedRequest, Limit, ValueAt, Violation};

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

    fn check_request(&self, request: &CheckedRequest<'_>, cx: &mut Context<'_>) {
        let CheckedRequest::Call(call) = request else { return };
        let formats = &cx.catalog.formats;
        let findings: Vec<Finding> = call
            .violations
            .iter()
            .filter_map(|v| match v {
                Violation::BadFormat { at, format } => {
                    let found = finding(at, formats.get(format).map(|f| f.describe()));
                    // A misspelt region gets the did-you-mean a policy's ARN gets.
                    let region = formats.get(format).is_some_and(|f| f.spec.builtin.as_deref() == Some("region"));
                    Some(match region.then(|| region_help(cx, &at.value)).flatten() {
                        Some(help) => found.help(help),
                        None => found,
                    })
                }
                Violation::OutOfLimits { at, limit } => Some(out_of_limits(at, &limit_text(limit))),
                _ => None,
            })
            .collect();
        super::emit_distinct(cx, findings);
    }
}

/// A value that does not have the parameter's format (`described`: what it should be).
fn finding(at: &ValueAt, described: Option<String>) -> Finding {
    let (name, value) = (&at.param, &at.value);
    let masked = value.contains("****") || value.contains("XX");
    let expected = described.unwrap_or_else(|| "the documented format".into());
    let help = if masked {
        "this looks like a masked documentation example; use the real value".to_string()
    } else {
        format!("`{name}` takes {expected}")
    };
    Finding::new(&META, at.target.clone(), format!("`{value}` is not a valid `{name}`"))
        .label(format!("expected {expected}"))
        .help(help)
}

/// A value outside the parameter's limits (`what`: "above the maximum of 100").
fn out_of_limits(at: &ValueAt, what: &str) -> Finding {
    let (name, value) = (&at.param, &at.value);
    Finding::new(&META, at.target.clone(), format!("`{value}` for `{name}` is {what}"))
        .label(what.to_string())
        .help(format!("the API rejects `{name}` values {what}"))
}

/// `did you mean `cn-hangzhou`?` for a misspelt region id (the help of `invalid-region`).
fn region_help(cx: &Context<'_>, value: &str) -> Option<String> {
    crate::catalog::suggest::did_you_mean(value, cx.catalog.regions.iter().map(String::as_str))
}

/// A limit as a person writes it: `50`, not the `50.0` of a number read as a float.
fn number(limit: &str) -> String {
    match limit.parse::<f64>() {
        Ok(n) if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 => format!("{n:.0}"),
        _ => limit.to_string(),
    }
}

fn limit_text(limit: &Limit) -> String {
    match limit {
        Limit::Maximum(limit) => format!("above the maximum of {}", number(limit)),
        Limit::Minimum(limit) => format!("below the minimum of {}", number(limit)),
        Limit::ExclusiveMinimum(limit) => format!("not above {}", number(limit)),
        Limit::ExclusiveMaximum(limit) => format!("not below {}", number(limit)),
        Limit::MaxLength(limit) => format!("longer than {limit} characters"),
        Limit::MinLength(limit) => format!("shorter than {limit} characters"),
        Limit::MaxItems(limit) => format!("more than {limit} values"),
        Limit::MinItems(limit) => format!("fewer than {limit} values"),
        Limit::Pattern(pattern) => format!("not of the form `{pattern}`"),
        Limit::Other => "not valid for this parameter".into(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn integral_limits_print_as_integers() {
        assert_eq!(super::number("50.0"), "50");
        assert_eq!(super::number("-1"), "-1");
        assert_eq!(super::number("0.5"), "0.5");
        assert_eq!(super::number("1e400"), "1e400");
    }
}
