#!/usr/bin/env python3
"""Generate the log of a busy account for the benchmarks: what `gen_log.py` is not. Every write
carries a fresh `ClientToken`, resource ids are many and distinct (about 1M per million
records), event times advance like a real trail (about 40 calls a second, in bursts, a little
out of order between writers), and calls span products (VPC, ECS, SLB, RAM, STS, OSS, RDS,
ActionTrail, ResourceManager), as JSON Lines of ActionTrail events and RPC objects. Every
record is valid (0 findings), unless `--findings half` puts an unknown parameter on every
other record. Deterministic for a seed.

  gen_busy_log.py RECORDS OUT.jsonl [--bytes N] [--seed S] [--findings none|half]
"""
import argparse
import json
import random

REGIONS = ["cn-hangzhou", "cn-beijing", "cn-shanghai", "cn-shenzhen", "ap-southeast-1", "eu-central-1"]
ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"


class Ids:
    """Resource ids: mostly new ones (a busy account creates and touches many), some reused."""

    def __init__(self, rng):
        self.rng = rng
        self.n = 0

    def new(self, prefix):
        self.n += 1
        return f"{prefix}-bp{self.n:010d}{self.rng.choice(ALNUM)}{self.rng.choice(ALNUM)}"

    def old(self, prefix):
        # An id seen before (a few percent of calls revisit a recent resource).
        k = max(1, self.n - self.rng.randrange(1, 2000))
        return f"{prefix}-bp{k:010d}xx"

    def some(self, prefix):
        return self.old(prefix) if self.rng.random() < 0.05 else self.new(prefix)


def token(rng, i):
    # A fresh UUID-like token per write.
    return f"{rng.getrandbits(32):08x}-{i & 0xffff:04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{i:012x}"


# (product code for RPC Version, serviceName, API version, endpoint, api, build(params))
def calls():
    def p(**kw):
        return kw
    return [
        # Queries (about 70 % of a real trail).
        (0.10, "Ecs", "2014-05-26", "ecs", "DescribeInstances", False, lambda r, ids: p(RegionId=r, PageSize="50", VpcId=ids.some("vpc"))),
        (0.06, "Ecs", "2014-05-26", "ecs", "DescribeDisks", False, lambda r, ids: p(RegionId=r, InstanceId=ids.some("i"), PageSize="100")),
        (0.08, "Vpc", "2016-04-28", "vpc", "DescribeVpcs", False, lambda r, ids: p(RegionId=r, VpcId=ids.some("vpc"), PageSize="50")),
        (0.06, "Vpc", "2016-04-28", "vpc", "DescribeVSwitches", False, lambda r, ids: p(RegionId=r, VpcId=ids.some("vpc"))),
        (0.06, "Vpc", "2016-04-28", "vpc", "DescribeEipAddresses", False, lambda r, ids: p(RegionId=r, AllocationId=ids.some("eip"))),
        (0.06, "Slb", "2014-05-15", "slb", "DescribeLoadBalancerAttribute", False, lambda r, ids: p(RegionId=r, LoadBalancerId=ids.some("lb"))),
        (0.05, "Rds", "2014-08-15", "rds", "DescribeDBInstanceAttribute", False, lambda r, ids: p(DBInstanceId=ids.some("rm"))),
        (0.04, "Ram", "2015-05-01", "ram", "GetUser", False, lambda r, ids: p(UserName=f"user{ids.rng.randrange(5000)}")),
        (0.08, "Sts", "2015-04-01", "sts", "AssumeRole", False, lambda r, ids: p(RoleArn=f"acs:ram::1234567890123456:role/app{ids.rng.randrange(300)}", RoleSessionName=f"s{ids.rng.randrange(10**6)}")),
        (0.03, "Sts", "2015-04-01", "sts", "GetCallerIdentity", False, lambda r, ids: p()),
        (0.04, "Oss", "2019-05-17", "oss", "GetObject", False, lambda r, ids: p(BucketName=f"logs-{ids.rng.randrange(50)}", ObjectName=ids.new("obj"))),
        (0.02, "Actiontrail", "2020-07-06", "actiontrail", "DescribeTrails", False, lambda r, ids: p(RegionId=r)),
        (0.02, "ResourceManager", "2020-03-31", "resourcemanager", "ListResourceGroups", False, lambda r, ids: p(PageSize="100")),
        # Writes, each with a fresh client token where the API takes one.
        (0.05, "Ecs", "2014-05-26", "ecs", "CreateDisk", True, lambda r, ids: p(RegionId=r, ZoneId=r + "-b", Size="40", DiskCategory="cloud_essd")),
        (0.03, "Ecs", "2014-05-26", "ecs", "StartInstance", False, lambda r, ids: p(InstanceId=ids.some("i"))),
        (0.03, "Ecs", "2014-05-26", "ecs", "StopInstance", False, lambda r, ids: p(InstanceId=ids.some("i"), ForceStop="false")),
        (0.04, "Vpc", "2016-04-28", "vpc", "AllocateEipAddress", True, lambda r, ids: p(RegionId=r, Bandwidth="5", InternetChargeType="PayByTraffic")),
        (0.03, "Vpc", "2016-04-28", "vpc", "AssociateEipAddress", True, lambda r, ids: p(RegionId=r, AllocationId=ids.new("eip"), InstanceId=ids.some("i"))),
        (0.03, "Vpc", "2016-04-28", "vpc", "UnassociateEipAddress", True, lambda r, ids: p(RegionId=r, AllocationId=ids.new("eip"), InstanceId=ids.some("i"))),
        (0.03, "Vpc", "2016-04-28", "vpc", "CreateVSwitch", True, lambda r, ids: p(RegionId=r, ZoneId=r + "-b", VpcId=ids.some("vpc"), CidrBlock="172.16.0.0/24")),
        (0.02, "Slb", "2014-05-15", "slb", "SetLoadBalancerStatus", False, lambda r, ids: p(RegionId=r, LoadBalancerId=ids.some("lb"), LoadBalancerStatus="active")),
        (0.02, "Rds", "2014-08-15", "rds", "RestartDBInstance", True, lambda r, ids: p(DBInstanceId=ids.some("rm"))),
        (0.02, "Oss", "2019-05-17", "oss", "PutObject", False, lambda r, ids: p(BucketName=f"logs-{ids.rng.randrange(50)}", ObjectName=ids.new("obj"))),
        (0.01, "Ram", "2015-05-01", "ram", "CreateUser", False, lambda r, ids: p(UserName=ids.new("u"), DisplayName="app")),
    ]


def stamp(t):
    # 2026-03-01 plus t seconds, ISO 8601 UTC.
    day, rem = divmod(int(t), 86400)
    hh, rem = divmod(rem, 3600)
    mm, ss = divmod(rem, 60)
    month_days = [31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 28]
    month, d = 3, day
    for n in month_days:
        if d < n:
            break
        d -= n
        month += 1
    year = 2026 + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return f"{year}-{month:02d}-{d + 1:02d}T{hh:02d}:{mm:02d}:{ss:02d}Z"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", type=int)
    parser.add_argument("out")
    parser.add_argument("--bytes", type=int, default=0)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--findings", choices=["none", "half"], default="none")
    opts = parser.parse_args()
    rng = random.Random(opts.seed)
    ids = Ids(rng)
    table = calls()
    weights = [c[0] for c in table]
    dumps = json.JSONEncoder(separators=(",", ":")).encode
    written = 0
    t = 0.0
    i = 0
    chosen = []
    with open(opts.out, "w") as f:
        out = []
        while (opts.bytes and written < opts.bytes) or (not opts.bytes and i < opts.records):
            if not chosen:
                chosen = rng.choices(table, weights, k=4096)
            _, service, version, endpoint, api, takes_token, build = chosen.pop()
            region = rng.choice(REGIONS)
            params = build(region, ids)
            if takes_token:
                params["ClientToken"] = token(rng, i)
            if opts.findings == "half" and i % 2 == 1:
                params["DryRunMode"] = "true"  # not a parameter of any of these APIs
            # About 40 calls a second in bursts; writers' clocks differ by up to a second.
            t += rng.expovariate(40.0)
            when = t + rng.uniform(-1.0, 0.0)
            # OSS is not an RPC API: its calls are only seen as ActionTrail events.
            if endpoint == "oss" or rng.random() < 0.5:
                event = {
                    "eventId": f"{rng.getrandbits(64):016x}-{i:x}",
                    "eventVersion": "1",
                    "eventType": "ApiCall",
                    "eventName": api,
                    "serviceName": service,
                    "apiVersion": version,
                    "eventSource": f"{endpoint}.aliyuncs.com",
                    "acsRegion": region,
                    "eventTime": stamp(when),
                    "requestParameters": params,
                    "sourceIpAddress": f"10.{i % 200}.{(i >> 8) % 250}.{rng.randrange(250)}",
                    "userIdentity": {"type": "ram-user", "accountId": "1234567890123456", "userName": f"svc{rng.randrange(40)}"},
                }
                line = dumps(event)
            else:
                line = dumps({"Action": api, "Version": version, "Timestamp": stamp(when), **params})
            out.append(line)
            written += len(line) + 1
            i += 1
            if len(out) >= 8192:
                f.write("\n".join(out) + "\n")
                out = []
        if out:
            f.write("\n".join(out) + "\n")
    print(f"{opts.out}: {i} records, {written} bytes")


if __name__ == "__main__":
    main()
