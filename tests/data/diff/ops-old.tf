# Written pair (with ops-new.tf) for `ramlint diff` over Terraform: an action added to a heredoc
# whose resource interpolates a variable, a service added to a role trust policy, a policy
# removed, and one added.
variable "account" {}

resource "alicloud_ram_policy" "eip_operator" {
  policy_name     = "eip-operator"
  policy_document = <<-EOF
    {
      "Version": "1",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["vpc:DescribeEipAddresses"],
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
      Principal = { Service = ["ecs.aliyuncs.com"] }
    }]
  })
}

resource "alicloud_ram_policy" "gone" {
  policy_name     = "gone"
  policy_document = jsonencode({
    Version   = "1"
    Statement = [{ Effect = "Allow", Action = ["oss:GetObject"], Resource = ["acs:oss:*:*:logs/*"] }]
  })
}
