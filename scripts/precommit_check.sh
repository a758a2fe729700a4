#!/usr/bin/env bash
# End-to-end test of the pre-commit hook that .pre-commit-hooks.yaml declares, run as a user
# would: pre-commit (from PyPI, in a throwaway virtualenv) builds this repository with
# `cargo install` (its `language: rust`) and runs `ramlint check` on a throwaway git repository.
#
#   bash scripts/precommit_check.sh
#
# It checks that the hook fails on a policy with `"Effect": "Alow"` (output naming
# `invalid-effect`) and on a request log with an unknown API (`unknown-api`: `.jsonl` files are
# picked up), and passes once only good files (and an unrelated package.json) are left.
#
# `pre-commit try-repo` uses the hook repository's last commit, plus its tracked uncommitted
# changes (staged files and modified tracked files, copied into a temporary "shadow" repository);
# untracked files are not seen. CI runs it on a fresh clone, so it tests the commit. Each
# `try-repo` builds the crate anew in a temporary store, so both runs share one CARGO_TARGET_DIR
# (a temporary folder unless CARGO_TARGET_DIR is set): the second build recompiles only ramlint.
#
# Needs python3 (with venv), git, cargo, and access to PyPI and crates.io. Prints one line per
# check and ends with `N passed, N failed`; exit code 0 only when every check passed.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/checks.sh"
checks_begin precommit
# pre-commit writes the details of its own errors (a failed cargo install) there.
on_failure() { if [ -f "${PRE_COMMIT_HOME:-}/pre-commit.log" ]; then show "$PRE_COMMIT_HOME/pre-commit.log"; fi; }

# The manifest must be in what try-repo reads: the last commit or a tracked change.
if git -C "$repo" ls-files --error-unmatch .pre-commit-hooks.yaml >/dev/null 2>&1; then
  pass "hook manifest .pre-commit-hooks.yaml is tracked by git"
else
  fail "hook manifest .pre-commit-hooks.yaml is not tracked by git in $repo (try-repo ignores untracked files: git add it)"
  finish
fi

echo "== installing pre-commit into a virtualenv"
venv_with "$tmp/venv" pre-commit || finish
pre_commit="$tmp/venv/bin/pre-commit"

if "$pre_commit" validate-manifest "$repo/.pre-commit-hooks.yaml" >"$tmp/manifest.log" 2>&1; then
  pass "pre-commit validate-manifest .pre-commit-hooks.yaml"
else
  show "$tmp/manifest.log"
  fail "pre-commit validate-manifest .pre-commit-hooks.yaml"
fi

export PRE_COMMIT_HOME="$tmp/pre-commit-home"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$tmp/cargo-target}"
export NO_COLOR=1
export GIT_AUTHOR_NAME=ramlint-test GIT_AUTHOR_EMAIL=ramlint-test@example.invalid
export GIT_COMMITTER_NAME=ramlint-test GIT_COMMITTER_EMAIL=ramlint-test@example.invalid

# The user's repository: a bad policy, a bad request log, good ones, and an unrelated JSON file.
work="$tmp/user-repo"
mkdir -p "$work/policies" "$work/logs"
git -C "$work" init --quiet
cat >"$work/policies/bad.json" <<'EOF'
{"Version":"1","Statement":[{"Effect":"Alow","Action":"vpc:DescribeEipAddresses","Resource":"*"}]}
EOF
# Dangerous or broken policies that used to pass silently (issue 13): misspelt top-level keys,
# a trust policy any account can assume, full admin.
cat >"$work/policies/misspelt.json" <<'EOF'
{"Versoin":"1","Statment":[{"Effect":"Allow","Action":"*","Resource":"*"}]}
EOF
cat >"$work/policies/public-trust.json" <<'EOF'
{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":["*"]}}]}
EOF
cat >"$work/policies/admin.json" <<'EOF'
{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}
EOF
cat >"$work/policies/good.json" <<'EOF'
{"Version":"1","Statement":[{"Effect":"Allow","Action":"vpc:DescribeEipAddresses","Resource":"*"}]}
EOF
cat >"$work/logs/bad.jsonl" <<'EOF'
{"Action":"UnasociateEipAddress","Version":"2016-04-28","RegionId":"cn-hangzhou","AllocationId":"eip-bp1k4t7x2m9q5w3e8r6y1"}
EOF
cat >"$work/logs/good.jsonl" <<'EOF'
{"Action":"DescribeEipAddresses","Version":"2016-04-28","RegionId":"cn-hangzhou"}
{"Action":"UnassociateEipAddress","Version":"2016-04-28","RegionId":"cn-hangzhou","AllocationId":"eip-bp1k4t7x2m9q5w3e8r6y1","InstanceId":"i-bp1f5g8h2j6k9l3m7n4q"}
EOF
cat >"$work/package.json" <<'EOF'
{"name": "not-a-policy", "version": "1.0.0"}
EOF
git -C "$work" add -A
git -C "$work" commit --quiet -m "policies and logs"

# Runs the hook on every file of the user's repository; sets $rc, output in $1.
try_repo() {
  local t0=$(date +%s)
  (cd "$work" && "$pre_commit" try-repo "$repo" ramlint --all-files --color never) >"$1" 2>&1
  rc=$?
  sed 's/^/   | /' "$1"
  echo "   (try-repo exit code $rc, $(($(date +%s) - t0)) s)"
}

echo "== try-repo with bad files (builds ramlint with cargo install: a few minutes)"
try_repo "$tmp/bad.log"
if [ "$rc" -ne 0 ]; then pass "hook fails on the bad files (exit code $rc)"; else fail "hook passed on the bad files"; fi
if grep -q 'invalid-effect' "$tmp/bad.log"; then pass "output names invalid-effect"; else fail "output does not name invalid-effect"; fi
if grep -q 'policies/bad.json' "$tmp/bad.log"; then pass "output names policies/bad.json"; else fail "output does not name policies/bad.json"; fi
if grep -q 'unknown-api' "$tmp/bad.log"; then pass "output names unknown-api (the .jsonl log was linted)"; else fail "output does not name unknown-api (.jsonl not linted?)"; fi
for rule in unknown-element public-role-trust full-admin; do
  if grep -q "$rule" "$tmp/bad.log"; then pass "output names $rule"; else fail "output does not name $rule"; fi
done
if grep -qE '^ramlint\.+Failed' "$tmp/bad.log"; then pass "pre-commit reports the ramlint hook as Failed"; else fail "no 'ramlint....Failed' line"; fi

git -C "$work" rm --quiet policies/bad.json policies/misspelt.json policies/public-trust.json policies/admin.json logs/bad.jsonl
git -C "$work" commit --quiet -m "only good files"

echo "== try-repo with good files only"
try_repo "$tmp/good.log"
if [ "$rc" -eq 0 ]; then pass "hook passes on the good files"; else fail "hook failed on the good files (exit code $rc)"; fi
if grep -qE '^ramlint\.+Passed' "$tmp/good.log"; then pass "pre-commit reports the ramlint hook as Passed"; else fail "no 'ramlint....Passed' line"; fi

finish
