use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(META, "invalid-version", Error, Syntax, Policy, "`Version` is missing or not the string `\"1\"`");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        let Some(version) = policy.version else {
            cx.emit(
                Finding::new(&META, Target::opening(""), "the policy has no `Version`")
                    .label("`Version` is missing from this object")
                    .help("add `\"Version\": \"1\"`"),
            );
            return;
        };
        if version.value.as_str() == Some("1") {
            return;
        }
        let raw = cx.text.get(version.value.span.start..version.value.span.end).unwrap_or_default();
        let shown: String = raw.chars().take(40).collect();
        cx.emit(
            Finding::new(&META, Target::value("/Version"), format!("`{shown}` is not a valid policy version"))
                .label("expected the string \"1\"")
                .help("the only valid value is the string `\"1\"` (with quotes)"),
        );
    }
}
