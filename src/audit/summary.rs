//! The audit summary: every record accounted for, findings by rule, calls and recorded
//! error codes by API.

use super::spill::Counts;
use crate::lint::Tally;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(default)]
pub struct AuditSummary {
    pub files: usize,
    /// Every non-blank line or array element read: `linted + skipped + unreadable`.
    pub records: usize,
    pub linted: usize,
    pub skipped: usize,
    pub unreadable: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub skipped_by_reason: BTreeMap<String, usize>,
    pub by_rule: BTreeMap<String, usize>,
    /// Findings counted in `by_rule` but not listed (over the limit per rule and input).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub not_listed: BTreeMap<String, usize>,
    pub by_api: BTreeMap<String, usize>,
    pub by_error_code: BTreeMap<String, BTreeMap<String, usize>>,
    /// With `--policy`: the replay's decisions, overall and per caller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicySummary>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(default)]
pub struct PolicySummary {
    pub files: Vec<String>,
    pub evaluated: usize,
    pub allowed: usize,
    pub explicit_deny: usize,
    pub implicit_deny: usize,
    /// Calls whose decision depends on a context key their record lacks (not denied).
    pub undetermined: usize,
    pub principals: BTreeMap<String, crate::eval::replay::PrincipalStats>,
}

impl PolicySummary {
    pub fn new(set: &crate::eval::PolicySet, stats: &crate::eval::replay::Stats) -> Self {
        PolicySummary {
            files: set.files.iter().map(|f| f.name.clone()).collect(),
            evaluated: stats.evaluated,
            allowed: stats.allowed,
            explicit_deny: stats.explicit_deny,
            implicit_deny: stats.implicit_deny,
            undetermined: stats.undetermined,
            principals: stats.principals.clone(),
        }
    }
}

impl AuditSummary {
    pub fn new(files: usize, tally: Tally, counts: Counts) -> Self {
        let Counts { errors, warnings, infos, by_rule, not_listed } = counts;
        AuditSummary {
            files,
            records: tally.records,
            linted: tally.linted,
            skipped: tally.skipped,
            unreadable: tally.unreadable,
            errors,
            warnings,
            infos,
            skipped_by_reason: tally.skipped_reasons,
            by_rule,
            not_listed,
            by_api: tally.by_api,
            by_error_code: tally.by_error_code,
            policy: None,
        }
    }

    /// Adds the counts of another part of the same run (`ramlint merge` of `audit --partial`
    /// outputs): numbers add, maps add per key. The policy replay is not merged here: it is
    /// made again from the parts' merged replay statistics.
    pub fn merge(&mut self, other: AuditSummary) {
        self.files += other.files;
        self.records += other.records;
        self.linted += other.linted;
        self.skipped += other.skipped;
        self.unreadable += other.unreadable;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        for (mine, theirs) in [
            (&mut self.skipped_by_reason, other.skipped_by_reason),
            (&mut self.by_rule, other.by_rule),
            (&mut self.not_listed, other.not_listed),
            (&mut self.by_api, other.by_api),
        ] {
            for (k, n) in theirs {
                *mine.entry(k).or_default() += n;
            }
        }
        for (api, codes) in other.by_error_code {
            let mine = self.by_error_code.entry(api).or_default();
            for (code, n) in codes {
                *mine.entry(code).or_default() += n;
            }
        }
    }

    /// The text table printed after the findings.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "\naudit summary");
        let _ = writeln!(s, "  files        {:>10}", self.files);
        let _ = writeln!(s, "  records      {:>10}", self.records);
        let _ = writeln!(s, "    linted     {:>10}", self.linted);
        let _ = writeln!(s, "    skipped    {:>10}", self.skipped);
        for (reason, n) in &self.skipped_by_reason {
            let _ = writeln!(s, "      {reason:<36} {n:>8}");
        }
        let _ = writeln!(s, "    unreadable {:>10}", self.unreadable);
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        let _ = writeln!(
            s,
            "  findings     {:>10}  ({}, {}, {})",
            self.errors + self.warnings + self.infos,
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
            plural(self.infos, "info")
        );
        for (rule, n) in &self.by_rule {
            let _ = writeln!(s, "    {rule:<34} {n:>10}");
        }
        for (rule, n) in &self.not_listed {
            let _ = writeln!(
                s,
                "    and {n} more `{rule}` findings not listed (at most {} per rule and file)",
                super::spill::MAX_LISTED
            );
        }
        if !self.by_api.is_empty() {
            let _ = writeln!(s, "  calls by API");
            for (api, n) in &self.by_api {
                let _ = writeln!(s, "    {api:<34} {n:>10}");
            }
        }
        if let Some(p) = &self.policy {
            let _ = writeln!(s, "  policy replay ({})", p.files.join(", "));
            let _ = writeln!(s, "    evaluated  {:>10}", p.evaluated);
            let _ = writeln!(s, "    allowed    {:>10}", p.allowed);
            let _ = writeln!(
                s,
                "    denied     {:>10}  ({} explicitly)",
                p.explicit_deny + p.implicit_deny,
                p.explicit_deny
            );
            if p.undetermined > 0 {
                let _ = writeln!(
                    s,
                    "    undetermined {:>8}  (the decision depends on a key the record lacks)",
                    p.undetermined
                );
            }
            let _ = writeln!(s, "  calls by principal                      calls    allowed     denied");
            for (name, c) in &p.principals {
                let _ = writeln!(s, "    {name:<34} {:>10} {:>10} {:>10}", c.calls, c.allowed, c.denied);
            }
        }
        if !self.by_error_code.is_empty() {
            let _ = writeln!(s, "  recorded errors by API");
            for (api, codes) in &self.by_error_code {
                for (code, n) in codes {
                    let _ = writeln!(s, "    {api:<34} {code:<36} {n:>6}");
                }
            }
        }
        s
    }
}
