crate::rule_meta!(
    META,
    "unused-suppression",
    Warning,
    Suggestion,
    Config,
    "a suppression in `ramlint.toml` matched no finding"
);

/// Reported by the configuration (`config::Config::apply`), not by a document check.
pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }
}
