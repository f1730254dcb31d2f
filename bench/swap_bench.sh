#!/usr/bin/env bash
# Warm latency of `omni swap python X` next to `pyenv global X`, in one run.
# Usage: bench/swap_bench.sh [path/to/omni] [runs]
# Prints a markdown table (docs/BENCHMARKS.md, "## Interpreter swap").
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
omni=${1:-}
if [[ -z "$omni" ]]; then
  for candidate in "$here/build-release/omni" "$here/build/omni"; do
    [[ -x "$candidate" ]] && { omni=$candidate; break; }
  done
fi
[[ -x "$omni" ]] || { echo "omni binary not found; build it or pass its path" >&2; exit 2; }
runs=${2:-20}
pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
a=3.9 b=3.10

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now_ns() { date +%s%N; }

# median of the numbers on stdin, in ms with 1 decimal
median() { sort -n | awk '{v[NR]=$1} END {m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%.1f", m/1e6}'; }

# time_cmd RUNS CMD... : runs CMD alternating X between $a and $b (X is the last arg)
time_alternating() {
  local runs=$1; shift
  for ((i = 0; i < runs; i++)); do
    local v=$a; ((i % 2)) && v=$b
    local t0; t0=$(now_ns)
    "$@" "$v" >/dev/null 2>&1
    local t1; t1=$(now_ns)
    echo $((t1 - t0))
  done | median
}
time_same() {
  local runs=$1; shift
  for ((i = 0; i < runs; i++)); do
    local t0; t0=$(now_ns)
    "$@" >/dev/null 2>&1
    local t1; t1=$(now_ns)
    echo $((t1 - t0))
  done | median
}

omni_home=$work/omni-home
export PYENV_ROOT=$pyenv_root
cold_t0=$(now_ns)
OMNI_HOME=$omni_home "$omni" swap python $a >/dev/null
cold_t1=$(now_ns)
OMNI_HOME=$omni_home "$omni" swap python $b >/dev/null   # second main env
omni_swap=$(OMNI_HOME=$omni_home time_alternating "$runs" "$omni" swap python)
omni_same=$(OMNI_HOME=$omni_home time_same "$runs" "$omni" swap python $b)
omni_version=$(OMNI_HOME=$omni_home time_same "$runs" "$omni" --version)
cold=$(awk -v d=$((cold_t1 - cold_t0)) 'BEGIN {printf "%.1f", d/1e6}')

tmpfs_row=""
if [[ -d /dev/shm && -w /dev/shm ]]; then
  shm=$(mktemp -d /dev/shm/omni-bench.XXXXXX)
  OMNI_HOME=$shm "$omni" swap python $a >/dev/null
  OMNI_HOME=$shm "$omni" swap python $b >/dev/null
  omni_shm=$(OMNI_HOME=$shm time_alternating "$runs" "$omni" swap python)
  rm -rf "$shm"
  tmpfs_row="| \`omni swap python 3.9\` ⇄ \`3.10\`, OMNI_HOME on tmpfs (no fsync cost) | $omni_shm |"
fi

pyenv_bin=$(command -v pyenv || true)
[[ -z "$pyenv_bin" && -x "$pyenv_root/bin/pyenv" ]] && pyenv_bin=$pyenv_root/bin/pyenv
if [[ -n "$pyenv_bin" ]]; then
  # A scratch PYENV_ROOT sharing the versions, so the user's global is untouched.
  mkdir -p "$work/pyenv"
  ln -s "$pyenv_root/versions" "$work/pyenv/versions"
  full_a=$(ls "$pyenv_root/versions" | grep "^$a\." | sort -V | tail -1)
  full_b=$(ls "$pyenv_root/versions" | grep "^$b\." | sort -V | tail -1)
  pyenv_alt() { PYENV_ROOT=$work/pyenv "$pyenv_bin" global "$([[ $1 == $a ]] && echo "$full_a" || echo "$full_b")"; }
  pyenv_time=$(time_alternating "$runs" pyenv_alt)
  pyenv_row="| \`pyenv global 3.9.x\` ⇄ \`3.10.x\` ($("$pyenv_bin" --version 2>/dev/null)) | $pyenv_time |"
else
  pyenv_row="| \`pyenv global\` | pyenv is not installed here: not measured |"
fi

cat <<TABLE
Measured $(date -u +%Y-%m-%d) on $(uname -m), $(nproc) cores, $(df -T "$work" | awk 'NR==2 {print $2}') file system;
median of $runs runs, warm registry (interpreters queried once before).

| command | median ms |
|---|---|
| \`omni swap python 3.9\` ⇄ \`3.10\` (real swap: config + shims, fsync'd) | $omni_swap |
| \`omni swap python 3.10\` again (already active: nothing written) | $omni_same |
$tmpfs_row
| \`omni --version\` (process start floor) | $omni_version |
$pyenv_row
| omnipkg \`swap python\` (published figure) | 144–492 |
| \`omni swap python 3.9\` cold (first run: query all interpreters, create env) | $cold |
TABLE
