use crate::finding::{Finding, Target};
use crate::json::{Member, Node, Pointer, Value};
use crate::rules::Context;
use std::collections::HashMap;

crate::rule_meta!(META, "duplicate-key", Error, Syntax, File, "an object has the same key twice");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_document(&self, root: &Node, cx: &mut Context<'_>) {
        check_node(root, &Pointer::root(), cx);
    }
}

fn is_container(node: &Node) -> bool {
    matches!(node.value, Value::Object(_) | Value::Array(_))
}

/// A step of the path to the current node, kept as borrowed keys until a finding needs it.
#[derive(Clone, Copy)]
enum Step<'n> {
    Key(&'n str),
    Index(usize),
}

/// Reports every earlier member of a repeated key; the last one is what RAM reads (as
/// serde_json and Alibaba's fastjson read it; see the rule's page). Only the members in effect
/// are walked: an ignored member's contents are not what RAM reads, and its pointer would name
/// the member that counts. Each object is checked with one hash map (linear in its members),
/// and the path is only turned into a pointer for a finding, so clean documents allocate
/// nothing here.
pub fn check_node(node: &Node, base: &Pointer, cx: &mut Context<'_>) {
    let mut path = Vec::new();
    walk(node, base, &mut path, cx);
}

/// Objects up to this many members find repeated keys without a hash map.
const SMALL: usize = 16;

fn walk<'n>(node: &'n Node, base: &Pointer, path: &mut Vec<Step<'n>>, cx: &mut Context<'_>) {
    match &node.value {
        Value::Object(members) if !crate::json::has_repeated_keys(members) => {
            // Every member is in effect (the usual case): no index of last members needed.
            for m in members {
                if is_container(&m.value) {
                    path.push(Step::Key(&m.key));
                    walk(&m.value, base, path, cx);
                    path.pop();
                }
            }
        }
        Value::Object(members) => {
            // The index of the last member of each key: compared pair by pair in the small
            // objects of real documents (no hashing, no allocation), hashed in larger ones.
            let hashed: Option<HashMap<&str, usize>> = (members.len() > SMALL).then(|| {
                let mut last = HashMap::with_capacity(members.len());
                for (i, m) in members.iter().enumerate() {
                    last.insert(&*m.key, i);
                }
                last
            });
            let last = |key: &str| match &hashed {
                Some(map) => map.get(key).copied(),
                None => members.iter().rposition(|m| *m.key == *key),
            };
            let repeated = match &hashed {
                Some(map) => map.len() < members.len(),
                None => members.iter().enumerate().any(|(i, m)| last(&m.key) != Some(i)),
            };
            if repeated {
                let here = pointer(base, path);
                for (i, m) in members.iter().enumerate() {
                    if let Some(kept) = last(&m.key).filter(|&kept| kept != i) {
                        report(m, members.get(kept), &here, cx);
                    }
                }
            }
            for (i, m) in members.iter().enumerate() {
                if last(&m.key) == Some(i) && is_container(&m.value) {
                    path.push(Step::Key(&m.key));
                    walk(&m.value, base, path, cx);
                    path.pop();
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate().filter(|(_, n)| is_container(n)) {
                path.push(Step::Index(i));
                walk(item, base, path, cx);
                path.pop();
            }
        }
        _ => {}
    }
}

fn pointer(base: &Pointer, path: &[Step<'_>]) -> Pointer {
    path.iter().fold(base.clone(), |p, step| match step {
        Step::Key(k) => p.key(k),
        Step::Index(i) => p.index(*i),
    })
}

fn report(m: &Member, kept: Option<&Member>, pointer: &Pointer, cx: &mut Context<'_>) {
    let child = pointer.key(&m.key).to_string();
    let mut finding = Finding::new(
        &META,
        Target::member_key(child.clone(), m),
        format!("`{}` appears more than once in this object", m.key),
    )
    .label("this member is ignored")
    .help("remove one of the members; RAM reads only the last one");
    if let Some(kept) = kept {
        finding = finding.related(Target::member_key(child, kept), "this later member is the one that counts");
    }
    cx.emit(finding);
}
