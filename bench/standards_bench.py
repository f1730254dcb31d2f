#!/usr/bin/env python3
"""Benchmark: omni's packaging standards against pip's vendored packaging.

Times the same operations on the same inputs (generated from a fixed seed)
in omni (omni_standards_probe's `bench` command, which times in C++) and in
packaging (timed here), and prints a Markdown table of operations/second.

    ~/.pyenv/versions/3.13.0/bin/python bench/standards_bench.py \
        --probe build-bench/tests/differential/omni_standards_probe [--write-doc]

Build the probe optimized first (see docs/BENCHMARKS.md):
    cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release
    cmake --build build-bench --target omni_standards_probe -j2
"""
import argparse
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "differential"))

import differential as gen  # noqa: E402  (the generators of the differential test)
import gen_markers  # noqa: E402
from pip._vendor import packaging as pkg  # noqa: E402
from pip._vendor.packaging.markers import Marker  # noqa: E402
from pip._vendor.packaging.requirements import Requirement  # noqa: E402
from pip._vendor.packaging.specifiers import SpecifierSet  # noqa: E402
from pip._vendor.packaging.version import InvalidVersion, Version  # noqa: E402


def rate(ops, body, min_time=0.3):
    total = 0
    start = time.perf_counter()
    while True:
        body()
        total += ops
        elapsed = time.perf_counter() - start
        if elapsed >= min_time:
            return total / elapsed


# The environment markers are evaluated in (the probe uses the same values).
ENV = {"python_version": "3.11", "python_full_version": "3.11.7", "sys_platform": "linux",
       "os_name": "posix", "platform_machine": "x86_64", "implementation_name": "cpython",
       "platform_release": "6.1.0", "platform_system": "Linux", "platform_version": "1",
       "platform_python_implementation": "CPython", "implementation_version": "3.11.7",
       "extra": ""}


def make_inputs(seed, n):
    rng = random.Random(seed)
    versions = []
    while len(versions) < n:
        s = gen.gen_version(rng, mutate_p=0)
        try:
            Version(s)
        except InvalidVersion:
            continue
        if not gen.too_big(s):
            versions.append(s.strip())
    pool = [Version(v) for v in versions]
    specs = []
    while len(specs) < n:
        s = ",".join(gen.gen_spec(rng, pool) for _ in range(rng.randint(1, 3)))
        if gen.set_valid(s) and all(gen.spec_answer(x) for x in s.split(",")) and \
                not any(gen.spec_too_big(x) for x in s.split(",")) and "\x1f" not in s:
            try:
                SpecifierSet(s)
                specs.append(s)
            except Exception:
                pass
    reqs = []
    while len(reqs) < n // 4:
        r = gen_markers.gen_requirement(rng)
        try:
            Requirement(r)
            reqs.append(r)
        except Exception:
            pass
    markers = []
    while len(markers) < n // 4:
        m = gen_markers.gen_marker(rng)
        try:
            Marker(m).evaluate(ENV)
            markers.append(m)
        except Exception:
            pass
    return versions, specs, reqs, markers


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--probe", required=True)
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--write-doc", action="store_true", help="update docs/BENCHMARKS.md")
    args = ap.parse_args()
    versions, specs, reqs, markers = make_inputs(args.seed, args.n)
    parsed = [Version(v) for v in versions]
    sets = [SpecifierSet(s) for s in specs]
    contains_cases = list(zip(sets, parsed))
    parsed_markers = [Marker(m) for m in markers]
    env = ENV

    py = {
        "parse": ("parse a version", len(versions), lambda: [Version(v) for v in versions]),
        "compare": ("compare two versions", len(parsed) - 1,
                    lambda: [parsed[i] < parsed[i + 1] for i in range(len(parsed) - 1)]),
        "hash": ("hash a version", len(parsed), lambda: [hash(v) for v in parsed]),
        "sort": (f"sort {len(parsed)} versions", 1, lambda: sorted(parsed)),
        "spec_parse": ("parse a specifier set", len(specs), lambda: [SpecifierSet(s) for s in specs]),
        "contains": ("specifier set contains version", len(contains_cases),
                     lambda: [s.contains(v) for s, v in contains_cases]),
        "requirement": ("parse a PEP 508 requirement", len(reqs), lambda: [Requirement(r) for r in reqs]),
        "marker": ("evaluate a marker", len(parsed_markers),
                   lambda: [m.evaluate(env) for m in parsed_markers]),
    }
    files = {
        "parse": versions, "compare": versions, "hash": versions, "sort": versions,
        "spec_parse": specs, "contains": [f"{s}\x1f{v}" for s, v in zip(specs, versions)],
        "requirement": reqs, "marker": markers,
    }
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        questions = []
        for key, lines in files.items():
            path = os.path.join(tmp, key + ".txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")
            questions.append("\x1f".join(["bench", key, path]))
        out = subprocess.run([args.probe], input=("\n".join(questions) + "\n").encode(),
                             stdout=subprocess.PIPE, check=True).stdout.decode().split("\n")
        for (key, (label, ops, body)), omni_rate in zip(py.items(), out):
            p = rate(ops, body)
            o = float(omni_rate)
            rows.append((label, o, p, o / p))
    header = (f"packaging {pkg.__version__} on Python {platform.python_version()}, "
              f"{len(versions)} versions / {len(specs)} specifier sets / {len(reqs)} requirements "
              f"/ {len(markers)} markers (seed {args.seed}), {platform.machine()}")
    table = [header, "", "| operation | omni (ops/s) | packaging (ops/s) | speed-up |",
             "|---|---:|---:|---:|"]
    for label, o, p, x in rows:
        table.append(f"| {label} | {o:,.0f} | {p:,.0f} | {x:,.0f}x |")
    text = "\n".join(table)
    print(text)
    if args.write_doc:
        doc = os.path.join(HERE, "..", "docs", "BENCHMARKS.md")
        section = ("## Packaging standards\n\n"
                   "`bench/standards_bench.py` times omni's `standards` module (through "
                   "`omni_standards_probe`'s `bench` command, built with "
                   "`-DCMAKE_BUILD_TYPE=Release` in `build-bench/`) against pip's vendored "
                   "`packaging` on the same inputs in the same run. Parsing rates include "
                   "building the value; `contains` uses pre-parsed sets and versions with the "
                   "default pre-release policy.\n\n"
                   "    cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release\n"
                   "    cmake --build build-bench --target omni_standards_probe -j2\n"
                   "    ~/.pyenv/versions/3.13.0/bin/python bench/standards_bench.py \\\n"
                   "        --probe build-bench/tests/differential/omni_standards_probe --write-doc\n\n"
                   + text + "\n\n"
                   "Reading the numbers: the aim is two orders of magnitude. Matching "
                   "(`contains`) and marker evaluation reach it. Comparing, hashing and sorting "
                   "stay at 10-40x because packaging computes a comparison key tuple once when "
                   "it parses a version, so its comparisons are C-level tuple comparisons; omni "
                   "compares the fields directly without allocating. Parsing is 25-70x: "
                   "packaging's cost there is one regular expression match plus object "
                   "construction. The machine is shared (2 cores), so rates vary by about 20% "
                   "between runs.\n")
        old = open(doc, encoding="utf-8").read() if os.path.exists(doc) else "# Benchmarks\n"
        if "## Packaging standards" in old:
            old = re.sub(r"## Packaging standards\n.*?(?=\n## |\Z)", section.rstrip("\n") + "\n", old,
                         flags=re.S)
            new = old
        else:
            new = old.rstrip("\n") + "\n\n" + section
        with open(doc, "w", encoding="utf-8") as f:
            f.write(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
