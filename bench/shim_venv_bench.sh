#!/usr/bin/env bash
# Two things pyenv and venv users do all day, next to those tools, in one
# run (release build, median of 21):
#  - start `python -c pass` through omni's shim, through pyenv's shim, and
#    the interpreter directly (the floor);
#  - make a venv: `omni venv` (no pip, and --seed with pip), next to
#    `python -m venv --without-pip` and `python -m venv`.
set -euo pipefail
source "$(dirname "$0")/common.sh"
pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
export OMNI_HOME="$work/home"
unset OMNI_PYTHON VIRTUAL_ENV PYENV_VERSION
"$omni" swap python 3.11 >/dev/null
omni_shim="$OMNI_HOME/bin/python"
pyenv_shim="$pyenv_root/shims/python"
[ -x "$omni_shim" ] || { echo "no omni shim at $omni_shim" >&2; exit 1; }
[ -x "$pyenv_shim" ] || { echo "no pyenv shim at $pyenv_shim (pyenv rehash)" >&2; exit 1; }
cd "$work"
# Both shims resolve 3.11 here: omni's global choice, and pyenv's.
PYENV_VERSION=3.11.7 "$pyenv_shim" -c 'import sys; assert sys.version_info[:2] == (3, 11)'
"$omni_shim" -c 'import sys; assert sys.version_info[:2] == (3, 11)'

timed_median() {  # RUNS CMD...: the median in ms of CMD's wall time
    local runs=$1; shift
    local t
    for ((i = 0; i < runs; i++)); do
        t=$(date +%s.%N); "$@" >/dev/null; ms_since "$t"
    done | median
}
# Each shim next to the interpreter it runs: omni's runs the main env's
# python (a venv), pyenv's the base interpreter (whose site-packages make
# its start slower).
env_python="$OMNI_HOME/envs/cpython-3.11/bin/python"
direct_env=$(timed_median 21 "$env_python" -c pass)
oshim=$(timed_median 21 "$omni_shim" -c pass)
direct=$(timed_median 21 "$python" -c pass)
pshim=$(PYENV_VERSION=3.11.7 timed_median 21 "$pyenv_shim" -c pass)
ovenv=$(timed_median 21 bash -c '"$0" venv --python 3.11 "$1-$RANDOM$RANDOM" >/dev/null' "$omni" "$work/ov")
oseed=$(timed_median 11 bash -c '"$0" venv --python 3.11 --seed "$1-$RANDOM$RANDOM" >/dev/null' "$omni" "$work/os")
pvenv_nopip=$(timed_median 11 bash -c '"$0" -m venv --without-pip "$1-$RANDOM$RANDOM"' "$python" "$work/pn")
pvenv=$(timed_median 5 bash -c '"$0" -m venv "$1-$RANDOM$RANDOM"' "$python" "$work/pv")
echo "| start python -c pass | median ms | shim's cost |"
echo "|---|---:|---:|"
for row in "the main env's python directly:$direct_env:$direct_env" "omni's shim (runs it):$oshim:$direct_env" \
           "pyenv's 3.11.7 directly:$direct:$direct" "pyenv's shim (runs it):$pshim:$direct"; do
    IFS=: read -r label v d <<<"$row"
    python3 -c "import sys; v,d=map(float,sys.argv[2:]); print('| %s | %.1f | +%.1f ms |' % (sys.argv[1], v, v-d))" "$label" "$v" "$d"
done
echo
echo "| make a venv | median ms | vs omni venv |"
echo "|---|---:|---:|"
for row in "omni venv:$ovenv" "omni venv --seed (pip):$oseed" "python -m venv --without-pip:$pvenv_nopip" "python -m venv (pip):$pvenv"; do
    python3 -c "import sys; v,o=map(float,sys.argv[2:]); print('| %s | %.1f | %.1fx |' % (sys.argv[1], v, v/o))" "${row%%:*}" "${row##*:}" "$ovenv"
done
