#!/usr/bin/env bash
# `cmake --install` into a prefix puts the binary, completions and docs
# there, and the installed omni passes `omni demo 1` (on a scratch home: the
# OMNI_HOME given here must not change).
set -euo pipefail
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
for f in bin/omni share/bash-completion/completions/omni share/zsh/site-functions/_omni \
         share/fish/vendor_completions.d/omni.fish share/doc/omni/README.md \
         share/doc/omni/ARCHITECTURE.md share/doc/omni/commands/swap.md; do
    if [ ! -s "$tmp/prefix/$f" ]; then
        echo "cmake --install did not install $f" >&2
        exit 1
    fi
done
grep -q "complete" "$tmp/prefix/share/bash-completion/completions/omni"
found=0
for v in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.*; do [ -d "$v" ] && found=$((found + 1)); done
if [ "$found" -lt 3 ]; then
    echo "fewer than three Python 3 interpreters in ${PYENV_ROOT:-$HOME/.pyenv}/versions" >&2
    [ "${CI:-}" = true ] && exit 1
    exit 77
fi
export OMNI_HOME="$tmp/home"
unset OMNI_PYTHON VIRTUAL_ENV
mkdir -p "$OMNI_HOME"
listing() { (cd "$OMNI_HOME" && { find . -printf '%y %m %p %l\n'; find . -type f -exec sha256sum {} +; } | sort); }
before=$(listing)
cd "$tmp"
"$tmp/prefix/bin/omni" demo 1 | tee "$tmp/demo.out"
grep -q "^PASS omni demo 1" "$tmp/demo.out"
after=$(listing)
if [ "$before" != "$after" ]; then
    echo "omni demo 1 changed $OMNI_HOME" >&2
    diff <(echo "$before") <(echo "$after") >&2 || true
    exit 1
fi
echo "installed omni passed demo 1 and left $OMNI_HOME as it was"
