//! A recorded API call, whatever its shape: an RPC parameter object, an ActionTrail event,
//! or a request URL / query-string line. Each parameter keeps where it is in the record.

use crate::catalog::apis::Hints;
use crate::finding::Target;
use crate::json::{Node, Pointer, Span, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Rpc,
    Event,
    Url,
}

#[derive(Debug, Clone)]
pub enum ParamValue<'a> {
    Json(&'a Node),
    Text(String),
}

impl ParamValue<'_> {
    /// The value as text: strings as they are, other JSON values as written.
    pub fn text(&self, source: &str) -> String {
        match self {
            ParamValue::Text(t) => t.clone(),
            ParamValue::Json(node) => match &node.value {
                Value::String(s) => s.to_string(),
                _ => source.get(node.span.start..node.span.end).unwrap_or_default().to_string(),
            },
        }
    }
}

#[derive(Debug, Clone)]
pub struct Param<'a> {
    pub name: String,
    pub value: ParamValue<'a>,
    /// The pointer of this parameter in the record (`/AllocationId`,
    /// `/requestParameters/AllocationId`).
    pub pointer: String,
    pub key: Target,
    pub value_target: Target,
}

#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub shape: Shape,
    /// The API name and where it is written (`/Action`, `/eventName`).
    pub api: Option<(String, Target)>,
    pub product: Option<String>,
    pub version: Option<String>,
    pub host: Option<String>,
    /// The parameters object: `""` for RPC objects and URLs, `/requestParameters` in events.
    pub params_pointer: String,
    pub params: Vec<Param<'a>>,
    /// A recorded error code (non-empty) and where it is.
    pub error_code: Option<(String, Target)>,
    /// Why the record is not an API call to lint (an ActionTrail event of another type).
    pub not_api_call: Option<String>,
    pub event_time: Option<String>,
}

impl Request<'_> {
    pub fn hints(&self) -> Hints<'_> {
        Hints { product: self.product.as_deref(), version: self.version.as_deref(), host: self.host.as_deref() }
    }

    pub fn param(&self, name: &str) -> Option<&Param<'_>> {
        self.params.iter().rev().find(|p| p.name == name)
    }

    pub fn params_target(&self) -> Target {
        Target::opening(self.params_pointer.clone())
    }
}

fn str_member(node: &Node, key: &str) -> Option<String> {
    node.get(key).and_then(|m| match &m.value.value {
        Value::String(s) => Some(s.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// Reads a JSON record (RPC object or ActionTrail event).
pub fn from_json(root: &Node) -> Request<'_> {
    if root.get("eventName").is_some() {
        return event(root);
    }
    let api = root.get("Action").and_then(|m| m.value.as_str()).map(|s| (s.to_string(), Target::value("/Action")));
    let params = members(root, &Pointer::root());
    Request {
        shape: Shape::Rpc,
        api,
        product: str_member(root, "Product"),
        version: str_member(root, "Version"),
        host: None,
        params_pointer: String::new(),
        params,
        error_code: None,
        not_api_call: None,
        event_time: None,
    }
}

fn members<'a>(object: &'a Node, base: &Pointer) -> Vec<Param<'a>> {
    object
        .as_object()
        .unwrap_or_default()
        .iter()
        .map(|m| {
            let pointer = base.key(&m.key).to_string();
            Param {
                name: m.key.to_string(),
                value: ParamValue::Json(&m.value),
                key: Target::key(pointer.clone()),
                value_target: Target::value(pointer.clone()),
                pointer,
            }
        })
        .collect()
}

fn event(root: &Node) -> Request<'_> {
    let api =
        root.get("eventName").and_then(|m| m.value.as_str()).map(|s| (s.to_string(), Target::value("/eventName")));
    let event_type = str_member(root, "eventType");
    let not_api_call = match event_type.as_deref() {
        Some("ApiCall") | None => None,
        Some(other) => Some(format!("an ActionTrail `{other}` event, not an API call")),
    };
    let base = Pointer::root().key("requestParameters");
    let (params, params_pointer) = match root.get("requestParameters") {
        Some(m) if m.value.as_object().is_some() => (members(&m.value, &base), base.to_string()),
        _ => (Vec::new(), String::new()),
    };
    let error_code = root
        .get("errorCode")
        .and_then(|m| m.value.as_str())
        .filter(|s| !s.is_empty())
        .map(|s| (s.to_string(), Target::value("/errorCode")));
    let host = str_member(root, "eventSource");
    Request {
        shape: Shape::Event,
        api,
        product: str_member(root, "serviceName"),
        version: str_member(root, "apiVersion"),
        host,
        params_pointer,
        params,
        error_code,
        not_api_call,
        event_time: str_member(root, "eventTime"),
    }
}

/// Reads a request URL or query string that starts at byte `base` of the file. It may span
/// lines: continuation lines start with `&`, as in API reference examples.
pub fn from_url(line: &str, base: usize) -> Request<'static> {
    let (host, query, query_start) = match line.find('?') {
        Some(q) => {
            let before = line.get(..q).unwrap_or_default();
            let host = before
                .split("://")
                .nth(1)
                .unwrap_or(before)
                .split('/')
                .next()
                .filter(|h| h.contains('.'))
                .map(str::to_string);
            (host, line.get(q + 1..).unwrap_or_default(), q + 1)
        }
        None => (None, line, 0),
    };
    let mut params = Vec::new();
    let mut offset = query_start;
    for raw_pair in query.split('&') {
        let pair_start = offset;
        offset += raw_pair.len() + 1;
        let lead = raw_pair.len() - raw_pair.trim_start().len();
        let pair = raw_pair.trim();
        if pair.is_empty() {
            continue;
        }
        let start = pair_start + lead;
        let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = decode(raw_key);
        let value = decode(raw_value);
        let key_span = Span::new(base + start, base + start + raw_key.len());
        let value_start = start + raw_key.len() + usize::from(pair.contains('='));
        let value_span = Span::new(base + value_start, base + value_start + raw_value.len());
        let pointer = Pointer::root().key(&name).to_string();
        params.push(Param {
            key: Target::Span { span: key_span, pointer: pointer.clone() },
            value_target: Target::Span {
                span: if raw_value.is_empty() { key_span } else { value_span },
                pointer: pointer.clone(),
            },
            name,
            value: ParamValue::Text(value),
            pointer,
        });
    }
    let api = params.iter().rev().find(|p| p.name == "Action").and_then(|p| match &p.value {
        ParamValue::Text(t) => Some((t.clone(), p.value_target.clone())),
        ParamValue::Json(_) => None,
    });
    let text_of = |name: &str| {
        params.iter().rev().find(|p| p.name == name).and_then(|p| match &p.value {
            ParamValue::Text(t) => Some(t.clone()),
            ParamValue::Json(_) => None,
        })
    };
    let version = text_of("Version");
    let product = text_of("Product");
    Request {
        shape: Shape::Url,
        api,
        product,
        version,
        host,
        params_pointer: String::new(),
        params,
        error_code: None,
        not_api_call: None,
        event_time: None,
    }
}

/// Percent-decoding of a query-string component (`+` is a space).
fn decode(raw: &str) -> String {
    let spaced = raw.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}
