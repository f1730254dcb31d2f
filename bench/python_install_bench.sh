#!/usr/bin/env bash
# Installing one interpreter from a python-build-standalone style mirror on
# 127.0.0.1, next to the same steps by hand (curl, sha256sum, tar -xzf) and
# to tar -xzf alone (the floor), on the same archive in the same run. The
# archive is packed from the pyenv CPython 3.12 by
# tests/fixtures/make_pbs_archive.py. Median of 5 runs, release build.
set -euo pipefail
source "$(dirname "$0")/common.sh"
prefix="$(ls -d "$HOME"/.pyenv/versions/3.12.* | head -1)"
version="$(basename "$prefix")"
fixture_python="$HOME/.pyenv/versions/3.11.7/bin/python3"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

arch="$(uname -m)"
tag=20990101
name="cpython-$version+$tag-$arch-unknown-linux-gnu-install_only.tar.gz"
mkdir -p "$work/mirror/$tag"
"$fixture_python" tests/fixtures/make_pbs_archive.py --prefix "$prefix" --out "$work/mirror/$tag/$name"
archive="$work/mirror/$tag/$name"
sha="$(sha256sum "$archive" | cut -d' ' -f1)"
size_mb="$(du -m "$archive" | cut -f1)"

"$fixture_python" tests/fixtures/index_server.py --root "$work/mirror" --log "$work/requests.log" \
    --ignore-stdin --max-lifetime 900 >"$work/port" </dev/null &
server_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port="$(head -1 "$work/port")"
url="http://127.0.0.1:$port/$tag/${name/+/%2B}"
cat >"$work/catalogue.json" <<EOF
{"schema_version": 1, "downloads": [{"implementation": "cpython", "version": "$version",
 "tag": "$tag", "arch": "$arch", "os": "linux", "libc": "gnu", "variant": "install_only",
 "filename": "$name", "url": "$url", "sha256": "$sha"}]}
EOF
export OMNI_PYTHON_CATALOGUE="$work/catalogue.json"

# A home whose registry already knows this machine's interpreters, copied
# for each run, so that only the install (and registering the new one) counts.
OMNI_HOME="$work/warm" "$omni" python list >/dev/null


omni_t=(); hand=(); floor=()
for run in 1 2 3 4 5; do
    home="$work/home-$run"; cp -a "$work/warm" "$home"
    t=$(date +%s.%N); OMNI_HOME="$home" "$omni" -q python install "$version" >/dev/null; omni_t+=("$(ms_since "$t")")
    "$home/interpreters/cpython-$version-linux-$arch-gnu/bin/python3" -c pass

    mkdir "$work/hand-$run"
    t=$(date +%s.%N)
    curl -sf "$url" -o "$work/hand-$run.tar.gz"
    echo "$sha  $work/hand-$run.tar.gz" | sha256sum -c --quiet -
    tar -xzf "$work/hand-$run.tar.gz" -C "$work/hand-$run"
    hand+=("$(ms_since "$t")")

    mkdir "$work/tar-$run"
    t=$(date +%s.%N); tar -xzf "$archive" -C "$work/tar-$run"; floor+=("$(ms_since "$t")")
    rm -rf "$work/hand-$run" "$work/hand-$run.tar.gz" "$work/tar-$run" "$home"
done
o=$(printf '%s\n' "${omni_t[@]}" | median); h=$(printf '%s\n' "${hand[@]}" | median)
f=$(printf '%s\n' "${floor[@]}" | median)
echo "CPython $version packed as install_only ($size_mb MB .tar.gz, $(tar -tzf "$archive" | wc -l) members), loopback mirror, median of 5:"
echo "| install | median ms | vs tar -xzf |"
echo "|---|---:|---:|"
for row in "omni python install (download, sha256, safe extract, run check, publish, register):$o" \
           "curl + sha256sum -c + tar -xzf, by hand:$h" "tar -xzf of the local archive (floor):$f"; do
    label="${row%%:*}"; v="${row##*:}"
    python3 -c "import sys; v,f=map(float,sys.argv[2:]); print('| %s | %.1f | %.2fx |' % (sys.argv[1], v, v/f))" "$label" "$v" "$f"
done
