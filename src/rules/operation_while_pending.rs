use super::concurrent_operation::{place, seconds};
use crate::audit::sequence::Pending;
use crate::catalog::SequenceResource;
use crate::diagnostic::Diagnostic;
use crate::lint::LocatedFact;

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
}

/// `later` is a non-query call on a resource that `earlier` left pending (only queries allowed).
pub fn diagnostic(later: &LocatedFact, earlier: &Pending<'_>, resource: &SequenceResource) -> Option<Diagnostic> {
    let (name, state) = (&resource.name, earlier.state);
    let (mut d, gap) = earlier
        .finding_at(&META, later, resource, |id| format!("`{}` on {name} `{id}` while it is `{state}`", later.api))?;
    d.label = Some(format!("{} after `{}` was accepted", seconds(gap), earlier.fact.api));
    d.help = Some(format!(
        "after `{}` ({}) the {name} stays `{state}` until the operation ends, and only queries are allowed meanwhile; the API rejects other operations (`IncorrectEipStatus`, `TaskConflict`): poll its status first",
        earlier.fact.api,
        place(earlier.fact)
    ));
    Some(d)
}
