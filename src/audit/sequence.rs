//! The sequence rules over every linted call of a run, in event-time order per resource.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::lint::LocatedFact;
use crate::rules::{client_token_reuse, concurrent_operation, operation_while_pending};
use std::collections::BTreeMap;

/// An accepted asynchronous call that keeps its resource pending.
struct Pending<'f> {
    fact: &'f LocatedFact,
    start: i64,
    state: String,
    queries_only: bool,
}

pub fn check(catalog: &Catalog, facts: &[LocatedFact], window_ms: i64) -> Vec<Diagnostic> {
    let mut ordered: Vec<&LocatedFact> = facts.iter().collect();
    ordered.sort_by(|a, b| (a.fact.time, &a.file, a.record).cmp(&(b.fact.time, &b.file, b.record)));
    let mut out = client_token_reuse::check(&ordered);
    for resource in &catalog.sequences {
        // (key value) -> pending operations, visited in time order.
        let mut pending: BTreeMap<&str, Vec<Pending<'_>>> = BTreeMap::new();
        for fact in ordered.iter().filter(|f| f.fact.time.is_some()) {
            let Some(time) = fact.fact.time else { continue };
            let Some(key) = fact.keys.iter().position(|(p, _, _)| *p == resource.key) else { continue };
            let Some((_, value, _)) = fact.keys.get(key) else { continue };
            let list = pending.entry(value.as_str()).or_default();
            list.retain(|p| time - p.start <= window_ms);
            let same = list.iter().find(|p| p.fact.fact.api == fact.fact.api);
            let blocking = list.iter().find(|p| p.queries_only && p.fact.fact.api != fact.fact.api && !fact.fact.query);
            let finding = match (same, blocking) {
                (Some(p), _) => {
                    concurrent_operation::diagnostic(fact, p.fact, key, &resource.name, &p.state, time - p.start)
                }
                (None, Some(p)) => {
                    operation_while_pending::diagnostic(fact, p.fact, key, &resource.name, &p.state, time - p.start)
                }
                (None, None) => None,
            };
            out.extend(finding);
            if fact.fact.accepted {
                if let Some(op) = resource.operations.iter().find(|o| o.api == fact.fact.api) {
                    list.push(Pending { fact, start: time, state: op.state.clone(), queries_only: op.queries_only });
                }
            }
        }
    }
    out
}
