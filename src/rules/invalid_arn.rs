use crate::finding::{Finding, Target};
use crate::model::arn::{self, ArnError};
use crate::model::policy::{is_template, Policy};
use crate::rules::Context;

crate::rule_meta!(META, "invalid-arn", Error, Syntax, Policy, "a resource is neither `*` nor a five-field `acs:` ARN");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            for values in [&st.resource, &st.not_resource].into_iter().flatten() {
                for item in &values.items {
                    if item.value == "*" || item.value.is_empty() || is_template(item.value) {
                        continue;
                    }
                    let Err(err) = arn::parse(item.value) else { continue };
                    let pointer = item.pointer.to_string();
                    let (target, label) = match err {
                        ArnError::Fields(n) => {
                            (Target::value(pointer), format!("{n} field{} instead of 5", if n == 1 { "" } else { "s" }))
                        }
                        ArnError::Prefix(end) => {
                            (Target::substring(pointer, 0, end), "an ARN starts with `acs`".to_string())
                        }
                        ArnError::Service(s, e) => {
                            (Target::substring(pointer, s, e), "expected a RAM code such as `vpc`".to_string())
                        }
                        ArnError::Relative => (Target::value(pointer), "the resource id is empty".to_string()),
                    };
                    cx.emit(
                        Finding::new(&META, target, format!("`{}` is not a valid ARN", item.value))
                            .label(label)
                            .help("an ARN has five fields: `acs:<ram-code>:<region>:<account-id>:<relative-id>`; use `*` for any field"),
                    );
                }
            }
        }
    }
}
