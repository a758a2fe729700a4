//! Findings: what a rule reports, located by JSON Pointers until rendering.

use crate::json::{Occurrence, Part, Span};
use crate::source::Place;
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Syntax,
    Validity,
    Security,
    Suggestion,
    Audit,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Syntax => "syntax",
            Category::Validity => "validity",
            Category::Security => "security",
            Category::Suggestion => "suggestion",
            Category::Audit => "audit",
        }
    }
}

/// What a rule looks at: the hook of [`crate::rules::Rule`] that holds its detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Subject {
    /// Any input document or record, before its kind matters (syntax, duplicate keys).
    File,
    /// A policy document.
    Policy,
    /// One recorded API call.
    Request,
    /// The ordered calls of a whole log (sequence rules).
    Log,
    /// The evaluation of recorded calls against policies (`audit --policy`).
    Replay,
    /// The configuration file (`ramlint.toml`).
    Config,
}

impl Subject {
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::File => "file",
            Subject::Policy => "policy",
            Subject::Request => "request",
            Subject::Log => "log",
            Subject::Replay => "replay",
            Subject::Config => "config",
        }
    }
}

/// What a rule is, declared once next to its logic.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable kebab-case id, the name of the rule's file and docs page.
    pub id: &'static str,
    pub severity: Severity,
    pub category: Category,
    pub subject: Subject,
    /// One line, lowercase, no final period.
    pub summary: &'static str,
    /// The rule's documentation page (`docs/rules/<id>.md`).
    pub docs: &'static str,
    /// The rules this one wins over: their findings at the same pointer as one of this
    /// rule's are dropped (one finding per root cause, the more specific rule's). Applied once
    /// after all rules ran, by [`crate::rules::apply_precedence`].
    pub wins_over: &'static [&'static str],
    /// Whether some of its findings carry a certain fix (`ramlint check --fix`); the docs page
    /// then has a `## Fix` section saying which.
    pub fixable: bool,
}

/// Declares a rule's metadata:
/// `rule_meta!(META, "invalid-effect", Error, Syntax, Policy, "summary");`, optionally followed
/// by `fixable` when some of its findings carry a [`Fix`], then optionally by
/// `wins_over = ["other-rule", ...]` (see [`RuleMeta::wins_over`]).
#[macro_export]
macro_rules! rule_meta {
    ($name:ident, $id:literal, $severity:ident, $category:ident, $subject:ident, $summary:literal $(,)?) => {
        $crate::rule_meta!(@make $name, $id, $severity, $category, $subject, $summary, false, []);
    };
    ($name:ident, $id:literal, $severity:ident, $category:ident, $subject:ident, $summary:literal, fixable $(,)?) => {
        $crate::rule_meta!(@make $name, $id, $severity, $category, $subject, $summary, true, []);
    };
    ($name:ident, $id:literal, $severity:ident, $category:ident, $subject:ident, $summary:literal, wins_over = [$($over:literal),* $(,)?] $(,)?) => {
        $crate::rule_meta!(@make $name, $id, $severity, $category, $subject, $summary, false, [$($over),*]);
    };
    ($name:ident, $id:literal, $severity:ident, $category:ident, $subject:ident, $summary:literal, fixable, wins_over = [$($over:literal),* $(,)?] $(,)?) => {
        $crate::rule_meta!(@make $name, $id, $severity, $category, $subject, $summary, true, [$($over),*]);
    };
    (@make $name:ident, $id:literal, $severity:ident, $category:ident, $subject:ident, $summary:literal, $fixable:literal, [$($over:literal),*]) => {
        pub static $name: $crate::finding::RuleMeta = $crate::finding::RuleMeta {
            id: $id,
            severity: $crate::finding::Severity::$severity,
            category: $crate::finding::Category::$category,
            subject: $crate::finding::Subject::$subject,
            summary: $summary,
            docs: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules/", $id, ".md")),
            wins_over: &[$($over),*],
            fixable: $fixable,
        };
    };
}

/// One replacement of bytes of the record's text (`span` indexes into the text the rule saw;
/// an empty span inserts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// A certain correction of a finding: byte edits of the original text, applied together
/// (`ramlint check --fix`), never a re-serialisation of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, for `--diff` and the text report (`replace `Alow` with `Allow``).
    pub title: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    /// Replaces the bytes of `span` with `replacement`.
    pub fn replace(title: impl Into<String>, span: Span, replacement: impl Into<String>) -> Self {
        Fix { title: title.into(), edits: vec![Edit { span, replacement: replacement.into() }] }
    }

    /// The same fix in the coordinates of a text that starts `base` bytes earlier.
    pub fn offset(mut self, base: usize) -> Self {
        for edit in &mut self.edits {
            edit.span = edit.span.offset(base);
        }
        self
    }
}

/// Where a finding or label points.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// A JSON Pointer into the record's document, resolved to bytes only when rendering.
    Pointer { pointer: String, part: Part, occurrence: Occurrence },
    /// A raw byte span for text that has no document tree (syntax errors, URL lines),
    /// with the pointer to report.
    Span { span: Span, pointer: String },
    /// A finding about `pointer` (what the report names) shown at the value `at` points to:
    /// `full-admin` names the statement and is shown at the `*` of its `Action`.
    Anchored { pointer: String, at: String },
    /// A place located before the rule saw it, in a record whose text is no longer at hand:
    /// a call of a log (its fact keeps the line and columns of the parameters it names).
    Located { pointer: String, file: Arc<str>, record: Option<usize>, place: Place },
}

impl Target {
    pub fn value(pointer: impl Into<String>) -> Self {
        Target::Pointer { pointer: pointer.into(), part: Part::Value, occurrence: Occurrence::Last }
    }

    pub fn key(pointer: impl Into<String>) -> Self {
        Target::Pointer { pointer: pointer.into(), part: Part::Key, occurrence: Occurrence::Last }
    }

    /// The opening bracket of the pointed-at value: for "this object lacks a member".
    pub fn opening(pointer: impl Into<String>) -> Self {
        Target::Pointer { pointer: pointer.into(), part: Part::Opening, occurrence: Occurrence::Last }
    }

    /// The key of one member of an object, exactly: of several members with the same key,
    /// the one whose key starts at `member.key_span.start`.
    pub fn member_key(pointer: impl Into<String>, member: &crate::json::Member) -> Self {
        Target::Pointer {
            pointer: pointer.into(),
            part: Part::Key,
            occurrence: Occurrence::KeyAt(member.key_span.start),
        }
    }

    pub fn substring(pointer: impl Into<String>, start: usize, end: usize) -> Self {
        Target::Pointer { pointer: pointer.into(), part: Part::Substring { start, end }, occurrence: Occurrence::Last }
    }

    pub fn pointer(&self) -> &str {
        match self {
            Target::Pointer { pointer, .. }
            | Target::Span { pointer, .. }
            | Target::Anchored { pointer, .. }
            | Target::Located { pointer, .. } => pointer,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub target: Target,
    pub message: String,
}

/// A finding before rendering. It cannot be built without its primary target.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub primary: Target,
    /// The primary label's text, if any.
    pub primary_label: Option<String>,
    pub related: Vec<Label>,
    /// A finding that belongs to a file other than the one being linted (e.g. the
    /// `--policy` file of an audit) names it here.
    pub file: Option<String>,
    /// A certain correction (rules whose metadata says `fixable`).
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn new(rule: &'static RuleMeta, primary: Target, message: impl Into<String>) -> Self {
        Finding {
            rule,
            severity: rule.severity,
            message: message.into(),
            help: None,
            primary,
            primary_label: None,
            related: Vec::new(),
            file: None,
            fix: None,
        }
    }

    /// Attaches a certain correction.
    pub fn fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn label(mut self, text: impl Into<String>) -> Self {
        self.primary_label = Some(text.into());
        self
    }

    pub fn related(mut self, target: Target, text: impl Into<String>) -> Self {
        self.related.push(Label { target, message: text.into() });
        self
    }

    /// The finding belongs to `file`, not to the one being linted.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}
