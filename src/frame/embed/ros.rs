//! ROS templates (JSON; YAML is read into the same tree by [`super::yaml`]) and Terraform's
//! JSON syntax (`.tf.json`).

use super::builder::Builder;
use super::hcl::ATTRIBUTES;
use super::template::{json_string, Piece};
use super::{Body, Embedded, Extraction, Host, Language};
use crate::json::{self, Member, Node, Span, Value};

/// The policy properties of each ROS resource type: (type, property, language), as the ROS
/// resource reference documents them (`docs/policy-languages.md` lists the pages); `Policies`
/// is a list of `{PolicyName, PolicyDocument}`.
const PROPERTIES: &[(&str, &str, Language)] = &[
    ("ALIYUN::CloudSSO::PermissionPolicyToAccessConfigurationAddition", "InlinePolicyDocument", Language::Ram),
    ("ALIYUN::KMS::Key", "Policy", Language::KmsKey),
    ("ALIYUN::OSS::Bucket", "Policy", Language::OssBucket),
    ("ALIYUN::RAM::Group", "Policies", Language::Ram),
    ("ALIYUN::RAM::ManagedPolicy", "PolicyDocument", Language::Ram),
    ("ALIYUN::RAM::Role", "AssumeRolePolicyDocument", Language::Trust),
    ("ALIYUN::RAM::Role", "Policies", Language::Ram),
    ("ALIYUN::RAM::User", "Policies", Language::Ram),
    ("ALIYUN::ResourceManager::ControlPolicy", "PolicyDocument", Language::Control),
    ("ALIYUN::VPC::VpcGatewayEndpoint", "PolicyDocument", Language::VpcEndpoint),
];

/// Nesting followed when replacing intrinsic functions (the JSON parser bounds it already).
const MAX_DEPTH: usize = 256;

pub fn extract_json(text: &str) -> Extraction {
    match json::parse(text) {
        Ok(root) => from_tree(&root, text, Host::Ros),
        Err(e) => Extraction {
            host: Host::Ros,
            documents: Vec::new(),
            error: Some((format!("the template is not valid JSON: {}", e.message), e.span)),
        },
    }
}

/// The documents of a ROS template read into a tree whose spans index `text`.
pub fn from_tree(root: &Node, text: &str, host: Host) -> Extraction {
    let mut documents = Vec::new();
    let resources = root.get("Resources").and_then(|m| m.value.as_object()).unwrap_or_default();
    for resource in resources {
        let kind = resource.value.get("Type").and_then(|m| m.value.as_str()).unwrap_or_default();
        let Some(properties) = resource.value.get("Properties") else {
            continue;
        };
        for (_, property, language) in PROPERTIES.iter().filter(|(t, _, _)| *t == kind) {
            let Some(member) = properties.value.get(property) else {
                continue;
            };
            let path = format!("Resources.{}.Properties.{property}", resource.key);
            if *property == "Policies" {
                for (i, item) in member.value.as_array().unwrap_or_default().iter().enumerate() {
                    if let Some(doc) = item.get("PolicyDocument") {
                        let resource = format!("{path}[{i}].PolicyDocument");
                        documents.extend(document(&doc.value, text, resource, *language));
                    }
                }
            } else {
                documents.extend(document(&member.value, text, path, *language));
            }
        }
    }
    Extraction { host, documents, error: None }
}

/// A policy property: an object (intrinsic functions made unknown) or a string holding JSON.
fn document(node: &Node, text: &str, resource: String, language: Language) -> Option<Embedded> {
    let body = match &node.value {
        Value::Object(_) if intrinsic(node).is_none() => {
            let mut unknown = Vec::new();
            let root = unknowns(node, text, &mut unknown, 0);
            Body::Tree { root, unknown }
        }
        Value::String(_) => string_document(node, text, false)?,
        _ => return None,
    };
    Some(Embedded { resource, language, body })
}

/// A JSON document held in a string value of the host: a JSON string literal is decoded piece
/// by piece; another form (a YAML block scalar) is found line by line in the host.
pub fn string_document(node: &Node, text: &str, templates: bool) -> Option<Body> {
    let value = node.as_str()?;
    let pieces = json_string(text, node.span, templates).unwrap_or_else(|| find_lines(value, text, node.span));
    let mut b = Builder::default();
    b.json_pieces(&pieces);
    Some(Body::Text { text: b.text, map: b.map, unknown: b.unknown, directives: b.directives })
}

/// The lines of `value` found in order in `host` within `span` (a YAML block scalar drops
/// the indentation): each found line is exact, the rest stands for the whole scalar.
fn find_lines(value: &str, host: &str, span: Span) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut cursor = span.start;
    for line in value.split_inclusive('\n') {
        let content = line.trim_end_matches('\n');
        let found = host.get(cursor..span.end).and_then(|h| h.find(content)).filter(|_| !content.is_empty());
        match found {
            Some(at) => {
                let start = cursor + at;
                out.push(piece(content, Span::new(start, start + content.len()), true));
                cursor = start + content.len();
                if line.ends_with('\n') {
                    out.push(piece("\n", Span::new(cursor, cursor), false));
                }
            }
            None => out.push(piece(line, span, false)),
        }
    }
    out
}

fn piece(text: &str, host: Span, exact: bool) -> Piece {
    Piece { text: text.to_string(), host, exact, unknown: false, directive: false }
}

/// The intrinsic function an object is (`{"Ref": ...}`, `{"Fn::Sub": ...}`), if it is one.
fn intrinsic<'n>(node: &'n Node<'n>) -> Option<&'n Member<'n>> {
    match node.as_object()? {
        [only] if &*only.key == "Ref" || only.key.starts_with("Fn::") => Some(only),
        _ => None,
    }
}

/// A copy of `node` with each intrinsic function replaced by a string that is an unknown value
/// (`Fn::Sub` keeps its literal text: only its `${...}` parts are unknown).
fn unknowns(node: &Node<'_>, text: &str, unknown: &mut Vec<Span>, depth: usize) -> Node<'static> {
    if let Some(function) = intrinsic(node).filter(|_| depth < MAX_DEPTH) {
        if &*function.key == "Fn::Sub" {
            // `Fn::Sub: "text"` or `Fn::Sub: ["text", {variables}]`.
            let template = match function.value.as_array() {
                Some(items) => items.first(),
                None => Some(&function.value),
            };
            if let Some((s, node)) = template.and_then(|n| Some((n.as_str()?, n))) {
                sub_parts(s, node.span, text, unknown);
                return node.clone().into_owned();
            }
        }
        unknown.push(node.span);
        let stand_in = format!("${{{}}}", function.key);
        return Node { value: Value::String(stand_in.into()), span: node.span };
    }
    let value = match &node.value {
        Value::Array(items) if depth < MAX_DEPTH => {
            Value::Array(items.iter().map(|n| unknowns(n, text, unknown, depth + 1)).collect())
        }
        Value::Object(members) if depth < MAX_DEPTH => Value::Object(
            members
                .iter()
                .map(|m| Member {
                    key: m.key.to_string().into(),
                    key_span: m.key_span,
                    value: unknowns(&m.value, text, unknown, depth + 1),
                })
                .collect(),
        ),
        other => other.clone().into_owned(),
    };
    Node { value, span: node.span }
}

/// The `${...}` parts of an `Fn::Sub` string: exact spans when the string is written without
/// escapes, otherwise the whole string.
fn sub_parts(value: &str, span: Span, text: &str, unknown: &mut Vec<Span>) {
    // A quoted string (JSON, quoted YAML) or a plain YAML scalar.
    let quoted = Span::new(span.start + 1, span.end.saturating_sub(1));
    let inner = if text.get(span.start..span.end) == Some(value) { span } else { quoted };
    let exact = text.get(inner.start..inner.end) == Some(value);
    let mut from = 0;
    while let Some(at) = value.get(from..).and_then(|v| v.find("${")) {
        let start = from + at;
        let end = value.get(start..).and_then(|v| v.find('}')).map_or(value.len(), |e| start + e + 1);
        if !exact {
            unknown.push(span);
            return;
        }
        unknown.push(Span::new(inner.start + start, inner.start + end));
        from = end;
    }
}

/// Terraform's JSON syntax: `{"resource": {"alicloud_ram_policy": {"name": {"policy_document":
/// "..."}}}}`; strings may hold `${...}` template parts.
pub fn terraform_json(text: &str) -> Extraction {
    let mut out = Extraction { host: Host::Terraform, documents: Vec::new(), error: None };
    let root = match json::parse(text) {
        Ok(root) => root,
        Err(e) => {
            out.error = Some((format!("the Terraform file is not valid JSON: {}", e.message), e.span));
            return out;
        }
    };
    let kinds = root.get("resource").and_then(|m| m.value.as_object()).unwrap_or_default();
    for kind in kinds {
        let Some((_, attributes, language)) = ATTRIBUTES.iter().find(|(k, _, _)| *k == &*kind.key) else {
            continue;
        };
        for resource in kind.value.as_object().unwrap_or_default() {
            for attribute in *attributes {
                for (path, value) in super::attribute_values(&resource.value, attribute) {
                    if let Some(body) = string_document(value, text, true) {
                        let resource = format!("{}.{}.{path}", kind.key, resource.key);
                        out.documents.push(Embedded { resource, language: *language, body });
                    }
                }
            }
        }
    }
    out
}
