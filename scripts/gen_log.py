#!/usr/bin/env python3
"""Generate a realistic request log for the benchmarks: JSON Lines of RPC objects and
ActionTrail events over a mix of APIs, about 5 % broken (bad JSON, wrong parameters), with
event times that let the sequence rules work. Deterministic for a seed.

  gen_log.py RECORDS OUT.jsonl [--bytes N] [--seed S]   # --bytes: stop at about N bytes instead
"""
import argparse
import json
import random

REGIONS = ["cn-hangzhou", "cn-beijing", "cn-shanghai", "ap-southeast-1"]


def eip(rng):
    # An account holds a few thousand EIPs, each seen many times.
    return f"eip-bp{rng.randrange(5000):06d}q5w3e8r6y1"


def call(rng, i):
    # Reads dominate real ActionTrail logs: about 80 % queries, 20 % writes.
    if rng.random() < 0.8:
        region = rng.choice(REGIONS)
        kind = rng.randrange(3)
        if kind == 0:
            return "DescribeEipAddresses", {"RegionId": region, "PageSize": str(rng.choice([10, 50, 100]))}
        if kind == 1:
            return "DescribeEipAddresses", {"RegionId": region, "AllocationId": eip(rng)}
        return "DescribeHaVips", {"RegionId": region}
    kind = rng.randrange(8)
    region = rng.choice(REGIONS)
    if kind <= 2:
        params = {"RegionId": region, "AllocationId": eip(rng), "InstanceId": f"i-bp{rng.randrange(10**8):08d}k9l3"}
        if rng.random() < 0.3:
            params["ClientToken"] = f"token-{rng.randrange(10**9)}"
        return "UnassociateEipAddress" if kind < 2 else "AssociateEipAddress", params
    if kind == 3:
        return "DescribeEipAddresses", {"RegionId": region, "PageSize": str(rng.choice([10, 50, 100]))}
    if kind == 4:
        return "AllocateEipAddress", {"RegionId": region, "Bandwidth": "5", "InternetChargeType": "PayByTraffic"}
    if kind == 5:
        return "ReleaseEipAddress", {"RegionId": region, "AllocationId": eip(rng)}
    if kind == 6:
        return "UnassociateEipAddress", {"RegionId": region, "AllocationId": eip(rng), "InstanceId": f"ngw-bp{rng.randrange(10**8):08d}", "InstanceType": "Nat", "Force": "true"}
    return "DescribeHaVips", {"RegionId": region}


def broken(rng, api, params):
    kind = rng.randrange(4)
    if kind == 0:
        return None  # a line that is not JSON
    if kind == 1:
        params["InstanceType"] = "Ecs"
    elif kind == 2:
        params.pop("AllocationId", None)
        params.pop("RegionId", None)
    else:
        params["AllocationID"] = params.pop("AllocationId", "eip-x")
    return api, params


def record(rng, i, base_time):
    api, params = call(rng, i)
    bad = rng.random() < 0.05
    if bad:
        result = broken(rng, api, params)
        if result is None:
            return '{"Action": "UnassociateEipAddress", "AllocationId": "eip-bp1", }'
        api, params = result
    if rng.random() < 0.5:
        t = base_time + i * 0.05
        hh, rem = divmod(int(t) % 86400, 3600)
        mm, ss = divmod(rem, 60)
        event = {"eventVersion": "1", "eventType": "ApiCall", "eventName": api, "serviceName": "Vpc",
                 "apiVersion": "2016-04-28", "eventSource": "vpc.aliyuncs.com",
                 "eventTime": f"2025-03-04T{hh:02d}:{mm:02d}:{ss:02d}Z", "acsRegion": params.get("RegionId", "cn-hangzhou"),
                 "requestParameters": params, "sourceIpAddress": "203.0.113.24",
                 "userIdentity": {"type": "ram-user", "accountId": "1234567890123456", "userName": "netops"},
                 "errorCode": "TaskConflict" if rng.random() < 0.02 else "", "errorMessage": ""}
        return json.dumps(event, separators=(",", ":"))
    return json.dumps({"Action": api, "Version": "2016-04-28", **params}, separators=(",", ":"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", type=int)
    parser.add_argument("out")
    parser.add_argument("--bytes", type=int, default=0)
    parser.add_argument("--seed", type=int, default=11)
    opts = parser.parse_args()
    rng = random.Random(opts.seed)
    written = 0
    with open(opts.out, "w") as f:
        i = 0
        while (opts.bytes and written < opts.bytes) or (not opts.bytes and i < opts.records):
            line = record(rng, i, 8 * 3600) + "\n"
            f.write(line)
            written += len(line)
            i += 1
    print(f"{opts.out}: {i} records, {written} bytes")


if __name__ == "__main__":
    main()
