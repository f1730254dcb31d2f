#!/usr/bin/env python3
"""Differential test: omni's standards module against pip's vendored packaging.

Generates thousands of inputs from a fixed seed, asks both omni_standards_probe
and pip._vendor.packaging the same questions, and prints every difference.
Exit status: 0 when every answer agrees (or the difference is a documented,
deliberate deviation, see docs/STANDARDS.md), 1 otherwise.

Usage: python differential.py --probe PATH [--seed N] [--scale N] [--show N]
"""
import argparse
import os
import random
import re
import subprocess
import sys

if os.environ.get("OMNI_ORACLE") == "packaging":
    # A packaging checkout on PYTHONPATH (e.g. 26.x) instead of pip's copy.
    import packaging as _pkg
    from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
    from packaging.utils import canonicalize_name
    from packaging.version import InvalidVersion, Version
else:
    from pip._vendor import packaging as _pkg
    from pip._vendor.packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
    from pip._vendor.packaging.utils import canonicalize_name
    from pip._vendor.packaging.version import InvalidVersion, Version

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_markers  # noqa: E402
import gen_script  # noqa: E402
import gen_tags  # noqa: E402

PKG_VERSION = tuple(int(x) for x in _pkg.__version__.split(".")[:2])
MODERN = PKG_VERSION >= (22, 0)
# omni follows packaging 26.1's pre-release rules. Against an older oracle the
# answers that 26 changed are derived from its documented rules below.
PKG26 = PKG_VERSION >= (26, 1)

SEPS = ["", "", "", ".", "-", "_"]
SPACES = ["", "", "", "", "", " ", "  ", "\t", "\x0b", "\x0c", "\r", "\x1c"]
PRE_LABELS = ["a", "b", "c", "rc", "alpha", "beta", "pre", "preview", "A", "RC", "Alpha", "PREVIEW"]
POST_LABELS = ["post", "rev", "r", "POST", "Rev", "R"]
MUTATION_CHARS = "._-+!*abcdevpostr0123456789 xyzV"


def rcase(rng, s):
    return "".join(c.upper() if rng.random() < 0.2 else c for c in s)


def rnum(rng, leading_zero=True):
    r = rng.random()
    if r < 0.55:
        n = str(rng.randint(0, 3))
    elif r < 0.9:
        n = str(rng.randint(0, 30))
    elif r < 0.97:
        n = str(rng.randint(0, 10**6))
    else:
        n = str(rng.randint(0, 10**18))
    if leading_zero and rng.random() < 0.05:
        n = "0" * rng.randint(1, 3) + n
    return n


def gen_local(rng):
    parts = []
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.5:
            parts.append(rnum(rng))
        else:
            parts.append(rcase(rng, "".join(rng.choice("abcxyz01") for _ in range(rng.randint(1, 5)))))
    out = parts[0]
    for p in parts[1:]:
        out += rng.choice(".-_") + p
    return out


def gen_release(rng, min_len=1):
    return ".".join(rnum(rng) for _ in range(rng.randint(min_len, max(min_len, rng.choice([1, 2, 2, 3, 3, 4, 6])))))


def gen_suffix(rng, pre=0.3, post=0.2, dev=0.2):
    s = ""
    if rng.random() < pre:
        s += rng.choice(SEPS) + rng.choice(PRE_LABELS) + rng.choice(SEPS)
        if rng.random() < 0.8:
            s = s + rnum(rng)
        elif s and s[-1] in ".-_":
            pass
    if rng.random() < post:
        if rng.random() < 0.2:
            s += "-" + rnum(rng)
        else:
            s += rng.choice(SEPS) + rng.choice(POST_LABELS) + rng.choice(SEPS)
            if rng.random() < 0.8:
                s += rnum(rng)
    if rng.random() < dev:
        s += rng.choice(SEPS) + rcase(rng, "dev") + rng.choice(SEPS)
        if rng.random() < 0.8:
            s += rnum(rng)
    return s


def mutate(rng, s):
    chars = list(s)
    for _ in range(rng.randint(1, 2)):
        op = rng.random()
        i = rng.randint(0, len(chars))
        if op < 0.4:
            chars.insert(i, rng.choice(MUTATION_CHARS))
        elif chars and op < 0.7:
            del chars[min(i, len(chars) - 1)]
        elif chars:
            chars[min(i, len(chars) - 1)] = rng.choice(MUTATION_CHARS)
    return "".join(chars)


def gen_version(rng, mutate_p=0.1):
    s = rng.choice(SPACES)
    if rng.random() < 0.1:
        s += rng.choice("vV")
    if rng.random() < 0.15:
        s += rnum(rng) + "!"
    s += gen_release(rng)
    s += gen_suffix(rng)
    if rng.random() < 0.15:
        s += "+" + gen_local(rng)
    s += rng.choice(SPACES)
    if rng.random() < mutate_p:
        s = mutate(rng, s)
    return s


def neighbours(rng, v):
    """Versions close to v: the cases where specifier rules differ."""
    base = v.base_version
    rel = list(v.release)
    out = [str(v), base, base + ".0", str(v.public)]
    bumped = rel[:]
    bumped[-1] += rng.choice([-1, 1, 1])
    if bumped[-1] >= 0:
        out.append(".".join(map(str, bumped)))
    out.append(".".join(map(str, rel[:-1] or [0])))
    out.append(".".join(map(str, rel + [rng.randint(0, 3)])))
    for suffix in ["a1", "rc1", ".post1", ".dev0", "a1.dev1", ".post1.dev1", "+local.1", "+0", "b2+x"]:
        out.append(base + suffix)
    out.append(str(v) + "+abc")
    out.append(str(v.public) + ".post1" if v.post is None and v.dev is None else str(v.public))
    if v.epoch:
        out.append(".".join(map(str, rel)))
    else:
        out.append("1!" + base)
    valid = []
    for s in out:
        try:
            Version(s)
            valid.append(s)
        except InvalidVersion:
            pass
    return valid


def version_answer(s):
    try:
        v = Version(s)
    except InvalidVersion:
        return "invalid"
    flags = "".join("1" if x else "0" for x in (v.is_prerelease, v.is_devrelease, v.is_postrelease))
    return "\t".join(["ok", str(v), flags, v.base_version, v.public, v.local or ""])


def pre26(sp):
    """packaging 26's Specifier.prereleases: every operator but != (and a ==
    wildcard) admits pre-releases when its version is one."""
    if PKG26:
        return bool(sp.prereleases)
    if sp.operator == "!=" or (sp.operator == "==" and sp.version.endswith(".*")):
        return False
    try:
        return Version(sp.version).is_prerelease
    except InvalidVersion:
        return False


def same_release(a, b):
    n = max(len(a.release), len(b.release))
    pad = lambda r: tuple(r) + (0,) * (n - len(r))  # noqa: E731
    return a.epoch == b.epoch and pad(a.release) == pad(b.release)


def match26(sp, v):
    """Whether v satisfies one clause with pre-releases allowed, by 26.1's
    rules: <V excludes only versions from V.dev0 up (<1.0.post1 admits
    1.0a1), >V excludes V's own post-releases only (>1.0a1 admits 1.0.post1)."""
    if PKG26 or sp.operator not in ("<", ">"):
        return sp.contains(v, prereleases=True)
    s = Version(sp.version)
    public = Version(v.public)
    if sp.operator == "<":
        if not public < s:
            return False
        if s.is_prerelease or not same_release(v, s):
            return True
        if s.post is None:
            return False
        return v.pre is not None or v.post != s.post or v.dev is None
    if not public > s:
        return False
    if s.dev is not None or s.post is not None:
        return True
    return not same_release(v, s) or v.pre != s.pre


def contains26(sp, v, pre):
    """Specifier.contains in packaging 26: only prereleases=False refuses a
    pre-release (a single version has no alternative)."""
    if PKG26:
        return sp.contains(v, prereleases=pre)
    if pre is False and v.is_prerelease:
        return False
    return match26(sp, v)


def set_contains26(ss, v, pre):
    if PKG26:
        return ss.contains(v, prereleases=pre)
    if pre is False and v.is_prerelease:
        return False
    return all(match26(x, v) for x in ss)


def spec_answer(s):
    try:
        sp = Specifier(s)
    except InvalidSpecifier:
        return "invalid"
    try:
        pre = "1" if pre26(sp) else "0"
        if PKG26 and sp.operator == "===":
            Version(sp.version)
    except InvalidVersion:
        return None  # packaging raises for === with a non-version; not compared
    return str(sp) + "\t" + pre


def set_valid(s):
    """A set is valid when every non-empty item is a PEP 440 specifier
    (packaging < 22 also accepted legacy clauses; those are skipped)."""
    items = [x.strip() for x in s.split(",") if x.strip()]
    for x in items:
        try:
            Specifier(x)
        except InvalidSpecifier:
            return False
    return True


def pre_arg(p):
    return {"none": None, "true": True, "false": False}[p]


def filter_answer(ss, pre, versions):
    """SpecifierSet.filter as packaging 26 does it: a clause naming a
    pre-release admits them; otherwise, with the policy unset, pre-releases
    only when no final release matches (PEP 440's fallback, for sets too)."""
    parsed = [Version(v) for v in versions]
    explicit = pre_arg(pre)
    if PKG26:
        kept = list(ss.filter(parsed, prereleases=explicit))
        return ",".join(str(i) for i, v in enumerate(parsed) if any(v is k for k in kept))
    if explicit is None and any(pre26(x) for x in ss):
        explicit = True
    matching = [i for i, v in enumerate(parsed) if all(match26(x, v) for x in ss)]
    if explicit is None:
        finals = [i for i in matching if not parsed[i].is_prerelease]
        chosen = finals if finals else matching
    elif explicit:
        chosen = matching
    else:
        chosen = [i for i in matching if not parsed[i].is_prerelease]
    return ",".join(map(str, chosen))


def gen_spec(rng, pool):
    op = rng.choice(["==", "!=", "<=", ">=", "<", ">", "~=", "===", "==", "!=", "~="])
    sp = rng.choice(SPACES[:6])
    if op in ("==", "!=") and rng.random() < 0.3:
        prefix = ("1!" if rng.random() < 0.1 else "") + gen_release(rng)
        text = prefix + ".*"
    elif op == "===":
        text = rng.choice([str(rng.choice(pool)), rng.choice(pool).public, "foo"])
        if text == "foo":
            text = str(rng.choice(pool))
    else:
        v = rng.choice(pool)
        text = rng.choice([str(v), v.public, v.base_version, v.base_version + gen_suffix(rng)])
        if op == "~=" and len(Version(text.split("+")[0]).release) < 2 and rng.random() < 0.8:
            text = v.base_version + ".0" + gen_suffix(rng)
        if rng.random() < 0.1:
            text = "v" + text
    s = rng.choice(SPACES[:6]) + op + sp + text + rng.choice(SPACES[:6])
    if rng.random() < 0.05:
        s = mutate(rng, s)
    return s


U64_MAX = 2**64 - 1


def too_big(text):
    """omni keeps epoch/release/pre/post/dev numbers in 64 bits and rejects
    larger ones (a documented deviation); packaging's ints are unbounded."""
    try:
        v = Version(text.rstrip().rstrip("*").rstrip(".") if text.rstrip().endswith(".*") else text)
    except InvalidVersion:
        return False
    nums = [v.epoch, *v.release, v.pre[1] if v.pre else 0, v.post or 0, v.dev or 0]
    return max(nums) > U64_MAX


def spec_too_big(spec):
    m = re.match(r"^\s*(~=|==|!=|<=|>=|<|>)\s*(.*?)\s*$", spec)
    return bool(m) and too_big(m.group(2))


def prefix_rule(spec):
    """packaging 22.0 rewrote prefix matching (==X.*, !=X.*, ~=): older
    releases compared the text without normalizing it (leading zeros, epochs)."""
    return not MODERN and (".*" in spec or "~=" in spec)


def legacy_only(spec):
    """Inputs whose answer changed between packaging 21.3 and 22+."""
    if MODERN:
        return False
    body = spec.strip()
    if ".*" in body and re.search(r"(a|b|c|rc|alpha|beta|pre|preview|post|rev|r|dev)[0-9]*[-_.]?\.\*", body, re.I):
        return True
    return False


class Probe:
    def __init__(self, path):
        self.path = path

    def ask(self, lines):
        data = "".join(line + "\n" for line in lines).encode("utf-8")
        proc = subprocess.run([self.path], input=data, stdout=subprocess.PIPE, check=True)
        out = proc.stdout.decode("utf-8").split("\n")
        assert out[-1] == ""
        out = out[:-1]
        assert len(out) == len(lines), (len(out), len(lines))
        return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--probe", required=True)
    ap.add_argument("--seed", type=int, default=440)
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--show", type=int, default=25)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    probe = Probe(args.probe)
    cases = []  # (section, question fields, expected answer, deviation or None)
    BIG = "numbers beyond 64 bits are rejected"
    PREFIX = "packaging < 22 prefix matching"

    n = 4000 * args.scale
    raw_versions = [gen_version(rng) for _ in range(n)]
    raw_versions += ["1.0.0-RC1", "v1.0", "1!2.0", "1.0-1", "1.0+ubuntu-1_2", " 1.0 ", "1.0.post", "1.0-",
                     "1.0a.1", "1.0a-1", "1.0-r", "1.0rev", "1.0re", "1.0-dev", "1.0+", "1.0+a..b", "",
                     "v", "1.0.", ".1", "1..0", "1.0+007", "1.0+ABC.def", "1.0c1", "1.0pre", "1!", "!1"]
    for s in raw_versions:
        if too_big(s):
            cases.append(("version", ["version", s], version_answer(s), BIG))
        else:
            cases.append(("version", ["version", s], version_answer(s), None))
    pool = []
    for s in raw_versions:
        if too_big(s):
            continue
        try:
            pool.append(Version(s))
        except InvalidVersion:
            pass

    for _ in range(n):
        a = rng.choice(pool)
        b = rng.choice(pool) if rng.random() < 0.5 else Version(rng.choice(neighbours(rng, a)))
        sa, sb = str(a), str(b)
        if rng.random() < 0.3:
            sb = sb.replace(".", "_") if "+" not in sb else sb
        try:
            b = Version(sb)
        except InvalidVersion:
            sb = str(b)
        expected = str((a > b) - (a < b))
        dev = BIG if too_big(sa) or too_big(sb) else None
        cases.append(("compare", ["compare", sa, sb], expected, dev))

    for _ in range(n):
        s = gen_spec(rng, pool)
        answer = spec_answer(s)
        if answer is None or legacy_only(s):
            continue
        if spec_too_big(s):
            cases.append(("spec", ["spec", s], answer, BIG))
            continue
        cases.append(("spec", ["spec", s], answer, None))
        if answer == "invalid":
            continue
        sp = Specifier(s)
        try:
            target = Version(sp.version.rstrip("*").rstrip("."))
        except InvalidVersion:
            target = rng.choice(pool)
        candidates = neighbours(rng, target) + [str(rng.choice(pool))]
        for c in rng.sample(candidates, min(6, len(candidates))):
            pre = rng.choice(["none", "true", "false"])
            try:
                expected = "true" if contains26(sp, Version(c), pre_arg(pre)) else "false"
            except InvalidVersion:
                continue
            if too_big(c):
                continue
            cases.append(("contains", ["contains", s, c, pre], expected, PREFIX if prefix_rule(s) else None))

    for _ in range(n // 2):
        items = [gen_spec(rng, pool) for _ in range(rng.randint(0, 3))]
        if rng.random() < 0.1:
            items.append("")
        s = ",".join(items)
        if any(legacy_only(x) for x in items):
            continue
        if any(spec_answer(x) is None or spec_too_big(x) for x in items if x.strip()):
            continue
        if not set_valid(s):
            if not MODERN:
                continue  # packaging < 22 falls back to legacy specifiers
            cases.append(("set", ["set", s], "invalid", None))
            continue
        ss = SpecifierSet(s)
        # packaging < 22 also merged ~= clauses equal after dropping trailing zeros.
        cases.append(("set", ["set", s], str(ss), PREFIX if prefix_rule(s) else None))
        dev = PREFIX if prefix_rule(s) else None
        targets = [Version(x.version.rstrip("*").rstrip(".")) for x in sorted(ss, key=str) if x.operator != "==="] or [rng.choice(pool)]
        candidates = neighbours(rng, rng.choice(targets)) + [str(rng.choice(pool))]
        candidates = [c for c in candidates if not too_big(c)]
        for c in rng.sample(candidates, min(4, len(candidates))):
            pre = rng.choice(["none", "true", "false"])
            expected = "true" if set_contains26(ss, Version(c), pre_arg(pre)) else "false"
            cases.append(("setcontains", ["setcontains", s, c, pre], expected, dev))
        if not candidates:
            continue
        versions = rng.sample(candidates, min(rng.randint(1, 6), len(candidates)))
        pre = rng.choice(["none", "none", "true", "false"])
        cases.append(("filter", ["filter", s, pre] + versions, filter_answer(ss, pre, versions), dev))

    name_chars = "aAzZ09._-"
    for _ in range(n // 2):
        name = "".join(rng.choice(name_chars + (" !@" if rng.random() < 0.1 else "")) for _ in range(rng.randint(0, 8)))
        valid = re.match(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])\Z", name, re.I) is not None
        cases.append(("name", ["name", name], canonicalize_name(name) + "\t" + ("1" if valid else "0"), None))

    cases += gen_markers.cases(rng, args.scale)
    cases += gen_tags.cases(rng, pool, args.scale)
    cases += gen_script.cases(rng, args.scale)

    answers = probe.ask(["\x1f".join(c[1]) for c in cases])
    diffs = {}
    totals = {}
    known = {}
    for (section, question, expected, deviation), got in zip(cases, answers):
        totals[section] = totals.get(section, 0) + 1
        if deviation == BIG:
            expected = "invalid"  # omni refuses the input with a clear error
            known[BIG] = known.get(BIG, 0) + 1
        if expected != got:
            if deviation:
                known[deviation] = known.get(deviation, 0) + 1
            else:
                diffs.setdefault(section, []).append((question, expected, got))
    print(f"packaging {_pkg.__version__} (python {sys.version.split()[0]}), seed {args.seed}")
    for section in totals:
        print(f"  {section:12s} {totals[section]:6d} cases, {len(diffs.get(section, [])):4d} differences")
    shown = 0
    for section, items in diffs.items():
        for question, expected, got in items:
            if shown >= args.show:
                break
            shown += 1
            print(f"DIFF {section}: {question[1:]!r}\n  packaging: {expected!r}\n  omni:      {got!r}")
    for deviation, count in known.items():
        print(f"  known deviation ({deviation}, see docs/STANDARDS.md): {count}")
    total = sum(len(v) for v in diffs.values())
    print(f"{sum(totals.values())} cases, {total} differences")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
