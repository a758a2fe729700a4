#!/usr/bin/env python3
"""Derive ramlint's policy knowledge base (rules/*.json) from the shared research data.

Usage (from the repository root):

    python3 scripts/derive_policy_data.py                # reads ../shared/data, writes rules/
    python3 scripts/derive_policy_data.py --data DIR     # another copy of shared/data
    python3 scripts/derive_policy_data.py --no-check     # skip scripts/check_policy_data.py

Facts only: names, types, access levels, ARN templates, region ids, id prefixes. No prose
descriptions are copied. Every output file carries a `sources` array and every entry cites one
of its source ids. Facts that are not machine-readable in ../shared/data are kept below in
clearly commented tables, each with its source.

Writes: rules/regions.json, rules/services.json, rules/formats.json, rules/resource-types.json,
rules/condition-keys.json, rules/escalation.json, rules/actions/<code>.json and
rules/schema/<kind>.schema.json. It never touches rules/apis/ or rules/schema/api*.json.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ACCESS_LEVELS = ("list", "get", "create", "update", "delete")

# Date of the Openmeta snapshot (dew-serverless/acs-metadata b3c749cc, "Update OpenAPI metadata
# 20251219") that most catalogues are derived from.
OPENMETA_DATE = "2025-12-19"
OPENMETA_COMMIT = "b3c749cc875faf56035035ed91fb8aa173d2abd7"
OPENMETA_LICENCE = ("no open licence stated (Alibaba Cloud Openmeta metadata mirrored by "
                    "dew-serverless/acs-metadata, no LICENSE file); facts only")
DOCS_LICENCE = "no open licence (Alibaba Cloud documentation); facts only"

# ---------------------------------------------------------------------------------------------
# Source registry. Each output file lists the subset it cites.
# ---------------------------------------------------------------------------------------------


def _om(product_path: str, version: str, commit: str = OPENMETA_COMMIT) -> dict:
    return {
        "origin": f"dew-serverless/acs-metadata@{commit}:en_us/{product_path}/{version}/api-docs.json",
        "licence": OPENMETA_LICENCE,
    }


SOURCES: dict[str, dict] = {
    # Openmeta api-docs copies under shared/data/api-metadata/openmeta/
    "openmeta-vpc-2016-04-28": _om("vpc", "2016-04-28"),
    "openmeta-ecs-2014-05-26": _om("ecs", "2014-05-26"),
    "openmeta-slb-2014-05-15": _om("slb", "2014-05-15"),
    "openmeta-sts-2015-04-01": _om("sts", "2015-04-01"),
    "openmeta-ram-2015-05-01": _om("ram", "2015-05-01"),
    "openmeta-actiontrail-2020-07-06": _om("actiontrail", "2020-07-06"),
    "openmeta-oss-2019-05-17": _om("oss", "2019-05-17"),
    "openmeta-resourcemanager-2020-03-31": _om("resourcemanager", "2020-03-31"),
    "openmeta-rds-2014-08-15": _om("rds", "2014-08-15", "504e423b90bd43e1aba66ecd31b783b544190fb5"),
    # Openmeta files read through the code index (not copied into shared/data); only API names
    # are used, kept in the tables IMS_2019_08_15_APIS and VPCPEER_2022_01_01_APIS below.
    "openmeta-ims-2019-08-15": _om("ims", "2019-08-15", "00085c29f1e5cf2e6d826ccce0e470f4054046a4"),
    "openmeta-vpcpeer-2022-01-01": _om("vpcpeer", "2022-01-01", "0395d0aa77b68afc797509bac2b81fcf5416f608"),
    # shared/data/ram-metadata
    "ram-codes": {
        "origin": "shared/data/ram-metadata/ram-codes.json (Openmeta ram.ramCodes of 14 products plus "
                  "per-product 'RAM authorization' help pages; each row cites its page)",
        "licence": "mixed: Openmeta (no open licence) and Alibaba Cloud help pages (no open licence); facts only",
    },
    "vpc-eip-authorization": {
        "origin": "shared/data/ram-metadata/vpc-eip-authorization.transcribed-from-docs.json "
                  "(authorization tables of the EIP/HaVip/NAT API pages on alibabacloud.com)",
        "licence": DOCS_LICENCE,
    },
    "oss-actions-2026": {
        "origin": "shared/data/ram-metadata/oss-actions.json, part oss-authorization-syntax-2026 "
                  "(https://www.alibabacloud.com/help/en/oss/user-guide/authorization-syntax-and-elements, Feb 2026)",
        "licence": DOCS_LICENCE,
    },
    "oss-actions-2021": {
        "origin": "shared/data/ram-metadata/oss-actions.json, part alibabaclouddocs-oss-2021 "
                  "(AlibabaCloudDocs/oss@f68409178447a330ac39eafa05bb44123ea8811f RAM Policy/Overview.md)",
        "licence": "MIT (Copyright (c) 2018 AlibabaCloudDocs)",
    },
    "oss-policy-editor-2018": {
        "origin": "shared/data/ram-metadata/oss-actions.json, part aliyun-ram-policy-editor-2018 "
                  "(aliyun/ram-policy-editor@dd7f6d84bd6c32c8704252cd3cb2f90576a9773a app.js)",
        "licence": "MIT (Copyright (c) 2017 aliyun.com)",
    },
    "alibabaclouddocs-vpc-ram-2019": {
        "origin": "lyyvli/vpc@39ae303747752c154bddf3b83abc72bfc664f284 intl.en-US/API reference/RAM authentication.md "
                  "(mirror of AlibabaCloudDocs/vpc; copy in shared/data/ram-metadata/alibabaclouddocs-mit/)",
        "licence": "MIT (Copyright (c) 2018 AlibabaCloudDocs)",
    },
    # Alibaba Cloud help pages, as cited in shared/docs/ram-reference.md ([Sx] tags) or found
    # through the search corpora (stored copies, not fetched live).
    "doc-ram-policy-elements": {
        "origin": "https://www.alibabacloud.com/help/en/ram/policy-elements and AlibabaCloudDocs/ram "
                  "'Policy elements.md' (ram-reference.md [S5], [S6])",
        "licence": DOCS_LICENCE,
    },
    "doc-ram-conditional-operator": {
        "origin": "https://www.alibabacloud.com/help/en/ram/conditional-operator (ram-reference.md [S7])",
        "licence": DOCS_LICENCE,
    },
    "doc-ram-trust-policy": {
        "origin": "https://help.aliyun.com/en/ram/user-guide/edit-the-trust-policy-of-a-ram-role (ram-reference.md [S11])",
        "licence": DOCS_LICENCE,
    },
    "doc-ram-createpolicy": {
        "origin": "https://www.alibabacloud.com/help/en/ram/developer-reference/api-ram-2015-05-01-createpolicy "
                  "(ram-reference.md [S15])",
        "licence": DOCS_LICENCE,
    },
    "doc-ecs-ram": {
        "origin": "https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-ram "
                  "(ECS 'RAM authorization'; ram-reference.md [S20]; code-index markdown copy id 59479809121)",
        "licence": DOCS_LICENCE,
    },
    "doc-slb-ram": {
        "origin": "https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/"
                  "api-slb-2014-05-15-addbackendservers (ram-reference.md [S22])",
        "licence": DOCS_LICENCE,
    },
    "doc-eip-ram": {
        "origin": "https://alibabacloud.com/help/en/eip/developer-reference/api-vpc-2016-04-28-ram-eips and "
                  "https://alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-ram (ram-reference.md [S23])",
        "licence": DOCS_LICENCE,
    },
    "doc-account-id": {
        "origin": "https://www.alibabacloud.com/help/en/account/check-account-id (ram-reference.md [S25])",
        "licence": DOCS_LICENCE,
    },
    "doc-regions": {
        "origin": "shared/docs/ram-reference.md section 5.4 (Tablestore regions page, Tag endpoint page, "
                  "API Gateway regions page; ram-reference.md [S26])",
        "licence": DOCS_LICENCE,
    },
    "doc-system-policies": {
        "origin": "Alibaba Cloud system policy pages AliyunVPCFullAccess, AliyunEIPReadOnlyAccess, PowerUserAccess, "
                  "AliyunFCFullAccess (ram-reference.md [S27])",
        "licence": DOCS_LICENCE,
    },
    "doc-kms-condition-key": {
        "origin": "https://www.alibabacloud.com/help/en/kms/security-and-compliance/condition-key (ram-reference.md [S33])",
        "licence": DOCS_LICENCE,
    },
    "doc-maxcompute-condition-keys": {
        "origin": "https://help.aliyun.com/document_detail/207747.html (ram-reference.md [S34])",
        "licence": DOCS_LICENCE,
    },
    "doc-sts-assumerole": {
        "origin": "AlibabaCloudDocs/ram intl.en-US/API Reference/API Reference (STS)/Operation interfaces/AssumeRole.md "
                  "and 'RAM role overview.md' (ram-reference.md [S35])",
        "licence": "MIT (Copyright (c) 2018 AlibabaCloudDocs)",
    },
    "doc-control-policy": {
        "origin": "https://alibabacloud.com/help/en/resource-management/latest/api-resourcedirectorymaster-2022-04-19-"
                  "createcontrolpolicy and Resource Directory docs (ram-reference.md [S37])",
        "licence": DOCS_LICENCE,
    },
    "doc-sts-oidc": {
        "origin": "https://help.aliyun.com/en/ram/developer-reference/api-sts-2015-04-01-assumerolewithoidc "
                  "(ram-reference.md [S39]); oidc: and saml: keys in trust policies are accepted by "
                  "shared/docs/contract.md",
        "licence": DOCS_LICENCE,
    },
    "third-party-field-reports": {
        "origin": "third-party public code cited by shared/docs/ram-reference.md section 4.1 (index ids 12849847689, "
                  "51856969035, 61619213007); not confirmed by an official page",
        "licence": "various; facts only",
    },
    "doc-ram-api-auth-rules": {
        "origin": "https://www.alibabacloud.com/help/doc-detail/102666.htm (RAM 'API authentication rules': "
                  "action -> resource format table; pages-corpus copy)",
        "licence": DOCS_LICENCE,
    },
    "doc-resourcemanager-ram-authorization": {
        "origin": "https://www.alibabacloud.com/help/doc-detail/159974.htm (Resource Management 'RAM authorization', "
                  "Mar 2024; ram:CreateResourceGroup, ram:AttachPolicy, ram:ListPolicyAttachments ... with ARN "
                  "formats) and https://www.alibabacloud.com/help/en/resource-management/resource-group/user-guide/"
                  "example-of-the-ram-policy-for-resource-groups (ram:*ResourceGroup*, ram:*AssociatedTransfer*, "
                  "ram:LookupResourceGroupEvents); pages-corpus copies",
        "licence": DOCS_LICENCE,
    },
    "doc-ram-readonly-policy": {
        "origin": "system policy AliyunRAMReadOnlyAccess v3 (Dec 2025) listing ram:GenerateCredentialReport; "
                  "code-index markdown copy id 59345038587",
        "licence": DOCS_LICENCE,
    },
    "doc-eipanycast-ram": {
        "origin": "https://alibabacloud.com/help/en/anycast-eip/developer-reference/api-eipanycast-2020-03-09-ram "
                  "('The code (RamCode) ... Eipanycast is eipanycast'; docs-corpus copy)",
        "licence": DOCS_LICENCE,
    },
    "doc-maxcompute-ram-permissions": {
        "origin": "https://www.alibabacloud.com/help/en/maxcompute/user-guide/ram-permissions (console-only "
                  "odps: actions such as odps:GetJobCount; pages-corpus copy)",
        "licence": DOCS_LICENCE,
    },
    # Real policy documents (shared/data/policies); a code or action used in an official document is
    # evidence that it exists.
    "policies-tf-alicloud": {
        "origin": "alibabacloud-automation/terraform-alicloud-ram-policy@583575745df120b6b5f77f9f28b90e3215f84c51 "
                  "modules/*/main.tf (shared/data/policies/tf-alicloud-*.json)",
        "licence": "Apache-2.0",
    },
    "policies-ram-doc": {
        "origin": "AlibabaCloudDocs/ram@20c6e869c2e70425c9507eae0fb9e39550048eae example policies "
                  "(shared/data/policies/ram-doc-*.json)",
        "licence": "MIT (Copyright (c) 2018 AlibabaCloudDocs)",
    },
    "policies-ros-templates": {
        "origin": "aliyun/ros-templates@9cc3b8185ece8bf7609bf875546f6d38cff2d412 (shared/data/policies/ros-templates-*.json)",
        "licence": "no LICENSE file in repository; facts only",
    },
    "policies-system-policy": {
        "origin": "system policy AliyunIDaaSEiamReadOnlyAccess page copy (shared/data/policies/system-policy-*.json)",
        "licence": DOCS_LICENCE,
    },
    "policies-openmeta": {
        "origin": "Openmeta RAM API parameter examples (shared/data/policies/openmeta-*.json)",
        "licence": OPENMETA_LICENCE,
    },
    "policies-vpc-doc": {
        "origin": "lyyvli/vpc@39ae303747752c154bddf3b83abc72bfc664f284 (shared/data/policies/vpc-doc-*.json)",
        "licence": "MIT (Copyright (c) 2018 AlibabaCloudDocs)",
    },
    "policies-fortinet": {
        "origin": "yagosys/fortinet_alibaba@e5ddf0bde561796172a703027213944fbb02ea6f Terraform "
                  "(shared/data/policies/fortinet-*.json); third-party",
        "licence": "no LICENSE file in repository; facts only",
    },
    "ramlint": {
        "origin": "ramlint maintainers (our own analysis; see rules/README.md)",
        "licence": "same as ramlint",
    },
}

# Prefix of a policy file name -> the source id of its origin, and whether the origin is official
# (Alibaba Cloud or an Alibaba Cloud organisation on GitHub).
POLICY_ORIGINS = [
    ("ram-doc-", "policies-ram-doc", True),
    ("tf-alicloud-", "policies-tf-alicloud", True),
    ("system-policy-", "policies-system-policy", True),
    ("vpc-doc-", "policies-vpc-doc", True),
    ("openmeta-", "policies-openmeta", True),
    ("ros-templates-", "policies-ros-templates", True),
    ("fortinet-", "policies-fortinet", False),
]

# Openmeta ram-block products (shared/data/ram-metadata/openmeta-ramActions/<stem>.ram-block.json).
RAM_BLOCKS = [
    ("Actiontrail-2020-07-06", "actiontrail", "2020-07-06"),
    ("Config-2020-09-07", "config", "2020-09-07"),
    ("Dbs-2019-03-06", "dbs", "2019-03-06"),
    ("Dbs-2021-01-01", "dbs", "2021-01-01"),
    ("Dm-2015-11-23", "dm", "2015-11-23"),
    ("MaxCompute-2022-01-04", "maxcompute", "2022-01-04"),
    ("OpenAPIExplorer-2024-11-30", "openapiexplorer", "2024-11-30"),
    ("Sls-2020-12-30", "sls", "2020-12-30"),
    ("VpcIpam-2023-02-28", "vpcipam", "2023-02-28"),
    ("cas-2020-06-30", "cas", "2020-06-30"),
    ("hitsdb-2017-06-01", "hitsdb", "2017-06-01"),
    ("hitsdb-2020-06-15", "hitsdb", "2020-06-15"),
    ("pvtz-2018-01-01", "pvtz", "2018-01-01"),
    ("quickbi-public-2022-01-01", "quickbi-public", "2022-01-01"),
]
for _stem, _path, _ver in RAM_BLOCKS:
    SOURCES[f"openmeta-ram-{_stem}"] = {
        "origin": f"dew-serverless/acs-metadata@{OPENMETA_COMMIT}:en_us/{_path}/{_ver}/api-docs.json "
                  f"(top-level ram block and apis.*.ramActions; copies in shared/data/ram-metadata/openmeta-ramActions/{_stem}.*)",
        "licence": OPENMETA_LICENCE,
    }

# ---------------------------------------------------------------------------------------------
# Hand-curated tables (facts that are not machine-readable in shared/data)
# ---------------------------------------------------------------------------------------------

# IMS 2019-08-15 API names. Source: openmeta-ims-2019-08-15 (`directories` of the api-docs.json,
# read through the code index). ram-codes.json publishes the RAM codes of IMS as "ram,ims" and the
# RAM docs use ram:<Api> for these operations (e.g. ram:GenerateCredentialReport in the system
# policy AliyunRAMReadOnlyAccess), so they are catalogued as `ram:` actions.
IMS_2019_08_15_APIS = [
    "CreateUser", "GetUser", "UpdateUser", "DeleteUser", "ListUsers", "ListUserBasicInfos", "GetAccountSummary",
    "CreateLoginProfile", "GetLoginProfile", "UpdateLoginProfile", "DeleteLoginProfile", "ChangePassword",
    "CreateAccessKey", "DeleteAccessKey", "UpdateAccessKey", "GetAccessKeyLastUsed", "ListAccessKeys",
    "GetVerificationInfo", "CreateVirtualMFADevice", "ListVirtualMFADevices", "DeleteVirtualMFADevice",
    "DisableVirtualMFA", "BindMFADevice", "UnbindMFADevice", "GetAccountMFAInfo", "GetUserMFAInfo",
    "TagResources", "UntagResources", "ListTagResources",
    "CreateGroup", "GetGroup", "UpdateGroup", "DeleteGroup", "ListGroups", "AddUserToGroup",
    "RemoveUserFromGroup", "ListUsersForGroup", "ListGroupsForUser",
    "SetUserSsoSettings", "GetUserSsoSettings", "CreateSAMLProvider", "DeleteSAMLProvider", "UpdateSAMLProvider",
    "GetSAMLProvider", "ListSAMLProviders", "CreateOIDCProvider", "GetOIDCProvider", "UpdateOIDCProvider",
    "ListOIDCProviders", "DeleteOIDCProvider", "AddClientIdToOIDCProvider", "RemoveClientIdFromOIDCProvider",
    "AddFingerprintToOIDCProvider", "RemoveFingerprintFromOIDCProvider",
    "CreateApplication", "GetApplication", "UpdateApplication", "DeleteApplication", "ListApplications",
    "ListPredefinedScopes", "CreateAppSecret", "GetAppSecret", "ListAppSecretIds", "DeleteAppSecret",
    "SetPasswordPolicy", "GetPasswordPolicy", "SetSecurityPreference", "GetSecurityPreference",
    "SetDefaultDomain", "GetDefaultDomain", "GetCredentialReport", "GetAccountSecurityPracticeReport",
    "GenerateCredentialReport",
]

# VpcPeer 2022-01-01 API names (source: openmeta-vpcpeer-2022-01-01 `directories`). ram-codes.json:
# "VPC Peering (VpcPeer 2022-01-01) -> vpc", so these are `vpc:` actions.
VPCPEER_2022_01_01_APIS = [
    "AcceptVpcPeerConnection", "CreateVpcPeerConnection", "DeleteVpcPeerConnection",
    "GetVpcPeerConnectionAttribute", "ListTagResources", "ListVpcPeerConnections", "ModifyVpcPeerConnection",
    "MoveResourceGroup", "RejectVpcPeerConnection", "TagResources", "UnTagResources",
]

# ResourceManager 2020-03-31 API directories whose operations are authorized with `ram:` actions.
# Source: doc-resourcemanager-ram-authorization (ram:CreateResourceGroup / DeleteResourceGroup /
# UpdateResourceGroup, ram:CreatePolicy ... ram:SetDefaultPolicyVersion, ram:AttachPolicy,
# ram:DetachPolicy, ram:ListPolicyAttachments, ram:CreateRole / GetRole / ListRoles; the example
# policy grants ram:*ResourceGroup*, ram:*AssociatedTransfer* and ram:LookupResourceGroupEvents).
# From the "Resource groups" directory only names matching the documented wildcards are taken.
RM_RAM_DIRECTORIES = {"Roles", "Service-linked roles", "Policies"}
RM_RAM_RESOURCE_GROUP_PATTERNS = ["*ResourceGroup*", "*AssociatedTransfer*"]

# Documented `ram:` actions that are no API of RAM 2015-05-01, IMS 2019-08-15 or ResourceManager.
RAM_EXTRA_ACTIONS = [
    # ram:PassRole: passing a role to a cloud service; AliyunFCFullAccess grants it with an
    # acs:Service condition (ram-reference.md section 8, [S27]).
    ("PassRole", "doc-system-policies"),
    # Granted by the system policy PowerUserAccess (copy in tf-alicloud-ram-policy-PowerUserAccess.json).
    ("CheckServiceLinkedRoleExistence", "policies-tf-alicloud"),
]

# `ecs:` actions used in official policy documents that are no ECS 2014-05-26 API. Kept because an
# Alibaba-authored policy uses them (also seen in two other public policy copies); not confirmed
# by an action table.
ECS_EXTRA_ACTIONS = [
    ("ConfigureSecurityGroupPermissions", "policies-tf-alicloud"),
]

# ECS 2014-05-26 lists deprecated copies of VPC 2016-04-28 operations (VPC, vSwitch, EIP, HaVip,
# NAT, router interface, physical connection ...). RAM authorizes them with the `vpc:` action of
# the same name: the ECS copy of UnassociateEipAddress is authorized as vpc:UnassociateEipAddress
# (vpc-eip-authorization), and the ECS RAM code is published as "ecs,vpc" (ram-codes.json). So an
# ECS API that is deprecated and also a VPC 2016-04-28 API is not an `ecs:` action. Exception:
# DescribeTags is ECS's own (deprecated) tag API.
ECS_VPC_COPY_EXCEPTIONS = {"DescribeTags"}

# Resource types that are not machine-readable in shared/data. (id, name, ARN template,
# id_format or None, source). ARN placeholders are kept as published, except that the 2019
# `$regionid:$accountid` style and the `${AccountId}` / `<account_id>` styles are rewritten to the
# `{#...}` style used by the current documentation.
RESOURCE_TYPES_CURATED = [
    # ECS "RAM authorization" page (doc-ecs-ram)
    ("ecs:instance", "Instance", "acs:ecs:{#regionId}:{#accountId}:instance/{#instanceId}", "ecs-instance-id", "doc-ecs-ram"),
    ("ecs:eni", "NetworkInterface", "acs:ecs:{#regionId}:{#accountId}:eni/{#eniId}", "eni-id", "doc-ecs-ram"),
    ("ecs:securitygroup", "SecurityGroup", "acs:ecs:{#regionId}:{#accountId}:securitygroup/{#securitygroupId}", "security-group-id", "doc-ecs-ram"),
    ("ecs:disk", "Disk", "acs:ecs:{#regionId}:{#accountId}:disk/{#diskId}", "disk-id", "doc-ecs-ram"),
    ("ecs:snapshot", "Snapshot", "acs:ecs:{#regionId}:{#accountId}:snapshot/{#snapshotId}", "snapshot-id", "doc-ecs-ram"),
    ("ecs:image", "Image", "acs:ecs:{#regionId}:{#accountId}:image/{#imageId}", None, "doc-ecs-ram"),
    ("ecs:keypair", "KeyPair", "acs:ecs:{#regionId}:{#accountId}:keypair/{#keypairName}", None, "doc-ecs-ram"),
    ("ecs:launchtemplate", "LaunchTemplate", "acs:ecs:{#regionId}:{#accountId}:launchtemplate/{#launchtemplateId}", "launch-template-id", "doc-ecs-ram"),
    ("ecs:ddh", "DedicatedHost", "acs:ecs:{#regionId}:{#accountId}:ddh/{#ddhId}", "dedicated-host-id", "doc-ecs-ram"),
    ("ecs:ddhcluster", "DedicatedHostCluster", "acs:ecs:{#regionId}:{#accountId}:ddhcluster/{#ddhclusterId}", None, "doc-ecs-ram"),
    ("ecs:deploymentset", "DeploymentSet", "acs:ecs:{#regionid}:{#accountId}:deploymentset/{#deploymentSetId}", None, "doc-ecs-ram"),
    ("ecs:snapshotpolicy", "AutoSnapshotPolicy", "acs:ecs:{#regionId}:{#accountId}:snapshotpolicy/{#snapshotpolicyId}", None, "doc-ecs-ram"),
    ("ecs:snapshotgroup", "SnapshotGroup", "acs:ecs:{#regionId}:{#accountId}:snapshotgroup/{#snapshotgroupId}", None, "doc-ecs-ram"),
    ("ecs:imagepipeline", "ImagePipeline", "acs:ecs:{#regionId}:{#accountId}:imagepipeline/{#imagepipelineId}", None, "doc-ecs-ram"),
    ("ecs:imagepipelineexecution", "ImagePipelineExecution", "acs:ecs:{#regionId}:{#accountId}:imagepipelineexecution/{#ImagePipelineExecutionId}", None, "doc-ecs-ram"),
    ("ecs:imagecomponent", "ImageComponent", "acs:ecs:{#regionId}:{#accountId}:imagecomponent/{#imagecomponentId}", None, "doc-ecs-ram"),
    ("ecs:activation", "Activation", "acs:ecs:{#regionId}:{#accountId}:activation/{#activationId}", None, "doc-ecs-ram"),
    ("ecs:capacityreservation", "CapacityReservation", "acs:ecs:{#regionId}:{#accountId}:capacityreservation/{#CapacityReservationId}", None, "doc-ecs-ram"),
    ("ecs:command", "Command", "acs:ecs:{#regionId}:{#accountId}:command/{#commandId}", None, "doc-ecs-ram"),
    ("ecs:elasticityassurance", "ElasticityAssurance", "acs:ecs:{#regionId}:{#accountId}:elasticityassurance/{#ElasticityAssuranceId}", None, "doc-ecs-ram"),
    ("ecs:hpc", "HpcCluster", "acs:ecs:{#regionId}:{#accountId}:hpc/*", None, "doc-ecs-ram"),
    ("ecs:portrangelist", "PortRangeList", "acs:ecs:{#regionId}:{#accountId}:portrangelist/{#portRangeListId}", None, "doc-ecs-ram"),
    ("ecs:prefixlist", "PrefixList", "acs:ecs:{#regionId}:{#accountId}:prefixlist/{#PrefixListId}", "prefix-list-id", "doc-ecs-ram"),
    ("ecs:autoprovisioninggroup", "AutoProvisioningGroup", "acs:ecs:{#regionId}:{#accountId}:autoprovisioninggroup/{#autoprovisioninggroupId}", None, "doc-ecs-ram"),
    ("ecs:servicesettings", "ServiceSettings", "acs:ecs:{#regionId}:{#accountId}:servicesettings/{#servicesettingId}", None, "doc-ecs-ram"),
    ("ecs:diskencryptiondefaultconfig", "DiskEncryptionDefaultConfig", "acs:ecs:{#regionId}:{#accountId}:diskencryptiondefaultconfig/*", None, "doc-ecs-ram"),
    ("vpc:vpc", "VPC", "acs:vpc:{#regionId}:{#accountId}:vpc/{#vpcId}", "vpc-id", "doc-ecs-ram"),
    ("vpc:vswitch", "VSwitch", "acs:vpc:{#regionId}:{#accountId}:vswitch/{#vswitchId}", "vswitch-id", "doc-ecs-ram"),
    # EIP / HaVip / NAT API pages (vpc-eip-authorization); `vpc:instance` is the odd ARN that
    # AssociateEipAddress documents for the instance an EIP is bound to (any instance type).
    ("vpc:eip", "EIP", "acs:vpc:{#regionId}:{#accountId}:eip/{#AllocationId}", "eip-id", "vpc-eip-authorization"),
    ("vpc:havip", "HaVip", "acs:vpc:{#regionId}:{#accountId}:havip/{#HaVipId}", "havip-id", "vpc-eip-authorization"),
    ("vpc:natgateway", "NatGateway", "acs:vpc:{#regionId}:{#accountId}:natgateway/{#NatGatewayId}", "nat-gateway-id", "vpc-eip-authorization"),
    ("vpc:instance", "Instance", "acs:vpc:{#regionId}:{#accountId}:instance/{#InstanceId}", None, "vpc-eip-authorization"),
    # 2019 VPC "RAM authentication" resource table (alibabaclouddocs-vpc-ram-2019, MIT)
    ("vpc:vrouter", "VRouter", "acs:vpc:{#regionId}:{#accountId}:vrouter/{#VRouterId}", "vrouter-id", "alibabaclouddocs-vpc-ram-2019"),
    ("vpc:routetable", "Route Table", "acs:vpc:{#regionId}:{#accountId}:routetable/{#RouteTableId}", "route-table-id", "alibabaclouddocs-vpc-ram-2019"),
    ("vpc:bandwidthpackage", "NAT Gateway Bandwidth Package", "acs:vpc:{#regionId}:{#accountId}:bandwidthpackage/{#BandwidthPackageId}", None, "alibabaclouddocs-vpc-ram-2019"),
    ("vpc:forwardtable", "Forward Table", "acs:vpc:{#regionId}:{#accountId}:forwardtable/{#ForwardTableId}", None, "alibabaclouddocs-vpc-ram-2019"),
    ("vpc:snattable", "SNAT Table", "acs:vpc:{#regionId}:{#accountId}:snattable/{#SnatTableId}", None, "alibabaclouddocs-vpc-ram-2019"),
    ("vpc:customergateway", "Customer Gateway", "acs:vpc:{#regionId}:{#accountId}:customergateway/{#CustomerGatewayId}", "customer-gateway-id", "alibabaclouddocs-vpc-ram-2019"),
    ("vpc:vpnconnection", "IPsec Connection", "acs:vpc:{#regionId}:{#accountId}:vpnconnection/{#VpnConnectionId}", None, "alibabaclouddocs-vpc-ram-2019"),
    ("vpc:vpngateway", "VPN Gateway", "acs:vpc:{#regionId}:{#accountId}:vpngateway/{#VpnGatewayId}", "vpn-gateway-id", "alibabaclouddocs-vpc-ram-2019"),
    ("vpc:globalaccelerationinstance", "Global Acceleration Instance", "acs:vpc:{#regionId}:{#accountId}:globalaccelerationinstance/{#GlobalAccelerationInstanceId}", None, "alibabaclouddocs-vpc-ram-2019"),
    # Whole-service ARNs (`acs:<code>:*:*:*`) used by official example policies
    ("rds:*", "All resources", "acs:rds:{#regionId}:{#accountId}:*", None, "policies-tf-alicloud"),
    ("polardb:*", "All resources", "acs:polardb:{#regionId}:{#accountId}:*", None, "policies-tf-alicloud"),
    ("dds:*", "All resources", "acs:dds:{#regionId}:{#accountId}:*", None, "policies-tf-alicloud"),
    ("openanalytics:*", "All resources", "acs:openanalytics:{#regionId}:{#accountId}:*", None, "policies-tf-alicloud"),
    # NLB (cross-product entry nlb:CreateLoadBalancer of the EIP authorization tables)
    ("nlb:loadbalancer", "LoadBalancer", "acs:nlb:{#regionId}:{#accountId}:loadbalancer/*", None, "vpc-eip-authorization"),
    # CLB (doc-slb-ram)
    ("slb:loadbalancer", "LoadBalancer", "acs:slb:{#regionId}:{#accountId}:loadbalancer/{#LoadBalancerId}", "slb-instance-id", "doc-slb-ram"),
    ("slb:acl", "Acl", "acs:slb:{#regionId}:{#accountId}:acl/{#AclId}", "slb-acl-id", "doc-slb-ram"),
    # RAM (doc-ram-api-auth-rules, doc-resourcemanager-ram-authorization, doc-ram-createpolicy,
    # doc-ram-trust-policy, doc-sts-oidc). Empty or `*` region.
    ("ram:user", "User", "acs:ram:*:{#accountId}:user/{#UserName}", None, "doc-ram-api-auth-rules"),
    ("ram:group", "Group", "acs:ram:*:{#accountId}:group/{#GroupName}", None, "doc-ram-api-auth-rules"),
    ("ram:mfa", "VirtualMFADevice", "acs:ram:*:{#accountId}:mfa/*", None, "doc-ram-api-auth-rules"),
    ("ram:role", "Role", "acs:ram:*:{#accountId}:role/{#RoleName}", None, "doc-resourcemanager-ram-authorization"),
    ("ram:policy", "Policy", "acs:ram:*:{#accountId}:policy/{#PolicyName}", None, "doc-ram-createpolicy"),
    ("ram:resourcegroup", "ResourceGroup", "acs:ram:*:{#accountId}:resourcegroup/{#ResourceGroupId}", None, "doc-resourcemanager-ram-authorization"),
    ("ram:*", "All RAM resources", "acs:ram:*:{#accountId}:*", None, "doc-resourcemanager-ram-authorization"),
    ("ims:user", "User", "acs:ims:*:{#accountId}:user/*", None, "doc-resourcemanager-ram-authorization"),
    ("ims:group", "Group", "acs:ims:*:{#accountId}:group/*", None, "doc-resourcemanager-ram-authorization"),
    ("ram:root", "Account", "acs:ram::{#accountId}:root", None, "doc-ram-trust-policy"),
    ("ram:saml-provider", "SAMLProvider", "acs:ram::{#accountId}:saml-provider/{#SAMLProviderName}", None, "doc-ram-trust-policy"),
    ("ram:oidc-provider", "OIDCProvider", "acs:ram::{#accountId}:oidc-provider/{#OIDCProviderName}", None, "doc-sts-oidc"),
    # OSS (oss-actions.json arn_formats). The relative id is the bucket name itself, so OSS types are
    # recognised by shape, not by a first path segment (see rules/README.md).
    ("oss:bucket", "Bucket", "acs:oss:{#regionId}:{#accountId}:{#BucketName}", None, "oss-actions-2026"),
    ("oss:object", "Object", "acs:oss:{#regionId}:{#accountId}:{#BucketName}/{#ObjectPath}", None, "oss-actions-2026"),
    ("oss:resourcepool", "ResourcePool", "acs:oss:{#regionId}:{#accountId}:resourcepool/{#ResourcePoolName}", None, "oss-actions-2026"),
    ("ossvector:bucket", "VectorBucket", "acs:ossvector:{#regionId}:{#accountId}:{#BucketName}", None, "oss-actions-2026"),
    ("ossvector:index", "VectorIndex", "acs:ossvector:{#regionId}:{#accountId}:{#BucketName}/{#IndexName}", None, "oss-actions-2026"),
]

# Resources shown by official example policies for actions that have no authorization table in
# shared/data: (code, action) -> (resource types, source). They replace the "nothing documented"
# state of these actions so that the official examples themselves are not reported.
#  - slb:AddBackendServers on a CLB instance and on an ECS instance (AlibabaCloudDocs/ram "Use RAM
#    to manage SLB permissions"; the CLB ARN is also on the AddBackendServers page, doc-slb-ram).
#  - dms:LoginDatabase on whole RDS / PolarDB / MongoDB / AnalyticDB accounts (DatabaseAdministrator
#    module; AlibabaCloudDocs/ram "Use RAM to manage ApsaraDB RDS permissions" uses RDS ARNs too).
ACTION_RESOURCES_FROM_EXAMPLES = {
    ("slb", "AddBackendServers"): (["ecs:instance", "slb:loadbalancer"], "policies-ram-doc"),
    ("dms", "LoginDatabase"): (["dds:*", "openanalytics:*", "polardb:*", "rds:*"], "policies-tf-alicloud"),
}

# Published typos in ram-block resource ARNs, mapped to the type the same block spells correctly.
# VpcIpam publishes one IpamPool ARN as `acs:vpcipam:...:ipampool/{#IpamPoolId}` while all its
# other ARNs (and its ramCodes) use `vpc`; `vpcipam` is listed as an alias of `vpc` instead.
RESOURCE_TYPE_TYPOS = {"pvtz:inboundendpooint": "pvtz:inboundendpoint", "vpcipam:ipampool": "vpc:ipampool"}

# `ram:` action -> documented resource types. Source per row. Rows of doc-ram-api-auth-rules are
# the rows visible in the stored copy of the page (it is cut after ram:RemoveUserFromGroup, whose
# row is incomplete and therefore left out).
RAM_ACTION_RESOURCES = {
    "doc-ram-api-auth-rules": {
        "CreateUser": ["ram:user"], "GetUser": ["ram:user"], "UpdateUser": ["ram:user"], "DeleteUser": ["ram:user"],
        "ListUsers": ["ram:user"], "CreateLoginProfile": ["ram:user"], "GetLoginProfile": ["ram:user"],
        "DeleteLoginProfile": ["ram:user"], "UpdateLoginProfile": ["ram:user"], "CreateAccessKey": ["ram:user"],
        "UpdateAccessKey": ["ram:user"], "DeleteAccessKey": ["ram:user"], "ListAccessKeys": ["ram:user"],
        "CreateVirtualMFADevice": ["ram:mfa"], "ListVirtualMFADevices": ["ram:mfa"], "BindMFADevice": ["ram:user"],
        "UnbindMFADevice": ["ram:user"], "GetUserMFAInfo": ["ram:user"], "ChangePassword": ["ram:user"],
        "CreateGroup": ["ram:group"], "GetGroup": ["ram:group"], "UpdateGroup": ["ram:group"],
        "ListGroups": ["ram:group"], "DeleteGroup": ["ram:group"], "AddUserToGroup": ["ram:group", "ram:user"],
    },
    "doc-resourcemanager-ram-authorization": {
        "CreateResourceGroup": ["ram:resourcegroup"], "DeleteResourceGroup": ["ram:resourcegroup"],
        "UpdateResourceGroup": ["ram:resourcegroup"], "CreatePolicy": ["ram:policy"], "DeletePolicy": ["ram:policy"],
        "ListPolicies": ["ram:policy"], "GetPolicy": ["ram:policy"], "CreatePolicyVersion": ["ram:policy"],
        "DeletePolicyVersion": ["ram:policy"], "ListPolicyVersions": ["ram:policy"], "GetPolicyVersion": ["ram:policy"],
        "SetDefaultPolicyVersion": ["ram:policy"],
        "AttachPolicy": ["ims:group", "ims:user", "ram:policy", "ram:role"],
        "DetachPolicy": ["ims:group", "ims:user", "ram:policy", "ram:role"],
        "ListPolicyAttachments": ["ram:*"], "CreateRole": ["ram:role"], "GetRole": ["ram:role"], "ListRoles": ["ram:role"],
    },
}

# Documented action condition keys that are not in machine-readable data.
# ram:ServiceName is used with ram:CreateServiceLinkedRole / ram:DeleteServiceLinkedRole
# (ram-reference.md section 4.2, [S27]).
RAM_ACTION_CONDITION_KEYS = {
    "CreateServiceLinkedRole": (["ram:ServiceName"], "doc-system-policies"),
    "DeleteServiceLinkedRole": (["ram:ServiceName"], "doc-system-policies"),
}

# sts:AssumeRole is authorized on the role: acs:ram::$accountID:role/$roleName (doc-sts-assumerole).
STS_ACTION_RESOURCES = {"AssumeRole": (["ram:role"], "doc-sts-assumerole")}

# Services whose action list in rules/ is complete enough for unknown-action and
# action-matches-nothing. The Openmeta ram-block codes log, odps and yundun-cert are NOT
# catalogued: SLS has 98 of 194 APIs without RAM metadata and data-plane actions such as
# log:PostLogStoreLogs (used by official ROS templates) are missing; MaxCompute documents
# console-only actions such as odps:GetJobCount (doc-maxcompute-ram-permissions) that the
# metadata lacks; the cas 2020-06-30 list lacks yundun-cert:CreateSSLCertificate and the other
# certificate actions that the OSS page requires. maxcompute has no action of its own.
CATALOGUED = {
    "vpc", "ecs", "slb", "ram", "sts", "actiontrail", "oss",
    "config", "dbs", "dm", "hitsdb", "lindorm", "openapiexplorer", "pvtz", "quickbi-public",
}

# Common mistakes in the service part of an action or ARN: (code, use, reason, source).
ALIASES = [
    ("eip", "vpc", "EIP actions use the RAM code `vpc`", "doc-eip-ram"),
    ("havip", "vpc", "HaVip actions use the RAM code `vpc`", "vpc-eip-authorization"),
    ("nat", "vpc", "NAT gateway actions use the RAM code `vpc`", "vpc-eip-authorization"),
    ("natgateway", "vpc", "NAT gateway actions use the RAM code `vpc`", "vpc-eip-authorization"),
    ("vpn", "vpc", "VPN gateway operations are VPC 2016-04-28 APIs and use the RAM code `vpc`", "openmeta-vpc-2016-04-28"),
    ("vpcipam", "vpc", "IPAM (VpcIpam) actions use the RAM code `vpc`", "openmeta-ram-VpcIpam-2023-02-28"),
    ("ipam", "vpc", "IPAM (VpcIpam) actions use the RAM code `vpc`", "openmeta-ram-VpcIpam-2023-02-28"),
    ("vpcpeer", "vpc", "VPC peering (VpcPeer) actions use the RAM code `vpc`", "ram-codes"),
    ("clb", "slb", "Classic Load Balancer (CLB) actions use the RAM code `slb`", "ram-codes"),
    # Habits from AWS IAM: the equivalent Alibaba Cloud services' RAM codes.
    ("ec2", "ecs", "`ec2` is AWS's code; Elastic Compute Service actions use the RAM code `ecs`", "ram-codes"),
    ("s3", "oss", "`s3` is AWS's code; Object Storage Service actions use the RAM code `oss`", "ram-codes"),
    ("iam", "ram", "`iam` is AWS's code; Resource Access Management actions use the RAM code `ram`", "ram-codes"),
    ("redis", "kvstore", "Tair / ApsaraDB for Redis actions use the RAM code `kvstore`", "ram-codes"),
    ("tair", "kvstore", "Tair / ApsaraDB for Redis actions use the RAM code `kvstore`", "ram-codes"),
    ("r-kvstore", "kvstore", "R-kvstore API actions use the RAM code `kvstore`", "ram-codes"),
    ("mongodb", "dds", "ApsaraDB for MongoDB actions use the RAM code `dds`", "ram-codes"),
    ("sls", "log", "Simple Log Service (SLS) actions use the RAM code `log`", "ram-codes"),
    ("ack", "cs", "Container Service for Kubernetes (ACK) actions use the RAM code `cs`", "ram-codes"),
    ("k8s", "cs", "Container Service for Kubernetes (ACK) actions use the RAM code `cs`", "ram-codes"),
    ("cas", "yundun-cert", "Certificate Management Service (cas) actions use the RAM code `yundun-cert`", "openmeta-ram-cas-2020-06-30"),
    ("tsdb", "hitsdb", "TSDB (hitsdb 2017-06-01) actions use the RAM code `hitsdb`", "ram-codes"),
    ("cloudmonitor", "cms", "CloudMonitor actions use the RAM code `cms`", "ram-codes"),
    ("dns", "alidns", "Alibaba Cloud DNS actions use the RAM code `alidns`", "ram-codes"),
    ("privatezone", "pvtz", "Alibaba Cloud DNS PrivateZone actions use the RAM code `pvtz`", "ram-codes"),
    ("directmail", "dm", "Direct Mail actions use the RAM code `dm`", "ram-codes"),
    ("acr", "cr", "Container Registry (ACR) actions use the RAM code `cr`", "ram-codes"),
    ("tablestore", "ots", "Tablestore actions use the RAM code `ots`", "ram-codes"),
    ("cbn", "cen", "Cloud Enterprise Network (Cbn API) actions use the RAM code `cen`", "ram-codes"),
    ("bssopenapi", "bssapi", "Billing API (BssOpenApi) actions use the RAM code `bssapi`", "ram-codes"),
    ("quickbi", "quickbi-public", "Quick BI actions use the RAM code `quickbi-public`", "ram-codes"),
    ("cloudconfig", "config", "Cloud Config actions use the RAM code `config`", "ram-codes"),
]

# Services found outside ram-codes.json / ram blocks / policies (code, product or None, source).
SERVICES_EXTRA = [
    ("eipanycast", "Anycast Elastic IP Address", "doc-eipanycast-ram"),
    # ARN service segments published for actions of another code
    ("ossvector", "Object Storage Service (OSS) vector buckets (ARN service; actions use `oss`)", "oss-actions-2026"),
]

# id formats (formats.json). Prefixes are the ones seen in the data (Openmeta examples,
# shared/data/requests examples, ram-reference.md section 5.2); examples are real ids from the
# data with the `****` mask removed. (id, fields, source)
FORMATS = [
    ("eip-id", {"prefix": "eip-", "example": "eip-2zeerraiwb7ujsxdc", "summary": "an EIP allocation id: `eip-` followed by letters and digits"}, "openmeta-vpc-2016-04-28"),
    ("ecs-instance-id", {"prefix": "i-", "example": "i-25skktcp4", "summary": "an ECS instance id: `i-` followed by letters and digits"}, "openmeta-ecs-2014-05-26"),
    ("eni-id", {"prefix": "eni-", "example": "eni-bp1d66qjxb3qoin3", "summary": "an elastic network interface id: `eni-` followed by letters and digits"}, "openmeta-ecs-2014-05-26"),
    ("havip-id", {"prefix": "havip-", "example": "havip-2zeo05qre24nhrqp", "summary": "a HaVip id: `havip-` followed by letters and digits"}, "openmeta-vpc-2016-04-28"),
    ("nat-gateway-id", {"prefix": "ngw-", "example": "ngw-bp1tcx67xuox8ogre7onm", "summary": "a NAT gateway id: `ngw-` followed by letters and digits"}, "openmeta-vpc-2016-04-28"),
    ("slb-instance-id", {"prefix": "lb-", "example": "lb-bp1qjwo61pqz3a", "summary": "a CLB (SLB) instance id: `lb-` followed by letters and digits"}, "openmeta-slb-2014-05-15"),
    ("slb-acl-id", {"prefix": "acl-", "example": "acl-uf60jwfiv6", "summary": "a CLB access control list id: `acl-` followed by letters and digits"}, "openmeta-slb-2014-05-15"),
    ("vpc-id", {"prefix": "vpc-", "example": "vpc-bp1717bgs34gj", "summary": "a VPC id: `vpc-` followed by letters and digits"}, "openmeta-vpc-2016-04-28"),
    ("vswitch-id", {"prefix": "vsw-", "example": "vsw-asdfjlnaue4g", "summary": "a vSwitch id: `vsw-` followed by letters and digits"}, "openmeta-vpc-2016-04-28"),
    ("security-group-id", {"prefix": "sg-", "example": "sg-bp15ed6xe1yxeycg7", "summary": "a security group id: `sg-` followed by letters and digits"}, "openmeta-ecs-2014-05-26"),
    ("resource-group-id", {"prefix": "rg-", "example": "rg-acfmxazfdgdg", "summary": "a resource group id: `rg-` followed by letters and digits"}, "openmeta-resourcemanager-2020-03-31"),
    ("route-table-id", {"prefix": "vtb-", "example": "vtb-bp1nk7zk65du3pni8z9td", "summary": "a route table id: `vtb-` followed by letters and digits"}, "openmeta-vpc-2016-04-28"),
    ("vrouter-id", {"prefix": "vrt-", "example": "vrt-bp1lhl0taikrteen8", "summary": "a vRouter id: `vrt-` followed by letters and digits"}, "openmeta-vpc-2016-04-28"),
    ("bandwidth-package-id", {"prefix": "cbwp-", "example": "cbwp-2ze2ic1xd2qeqk145pn4u", "summary": "an EIP bandwidth plan (common bandwidth package) id: `cbwp-` followed by letters and digits"}, "openmeta-vpc-2016-04-28"),
    ("vpn-gateway-id", {"prefix": "vpn-", "example": "vpn-bp10zyaph5cc8b7c7", "summary": "a VPN gateway id: `vpn-` followed by letters and digits"}, "openmeta-vpc-2016-04-28"),
    ("customer-gateway-id", {"prefix": "cgw-", "example": "cgw-bp1jrawp82av6bws9", "summary": "a customer gateway id: `cgw-` followed by letters and digits"}, "openmeta-vpc-2016-04-28"),
    ("virtual-border-router-id", {"prefix": "vbr-", "example": "vbr-bp136flp1mf8mlq6r", "summary": "a virtual border router id: `vbr-` followed by letters and digits"}, "openmeta-vpc-2016-04-28"),
    ("ipv4-gateway-id", {"prefix": "ipv4gw-", "example": "ipv4gw-5tsnc6s4ogsedtp3k", "summary": "an IPv4 gateway id: `ipv4gw-` followed by letters and digits"}, "openmeta-vpc-2016-04-28"),
    ("ipv6-gateway-id", {"prefix": "ipv6gw-", "example": "ipv6gw-hp3y0l3ln89j8cdvf", "summary": "an IPv6 gateway id: `ipv6gw-` followed by letters and digits"}, "openmeta-vpc-2016-04-28"),
    ("network-acl-id", {"prefix": "nacl-", "example": "nacl-a2do9e413e0spzasx", "summary": "a network ACL id: `nacl-` followed by letters and digits"}, "openmeta-vpc-2016-04-28"),
    ("public-ip-address-pool-id", {"prefix": "pippool-", "example": "pippool-2vc0kxcedhquybdsz", "summary": "an IP address pool id: `pippool-` followed by letters and digits"}, "openmeta-vpc-2016-04-28"),
    ("prefix-list-id", {"prefix": "pl-", "example": "pl-x1j1k5ykzqlixdcy", "summary": "a prefix list id: `pl-` followed by letters and digits"}, "openmeta-ecs-2014-05-26"),
    ("disk-id", {"prefix": "d-", "example": "d-bp131n0q38u3a4zi", "summary": "a block storage (disk) id: `d-` followed by letters and digits"}, "openmeta-ecs-2014-05-26"),
    ("snapshot-id", {"prefix": "s-", "example": "s-bp17441ohwka0yuh", "summary": "a snapshot id: `s-` followed by letters and digits"}, "openmeta-ecs-2014-05-26"),
    ("launch-template-id", {"prefix": "lt-", "example": "lt-bp1apo0bbbkuy0rj", "summary": "a launch template id: `lt-` followed by letters and digits"}, "openmeta-ecs-2014-05-26"),
    ("dedicated-host-id", {"prefix": "dh-", "example": "dh-bp165p6xk2tlw61e", "summary": "a dedicated host id: `dh-` followed by letters and digits"}, "openmeta-ecs-2014-05-26"),
    ("account-id", {"pattern": "^[0-9]{16}$", "example": "0123456789012345", "summary": "an Alibaba Cloud account id (UID): 16 digits"}, "doc-account-id"),
    ("ipv4", {"builtin": "ipv4", "example": "172.16.215.218", "summary": "an IPv4 address in dotted-decimal form"}, "openmeta-vpc-2016-04-28"),
    ("ip-address", {"builtin": "ip", "example": "172.16.215.218", "summary": "an IPv4 or IPv6 address"}, "doc-kms-condition-key"),
    ("cidr", {"builtin": "cidr", "example": "192.168.0.0/16", "summary": "an IPv4 or IPv6 CIDR block (address/prefix length)"}, "doc-sts-assumerole"),
    ("region-id", {"builtin": "region", "example": "cn-hangzhou", "summary": "a region id such as `cn-hangzhou`"}, "openmeta-vpc-2016-04-28"),
    ("client-token", {"builtin": "client-token", "max_length": 64, "example": "02fb3da4-130e-11e9-8e44-001", "summary": "an idempotency token: ASCII characters only, at most 64 characters"}, "openmeta-vpcpeer-2022-01-01"),
]

# Condition operators (ram-reference.md section 3, [S7]): exactly these 21.
OPERATORS = [
    ("StringEquals", "string"), ("StringNotEquals", "string"), ("StringEqualsIgnoreCase", "string"),
    ("StringNotEqualsIgnoreCase", "string"), ("StringLike", "string"), ("StringNotLike", "string"),
    ("NumericEquals", "numeric"), ("NumericNotEquals", "numeric"), ("NumericLessThan", "numeric"),
    ("NumericLessThanEquals", "numeric"), ("NumericGreaterThan", "numeric"), ("NumericGreaterThanEquals", "numeric"),
    ("DateEquals", "date"), ("DateNotEquals", "date"), ("DateLessThan", "date"), ("DateLessThanEquals", "date"),
    ("DateGreaterThan", "date"), ("DateGreaterThanEquals", "date"),
    ("Bool", "boolean"),
    ("IpAddress", "ip"), ("NotIpAddress", "ip"),
]
# Set qualifiers seen in official documents (PowerUserAccess: "ForAllValues:StringEquals");
# ram-reference.md open question 4. Accepted as valid by shared/docs/contract.md.
QUALIFIERS = ["ForAllValues:", "ForAnyValue:"]

# Condition keys that are not machine-readable in shared/data.
# (key, type, match ("exact"|"prefix"), confidence or None, source)
CONDITION_KEYS_CURATED = [
    # Global keys (ram-reference.md section 4.1)
    ("acs:CurrentTime", "date", "exact", None, "doc-ram-policy-elements"),
    ("acs:SecureTransport", "boolean", "exact", None, "doc-ram-policy-elements"),
    ("acs:SourceIp", "ip", "exact", None, "doc-ram-policy-elements"),
    ("acs:MFAPresent", "boolean", "exact", None, "doc-ram-policy-elements"),
    ("acs:SourceVpc", "string", "exact", None, "doc-kms-condition-key"),
    ("acs:AccessId", "string", "exact", None, "oss-actions-2026"),
    ("acs:UserAgent", "string", "exact", None, "doc-maxcompute-condition-keys"),
    ("acs:Referer", "string", "exact", None, "doc-maxcompute-condition-keys"),
    ("acs:RequestTag/", "string", "prefix", None, "doc-ram-conditional-operator"),
    ("acs:ResourceTag/", "string", "prefix", None, "doc-ram-conditional-operator"),
    ("acs:PrincipalARN", "string", "exact", None, "doc-control-policy"),
    ("acs:Service", "string", "exact", None, "doc-system-policies"),
    ("acs:PrincipalRdId", "string", "exact", "third-party", "third-party-field-reports"),
    ("acs:PrincipalRdPath", "string", "exact", "third-party", "third-party-field-reports"),
    ("acs:SourceVpcId", "string", "exact", "third-party", "third-party-field-reports"),
    ("acs:TagKeys", "string", "exact", "third-party", "third-party-field-reports"),
    # Service keys (ram-reference.md section 4.2)
    ("vpc:VPC", "string", "exact", None, "doc-ecs-ram"),
    ("vpc:IsDefaultVpc", "boolean", "exact", None, "doc-ecs-ram"),
    ("vpc:IsDefaultVSwitch", "boolean", "exact", None, "doc-ecs-ram"),
    ("vpc:CreateDefaultVpc", "boolean", "exact", None, "doc-ecs-ram"),
    ("vpc:tag", "string", "exact", None, "doc-ecs-ram"),
    ("ecs:tag", "string", "exact", None, "doc-ecs-ram"),
    ("slb:tag", "string", "exact", None, "doc-slb-ram"),
    ("ecs:AssociatePublicIpAddress", "boolean", "exact", None, "doc-ecs-ram"),
    ("ecs:LoginAsNonRoot", "boolean", "exact", None, "doc-ecs-ram"),
    ("ecs:NotSpecifySecurityGroupId", "boolean", "exact", None, "doc-ecs-ram"),
    ("ecs:PasswordCustomized", "boolean", "exact", None, "doc-ecs-ram"),
    ("ecs:PasswordInherit", "boolean", "exact", None, "doc-ecs-ram"),
    ("ecs:SecurityHardeningMode", "boolean", "exact", None, "doc-ecs-ram"),
    ("ecs:CommandRunAs", "string", "exact", None, "doc-ecs-ram"),
    ("ecs:ImageOwnerId", "string", "exact", None, "doc-ecs-ram"),
    ("ecs:ImagePlatform", "string", "exact", None, "doc-ecs-ram"),
    ("ecs:ImageSource", "string", "exact", None, "doc-ecs-ram"),
    ("ecs:InstanceType", "string", "exact", None, "doc-ecs-ram"),
    ("ecs:InstanceTypeFamily", "string", "exact", None, "doc-ecs-ram"),
    ("ecs:IsDiskByokEncrypted", "string", "exact", None, "doc-ecs-ram"),
    ("ecs:IsDiskEncrypted", "string", "exact", None, "doc-ecs-ram"),
    ("ecs:IsSystemDiskByokEncrypted", "string", "exact", None, "doc-ecs-ram"),
    ("ecs:IsSystemDiskEncrypted", "string", "exact", None, "doc-ecs-ram"),
    ("ecs:SecurityEnhancementStrategy", "string", "exact", None, "doc-ecs-ram"),
    ("ecs:SecurityGroupIpProtocols", "string", "exact", None, "doc-ecs-ram"),
    ("ecs:SecurityGroupSourceCidrIps", "string", "exact", None, "doc-ecs-ram"),
    ("ecs:tag/", "string", "prefix", None, "doc-ram-policy-elements"),
    ("rds:ResourceTag/", "string", "prefix", None, "doc-ram-policy-elements"),
    ("ram:ServiceName", "string", "exact", None, "doc-system-policies"),
    # Used with ram:CreateRole / ram:AttachPolicyToRole in the system policy PowerUserAccess
    # (copy: shared/data/policies/tf-alicloud-ram-policy-PowerUserAccess.json).
    ("ram:TrustedPrincipalTypes", "string", "exact", None, "policies-tf-alicloud"),
    ("nlb:AddressType", "string", "exact", None, "vpc-eip-authorization"),
    # Trust policies
    ("saml:recipient", "string", "exact", None, "doc-ram-trust-policy"),
    ("oidc:iss", "string", "exact", None, "doc-sts-oidc"),
    ("oidc:aud", "string", "exact", None, "doc-sts-oidc"),
    ("oidc:sub", "string", "exact", None, "doc-sts-oidc"),
]

# Openmeta condition-key schema types -> our five types.
OPENMETA_KEY_TYPES = {"String": "string", "Boolean": "boolean", "Number": "numeric", "Integer": "numeric",
                      "Long": "numeric", "Double": "numeric", "Date": "date", "IpAddress": "ip", "IP": "ip"}

# Privilege-escalation catalogue (escalation.json). The `why` texts are our own words. Every
# action name is checked against rules/actions/ram.json. ram:CreatePolicy is left out: a new
# policy grants nothing until it is attached, and attaching is listed.
ESCALATION = [
    ("AttachPolicyToUser", "policy-attach", "can attach any policy, including AdministratorAccess, to a RAM user such as the caller", "openmeta-ram-2015-05-01"),
    ("AttachPolicyToGroup", "policy-attach", "can attach any policy to a user group the caller belongs to", "openmeta-ram-2015-05-01"),
    ("AttachPolicyToRole", "policy-attach", "can attach any policy to a role the caller can assume", "openmeta-ram-2015-05-01"),
    ("AttachPolicy", "policy-attach", "Resource Management's attach operation: grants any policy to a user, group or role, also at resource-group scope", "doc-resourcemanager-ram-authorization"),
    ("CreatePolicyVersion", "policy-version", "can rewrite a policy that is already attached to the caller and make the new text the default", "openmeta-ram-2015-05-01"),
    ("SetDefaultPolicyVersion", "policy-version", "can switch an attached policy to an older or prepared version with wider rights", "openmeta-ram-2015-05-01"),
    ("CreateAccessKey", "access-key", "can mint an AccessKey pair for another RAM user and act as that user", "openmeta-ram-2015-05-01"),
    ("UpdateAccessKey", "access-key", "can re-enable a disabled AccessKey pair of another RAM user", "openmeta-ram-2015-05-01"),
    ("CreateLoginProfile", "login-profile", "can give another RAM user a console password chosen by the caller and sign in as that user", "openmeta-ram-2015-05-01"),
    ("UpdateLoginProfile", "login-profile", "can reset another RAM user's console password and sign in as that user", "openmeta-ram-2015-05-01"),
    ("AddUserToGroup", "group-membership", "can add the caller to a user group that holds wider policies", "openmeta-ram-2015-05-01"),
    ("UpdateRole", "role-trust", "can rewrite a role's trust policy so that the caller may assume a more powerful role", "openmeta-ram-2015-05-01"),
    ("PassRole", "pass-role", "can hand a role to a compute service (ECS, FC ...) and run code with that role's rights", "doc-system-policies"),
]

# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def load(path: Path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def glob_re(pattern: str) -> re.Pattern:
    out = []
    for ch in pattern:
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
    return re.compile("^" + "".join(out) + "$", re.IGNORECASE)


class Cites:
    """Collects the source ids one output file cites."""

    def __init__(self):
        self.ids: set[str] = set()

    def __call__(self, sid: str) -> str:
        if sid not in SOURCES:
            raise KeyError(f"unknown source id {sid}")
        self.ids.add(sid)
        return sid

    def sources(self) -> list[dict]:
        return [{"id": i, "origin": SOURCES[i]["origin"], "licence": SOURCES[i]["licence"]} for i in sorted(self.ids)]


def write_json(path: Path, obj) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(obj, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


def arn_type(arn: str) -> str | None:
    """Resource type id `<arn-service>:<first path segment>` of an ARN template, or None."""
    arn = arn.strip()
    if arn == "*":
        return None
    parts = arn.split(":", 4)
    if len(parts) != 5 or parts[0] != "acs":
        return None
    svc = parts[1].strip().lower()
    rel = parts[4].strip()
    if not svc or "{" in svc or "$" in svc:
        return None
    if svc in ("oss", "ossvector"):
        if rel.startswith("resourcepool/") and svc == "oss":
            return "oss:resourcepool"
        if rel in ("", "*"):
            return f"{svc}:*" if rel == "*" else None
        if svc == "oss":
            return "oss:object" if "/" in rel else "oss:bucket"
        return "ossvector:index" if "/" in rel else "ossvector:bucket"
    if rel == "":
        return None
    if rel == "*":
        return f"{svc}:*"
    seg = rel.split("/")[0].strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", seg):
        return None
    tid = f"{svc}:{seg}"
    return RESOURCE_TYPE_TYPOS.get(tid, tid)


def access_of(op) -> str | None:
    return op if op in ACCESS_LEVELS else None


def resources_of(arns) -> list[str] | None:
    """Resource type ids of documented ARN templates: `*` for the all-resources ARN; None (nothing
    derivable, the field is then omitted) when there is no ARN or one has no type segment."""
    if not arns:
        return None
    out = set()
    for arn in arns:
        tid = arn_type(arn)
        if tid is None and arn.strip() != "*":
            return None
        out.add(tid or "*")
    return sorted(out)


# ---------------------------------------------------------------------------------------------
# Derivation
# ---------------------------------------------------------------------------------------------


class Deriver:
    def __init__(self, data: Path, out: Path):
        self.data = data
        self.shared = data.parent
        self.out = out
        self.om = data / "api-metadata" / "openmeta"
        self.rm = data / "ram-metadata"
        self.report: list[str] = []

    # ----- inputs -----------------------------------------------------------------------------
    def openmeta(self, name: str) -> dict:
        return load(self.om / name / "api-docs.en_us.json")

    def ram_block(self, stem: str) -> dict:
        return load(self.rm / "openmeta-ramActions" / f"{stem}.ram-block.json")["ram"]

    def ram_actions_file(self, stem: str) -> dict:
        return load(self.rm / "openmeta-ramActions" / f"{stem}.ramActions.json")["apis"]

    def official_policies(self, official_only=True):
        """Yield (file, source id, official, document) for every valid JSON policy document."""
        idx = load(self.data / "policies" / "index.json")
        for entry in idx:
            if not entry.get("json_valid"):
                continue
            for prefix, sid, official in POLICY_ORIGINS:
                if entry["file"].startswith(prefix):
                    break
            else:
                continue
            if official_only and not official:
                continue
            yield entry["file"], sid, official, load(self.data / "policies" / entry["file"])

    # ----- regions ------------------------------------------------------------------------------
    def regions(self):
        cite = Cites()
        found: dict[str, str] = {}
        for path in sorted(self.om.glob("*/api-docs.en_us.json")):
            sid = f"openmeta-{path.parent.name}"
            doc = load(path)
            for ep in doc.get("endpoints") or []:
                rid = ep.get("regionId")
                # Only real region ids: global endpoints carry no regionId (none are present
                # in this snapshot, but keep the filter).
                if isinstance(rid, str) and re.fullmatch(r"[a-z]{2,4}-[a-z0-9]+(?:-[a-z0-9]+)*", rid):
                    found.setdefault(rid, sid)
        ref = (self.shared / "docs" / "ram-reference.md").read_text(encoding="utf-8")
        m = re.search(r"^### 5\.4 Region IDs\n(.*?)(?=^#{2,3} )", ref, re.S | re.M)
        if not m:
            raise SystemExit("ram-reference.md section 5.4 not found")
        for rid in re.findall(r"`?\b((?:cn|ap|eu|us|me|na)-[a-z]+(?:-[a-z0-9]+)*)\b", m.group(1)):
            found.setdefault(rid, "doc-regions")
        regions = [{"id": rid, "source": cite(found[rid])} for rid in sorted(found)]
        self.report.append(f"regions ({len(regions)}): " + ", ".join(r["id"] for r in regions))
        return {"sources": cite.sources(), "regions": regions}

    # ----- services -------------------------------------------------------------------------------
    def services(self):
        cite = Cites()
        ram_codes = load(self.rm / "ram-codes.json")
        products: dict[str, tuple[int, str, str]] = {}  # code -> (rank, product, source)

        def offer(code, product, rank, sid):
            code = code.strip().lower()
            cur = products.get(code)
            if cur is None or rank < cur[0]:
                products[code] = (rank, product, sid)

        for row in ram_codes["entries"]:
            published = [c.strip() for c in row["published_ram_codes"].split(",")]
            product = re.sub(r"\s*\((?:[^()]*Openmeta[^()]*)\)\s*$", "", row["product"]).strip()
            # Prefer a help-page row that names the code first in its published list.
            rank = 0 if (row["source_kind"] == "help-page-excerpt" and published[0] == row["ram_code"]) else 2
            offer(row["ram_code"], product, rank, "ram-codes")
        for stem, _, _ in RAM_BLOCKS:
            block = self.ram_block(stem)
            for code in block["ramCodes"]:
                offer(code, block["productName"], 1, f"openmeta-ram-{stem}")
        oss = load(self.rm / "oss-actions.json")
        offer(oss["ram_code"], "Object Storage Service (OSS)", 1, "oss-actions-2026")
        for a in oss["actions"]:
            code = a["action"].split(":")[0].strip()
            offer(code, None, 3, "oss-actions-2026")
        for code, product, sid in SERVICES_EXTRA:
            offer(code, product, 1, sid)
        # Codes used as action prefixes in valid official policy documents.
        for fname, sid, _, doc in self.official_policies():
            for action in iter_actions(doc):
                if ":" not in action or "${" in action:
                    continue
                code = action.split(":", 1)[0].strip().lower()
                if not code or "*" in code or "?" in code or code == "eip":
                    continue
                offer(code, None, 4, sid)
        services = []
        for code in sorted(products):
            _, product, sid = products[code]
            entry = {"code": code}
            if product:
                entry["product"] = product
            entry["source"] = cite(sid)
            services.append(entry)
        assert "eip" not in products, "eip is a known mistake, not a RAM code"
        aliases = []
        for code, use, reason, sid in sorted(ALIASES):
            assert code not in products, f"alias {code} collides with a real code"
            assert use in products, f"alias target {use} unknown"
            aliases.append({"code": code, "use": use, "reason": reason, "source": cite(sid)})
        groups = set()
        for row in ram_codes["entries"]:
            members = tuple(sorted({c.strip() for c in row["published_ram_codes"].split(",")}))
            if len(members) > 1:
                groups.add(members)
        for stem, _, _ in RAM_BLOCKS:
            codes = tuple(sorted(self.ram_block(stem)["ramCodes"]))
            if len(codes) > 1:
                groups.add(codes)
        # Drop groups contained in a larger one (ecs,vpc inside ecs,vpc,ecs-workbench).
        groups = {g for g in groups if not any(set(g) < set(h) for h in groups)}
        cite("ram-codes")
        self.report.append(f"services: {len(services)} codes, {len(aliases)} aliases, {len(groups)} groups")
        self.known_codes = set(products)
        return {"sources": cite.sources(), "services": services, "aliases": aliases,
                "groups": [list(g) for g in sorted(groups)]}

    # ----- formats ---------------------------------------------------------------------------------
    def formats(self):
        cite = Cites()
        formats = {}
        for fid, fields, sid in sorted(FORMATS):
            entry = {}
            if "prefix" in fields:
                assert re.fullmatch(r"[a-z0-9]+-", fields["prefix"]), fields["prefix"]
                entry["pattern"] = f"^{fields['prefix']}[A-Za-z0-9]+$"
                entry["prefix"] = fields["prefix"]
            if "pattern" in fields:
                entry["pattern"] = fields["pattern"]
            if "builtin" in fields:
                entry["builtin"] = fields["builtin"]
            if "max_length" in fields:
                entry["max_length"] = fields["max_length"]
            entry["example"] = fields["example"]
            entry["summary"] = fields["summary"]
            entry["source"] = cite(sid)
            formats[fid] = entry
        self.formats_data = formats
        return {"sources": cite.sources(), "formats": formats}

    # ----- resource types ----------------------------------------------------------------------------
    def resource_types(self):
        cite = Cites()
        types: dict[str, dict] = {}
        for tid, name, arn, fmt, sid in RESOURCE_TYPES_CURATED:
            assert arn_type(arn) == tid, (tid, arn, arn_type(arn))
            types[tid] = {"id": tid, "service": tid.split(":")[0], "name": name, "arn": arn,
                          "id_format": fmt, "source": sid}
        # Every resourceTypes[] entry (and every resource ARN of an action) of the 14 ram blocks.
        candidates: dict[str, list[tuple]] = collections.defaultdict(list)
        for stem, _, _ in RAM_BLOCKS:
            block = self.ram_block(stem)
            arns = [(t["resourceType"], t["arn"], t.get("validationType")) for t in block["resourceTypes"]]
            for a in block["ramActions"]:
                arns += [(r.get("resourceType") or "", r["arn"], r.get("validationType"))
                         for r in a["ramAction"].get("resources") or []]
            for name, arn, validation in arns:
                tid = arn_type(arn)
                if tid is None:
                    if arn.strip() != "*":
                        self.report.append(f"resource type skipped (no type segment): {arn!r} in {stem}")
                    continue
                candidates[tid].append((name, arn.strip(), f"openmeta-ram-{stem}", validation))

        def rank(c):
            # Prefer a template with an id placeholder, the usual {#regionId}:{#accountId} form,
            # no published typo, validationType "always", then the shortest.
            name, arn, _, validation = c
            rel = arn.split(":", 4)[4]
            canonical = ":{#regionId}:{#accountId}:" in arn or ":*:{#accountId}:" in arn or "::{#accountId}:" in arn
            return (rel.endswith("*"), not canonical, "${" in arn or "#{" in arn or "//" in rel,
                    validation != "always", len(arn), arn, name)

        for tid in sorted(candidates):
            if tid in types:
                continue
            name, arn, sid, _ = sorted(candidates[tid], key=rank)[0]
            types[tid] = {"id": tid, "service": tid.split(":")[0], "name": name, "arn": arn,
                          "id_format": None, "source": sid}
        out = []
        for tid in sorted(types):
            t = types[tid]
            arn = t["arn"]
            # A type documented only as `<type>/*` gets an id placeholder so that the template
            # shows where the id goes (`hpc/*` -> `hpc/{#Id}`).
            prefix, rel = arn.rsplit(":", 1) if arn.count(":") == 4 else (arn, "")
            if rel.endswith("/*") and "{" not in rel and "$" not in rel:
                arn = f"{prefix}:{rel[:-1]}{{#Id}}"
            entry = {"id": t["id"], "service": t["service"], "name": t["name"], "arn": arn}
            if t["id_format"]:
                entry["id_format"] = t["id_format"]
            entry["source"] = cite(t["source"])
            out.append(entry)
        self.type_ids = set(types)
        self.report.append(f"resource types: {len(out)}")
        return {"sources": cite.sources(), "types": out}

    # ----- condition keys ------------------------------------------------------------------------------
    def condition_keys(self):
        cite = Cites()
        keys: dict[str, dict] = {}

        def add(key, typ, match, confidence, sid):
            if key in keys:
                return
            entry = {"key": key}
            if match == "prefix":
                entry["match"] = "prefix"
            entry["type"] = typ
            if confidence:
                entry["confidence"] = confidence
            entry["source"] = sid
            keys[key] = entry

        for key, typ, match, conf, sid in CONDITION_KEYS_CURATED:
            add(key, typ, match, conf, sid)
        # ramConditions of the ram blocks (typed)
        typed = {}
        for stem, _, _ in RAM_BLOCKS:
            for c in self.ram_block(stem)["ramConditions"]:
                typ = OPENMETA_KEY_TYPES[c["schema"]["type"]]
                typed[c["name"]] = typ
                add(c["name"], typ, "exact", None, f"openmeta-ram-{stem}")
        # actionConditions of the ram blocks (untyped in the data: use the ramConditions type,
        # else string)
        for stem, _, _ in RAM_BLOCKS:
            block = self.ram_block(stem)
            for a in block["ramActions"]:
                for c in a["ramAction"].get("actionConditions") or []:
                    add(c["conditionKey"], typed.get(c["conditionKey"], "string"), "exact", None, f"openmeta-ram-{stem}")
        # OSS keys
        oss = load(self.rm / "oss-actions.json")
        for k in oss["condition_keys"]["oss-authorization-syntax-2026"]:
            key = k["key"]
            if not key.startswith("oss:"):
                continue
            add(key, "string", "exact", None, "oss-actions-2026")
            if "several tags" in (k.get("note") or ""):
                add(key + "/", "string", "prefix", None, "oss-actions-2026")
        # vpc keys of the EIP authorization tables
        eip = load(self.rm / "vpc-eip-authorization.transcribed-from-docs.json")
        for e in eip["entries"]:
            for key in e.get("conditionKeys") or []:
                add(key, "string", "exact", None, "vpc-eip-authorization")
        out = []
        for key in sorted(keys, key=lambda k: (k.lower(), k)):
            e = keys[key]
            e["source"] = cite(e["source"])
            out.append(e)
        ops = [{"name": n, "category": c, "source": cite("doc-ram-conditional-operator")} for n, c in OPERATORS]
        cite("policies-tf-alicloud")  # ForAllValues: in PowerUserAccess
        self.report.append(f"condition keys: {len(out)}; operators: {len(ops)}")
        self.condition_key_names = set(keys)
        return {"sources": cite.sources(), "operators": ops, "qualifiers": QUALIFIERS, "keys": out}

    # ----- actions ---------------------------------------------------------------------------------------
    def actions(self):
        cat = Catalog()

        # --- VPC 2016-04-28 (+ EIP authorization tables), VpcPeer, VpcIpam
        vpc = self.openmeta("vpc-2016-04-28")["apis"]
        eip = {e["action"].split(":", 1)[1]: e for e in load(self.rm / "vpc-eip-authorization.transcribed-from-docs.json")["entries"]
               if e["api"].startswith("Vpc 2016-04-28")}
        for api, spec in vpc.items():
            res, keys, sid = None, [], "openmeta-vpc-2016-04-28"
            e = eip.get(api)
            if e:
                variants = e.get("variants") or [e]
                if all(v.get("resources") is not None for v in variants):
                    res = resources_of([r["arn"] for v in variants for r in v["resources"]])
                    keys = list(e.get("conditionKeys") or [])
                    sid = "vpc-eip-authorization"
            cat.add("vpc", api, access_of((spec.get("systemTags") or {}).get("operationType")), res, keys, sid,
                    name_source="openmeta-vpc-2016-04-28")
        for api in VPCPEER_2022_01_01_APIS:
            cat.add("vpc", api, None, None, [], "openmeta-vpcpeer-2022-01-01")

        # --- ram-block products (per-API ramActions and the top-level block)
        for stem, _, _ in RAM_BLOCKS:
            sid = f"openmeta-ram-{stem}"
            block = self.ram_block(stem)
            apis = self.ram_actions_file(stem)
            top_apis = set()
            entries = []
            for a in block["ramActions"]:
                entries.append(a)
                top_apis.add(a.get("apiName"))
            for api, spec in apis.items():
                for ra in spec.get("ramActions") or []:
                    entries.append(ra)
            for a in entries:
                ra = a["ramAction"]
                code, name = ra["action"].split(":", 1)
                res = resources_of([r["arn"] for r in ra.get("resources") or []])
                keys = sorted({c["conditionKey"] for c in ra.get("actionConditions") or []})
                cat.add(code.strip(), name.strip(), access_of(a.get("operationType")), res, keys, sid)
            # APIs listed without any RAM metadata: for catalogued codes the action is assumed to be
            # <code>:<ApiName> (so that a real call is not reported as unknown); for the others
            # nothing is assumed.
            code = block["ramCodes"][0]
            for api, spec in apis.items() if code in CATALOGUED else []:
                if not spec.get("ramActions") and api not in top_apis:
                    cat.add(code, api, access_of((spec.get("systemTags") or {}).get("operationType")), None, [],
                            sid, assumed=True)

        # --- ECS, SLB, STS, RAM, ActionTrail (API copy), RDS, ResourceManager
        ecs = self.openmeta("ecs-2014-05-26")["apis"]
        excluded = []
        for api, spec in ecs.items():
            if spec.get("deprecated") and api in vpc and api not in ECS_VPC_COPY_EXCEPTIONS:
                excluded.append(api)
                continue
            cat.add("ecs", api, access_of((spec.get("systemTags") or {}).get("operationType")), None, [],
                    "openmeta-ecs-2014-05-26")
        self.report.append(f"ecs: left out {len(excluded)} deprecated ECS copies of VPC APIs (vpc: actions): "
                           + ", ".join(sorted(excluded)))
        for name, sid in ECS_EXTRA_ACTIONS:
            cat.add("ecs", name, None, None, [], sid)
        for api, spec in self.openmeta("slb-2014-05-15")["apis"].items():
            cat.add("slb", api, access_of((spec.get("systemTags") or {}).get("operationType")), None, [],
                    "openmeta-slb-2014-05-15")
        for api, spec in self.openmeta("sts-2015-04-01")["apis"].items():
            res, sid = STS_ACTION_RESOURCES.get(api, (None, "openmeta-sts-2015-04-01"))
            cat.add("sts", api, access_of((spec.get("systemTags") or {}).get("operationType")), res, [], sid,
                    name_source="openmeta-sts-2015-04-01")
        ram_api = self.openmeta("ram-2015-05-01")["apis"]
        ram_res = {}
        for sid, table in RAM_ACTION_RESOURCES.items():
            for name, res in table.items():
                ram_res.setdefault(name, (res, sid))

        def add_ram(name, access, sid_name):
            res, rsid = ram_res.get(name, (None, None))
            keys, ksid = RAM_ACTION_CONDITION_KEYS.get(name, ([], None))
            cat.add("ram", name, access, res, keys, rsid or ksid or sid_name, name_source=sid_name)

        for api, spec in ram_api.items():
            add_ram(api, access_of((spec.get("systemTags") or {}).get("operationType")), "openmeta-ram-2015-05-01")
        for api in IMS_2019_08_15_APIS:
            add_ram(api, None, "openmeta-ims-2019-08-15")
        rm_doc = self.openmeta("resourcemanager-2020-03-31")
        rm = rm_doc["apis"]
        rg_pats = [glob_re(p) for p in RM_RAM_RESOURCE_GROUP_PATTERNS]
        for title, names in walk_directories(rm_doc["directories"]):
            for api in names:
                if title in RM_RAM_DIRECTORIES or (title == "Resource groups" and any(p.match(api) for p in rg_pats)):
                    add_ram(api, access_of((rm[api].get("systemTags") or {}).get("operationType")),
                            "doc-resourcemanager-ram-authorization")
        for name, sid in RAM_EXTRA_ACTIONS:
            add_ram(name, None, sid)
        for api, spec in rm.items():
            cat.add("resourcemanager", api, access_of((spec.get("systemTags") or {}).get("operationType")), None, [],
                    "openmeta-resourcemanager-2020-03-31")
        for api, spec in self.openmeta("rds-2014-08-15")["apis"].items():
            cat.add("rds", api, access_of((spec.get("systemTags") or {}).get("operationType")), None, [],
                    "openmeta-rds-2014-08-15")

        # --- OSS (oss-actions.json; concrete oss: actions) and the non-OSS actions it names
        oss = load(self.rm / "oss-actions.json")
        oss_api = self.openmeta("oss-2019-05-17")["apis"]
        scope_types = {"bucket": ["oss:bucket"], "object": ["oss:object"],
                       "vector-bucket": ["ossvector:bucket", "ossvector:index"]}
        for a in oss["actions"]:
            if a["is_wildcard"]:
                continue
            code, name = [x.strip() for x in a["action"].split(":", 1)]
            sid = {"oss-authorization-syntax-2026": "oss-actions-2026", "alibabaclouddocs-oss-2021": "oss-actions-2021",
                   "aliyun-ram-policy-editor-2018": "oss-policy-editor-2018"}[sorted(a["sources"], key=lambda s: (s != "oss-authorization-syntax-2026", s))[0]]
            res = None
            if code == "oss" and a["scopes"] and all(s in scope_types for s in a["scopes"]):
                res = sorted({t for s in a["scopes"] for t in scope_types[s]})
            levels = {access_of((oss_api.get(api, {}).get("systemTags") or {}).get("operationType")) for api in a["apis"]}
            access = levels.pop() if len(levels) == 1 else None
            cat.add(code, name, access, res, [], sid)

        # --- nlb:CreateLoadBalancer (cross-product reference in the EIP tables)
        for e in load(self.rm / "vpc-eip-authorization.transcribed-from-docs.json")["entries"]:
            if e["action"].startswith("nlb:"):
                cat.add("nlb", e["action"].split(":", 1)[1], access_of(e.get("accessLevel")),
                        resources_of([r["arn"] for r in e["resources"]]), list(e.get("conditionKeys") or []),
                        "vpc-eip-authorization")

        for (code, name), (res, sid) in ACTION_RESOURCES_FROM_EXAMPLES.items():
            cat.set_resources(code, name, res, sid)

        # --- write
        dates = {"oss": "2026-02-02", "rds": "2025-08-22"}
        files = {}
        for code in sorted(cat.actions):
            cite = Cites()
            actions = []
            for name in sorted(cat.actions[code], key=lambda n: (n.lower(), n)):
                a = cat.actions[code][name]
                entry = {"name": name}
                if a["access"]:
                    entry["access"] = a["access"]
                if a["resources"] is not None:
                    res = sorted(set(a["resources"]))
                    if len(res) > 1 and "*" in res:
                        res.remove("*")
                    for t in res:
                        if t != "*" and t not in self.type_ids:
                            raise SystemExit(f"{code}:{name}: unknown resource type {t}")
                    entry["resources"] = res
                entry["condition_keys"] = sorted(set(a["keys"]))
                for k in entry["condition_keys"]:
                    if k not in self.condition_key_names:
                        raise SystemExit(f"{code}:{name}: condition key {k} missing from condition-keys.json")
                entry["source"] = cite(a["source"])
                actions.append(entry)
            for sid in cat.name_sources[code]:
                cite(sid)
            files[code] = {
                "service": code,
                "catalogued": code in CATALOGUED,
                "catalog_date": dates.get(code, OPENMETA_DATE),
                "sources": cite.sources(),
                "actions": actions,
            }
            if code not in self.known_codes:
                raise SystemExit(f"actions/{code}.json: {code} missing from services.json")
        for code in CATALOGUED:
            assert code in files, code
        self.action_files = files
        counts = ", ".join(f"{c}={len(f['actions'])}{'*' if f['catalogued'] else ''}" for c, f in files.items())
        self.report.append(f"actions per code (* = catalogued): {counts}")
        self.report.append("assumed <code>:<ApiName> for APIs without RAM metadata: "
                           + ", ".join(sorted(cat.assumed)))
        return files

    # ----- escalation -----------------------------------------------------------------------------------
    def escalation(self):
        cite = Cites()
        ram = {a["name"] for a in self.action_files["ram"]["actions"]}
        out = []
        for name, path, why, sid in sorted(ESCALATION):
            if name not in ram:
                raise SystemExit(f"escalation: ram:{name} is not in rules/actions/ram.json")
            out.append({"action": f"ram:{name}", "path": path, "why": why, "source": cite(sid)})
        return {"sources": cite.sources(), "actions": out}

    # ----- run -------------------------------------------------------------------------------------------
    def run(self):
        rules = self.out
        write_json(rules / "regions.json", self.regions())
        write_json(rules / "services.json", self.services())
        write_json(rules / "formats.json", self.formats())
        write_json(rules / "resource-types.json", self.resource_types())
        write_json(rules / "condition-keys.json", self.condition_keys())
        files = self.actions()
        adir = rules / "actions"
        adir.mkdir(parents=True, exist_ok=True)
        for old in adir.glob("*.json"):
            if old.stem not in files:
                old.unlink()
        for code, obj in files.items():
            write_json(adir / f"{code}.json", obj)
        write_json(rules / "escalation.json", self.escalation())
        for kind, schema in SCHEMAS.items():
            write_json(rules / "schema" / f"{kind}.schema.json", schema)


class Catalog:
    """Merges actions from several sources. An action's resources are kept only when every source
    that defines it documents them (else the field is omitted and the rules stay silent)."""

    def __init__(self):
        self.actions: dict[str, dict[str, dict]] = collections.defaultdict(dict)
        self.name_sources: dict[str, set] = collections.defaultdict(set)
        self.assumed: set[str] = set()

    def add(self, code, name, access, resources, keys, source, name_source=None, assumed=False):
        code = code.lower()
        if not re.fullmatch(r"[A-Za-z0-9]+", name):
            raise SystemExit(f"odd action name {code}:{name!r}")
        if name_source:
            self.name_sources[code].add(name_source)
        # case-insensitive merge (RAM action names are case-insensitive); keep the first spelling
        existing = next((n for n in self.actions[code] if n.lower() == name.lower()), None)
        if existing is None:
            self.actions[code][name] = {"access": access, "accesses": {access} - {None},
                                        "resources": None if resources is None else list(resources),
                                        "res_known": resources is not None, "keys": list(keys), "source": source}
            if assumed:
                self.assumed.add(f"{code}:{name}")
            return
        a = self.actions[code][existing]
        if access:
            a["accesses"].add(access)
        a["access"] = next(iter(a["accesses"])) if len(a["accesses"]) == 1 else None
        if resources is None or not a["res_known"]:
            a["resources"], a["res_known"] = None, False
        else:
            a["resources"] = sorted(set(a["resources"]) | set(resources))
        a["keys"] = sorted(set(a["keys"]) | set(keys))
        if not assumed:
            self.assumed.discard(f"{code}:{existing}")


    def set_resources(self, code, name, resources, source):
        """Documented resources from a source that overrides the merge rule (see
        ACTION_RESOURCES_FROM_EXAMPLES); adds the action when it is not catalogued yet."""
        existing = next((n for n in self.actions[code] if n.lower() == name.lower()), None)
        if existing is None:
            self.add(code, name, None, resources, [], source)
            return
        a = self.actions[code][existing]
        a["resources"], a["res_known"], a["source"] = list(resources), True, source


def walk_directories(nodes, title=None):
    """Yield (directory title, [api names]) from an Openmeta `directories` tree."""
    names = [n for n in nodes if isinstance(n, str)]
    if names:
        yield title, names
    for n in nodes:
        if isinstance(n, dict):
            yield from walk_directories(n.get("children") or [], n.get("title"))


def iter_actions(doc):
    """Action strings of a policy document (Action and NotAction; ROS function objects skipped)."""
    st = doc.get("Statement") if isinstance(doc, dict) else None
    if isinstance(st, dict):
        st = [st]
    for s in st if isinstance(st, list) else []:
        if not isinstance(s, dict):
            continue
        for key in ("Action", "NotAction"):
            v = s.get(key)
            for a in [v] if isinstance(v, str) else v if isinstance(v, list) else []:
                if isinstance(a, str):
                    yield a


# ---------------------------------------------------------------------------------------------
# JSON Schemas (draft 2020-12) for each file kind
# ---------------------------------------------------------------------------------------------

_SRC_LIST = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "origin", "licence"],
        "properties": {
            "id": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9.-]*$"},
            "origin": {"type": "string", "minLength": 1},
            "licence": {"type": "string", "minLength": 1},
        },
    },
}
_SID = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9.-]*$"}
_CODE = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}
_TYPE_ID = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*:([a-z0-9][a-z0-9_.-]*|\\*)$"}


def _schema(kind, title, props, required):
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://ramlint.invalid/rules/schema/{kind}.schema.json",
        "title": title,
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": {"$schema": {"type": "string"}, **props},
    }


SCHEMAS = {
    "regions": _schema("regions", "ramlint region ids", {
        "sources": _SRC_LIST,
        "regions": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["id", "source"],
            "properties": {"id": {"type": "string", "pattern": "^[a-z]{2,4}-[a-z0-9]+(-[a-z0-9]+)*$"}, "source": _SID}}},
    }, ["sources", "regions"]),
    "services": _schema("services", "ramlint RAM service codes", {
        "sources": _SRC_LIST,
        "services": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["code", "source"],
            "properties": {"code": _CODE, "product": {"type": "string", "minLength": 1}, "source": _SID}}},
        "aliases": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["code", "use", "reason", "source"],
            "properties": {"code": _CODE, "use": _CODE, "reason": {"type": "string", "minLength": 1}, "source": _SID}}},
        "groups": {"type": "array", "items": {"type": "array", "minItems": 2, "uniqueItems": True, "items": _CODE}},
    }, ["sources", "services", "aliases", "groups"]),
    "formats": _schema("formats", "ramlint id formats", {
        "sources": _SRC_LIST,
        "formats": {"type": "object", "minProperties": 1,
                    "propertyNames": {"pattern": "^[a-z0-9][a-z0-9-]*$"},
                    "additionalProperties": {
                        "type": "object", "additionalProperties": False,
                        "required": ["example", "summary", "source"],
                        "anyOf": [{"required": ["pattern"]}, {"required": ["builtin"]}],
                        "properties": {
                            "pattern": {"type": "string", "format": "regex"},
                            "prefix": {"type": "string", "minLength": 1},
                            "builtin": {"enum": ["ipv4", "ip", "cidr", "region", "client-token"]},
                            "max_length": {"type": "integer", "minimum": 1},
                            "example": {"type": "string"},
                            "summary": {"type": "string", "minLength": 1},
                            "source": _SID}}},
    }, ["sources", "formats"]),
    "resource-types": _schema("resource-types", "ramlint resource types", {
        "sources": _SRC_LIST,
        "types": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["id", "service", "name", "arn", "source"],
            "properties": {"id": _TYPE_ID, "service": _CODE, "name": {"type": "string", "minLength": 1},
                           "arn": {"type": "string", "pattern": "^acs:"},
                           "id_format": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}, "source": _SID}}},
    }, ["sources", "types"]),
    "condition-keys": _schema("condition-keys", "ramlint condition operators and keys", {
        "sources": _SRC_LIST,
        "operators": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["name", "category", "source"],
            "properties": {"name": {"type": "string", "pattern": "^[A-Za-z]+$"},
                           "category": {"enum": ["string", "numeric", "date", "boolean", "ip"]}, "source": _SID}}},
        "qualifiers": {"type": "array", "items": {"type": "string", "pattern": "^[A-Za-z]+:$"}},
        "keys": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["key", "type", "source"],
            "properties": {"key": {"type": "string", "pattern": "^[A-Za-z0-9-]+:[^\\s]+$"},
                           "match": {"enum": ["exact", "prefix"]},
                           "type": {"enum": ["string", "numeric", "date", "boolean", "ip"]},
                           "confidence": {"enum": ["third-party"]}, "source": _SID}}},
    }, ["sources", "operators", "qualifiers", "keys"]),
    "actions": _schema("actions", "ramlint action catalogue of one RAM code", {
        "service": _CODE,
        "catalogued": {"type": "boolean"},
        "catalog_date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
        "sources": _SRC_LIST,
        "actions": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["name", "condition_keys", "source"],
            "properties": {
                "name": {"type": "string", "pattern": "^[A-Za-z0-9]+$"},
                "access": {"enum": list(ACCESS_LEVELS)},
                "resources": {"type": "array", "minItems": 1, "uniqueItems": True,
                              "items": {"anyOf": [{"const": "*"}, _TYPE_ID]}},
                "condition_keys": {"type": "array", "uniqueItems": True,
                                   "items": {"type": "string", "pattern": "^[A-Za-z0-9-]+:[^\\s]+$"}},
                "source": _SID}}},
    }, ["service", "catalogued", "catalog_date", "sources", "actions"]),
    "escalation": _schema("escalation", "ramlint privilege-escalation catalogue", {
        "sources": _SRC_LIST,
        "actions": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["action", "path", "why", "source"],
            "properties": {"action": {"type": "string", "pattern": "^[a-z0-9-]+:[A-Za-z0-9]+$"},
                           "path": {"enum": ["policy-attach", "policy-version", "access-key", "login-profile",
                                             "group-membership", "role-trust", "pass-role"]},
                           "why": {"type": "string", "minLength": 1}, "source": _SID}}},
    }, ["sources", "actions"]),
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="../shared/data",
                    help="shared research data directory (relative paths are resolved against the repo root)")
    ap.add_argument("--out", default="rules", help="output directory (relative to the repo root)")
    ap.add_argument("--no-check", action="store_true", help="do not run scripts/check_policy_data.py afterwards")
    args = ap.parse_args(argv)
    data = (REPO / args.data).resolve() if not Path(args.data).is_absolute() else Path(args.data)
    out = (REPO / args.out).resolve() if not Path(args.out).is_absolute() else Path(args.out)
    if not (data / "policies" / "index.json").exists():
        raise SystemExit(f"{data} does not look like shared/data")
    d = Deriver(data, out)
    d.run()
    for line in d.report:
        print(line)
    if not args.no_check:
        rc = subprocess.call([sys.executable, str(REPO / "scripts" / "check_policy_data.py"),
                              "--data", str(data), "--rules", str(out)])
        sys.exit(rc)


if __name__ == "__main__":
    main()
