# Written fixture: documents written in HCL, with deliberate mistakes.
resource "alicloud_ram_role" "ecs" {
  role_name = "ecs"
  assume_role_policy_document = jsonencode({
    Version = "1"
    Statement = [
      {
        Action    = "sts:AssumeRole"
        Effect    = "Allow"
        Principal = { RAM = ["acs:ram::${data.alicloud_account.current.id}:root"], Service = ["ecs.aliyuncs.co"] }
      }
    ]
  })
}

resource "alicloud_ram_policy" "admin" {
  policy_name = "admin"
  policy_document = jsonencode({
    Version   = "1"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

data "alicloud_ram_policy_document" "logs" {
  version = "1"
  statement {
    effect   = "Allow"
    action   = ["log:GetLogStore", "ecs:DescribeInstancess"]
    resource = ["acs:log:cn-hangzhou:*:project/${var.project}/*"]
    condition {
      operator = "IpAddres"
      variable = "acs:SourceIp"
      values   = ["10.0.0.0/8"]
    }
  }
}
