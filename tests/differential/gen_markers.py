"""Case generators for requirements and markers (PEP 508)."""
from pip._vendor import packaging as _pkg
from pip._vendor.packaging.markers import InvalidMarker, Marker
from pip._vendor.packaging.requirements import InvalidRequirement, Requirement
from pip._vendor.packaging.utils import canonicalize_name

VALUES = {
    "python_version": ["3.8", "3.10", "2.7", "3", "3.11", "3.13", "3.6"],
    "python_full_version": ["3.11.7", "3.13.0rc1", "3.12.1+", "2.7.18", "3.8.0"],
    "os_name": ["posix", "nt", "java"],
    "sys_platform": ["linux", "win32", "darwin", "linux2"],
    "platform_machine": ["x86_64", "aarch64", "AMD64", "arm64"],
    "platform_release": ["6.1.0", "5.15", "22.1.0", "10"],
    "platform_system": ["Linux", "Windows", "Darwin"],
    "platform_version": ["1", "#1 SMP"],
    "platform_python_implementation": ["CPython", "PyPy"],
    "implementation_name": ["cpython", "pypy"],
    "implementation_version": ["3.11.7", "7.3.12", "3.13.0b1"],
    "extra": ["test", "Foo_Bar", "", "doc", "foo-bar", "TEST"],
}
SPELLINGS = {
    "os_name": ["os_name", "os.name"],
    "sys_platform": ["sys_platform", "sys.platform"],
    "platform_machine": ["platform_machine", "platform.machine"],
    "platform_python_implementation": ["platform_python_implementation", "python_implementation",
                                       "platform.python_implementation"],
}
OPS = ["==", "!=", "<", "<=", ">", ">=", "~=", "===", "in", "not in"]
WS = ["", " ", " ", "  ", "\t"]


def gen_item(rng):
    key = rng.choice(list(VALUES))
    var = rng.choice(SPELLINGS.get(key, [key]))
    value = rng.choice(VALUES[key])
    if rng.random() < 0.2:
        value = rng.choice(["3.*", "linux win32", "x", "1.0a1", "3.8.*", "Foo.Bar"])
    q = rng.choice(["'", '"'])
    lit = q + value + q
    op = rng.choice(OPS)
    w = lambda: rng.choice(WS)  # noqa: E731
    if rng.random() < 0.8:
        return var + w() + op + w() + lit
    return lit + w() + op + w() + var


def gen_marker(rng, depth=0):
    parts = []
    for i in range(rng.randint(1, 3)):
        if i:
            parts.append(rng.choice([" and ", " or ", " and ", "\tor ", " and\t"]))
        if depth < 2 and rng.random() < 0.25:
            parts.append("(" + rng.choice(WS) + gen_marker(rng, depth + 1) + rng.choice(WS) + ")")
        else:
            parts.append(gen_item(rng))
    return "".join(parts)


def gen_env(rng):
    return {k: rng.choice(v) for k, v in VALUES.items()}


def mutate(rng, s):
    chars = list(s)
    i = rng.randint(0, len(chars))
    op = rng.random()
    if op < 0.5:
        chars.insert(i, rng.choice("()'\" =<>!~;[],@_.a"))
    elif chars:
        del chars[min(i, len(chars) - 1)]
    return "".join(chars)


NAMES = ["foo", "Foo.Bar_baz", "a", "requests", "zope.interface", "foo_", "foo-", "9x", "x-y-z"]
SPECS = ["", ">=1.0", "==1.4.*", "<2,>=1", " (>=1.0, <2)", "~=1.4.5", "!=1.0+local", "===foo",
         ">=1.0.*", "<1.0+x", "==1.0a1", ">=1.0 , <3", "(==2.0)", "~=1"]
EXTRAS = ["", "[test]", "[b,a]", "[ test , doc ]", "[]", "[a b]", "[a,]", "[Foo_Bar]"]


def gen_requirement(rng):
    s = rng.choice(WS) + rng.choice(NAMES) + rng.choice(WS) + rng.choice(EXTRAS) + rng.choice(WS)
    if rng.random() < 0.15:
        s += "@" + rng.choice(WS) + rng.choice(["https://example.com/x.whl", "file:///tmp/a b",
                                                 "git+https://h/r.git@v1;x"]) + rng.choice(["", " ", " ; "])
        if s.endswith("; "):
            s += gen_marker(rng)
    else:
        s += rng.choice(SPECS) + rng.choice(WS)
        if rng.random() < 0.4:
            s += ";" + rng.choice(WS) + gen_marker(rng)
    if rng.random() < 0.1:
        s = mutate(rng, s)
    return s


def marker_answer(m, env):
    try:
        marker = Marker(m)
    except InvalidMarker:
        return "invalid", None
    try:
        result = marker.evaluate(env)
    except Exception as e:  # packaging raises for a version op on a non-version
        return str(marker), type(e).__name__
    return str(marker) + "\t" + ("true" if result else "false"), None


# packaging < 22 parsed PEP 508 with pyparsing, did not normalize extras and
# compared with LegacyVersion: omni follows the 22+ rewrite.
LEGACY = None
if tuple(int(x) for x in _pkg.__version__.split(".")[:2]) < (22, 0):
    LEGACY = "packaging < 22 PEP 508 parser"


def cases(rng, scale):
    out = []
    for _ in range(3000 * scale):
        m = gen_marker(rng)
        if rng.random() < 0.1:
            m = mutate(rng, m)
        if "\\" in m:
            continue
        env = gen_env(rng)
        answer, raised = marker_answer(m, env)
        fields = ["marker", m] + [f"{k}={v}" for k, v in env.items()]
        if raised:
            continue  # packaging raises; omni compares as strings (docs/STANDARDS.md)
        out.append(("marker", fields, answer, LEGACY))
    for _ in range(3000 * scale):
        r = gen_requirement(rng)
        try:
            req = Requirement(r)
            answer = str(req) + "\t" + canonicalize_name(req.name)
        except InvalidRequirement:
            answer = "invalid"
        out.append(("requirement", ["requirement", r], answer, LEGACY))
    return out
