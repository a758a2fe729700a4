//! The report of `ramlint diff`: a short table per document (text), the contract's JSON
//! (`added`, `removed`, `findings`), and SARIF results and GitHub annotations on the NEW file,
//! at the action patterns that grant the added access, through the one pointer-to-span
//! [`Resolver`].

use super::{github, sarif, Row};
use crate::catalog::wildcard;
use crate::diagnostic::{Location, Resolver};
use crate::diff::{sets, Change, DocDiff, Embedding};
use crate::eval::PolicySet;
use crate::finding::{Severity, Target};
use crate::source::LineIndex;
use serde_json::{json, Value};
use std::io::{self, Write};

/// Whether `--allow-added` accepts an added access: its action matches one of the patterns
/// (case-insensitive); an action pattern beyond the catalog must be covered by one.
pub fn allowed(change: &Change, patterns: &[String]) -> bool {
    patterns.iter().any(|p| {
        if change.expandable {
            wildcard::matches(p, &change.action, true)
        } else {
            p == "*" || wildcard::covers(p, &change.action, true)
        }
    })
}

/// Counts over a diff run.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct DiffSummary {
    pub files: usize,
    /// Added access (exact), not accepted by `--allow-added`.
    pub added: usize,
    /// "May add access" (not decided exactly), not accepted by `--allow-added`.
    pub may_add: usize,
    /// Added access accepted by `--allow-added`.
    pub allowed: usize,
    pub removed: usize,
    pub findings: usize,
}

impl DiffSummary {
    pub fn of(docs: &[DocDiff], allow: &[String]) -> DiffSummary {
        let mut s = DiffSummary { files: docs.len(), ..DiffSummary::default() };
        for d in docs {
            for c in &d.added {
                if allowed(c, allow) {
                    s.allowed += 1;
                } else if c.exact {
                    s.added += 1;
                } else {
                    s.may_add += 1;
                }
            }
            s.removed += d.removed.len();
            s.findings += d.findings.len();
        }
        s
    }

    /// Whether the run fails the "no new access" gate.
    pub fn fails(&self) -> bool {
        self.added + self.may_add > 0
    }

    fn line(&self) -> String {
        let plural = |n: usize, word: &str, many: &str| format!("{n} {}", if n == 1 { word } else { many });
        let mut line = format!(
            "{} added, {} may add, {} removed, {} in {}",
            self.added,
            self.may_add,
            self.removed,
            plural(self.findings, "new security finding", "new security findings"),
            plural(self.files, "document", "documents")
        );
        if self.allowed > 0 {
            line.push_str(&format!(" ({} added access accepted by --allow-added)", self.allowed));
        }
        line
    }
}

/// Where a pointer is in one side's text: for an embedded document, in its host file (the
/// `.tf` or template line), through its position map.
fn locate(set: Option<&PolicySet>, embedding: Option<&Embedding>, pointer: &str) -> Option<Location> {
    let file = set?.files.first()?;
    let lines = LineIndex::new(&file.text);
    let resolver = Resolver { file: &file.name, text: &file.text, lines: Some(&lines), first_line: 0 };
    // The document itself: its opening brace, not all its lines.
    let target = if pointer.is_empty() { Target::opening(pointer) } else { Target::value(pointer) };
    let at = resolver.locate(&target, Some(&file.root), 0, None);
    match embedding {
        Some(e) => Some(host_location(e, &LineIndex::new(&e.host_text), at)),
        None => Some(at),
    }
}

/// A location in an embedded document's text, moved to its host file.
fn host_location(e: &Embedding, lines: &LineIndex, at: Location) -> Location {
    let span = e.map.span(at.span);
    let (line, column) = lines.position(&e.host_text, span.start);
    let (end_line, end_column) = lines.position(&e.host_text, span.end);
    Location { pointer: at.pointer, span, line, column, end_line, end_column }
}

/// The line of each statement of one side, found once per document.
struct StatementLines(std::collections::HashMap<String, usize>);

impl StatementLines {
    fn of(set: Option<&PolicySet>, embedding: Option<&Embedding>) -> StatementLines {
        let Some((set, file)) = set.and_then(|s| Some((s, s.files.first()?))) else {
            return StatementLines(Default::default());
        };
        let lines = LineIndex::new(&file.text);
        let host_lines = embedding.map(|e| LineIndex::new(&e.host_text));
        let resolver = Resolver { file: &file.name, text: &file.text, lines: Some(&lines), first_line: 0 };
        StatementLines(
            set.statements
                .iter()
                .map(|st| {
                    let at = resolver.locate(&Target::value(st.pointer.as_str()), Some(&file.root), 0, None);
                    let at = match (embedding, &host_lines) {
                        (Some(e), Some(l)) => host_location(e, l, at),
                        _ => at,
                    };
                    (st.pointer.clone(), at.line)
                })
                .collect(),
        )
    }

    fn get(&self, pointer: &str) -> Option<usize> {
        self.0.get(pointer).copied()
    }
}

/// The text of one access: `` `vpc:X` on `acs:...` when IpAddress `acs:SourceIp` `10.0.0.0/8` ``.
fn resources_text(c: &Change) -> String {
    let mut text = match &c.principal {
        Some((kind, _)) if kind.is_empty() => "by `*` (anyone)".to_string(),
        Some((kind, value)) => format!("by `{kind}` `{value}`"),
        None => format!("on {}", c.resources.describe()),
    };
    if !c.conditions.is_empty() {
        text.push_str(&format!(" when {}", sets::describe(&c.conditions)));
    }
    text
}

fn action_text(c: &Change) -> String {
    if c.expandable {
        format!("`{}`", c.action)
    } else {
        format!("`{}` (not expandable: may match actions outside the catalog)", c.action)
    }
}

/// Changes with the same resources, conditions, statements and reason, in first-seen order:
/// one line of the text report, one annotation.
fn groups(changes: &[Change]) -> Vec<Vec<&Change>> {
    let mut out: Vec<Vec<&Change>> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for c in changes {
        let key = format!(
            "{:?}|{:?}|{}|{}|{:?}|{}|{:?}|{}|{:?}",
            c.resources,
            c.principal,
            sets::describe(&c.conditions),
            c.statement,
            c.other,
            c.exact,
            c.why,
            c.expandable,
            c.action_pointers.first()
        );
        match index.get(&key) {
            Some(&i) => {
                if let Some(g) = out.get_mut(i) {
                    g.push(c);
                }
            }
            None => {
                index.insert(key, out.len());
                out.push(vec![c]);
            }
        }
    }
    out
}

/// `` `a` `` for one action, `` 3 actions: `a`, `b`, `c` `` for a few, and the first ones and a
/// count for many.
fn actions_text(group: &[&Change]) -> String {
    const SHOWN: usize = 6;
    match group {
        [one] => action_text(one),
        many => {
            let names: Vec<String> = many.iter().take(SHOWN).map(|c| format!("`{}`", c.action)).collect();
            let rest = many.len().saturating_sub(SHOWN);
            let more = if rest > 0 { format!(" and {rest} more") } else { String::new() };
            format!("{} actions: {}{more}", many.len(), names.join(", "))
        }
    }
}

/// The text report.
pub fn text(
    out: &mut dyn Write,
    docs: &[DocDiff],
    old_names: &[String],
    allow: &[String],
    color: bool,
) -> io::Result<()> {
    let renderer = super::text::TextRenderer::new(color);
    for (doc, old_name) in docs.iter().zip(old_names) {
        if doc.added.is_empty() && doc.removed.is_empty() && doc.findings.is_empty() {
            continue;
        }
        let name = match &doc.id.resource {
            Some(r) => format!("{} ({r})", doc.id.file),
            None => doc.id.file.clone(),
        };
        writeln!(out, "{name} (old: {old_name})")?;
        let (new_lines, old_lines) = (
            StatementLines::of(doc.new.as_ref(), doc.new_embedding.as_ref()),
            StatementLines::of(doc.old.as_ref(), doc.old_embedding.as_ref()),
        );
        let place = |lines: &StatementLines, side: &str, pointer: &str| match lines.get(pointer) {
            Some(line) => format!("{side} {pointer} line {line}"),
            None => format!("{side} {pointer}"),
        };
        for (sign, list, granting, other) in
            [("+", &doc.added, &new_lines, &old_lines), ("-", &doc.removed, &old_lines, &new_lines)]
        {
            let (here, there) = if sign == "+" { ("new", "old") } else { ("old", "new") };
            for group in groups(list) {
                let Some(first) = group.first() else { continue };
                let accepted = sign == "+" && group.iter().all(|c| allowed(c, allow));
                let mark = if sign == "+" && !first.exact { "~" } else { sign };
                let verb = match (sign, first.exact) {
                    ("+", false) => "may add access: ",
                    _ => "",
                };
                let mut spans = place(granting, here, &first.statement);
                if let Some(o) = &first.other {
                    spans.push_str(&format!(", {}", place(other, there, o)));
                }
                writeln!(
                    out,
                    "  {mark} {} {}  [{verb}{}; {spans}]{}",
                    actions_text(&group),
                    resources_text(first),
                    first.why.describe(sign == "+"),
                    if accepted { " (allowed)" } else { "" }
                )?;
            }
        }
        let host = doc.new_embedding.as_ref().map(|e| e.host_text.clone());
        if let Some(text) = host.or_else(|| doc.new.as_ref().and_then(|s| s.files.first()).map(|f| f.text.clone())) {
            for d in &doc.findings {
                write!(out, "{}", renderer.render(d, text.clone()))?;
            }
        }
        writeln!(out)?;
    }
    writeln!(out, "{}", DiffSummary::of(docs, allow).line())
}

/// The statement lines of NEW and OLD.
type Lines = (StatementLines, StatementLines);

fn change_json(doc: &DocDiff, lines: &Lines, c: &Change, added: bool, allow: &[String]) -> Value {
    let (granting, other) = if added { (&lines.0, &lines.1) } else { (&lines.1, &lines.0) };
    let mut v = json!({
        "action": c.action,
        "resources": c.resources.patterns(),
        "conditions": sets::to_json(&c.conditions),
        "expandable": c.expandable,
        "exact": c.exact,
        "why": c.why,
        "file": doc.id.file,
        "statement": c.statement,
        "line": granting.get(&c.statement),
        "other_statement": c.other,
        "other_line": c.other.as_deref().and_then(|o| other.get(o)),
    });
    if let Some(obj) = v.as_object_mut() {
        if !c.resources.except().is_empty() {
            obj.insert("except".into(), json!(c.resources.except()));
        }
        if let Some(r) = &doc.id.resource {
            obj.insert("resource".into(), json!(r));
        }
        if let Some(p) = &c.principal {
            let principal = if p.0.is_empty() { json!("*") } else { json!({ &p.0: p.1 }) };
            obj.insert("principal".into(), principal);
        }
        if added {
            obj.insert("allowed".into(), json!(allowed(c, allow)));
        }
    }
    v
}

/// The JSON report: `{"version", "tool", "summary", "files", "added", "removed", "findings"}`,
/// each entry written as it comes.
pub fn json(out: &mut dyn Write, docs: &[DocDiff], old_names: &[String], allow: &[String]) -> io::Result<()> {
    let summary = DiffSummary::of(docs, allow);
    let files: Vec<Value> = docs
        .iter()
        .zip(old_names)
        .map(|(d, old)| {
            json!({"file": d.id.file, "resource": d.id.resource, "old": old, "old_exists": d.old.is_some(), "new_exists": d.new.is_some()})
        })
        .collect();
    write!(
        out,
        "{{\n  \"version\": 1,\n  \"tool\": {},\n  \"summary\": {},\n  \"files\": {},",
        super::nested(&json!({"name": "ramlint", "version": env!("CARGO_PKG_VERSION")}), 2),
        super::nested(&summary, 2),
        super::nested(&files, 2)
    )?;
    let section = |out: &mut dyn Write, name: &str, items: &mut dyn Iterator<Item = Value>, last: bool| {
        write!(out, "\n  \"{name}\": [")?;
        let mut first = true;
        for item in items {
            out.write_all(if first { b"\n    " } else { b",\n    " })?;
            first = false;
            out.write_all(super::nested(&item, 4).as_bytes())?;
        }
        write!(out, "{}]{}", if first { "" } else { "\n  " }, if last { "" } else { "," })
    };
    let lines: Vec<Lines> = docs
        .iter()
        .map(|d| {
            (
                StatementLines::of(d.new.as_ref(), d.new_embedding.as_ref()),
                StatementLines::of(d.old.as_ref(), d.old_embedding.as_ref()),
            )
        })
        .collect();
    let each = |added: bool| {
        docs.iter().zip(&lines).flat_map(move |(d, l)| {
            let list = if added { &d.added } else { &d.removed };
            list.iter().map(move |c| change_json(d, l, c, added, allow))
        })
    };
    section(out, "added", &mut each(true), false)?;
    section(out, "removed", &mut each(false), false)?;
    section(
        out,
        "findings",
        &mut docs
            .iter()
            .flat_map(|d| d.findings.iter().map(|f| serde_json::to_value(Row::of(f)).unwrap_or(Value::Null))),
        true,
    )?;
    writeln!(out, "\n}}")
}

/// The rule ids of diff rows (not lint rules: SARIF results name them without a rule index).
pub const ADDED: &str = "access-added";
pub const MAY_ADD: &str = "access-may-be-added";
pub const REMOVED: &str = "access-removed";

/// The rows of the annotations: one per group of added access, at the NEW file's action
/// pattern that grants it; removed access as notices at the statement of NEW that was its
/// place, else at the document; then the new security findings.
pub fn rows(docs: &[DocDiff], allow: &[String]) -> Vec<Row> {
    let mut rows = Vec::new();
    for doc in docs {
        for group in groups(&doc.added) {
            let Some(first) = group.first() else { continue };
            let accepted = group.iter().all(|c| allowed(c, allow));
            let pointer = first.action_pointers.first().cloned().unwrap_or_else(|| first.statement.clone());
            let at = locate(doc.new.as_ref(), doc.new_embedding.as_ref(), &pointer);
            let verb = if first.exact { "adds" } else { "may add" };
            let (rule, severity) = match (accepted, first.exact) {
                (true, _) => (ADDED, Severity::Info),
                (false, true) => (ADDED, Severity::Error),
                (false, false) => (MAY_ADD, Severity::Warning),
            };
            let mut help = first.why.describe(true).to_string();
            if let Some(o) = &first.other {
                help.push_str(&format!(" (old {o})"));
            }
            if accepted {
                help.push_str("; accepted by --allow-added");
            }
            rows.push(row(
                doc,
                rule,
                severity,
                format!("this line {verb} {} {}", actions_text(&group), resources_text(first)),
                help,
                pointer,
                at,
            ));
        }
        for group in groups(&doc.removed) {
            let Some(first) = group.first() else { continue };
            let at = locate(doc.new.as_ref(), doc.new_embedding.as_ref(), "");
            let message = format!("removes {} {}", actions_text(&group), resources_text(first));
            let help = format!("{} (old {})", first.why.describe(false), first.statement);
            rows.push(row(doc, REMOVED, Severity::Info, message, help, String::new(), at));
        }
        rows.extend(doc.findings.iter().map(Row::of));
    }
    rows
}

fn row(
    doc: &DocDiff,
    rule: &str,
    severity: Severity,
    message: String,
    help: String,
    pointer: String,
    at: Option<Location>,
) -> Row {
    let (line, column, end_line, end_column) =
        at.map_or((1, 1, 1, 1), |l| (l.line, l.column, l.end_line, l.end_column));
    Row {
        rule: rule.to_string(),
        severity,
        category: "security".to_string(),
        message,
        help: Some(help),
        file: doc.id.file.clone(),
        record: None,
        resource: doc.id.resource.clone(),
        pointer,
        line,
        column,
        end_line,
        end_column,
    }
}

pub fn github(out: &mut dyn Write, docs: &[DocDiff], allow: &[String]) -> io::Result<()> {
    for r in rows(docs, allow) {
        writeln!(out, "{}", github::annotation(&r))?;
    }
    Ok(())
}

pub fn sarif(out: &mut dyn Write, docs: &[DocDiff], allow: &[String]) -> io::Result<()> {
    let mut writer = sarif::SarifWriter::default();
    writer.begin(out, &[], &[])?;
    for r in rows(docs, allow) {
        writer.result(out, &r)?;
    }
    writer.end(out)
}
