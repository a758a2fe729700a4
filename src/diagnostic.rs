//! Rendered-ready findings: pointers resolved to spans, lines and columns.

use crate::finding::{Category, Finding, Fix, Severity, Target};
use crate::json::{self, Node, Occurrence, Part, Span};
use crate::source::LineIndex;
use crate::source::Place;

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
    /// For a policy embedded in Terraform, a ROS template or a plan: the resource address and
    /// attribute, or the ROS path, that holds it.
    pub resource: Option<String>,
    /// A certain correction, its spans in the coordinates of `span` (the file's text).
    pub fix: Option<Fix>,
}

/// A resolved place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub pointer: String,
    pub span: Span,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Location {
    /// The compact place of this location (a place spans one line: a location over several
    /// ends at its start column).
    pub fn place(&self) -> Place {
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        let end_column = if self.end_line == self.line { self.end_column } else { self.column };
        Place { line: n(self.line), column: n(self.column), end_column: n(end_column) }
    }

    /// A location with this place and `pointer` (a place carries no byte span).
    pub fn at(place: &Place, pointer: String) -> Location {
        Location {
            pointer,
            span: Span::default(),
            line: place.line as usize,
            column: place.column as usize,
            end_line: place.line as usize,
            end_column: place.end_column as usize,
        }
    }
}

/// Turns findings about one record (or one document) into diagnostics.
pub struct Resolver<'a> {
    pub file: &'a str,
    /// The text spans index into: the whole file, or one line of a streamed log.
    pub text: &'a str,
    /// Line starts of `text`; without it (streamed logs, one record per line), positions are
    /// counted from the record's start, whose line number is its record number.
    pub lines: Option<&'a LineIndex>,
    /// Lines before `text` in the file (0 unless `text` is a block of a streamed log).
    pub first_line: usize,
}

impl Resolver<'_> {
    /// A resolver without a file or text, for targets that need none ([`Target::Located`]);
    /// any other target resolves to the start of an unnamed file.
    const NOWHERE: Resolver<'static> = Resolver { file: "", text: "", lines: None, first_line: 0 };

    /// 1-based line and column of a byte offset of `text`, for a record that starts at
    /// `base` (on line `record` when there is no line index).
    fn position(&self, offset: usize, base: usize, record: Option<usize>) -> (usize, usize) {
        match self.lines {
            Some(index) => {
                let (line, column) = index.position(self.text, offset);
                (line + self.first_line, column)
            }
            None => {
                let head = self.text.get(base..offset.max(base)).unwrap_or_default();
                let newlines = head.bytes().filter(|&b| b == b'\n').count();
                let last = head.rfind('\n').map_or(head, |i| head.get(i + 1..).unwrap_or_default());
                (record.unwrap_or(1) + newlines, last.chars().count() + 1)
            }
        }
    }

    pub fn locate(&self, target: &Target, doc: Option<&Node>, base: usize, record: Option<usize>) -> Location {
        let mut spans = doc.map(json::Spans::new);
        self.locate_with(target, spans.as_mut(), base, record)
    }

    /// The place of a byte span of the text (what [`Resolver::locate`] gives for a target that
    /// resolves to it), without a pointer or a walk of the tree: a call fact's parameters.
    pub fn place_at(&self, span: Span, base: usize, record: Option<usize>) -> Place {
        let (line, column) = self.position(span.start, base, record);
        // A value without a line break ends on the line it starts on: its end column is
        // counted on from its start's (a span at the file's start, where a byte order mark
        // is no column, is counted from there).
        let (end_line, end_column) = match self.text.get(span.start..span.end) {
            Some(inner)
                if span.start > 0 && span.start >= base && memchr::memchr(b'\n', inner.as_bytes()).is_none() =>
            {
                (line, column + inner.chars().count())
            }
            _ => self.position(span.end, base, record),
        };
        Location { pointer: String::new(), span, line, column, end_line, end_column }.place()
    }

    /// [`Resolver::locate`] with the record's tree indexed once for all of its findings.
    fn locate_with(
        &self,
        target: &Target,
        spans: Option<&mut json::Spans<'_>>,
        base: usize,
        record: Option<usize>,
    ) -> Location {
        if let Target::Located { pointer, place, .. } = target {
            return Location::at(place, pointer.clone());
        }
        let span = self.span(target, spans, base);
        let (line, column) = self.position(span.start, base, record);
        let (end_line, end_column) = self.position(span.end, base, record);
        Location { pointer: target.pointer().to_string(), span, line, column, end_line, end_column }
    }

    /// The byte span of a target in the resolver's text (a record that starts at byte 0).
    pub fn span_of(&self, target: &Target, spans: &mut json::Spans<'_>) -> Span {
        self.span(target, Some(spans), 0)
    }

    fn span(&self, target: &Target, spans: Option<&mut json::Spans<'_>>, base: usize) -> Span {
        match target {
            Target::Span { span, .. } => *span,
            // Located before the text was dropped: the line and columns, no byte span.
            Target::Located { .. } => Span::default(),
            Target::Pointer { pointer, part, occurrence } => {
                let record_text = self.text.get(base..).unwrap_or_default();
                spans
                    .and_then(|d| d.span(record_text, pointer, *part, *occurrence))
                    .map_or(Span::new(base, base), |s| s.offset(base))
            }
            Target::Anchored { pointer, at } => {
                let record_text = self.text.get(base..).unwrap_or_default();
                spans
                    .and_then(|d| {
                        d.span(record_text, at, Part::Value, Occurrence::Last)
                            .or_else(|| d.span(record_text, pointer, Part::Opening, Occurrence::Last))
                    })
                    .map_or(Span::new(base, base), |s| s.offset(base))
            }
        }
    }

    /// `doc` is the record's tree (absent for syntax errors and URL lines) and `base` the
    /// byte offset in the file of the text its spans index into.
    pub fn resolve(&self, finding: Finding, doc: Option<&Node>, base: usize, record: Option<usize>) -> Diagnostic {
        let mut spans = doc.map(json::Spans::new);
        self.resolve_with(finding, spans.as_mut(), base, record)
    }

    /// Resolves the findings of one record, its tree indexed once for all of them.
    pub fn resolve_all(
        &self,
        findings: Vec<Finding>,
        doc: Option<&Node>,
        base: usize,
        record: Option<usize>,
    ) -> Vec<Diagnostic> {
        let mut spans = doc.map(json::Spans::new);
        findings.into_iter().map(|f| self.resolve_with(f, spans.as_mut(), base, record)).collect()
    }

    /// Resolves the findings of a document embedded in the resolver's text (a Terraform
    /// heredoc, a `jsonencode` object, a string of a plan): their spans index `derived`, the
    /// document's own text, and `map` carries them back to the host file the user edits, where
    /// lines and columns are counted.
    pub fn resolve_through(
        &self,
        derived: &str,
        map: &json::PosMap,
        findings: Vec<Finding>,
        doc: Option<&Node>,
        record: Option<usize>,
    ) -> Vec<Diagnostic> {
        // The inner resolver's lines and columns are discarded (the host's replace them
        // below), so they are counted as cheaply as may be: with the index of an empty text,
        // each is a count of the characters before the finding within its 1,024-byte block
        // (no line index of the derived text is built, and nothing before the block is read).
        let index = LineIndex::new("");
        let inner = Resolver { file: self.file, text: derived, lines: Some(&index), first_line: 0 };
        let mut spans = doc.map(json::Spans::new);
        findings
            .into_iter()
            .map(|f| {
                let mut d = inner.resolve_with(f, spans.as_mut(), 0, record);
                d.span = map.span(d.span);
                for (span, _) in &mut d.related {
                    *span = map.span(*span);
                }
                (d.line, d.column) = self.position(d.span.start, 0, record);
                (d.end_line, d.end_column) = self.position(d.span.end, 0, record);
                d
            })
            .collect()
    }

    fn resolve_with(
        &self,
        finding: Finding,
        mut spans: Option<&mut json::Spans<'_>>,
        base: usize,
        record: Option<usize>,
    ) -> Diagnostic {
        let Location { span, line, column, end_line, end_column, .. } =
            self.locate_with(&finding.primary, spans.as_deref_mut(), base, record);
        let related = finding
            .related
            .iter()
            .map(|l| (self.span(&l.target, spans.as_deref_mut(), base), l.message.clone()))
            .collect();
        let (file, record) = match &finding.primary {
            Target::Located { file, record, .. } => (file.to_string(), *record),
            _ => (finding.file.unwrap_or_else(|| self.file.to_string()), record),
        };
        Diagnostic {
            rule: finding.rule.id,
            severity: finding.severity,
            category: finding.rule.category,
            pointer: finding.primary.pointer().to_string(),
            message: finding.message,
            help: finding.help,
            file,
            record,
            span,
            label: finding.primary_label,
            related,
            line,
            column,
            end_line,
            end_column,
            resource: None,
            fix: finding.fix.map(|f| f.offset(base)),
        }
    }
}

/// The contract's order: file, record, line, column, rule.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.record, a.line, a.column, a.rule, &a.pointer, &a.message)
            .cmp(&(&b.file, b.record, b.line, b.column, b.rule, &b.pointer, &b.message))
    });
}

/// Resolves findings whose primary target is [`Target::Located`] (the rules over the calls of
/// a log): they need no text.
pub fn resolve_located(findings: Vec<Finding>) -> Vec<Diagnostic> {
    findings.into_iter().map(|f| Resolver::NOWHERE.resolve(f, None, 0, None)).collect()
}

/// Resolves findings that point into one of several parsed documents, each found by the
/// finding's file (the `--policy` files of an audit): `documents` are (name, text, tree).
pub fn resolve_in<'d>(
    documents: impl IntoIterator<Item = (&'d str, &'d str, &'d Node<'d>)>,
    findings: Vec<Finding>,
) -> Vec<Diagnostic> {
    let documents: Vec<(&str, &str, &Node)> = documents.into_iter().collect();
    let mut lines: Vec<Option<LineIndex>> = documents.iter().map(|_| None).collect();
    let mut out = Vec::with_capacity(findings.len());
    for finding in findings {
        let found = documents.iter().position(|(name, _, _)| finding.file.as_deref() == Some(*name));
        let d = match found.and_then(|i| Some((documents.get(i)?, lines.get_mut(i)?))) {
            Some((&(name, text, root), index)) => {
                let index = index.get_or_insert_with(|| LineIndex::new(text));
                Resolver { file: name, text, lines: Some(index), first_line: 0 }.resolve(finding, Some(root), 0, None)
            }
            None => Resolver::NOWHERE.resolve(finding, None, 0, None),
        };
        out.push(d);
    }
    out
}
