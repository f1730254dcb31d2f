#!/usr/bin/env bash
# omni's resolver next to pip's on the same generated graph, read from the
# same find-links directory of real wheels, in one run: 60 packages x 6
# versions, each version depending on up to three later packages with random
# ranges (fixed seed). Both only resolve (--dry-run). Release build.
set -euo pipefail
source "$(dirname "$0")/common.sh"
python3 - "$work/spec.json" <<'PY'
import json, random, sys
random.seed(11)
packages, versions = 60, 6
spec = []
for p in range(packages):
    for v in range(1, versions + 1):
        requires = []
        for _ in range(3):
            if p + 1 >= packages:
                break
            q = random.randint(p + 1, min(packages - 1, p + 8))
            lo = random.randint(1, versions // 2)
            requires.append("g%d>=%d.0,<%d.0" % (q, lo, lo + random.randint(2, 5)))
        spec.append({"name": "g%d" % p, "version": "%d.0" % v, "requires": sorted(set(requires))})
json.dump({"packages": spec}, open(sys.argv[1], "w"))
PY
python3 tests/fixtures/make_index.py --root "$work/links" --flat --spec "$work/spec.json" >/dev/null
export OMNI_HOME="$work/home"
"$omni" swap python 3.11 >/dev/null
"$omni" --no-index -f "$work/links" install --dry-run g0 > "$work/omni.txt"
"$python" -m pip install --dry-run --ignore-installed --disable-pip-version-check --no-index --find-links "$work/links" \
    --report "$work/pip.json" -q g0
# Both must agree on the set of (name, version).
# Resolvers may pick different, equally valid sets: check each against every
# dependency of every version it picked.
python3 - "$work/omni.txt" "$work/pip.json" "$work/spec.json" <<'PY'
import json, re, sys
omni = dict(tuple(l.split()[:2]) for l in open(sys.argv[1]) if l.startswith("  "))
pip = {i["metadata"]["name"]: i["metadata"]["version"] for i in json.load(open(sys.argv[2]))["install"]}
deps = {(p["name"], p["version"]): p["requires"] for p in json.load(open(sys.argv[3]))["packages"]}
def valid(picked):
    for (name, version), requires in deps.items():
        if picked.get(name) != version:
            continue
        for r in requires:
            dep, lo, hi = re.match(r"(g\d+)>=(\d+)\.0,<(\d+)\.0", r).groups()
            v = float(picked.get(dep, "-1"))
            if not (int(lo) <= v < int(hi)):
                return False
    return True
newest = lambda picked: sum(1 for n, v in picked.items() if v == "6.0")
print("omni: %d packages, valid: %s, %d at their newest version" % (len(omni), valid(omni), newest(omni)))
print("pip:  %d packages, valid: %s, %d at their newest version" % (len(pip), valid(pip), newest(pip)))
print("same set: %s" % (omni == pip))
PY
python3 bench/timing.py --runs "${RUNS:-5}" --warmup 1 \
  "omni install --dry-run g0 (60 x 6 graph)=$omni --no-index -f $work/links install --dry-run g0" \
  "pip install --dry-run g0 (same graph)=$python -m pip install --dry-run --ignore-installed --disable-pip-version-check --no-index --find-links $work/links -q g0"
