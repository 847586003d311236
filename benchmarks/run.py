"""importguard against its floor and its peers, measured in one run on the same trees.

Usage::

    pip install -e '.[bench]'
    python benchmarks/run.py [--corpus DIR ...] [--runs 3] [--jobs N] [--markdown]

Corpora (default): this Python's standard library and Django's source, unpacked from its sdist
(downloaded once with `pip download` into `benchmarks/.corpora/`, which git ignores). Each
corpus is copied to a scratch folder so the cache and the "one file touched" edit never touch
the original.

For each corpus it times (median of `--runs`, wall clock, with the peak memory of the whole
process tree): importguard cold (`--no-cache`, jobs 1 and N), warm (nothing changed), warm with
one file changed, the plain `libcst.parse_module` of the same files on 1 and N processes (the
floor), pyflakes, ruff (`F821,F822,F823`, no cache) and pylint (`cyclic-import` and the name
checks, `-j N`). Ratios are against pyflakes and against the two-process parse.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

HERE = Path(__file__).resolve().parent
CORPORA = HERE / ".corpora"
DJANGO = "Django==5.1.4"
PYLINT_CHECKS = "cyclic-import,undefined-variable,used-before-assignment,possibly-used-before-assignment,undefined-all-variable"


@dataclass
class Measure:
    seconds: float
    peak_mb: float


def tree_rss_kb(pid: int) -> int:
    """Memory of a process and all its descendants (Linux /proc): the proportional set size, so
    pages the workers share with the main process after `fork` are counted once, not per process."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                total += next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
            with open(f"/proc/{current}/task/{current}/children") as children:
                stack.extend(int(c) for c in children.read().split())
        except (OSError, ValueError):
            continue
    return total


def timed(command: Sequence[str], cwd: Path, env: Optional[Dict[str, str]] = None) -> Measure:
    """Run `command`, sampling the process tree's memory every 20 ms."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kb(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {stderr.decode()[-400:]}")
    return Measure(elapsed, peak / 1024)


def python_env() -> Dict[str, str]:
    """Bytecode caching on, as on a user's machine (this sandbox sets PYTHONDONTWRITEBYTECODE)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def django_corpus() -> Path:
    target = CORPORA / "Django-5.1.4"
    if not target.is_dir():
        CORPORA.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", DJANGO, "--no-deps", "--no-binary", ":all:", "-d", str(CORPORA)],
            check=True, capture_output=True,
        )
        with tarfile.open(next(CORPORA.glob("Django-*.tar.gz"))) as archive:
            archive.extractall(CORPORA)  # noqa: S202 - Django's own sdist from PyPI
    return target / "django"


def parse_floor(files: List[Path], jobs: int) -> None:
    """The floor: parse every file with libcst and do nothing else."""
    if jobs <= 1:
        for path in files:
            parse_file(path)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(parse_file, files, chunksize=16))


def parse_file(path: Path) -> None:
    import libcst

    try:
        libcst.parse_module(path.read_bytes())
    except Exception:  # noqa: BLE001 - a file libcst rejects still costs its attempt
        pass


def bench_corpus(source: Path, runs: int, jobs: int, skip: Sequence[str] = ()) -> Dict[str, Measure]:
    scratch = Path(tempfile.mkdtemp(prefix="importguard-bench-"))
    tree = scratch / source.name
    shutil.copytree(source, tree, ignore=shutil.ignore_patterns("__pycache__", ".importguard_cache"))
    (scratch / "pyproject.toml").write_text("[tool.importguard]\n")
    env = python_env()
    files = sorted(p for p in tree.rglob("*.py") if "site-packages" not in p.parts)
    # The file edited: from the middle of the list, the first with a `return` inside a function.
    touched = next(p for p in files[len(files) // 2:] + files if first_return_line(p.read_bytes()).endswith(b")"))
    original = touched.read_bytes()
    importguard = [sys.executable, "-m", "importguard", "check", str(tree), "--exit-zero", "-q", "--format", "json"]
    subprocess.run([sys.executable, "-c", "import importguard.cli, libcst"], env=env, check=True)  # write .pyc

    def warm_touched(lines_moved: bool) -> Measure:
        """One file edited: a comment added to a `return` line inside a function (no line
        moves: project-level facts unchanged), or a line added at the top (every line moves)."""
        stamp = b"# touched %d" % time.time_ns()
        if lines_moved:
            edited = stamp + b"\n" + original
        else:
            head, _, tail = original.partition(b"\n        return ")
            line, _, rest = tail.partition(b"\n")
            edited = head + b"\n        return " + line + b"  " + stamp + b"\n" + rest
        touched.write_bytes(edited)
        try:
            return timed([*importguard, "--jobs", str(jobs)], scratch, env)
        finally:
            touched.write_bytes(original)
            timed([*importguard, "--jobs", str(jobs)], scratch, env)  # back to a warm cache

    listing = scratch / "files.txt"
    listing.write_text("\n".join(map(str, files)))
    floor = [sys.executable, str(Path(__file__)), "--parse-floor", str(listing), "--jobs"]
    steps: Dict[str, Callable[[], Measure]] = {
        "libcst parse, 1 process": lambda: timed([*floor, "1"], scratch, env),
        f"libcst parse, {jobs} processes": lambda: timed([*floor, str(jobs)], scratch, env),
        "importguard cold, jobs 1": lambda: timed([*importguard, "--no-cache", "--jobs", "1"], scratch, env),
        f"importguard cold, jobs {jobs}": lambda: timed([*importguard, "--no-cache", "--jobs", str(jobs)], scratch, env),
        f"importguard warm, jobs {jobs}": lambda: timed([*importguard, "--jobs", str(jobs)], scratch, env),
        "importguard warm, 1 function body edited": lambda: warm_touched(False),
        "importguard warm, 1 file's lines moved": lambda: warm_touched(True),
        "pyflakes": lambda: timed([sys.executable, "-m", "pyflakes", str(tree)], scratch, env),
        "ruff (F821,F822,F823)": lambda: timed(
            [sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated", "--select", "F821,F822,F823", "--exit-zero", str(tree)],
            scratch, env),
        f"pylint (cycles + names, -j {jobs})": lambda: timed(
            [sys.executable, "-m", "pylint", "--disable=all", f"--enable={PYLINT_CHECKS}", f"-j{jobs}", "--exit-zero", str(tree)],
            scratch, env),
    }
    steps = {name: step for name, step in steps.items() if not any(name.startswith(s) for s in skip)}
    timed([*importguard, "--jobs", str(jobs)], scratch, env)  # fill the cache for the warm steps
    results: Dict[str, List[Measure]] = {name: [] for name in steps}
    for _ in range(runs):
        for name, step in steps.items():
            results[name].append(step())
    shutil.rmtree(scratch, ignore_errors=True)
    return {
        name: Measure(statistics.median(m.seconds for m in ms), max(m.peak_mb for m in ms))
        for name, ms in results.items()
    } | {"_files": Measure(len(files), 0)}


def first_return_line(source: bytes) -> bytes:
    """The first `return` line at method depth, without its newline (b"" when there is none)."""
    _, found, tail = source.partition(b"\n        return ")
    return tail.partition(b"\n")[0] if found else b""


def report(corpus: str, results: Dict[str, Measure], jobs: int, markdown: bool) -> None:
    files = int(results.pop("_files").seconds)
    pyflakes = results["pyflakes"].seconds if "pyflakes" in results else float("nan")
    floor = results.get(f"libcst parse, {jobs} processes", Measure(float("nan"), 0)).seconds
    if markdown:
        print(f"\n### {corpus} ({files} files)\n")
        print("| step | median s | × pyflakes | × parse (N proc) | peak MB |")
        print("|---|---|---|---|---|")
    else:
        print(f"\n{corpus} ({files} files)")
    for name, measure in results.items():
        cells = (name, f"{measure.seconds:.2f}", f"{measure.seconds / pyflakes:.2f}", f"{measure.seconds / floor:.2f}", f"{measure.peak_mb:.0f}")
        print("| " + " | ".join(cells) + " |" if markdown else f"  {cells[0]:<36} {cells[1]:>7} s  {cells[2]:>6}x pyflakes  {cells[3]:>6}x parse  {cells[4]:>5} MB")


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", type=Path, help="a tree to measure (default: stdlib and Django)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    parser.add_argument("--skip", default="", help="semicolon-separated step name prefixes to leave out, e.g. 'pylint;ruff'")
    parser.add_argument("--parse-floor", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.parse_floor:
        parse_floor([Path(p) for p in args.parse_floor.read_text().splitlines()], args.jobs)
        return 0
    corpora = args.corpus or [Path(sysconfig.get_paths()["stdlib"]), django_corpus()]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, jobs {args.jobs}, runs {args.runs}, "
          f"{time.strftime('%Y-%m-%d')}")
    for corpus in corpora:
        skip = [s.strip() for s in args.skip.split(";") if s.strip()]
        report(str(corpus), bench_corpus(corpus, args.runs, args.jobs, skip), args.jobs, args.markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
