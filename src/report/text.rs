//! The default human report: miette's graphical rendering of each diagnostic, with the
//! offending text underlined, then a summary line.

use super::{Item, Summary};
use crate::diagnostic::Diagnostic;
use crate::finding::Severity;
use crate::source::Snippets;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};

pub struct TextRenderer {
    handler: GraphicalReportHandler,
}

impl TextRenderer {
    pub fn new(color: bool) -> Self {
        let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        TextRenderer { handler: GraphicalReportHandler::new_themed(theme).with_width(100).with_links(false) }
    }

    /// `source` is the file's text, or better its [`Snippets`] (line breaks found once for
    /// all of the file's findings).
    pub fn render(&self, d: &Diagnostic, source: impl Into<Snippets>) -> String {
        let source: Snippets = source.into();
        let mut diag = MietteDiagnostic::new(d.message.clone()).with_code(d.rule).with_severity(match d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        });
        let len = |s: crate::json::Span| s.len();
        let fits = |s: crate::json::Span| crate::source::underlinable(source.text(), s.start, len(s));
        if let Some(help) = &d.help {
            diag = diag.with_help(help.clone());
        }
        let name = match (&d.resource, d.record) {
            (Some(resource), _) => format!("{} ({resource})", d.file),
            (None, Some(r)) => format!("{} (record {r})", d.file),
            (None, None) => d.file.clone(),
        };
        let mut out = String::new();
        if !fits(d.span) {
            // Too far along its line to underline (miette cannot pad that far): the position
            // stands in for the snippet.
            let report = miette::Report::new(diag);
            if self.handler.render_report(&mut out, report.as_ref()).is_err() {
                out = format!("{}: {} [{}]\n", d.file, d.message, d.rule);
            }
            let label = d.label.as_deref().map(|l| format!(": {l}")).unwrap_or_default();
            out.push_str(&format!("    at {name}:{}:{}{label} (the line is too long to show)\n", d.line, d.column));
            return out;
        }
        let mut labels = vec![LabeledSpan::new_primary_with_span(d.label.clone(), (d.span.start, len(d.span)))];
        for (span, text) in d.related.iter().filter(|(span, _)| fits(*span)) {
            labels.push(LabeledSpan::new_with_span(Some(text.clone()), (span.start, len(*span))));
        }
        diag = diag.with_labels(labels);
        // A finding of a record of a log shows that record's lines alone, not its neighbours; a
        // policy embedded in Terraform or a template (a record with a resource) keeps its context.
        let source = if d.record.is_some() && d.resource.is_none() { source.span_lines_only() } else { source };
        let report = miette::Report::new(diag).with_source_code(NamedSource::new(name, source));
        if self.handler.render_report(&mut out, report.as_ref()).is_err() {
            out = format!("{}: {} [{}]\n", d.file, d.message, d.rule);
        }
        out
    }
}

pub fn summary_line(summary: &Summary) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut line = format!(
        "{}, {}, {} in {}",
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
        plural(summary.infos, "info"),
        plural(summary.files, "file")
    );
    if summary.records > 0 {
        line.push_str(&format!(" ({})", plural(summary.records, "record")));
    }
    line
}

/// Names what each input was read as (its policy language, or `request`/`request-log`, or the
/// host with the languages of the documents in it): each file by name in a run of up to ten,
/// counts per kind (and per language of the embedded documents) in a larger one; empty
/// without inputs.
pub fn kinds_line(kinds: &[(String, &'static str, Vec<&'static str>)]) -> String {
    if kinds.is_empty() {
        return String::new();
    }
    if kinds.len() <= 10 {
        let named: Vec<String> = kinds
            .iter()
            .map(|(file, kind, languages)| {
                let mut distinct: Vec<&str> = Vec::new();
                for language in languages {
                    if !distinct.contains(language) {
                        distinct.push(language);
                    }
                }
                if distinct.is_empty() {
                    format!("{file} ({kind})")
                } else {
                    format!("{file} ({kind}: {})", distinct.join(", "))
                }
            })
            .collect();
        return format!("read as: {}\n", named.join(", "));
    }
    let count = |names: &mut dyn Iterator<Item = &'static str>| {
        let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for name in names {
            *counts.entry(name).or_default() += 1;
        }
        counts.iter().map(|(name, n)| format!("{n} {name}")).collect::<Vec<String>>().join(", ")
    };
    let files = count(&mut kinds.iter().map(|(_, kind, _)| *kind));
    let documents = count(&mut kinds.iter().flat_map(|(_, _, languages)| languages.iter().copied()));
    if documents.is_empty() {
        format!("read as: {files}\n")
    } else {
        format!("read as: {files}; embedded documents: {documents}\n")
    }
}

/// One line per diagnostic (`file:line:col: severity[rule]: message`), with its help on the
/// next line: for large logs, whose text is not kept.
pub fn compact(d: &super::Row) -> String {
    let place = match d.record {
        Some(r) => format!("{}:{}:{} (record {r})", d.file, d.line, d.column),
        None => format!("{}:{}:{}", d.file, d.line, d.column),
    };
    let mut out = format!("{place}: {}[{}]: {}", d.severity, d.rule, d.message);
    if let Some(help) = &d.help {
        out.push_str(&format!("\n    = help: {help}"));
    }
    out
}

/// The text report: each located diagnostic drawn with its text, each row on one line.
pub struct TextWriter {
    renderer: TextRenderer,
    /// The text of the last file drawn, its lines found once for all of its findings.
    last: Option<Snippets>,
    /// `--quiet`: findings only.
    pub quiet: bool,
}

impl TextWriter {
    pub fn new(color: bool) -> Self {
        TextWriter { renderer: TextRenderer::new(color), last: None, quiet: false }
    }

    pub fn finding(&mut self, out: &mut dyn std::io::Write, item: Item<'_>) -> std::io::Result<()> {
        match item {
            Item::Located(d, source) => {
                let snippets = match &self.last {
                    Some(s) if std::sync::Arc::ptr_eq(s.text(), source) => s.clone(),
                    _ => self.last.insert(Snippets::new(source.clone())).clone(),
                };
                writeln!(out, "{}", self.renderer.render(d, snippets))
            }
            Item::Row(row) => writeln!(out, "{}", compact(row)),
        }
    }
}
