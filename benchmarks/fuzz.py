"""A long fuzzing run of the facts step: generated programs (hypothesmith, from the grammar and
from the syntax tree) and byte-level mutations of real files. Reports how many inputs were tried
and every one that crashed or gave different facts twice.

Usage::

    python benchmarks/fuzz.py [--examples 2000] [--seconds 600]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import test_fuzz  # noqa: E402  (the strategies and the properties of the test-suite)

import hypothesmith  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=2000, help="examples per strategy")
    parser.add_argument("--seconds", type=float, default=600, help="stop starting new strategies after this")
    args = parser.parse_args()
    budget = settings(max_examples=args.examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    tried = {"grammar": 0, "syntax tree": 0, "mutations": 0}
    started = time.monotonic()

    def program(name: str):
        def run(source: str) -> None:
            tried[name] += 1
            data = source.encode("utf-8", "surrogatepass")
            assert test_fuzz.facts_of(data) == test_fuzz.facts_of(data)
        return run

    def mutated(path: Path, mutations: list) -> None:
        tried["mutations"] += 1
        facts = test_fuzz.extract_facts(test_fuzz.mutate(path.read_bytes(), mutations), test_fuzz.OPTIONS)
        assert facts.problem is None or facts.problem.code in ("IG001", "IG002")

    tests = [
        ("grammar", given(hypothesmith.from_grammar())(program("grammar"))),
        ("syntax tree", given(hypothesmith.from_node())(program("syntax tree"))),
        ("mutations", given(st.sampled_from(test_fuzz.SEED_FILES), st.lists(test_fuzz.MUTATIONS, min_size=1, max_size=8))(mutated)),
    ]
    failures = 0
    for name, test in tests:
        if time.monotonic() - started > args.seconds:
            break
        try:
            budget(test)()
        except Exception as error:  # noqa: BLE001 - a finding of the fuzzer, reported
            failures += 1
            print(f"{name}: FAILED: {type(error).__name__}: {error}")
    print(", ".join(f"{name}: {count} inputs" for name, count in tried.items()) + f"; {failures} failing strateg(ies)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
