"""PEP 723 block extraction against the PEP's reference regex."""
import re

REGEX = r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$"

LINES = ["# /// script", "# /// pyproject", "# ///", "#", "# a = 1", "#x", "", "print()",
         "# /// script x", "#  /// script", "# dependencies = ['a']", "# ///  ", " # ///"]


def reference(script):
    matches = [m for m in re.finditer(REGEX, script) if m.group("type") == "script"]
    if len(matches) > 1:
        return "error"
    if not matches:
        return "none"
    content = "".join(line[2:] if line.startswith("# ") else line[1:]
                      for line in matches[0].group("content").splitlines(keepends=True))
    return content.replace("\n", "\\n")


def cases(rng, scale):
    out = []
    for _ in range(2000 * scale):
        lines = [rng.choice(LINES) for _ in range(rng.randint(0, 10))]
        if rng.random() < 0.5:
            i = rng.randint(0, len(lines))
            lines[i:i] = ["# /// script", "# a = 1", "# ///"]
        script = "\n".join(lines) + rng.choice(["", "\n"])
        if "\\" in script:
            continue
        out.append(("script", ["script", script.replace("\n", "\\n")], reference(script), None))
    return out
