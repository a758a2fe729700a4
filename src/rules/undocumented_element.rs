use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(
    META,
    "undocumented-element",
    Warning,
    Validity,
    Policy,
    "`Sid` in a statement: not part of RAM's documented policy grammar"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            if st.node.get("Sid").is_none() {
                continue;
            }
            cx.emit(
                Finding::new(&META, Target::key(st.pointer.key("Sid").to_string()), "`Sid` is not part of RAM's documented policy grammar")
                    .label("not a documented statement element")
                    .help("RAM's policy structure and syntax reference lists no `Sid`, and does not say whether RAM accepts or ignores it (KMS key policies use it); remove it to be sure"),
            );
        }
    }
}
