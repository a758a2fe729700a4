#!/usr/bin/env python3
"""Lint the real corpus in ../shared/data and compare the findings with reviewed snapshots.

  scripts/corpus_snapshot.py --bin target/release/ramlint            # check (CI)
  scripts/corpus_snapshot.py --bin target/release/ramlint --update   # rewrite after review

Snapshots (tests/corpus/*.txt) hold one line per finding: file, record, severity, rule, pointer
and message. The check also fails when a valid official document (RAM, VPC and system-policy
documentation, Openmeta examples) gets an error that is not in REVIEWED_ERRORS below.
"""
import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OFFICIAL = ("ram-doc-", "vpc-doc-", "system-policy-", "openmeta-")
# Errors on official documents that are true findings, reviewed by hand.
REVIEWED_ERRORS = {
    ("ram-doc-Authorize-RAM-users-to-use-ActionTrail-2.json", "condition-value-type"):
        "the documented value `42.120.XX.X/24` is masked, not an IP address or CIDR block",
    ("ram-doc-Manage-information-about-all-resources-within-an-Alibaba-Cloud-account-e.json", "full-admin"):
        "`Allow` of `*` on `*` without a condition: valid for RAM, but full administrator access, an "
        "error-level security finding in the contract (conformance case full-admin-real-except-billing)",
}


def run(binary, cwd, args):
    # A fixed current time, so date findings (`unsatisfiable-condition`) do not drift.
    env = {**os.environ, "RAMLINT_NOW": "2026-12-01T00:00:00Z"}
    proc = subprocess.run(
        [binary, "check", "--format", "json", *args], cwd=cwd, capture_output=True, text=True, env=env
    )
    if proc.returncode not in (0, 1):
        sys.exit(f"ramlint failed in {cwd}: exit {proc.returncode}\n{proc.stderr}")
    return json.loads(proc.stdout)


def lines(report):
    out = []
    for d in report["diagnostics"]:
        record = "-" if d["record"] is None else str(d["record"])
        out.append("\t".join([d["file"], record, d["severity"], d["rule"], d["pointer"] or '""', d["message"]]))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--update", action="store_true")
    opts = parser.parse_args()
    binary = str(Path(opts.bin).resolve())
    data = Path(opts.shared) / "data"
    if not data.is_dir():
        sys.exit(f"no corpus at {data}")
    policies = data / "policies"
    requests = data / "requests"
    url_files = sorted(str(p.relative_to(requests)) for p in requests.rglob("*.request-url.txt"))
    snapshots = {
        "policies.txt": lines(run(binary, policies, ["."])),
        "requests.txt": lines(run(binary, requests, ["."])) + lines(run(binary, requests, ["--kind", "request", *url_files])),
    }
    failed = False
    index = json.loads((policies / "index.json").read_text(encoding="utf-8"))
    valid_official = {e["file"] for e in index if e.get("json_valid") and e["file"].startswith(OFFICIAL)}
    for line in snapshots["policies.txt"]:
        file, _, severity, rule, *_ = line.split("\t")
        if severity == "error" and file in valid_official and (file, rule) not in REVIEWED_ERRORS:
            print(f"error on a valid official document: {line}")
            failed = True
    for name, found in snapshots.items():
        path = ROOT / "tests" / "corpus" / name
        text = "\n".join(found) + "\n"
        if opts.update:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)} ({len(found)} findings)")
            continue
        expected = path.read_text(encoding="utf-8") if path.exists() else ""
        if expected != text:
            old, new = set(expected.splitlines()), set(found)
            for line in sorted(old - new):
                print(f"{name}: no longer found: {line}")
            for line in sorted(new - old):
                print(f"{name}: newly found: {line}")
            failed = True
    count = sum(len(v) for v in snapshots.values())
    print(f"corpus: {count} findings over policies and requests; " + ("snapshots differ or a false error" if failed else "snapshots match"))
    print(f"{0 if failed else 1} passed, {1 if failed else 0} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
