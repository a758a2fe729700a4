use super::calls::{place, target};
use super::Findings;
use crate::finding::Finding;
use crate::model::call::{CallFact, OrderedCalls};

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
        // The calls come grouped by token, in event-time order: only the group's first call
        // is kept. A use after the retention starts the token anew.
        let mut first: Option<CallFact> = None;
        for fact in calls.by_token() {
            let Some((token, at)) = fact.token() else { continue };
            let earlier = match first.as_ref() {
                Some(earlier)
                    if earlier.token().is_some_and(|(t, _)| t == token) && !expired(earlier, &fact, calls) =>
                {
                    earlier
                }
                _ => {
                    first = Some(fact);
                    continue;
                }
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
                    target(&fact, "ClientToken", at),
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

/// Whether `later` comes after the retention of the token `earlier` used first (calls without
/// a time are within it).
fn expired(earlier: &CallFact, later: &CallFact, calls: &OrderedCalls<'_>) -> bool {
    match (earlier.time(), later.time()) {
        (Some(a), Some(b)) => b.saturating_sub(a) > calls.token_retention_ms,
        _ => false,
    }
}
