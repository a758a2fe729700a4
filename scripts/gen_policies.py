#!/usr/bin/env python3
"""Generate N RAM policies for the benchmark: 1 to 10 statements, conditions, wildcards, and
about 5 % broken documents (syntax errors, typos, bad ARNs). Deterministic for a seed."""
import json
import random
import sys
from pathlib import Path

# Statements are themed by service, as real policies are; resources follow the theme.
THEMES = {
    "vpc": (["vpc:UnassociateEipAddress", "vpc:AssociateEipAddress", "vpc:DescribeEipAddresses", "vpc:*Eip*",
             "vpc:Describe*", "vpc:*HaVip*", "vpc:ReleaseEipAddress"], "vpc"),
    "ecs": (["ecs:DescribeInstances", "ecs:StartInstance", "ecs:StopInstance", "ecs:Describe*"], "ecs"),
    "oss": (["oss:GetObject", "oss:PutObject", "oss:ListObjects"], "oss"),
    "ram": (["ram:PassRole", "ram:ListUsers", "ram:GetUser"], "ram"),
    "mixed": (["slb:AddBackendServers", "rds:*", "kms:Decrypt", "log:PostLogStoreLogs"], "any"),
}
TYPOS = ["vpc:UnasociateEipAddress", "vpc:*EipAdress*", "eip:DescribeEipAddresses", "ecs:DescribeInstance"]
REGIONS = ["cn-hangzhou", "cn-beijing", "cn-shanghai", "*", "ap-southeast-1"]


def resource(rng, theme):
    region = rng.choice(REGIONS)
    if theme == "any" or rng.random() < 0.3:
        return "*"
    if theme == "vpc":
        if rng.random() < 0.5:
            return f"acs:vpc:{region}:1234567890123456:eip/eip-bp{rng.randrange(10**12):012d}"
        return f"acs:vpc:{region}:*:havip/*"
    if theme == "ecs":
        return f"acs:ecs:{region}:*:instance/i-bp{rng.randrange(10**10):010d}"
    if theme == "oss":
        return f"acs:oss:*:*:bucket-{rng.randrange(1000)}/*"
    return f"acs:ram:*:1234567890123456:role/app-{rng.randrange(100)}"


def statement(rng, broken):
    pool, theme = THEMES[rng.choice(list(THEMES))]
    actions = rng.sample(pool, rng.randint(1, min(3, len(pool))))
    if broken and rng.random() < 0.5:
        actions.append(rng.choice(TYPOS))
    st = {"Effect": "Allow" if rng.random() < 0.8 else "Deny", "Action": actions,
          "Resource": [resource(rng, theme) for _ in range(rng.randint(1, 3))]}
    if rng.random() < 0.4:
        st["Condition"] = {"IpAddress": {"acs:SourceIp": ["10.0.0.0/8", f"192.168.{rng.randrange(256)}.0/24"]}}
    if rng.random() < 0.2:
        st.setdefault("Condition", {})["Bool"] = {"acs:MFAPresent": "true"}
    if broken and rng.random() < 0.3:
        st["Effect"] = "Alow"
    return st


def main():
    count, out = int(sys.argv[1]), Path(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    out.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        broken = rng.random() < 0.05
        doc = {"Version": "1", "Statement": [statement(rng, broken) for _ in range(rng.randint(1, 10))]}
        text = json.dumps(doc, indent=2)
        if broken and rng.random() < 0.3:
            text = text.replace("]\n", "],\n", 1)
        (out / f"policy-{i:05d}.json").write_text(text)


if __name__ == "__main__":
    main()
