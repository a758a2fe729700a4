//! The terminal rendering of an evaluation: the decision, then the statements that decided
//! with their text underlined like a diagnostic, then why the others did not apply.

use super::trace::{Evaluation, Outcome};
use super::{Decision, Effect, PolicySet};
use crate::json::{self, Occurrence, Part};
use crate::source::{LineIndex, Snippets};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};
use std::fmt::Write;

fn effect_name(effect: Option<Effect>) -> &'static str {
    match effect {
        Some(Effect::Allow) => "Allow",
        Some(Effect::Deny) => "Deny",
        None => "no effect",
    }
}

pub fn text(evaluation: &Evaluation, set: &PolicySet, color: bool) -> String {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100).with_links(false);
    let mut out = String::new();
    let _ = writeln!(out, "decision: {}", evaluation.decision.describe());
    let _ = writeln!(out, "  action    {}", evaluation.action);
    for v in &evaluation.resources {
        let _ = writeln!(out, "  resource  {} ({})", v.resource, v.decision.describe());
    }
    let deciding = evaluation.deciding();
    // An implicit deny has no deciding statement: show the `Allow`s that came closest.
    let shown: Vec<usize> = if evaluation.decision == Decision::ImplicitDeny {
        set.statements
            .iter()
            .enumerate()
            .filter(|(_, s)| s.effect == Some(Effect::Allow) && !s.trust)
            .map(|(i, _)| i)
            .collect()
    } else {
        deciding.clone()
    };
    if evaluation.decision == Decision::ImplicitDeny {
        let _ = writeln!(
            out,
            "\nno statement allows the call{}",
            if shown.is_empty() { " (no `Allow` statement can grant a call)" } else { "; the `Allow` statements:" }
        );
    }
    // Each file's lines found once, not per statement drawn.
    let snippets: Vec<Snippets> = set.files.iter().map(|f| Snippets::new(f.text.clone())).collect();
    for &i in &shown {
        let (Some(statement), Some(outcome)) = (set.statements.get(i), evaluation.statements.get(i)) else { continue };
        let (Some(file), Some(source)) = (set.files.get(statement.file), snippets.get(statement.file)) else {
            continue;
        };
        let (message, severity, code, label) = match outcome {
            Outcome::Applies { resources, .. } => {
                let verb = if statement.effect == Some(Effect::Deny) { "denies" } else { "allows" };
                let on: Vec<String> = resources
                    .iter()
                    .filter_map(|&r| evaluation.resources.get(r))
                    .map(|v| format!("`{}`", v.resource))
                    .collect();
                (
                    format!("{} {verb} `{}`", statement.pointer, evaluation.action),
                    if verb == "denies" { miette::Severity::Error } else { miette::Severity::Advice },
                    if verb == "denies" { "explicit-deny" } else { "allow" },
                    format!("{verb} it on {}", on.join(", ")),
                )
            }
            Outcome::NoMatch { reason, .. } | Outcome::NotEvaluated { reason, .. } => (
                format!("{} ({}) does not apply", statement.pointer, effect_name(statement.effect)),
                miette::Severity::Warning,
                "no-match",
                reason.clone(),
            ),
        };
        // A string value itself (`"vpc:ReleaseEipAddress"`); the key of a longer value
        // (`"acs:SourceIp": [...]`), so that the snippet stays short.
        let value = json::span(&file.root, &file.text, outcome.at(), Part::Value, Occurrence::Last);
        let is_string = value.and_then(|v| file.text.get(v.start..v.start + 1)) == Some("\"");
        let part = if is_string { Part::Value } else { Part::Key };
        let span = json::span(&file.root, &file.text, outcome.at(), part, Occurrence::Last)
            .or_else(|| json::span(&file.root, &file.text, &statement.pointer, Part::Opening, Occurrence::Last))
            .unwrap_or_default();
        if !crate::source::underlinable(&file.text, span.start, span.len()) {
            // Too far along its line to underline: the message and the reason, without a snippet.
            let _ = writeln!(out, "\n{code}: {message} ({}: {label})", file.name);
            continue;
        }
        let mut labels = vec![LabeledSpan::new_primary_with_span(Some(label), (span.start, span.len()))];
        // The statement's opening brace too, when it is near enough to share the snippet.
        if let Some(whole) = json::span(&file.root, &file.text, &statement.pointer, Part::Opening, Occurrence::Last) {
            let between = file.text.get(whole.start..span.start).map_or(usize::MAX, |t| t.matches('\n').count());
            if whole.start != span.start
                && between <= 3
                && crate::source::underlinable(&file.text, whole.start, whole.len())
            {
                labels.push(LabeledSpan::new_with_span(Some("this statement".into()), (whole.start, whole.len())));
            }
        }
        let diagnostic = MietteDiagnostic::new(message).with_severity(severity).with_code(code).with_labels(labels);
        let report =
            miette::Report::new(diagnostic).with_source_code(NamedSource::new(file.name.clone(), source.clone()));
        let _ = writeln!(out);
        if handler.render_report(&mut out, report.as_ref()).is_err() {
            let _ = writeln!(out, "{}: {}", file.name, statement.pointer);
        }
    }
    let mut is_shown = vec![false; set.statements.len()];
    for &i in &shown {
        if let Some(flag) = is_shown.get_mut(i) {
            *flag = true;
        }
    }
    let others: Vec<usize> =
        (0..set.statements.len()).filter(|&i| !is_shown.get(i).copied().unwrap_or(false)).collect();
    if !others.is_empty() {
        let _ = writeln!(out, "\nother statements:");
    }
    // One line index per file, not per statement.
    let lines: Vec<LineIndex> = set.files.iter().map(|f| LineIndex::new(&f.text)).collect();
    for i in others {
        let (Some(statement), Some(outcome)) = (set.statements.get(i), evaluation.statements.get(i)) else { continue };
        let (Some(file), Some(lines)) = (set.files.get(statement.file), lines.get(statement.file)) else { continue };
        let at = json::span(&file.root, &file.text, outcome.at(), Part::Value, Occurrence::Last).unwrap_or_default();
        let (line, column) = lines.position(&file.text, at.start);
        let why = match outcome.reason() {
            Some(reason) => reason,
            None if evaluation.decision == Decision::ExplicitDeny => "it applies, but an explicit `Deny` wins",
            None => "it applies",
        };
        let _ = writeln!(
            out,
            "  {}:{line}:{column} {} ({}): {why}",
            file.name,
            statement.pointer,
            effect_name(statement.effect)
        );
    }
    out
}
