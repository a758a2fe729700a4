use crate::catalog::suggest;
use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(
    META,
    "invalid-effect",
    Error,
    Syntax,
    Policy,
    "`Effect` is missing or not exactly `Allow` or `Deny`",
    fixable
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            let Some(effect) = st.effect else {
                cx.emit(
                    Finding::new(&META, Target::opening(st.pointer.to_string()), "the statement has no `Effect`")
                        .label("`Effect` is missing from this statement")
                        .help("add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`"),
                );
                continue;
            };
            let pointer = st.pointer.key("Effect").to_string();
            match effect.value.as_str() {
                Some("Allow" | "Deny") => {}
                Some(value) => cx.emit(
                    Finding::new(&META, Target::value(pointer), format!("`{value}` is not a valid effect"))
                        .label("expected `Allow` or `Deny`")
                        .maybe_help(
                            suggest::did_you_mean(value, ["Allow", "Deny"])
                                .or_else(|| Some("the effect is `Allow` or `Deny`, spelt exactly so".into())),
                        )
                        .fix(suggest::certain(value, ["Allow", "Deny"]).and_then(|to| {
                            super::fixes::replace_string(
                                cx.text,
                                effect.value.span,
                                value,
                                to,
                                format!("replace `{value}` with `{to}`"),
                            )
                        })),
                ),
                None => cx.emit(
                    Finding::new(
                        &META,
                        Target::value(pointer),
                        format!("`Effect` must be the string `Allow` or `Deny`, not {}", effect.value.type_name()),
                    )
                    .label("expected `Allow` or `Deny`"),
                ),
            }
        }
    }
}
