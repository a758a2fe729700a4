//! ROS templates in YAML, read with `saphyr` (its `MarkedYaml` keeps the start and end of
//! every node) into the spanned JSON tree the rules read.

use super::ros::from_tree;
use super::{Extraction, Host};
use crate::json::{Member, Node, Span, Value};
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

/// Nesting followed (deeper values become null).
const MAX_DEPTH: usize = 128;

pub fn extract(text: &str) -> Extraction {
    let lines = Lines::new(text);
    match MarkedYaml::load_from_str(text) {
        Ok(documents) => match documents.first() {
            Some(doc) => from_tree(&node(doc, &lines, 0), text, Host::Ros),
            None => Extraction { host: Host::Ros, documents: Vec::new(), error: None },
        },
        Err(e) => {
            let m = e.marker();
            let at = lines.offset(m.line(), m.col());
            Extraction {
                host: Host::Ros,
                documents: Vec::new(),
                error: Some((format!("the template is not valid YAML: {}", e.info()), Span::new(at, at))),
            }
        }
    }
}

/// Line starts of a text, to turn a marker's line and column (in characters) into a byte offset.
struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Lines { text, starts }
    }

    /// Byte offset of 1-based `line` and 0-based character `column`.
    fn offset(&self, line: usize, column: usize) -> usize {
        let start = self.starts.get(line.saturating_sub(1)).copied().unwrap_or(self.text.len());
        let rest = self.text.get(start..).unwrap_or_default();
        start + rest.char_indices().nth(column).map_or(rest.len(), |(i, _)| i)
    }

    fn span(&self, y: &MarkedYaml<'_>) -> Span {
        let start = self.offset(y.span.start.line(), y.span.start.col());
        let end = self.offset(y.span.end.line(), y.span.end.col());
        Span::new(start, end.max(start))
    }
}

fn node(y: &MarkedYaml<'_>, lines: &Lines<'_>, depth: usize) -> Node<'static> {
    let span = lines.span(y);
    let value = match &y.data {
        _ if depth > MAX_DEPTH => Value::Null,
        YamlData::Value(scalar) => scalar_value(scalar),
        YamlData::Representation(text, _, _) => Value::String(text.to_string().into()),
        YamlData::Sequence(items) => Value::Array(items.iter().map(|i| node(i, lines, depth + 1)).collect()),
        YamlData::Mapping(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Member {
                    key: key_text(k).into(),
                    key_span: lines.span(k),
                    value: node(v, lines, depth + 1),
                })
                .collect(),
        ),
        // A tag (`!Ref`, `!Sub`) is a template function: an object like its long form.
        YamlData::Tagged(tag, inner) => {
            let key = format!("Fn::{}", tag.suffix);
            let key = if tag.suffix == "Ref" { "Ref".to_string() } else { key };
            Value::Object(vec![Member { key: key.into(), key_span: span, value: node(inner, lines, depth + 1) }])
        }
        _ => Value::Null,
    };
    Node { value, span }
}

fn scalar_value(scalar: &Scalar<'_>) -> Value<'static> {
    match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(*b),
        Scalar::Integer(i) => Value::Number(i.to_string().into()),
        Scalar::FloatingPoint(f) => Value::Number(f.to_string().into()),
        Scalar::String(s) => Value::String(s.to_string().into()),
    }
}

fn key_text(k: &MarkedYaml<'_>) -> String {
    match &k.data {
        YamlData::Value(Scalar::String(s)) => s.to_string(),
        YamlData::Value(Scalar::Integer(i)) => i.to_string(),
        YamlData::Value(Scalar::Boolean(b)) => b.to_string(),
        YamlData::Representation(text, _, _) => text.to_string(),
        _ => String::new(),
    }
}
