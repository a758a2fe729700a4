//! Terraform configurations (`.tf`), parsed with `hcl-edit` (it keeps the byte span of every
//! expression): the policy attributes of the RAM and Resource Manager resources, and the
//! `alicloud_ram_policy_document` data source built from its `statement` blocks.

use super::builder::Builder;
use super::template::pieces;
use super::{Body, Embedded, Extraction, Host, Language};
use crate::json::Span;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, Body as HclBody};

/// The policy attributes of each resource type, and the language of what they hold, as the
/// provider's `website/docs/r/<type>.html.markdown` documents them (`docs/policy-languages.md`
/// lists the sources). `block.attribute` is an attribute of each nested `block {}`.
pub(super) const ATTRIBUTES: &[(&str, &[&str], Language)] = &[
    // Inline policies of a CloudSSO access configuration (`permission_policy_type = "Inline"`;
    // a system policy has no document): RAM policies.
    ("alicloud_cloud_sso_access_configuration", &["permission_policies.permission_policy_document"], Language::Ram),
    ("alicloud_kms_key", &["policy"], Language::KmsKey),
    ("alicloud_oss_access_point_policy", &["policy"], Language::OssBucket),
    // `policy` of the bucket itself: deprecated since provider 1.220.0, still in real configurations.
    ("alicloud_oss_bucket", &["policy"], Language::OssBucket),
    ("alicloud_oss_bucket_policy", &["policy"], Language::OssBucket),
    ("alicloud_ram_policy", &["policy_document", "document"], Language::Ram),
    ("alicloud_ram_role", &["assume_role_policy_document", "document"], Language::Trust),
    ("alicloud_resource_manager_control_policy", &["policy_document"], Language::Control),
    ("alicloud_resource_manager_policy", &["policy_document"], Language::Ram),
    ("alicloud_resource_manager_role", &["assume_role_policy_document"], Language::Trust),
    ("alicloud_ros_stack", &["stack_policy_body", "stack_policy_during_update_body"], Language::RosStack),
    ("alicloud_vpc_gateway_endpoint", &["policy_document"], Language::VpcEndpoint),
];

/// Nesting of `jsonencode` values followed (deeper values are unknown).
const MAX_DEPTH: usize = 64;

fn span_of(x: &impl hcl_edit::Span) -> Span {
    // Offsets of the parsed tree, moved back over the heredoc bodies the parser skipped.
    x.span().map_or(Span::default(), |r| Span::new(super::heredoc::original(r.start), super::heredoc::original(r.end)))
}

pub fn extract(text: &str) -> Extraction {
    let mut out = Extraction { host: Host::Terraform, documents: Vec::new(), error: None };
    // `_mapped` keeps the tree's offsets mapped to `text` while the tree is read.
    let (body, _mapped) = match super::heredoc::parse(text) {
        Ok(parsed) => parsed,
        Err(e) => {
            let at = e.location().offset().min(text.len());
            out.error = Some((format!("the Terraform file does not parse: {}", e.message()), Span::new(at, at)));
            return out;
        }
    };
    for block in body.iter().filter_map(|s| s.as_block()) {
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        match (block.ident.as_str(), labels.as_slice()) {
            ("resource", [kind, name]) => resource(text, block, kind, name, &mut out.documents),
            ("data", ["alicloud_ram_policy_document", name]) => {
                let address = format!("data.alicloud_ram_policy_document.{name}");
                out.documents.push(policy_document(text, block, address));
            }
            _ => {}
        }
    }
    out
}

fn resource(text: &str, block: &Block, kind: &str, name: &str, out: &mut Vec<Embedded>) {
    let Some((_, attributes, language)) = ATTRIBUTES.iter().find(|(k, _, _)| *k == kind) else {
        return;
    };
    for attribute in *attributes {
        if let Some((nested, inner)) = attribute.split_once('.') {
            // `permission_policies { permission_policy_document = ... }`, each block in turn.
            for (i, item) in block.body.get_blocks(nested).enumerate() {
                if let Some(body) = item.body.get_attribute(inner).and_then(|a| document(text, &a.value)) {
                    let resource = format!("{kind}.{name}.{nested}[{i}].{inner}");
                    out.push(Embedded { resource, language: *language, body });
                }
            }
            continue;
        }
        let Some(attr) = block.body.get_attribute(attribute) else {
            continue;
        };
        let resource = format!("{kind}.{name}.{attribute}");
        if let Some(body) = document(text, &attr.value) {
            out.push(Embedded { resource, language: *language, body });
        }
    }
    if kind == "alicloud_ram_policy" {
        if let Some(body) = legacy_statements(text, block) {
            out.push(Embedded { resource: format!("{kind}.{name}.statement"), language: *language, body });
        }
    }
}

/// The older syntax of `alicloud_ram_policy` (deprecated since provider 1.49.0, still in real
/// configurations): `statement { effect, action, resource }` blocks or a `statement = [{...}]`
/// list, with `version` (default `"1"`), rebuilt into the document the provider sends, with
/// positions at the HCL values. `None` when the resource has neither form.
fn legacy_statements(text: &str, block: &Block) -> Option<Body> {
    let blocks = nested(&block.body, "statement");
    let list = block.body.get_attribute("statement");
    if blocks.is_empty() && list.is_none() {
        return None;
    }
    let mut b = Builder::default();
    let ident = span_of(&block.ident);
    document_head(text, block, &mut b, ident);
    let mut any = false;
    for statement in &blocks {
        b.punct(if any { "," } else { ":[" }, statement.at);
        any = true;
        let at = statement.at;
        b.punct("{", at);
        let mut first = true;
        for (name, key) in LEGACY_KEYS {
            attribute_or(text, statement.body, name, key, &mut b, &mut first);
        }
        b.punct("}", at);
    }
    if let Some(attr) = list {
        match &attr.value {
            Expression::Array(items) => {
                for item in items.iter() {
                    b.punct(if any { "," } else { ":[" }, span_of(item));
                    any = true;
                    legacy_object(text, item, &mut b);
                }
            }
            // A variable or a `for` expression: one unknown statement.
            other => {
                b.punct(if any { "," } else { ":[" }, span_of(other));
                any = true;
                legacy_object(text, other, &mut b);
            }
        }
    }
    if !any {
        b.punct(":[", ident);
    }
    let whole = span_of(block);
    b.punct("]}", Span::new(whole.end.saturating_sub(1), whole.end));
    Some(Body::Text { text: b.text, map: b.map, unknown: b.unknown, directives: b.directives })
}

/// The attributes of an older `statement` and the document keys they become.
const LEGACY_KEYS: [(&str, &str); 3] = [("effect", "Effect"), ("action", "Action"), ("resource", "Resource")];

/// One element of a `statement = [...]` list: an object whose `effect`, `action` and
/// `resource` become the statement's members (anything else is an unknown value).
fn legacy_object(text: &str, expr: &Expression, b: &mut Builder) {
    let at = span_of(expr);
    let Expression::Object(object) = expr else {
        let raw = text.get(at.start..at.end).unwrap_or_default();
        b.unknown_value(raw, at);
        return;
    };
    b.punct("{", Span::new(at.start, at.start + 1));
    let mut first = true;
    for (key, v) in object.iter() {
        let name = match key {
            ObjectKey::Ident(ident) => ident.as_str().to_string(),
            ObjectKey::Expression(Expression::String(s)) => s.as_str().to_string(),
            ObjectKey::Expression(_) => continue,
        };
        let Some((_, json_key)) = LEGACY_KEYS.iter().find(|(n, _)| *n == name) else {
            continue;
        };
        let key_at = match key {
            ObjectKey::Ident(ident) => span_of(ident),
            ObjectKey::Expression(k) => span_of(k),
        };
        if !std::mem::take(&mut first) {
            b.punct(",", key_at);
        }
        quoted_name_as(b, json_key, key_at);
        b.punct(":", key_at);
        value(text, v.expr(), b, 1);
    }
    b.punct("}", Span::new(at.end.saturating_sub(1), at.end));
}

/// The document an attribute's expression holds, when it is one this reader can see.
fn document(text: &str, expr: &Expression) -> Option<Body> {
    let at = span_of(expr);
    match expr {
        Expression::String(_) | Expression::StringTemplate(_) | Expression::HeredocTemplate(_) => {
            let mut b = Builder::default();
            b.json_pieces(&pieces(text, at)?);
            Some(Body::Text { text: b.text, map: b.map, unknown: b.unknown, directives: b.directives })
        }
        Expression::Parenthesis(p) => document(text, p.inner()),
        Expression::FuncCall(call) => {
            let name = call.name.name.as_str();
            let first = call.args.iter().next()?;
            match name {
                "jsonencode" => {
                    let mut b = Builder::default();
                    value(text, first, &mut b, 0);
                    Some(Body::Text { text: b.text, map: b.map, unknown: b.unknown, directives: b.directives })
                }
                "file" | "templatefile" => {
                    let pieces = pieces(text, span_of(first))?;
                    // `"${path.module}/policy.json"`: the path beside the configuration.
                    let path: String = pieces
                        .iter()
                        .skip_while(|p| p.unknown && p.text.starts_with("${path."))
                        .map(|p| if p.unknown { None } else { Some(p.text.as_str()) })
                        .collect::<Option<String>>()?;
                    let path = path.trim_start_matches('/').to_string();
                    (!path.is_empty()).then_some(Body::File { path, at })
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Appends the JSON form of an HCL value (inside `jsonencode`).
fn value(text: &str, expr: &Expression, b: &mut Builder, depth: usize) {
    let at = span_of(expr);
    let raw = text.get(at.start..at.end).unwrap_or_default();
    if depth > MAX_DEPTH {
        b.unknown_value(raw, at);
        return;
    }
    match expr {
        Expression::Null(_) => b.push("null", at, false),
        Expression::Bool(v) => b.push(if **v { "true" } else { "false" }, at, false),
        Expression::Number(_) => match serde_json::from_str::<serde_json::Number>(raw) {
            Ok(n) => b.push(&n.to_string(), at, false),
            Err(_) => b.unknown_value(raw, at),
        },
        Expression::String(_) | Expression::StringTemplate(_) | Expression::HeredocTemplate(_) => {
            match pieces(text, at) {
                Some(p) => b.string_pieces(&p, at),
                None => b.unknown_value(raw, at),
            }
        }
        Expression::Parenthesis(p) => value(text, p.inner(), b, depth + 1),
        Expression::Array(items) => {
            b.punct("[", Span::new(at.start, at.start + 1));
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    b.punct(",", Span::new(at.start, at.start));
                }
                value(text, item, b, depth + 1);
            }
            b.punct("]", Span::new(at.end.saturating_sub(1), at.end));
        }
        Expression::Object(object) => {
            b.punct("{", Span::new(at.start, at.start + 1));
            for (i, (key, v)) in object.iter().enumerate() {
                if i > 0 {
                    b.punct(",", Span::new(at.start, at.start));
                }
                match key {
                    ObjectKey::Ident(ident) => quoted_name(b, ident.as_str(), span_of(ident)),
                    ObjectKey::Expression(k) => value(text, k, b, depth + 1),
                }
                b.punct(":", Span::new(at.start, at.start));
                value(text, v.expr(), b, depth + 1);
            }
            b.punct("}", Span::new(at.end.saturating_sub(1), at.end));
        }
        _ => b.unknown_value(raw, at),
    }
}

/// A key or value written as an HCL identifier (`Effect = ...`, a block's name).
fn quoted_name(b: &mut Builder, name: &str, at: Span) {
    b.punct("\"", Span::new(at.start, at.start));
    b.push(&super::builder::escape(name), at, true);
    b.punct("\"", Span::new(at.end, at.end));
}

/// An attribute's value, or `default` standing for the block that lacks it.
fn attribute_or(text: &str, body: &HclBody, name: &str, json_key: &str, b: &mut Builder, first: &mut bool) {
    let Some(attr) = body.get_attribute(name) else {
        return;
    };
    if !std::mem::take(first) {
        b.punct(",", span_of(&attr.key));
    }
    quoted_name_as(b, json_key, span_of(&attr.key));
    b.punct(":", span_of(&attr.key));
    value(text, &attr.value, b, 1);
}

/// A JSON key named `json_key` that stands for the HCL name at `at`.
fn quoted_name_as(b: &mut Builder, json_key: &str, at: Span) {
    b.punct("\"", Span::new(at.start, at.start));
    b.push(json_key, at, false);
    b.punct("\"", Span::new(at.end, at.end));
}

/// A nested block of a policy as written (`statement`, `principal`, `condition`), or the
/// `content` of a `dynamic "<name>"` block, which is the template of every block it generates
/// (its `for_each` may make none, one or many; each looks like `content`, with the iterator's
/// values unknown). `at` is the block's keyword (`statement` or `dynamic`).
struct Nested<'a> {
    at: Span,
    body: &'a HclBody,
}

/// The `name` blocks of `body` and the contents of its `dynamic "name"` blocks, in source order.
fn nested<'a>(body: &'a HclBody, name: &str) -> Vec<Nested<'a>> {
    body.blocks()
        .filter_map(|block| {
            if block.has_ident(name) {
                return Some(Nested { at: span_of(&block.ident), body: &block.body });
            }
            let generates = block.has_ident("dynamic") && block.labels.first().is_some_and(|l| l.as_str() == name);
            let content = block.body.get_blocks("content").next().filter(|_| generates)?;
            Some(Nested { at: span_of(&block.ident), body: &content.body })
        })
        .collect()
}

/// `{"Version": <version or the provider's default "1">, "Statement"` of a document rebuilt from
/// a block's `version` attribute and `statement` blocks.
fn document_head(text: &str, block: &Block, b: &mut Builder, ident: Span) {
    b.punct("{", ident);
    match block.body.get_attribute("version") {
        Some(attr) => {
            quoted_name_as(b, "Version", span_of(&attr.key));
            b.punct(":", span_of(&attr.key));
            value(text, &attr.value, b, 1);
        }
        // The provider's default version.
        None => b.push("\"Version\":\"1\"", ident, false),
    }
    b.punct(",", ident);
    b.push("\"Statement\"", ident, false);
}

/// The `alicloud_ram_policy_document` data source: `version` and `statement` blocks (`effect`,
/// `action`, `resource`, `principal {entity, identifiers}`, `condition {operator, variable,
/// values}`), as the provider renders them into a policy document.
fn policy_document(text: &str, block: &Block, resource: String) -> Embedded {
    let mut b = Builder::default();
    let whole = span_of(block);
    let ident = span_of(&block.ident);
    document_head(text, block, &mut b, ident);
    b.punct(":[", ident);
    let mut trust = false;
    for (i, statement) in nested(&block.body, "statement").iter().enumerate() {
        if i > 0 {
            b.punct(",", statement.at);
        }
        let at = statement.at;
        b.punct("{", at);
        let body = statement.body;
        let mut first = true;
        if body.get_attribute("effect").is_none() {
            // The provider's default effect.
            b.push("\"Effect\":\"Allow\"", at, false);
            first = false;
        }
        attribute_or(text, body, "effect", "Effect", &mut b, &mut first);
        attribute_or(text, body, "action", "Action", &mut b, &mut first);
        attribute_or(text, body, "resource", "Resource", &mut b, &mut first);
        let principals = nested(body, "principal");
        if !principals.is_empty() {
            trust = true;
            members(text, &mut b, &mut first, "Principal", &principals, "entity", "identifiers", None);
        }
        let conditions = nested(body, "condition");
        if !conditions.is_empty() {
            members(text, &mut b, &mut first, "Condition", &conditions, "operator", "variable", Some("values"));
        }
        b.punct("}", at);
    }
    b.punct("]}", Span::new(whole.end.saturating_sub(1), whole.end));
    let language = if trust { Language::Trust } else { Language::Ram };
    Embedded {
        resource,
        language,
        body: Body::Text { text: b.text, map: b.map, unknown: b.unknown, directives: b.directives },
    }
}

/// `"Principal": {entity: identifiers}` or `"Condition": {operator: {variable: values}}` from
/// blocks (blocks with the same `group` value share one member, as in the provider).
#[allow(clippy::too_many_arguments, reason = "the two block shapes differ only by names")]
fn members(
    text: &str,
    b: &mut Builder,
    first: &mut bool,
    json_key: &str,
    blocks: &[Nested<'_>],
    group: &str,
    key: &str,
    values: Option<&str>,
) {
    let at = blocks.first().map(|x| x.at).unwrap_or_default();
    if !std::mem::take(first) {
        b.punct(",", at);
    }
    quoted_name_as(b, json_key, at);
    b.punct(":{", at);
    // Group in source order by the literal text of the group attribute.
    let mut groups: Vec<(String, Vec<&Nested<'_>>)> = Vec::new();
    for block in blocks {
        let name = block
            .body
            .get_attribute(group)
            .map(|a| {
                let s = span_of(&a.value);
                text.get(s.start..s.end).unwrap_or_default().to_string()
            })
            .unwrap_or_default();
        match groups.iter_mut().find(|(n, _)| *n == name) {
            Some((_, list)) => list.push(block),
            None => groups.push((name, vec![block])),
        }
    }
    for (g, (_, list)) in groups.iter().enumerate() {
        let Some(head) = list.first() else {
            continue;
        };
        if g > 0 {
            b.punct(",", head.at);
        }
        match head.body.get_attribute(group) {
            Some(attr) => value(text, &attr.value, b, 1),
            None => quoted_name_as(b, "", head.at),
        }
        b.punct(":", head.at);
        match values {
            // Principal: the identifiers of every block of the group, one list.
            None => {
                b.punct("[", head.at);
                let mut any = false;
                for block in list {
                    if let Some(attr) = block.body.get_attribute(key) {
                        if any {
                            b.punct(",", span_of(&attr.key));
                        }
                        list_items(text, &attr.value, b);
                        any = true;
                    }
                }
                b.punct("]", head.at);
            }
            Some(values) => {
                b.punct("{", head.at);
                for (i, block) in list.iter().enumerate() {
                    if i > 0 {
                        b.punct(",", block.at);
                    }
                    match block.body.get_attribute(key) {
                        Some(attr) => value(text, &attr.value, b, 1),
                        None => quoted_name_as(b, "", block.at),
                    }
                    b.punct(":", block.at);
                    match block.body.get_attribute(values) {
                        Some(attr) => value(text, &attr.value, b, 1),
                        None => b.punct("[]", block.at),
                    }
                }
                b.punct("}", head.at);
            }
        }
    }
    b.punct("}", at);
}

/// The items of a list expression without its brackets (an unknown list is one unknown item).
fn list_items(text: &str, expr: &Expression, b: &mut Builder) {
    match expr {
        Expression::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    b.punct(",", span_of(item));
                }
                value(text, item, b, 1);
            }
        }
        other => value(text, other, b, 1),
    }
}
