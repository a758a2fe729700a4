//! Policies where they live: documents embedded in Terraform configurations (`.tf`,
//! `.tf.json`), ROS templates (JSON and YAML) and Terraform plans (`terraform show -json`).
//!
//! Each embedded document is handed to the policy rules as a JSON tree with its own spans, and
//! a way back to the host file: a derived text with a [`PosMap`] (heredocs, quoted strings,
//! HCL built documents, strings of a plan), or a tree whose spans already index the host (ROS
//! templates). Template parts (`${...}`, `%{...}`, `Fn::Sub`, `Ref`, ...) are unknown values:
//! their spans are listed so that no finding judges them.

mod builder;
mod hcl;
mod heredoc;
mod plan;
mod ros;
mod template;
mod yaml;

pub use builder::Builder;

use crate::json::{Member, Node, PosMap, Span, Value};

/// The kind of host file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    Terraform,
    Ros,
    Plan,
}

impl Host {
    /// The kind reported in the `files` list of the JSON report.
    pub fn kind(self) -> &'static str {
        match self {
            Host::Terraform => "terraform",
            Host::Ros => "ros-template",
            Host::Plan => "terraform-plan",
        }
    }

    /// Why a file of this host was skipped when it holds no policy.
    pub fn nothing(self) -> &'static str {
        match self {
            Host::Terraform => "no RAM policy in this Terraform file",
            Host::Ros => "not a ROS template, or no RAM policy in it",
            Host::Plan => "no RAM policy in this Terraform plan",
        }
    }
}

/// The policy language an embedded document is written in, from the attribute that holds it
/// (`assume_role_policy_document` is a trust policy, `alicloud_oss_bucket_policy.policy` an OSS
/// bucket policy): the provider or ROS resource reference says it, so the content is not asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Ram,
    Trust,
    Control,
    OssBucket,
    VpcEndpoint,
    KmsKey,
    RosStack,
}

impl Language {
    /// The contract's kind name (as `model::Language::name`).
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Ram => "ram-policy",
            Language::Trust => "trust-policy",
            Language::Control => "control-policy",
            Language::OssBucket => "oss-bucket-policy",
            Language::VpcEndpoint => "vpc-endpoint-policy",
            Language::KmsKey => "kms-key-policy",
            Language::RosStack => "ros-stack-policy",
        }
    }
}

/// The language of the document a Terraform resource address names
/// (`alicloud_oss_bucket_policy.b.policy`, `alicloud_cloud_sso_access_configuration.c.permission_policies[0].permission_policy_document`),
/// from the attribute table; `None` for an address the table does not hold.
pub fn language_of(address: &str) -> Option<Language> {
    let (kind, rest) = address.split_once('.')?;
    let (_, attribute) = rest.split_once('.')?;
    // `permission_policies[0].permission_policy_document` is the table's
    // `permission_policies.permission_policy_document`.
    let mut path = String::with_capacity(attribute.len());
    let mut skip = false;
    for c in attribute.chars() {
        match c {
            '[' => skip = true,
            ']' => skip = false,
            c if !skip => path.push(c),
            _ => {}
        }
    }
    hcl::ATTRIBUTES
        .iter()
        .find(|(k, attributes, _)| *k == kind && attributes.contains(&path.as_str()))
        .map(|(_, _, language)| *language)
}

/// The values a policy attribute of the table names in a resource's JSON object (`.tf.json`,
/// a plan's `change.after`): `name` itself, or for a nested `block.attribute` the attribute of
/// each block (a list of objects, or one object), each with its address suffix
/// (`permission_policies[0].permission_policy_document`). An empty string is an attribute not
/// set (a plan writes `""` for the document of a CloudSSO system policy).
pub(super) fn attribute_values<'a>(object: &'a Node<'a>, name: &str) -> Vec<(String, &'a Node<'a>)> {
    let set = |m: &&Member| m.value.as_str().is_none_or(|s| !s.trim().is_empty());
    let Some((block, attribute)) = name.split_once('.') else {
        return object.get(name).filter(set).map(|m| (name.to_string(), &m.value)).into_iter().collect();
    };
    let Some(member) = object.get(block) else {
        return Vec::new();
    };
    match &member.value.value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                item.get(attribute).filter(set).map(|m| (format!("{block}[{i}].{attribute}"), &m.value))
            })
            .collect(),
        _ => member
            .value
            .get(attribute)
            .filter(set)
            .map(|m| (format!("{block}.{attribute}"), &m.value))
            .into_iter()
            .collect(),
    }
}

/// How an embedded document is held.
#[derive(Debug, Clone)]
pub enum Body {
    /// A derived JSON text (parsed by the strict parser); its spans map to the host through
    /// `map`; `unknown` are spans of the derived text that are template parts.
    Text { text: String, map: PosMap, unknown: Vec<Span>, directives: bool },
    /// A tree whose spans index the host text; `unknown` are host spans of template parts.
    Tree { root: Node<'static>, unknown: Vec<Span> },
    /// `file("x.json")` or `templatefile("x.tpl", ...)`: a file beside the host, linted on its
    /// own (`at` is the call in the host).
    File { path: String, at: Span },
}

/// One embedded policy document.
#[derive(Debug, Clone)]
pub struct Embedded {
    /// The Terraform address and attribute (`alicloud_ram_policy.eip.policy_document`) or the
    /// ROS path (`Resources.EipRole.Properties.AssumeRolePolicyDocument`).
    pub resource: String,
    pub language: Language,
    pub body: Body,
}

/// What a host file holds.
#[derive(Debug, Clone)]
pub struct Extraction {
    pub host: Host,
    pub documents: Vec<Embedded>,
    /// The host itself does not parse (HCL or YAML syntax): the message and its host span.
    pub error: Option<(String, Span)>,
}

/// Whether a file name is a Terraform configuration.
pub fn is_terraform_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".tf") || lower.ends_with(".tf.json")
}

/// Whether a file name is a YAML file.
pub fn is_yaml_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// The host kind a file looks like from its name and first bytes (no parse): `.tf` and
/// `.tf.json` are Terraform; a text naming `ROSTemplateFormatVersion` is a ROS template; a
/// JSON text with `format_version` and `resource_changes` is a plan.
pub fn sniff(name: &str, text: &str) -> Option<Host> {
    if is_terraform_name(name) {
        return Some(Host::Terraform);
    }
    // `memmem` (vectorised) rather than `str::contains`: every JSON file of a run is sniffed.
    let has = |needle: &str| memchr::memmem::find(text.as_bytes(), needle.as_bytes()).is_some();
    if has("ROSTemplateFormatVersion") {
        return Some(Host::Ros);
    }
    if !is_yaml_name(name) && has("\"format_version\"") && has("\"resource_changes\"") {
        return Some(Host::Plan);
    }
    None
}

/// Extracts the embedded policy documents of a host file.
pub fn extract(host: Host, name: &str, text: &str) -> Extraction {
    match host {
        Host::Terraform if name.to_ascii_lowercase().ends_with(".json") => ros::terraform_json(text),
        Host::Terraform => hcl::extract(text),
        Host::Ros if is_yaml_name(name) || !text.trim_start().starts_with('{') => yaml::extract(text),
        Host::Ros => ros::extract_json(text),
        Host::Plan => plan::extract(text),
    }
}

/// The policy text of an embedded document, its map to the host and its unknown (template)
/// parts as spans of that text: a derived text as it is; a tree (ROS) written out as JSON,
/// each value and key mapped to its place in the host (a string holding a template part is
/// unknown as a whole). `None` for a document read from a file beside the host.
pub fn document_text(body: &Body) -> Option<(String, PosMap, Vec<Span>)> {
    match body {
        Body::Text { text, map, unknown, .. } => Some((text.clone(), map.clone(), unknown.clone())),
        Body::Tree { root, unknown } => {
            let mut parts = unknown.clone();
            parts.sort_unstable();
            let mut b = Builder::default();
            let mut out_unknown = Vec::new();
            tree_text(root, &parts, &mut b, &mut out_unknown);
            Some((b.text, b.map, out_unknown))
        }
        Body::File { .. } => None,
    }
}

/// Writes a tree as JSON (see [`document_text`]).
fn tree_text(node: &Node, parts: &[Span], b: &mut Builder, unknown: &mut Vec<Span>) {
    let touches = |s: Span| {
        let i = parts.partition_point(|u| u.end <= s.start);
        parts.get(i).is_some_and(|u| u.start < s.end)
    };
    let string = |b: &mut Builder, unknown: &mut Vec<Span>, value: &str, at: Span| {
        let start = b.text.len();
        let quoted = serde_json::to_string(value).unwrap_or_else(|_| "\"\"".to_string());
        b.push(&quoted, at, false);
        if touches(at) {
            unknown.push(Span::new(start, b.text.len()));
        }
    };
    let at = node.span;
    match &node.value {
        Value::Object(members) => {
            b.punct("{", Span::new(at.start, at.start.saturating_add(1).min(at.end)));
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    b.punct(",", m.key_span);
                }
                string(b, unknown, &m.key, m.key_span);
                b.punct(":", m.key_span);
                tree_text(&m.value, parts, b, unknown);
            }
            b.punct("}", Span::new(at.end.saturating_sub(1).max(at.start), at.end));
        }
        Value::Array(items) => {
            b.punct("[", Span::new(at.start, at.start.saturating_add(1).min(at.end)));
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    b.punct(",", item.span);
                }
                tree_text(item, parts, b, unknown);
            }
            b.punct("]", Span::new(at.end.saturating_sub(1).max(at.start), at.end));
        }
        Value::String(v) => string(b, unknown, v, at),
        _ => {
            let text = serde_json::to_string(&node.to_serde()).unwrap_or_default();
            b.push(&text, at, false);
        }
    }
}

/// A file read by `file()` or `templatefile()` of a Terraform configuration: a policy
/// document whose `${...}` parts are unknown values.
pub fn template_file(text: &str) -> Body {
    let mut b = Builder::default();
    b.json_pieces(&template::whole(text));
    Body::Text { text: b.text, map: b.map, unknown: b.unknown, directives: b.directives }
}

/// The template parts (`${...}`, closed) written in the `Resource` and `NotResource` ARNs of a
/// policy file that a tool fills in later: unknown values, as in an embedded document, so
/// that the literal fields around them are judged and they are not. (Other elements keep
/// their text as written: a `${` in a condition value is judged as RAM would read it.)
pub fn resource_template_parts(root: &Node, text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let statements = match root.get("Statement").map(|m| &m.value) {
        Some(Node { value: Value::Array(items), .. }) => items.iter().collect(),
        Some(single) => vec![single],
        None => Vec::new(),
    };
    for statement in statements {
        for key in ["Resource", "NotResource"] {
            let Some(member) = statement.get(key) else {
                continue;
            };
            let strings: Vec<&Node> = match &member.value.value {
                Value::Array(items) => items.iter().collect(),
                _ => vec![&member.value],
            };
            for node in strings {
                string_parts(node, text, &mut out);
            }
        }
    }
    out
}

/// The closed `${...}` parts of a string node: exact spans where the string has no escapes,
/// otherwise the whole string.
fn string_parts(node: &Node, text: &str, out: &mut Vec<Span>) {
    let Value::String(s) = &node.value else {
        return;
    };
    let inner = Span::new(node.span.start + 1, node.span.end.saturating_sub(1));
    let exact = text.get(inner.start..inner.end) == Some(&**s);
    let mut from = 0;
    while let Some(at) = s.get(from..).and_then(|v| v.find("${")) {
        let start = from + at;
        let Some(end) = s.get(start..).and_then(|v| v.find('}')).map(|e| start + e + 1) else {
            return;
        };
        if !exact {
            out.push(node.span);
            return;
        }
        out.push(Span::new(inner.start + start, inner.start + end));
        from = end;
    }
}

/// The unknown (template) parts of a document and the strings and keys that hold them, both
/// sorted, so that each finding is judged in logarithmic time.
#[derive(Debug, Default)]
pub struct Unknowns {
    parts: Vec<Span>,
    tainted: Vec<Span>,
}

impl Unknowns {
    /// `unknown` are spans of template parts in the text `root` indexes.
    pub fn new(root: &Node, unknown: &[Span]) -> Unknowns {
        let mut parts = unknown.to_vec();
        parts.sort_unstable();
        let mut tainted = Vec::new();
        if !parts.is_empty() {
            let touches = |s: Span| {
                let i = parts.partition_point(|u| u.end <= s.start);
                parts.get(i).is_some_and(|u| u.start < s.end)
            };
            let mut stack = vec![root];
            while let Some(node) = stack.pop() {
                match &node.value {
                    Value::String(_) if touches(node.span) => tainted.push(node.span),
                    Value::Array(items) => stack.extend(items.iter()),
                    Value::Object(members) => {
                        for m in members {
                            if touches(m.key_span) {
                                tainted.push(m.key_span);
                            }
                            stack.push(&m.value);
                        }
                    }
                    _ => {}
                }
            }
        }
        tainted.sort_unstable();
        Unknowns { parts, tainted }
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Whether a finding's span judges an unknown value: it touches (or, empty, sits in) a
    /// template part and lies within one string or key that holds it (a finding about a whole
    /// statement or document still counts).
    pub fn judged_by(&self, span: Span) -> bool {
        let i = self.parts.partition_point(|u| u.end <= span.start);
        let touches = self.parts.get(i).is_some_and(|u| u.start < span.end.max(span.start + 1));
        let j = self.tainted.partition_point(|t| t.start <= span.start);
        let within = j.checked_sub(1).and_then(|j| self.tainted.get(j)).is_some_and(|t| span.end <= t.end);
        touches && within
    }
}

#[cfg(test)]
mod tests;
