use super::Findings;
use crate::eval::call::Recorded;
use crate::eval::replay::ReplayResult;
use crate::eval::trace::{Element, Evaluation};
use crate::eval::{Decision, PolicySet};
use crate::finding::{Finding, Target};

crate::rule_meta!(
    META,
    "denied-by-policy",
    Warning,
    Audit,
    Replay,
    "with `--policy`: the call's RAM action and resources are not allowed"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    /// Fires on every replayed call the policies do not allow (explicitly or implicitly
    /// denied), at the whole record, with the evaluation's trace in its help.
    fn check_replay(&self, replay: &ReplayResult<'_>, cx: &mut Findings) {
        let ReplayResult::Call(call) = replay else { return };
        if call.decision == Decision::Allow {
            return;
        }
        let evaluation = call.set.explain(&call.recorded.call);
        cx.emit(finding(call.recorded, &evaluation, call.set));
    }
}

fn finding(recorded: &Recorded, evaluation: &Evaluation, set: &PolicySet) -> Finding {
    let call = &recorded.call;
    let resources: Vec<String> = evaluation
        .resources
        .iter()
        .filter(|v| v.decision != Decision::Allow)
        .map(|v| format!("`{}`", v.resource))
        .collect();
    let verb = if evaluation.decision == Decision::ExplicitDeny { "explicitly deny" } else { "deny" };
    let label = match recorded.principal.as_deref() {
        Some(p) => format!("the call of `{p}`"),
        None => "this call".to_string(),
    };
    let mut help = evaluation.summary(set);
    let unknown: Vec<&str> = [(call.open.region, "region"), (call.open.account, "account")]
        .into_iter()
        .filter_map(|(open, field)| open.then_some(field))
        .collect();
    // Only worth saying when a resource, not an action or a condition, kept a grant out.
    let about_resource = evaluation.statements.iter().any(|o| o.failed_on(Element::Resource));
    if !unknown.is_empty() && about_resource {
        help.push_str(&format!(
            "; the record names no {0}, so the `*` {0} matches any (`--account` sets the account)",
            unknown.join(" or ")
        ));
    }
    Finding::new(
        &META,
        Target::value(""),
        format!("the policy would {verb} `{}` on {}", call.action, resources.join(", ")),
    )
    .label(label)
    .help(help)
}
