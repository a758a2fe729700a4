//! The rules over every linted call of a run (subject `log`), in event-time order: the
//! calls' facts are ordered once, the rules' hooks run over them, and their findings (already
//! located when the calls were linted) become diagnostics.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::call::{CallFact, OrderedCalls};

pub fn check(catalog: &Catalog, facts: Vec<&CallFact>, window_ms: i64) -> Vec<Diagnostic> {
    let calls = OrderedCalls::new(facts, &catalog.sequences, window_ms);
    crate::diagnostic::resolve_located(crate::rules::check_calls(&calls))
}
