#!/usr/bin/env python3
"""Derive ramlint's API parameter specifications from the research data.

Reads the Openmeta `api-docs.json` copies under ../shared/data (relative to the repository root;
override with --data) and writes:

  rules/apis/<code>/<version>.json    one file per product version
  rules/apis/common-parameters.json   parameters that are never `unknown-parameter`
  rules/apis/products.json            serviceName / eventSource host / Product -> spec file

Only facts are written: names, types, required flags, enums, defaults, limits, styles, element
structure, error codes with their HTTP status and literal message string. Descriptions (prose) are
never copied. Facts that exist only as prose (value lists written in a description, ID formats,
cross-parameter rules) are hand-curated in the commented tables below; each entry names its source
id, and every source id is listed in SOURCES with its origin and licence.

Usage:
  python3 scripts/derive_api_specs.py                 # write the files
  python3 scripts/derive_api_specs.py --check         # exit 1 if a file would change
  python3 scripts/derive_api_specs.py --data DIR --out DIR

Standard library only; deterministic output (2-space indent, fixed key order, trailing newline).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "rules" / "apis"

OPENMETA_MIRROR = "dew-serverless/acs-metadata"
OPENMETA_COMMIT = "b3c749cc875faf56035035ed91fb8aa173d2abd7"  # 2025-12-19, METADATA=20251219
OPENMETA_RDS_COMMIT = "504e423b90bd43e1aba66ecd31b783b544190fb5"  # 2025-08-22 (newer RDS blob > 4 MiB)
OPENMETA_LICENCE = (
    "no open licence stated (Alibaba Cloud Openmeta metadata as mirrored by "
    "dew-serverless/acs-metadata, which has no LICENSE file); facts only, clear before shipping"
)

# ---------------------------------------------------------------------------------------------
# Sources. `id` is what spec files, parameters and rules cite in their `source` fields.
# ---------------------------------------------------------------------------------------------


def _openmeta(code: str, version: str, lang: str, commit: str = OPENMETA_COMMIT) -> dict:
    return {
        "id": f"openmeta:{code}/{version}/{lang}",
        "origin": f"{OPENMETA_MIRROR}@{commit}:{lang}/{code}/{version}/api-docs.json",
        "licence": OPENMETA_LICENCE,
    }


SOURCES = {s["id"]: s for s in [
    _openmeta("vpc", "2016-04-28", "en_us"),
    _openmeta("vpc", "2016-04-28", "zh_cn"),
    _openmeta("ecs", "2014-05-26", "en_us"),
    _openmeta("slb", "2014-05-15", "en_us"),
    _openmeta("ram", "2015-05-01", "en_us"),
    _openmeta("sts", "2015-04-01", "en_us"),
    _openmeta("actiontrail", "2020-07-06", "en_us"),
    _openmeta("resourcemanager", "2020-03-31", "en_us"),
    _openmeta("rds", "2014-08-15", "en_us", OPENMETA_RDS_COMMIT),
    {
        "id": "openmeta:products",
        "origin": f"{OPENMETA_MIRROR}@{OPENMETA_COMMIT}:en_us/products.json",
        "licence": OPENMETA_LICENCE,
    },
    {
        "id": "ram-codes",
        "origin": "ramlint research data ram-metadata/ram-codes.json (per-product 'RAM code' "
                  "sentences of the Alibaba Cloud 'RAM authorization' help pages; each row cites "
                  "its page URL)",
        "licence": "no open licence stated (facts from Alibaba Cloud help pages)",
    },
    {
        "id": "vpc-eip-authorization",
        "origin": "ramlint research data ram-metadata/vpc-eip-authorization.transcribed-from-docs."
                  "json (entry 'Ecs 2014-05-26 UnassociateEipAddress': action "
                  "vpc:UnassociateEipAddress; help.aliyun.com/zh/ecs/developer-reference/"
                  "api-ecs-2014-05-26-unassociateeipaddress)",
        "licence": "no open licence stated (facts from Alibaba Cloud help pages)",
    },
    {
        "id": "lyyvli-vpc-call-apis",
        "origin": "lyyvli/vpc@38fcec055b0a146f1bf2368f70cdbcf42303f040:intl.en-US/API reference/"
                  "Call VPC APIs.md (mirror of AlibabaCloudDocs/vpc)",
        "licence": "MIT (Copyright (c) 2018 AlibabaCloudDocs)",
    },
    {
        "id": "alibabaclouddocs-vpn-common-parameters",
        "origin": "AlibabaCloudDocs/vpn@85f68d789b581be0bab0f59f77e73b99a84a3400:intl.en-US/"
                  "API Reference/Common parameters.md (VPC 2016-04-28 common request parameters)",
        "licence": "MIT (AlibabaCloudDocs)",
    },
    {
        "id": "alibabacloud-common-parameters-pages",
        "origin": "https://www.alibabacloud.com/help/en/user-center/developer-reference/"
                  "common-parameters (Action), https://www.alibabacloud.com/help/en/bastion-host/"
                  "latest/common-parameters (ResourceOwnerAccount); NAS 'Public parameter' page, "
                  "markdown copy in the code index, file id 15975718470 (SecurityToken)",
        "licence": "no open licence stated (Alibaba Cloud help pages); names only",
    },
    {
        "id": "aliyun-openapi-meta-2018",
        "origin": "aliyun/aliyun-openapi-meta@f98f84540748461ab390b3aadcf9d7765eaba717:vpc/"
                  "<Api>.json ('hidden' parameters Action, OwnerId, OwnerAccount, "
                  "ResourceOwnerId, ResourceOwnerAccount)",
        "licence": "Apache-2.0",
    },
    {
        "id": "aliyun-openapi-cpp-sdk",
        "origin": "aliyun/aliyun-openapi-cpp-sdk@288efa5b1f4afdc5b3abd3e0943b69ce35d30759:"
                  "<product>/src/model/*Request.cc (generated request models that set CallerParentId, "
                  "CallerBid, CallerUid, CallerType as request parameters)",
        "licence": "Apache-2.0",
    },
    {
        "id": "actiontrail-doc-ram-role-event",
        "origin": "https://www.alibabacloud.com/help/en/actiontrail/user-guide/"
                  "query-actiontrail-events-by-assuming-a-ram-role (doc-detail/286997): LookupEvents "
                  "event whose requestParameters hold stsTokenPrincipalName, AcsHost, ServiceCode, "
                  "AcsProduct, RequestId, Region, HostId, stsTokenPlayerUid; eventSource "
                  "actiontrail.cn-hangzhou.aliyuncs.com",
        "licence": "no open licence stated (Alibaba Cloud help page); field names only",
    },
    {
        "id": "actiontrail-doc-trail-events",
        "origin": "https://www.alibabacloud.com/help/doc-detail/28826.htm: UpdateTrail event whose "
                  "requestParameters hold charset, AcsHost, RequestId, HostId, AcsProduct, "
                  "AcceptLanguage, Region; eventSource actiontrail-openapi-share.cn-hangzhou."
                  "aliyuncs.com",
        "licence": "no open licence stated (Alibaba Cloud help page); field names only",
    },
    {
        "id": "actiontrail-doc-ecs-event",
        "origin": "ActionTrail example event of ECS CreateNetworkInterface (markdown copy of an "
                  "Alibaba Cloud help page in the code index, file id 35001225492): "
                  "requestParameters hold RequestId, SignatureType, stsTokenPlayerUid",
        "licence": "no open licence stated (Alibaba Cloud help page); field names only",
    },
    {
        "id": "ramlint-contract",
        "origin": "ramlint contract, ../shared/docs/contract.md ('Recorded request shapes', "
                  "'Accepted as valid': Product in an RPC object; EIP InstanceType/InstanceId rules "
                  "apply to every EIP API that takes both)",
        "licence": "project document",
    },
]}

# ---------------------------------------------------------------------------------------------
# Products. One spec file each. `endpoint` is taken from the metadata when it lists the central
# `<code>.aliyuncs.com` host; otherwise from ENDPOINT_OVERRIDES (cited).
# ---------------------------------------------------------------------------------------------
PRODUCTS = [
    # file (under api-metadata/openmeta), code, version, ram_code, catalog_date
    ("vpc-2016-04-28/api-docs.en_us.json", "vpc", "2016-04-28", "vpc", "2025-12-19"),
    ("ecs-2014-05-26/api-docs.en_us.json", "ecs", "2014-05-26", "ecs", "2025-12-19"),
    ("slb-2014-05-15/api-docs.en_us.json", "slb", "2014-05-15", "slb", "2025-12-19"),
    ("ram-2015-05-01/api-docs.en_us.json", "ram", "2015-05-01", "ram", "2025-12-19"),
    ("sts-2015-04-01/api-docs.en_us.json", "sts", "2015-04-01", "sts", "2025-12-19"),
    ("actiontrail-2020-07-06/api-docs.en_us.json", "actiontrail", "2020-07-06", "actiontrail",
     "2025-12-19"),
    ("resourcemanager-2020-03-31/api-docs.en_us.json", "resourcemanager", "2020-03-31",
     "resourcemanager", "2025-12-19"),
    ("rds-2014-08-15/api-docs.en_us.json", "rds", "2014-08-15", "rds", "2025-08-22"),
]
# OSS 2019-05-17 is skipped on purpose: info.style is "OSS" (REST), not RPC.

# Central endpoint where the metadata's endpoint list has none.
ENDPOINT_OVERRIDES = {
    # "The endpoint of VPC APIs is vpc.aliyuncs.com" (lyyvli-vpc-call-apis); the Openmeta VPC
    # endpoint list has only regional hosts.
    "vpc": ("vpc.aliyuncs.com", "lyyvli-vpc-call-apis"),
    # No central host in the ActionTrail metadata; cn-hangzhou is the host of the documented
    # LookupEvents event (actiontrail-doc-ram-role-event) and is in the metadata list.
    "actiontrail": ("actiontrail.cn-hangzhou.aliyuncs.com", "actiontrail-doc-ram-role-event"),
}

# Extra eventSource host prefixes (first DNS label) beyond those in the metadata endpoint lists.
EXTRA_ENDPOINT_PREFIXES = {
    "actiontrail": [("actiontrail-openapi-share", "actiontrail-doc-trail-events")],
}

# ---------------------------------------------------------------------------------------------
# Formats (ids of rules/formats.json). Generic name rules, applied in every product:
#  - RegionId -> region-id, ClientToken -> client-token (every API that defines them).
#  - ID_FORMATS: only when the parameter is a string, its metadata example starts with the
#    prefix (masked examples such as `eip-2zeerraiwb7uj6i0d****` count), and its description does
#    not describe a JSON value or a list other than a comma-separated one. A comma-separated list
#    ("Separate multiple IDs with commas") gets `separator: ","`.
# InstanceId never gets a format (judged by instance-type-mismatch rules only; contract).
# ---------------------------------------------------------------------------------------------
NAME_FORMATS = {"RegionId": "region-id", "ClientToken": "client-token"}
ID_FORMATS = {
    "AllocationId": ("eip-id", "eip-"),
    "HaVipId": ("havip-id", "havip-"),
    "NatGatewayId": ("nat-gateway-id", "ngw-"),
    "VpcId": ("vpc-id", "vpc-"),
    "VSwitchId": ("vswitch-id", "vsw-"),
    "ResourceGroupId": ("resource-group-id", "rg-"),
    "SecurityGroupId": ("security-group-id", "sg-"),
    "NetworkInterfaceId": ("eni-id", "eni-"),
    "LoadBalancerId": ("slb-instance-id", "lb-"),
    "RouteTableId": ("route-table-id", "vtb-"),
    "VRouterId": ("vrouter-id", "vrt-"),
}
COMMA_LIST_RE = re.compile(r"commas?\s*\(,\)|separate[d]? (?:multiple|the|them|with|by) .*comma|"
                           r"comma-separated|separated by commas", re.I)
OTHER_LIST_RE = re.compile(r"JSON|\barray\b|\blist of\b|semicolon", re.I)

# The deprecated ECS 2014-05-26 copies of the EIP/HaVip APIs carry neither examples nor
# descriptions. Their ID parameters take the format of the same parameter of the current
# VPC 2016-04-28 API (source: README of the research data, section 1a: "the deprecated ECS-side
# copies of the EIP/HaVip APIs"; ram action per vpc-eip-authorization).
ECS_EIP_HAVIP_COPIES = [
    "AllocateEipAddress", "AssociateEipAddress", "AssociateHaVip", "CreateHaVip", "DeleteHaVip",
    "DescribeEipAddresses", "DescribeEipMonitorData", "DescribeHaVips",
    "DescribeNewProjectEipMonitorData", "ModifyEipAddressAttribute", "ModifyHaVipAttribute",
    "ReleaseEipAddress", "UnassociateEipAddress", "UnassociateHaVip",
]

V_EN = "openmeta:vpc/2016-04-28/en_us"
V_ZH = "openmeta:vpc/2016-04-28/zh_cn"
CONTRACT = "ramlint-contract"

# ---------------------------------------------------------------------------------------------
# Curated parameter facts that exist only as prose. Key: (code, version, api, path) where path
# is the parameter name, `Name[]` for its array element and `Name[].Prop` for a property of an
# object element. Every entry cites the source whose description states the fact.
# ---------------------------------------------------------------------------------------------
ISP_VALUES = ["BGP", "BGP_PRO", "ChinaTelecom", "ChinaUnicom", "ChinaMobile", "ChinaTelecom_L2",
              "ChinaUnicom_L2", "ChinaMobile_L2", "BGP_FinanceCloud"]
EIP_INSTANCE_TYPES_ZH_UNASSOC = ["EcsInstance", "SlbInstance", "NetworkInterface", "Nat", "HaVip",
                                 "IpAddress"]
EIP_INSTANCE_TYPES_ASSOC = ["Nat", "SlbInstance", "EcsInstance", "NetworkInterface", "HaVip",
                            "IpAddress"]
HAVIP_INSTANCE_TYPES = ["EcsInstance", "NetworkInterface"]

VPC = ("vpc", "2016-04-28")
ECS = ("ecs", "2014-05-26")

CURATED_PARAMS = {
    # --- UnassociateEipAddress -----------------------------------------------------------------
    # en_us lists EcsInstance (default), SlbInstance, NetworkInterface, Nat, HaVip; the zh_cn
    # description adds IpAddress ("**IpAddress**：IP 地址"). The seed reference is authoritative.
    (*VPC, "UnassociateEipAddress", "InstanceType"):
        {"enum": EIP_INSTANCE_TYPES_ZH_UNASSOC, "default": "EcsInstance", "source": V_ZH},
    # "Valid values: false (default), true".
    (*VPC, "UnassociateEipAddress", "Force"): {"default": False, "source": V_EN},
    # "The private IP address of the ECS instance or the secondary ENI" (example 192.XX.XX.2).
    (*VPC, "UnassociateEipAddress", "PrivateIpAddress"): {"format": "ipv4", "source": V_EN},
    # --- AssociateEipAddress ---------------------------------------------------------------------
    # "Valid values: Nat, SlbInstance, EcsInstance (default), NetworkInterface, HaVip, IpAddress".
    (*VPC, "AssociateEipAddress", "InstanceType"):
        {"enum": EIP_INSTANCE_TYPES_ASSOC, "default": "EcsInstance", "source": V_EN},
    # "Valid values: NAT (default), MULTI_BINDED, BINDED".
    (*VPC, "AssociateEipAddress", "Mode"):
        {"enum": ["NAT", "MULTI_BINDED", "BINDED"], "default": "NAT", "source": V_EN},
    # "The IP address in the CIDR block of the vSwitch" (example 192.168.XX.XX).
    (*VPC, "AssociateEipAddress", "PrivateIpAddress"): {"format": "ipv4", "source": V_EN},
    # --- AssociateEipAddressBatch ----------------------------------------------------------------
    # "Valid values: Nat, NetworkInterface".
    (*VPC, "AssociateEipAddressBatch", "BindedInstanceType"):
        {"enum": ["Nat", "NetworkInterface"], "source": V_EN},
    # "Set the value to MULTI_BINDED".
    (*VPC, "AssociateEipAddressBatch", "Mode"): {"enum": ["MULTI_BINDED"], "source": V_EN},
    # "The IDs of the EIPs to be associated" (example eip-2zeerraiwb7ujsxdc****).
    (*VPC, "AssociateEipAddressBatch", "InstanceIds[]"): {"format": "eip-id", "source": V_EN},
    # --- AllocateEipAddress / AllocateEipAddressPro -----------------------------------------------
    (*VPC, "AllocateEipAddress", "ISP"): {"enum": ISP_VALUES, "default": "BGP", "source": V_EN},
    (*VPC, "AllocateEipAddressPro", "ISP"): {"enum": ISP_VALUES, "default": "BGP", "source": V_EN},
    # zh_cn: "仅取值为public（默认值）" (the only value is public, the default).
    (*VPC, "AllocateEipAddress", "Netmode"): {"enum": ["public"], "default": "public",
                                              "source": V_ZH},
    (*VPC, "AllocateEipAddressPro", "Netmode"): {"enum": ["public"], "default": "public",
                                                 "source": V_ZH},
    # "Valid values: Month (default), Year".
    (*VPC, "AllocateEipAddress", "PricingCycle"): {"enum": ["Month", "Year"], "default": "Month",
                                                   "source": V_EN},
    (*VPC, "AllocateEipAddressPro", "PricingCycle"): {"enum": ["Month", "Year"],
                                                      "default": "Month", "source": V_EN},
    # "Valid values: PrePaid, PostPaid (default)".
    (*VPC, "AllocateEipAddress", "InstanceChargeType"):
        {"enum": ["PrePaid", "PostPaid"], "default": "PostPaid", "source": V_EN},
    (*VPC, "AllocateEipAddressPro", "InstanceChargeType"):
        {"enum": ["PrePaid", "PostPaid"], "default": "PostPaid", "source": V_EN},
    # "Valid values: PayByBandwidth (default), PayByTraffic" (the default is also in metadata).
    (*VPC, "AllocateEipAddress", "InternetChargeType"):
        {"enum": ["PayByBandwidth", "PayByTraffic"], "source": V_EN},
    (*VPC, "AllocateEipAddressPro", "InternetChargeType"):
        {"enum": ["PayByBandwidth", "PayByTraffic"], "source": V_EN},
    # Month: 1 to 9; Year: 1 to 5 (Pro: 1 to 3). The overall range is 1 to 9.
    (*VPC, "AllocateEipAddress", "Period"): {"minimum": 1, "maximum": 9, "source": V_EN},
    (*VPC, "AllocateEipAddressPro", "Period"): {"minimum": 1, "maximum": 9, "source": V_EN},
    # "If you set the parameter to AntiDDoS_Enhanced, Anti-DDoS Pro/Premium is used" (only value).
    (*VPC, "AllocateEipAddress", "SecurityProtectionTypes[]"):
        {"enum": ["AntiDDoS_Enhanced"], "source": V_EN},
    (*VPC, "AllocateEipAddressPro", "SecurityProtectionTypes[]"):
        {"enum": ["AntiDDoS_Enhanced"], "source": V_EN},
    # "The IP address of the EIP that you want to request" (EIPs are IPv4; example 192.0.XX.XX).
    (*VPC, "AllocateEipAddress", "IpAddress"): {"format": "ipv4", "source": V_EN},
    (*VPC, "AllocateEipAddressPro", "IpAddress"): {"format": "ipv4", "source": V_EN},
    # Name "1 to 128 characters" (zh_cn: 0-128); Description "2 to 256" (zh_cn: 0-256).
    (*VPC, "AllocateEipAddress", "Name"): {"max_length": 128, "source": V_EN},
    (*VPC, "AllocateEipAddress", "Description"): {"max_length": 256, "source": V_EN},
    # --- ModifyEipAddressAttribute ---------------------------------------------------------------
    (*VPC, "ModifyEipAddressAttribute", "Name"): {"max_length": 128, "source": V_EN},
    (*VPC, "ModifyEipAddressAttribute", "Description"): {"max_length": 256, "source": V_EN},
    # --- DescribeEipAddresses --------------------------------------------------------------------
    # "Valid values: Associating, Unassociating, InUse, Available, Releasing".
    (*VPC, "DescribeEipAddresses", "Status"):
        {"enum": ["Associating", "Unassociating", "InUse", "Available", "Releasing"],
         "source": V_EN},
    (*VPC, "DescribeEipAddresses", "ISP"): {"enum": ISP_VALUES, "source": V_EN},
    # "Valid values: financial, security".
    (*VPC, "DescribeEipAddresses", "LockReason"): {"enum": ["financial", "security"],
                                                   "source": V_EN},
    # "Valid values: EcsInstance (default), SlbInstance, Nat, HaVip, NetworkInterface, IpAddress".
    # No default written: this is a query filter, and a default filter type would turn every
    # AssociatedInstanceId without a type into an ECS-instance check.
    (*VPC, "DescribeEipAddresses", "AssociatedInstanceType"):
        {"enum": ["EcsInstance", "SlbInstance", "Nat", "HaVip", "NetworkInterface", "IpAddress"],
         "source": V_EN},
    # "Valid values: PostPaid, PrePaid".
    (*VPC, "DescribeEipAddresses", "ChargeType"): {"enum": ["PostPaid", "PrePaid"],
                                                   "source": V_EN},
    # "Set the value to CreationStartTime" / "Set the value to CreationEndTime".
    (*VPC, "DescribeEipAddresses", "Filter.1.Key"): {"enum": ["CreationStartTime"],
                                                     "source": V_EN},
    (*VPC, "DescribeEipAddresses", "Filter.2.Key"): {"enum": ["CreationEndTime"], "source": V_EN},
    # "You can specify up to 50 EIP IDs. Separate multiple IDs with commas (,)."
    (*VPC, "DescribeEipAddresses", "AllocationId"):
        {"format": "eip-id", "separator": ",", "max_items": 50, "source": V_EN},
    # "You can specify up to 50 EIPs. Separate multiple EIPs with commas (,)."
    (*VPC, "DescribeEipAddresses", "EipAddress"):
        {"format": "ipv4", "separator": ",", "max_items": 50, "source": V_EN},
    # --- HaVip ------------------------------------------------------------------------------------
    # "The IP address of the HaVip ... within the CIDR block of the vSwitch" (example 192.XX.XX.10).
    (*VPC, "CreateHaVip", "IpAddress"): {"format": "ipv4", "source": V_EN},
    # Name "1 to 128 characters"; Description "1 to 255 characters".
    (*VPC, "CreateHaVip", "Name"): {"max_length": 128, "source": V_EN},
    (*VPC, "CreateHaVip", "Description"): {"max_length": 255, "source": V_EN},
    (*VPC, "ModifyHaVipAttribute", "Name"): {"max_length": 128, "source": V_EN},
    (*VPC, "ModifyHaVipAttribute", "Description"): {"max_length": 255, "source": V_EN},
    # "Valid values: EcsInstance, NetworkInterface. If you want to associate the HaVip with an ENI,
    # this parameter is required" -> without the parameter the instance is an ECS instance.
    (*VPC, "AssociateHaVip", "InstanceType"):
        {"enum": HAVIP_INSTANCE_TYPES, "default": "EcsInstance", "source": V_EN},
    (*VPC, "UnassociateHaVip", "InstanceType"):
        {"enum": HAVIP_INSTANCE_TYPES, "default": "EcsInstance", "source": V_EN},
    # Force is a string: "Valid values: True, False (default)". Case of the value is not stated
    # as significant, so the enum is compared case-insensitively.
    (*VPC, "UnassociateHaVip", "Force"):
        {"enum": ["True", "False"], "case_insensitive": True, "default": "False", "source": V_EN},
    # "The following filter keys are supported: VpcId, VSwitchId, Status, HaVipId, HaVipAddress".
    (*VPC, "DescribeHaVips", "Filter[].Key"):
        {"enum": ["VpcId", "VSwitchId", "Status", "HaVipId", "HaVipAddress"], "source": V_EN},
    # --- ECS 2014-05-26 deprecated copies -------------------------------------------------------
    # No descriptions in the ECS copies. The InstanceType default of the same action in the
    # current VPC reference ("EcsInstance (default)") is used, because the contract applies the
    # EIP InstanceType/InstanceId rules to every EIP API that takes both.
    (*ECS, "UnassociateEipAddress", "InstanceType"): {"default": "EcsInstance", "source": V_EN},
    (*ECS, "AssociateEipAddress", "InstanceType"): {"default": "EcsInstance", "source": V_EN},
}

# ---------------------------------------------------------------------------------------------
# Cross-parameter rules (declarative). `if` maps a parameter to the values that trigger the rule
# (an absent parameter takes its `default`; without a default the rule does not trigger).
#   instance-type-mismatch:   `then` maps a parameter to the format it must have.
#   parameter-not-applicable: `absent` lists parameters that have no effect in that case.
#   missing-parameter:        `require` lists parameters the description makes required then.
# ---------------------------------------------------------------------------------------------
EIP_TYPE_FORMATS = [  # InstanceType value -> format of InstanceId
    ("EcsInstance", "ecs-instance-id"),   # i-
    ("SlbInstance", "slb-instance-id"),   # lb-
    ("NetworkInterface", "eni-id"),       # eni-
    ("Nat", "nat-gateway-id"),            # ngw-
    ("HaVip", "havip-id"),                # havip-
    ("IpAddress", "ip-address"),          # an IP address
]


def _mismatch(type_param: str, id_param: str, pairs, source: str) -> list:
    return [{"rule": "instance-type-mismatch", "if": {type_param: [value]},
             "then": {id_param: fmt}, "source": source} for value, fmt in pairs]


def _not_applicable(param: str, values: list, absent: list, source: str) -> dict:
    return {"rule": "parameter-not-applicable", "if": {param: values}, "absent": absent,
            "source": source}


def _require(param: str, values: list, required: list, source: str) -> dict:
    return {"rule": "missing-parameter", "if": {param: values}, "require": required,
            "source": source}


CURATED_RULES = {
    # UnassociateEipAddress: InstanceId prose (zh_cn) lists NAT gateway, CLB, ECS, secondary ENI,
    # HaVip and IP address; PrivateIpAddress is "of the ECS instance or the secondary ENI"; Force
    # applies "if a DNAT or SNAT entry is added to the NAT gateway".
    (*VPC, "UnassociateEipAddress"):
        _mismatch("InstanceType", "InstanceId", EIP_TYPE_FORMATS, V_ZH) + [
            _not_applicable("InstanceType", ["SlbInstance", "Nat", "HaVip", "IpAddress"],
                            ["PrivateIpAddress"], V_EN),
            _not_applicable("InstanceType", ["EcsInstance", "SlbInstance", "NetworkInterface",
                                             "HaVip", "IpAddress"], ["Force"], V_EN),
        ],
    # AssociateEipAddress: InstanceId "can be the ID of a NAT gateway, CLB instance, ECS instance,
    # secondary ENI, HAVIP, or IP address"; Mode "is required only when InstanceType is
    # NetworkInterface"; PrivateIpAddress is an address of the vSwitch CIDR block, required for
    # NetworkInterface (zh_cn) and meaningless for CLB, NAT, HaVip and IP-address targets;
    # VpcId "is required if InstanceType is set to IpAddress".
    (*VPC, "AssociateEipAddress"):
        _mismatch("InstanceType", "InstanceId", EIP_TYPE_FORMATS, V_EN) + [
            _not_applicable("InstanceType", ["Nat", "SlbInstance", "EcsInstance", "HaVip",
                                             "IpAddress"], ["Mode"], V_EN),
            _not_applicable("InstanceType", ["SlbInstance", "Nat", "HaVip", "IpAddress"],
                            ["PrivateIpAddress"], V_ZH),
            _require("InstanceType", ["IpAddress"], ["VpcId"], V_EN),
        ],
    # AssociateEipAddressBatch: BindedInstanceId "can be a NAT gateway or a secondary ENI"; Mode
    # "is required only when BindedInstanceType is set to NetworkInterface".
    (*VPC, "AssociateEipAddressBatch"):
        _mismatch("BindedInstanceType", "BindedInstanceId",
                  [("Nat", "nat-gateway-id"), ("NetworkInterface", "eni-id")], V_EN) + [
            _not_applicable("BindedInstanceType", ["Nat"], ["Mode"], V_EN),
        ],
    # AllocateEipAddress: Period "must be specified when InstanceChargeType is PrePaid"; zh_cn:
    # "PostPaid时，该参数不填" (leave it empty for PostPaid); Name and Description: "You cannot
    # specify this parameter if you create a subscription EIP".
    (*VPC, "AllocateEipAddress"): [
        _not_applicable("InstanceChargeType", ["PostPaid"], ["Period"], V_ZH),
        _not_applicable("InstanceChargeType", ["PrePaid"], ["Name", "Description"], V_EN),
        _require("InstanceChargeType", ["PrePaid"], ["Period"], V_EN),
    ],
    # AllocateEipAddressPro: Period "is required if InstanceChargeType is PrePaid. Leave this
    # parameter empty if InstanceChargeType is PostPaid".
    (*VPC, "AllocateEipAddressPro"): [
        _not_applicable("InstanceChargeType", ["PostPaid"], ["Period"], V_EN),
        _require("InstanceChargeType", ["PrePaid"], ["Period"], V_EN),
    ],
    # DescribeEipAddresses: AssociatedInstanceId is the ID of the resource of
    # AssociatedInstanceType (same value list as the association APIs). No default (see above).
    (*VPC, "DescribeEipAddresses"):
        _mismatch("AssociatedInstanceType", "AssociatedInstanceId", EIP_TYPE_FORMATS, V_EN),
    # AssociateHaVip / UnassociateHaVip: InstanceId is "the ID of the ECS instance or ENI".
    (*VPC, "AssociateHaVip"):
        _mismatch("InstanceType", "InstanceId",
                  [("EcsInstance", "ecs-instance-id"), ("NetworkInterface", "eni-id")], V_EN),
    (*VPC, "UnassociateHaVip"):
        _mismatch("InstanceType", "InstanceId",
                  [("EcsInstance", "ecs-instance-id"), ("NetworkInterface", "eni-id")], V_EN),
    # ECS 2014-05-26 copies: "The EIP rules on InstanceType/InstanceId apply to every EIP API that
    # takes both" (contract). Only the type -> ID mapping; no enum is claimed for these copies.
    (*ECS, "UnassociateEipAddress"):
        _mismatch("InstanceType", "InstanceId", EIP_TYPE_FORMATS, CONTRACT),
    (*ECS, "AssociateEipAddress"):
        _mismatch("InstanceType", "InstanceId", EIP_TYPE_FORMATS, CONTRACT),
}

# RAM action when it is not `<ram_code>:<Api>`: the ECS copies of the EIP/HaVip APIs authorize
# as vpc:<Api> (vpc-eip-authorization: ECS 2014-05-26 UnassociateEipAddress -> action
# vpc:UnassociateEipAddress; ECS publishes RAM codes "ecs,vpc" per ram-codes).
RAM_ACTION_OVERRIDES = {(*ECS, api): (f"vpc:{api}", "vpc-eip-authorization")
                        for api in ECS_EIP_HAVIP_COPIES}

# ---------------------------------------------------------------------------------------------
# Own-words explanations of the most common EIP error codes (VPC file, top level). Not copied
# from any description; written for ramlint's `recorded-error` help text.
# ---------------------------------------------------------------------------------------------
EXPLANATIONS = {
    "TaskConflict":
        "Another operation on the same EIP was still running when this call arrived, so it was "
        "rejected. Wait until the EIP is back in a stable state (Available or InUse, see "
        "DescribeEipAddresses) and retry with backoff; do not send a second call for the same "
        "EIP in parallel.",
    "IncorrectEipStatus":
        "The EIP was in a state that does not allow this call, for example still Associating or "
        "Unassociating, or already released. Check its Status with DescribeEipAddresses and call "
        "again once it is Available (to associate or release) or InUse (to disassociate).",
    "InvalidInstanceType.ValueNotSupported":
        "InstanceType holds a value this API does not accept. Use one of the listed values "
        "(EcsInstance, SlbInstance, NetworkInterface, Nat, HaVip, IpAddress), spelled exactly.",
    "InvalidInstanceId.NotFound":
        "No instance with this InstanceId exists in the region. Check the ID, that it belongs to "
        "the EIP's region, and that InstanceType names the kind of resource the ID refers to.",
    "IncorrectInstanceStatus":
        "The target instance is in a state that does not allow the change (for example an ECS "
        "instance that is neither Running nor Stopped). Wait for it to settle and retry.",
    "InvalidAllocationId.NotFound":
        "No EIP with this AllocationId exists in the region. Check the ID (eip-...) and the "
        "RegionId of the call; released EIPs are no longer found.",
    "InvalidAssociation.Duplicated":
        "The instance already has an EIP (or Global Accelerator) bound. Disassociate the "
        "existing address first, or choose another instance.",
    "IncorrectHaVipStatus":
        "The HaVip is not in a state that allows this call (it must be Available or InUse). "
        "Query it with DescribeHaVips and retry when it has settled.",
    "InvalidBindingStatus":
        "The association record of the EIP is not in a state that allows the call, often "
        "because another association change is still pending. Retry after it completes.",
    "InvalidIpStatus.HasBeenUsedBySnatTable":
        "The EIP is used by an SNAT entry of the NAT gateway. Delete the SNAT entry, or "
        "disassociate with Force=true, which removes the entry.",
    "InvalidIpStatus.HasBeenUsedByForwardEntry":
        "The EIP is used by a DNAT (port forwarding) entry of the NAT gateway. Delete the DNAT "
        "entry, or disassociate with Force=true.",
    "Forbidden.FinancialLocked":
        "The EIP is locked for an overdue payment. Settle the account balance; the EIP cannot "
        "be changed until it is unlocked.",
    "OperationDenied":
        "The account or resource does not allow this operation here, for example an EIP of the "
        "default VPC or an instance that is not in a VPC.",
    "QuotaExceeded.Eip":
        "The account has reached its EIP quota in this region. Release unused EIPs or request "
        "a higher quota before allocating another one.",
}

# ---------------------------------------------------------------------------------------------
# Common parameters: names that are never `unknown-parameter` (contract: 'Accepted as valid').
# ---------------------------------------------------------------------------------------------
COMMON_RPC = [
    # (name, source)
    ("Action", "alibabacloud-common-parameters-pages"),
    ("Version", "alibabaclouddocs-vpn-common-parameters"),
    ("Format", "alibabaclouddocs-vpn-common-parameters"),
    ("AccessKeyId", "alibabaclouddocs-vpn-common-parameters"),
    ("Signature", "alibabaclouddocs-vpn-common-parameters"),
    ("SignatureMethod", "alibabaclouddocs-vpn-common-parameters"),
    ("SignatureVersion", "alibabaclouddocs-vpn-common-parameters"),
    ("SignatureNonce", "alibabaclouddocs-vpn-common-parameters"),
    ("SignatureType", "actiontrail-doc-ecs-event"),
    ("Timestamp", "alibabaclouddocs-vpn-common-parameters"),
    ("SecurityToken", "alibabacloud-common-parameters-pages"),
    ("ResourceOwnerId", "aliyun-openapi-meta-2018"),
    ("ResourceOwnerAccount", "aliyun-openapi-meta-2018"),
    ("OwnerId", "aliyun-openapi-meta-2018"),
    ("OwnerAccount", "aliyun-openapi-meta-2018"),
    ("CallerParentId", "aliyun-openapi-cpp-sdk"),
    # `Product` names the product in an RPC parameters object (contract, shape 1).
    ("Product", CONTRACT),
]
COMMON_ACTIONTRAIL = [
    ("AcsHost", "actiontrail-doc-ram-role-event"),
    ("AcsProduct", "actiontrail-doc-ram-role-event"),
    ("ServiceCode", "actiontrail-doc-ram-role-event"),
    ("stsTokenPrincipalName", "actiontrail-doc-ram-role-event"),
    ("stsTokenPlayerUid", "actiontrail-doc-ram-role-event"),
    ("RequestId", "actiontrail-doc-ram-role-event"),
    ("HostId", "actiontrail-doc-ram-role-event"),
    ("Region", "actiontrail-doc-ram-role-event"),
    ("charset", "actiontrail-doc-trail-events"),
    ("AcceptLanguage", "actiontrail-doc-trail-events"),
    ("CallerUid", "aliyun-openapi-cpp-sdk"),
    ("CallerType", "aliyun-openapi-cpp-sdk"),
    ("CallerBid", "aliyun-openapi-cpp-sdk"),
]
REGION_WHEN_UNDEFINED = [("RegionId", CONTRACT)]
# RegionId: accepted on every API even where the API does not define it (contract; the EIP doc
# request examples and SDKs send it everywhere). Where an API defines it, its spec entry rules.

# ---------------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------------
TYPE_MAP = {"string": "string", "integer": "integer", "int32": "integer", "int64": "integer",
            "number": "number", "float": "number", "double": "number", "boolean": "boolean",
            "array": "array", "object": "object"}
PARAM_KEY_ORDER = ["type", "required", "deprecated", "format", "separator", "enum",
                   "case_insensitive", "default", "minimum", "exclusive_minimum", "maximum",
                   "min_length", "max_length", "pattern", "min_items", "max_items", "style",
                   "items", "properties", "source"]


class Ctx:
    def __init__(self, code: str, version: str):
        self.code, self.version = code, version
        self.used_sources: set[str] = set()
        self.curated_used: set[tuple] = set()
        self.notes: list[str] = []


def _num(v):
    if isinstance(v, bool):
        raise ValueError(v)
    if isinstance(v, (int, float)):
        return int(v) if float(v).is_integer() else v
    f = float(str(v).strip())
    return int(f) if f.is_integer() else f


def _typed(value, typ: str):
    """Convert a metadata value (often a string) to the parameter's JSON type, or raise."""
    if typ == "boolean":
        if isinstance(value, bool):
            return value
        s = str(value).strip().lower()
        if s in ("true", "false"):
            return s == "true"
        raise ValueError(value)
    if typ in ("integer", "number"):
        n = _num(value)
        if typ == "integer" and not isinstance(n, int):
            raise ValueError(value)
        return n
    if typ == "string":
        return value if isinstance(value, str) else json.dumps(value)
    raise ValueError(value)


def _ordered(d: dict) -> dict:
    extra = [k for k in d if k not in PARAM_KEY_ORDER]
    if extra:
        raise KeyError(f"unexpected parameter keys {extra}")
    return {k: d[k] for k in PARAM_KEY_ORDER if k in d}


def convert_schema(s: dict, ctx: Ctx, where: str, top: bool) -> dict | None:
    raw_type = s.get("type")
    typ = TYPE_MAP.get(raw_type)
    if typ is None:
        ctx.notes.append(f"{where}: no usable type ({raw_type!r}); parameter kept as string")
        typ = "string"
    out: dict = {"type": typ}
    if s.get("required") is True:
        out["required"] = True
    if s.get("deprecated") is True:
        out["deprecated"] = True
    enum = s.get("enum")
    if isinstance(enum, list) and enum:
        try:
            out["enum"] = [_typed(v, typ) for v in enum]
        except ValueError:
            out["enum"] = [str(v) for v in enum]
    if "default" in s and typ not in ("array", "object"):
        try:
            out["default"] = _typed(s["default"], typ)
        except ValueError:
            ctx.notes.append(f"{where}: default {s['default']!r} does not fit {typ}; dropped")
    for src, dst in (("minimum", "minimum"), ("maximum", "maximum"),
                     ("minLength", "min_length"), ("maxLength", "max_length"),
                     ("minItems", "min_items"), ("maxItems", "max_items")):
        if src in s and s[src] not in ("", None):
            try:
                out[dst] = _num(s[src])
            except ValueError:
                ctx.notes.append(f"{where}: {src} {s[src]!r} is not a number; dropped")
    if s.get("exclusiveMinimum") is True and "minimum" in out:
        out["exclusive_minimum"] = out.pop("minimum")
    if isinstance(s.get("pattern"), str) and s["pattern"]:
        out["pattern"] = s["pattern"]
    if typ == "array" and isinstance(s.get("items"), dict):
        out["items"] = convert_schema(s["items"], ctx, where + "[]", False)
    if typ == "object" and isinstance(s.get("properties"), dict):
        out["properties"] = {k: convert_schema(v, ctx, f"{where}.{k}", False)
                             for k, v in s["properties"].items()}
    return out


def _id_format(name: str, s: dict):
    """Generic ID format for a top-level string parameter, or None (see ID_FORMATS)."""
    if name not in ID_FORMATS or s.get("type") != "string":
        return None
    fmt, prefix = ID_FORMATS[name]
    example = str(s.get("example") or "").strip()
    desc = s.get("description") or ""
    if not example.startswith(prefix):
        return None
    if OTHER_LIST_RE.search(desc):
        return None
    if COMMA_LIST_RE.search(desc) or "," in example:
        return {"format": fmt, "separator": ","}
    return {"format": fmt}


def _apply_curated(param: dict, facts: dict, ctx: Ctx, where: str):
    for k, v in facts.items():
        if k == "source":
            continue
        if k in param and param[k] != v and k not in ("format",):
            ctx.notes.append(f"{where}: curated {k}={v!r} replaces metadata {param[k]!r}")
        param[k] = v
    if "source" in param and param["source"] != facts["source"]:
        raise ValueError(f"{where}: two sources for one parameter")
    param["source"] = facts["source"]
    ctx.used_sources.add(facts["source"])


def convert_api(name: str, api: dict, ctx: Ctx, ram_code: str, vpc_apis: dict) -> dict:
    out: dict = {}
    tags = api.get("systemTags") or {}
    access = tags.get("operationType")
    if access:
        out["access"] = access
    op = api.get("operationType")
    out["read_only"] = (op == "read") if op else (access in ("get", "list"))
    out["deprecated"] = api.get("deprecated") is True
    key = (ctx.code, ctx.version, name)
    if key in RAM_ACTION_OVERRIDES:
        action, src = RAM_ACTION_OVERRIDES[key]
        out["ram_action"] = action
        ctx.used_sources.add(src)
    params: dict = {}
    for p in api.get("parameters") or []:
        pname = p["name"]
        s = p.get("schema") or {}
        where = f"{ctx.code}/{ctx.version} {name}.{pname}"
        if pname in params:
            ctx.notes.append(f"{where}: duplicate parameter entry in metadata; first kept")
            continue
        conv = convert_schema(s, ctx, where, True)
        if p.get("style"):
            conv["style"] = p["style"]
        if pname in NAME_FORMATS and conv["type"] == "string":
            conv["format"] = NAME_FORMATS[pname]
        idf = _id_format(pname, s)
        if idf:
            conv.update(idf)
        elif (ctx.code, ctx.version) == ECS and name in ECS_EIP_HAVIP_COPIES \
                and pname in ID_FORMATS and not s.get("example") and name in vpc_apis:
            # Inherit from the current VPC API (see ECS_EIP_HAVIP_COPIES).
            vp = next((q for q in vpc_apis[name].get("parameters") or []
                       if q["name"] == pname), None)
            vf = _id_format(pname, vp["schema"]) if vp else None
            if vf:
                conv.update(vf)
        # curated facts on the parameter and its element structure
        for (c, v, a, path), facts in CURATED_PARAMS.items():
            if (c, v, a) != key:
                continue
            if path == pname:
                _apply_curated(conv, facts, ctx, where)
            elif path == pname + "[]" and "items" in conv:
                _apply_curated(conv["items"], facts, ctx, where + "[]")
            elif path.startswith(pname + "[].") and "items" in conv \
                    and "properties" in conv["items"]:
                prop = path[len(pname) + 3:]
                if prop in conv["items"]["properties"]:
                    _apply_curated(conv["items"]["properties"][prop], facts, ctx,
                                   f"{where}[].{prop}")
                else:
                    continue
            else:
                continue
            ctx.curated_used.add((c, v, a, path))
        params[pname] = _deep_order(conv)
    out["parameters"] = params
    rules = CURATED_RULES.get(key)
    if rules:
        for r in rules:
            for pn in list(r["if"]) + list(r.get("then", {})) + r.get("absent", []) \
                    + r.get("require", []):
                if pn not in params:
                    raise ValueError(f"{key}: rule names unknown parameter {pn}")
            ctx.used_sources.add(r["source"])
        out["rules"] = rules
    errors = convert_errors(api.get("errorCodes"))
    if errors:
        out["errors"] = errors
    return out


def _deep_order(p: dict) -> dict:
    p = dict(p)
    if "items" in p:
        p["items"] = _deep_order(p["items"])
    if "properties" in p:
        p["properties"] = {k: _deep_order(v) for k, v in p["properties"].items()}
    return _ordered(p)


CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]*$")


def convert_errors(ec) -> list:
    """errorCodes {status: [{errorCode, errorMessage, description}]} -> [{code, status, message}]"""
    out, seen = [], set()
    if not isinstance(ec, dict):
        return out
    for status in sorted(ec, key=lambda s: (len(str(s)), str(s))):
        for e in ec[status] or []:
            code = (e.get("errorCode") or "").strip()
            if not CODE_RE.match(code):
                continue  # placeholders such as "%s"
            msg = e.get("errorMessage")
            item = {"code": code, "status": int(status)}
            if isinstance(msg, str) and msg != "":
                item["message"] = msg
            k = (code, item["status"], item.get("message"))
            if k in seen:
                continue
            seen.add(k)
            out.append(item)
    return out


def convert_product_errors(lst) -> list:
    """Top-level errorCodes list [{code, message, http_code, description}] (ActionTrail)."""
    out, seen = [], set()
    for e in lst or []:
        code = (e.get("code") or "").strip()
        if not CODE_RE.match(code):
            continue
        item = {"code": code, "status": int(e.get("http_code") or 0)}
        if e.get("message"):
            item["message"] = e["message"]
        k = (code, item["status"], item.get("message"))
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def endpoint_hosts(meta: dict) -> list:
    hosts = set()
    for e in meta.get("endpoints") or []:
        for k in ("endpoint", "public", "vpc"):
            if e.get(k):
                hosts.add(e[k].strip().lower())
    return sorted(hosts)


def build_product(data: Path, entry, vpc_apis: dict, catalog: dict):
    rel, code, version, ram_code, catalog_date = entry
    meta = json.loads((data / "api-metadata" / "openmeta" / rel).read_text(encoding="utf-8"))
    info = meta["info"]
    assert info.get("style") == "RPC", rel
    assert info.get("version") == version, rel
    ctx = Ctx(code, version)
    main_src = f"openmeta:{code}/{version}/en_us"
    ctx.used_sources.update({main_src, "ram-codes"})
    hosts = endpoint_hosts(meta)
    central = f"{code}.aliyuncs.com"
    if central in hosts:
        endpoint = central
    else:
        endpoint, src = ENDPOINT_OVERRIDES[code]
        ctx.used_sources.add(src)
    apis = {}
    for name in sorted(meta["apis"]):
        apis[name] = convert_api(name, meta["apis"][name], ctx, ram_code, vpc_apis)
    missing = [k for k in CURATED_PARAMS if k[:2] == (code, version) and k not in ctx.curated_used]
    if missing:
        raise ValueError(f"curated facts that matched nothing: {missing}")
    spec = {
        "product": info["product"],
        "code": code,
        "version": version,
        "ram_code": ram_code,
        "endpoint": endpoint,
        "catalog_date": catalog_date,
    }
    product_errors = convert_product_errors(meta.get("errorCodes"))
    spec["sources"] = [SOURCES[i] for i in sorted(ctx.used_sources)]
    if product_errors:
        spec["errors"] = product_errors
    if code == "vpc":
        spec["explanations"] = dict(EXPLANATIONS)
    spec["apis"] = apis
    if code == "vpc":
        known = {e["code"] for a in apis.values() for e in a.get("errors", [])}
        unknown = sorted(set(EXPLANATIONS) - known)
        if unknown:
            raise ValueError(f"explanations for codes the VPC metadata lacks: {unknown}")
    # products.json row
    prefixes = sorted({h.split(".")[0] for h in hosts} | {code})
    for p, src in EXTRA_ENDPOINT_PREFIXES.get(code, []):
        prefixes = sorted(set(prefixes) | {p})
    cat = catalog.get(info["product"], {})
    names = [info["product"]]
    short = cat.get("shortName")
    if short and re.match(r"^[A-Za-z][A-Za-z0-9]*$", short) and short not in names:
        names.append(short)
    row = {
        "product": info["product"],
        "code": code,
        "version": version,
        "file": f"{code}/{version}.json",
        "service_names": names,
        "endpoint_prefixes": prefixes,
        "deprecated": False,
    }
    return spec, row, ctx


# Containers under these keys are always written one member per line; any other object or
# array whose compact form fits in WIDTH columns is written on one line (like the examples in
# rules/apis/README.md). Output stays valid, deterministic JSON with 2-space indentation.
EXPANDED_KEYS = {"apis", "parameters", "rules", "errors", "products", "sources", "explanations",
                 "rpc", "actiontrail", "name_sources"}
WIDTH = 100
INLINE_ITEMS = {"errors", "rules"}  # each element on one line, however long
ALWAYS_COMPACT = {"enum", "if", "then", "absent", "require", "service_names",
                  "endpoint_prefixes"}


def _compact(v) -> str:
    return json.dumps(v, ensure_ascii=False, separators=(", ", ": "))


def _fmt(v, indent: int, key, lead: int) -> str:
    if not isinstance(v, (dict, list)) or not v:
        return _compact(v)
    if key in ALWAYS_COMPACT:
        return _compact(v)
    if key not in EXPANDED_KEYS and indent > 0:
        c = _compact(v)
        if lead + len(c) <= WIDTH:
            return c
    pad = " " * (indent + 2)
    if isinstance(v, dict):
        parts = []
        for k, x in v.items():
            head = pad + json.dumps(k, ensure_ascii=False) + ": "
            parts.append(head + _fmt(x, indent + 2, k, len(head)))
        return "{\n" + ",\n".join(parts) + "\n" + " " * indent + "}"
    if key in INLINE_ITEMS:
        parts = [pad + _compact(x) for x in v]
    else:
        parts = [pad + _fmt(x, indent + 2, None, len(pad)) for x in v]
    return "[\n" + ",\n".join(parts) + "\n" + " " * indent + "]"


def dump(obj) -> str:
    text = _fmt(obj, 0, None, 0) + "\n"
    assert json.loads(text) == obj
    return text


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA,
                    help="research data folder (default: ../shared/data from the repo root)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (rules/apis)")
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 on any difference")
    ap.add_argument("--verbose", action="store_true", help="print conversion notes")
    args = ap.parse_args(argv)
    data: Path = args.data
    catalog = {p["code"]: p for p in json.loads(
        (data / "api-metadata/openmeta/products.en_us.json").read_text(encoding="utf-8"))}
    vpc_apis = json.loads((data / "api-metadata/openmeta/vpc-2016-04-28/api-docs.en_us.json")
                          .read_text(encoding="utf-8"))["apis"]
    files: dict[Path, str] = {}
    rows = []
    for entry in PRODUCTS:
        spec, row, ctx = build_product(data, entry, vpc_apis, catalog)
        files[args.out / row["file"]] = dump(spec)
        rows.append(row)
        if args.verbose:
            for n in ctx.notes:
                print("note:", n, file=sys.stderr)
        print(f"{row['file']}: {len(spec['apis'])} APIs", file=sys.stderr)
    prod_sources = sorted({"openmeta:products", "actiontrail-doc-trail-events"}
                          | {f"openmeta:{c}/{v}/en_us" for _, c, v, _, _ in PRODUCTS})
    files[args.out / "products.json"] = dump({
        "sources": [SOURCES[i] for i in prod_sources],
        "products": rows,
    })
    common_sources = sorted({s for _, s in COMMON_RPC + COMMON_ACTIONTRAIL + REGION_WHEN_UNDEFINED})
    files[args.out / "common-parameters.json"] = dump({
        "sources": [SOURCES[i] for i in common_sources],
        "rpc": [n for n, _ in COMMON_RPC],
        "actiontrail": [n for n, _ in COMMON_ACTIONTRAIL],
        "region_when_undefined": [n for n, _ in REGION_WHEN_UNDEFINED],
        "name_sources": {n: s for n, s in COMMON_RPC + COMMON_ACTIONTRAIL + REGION_WHEN_UNDEFINED},
    })
    changed = []
    for path, text in files.items():
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            changed.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    for p in changed:
        print(("would change: " if args.check else "wrote: ") + str(p.relative_to(args.out)),
              file=sys.stderr)
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
