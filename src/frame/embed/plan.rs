//! Terraform plans (`terraform show -json plan.out`): the policy attributes of
//! `resource_changes[].change.after`, each once (the copies in `planned_values` and
//! `configuration` are not read again).

use super::hcl::ATTRIBUTES;
use super::ros::string_document;
use super::{Embedded, Extraction, Host};
use crate::json;

pub fn extract(text: &str) -> Extraction {
    let mut out = Extraction { host: Host::Plan, documents: Vec::new(), error: None };
    let root = match json::parse(text) {
        Ok(root) => root,
        Err(e) => {
            out.error = Some((format!("the plan is not valid JSON: {}", e.message), e.span));
            return out;
        }
    };
    let changes = root.get("resource_changes").and_then(|m| m.value.as_array()).unwrap_or_default();
    for change in changes {
        let kind = change.get("type").and_then(|m| m.value.as_str()).unwrap_or_default();
        let address = change.get("address").and_then(|m| m.value.as_str()).unwrap_or(kind);
        let Some((_, attributes, language)) = ATTRIBUTES.iter().find(|(k, _, _)| *k == kind) else {
            continue;
        };
        let Some(after) = change.get("change").and_then(|c| c.value.get("after")) else {
            continue;
        };
        for attribute in *attributes {
            for (path, value) in super::attribute_values(&after.value, attribute) {
                if let Some(body) = string_document(value, text, false) {
                    let resource = format!("{address}.{path}");
                    out.documents.push(Embedded { resource, language: *language, body });
                }
            }
        }
    }
    out
}
