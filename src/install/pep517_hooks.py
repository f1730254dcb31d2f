"""Runs one PEP 517 / PEP 660 build backend hook for omni, in a child process.

Usage: python pep517_hooks.py HOOK SOURCE_DIR RESULT_FILE [OUT_DIR]
HOOK is get_requires_for_build_wheel, get_requires_for_build_editable,
build_wheel or build_editable. The hook's return value is written to
RESULT_FILE as JSON; build output goes to stdout/stderr (omni logs it).
The backend comes from OMNI_BUILD_BACKEND ("module:object") and
OMNI_BUILD_BACKEND_PATH (os.pathsep-separated, relative to SOURCE_DIR).
OMNI_BUILD_ENV, when set, is a build environment added with site.addsitedir
so that its .pth files work while the interpreter's own site-packages stay
out (the interpreter runs with -S).
"""
import importlib
import json
import os
import sys
import traceback


def load_backend(source_dir):
    spec = os.environ.get("OMNI_BUILD_BACKEND", "setuptools.build_meta:__legacy__")
    paths = [p for p in os.environ.get("OMNI_BUILD_BACKEND_PATH", "").split(os.pathsep) if p]
    for path in reversed(paths):
        sys.path.insert(0, os.path.abspath(os.path.join(source_dir, path)))
    module_name, _, attrs = spec.partition(":")
    backend = importlib.import_module(module_name)
    for attr in filter(None, attrs.split(".")):
        backend = getattr(backend, attr)
    if paths:
        origin = os.path.abspath(getattr(sys.modules[module_name], "__file__", "") or "")
        roots = [os.path.abspath(os.path.join(source_dir, p)) for p in paths]
        if not any(origin.startswith(r + os.sep) for r in roots):
            raise SystemExit("backend-path is set but %s was not loaded from it" % module_name)
    return backend


def main():
    hook, source_dir, result_file = sys.argv[1], sys.argv[2], sys.argv[3]
    out_dir = sys.argv[4] if len(sys.argv) > 4 else None
    build_env = os.environ.get("OMNI_BUILD_ENV")
    if build_env:
        import site
        site.addsitedir(build_env)
    os.chdir(source_dir)
    backend = load_backend(source_dir)
    function = getattr(backend, hook, None)
    if function is None:
        if hook.startswith("get_requires_for_"):
            result = []  # optional hooks (PEP 517): no extra requirements
        else:
            raise SystemExit("the backend has no %s hook" % hook)
    elif out_dir is not None:
        result = function(out_dir, {})
    else:
        result = function({})
    with open(result_file, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except BaseException:
        traceback.print_exc()
        sys.exit(1)
