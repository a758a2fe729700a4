//! The sequence rules over every linted call of a run, in event-time order per resource.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::lint::LocatedFact;
use crate::rules::{client_token_reuse, concurrent_operation, operation_while_pending};
use std::collections::HashMap;
use std::sync::Arc;

/// An accepted asynchronous call that keeps its resource pending.
pub struct Pending<'f> {
    pub fact: &'f LocatedFact,
    pub start: i64,
    pub state: &'f str,
    pub queries_only: bool,
}

impl Pending<'_> {
    /// A finding of `rule` at the resource id of `later`, a call that came while this
    /// operation was pending, with the milliseconds since it started.
    pub fn finding_at(
        &self,
        rule: &'static crate::finding::RuleMeta,
        later: &LocatedFact,
        resource: &crate::catalog::SequenceResource,
        message: impl FnOnce(&str) -> String,
    ) -> Option<(Diagnostic, i64)> {
        let (_, id, at) = later.key()?;
        let gap = later.time()? - self.start;
        let d = Diagnostic::located(
            rule,
            &later.file,
            later.record(),
            &at.location(later.pointer(&resource.key)),
            message(id),
        );
        Some((d, gap))
    }
}

pub fn check(catalog: &Catalog, facts: &[&LocatedFact], window_ms: i64) -> Vec<Diagnostic> {
    let mut ordered: Vec<&LocatedFact> = facts.to_vec();
    ordered.sort_by(|a, b| (a.time(), &a.file, a.record()).cmp(&(b.time(), &b.file, b.record())));
    let mut out = client_token_reuse::check(&ordered);
    // (resource kind, id) -> accepted operations still pending, visited in time order.
    let mut pending: HashMap<(usize, Arc<str>), Vec<Pending<'_>>> = HashMap::new();
    for fact in &ordered {
        let (Some(time), Some((kind, id, _))) = (fact.time(), fact.key()) else { continue };
        let Some(resource) = catalog.sequences.get(kind) else { continue };
        let list = pending.entry((kind, id.clone())).or_default();
        list.retain(|p| time - p.start <= window_ms);
        let same = list.iter().find(|p| p.fact.api == fact.api);
        let blocking = list.iter().find(|p| p.queries_only && p.fact.api != fact.api && !fact.query());
        let finding = match (same, blocking) {
            (Some(p), _) => concurrent_operation::diagnostic(fact, p, resource),
            (None, Some(p)) => operation_while_pending::diagnostic(fact, p, resource),
            (None, None) => None,
        };
        out.extend(finding);
        if fact.accepted() {
            if let Some(op) = resource.operations.iter().find(|o| *o.api == *fact.api) {
                list.push(Pending { fact, start: time, state: &op.state, queries_only: op.queries_only });
            }
        }
    }
    out
}
