"""Time `importguard check` from several source trees (e.g. before/after a change) and pyflakes
over the same tree, in one run, so the figures are comparable.

Usage::

    git worktree add /tmp/before <commit>
    python benchmarks/stdlib_speed.py --src before=/tmp/before/src --src after=src [--tree DIR] [--jobs N] [--runs N]

Each `--src LABEL=DIR` runs `python -m importguard check TREE --jobs N` with DIR first on
PYTHONPATH (the installed dependencies are shared). pyflakes runs through its API over the same
files with N worker processes. Prints the median wall time of each and the ratios to pyflakes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import sysconfig
import time
from typing import Optional, Sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyflakes_diff import run_pyflakes  # noqa: E402  (a sibling script, not a package)


def time_importguard(src: str, tree: str, jobs: int) -> float:
    env = {**os.environ, "PYTHONPATH": os.path.abspath(src)}
    command = [sys.executable, "-m", "importguard", "check", tree, "--jobs", str(jobs), "--exit-zero", "--format", "json"]
    start = time.perf_counter()
    done = subprocess.run(command, cwd="/", env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"importguard from {src} failed: {done.stderr.strip()[-500:]}")
    return elapsed


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", action="append", required=True, help="LABEL=DIR of an importguard source tree")
    parser.add_argument("--tree", default=sysconfig.get_paths()["stdlib"])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    times = {}
    for _ in range(args.runs):
        times.setdefault("pyflakes", []).append(run_pyflakes(args.tree, args.jobs).seconds)
        for item in args.src:
            label, _, src = item.partition("=")
            times.setdefault(label, []).append(time_importguard(src, args.tree, args.jobs))
    baseline = statistics.median(times["pyflakes"])
    print(f"tree: {args.tree}  jobs: {args.jobs}  runs: {args.runs}  python: {sys.version.split()[0]}")
    for label, values in times.items():
        median = statistics.median(values)
        print(f"{label:>12}: {median:7.2f} s   {median / baseline:5.2f}x pyflakes   runs: {', '.join(f'{v:.2f}' for v in values)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
