# Written fixture: `dynamic "statement"` (and `dynamic "condition"`) blocks, the Terraform form of
# optional statements (`for_each = var.x ? [1] : []`). Each `content` is the template of every
# statement the block generates: its literal parts are linted, the iterator's values are unknown.

# Only dynamic statements: not an empty `Statement`; the misspelt action is found.
data "alicloud_ram_policy_document" "eip_operator" {
  dynamic "statement" {
    for_each = var.allow_eip ? [1] : []
    content {
      effect   = "Allow"
      action   = ["vpc:UnassociateEipAdress", "vpc:DescribeEipAddresses"]
      resource = ["acs:vpc:${var.region}:*:eip/*"]
      dynamic "condition" {
        for_each = var.cidrs
        content {
          operator = "IpAddress"
          variable = "acs:SourceIp"
          values   = ["10.0.0.0/8", "192.168.0.0/16"]
        }
      }
    }
  }
}

# The older syntax of `alicloud_ram_policy`, a written statement and a dynamic one.
resource "alicloud_ram_policy" "legacy_dynamic" {
  name = "ecs-reader"
  statement {
    effect   = "Allow"
    action   = ["ecs:DescribeInstances"]
    resource = ["*"]
  }
  dynamic "statement" {
    for_each = var.instance_ids
    content {
      effect   = "Allow"
      action   = ["ecs:DescribeInstancez"]
      resource = ["acs:ecs:*:*:instance/${statement.value}"]
    }
  }
}
