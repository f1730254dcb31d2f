#!/bin/sh
# Runs differential.py with the given interpreter; a missing interpreter is a
# skip (exit 77), or a failure when CI=true.
python="$1"
shift
if [ ! -x "$python" ]; then
    if [ "$CI" = "true" ]; then
        echo "FAIL: interpreter $python is missing (CI=true)"
        exit 1
    fi
    echo "SKIP: interpreter $python is missing"
    exit 77
fi
PYTHONHASHSEED=0 exec "$python" "$(dirname "$0")/differential.py" "$@"
