# Written fixture: every string form of an embedded policy, with deliberate mistakes.
variable "account" {}

locals {
  prefix = "ops"
}

# `<<-` strips the indentation; `${var.account}` is unknown, the region beside it is not.
resource "alicloud_ram_policy" "eip_operator" {
  policy_name     = "${local.prefix}-eip-operator"
  policy_document = <<-EOF
    {
      "Version": "1",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["vpc:AssociateEipAddress", "vpc:UnasociateEipAddress"],
          "Resource": [
            "acs:vpc:cn-hangzou:${var.account}:eip/*",
            "acs:vpc:${var.region}:${var.account}:eip/*"
          ]
        }
      ]
    }
  EOF
}

# A plain heredoc with the older `document` attribute.
resource "alicloud_ram_policy" "legacy" {
  name     = "legacy"
  document = <<EOF
{
  "Version": "1",
  "Statement": [{"Effect": "Alow", "Action": "ecs:DescribeInstances", "Resource": "*"}]
}
EOF
}

# A quoted JSON string with escapes: findings point at the `.tf` columns.
resource "alicloud_ram_role" "ops" {
  role_name                   = "ops"
  assume_role_policy_document = "{\"Version\": \"1\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\", \"Principal\": {\"Service\": [\"ecs.aliyuncs.co\"]}}]}"
}

resource "alicloud_resource_manager_control_policy" "deny_ram" {
  control_policy_name = "deny-ram"
  effect_scope        = "RAM"
  policy_document     = <<EOF
{
  "Version": "1",
  "Statement": [{"Effect": "Deny", "Action": ["ram:*"], "Resource": "*", "Condition": {"StringEquals": {"acs:SourceIp": "${var.office}"}}}]
}
EOF
}

# Read from files beside this one: each is linted once.
resource "alicloud_ram_policy" "from_file" {
  policy_name     = "from-file"
  policy_document = file("${path.module}/policy.json")
}

resource "alicloud_ram_policy" "from_template" {
  policy_name     = "from-template"
  policy_document = templatefile("${path.module}/policy.tpl", { bucket = "logs" })
}

resource "alicloud_vpc" "main" {
  vpc_name   = "main"
  cidr_block = "10.0.0.0/8"
}
