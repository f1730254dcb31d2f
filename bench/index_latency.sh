#!/usr/bin/env bash
# Resolution against a slow index: a loopback index (tests/fixtures/
# index_server.py) that waits DELAY_MS (default 50) before every answer,
# serving a layered graph of 64 packages in 5 levels (each package of a
# level depends on three of the next, PEP 658 .metadata files announced).
# Resolving it needs at least one page and one METADATA request per level,
# one after the other: the critical path is levels x 2 x DELAY_MS. omni's
# `install --dry-run` (cold cache every run) is timed next to that floor and
# next to pip's `install --dry-run --report` on the same index. Release build.
set -euo pipefail
source "$(dirname "$0")/common.sh"
delay="${DELAY_MS:-50}"
runs="${RUNS:-5}"
python3 - "$work/spec.json" <<'PY'
import json, random, sys
random.seed(5)
widths = [1, 3, 9, 21, 30]          # 64 packages, 5 levels
levels = [["l%dp%d" % (l, i) for i in range(w)] for l, w in enumerate(widths)]
spec = []
for l, names in enumerate(levels):
    for name in names:
        for version in ("1.0", "2.0"):
            requires = []
            if l + 1 < len(levels):
                for dep in random.sample(levels[l + 1], 3):
                    requires.append("%s>=1.0" % dep)
            spec.append({"name": name, "version": version, "requires": sorted(requires)})
json.dump({"packages": spec}, open(sys.argv[1], "w"))
PY
python3 tests/fixtures/make_index.py --root "$work/index" --spec "$work/spec.json" --metadata-files >/dev/null
coproc SERVER { exec python3 tests/fixtures/index_server.py --root "$work/index" --log "$work/requests.log" --delay-ms "$delay"; }
read -r port <&"${SERVER[0]}"
url="http://127.0.0.1:$port/simple/"
export OMNI_HOME="$work/home"
"$omni" swap python 3.11 >/dev/null
omni_runs=()
for i in $(seq 0 "$runs"); do
    rm -rf "$OMNI_HOME/cache"
    start=$(date +%s.%N)
    "$omni" --index-url "$url" install --dry-run l0p0 > "$work/omni.txt" 2>/dev/null
    ms=$(ms_since "$start")
    [ "$i" -gt 0 ] && omni_runs+=("$ms")  # the first run warms the interpreter registry
done
packages=$(grep -c '^  ' "$work/omni.txt")
requests=$(wc -l < "$work/requests.log")
start=$(date +%s.%N)
"$python" -m pip install --dry-run --ignore-installed --disable-pip-version-check --no-cache-dir \
    --index-url "$url" --report "$work/pip.json" -q l0p0
pip_ms=$(ms_since "$start")
pip_packages=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['install']))" "$work/pip.json")
floor=$((5 * 2 * delay))
omni_ms=$(printf '%s\n' "${omni_runs[@]}" | median)
echo "graph: 64 packages in 5 levels, $delay ms per request; omni resolved $packages, pip $pip_packages"
echo "omni: $(( requests / (runs + 1) )) requests per cold resolution"
echo
echo "| what | ms |"
echo "|---|---:|"
echo "| critical path (5 levels x (page + METADATA) x $delay ms) | $floor |"
echo "| omni install --dry-run, cold cache (median of $runs) | $omni_ms |"
echo "| pip install --dry-run --report (one run) | $pip_ms |"
python3 -c "import sys; o,f,p=map(float,sys.argv[1:]); print('\nomni / critical path: %.2fx; pip / omni: %.1fx' % (o/f, p/o))" "$omni_ms" "$floor" "$pip_ms"
exec {SERVER[1]}>&-
