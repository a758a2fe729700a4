use crate::catalog::suggest;
use crate::finding::{Finding, Target};
use crate::json::Value;
use crate::model::language::Language;
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(
    META,
    "invalid-principal",
    Error,
    Syntax,
    Policy,
    "`Principal` keys other than `RAM`, `Service`, `Federated`, or values of the wrong shape"
);

const KEYS: &[&str] = &["Federated", "RAM", "Service"];

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            let Some(principal) = st.principal else { continue };
            let pointer = st.pointer.key("Principal");
            if cx.language == Language::OssBucketPolicy {
                oss_principal(cx, &principal.value, &pointer.to_string());
                continue;
            }
            let Some(members) = principal.value.as_object() else {
                cx.emit(
                    Finding::new(
                        &META,
                        Target::value(pointer.to_string()),
                        format!("`Principal` must be an object, not {}", principal.value.type_name()),
                    )
                    .label("expected `{ \"RAM\" | \"Service\" | \"Federated\": ... }`")
                    .help("name the trusted entity, e.g. `\"Principal\": { \"Service\": [\"ecs.aliyuncs.com\"] }`"),
                );
                continue;
            };
            if members.is_empty() {
                cx.emit(
                    Finding::new(&META, Target::value(pointer.to_string()), "`Principal` names no trusted entity")
                        .label("empty object"),
                );
            }
            for m in principal.value.members_in_effect() {
                let key_pointer = pointer.key(&m.key).to_string();
                if !KEYS.contains(&&*m.key) {
                    cx.emit(
                        Finding::new(&META, Target::key(key_pointer), format!("`{}` is not a principal type RAM supports", m.key))
                            .label("expected `RAM`, `Service` or `Federated`")
                            .maybe_help(suggest::did_you_mean(&m.key, KEYS.iter().copied()).or_else(|| Some("RAM trust policies name `RAM` (accounts, users, roles), `Service` (cloud services) or `Federated` (identity providers)".into()))),
                    );
                    continue;
                }
                let bad = match &m.value.value {
                    Value::String(s) => s.is_empty().then(|| (key_pointer.clone(), "an empty string".to_string())),
                    Value::Array(items) if items.is_empty() => {
                        Some((key_pointer.clone(), "an empty array".to_string()))
                    }
                    Value::Array(items) => items.iter().enumerate().find_map(|(i, n)| match n.as_str() {
                        Some(s) if !s.is_empty() => None,
                        _ => Some((format!("{key_pointer}/{i}"), n.type_name().to_string())),
                    }),
                    _ => Some((key_pointer.clone(), m.value.type_name().to_string())),
                };
                if &*m.key == "Service" && bad.is_none() {
                    foreign_services(cx, st);
                }
                if &*m.key == "RAM" && bad.is_none() && !cx.project.trusted_accounts.is_empty() {
                    untrusted(cx, &m.value, &key_pointer);
                }
                if let Some((at, what)) = bad {
                    cx.emit(
                        Finding::new(
                            &META,
                            Target::value(at),
                            format!(
                                "a `{}` principal must be a non-empty string or array of strings, not {what}",
                                m.key
                            ),
                        )
                        .label("expected a string"),
                    );
                }
            }
        }
    }
}

/// Reports `Service` principals that are not Alibaba Cloud service domains
/// (`<service>.aliyuncs.com`), such as `ecs.amazonaws.com`.
fn foreign_services(cx: &mut Context<'_>, st: &crate::model::policy::Statement<'_>) {
    for item in st.principals("Service") {
        let domain = item.value.to_ascii_lowercase();
        if crate::model::policy::is_template(item.value) || domain.ends_with(".aliyuncs.com") {
            continue;
        }
        cx.emit(
            Finding::new(&META, Target::value(item.pointer.to_string()), format!("`{}` is not an Alibaba Cloud service", item.value))
                .label("expected `<service>.aliyuncs.com`")
                .help("a `Service` principal names an Alibaba Cloud service of this account by its domain, e.g. `ecs.aliyuncs.com`; no other service can assume the role"),
        );
    }
}

/// The account of a `RAM` principal: the account field of its ARN, or a bare account id.
fn account_of(value: &str) -> &str {
    match crate::model::arn::parse(value) {
        Ok(arn) => arn.account.text,
        Err(_) => value,
    }
}

/// Reports `RAM` principals of accounts outside the project's `trusted-accounts`.
fn untrusted(cx: &mut Context<'_>, value: &crate::json::Node, pointer: &str) {
    let items: Vec<(String, &str)> = match &value.value {
        Value::String(s) => vec![(pointer.to_string(), &**s)],
        Value::Array(items) => {
            items.iter().enumerate().filter_map(|(i, n)| n.as_str().map(|s| (format!("{pointer}/{i}"), s))).collect()
        }
        _ => Vec::new(),
    };
    for (at, principal) in items {
        let account = account_of(principal);
        let exact = account.len() == 16 && account.bytes().all(|b| b.is_ascii_digit());
        if exact && !cx.project.trusted_accounts.contains(account) {
            cx.emit(
                Finding::new(&META, Target::value(at), format!("account `{account}` is not among the project's trusted accounts"))
                    .severity(crate::finding::Severity::Warning)
                    .label("untrusted account")
                    .help("this trust policy lets that account assume the role; add it to `trusted-accounts` in ramlint.toml if that is intended"),
            );
        }
    }
}

/// An OSS bucket policy's `Principal`: `*` or a list of account ids, RAM user or role ids
/// (`["*"]`, `["1234567890123456"]`), never the trust-policy object.
fn oss_principal(cx: &mut Context<'_>, value: &crate::json::Node, pointer: &str) {
    let bad = match &value.value {
        Value::String(s) => s.is_empty().then(|| (pointer.to_string(), "an empty string".to_string())),
        Value::Array(items) if items.is_empty() => Some((pointer.to_string(), "an empty array".to_string())),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, n)| match n.as_str() {
            Some(s) if !s.is_empty() => None,
            _ => Some((format!("{pointer}/{i}"), n.type_name().to_string())),
        }),
        _ => Some((pointer.to_string(), value.type_name().to_string())),
    };
    if let Some((at, what)) = bad {
        cx.emit(
            Finding::new(
                &META,
                Target::value(at),
                format!("an OSS bucket policy `Principal` must be a non-empty string or array of strings, not {what}"),
            )
            .label("expected `[\"<account or RAM user id>\", ...]` or `[\"*\"]`")
            .help("OSS bucket policies name principals by id (`[\"1234567890123456\"]`) or `[\"*\"]`; the RAM, Service and Federated keys belong to RAM role trust policies"),
        );
    }
}
