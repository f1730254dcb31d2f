#!/usr/bin/env bash
# Downloads + verifies N fixture wheels from the loopback index: omni (the
# library, through build/bench/omni_download_bench) against
# `pip download --no-deps` of the same set, in the same run, cold caches.
# Writes the table under "## Downloads" in docs/BENCHMARKS.md.
# Usage: bench/download_bench.sh [COUNT=50] [PADDING_BYTES=200000]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
count="${1:-50}"
padding="${2:-200000}"
py="${OMNI_FIXTURE_PYTHON:-$HOME/.pyenv/versions/3.11.7/bin/python}"
bench="$root/build/bench/omni_download_bench"
[[ -x "$py" ]] || { echo "missing $py" >&2; exit 1; }
[[ -x "$bench" ]] || { echo "build first: cmake --build --preset dev" >&2; exit 1; }

work="$(mktemp -d)"
server_pid=""
trap '[[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
"$py" "$root/tests/fixtures/make_index.py" --root "$work/index" --count "$count" \
    --padding "$padding" >/dev/null
"$py" "$root/tests/fixtures/index_server.py" --root "$work/index" --log "$work/requests.log" \
    --ignore-stdin --max-lifetime 900 > "$work/port" &
server_pid=$!
for _ in $(seq 50); do [[ -s "$work/port" ]] && break; sleep 0.1; done
url="http://127.0.0.1:$(head -1 "$work/port")/simple/"
names=()
for ((i = 0; i < count; i++)); do names+=("$(printf 'bench%03d' "$i")"); done
total_mb="$(du -sm "$work/index/files" | cut -f1)"

ms_now() { date +%s%3N; }
runs=3
omni_times=()
pip_times=()
for ((r = 0; r < runs; r++)); do
    rm -rf "$work/home" "$work/pipdest"
    omni_times+=("$("$bench" "$url" "$work/home" "$count")")
    t0="$(ms_now)"
    "$py" -m pip --disable-pip-version-check --no-input --isolated -q download --no-deps \
        --no-cache-dir --index-url "$url" --dest "$work/pipdest" "${names[@]}" 2>/dev/null
    pip_times+=("$(( $(ms_now) - t0 ))")
    [[ "$(ls "$work/pipdest" | wc -l)" -eq "$count" ]]
    [[ "$(find "$work/home/cache/wheels" -name '*.whl' | wc -l)" -eq "$count" ]]
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
omni_ms="$(median "${omni_times[@]}")"
pip_ms="$(median "${pip_times[@]}")"
pip_version="$("$py" -m pip --version | cut -d' ' -f2)"

table="$(cat <<TABLE
## Downloads

$count fixture wheels (~$((padding / 1000)) kB each, ${total_mb} MB in all) from the loopback
index (tests/fixtures/index_server.py), cold cache, every sha256 verified; median of $runs runs
on $(nproc) cores, $(date -u +%Y-%m-%d). Reproduce: \`bench/download_bench.sh $count $padding\`.

| tool | what it does | wall time |
|---|---|---|
| omni (IndexClient, 8 in flight) | $count JSON pages (cached) + $count wheels into cache/wheels | ${omni_ms} ms |
| pip $pip_version \`download --no-deps\` | $count pages + $count wheels into --dest | ${pip_ms} ms |

All runs (ms): omni ${omni_times[*]}; pip ${pip_times[*]}.
TABLE
)"
echo "$table"
doc="$root/docs/BENCHMARKS.md"
mkdir -p "$root/docs"
[[ -f "$doc" ]] || printf '# Benchmarks\n' > "$doc"
"$py" - "$doc" "$table" <<'PY'
import re, sys
path, table = sys.argv[1], sys.argv[2].rstrip() + "\n"
text = open(path).read()
pattern = re.compile(r"^## Downloads\n.*?(?=^## |\Z)", re.S | re.M)
if pattern.search(text):
    text = pattern.sub(lambda m: table + "\n", text)
else:
    text = text.rstrip() + "\n\n" + table
open(path, "w").write(text)
PY
