# Written fixture: the policy languages of the attributes that are not RAM policies, each with
# deliberate mistakes; the attribute says the language (docs/policy-languages.md).
variable "account" {}

# An OSS bucket policy: `Principal` is a list of account ids; a misspelt action.
resource "alicloud_oss_bucket_policy" "logs" {
  bucket = "logs"
  policy = jsonencode({
    Version = "1"
    Statement = [{
      Effect    = "Allow"
      Action    = ["oss:GetObjet", "oss:ListObjects"]
      Principal = ["12345"]
      Resource  = ["acs:oss:*:${var.account}:logs/*"]
    }]
  })
}

# A bucket policy read from a template beside the configuration: linted once, as the OSS
# bucket policy the attribute holds (its content alone, without a `Principal`, would not say so).
resource "alicloud_oss_bucket_policy" "from_file" {
  bucket = "logs"
  policy = templatefile("${path.module}/bucket-policy.tpl", { bucket = "logs" })
}

# The bucket's own (deprecated) `policy`, and an access-point policy: an effect RAM rejects,
# a misspelt region.
resource "alicloud_oss_bucket" "site" {
  bucket = "site"
  policy = <<-EOF
    {"Version": "1", "Statement": [{"Effect": "Alow", "Action": ["oss:GetObject"],
      "Principal": ["*"], "Resource": ["acs:oss:*:*:site/*"]}]}
  EOF
}

resource "alicloud_oss_access_point_policy" "ap" {
  bucket            = "site"
  access_point_name = "ap"
  policy            = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"oss:GetObject\"],\"Principal\":[\"*\"],\"Resource\":[\"acs:oss:cn-hangzou:*:accesspoint/ap/object/*\"]}]}"
}

# A VPC endpoint policy: `"Principal": "*"` is its form; the action is not `<code>:<action>`.
resource "alicloud_vpc_gateway_endpoint" "oss" {
  service_name    = "com.aliyun.cn-hangzhou.oss"
  vpc_id          = "vpc-123"
  policy_document = <<EOF
{
  "Version": "1",
  "Statement": [{"Effect": "Allow", "Principal": "*", "Action": ["oss GetObject"], "Resource": ["*"]}]
}
EOF
}

# A KMS key policy: `Sid` belongs to it; the account in the principal is too short.
resource "alicloud_kms_key" "data" {
  description = "data"
  policy      = "{\"Version\":\"1\",\"Statement\":[{\"Sid\":\"kms default key policy\",\"Effect\":\"Allow\",\"Action\":[\"kms:*\"],\"Principal\":{\"RAM\":[\"acs:ram::11928530351:*\"]},\"Resource\":[\"*\"]}]}"
}

# ROS stack policies: no `Version`, `Update:*` actions; an effect RAM rejects, a statement
# without an action.
resource "alicloud_ros_stack" "app" {
  stack_name        = "app"
  stack_policy_body = <<EOF
{"Statement": [{"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"},
  {"Effect": "deny", "Action": "Update:Delete", "Principal": "*", "Resource": "LogicalResourceId/Database"}]}
EOF
  stack_policy_during_update_body = jsonencode({
    Statement = [{ Effect = "Allow", Principal = "*", Resource = "*" }]
  })
}

# CloudSSO: a system policy has no document; an inline one is a RAM policy (a misspelt action).
resource "alicloud_cloud_sso_access_configuration" "ops" {
  directory_id              = "d-123"
  access_configuration_name = "ops"
  permission_policies {
    permission_policy_type = "System"
    permission_policy_name = "AliyunECSReadOnlyAccess"
  }
  permission_policies {
    permission_policy_type     = "Inline"
    permission_policy_name     = "ops"
    permission_policy_document = jsonencode({
      Version   = "1"
      Statement = [{ Effect = "Allow", Action = ["ecs:DescribeInstancess"], Resource = "*" }]
    })
  }
}
