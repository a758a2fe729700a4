use super::calls::{place, target};
use super::Findings;
use crate::finding::Finding;
use crate::model::call::{CallFact, OrderedCalls};
use std::collections::HashMap;

crate::rule_meta!(
    META,
    "client-token-reuse",
    Warning,
    Audit,
    Log,
    "the same `ClientToken` with a different API or different parameters"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    /// Fires on a call whose `ClientToken` an earlier call of the run (in event-time order,
    /// then file and record) already used with another API or other parameters; a retry (same
    /// API and parameters) is fine. A client token makes a call idempotent, so reusing one for
    /// another call makes the API return the first call's result (or reject the call) instead
    /// of doing the new work.
    fn check_calls(&self, calls: &OrderedCalls<'_>, cx: &mut Findings) {
        let mut first: HashMap<u64, &CallFact> = HashMap::new();
        for fact in calls.iter() {
            let Some((token, at)) = fact.token() else { continue };
            let Some(earlier) = first.get(&token) else {
                first.insert(token, fact);
                continue;
            };
            if earlier.fingerprint == fact.fingerprint {
                continue;
            }
            let what = if earlier.api != fact.api {
                format!("a `{}` call", earlier.api)
            } else {
                "a call with other parameters".to_string()
            };
            cx.emit(
                Finding::new(
                    &META,
                    target(fact, "ClientToken", at),
                    format!("this `ClientToken` was already used by {what}"),
                )
                .label("reused token")
                .help(format!(
                    "the API treats calls with one token as the same request: this call returns the earlier result ({}) or fails with an idempotence error instead of doing its own work; generate a new token per distinct request",
                    place(earlier)
                )),
            );
        }
    }
}
