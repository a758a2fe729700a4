use super::calls::{place, seconds, since, target, with_pending};
use super::Findings;
use crate::finding::Finding;
use crate::model::call::OrderedCalls;

crate::rule_meta!(
    META,
    "operation-while-pending",
    Warning,
    Audit,
    Log,
    "a non-query operation on a resource that an accepted asynchronous call left pending"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    /// Fires on a non-query call on a resource that an accepted asynchronous operation of
    /// another API left in a state where only queries are allowed, within the window of that
    /// operation; not when an earlier call of the same API is pending too (that is a
    /// `concurrent-operation`).
    fn check_calls(&self, calls: &OrderedCalls<'_>, cx: &mut Findings) {
        with_pending(calls, |later, resource, pending| {
            if pending.iter().any(|p| p.fact.api == later.api) {
                return;
            }
            let Some(earlier) = pending.iter().find(|p| p.queries_only && p.fact.api != later.api && !later.query())
            else {
                return;
            };
            let Some((id, at, gap)) = since(later, earlier) else { return };
            let (name, state) = (&resource.name, earlier.state);
            cx.emit(
                Finding::new(
                    &META,
                    target(later, &resource.key, at),
                    format!("`{}` on {name} `{id}` while it is `{state}`", later.api),
                )
                .label(format!("{} after `{}` was accepted", seconds(gap), earlier.fact.api))
                .help(format!(
                    "after `{}` ({}) the {name} stays `{state}` until the operation ends, and only queries are allowed meanwhile; the API rejects other operations (`IncorrectEipStatus`, `TaskConflict`): poll its status first",
                    earlier.fact.api,
                    place(&earlier.fact)
                )),
            );
        });
    }
}
