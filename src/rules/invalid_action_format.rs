use crate::finding::{Finding, Target};
use crate::model::policy::{is_template, Policy};
use crate::rules::Context;

crate::rule_meta!(
    META,
    "invalid-action-format",
    Error,
    Syntax,
    Policy,
    "an action is neither `*` nor `<ram-code>:<action-pattern>`",
    wins_over = ["action-matches-nothing", "redundant-action", "unknown-action", "unknown-service"]
);

pub struct Rule;

/// Whether an action string has the `<ram-code>:<action-pattern>` shape (or is `*`).
pub fn is_well_formed(action: &str) -> bool {
    if action == "*" || is_template(action) {
        return true;
    }
    let Some((code, name)) = action.split_once(':') else { return false };
    // Over bytes: a non-ASCII character has no ASCII byte, so it fails as it does as a char.
    let code_ok =
        !code.is_empty() && code.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'*' | b'?'));
    let name_ok = !name.is_empty()
        && name.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'*' | b'?' | b'.'));
    code_ok && name_ok
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            for item in st.action_items() {
                if is_well_formed(item.value) || item.value.is_empty() {
                    continue;
                }
                let help = if !item.value.contains(':') {
                    "write the action as `<ram-code>:<action-name>`, e.g. `vpc:UnassociateEipAddress`"
                } else if item.value.contains(char::is_whitespace) {
                    "remove the whitespace: `<ram-code>:<action-name>` has none"
                } else {
                    "an action is `<ram-code>:<action-name>` with one `:`, letters, digits and the wildcards `*` and `?`"
                };
                cx.emit(
                    Finding::new(
                        &META,
                        Target::value(item.pointer.to_string()),
                        format!("`{}` is not a valid action", item.value),
                    )
                    .label("expected `<ram-code>:<action-name>`")
                    .help(help),
                );
            }
        }
    }
}
