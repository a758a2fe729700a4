use crate::finding::{Finding, Target};
use crate::json::{Node, Value};
use crate::model::condition_value::{Category, ConditionValue};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(
    META,
    "condition-value-type",
    Error,
    Validity,
    Policy,
    "a condition value that does not fit its operator or key",
    // A masked value where a typed one belongs (`42.120.XX.X/24` for `acs:SourceIp`) is not a
    // value of that type: the error says so, in place of the placeholder warning.
    wins_over = ["placeholder-value"]
);

pub struct Rule;

fn expected(category: Category) -> &'static str {
    match category {
        Category::Numeric => "a number in a string, such as `\"10\"`",
        Category::Date => "an ISO 8601 date and time, such as `\"2026-01-01T00:00:00Z\"`",
        Category::Boolean => "`\"true\"` or `\"false\"`",
        Category::Ip => "an IP address or CIDR block, such as `\"192.168.0.0/16\"`",
        Category::String => "a string",
    }
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            for block in st.conditions() {
                // A category the model does not know types nothing: its values are strings.
                let Some(category) = cx
                    .catalog
                    .operator_category(block.operator)
                    .map(|c| Category::from_name(c).unwrap_or(Category::String))
                else {
                    continue;
                };
                for entry in &block.entries {
                    // The pointers are written only for a finding.
                    let pointer = || entry.pointer.to_string();
                    let value = &entry.member.value;
                    match &value.value {
                        Value::String(s) => check_string(cx, category, block.operator, s, pointer),
                        Value::Array(items) if items.is_empty() => {
                            cx.emit(
                                Finding::new(&META, Target::value(pointer()), format!("`{}` has no values", entry.key))
                                    .label("expected at least one value"),
                            );
                        }
                        Value::Array(items) => {
                            if category == Category::Boolean && items.len() > 1 {
                                cx.emit(
                                    Finding::new(
                                        &META,
                                        Target::value(pointer()),
                                        format!("`Bool` takes one value for `{}`, not {}", entry.key, items.len()),
                                    )
                                    .label("more than one Boolean value")
                                    .help("give a single `\"true\"` or `\"false\"`"),
                                );
                            }
                            for (i, item) in items.iter().enumerate() {
                                let item_pointer = || format!("{}/{i}", entry.pointer);
                                match item.as_str() {
                                    Some(s) => check_string(cx, category, block.operator, s, item_pointer),
                                    None => unquoted(cx, item, category, &item_pointer()),
                                }
                            }
                        }
                        _ => unquoted(cx, value, category, &pointer()),
                    }
                }
            }
        }
    }
}

fn check_string(
    cx: &mut Context<'_>,
    category: Category,
    operator: &str,
    value: &str,
    pointer: impl FnOnce() -> String,
) {
    let Err(error) = ConditionValue::parse(category, value) else { return };
    // The label says what is wrong when there is more to say than the expected form.
    let label = if error.is_specific() { error.to_string() } else { format!("expected {}", expected(category)) };
    cx.emit(
        Finding::new(&META, Target::value(pointer()), format!("`{value}` is not a valid value for `{operator}`"))
            .label(label)
            .help(format!("`{operator}` compares {}", expected(category))),
    );
}

fn unquoted(cx: &mut Context<'_>, node: &Node, category: Category, pointer: &str) {
    let raw = cx.text.get(node.span.start..node.span.end).unwrap_or_default().chars().take(40).collect::<String>();
    let (message, help) = match &node.value {
        Value::Bool(_) | Value::Number(_) => (
            format!("the condition value `{raw}` is not quoted"),
            format!("write it as the string `\"{raw}\"`: RAM requires condition values to be strings"),
        ),
        _ if node.as_object().is_some_and(|m| m.iter().any(|k| k.key.starts_with("Fn::") || &*k.key == "Ref")) => (
            format!("a condition value must be a string, not {}", node.type_name()),
            "this looks like an unresolved template function: RAM needs the resolved string".to_string(),
        ),
        _ => (
            format!("a condition value must be a string, not {}", node.type_name()),
            format!("expected {}", expected(category)),
        ),
    };
    cx.emit(Finding::new(&META, Target::value(pointer), message).label("expected a string").help(help));
}
