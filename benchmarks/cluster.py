"""Local worker processes against a dask cluster on the synthetic project (issue 14, item 8).

Usage::

    pip install -e '.[dask]'
    python benchmarks/cluster.py [OUT] [--modules 20000] [--workers 2] [--runs 1]

Generates the synthetic project of `synthetic.py` (default 20,000 modules) in OUT, then times
cold runs (`--no-cache`) of `importguard check` with `--jobs N` and with `--executor` pointed at a
`distributed.LocalCluster` of N single-threaded worker processes started beforehand (its start-up
is reported apart). Prints medians, the peak memory of the importguard process tree (the
cluster's workers are not part of it), the machine's load average after each step and whether
the two runs' findings are identical.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import List, Optional, Sequence

from run import Measure, python_env, timed
from synthetic import generate


def median(measures: List[Measure]) -> Measure:
    return Measure(statistics.median(m.seconds for m in measures), max(m.peak_mb for m in measures))


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, nargs="?", default=Path(tempfile.gettempdir()) / "importguard-synthetic")
    parser.add_argument("--modules", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2, help="--jobs of the local run and worker processes of the cluster")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    from distributed import LocalCluster

    files = generate(args.out, args.modules, min(5000, args.modules // 4), 3)
    env = python_env()
    command = [sys.executable, "-m", "importguard", "check", str(args.out), "--no-cache", "-q", "--exit-zero", "--format", "json"]
    local_json, cluster_json = args.out.parent / "local.json", args.out.parent / "cluster.json"
    loads = {}  # the 1-minute load average at the end of each step: other work on the machine skews it
    local = median([timed([*command, "--jobs", str(args.workers), "--output", str(local_json)], args.out.parent, env)
                    for _ in range(args.runs)])
    loads["local"] = os.getloadavg()[0]
    start = time.perf_counter()
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        started = time.perf_counter() - start
        address = cluster.scheduler_address.replace("tcp://", "dask://")
        remote = median([timed([*command, "--executor", address, "--output", str(cluster_json)], args.out.parent, env)
                         for _ in range(args.runs)])
        loads["cluster"] = os.getloadavg()[0]
    same = filecmp.cmp(local_json, cluster_json, shallow=False)
    print(f"{files} files ({args.modules} modules), cold runs, median of {args.runs}:")
    print(f"  local --jobs {args.workers}:               {local.seconds:7.1f} s, {1000 * local.seconds / files:5.2f} ms/file, peak {local.peak_mb:5.0f} MB, "
          f"load {loads['local']:.1f}")
    print(f"  LocalCluster, {args.workers} worker processes: {remote.seconds:7.1f} s, {1000 * remote.seconds / files:5.2f} ms/file, "
          f"peak {remote.peak_mb:5.0f} MB, load {loads['cluster']:.1f} (importguard process only; cluster start-up {started:.1f} s not included)")
    print(f"  findings identical: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
