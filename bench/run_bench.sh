#!/usr/bin/env bash
# omni run next to python: the overhead on a script that needs nothing, the
# whole heal cycle from a warm cache next to the same fix by hand (a fresh
# venv, pip install of the needed version, run), and bubble activation in
# one process. One run, one machine, release build.
set -euo pipefail
source "$(dirname "$0")/common.sh"
export OMNI_HOME="$work/home"
python3 tests/fixtures/make_index.py --root "$work/links" --flat --spec-json \
  '{"packages": [{"name": "demo-lib", "version": "1.0"}, {"name": "demo-lib", "version": "2.0"}]}' >/dev/null
"$omni" swap python 3.11 >/dev/null
"$omni" config set index.find-links "[\"$work/links\"]"
"$omni" --no-index install demo-lib >/dev/null      # the main env has 2.0
env_python="$OMNI_HOME/envs/cpython-3.11/bin/python"

printf 'print("hello")\n' > "$work/plain.py"
printf 'import demo_lib\nassert demo_lib.__version__ == "1.0", demo_lib.__version__\n' > "$work/pin.py"
# Warm cache: the bubble and the wheels exist; a fresh copy of the script
# (new content hash) is healed from scratch every run.
"$omni" --no-index run "$work/pin.py" >/dev/null 2>&1
heal_cmd="sh -c 'cp $work/pin.py $work/pin-\$\$.py; echo \"# \$\$\" >> $work/pin-\$\$.py; $omni --no-index run $work/pin-\$\$.py'"
by_hand="sh -c 'rm -rf $work/venv && $python -m venv $work/venv && $work/venv/bin/pip install -q --disable-pip-version-check --no-index --find-links $work/links demo-lib==1.0 && $work/venv/bin/python $work/pin.py'"

python3 bench/timing.py --runs "${RUNS:-20}" \
  "python plain.py (main env python)=$env_python $work/plain.py" \
  "omni run plain.py=$omni --no-index run $work/plain.py" \
  "omni run pin.py: first run fails, heal, re-run (warm cache)=$heal_cmd" \
  "omni run pin.py: healed before (bubble active up front)=$omni --no-index run $work/pin.py" \
  "by hand: python -m venv, pip install demo-lib 1.0, run=$by_hand"

echo
echo "bubble activation inside one process (omni_loader.use, existing bubble, mean of 1000):"
"$env_python" - <<PY
import time, omni_loader
n = 1000
t = time.perf_counter()
for _ in range(n):
    with omni_loader.use("demo-lib==1.0"):
        import demo_lib
t = (time.perf_counter() - t) / n
print("| omni_loader.use enter + import + exit | %.3f ms |" % (t * 1000))
print("| omnipkg's published activation | 20.9 ms |")
PY
