variable "name" {
  default = "terraform-example"
}

provider "alicloud" {
  region = "cn-hangzhou"
}

data "alicloud_zones" "default" {
  available_resource_creation = "VSwitch"
}

resource "alicloud_vpc" "create-vpc" {
  vpc_name = var.name
}

resource "alicloud_vswitch" "vswitch-k" {
  vpc_id     = alicloud_vpc.create-vpc.id
  cidr_block = "172.16.1.0/24"
  zone_id    = data.alicloud_zones.default.zones.0.id
}

resource "alicloud_vswitch" "vswitch-j" {
  vpc_id     = alicloud_vpc.create-vpc.id
  zone_id    = data.alicloud_zones.default.zones.1.id
  cidr_block = "172.16.2.0/24"
}

resource "alicloud_kms_instance" "create-instance" {
  vpc_num         = "1"
  key_num         = "1000"
  product_type    = "kms_ddi_public_cn"
  secret_num      = "100"
  product_version = "3"
  renew_status    = "AutoRenewal"
  vpc_id          = alicloud_vpc.create-vpc.id
  vswitch_ids     = ["${alicloud_vswitch.vswitch-j.id}"]
  zone_ids        = ["${alicloud_vswitch.vswitch-j.zone_id}", "${alicloud_vswitch.vswitch-k.zone_id}"]
  spec            = "1000"
  renew_period    = "1"
}


resource "alicloud_kms_key" "default" {
  protection_level          = "SOFTWARE"
  description               = "key description example"
  key_spec                  = "Aliyun_AES_256"
  key_usage                 = "ENCRYPT/DECRYPT"
  rotation_interval         = "604800s"
  dkms_instance_id          = alicloud_kms_instance.create-instance.id
  origin                    = "Aliyun_KMS"
  policy                    = "{\"Version\":\"1\",\"Statement\":[{\"Action\":[\"kms:*\"],\"Resource\":[\"*\"],\"Effect\":\"Allow\",\"Principal\":{\"RAM\":[\"acs:ram::1192853035118460:*\"]},\"Sid\":\"kms default key policy\"}]}"
  enable_automatic_rotation = true
  automatic_rotation        = "Enabled"
  status                    = "Enabled"
}
