# Written fixture: template directives in heredocs. A `%{ for }` block that writes list items
# is one unknown value and the JSON around it is linted; one that writes a member leaves text
# that is not JSON before Terraform renders it: reported as not linted, never silently.
variable "buckets" {
  type = list(string)
}

resource "alicloud_ram_policy" "buckets" {
  policy_name     = "buckets"
  policy_document = <<-EOF
    {
      "Version": "1",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["oss:GetObject", "oss:GetObjcet"],
          "Resource": [
            %{ for b in var.buckets ~}
            "acs:oss:*:*:${b}/*",
            %{ endfor ~}
            "acs:oss:*:*:logs/*"
          ]
        }
      ]
    }
  EOF
}

resource "alicloud_ram_policy" "conditional" {
  policy_name     = "conditional"
  policy_document = <<-EOF
    {
      "Version": "1",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": "oss:GetObject",
          %{ if var.restrict ~}
          "Condition": {"IpAddress": {"acs:SourceIp": "10.0.0.0/8"}},
          %{ endif ~}
          "Resource": "*"
        }
      ]
    }
  EOF
}
