use super::concurrent_operation::{place, seconds};
use crate::diagnostic::Diagnostic;
use crate::lint::LocatedFact;

crate::rule_meta!(
    META,
    "operation-while-pending",
    Warning,
    Audit,
    "a non-query operation on a resource that an accepted asynchronous call left pending"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }
}

/// `later` is a non-query call on a resource `earlier` left in `state` (only queries allowed).
pub fn diagnostic(
    later: &LocatedFact,
    earlier: &LocatedFact,
    key: usize,
    resource: &str,
    state: &str,
    gap_ms: i64,
) -> Option<Diagnostic> {
    let (param, value, at) = later.keys.get(key)?;
    let mut d = Diagnostic::located(
        &META,
        &later.file,
        later.record,
        at,
        format!("`{}` on {resource} `{value}` while it is `{state}`", later.fact.api),
    );
    d.label = Some(format!("{} after `{}` was accepted", seconds(gap_ms), earlier.fact.api));
    d.help = Some(format!(
        "after `{}` ({}) the {resource} stays `{state}` until the operation ends, and only queries are allowed meanwhile; the API rejects other operations (`IncorrectEipStatus`, `TaskConflict`): poll its status first",
        earlier.fact.api,
        place(earlier)
    ));
    if earlier.file == later.file {
        if let Some((_, _, first)) = earlier.keys.iter().find(|(p, _, _)| p == param) {
            d.related.push((first.span, format!("`{}` started here", earlier.fact.api)));
        }
    }
    Some(d)
}
