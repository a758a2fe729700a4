//! Byte edits for the rules' certain fixes: the span of a string's text, or of an array element
//! with its separator. Each works on the text the rule saw and gives up (`None`) when the raw
//! text is not what the tree says (escapes), so a fix never rewrites more than it means to.

use crate::finding::{Edit, Fix};
use crate::json::{Node, Span};

/// The span of bytes `start..end` of the decoded string whose quoted text is at `quoted`, when
/// the string has no escapes (its raw text is its value).
pub fn string_part(text: &str, quoted: Span, decoded: &str, start: usize, end: usize) -> Option<Span> {
    let inner = Span::new(quoted.start.checked_add(1)?, quoted.end.checked_sub(1)?);
    let raw = text.get(inner.start..inner.end)?;
    (raw == decoded
        && start <= end
        && end <= decoded.len()
        && decoded.is_char_boundary(start)
        && decoded.is_char_boundary(end))
    .then(|| Span::new(inner.start + start, inner.start + end))
}

/// Replaces the whole text of the string at `quoted` (its quotes stay) with `replacement`.
pub fn replace_string(text: &str, quoted: Span, decoded: &str, replacement: &str, title: String) -> Option<Fix> {
    replace_part(text, quoted, decoded, (0, decoded.len()), replacement, title)
}

/// Replaces bytes `start..end` of the string at `quoted` with `replacement`.
pub fn replace_part(
    text: &str,
    quoted: Span,
    decoded: &str,
    (start, end): (usize, usize),
    replacement: &str,
    title: String,
) -> Option<Fix> {
    let span = string_part(text, quoted, decoded, start, end)?;
    // The replacement comes from the catalog; it is written as JSON string content.
    let escaped = serde_json::to_string(replacement).ok()?;
    let content = escaped.get(1..escaped.len().checked_sub(1)?)?;
    Some(Fix::replace(title, span, content))
}

/// Removes element `index` of `array` (not the first: the one before it stays) together with
/// the separator before it, so `["a", "b", "a"]` becomes `["a", "b"]`, whatever the layout.
pub fn remove_later_element(text: &str, array: &Node, index: usize, title: String) -> Option<Fix> {
    let items = array.as_array()?;
    let previous = items.get(index.checked_sub(1)?)?;
    let item = items.get(index)?;
    let between = text.get(previous.span.end..item.span.start)?;
    // Only a comma and whitespace lie between two elements of strict JSON.
    if !between.chars().all(|c| c == ',' || c.is_whitespace()) {
        return None;
    }
    Some(Fix {
        title,
        edits: vec![Edit { span: Span::new(previous.span.end, item.span.end), replacement: String::new() }],
    })
}

/// Wraps a value in an array: `[` before it and `]` after it.
pub fn wrap_in_array(value: &Node, title: String) -> Fix {
    Fix {
        title,
        edits: vec![
            Edit { span: Span::new(value.span.start, value.span.start), replacement: "[".into() },
            Edit { span: Span::new(value.span.end, value.span.end), replacement: "]".into() },
        ],
    }
}
