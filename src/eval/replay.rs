//! Replaying recorded calls: against a policy (`audit --policy`), and collecting what the
//! successful calls needed (`generate`).

use super::call::Recorded;
use super::{Decision, PolicySet};
use serde::Serialize;
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
}

/// Per-caller counts of a replay.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct PrincipalStats {
    pub calls: usize,
    pub allowed: usize,
    pub denied: usize,
    /// Denied calls per RAM action.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub denied_actions: BTreeMap<String, usize>,
}

/// The counts of a replay, merged across batches and files.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stats {
    pub evaluated: usize,
    pub allowed: usize,
    pub explicit_deny: usize,
    pub implicit_deny: usize,
    pub principals: BTreeMap<String, PrincipalStats>,
    /// (statement, action pattern) pairs that allowed at least one call; `None` for the
    /// statement's `NotAction`.
    pub used: BTreeSet<(usize, Option<usize>)>,
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
        for (name, p) in other.principals {
            let mine = self.principals.entry(name).or_default();
            mine.calls += p.calls;
            mine.allowed += p.allowed;
            mine.denied += p.denied;
            for (action, n) in p.denied_actions {
                *mine.denied_actions.entry(action).or_default() += n;
            }
        }
        self.used.extend(other.used);
        for (action, resources) in other.observed {
            self.observed.entry(action).or_default().extend(resources);
        }
    }
}

impl Replay<'_> {
    /// Replays one call: decides it and counts it; `None` without policies. `accepted`: the
    /// call succeeded (no error code, nothing the API would reject).
    pub fn record<'a>(&'a self, recorded: &'a Recorded, accepted: bool, stats: &mut Stats) -> Option<ReplayedCall<'a>> {
        if self.observe && accepted {
            let resources = stats.observed.entry(recorded.call.action.clone()).or_default();
            for r in &recorded.call.resources {
                if !resources.contains(r) {
                    resources.insert(r.clone());
                }
            }
        }
        let set = self.policy?;
        let used = &mut stats.used;
        let decision = set.decide(&recorded.call, |statement, hits| {
            if hits.is_empty() {
                used.insert((statement, None));
            }
            for &h in hits {
                used.insert((statement, Some(h)));
            }
        });
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
        Some(ReplayedCall { recorded, set, decision })
    }
}

/// One recorded call, decided against the policies.
pub struct ReplayedCall<'a> {
    pub recorded: &'a Recorded,
    pub set: &'a PolicySet,
    pub decision: Decision,
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
