"""omni_loader: use another version of a package inside a running script.

    import omni_loader
    with omni_loader.use("rich==13.4.2"):
        import rich          # rich 13.4.2, from its bubble
    import rich              # the main environment's rich again

Entering puts the bubbles' directories at the front of sys.path and removes
the packages they provide from sys.modules, so the next import loads the
bubble's copy; leaving undoes both and restores the modules that were
loaded before. Uses nest. A bubble that is missing is built by the omni
binary: $OMNI_BINARY, else the one that wrote this module, else the link
$OMNI_HOME/bin/.omni that every omni keeps, else omni on PATH, so that moving
or upgrading omni does not break an env. Works on Python 2.7 and 3.x.
"""
import json
import os
import re
import subprocess
import sys

try:
    from importlib import invalidate_caches as _invalidate_caches
except ImportError:  # Python 2
    def _invalidate_caches():
        pass

# Written by omni when it installed this module.
OMNI_BINARY = "@OMNI_BINARY@"
OMNI_HOME = "@OMNI_HOME@"

_PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([A-Za-z0-9.+!_-]+)\s*$")


def _normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _env_key():
    impl = getattr(sys, "implementation", None)
    name = impl.name if impl is not None else "cpython"
    key = "%s-%d.%d" % (name, sys.version_info[0], sys.version_info[1])
    try:
        import sysconfig
        if sysconfig.get_config_var("Py_GIL_DISABLED"):
            key += "t"
    except Exception:
        pass
    return key


def _home():
    return os.environ.get("OMNI_HOME") or OMNI_HOME


def _runnable(path):
    return bool(path) and os.path.isfile(path) and os.access(path, os.X_OK)


def omni_binary():
    """The omni executable to start, wherever it lives now."""
    named = os.environ.get("OMNI_BINARY")
    if named:
        return named
    for candidate in (OMNI_BINARY, os.path.join(_home(), "bin", ".omni")):
        if _runnable(candidate):
            return candidate
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        candidate = os.path.join(directory, "omni")
        if directory and os.path.isabs(directory) and _runnable(candidate):
            return candidate
    raise RuntimeError(
        "omni_loader: no omni binary: %s is gone, %s is not a link to one and there is "
        "no omni on PATH; set OMNI_BINARY or reinstall omni"
        % (OMNI_BINARY, os.path.join(_home(), "bin", ".omni")))


def bubble_path(requirement):
    """The directory of the bubble for `requirement`, built when missing."""
    pin = _PIN.match(requirement)
    if pin:
        # Fast path: an exact pin names its directory; no process is started.
        path = os.path.join(_home(), "bubbles", _env_key(),
                            "%s-%s" % (_normalize(pin.group(1)), pin.group(2)))
        if os.path.isfile(os.path.join(path, "bubble.json")):
            return path
    out = subprocess.check_output(
        [omni_binary(), "--python", sys.executable, "bubble", "ensure", requirement])
    return out.decode("utf-8").strip().splitlines()[-1]


def _import_names(path):
    with open(os.path.join(path, "bubble.json")) as f:
        info = json.load(f)
    names = set()
    for dist in info.get("distributions", []):
        names.update(dist.get("import_names", []))
    return names


def _owned(module_name, names):
    return module_name.split(".", 1)[0] in names


class use(object):
    """Context manager: the given requirements' bubbles are importable inside."""

    def __init__(self, *requirements):
        self.requirements = requirements
        self.paths = []
        self._names = set()
        self._saved_path = None
        self._saved_modules = {}

    def __enter__(self):
        self.paths = [bubble_path(r) for r in self.requirements]
        for path in self.paths:
            self._names.update(_import_names(path))
        self._saved_path = list(sys.path)
        for name in list(sys.modules):
            if _owned(name, self._names):
                self._saved_modules[name] = sys.modules.pop(name)
        sys.path[0:0] = self.paths
        _invalidate_caches()
        return self

    def __exit__(self, *exc):
        for name in list(sys.modules):
            if _owned(name, self._names):
                del sys.modules[name]
        sys.modules.update(self._saved_modules)
        sys.path[:] = self._saved_path
        _invalidate_caches()
        return False
