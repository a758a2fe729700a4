#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz target (fuzz/corpus/<target>/) from the repository's
fixtures, examples and test data. The corpus is generated, not committed: run this before
`cargo fuzz run` (.ci/run and docs/fuzzing.md do). Existing corpus files (what earlier runs
found) are kept; seeds are named by their content hash, so running it twice changes nothing.

Usage: python3 scripts/fuzz_corpus.py [--out fuzz/corpus]
"""

import argparse
import gzip
import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Seeds larger than this are left out: libFuzzer's -max_len follows the largest seed, and
# long inputs make every execution slower (the nesting and size limits have their own tests).
MAX_SEED = 64 * 1024
INPUT_SUFFIXES = {".json", ".jsonl", ".txt", ".gz", ".url", ".log", ".tf", ".yaml", ".yml", ".tpl"}
# The `embedded` target's mode byte by file kind: 0 `.tf`, 2 `.tf.json`, 3 ROS JSON, 4 YAML, 6 plan.
EMBEDDED_MODES = {".tf": 0, ".yaml": 4, ".yml": 4}
# The call of the `eval` target's seeds: after the policy and a NUL byte.
CALLS = [
    b"vpc:UnassociateEipAddress\nacs:vpc:cn-hangzhou:1234567890123456:eip/eip-bp1m6u2o8y4r7t3w5q9z0\n"
    b"acs:SourceIp=203.0.113.7",
    b"ecs:DescribeInstances\n*\nacs:MFAPresent=true\nacs:CurrentTime=2026-01-01T00:00:00Z",
    b"ram:PassRole\nacs:ram:*:1234567890123456:role/admin\nacs:Service=ecs.aliyuncs.com",
]


def inputs():
    """Every fixture, example and test data file that ramlint reads, sorted."""
    folders = [ROOT / "fixtures", ROOT / "examples", ROOT / "tests" / "data"]
    out = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in INPUT_SUFFIXES and path.stat().st_size <= MAX_SEED:
                if "schema" in path.name:
                    continue
                out.append(path)
    return out


def write(folder: Path, data: bytes):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "fuzz" / "corpus")
    args = parser.parse_args()
    counts = {}
    files = inputs()
    for path in files:
        raw = path.read_bytes()
        plain = gzip.decompress(raw) if path.suffix == ".gz" else raw
        targets = {"policy_lint": [raw], "request_lint": [raw]}
        # The framer's mode byte: 0 plain, 2 gzip (made by the target), 4 `--kind request`.
        targets["frame"] = [b"\x00" + raw, b"\x02" + plain, b"\x44" + plain]
        mode = EMBEDDED_MODES.get(path.suffix)
        if mode is None and path.suffix == ".json" and b"ROSTemplateFormatVersion" in plain:
            mode = 3
        if mode is None and path.suffix == ".json" and b"resource_changes" in plain:
            mode = 6
        if mode is not None:
            targets["embedded"] = [bytes([mode]) + plain]
        if path.suffix == ".json":
            targets["json_parse"] = [plain]
            if b"Statement" in plain:
                targets["eval"] = [plain + b"\x00" + call for call in CALLS]
        for target, seeds in targets.items():
            for seed in seeds:
                write(args.out / target, seed)
                counts[target] = counts.get(target, 0) + 1
    for path in sorted(ROOT.rglob("*.toml")):
        relative = path.relative_to(ROOT).parts
        if relative[0] in ("fixtures", "examples", "docs"):
            write(args.out / "config", path.read_bytes())
            counts["config"] = counts.get("config", 0) + 1
    # The configuration of the README's example, so the config target starts from every key.
    write(
        args.out / "config",
        b'fail-on = "warning"\nexclude = ["target/**"]\ncatalog = ["extra"]\n'
        b'trusted-accounts = ["1234567890123456"]\nregions = ["cn-hangzhou"]\n'
        b'[rules]\nredundant-action = "off"\nfull-admin = "warning"\n'
        b'[[suppress]]\nrule = "full-admin"\npath = "policies/*.json"\npointer = "/Statement/0"\n'
        b'reason = "the break-glass role"\nexpires = "2027-01-31"\n',
    )
    print(", ".join(f"{t}: {n}" for t, n in sorted(counts.items())), f"seeds from {len(files)} files")


if __name__ == "__main__":
    main()
