#!/usr/bin/env bash
# Runs every fuzz target (or those named) for SECONDS each, from the seed corpus of
# scripts/fuzz_corpus.py plus what earlier runs kept in fuzz/corpus/. Fails on the first crash,
# timeout (one input over 10 s) or out-of-memory (over 2 GB); the reproducer is then in
# fuzz/artifacts/<target>/. Prints each target's executions and the total.
#
# Usage: scripts/fuzz.sh SECONDS [TARGET...]      (docs/fuzzing.md)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:?usage: scripts/fuzz.sh SECONDS [TARGET...]}"
shift
if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzzing needs the nightly toolchain (rustup toolchain install nightly)" >&2
  exit 1
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "== cargo install cargo-fuzz"
  cargo +stable install cargo-fuzz --locked
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cd fuzz && cargo +nightly fuzz list)
fi
python3 scripts/fuzz_corpus.py
start=$(date +%s)
(cd fuzz && cargo +nightly fuzz build -O)
echo "fuzz build: $(( $(date +%s) - start )) s"
total=0
for target in "${targets[@]}"; do
  log="fuzz/artifacts/$target.log"
  mkdir -p fuzz/artifacts
  echo "== fuzz $target (${seconds} s)"
  if ! (cd fuzz && cargo +nightly fuzz run -O "$target" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1) >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "fuzz target $target failed: reproducer in fuzz/artifacts/$target/, full log $log" >&2
    exit 1
  fi
  runs=$(grep -o 'Done [0-9]* runs' "$log" | grep -o '[0-9]*' | tail -n 1)
  echo "$target: ${runs:-0} executions, no crash"
  total=$(( total + ${runs:-0} ))
done
echo "fuzzing: $total executions in ${#targets[@]} targets, no crash"
