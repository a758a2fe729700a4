//! Policies where they live: Terraform (`.tf`), ROS templates (JSON, YAML) and Terraform plans
//! in `tests/data/embedded/`: findings at the line of the file the user edits, with the
//! resource that holds the policy; the same findings as the extracted documents; none on
//! template parts; files without a policy skipped quietly.

use crate::common::{lint_text, root, TempDir};
use assert_cmd::Command;
use ramlint::frame::embed::{self, Body};
use ramlint::lint::Kind;
use serde_json::Value;

const DATA: &str = "tests/data/embedded";

fn ramlint() -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("ramlint");
    cmd.current_dir(root()).env("NO_COLOR", "1");
    cmd
}

fn check_json(args: &[&str], code: i32) -> Value {
    let out =
        ramlint().arg("check").args(["--format", "json"]).args(args).assert().code(code).get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap()
}

/// The rendered diagnostics show the `.tf`, YAML and plan lines.
#[test]
fn text_report_shows_the_source_lines() {
    let out = ramlint().args(["check", "--color", "never", DATA]).assert().code(1).get_output().stdout.clone();
    insta::assert_snapshot!("embedded_text", String::from_utf8(out).unwrap());
}

/// Line, column, record, pointer and resource of every finding, in the contract's JSON.
#[test]
fn json_report_names_the_resource() {
    let report = check_json(&[DATA], 1);
    let rows: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {} record={} resource={} pointer={}",
                d["file"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["rule"].as_str().unwrap(),
                d["record"],
                d["resource"].as_str().unwrap_or("-"),
                d["pointer"].as_str().unwrap()
            )
        })
        .collect();
    let files: Vec<String> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            // The language of each embedded document, as the attribute that holds it says.
            let documents: Vec<String> = f["documents"]
                .as_array()
                .map(|d| {
                    d.iter()
                        .map(|d| format!("{}={}", d["resource"].as_str().unwrap(), d["kind"].as_str().unwrap()))
                        .collect()
                })
                .unwrap_or_default();
            let line = format!("{} {} {}", f["file"].as_str().unwrap(), f["kind"], f["status"].as_str().unwrap());
            if documents.is_empty() {
                line
            } else {
                format!("{line}\n    {}", documents.join("\n    "))
            }
        })
        .collect();
    insta::assert_snapshot!("embedded_json", format!("{}\n\n{}", files.join("\n"), rows.join("\n")));
}

/// Every embedded document of the fixtures reports what the extracted document reports.
#[test]
fn same_findings_as_the_extracted_documents() {
    let mut compared = 0;
    for entry in std::fs::read_dir(root().join(DATA)).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            continue;
        }
        let name = path.to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let Some(host) = embed::sniff(&name, &text).or(embed::is_yaml_name(&name).then_some(embed::Host::Ros)) else {
            continue;
        };
        let embedded = lint_text(&name, &text, None);
        for (i, doc) in embed::extract(host, &name, &text).documents.iter().enumerate() {
            let extracted = match &doc.body {
                Body::Text { text, directives: false, .. } => text.clone(),
                Body::Tree { root, .. } => serde_json::to_string_pretty(&root.to_serde()).unwrap(),
                _ => continue,
            };
            // The language the attribute says, as `--kind` says it for a file of its own.
            let kind = match doc.language {
                embed::Language::Ram => Kind::RamPolicy,
                embed::Language::Trust => Kind::TrustPolicy,
                embed::Language::Control => Kind::ControlPolicy,
                embed::Language::OssBucket => Kind::OssBucketPolicy,
                embed::Language::VpcEndpoint => Kind::VpcEndpointPolicy,
                embed::Language::KmsKey => Kind::KmsKeyPolicy,
                embed::Language::RosStack => Kind::RosStackPolicy,
            };
            let alone = lint_text("extracted.json", &extracted, Some(kind));
            let mut want: Vec<(&str, &str)> = alone.diagnostics.iter().map(|d| (d.rule, d.pointer.as_str())).collect();
            let mut got: Vec<(&str, &str)> = embedded
                .diagnostics
                .iter()
                .filter(|d| d.record == Some(i + 1))
                .map(|d| (d.rule, d.pointer.as_str()))
                .collect();
            want.sort();
            got.sort();
            assert_eq!(got, want, "{name} document {} ({})", i + 1, doc.resource);
            compared += 1;
        }
    }
    assert!(compared >= 12, "only {compared} documents compared");
}

/// No finding judges a template part: `${...}`, `Fn::Sub`, `Ref`.
#[test]
fn no_finding_on_template_parts() {
    let report = check_json(&[DATA], 1);
    for d in report["diagnostics"].as_array().unwrap() {
        let message = d["message"].as_str().unwrap();
        assert!(!message.contains("${") && !message.contains("Fn::"), "{d}");
    }
    // The region beside an interpolated account is still judged.
    let rows = report["diagnostics"].as_array().unwrap();
    let region =
        |file: &str| rows.iter().any(|d| d["rule"] == "invalid-region" && d["file"].as_str().unwrap().ends_with(file));
    assert!(region("heredoc.tf") && region("template.yaml"));
}

#[test]
fn files_without_policies_are_skipped_quietly() {
    let out = ramlint()
        .args(["check", &format!("{DATA}/network.tf"), &format!("{DATA}/docker-compose.yaml")])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert!(!String::from_utf8(out).unwrap().contains("skipped"));
    let out = ramlint()
        .args(["check", "--verbose", &format!("{DATA}/network.tf")])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out).unwrap().contains("skipped tests/data/embedded/network.tf: no RAM policy"));
    let report = check_json(&["--fail-on-skip", &format!("{DATA}/network.tf")], 0);
    assert_eq!(report["files"][0]["status"], "skipped");
}

#[test]
fn a_heredoc_syntax_error_points_at_its_tf_line() {
    let report = check_json(&[&format!("{DATA}/broken.tf")], 1);
    let d = &report["diagnostics"][0];
    assert_eq!(d["rule"], "json-syntax");
    assert_eq!(
        (d["line"].as_u64(), d["resource"].as_str()),
        (Some(8), Some("alicloud_ram_policy.broken.policy_document"))
    );
}

#[test]
fn kind_forces_the_host() {
    let dir = TempDir::new("embedded-kind");
    let text = std::fs::read_to_string(root().join(DATA).join("jsonencode.tf")).unwrap();
    let path = dir.write("policies.hcl", text);
    let report = check_json(&["--kind", "terraform", path.to_str().unwrap()], 1);
    assert_eq!(report["files"][0]["kind"], "terraform");
    assert!(report["diagnostics"].as_array().unwrap().iter().any(|d| d["rule"] == "full-admin"));
}

/// `[[suppress]]` by resource address; baselines keep a finding when a resource is added
/// before its policy (the record number moves, the address does not).
#[test]
fn suppress_and_baseline_by_resource() {
    let dir = TempDir::new("embedded-suppress");
    let tf = std::fs::read_to_string(root().join(DATA).join("jsonencode.tf")).unwrap();
    dir.write("main.tf", &tf);
    dir.write(
        "ramlint.toml",
        "[[suppress]]\nrule = \"full-admin\"\nresource = \"alicloud_ram_policy.admin\"\nreason = \"break-glass, reviewed\"\n",
    );
    let out = ramlint().current_dir(dir.path()).args(["check", "--format", "json", "main.tf"]).output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert!(!rules.contains(&"full-admin") && !rules.is_empty(), "{rules:?}");

    std::fs::remove_file(dir.path().join("ramlint.toml")).unwrap();
    ramlint()
        .current_dir(dir.path())
        .args(["check", "--baseline", "baseline.json", "--update-baseline", "main.tf"])
        .assert()
        .code(0);
    let moved = format!("resource \"alicloud_ram_policy\" \"first\" {{\n  policy_document = \"{{\\\"Version\\\": \\\"1\\\", \\\"Statement\\\": [{{\\\"Effect\\\": \\\"Allow\\\", \\\"Action\\\": \\\"ecs:DescribeInstances\\\", \\\"Resource\\\": \\\"*\\\"}}]}}\"\n}}\n\n{tf}");
    dir.write("main.tf", moved);
    ramlint().current_dir(dir.path()).args(["check", "--baseline", "baseline.json", "main.tf"]).assert().code(0);
}

/// The real configurations (see `tests/data/embedded/real/SOURCES.md`).
#[test]
fn real_configurations() {
    let out = ramlint().args(["check", "--color", "never", "--verbose", &format!("{DATA}/real")]).output().unwrap();
    insta::assert_snapshot!("embedded_real", String::from_utf8(out.stdout).unwrap());
}

/// A `%{ for }` block that writes list items is one unknown value, and the JSON around it is
/// linted; a document a directive leaves unreadable is reported as not linted, without
/// `--verbose`, in the JSON `files` entry (the file still `linted`: its other policy was), and
/// fails the run with `--fail-on-skip`.
#[test]
fn template_directives_are_unknown_or_reported_as_not_linted() {
    let file = format!("{DATA}/directives.tf");
    let out = ramlint().args(["check", "--color", "never", &file]).assert().code(1).get_output().stdout.clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("skipped tests/data/embedded/directives.tf: the policy of `alicloud_ram_policy.conditional.policy_document` (line 32) is written by a Terraform template directive"),
        "{text}"
    );
    let report = check_json(&[&file], 1);
    let rows: Vec<(&str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["resource"].as_str().unwrap()))
        .collect();
    assert_eq!(rows, [("unknown-action", "alicloud_ram_policy.buckets.policy_document")]);
    let entry = &report["files"][0];
    assert_eq!(entry["status"], "linted");
    assert!(entry["reason"].as_str().unwrap().contains("`alicloud_ram_policy.conditional.policy_document` (line 32)"));
    // With only the unreadable document, the file is skipped; `--fail-on-skip` fails on it.
    let dir = TempDir::new("directives");
    let tf = std::fs::read_to_string(root().join(&file)).unwrap();
    let only = &tf[tf.find("resource \"alicloud_ram_policy\" \"conditional\"").unwrap()..];
    let path = dir.write("main.tf", only).to_string_lossy().to_string();
    let report = check_json(&[&path], 0);
    assert_eq!(report["files"][0]["status"], "skipped");
    ramlint().args(["check", "--fail-on-skip", &path]).assert().code(1);
    let sarif = ramlint().args(["check", "--format", "sarif", &path]).assert().code(0).get_output().stdout.clone();
    assert!(String::from_utf8(sarif).unwrap().contains("not JSON until Terraform renders it"));
}

/// The policy languages of the attributes that are not RAM policies (OSS bucket and access-point,
/// VPC endpoint, KMS key, ROS stack policies; CloudSSO inline policies), in Terraform, `.tf.json`,
/// ROS YAML and plans: the text report names each file's documents' languages, and a
/// `templatefile()` policy is read in the language of the attribute that reads it.
#[test]
fn attributes_say_the_policy_language() {
    let files = ["kinds.tf", "kinds.tf.json", "kinds.yaml", "plan-kinds.json"].map(|f| format!("{DATA}/{f}"));
    let out = ramlint().args(["check", "--color", "never"]).args(&files).assert().code(1).get_output().stdout.clone();
    let text = String::from_utf8(out).unwrap();
    let read_as = text.lines().find(|l| l.starts_with("read as:")).unwrap();
    insta::assert_snapshot!("embedded_kinds_read_as", read_as);
    let report = check_json(&files.each_ref().map(String::as_str), 1);
    let entry = |name: &str| {
        report["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["file"].as_str().unwrap().ends_with(name))
            .unwrap()
            .clone()
    };
    assert_eq!(entry("bucket-policy.tpl")["kind"], "oss-bucket-policy");
    let kms = &entry("kinds.tf")["documents"][4];
    assert_eq!(
        (kms["resource"].as_str(), kms["kind"].as_str()),
        (Some("alicloud_kms_key.data.policy"), Some("kms-key-policy"))
    );
    // No identity-policy finding on the languages that do not have it: `Sid` belongs to a KMS
    // key policy, `"Principal": "*"` to endpoint and stack policies, `Update:*` to stack policies.
    for d in report["diagnostics"].as_array().unwrap() {
        let rule = d["rule"].as_str().unwrap();
        assert!(
            !["undocumented-element", "invalid-principal", "unknown-service", "public-role-trust"].contains(&rule),
            "{d}"
        );
    }
}

/// `dynamic "statement"` blocks (with a nested `dynamic "condition"`) in the data source and in
/// the older `alicloud_ram_policy` syntax: each `content` is linted as the template of the
/// statements it generates, so a data source with only dynamic statements is no empty
/// `Statement`, and a misspelt action inside `content` is found at its `.tf` line.
#[test]
fn dynamic_statement_contents_are_linted() {
    let report = check_json(&[&format!("{DATA}/dynamic.tf")], 1);
    let rows: Vec<(&str, &str, u64, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap(),
                d["resource"].as_str().unwrap(),
                d["line"].as_u64().unwrap(),
                d["pointer"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("unknown-action", "data.alicloud_ram_policy_document.eip_operator", 11, "/Statement/0/Action/0"),
            ("unknown-action", "alicloud_ram_policy.legacy_dynamic.statement", 37, "/Statement/1/Action/0"),
        ]
    );
}
