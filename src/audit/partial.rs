//! An audit cut into parts that other processes run (the tasks of a Spark job), whose outputs
//! merge into exactly the report of one `ramlint audit` over the same files
//! (`docs/spark.md`). Each part writes JSON Lines, one object a line with one member that
//! names its kind:
//!
//! - `{"finding": Row}`: a finding, as the JSON report lists it (file, record, line...);
//! - `{"fact": FactLine}`: what a sequence rule needs of a call, with the `key` of its group
//!   (`resource:<kind>:<id>`, `token:<hash>`): every fact of one key must reach one
//!   `audit --partial --facts` run, which then finds what `audit` finds in that group;
//! - `{"summary": PartSummary}`: the part's counts (they add up), its unreadable inputs, and
//!   what the rules over the whole run need (the replay's statistics, the suppressions' uses).
//!
//! `audit --partial` (pass 1) writes the findings of the rules over records, the facts and a
//! summary; `audit --partial --facts` (pass 2) reads facts, runs the sequence rules and writes
//! their findings and a summary; `merge` adds the summaries, runs the rules over the whole run
//! (`unused-permission`, the configuration's) and sorts every finding in report order.

use super::external::Sorter;
use super::sequence::{self, Collector, Facts};
use super::spill::{Counts, SpillFile};
use super::{AuditRun, AuditSummary, PolicySummary};
use crate::catalog::Catalog;
use crate::config::Config;
use crate::eval::replay::{PrincipalStats, Stats};
use crate::model::call::{CallFact, CallParts, CallSource, Place};
use crate::report::Row;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, Write};
use std::sync::Arc;

/// What the rules over the whole run still need after a pass-1 part.
pub(super) struct Rest {
    pub(super) facts: Option<Facts>,
    pub(super) replay: Option<Stats>,
    pub(super) suppressions: Vec<usize>,
}

/// One line of a part's output.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Line {
    Finding(Row),
    Fact(FactLine),
    Summary(Box<PartSummary>),
}

/// A call as one sequence rule sees it: the facts of the resource order carry `resource`,
/// those of the token order `token` (a call in both orders is written twice, once per key).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FactLine {
    /// The group: `resource:<kind>:<id>` or `token:<hash>`.
    pub key: String,
    pub file: String,
    pub record: Option<usize>,
    pub api: String,
    /// Event time, milliseconds since the epoch.
    pub time: Option<i64>,
    /// Hash of the API and its parameters (16 hex digits).
    pub fingerprint: String,
    pub query: bool,
    pub accepted: bool,
    pub in_event: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<TokenRef>,
}

/// The resource a call names: its kind (an index into `rules/sequences.json`), its id and
/// where the id is (`[line, column, end_column]`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ResourceRef {
    pub kind: usize,
    pub id: String,
    pub at: [u32; 3],
}

/// The client token of a call: its hash (16 hex digits) and where it is.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TokenRef {
    pub hash: String,
    pub at: [u32; 3],
}

/// The counts of a part and what the rules over the whole run need of it.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct PartSummary {
    /// The ramlint version that wrote the part (facts and counts are merged only within one).
    pub ramlint: String,
    pub summary: AuditSummary,
    /// Inputs that could not be read: (name, why).
    pub read_errors: Vec<(String, String)>,
    /// With `--policy`: the replay's statistics.
    pub replay: Option<ReplayStats>,
    /// What each suppression of the configuration hid, in the file's order.
    pub suppressions: Vec<usize>,
}

/// The statistics of a policy replay that `unused-permission` and the summary need, in a
/// form JSON can hold: (statement, action pattern) pairs as arrays.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct ReplayStats {
    pub evaluated: usize,
    pub allowed: usize,
    pub explicit_deny: usize,
    pub implicit_deny: usize,
    pub undetermined: usize,
    pub principals: BTreeMap<String, PrincipalStats>,
    pub used: Vec<(usize, Option<usize>)>,
    pub overruled: Vec<((usize, Option<usize>), usize)>,
    pub pending: Vec<((usize, Option<usize>), usize)>,
}

impl ReplayStats {
    fn of(stats: &Stats) -> ReplayStats {
        ReplayStats {
            evaluated: stats.evaluated,
            allowed: stats.allowed,
            explicit_deny: stats.explicit_deny,
            implicit_deny: stats.implicit_deny,
            undetermined: stats.undetermined,
            principals: stats.principals.clone(),
            used: stats.used.iter().copied().collect(),
            overruled: stats.overruled.iter().map(|(k, v)| (*k, *v)).collect(),
            pending: stats.pending.iter().map(|(k, v)| (*k, *v)).collect(),
        }
    }

    fn into_stats(self) -> Stats {
        Stats {
            evaluated: self.evaluated,
            allowed: self.allowed,
            explicit_deny: self.explicit_deny,
            implicit_deny: self.implicit_deny,
            undetermined: self.undetermined,
            principals: self.principals,
            used: self.used.into_iter().collect(),
            overruled: self.overruled.into_iter().collect(),
            pending: self.pending.into_iter().collect(),
            observed: BTreeMap::new(),
        }
    }
}

/// A part's output that cannot be read, or parts that do not belong together.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum PartialError {
    #[error("cannot read `{file}`: {message}")]
    #[diagnostic(code(ramlint::io))]
    Read { file: String, message: String },
    #[error("line {line} of `{file}` is not a line of `ramlint audit --partial`: {message}")]
    #[diagnostic(
        code(ramlint::partial),
        help("give the JSON Lines that `ramlint audit --partial` wrote, unchanged ({expected} lines here)")
    )]
    Line { file: String, line: usize, message: String, expected: &'static str },
    #[error("{message}")]
    #[diagnostic(code(ramlint::partial), help("{help}"))]
    Mismatch { message: String, help: String },
    #[error("cannot write a temporary file: {0}")]
    #[diagnostic(code(ramlint::io), help("set `TMPDIR` to a folder with space"))]
    Spill(#[from] std::io::Error),
}

/// The version the parts and the merge must share.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The widest event time a fact may carry, in milliseconds either side of 1970 (about 35,000
/// years; dates in logs have four-digit years).
const MAX_TIME_MS: u64 = 1 << 50;

fn hex(n: u64) -> String {
    format!("{n:016x}")
}

fn place_of(at: [u32; 3]) -> Place {
    Place { line: at[0], column: at[1], end_column: at[2] }
}

impl FactLine {
    /// The line of `fact` in the resource order (`by_token == false`) or the token order.
    fn of(fact: &CallFact, by_token: bool) -> Option<FactLine> {
        let parts = fact.parts();
        let (key, resource, token) = if by_token {
            let (hash, at) = parts.token?;
            (
                format!("token:{}", hex(hash)),
                None,
                Some(TokenRef { hash: hex(hash), at: [at.line, at.column, at.end_column] }),
            )
        } else {
            let (kind, id, at) = parts.key?;
            let key = format!("resource:{kind}:{id}");
            (key, Some(ResourceRef { kind, id: id.to_string(), at: [at.line, at.column, at.end_column] }), None)
        };
        Some(FactLine {
            key,
            file: parts.file.to_string(),
            record: parts.record,
            api: parts.api.to_string(),
            time: parts.time,
            fingerprint: hex(parts.fingerprint),
            query: parts.query,
            accepted: parts.accepted,
            in_event: parts.in_event,
            resource,
            token,
        })
    }

    /// The fact again (file names shared through `files`, API names through the catalog).
    fn fact(self, catalog: &Catalog, files: &mut HashMap<String, Arc<str>>) -> Result<CallFact, String> {
        let parse = |h: &str| u64::from_str_radix(h, 16).map_err(|_| format!("`{h}` is not a hash of 16 hex digits"));
        let fingerprint = parse(&self.fingerprint)?;
        let token = match &self.token {
            Some(t) => Some((parse(&t.hash)?, place_of(t.at))),
            None => None,
        };
        // Event times of real records are within a few thousand years of 1970; a wider one is
        // not a time ramlint wrote (and the rules subtract times).
        if self.time.is_some_and(|t| t.unsigned_abs() > MAX_TIME_MS) {
            return Err("the time is not an event time ramlint writes".into());
        }
        if self.resource.is_none() == token.is_none() {
            return Err("a fact has either `resource` or `token`".into());
        }
        let file = match files.get(&self.file) {
            Some(f) => f.clone(),
            None => {
                let f: Arc<str> = Arc::from(self.file.as_str());
                files.insert(self.file, f.clone());
                f
            }
        };
        Ok(CallFact::new(CallParts {
            file,
            api: catalog.intern(&self.api),
            time: self.time,
            fingerprint,
            record: self.record,
            query: self.query,
            accepted: self.accepted,
            in_event: self.in_event,
            key: self.resource.map(|r| (r.kind, Arc::from(r.id.as_str()), place_of(r.at))),
            token,
        }))
    }
}

/// Named readers of parts (or of facts).
pub type Parts = Vec<(String, Box<dyn BufRead>)>;

/// Opens the parts named: files, `-` for standard input.
pub fn open(paths: &[String]) -> Result<Parts, PartialError> {
    paths
        .iter()
        .map(|p| {
            if p == "-" {
                let reader: Box<dyn BufRead> = Box::new(std::io::BufReader::new(std::io::stdin()));
                return Ok(("<stdin>".to_string(), reader));
            }
            let file = std::fs::File::open(p)
                .map_err(|e| PartialError::Read { file: p.clone(), message: crate::discover::io_reason(&e) })?;
            let reader: Box<dyn BufRead> = Box::new(std::io::BufReader::with_capacity(1 << 16, file));
            Ok((p.clone(), reader))
        })
        .collect()
}

fn write_line(out: &mut dyn Write, line: &Line) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, line)?;
    out.write_all(b"\n")
}

/// Writes a pass-1 part: its findings, the facts of its calls (each order's), its summary.
pub fn write(run: &mut AuditRun, out: &mut dyn Write) -> std::io::Result<()> {
    let mut finding = |row: &Row| write_line(out, &Line::Finding(row.clone()));
    run.for_each(&mut finding)?;
    let rest = run.rest.take();
    if let Some(facts) = rest.as_ref().and_then(|r| r.facts.as_ref()) {
        for (by_token, calls) in [(false, facts.by_resource()), (true, facts.by_token())] {
            for fact in calls {
                if let Some(line) = FactLine::of(&fact, by_token) {
                    write_line(out, &Line::Fact(line))?;
                }
            }
        }
        if let Some(e) = facts.take_error() {
            return Err(e);
        }
    }
    let summary = PartSummary {
        ramlint: VERSION.to_string(),
        summary: run.summary.clone(),
        read_errors: run.read_errors.clone(),
        replay: rest.as_ref().and_then(|r| r.replay.as_ref()).map(ReplayStats::of),
        suppressions: rest.map(|r| r.suppressions).unwrap_or_default(),
    };
    write_line(out, &Line::Summary(Box::new(summary)))
}

/// The lines of `reader` that are not blank, with their line numbers.
fn lines<'r>(
    name: &'r str,
    reader: &'r mut dyn BufRead,
) -> impl Iterator<Item = Result<(usize, String), PartialError>> + 'r {
    reader.lines().enumerate().filter_map(move |(i, l)| match l {
        Ok(l) if l.trim().is_empty() => None,
        Ok(l) => Some(Ok((i + 1, l))),
        Err(e) => Some(Err(PartialError::Read { file: name.to_string(), message: e.to_string() })),
    })
}

fn parse(name: &str, line: usize, text: &str, expected: &'static str) -> Result<Line, PartialError> {
    serde_json::from_str(text).map_err(|e| PartialError::Line {
        file: name.to_string(),
        line,
        message: e.to_string(),
        expected,
    })
}

/// Pass 2 over the facts of whole key groups (`audit --partial --facts`): runs the sequence
/// rules as `audit` does (facts sorted externally, the configuration applied) and writes their
/// findings and a summary.
pub fn check_facts(
    inputs: &mut [(String, Box<dyn BufRead>)],
    catalog: &Catalog,
    config: &Config,
    window_ms: i64,
    token_retention_ms: i64,
    out: &mut dyn Write,
) -> Result<(), PartialError> {
    let now = crate::config::now_ms();
    let file = SpillFile::new();
    let collector = Collector::new(&file);
    let mut files = HashMap::new();
    for (name, reader) in inputs.iter_mut() {
        let mut batch = Vec::new();
        for item in lines(name, reader.as_mut()) {
            let (n, text) = item?;
            let Line::Fact(fact) = parse(name, n, &text, "fact")? else {
                return Err(PartialError::Line {
                    file: name.clone(),
                    line: n,
                    message: "not a fact".into(),
                    expected: "fact",
                });
            };
            let fact = fact.fact(catalog, &mut files).map_err(|message| PartialError::Line {
                file: name.clone(),
                line: n,
                message,
                expected: "fact",
            })?;
            batch.push(fact);
            if batch.len() >= 4096 {
                collector.push(std::mem::take(&mut batch))?;
            }
        }
        collector.push(batch)?;
    }
    let facts = collector.finish()?;
    let mut counts = Counts::default();
    let mut failed: Option<std::io::Error> = None;
    let mut sink = |finding| {
        let mut found = crate::diagnostic::resolve_located(vec![finding]);
        config.filter(&mut found, now);
        for d in found {
            counts.add(d.rule, d.severity);
            if let Err(e) = write_line(out, &Line::Finding(Row::of(&d))) {
                failed.get_or_insert(e);
            }
        }
    };
    sequence::check(catalog, &facts, window_ms, token_retention_ms, &mut sink)?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    let summary = PartSummary {
        ramlint: VERSION.to_string(),
        summary: AuditSummary::new(0, crate::lint::Tally::default(), counts),
        read_errors: Vec::new(),
        replay: None,
        suppressions: config.suppression_uses(),
    };
    Ok(write_line(out, &Line::Summary(Box::new(summary)))?)
}

/// `ramlint merge`: the report of the parts, as `audit` over their inputs would give it.
pub fn merge(
    inputs: &mut [(String, Box<dyn BufRead>)],
    policy: Option<&crate::eval::PolicySet>,
    config: &Config,
) -> Result<AuditRun, PartialError> {
    let now = crate::config::now_ms();
    let file = SpillFile::new();
    let mut rows = Sorter::new(file.clone(), merge_order, super::ROW_BUDGET);
    let mut summary = AuditSummary::default();
    let mut read_errors = Vec::new();
    let mut replay: Option<Stats> = None;
    let mut policy_files: Option<Vec<String>> = None;
    let mut parts = 0usize;
    for (name, reader) in inputs.iter_mut() {
        for item in lines(name, reader.as_mut()) {
            let (n, text) = item?;
            let mismatch = |message: String| PartialError::Line {
                file: name.clone(),
                line: n,
                message,
                expected: "finding and summary",
            };
            match parse(name, n, &text, "finding and summary")? {
                Line::Finding(row) => rows.push(row)?,
                Line::Fact(_) => {
                    return Err(mismatch(
                        "a fact: run `ramlint audit --partial --facts` over the facts, and merge what it writes".into(),
                    ))
                }
                Line::Summary(part) => {
                    let part = *part;
                    if part.ramlint != VERSION {
                        return Err(mismatch(format!(
                            "written by ramlint {} (this is {VERSION}): parts merge within one version",
                            part.ramlint
                        )));
                    }
                    parts += 1;
                    if let Some(p) = &part.summary.policy {
                        if policy_files.as_ref().is_some_and(|f| *f != p.files) {
                            return Err(mismatch(format!("a part replayed other policies ({})", p.files.join(", "))));
                        }
                        policy_files = Some(p.files.clone());
                    }
                    if let Some(stats) = part.replay {
                        replay.get_or_insert_with(Stats::default).merge(stats.into_stats());
                    }
                    let counted = !part.suppressions.is_empty() || !config.suppression_uses().is_empty();
                    if counted && !config.add_suppression_uses(&part.suppressions) {
                        return Err(mismatch(format!(
                            "a part counted {} suppressions, the configuration has {}: give `merge` the configuration the parts ran with",
                            part.suppressions.len(),
                            config.suppression_uses().len()
                        )));
                    }
                    read_errors.extend(part.read_errors);
                    summary.merge(part.summary);
                }
            }
        }
    }
    if parts == 0 {
        return Err(PartialError::Mismatch {
            message: "no summary line in the parts".into(),
            help: "every `ramlint audit --partial` run ends with a summary line: merge the whole output of every part"
                .into(),
        });
    }
    let mut counts = Counts::default();
    let mut found = Vec::new();
    match (policy, replay) {
        (Some(set), Some(mut stats)) => {
            let names: Vec<String> = set.files.iter().map(|f| f.name.clone()).collect();
            if policy_files.as_ref().is_some_and(|f| *f != names) {
                return Err(PartialError::Mismatch {
                    message: format!(
                        "the parts replayed {}, not {}",
                        policy_files.unwrap_or_default().join(", "),
                        names.join(", ")
                    ),
                    help: "give `merge` the `--policy` files the parts ran with, in the same order".into(),
                });
            }
            found.extend(super::whole_run_replay(set, &stats));
            stats.observed.clear();
            summary.policy = Some(PolicySummary::new(set, &stats));
        }
        (None, None) => {}
        (Some(_), None) => {
            return Err(PartialError::Mismatch {
                message: "the parts did not replay a policy".into(),
                help: "run `ramlint audit --partial` with the `--policy` files, or merge without `--policy`".into(),
            })
        }
        (None, Some(_)) => {
            return Err(PartialError::Mismatch {
                message: "the parts replayed a policy".into(),
                help: "give `merge` the `--policy` files the parts ran with".into(),
            })
        }
    }
    config.filter(&mut found, now);
    found.extend(super::whole_run_config(config, now));
    for d in found {
        counts.add(d.rule, d.severity);
        rows.push(Row::of(&d))?;
    }
    summary.merge(AuditSummary::new(0, crate::lint::Tally::default(), counts));
    read_errors.sort();
    Ok(AuditRun {
        summary,
        read_errors,
        inputs: Vec::new(),
        sequence: Some(rows.finish()?),
        _spill: file,
        observed: BTreeMap::new(),
        rest: None,
    })
}

/// The report's order, then every other field: findings from many parts come out in one
/// order whatever order the parts are read in.
fn merge_order(a: &Row, b: &Row) -> std::cmp::Ordering {
    super::row_order(a, b).then_with(|| {
        (a.end_line, a.end_column, &a.help, &a.resource, &a.category, a.severity.as_str()).cmp(&(
            b.end_line,
            b.end_column,
            &b.help,
            &b.resource,
            &b.category,
            b.severity.as_str(),
        ))
    })
}
