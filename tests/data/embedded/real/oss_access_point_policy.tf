variable "name" {
  default = "terraform-example"
}

provider "alicloud" {
  region = "cn-hangzhou"
}

resource "random_integer" "default" {
  min = 10000
  max = 99999
}

resource "alicloud_oss_bucket" "CreateBucket" {
  storage_class = "Standard"
  bucket        = "${var.name}-${random_integer.default.result}"
}

resource "alicloud_oss_access_point" "CreateAccessPoint" {
  access_point_name = "${var.name}-ap"
  bucket            = alicloud_oss_bucket.CreateBucket.bucket
  network_origin    = "internet"
}

resource "alicloud_oss_access_point_policy" "default" {
  access_point_name = alicloud_oss_access_point.CreateAccessPoint.access_point_name
  bucket            = alicloud_oss_bucket.CreateBucket.bucket
  policy            = jsonencode({ "Version" : "1", "Statement" : [{ "Action" : ["oss:PutObject", "oss:GetObject"], "Effect" : "Allow", "Principal" : ["1234567890"], "Resource" : ["acs:oss:*:1234567890:*/*"] }] })
}
