#!/usr/bin/env python3
"""What a person sees of `omni matrix` in a terminal, and what a pipe gets.

Runs a real matrix (a generated package, four versions, one of which fails
with a coloured message) on real interpreters under a pseudo-terminal 40 and
120 columns wide, reads the screen through a VT100 emulator (pyte), and
checks: colour is on; no line is wider than the terminal; the live status
line leaves nothing behind; the grid shows every version. Through a pipe
there is no escape at all. NO_COLOR, FORCE_COLOR and --color decide as
documented, and a 48-cell report from JSON fits both widths.

usage: terminal_output_test.py OMNI_BINARY FIXTURES_DIR
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from terminal import SGR, check_width, run_in_pty, screen_of, skip  # noqa: E402

FAILED = []


def check(condition, what, output=""):
    if not condition:
        FAILED.append(what)
        print("FAILED: %s\n%s" % (what, output[-3000:]), flush=True)
    else:
        print("ok: " + what, flush=True)


def pyenv_python(version):
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    for path in sorted(glob.glob(os.path.join(root, "versions", version + ".*", "bin",
                                              "python" + version))):
        return path
    return None


def status_line_left(lines):
    return [line for line in lines if " running" in line or "/8 done" in line]


def main():
    omni, fixtures = sys.argv[1], sys.argv[2]
    try:
        import pyte  # noqa: F401
    except ImportError:
        skip("python3-pyte is not installed (scripts/test installs it)")
    pythons = [v for v in ("3.11", "3.9") if pyenv_python(v)]
    if "3.11" not in pythons:
        skip("Python 3.11 is not in ~/.pyenv/versions")
    if len(pythons) < 2:
        skip("Python 3.9 is not in ~/.pyenv/versions")

    with tempfile.TemporaryDirectory(prefix="omni-terminal-") as tmp:
        links = os.path.join(tmp, "links")
        spec = {"packages": [{"name": "omni-demo-colors", "version": "0.%d" % i}
                             for i in range(1, 5)]}
        subprocess.run([sys.executable, os.path.join(fixtures, "make_index.py"), "--root", links,
                        "--flat", "--spec-json", json.dumps(spec)], check=True,
                       stdout=subprocess.DEVNULL)
        # 0.3 fails with a coloured message, as a test runner would print it.
        check_py = os.path.join(tmp, "check.py")
        with open(check_py, "w") as f:
            f.write("import sys, omni_demo_colors as m\n"
                    "if m.__version__ == '0.3':\n"
                    "    sys.stderr.write('\\x1b[1;31mbroken release %s\\x1b[0m\\n' % m.__version__)\n"
                    "    sys.exit(1)\n")
        env = {k: v for k, v in os.environ.items()
               if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "OMNI_PYTHON",
                            "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
        env.update({"OMNI_HOME": os.path.join(tmp, "home"), "TERM": "xterm-256color",
                    "LANG": "C.UTF-8"})
        work = os.path.join(tmp, "work")
        os.makedirs(work)
        os.chdir(work)

        def matrix(*extra):
            return [omni, "--no-index", "--find-links", links, "matrix", "omni-demo-colors",
                    "--python", ",".join(pythons), "--versions", "all", "-j", "2",
                    "--test", "python " + check_py] + list(extra)

        # A real run in a narrow terminal.
        out, code = run_in_pty(matrix("--json", "r.json"), env, 40)
        screen = screen_of(out, 40)
        shown = "\n".join(screen)
        check(code == 1, "width 40: one failed cell, exit 1", out)
        check(SGR.search(out) is not None, "width 40: colour is on", out)
        check("\r" in out and "done" in out, "width 40: the live line was drawn", out)
        try:
            check_width(out, 40, "width 40")
            check(True, "width 40: no line wider than the terminal")
        except AssertionError as e:
            check(False, str(e), out)
        check(not status_line_left(screen), "width 40: no stale status line", shown)
        check(any(line.startswith("version") for line in screen), "width 40: the grid", shown)
        for v in ("0.1", "0.2", "0.3", "0.4"):
            check(any(line.startswith(v + " ") for line in screen),
                  "width 40: row " + v, shown)
        check("broken release 0.3" in shown, "width 40: the failing line below the grid", shown)
        report = json.load(open("r.json"))
        failed = [c for c in report["cells"] if c["status"] != "passed"]
        check(len(failed) == 2 and all(c["version"] == "0.3" for c in failed),
              "the report: 0.3 failed on both interpreters", json.dumps(report)[:2000])
        check(all("\x1b" not in c["detail"] and c["detail"] == "broken release 0.3"
                  for c in failed), "the report: details without escapes",
              json.dumps(failed))
        log = open(failed[0]["log"], encoding="utf-8").read()
        check("broken release 0.3" in log and "\x1b" not in log, "the log: without escapes", log)

        # The same run in a wide terminal: times in the cells.
        out, code = run_in_pty(matrix(), env, 120)
        screen = screen_of(out, 120)
        shown = "\n".join(screen)
        try:
            check_width(out, 120, "width 120")
            check(True, "width 120: no line wider than the terminal")
        except AssertionError as e:
            check(False, str(e), out)
        check(not status_line_left(screen), "width 120: no stale status line", shown)
        header = [line for line in screen if line.startswith("version")]
        check(len(header) == 1 and all(p in header[0] for p in pythons),
              "width 120: one grid, a column per interpreter", shown)
        row = [line for line in screen if line.startswith("0.3 ")]
        check(len(row) == 1 and row[0].count("\u2717") == 2 and "s" in row[0],
              "width 120: 0.3 failed on both, with times", shown)

        # Quiet: no live line.
        out, code = run_in_pty(matrix("-q"), env, 120)
        check(code == 1 and "running" not in out and "\r\x1b[K" not in out.replace("\r\n", ""),
              "-q: no progress", out)

        # A pipe: plain lines and the table, no escape anywhere.
        piped = subprocess.run(matrix(), env=env, capture_output=True, text=True, timeout=180)
        check(piped.returncode == 1, "pipe: exit 1", piped.stdout + piped.stderr)
        check("\x1b" not in piped.stdout + piped.stderr, "pipe: no escape sequences",
              piped.stdout + piped.stderr)
        check("[8/8]" in piped.stdout and "python   version" in piped.stdout,
              "pipe: a plain line per cell and the table", piped.stdout)

        # An install in a narrow terminal: the activity line (index, then
        # wheels unpacked) is drawn while work is under way and gone before
        # the install's own lines.
        chain = os.path.join(tmp, "chain")
        names = ["omni-act-%s" % c for c in "abcdef"]
        chain_spec = {"packages": [
            {"name": n, "version": "1.0", "requires": ([names[i + 1]] if i + 1 < len(names) else [])}
            for i, n in enumerate(names)]}
        subprocess.run([sys.executable, os.path.join(fixtures, "make_index.py"), "--root", chain,
                        "--flat", "--spec-json", json.dumps(chain_spec)], check=True,
                       stdout=subprocess.DEVNULL)
        out, code = run_in_pty([omni, "--python", "3.11", "--no-index", "--find-links", chain,
                                "install", names[0]], env, 40)
        screen = screen_of(out, 40)
        shown = "\n".join(screen)
        check(code == 0, "install at width 40: exit 0", out)
        check("wheels unpacked" in out, "install at width 40: the unpacking line was drawn", out)
        try:
            check_width(out, 40, "install at width 40")
            check(True, "install at width 40: no line wider than the terminal")
        except AssertionError as e:
            check(False, str(e), out)
        check(not [line for line in screen if "unpacked" in line or "in flight" in line],
              "install at width 40: no stale activity line", shown)
        check(screen and screen[-1] == "installed omni-act-f 1.0" or
              any(line.startswith("installed omni-act-a 1.0") for line in screen),
              "install at width 40: the install's own lines", shown)

        # Colour choices, on the report from JSON (nothing runs).
        merge = [omni, "matrix", "merge", os.path.abspath("r.json")]
        cases = [
            ("pty", {}, [], True),
            ("pty", {"NO_COLOR": "1"}, [], False),
            ("pty", {"NO_COLOR": ""}, [], True),  # empty is unset (no-color.org)
            ("pty", {}, ["--color", "never"], False),
            ("pty", {"NO_COLOR": "1"}, ["--color", "always"], True),
            ("pty", {"TERM": "dumb"}, [], False),
            ("pipe", {}, [], False),
            ("pipe", {}, ["--color", "always"], True),
            ("pipe", {"FORCE_COLOR": "1"}, [], True),
            ("pipe", {"FORCE_COLOR": "1", "NO_COLOR": "1"}, [], False),
        ]
        for where, extra_env, flags, coloured in cases:
            case_env = dict(env, **extra_env)
            argv = [omni] + flags + merge[1:]
            if where == "pty":
                out, _ = run_in_pty(argv, case_env, 120)
            else:
                r = subprocess.run(argv, env=case_env, capture_output=True, text=True, timeout=60)
                out = r.stdout + r.stderr
            name = "%s %s %s: colour %s" % (where, " ".join("%s=%s" % kv for kv in extra_env.items()),
                                            " ".join(flags), "on" if coloured else "off")
            check((SGR.search(out) is not None) == coloured, name, out)

        # error: and hint: lines go through the same palette.
        r = subprocess.run([omni, "matrix"], env=env, capture_output=True, text=True, timeout=60)
        check(r.stderr.startswith("error: omni matrix needs a package\nhint: "),
              "pipe: a plain error and hint", r.stderr)
        r = subprocess.run([omni, "--color", "always", "matrix"], env=env, capture_output=True,
                           text=True, timeout=60)
        check(r.stderr.startswith("\x1b[1;31merror:\x1b[0m omni matrix needs a package"),
              "--color always: a red error label", r.stderr)
        check("\x1b[1;36mhint:\x1b[0m" in r.stderr, "--color always: a cyan hint label", r.stderr)
        r = subprocess.run([omni, "--color", "sometimes", "matrix"], env=env, capture_output=True,
                           text=True, timeout=60)
        check(r.returncode == 2 and "--color" in r.stderr, "--color sometimes: a usage error",
              r.stderr)

        # 48 cells from JSON: 6 versions x 4 interpreters x 2 resolutions.
        cells = []
        for p in ("3.9", "3.10", "3.11", "3.12"):
            for v in ("2.0", "1.5", "1.4", "1.3", "1.2", "1.0"):
                for res in ("highest", "lowest"):
                    bad = (v == "1.0" and p == "3.12") or (v == "1.5" and res == "lowest")
                    cells.append({"index": len(cells), "python": p, "version": v,
                                  "resolution": res, "status": "failed" if bad else "passed",
                                  "exit_code": 1 if bad else 0, "duration_ms": 1234,
                                  "log": "/logs/%s-%s-%s.log" % (p, v, res),
                                  "detail": "ImportError: cannot import name 'x'" if bad else ""})
        ids = ["py%s-%s%s" % (c["python"], c["version"],
                              "" if c["resolution"] == "highest" else "-" + c["resolution"])
               for c in cells]
        big = {"schema_version": 2, "package": "demo", "test": "import", "wall_ms": 9000,
               "jobs": 2, "shard": {"index": 1, "count": 1}, "matrix_cells": ids,
               "cells": cells}
        with open("big.json", "w") as f:
            json.dump(big, f)
        for width in (40, 120):
            out, code = run_in_pty([omni, "matrix", "merge", os.path.abspath("big.json")], env,
                                   width)
            screen = screen_of(out, width)
            shown = "\n".join(screen)
            try:
                check_width(out, width, "48 cells at %d" % width)
                check(True, "48 cells at width %d: no line wider than the terminal" % width)
            except AssertionError as e:
                check(False, str(e), out)
            check(code == 1, "48 cells at width %d: exit 1" % width, out)
            blocks = sum(1 for line in screen if line.startswith("version"))
            check(blocks >= (2 if width == 40 else 1),
                  "48 cells at width %d: %d grid block(s)" % (width, blocks), shown)
            for v in ("2.0", "1.5", "1.4", "1.3", "1.2", "1.0"):
                rows = [line for line in screen if line.startswith(v + " ")]
                check(len(rows) == blocks, "48 cells at width %d: row %s in every block"
                      % (width, v), shown)
            marks = sum(line.count("\u2713") + line.count("\u2717") for line in screen
                        if line[:1].isdigit())
            check(marks == 48, "48 cells at width %d: 48 marks (%d)" % (width, marks), shown)

        # The other formats.
        out, _ = run_in_pty(merge + ["--format", "lines"], env, 120)
        check(all(("py%s-0.%d" % (p, i)) in out for p in pythons for i in range(1, 5)),
              "--format lines: every cell", out)
        out, _ = run_in_pty(merge + ["--format", "table"], env, 120)
        check("python   version" in out, "--format table: the table", out)

    if FAILED:
        print("%d check(s) failed" % len(FAILED))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
