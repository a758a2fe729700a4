use super::calls::{place, seconds, since, target, with_pending};
use super::Findings;
use crate::finding::Finding;
use crate::model::call::OrderedCalls;

crate::rule_meta!(
    META,
    "concurrent-operation",
    Warning,
    Audit,
    Log,
    "a second call of the same asynchronous operation on a resource while the first is in progress"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    /// Fires on a call that repeats an accepted asynchronous operation (same API) on the same
    /// resource within the window of the earlier call: at the resource id of the later call.
    fn check_calls(&self, calls: &OrderedCalls<'_>, cx: &mut Findings) {
        with_pending(calls, |later, resource, pending| {
            let Some(earlier) = pending.iter().find(|p| p.fact.api == later.api) else { return };
            let Some((id, at, gap)) = since(later, earlier) else { return };
            let name = &resource.name;
            cx.emit(
                Finding::new(
                    &META,
                    target(later, &resource.key, at),
                    format!("`{}` on {name} `{id}` while an earlier `{}` is still in progress", later.api, earlier.fact.api),
                )
                .label(format!("{} after the earlier call", seconds(gap)))
                .help(format!(
                    "the earlier call ({}) left the {name} `{}`; the operation does not support concurrent requests for the same {name} and the API answers `TaskConflict`: wait until the {name} is stable again before calling",
                    place(&earlier.fact),
                    earlier.state,
                )),
            );
        });
    }
}
