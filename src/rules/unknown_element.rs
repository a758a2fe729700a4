use crate::catalog::suggest;
use crate::finding::{Finding, Target};
use crate::model::policy::{Policy, DOCUMENT_ELEMENTS, STATEMENT_ELEMENTS};
use crate::rules::Context;

crate::rule_meta!(
    META,
    "unknown-element",
    Error,
    Syntax,
    Policy,
    "a key that RAM does not define at document or statement level"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        // Only the members RAM reads (a repeated key is `duplicate-key`'s; its last member is
        // judged here), each at its own key: exact, and found fast in large objects.
        for m in policy.root.members_in_effect() {
            if !DOCUMENT_ELEMENTS.contains(&&*m.key) {
                report(cx, m, format!("/{}", escape(&m.key)), DOCUMENT_ELEMENTS, "document");
            }
        }
        for st in &policy.statements {
            for m in st.node.members_in_effect() {
                // `Sid` is `undocumented-element`: RAM's documentation neither lists nor rejects it.
                if !STATEMENT_ELEMENTS.contains(&&*m.key) && &*m.key != "Sid" {
                    report(cx, m, st.pointer.key(&m.key).to_string(), STATEMENT_ELEMENTS, "statement");
                }
            }
        }
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn report(cx: &mut Context<'_>, member: &crate::json::Member, pointer: String, known: &[&str], level: &str) {
    let key = &*member.key;
    let help = suggest::did_you_mean(key, known.iter().copied());
    cx.emit(
        Finding::new(&META, Target::member_key(pointer, member), format!("`{key}` is not a RAM policy element"))
            .label(format!("not a {level}-level element"))
            .maybe_help(help.or_else(|| {
                Some(format!(
                    "{level}-level elements are {}",
                    known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                ))
            })),
    );
}
