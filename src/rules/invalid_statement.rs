use crate::finding::{Finding, Severity, Target};
use crate::json::Value;
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(
    META,
    "invalid-statement",
    Error,
    Syntax,
    Policy,
    "`Statement` is missing, empty, not an array, or holds a non-object",
    fixable
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        let Some(statement) = policy.statement else {
            cx.emit(
                Finding::new(&META, Target::opening(""), "the policy has no `Statement`")
                    .label("`Statement` is missing from this object")
                    .help("add a `Statement` array with at least one statement"),
            );
            return;
        };
        match &statement.value.value {
            Value::Array(items) if items.is_empty() => cx.emit(
                Finding::new(&META, Target::value("/Statement"), "`Statement` is empty")
                    .label("no statement here")
                    .help("a policy needs at least one statement"),
            ),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if item.as_object().is_none() {
                        cx.emit(
                            Finding::new(
                                &META,
                                Target::value(format!("/Statement/{i}")),
                                format!("a statement must be an object, not {}", item.type_name()),
                            )
                            .label("expected `{ \"Effect\": ..., \"Action\": ..., ... }`"),
                        );
                    }
                }
            }
            Value::Object(_) => cx.emit(
                Finding::new(&META, Target::value("/Statement"), "`Statement` is a single object instead of an array")
                    .severity(Severity::Warning)
                    .label("wrap this object in `[` `]`")
                    .help("RAM's grammar defines `Statement` as an array of statements")
                    .fix(Some(super::fixes::wrap_in_array(&statement.value, "wrap the statement in an array".into()))),
            ),
            _ => cx.emit(
                Finding::new(
                    &META,
                    Target::value("/Statement"),
                    format!("`Statement` must be an array of statements, not {}", statement.value.type_name()),
                )
                .label("expected an array of objects"),
            ),
        }
    }
}
