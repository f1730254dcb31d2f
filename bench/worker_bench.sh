#!/usr/bin/env bash
# omni_loader workers: warm round trips and cold starts, next to a plain
# subprocess.run of the same work. Needs CPython 3.11 and 3.9 under
# ~/.pyenv and a C compiler (the ext-demo wheels are compiled here).
set -euo pipefail
source "$(dirname "$0")/common.sh"
python39="$(ls -d "$HOME"/.pyenv/versions/3.9.*/bin/python3.9 | head -1)"
export OMNI_HOME="$work/home"
"$omni" swap python 3.11 >/dev/null
for py in "$python" "$python39"; do
    for v in 1.0 2.0; do
        "$py" tests/fixtures/make_ext_wheel.py --name ext-demo --version "$v" --out "$work/wheels" >/dev/null
    done
done
for v in 3.11 3.9; do
    "$omni" --no-index --find-links "$work/wheels" --python "$v" bubble ensure ext-demo==1.0 >/dev/null
done
echo "| what | median ms | min ms | max ms | runs |"
echo "|---|---:|---:|---:|---:|"
"$OMNI_HOME/bin/python" bench/worker_bench.py
