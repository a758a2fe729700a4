//! Validation of one recorded call against its API specification.

use super::instance::{self, Resolution};
use super::Outcome;
use crate::catalog::apis::{ApiSpec, Lookup, ProductSpec};
use crate::catalog::{suggest, Catalog};
use crate::finding::Finding;
use crate::model::request::{Param, Request, Shape};
use crate::rules::request as rules;
use jsonschema::error::ValidationErrorKind;
use std::collections::BTreeSet;

pub fn validate(catalog: &Catalog, request: &Request<'_>, text: &str, want: super::Want<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    if let Some(reason) = &request.not_api_call {
        outcome.skipped = Some(reason.clone());
        return outcome;
    }
    let Some((api_name, api_target)) = &request.api else {
        outcome.skipped = Some("no API name".into());
        return outcome;
    };
    let (product, api) = match catalog.apis.lookup(api_name, &request.hints()) {
        Lookup::Found(product, api, _) => (product, api),
        Lookup::UnknownProduct => {
            outcome.skipped = Some(format!(
                "product `{}` is not in the catalog",
                request.product.as_deref().or(request.host.as_deref()).unwrap_or("?")
            ));
            return outcome;
        }
        Lookup::UnknownApi(product) => {
            let help = match product {
                Some(p) => suggest::did_you_mean(api_name, p.apis.keys().map(String::as_str)),
                None => suggest::did_you_mean(api_name, catalog.apis.all_names()),
            };
            outcome.findings.push(rules::unknown_api(
                api_name,
                api_target.clone(),
                product.map(|p| (p.product.as_str(), p.version.as_str())),
                help,
            ));
            return outcome;
        }
    };
    outcome.api = Some(api_name.clone());
    outcome.error_code = request.error_code.as_ref().map(|(c, _)| c.clone());
    if want.facts {
        outcome.fact = Some(super::fact::extract(catalog, request, api_name, api, text));
    }
    if want.calls {
        let plan = api.authorization.get_or_init(|| crate::eval::call::Plan::new(catalog, product, api_name, api));
        outcome.call = Some(plan.call(catalog, request, text, want.account, want.keys));
    }
    check_params(catalog, request, product, api, text, &mut outcome.findings);
    if let Some((code, target)) = &request.error_code {
        outcome.findings.push(rules::recorded_error(code, target.clone(), api_name, product, api));
    }
    outcome
}

fn check_params(
    catalog: &Catalog,
    request: &Request<'_>,
    product: &ProductSpec,
    api: &ApiSpec,
    text: &str,
    findings: &mut Vec<Finding>,
) {
    let common = &catalog.apis.common;
    let mut resolved: Vec<(&Param<'_>, Resolution<'_>)> = Vec::new();
    for param in &request.params {
        let resolution = instance::resolve(api, &param.name);
        if matches!(resolution, Resolution::Unknown) {
            let exempt = common.rpc.contains(&*param.name)
                || (request.shape == Shape::Event && common.actiontrail.contains(&*param.name))
                || common.region_when_undefined.contains(&*param.name);
            if !exempt {
                let set = format!("params:{}:{}", product.code, request.api.as_ref().map_or("", |(a, _)| a.as_str()));
                let help = catalog
                    .closest(&set, &param.name, || api.parameters.keys().map(String::as_str))
                    .map(|c| format!("did you mean `{c}`?"));
                findings.push(rules::unknown_parameter(&param.name, param.key(), &product.product, help));
            }
            continue;
        }
        resolved.push((param, resolution));
    }
    // Validation is a pure function of the API and the parameters: a parameter set already
    // found valid (logs repeat the same calls) skips building and validating the instance.
    let fingerprint = fingerprint(&resolved, text);
    if api.known_valid.read().is_ok_and(|set| set.contains(&fingerprint)) {
        return;
    }
    let inst = instance::build(api, &resolved, text);
    let Some(compiled) =
        api.compiled.get_or_init(|| super::schema::compile(api, &catalog.formats, &catalog.regions)).as_ref()
    else {
        return;
    };
    if compiled.validator.is_valid(&inst.value) {
        if let Ok(mut set) = api.known_valid.write() {
            if set.len() < KNOWN_VALID_LIMIT {
                set.insert(fingerprint);
            }
        }
        return;
    }
    let mut seen = BTreeSet::new();
    for error in compiled.validator.iter_errors(&inst.value) {
        let schema_path = error.schema_path().as_str().to_string();
        let instance_path = error.instance_path().as_str().to_string();
        let param = instance_path.split('/').nth(1).map(unescape).unwrap_or_default();
        let target = inst.target(request, &instance_path);
        let value = value_text(&inst.value, &instance_path);
        let finding = match rule_of(api, &schema_path) {
            Some((index, "instance-type-mismatch")) => api
                .rules
                .get(index)
                .and_then(|r| rules::instance_type_mismatch(api, r, request, &param, &value, target.clone())),
            Some((index, "parameter-not-applicable")) => api.rules.get(index).map(|r| {
                let absent = r.absent.iter().find(|a| request.param(a).is_some()).cloned().unwrap_or_default();
                let target = request.param(&absent).map_or(request.params_target(), |p| p.key());
                rules::parameter_not_applicable(&absent, target, r, api)
            }),
            Some((index, "missing-parameter")) => api.rules.get(index).map(|r| {
                let missing = r.require.iter().find(|p| request.param(p).is_none()).cloned().unwrap_or_default();
                rules::missing_parameter(&missing, request.params_target(), Some(r))
            }),
            _ => match error.kind() {
                ValidationErrorKind::Required { property } => {
                    Some(rules::missing_parameter(property.as_str().unwrap_or_default(), request.params_target(), None))
                }
                ValidationErrorKind::Type { .. } => {
                    Some(rules::invalid_parameter_type(&param, &value, target.clone(), spec_kind(api, &param)))
                }
                ValidationErrorKind::Enum { options } => {
                    let allowed: Vec<String> =
                        options.as_array().map(|a| a.iter().map(display).collect()).unwrap_or_default();
                    Some(rules::invalid_enum_value(&param, &value, target.clone(), &allowed))
                }
                ValidationErrorKind::Format { format } => Some(rules::invalid_format(
                    &param,
                    &value,
                    target.clone(),
                    catalog.formats.get(format).map(|f| f.describe()),
                )),
                other => Some(rules::out_of_limits(&param, &value, target.clone(), &limit_text(other))),
            },
        };
        if let Some(f) = finding {
            if seen.insert((f.rule.id, f.primary.pointer().to_string(), f.message.clone())) {
                findings.push(f);
            }
        }
    }
}

/// How many valid parameter sets an API remembers.
const KNOWN_VALID_LIMIT: usize = 1 << 16;

/// A 128-bit hash of the resolved parameters' names and values, as written.
fn fingerprint(params: &[(&Param<'_>, Resolution<'_>)], text: &str) -> u128 {
    let mut h = crate::hash::Fnv128::default();
    for (param, _) in params {
        h.field(param.name.as_bytes());
        match &param.value {
            crate::model::request::ParamValue::Text(t) => {
                h.field(b"t");
                h.field(t.as_bytes());
            }
            crate::model::request::ParamValue::Json(node) => {
                h.field(b"j");
                h.field(text.get(node.span.start..node.span.end).unwrap_or_default().as_bytes());
            }
        }
    }
    h.finish()
}

/// The cross-parameter rule an error came from: `/allOf/<n>/...`.
fn rule_of<'a>(api: &'a ApiSpec, schema_path: &str) -> Option<(usize, &'a str)> {
    let rest = schema_path.strip_prefix("/allOf/")?;
    let index: usize = rest.split('/').next()?.parse().ok()?;
    api.rules.get(index).map(|r| (index, r.rule.as_str()))
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn display(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn value_text(root: &serde_json::Value, path: &str) -> String {
    root.pointer(path).map(display).unwrap_or_default()
}

fn spec_kind<'a>(api: &'a ApiSpec, param: &str) -> &'a str {
    api.parameters.get(param).map_or("string", |p| p.kind.as_str())
}

fn limit_text(kind: &ValidationErrorKind) -> String {
    match kind {
        ValidationErrorKind::Maximum { limit } => format!("above the maximum of {limit}"),
        ValidationErrorKind::Minimum { limit } => format!("below the minimum of {limit}"),
        ValidationErrorKind::ExclusiveMinimum { limit } => format!("not above {limit}"),
        ValidationErrorKind::ExclusiveMaximum { limit } => format!("not below {limit}"),
        ValidationErrorKind::MaxLength { limit } => format!("longer than {limit} characters"),
        ValidationErrorKind::MinLength { limit } => format!("shorter than {limit} characters"),
        ValidationErrorKind::MaxItems { limit } => format!("more than {limit} values"),
        ValidationErrorKind::MinItems { limit } => format!("fewer than {limit} values"),
        ValidationErrorKind::Pattern { pattern } => format!("not of the form `{pattern}`"),
        _ => "not valid for this parameter".into(),
    }
}
