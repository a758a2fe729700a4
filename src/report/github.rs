//! `--format github`: GitHub Actions workflow commands, one annotation per finding.

use super::Row;
use crate::finding::Severity;

/// Escapes a workflow command's message.
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn annotation(d: &Row) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut message = match &d.resource {
        Some(resource) => format!("{resource}: {}", d.message),
        None => d.message.clone(),
    };
    if let Some(help) = &d.help {
        message.push('\n');
        message.push_str(help);
    }
    format!(
        "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        property(&d.file),
        d.line,
        d.column,
        d.end_line,
        d.end_column,
        property(&format!("ramlint {}", d.rule)),
        data(&message)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes() {
        assert_eq!(super::data("50% a\nb"), "50%25 a%0Ab");
        assert_eq!(super::property("a:b,c"), "a%3Ab%2Cc");
    }
}
