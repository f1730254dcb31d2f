#!/usr/bin/env python3
"""Times whole commands: each is run --runs times after --warmup runs, and
the median, min and max wall-clock times are printed as a Markdown table.

usage: timing.py [--runs N] [--warmup N] [--setup CMD] LABEL=COMMAND ...
"{i}" in COMMAND becomes the run's index, so that a command can change
something on every run. COMMAND is split like a shell would (shlex) and run without a shell, so no
shell start-up is counted.
"""
import argparse
import shlex
import statistics
import subprocess
import sys
import time


def measure(command, runs, warmup):
    argv = shlex.split(command)
    for i in range(warmup):
        subprocess.run([a.replace("{i}", "w%d" % i) for a in argv], check=True,
                       stdout=subprocess.DEVNULL)
    samples = []
    for i in range(runs):
        run_argv = [a.replace("{i}", str(i)) for a in argv]
        start = time.perf_counter()
        subprocess.run(run_argv, check=True, stdout=subprocess.DEVNULL)
        samples.append((time.perf_counter() - start) * 1000.0)
    return samples


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("commands", nargs="+")
    args = parser.parse_args()
    print("| command | median ms | min ms | max ms | runs |")
    print("|---|---:|---:|---:|---:|")
    for item in args.commands:
        label, _, command = item.partition("=")
        samples = measure(command, args.runs, args.warmup)
        print("| {} | {:.2f} | {:.2f} | {:.2f} | {} |".format(
            label, statistics.median(samples), min(samples), max(samples), len(samples)))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
