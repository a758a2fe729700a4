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
    "a key that RAM does not define at document or statement level",
    fixable
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        // Only the members RAM reads (a repeated key is `duplicate-key`'s; its last member is
        // judged here), each at its own key: exact, and found fast in large objects.
        let mut top = None;
        for m in policy.root.members_in_effect() {
            if !DOCUMENT_ELEMENTS.contains(&&*m.key) {
                report(
                    cx,
                    top.get_or_insert_with(|| present(policy.root, DOCUMENT_ELEMENTS)),
                    m,
                    format!("/{}", escape(&m.key)),
                    DOCUMENT_ELEMENTS,
                    "document",
                );
            }
        }
        for st in &policy.statements {
            let mut here = None;
            for m in st.node.members_in_effect() {
                // `Sid` is `undocumented-element`: RAM's documentation neither lists nor rejects it.
                if !STATEMENT_ELEMENTS.contains(&&*m.key) && &*m.key != "Sid" {
                    report(
                        cx,
                        here.get_or_insert_with(|| present(st.node, STATEMENT_ELEMENTS)),
                        m,
                        st.pointer.key(&m.key).to_string(),
                        STATEMENT_ELEMENTS,
                        "statement",
                    );
                }
            }
        }
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The elements of `known` that an object has (found once per object, not once per finding).
fn present(object: &crate::json::Node, known: &[&'static str]) -> Vec<&'static str> {
    let keys: std::collections::HashSet<&str> =
        object.as_object().unwrap_or_default().iter().map(|m| &*m.key).collect();
    known.iter().copied().filter(|k| keys.contains(k)).collect()
}

fn report(
    cx: &mut Context<'_>,
    present: &[&str],
    member: &crate::json::Member,
    pointer: String,
    known: &[&str],
    level: &str,
) {
    let key = &*member.key;
    let help = suggest::did_you_mean(key, known.iter().copied());
    // Renaming is certain when one element is close and the object does not have it yet
    // (a second `Effect` would be a duplicate key).
    let fix = suggest::certain(key, known.iter().copied()).filter(|to| !present.contains(to)).and_then(|to| {
        super::fixes::replace_string(cx.text, member.key_span, key, to, format!("rename `{key}` to `{to}`"))
    });
    cx.emit(
        Finding::new(&META, Target::member_key(pointer, member), format!("`{key}` is not a RAM policy element"))
            .label(format!("not a {level}-level element"))
            .maybe_help(help.or_else(|| {
                Some(format!(
                    "{level}-level elements are {}",
                    known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                ))
            }))
            .fix(fix),
    );
}
