#!/usr/bin/env bash
# Installing from source distributions, in one run: a setuptools sdist (whose
# build needs setuptools and wheel installed into a build env) plus an sdist
# with an in-tree backend, into a fresh env. omni cold (nothing built yet),
# omni cached (a fresh env, the built wheels cached), and pip install
# --no-index --find-links of the same sdists (pip builds every time: its
# wheel cache is off here, as it is keyed by URL and these are local files).
# Median of 5 runs each, release build.
set -euo pipefail
source "$(dirname "$0")/common.sh"
links="$work/links"
mkdir -p "$links"
cp "$HOME/.pyenv/versions/3.11.7/lib/python3.11/ensurepip/_bundled/setuptools-65.5.0-py3-none-any.whl" \
   /usr/share/python-wheels/wheel-0.38.4-py3-none-any.whl "$links/"
python3 tests/fixtures/make_sdist.py --kind setuptools --name bench-sd-alpha --version 1.0 \
    --requires "bench-sd-beta>=1" --out "$links" >/dev/null
python3 tests/fixtures/make_sdist.py --kind intree --name bench-sd-beta --version 1.0 --out "$links" >/dev/null


cold=(); cached=(); pipt=()
for run in 1 2 3 4 5; do
    home="$work/home-$run"
    OMNI_HOME="$home" "$omni" swap python 3.11 >/dev/null
    t=$(date +%s.%N); OMNI_HOME="$home" "$omni" --no-index -f "$links" install bench-sd-alpha >/dev/null; cold+=("$(ms_since "$t")")
    rm -rf "$home/envs"; OMNI_HOME="$home" "$omni" swap python 3.11 >/dev/null
    t=$(date +%s.%N); OMNI_HOME="$home" "$omni" --no-index -f "$links" install bench-sd-alpha >/dev/null; cached+=("$(ms_since "$t")")
    "$python" -m venv --without-pip "$work/venv-$run" >/dev/null
    t=$(date +%s.%N)
    "$python" -m pip --python "$work/venv-$run/bin/python" install -q --disable-pip-version-check \
        --no-cache-dir --no-index --find-links "$links" bench-sd-alpha
    pipt+=("$(ms_since "$t")")
done
c=$(printf '%s\n' "${cold[@]}" | median); w=$(printf '%s\n' "${cached[@]}" | median)
p=$(printf '%s\n' "${pipt[@]}" | median)
echo "2 sdists (setuptools backend + in-tree backend), Python 3.11, median of 5:"
echo "| install | median ms | vs pip |"
echo "|---|---:|---:|"
for row in "omni, cold (builds both):$c" "omni, cached builds, fresh env:$w" "pip install --no-index --find-links (builds both):$p"; do
    label="${row%%:*}"; v="${row##*:}"
    python3 -c "import sys; v,p=map(float,sys.argv[2:]); print('| %s | %.1f | %.1fx faster |' % (sys.argv[1], v, p/v))" "$label" "$v" "$p"
done
