# Written fixture: the older syntax of `alicloud_ram_policy` (deprecated since provider 1.49.0,
# still in real configurations): `statement` blocks and a `statement = [...]` list.

# Blocks, with a misspelt action and a misspelt region.
resource "alicloud_ram_policy" "blocks" {
  name    = "eip-operator"
  version = "1"
  statement {
    effect   = "Allow"
    action   = ["vpc:AssociateEipAddress", "vpc:UnasociateEipAddress"]
    resource = ["acs:vpc:cn-hangzou:${var.account}:eip/*"]
  }
  statement {
    effect   = "Deny"
    action   = ["vpc:ReleaseEipAddress"]
    resource = ["*"]
  }
}

# A Terraform 0.11 list of objects, with an effect in the wrong case.
resource "alicloud_ram_policy" "list" {
  name = "full-access"
  statement = [
    {
      effect   = "allow"
      action   = ["*"]
      resource = ["*"]
    },
  ]
}

