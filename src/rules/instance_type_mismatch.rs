//! Data-driven: the API's cross-parameter `rules` of kind `instance-type-mismatch` (`if` an
//! instance type, `then` the id format of the instance parameter) in
//! `rules/apis/<product>/<version>.json`, with the parameters' `default`s.

use super::Context;
use crate::catalog::apis::{ApiSpec, CrossRule, CrossRuleKind};
use crate::finding::Finding;
use crate::model::request::checked::{CheckedRequest, ValueAt, Violation};
use crate::model::request::Request;

crate::rule_meta!(META, "instance-type-mismatch", Error, Validity, Request, "`InstanceId` does not fit `InstanceType`");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_request(&self, request: &CheckedRequest<'_>, cx: &mut Context<'_>) {
        let CheckedRequest::Call(call) = request else { return };
        let Some(api) = call.api else { return };
        let findings = call.violations.iter().filter_map(|v| match v {
            Violation::InstanceTypeMismatch { at, rule } => finding(api.spec, rule, call.request, at),
            _ => None,
        });
        super::emit_distinct(cx, findings);
    }
}

fn text(v: &serde_json::Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

/// `rule` fired for the value `at`: the type (given or default) wants another id format.
/// The help names the type the id does fit, from the API's other rules.
fn finding(api: &ApiSpec, rule: &CrossRule, request: &Request<'_>, at: &ValueAt) -> Option<Finding> {
    let (param, value, target) = (at.param.as_str(), at.value.as_str(), at.target.clone());
    let (type_param, _) = rule.when.iter().next()?;
    let given = request.param(type_param);
    let type_value = match given {
        Some(p) => p.value.text(""),
        None => api.parameters.get(type_param).and_then(|s| s.default.as_ref()).map(text).unwrap_or_default(),
    };
    let wanted = rule.then.get(param).cloned().unwrap_or_default();
    let fitting =
        api.rules.iter().filter(|r| r.kind == CrossRuleKind::InstanceTypeMismatch && !std::ptr::eq(*r, rule)).find(
            |r| {
                r.then.get(param).is_some_and(|f| {
                    let prefix = f.trim_end_matches("-id");
                    id_prefix_of(prefix).is_some_and(|p| value.starts_with(p))
                        || (f == "ip-address" && value.parse::<std::net::IpAddr>().is_ok())
                })
            },
        );
    let suggestion = fitting.and_then(|r| r.when.get(type_param)).and_then(|v| v.first()).map(text);
    let how = if given.is_some() {
        format!("`{type_param}` is `{type_value}`")
    } else {
        format!("`{type_param}` is not given, so it is `{type_value}`")
    };
    let mut finding = Finding::new(
        &META,
        target,
        format!(
            "`{value}` does not fit {}",
            if given.is_some() {
                format!("`{type_param}` `{type_value}`")
            } else {
                format!("the default `{type_param}` `{type_value}`")
            }
        ),
    )
    .label(format!("expected {}", describe(&wanted)))
    .help(match suggestion {
        Some(s) => format!("{how}; this id needs `\"{type_param}\": \"{s}\"`"),
        None => format!("{how}, which takes {}", describe(&wanted)),
    });
    if let Some(p) = given {
        finding = finding.related(p.value_target(), "the instance type is set here");
    }
    Some(finding)
}

/// The id prefix of a format id named after its resource (`nat-gateway` -> `ngw-`).
fn id_prefix_of(format_stem: &str) -> Option<&'static str> {
    Some(match format_stem {
        "ecs-instance" => "i-",
        "slb-instance" => "lb-",
        "eni" => "eni-",
        "nat-gateway" => "ngw-",
        "havip" => "havip-",
        "eip" => "eip-",
        _ => return None,
    })
}

fn describe(format: &str) -> String {
    match id_prefix_of(format.trim_end_matches("-id")) {
        Some(p) => format!("an id starting with `{p}`"),
        None if format == "ip-address" => "an IP address".to_string(),
        None => format!("a `{format}`"),
    }
}
