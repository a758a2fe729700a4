use super::Findings;
use crate::eval::call::Recorded;
use crate::eval::replay::{Origin, ReplayResult};
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
        let command = call.origin.map(|o| simulate_command(call.set, o));
        if !call.missing.is_empty() {
            cx.emit(undetermined(call.recorded, &call.missing, command));
            return;
        }
        let evaluation = call.set.explain(&call.recorded.call);
        let mut finding = finding(call.recorded, &evaluation, call.set);
        if let Some(command) = command {
            finding.help = Some(format!("{}; the full trace: `{command}`", finding.help.unwrap_or_default()));
        }
        cx.emit(finding);
    }
}

/// The command that shows this call's full trace.
fn simulate_command(set: &PolicySet, origin: Origin<'_>) -> String {
    let quote = |s: &str| {
        if s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=@+,".contains(c)) {
            s.to_string()
        } else {
            format!("'{}'", s.replace('\'', "'\\''"))
        }
    };
    let policies: Vec<String> = set.files.iter().map(|f| quote(&f.name)).collect();
    let record = origin.record.map(|n| format!(" --record {n}")).unwrap_or_default();
    format!("ramlint simulate --policy {} --request {}{record}", policies.join(" "), quote(origin.file))
}

/// A call that a statement allows only under a condition on keys its record does not carry:
/// neither allowed nor denied for certain (info, counted apart from the denied calls).
fn undetermined(recorded: &Recorded, missing: &[String], command: Option<String>) -> Finding {
    let keys: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
    let (keys, one) = (keys.join(" and "), missing.len() == 1);
    let example = missing.first().map(String::as_str).unwrap_or_default();
    let mut help = format!(
        "a statement allows the call when {keys} {}; give {} with `--context {example}=VALUE`",
        if one { "holds" } else { "hold" },
        if one { "its value" } else { "their values" },
    );
    if let Some(command) = command {
        help.push_str(&format!(", or see the trace with `{command} --context {example}=VALUE`"));
    }
    Finding::new(
        &META,
        Target::value(""),
        format!("the decision on `{}` depends on {keys}, which the record does not carry", recorded.call.action),
    )
    .severity(crate::finding::Severity::Info)
    .label("undetermined: neither allowed nor denied for certain")
    .help(help)
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
