//! Turns a record's parameters into the typed JSON object that the API schema validates:
//! string forms become the parameter's type where they parse (`"50"` -> `50`, `"true"` ->
//! `true`), flattened names (`Tag.1.Key`) become arrays, separated lists become arrays.
//! Every path of the object remembers where it came from in the record.

use crate::catalog::apis::{ApiSpec, ParamSpec};
use crate::finding::Target;
use crate::json::Value as JsonValue;
use crate::model::request::{Param, ParamValue};
use serde_json::{Map, Number, Value};
use std::collections::BTreeMap;

/// The typed object, and where its flattened members came from in the record (direct
/// parameters are found by name when a finding needs them).
pub struct Instance {
    pub value: Value,
    pub flattened: Vec<(String, Target)>,
}

impl Instance {
    /// The record target of an instance path (`/AllocationId/1`, `/Tag/0/Key`): the
    /// flattened key it came from, else the parameter named by its first segment.
    pub fn target(&self, request: &crate::model::request::Request<'_>, path: &str) -> Target {
        let mut p = path.to_string();
        loop {
            if let Some((_, t)) = self.flattened.iter().find(|(q, _)| *q == p) {
                return t.clone();
            }
            match p.rfind('/') {
                Some(i) if i > 0 => p.truncate(i),
                _ => break,
            }
        }
        let name = path.split('/').nth(1).map(|t| t.replace("~1", "/").replace("~0", "~")).unwrap_or_default();
        request.param(&name).map_or_else(|| request.params_target(), |p| p.value_target())
    }
}

/// How a record's parameter name relates to the API.
pub enum Resolution<'s> {
    /// A top-level parameter.
    Direct(&'s str, &'s ParamSpec),
    /// A flattened member of a list or object parameter: the base name and the path below it.
    Flattened(&'s str, Vec<String>),
    /// Not a parameter of the API.
    Unknown,
}

/// An API's parameters by name, hashed: resolving a record's parameters is a lookup per
/// parameter per record, and the spec's ordered map costs about ten string comparisons each.
/// Made once per API per run (see `validate.rs`).
pub struct Params<'s>(std::collections::HashMap<&'s str, &'s ParamSpec, foldhash::fast::FixedState>);

impl<'s> Params<'s> {
    pub fn new(api: &'s ApiSpec) -> Self {
        Params(api.parameters.iter().map(|(name, spec)| (name.as_str(), spec)).collect())
    }

    fn get(&self, name: &str) -> Option<(&'s str, &'s ParamSpec)> {
        self.0.get_key_value(name).map(|(k, v)| (*k, *v))
    }
}

/// Resolves a request key against the API's parameters.
pub fn resolve<'s>(params: &Params<'s>, name: &str) -> Resolution<'s> {
    if let Some((k, p)) = params.get(name) {
        return Resolution::Direct(k, p);
    }
    // Only a dotted name can be flattened (most unknown names are common parameters).
    if !name.contains('.') {
        return Resolution::Unknown;
    }
    let parts: Vec<&str> = name.split('.').collect();
    for cut in (1..parts.len()).rev() {
        let base = parts.get(..cut).map(|p| p.join(".")).unwrap_or_default();
        let Some((k, spec)) = params.get(&base) else { continue };
        let rest: Vec<String> = parts.get(cut..).unwrap_or_default().iter().map(|s| s.to_string()).collect();
        if flattened_fits(spec, &rest) {
            return Resolution::Flattened(k, rest);
        }
        return Resolution::Unknown;
    }
    Resolution::Unknown
}

/// Whether `rest` (`["1", "Key"]`) is a valid flattened path below `spec`.
fn flattened_fits(spec: &ParamSpec, rest: &[String]) -> bool {
    let Some((first, tail)) = rest.split_first() else { return true };
    match spec.kind.as_str() {
        "array" => {
            first.parse::<usize>().is_ok_and(|n| n >= 1)
                && spec.items.as_deref().is_some_and(|i| flattened_fits(i, tail))
        }
        // An object whose members the spec does not list (the all-products summary gives
        // none) takes any members.
        "object" => spec.properties.as_ref().is_none_or(|p| p.get(first).is_some_and(|p| flattened_fits(p, tail))),
        // An element whose type the spec leaves open.
        "" => true,
        _ => false,
    }
}

/// Types a scalar text by the parameter's type, keeping the text when it does not parse (the
/// schema's `type` then reports it).
pub fn type_text(spec: &ParamSpec, text: &str) -> Value {
    match spec.kind.as_str() {
        "integer" => {
            text.trim().parse::<i64>().map_or_else(|_| Value::String(text.to_string()), |n| Value::Number(n.into()))
        }
        "number" => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map_or_else(|| Value::String(text.to_string()), Value::Number),
        "boolean" => match text.to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.to_string()),
        },
        "array" | "object" if spec.style.as_deref() == Some("json") => {
            serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
        }
        "array" if spec.style.as_deref() == Some("simple") => Value::Array(
            text.split(',')
                .map(|t| spec.items.as_deref().map_or(Value::String(t.to_string()), |i| type_text(i, t)))
                .collect(),
        ),
        _ => Value::String(text.to_string()),
    }
}

/// Types a JSON value by the parameter's type (typed values are as valid as their string
/// forms; strings are typed as in URLs).
pub fn type_json(spec: &ParamSpec, node: &crate::json::Node, source: &str) -> Value {
    match &node.value {
        JsonValue::String(s) => type_text(spec, s),
        JsonValue::Number(_) if spec.kind == "string" => {
            Value::String(source.get(node.span.start..node.span.end).unwrap_or_default().to_string())
        }
        JsonValue::Bool(b) if spec.kind == "string" => Value::String(b.to_string()),
        JsonValue::Array(items) if spec.kind == "array" => Value::Array(
            items
                .iter()
                .map(|i| spec.items.as_deref().map_or_else(|| i.to_serde(), |s| type_json(s, i, source)))
                .collect(),
        ),
        _ => node.to_serde(),
    }
}

fn canonical_case(spec: &ParamSpec, value: Value) -> Value {
    if !spec.case_insensitive {
        return value;
    }
    let Value::String(s) = &value else { return value };
    spec.values
        .iter()
        .flatten()
        .find_map(|v| v.as_str().filter(|e| e.eq_ignore_ascii_case(s)).map(|e| Value::String(e.to_string())))
        .unwrap_or(value)
}

fn typed_value(spec: &ParamSpec, param: &Param<'_>, source: &str) -> Value {
    let text = || param.value.text(source);
    let value = match (&spec.separator, &param.value) {
        (Some(sep), ParamValue::Text(_))
        | (Some(sep), ParamValue::Json(crate::json::Node { value: JsonValue::String(_), .. })) => {
            let item = ParamSpec { separator: None, max_items: None, min_items: None, ..spec.clone() };
            Value::Array(
                text().split(sep.as_str()).map(|t| canonical_case(&item, type_text(&item, t.trim()))).collect(),
            )
        }
        (_, ParamValue::Text(t)) => type_text(spec, t),
        (_, ParamValue::Json(node)) => type_json(spec, node, source),
    };
    canonical_case(spec, value)
}

/// Builds the instance from the parameters that resolve to the API.
pub fn build(api: &ApiSpec, params: &[(&Param<'_>, Resolution<'_>)], source: &str) -> Instance {
    let mut object = Map::new();
    let mut targets = Vec::new();
    let mut flattened: BTreeMap<&str, Vec<(&Param<'_>, &Vec<String>)>> = BTreeMap::new();
    for (param, resolution) in params {
        match resolution {
            Resolution::Direct(name, spec) => {
                object.insert(name.to_string(), typed_value(spec, param, source));
            }
            Resolution::Flattened(base, rest) => flattened.entry(base).or_default().push((param, rest)),
            Resolution::Unknown => {}
        }
    }
    for (base, entries) in flattened {
        let Some(spec) = api.parameters.get(base) else { continue };
        let mut value = object.remove(base).unwrap_or(Value::Null);
        let base_path = format!("/{}", escape(base));
        if let Some((first, _)) = entries.first() {
            targets.push((base_path.clone(), first.key()));
        }
        for (param, rest) in entries {
            let mut path = base_path.clone();
            insert(&mut value, spec, rest, &typed_leaf(spec, rest, param, source), &mut path);
            targets.push((path, param.value_target()));
        }
        object.insert(base.to_string(), value);
    }
    Instance { value: Value::Object(object), flattened: targets }
}

fn leaf_spec<'s>(spec: &'s ParamSpec, rest: &[String]) -> Option<&'s ParamSpec> {
    let Some((first, tail)) = rest.split_first() else { return Some(spec) };
    match spec.kind.as_str() {
        "array" => leaf_spec(spec.items.as_deref()?, tail),
        "object" => leaf_spec(spec.properties.as_ref()?.get(first)?, tail),
        _ => None,
    }
}

fn typed_leaf(spec: &ParamSpec, rest: &[String], param: &Param<'_>, source: &str) -> Value {
    match leaf_spec(spec, rest) {
        Some(leaf) => typed_value(leaf, param, source),
        None => Value::String(param.value.text(source)),
    }
}

/// Puts `leaf` at the flattened path (`["2", "Key"]` -> `[_, {"Key": leaf}]`), growing arrays
/// as needed, and extends `path` with the instance path it lands at.
fn insert(value: &mut Value, spec: &ParamSpec, rest: &[String], leaf: &Value, path: &mut String) {
    let Some((first, tail)) = rest.split_first() else {
        *value = leaf.clone();
        return;
    };
    if spec.kind == "array" {
        let index = first.parse::<usize>().unwrap_or(1).saturating_sub(1).min(1000);
        if !value.is_array() {
            *value = Value::Array(Vec::new());
        }
        if let Value::Array(items) = value {
            let filler = if spec.items.as_deref().is_some_and(|i| i.kind == "object") {
                Value::Object(Map::new())
            } else {
                Value::Null
            };
            while items.len() <= index {
                items.push(filler.clone());
            }
            path.push_str(&format!("/{index}"));
            if let (Some(slot), Some(items_spec)) = (items.get_mut(index), spec.items.as_deref()) {
                insert(slot, items_spec, tail, leaf, path);
            }
        }
    } else {
        if !value.is_object() {
            *value = Value::Object(Map::new());
        }
        if let (Value::Object(map), Some(prop)) = (value, spec.properties.as_ref().and_then(|p| p.get(first))) {
            path.push_str(&format!("/{}", escape(first)));
            let slot = map.entry(first.clone()).or_insert(Value::Null);
            insert(slot, prop, tail, leaf, path);
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}
