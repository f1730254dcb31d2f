#!/usr/bin/env bash
# Installing the same wheels into a fresh target, in one run: omni with a
# cold cache, omni with a warm cache (wheels downloaded and unpacked
# before), pip install --target, and cp -al of the installed tree (the
# physical floor: hard links, no work). Median of 5 runs each, release build.
set -euo pipefail
source "$(dirname "$0")/common.sh"
links="$work/links"
python3 tests/fixtures/make_index.py --root "$links" --flat --count 20 --padding 50000 >/dev/null
cp "$HOME/.pyenv/versions/3.11.7/lib/python3.11/ensurepip/_bundled/"*.whl "$links/"
rm -f "$links/index.html"
names="pip setuptools $(seq -f 'bench%03g' 0 19 | tr '\n' ' ')"
count=$(ls "$links"/*.whl | wc -l)

fresh_env() {  # a home whose main env exists and is empty
    OMNI_HOME="$1" "$omni" swap python 3.11 >/dev/null
}

cold=(); warm=(); pipt=(); floor=()
for run in 1 2 3 4 5; do
    home="$work/cold-$run"; fresh_env "$home"
    t=$(date +%s.%N); OMNI_HOME="$home" "$omni" --no-index -f "$links" install $names >/dev/null; cold+=("$(ms_since "$t")")
    # Warm: the same home with its env removed and made again, cache kept.
    rm -rf "$home/envs"; fresh_env "$home"
    t=$(date +%s.%N); OMNI_HOME="$home" "$omni" --no-index -f "$links" install $names >/dev/null; warm+=("$(ms_since "$t")")
    site="$home/envs/cpython-3.11/lib/python3.11/site-packages"
    t=$(date +%s.%N); cp -al "$site" "$work/floor-$run"; floor+=("$(ms_since "$t")")
    t=$(date +%s.%N)
    "$python" -m pip install -q --disable-pip-version-check --no-deps --no-index --no-compile --find-links "$links" \
        --target "$work/pip-$run" $names
    pipt+=("$(ms_since "$t")")
done
c=$(printf '%s\n' "${cold[@]}" | median); w=$(printf '%s\n' "${warm[@]}" | median)
p=$(printf '%s\n' "${pipt[@]}" | median); f=$(printf '%s\n' "${floor[@]}" | median)
echo "$count wheels (pip, setuptools and 20 generated), Python 3.11, median of 5:"
echo "| install | median ms | vs floor | vs pip |"
echo "|---|---:|---:|---:|"
for row in "omni, cold cache:$c" "omni, warm cache:$w" "pip install --target:$p" "cp -al of the installed tree (floor):$f"; do
    label="${row%%:*}"; v="${row##*:}"
    python3 -c "import sys; v,f,p=map(float,sys.argv[2:]); print('| %s | %.1f | %.1fx | %.1fx faster |' % (sys.argv[1], v, v/f, p/v))" "$label" "$v" "$f" "$p"
done
