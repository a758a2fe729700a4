use super::Findings;
use crate::finding::{Finding, Target};
use crate::model::config::ConfigView;

crate::rule_meta!(
    META,
    "unused-suppression",
    Warning,
    Suggestion,
    Config,
    "a suppression in `ramlint.toml` matched no finding"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    /// Fires on every suppression that hid no finding of the run, at the suppression in the
    /// configuration file; not on an expired one (it hides nothing by design and is an
    /// `expired-suppression`).
    fn check_config(&self, config: &ConfigView<'_>, cx: &mut Findings) {
        for s in &config.suppressions {
            if s.uses > 0 || s.expires.is_some_and(|e| e.passed(config.now_ms)) {
                continue;
            }
            cx.emit(
                Finding::new(
                    &META,
                    Target::Span { span: s.span, pointer: format!("/suppress/{}", s.index) },
                    format!("the suppression of `{}` matched no finding", s.rule),
                )
                .help(format!("remove it, or fix its `path` or `pointer` (reason given: {})", s.reason)),
            );
        }
    }
}
