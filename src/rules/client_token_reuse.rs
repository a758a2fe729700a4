use crate::diagnostic::Diagnostic;
use crate::lint::LocatedFact;
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
}

/// Checks facts in order (time, then file and record): a client token makes a call
/// idempotent, so reusing one for another call makes the API return the first call's result
/// (or reject the call) instead of doing the new work.
pub fn check(ordered: &[&LocatedFact]) -> Vec<Diagnostic> {
    let mut first: HashMap<u64, &LocatedFact> = HashMap::new();
    let mut out = Vec::new();
    for fact in ordered {
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
        let mut d = Diagnostic::located(
            &META,
            &fact.file,
            fact.record(),
            &at.location(fact.pointer("ClientToken")),
            format!("this `ClientToken` was already used by {what}"),
        );
        d.label = Some("reused token".into());
        d.help = Some(format!(
            "the API treats calls with one token as the same request: this call returns the earlier result ({}) or fails with an idempotence error instead of doing its own work; generate a new token per distinct request",
            super::concurrent_operation::place(earlier)
        ));
        out.push(d);
    }
    out
}
