# Written pair (with ops-old.tf) for `ramlint diff` over Terraform.
variable "account" {}

resource "alicloud_ram_policy" "eip_operator" {
  policy_name     = "eip-operator"
  policy_document = <<-EOF
    {
      "Version": "1",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["vpc:DescribeEipAddresses", "vpc:UnassociateEipAddress"],
          "Resource": "acs:vpc:*:${var.account}:eip/*"
        }
      ]
    }
  EOF
}

resource "alicloud_ram_role" "ops" {
  name = "ops"
  assume_role_policy_document = jsonencode({
    Version = "1"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = ["ecs.aliyuncs.com", "fc.aliyuncs.com"] }
    }]
  })
}

resource "alicloud_ram_policy" "escalation" {
  policy_name     = "escalation"
  policy_document = "{\"Version\": \"1\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"ram:AttachPolicyToUser\", \"Resource\": \"*\"}]}"
}
