//! Policy languages (`docs/policy-languages.md`): detection from content, the `--kind` and
//! `[[kinds]]` overrides, and the rules each language gets.

use crate::common::{lint_text, root, rule_ids, TempDir};
use ramlint::lint::Kind;

const OSS_BUCKET: &str = r#"{
  "Version": "1",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["oss:GetObject", "oss:ListObjects"],
      "Principal": ["1234567890123456"],
      "Resource": ["acs:oss:*:*:examplebucket", "acs:oss:*:*:examplebucket/*"]
    }
  ]
}"#;

const ROS_STACK: &str = r#"{
  "Statement": [
    {"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"},
    {"Effect": "Deny", "Action": ["Update:Replace", "Update:Delete"], "Principal": "*", "Resource": "LogicalResourceId/WebServers"}
  ]
}"#;

const KMS_KEY: &str = r#"{
  "Version": "1",
  "Statement": [
    {"Sid": "kms default key policy", "Effect": "Allow", "Action": ["kms:*"], "Principal": {"RAM": ["acs:ram::1234567890123456:*"]}, "Resource": ["*"]}
  ]
}"#;

const ENDPOINT: &str = r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}"#;

const MAXCOMPUTE: &str = r#"{
  "Version": "1",
  "Statement": [
    {"Effect": "Allow", "Action": ["odps:Read", "odps:List"], "Principal": ["RAM$bob@example.com:alice"], "Resource": ["acs:odps:*:projects/prj/tables/*"]}
  ]
}"#;

#[test]
fn each_documented_example_is_clean_in_its_language() {
    for (text, kind) in [
        (OSS_BUCKET, "oss-bucket-policy"),
        (ROS_STACK, "ros-stack-policy"),
        (KMS_KEY, "kms-key-policy"),
        (ENDPOINT, "vpc-endpoint-policy"),
        (MAXCOMPUTE, "maxcompute-policy"),
    ] {
        let report = lint_text("policy.json", text, None);
        assert_eq!(report.kind, Some(kind), "{text}");
        assert!(report.diagnostics.is_empty(), "{kind}: {:?}", rule_ids(&report));
    }
}

#[test]
fn the_same_documents_as_identity_or_trust_policies_get_identity_findings() {
    // What ramlint reported before it knew the languages: forced with `--kind`.
    let oss = lint_text("policy.json", OSS_BUCKET, Some(Kind::TrustPolicy));
    assert!(rule_ids(&oss).contains(&"invalid-principal"), "{:?}", rule_ids(&oss));
    let ros = lint_text("policy.json", ROS_STACK, Some(Kind::RamPolicy));
    assert!(rule_ids(&ros).contains(&"invalid-version"), "{:?}", rule_ids(&ros));
    assert_eq!(ros.kind, Some("ram-policy"));
}

#[test]
fn grammar_checks_still_apply_to_every_language() {
    let broken = ROS_STACK.replace("\"Effect\": \"Deny\"", "\"Effect\": \"Deni\"");
    let report = lint_text("policy.json", &broken, None);
    assert_eq!(rule_ids(&report), ["invalid-effect"]);
    let masked = OSS_BUCKET.replace("1234567890123456", "174649585760xxxx");
    assert_eq!(rule_ids(&lint_text("policy.json", &masked, None)), ["placeholder-value"]);
    let bad_principal = OSS_BUCKET.replace("[\"1234567890123456\"]", "{\"RAM\": \"1234567890123456\"}");
    let report = lint_text("policy.json", &bad_principal, Some(Kind::OssBucketPolicy));
    assert_eq!(rule_ids(&report), ["invalid-principal"]);
}

#[test]
fn control_policies_are_named_by_kind_only() {
    let text =
        r#"{"Version": "1", "Statement": [{"Effect": "Deny", "Action": "ecs:DeleteInstance", "Resource": "*"}]}"#;
    assert_eq!(lint_text("p.json", text, None).kind, Some("ram-policy"));
    assert_eq!(lint_text("p.json", text, Some(Kind::ControlPolicy)).kind, Some("control-policy"));
}

#[test]
fn kinds_in_the_configuration_name_the_language_and_the_flag_wins() {
    let dir = TempDir::new("kinds");
    dir.write("ramlint.toml", "[[kinds]]\npath = \"buckets/*.json\"\nkind = \"control-policy\"\n");
    let text =
        r#"{"Version": "1", "Statement": [{"Effect": "Deny", "Action": "ecs:DeleteInstance", "Resource": "*"}]}"#;
    dir.write("buckets/a.json", text);
    let run = |extra: &[&str]| -> serde_json::Value {
        let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("ramlint");
        let out = cmd
            .current_dir(dir.path())
            .args(["check", "--format", "json"])
            .args(extra)
            .arg("buckets/a.json")
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert_eq!(run(&[])["files"][0]["kind"], "control-policy");
    assert_eq!(run(&["--kind", "ram-policy"])["files"][0]["kind"], "ram-policy");
    dir.write("ramlint.toml", "[[kinds]]\npath = \"*.json\"\nkind = \"bucket-policy\"\n");
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("ramlint");
    let out = cmd.current_dir(dir.path()).args(["check", "buckets/a.json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a policy language"));
}

#[test]
fn the_text_summary_names_each_language() {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("ramlint");
    let out = cmd
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args(["check", "fixtures/placeholder-value/valid-real-values.json"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("read as: fixtures/placeholder-value/valid-real-values.json (ram-policy)"), "{text}");
}
