//! The spanned JSON layer: a strict RFC 8259 parser that keeps every key, value and
//! duplicate member with its byte span, RFC 6901 pointers, and the one resolver that turns
//! a pointer into a byte span.

mod map;
mod parser;
mod pointer;

pub use map::PosMap;
pub use parser::{parse, ParseError, MAX_DEPTH};
pub use pointer::Pointer;

/// A byte range into the source text (UTF-8 byte offsets, end exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn offset(self, base: usize) -> Span {
        Span::new(self.start + base, self.end + base)
    }
}

/// A text of the tree: borrowed from the parsed text when it is written there as it is (no
/// escape), owned otherwise (decoded escapes, trees built from HCL or YAML).
pub type Text<'a> = std::borrow::Cow<'a, str>;

/// A JSON value with the span of its text. `'a` is the text it was parsed from; a tree that
/// must outlive its text is a `Node<'static>` (see [`Node::into_owned`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub value: Value<'a>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    /// The number exactly as written.
    Number(Text<'a>),
    String(Text<'a>),
    Array(Vec<Node<'a>>),
    /// Members in source order; duplicate keys stay visible.
    Object(Vec<Member<'a>>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member<'a> {
    pub key: Text<'a>,
    pub key_span: Span,
    pub value: Node<'a>,
}

fn owned(text: Text<'_>) -> Text<'static> {
    Text::Owned(text.into_owned())
}

impl Node<'_> {
    /// The same tree with every text owned, free of the text it was parsed from.
    pub fn into_owned(self) -> Node<'static> {
        Node { value: self.value.into_owned(), span: self.span }
    }
}

impl Value<'_> {
    /// The same value with every text owned.
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Number(n) => Value::Number(owned(n)),
            Value::String(s) => Value::String(owned(s)),
            Value::Array(items) => Value::Array(items.into_iter().map(Node::into_owned).collect()),
            Value::Object(members) => Value::Object(
                members
                    .into_iter()
                    .map(|m| Member { key: owned(m.key), key_span: m.key_span, value: m.value.into_owned() })
                    .collect(),
            ),
        }
    }
}

impl<'a> Node<'a> {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member<'a>]> {
        match &self.value {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node<'a>]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The last member named `key` (the one a JSON reader such as serde_json keeps).
    pub fn get(&self, key: &str) -> Option<&Member<'a>> {
        self.as_object()?.iter().rev().find(|m| &*m.key == key)
    }

    /// The members a reader keeps, in source order: of several members with the same key,
    /// only the last (as serde_json and Alibaba's fastjson do; see `docs/rules/duplicate-key.md`).
    /// Linear: one hash set over the keys. Empty for anything but an object.
    pub fn members_in_effect(&self) -> Vec<&Member<'a>> {
        let members = self.as_object().unwrap_or_default();
        if !has_repeated_keys(members) {
            return members.iter().collect();
        }
        let mut seen = std::collections::HashSet::with_capacity(members.len());
        let mut kept: Vec<&Member<'a>> = members.iter().rev().filter(|m| seen.insert(&*m.key)).collect();
        kept.reverse();
        kept
    }

    /// A short name of the JSON type, for messages.
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(s) if s.is_empty() => "an empty string",
            Value::String(_) => "a string",
            Value::Array(a) if a.is_empty() => "an empty array",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// Converts to a `serde_json::Value` (the last duplicate key wins, as in serde_json).
    pub fn to_serde(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::from_str(n).unwrap_or(serde_json::Value::Null),
            Value::String(s) => serde_json::Value::String(s.to_string()),
            Value::Array(items) => serde_json::Value::Array(items.iter().map(Node::to_serde).collect()),
            Value::Object(members) => {
                let mut map = serde_json::Map::new();
                for m in members {
                    map.insert(m.key.to_string(), m.value.to_serde());
                }
                serde_json::Value::Object(map)
            }
        }
    }
}

/// Objects up to this many members find repeated keys in a small table on the stack.
const PAIRWISE: usize = 16;

/// Whether some key appears twice among an object's members. Small objects (those of real
/// documents) put a fingerprint of each key into an open-addressed table of 32 slots on the
/// stack (at most 16 entries, so a probe always ends), and compare the keys themselves only
/// when two fingerprints agree: no hashing of whole keys, no allocation. Larger ones use one
/// hash set (linear).
pub fn has_repeated_keys(members: &[Member<'_>]) -> bool {
    if members.len() > PAIRWISE {
        let mut seen = std::collections::HashSet::with_capacity(members.len());
        return !members.iter().all(|m| seen.insert(&*m.key));
    }
    const SLOTS: usize = 32;
    let mut table = [0u64; SLOTS];
    let mut clash = false;
    for m in members {
        // Never 0, the empty slot (prints that differ only in bit 0 then agree: the keys are
        // compared).
        let print = key_print(&m.key) | 1;
        let mut i = (print.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 59) as usize;
        while let Some(slot) = table.get_mut(i % SLOTS) {
            if *slot == 0 {
                *slot = print;
                break;
            }
            if *slot == print {
                clash = true;
                break;
            }
            i += 1;
        }
    }
    clash && members.iter().enumerate().any(|(i, a)| members.iter().skip(i + 1).any(|b| a.key == b.key))
}

/// A cheap summary of a key: its length and its first and last 8 bytes (equal keys have equal
/// prints; unequal keys almost always differ). A key of fewer than 8 bytes is read in two
/// overlapping loads (4 bytes at each end, or its first, middle and last byte), not byte by
/// byte: those cover every byte, so unequal short keys differ.
fn key_print(key: &str) -> u64 {
    let bytes = key.as_bytes();
    let len = bytes.len();
    let word =
        |at: usize| bytes.get(at..at + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()).map_or(0, u64::from_le_bytes);
    let half =
        |at: usize| bytes.get(at..at + 4).and_then(|w| <[u8; 4]>::try_from(w).ok()).map_or(0, u32::from_le_bytes);
    let byte = |at: usize| bytes.get(at).copied().map_or(0, u64::from);
    if len >= 8 {
        word(0) ^ word(len - 8).rotate_left(29) ^ ((len as u64) << 56)
    } else if len >= 4 {
        (u64::from(half(0)) | (u64::from(half(len - 4)) << 32)) ^ ((len as u64) << 56)
    } else if len > 0 {
        byte(0) | (byte(len / 2) << 8) | (byte(len - 1) << 16) | ((len as u64) << 56)
    } else {
        0
    }
}

/// Which part of a pointed-at value a span should cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// The value itself.
    Value,
    /// The key of the member the pointer names (the value for array elements and the root).
    Key,
    /// The first byte of the value (the opening `{` of an object that lacks a member).
    Opening,
    /// Bytes `start..end` of the decoded string value, when the raw text has no escapes;
    /// otherwise the whole value.
    Substring { start: usize, end: usize },
}

/// Which of several members with the same key a pointer token selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Occurrence {
    /// The last one, the member a JSON reader keeps.
    #[default]
    Last,
    /// The n-th one (0-based) in source order, for duplicate-key findings.
    Nth(usize),
    /// The one whose key starts at this byte offset (members are in source order, so it is
    /// found by binary search: exact and fast for objects with many members).
    KeyAt(usize),
}

/// The one function that turns a pointer into a byte span. `text` is the text `root` was
/// parsed from (its spans index into it); `occurrence` applies to the last token.
pub fn span(root: &Node<'_>, text: &str, pointer: &str, part: Part, occurrence: Occurrence) -> Option<Span> {
    Spans::new(root).span(text, pointer, part, occurrence)
}

/// [`span`] for many pointers into one tree: an object of many members gets an index of its
/// keys the first time a pointer passes through it, so that resolving a finding per member
/// (80,000 unknown parameters of one record) is linear, not quadratic.
pub struct Spans<'n> {
    root: &'n Node<'n>,
    /// Per object (by the offset of its `{`): each key's members, in source order.
    keys: std::collections::HashMap<usize, std::collections::HashMap<&'n str, Vec<usize>>>,
}

/// Objects with at most this many members are searched member by member.
const SMALL_OBJECT: usize = 32;

impl<'n> Spans<'n> {
    pub fn new(root: &'n Node<'n>) -> Self {
        Spans { root, keys: std::collections::HashMap::new() }
    }

    /// The member `token` selects among `members` (the object at `at`).
    fn member(
        &mut self,
        at: usize,
        members: &'n [Member<'n>],
        token: &str,
        nth: Option<usize>,
    ) -> Option<&'n Member<'n>> {
        if members.len() <= SMALL_OBJECT {
            let mut matching = members.iter().filter(|m| &*m.key == token);
            return match nth {
                Some(n) => matching.nth(n),
                None => matching.next_back(),
            };
        }
        let index = self.keys.entry(at).or_insert_with(|| {
            let mut index: std::collections::HashMap<&'n str, Vec<usize>> = std::collections::HashMap::new();
            for (i, m) in members.iter().enumerate() {
                index.entry(&*m.key).or_default().push(i);
            }
            index
        });
        let positions = index.get(token)?;
        let i = match nth {
            Some(n) => positions.get(n),
            None => positions.last(),
        }?;
        members.get(*i)
    }

    /// The span `pointer` names; `text` is the text the tree was parsed from.
    pub fn span(&mut self, text: &str, pointer: &str, part: Part, occurrence: Occurrence) -> Option<Span> {
        let tokens = Pointer::tokens(pointer)?;
        let mut node = self.root;
        let mut key_span = None;
        let count = tokens.len();
        for (i, token) in tokens.iter().enumerate() {
            let last = i + 1 == count;
            match &node.value {
                Value::Object(members) => {
                    let member = match (last, occurrence) {
                        (true, Occurrence::KeyAt(start)) => members
                            .binary_search_by_key(&start, |m| m.key_span.start)
                            .ok()
                            .and_then(|i| members.get(i))
                            .filter(|m| &*m.key == token.as_str()),
                        (true, Occurrence::Nth(n)) => self.member(node.span.start, members, token, Some(n)),
                        _ => self.member(node.span.start, members, token, None),
                    }?;
                    key_span = Some(member.key_span);
                    node = &member.value;
                }
                Value::Array(items) => {
                    let index: usize = Pointer::index_of(token)?;
                    node = items.get(index)?;
                    key_span = None;
                }
                _ => return None,
            }
        }
        Some(match part {
            Part::Value => node.span,
            Part::Key => key_span.unwrap_or(node.span),
            Part::Opening => Span::new(node.span.start, (node.span.start + 1).min(node.span.end)),
            Part::Substring { start, end } => substring_span(text, node, start, end),
        })
    }
}

fn substring_span(text: &str, node: &Node<'_>, start: usize, end: usize) -> Span {
    let Value::String(decoded) = &node.value else {
        return node.span;
    };
    // A plain YAML scalar (a ROS template) is spanned without quotes.
    let bare = text.get(node.span.start..node.span.end) == Some(&**decoded);
    let inner = if bare { node.span } else { Span::new(node.span.start + 1, node.span.end.saturating_sub(1)) };
    let raw = text.get(inner.start..inner.end);
    if raw == Some(&**decoded) && start <= end && end <= decoded.len() {
        Span::new(inner.start + start, inner.start + end)
    } else {
        node.span
    }
}

#[cfg(test)]
mod tests;
