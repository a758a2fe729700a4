#!/usr/bin/env python3
"""Audit request logs with ramlint on Apache Spark: the report of `ramlint audit` over the
same files, for logs that outgrow one machine (months of ActionTrail delivery files).

  spark-submit examples/spark/ramlint_audit.py --out OUT [options] PATH...
  python3 examples/spark/ramlint_audit.py --master 'local[2]' --out OUT [options] PATH...

Spark schedules; ramlint does the work, as the per-partition step (docs/spark.md):

1. the driver lists the inputs (`ramlint audit --list-inputs PATH...`) and spreads them over
   the tasks of pass 1, balanced by size;
2. pass 1, per task: `ramlint audit --partial FILE...` writes the findings of the rules over
   records, the compact facts of the sequence rules keyed by resource and by client token,
   and a summary, as JSON Lines;
3. the facts are shuffled by key, so that every call on one resource and every use of one
   client token land in one partition;
4. pass 2, per partition: `ramlint audit --partial --facts` runs the sequence rules over
   whole key groups (`concurrent-operation`, `operation-while-pending`, `client-token-reuse`);
5. the driver merges the summaries with `ramlint merge` (counts add; the rules over the whole
   run, `unused-permission` and the suppressions', run there) and the findings are written,
   sorted in report order, as JSON Lines.

OUT/findings/part-* hold the findings (the objects of `ramlint audit --format json`'s
`diagnostics`, one a line), OUT/summary.json the merged summary (its `summary`). The exit
code is ramlint's: 0 clean, 1 findings at or above the failure level, 2 an input could not
be read.

The executors run the `ramlint` binary (`--ramlint`, default: the one on PATH; or
`--ship-ramlint` to send the driver's to them) and read the inputs under the names the
driver lists: give paths that every executor sees the same (a shared or mounted file system
such as NFS or an OSS bucket mounted with ossfs), absolute ones on a cluster.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zlib


def ramlint_options(opts):
    """The options every ramlint run of the job shares with `ramlint audit`."""
    out = []
    if opts.config:
        out += ["--config", opts.config]
    elif opts.no_config:
        out += ["--no-config"]
    for catalog in opts.catalog:
        out += ["--catalog", catalog]
    if opts.now:
        out += ["--now", opts.now]
    for rule in opts.select:
        out += ["--select", rule]
    for rule in opts.ignore:
        out += ["--ignore", rule]
    return out


def run(command, stdin_path=None):
    """Runs ramlint with its report in a temporary file; yields the report's lines."""
    fd, out_path = tempfile.mkstemp(prefix="ramlint-part-", suffix=".jsonl")
    os.close(fd)
    try:
        stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
        try:
            # The options before the paths (which may follow `--`).
            command = command[:2] + ["--output-file", out_path] + command[2:]
            done = subprocess.run(command, stdin=stdin, stderr=subprocess.PIPE)
        finally:
            if stdin_path:
                stdin.close()
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command[:4])}... exited {done.returncode}: {done.stderr.decode(errors='replace')}")
        with open(out_path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield line.rstrip("\n")
    finally:
        os.unlink(out_path)


def balanced(inputs, tasks):
    """The inputs in `tasks` groups of about equal size (largest first, to the lightest group)."""
    groups = [[0, []] for _ in range(max(1, min(tasks, len(inputs))))]
    for entry in sorted(inputs, key=lambda e: (-e["bytes"], e["file"])):
        lightest = min(groups, key=lambda g: g[0])
        lightest[0] += entry["bytes"]
        lightest[1].append(entry["file"])
    return [files for _, files in groups if files]


def kind(line):
    """`finding`, `fact` or `summary`: the one member of a part's line (ramlint writes it first)."""
    return line[2 : line.index('"', 2)]


def report_order(row):
    """The report's order: file, record (none first), line, column, rule, pointer, message."""
    record = row.get("record")
    return (row["file"], record is not None, record or 0, row["line"], row["column"], row["rule"],
            row["pointer"], row["message"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="log files, folders or glob patterns, as for `ramlint audit`")
    parser.add_argument("--out", required=True, help="output folder (findings/, summary.json)")
    parser.add_argument("--ramlint", default="ramlint", help="the ramlint binary on the executors")
    parser.add_argument("--ship-ramlint", action="store_true", help="send the driver's --ramlint binary to the executors")
    parser.add_argument("--master", help="Spark master (e.g. local[2]) when not run by spark-submit")
    parser.add_argument("--tasks", type=int, default=0, help="pass-1 tasks (default: Spark's default parallelism)")
    parser.add_argument("--key-partitions", type=int, default=0, help="pass-2 partitions (default: as --tasks)")
    parser.add_argument("--policy", action="append", default=[], help="replay every call against this policy")
    parser.add_argument("--account", help="account id of calls whose record names none")
    parser.add_argument("--context", action="append", default=[], help="KEY=VALUE for records that lack it")
    parser.add_argument("--window", default="10s")
    parser.add_argument("--token-retention", default="24h")
    parser.add_argument("--config")
    parser.add_argument("--no-config", action="store_true")
    parser.add_argument("--catalog", action="append", default=[])
    parser.add_argument("--now")
    parser.add_argument("--select", action="append", default=[])
    parser.add_argument("--ignore", action="append", default=[])
    parser.add_argument("--fail-on", choices=["error", "warning"])
    opts = parser.parse_args()

    from pyspark import SparkFiles, StorageLevel
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("ramlint-audit")
    if opts.master:
        builder = builder.master(opts.master)
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    tasks = opts.tasks or sc.defaultParallelism
    key_partitions = opts.key_partitions or tasks

    driver_ramlint = shutil.which(opts.ramlint) or opts.ramlint
    if opts.ship_ramlint:
        sc.addFile(driver_ramlint)
    shipped = os.path.basename(driver_ramlint) if opts.ship_ramlint else None

    def binary():
        if shipped is None:
            return opts.ramlint
        path = SparkFiles.get(shipped)
        os.chmod(path, 0o755)
        return path

    shared = ramlint_options(opts)
    replay = [a for p in opts.policy for a in ("--policy", p)]
    if opts.account:
        replay += ["--account", opts.account]
    replay += [a for c in opts.context for a in ("--context", c)]
    sequence = ["--window", opts.window, "--token-retention", opts.token_retention]

    # 1. The inputs, as `ramlint audit` names them, spread over the tasks by size.
    listed = subprocess.run([driver_ramlint, "audit", "--list-inputs", *shared, *opts.paths],
                            stdout=subprocess.PIPE, check=True)
    inputs = [json.loads(line) for line in listed.stdout.decode().splitlines() if line.strip()]
    if not inputs:
        sys.exit("ramlint_audit.py: no input to audit in " + " ".join(opts.paths))
    groups = balanced(inputs, tasks)

    # 2. Pass 1 per task: findings of the rules over records, facts, a summary.
    def pass1(groups_of_task):
        files = [f for group in groups_of_task for f in group]
        if not files:
            return
        command = [binary(), "audit", "--partial", "--progress", "never", *shared, *replay, *sequence, "--", *files]
        yield from run(command)

    parts = sc.parallelize(groups, len(groups)).mapPartitions(pass1).persist(StorageLevel.MEMORY_AND_DISK)

    # 3. The facts by key: every call on one resource, every use of one token, in one partition.
    def keyed(line):
        return json.loads(line)["fact"]["key"], line

    facts = (parts.filter(lambda line: kind(line) == "fact").map(keyed)
             .partitionBy(key_partitions, lambda key: zlib.crc32(key.encode("utf-8"))).values())

    # 4. Pass 2 per partition: the sequence rules over whole key groups.
    def pass2(lines):
        fd, path = tempfile.mkstemp(prefix="ramlint-facts-", suffix=".jsonl")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                for line in lines:
                    f.write(line + "\n")
            command = [binary(), "audit", "--partial", "--facts", *shared, *sequence, path]
            yield from run(command)
        finally:
            os.unlink(path)

    results = parts.filter(lambda line: kind(line) != "fact").union(facts.mapPartitions(pass2))
    results.persist(StorageLevel.MEMORY_AND_DISK)

    # 5. The summaries merged by ramlint on the driver; with the findings over the whole run.
    os.makedirs(opts.out, exist_ok=True)
    summaries = results.filter(lambda line: kind(line) == "summary").collect()
    with tempfile.TemporaryDirectory(prefix="ramlint-merge-") as tmp:
        with open(os.path.join(tmp, "summaries.jsonl"), "w", encoding="utf-8") as f:
            f.write("\n".join(summaries) + "\n")
        fail_on = ["--fail-on", opts.fail_on] if opts.fail_on else []
        merged_path = os.path.join(tmp, "merged.json")
        merge = subprocess.run([driver_ramlint, "merge", "--format", "json", "--output-file", merged_path, *shared,
                                *[a for p in opts.policy for a in ("--policy", p)], *fail_on,
                                os.path.join(tmp, "summaries.jsonl")])
        if merge.returncode not in (0, 1, 2) or not os.path.exists(merged_path):
            sys.exit(f"ramlint_audit.py: ramlint merge exited {merge.returncode}")
        with open(merged_path, encoding="utf-8") as f:
            merged = json.load(f)

    findings = (results.filter(lambda line: kind(line) == "finding").map(lambda line: json.loads(line)["finding"])
                .union(sc.parallelize(merged["diagnostics"], 1)))
    out_findings = os.path.join(opts.out, "findings")
    if os.path.exists(out_findings):
        shutil.rmtree(out_findings)
    compact = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    findings.sortBy(report_order).map(compact).saveAsTextFile(out_findings)
    with open(os.path.join(opts.out, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(merged["summary"], f, indent=2, sort_keys=True)
        f.write("\n")
    summary = merged["summary"]
    print(f"ramlint_audit.py: {len(inputs)} inputs, {summary['records']} records, "
          f"{summary['errors']} errors, {summary['warnings']} warnings, {summary['infos']} infos; "
          f"findings in {out_findings}/, summary in {opts.out}/summary.json")
    spark.stop()
    sys.exit(merge.returncode)


if __name__ == "__main__":
    main()
