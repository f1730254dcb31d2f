"""Times omni_loader workers from the main env's python (run by worker_bench.sh).

Prints one markdown table row per measurement: warm call round trips (a
small payload, a 4 MiB buffer each way), cold start (first call of a new
worker, 3.11 and 3.9), and the floor of starting a plain
subprocess.run([python, "-c", ...]) for the same work.
"""
import os
import subprocess
import sys
import time

import omni_loader


def stats(samples):
    samples = sorted(samples)
    return samples[len(samples) // 2], samples[0], samples[-1], len(samples)


def row(what, samples):
    median, low, high, runs = stats([s * 1000.0 for s in samples])
    print("| %s | %.3f | %.3f | %.3f | %d |" % (what, median, low, high, runs))


def timed(fn, runs):
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main():
    here = omni_loader.worker("ext-demo==1.0")
    here.call("ext_demo:version")
    small = b"x" * 64
    row("warm call, small payload (3.11 -> 3.11)",
        timed(lambda: here.call("ext_demo:checksum", small), 2000))
    big = b"\x02" * (4 << 20)
    row("warm call, 4 MiB buffer in (checksum)",
        timed(lambda: here.call("ext_demo:checksum", big), 50))
    row("warm call, 4 MiB buffer in and 4 MiB out (scale)",
        timed(lambda: here.call("ext_demo:scale", big, 3), 50))
    legacy = omni_loader.worker("ext-demo==1.0", python="3.9")
    legacy.call("ext_demo:version")
    row("warm call, small payload (3.11 -> 3.9)",
        timed(lambda: legacy.call("ext_demo:checksum", small), 2000))

    def cold(python):
        w = omni_loader.worker("ext-demo==1.0", python=python)
        w.close()
        w.call("ext_demo:version")
        w.close()
    row("cold start: new worker + first call (3.11)", timed(lambda: cold(None), 15))
    row("cold start: new worker + first call (3.9)", timed(lambda: cold("3.9"), 15))

    path = omni_loader.bubble_path("ext-demo==1.0")
    code = "import sys; sys.path.insert(0, %r); import ext_demo; ext_demo.checksum(b'x' * 64)" % path
    row("subprocess.run([python, '-c', import + call]) (3.11)",
        timed(lambda: subprocess.run([sys.executable, "-c", code], check=True), 15))
    start = os.listdir("/dev/shm")
    assert not [n for n in start if n.startswith("omni-w-%d-" % os.getpid())]


if __name__ == "__main__":
    main()
