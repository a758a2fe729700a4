#!/usr/bin/env bash
# The Spark job of examples/spark/ (issue 17), run as a user would run it: PySpark from PyPI in
# a virtualenv, `local[2]`, on a generated multi-file log with sequence findings across files
# (a concurrent disassociation of one EIP split over two files, a client token reused across
# files, many more from the generators) and per-record findings. The job's merged summary and
# its set of findings must equal those of `ramlint audit` over the same files; the difference
# is printed otherwise.
#
#   bash scripts/spark_check.sh          # after `cargo build --release --locked` (as .ci/run)
#
# Cache-friendly: the virtualenv is kept in target/spark-venv (reused while it holds the pinned
# PySpark), and pip keeps the built wheel in its cache. A Java runtime is installed with
# `apt-get install -y default-jre-headless` only when `java` is missing. Generated logs and the
# job's output go to a temporary folder, removed at the end.
set -euo pipefail

PYSPARK_VERSION=3.5.5
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
start=$(date +%s)
bin="${RAMLINT_BIN:-$repo/target/release/ramlint}"
if [ ! -x "$bin" ]; then
  cargo build --release --locked
fi

if ! command -v java >/dev/null 2>&1; then
  echo "== no java: installing default-jre-headless (Debian)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
fi
java -version 2>&1 | head -n 1

venv="$repo/target/spark-venv"
if ! "$venv/bin/python" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$PYSPARK_VERSION')" 2>/dev/null; then
  echo "== installing pyspark==$PYSPARK_VERSION into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "pyspark==$PYSPARK_VERSION"
fi
echo "pyspark $("$venv/bin/python" -c 'import pyspark; print(pyspark.__version__)') ($(($(date +%s) - start)) s so far)"

work="$(mktemp -d "${TMPDIR:-/tmp}/ramlint-spark.XXXXXX")"
trap '[ -n "${KEEP_SPARK_WORK:-}" ] || rm -rf "$work"' EXIT
mkdir -p "$work/logs/trail" "$work/logs/rpc"

echo "== generating the logs"
# The same EIPs and times in three files: concurrent disassociations across files, ties.
python3 scripts/gen_log.py 9000 "$work/logs/trail/vpc-1.jsonl" --seed 1 >/dev/null
python3 scripts/gen_log.py 9000 "$work/logs/trail/vpc-2.jsonl" --seed 2 >/dev/null
python3 scripts/gen_log.py 9000 "$work/logs/trail/vpc-3.jsonl" --seed 3 >/dev/null
gzip "$work/logs/trail/vpc-3.jsonl"
# A busy account: many products, a fresh token per write, an unknown parameter on every other record.
python3 scripts/gen_busy_log.py 12000 "$work/logs/rpc/busy.jsonl" --findings half >/dev/null
python3 - "$work/logs" <<'EOF'
import json, sys
logs = sys.argv[1]
def event(api, time, **params):
    return {"eventVersion": "1", "eventType": "ApiCall", "eventName": api, "serviceName": "Vpc",
            "apiVersion": "2016-04-28", "eventSource": "vpc.aliyuncs.com", "eventTime": time,
            "acsRegion": "cn-hangzhou", "requestParameters": {"RegionId": "cn-hangzhou", **params},
            "sourceIpAddress": "203.0.113.24",
            "userIdentity": {"type": "ram-user", "accountId": "1234567890123456", "userName": "netops"},
            "errorCode": ""}
eip = "eip-bp1m6u2o8y4r7t3w5q9z0"
token = "0c593ea1-3bea-11e9-b96b-88e9fe637760"
# An ActionTrail delivery file (one JSON array) and a JSON Lines file: the second
# disassociation of the EIP is 2 s after the first, in the other file; the token of the first
# allocation comes back with other parameters.
with open(f"{logs}/trail/delivery-0815.json", "w") as f:
    json.dump([
        event("UnassociateEipAddress", "2025-03-04T08:15:02Z", AllocationId=eip, InstanceId="i-bp1c8k3n7s2q9x4v6m1t"),
        event("AllocateEipAddress", "2025-03-04T08:15:30Z", Bandwidth="5", ClientToken=token),
        event("DescribeEipAddresses", "2025-03-04T08:15:31Z", PageSize="10", AllocationID="eip-x"),
    ], f, indent=2)
with open(f"{logs}/trail/delivery-0816.jsonl", "w") as f:
    for e in [
        event("UnassociateEipAddress", "2025-03-04T08:15:04Z", AllocationId=eip, InstanceId="i-bp1c8k3n7s2q9x4v6m1t"),
        event("AllocateEipAddress", "2025-03-04T08:16:00Z", Bandwidth="10", ClientToken=token),
    ]:
        f.write(json.dumps(e) + "\n")
    f.write('{"eventName": "UnassociateEipAddress", }\n')
# Replayed by both: RAM calls are denied (`denied-by-policy`), `kms:ListKeys` is never used
# (`unused-permission`, from the merged replay statistics).
with open(f"{logs}/../policy.json", "w") as f:
    json.dump({"Version": "1", "Statement": [{"Effect": "Allow", "Resource": "*", "Action": [
        "vpc:*", "ecs:*", "slb:*", "rds:*", "sts:*", "oss:*", "actiontrail:*", "resourcemanager:*", "kms:ListKeys"]}]}, f)
with open(f"{logs}/rpc/calls.url", "w") as f:
    f.write("https://vpc.aliyuncs.com/?Action=DescribeEipAddresses&RegionId=cn-hangzhou&PageSize=10\n")
    f.write("https://vpc.aliyuncs.com/?Action=UnassociateEipAddress&RegionId=cn-hangzhou&AllocationId=eip-bp1m6u2o8y4r7t3w5q9z0&InstanceType=Ecs\n")
EOF
records=$(zcat -f "$work"/logs/*/* | wc -l)
echo "$(find "$work/logs" -type f | wc -l) files, about $records lines"

cd "$work"
echo "== ramlint audit over the same files (the reference)"
set +e
"$bin" audit --no-config --policy policy.json --format json --output-file audit.json logs/
audit_code=$?
echo "== the Spark job, local[2]"
job_start=$(date +%s)
PATH="$(dirname "$bin"):$PATH" "$venv/bin/python" "$repo/examples/spark/ramlint_audit.py" \
  --master 'local[2]' --no-config --policy policy.json --out out logs/ 2>spark.log
job_code=$?
set -e
echo "job: $(($(date +%s) - job_start)) s, exit code $job_code (audit: $audit_code)"
if [ "$job_code" -ne "$audit_code" ] || [ ! -f out/summary.json ]; then
  tail -n 40 spark.log
  echo "FAIL: the job exited $job_code, ramlint audit $audit_code"
  exit 1
fi

python3 - audit.json out <<'EOF'
import collections, glob, json, sys
audit = json.load(open(sys.argv[1]))
out = sys.argv[2]
summary = json.load(open(f"{out}/summary.json"))
canon = lambda row: json.dumps(row, sort_keys=True)
expected = collections.Counter(canon(r) for r in audit["diagnostics"])
found = collections.Counter()
for part in sorted(glob.glob(f"{out}/findings/part-*")):
    for line in open(part, encoding="utf-8"):
        if line.strip():
            found[canon(json.loads(line))] += 1
failed = False
if summary != audit["summary"]:
    failed = True
    print("FAIL: the merged summary differs from ramlint audit's")
    for key in sorted(set(summary) | set(audit["summary"])):
        if summary.get(key) != audit["summary"].get(key):
            print(f"  {key}: job {json.dumps(summary.get(key))[:400]}")
            print(f"  {key}: audit {json.dumps(audit['summary'].get(key))[:400]}")
if found != expected:
    failed = True
    missing, extra = expected - found, found - expected
    print(f"FAIL: the findings differ: {sum(missing.values())} missing, {sum(extra.values())} extra")
    for row in list(missing)[:10]:
        print("  missing", row)
    for row in list(extra)[:10]:
        print("  extra  ", row)
by_rule = summary["by_rule"]
for rule in ["concurrent-operation", "client-token-reuse", "operation-while-pending", "unknown-parameter", "json-syntax",
             "denied-by-policy", "unused-permission"]:
    if not by_rule.get(rule):
        failed = True
        print(f"FAIL: the generated logs should give `{rule}` findings: {by_rule}")
def at(rule, file):
    return [json.loads(r) for r in found if json.loads(r)["rule"] == rule and json.loads(r)["file"] == file]
# The findings that need two files.
if not any("eip-bp1m6u2o8y4r7t3w5q9z0" in r["message"] for r in at("concurrent-operation", "logs/trail/delivery-0816.jsonl")):
    failed = True
    print("FAIL: no concurrent-operation across delivery-0815.json and delivery-0816.jsonl")
if not at("client-token-reuse", "logs/trail/delivery-0816.jsonl"):
    failed = True
    print("FAIL: no client-token-reuse across delivery-0815.json and delivery-0816.jsonl")
if failed:
    sys.exit(1)
print(f"ok: {summary['files']} files, {summary['records']} records, {sum(found.values())} findings "
      f"({', '.join(f'{k} {v}' for k, v in sorted(by_rule.items()))}): the job's merged summary and "
      "findings equal ramlint audit's")
EOF
echo "time: $(($(date +%s) - start)) s"
