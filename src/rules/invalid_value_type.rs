use crate::finding::{Finding, Target};
use crate::json::{Member, Value};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(META, "invalid-value-type", Error, Syntax, Policy, "a value of the wrong JSON type");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            for key in ["Action", "NotAction", "Resource", "NotResource"] {
                if let Some(member) = st.node.get(key) {
                    check_string_list(member, || st.pointer.key(key).to_string(), cx);
                }
            }
            let Some(condition) = st.condition else { continue };
            let pointer = st.pointer.key("Condition");
            if condition.value.as_object().is_none() {
                cx.emit(
                    Finding::new(
                        &META,
                        Target::value(pointer.to_string()),
                        format!("`Condition` must be an object, not {}", condition.value.type_name()),
                    )
                    .label("expected `{ \"<operator>\": { \"<key>\": <values> } }`"),
                );
                continue;
            }
            for block in condition.value.members_in_effect() {
                if block.value.as_object().is_none() {
                    cx.emit(
                        Finding::new(
                            &META,
                            Target::value(pointer.key(&block.key).to_string()),
                            format!("the `{}` block must be an object, not {}", block.key, block.value.type_name()),
                        )
                        .label("expected `{ \"<key>\": <values> }`"),
                    );
                }
            }
        }
    }
}

/// `pointer` writes the element's pointer, which only a finding needs.
fn check_string_list(member: &Member, pointer: impl Fn() -> String, cx: &mut Context<'_>) {
    let what = &member.key;
    match &member.value.value {
        Value::String(s) if s.is_empty() => cx.emit(
            Finding::new(&META, Target::value(pointer()), format!("`{what}` is an empty string"))
                .label("expected a non-empty string"),
        ),
        Value::String(_) => {}
        Value::Array(items) if items.is_empty() => cx.emit(
            Finding::new(&META, Target::value(pointer()), format!("`{what}` is an empty array"))
                .label("expected at least one string")
                .help(format!("an empty `{what}` matches nothing; list values or remove the statement")),
        ),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let problem = match &item.value {
                    Value::String(s) if s.is_empty() => Some("an empty string".to_string()),
                    Value::String(_) => None,
                    _ => Some(item.type_name().to_string()),
                };
                if let Some(problem) = problem {
                    let help = if item
                        .as_object()
                        .is_some_and(|m| m.iter().any(|k| k.key.starts_with("Fn::") || &*k.key == "Ref"))
                    {
                        "this looks like an unresolved template function: RAM needs the resolved string"
                    } else {
                        "each element must be a non-empty string"
                    };
                    cx.emit(
                        Finding::new(
                            &META,
                            Target::value(format!("{}/{i}", pointer())),
                            format!("an element of `{what}` is {problem}"),
                        )
                        .label("expected a string")
                        .help(help),
                    );
                }
            }
        }
        _ => cx.emit(
            Finding::new(
                &META,
                Target::value(pointer()),
                format!("`{what}` must be a string or an array of strings, not {}", member.value.type_name()),
            )
            .label("expected a string or an array of strings"),
        ),
    }
}
