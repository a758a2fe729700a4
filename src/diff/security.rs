//! The security findings a change introduces: the security rules run on OLD and NEW, and the
//! findings of NEW that OLD did not have, compared by rule id and message (the message names
//! the action or principal, never a line), so that moving a statement introduces nothing.

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Resolver};
use crate::finding::{Category, Finding, Subject};
use crate::model::policy::Policy;
use crate::rules::{Context, Project, ALL};
use crate::source::LineIndex;
use std::collections::HashMap;

/// The security findings of a policy text (none when it is not JSON), with its tree.
fn findings<'t>(catalog: &Catalog, project: &Project, text: &'t str) -> Option<(crate::json::Node<'t>, Vec<Finding>)> {
    let root = crate::json::parse(text).ok()?;
    let policy = Policy::new(&root);
    let mut cx = Context::new(catalog, text, project);
    for rule in ALL.iter().filter(|r| r.meta().category == Category::Security && r.meta().subject == Subject::Policy) {
        rule.check_policy(&policy, &mut cx);
    }
    let list = cx.into_findings();
    Some((root, list))
}

/// The findings of `new` beyond those of `old`, resolved in `new` (a finding repeated in NEW
/// more often than in OLD counts its extra occurrences).
pub(super) fn introduced(
    catalog: &Catalog,
    project: &Project,
    file: &str,
    old: Option<&str>,
    new: Option<&str>,
    embedding: Option<&super::Embedding>,
    resource: Option<&str>,
) -> Vec<Diagnostic> {
    let Some(new) = new else { return Vec::new() };
    let Some((root, found)) = findings(catalog, project, new) else { return Vec::new() };
    let mut before: HashMap<(&'static str, String), usize> = HashMap::new();
    if let Some((_, list)) = old.and_then(|o| findings(catalog, project, o)) {
        for f in list {
            *before.entry((f.rule.id, f.message)).or_default() += 1;
        }
    }
    let fresh: Vec<Finding> = found
        .into_iter()
        .filter(|f| match before.get_mut(&(f.rule.id, f.message.clone())) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .collect();
    let mut out = match embedding {
        // An embedded document: at its place in the host file the user edits.
        Some(e) => {
            let lines = LineIndex::new(&e.host_text);
            let resolver = Resolver { file, text: &e.host_text, lines: Some(&lines), first_line: 0 };
            let mut out = resolver.resolve_through(new, &e.map, fresh, Some(&root), None);
            for d in &mut out {
                d.resource = resource.map(str::to_string);
            }
            out
        }
        None => {
            let lines = LineIndex::new(new);
            let resolver = Resolver { file, text: new, lines: Some(&lines), first_line: 0 };
            resolver.resolve_all(fresh, Some(&root), 0, None)
        }
    };
    crate::diagnostic::sort(&mut out);
    out
}
