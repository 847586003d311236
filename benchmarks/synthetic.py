"""Generate a synthetic project for the scale check: many modules in deep packages, ordinary
imports between them, and one giant import-time cycle.

Usage::

    python benchmarks/synthetic.py OUT [--modules 20000] [--cycle 5000] [--depth 3]
    python benchmarks/synthetic.py OUT --scale 2000,5000,10000,20000   # time importguard on each

Every module is about the size of an average Django module (~170 lines): imports of the standard
library and of earlier first-party modules, a class with methods, functions with branches, loops,
`try` blocks and a function-local import. The first `--cycle` modules each import the next at
module level (`from pkg import next_module`, a submodule, so the cycle is benign) and the last one
imports the first. With `--scale`, the script generates each size and runs `importguard check
--no-cache --jobs N` on it, printing seconds per file and the share of the whole-project phase (module index, graph, cycles
and every rule).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path
from typing import List, Optional, Sequence

BRANCHING = 20  # subpackages per package

BODY = '''

class Service{n}:
    """A service with a cache and a few methods."""

    retries = 3

    def __init__(self, name: str, limit: int = 10) -> None:
        self.name = name
        self.limit = limit
        self.cache: dict = {{}}

    def get(self, key: str) -> Optional[str]:
        if key in self.cache:
            return self.cache[key]
        for attempt in range(self.retries):
            try:
                value = self.load(key, attempt)
            except KeyError:
                continue
            else:
                self.cache[key] = value
                return value
        return None

    def load(self, key: str, attempt: int) -> str:
        if attempt > self.limit:
            raise KeyError(key)
        return json.dumps({{"key": key, "attempt": attempt, "service": self.name}})

    def report(self) -> str:
        import textwrap

        lines = [f"{{k}}={{v}}" for k, v in sorted(self.cache.items())]
        return textwrap.indent("\\n".join(lines), "  ")


def compute_{n}(values: List[int]) -> int:
    total = 0
    for index, value in enumerate(values):
        if value % 2:
            total += value * index
        elif value > 100:
            total -= value
        else:
            total += 1
    return total


def parse_{n}(text: str) -> dict:
    result = {{}}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        result[key.strip()] = value.strip()
    return result


def walk_{n}(root: str) -> List[str]:
    found = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if name.endswith(".py"):
                found.append(os.path.join(folder, name))
    return sorted(found)


def describe_{n}(item: object) -> str:
    match = getattr(item, "name", None)
    if match is None:
        return repr(item)
    with open(os.devnull, "w") as sink:
        sink.write(str(match))
    return str(match)
'''

FILLER = '''

def helper_{n}_{k}(a: int, b: int = 2) -> int:
    """Helper {k}."""
    if a > b:
        return a - b
    while a < b:
        a += 1
    return a * b
'''


def module_path(index: int, depth: int) -> List[str]:
    """Package parts and module name of module `index`."""
    parts = []
    rest = index // 50
    for _ in range(depth - 1):
        parts.append(f"p{rest % BRANCHING:02d}")
        rest //= BRANCHING
    return ["synth", *reversed(parts), f"m{index:05d}"]


def generate(out: Path, modules: int, cycle: int, depth: int) -> int:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / "pyproject.toml").write_text("[tool.importguard]\n")
    files = 0
    for index in range(modules):
        parts = module_path(index, depth)
        folder = out.joinpath(*parts[:-1])
        if not folder.is_dir():
            folder.mkdir(parents=True)
            for level in range(1, len(parts)):
                init = out.joinpath(*parts[:level], "__init__.py")
                if not init.exists():
                    init.write_text('"""Synthetic package."""\n')
                    files += 1
        imports = ["import json", "import os", "from typing import List, Optional"]
        for earlier in (index // 2, index // 3):
            if earlier < index and earlier >= cycle:
                target = module_path(earlier, depth)
                imports.append(f"from {'.'.join(target[:-1])} import {target[-1]}")
        if index < cycle:
            following = module_path((index + 1) % cycle, depth)
            imports.append(f"from {'.'.join(following[:-1])} import {following[-1]}  # the big cycle")
        body = BODY.format(n=index) + "".join(FILLER.format(n=index, k=k) for k in range(6))
        (folder / f"{parts[-1]}.py").write_text(f'"""Synthetic module {index}."""\n\n' + "\n".join(imports) + "\n" + body)
        files += 1
    return files


def check(out: Path, jobs: int) -> dict:
    """A cold run (no cache) in this process, with the time of each phase."""
    from importguard.run.config import load_config
    from importguard.run.check import run_check
    from importguard.run.settings import Settings

    start = time.perf_counter()
    result = run_check([out], Settings(load_config(out, None), jobs=jobs, use_cache=False), cwd=out)
    total = time.perf_counter() - start
    codes: dict = {}
    for finding in result.findings:
        codes[finding.code] = codes.get(finding.code, 0) + 1
    return {"seconds": total, "files": result.files, "phases": result.timings, "by_code": codes}


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--modules", type=int, default=20000)
    parser.add_argument("--cycle", type=int, default=5000)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--scale", help="comma-separated module counts to generate and time")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.scale.split(",")] if args.scale else [args.modules]
    for size in sizes:
        files = generate(args.out, size, min(args.cycle, size // 4), args.depth)
        if not args.scale:
            print(f"generated {files} files in {args.out}")
            continue
        result = check(args.out, args.jobs)
        phases = result["phases"]
        project = phases["project"] + phases["rules"]
        print(
            f"{size:>6} modules, {files:>6} files: cold {result['seconds']:7.1f} s, "
            f"{1000 * result['seconds'] / files:5.2f} ms/file; whole-project phase {project:5.2f} s "
            f"({100 * project / result['seconds']:.1f}%); findings {result['by_code']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
