use crate::finding::{Finding, Target};
use crate::json::{Node, Occurrence, Part, Pointer, Value};
use crate::model::policy::Policy;
use crate::rules::Context;
use std::collections::HashMap;

crate::rule_meta!(META, "duplicate-key", Error, Syntax, "an object has the same key twice");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        check_node(policy.root, &Pointer::root(), cx);
    }
}

/// Reports every earlier member of a repeated key; the last one is what RAM reads.
pub fn check_node(node: &Node, pointer: &Pointer, cx: &mut Context<'_>) {
    match &node.value {
        Value::Object(members) => {
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for m in members {
                *counts.entry(&m.key).or_default() += 1;
            }
            let mut seen: HashMap<&str, usize> = HashMap::new();
            for m in members {
                let total = counts.get(&*m.key).copied().unwrap_or(1);
                let nth = seen.entry(&m.key).or_default();
                let child = pointer.key(&m.key);
                if *nth + 1 < total {
                    let target = Target::Pointer {
                        pointer: child.to_string(),
                        part: Part::Key,
                        occurrence: Occurrence::Nth(*nth),
                    };
                    cx.emit(
                        Finding::new(&META, target, format!("`{}` appears more than once in this object", m.key))
                            .label("this member is ignored")
                            .related(Target::key(child.to_string()), "this later member is the one that counts")
                            .help("remove one of the members; readers keep only the last one"),
                    );
                }
                *nth += 1;
                check_node(&m.value, &child, cx);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_node(item, &pointer.index(i), cx);
            }
        }
        _ => {}
    }
}
