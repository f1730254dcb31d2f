# Sourced by the bench scripts that time the release omni against its peers:
# the binary, CPython 3.11 for the peers, a scratch directory removed on
# exit, and the timing helpers. Leaves the shell in the repository root.
cd "$(dirname "${BASH_SOURCE[1]}")/.."
omni="${OMNI:-$PWD/build-release/omni}"
[ -x "$omni" ] || { echo "build the release preset first: cmake --preset release && cmake --build --preset release" >&2; exit 1; }
python="$HOME/.pyenv/versions/3.11.7/bin/python3.11"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The median of the numbers on stdin, one a line.
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Milliseconds since a `date +%s.%N` stamp. The end is read first, by one
# `date` (about a millisecond), so that no interpreter's start-up is timed.
ms_since() {
    local end
    end=$(date +%s.%N)
    awk -v start="$1" -v end="$end" 'BEGIN { printf "%.1f\n", (end - start) * 1000 }'
}
