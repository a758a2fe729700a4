# Written fixture: Terraform without a RAM policy (skipped quietly).
resource "alicloud_vpc" "main" {
  vpc_name   = "main"
  cidr_block = "10.0.0.0/8"
}
