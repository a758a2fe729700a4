use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(
    META,
    "policy-too-large",
    Error,
    Validity,
    Policy,
    "the document exceeds 6,144 characters without whitespace"
);

/// RAM's limit on a custom policy document (CreatePolicy: 1 to 6,144 characters).
pub const LIMIT: usize = 6144;

pub struct Rule;

/// The number of characters of the text without insignificant whitespace (whitespace
/// outside strings).
pub fn minified_len(text: &str) -> usize {
    let mut count = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    for c in text.trim_start_matches('\u{feff}').chars() {
        if in_string {
            count += 1;
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            count += 1;
            in_string = c == '"';
        }
    }
    count
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        let span = policy.root.span;
        if span.len() <= LIMIT {
            return; // characters never outnumber bytes
        }
        let len = minified_len(cx.text.get(span.start..span.end).unwrap_or_default());
        if len > LIMIT {
            cx.emit(
                Finding::new(
                    &META,
                    Target::opening(""),
                    format!("the policy has {len} characters without whitespace, over RAM's limit of {LIMIT}"),
                )
                .label("this document is too large")
                .help("split it into several policies, or use wildcards and fewer ARNs"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_without_insignificant_whitespace() {
        assert_eq!(super::minified_len("{ \"a b\" : [ 1 , 2 ] }"), "{\"a b\":[1,2]}".len());
        assert_eq!(super::minified_len("{\"q\\\"x \": 1}"), "{\"q\\\"x \":1}".len());
    }
}
