#!/usr/bin/env bash
# Latency of omni's smallest commands next to starting a Python interpreter,
# in one run. Builds the release preset first.
set -euo pipefail
cd "$(dirname "$0")/.."
OMNI_PRESET=release scripts/bootstrap >/dev/null
omni="$PWD/build-release/omni"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
# The interpreter itself, not a pyenv shim script in front of it.
python="$(python3 -c 'import sys; print(sys.executable)')"
export OMNI_HOME="$home"
"$omni" config set bench.seed 0
python3 bench/timing.py --runs "${RUNS:-50}" \
    "omni --version=$omni --version" \
    "omni config set (a new value each run)=$omni config set bench.key {i}" \
    "omni config get bench.key=$omni config get bench.key" \
    "python3 -c pass ($("$python" -V 2>&1))=$python -c pass" \
    "python3 -S -c pass=$python -S -c pass"
