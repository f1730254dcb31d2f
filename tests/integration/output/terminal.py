"""Runs omni under a pseudo-terminal of a given size, and reads what a
person would see (stdlib plus Debian's python3-pyte, a VT100 emulator)."""
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

# CSI, OSC (to BEL or ST), other two-byte escapes: what omni may write.
ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
SGR = re.compile(r"\x1b\[[0-9;]*m")


def skip(why):
    """Stops the test: exit 77 (skip), or a failure when CI=true."""
    print("SKIP: " + why, flush=True)
    sys.exit(1 if os.environ.get("CI") == "true" else 77)


def visible(text):
    return ESCAPE.sub("", text)


def run_in_pty(argv, env, width, height=200, timeout=180):
    """(output, exit status) of argv run with a pty of width x height as its
    stdin, stdout and stderr."""
    pid, fd = pty.fork()
    if pid == 0:
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    chunks = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                raise AssertionError("timed out after %ss: %s" % (timeout, argv))
            ready, _, _ = select.select([fd], [], [], min(left, 1.0))
            if not ready:
                continue
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    return b"".join(chunks).decode("utf-8", "replace"), os.waitstatus_to_exitcode(status)


def screen_of(output, width, height=200):
    """The lines a terminal of that size shows at the end (trailing blanks
    dropped), through pyte."""
    import pyte

    screen = pyte.Screen(width, height)
    stream = pyte.Stream(screen)
    # The pty turns "\n" into "\r\n"; pyte wants the same.
    stream.feed(output)
    lines = [line.rstrip() for line in screen.display]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def physical_lines(output):
    """Every piece of text written between two line starts: split at "\\n"
    and at "\\r" (a redraw), escapes removed."""
    pieces = []
    for line in output.replace("\r\n", "\n").split("\n"):
        for piece in line.split("\r"):
            pieces.append(visible(piece))
    return pieces


def check_width(output, width, what):
    """No piece of output is wider than the terminal, except a line that is
    one path (no spaces), which is printed on a line of its own."""
    for piece in physical_lines(output):
        if len(piece) <= width:
            continue
        if " " not in piece.strip() and piece.strip().startswith("/"):
            continue
        raise AssertionError("%s: a line of %d columns in a terminal of %d:\n%r"
                             % (what, len(piece), width, piece))
