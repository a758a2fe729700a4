#!/usr/bin/env bash
# The Python packaging route (pyproject.toml, maturin `bindings = "bin"`), tested as a user
# would take it: build the wheel with the pinned maturin, install it into a fresh virtualenv
# with no index (nothing else is fetched), and run the installed `ramlint` on the examples.
#
#   bash scripts/wheel_check.sh
#
# Run after `cargo build --release --locked` (as .ci/run does): maturin builds with the same
# profile, flags and target folder, so cargo finds the release build up to date and the wheel
# costs seconds, not a second compile. Needs python3 (with venv) and access to PyPI for maturin.
# Prints one line per check and ends with `N passed, N failed`; exit code 0 only when every
# check passed.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/checks.sh"
checks_begin wheel

# The maturin of pyproject.toml's build-system (pinned there).
maturin_req=$(sed -n 's/^requires = \["\(maturin==[^"]*\)"\]$/\1/p' "$repo/pyproject.toml")
if [ -z "$maturin_req" ]; then
  fail "pyproject.toml pins no maturin version (requires = [\"maturin==X.Y.Z\"])"
  finish
fi

echo "== installing $maturin_req into a virtualenv"
venv_with "$tmp/build" "$maturin_req" || finish

echo "== building the wheel"
build_start=$(date +%s)
if (cd "$repo" && "$tmp/build/bin/maturin" build --release --out "$tmp/dist") >"$tmp/build.log" 2>&1; then
  wheel=$(ls "$tmp"/dist/ramlint-*.whl 2>/dev/null | head -n 1)
  pass "wheel $(basename "$wheel") built in $(($(date +%s) - build_start)) s"
else
  tail -n 40 "$tmp/build.log"
  fail "maturin build"
  finish
fi

echo "== installing the wheel into a fresh virtualenv (no index)"
venv_with "$tmp/venv" --no-index "$wheel" || finish
bin="$tmp/venv/bin/ramlint"
[ -x "$bin" ] && pass "the wheel puts ramlint in the virtualenv's bin/" || { fail "no $bin"; finish; }

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$repo/Cargo.toml" | head -n 1)
if [ "$("$bin" --version)" = "ramlint $version" ]; then
  pass "ramlint --version is the crate's ($version)"
else
  fail "ramlint --version says '$("$bin" --version)', the crate is $version"
fi

# Run from PATH, as a user would after activating the virtualenv.
cd "$repo"
PATH="$tmp/venv/bin:$PATH" ramlint check examples/ >"$tmp/check.txt" 2>&1
code=$?
if [ "$code" -eq 1 ] && grep -q 'invalid-effect' "$tmp/check.txt" && tail -n 1 "$tmp/check.txt" | grep -Eq '^[0-9]+ errors?, '; then
  pass "ramlint check examples/ reports the examples' findings (exit code 1)"
else
  tail -n 20 "$tmp/check.txt"
  fail "ramlint check examples/ exited $code without the expected report"
fi
PATH="$tmp/venv/bin:$PATH" ramlint check --format json --output-file "$tmp/check.json" examples/
if python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); sys.exit(0 if r["summary"]["files"] >= 3 and r["diagnostics"] else 1)' "$tmp/check.json"; then
  pass "the JSON report of the examples"
else
  fail "ramlint check --format json examples/"
fi
finish
