//! Replaying recorded calls: against a policy (`audit --policy`), and collecting what the
//! successful calls needed (`generate`).

use super::call::Recorded;
use super::{Decision, PolicySet};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What a replay needs besides the catalog.
#[derive(Default)]
pub struct Replay<'p> {
    /// Evaluate every call against these policies.
    pub policy: Option<&'p PolicySet>,
    /// The account of calls whose record does not name one (`--account`).
    pub account: Option<String>,
    /// Keep the action and resources of every successful call (`generate`).
    pub observe: bool,
    /// Observe only the calls of this caller (`generate --principal`).
    pub principal: Option<String>,
    /// Values of context keys for the records that lack them (`audit --context KEY=VALUE`).
    pub context: Vec<(String, String)>,
}

/// Per-caller counts of a replay (read back from `audit --partial` by `merge`).
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PrincipalStats {
    pub calls: usize,
    pub allowed: usize,
    pub denied: usize,
    /// Calls whose decision depends on a context key their record lacks.
    #[serde(skip_serializing_if = "is_zero")]
    pub undetermined: usize,
    /// Denied calls per RAM action.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub denied_actions: BTreeMap<String, usize>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The counts of a replay, merged across batches and files.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stats {
    pub evaluated: usize,
    pub allowed: usize,
    pub explicit_deny: usize,
    pub implicit_deny: usize,
    /// Calls neither allowed nor denied for certain: the decision depends on a context key
    /// the record lacks (counted apart from the denied ones).
    pub undetermined: usize,
    pub principals: BTreeMap<String, PrincipalStats>,
    /// (statement, action pattern) pairs that allowed at least one call; `None` for the
    /// statement's `NotAction`.
    pub used: BTreeSet<(usize, Option<usize>)>,
    /// Pairs that matched calls another statement (or resource) denied, and the number of
    /// those calls.
    pub overruled: BTreeMap<(usize, Option<usize>), usize>,
    /// Pairs that would allow calls whose decision depends on a context key their record
    /// lacks, and the number of those calls.
    pub pending: BTreeMap<(usize, Option<usize>), usize>,
    /// `generate`: RAM action -> resources of the successful calls.
    pub observed: BTreeMap<String, BTreeSet<String>>,
}

/// The name calls without a recorded caller are counted under.
pub const UNKNOWN_PRINCIPAL: &str = "(unknown)";

impl Stats {
    pub fn merge(&mut self, other: Stats) {
        self.evaluated += other.evaluated;
        self.allowed += other.allowed;
        self.explicit_deny += other.explicit_deny;
        self.implicit_deny += other.implicit_deny;
        self.undetermined += other.undetermined;
        for (name, p) in other.principals {
            let mine = self.principals.entry(name).or_default();
            mine.calls += p.calls;
            mine.allowed += p.allowed;
            mine.denied += p.denied;
            mine.undetermined += p.undetermined;
            for (action, n) in p.denied_actions {
                *mine.denied_actions.entry(action).or_default() += n;
            }
        }
        self.used.extend(other.used);
        for (pair, n) in other.overruled {
            *self.overruled.entry(pair).or_default() += n;
        }
        for (pair, n) in other.pending {
            *self.pending.entry(pair).or_default() += n;
        }
        for (action, resources) in other.observed {
            self.observed.entry(action).or_default().extend(resources);
        }
    }
}

impl Replay<'_> {
    /// Replays one call: decides it and counts it; `None` without policies. `accepted`: the
    /// call succeeded (no error code, nothing the API would reject).
    pub fn record<'a>(&'a self, recorded: &'a Recorded, accepted: bool, stats: &mut Stats) -> Option<ReplayedCall<'a>> {
        let theirs = self.principal.as_deref().is_none_or(|p| recorded.principal.as_deref() == Some(p));
        if self.observe && accepted && theirs {
            let resources = stats.observed.entry(recorded.call.action.clone()).or_default();
            for r in &recorded.call.resources {
                if !resources.contains(r) {
                    resources.insert(r.clone());
                }
            }
        }
        let set = self.policy?;
        let (used, overruled) = (&mut stats.used, &mut stats.overruled);
        let decision = set.decide(&recorded.call, |statement, hits, allowed| {
            for pair in pairs(statement, hits) {
                if allowed {
                    used.insert(pair);
                } else {
                    *overruled.entry(pair).or_default() += 1;
                }
            }
        });
        let pending = &mut stats.pending;
        let missing = if decision == Decision::ImplicitDeny {
            set.missing_keys(&recorded.call, |statement, hits| {
                for pair in pairs(statement, hits) {
                    *pending.entry(pair).or_default() += 1;
                }
            })
        } else {
            Vec::new()
        };
        stats.evaluated += 1;
        let name = recorded.principal.as_deref().unwrap_or(UNKNOWN_PRINCIPAL);
        let principal = match stats.principals.get_mut(name) {
            Some(p) => p,
            None => stats.principals.entry(name.to_string()).or_default(),
        };
        principal.calls += 1;
        match decision {
            Decision::Allow => {
                stats.allowed += 1;
                principal.allowed += 1;
            }
            Decision::ImplicitDeny if !missing.is_empty() => {
                stats.undetermined += 1;
                principal.undetermined += 1;
            }
            Decision::ExplicitDeny | Decision::ImplicitDeny => {
                if decision == Decision::ExplicitDeny {
                    stats.explicit_deny += 1;
                } else {
                    stats.implicit_deny += 1;
                }
                principal.denied += 1;
                *principal.denied_actions.entry(recorded.call.action.clone()).or_default() += 1;
            }
        }
        Some(ReplayedCall { recorded, set, decision, missing, origin: None })
    }

    /// Gives the keys of `--context` to a call whose record lacks them.
    pub fn fill_context(&self, context: &mut super::Context) {
        for (key, value) in &self.context {
            if !context.has(key) {
                context.add(key, value);
            }
        }
    }
}

/// The (statement, action pattern) pairs of a statement's matching patterns (`None`: its
/// `NotAction`).
fn pairs(statement: usize, hits: &[usize]) -> Vec<(usize, Option<usize>)> {
    if hits.is_empty() {
        vec![(statement, None)]
    } else {
        hits.iter().map(|&h| (statement, Some(h))).collect()
    }
}

/// Where a replayed call was recorded: the log and the record's number.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub file: &'a str,
    pub record: Option<usize>,
}

/// One recorded call, decided against the policies.
pub struct ReplayedCall<'a> {
    pub recorded: &'a Recorded,
    pub set: &'a PolicySet,
    pub decision: Decision,
    /// For an implicit deny: the context keys the record lacks that the decision depends
    /// on (empty: denied whatever they hold).
    pub missing: Vec<String>,
    /// Where the call was recorded, when known.
    pub origin: Option<Origin<'a>>,
}

/// A whole replay, once every call was decided.
pub struct ReplayedRun<'a> {
    pub set: &'a PolicySet,
    pub stats: &'a Stats,
}

/// What the replay rules look at: each replayed call, then the whole run.
pub enum ReplayResult<'a> {
    Call(&'a ReplayedCall<'a>),
    Run(&'a ReplayedRun<'a>),
}
