//! Rendered-ready findings: pointers resolved to spans, lines and columns.

use crate::finding::{Category, Finding, Severity, Target};
use crate::json::{self, Node, Span};
use crate::source::LineIndex;

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub category: Category,
    pub message: String,
    pub help: Option<String>,
    pub file: String,
    pub record: Option<usize>,
    pub pointer: String,
    pub span: Span,
    pub label: Option<String>,
    pub related: Vec<(Span, String)>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// Turns findings about one record (or one document) into diagnostics.
pub struct Resolver<'a> {
    pub file: &'a str,
    pub text: &'a str,
    pub lines: &'a LineIndex,
}

impl Resolver<'_> {
    fn span(&self, target: &Target, doc: Option<&Node>, base: usize) -> Span {
        match target {
            Target::Span { span, .. } => *span,
            Target::Pointer { pointer, part, occurrence } => {
                let record_text = self.text.get(base..).unwrap_or_default();
                doc.and_then(|d| json::span(d, record_text, pointer, *part, *occurrence)).map_or(Span::new(base, base), |s| s.offset(base))
            }
        }
    }

    /// `doc` is the record's tree (absent for syntax errors and URL lines) and `base` the
    /// byte offset in the file of the text its spans index into.
    pub fn resolve(&self, finding: Finding, doc: Option<&Node>, base: usize, record: Option<usize>) -> Diagnostic {
        let span = self.span(&finding.primary, doc, base);
        let related = finding.related.iter().map(|l| (self.span(&l.target, doc, base), l.message.clone())).collect();
        let (line, column) = self.lines.position(self.text, span.start);
        let (end_line, end_column) = self.lines.position(self.text, span.end);
        Diagnostic {
            rule: finding.rule.id,
            severity: finding.severity,
            category: finding.rule.category,
            pointer: finding.primary.pointer().to_string(),
            message: finding.message,
            help: finding.help,
            file: finding.file.unwrap_or_else(|| self.file.to_string()),
            record,
            span,
            label: finding.primary_label,
            related,
            line,
            column,
            end_line,
            end_column,
        }
    }
}

/// The contract's order: file, record, line, column, rule.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.record, a.line, a.column, a.rule, &a.pointer, &a.message).cmp(&(&b.file, b.record, b.line, b.column, b.rule, &b.pointer, &b.message))
    });
}
