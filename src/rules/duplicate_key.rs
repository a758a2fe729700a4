use crate::finding::{Finding, Target};
use crate::json::{Member, Node, Occurrence, Part, Pointer, Value};
use crate::rules::Context;

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

/// Reports every earlier member of a repeated key; the last one is what RAM reads. The path
/// is only turned into a pointer for a finding, so clean documents allocate nothing here.
pub fn check_node(node: &Node, base: &Pointer, cx: &mut Context<'_>) {
    let mut path = Vec::new();
    walk(node, base, &mut path, cx);
}

fn walk<'n>(node: &'n Node, base: &Pointer, path: &mut Vec<Step<'n>>, cx: &mut Context<'_>) {
    match &node.value {
        Value::Object(members) => {
            for (i, m) in members.iter().enumerate() {
                let later = members.get(i + 1..).unwrap_or_default();
                if later.iter().any(|o| o.key == m.key) {
                    report(members, i, m, &pointer(base, path), cx);
                }
                if is_container(&m.value) {
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

fn report(members: &[Member], i: usize, m: &Member, pointer: &Pointer, cx: &mut Context<'_>) {
    let nth = members.get(..i).unwrap_or_default().iter().filter(|o| o.key == m.key).count();
    let child = pointer.key(&m.key).to_string();
    let target = Target::Pointer { pointer: child.clone(), part: Part::Key, occurrence: Occurrence::Nth(nth) };
    cx.emit(
        Finding::new(&META, target, format!("`{}` appears more than once in this object", m.key))
            .label("this member is ignored")
            .related(Target::key(child), "this later member is the one that counts")
            .help("remove one of the members; readers keep only the last one"),
    );
}
