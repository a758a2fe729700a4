use super::*;

fn only(host: Host, name: &str, text: &str) -> Embedded {
    let out = extract(host, name, text);
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!(out.documents.len(), 1, "{:?}", out.documents);
    out.documents.into_iter().next().unwrap()
}

fn derived(e: &Embedded) -> (&str, &PosMap, &[Span]) {
    match &e.body {
        Body::Text { text, map, unknown, .. } => (text, map, unknown),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_indented_heredoc_maps_back_to_its_lines() {
    let tf = "resource \"alicloud_ram_policy\" \"eip\" {\n  policy_document = <<-EOF\n    {\"Action\": \"vpc:X\"}\n    EOF\n}\n";
    let e = only(Host::Terraform, "main.tf", tf);
    assert_eq!(e.resource, "alicloud_ram_policy.eip.policy_document");
    let (text, map, _) = derived(&e);
    assert_eq!(text, "{\"Action\": \"vpc:X\"}\n");
    let at = text.find("vpc:X").unwrap();
    let host = map.span(Span::new(at, at + 5));
    assert_eq!(&tf[host.start..host.end], "vpc:X");
}

#[test]
fn interpolations_are_unknown_and_escapes_map_to_their_source() {
    let tf = r#"resource "alicloud_ram_role" "r" {
  assume_role_policy_document = "{\"Resource\": \"acs:vpc:cn-hangzou:${var.account}:eip/*\"}"
}
"#;
    let e = only(Host::Terraform, "main.tf", tf);
    assert_eq!(e.language, Language::Trust);
    let (text, map, unknown) = derived(&e);
    assert_eq!(text, "{\"Resource\": \"acs:vpc:cn-hangzou:${var.account}:eip/*\"}");
    assert_eq!(unknown.len(), 1);
    let at = text.find("cn-hangzou").unwrap();
    let host = map.span(Span::new(at, at + 10));
    assert_eq!(&tf[host.start..host.end], "cn-hangzou");
    let quote = map.span(Span::new(1, 2));
    assert_eq!(&tf[quote.start..quote.end], "\\\"");
}

#[test]
fn jsonencode_objects_become_documents_with_spans_on_the_hcl() {
    let tf = "resource \"alicloud_ram_policy\" \"p\" {\n  policy_document = jsonencode({\n    Version = \"1\"\n    Statement = [{ Effect = \"Allow\", Action = [\"vpc:X\"], Resource = [var.arn] }]\n  })\n}\n";
    let e = only(Host::Terraform, "main.tf", tf);
    let (text, map, unknown) = derived(&e);
    let root = crate::json::parse(text).unwrap();
    assert!(root.get("Statement").is_some(), "{text}");
    assert_eq!(unknown.len(), 1);
    let at = text.find("vpc:X").unwrap();
    let host = map.span(Span::new(at, at + 5));
    assert_eq!(&tf[host.start..host.end], "vpc:X");
    let key = text.find("Effect").unwrap();
    let host = map.span(Span::new(key - 1, key + 7));
    assert_eq!(&tf[host.start..host.end], "Effect");
}

#[test]
fn the_policy_document_data_source_is_built_from_its_blocks() {
    let tf = r#"data "alicloud_ram_policy_document" "d" {
  statement {
    effect   = "Allow"
    action   = ["vpc:X"]
    resource = ["*"]
    condition {
      operator = "IpAddress"
      variable = "acs:SourceIp"
      values   = ["10.0.0.0/8"]
    }
  }
}
"#;
    let e = only(Host::Terraform, "main.tf", tf);
    let (text, _, _) = derived(&e);
    let root = crate::json::parse(text).unwrap().to_serde();
    assert_eq!(
        root,
        serde_json::json!({"Version": "1", "Statement": [{"Effect": "Allow", "Action": ["vpc:X"], "Resource": ["*"],
            "Condition": {"IpAddress": {"acs:SourceIp": ["10.0.0.0/8"]}}}]})
    );
}

#[test]
fn ros_yaml_and_json_templates_and_plans() {
    let yaml = "ROSTemplateFormatVersion: '2015-09-01'\nResources:\n  Role:\n    Type: ALIYUN::RAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '1'\n        Statement:\n          - Action: sts:AssumeRole\n            Principal:\n              RAM:\n                - Fn::Sub: acs:ram::${ALIYUN::AccountId}:root\n";
    assert_eq!(sniff("t.yaml", yaml), Some(Host::Ros));
    let e = only(Host::Ros, "t.yaml", yaml);
    assert_eq!(e.resource, "Resources.Role.Properties.AssumeRolePolicyDocument");
    let Body::Tree { root, unknown } = &e.body else { panic!() };
    let action = &root.get("Statement").unwrap().value.as_array().unwrap()[0].get("Action").unwrap().value;
    assert_eq!(&yaml[action.span.start..action.span.end], "sts:AssumeRole");
    assert_eq!(unknown.len(), 1);
    assert_eq!(&yaml[unknown[0].start..unknown[0].end], "${ALIYUN::AccountId}");

    let plan = r#"{"format_version": "1.2", "resource_changes": [{"address": "alicloud_ram_policy.p", "type": "alicloud_ram_policy",
      "change": {"after": {"policy_document": "{\"Statement\": [{\"Action\": \"vpc:X\"}]}"}}}]}"#;
    assert_eq!(sniff("plan.json", plan), Some(Host::Plan));
    let e = only(Host::Plan, "plan.json", plan);
    assert_eq!(e.resource, "alicloud_ram_policy.p.policy_document");
    let (text, map, _) = derived(&e);
    let at = text.find("vpc:X").unwrap();
    let host = map.span(Span::new(at, at + 5));
    assert_eq!(&plan[host.start..host.end], "vpc:X");
}

#[test]
fn broken_inputs_are_errors_not_panics() {
    for (host, name, text) in [
        (Host::Terraform, "a.tf", "resource \"x\" {"),
        (Host::Terraform, "a.tf", "resource \"alicloud_ram_policy\" \"p\" { policy_document = <<EOF\n{\n"),
        (Host::Ros, "a.yaml", "ROSTemplateFormatVersion: [\n"),
        (Host::Plan, "p.json", "{"),
    ] {
        let _ = extract(host, name, text);
    }
}

#[test]
fn terraform_json_strings_hold_documents_with_template_parts() {
    let tf = r#"{"resource": {"alicloud_ram_policy": {"p": {"policy_document": "{\"Resource\": \"acs:vpc:*:${var.account}:eip/*\"}"}}}}"#;
    assert_eq!(sniff("main.tf.json", tf), Some(Host::Terraform));
    let e = only(Host::Terraform, "main.tf.json", tf);
    assert_eq!(e.resource, "alicloud_ram_policy.p.policy_document");
    let (text, map, unknown) = derived(&e);
    assert_eq!(text, "{\"Resource\": \"acs:vpc:*:${var.account}:eip/*\"}");
    let host = map.span(unknown[0]);
    assert_eq!(&tf[host.start..host.end], "${var.account}");
}

#[test]
fn unknowns_judge_only_findings_inside_a_string_that_touch_a_part() {
    let text = r#"{"Resource": "acs:vpc:cn-hangzou:${x}:eip/*", "Action": "a"}"#;
    let root = crate::json::parse(text).unwrap();
    let at = text.find("${x}").unwrap();
    let unknowns = Unknowns::new(&root, &[Span::new(at, at + 4)]);
    let region = text.find("cn-hangzou").unwrap();
    assert!(!unknowns.judged_by(Span::new(region, region + 10)));
    assert!(unknowns.judged_by(Span::new(at, at + 4)));
    assert!(unknowns.judged_by(Span::new(at - 1, at + 5)));
    assert!(unknowns.judged_by(Span::new(at + 1, at + 1)));
    assert!(!unknowns.judged_by(Span::new(0, text.len())));
}

#[test]
fn the_older_statement_blocks_of_a_ram_policy_are_a_document() {
    let tf = r#"resource "alicloud_ram_policy" "p" {
  name = "p"
  statement {
    effect   = "Allow"
    action   = ["vpc:X"]
    resource = ["*"]
  }
  statement = [{
    action   = "${var.policy_action}"
    resource = var.policy_resource
    effect   = "Deny"
  }]
}
"#;
    let e = only(Host::Terraform, "main.tf", tf);
    assert_eq!(e.resource, "alicloud_ram_policy.p.statement");
    assert_eq!(e.language, Language::Ram);
    let (text, map, unknown) = derived(&e);
    let root = crate::json::parse(text).unwrap().to_serde();
    assert_eq!(
        root,
        serde_json::json!({"Version": "1", "Statement": [
            {"Effect": "Allow", "Action": ["vpc:X"], "Resource": ["*"]},
            {"Action": "${var.policy_action}", "Resource": "var.policy_resource", "Effect": "Deny"}
        ]})
    );
    assert_eq!(unknown.len(), 2);
    let at = text.find("vpc:X").unwrap();
    let host = map.span(Span::new(at, at + 5));
    assert_eq!(&tf[host.start..host.end], "vpc:X");
}

#[test]
fn a_ram_policy_with_a_document_and_no_statement_has_one_document() {
    let tf = "resource \"alicloud_ram_policy\" \"p\" {\n  version = \"1\"\n  policy_document = \"{}\"\n}\n";
    let e = only(Host::Terraform, "main.tf", tf);
    assert_eq!(e.resource, "alicloud_ram_policy.p.policy_document");
}

#[test]
fn a_directive_block_is_one_unknown_value_with_its_comma() {
    let tf = "resource \"alicloud_ram_policy\" \"p\" {\n  policy_document = <<EOF\n{\"Resource\": [\n%{ for b in var.x ~}\n\"acs:oss:*:*:${b}\",\n%{ endfor ~}\n\"acs:oss:*:*:logs\"]}\nEOF\n}\n";
    let e = only(Host::Terraform, "main.tf", tf);
    let (text, map, unknown) = derived(&e);
    let root = crate::json::parse(text).unwrap().to_serde();
    assert_eq!(root["Resource"].as_array().unwrap().len(), 2, "{text}");
    assert_eq!(root["Resource"][1], "acs:oss:*:*:logs");
    assert_eq!(unknown.len(), 1);
    let at = text.find("logs").unwrap();
    let host = map.span(Span::new(at, at + 4));
    assert_eq!(&tf[host.start..host.end], "logs");
    // Nested blocks and `else` fold into the outer block.
    let pieces = template::whole("[%{ if a }%{ for x in y }\"${x}\",%{ endfor }%{ else }\"z\",%{ endif }\"w\"]");
    let folded = template::fold_directives(&pieces);
    let kinds: Vec<(bool, &str)> = folded.iter().map(|p| (p.unknown, p.text.as_str())).collect();
    assert_eq!(kinds.len(), 4, "{kinds:?}");
    assert_eq!(kinds[2], (false, ","));
}

#[test]
fn the_attribute_says_the_language_also_of_nested_blocks() {
    let tf = r#"resource "alicloud_cloud_sso_access_configuration" "ops" {
  permission_policies {
    permission_policy_type = "System"
  }
  permission_policies {
    permission_policy_document = "{\"Version\": \"1\"}"
  }
}
resource "alicloud_vpc_gateway_endpoint" "oss" {
  policy_document = "{\"Statement\": []}"
}
"#;
    let out = extract(Host::Terraform, "main.tf", tf);
    let found: Vec<(&str, Language)> = out.documents.iter().map(|d| (d.resource.as_str(), d.language)).collect();
    assert_eq!(
        found,
        [
            (
                "alicloud_cloud_sso_access_configuration.ops.permission_policies[1].permission_policy_document",
                Language::Ram
            ),
            ("alicloud_vpc_gateway_endpoint.oss.policy_document", Language::VpcEndpoint),
        ]
    );
    assert_eq!(language_of("alicloud_oss_bucket_policy.b.policy"), Some(Language::OssBucket));
    assert_eq!(language_of("alicloud_ros_stack.s.stack_policy_during_update_body"), Some(Language::RosStack));
    assert_eq!(
        language_of("alicloud_cloud_sso_access_configuration.c.permission_policies[3].permission_policy_document"),
        Some(Language::Ram)
    );
    assert_eq!(language_of("alicloud_oss_bucket.b.acl"), None);
    assert_eq!(language_of("alicloud_vpc.v"), None);
}

#[test]
fn a_plan_skips_the_empty_document_of_a_system_policy() {
    let plan = r#"{"format_version": "1.2", "resource_changes": [{"address": "alicloud_cloud_sso_access_configuration.c", "type": "alicloud_cloud_sso_access_configuration",
  "change": {"after": {"permission_policies": [{"permission_policy_document": ""}, {"permission_policy_document": "{}"}]}}}]}"#;
    let e = only(Host::Plan, "plan.json", plan);
    assert_eq!(
        e.resource,
        "alicloud_cloud_sso_access_configuration.c.permission_policies[1].permission_policy_document"
    );
}

#[test]
fn unknown_values_are_quoted_by_the_string_state_of_the_text_before() {
    // The state read lazily across literal pieces split anywhere (inside an escape too), as
    // the character walk it replaced read it.
    let text = "{\"a\": \"x\\\"${p}\", \"b\": ${q}, \"c\": \"\\\\\", \"d\": \"é\\é${r}\"}";
    let expect = |pieces: &[template::Piece]| {
        let (mut in_string, mut escaped, mut out) = (false, false, Vec::new());
        for piece in pieces {
            if piece.unknown {
                out.push(in_string);
                continue;
            }
            for c in piece.text.chars() {
                if escaped {
                    escaped = false;
                } else if in_string && c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = !in_string;
                }
            }
        }
        out
    };
    let whole = template::whole(text);
    for cut in 1..text.len() {
        if !text.is_char_boundary(cut) {
            continue;
        }
        // Each literal piece split in two at `cut`.
        let mut pieces = Vec::new();
        for p in &whole {
            let inside = p.host.start < cut && cut < p.host.end && !p.unknown;
            let at = cut.saturating_sub(p.host.start);
            match (inside, p.text.get(..at), p.text.get(at..)) {
                (true, Some(a), Some(b)) => {
                    let mut first = p.clone();
                    first.text = a.to_string();
                    first.host.end = cut;
                    let mut second = p.clone();
                    second.text = b.to_string();
                    second.host.start = cut;
                    pieces.extend([first, second]);
                }
                _ => pieces.push(p.clone()),
            }
        }
        let mut b = Builder::default();
        b.json_pieces(&pieces);
        let quoted: Vec<bool> = b.unknown.iter().map(|u| !b.text[u.start..u.end].starts_with('"')).collect();
        assert_eq!(quoted, expect(&pieces), "cut at {cut}");
    }
}
