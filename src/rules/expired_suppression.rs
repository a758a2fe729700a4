use super::Findings;
use crate::finding::{Finding, Target};
use crate::model::config::ConfigView;

crate::rule_meta!(
    META,
    "expired-suppression",
    Warning,
    Suggestion,
    Config,
    "a suppression in `ramlint.toml` is past its `expires` date"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    /// Fires on every suppression whose `expires` day is over (it stopped hiding findings),
    /// at the suppression in the configuration file.
    fn check_config(&self, config: &ConfigView<'_>, cx: &mut Findings) {
        for s in &config.suppressions {
            let Some(expiry) = s.expires.filter(|e| e.passed(config.now_ms)) else { continue };
            cx.emit(
                Finding::new(
                    &META,
                    Target::Span { span: s.span, pointer: format!("/suppress/{}", s.index) },
                    format!("the suppression of `{}` expired on {}", s.rule, expiry.date),
                )
                .help(format!(
                    "it no longer hides findings; review them, then renew or remove it (reason given: {})",
                    s.reason
                )),
            );
        }
    }
}
