use crate::eval::call::Recorded;
use crate::eval::trace::Evaluation;
use crate::eval::{Decision, PolicySet};
use crate::finding::{Finding, Target};

crate::rule_meta!(
    META,
    "denied-by-policy",
    Warning,
    Audit,
    "with `--policy`: the call's RAM action and resources are not allowed"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }
}

/// The finding for a recorded call the policies would not allow, at the whole record, with
/// the evaluation's trace in its help.
pub fn finding(recorded: &Recorded, evaluation: &Evaluation, set: &PolicySet) -> Finding {
    let call = &recorded.call;
    let resources: Vec<String> = evaluation
        .resources
        .iter()
        .filter(|v| v.decision != Decision::Allow)
        .map(|v| format!("`{}`", v.resource))
        .collect();
    let by = match recorded.principal.as_deref() {
        Some(p) => format!(" for `{p}`"),
        None => String::new(),
    };
    Finding::new(
        &META,
        Target::value(""),
        format!("`{}` on {} would be {}{by}", call.action, resources.join(", "), evaluation.decision.describe()),
    )
    .label(format!("{} by the policy", evaluation.decision.describe()))
    .help(evaluation.summary(set))
}
