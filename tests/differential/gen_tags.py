"""Case generators for compatibility tags (PEP 425) and wheel names (PEP 427)."""
import sys
import sysconfig

from pip._vendor.packaging import tags as _tags
from pip._vendor.packaging.utils import InvalidWheelFilename, parse_wheel_filename

try:
    from pip._vendor.packaging import _manylinux, _musllinux
except ImportError:  # pragma: no cover
    _manylinux = _musllinux = None


def facts_fields(impl, major, minor, abiflags, soabi, platform, glibc, musl, pointer):
    g = f"{glibc[0]}.{glibc[1]}" if glibc and glibc[0] >= 0 else "-"
    m = f"{musl[0]}.{musl[1]}" if musl else "-"
    return ["tags", impl, str(major), str(minor), abiflags, soabi, platform, g, m, str(pointer)]


def running_interpreter_case():
    ext = sysconfig.get_config_var("EXT_SUFFIX") or ""
    parts = ext.split(".")
    soabi = parts[1] if len(parts) >= 3 else ""
    glibc = _manylinux._get_glibc_version() if _manylinux else (-1, -1)
    musl = _musllinux._get_musl_version(sys.executable) if _musllinux else None
    fields = facts_fields(_tags.interpreter_name(), sys.version_info[0], sys.version_info[1],
                          getattr(sys, "abiflags", ""), soabi, sysconfig.get_platform(), glibc,
                          (musl.major, musl.minor) if musl else None, 8 if sys.maxsize > 2**32 else 4)
    return ("tags", fields, " ".join(str(t) for t in _tags.sys_tags()), None)


def synthetic_case(minor, platform, glibc, musl, debug, threaded):
    """cpython_tags + compatible_tags for a made-up CPython 3.minor, with the
    platform probes of packaging patched to report the given facts."""
    saved = (_manylinux._get_glibc_version, _musllinux._get_musl_version, _tags._get_config_var,
             sysconfig.get_platform)
    config = {"Py_DEBUG": int(debug), "Py_GIL_DISABLED": int(threaded), "WITH_PYMALLOC": 1,
              "py_version_nodot": f"3{minor}"}
    musl_v = _musllinux._MuslVersion(*musl) if musl else None
    try:
        _manylinux._get_glibc_version = lambda: glibc if glibc else (-1, -1)
        _musllinux._get_musl_version = lambda executable: musl_v
        _tags._get_config_var = lambda name, warn=False: config.get(name)
        sysconfig.get_platform = lambda: platform
        got = list(_tags.cpython_tags(python_version=(3, minor)))
        got += list(_tags.compatible_tags(python_version=(3, minor), interpreter=f"cp3{minor}"))
    finally:
        (_manylinux._get_glibc_version, _musllinux._get_musl_version, _tags._get_config_var,
         sysconfig.get_platform) = saved
    flags = ("d" if debug else "") + ("t" if threaded else "") + ("m" if minor < 8 else "")
    fields = facts_fields("cp", 3, minor, flags, "", platform, glibc, musl, 8)
    return ("tags", fields, " ".join(str(t) for t in got), None)


def wheel_case(rng, pool):
    name = rng.choice(["foo", "Foo_Bar", "foo.bar", "a__b", "foo-bar", "", "x9", "Zope.Interface"])
    version = str(rng.choice(pool)) if rng.random() < 0.9 else rng.choice(["1.0.x", "v1", "1_0"])
    parts = [name, version]
    if rng.random() < 0.3:
        parts.append(rng.choice(["1", "12abc", "x1", "0_", "007"]))
    tag = rng.choice(["py3-none-any", "py2.py3-none-any", "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64",
                      "CP39-abi3-Linux_X86_64", "cp38.cp39-cp38.abi3-any", "py3-none"])
    s = "-".join(parts) + "-" + tag + rng.choice([".whl", ".whl", ".zip"])
    try:
        n, v, b, t = parse_wheel_filename(s)
    except (InvalidWheelFilename, Exception):
        return ("wheel", ["wheel", s], "invalid", None)
    build = f"{b[0]}{b[1]}" if b else ""
    return ("wheel", ["wheel", s], "\t".join([n, str(v), build] + sorted(str(x) for x in t)), None)


# packaging < 22 did not yield "cpXY-none-any" in sys_tags(); omni follows 22+.
from pip._vendor import packaging as _pkg  # noqa: E402

LEGACY = None
if tuple(int(x) for x in _pkg.__version__.split(".")[:2]) < (22, 0):
    LEGACY = "packaging < 22 omits cpXY-none-any"


def cases(rng, pool, scale):
    out = [running_interpreter_case()]
    if _manylinux is not None and hasattr(_musllinux, "_MuslVersion"):
        for minor in [6, 7, 8, 11, 12, 13]:
            for platform in ["linux-x86_64", "linux-aarch64", "linux-ppc64le", "macosx-11.0-arm64"]:
                for glibc, musl in [((2, 36), None), ((2, 17), None), ((2, 5), None), (None, (1, 2)),
                                    (None, None), ((3, 1), None)]:
                    for debug, threaded in [(False, False), (True, False), (False, True), (True, True)]:
                        if threaded and minor < 13:
                            continue
                        out.append(synthetic_case(minor, platform, glibc, musl, debug, threaded))
    for _ in range(1000 * scale):
        out.append(wheel_case(rng, pool))
    if LEGACY:
        out = [(a, b, c, LEGACY if a == "tags" else d) for a, b, c, d in out]
    return out
