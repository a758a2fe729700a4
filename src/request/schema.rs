//! Compiles an API's parameter specification into a JSON Schema, validated with the
//! `jsonschema` crate. Cross-parameter rules become `if`/`then` entries of `allOf`, in the
//! order of the spec's `rules`, so an error's schema path names the rule it came from.

use crate::catalog::apis::{ApiSpec, CrossRule, CrossRuleKind, ParamSpec};
use crate::catalog::formats::Formats;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use std::sync::Arc;

pub struct Compiled {
    pub validator: jsonschema::Validator,
}

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Compiled")
    }
}

/// The JSON Schema of one parameter (after its value was typed: see `instance.rs`).
pub fn param_schema(p: &ParamSpec) -> Value {
    if p.separator.is_some() {
        let mut item = p.clone();
        item.separator = None;
        item.max_items = None;
        item.min_items = None;
        let mut s = Map::new();
        s.insert("type".into(), json!("array"));
        s.insert("items".into(), param_schema(&item));
        if let Some(n) = p.max_items {
            s.insert("maxItems".into(), json!(n));
        }
        if let Some(n) = p.min_items {
            s.insert("minItems".into(), json!(n));
        }
        return Value::Object(s);
    }
    let mut s = Map::new();
    if !p.kind.is_empty() {
        s.insert("type".into(), json!(p.kind));
    }
    if let Some(values) = &p.values {
        s.insert("enum".into(), json!(values));
    }
    if let Some(f) = &p.format {
        s.insert("format".into(), json!(f));
    }
    for (key, value) in [("minimum", p.minimum), ("exclusiveMinimum", p.exclusive_minimum), ("maximum", p.maximum)] {
        if let Some(v) = value {
            s.insert(key.into(), json!(v));
        }
    }
    for (key, value) in
        [("minLength", p.min_length), ("maxLength", p.max_length), ("minItems", p.min_items), ("maxItems", p.max_items)]
    {
        if let Some(v) = value {
            s.insert(key.into(), json!(v));
        }
    }
    if let Some(pattern) = &p.pattern {
        s.insert("pattern".into(), json!(pattern));
    }
    if let Some(items) = &p.items {
        s.insert("items".into(), param_schema(items));
    }
    if let Some(props) = &p.properties {
        let map: Map<String, Value> = props.iter().map(|(k, v)| (k.clone(), param_schema(v))).collect();
        s.insert("properties".into(), Value::Object(map));
    }
    Value::Object(s)
}

/// A rule's trigger value in the parameter's own type (`"true"` -> `true` for booleans).
fn typed(spec: Option<&ParamSpec>, value: &Value) -> Value {
    let kind = spec.map_or("string", |p| p.kind.as_str());
    match (kind, value) {
        ("boolean", Value::String(s)) => s.parse::<bool>().map_or_else(|_| value.clone(), Value::Bool),
        ("integer" | "number", Value::String(s)) => {
            s.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map_or_else(|| value.clone(), Value::Number)
        }
        _ => value.clone(),
    }
}

fn rule_schema(api: &ApiSpec, rule: &CrossRule) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for (param, values) in &rule.when {
        let spec = api.parameters.get(param);
        let values: Vec<Value> = values.iter().map(|v| typed(spec, v)).collect();
        let default_triggers = spec
            .and_then(|p| p.default.as_ref())
            .is_some_and(|d| values.iter().any(|v| v == d || Some(v) == Some(&typed(spec, d))));
        if !default_triggers {
            required.push(param.clone());
        }
        props.insert(param.clone(), json!({ "enum": values }));
    }
    let condition = json!({"properties": props, "required": required});
    let then = match rule.kind {
        CrossRuleKind::InstanceTypeMismatch => {
            let formats: Map<String, Value> =
                rule.then.iter().map(|(p, f)| (p.clone(), json!({"format": f}))).collect();
            json!({ "properties": formats })
        }
        CrossRuleKind::ParameterNotApplicable => {
            json!({ "allOf": rule.absent.iter().map(|p| json!({"not": {"required": [p]}})).collect::<Vec<_>>() })
        }
        CrossRuleKind::MissingParameter => json!({ "required": rule.require }),
    };
    json!({"if": condition, "then": then})
}

/// The whole API's schema.
pub fn api_schema(api: &ApiSpec) -> Value {
    let properties: Map<String, Value> = api.parameters.iter().map(|(k, v)| (k.clone(), param_schema(v))).collect();
    let required: BTreeSet<&String> = api.parameters.iter().filter(|(_, p)| p.required).map(|(k, _)| k).collect();
    let mut schema = json!({"type": "object", "properties": properties, "required": required});
    if !api.rules.is_empty() {
        if let Some(map) = schema.as_object_mut() {
            map.insert("allOf".into(), Value::Array(api.rules.iter().map(|r| rule_schema(api, r)).collect()));
        }
    }
    schema
}

/// Compiles the schema with the catalog's formats registered (no network: no remote refs).
pub fn compile(api: &ApiSpec, formats: &Formats, regions: &Arc<Regions>) -> Option<Compiled> {
    let mut options = jsonschema::options().should_validate_formats(true);
    for (id, format) in formats.shared() {
        let format = Arc::clone(format);
        let regions = Arc::clone(regions);
        options = options.with_format(id.to_string(), move |value: &str| format.check(value, &|r| regions.contains(r)));
    }
    let validator = options.build(&api_schema(api)).ok()?;
    Some(Compiled { validator })
}

/// The region ids a `region` format accepts, hashed: a format check runs for every
/// parameter of that format in every record.
pub type Regions = std::collections::HashSet<String, foldhash::fast::FixedState>;
