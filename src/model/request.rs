//! A recorded API call, whatever its shape: an RPC parameter object, an ActionTrail event,
//! or a request URL / query-string line. Each parameter keeps where it is in the record.

use crate::catalog::apis::Hints;
use crate::finding::Target;
use crate::json::{Member, Node, Pointer, Span, Value};
use std::borrow::Cow;

pub mod checked;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Rpc,
    Event,
    Url,
}

#[derive(Debug, Clone)]
pub enum ParamValue<'a> {
    Json(&'a Node<'a>),
    Text(String),
}

impl ParamValue<'_> {
    /// [`ParamValue::text`] without a copy.
    pub fn as_text<'s>(&'s self, source: &'s str) -> &'s str {
        match self {
            ParamValue::Text(t) => t,
            ParamValue::Json(node) => match &node.value {
                Value::String(s) => s,
                _ => source.get(node.span.start..node.span.end).unwrap_or_default(),
            },
        }
    }

    /// The value as text: strings as they are, other JSON values as written.
    pub fn text(&self, source: &str) -> String {
        self.as_text(source).to_string()
    }
}

#[derive(Debug, Clone)]
pub struct Param<'a> {
    pub name: Cow<'a, str>,
    pub value: ParamValue<'a>,
    place: Place,
}

/// Where a parameter is: under a JSON object (its pointer is built only when a finding
/// needs it), or at byte spans of a URL line.
#[derive(Debug, Clone, Copy)]
enum Place {
    Json { in_event: bool },
    Url { key: Span, value: Span },
}

/// Where a parameter's value is, as bytes: of the record's text (a JSON record, whose spans
/// count from the record's start), or of the file (a URL line, whose spans count from the
/// file's start).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    Record(Span),
    File(Span),
}

impl At {
    /// The span in the file, for a record that starts at byte `base` of it.
    pub fn in_file(self, base: usize) -> Span {
        match self {
            At::Record(span) => span.offset(base),
            At::File(span) => span,
        }
    }
}

impl Param<'_> {
    /// Where the value is: the span [`Param::value_target`] resolves to, without building
    /// its pointer or walking the tree to it.
    pub fn value_at(&self) -> At {
        match (self.place, &self.value) {
            (Place::Url { value, .. }, _) => At::File(value),
            (Place::Json { .. }, ParamValue::Json(node)) => At::Record(node.span),
            // Never made: a JSON parameter's value is its node.
            (Place::Json { .. }, ParamValue::Text(_)) => At::Record(Span::default()),
        }
    }

    /// The parameter's pointer in the record (`/AllocationId`, `/requestParameters/AllocationId`).
    pub fn pointer(&self) -> String {
        let base = match self.place {
            Place::Json { in_event: true } => Pointer::root().key("requestParameters"),
            _ => Pointer::root(),
        };
        base.key(&self.name).to_string()
    }

    /// The parameter's name.
    pub fn key(&self) -> Target {
        match self.place {
            Place::Json { .. } => Target::key(self.pointer()),
            Place::Url { key, .. } => Target::Span { span: key, pointer: self.pointer() },
        }
    }

    /// The parameter's value.
    pub fn value_target(&self) -> Target {
        match self.place {
            Place::Json { .. } => Target::value(self.pointer()),
            Place::Url { value, .. } => Target::Span { span: value, pointer: self.pointer() },
        }
    }
}

#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub shape: Shape,
    /// The API name and where it is written (`/Action`, `/eventName`).
    pub api: Option<(String, Target)>,
    pub product: Option<Cow<'a, str>>,
    pub version: Option<Cow<'a, str>>,
    pub host: Option<Cow<'a, str>>,
    /// The parameters object: `""` for RPC objects and URLs, `/requestParameters` in events.
    pub params_pointer: String,
    pub params: Vec<Param<'a>>,
    /// A recorded error code (non-empty) and where it is.
    pub error_code: Option<(String, Target)>,
    /// Why the record is not an API call to lint (an ActionTrail event of another type).
    pub not_api_call: Option<checked::SkipReason>,
    pub event_time: Option<Cow<'a, str>>,
    /// The record's JSON tree (RPC objects and events), for fields outside the parameters.
    pub root: Option<&'a Node<'a>>,
    /// `Some(true)` for an `https://` request URL, `Some(false)` for `http://`.
    pub secure: Option<bool>,
    /// An ActionTrail event without `requestParameters`: the log lacks the parameters, so
    /// none can be judged missing.
    pub no_parameters: bool,
}

impl Request<'_> {
    pub fn hints(&self) -> Hints<'_> {
        Hints { product: self.product.as_deref(), version: self.version.as_deref(), host: self.host.as_deref() }
    }

    pub fn param(&self, name: &str) -> Option<&Param<'_>> {
        self.params.iter().rev().find(|p| p.name == name)
    }

    /// Whether the record holds a parameter of this name.
    pub fn has(&self, name: &str) -> bool {
        self.params.iter().any(|p| p.name == name)
    }

    pub fn params_target(&self) -> Target {
        Target::opening(self.params_pointer.clone())
    }

    /// Where the record names its API version (`/Version`, `/apiVersion`, the URL's `Version`).
    pub fn version_target(&self) -> Target {
        match self.shape {
            Shape::Rpc => Target::value("/Version"),
            Shape::Event => Target::value("/apiVersion"),
            Shape::Url => self.param("Version").map_or_else(|| self.params_target(), Param::value_target),
        }
    }
}

fn str_member<'a>(node: &'a Node, key: &str) -> Option<Cow<'a, str>> {
    node.get(key).and_then(|m| match &m.value.value {
        Value::String(s) => Some(Cow::Borrowed(&**s)),
        Value::Number(n) => Some(Cow::Borrowed(&**n)),
        _ => None,
    })
}

/// Reads a JSON record (RPC object or ActionTrail event).
pub fn from_json<'a>(root: &'a Node<'a>) -> Request<'a> {
    if root.get("eventName").is_some() {
        return event(root);
    }
    let api = root.get("Action").and_then(|m| m.value.as_str()).map(|s| (s.to_string(), Target::value("/Action")));
    let params = members(root, false);
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
        root: Some(root),
        secure: None,
        no_parameters: false,
    }
}

fn members<'a>(object: &'a Node<'a>, in_event: bool) -> Vec<Param<'a>> {
    fn param<'a>(m: &'a Member<'a>, in_event: bool) -> Param<'a> {
        Param { name: Cow::Borrowed(&m.key), value: ParamValue::Json(&m.value), place: Place::Json { in_event } }
    }
    // Only the members a reader keeps (the last of a repeated key); usually all of them, read
    // without a list of references in between.
    let all = object.as_object().unwrap_or_default();
    if !crate::json::has_repeated_keys(all) {
        return all.iter().map(|m| param(m, in_event)).collect();
    }
    object.members_in_effect().into_iter().map(|m| param(m, in_event)).collect()
}

fn event<'a>(root: &'a Node<'a>) -> Request<'a> {
    // One pass over the event's members (the last of a repeated key wins, as in `Node::get`).
    let (mut name, mut event_type, mut parameters, mut error_code) = (None, None, None, None);
    let (mut host, mut product, mut version, mut event_time) = (None, None, None, None);
    fn text<'a>(n: &'a Node<'a>) -> Option<Cow<'a, str>> {
        match &n.value {
            Value::String(s) => Some(Cow::Borrowed(&**s)),
            Value::Number(n) => Some(Cow::Borrowed(&**n)),
            _ => None,
        }
    }
    for m in root.as_object().unwrap_or_default() {
        match &*m.key {
            "eventName" => name = m.value.as_str(),
            "eventType" => event_type = text(&m.value),
            "requestParameters" => parameters = Some(&m.value),
            "errorCode" => error_code = m.value.as_str(),
            "eventSource" => host = text(&m.value),
            "serviceName" => product = text(&m.value),
            "apiVersion" => version = text(&m.value),
            "eventTime" => event_time = text(&m.value),
            _ => {}
        }
    }
    let not_api_call = match event_type.as_deref() {
        Some("ApiCall") | None => None,
        Some(other) => Some(checked::SkipReason::NotApiCall(other.to_string())),
    };
    let (params, params_pointer) = match parameters {
        Some(node) if node.as_object().is_some() => (members(node, true), "/requestParameters".to_string()),
        _ => (Vec::new(), String::new()),
    };
    // The endpoint the console gateway or SDK called (`requestParameters.AcsHost`) names the
    // product more precisely than the event's source host.
    let acs_host = parameters.and_then(|node| str_member(node, "AcsHost")).filter(|h| h.contains('.'));
    Request {
        shape: Shape::Event,
        api: name.map(|s| (s.to_string(), Target::value("/eventName"))),
        product,
        version,
        host: acs_host.or(host),
        params_pointer,
        params,
        error_code: error_code.filter(|s| !s.is_empty()).map(|s| (s.to_string(), Target::value("/errorCode"))),
        not_api_call,
        event_time,
        root: Some(root),
        secure: None,
        no_parameters: parameters.is_none(),
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
        let value_span = if raw_value.is_empty() { key_span } else { value_span };
        params.push(Param {
            name: Cow::Owned(name),
            value: ParamValue::Text(value),
            place: Place::Url { key: key_span, value: value_span },
        });
    }
    let api = params.iter().rev().find(|p| p.name == "Action").and_then(|p| match &p.value {
        ParamValue::Text(t) => Some((t.clone(), p.value_target())),
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
        product: product.map(Cow::Owned),
        version: version.map(Cow::Owned),
        host: host.map(Cow::Owned),
        params_pointer: String::new(),
        params,
        error_code: None,
        not_api_call: None,
        event_time: None,
        root: None,
        secure: scheme_security(line),
        no_parameters: false,
    }
}

fn scheme_security(line: &str) -> Option<bool> {
    let head = line.trim_start();
    let scheme = head.get(..8).unwrap_or(head).to_ascii_lowercase();
    if scheme.starts_with("https://") {
        Some(true)
    } else if scheme.starts_with("http://") {
        Some(false)
    } else {
        None
    }
}

/// Percent-decoding of a query-string component (`+` is a space).
fn decode(raw: &str) -> String {
    let spaced = raw.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}
