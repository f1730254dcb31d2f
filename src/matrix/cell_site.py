# omni matrix: the sitecustomize of every Python process a matrix cell starts.
#
# 1. The tested package's top-level modules are imported from the cell's
#    bubble and nowhere else, whatever sys.path holds: the checkout in the
#    current directory, a directory pytest inserted, an editable install of
#    the project in the main env. Everything else imports as usual.
# 2. pytest (8.3+, importlib mode) imports a test's parent package from its
#    file -- for tests inside the tested package (colorama/tests), the
#    checkout's copy -- unless sys.modules has it already. PYTEST_PLUGINS
#    names the module `omni_cell_pytest`, made here, whose pytest_configure
#    imports the tested package (from the bubble) before pytest collects.
# 3. At exit, each process that imported the package appends one line of
#    evidence to $OMNI_CELL_EVIDENCE: the version the package's metadata
#    reports and the file the module came from. omni compares it with the
#    cell's version and bubble.
#
# Standard library only; Python 2.7 and 3.6+. The interpreter's own
# sitecustomize, if it has one, still runs afterwards.
import os
import sys

_MODULES = [m for m in os.environ.get("OMNI_CELL_MODULES", "").split(",") if m]
_BUBBLE = os.environ.get("OMNI_CELL_BUBBLE", "")
_DISTRIBUTION = os.environ.get("OMNI_CELL_DISTRIBUTION", "")
_EVIDENCE = os.environ.get("OMNI_CELL_EVIDENCE", "")
_HERE = os.path.dirname(os.path.abspath(__file__))

if sys.version_info[0] >= 3:
    import importlib.machinery

    class _CellFinder(object):
        # A top-level name comes from the bubble whatever path it is asked
        # for: the import system passes none, but pytest 8.1+ (importlib
        # mode) asks every finder for a test module's parent package with
        # the checkout's directories as the path, and would otherwise load
        # the checkout's copy of the package.
        def find_spec(self, fullname, path=None, target=None):
            if fullname in _MODULES:
                return importlib.machinery.PathFinder.find_spec(fullname, [_BUBBLE])
            return None

else:
    import imp

    class _CellLoader(object):
        def __init__(self, found):
            self.found = found

        def load_module(self, fullname):
            if fullname in sys.modules:
                return sys.modules[fullname]
            handle, pathname, description = self.found
            try:
                return imp.load_module(fullname, handle, pathname, description)
            finally:
                if handle:
                    handle.close()

    class _CellFinder(object):
        def find_module(self, fullname, path=None):
            if fullname in _MODULES:
                try:
                    return _CellLoader(imp.find_module(fullname, [_BUBBLE]))
                except ImportError:
                    return None
            return None


def _normalize(name):
    out, dash = [], False
    for c in name.lower():
        if c in "-_.":
            dash = True
            continue
        if dash and out:
            out.append("-")
        dash = False
        out.append(c)
    return "".join(out)


def _dist_info_version():
    # What importlib.metadata does, for interpreters without it: the first
    # .dist-info (or .egg-info) of the distribution on sys.path.
    wanted = _normalize(_DISTRIBUTION)
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:
            continue
        for name in names:
            stem, dot, suffix = name.rpartition(".")
            if suffix not in ("dist-info", "egg-info") or _normalize(stem.split("-")[0]) != wanted:
                continue
            for meta in ("METADATA", "PKG-INFO"):
                try:
                    with open(os.path.join(entry or ".", name, meta)) as handle:
                        for line in handle:
                            if line.startswith("Version:"):
                                return line[len("Version:"):].strip()
                            if not line.strip():
                                break
                except (IOError, OSError):
                    continue
    return ""


def _metadata_version():
    try:
        import importlib.metadata as metadata

        via = "importlib.metadata"
    except ImportError:
        try:
            import importlib_metadata as metadata

            via = "importlib_metadata"
        except ImportError:
            return _dist_info_version(), "dist-info"
    try:
        return metadata.version(_DISTRIBUTION) or "", via
    except Exception:
        return "", via


def _module_file(module):
    path = getattr(module, "__file__", None)
    if path:
        return os.path.abspath(path)
    for entry in getattr(module, "__path__", None) or []:
        return os.path.abspath(entry)
    return ""


def _record():
    if not _EVIDENCE:
        return
    import json

    lines = []
    for name in _MODULES:
        module = sys.modules.get(name)
        if module is None:
            continue
        version, via = _metadata_version()
        lines.append(
            json.dumps(
                {
                    "pid": os.getpid(),
                    "module": name,
                    "file": _module_file(module),
                    "version": version,
                    "via": via,
                    "python": "%d.%d" % sys.version_info[:2],
                }
            )
        )
    if not lines:
        return
    data = ("\n".join(lines) + "\n").encode("utf-8")
    try:
        fd = os.open(_EVIDENCE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
    except OSError:
        pass


def _chain():
    # The interpreter's own sitecustomize (Debian's, a user's) runs too.
    ours = sys.modules.pop("sitecustomize", None)
    saved = list(sys.path)
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]
    try:
        __import__("sitecustomize")
    except ImportError:
        if ours is not None:
            sys.modules["sitecustomize"] = ours
    except Exception:
        sys.path[:] = saved
        raise


def _pytest_plugin():
    # A module in sys.modules, not a file: the hook's directory is taken off
    # sys.path (see _chain), and pytest imports plugins by name.
    import types

    # PYTEST_DONT_REWRITE: pytest would warn that it cannot rewrite the
    # asserts of a module it finds imported already (it has none).
    plugin = types.ModuleType("omni_cell_pytest", "omni matrix cell hook. PYTEST_DONT_REWRITE")

    def pytest_configure(config):
        for name in _MODULES:
            try:
                __import__(name)
            except Exception:
                pass  # the test's own import of it reports the failure in full

    plugin.pytest_configure = pytest_configure
    sys.modules["omni_cell_pytest"] = plugin


if _MODULES and _BUBBLE:
    sys.meta_path.insert(0, _CellFinder())
    _pytest_plugin()
    import atexit

    atexit.register(_record)
_chain()
