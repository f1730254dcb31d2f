"""omni_loader: use another version of a package inside a running script.

    import omni_loader
    with omni_loader.use("rich==13.4.2"):
        import rich          # rich 13.4.2, from its bubble
    import rich              # the main environment's rich again

Entering puts the bubbles' directories at the front of sys.path and removes
the packages they provide from sys.modules, so the next import loads the
bubble's copy; leaving undoes both and restores the modules that were
loaded before. Uses nest. A bubble that is missing is built by the omni
binary that installed this module. Works on Python 2.7 and 3.x.
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


def bubble_path(requirement):
    """The directory of the bubble for `requirement`, built when missing."""
    pin = _PIN.match(requirement)
    if pin:
        # Fast path: an exact pin names its directory; no process is started.
        path = os.path.join(_home(), "bubbles", _env_key(),
                            "%s-%s" % (_normalize(pin.group(1)), pin.group(2)))
        if os.path.isfile(os.path.join(path, "bubble.json")):
            return path
    binary = os.environ.get("OMNI_BINARY") or OMNI_BINARY
    out = subprocess.check_output(
        [binary, "--python", sys.executable, "bubble", "ensure", requirement])
    return out.decode("utf-8").strip().splitlines()[-1]


def _import_names(path, requirement):
    meta = os.path.join(path, "bubble.json")
    names = set()
    if os.path.isfile(meta):
        with open(meta) as f:
            info = json.load(f)
        for dist in info.get("distributions", []):
            names.update(dist.get("import_names", []))
        return names
    # The env's own site-packages (omni bubble ensure prints it when the env
    # holds the pinned version): the pinned distribution's top-level names.
    pin = _PIN.match(requirement)
    wanted = _normalize(pin.group(1)) if pin else None
    for entry in os.listdir(path):
        if entry.endswith(".dist-info") and _normalize(entry.split("-")[0]) == wanted:
            try:
                with open(os.path.join(path, entry, "top_level.txt")) as f:
                    names.update(line.strip() for line in f if line.strip())
            except (IOError, OSError):
                pass
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
        for path, requirement in zip(self.paths, self.requirements):
            self._names.update(_import_names(path, requirement))
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
