# Written fixture: a heredoc that is not JSON (a trailing comma).
resource "alicloud_ram_policy" "broken" {
  policy_name     = "broken"
  policy_document = <<EOF
{
  "Version": "1",
  "Statement": [
    {"Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": "*"},
  ]
}
EOF
}
