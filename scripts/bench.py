#!/usr/bin/env python3
"""Benchmarks of ramlint with figures for the README (run on an otherwise idle machine).

  python3 scripts/bench.py [--big-bytes 1000000000]

Builds the release binary, generates the inputs under target/bench/ (deterministic), and
measures wall time (median of several runs) and peak memory (max RSS of the process):
  1. check of 10,000 generated policies (target: < 0.5 s on 2 cores);
  2. check of one small file, from process start (target: < 10 ms);
  3. check of a 300,000-record JSON Lines log (target: >= 300,000 records/s);
  4. audit of a 1,000,000-record log against a serde_json parse of every line (target: at
     least half the baseline's throughput), and audit of a ~1 GB log (target: < 100 MB peak);
  5. audit --policy of the same 1,000,000-record log against a 20-statement policy
     (scripts/bench-policy-20.json; target: at least 200,000 calls/s replayed on 2 cores);
  6. diff of two generated 50-statement policies over the whole catalog (a `NotAction` grant
     expands every catalog action; target: well under a second). `--diff-only` runs this one.
  7. policies where they live: check of one small `.tf` file from process start (target:
     < 10 ms), and of the 10,000 policies as 10,000 `.tf` files, each a heredoc in an
     `alicloud_ram_policy` (target: < 0.5 s, as the JSON files). `--embedded-only` runs just these.
  8. audit of a 1,000,000-record busy-account log (scripts/gen_busy_log.py: unique client
     tokens and resource ids, many products) against the same serde_json baseline on that
     file (target: at least half its throughput);
  9. with --rss: peak memory of `audit` at 1 GB and 4 GB, for the busy log with 0 findings and
     with a finding on every other record and for the existing log, `--format json` and
     `--format sarif` (target: < 100 MB in every row). The big logs are generated one at a
     time (the existing one grown from its 1,000,000-record log with grow_log.py) and deleted
     after use (they need up to 5 GB of disk at once); a big log already generated under
     target/bench/ (rss-<kind>-<bytes>.jsonl) is used as it is.

Throughput is the best of several runs (the machine is shared: the best run is the one least
disturbed); the load average is printed with the figures. The audit / serde_json ratios are
the median of 5 rounds that each run audit and then the baseline, a few seconds apart: the
machine's speed drifts by tens of percent over minutes, which a best-of-3 of each, minutes
apart, turned into ratio noise of the same size.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "ramlint"
OUT = ROOT / "target" / "bench"


def best(argv, runs):
    """Fastest wall seconds and max peak RSS (MB) over `runs` runs."""
    times, peaks = [], []
    for _ in range(runs):
        t, m = timed(argv, 1)
        times.append(t)
        peaks.append(m)
    return min(times), max(peaks)


def baseline_once(path):
    """Lines per second of one run of the serde_json read-and-parse loop on `path`:
    {"one core": rate, "all cores": rate}."""
    out = subprocess.run(["cargo", "bench", "--quiet", "--bench", "parse_baseline", "--", str(path)], cwd=ROOT,
                         check=True, capture_output=True, text=True).stdout
    rates = {}
    for line in out.strip().splitlines():
        label = "one core" if "one core" in line else "all cores"
        rates[label] = float(line.split("=")[-1].split()[0])
    return rates


def paired(argv, path, rounds=5):
    """`audit` and the serde_json baseline run alternately, `rounds` times. The machine's speed
    drifts by tens of percent over minutes (a shared virtual machine), so each round's ratio
    compares two runs a few seconds apart, and the ratio reported is the median of the rounds.
    Returns the fastest audit (s), its max peak RSS (MB), the best baseline rates, and per
    label the sorted list of the rounds' ratios."""
    times, peaks, best_rates, ratios = [], [], {}, {}
    for _ in range(rounds):
        t, m = timed(argv, 1)
        times.append(t)
        peaks.append(m)
        for label, rate in baseline_once(path).items():
            best_rates[label] = max(best_rates.get(label, 0.0), rate)
            ratios.setdefault(label, []).append((1e6 / t) / rate)
    return min(times), max(peaks), best_rates, {label: sorted(r) for label, r in ratios.items()}


def memory_rows(sizes):
    """Peak RSS of `audit` on big logs: (log, size, findings, format) rows."""
    rows = []
    kinds = [
        # Grown from the 1,000,000-record busy log (ids, tokens and years made distinct per copy).
        ("busy", "busy account, 0 findings", [sys.executable, ROOT / "scripts/grow_log.py", OUT / "busy-1000000.jsonl"], []),
        ("busy-half", "busy account, a finding on every other record", [sys.executable, ROOT / "scripts/grow_log.py", OUT / "busy-1000000.jsonl"], ["--half"]),
        # Grown from the existing generator's 1,000,000-record log the same way (generating 4 GB
        # with gen_log.py itself takes over an hour on a loaded machine).
        ("existing", "existing generator (5 % broken records)", [sys.executable, ROOT / "scripts/grow_log.py", OUT / "log-1000000.jsonl"], []),
    ]
    biggest = max(sizes)
    for slug, label, gen, extra in kinds:
        # A log generated before (by this command, or by hand to save time) is used as it is.
        big = OUT / f"rss-{slug}-{biggest}.jsonl"
        if not big.exists():
            subprocess.run([*gen, big, "--bytes", str(biggest), *extra], check=True, capture_output=True)
        for size in sorted(sizes):
            path = big
            if size != biggest:
                # The first `size` bytes, cut at a line end.
                path = OUT / "rss-part.jsonl"
                # Copied in 4 MiB pieces: a child inherits the peak RSS of the process that
                # forks it (Linux), so reading the gigabyte at once here would show in every
                # `audit` measured after it (969 MB for a 1 GB busy log; its first 300 MB alone take 67 MB).
                with open(big, "rb") as src, open(path, "wb") as dst:
                    left = size
                    while left > 0:
                        piece = src.read(min(left, 1 << 22))
                        if not piece:
                            break
                        dst.write(piece)
                        left -= len(piece)
                    dst.write(src.readline())
            gb = path.stat().st_size / 1e9
            for fmt in ("json", "sarif"):
                report = OUT / f"rss-report.{fmt}"
                with open(report, "w") as sink:
                    t, m = timed([BIN, "audit", "--format", fmt, "--progress", "never", path], 1, stdout=sink)
                findings = findings_count(report) if fmt == "json" else None
                report.unlink()
                rows.append((label, f"{gb:.2f} GB", fmt, f"{t:.1f} s", f"{path.stat().st_size / t / 1e6:,.0f} MB/s", f"{m:.0f} MB", findings))
                # Each row as it is measured (the whole matrix takes a while).
                print("measured:", *rows[-1], f"load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
            if path != big:
                path.unlink()
        big.unlink()
    return rows


def findings_count(report):
    """errors + warnings + infos of a JSON report's summary (read from the report's head)."""
    head = []
    with open(report) as f:
        for line in f:
            if line.lstrip().startswith('"diagnostics"'):
                break
            head.append(line)
    summary = json.loads("".join(head).rstrip().rstrip(",") + "}")["summary"]
    return summary["errors"] + summary["warnings"] + summary["infos"]


def timed(argv, runs, stdout=subprocess.DEVNULL):
    """Median wall seconds and max peak RSS (MB) over `runs` runs."""
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            sys.exit(f"{' '.join(map(str, argv))} exited {code}")
    return statistics.median(times), max(peaks)


def replay_summary(argv):
    """The `summary.policy` block of a JSON audit report. Only the report's head is read (the
    summary comes before the diagnostics): parsing the whole report would grow this process,
    and a child forked from a large process inherits its peak RSS on Linux."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    head = []
    for line in proc.stdout:
        if line.lstrip().startswith('"diagnostics"'):
            break
        head.append(line)
    proc.kill()
    proc.wait()
    text = "".join(head).rstrip().rstrip(",") + "}"
    return json.loads(text)["summary"]["policy"]


def generate():
    OUT.mkdir(parents=True, exist_ok=True)
    if not (OUT / "policies").is_dir():
        subprocess.run([sys.executable, ROOT / "scripts/gen_policies.py", "10000", OUT / "policies"], check=True)
    for n in (300_000, 1_000_000):
        path = OUT / f"log-{n}.jsonl"
        if not path.exists():
            subprocess.run([sys.executable, ROOT / "scripts/gen_log.py", str(n), path], check=True)
    busy = OUT / "busy-1000000.jsonl"
    if not busy.exists():
        subprocess.run([sys.executable, ROOT / "scripts/gen_busy_log.py", "1000000", busy], check=True)


def diff_policies():
    """Two 50-statement policies (deterministic) over every service of the catalog: action
    lists, wildcards, a `NotAction` grant (so the whole catalog is expanded), conditions,
    `Deny`s and ARNs; NEW widens wildcards and resources, drops conditions and a `Deny`."""
    import random
    rng = random.Random(18)
    services = {}
    for f in sorted((ROOT / "rules/actions").glob("*.json")):
        data = json.loads(f.read_text())
        services[data["service"]] = [a["name"] for a in data["actions"]]
    codes = sorted(services)
    old, new = [], []
    for i in range(50):
        code = codes[i % len(codes)]
        names = services[code] or ["Describe*"]
        kind = i % 10
        if kind == 0:
            st = {"Effect": "Deny", "Action": [f"{code}:Delete*"], "Resource": "*"}
            widened = None if i % 20 == 0 else st
        elif kind == 1 and i < 10:
            st = {"Effect": "Allow", "NotAction": ["ram:*", "sts:*"], "Resource": "*",
                  "Condition": {"IpAddress": {"acs:SourceIp": ["10.0.0.0/8"]}}}
            widened = dict(st, Condition={"IpAddress": {"acs:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]}})
        elif kind in (2, 3, 4):
            actions = [f"{code}:{n}" for n in rng.sample(names, min(4, len(names)))]
            arn = f"acs:{code}:cn-hangzhou:1234567890123456:*/{code}-{i}*"
            st = {"Effect": "Allow", "Action": actions, "Resource": arn}
            widened = dict(st, Resource=f"acs:{code}:*:1234567890123456:*")
        elif kind in (5, 6):
            st = {"Effect": "Allow", "Action": [f"{code}:Describe*", f"{code}:List*"], "Resource": "*",
                  "Condition": {"Bool": {"acs:MFAPresent": "true"}}}
            widened = {k: v for k, v in st.items() if k != "Condition"}
        else:
            name = rng.choice(names)
            st = {"Effect": "Allow", "Action": [f"{code}:{name}"], "Resource": "*"}
            widened = dict(st, Action=[f"{code}:{name[:3]}*"])
        old.append(st)
        if widened is not None:
            new.append(widened)
    while len(new) < 50:
        new.append({"Effect": "Allow", "Action": [f"{codes[len(new) % len(codes)]}:Get*"], "Resource": "*"})
    for name, statements in (("diff-old.json", old), ("diff-new.json", new)):
        (OUT / name).write_text(json.dumps({"Version": "1", "Statement": statements}, indent=2))
    return OUT / "diff-old.json", OUT / "diff-new.json"


def diff_row():
    old, new = diff_policies()
    report = json.loads(subprocess.run([BIN, "diff", old, new, "--format", "json"], capture_output=True, text=True).stdout)
    t, m = timed([BIN, "diff", "--format", "json", old, new], 11)
    added, removed = len(report["added"]), len(report["removed"])
    return (f"diff of two 50-statement policies over the whole catalog: {added:,} added, {removed:,} removed", f"{t * 1000:.0f} ms", "", f"{m:.0f} MB")


def generate_tf():
    """The 10,000 generated policies, each as the heredoc of an `alicloud_ram_policy` in a `.tf`."""
    folder = OUT / "tf"
    if folder.is_dir():
        return
    folder.mkdir(parents=True)
    for path in sorted((OUT / "policies").iterdir()):
        body = path.read_text(encoding="utf-8", errors="replace")
        tf = (f'resource "alicloud_ram_policy" "p" {{\n  policy_name     = "{path.stem}"\n'
              f'  policy_document = <<-EOT\n{body}\n  EOT\n}}\n')
        (folder / f"{path.stem}.tf").write_text(tf, encoding="utf-8")


def embedded_rows():
    generate_tf()
    rows = []
    t, m = timed([BIN, "check", "--format", "json", OUT / "tf"], 5)
    rows.append(("check 10,000 .tf files (one heredoc policy each)", f"{t:.3f} s", f"{10000 / t:,.0f} files/s", f"{m:.0f} MB"))
    t, m = timed([BIN, "check", ROOT / "tests/data/embedded/jsonencode.tf"], 21)
    rows.append(("check 1 small .tf file (process start to exit)", f"{t * 1000:.1f} ms", "", f"{m:.0f} MB"))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big-bytes", type=int, default=1_000_000_000, help="size of the memory-test log (0 skips it)")
    parser.add_argument("--diff-only", action="store_true", help="only the diff benchmark (6)")
    parser.add_argument("--embedded-only", action="store_true", help="only the Terraform rows (7)")
    parser.add_argument("--rss", default="", help="sizes of the memory matrix, e.g. 1e9,4e9 (empty skips it)")
    parser.add_argument("--only-audit", action="store_true", help="only the audit throughput rows (and --rss)")
    opts = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    OUT.mkdir(parents=True, exist_ok=True)
    if opts.diff_only:
        print("| " + " | ".join(diff_row()) + " |")
        return
    if opts.embedded_only:
        generate()
        for row in embedded_rows():
            print(" | ".join(row))
        return
    subprocess.run(["cargo", "bench", "--quiet", "--bench", "parse_baseline", "--no-run"], cwd=ROOT, check=True, capture_output=True)
    generate()
    rows = []
    if not opts.only_audit:
        t, m = timed([BIN, "check", "--format", "json", OUT / "policies"], 5)
        rows.append(("check 10,000 policies", f"{t:.3f} s", f"{10000 / t:,.0f} policies/s", f"{m:.0f} MB"))
        t, m = timed([BIN, "check", ROOT / "examples/policies/trust-ecs.json"], 21)
        rows.append(("check 1 small file (process start to exit)", f"{t * 1000:.1f} ms", "", f"{m:.0f} MB"))
        t, m = timed([BIN, "check", "--format", "json", OUT / "log-300000.jsonl"], 3)
        rows.append(("check 300,000-record JSON Lines log", f"{t:.3f} s", f"{300000 / t:,.0f} records/s", f"{m:.0f} MB"))
    ratios = {}
    for name, path in (("existing", OUT / "log-1000000.jsonl"), ("busy account", OUT / "busy-1000000.jsonl")):
        t_audit, m_audit, rates, round_ratios = paired([BIN, "audit", "--format", "json", "--progress", "never", path], path)
        rows.append((f"audit 1,000,000-record log ({name})", f"{t_audit:.3f} s", f"{1e6 / t_audit:,.0f} records/s", f"{m_audit:.0f} MB"))
        for label, rate in rates.items():
            rows.append((f"serde_json: read and parse every line of it ({label})", "", f"{rate:,.0f} lines/s", ""))
            ratios[(name, label)] = round_ratios[label]
    if not opts.only_audit:
        replay = [BIN, "audit", "--format", "json", "--progress", "never", "--policy", ROOT / "scripts/bench-policy-20.json",
                  "--account", "1234567890123456", OUT / "log-1000000.jsonl"]
        report = replay_summary(replay)
        t, m = timed(replay, 3)
        calls = report["evaluated"]
        denied = report["explicit_deny"] + report["implicit_deny"]
        rows.append((f"audit --policy (20 statements): {calls:,} calls replayed, {denied:,} denied", f"{t:.3f} s", f"{calls / t:,.0f} calls/s", f"{m:.0f} MB"))
        rows.append(diff_row())
    if opts.big_bytes and not opts.only_audit:
        big = OUT / f"log-{opts.big_bytes}.jsonl"
        if not big.exists():
            subprocess.run([sys.executable, ROOT / "scripts/gen_log.py", "0", big, "--bytes", str(opts.big_bytes), "--seed", "5"], check=True)
        t, m = timed([BIN, "audit", "--format", "json", "--progress", "never", big], 1)
        size = big.stat().st_size / 1e9
        rows.append((f"audit {size:.2f} GB log", f"{t:.1f} s", f"{big.stat().st_size / t / 1e6:,.0f} MB/s", f"{m:.0f} MB"))
    if not opts.only_audit:
        rows.extend(embedded_rows())
    memory = memory_rows([int(float(x)) for x in opts.rss.split(",")]) if opts.rss else []
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end; ramlint {BIN}")
    print("| benchmark | wall time | throughput | peak memory |")
    print("|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    for (name, label), rounds in ratios.items():
        median = rounds[len(rounds) // 2]
        print(f"audit / serde_json throughput ratio, {name} log ({label}): {median:.2f} "
              f"(median of {len(rounds)} paired rounds; {rounds[0]:.2f} to {rounds[-1]:.2f})")
    if memory:
        print()
        print("| log | size | format | findings | wall time | throughput | peak memory |")
        print("|---|---|---|---|---|---|---|")
        for label, size, fmt, t, rate, m, findings in memory:
            shown = f"{findings:,}" if findings is not None else "(same)"
            print(f"| {label} | {size} | {fmt} | {shown} | {t} | {rate} | {m} |")


if __name__ == "__main__":
    main()
