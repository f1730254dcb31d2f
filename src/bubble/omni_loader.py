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

A compiled extension module cannot be unloaded: once a distribution's
extension is loaded, use() refuses to switch that distribution to another
copy (MixedExtensionError, naming the module), and a plain import that would
load a second copy of an extension already loaded is refused the same way.
Such versions run in a worker process instead (see worker()).

Every bubble use() or worker() activates is held until this process ends,
so `omni bubble remove` and `omni bubble prune` leave it be.
"""
import errno
import json
import os
import re
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


def bubble_path(requirement, python=None, env_key=None):
    """The directory of the bubble for `requirement`, built when missing
    (for this interpreter, or for `python` whose env key is `env_key`)."""
    pin = _PIN.match(requirement)
    if pin:
        # Fast path: an exact pin names its directory; no process is started.
        path = os.path.join(_home(), "bubbles", env_key or _env_key(),
                            "%s-%s" % (_normalize(pin.group(1)), pin.group(2)))
        if os.path.isfile(os.path.join(path, "bubble.json")):
            return path
    import subprocess  # only here: a worker starts without it
    out = subprocess.check_output(
        [omni_binary(), "--python", python or sys.executable, "bubble", "ensure", requirement])
    return out.decode("utf-8").strip().splitlines()[-1]


# Bubbles this process uses, held until it ends: a shared flock on the lock
# file omni's BubbleStore::hold takes ($OMNI_HOME/locks/bubble-use-<env key>-
# <bubble directory>.lock), so `omni bubble remove` refuses them and `omni
# bubble prune` keeps them. Modules imported from a bubble stay loaded after
# use() is left, so the hold outlives the with-block. Path -> descriptor.
_holds = {}


def _hold(path):
    """Holds the bubble at `path` for the rest of this process; whether it is
    still there once held."""
    path = os.path.abspath(path)
    if path not in _holds:
        import fcntl
        env_dir = os.path.dirname(path)
        home = os.path.dirname(os.path.dirname(env_dir))
        locks = os.path.join(home, "locks")
        lock = os.path.join(locks, "bubble-use-%s-%s.lock"
                            % (os.path.basename(env_dir), os.path.basename(path)))
        try:
            if not os.path.isdir(locks):
                os.makedirs(locks)
        except OSError:
            pass  # made by another process meanwhile, or refused: open() says which
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            if e.errno in (errno.EACCES, errno.EROFS):
                # A home this process cannot write is one nobody here can
                # remove bubbles from either.
                _holds[path] = None
                return os.path.isfile(os.path.join(path, "bubble.json"))
            raise
        fcntl.fcntl(fd, fcntl.F_SETFD, fcntl.fcntl(fd, fcntl.F_GETFD) | fcntl.FD_CLOEXEC)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH)  # waits only while a remove decides
                break
            except (IOError, OSError) as e:  # Python 2 does not retry EINTR
                if e.errno != errno.EINTR:
                    os.close(fd)
                    raise
        _holds[path] = fd
    return os.path.isfile(os.path.join(path, "bubble.json"))


def _held_bubble_path(requirement, python=None, env_key=None):
    """bubble_path(), the bubble held for the rest of this process (the env's
    own site-packages, for a pin it holds, needs no hold)."""
    for _ in range(3):
        path = bubble_path(requirement, python, env_key)
        if not os.path.isfile(os.path.join(path, "bubble.json")) or _hold(path):
            return path
        # Removed between finding and holding it: bubble_path builds it again.
    raise RuntimeError("omni_loader: the bubble of %s was removed each time it was about to "
                       "be used" % requirement)


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


def _extension_suffixes():
    try:
        from importlib.machinery import EXTENSION_SUFFIXES
        return tuple(EXTENSION_SUFFIXES) + (".pyd",)
    except ImportError:  # Python 2
        import imp
        return tuple(s for s, _, kind in imp.get_suffixes()
                     if kind == imp.C_EXTENSION) + (".pyd",)


_EXTENSION_SUFFIXES = _extension_suffixes()

# Every extension module of a switched package seen loaded in this process:
# module name -> real path of its file. They stay loaded for good.
_loaded_extensions = {}


class MixedExtensionError(ImportError):
    """Raised instead of loading a second copy of a compiled extension module."""


def _extension_file(module):
    path = getattr(module, "__file__", None)
    if path and path.endswith(_EXTENSION_SUFFIXES):
        return os.path.realpath(path)
    return None


def _note_loaded_extensions(names):
    for name, module in list(sys.modules.items()):
        if module is not None and _owned(name, names):
            path = _extension_file(module)
            if path:
                _loaded_extensions.setdefault(name, path)


def _module_of(relative):
    """The module name of an extension file inside site-packages, or None."""
    for suffix in sorted(_EXTENSION_SUFFIXES, key=len, reverse=True):
        if relative.endswith(suffix):
            parts = relative[:-len(suffix)].split("/")
            if all(re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", p) for p in parts):
                return ".".join(parts)
    return None


def _bubble_extensions(path):
    """The extension modules a bubble provides: module name -> real file path.

    Read from each distribution's RECORD; a distribution without one has its
    package directories walked."""
    found = {}
    with open(os.path.join(path, "bubble.json")) as f:
        info = json.load(f)
    recorded = False
    for entry in os.listdir(path):
        record = os.path.join(path, entry, "RECORD")
        if not entry.endswith(".dist-info") or not os.path.isfile(record):
            continue
        recorded = True
        with open(record) as f:
            for line in f:
                relative = line.split(",", 1)[0].strip()
                if relative.startswith("/") or ".." in relative.split("/"):
                    continue
                module = _module_of(relative)
                if module:
                    found[module] = os.path.realpath(os.path.join(path, relative))
    if not recorded:
        for dist in info.get("distributions", []):
            for top in dist.get("import_names", []):
                for root, _, files in os.walk(os.path.join(path, top)):
                    for name in files:
                        relative = os.path.relpath(os.path.join(root, name), path)
                        module = _module_of(relative.replace(os.sep, "/"))
                        if module:
                            found[module] = os.path.realpath(os.path.join(root, name))
    return found


def _distribution_of(module_name, paths):
    top = module_name.split(".", 1)[0]
    for path in paths:
        with open(os.path.join(path, "bubble.json")) as f:
            info = json.load(f)
        for dist in info.get("distributions", []):
            if top in dist.get("import_names", []):
                return dist.get("name", top)
    return top


def _mixed_error(module, loaded, wanted, requirements):
    what = ", ".join(requirements)
    return MixedExtensionError(
        "the extension module %s is already loaded in this process (from %s); a compiled "
        "module cannot be unloaded, so %s%s cannot be used here without mixing two builds. "
        "Run that version in a worker process instead: "
        "omni_loader.worker(%r).call(\"module:function\", ...) or "
        "`with omni_loader.use(%r, isolate=True) as w: w.call(...)`"
        % (module, loaded, what, (" (its copy: %s)" % wanted) if wanted else "",
           requirements[0] if requirements else "", requirements[0] if requirements else ""))


class _ExtensionGuard(object):
    """A meta path finder that refuses a second copy of a loaded extension."""

    def _check(self, fullname, found_path):
        loaded = _loaded_extensions.get(fullname)
        if loaded and found_path and found_path.endswith(_EXTENSION_SUFFIXES) and \
                os.path.realpath(found_path) != loaded:
            raise _mixed_error(fullname, loaded, os.path.realpath(found_path),
                               [fullname.split(".", 1)[0]])

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in _loaded_extensions:
            return None
        from importlib.machinery import PathFinder
        spec = PathFinder.find_spec(fullname, path)
        if spec is not None:
            self._check(fullname, spec.origin)
        return None

    def find_module(self, fullname, path=None):  # Python 2
        if fullname not in _loaded_extensions or sys.version_info[0] >= 3:
            return None
        import imp
        try:
            handle, found, _ = imp.find_module(fullname.rsplit(".", 1)[-1], path)
        except ImportError:
            return None
        if handle:
            handle.close()
        self._check(fullname, found)
        return None


def _install_guard():
    for finder in sys.meta_path:
        if isinstance(finder, _ExtensionGuard):
            return
    sys.meta_path.insert(0, _ExtensionGuard())


class use(object):
    """Context manager: the given requirements' bubbles are importable inside.

    With isolate=True (and optionally python="3.9", timeout=seconds) nothing
    changes in this process: entering returns a worker() handle whose call()
    runs functions with those bubbles active in a worker process."""

    def __init__(self, *requirements, **options):
        self.isolate = options.pop("isolate", False)
        self._python = options.pop("python", None)
        self._timeout = options.pop("timeout", None)
        if options:
            raise TypeError("unknown option(s): %s" % ", ".join(sorted(options)))
        if not self.isolate and (self._python or self._timeout):
            raise TypeError("python= and timeout= need isolate=True (a worker process)")
        self.requirements = requirements
        self.paths = []
        self._names = set()
        self._saved_path = None
        self._saved_modules = {}

    def __enter__(self):
        if self.isolate:
            # Nothing changes in this process: the set is active in a worker.
            return worker(*self.requirements, python=self._python, timeout=self._timeout)
        # The env's own copy of a pin (a path without bubble.json) is on
        # sys.path already: nothing to put in front of it.
        pairs = [(_held_bubble_path(r), r) for r in self.requirements]
        pairs = [(p, r) for p, r in pairs if os.path.isfile(os.path.join(p, "bubble.json"))]
        self.paths = [p for p, _ in pairs]
        for path, requirement in pairs:
            self._names.update(_import_names(path, requirement))
        self._refuse_mixing()
        self._saved_path = list(sys.path)
        for name in list(sys.modules):
            if _owned(name, self._names):
                self._saved_modules[name] = sys.modules.pop(name)
        sys.path[0:0] = self.paths
        _invalidate_caches()
        return self

    def _refuse_mixing(self):
        _note_loaded_extensions(self._names)
        provided = {}
        for path in self.paths:
            provided.update(_bubble_extensions(path))
        for module in sorted(_loaded_extensions):
            loaded = _loaded_extensions[module]
            if _owned(module, self._names) and provided.get(module) != loaded:
                requirement = [r for r in self.requirements
                               if _normalize(_PIN.match(r).group(1) if _PIN.match(r) else r)
                               == _normalize(_distribution_of(module, self.paths))]
                raise _mixed_error(module, loaded, provided.get(module),
                                   requirement or list(self.requirements))
        _install_guard()

    def __exit__(self, *exc):
        if self.isolate:
            return False
        _note_loaded_extensions(self._names)
        for name in list(sys.modules):
            if _owned(name, self._names):
                del sys.modules[name]
        sys.modules.update(self._saved_modules)
        sys.path[:] = self._saved_path
        _invalidate_caches()
        return False


# ---------------------------------------------------------------------------
# Workers: a version that cannot share this process runs in another one.
#
#     w = omni_loader.worker("ext-demo==1.0", python="3.9")
#     w.call("ext_demo:checksum", data)          # runs in a 3.9 process
#
# Arguments and results travel by pickle (a protocol both interpreters read)
# over a pipe; buffers of WORKER_SHM_THRESHOLD bytes or more travel through a
# file in /dev/shm (created 0600, unlinked by the reader once it is open).
# Workers are pooled by (interpreter, bubbles) for this process and reused.

import itertools
import pickle
import select
import signal
import struct
import threading

WORKER_SHM_THRESHOLD = 64 * 1024
_SHM_DIR = "/dev/shm"
_HEADER = struct.Struct("!I")
_segment_counter = itertools.count()


class WorkerError(Exception):
    """An exception raised by the called function inside the worker.

    `remote_type` is the name of its class and `remote_traceback` the worker's
    traceback text (also at the end of the message)."""

    def __init__(self, remote_type, message, remote_traceback):
        Exception.__init__(self, "%s: %s\n\nthe worker's traceback:\n%s"
                           % (remote_type, message, remote_traceback))
        self.remote_type = remote_type
        self.remote_message = message
        self.remote_traceback = remote_traceback


class WorkerCrashed(RuntimeError):
    """The worker process died during a call; the next call starts a new one."""


class WorkerTimeout(RuntimeError):
    """A call took longer than its timeout; the worker was killed."""


def _shm_name():
    return "omni-w-%d-%d-%s" % (os.getpid(), next(_segment_counter),
                                 "".join("%02x" % b for b in bytearray(os.urandom(4))))


def _write_segment(data):
    name = _shm_name()
    path = os.path.join(_SHM_DIR, name)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(data)
        if view.ndim != 1 or view.itemsize != 1:
            view = view.cast("B") if hasattr(view, "cast") else view
        written = 0
        while written < view.nbytes:
            written += os.write(fd, view[written:])
    except Exception:
        os.close(fd)
        _unlink_quiet(path)
        raise
    os.close(fd)
    return name


def _read_segment(name, size):
    if not re.match(r"^omni-w-[0-9]+-[0-9]+-[0-9a-f]{8}$", name):
        raise ValueError("not a worker segment: %r" % (name,))
    path = os.path.join(_SHM_DIR, name)
    fd = os.open(path, os.O_RDONLY)
    try:
        _unlink_quiet(path)
        import mmap
        if size == 0:
            return b""
        mapped = mmap.mmap(fd, size, access=mmap.ACCESS_READ)
        try:
            return mapped[:size]
        finally:
            mapped.close()
    finally:
        os.close(fd)


def _unlink_quiet(path):
    try:
        os.unlink(path)
    except OSError:
        pass


_BIG_TYPES = (bytes, bytearray, memoryview)
try:
    _BIG_TYPES += (buffer,)  # noqa: F821  Python 2
except NameError:
    pass


WORKER_ARENA_SIZE = 64 * 1024 * 1024


def _new_arena():
    """A shared file of WORKER_ARENA_SIZE bytes (pages are used as touched):
    created 0600 in /dev/shm and unlinked at once; its descriptor is passed
    to the worker, so nothing is left behind whatever happens to either side."""
    path = os.path.join(_SHM_DIR, _shm_name())
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    _unlink_quiet(path)
    try:
        os.ftruncate(fd, WORKER_ARENA_SIZE)
    except OSError:
        os.close(fd)
        raise
    return fd


def _map_arena(fd):
    import mmap
    return mmap.mmap(fd, WORKER_ARENA_SIZE)


class _Pickler(pickle.Pickler):
    """Large buffers go to the arena (or, when it is full, to a segment of their own)."""

    def __init__(self, stream, protocol, segments, arena):
        pickle.Pickler.__init__(self, stream, protocol)
        self._segments = segments
        self._arena = arena
        self._offset = 0

    def persistent_id(self, obj):
        if type(obj) in _BIG_TYPES:
            view = memoryview(obj)
            size = view.nbytes if hasattr(view, "nbytes") else len(view) * view.itemsize
            if size >= WORKER_SHM_THRESHOLD:
                kind = {bytearray: "bytearray", memoryview: "memoryview"}.get(type(obj), "bytes")
                if self._arena is not None and self._offset + size <= WORKER_ARENA_SIZE:
                    if view.ndim != 1 or view.itemsize != 1:
                        view = view.cast("B") if hasattr(view, "cast") else view.tobytes()
                    start = self._offset
                    self._arena[start:start + size] = view
                    self._offset += size
                    return ("omni-arena", start, kind, size)
                name = _write_segment(obj)
                self._segments.append(name)
                return ("omni-shm", name, kind, size)
        return None


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, pid):
        tag, where, kind, size = pid
        if tag == "omni-arena" and self.arena is not None and \
                0 <= where <= where + size <= WORKER_ARENA_SIZE:
            data = self.arena[where:where + size]
        elif tag == "omni-shm":
            data = _read_segment(where, size)
        else:
            raise pickle.UnpicklingError("unknown persistent id")
        if kind == "bytearray":
            return bytearray(data)
        if kind == "memoryview":
            return memoryview(data)
        return data


def _dumps(obj, protocol, segments, arena=None):
    import io
    stream = io.BytesIO()
    _Pickler(stream, protocol, segments, arena).dump(obj)
    return stream.getvalue()


def _loads(data, peer_major, arena=None):
    import io
    stream = io.BytesIO(data)
    if sys.version_info[0] >= 3 and peer_major < 3:
        unpickler = _Unpickler(stream, encoding="latin1")
    else:
        unpickler = _Unpickler(stream)
    unpickler.arena = arena
    return unpickler.load()


def _send(fd, payload):
    data = _HEADER.pack(len(payload)) + payload
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _read_exact(fd, size, deadline=None):
    chunks = []
    while size:
        if deadline is not None:
            import time
            left = deadline - time.time()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise WorkerTimeout("timeout")
        try:
            chunk = os.read(fd, min(size, 1 << 20))
        except OSError as e:
            if e.errno == errno.EINTR:
                continue
            raise
        if not chunk:
            raise EOFError("the pipe closed")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _receive(fd, deadline=None):
    size = _HEADER.unpack(_read_exact(fd, _HEADER.size, deadline))[0]
    return _read_exact(fd, size, deadline)


def _target_name(func):
    if isinstance(func, str):
        return func
    module = getattr(func, "__module__", None)
    name = getattr(func, "__qualname__", None) or getattr(func, "__name__", None)
    if not module or not name or module == "__main__" or "<" in name:
        raise TypeError("a worker calls a function it can import: pass \"module:function\" or a "
                        "function defined in an importable module (not %r)" % (func,))
    return "%s:%s" % (module, name)


def _resolve_target(target):
    module_name, _, attr = target.partition(":")
    if not module_name or not attr:
        raise ValueError("the call target must be \"module:function\", got %r" % (target,))
    __import__(module_name)
    obj = sys.modules[module_name]
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def _die_with_parent(parent, from_main_thread):
    """Ends this process when its parent (the owner) dies, however it dies."""
    if from_main_thread:
        # Linux: the kernel kills this process when the thread that started
        # it ends; that is the owner's main thread only.
        try:
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except Exception:
            pass

    def watch():
        import time
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    if os.getppid() != parent:
        os._exit(1)
    watcher = threading.Thread(target=watch)
    watcher.daemon = True
    watcher.start()


def _worker_main(argv):
    """The loop of a worker process: read a call, run it, answer."""
    read_fd, write_fd, arena_fd, parent, main_thread, peer_major, peer_protocol = \
        [int(a) for a in argv[:7]]
    _die_with_parent(parent, main_thread)
    protocol = min(pickle.HIGHEST_PROTOCOL, peer_protocol)
    arena = _map_arena(arena_fd)
    os.close(arena_fd)
    sys.path[0:0] = [p for p in argv[7:] if p]
    _invalidate_caches()
    hello = (tuple(sys.version_info[:3]), pickle.HIGHEST_PROTOCOL, os.getpid(), sys.executable)
    _send(write_fd, pickle.dumps(hello, 2))
    while True:
        try:
            request = _receive(read_fd)
        except EOFError:
            os._exit(0)
        segments = []
        try:
            target, args, kwargs = _loads(request, peer_major, arena)
            result = (True, _resolve_target(target)(*args, **kwargs))
            payload = _dumps(result, protocol, segments, arena)
        except BaseException as e:
            for name in segments:
                _unlink_quiet(os.path.join(_SHM_DIR, name))
            segments = []
            import traceback
            payload = _dumps((False, (type(e).__name__, str(e), traceback.format_exc())),
                             protocol, [])
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        _send(write_fd, payload)


_WORKER_BOOT = (
    "import sys\n"
    "g = {'__name__': 'omni_loader_worker', '__file__': sys.argv[1]}\n"
    "exec(compile(open(sys.argv[1]).read(), sys.argv[1], 'exec'), g)\n"
    "g['_worker_main'](sys.argv[2:])\n")


def _start_ticks(pid):
    """Field 22 of /proc/PID/stat: tells this process from a later one with its pid."""
    with open("/proc/%d/stat" % pid) as f:
        text = f.read()
    return int(text[text.rindex(")") + 1:].split()[19])


def _write_record(pid, python, requirements):
    """$OMNI_HOME/workers/PID.json, which `omni workers list|stop` read; or
    None when it cannot be written (the worker runs all the same)."""
    import time
    directory = os.path.join(_home(), "workers")
    path = os.path.join(directory, "%d.json" % pid)
    staged = os.path.join(directory, ".%d.json.tmp" % pid)
    try:
        if not os.path.isdir(directory):
            try:
                os.makedirs(directory)
            except OSError:
                if not os.path.isdir(directory):
                    raise
        record = {"pid": pid, "start_ticks": _start_ticks(pid), "owner": os.getpid(),
                  "python": python, "requirements": list(requirements),
                  "started": int(time.time())}
        with open(staged, "w") as f:
            json.dump(record, f)
        os.rename(staged, path)
        return path
    except (OSError, IOError, ValueError):
        _unlink_quiet(staged)
        return None


def _signal_name(number):
    for name in dir(signal):
        if name.startswith("SIG") and not name.startswith("SIG_") and \
                getattr(signal, name) == number:
            return name
    return "signal %d" % number


class Worker(object):
    """A handle on a worker process: call() runs a function there."""

    def __init__(self, python, paths, requirements, timeout=None):
        self.python = python
        self.paths = list(paths)
        self.requirements = list(requirements)
        self.timeout = timeout
        self._lock = threading.Lock()
        self._process = None
        self._hello = None

    def __repr__(self):
        return "<omni worker %s %s>" % (self.python, " ".join(self.requirements))

    @property
    def pid(self):
        return self._process.pid if self._process is not None else None

    def _start(self):
        import subprocess as sp
        to_worker = os.pipe()
        from_worker = os.pipe()
        arena_fd = _new_arena()
        self._arena = _map_arena(arena_fd)
        argv = [self.python, "-c", _WORKER_BOOT, os.path.abspath(__file__.replace(".pyc", ".py")),
                str(to_worker[0]), str(from_worker[1]), str(arena_fd), str(os.getpid()),
                str(int(isinstance(threading.current_thread(), threading._MainThread))),
                str(sys.version_info[0]), str(pickle.HIGHEST_PROTOCOL)] + self.paths
        kwargs = {}
        if sys.version_info[0] >= 3:
            kwargs["pass_fds"] = (to_worker[0], from_worker[1], arena_fd)
        else:
            kwargs["close_fds"] = False
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)
        env.pop("PYTHONHOME", None)
        try:
            self._process = sp.Popen(argv, env=env, stdin=open(os.devnull), **kwargs)
        finally:
            os.close(to_worker[0])
            os.close(from_worker[1])
            os.close(arena_fd)
        self._write, self._read = to_worker[1], from_worker[0]
        try:
            self._hello = pickle.loads(_receive(self._read, None))
        except EOFError:
            self._reap()
            raise WorkerCrashed("the worker (%s) did not start" % self._describe())
        self._peer_major = self._hello[0][0]
        self._protocol = min(pickle.HIGHEST_PROTOCOL, self._hello[1])
        self._record = _write_record(self._process.pid, self.python, self.requirements)

    def _describe(self):
        return "%s with %s" % (self.python, ", ".join(self.requirements) or "no bubbles")

    def _reap(self, kill=False):
        process, self._process = self._process, None
        if process is None:
            return None
        if kill:
            try:
                process.kill()
            except OSError:
                pass
        for fd in (self._write, self._read):
            try:
                os.close(fd)
            except OSError:
                pass
        process.wait()
        if getattr(self, "_record", None):
            _unlink_quiet(self._record)
            self._record = None
        self._arena.close()
        if process.stdin:
            process.stdin.close()
        return process.returncode

    def call(self, func, *args, **kwargs):
        """Runs func(*args, **kwargs) in the worker and returns its result."""
        return self.call_timeout(self.timeout, func, *args, **kwargs)

    def call_timeout(self, timeout, func, *args, **kwargs):
        """call() that kills the worker when it takes longer than `timeout` seconds."""
        import time
        target = _target_name(func)
        with self._lock:
            if self._process is None:
                self._start()
            segments = []
            try:
                request = _dumps((target, args, kwargs), self._protocol, segments, self._arena)
                deadline = time.time() + timeout if timeout else None
                try:
                    _send(self._write, request)
                    reply = _receive(self._read, deadline)
                except WorkerTimeout:
                    self._reap(kill=True)
                    raise WorkerTimeout("%s took longer than %gs in the worker (%s); the worker "
                                        "was killed and the next call starts a new one"
                                        % (target, timeout, self._describe()))
                except (EOFError, OSError):
                    code = self._reap()
                    how = ("died from %s" % _signal_name(-code)) if code is not None and \
                        code < 0 else "exited with status %s" % code
                    raise WorkerCrashed("the worker (%s) %s during %s; the next call starts a "
                                        "new one" % (self._describe(), how, target))
            finally:
                for name in segments:
                    _unlink_quiet(os.path.join(_SHM_DIR, name))
            ok, value = _loads(reply, self._peer_major, self._arena)
        if not ok:
            raise WorkerError(*value)
        return value

    def close(self):
        """Ends the worker process (a later call starts a new one)."""
        with self._lock:
            self._reap(kill=True)


_pool = {}
_pool_lock = threading.Lock()


def _python_for(python):
    """The interpreter for a request such as "3.9": the main env's, else omni's pick."""
    if python is None:
        return sys.executable
    if os.path.isabs(python) and os.access(python, os.X_OK):
        return python
    if not re.match(r"^[0-9]+\.[0-9]+$", python):
        raise ValueError("python must be X.Y or an interpreter's path, got %r" % (python,))
    if python == "%d.%d" % sys.version_info[:2]:
        return sys.executable
    main_env = os.path.join(_home(), "envs", "cpython-" + python, "bin", "python")
    if os.access(main_env, os.X_OK):
        return main_env
    import subprocess
    out = subprocess.check_output([omni_binary(), "python", "find", python])
    return out.decode("utf-8").strip().splitlines()[-1]


def _bubble_path_for(requirement, python, request):
    """The bubble's path for a worker, held by this process (the worker's
    parent, which it does not outlive)."""
    if python == sys.executable:
        return _held_bubble_path(requirement)
    key = None
    if request and re.match(r"^[0-9]+\.[0-9]+$", request):
        key = "cpython-" + request
    return _held_bubble_path(requirement, request or python, key)


def worker(*requirements, **options):
    """A worker process of interpreter `python` ("3.9", a path, or this one)
    with the bubbles of `requirements` active; pooled and reused.

    Options: python=None, timeout=None (seconds per call)."""
    request = options.pop("python", None)
    python = _python_for(request)
    timeout = options.pop("timeout", None)
    if options:
        raise TypeError("unknown option(s): %s" % ", ".join(sorted(options)))
    paths = tuple(_bubble_path_for(r, python, request) for r in requirements)
    key = (python, paths)
    with _pool_lock:
        handle = _pool.get(key)
        if handle is None:
            handle = _pool[key] = Worker(python, paths, requirements, timeout)
    return handle


def _close_pool():
    for handle in list(_pool.values()):
        try:
            handle.close()
        except Exception:
            pass


import atexit  # noqa: E402
atexit.register(_close_pool)
