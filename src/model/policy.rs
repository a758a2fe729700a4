//! A typed view of a RAM policy over its spanned JSON tree. Nothing is copied: every
//! element keeps its node, so rules read values and report pointers.

use crate::catalog::{Catalog, Summarized};
use crate::json::{Member, Node, Pointer, Value};

/// The statement-level elements RAM defines.
pub const STATEMENT_ELEMENTS: &[&str] =
    &["Action", "Condition", "Effect", "NotAction", "NotResource", "Principal", "Resource"];
/// The document-level elements RAM defines.
pub const DOCUMENT_ELEMENTS: &[&str] = &["Statement", "Version"];

pub struct Policy<'a> {
    pub root: &'a Node<'a>,
    pub version: Option<&'a Member<'a>>,
    pub statement: Option<&'a Member<'a>>,
    pub statements: Vec<Statement<'a>>,
}

pub struct Statement<'a> {
    pub node: &'a Node<'a>,
    pub pointer: Pointer,
    pub effect: Option<&'a Member<'a>>,
    pub action: Option<Values<'a>>,
    pub not_action: Option<Values<'a>>,
    pub resource: Option<Values<'a>>,
    pub not_resource: Option<Values<'a>>,
    pub condition: Option<&'a Member<'a>>,
    pub principal: Option<&'a Member<'a>>,
    /// The resource strings that parse as ARNs, parsed once for all rules.
    arns: Vec<(Item<'a>, super::arn::Arn<'a>)>,
    /// The condition blocks, read once for all rules.
    conditions: Vec<ConditionBlock<'a>>,
    /// The catalog's resolution of each action string (see [`Statement::summaries`]), made on
    /// the first rule's ask, with the id of the catalog it was made with.
    summaries: std::cell::OnceCell<(u64, Vec<Summarized>)>,
}

/// An element that holds one string or an array of strings.
pub struct Values<'a> {
    pub member: &'a Member<'a>,
    /// The element's pointer, shared with its items (see [`ItemPointer`]).
    pub pointer: std::rc::Rc<Pointer>,
    /// The string values, each with its own pointer; other JSON types are left out
    /// (`invalid-value-type` reports them).
    pub items: Vec<Item<'a>>,
}

#[derive(Clone)]
pub struct Item<'a> {
    pub value: &'a str,
    pub pointer: ItemPointer,
    pub node: &'a Node<'a>,
}

/// The pointer of an [`Item`]: its element's pointer, shared, and its index when the element
/// is an array. Written out (`Display`, as [`Pointer::index`] writes it) only when a finding
/// needs it: most items never get one, and writing every item's pointer while reading the
/// policy cost an allocation and a formatted index each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemPointer {
    base: std::rc::Rc<Pointer>,
    index: Option<usize>,
}

impl ItemPointer {
    /// The item's index in its element's array (`None`: the element is one string).
    pub fn index(&self) -> Option<usize> {
        self.index
    }
}

impl std::fmt::Display for ItemPointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.base.as_str())?;
        match self.index {
            Some(i) => write!(f, "/{i}"),
            None => Ok(()),
        }
    }
}

pub struct ConditionBlock<'a> {
    pub operator: &'a str,
    pub member: &'a Member<'a>,
    pub pointer: Pointer,
    pub entries: Vec<ConditionEntry<'a>>,
}

pub struct ConditionEntry<'a> {
    pub key: &'a str,
    pub member: &'a Member<'a>,
    pub pointer: Pointer,
}

impl<'a> Values<'a> {
    fn new(member: &'a Member<'a>, pointer: Pointer) -> Self {
        let pointer = std::rc::Rc::new(pointer);
        let at = |index| ItemPointer { base: pointer.clone(), index };
        let items = match &member.value.value {
            Value::String(s) => vec![Item { value: s, pointer: at(None), node: &member.value }],
            Value::Array(nodes) => nodes
                .iter()
                .enumerate()
                .filter_map(|(i, n)| n.as_str().map(|s| Item { value: s, pointer: at(Some(i)), node: n }))
                .collect(),
            _ => Vec::new(),
        };
        Values { member, pointer, items }
    }

    pub fn contains_str(&self, value: &str) -> bool {
        self.items.iter().any(|i| i.value == value)
    }
}

impl<'a> Policy<'a> {
    pub fn new(root: &'a Node<'a>) -> Self {
        let version = root.get("Version");
        let statement = root.get("Statement");
        // Without `Statement`, the statements under a misspelling of it are linted as well
        // (`unknown-element` reports the key).
        let (held, base) = match statement {
            Some(m) => (Some(m), Pointer::root().key("Statement")),
            None => match misspelt_statement(root) {
                Some(m) => (Some(m), Pointer::root().key(&m.key)),
                None => (None, Pointer::root().key("Statement")),
            },
        };
        let statements = match held.map(|m| &m.value) {
            Some(node @ Node { value: Value::Object(_), .. }) => vec![Statement::new(node, base)],
            Some(Node { value: Value::Array(items), .. }) => items
                .iter()
                .enumerate()
                .filter(|(_, n)| n.as_object().is_some())
                .map(|(i, n)| Statement::new(n, base.index(i)))
                .collect(),
            _ => Vec::new(),
        };
        Policy { root, version, statement, statements }
    }
}

impl<'a> Statement<'a> {
    fn new(node: &'a Node<'a>, pointer: Pointer) -> Self {
        let values = |key: &str| node.get(key).map(|m| Values::new(m, pointer.key(key)));
        let resource = values("Resource");
        let not_resource = values("NotResource");
        let arns = Self::parse_arns(&resource, &not_resource);
        let condition = node.get("Condition");
        let conditions = Self::read_conditions(condition, &pointer);
        Statement {
            effect: node.get("Effect"),
            action: values("Action"),
            not_action: values("NotAction"),
            resource,
            not_resource,
            condition,
            principal: node.get("Principal"),
            node,
            pointer,
            arns,
            conditions,
            summaries: std::cell::OnceCell::new(),
        }
    }

    /// The catalog's resolution of each string of [`Statement::action_items`], in that order
    /// (`Action`'s strings first, so the first `actions().len()` are those of `Action`).
    /// Resolved once per statement for all the rules that ask (each of them used to look every
    /// action string up in the catalog's cache again, some once per ARN); a statement is
    /// checked against one catalog, and another catalog gets its own resolution, not kept.
    pub fn summaries(&self, catalog: &Catalog) -> std::borrow::Cow<'_, [Summarized]> {
        let resolve = || self.action_items().map(|i| catalog.summarized(i.value)).collect::<Vec<_>>();
        let (id, summaries) = self.summaries.get_or_init(|| (catalog.id(), resolve()));
        if *id == catalog.id() {
            std::borrow::Cow::Borrowed(summaries.as_slice())
        } else {
            std::borrow::Cow::Owned(resolve())
        }
    }

    pub fn effect_is(&self, effect: &str) -> bool {
        self.effect.and_then(|m| m.value.as_str()) == Some(effect)
    }

    pub fn is_allow(&self) -> bool {
        self.effect_is("Allow")
    }

    /// A trust statement: one with a `Principal` key, well-formed or not.
    pub fn is_trust(&self) -> bool {
        self.principal.is_some()
    }

    /// The condition blocks whose value is an object (others are reported elsewhere).
    pub fn conditions(&self) -> &[ConditionBlock<'a>] {
        &self.conditions
    }

    fn read_conditions(condition: Option<&'a Member<'a>>, pointer: &Pointer) -> Vec<ConditionBlock<'a>> {
        let Some(condition) = condition else { return Vec::new() };
        // Only the members RAM reads: of a repeated operator or key, the last one.
        let base = pointer.key("Condition");
        condition
            .value
            .members_in_effect()
            .into_iter()
            .filter_map(|m| {
                m.value.as_object()?;
                let pointer = base.key(&m.key);
                let entries = m
                    .value
                    .members_in_effect()
                    .into_iter()
                    .map(|e| ConditionEntry { key: &e.key, member: e, pointer: pointer.key(&e.key) })
                    .collect();
                Some(ConditionBlock { operator: &m.key, member: m, pointer, entries })
            })
            .collect()
    }

    /// Whether any condition entry uses `key` (case-insensitive).
    pub fn has_condition_key(&self, key: &str) -> bool {
        self.conditions().iter().any(|b| b.entries.iter().any(|e| e.key.eq_ignore_ascii_case(key)))
    }

    /// The resource values, `Resource` only (empty when absent).
    pub fn resources(&self) -> &[Item<'a>] {
        self.resource.as_ref().map_or(&[], |v| v.items.as_slice())
    }

    /// The strings of `Action` and `NotAction` (the rules about action strings read both).
    pub fn action_items(&self) -> impl Iterator<Item = &Item<'a>> {
        [&self.action, &self.not_action].into_iter().flatten().flat_map(|v| v.items.iter())
    }

    pub fn actions(&self) -> &[Item<'a>] {
        self.action.as_ref().map_or(&[], |v| v.items.as_slice())
    }

    /// The string values of one principal type (`RAM`, `Service`, `Federated`) of a trust
    /// statement, each with its pointer (empty when absent or not strings).
    pub fn principals(&self, kind: &str) -> Vec<Item<'a>> {
        let Some(principal) = self.principal else { return Vec::new() };
        match principal.value.get(kind) {
            Some(m) => Values::new(m, self.pointer.key("Principal").key(kind)).items,
            None => Vec::new(),
        }
    }

    pub fn has_condition(&self) -> bool {
        self.condition.is_some_and(|c| c.value.as_object().is_none_or(|m| !m.is_empty()))
    }
}

/// Whether a key is a misspelling of a document element (`Versoin`, `Statment`, `Statements`,
/// `version`), by the catalog's "did you mean" distance.
fn misspells_document_element(key: &str) -> Option<&'static str> {
    if DOCUMENT_ELEMENTS.contains(&key) {
        return None;
    }
    crate::catalog::suggest::closest(key, DOCUMENT_ELEMENTS.iter().copied())
}

/// The last top-level member whose key misspells `Statement`.
fn misspelt_statement<'n>(root: &'n Node<'n>) -> Option<&'n Member<'n>> {
    root.as_object().unwrap_or_default().iter().rev().find(|m| misspells_document_element(&m.key) == Some("Statement"))
}

/// Whether an object without `Statement` and `Version` is still closer to a policy than to
/// anything else: a misspelt `Statement` that holds an array or object, or top-level keys that
/// are all misspellings of `Version` and `Statement` (`{"version": "1.0", "name": ...}` is not).
pub fn looks_like_policy(root: &Node) -> bool {
    let Some(members) = root.as_object() else { return false };
    if misspelt_statement(root).is_some_and(|m| matches!(m.value.value, Value::Array(_) | Value::Object(_))) {
        return true;
    }
    !members.is_empty() && members.iter().all(|m| misspells_document_element(&m.key).is_some())
}

/// Whether a value is a template placeholder that a tool resolves before RAM sees the
/// document (`${var.account_id}`), so its syntax is not judged.
pub fn is_template(value: &str) -> bool {
    // A byte scan: `str::contains` with a `&str` needle sets up a substring searcher per call,
    // which costs more than the scan of these short values.
    let bytes = value.as_bytes();
    bytes.iter().zip(bytes.iter().skip(1)).any(|(&a, &b)| a == b'$' && b == b'{')
}

impl<'a> Statement<'a> {
    /// The resource strings of `Resource` and `NotResource` that parse as ARNs (`*` left
    /// out; template parts `${...}` read as opaque text, see [`super::arn::parse_template`]).
    pub fn arns(&self) -> &[(Item<'a>, super::arn::Arn<'a>)] {
        &self.arns
    }

    fn parse_arns(
        resource: &Option<Values<'a>>,
        not_resource: &Option<Values<'a>>,
    ) -> Vec<(Item<'a>, super::arn::Arn<'a>)> {
        [resource, not_resource]
            .into_iter()
            .flatten()
            .flat_map(|v| v.items.iter())
            .filter_map(|i| super::arn::parse_template(i.value).ok().map(|a| (i.clone(), a)))
            .collect()
    }
}
