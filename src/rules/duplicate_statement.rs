use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(META, "duplicate-statement", Info, Suggestion, Policy, "two statements are identical");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        let values: Vec<_> = policy.statements.iter().map(|s| s.node.to_serde()).collect();
        for (i, st) in policy.statements.iter().enumerate() {
            let earlier = values.iter().take(i).position(|v| Some(v) == values.get(i));
            if let Some(j) = earlier {
                let Some(first) = policy.statements.get(j) else { continue };
                cx.emit(
                    Finding::new(
                        &META,
                        Target::opening(st.pointer.to_string()),
                        format!("this statement repeats `{}`", first.pointer),
                    )
                    .label("identical to an earlier statement")
                    .related(Target::opening(first.pointer.to_string()), "first written here")
                    .help("remove the repeated statement"),
                );
            }
        }
    }
}
