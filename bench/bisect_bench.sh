#!/usr/bin/env bash
# omni matrix --bisect next to running every version: 32 generated versions
# of one package, broken from 0.20 on, one interpreter (3.11) and two
# (3.11, 3.12); cells run and wall time, cold (empty OMNI_HOME) and warm.
source "$(dirname "$0")/common.sh"
spec='{"packages": ['
for i in $(seq 1 32); do
    name=feature; [ "$i" -ge 20 ] && name=features
    spec+="{\"name\": \"bench-bisect\", \"version\": \"0.$i\", \"files\": {\"bench_bisect/__init__.py\": \"__version__ = '0.$i'\\ndef $name():\\n    return 1\\n\"}}"
    [ "$i" -lt 32 ] && spec+=","
done
spec+=']}'
python3 tests/fixtures/make_index.py --root "$work/links" --flat --spec-json "$spec" >/dev/null
test_cmd='python -c "import bench_bisect as b; b.feature()"'

run() {  # label, home, extra args...
    local label=$1 home=$2; shift 2
    local t0; t0=$(date +%s.%N)
    local out
    out=$(OMNI_HOME="$work/$home" "$omni" --no-index -f "$work/links" matrix bench-bisect \
        --test "$test_cmd" -j 2 --json "$work/r.json" "$@" || true)
    local cells; cells=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['cells']))" "$work/r.json")
    local found; found=$(echo "$out" | grep -o 'first failing [0-9.]*' | sort -u | tr '\n' ' ')
    echo "| $label | $cells | $(ms_since "$t0") | ${found:-} |"
}

echo "| run | cells | ms | found |"
echo "|---|---:|---:|---|"
run "--bisect, 3.11, cold" a --bisect --python 3.11
run "--bisect, 3.11, warm" a --bisect --python 3.11
run "every version (--versions all), 3.11, cold" b --versions all --python 3.11
run "every version (--versions all), 3.11, warm" b --versions all --python 3.11
run "--bisect, 3.11 + 3.12, cold" c --bisect --python 3.11,3.12
run "every version, 3.11 + 3.12, cold" d --versions all --python 3.11,3.12
