//! The policy languages of Alibaba Cloud (`docs/policy-languages.md`): RAM identity and trust
//! policies, OSS bucket policies (also access-point, table-bucket and vector-bucket policies),
//! VPC endpoint policies, KMS key policies, MaxCompute policies, Resource Directory control
//! policies and ROS stack policies. Which one a document is follows from its content alone
//! ([`Language::detect`]), so that the framers of embedded documents (Terraform, ROS, plans)
//! can call it too; `--kind` and `[[kinds]]` in `ramlint.toml` say it where content cannot.

use crate::json::{Node, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Language {
    RamPolicy,
    TrustPolicy,
    OssBucketPolicy,
    VpcEndpointPolicy,
    KmsKeyPolicy,
    MaxComputePolicy,
    ControlPolicy,
    RosStackPolicy,
}

impl Language {
    pub const ALL: &'static [Language] = &[
        Language::RamPolicy,
        Language::TrustPolicy,
        Language::OssBucketPolicy,
        Language::VpcEndpointPolicy,
        Language::KmsKeyPolicy,
        Language::MaxComputePolicy,
        Language::ControlPolicy,
        Language::RosStackPolicy,
    ];

    /// The contract's kind name (JSON `files[].kind`, `--kind`, `[[kinds]]`).
    pub fn name(self) -> &'static str {
        match self {
            Language::RamPolicy => "ram-policy",
            Language::TrustPolicy => "trust-policy",
            Language::OssBucketPolicy => "oss-bucket-policy",
            Language::VpcEndpointPolicy => "vpc-endpoint-policy",
            Language::KmsKeyPolicy => "kms-key-policy",
            Language::MaxComputePolicy => "maxcompute-policy",
            Language::ControlPolicy => "control-policy",
            Language::RosStackPolicy => "ros-stack-policy",
        }
    }

    pub fn from_name(name: &str) -> Option<Language> {
        Language::ALL.iter().copied().find(|l| l.name() == name)
    }

    /// Whether RAM's identity-policy grammar and catalog apply in full (identity, trust and
    /// control policies); the other languages get the checks their grammar pages support.
    pub fn is_ram(self) -> bool {
        matches!(self, Language::RamPolicy | Language::TrustPolicy | Language::ControlPolicy)
    }

    /// The language of one policy document, from its content alone:
    /// - an action `Update:<...>` (and no `<ram-code>:` action of a service) is a ROS stack policy;
    /// - a 4-field `acs:odps:<region>:projects/...` resource is a MaxCompute policy;
    /// - with a `Principal` in every statement: only `oss:` actions is an OSS bucket policy,
    ///   only `kms:` actions with a `RAM` principal is a KMS key policy, a `Principal` that is a
    ///   string or list (`"*"`) with no `sts:` action a VPC endpoint policy, anything else a RAM
    ///   trust policy (the trust rules then judge it);
    /// - anything else is a RAM identity policy (a control policy has the same grammar: only
    ///   `--kind`/`[[kinds]]` tell it apart).
    pub fn detect(root: &Node) -> Language {
        let statements = statements(root);
        let actions = || statements.iter().flat_map(|s| strings(s, "Action").chain(strings(s, "NotAction")));
        if actions().any(|a| a.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("update:"))) {
            return Language::RosStackPolicy;
        }
        let resources = || statements.iter().flat_map(|s| strings(s, "Resource").chain(strings(s, "NotResource")));
        if resources().any(is_maxcompute_arn) {
            return Language::MaxComputePolicy;
        }
        if statements.is_empty() || !statements.iter().all(|s| s.get("Principal").is_some()) {
            return Language::RamPolicy;
        }
        let all_of = |code: &str| {
            let mut any = false;
            let all = actions().all(|a| {
                any = true;
                a.split_once(':').is_some_and(|(c, _)| c.eq_ignore_ascii_case(code))
            });
            any && all
        };
        if all_of("oss") {
            return Language::OssBucketPolicy;
        }
        let ram_principal = statements.iter().all(|s| s.get("Principal").is_some_and(|p| p.value.get("RAM").is_some()));
        if all_of("kms") && ram_principal {
            return Language::KmsKeyPolicy;
        }
        // A trust policy's `Principal` is an object (`RAM`, `Service`, `Federated`); a string or
        // list (`"*"`) with actions other than `sts:` is the endpoint policy's form.
        let listed = statements
            .iter()
            .all(|s| s.get("Principal").is_some_and(|p| matches!(p.value.value, Value::String(_) | Value::Array(_))));
        if listed && !actions().any(|a| a.split_once(':').is_some_and(|(c, _)| c.eq_ignore_ascii_case("sts"))) {
            return Language::VpcEndpointPolicy;
        }
        Language::TrustPolicy
    }
}

/// A MaxCompute policy resource: `acs:odps:<region>:projects/<project>/...`, four fields.
fn is_maxcompute_arn(value: &str) -> bool {
    // The first two fields first, without splitting every resource of every policy.
    if !value.starts_with("acs:odps:") {
        return false;
    }
    let mut fields = value.splitn(4, ':');
    matches!((fields.next(), fields.next(), fields.next(), fields.next()), (Some("acs"), Some("odps"), Some(_), Some(rest)) if rest.starts_with("projects/"))
}

/// The statement objects of a document (one object or an array of them).
fn statements<'n>(root: &'n Node<'n>) -> Vec<&'n Node<'n>> {
    match root.get("Statement").map(|m| &m.value) {
        Some(node @ Node { value: Value::Object(_), .. }) => vec![node],
        Some(Node { value: Value::Array(items), .. }) => items.iter().filter(|n| n.as_object().is_some()).collect(),
        _ => Vec::new(),
    }
}

/// The strings of an element that holds a string or an array of strings.
fn strings<'a>(statement: &'a Node, key: &str) -> impl Iterator<Item = &'a str> {
    let value = statement.get(key).map(|m| &m.value);
    let one = value.and_then(Node::as_str);
    let many = value.and_then(Node::as_array).unwrap_or_default().iter().filter_map(Node::as_str);
    one.into_iter().chain(many)
}

#[cfg(test)]
mod tests {
    use super::Language;

    fn detect(text: &str) -> &'static str {
        Language::detect(&crate::json::parse(text).unwrap()).name()
    }

    #[test]
    fn detects_each_language_from_content() {
        let identity = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"}]}"#;
        assert_eq!(detect(identity), "ram-policy");
        let trust = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":["ecs.aliyuncs.com"]}}]}"#;
        assert_eq!(detect(trust), "trust-policy");
        let oss = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:GetObject"],"Principal":["1234567890123456"],"Resource":["acs:oss:*:*:bucket/*"]}]}"#;
        assert_eq!(detect(oss), "oss-bucket-policy");
        let kms = r#"{"Version":"1","Statement":[{"Sid":"kms","Effect":"Allow","Action":["kms:*"],"Principal":{"RAM":["acs:ram::1234567890123456:*"]},"Resource":["*"]}]}"#;
        assert_eq!(detect(kms), "kms-key-policy");
        let odps = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["odps:Read"],"Principal":["RAM$a@b.com:bob"],"Resource":["acs:odps:*:projects/p/tables/*"]}]}"#;
        assert_eq!(detect(odps), "maxcompute-policy");
        let ros = r#"{"Statement":[{"Effect":"Allow","Action":"Update:*","Principal":"*","Resource":"*"}]}"#;
        assert_eq!(detect(ros), "ros-stack-policy");
        let endpoint = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;
        assert_eq!(detect(endpoint), "vpc-endpoint-policy");
        let public_trust =
            r#"{"Version":"1","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}"#;
        assert_eq!(detect(public_trust), "trust-policy");
    }

    #[test]
    fn names_round_trip() {
        for l in Language::ALL {
            assert_eq!(Language::from_name(l.name()), Some(*l));
        }
    }
}
