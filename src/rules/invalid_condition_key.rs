use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(
    META,
    "invalid-condition-key",
    Error,
    Syntax,
    Policy,
    "a condition key not of the form `<ram-code>:<key>`"
);

pub struct Rule;

/// Whether a condition key has the `<ram-code>:<key>` shape.
pub fn is_well_formed(key: &str) -> bool {
    let Some((code, name)) = key.split_once(':') else { return false };
    !code.is_empty()
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !name.is_empty()
        && !name.contains(char::is_whitespace)
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            for block in st.conditions() {
                for entry in &block.entries {
                    if is_well_formed(entry.key) {
                        continue;
                    }
                    let help = if !entry.key.contains(':')
                        && cx.catalog.condition_key(&format!("acs:{}", entry.key)).is_some()
                    {
                        format!("did you mean `acs:{}`?", entry.key)
                    } else {
                        "a condition key is `<ram-code>:<key>`: `acs:` for common keys, the service's RAM code for its own keys".to_string()
                    };
                    cx.emit(
                        Finding::new(
                            &META,
                            Target::key(entry.pointer.to_string()),
                            format!("`{}` is not a valid condition key", entry.key),
                        )
                        .label("expected `<ram-code>:<key>`")
                        .help(help),
                    );
                }
            }
        }
    }
}
