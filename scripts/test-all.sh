#!/usr/bin/env bash
# Runs every test of the project from a fresh clone: installs the system packages the tests use
# (when missing and running as root), then the Maven build, which installs the npm packages itself.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pkg in $(cat scripts/system-packages.txt 2>/dev/null | grep -v '^#' || true); do
  cmd="${pkg%%:*}"; name="${pkg##*:}"
  # /usr/sbin too: haproxy lives there, outside a non-root user's PATH.
  PATH="$PATH:/usr/sbin:/sbin" command -v "$cmd" >/dev/null 2>&1 || need+=("$name")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "missing system packages: ${need[*]} (install them with apt-get, or run as root)" >&2
    exit 1
  fi
fi

mvn -B -ntp verify "$@"

# Benchmark smoke run (a few seconds per workload): fails on a crash, never on a slow number.
bash benchmarks/run.sh --quick
