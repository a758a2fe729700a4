//! Applying fixes: byte edits of the original text, never a re-serialisation, so formatting,
//! key order and every byte outside the edited spans stay as they were.

use crate::finding::{Edit, Fix};

/// What applying fixes to one text gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub text: String,
    /// The titles of the fixes applied, in source order.
    pub titles: Vec<String>,
    /// The edits applied, in source order: outside them the text is the original's.
    pub edits: Vec<Edit>,
    /// Fixes left out because they overlap one applied before them (a later pass may apply
    /// them to the new text).
    pub skipped: usize,
}

fn overlaps(a: &Edit, b: &Edit) -> bool {
    (a.span.start < b.span.end && b.span.start < a.span.end)
        || (a.span.is_empty() && b.span.is_empty() && a.span.start == b.span.start)
}

fn valid(text: &str, edit: &Edit) -> bool {
    edit.span.start <= edit.span.end
        && edit.span.end <= text.len()
        && text.is_char_boundary(edit.span.start)
        && text.is_char_boundary(edit.span.end)
}

/// Applies the fixes that do not overlap, the earliest first; a fix whose edits do not fit the
/// text (out of range) is skipped whole. Linear in the text plus the edits (after sorting).
pub fn apply<'f>(text: &str, fixes: impl IntoIterator<Item = &'f Fix>) -> Applied {
    let mut fixes: Vec<&Fix> = fixes.into_iter().filter(|f| !f.edits.is_empty()).collect();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| (e.span.start, e.span.end)).min());
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut titles = Vec::new();
    let mut skipped = 0;
    for fix in fixes {
        // Accepted edits are kept sorted; a fix's edits are checked against their neighbours.
        let fits =
            fix.edits.iter().all(|e| {
                valid(text, e) && {
                    let at = accepted.partition_point(|a| (a.span.start, a.span.end) < (e.span.start, e.span.end));
                    let before = at.checked_sub(1).and_then(|i| accepted.get(i));
                    let after = accepted.get(at);
                    !before.is_some_and(|a| overlaps(a, e)) && !after.is_some_and(|a| overlaps(a, e))
                }
            }) && !fix.edits.iter().enumerate().any(|(i, a)| fix.edits.iter().skip(i + 1).any(|b| overlaps(a, b)));
        if !fits {
            skipped += 1;
            continue;
        }
        for e in &fix.edits {
            let at = accepted.partition_point(|a| (a.span.start, a.span.end) < (e.span.start, e.span.end));
            accepted.insert(at, e);
        }
        titles.push(fix.title.clone());
    }
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    let edits: Vec<Edit> = accepted.iter().map(|e| (*e).clone()).collect();
    for e in accepted {
        out.push_str(text.get(pos..e.span.start).unwrap_or_default());
        out.push_str(&e.replacement);
        pos = e.span.end;
    }
    out.push_str(text.get(pos..).unwrap_or_default());
    Applied { text: out, titles, edits, skipped }
}

/// A unified diff of a file's text before and after its fixes (`--diff`).
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Span;

    fn edit(start: usize, end: usize, to: &str) -> Fix {
        Fix {
            title: format!("{start}..{end}"),
            edits: vec![Edit { span: Span::new(start, end), replacement: to.into() }],
        }
    }

    #[test]
    fn applies_edits_and_keeps_the_rest() {
        let text = r#"{"Effect": "Alow", "Action": ["a", "a"]}"#;
        let fixes = [edit(12, 16, "Allow"), edit(33, 38, "")];
        let applied = apply(text, &fixes);
        assert_eq!(applied.text, r#"{"Effect": "Allow", "Action": ["a"]}"#);
        assert_eq!(applied.titles.len(), 2);
        assert_eq!(applied.skipped, 0);
    }

    #[test]
    fn overlapping_fixes_wait_for_a_later_pass() {
        let text = "abcdef";
        let applied = apply(text, &[edit(1, 4, "X"), edit(2, 3, "Y"), edit(0, 0, "<"), edit(0, 0, ">")]);
        assert_eq!(applied.text, "<aXef");
        assert_eq!(applied.skipped, 2);
        // Out of range or inside a character: never applied.
        assert_eq!(apply("é", &[edit(1, 2, "e")]).text, "é");
        assert_eq!(apply("ab", &[edit(1, 9, "")]).text, "ab");
    }

    #[test]
    fn diff_names_the_file() {
        let diff = unified_diff("p.json", "a\nb\n", "a\nc\n");
        assert!(diff.contains("--- a/p.json") && diff.contains("-b") && diff.contains("+c"), "{diff}");
    }
}
