#!/usr/bin/env python3
"""Near-linear time on large untrusted inputs, as a doubling check rather than a timed test.

Each case runs the release binary on an input of size n and of size 4n and compares the CPU
time the child used (user + system, from getrusage: machine load does not inflate it the way
it inflates wall time). A linear or n log n path takes about 4 to 5 times longer on the larger
input; the quadratic paths these cases once hit took 16 times longer. The check fails when a
case's ratio is above 9, and prints every ratio. The inputs are the ones of tests/it/scale.rs
and tests/it/hostile.rs, whose tests assert the results (not the time).

Usage: python3 scripts/complexity_check.py --bin target/release/ramlint
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile

LIMIT = 9.0
SCALE = 4


def statements(n):
    rows = [
        '{"Effect": "Allow", "Action": ["ecs:DescribeInstances"], "Resource": '
        f'["acs:ecs:cn-hangzhou:1234567890123456:instance/i-{i % (n - 1):020}"]}}'
        for i in range(n)
    ]
    return '{"Version": "1", "Statement": [\n  ' + ",\n  ".join(rows) + "\n]}\n"


def unknown_parameters(n):
    params = {"Action": "DescribeEipAddresses", "Version": "2016-04-28", "RegionId": "cn-hangzhou"}
    for i in range(n):
        params[f"Unknown{i:05}"] = "x"
    line = json.dumps(params, separators=(",", ":"))
    return f"{line}\n{line}\n"


def suppressions(n):
    return "".join(
        f'[[suppress]]\nrule = "unknown-action"\npath = "p{i}.json"\nreason = "reviewed"\n\n' for i in range(n)
    )


HEAD = '{"Version":"1","Statement":[{"Effect":"Allow","Action":"vpc:DescribeEipAddresses","Resource":"*"}],'
SMALL_POLICY = (
    '{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": "*"}]}'
)


def duplicate_keys(n):
    return HEAD + ",".join(['"Version":"1"'] * n) + "}"


def distinct_keys(n):
    return HEAD + ",".join(f'"k{i}":1' for i in range(n)) + "}"


def long_wildcards(n):
    a = "ecs:*" + "a" * n + "*"
    b = "ecs:*" + "a" * (n - 1) + "*"
    return '{"Version":"1","Statement":[{"Effect":"Allow","Action":["%s","%s"],"Resource":"*"}]}' % (a, b)


# name, base size, files to write for a size, arguments
CASES = [
    ("check --format json, many statements", 5_000, lambda n: {"p.json": statements(n)},
     ["check", "--no-config", "--format", "json", "p.json"]),
    ("check (text), many statements", 5_000, lambda n: {"p.json": statements(n)},
     ["check", "--no-config", "p.json"]),
    ("simulate, many statements", 5_000, lambda n: {"p.json": statements(n)},
     ["simulate", "--no-config", "--policy", "p.json", "--action", "ecs:DescribeInstances",
      "--resource", "acs:ecs:cn-hangzhou:1234567890123456:instance/i-x"]),
    ("audit, many unknown parameters in one record", 10_000, lambda n: {"log.jsonl": unknown_parameters(n)},
     ["audit", "--no-config", "--format", "json", "log.jsonl"]),
    ("check (text), many unused suppressions", 8_000,
     lambda n: {"ramlint.toml": suppressions(n), "p.json": SMALL_POLICY}, ["check", "p.json"]),
    ("check, many duplicate keys", 20_000, lambda n: {"p.json": duplicate_keys(n)},
     ["check", "--no-config", "--format", "json", "p.json"]),
    ("check, many distinct keys", 20_000, lambda n: {"p.json": distinct_keys(n)},
     ["check", "--no-config", "--format", "json", "p.json"]),
    ("check, redundant-action over long wildcards", 150_000, lambda n: {"p.json": long_wildcards(n)},
     ["check", "--no-config", "--format", "json", "p.json"]),
]


def cpu_seconds(binary, directory, args, runs):
    """The least child CPU time (user + system) of `runs` runs."""
    best = None
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run([binary, *args], cwd=directory, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"})
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode not in (0, 1):
            sys.exit(f"ramlint {args} exited with {done.returncode}: {done.stderr.decode()[:500]}")
        took = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = took if best is None else min(best, took)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default="target/release/ramlint")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    binary = os.path.abspath(options.bin)
    failed = []
    print(f"{'case':<48} {'n':>8} {'cpu(n)':>9} {'cpu(4n)':>9} {'ratio':>6}")
    for name, n, files, args in CASES:
        times = []
        for size in (n, SCALE * n):
            with tempfile.TemporaryDirectory(prefix="ramlint-complexity-") as directory:
                for file, text in files(size).items():
                    with open(os.path.join(directory, file), "w", encoding="utf-8") as out:
                        out.write(text)
                times.append(cpu_seconds(binary, directory, args, options.runs))
        # Below 20 ms the process start dominates: the ratio says nothing, count it as linear.
        ratio = times[1] / max(times[0], 0.02)
        print(f"{name:<48} {n:>8} {times[0]:>8.3f}s {times[1]:>8.3f}s {ratio:>6.1f}")
        if ratio > LIMIT:
            failed.append(name)
    if failed:
        sys.exit(f"superlinear (ratio over {LIMIT} for a {SCALE}x input): {', '.join(failed)}")
    print(f"every case near-linear (ratio at most {LIMIT} for a {SCALE}x input)")


if __name__ == "__main__":
    main()
