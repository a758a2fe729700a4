//! Shared by the rules over the calls of a log: the operations pending on a resource, and how
//! findings name and point at calls.

use crate::catalog::SequenceResource;
use crate::finding::Target;
use crate::model::call::{CallFact, OrderedCalls, Place};
use std::sync::Arc;

/// An accepted asynchronous call that keeps its resource pending.
pub struct Pending<'f> {
    pub fact: CallFact,
    /// Its event time (milliseconds since the epoch).
    pub start: i64,
    /// The state it leaves the resource in (`Unassociating`).
    pub state: &'f str,
    /// Only queries are allowed on the resource meanwhile.
    pub queries_only: bool,
}

/// Visits, resource by resource and in event-time order, every timed non-query call that
/// names a resource of `rules/sequences.json`, with the accepted asynchronous operations still
/// pending on that resource: those that started at most the window before it (the call itself
/// is not among them; it is added after the visit when it starts such an operation). Only the
/// operations of one resource are held, and only those within the window.
pub fn with_pending<'f>(
    calls: &OrderedCalls<'f>,
    mut visit: impl FnMut(&CallFact, &'f SequenceResource, &[Pending<'f>]),
) {
    let mut pending: Vec<Pending<'f>> = Vec::new();
    let mut current: Option<(usize, Arc<str>)> = None;
    let resources = calls.resources;
    for fact in calls.by_resource() {
        let (Some(time), Some((kind, id, _))) = (fact.time(), fact.key()) else { continue };
        let Some(resource) = resources.get(kind) else { continue };
        if current.as_ref().is_none_or(|(k, i)| *k != kind || i != id) {
            current = Some((kind, id.clone()));
            pending.clear();
        }
        pending.retain(|p| time - p.start <= calls.window_ms);
        visit(&fact, resource, &pending);
        if fact.accepted() {
            if let Some(op) = resource.operations.iter().find(|o| *o.api == *fact.api) {
                pending.push(Pending { fact, start: time, state: &op.state, queries_only: op.queries_only });
            }
        }
    }
}

/// The resource id `later` names and the milliseconds since `earlier` started.
pub fn since<'f>(later: &'f CallFact, earlier: &Pending<'_>) -> Option<(&'f str, Place, i64)> {
    let (_, id, at) = later.key()?;
    Some((id, at, later.time()? - earlier.start))
}

/// The parameter `param` of a call, at `place`.
pub fn target(fact: &CallFact, param: &str, place: Place) -> Target {
    Target::Located { pointer: fact.pointer(param), file: fact.file.clone(), record: fact.record(), place }
}

/// `record 3 of logs/a.jsonl`.
pub fn place(f: &CallFact) -> String {
    match f.record() {
        Some(r) => format!("record {r} of {}", f.file),
        None => f.file.to_string(),
    }
}

pub fn seconds(ms: i64) -> String {
    if ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", ms as f64 / 1000.0)
    }
}
