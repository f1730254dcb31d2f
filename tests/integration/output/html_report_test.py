#!/usr/bin/env python3
"""`omni matrix --html` and `omni matrix merge --html` on a real matrix.

A generated package in three versions runs on a real interpreter; 0.2 fails
and its log carries markup meant to break out of the page
(`</script><script>`, an <img onerror>) and colour codes. Both pages must
parse as HTML5 with html5lib in strict mode (any parse error fails), hold
every cell in the grid and in a section of its own with its log collapsed,
fetch nothing, and keep the hostile log as text. Headless Chromium renders
the merged page to a PNG, which must not be blank: the green and red of
the cells must be there.

usage: html_report_test.py OMNI_BINARY FIXTURES_DIR [SCREENSHOT.png]
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from png import colour_counts  # noqa: E402
from terminal import skip  # noqa: E402

HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
FAILED = []


def check(condition, what, detail=""):
    print(("ok: " if condition else "FAILED: ") + what, flush=True)
    if not condition:
        FAILED.append(what)
        if detail:
            print(detail[-3000:], flush=True)


def pyenv_python(version):
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    found = sorted(glob.glob(os.path.join(root, "versions", version + ".*", "bin",
                                          "python" + version)))
    return found[0] if found else None


def check_page(path, report, what):
    import html5lib

    data = open(path, "rb").read()
    try:
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        doc = parser.parse(data)
        check(True, "%s: valid HTML5 (html5lib, strict)" % what)
    except Exception as e:  # html5lib raises ParseError at the first error
        check(False, "%s: valid HTML5: %s" % (what, e))
        return
    scripts = doc.findall(".//script")
    check(len(scripts) == 1 and not scripts[0].get("src"), "%s: one inline script" % what)
    check(not doc.findall(".//img") and not doc.findall(".//link")
          and not doc.findall(".//iframe"), "%s: no images, links or frames" % what)
    outside = [e.get("href") for e in doc.iter() if e.get("href") and
               not e.get("href").startswith("#")]
    outside += [e.get("src") for e in doc.iter() if e.get("src")]
    check(not outside, "%s: nothing fetched (%s)" % (what, outside))
    cells = doc.findall(".//table[@class='grid']//td[@data-status]")
    check(len(cells) == len(report["cells"]), "%s: %d cells in the grid" % (what, len(cells)))
    by_id = {e.get("id"): e for e in doc.iter("section")}
    for cell in report["cells"]:
        section = by_id.get("cell-%d" % cell["index"])
        name = "py%s-%s" % (cell["python"], cell["version"])
        if section is None:
            check(False, "%s: a section for %s" % (what, name))
            continue
        text = "".join(section.itertext())
        check(name in text and cell["status"] in text, "%s: %s %s" % (what, name, cell["status"]))
        details = section.findall(".//details/pre")
        check(len(details) == 1, "%s: %s has its log collapsed" % (what, name))
        if cell["status"] != "passed" and details:
            log = "".join(details[0].itertext())
            check(HOSTILE in log and "\x1b" not in log,
                  "%s: the hostile log of %s is text, without escapes" % (what, name), log)
    check(b"<script>alert" not in data, "%s: the page never holds the log's markup" % what)


def screenshot(page, png, tmp):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        return None
    # Everything but file:// goes to a closed loopback port; no DNS at all.
    argv = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-extensions", "--disable-default-apps", "--no-pings",
            "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
            "--user-data-dir=" + os.path.join(tmp, "chromium-profile"),
            "--window-size=900,700", "--screenshot=" + png, "file://" + page]
    r = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    check(r.returncode == 0 and os.path.exists(png), "chromium wrote a screenshot",
          r.stdout + r.stderr)
    return png if os.path.exists(png) else None


def main():
    omni, fixtures = sys.argv[1], sys.argv[2]
    keep_png = sys.argv[3] if len(sys.argv) > 3 else None
    try:
        import html5lib  # noqa: F401
    except ImportError:
        skip("python3-html5lib is not installed (scripts/test installs it)")
    if not pyenv_python("3.11"):
        skip("Python 3.11 is not in ~/.pyenv/versions")

    with tempfile.TemporaryDirectory(prefix="omni-html-") as tmp:
        links = os.path.join(tmp, "links")
        spec = {"packages": [{"name": "omni-demo-colors", "version": "0.%d" % i}
                             for i in range(1, 4)]}
        subprocess.run([sys.executable, os.path.join(fixtures, "make_index.py"), "--root", links,
                        "--flat", "--spec-json", json.dumps(spec)], check=True,
                       stdout=subprocess.DEVNULL)
        check_py = os.path.join(tmp, "check.py")
        with open(check_py, "w") as f:
            f.write("import sys, omni_demo_colors as m\n"
                    "print('imported', m.__version__, m.__file__)\n"
                    "if m.__version__ == '0.2':\n"
                    "    sys.stderr.write('\\x1b[31m%s\\x1b[0m\\n' % " + repr(HOSTILE) + ")\n"
                    "    sys.exit(1)\n")
        env = {k: v for k, v in os.environ.items()
               if k not in ("OMNI_PYTHON", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
        env["OMNI_HOME"] = os.path.join(tmp, "home")
        work = os.path.join(tmp, "work")
        os.makedirs(work)
        r = subprocess.run([omni, "--no-index", "--find-links", links, "matrix",
                            "omni-demo-colors", "--python", "3.11", "--versions", "all",
                            "--test", "python " + check_py, "--json", "r.json",
                            "--html", "r.html"], cwd=work, env=env, capture_output=True,
                           text=True, timeout=300)
        check(r.returncode == 1, "the matrix ran, 0.2 failed", r.stdout + r.stderr)
        report = json.load(open(os.path.join(work, "r.json")))
        check(len(report["cells"]) == 3, "three cells")
        check_page(os.path.join(work, "r.html"), report, "matrix --html")

        r = subprocess.run([omni, "matrix", "merge", "r.json", "--html", "m.html"], cwd=work,
                           env=env, capture_output=True, text=True, timeout=60)
        check(r.returncode == 1 and os.path.exists(os.path.join(work, "m.html")),
              "merge --html wrote the page", r.stdout + r.stderr)
        check_page(os.path.join(work, "m.html"), report, "merge --html")

        png = screenshot(os.path.join(work, "m.html"), os.path.join(tmp, "report.png"), tmp)
        if png is None:
            if FAILED:
                return 1
            skip("chromium is not installed (scripts/test installs it): no screenshot")
        width, height, counts = colour_counts(png)
        pixels = width * height
        white = counts.get((255, 255, 255), 0)
        check(len(counts) > 20, "the screenshot has %d colours" % len(counts))
        check(pixels - white > pixels // 20, "the screenshot is not blank (%d of %d non-white)"
              % (pixels - white, pixels))
        green = counts.get((0xda, 0xfb, 0xe1), 0)  # a passed cell
        red = counts.get((0xff, 0xeb, 0xe9), 0)    # a failed cell
        check(green > 200 and red > 200, "passed and failed cells are drawn (%d green, %d red px)"
              % (green, red))
        if keep_png:
            shutil.copy(png, keep_png)

    if FAILED:
        print("%d check(s) failed" % len(FAILED))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
