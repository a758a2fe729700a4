//! The rules over every linted call of a run (subject `log`). The calls' compact facts are
//! sorted externally as the inputs are read ([`super::external`]): once by resource, once by
//! client token, each in event-time order, so that the rules hold the state of one resource or
//! one token at a time, and memory stays bounded whatever the log's size. Their findings
//! (already located when the calls were linted) are handed on as they are found.

use super::external::{Item, Names, Sorted, Sorter};
use super::spill::SpillFile;
use crate::catalog::Catalog;
use crate::finding::Finding;
use crate::model::call::{CallFact, CallSource, OrderedCalls};
use std::sync::{Arc, Mutex};

/// Memory for the facts waiting to be sorted, per order, before a sorted run is spilled.
const FACT_BUDGET: usize = 4 << 20;

impl Item for CallFact {
    fn encode(&self, out: &mut Vec<u8>, names: &mut Names) {
        CallFact::encode(self, out, |name| names.index(name));
    }

    fn decode(bytes: &[u8], names: &Names) -> Option<Self> {
        CallFact::decode(bytes, |i| names.get(i))
    }

    fn size(&self) -> usize {
        self.heap_size()
    }
}

/// The facts of a run as they are read (from several inputs at once).
pub struct Collector {
    sorters: Mutex<Option<(Sorter<CallFact>, Sorter<CallFact>)>>,
}

impl Collector {
    pub fn new(file: &Arc<SpillFile>) -> Collector {
        let by_resource = Sorter::new(file.clone(), CallFact::resource_order, FACT_BUDGET);
        let by_token = Sorter::new(file.clone(), CallFact::token_order, FACT_BUDGET);
        Collector { sorters: Mutex::new(Some((by_resource, by_token))) }
    }

    /// Adds the facts of a block of records.
    pub fn push(&self, facts: Vec<CallFact>) -> std::io::Result<()> {
        let mut guard = self.sorters.lock().map_err(|_| std::io::Error::other("the facts lock is poisoned"))?;
        let Some((by_resource, by_token)) = guard.as_mut() else { return Ok(()) };
        for fact in facts {
            if fact.token().is_some() {
                by_token.push(fact.clone())?;
            }
            if fact.on_resource() {
                by_resource.push(fact)?;
            }
        }
        Ok(())
    }

    /// The facts in both orders (once every input is read).
    pub fn finish(self) -> std::io::Result<Facts> {
        let sorters = self.sorters.into_inner().map_err(|_| std::io::Error::other("the facts lock is poisoned"))?;
        let Some((by_resource, by_token)) = sorters else { return Err(std::io::Error::other("no facts")) };
        Ok(Facts { by_resource: by_resource.finish()?, by_token: by_token.finish()? })
    }
}

/// The sorted facts of a run.
pub struct Facts {
    by_resource: Sorted<CallFact>,
    by_token: Sorted<CallFact>,
}

impl Facts {
    /// The error that stopped reading the sorted facts back, if any.
    pub fn take_error(&self) -> Option<std::io::Error> {
        self.by_resource.take_error().or_else(|| self.by_token.take_error())
    }
}

impl CallSource for Facts {
    fn by_resource(&self) -> Box<dyn Iterator<Item = CallFact> + '_> {
        self.by_resource.iter()
    }

    fn by_token(&self) -> Box<dyn Iterator<Item = CallFact> + '_> {
        self.by_token.iter()
    }
}

/// Runs the rules over the calls, handing each finding to `sink`; an error reading the
/// sorted facts back stops them.
pub fn check(
    catalog: &Catalog,
    facts: &Facts,
    window_ms: i64,
    token_retention_ms: i64,
    sink: &mut dyn FnMut(Finding),
) -> std::io::Result<()> {
    let calls = OrderedCalls::streamed(facts, &catalog.sequences, window_ms).with_token_retention(token_retention_ms);
    crate::rules::check_calls_into(&calls, sink);
    match facts.by_resource.take_error().or_else(|| facts.by_token.take_error()) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
