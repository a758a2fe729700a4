//! Linting one source: framing (one document, array, JSON Lines, URL lines), kind detection
//! (policy or recorded request), running the rules, and resolving findings.

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Resolver};
use crate::finding::Finding;
use crate::json::{self, Node, Value};
use crate::model::policy::Policy;
use crate::request;
use crate::rules::{self, json_syntax, Context};
use crate::source::{LineIndex, Source};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Policy,
    Request,
}

/// What linting one file produced.
#[derive(Debug)]
pub struct FileReport {
    pub source: Source,
    pub diagnostics: Vec<Diagnostic>,
    /// Recorded requests read (records of request logs).
    pub records: usize,
    /// Why the file was not linted, when it was not.
    pub skipped: Option<String>,
}

pub struct Linter<'c> {
    pub catalog: &'c Catalog,
    pub kind: Option<Kind>,
}

/// The kind a parsed document looks like.
pub fn detect(root: &Node) -> Option<Kind> {
    match &root.value {
        Value::Object(_) => {
            if root.get("Action").is_some_and(|m| m.value.as_str().is_some()) || root.get("eventName").is_some() {
                Some(Kind::Request)
            } else if root.get("Statement").is_some() || root.get("Version").is_some() {
                Some(Kind::Policy)
            } else {
                None
            }
        }
        Value::Array(_) => Some(Kind::Request),
        _ => None,
    }
}

struct Run<'a> {
    resolver: Resolver<'a>,
    diagnostics: Vec<Diagnostic>,
    records: usize,
    skipped_records: usize,
}

impl Run<'_> {
    fn record(&mut self, outcome: request::Outcome, doc: Option<&Node>, base: usize, record: Option<usize>) {
        if outcome.skipped.is_some() {
            self.skipped_records += 1;
        }
        self.push(outcome.findings, doc, base, record);
    }

    fn push(&mut self, findings: Vec<Finding>, doc: Option<&Node>, base: usize, record: Option<usize>) {
        for f in findings {
            let d = self.resolver.resolve(f, doc, base, record);
            self.diagnostics.push(d);
        }
    }
}

impl Linter<'_> {
    pub fn lint(&self, source: Source) -> FileReport {
        self.lint_decoded(source, None)
    }

    /// Lints a source whose decoding hit a problem at a byte offset: invalid UTF-8 stops
    /// there; a truncated gzip stream is linted as far as it goes.
    pub fn lint_decoded(&self, source: Source, problem: Option<(usize, String, bool)>) -> FileReport {
        let text = source.text.clone();
        let lines = LineIndex::new(&text);
        let mut run = Run { resolver: Resolver { file: &source.name, text: &text, lines: &lines }, diagnostics: Vec::new(), records: 0, skipped_records: 0 };
        let mut skipped = None;
        let stop = problem.as_ref().is_some_and(|(_, _, fatal)| *fatal);
        if !stop {
            skipped = self.lint_text(&source.name, &text, &mut run);
        }
        if let Some((offset, message, _)) = problem {
            let err = json::ParseError { message, span: json::Span::new(offset, offset) };
            run.push(vec![json_syntax::finding(&err, 0)], None, 0, None);
        }
        let Run { mut diagnostics, records, .. } = run;
        crate::diagnostic::sort(&mut diagnostics);
        FileReport { diagnostics, records, skipped, source }
    }

    fn lint_text(&self, name: &str, text: &str, run: &mut Run<'_>) -> Option<String> {
        match json::parse(text) {
            Ok(root) => {
                match self.kind.or_else(|| detect(&root)) {
                    Some(Kind::Policy) => self.lint_policy(&root, text, 0, None, run),
                    Some(Kind::Request) => match &root.value {
                        Value::Array(items) => {
                            for (i, item) in items.iter().enumerate() {
                                self.lint_request(item, text, 0, Some(i + 1), run);
                            }
                        }
                        _ => self.lint_request(&root, text, 0, None, run),
                    },
                    None => return Some("not a RAM policy or a recorded request".into()),
                }
                None
            }
            Err(err) => {
                if request::url::looks_like_url_lines(name, text, self.kind == Some(Kind::Request)) {
                    for (number, base, line) in non_blank_lines(text) {
                        run.records += 1;
                        let outcome = request::lint_url_line(self.catalog, line, base);
                        run.record(outcome, None, base, Some(number));
                    }
                } else if first_line_is_object(text) {
                    for (number, base, line) in non_blank_lines(text) {
                        match json::parse(line) {
                            Ok(root) => self.lint_request(&root, line, base, Some(number), run),
                            Err(e) => {
                                run.records += 1;
                                run.push(vec![json_syntax::finding(&e, base)], None, 0, Some(number));
                            }
                        }
                    }
                } else {
                    run.push(vec![json_syntax::finding(&err, 0)], None, 0, None);
                }
                None
            }
        }
    }

    /// `text` is what the node's spans index into, starting at byte `base` of the file.
    fn lint_policy(&self, root: &Node, text: &str, base: usize, record: Option<usize>, run: &mut Run<'_>) {
        let mut cx = Context::new(self.catalog, text);
        rules::check_policy(&Policy::new(root), &mut cx);
        run.push(cx.into_findings(), Some(root), base, record);
    }

    fn lint_request(&self, root: &Node, text: &str, base: usize, record: Option<usize>, run: &mut Run<'_>) {
        run.records += 1;
        let outcome = request::lint_record(self.catalog, root, text);
        run.record(outcome, Some(root), base, record);
    }
}

/// Non-blank lines with their 1-based number and byte offset (a `\r` before `\n` is cut).
pub fn non_blank_lines(text: &str) -> impl Iterator<Item = (usize, usize, &str)> {
    let mut offset = 0usize;
    text.split('\n').enumerate().filter_map(move |(i, raw)| {
        let start = offset;
        offset += raw.len() + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let line = if i == 0 { line.trim_start_matches('\u{feff}') } else { line };
        let lead = raw.len() - raw.trim_start_matches('\u{feff}').len();
        let start = if i == 0 { start + lead } else { start };
        (!line.trim().is_empty()).then_some((i + 1, start, line))
    })
}

fn first_line_is_object(text: &str) -> bool {
    non_blank_lines(text).next().is_some_and(|(_, _, line)| json::parse(line).is_ok_and(|n| n.as_object().is_some()))
}
