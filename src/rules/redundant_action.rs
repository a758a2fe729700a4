use crate::catalog::wildcard;
use crate::finding::{Finding, Target};
use crate::model::policy::{is_template, Policy};
use crate::rules::Context;

crate::rule_meta!(
    META,
    "redundant-action",
    Info,
    Suggestion,
    Policy,
    "an action is covered by another pattern of the same statement",
    fixable
);

pub struct Rule;

/// Whether action pattern `general` covers `specific` (case-insensitive).
fn covers(general: &str, specific: &str) -> bool {
    if !wildcard::has_wildcard(general) {
        return general.eq_ignore_ascii_case(specific);
    }
    wildcard::covers(general, specific, true)
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            for values in [&st.action, &st.not_action].into_iter().flatten() {
                let items: Vec<_> =
                    values.items.iter().filter(|i| !i.value.is_empty() && !is_template(i.value)).collect();
                for (i, item) in items.iter().enumerate() {
                    let coverer = items.iter().enumerate().find(|(j, other)| {
                        *j != i && covers(other.value, item.value) && (!covers(item.value, other.value) || *j < i)
                    });
                    let Some((_, other)) = coverer else { continue };
                    let same = other.value.eq_ignore_ascii_case(item.value);
                    // A repeat goes (the first stays); a covered action stays for the author
                    // to judge, since the wider pattern may be the mistake.
                    let fix = same
                        // The element's index in its array.
                        .then(|| item.pointer.index())
                        .flatten()
                        .and_then(|index| {
                            super::fixes::remove_later_element(
                                cx.text,
                                &values.member.value,
                                index,
                                format!("remove the repeated `{}`", item.value),
                            )
                        });
                    let message = if same {
                        format!("`{}` is listed twice", item.value)
                    } else {
                        format!("`{}` is already covered by `{}`", item.value, other.value)
                    };
                    cx.emit(
                        Finding::new(&META, Target::value(item.pointer.to_string()), message)
                            .label("redundant")
                            .related(
                                Target::value(other.pointer.to_string()),
                                if same { "first listed here" } else { "this pattern covers it" },
                            )
                            .help("remove it; the statement grants the same without it")
                            .fix(fix),
                    );
                }
            }
        }
    }
}
