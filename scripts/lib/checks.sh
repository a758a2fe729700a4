# Shared by the end-to-end check scripts (scripts/*_check.sh): a temporary folder removed on
# exit, one line per check, a `N passed, N failed` ending with the exit code, and throwaway
# virtualenvs with packages from PyPI. Source it after `set -uo pipefail`:
#
#   . "$(dirname "${BASH_SOURCE[0]}")/lib/checks.sh"
#   checks_begin wheel            # sets $repo and $tmp
#   venv_with "$tmp/venv" "maturin==1.16.0" || finish
#   pass "..." / fail "..." / show LOG
#   finish                        # exit 0 only when every check passed
#
# A script may define `on_failure` (called by `finish` when a check failed) to print its logs.

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
passed=0
failed=0
start=$(date +%s)

# Makes the temporary folder `$tmp` (removed on exit) for the check named $1.
checks_begin() {
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/ramlint-$1.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
}

pass() { echo "ok: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }
# Shows the end of a log when a check failed.
show() { echo "---- last lines of $1:"; tail -n 40 "$1"; echo "----"; }

finish() {
  if [ "$failed" -ne 0 ] && declare -F on_failure >/dev/null; then on_failure; fi
  echo "time: $(($(date +%s) - start)) s"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ] && exit 0
  exit 1
}

# Creates the virtualenv $1 and installs the requirements that follow from PyPI (or, with
# `--no-index FILE`, a local file only); one check, passed or failed, with pip's log on failure.
venv_with() {
  local venv="$1"
  shift
  local log="$venv.pip.log"
  if python3 -m venv "$venv" &&
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@" >"$log" 2>&1; then
    pass "installed $* into a fresh virtualenv"
  else
    show "$log"
    fail "installing $* into a virtualenv"
    return 1
  fi
}
