use crate::audit::sequence::Pending;
use crate::catalog::SequenceResource;
use crate::diagnostic::Diagnostic;
use crate::lint::LocatedFact;

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
}

/// `later` repeats the pending operation `earlier` on the same resource within the window.
pub fn diagnostic(later: &LocatedFact, earlier: &Pending<'_>, resource: &SequenceResource) -> Option<Diagnostic> {
    let name = &resource.name;
    let (mut d, gap) = earlier.finding_at(&META, later, resource, |id| {
        format!("`{}` on {name} `{id}` while an earlier `{}` is still in progress", later.api, earlier.fact.api)
    })?;
    d.label = Some(format!("{} after the earlier call", seconds(gap)));
    d.help = Some(format!(
        "the earlier call ({}) left the {name} `{}`; the operation does not support concurrent requests for the same {name} and the API answers `TaskConflict`: wait until the {name} is stable again before calling",
        place(earlier.fact),
        earlier.state,
    ));
    Some(d)
}

/// `record 3 of logs/a.jsonl`.
pub fn place(f: &LocatedFact) -> String {
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
