#!/usr/bin/env bash
# A real-sized closure installed into an empty main env, with the env's lock
# and journal in place, next to the physical floor measured the same way:
# omni with a warm cache (every wheel unpacked before), omni with a cold
# cache, pip install --target, and cp -al of the tree omni installed. Every
# timing starts after a `sync`, in the same run; median of 7.
#
# usage: bench/install_closure_bench.sh FIND_LINKS_DIR REQUIREMENT...
#   e.g. bench/install_closure_bench.sh /path/to/wheels rich pytest
# The directory holds the closure's wheels (built from the projects' own
# release tags, or downloaded); nothing is fetched.
set -euo pipefail
source "$(dirname "$0")/common.sh"
links="$(realpath "$1")"
shift
[ $# -gt 0 ] || { echo "usage: $0 FIND_LINKS_DIR REQUIREMENT..." >&2; exit 2; }

fresh_env() {  # a home whose main env exists and is empty (no pip: the floor copies what omni installed)
    OMNI_HOME="$1" "$omni" config set env.pip false >/dev/null
    OMNI_HOME="$1" "$omni" swap python 3.11 >/dev/null
}
install() {
    OMNI_HOME="$1" "$omni" -q --no-index -f "$links" install "${@:2}" >/dev/null
}

cold=(); warm=(); pipt=(); floor=()
for run in 1 2 3 4 5 6 7; do
    home="$work/home-$run"; fresh_env "$home"
    sync; t=$(date +%s.%N); install "$home" "$@"; cold+=("$(ms_since "$t")")
    site="$home/envs/cpython-3.11/lib/python3.11/site-packages"
    files=$(find "$site" -type f | wc -l)
    rm -rf "$home/envs"; fresh_env "$home"
    sync; t=$(date +%s.%N); install "$home" "$@"; warm+=("$(ms_since "$t")")
    sync; t=$(date +%s.%N); cp -al "$site" "$work/floor-$run"; floor+=("$(ms_since "$t")")
    sync; t=$(date +%s.%N)
    PIP_CONFIG_FILE=/dev/null "$python" -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-index --no-compile \
        --find-links "$links" --target "$work/pip-$run" "$@" >/dev/null
    pipt+=("$(ms_since "$t")")
done
dists=$(ls -d "$site"/*.dist-info | wc -l)
c=$(printf '%s\n' "${cold[@]}" | median); w=$(printf '%s\n' "${warm[@]}" | median)
p=$(printf '%s\n' "${pipt[@]}" | median); f=$(printf '%s\n' "${floor[@]}" | median)
echo "$* and their dependencies: $dists distributions, $files files; Python 3.11, median of 7:"
echo "| install | median ms | vs floor | vs pip |"
echo "|---|---:|---:|---:|"
for row in "omni, warm cache:$w" "omni, cold cache:$c" "pip install --target:$p" "cp -al of the installed tree (floor):$f"; do
    label="${row%%:*}"; v="${row##*:}"
    python3 -c "import sys; v,f,p=map(float,sys.argv[2:]); print('| %s | %.1f | %.1fx | %.1fx faster |' % (sys.argv[1], v, v/f, p/v))" "$label" "$v" "$f" "$p"
done
