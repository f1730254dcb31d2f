#!/usr/bin/env bash
# omni matrix next to what a tox-style loop does (a venv per cell, pip
# install from the same find-links directory, the same test command), in one
# run: 16 versions x 1 interpreter and 8 versions x 3 interpreters, cold and
# warm cache, -j 1 and -j 2. Release build.
set -euo pipefail
cd "$(dirname "$0")/.."
omni="${OMNI:-$PWD/build-release/omni}"
[ -x "$omni" ] || { echo "build the release preset first: cmake --preset release && cmake --build --preset release" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
spec='{"packages": ['
for i in $(seq 1 16); do spec+="{\"name\": \"bench-colors\", \"version\": \"0.$i\"}"; [ "$i" -lt 16 ] && spec+=","; done
spec+=']}'
python3 tests/fixtures/make_index.py --root "$work/links" --flat --spec-json "$spec" >/dev/null
test_cmd='python -c "import bench_colors; print(bench_colors.__version__)"'

now() { date +%s.%N; }
elapsed() { python3 -c "print('%.2f' % ($2 - $1))"; }

run_omni() {  # label, fresh-home?, jobs, pythons, versions
    local home="$work/home-$6"
    [ "$2" = cold ] && rm -rf "$home"
    local t0; t0=$(now)
    OMNI_HOME="$home" "$omni" --no-index -f "$work/links" matrix bench-colors --python "$4" --versions "$5" \
        --test "$test_cmd" -j "$3" >/dev/null
    echo "| $1 | $(elapsed "$t0" "$(now)") |"
}

loop() {  # label, pythons (space separated), versions
    local t0; t0=$(now)
    for py in $2; do
        for v in $3; do
            rm -rf "$work/venv"
            "$HOME/.pyenv/versions/$py"/bin/python -m venv "$work/venv"
            "$work/venv/bin/pip" install -q --disable-pip-version-check --no-index --find-links "$work/links" "bench-colors==$v"
            (cd "$work" && "$work/venv/bin/python" -c "import bench_colors; print(bench_colors.__version__)" >/dev/null)
        done
    done
    echo "| $1 | $(elapsed "$t0" "$(now)") |"
}

all16=$(seq -f "0.%g" 16 -1 1 | tr '\n' ' ')
last8=$(seq -f "0.%g" 16 -1 9 | tr '\n' ' ')
pys="3.9.18 3.10.13 3.11.7"
echo "| run | seconds |"
echo "|---|---:|"
run_omni "omni 16 versions x 3.11, cold, -j 1" cold 1 3.11 all a
run_omni "omni 16 versions x 3.11, warm, -j 1" warm 1 3.11 all a
rm -rf "$work/home-b"
run_omni "omni 16 versions x 3.11, cold, -j 2" cold 2 3.11 all b
run_omni "omni 16 versions x 3.11, warm, -j 2" warm 2 3.11 all b
loop "venv + pip install + test, 16 versions x 3.11, sequential" "3.11.7" "$all16"
run_omni "omni 8 versions x 3 interpreters, cold, -j 2" cold 2 3.9,3.10,3.11 last:8 c
run_omni "omni 8 versions x 3 interpreters, warm, -j 2" warm 2 3.9,3.10,3.11 last:8 c
loop "venv + pip install + test, 8 versions x 3 interpreters, sequential" "$pys" "$last8"
