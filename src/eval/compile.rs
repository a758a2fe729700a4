//! Policy statements compiled for evaluation: owned patterns with their pointers, conditions
//! with parsed operators, and the first malformed element, which keeps a statement from ever
//! applying.

use super::condition::{self, Condition};
use super::{Effect, Pattern, Scope, Statement};
use crate::json::Node;
use crate::model::policy::Values;

impl Scope {
    fn of(values: &Values<'_>, not: bool) -> Scope {
        Scope {
            not,
            pointer: values.pointer.to_string(),
            patterns: values
                .items
                .iter()
                .map(|i| Pattern { text: i.value.to_string(), pointer: i.pointer.to_string() })
                .collect(),
        }
    }
}

pub(super) fn compile(file: usize, s: &crate::model::policy::Statement<'_>) -> Statement {
    let effect = match s.effect.and_then(|m| m.value.as_str()) {
        Some("Allow") => Some(Effect::Allow),
        Some("Deny") => Some(Effect::Deny),
        _ => None,
    };
    // With both `Action` and `NotAction` (an error RAM rejects) the statement is malformed.
    let action =
        s.action.as_ref().map(|v| Scope::of(v, false)).or_else(|| s.not_action.as_ref().map(|v| Scope::of(v, true)));
    let resource = s
        .resource
        .as_ref()
        .map(|v| Scope::of(v, false))
        .or_else(|| s.not_resource.as_ref().map(|v| Scope::of(v, true)));
    let conditions = s
        .conditions()
        .iter()
        .flat_map(|block| {
            block.entries.iter().map(|e| {
                Condition::new(block.operator, e.key, condition::values_of(&e.member.value), e.pointer.to_string())
            })
        })
        .collect();
    Statement {
        file,
        pointer: s.pointer.to_string(),
        effect,
        action,
        resource,
        conditions,
        trust: s.is_trust(),
        malformed: malformed(s),
    }
}

/// The first element of a statement that RAM would reject and that evaluation cannot honour:
/// a list element that is not a non-empty string or list of them, both forms of an element,
/// or a condition that is not an object of operator objects of string values.
fn malformed(s: &crate::model::policy::Statement<'_>) -> Option<(String, String)> {
    use crate::json::Value;
    let at = |key: &str| s.pointer.key(key).to_string();
    let elements = [
        ("Action", &s.action),
        ("NotAction", &s.not_action),
        ("Resource", &s.resource),
        ("NotResource", &s.not_resource),
    ];
    for pair in elements.chunks(2) {
        if let [(a, Some(_)), (b, Some(_))] = pair {
            return Some((at(b), format!("it has both `{a}` and `{b}`")));
        }
    }
    let scalar = |n: &Node| matches!(&n.value, Value::String(t) if !t.is_empty());
    for (key, values) in elements {
        let Some(member) = values.as_ref().map(|v| v.member) else { continue };
        let ok = match &member.value.value {
            Value::Array(items) => !items.is_empty() && items.iter().all(scalar),
            _ => scalar(&member.value),
        };
        if !ok {
            return Some((at(key), format!("`{key}` is not a string or a non-empty list of strings")));
        }
    }
    let condition = s.condition?;
    let bad = || Some((at("Condition"), "`Condition` is not an object of operators, keys and values".to_string()));
    if condition.value.as_object().is_none() {
        return bad();
    }
    let value_ok = |n: &Node| match &n.value {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => true,
        Value::Array(items) => {
            !items.is_empty()
                && items.iter().all(|i| matches!(i.value, Value::String(_) | Value::Number(_) | Value::Bool(_)))
        }
        _ => false,
    };
    // Only the members RAM reads: of a repeated operator or key, the last one.
    for block in condition.value.members_in_effect() {
        if block.value.as_object().is_none() {
            return bad();
        }
        let entries = block.value.members_in_effect();
        if entries.is_empty() || !entries.iter().all(|e| value_ok(&e.value)) {
            return bad();
        }
    }
    None
}
