//! The configuration (`ramlint.toml`) as plain data for the rules about it: its suppressions,
//! how often each hid a finding, and the time of the run.

use crate::json::Span;

/// The last day a suppression applies, as written and as the last millisecond of that day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expiry {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Milliseconds since the epoch at the end of that day.
    pub end_ms: i64,
}

impl Expiry {
    /// The day is over at `now_ms` (the date is inclusive).
    pub fn passed(&self, now_ms: i64) -> bool {
        now_ms > self.end_ms
    }
}

/// One `[[suppress]]` entry, as the rules see it.
#[derive(Debug, Clone)]
pub struct SuppressionUse<'a> {
    /// Its position among the `[[suppress]]` entries (its pointer is `/suppress/<index>`).
    pub index: usize,
    pub rule: &'a str,
    pub reason: &'a str,
    pub expires: Option<&'a Expiry>,
    /// How many findings it hid in this run.
    pub uses: usize,
    /// Where it is written in the configuration file.
    pub span: Span,
}

/// The configuration of a run, after every finding went through its suppressions.
#[derive(Debug, Clone)]
pub struct ConfigView<'a> {
    pub suppressions: Vec<SuppressionUse<'a>>,
    /// The time of the run, in milliseconds since the epoch.
    pub now_ms: i64,
}
