# shellcheck shell=bash
# Shared by .ci/run: a workspace the run removes on exit, and the system packages it needs.
#
# Everything a run creates goes under one temporary folder ($CI_TMP): the PostgreSQL cluster,
# the test session's temporary files (TMPDIR), the browser profiles, the tools' caches. On exit
# (success, failure or interrupt) the cleanup steps run in reverse order, then $CI_TMP and a
# virtual environment the run created are removed.

CI_CLEANUP=()

ci_cleanup() {
  local status=$?
  local i
  for ((i = ${#CI_CLEANUP[@]} - 1; i >= 0; i--)); do
    eval "${CI_CLEANUP[$i]}" >/dev/null 2>&1 || true
  done
  return "$status"
}

# on_exit CMD: run CMD when the script exits (after the steps registered later).
on_exit() {
  CI_CLEANUP+=("$1")
}

start_workspace() {
  CI_TMP=$(mktemp -d /tmp/walletsupport-ci.XXXXXX)
  chmod 755 "$CI_TMP"
  export CI_TMP
  on_exit "rm -rf '$CI_TMP'"
  trap ci_cleanup EXIT
  trap 'exit 130' INT TERM
  if [ ! -e .venv ]; then on_exit "rm -rf '$PWD/.venv'"; fi
  mkdir -p "$CI_TMP/tmp"
  export TMPDIR="$CI_TMP/tmp"                        # pytest's tmp_path, mkdocs builds, ...
  export PIP_CACHE_DIR="$CI_TMP/pip-cache"
  export PYTHONPYCACHEPREFIX="$CI_TMP/pycache"       # no __pycache__ in the checkout
  export MYPY_CACHE_DIR="$CI_TMP/mypy-cache"
  export RUFF_CACHE_DIR="$CI_TMP/ruff-cache"
  export HYPOTHESIS_STORAGE_DIRECTORY="$CI_TMP/hypothesis"
  export PYTEST_ADDOPTS="${PYTEST_ADDOPTS:-} -o cache_dir=$CI_TMP/pytest-cache"
}

# apt_install PACKAGE COMMAND: install Debian's PACKAGE unless COMMAND is already there.
apt_install() {
  if command -v "$2" >/dev/null 2>&1; then return 0; fi
  if [ -z "${CI_APT_UPDATED:-}" ]; then apt-get update -qq; CI_APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >/dev/null
}
