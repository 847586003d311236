"""Property tests: generated programs and mutated real files never crash the analysis, and the
same input always gives the same findings. A small budget runs here; `benchmarks/fuzz.py` runs
a long one."""

from __future__ import annotations

from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
hypothesmith = pytest.importorskip("hypothesmith")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from importguard.facts.extract import extract_facts  # noqa: E402
from importguard.facts.model import PROBLEM_KINDS  # noqa: E402
from importguard.facts.parse_options import ParseOptions  # noqa: E402

OPTIONS = ParseOptions()
SEED_FILES = sorted((Path(__file__).resolve().parents[1] / "examples" / "chat_service" / "chat").glob("*.py"))
BUDGET = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def facts_of(source: bytes) -> object:
    facts = extract_facts(source, OPTIONS)
    return facts.to_json()


@BUDGET
@given(hypothesmith.from_grammar())
def test_programs_from_the_grammar(source: str) -> None:
    data = source.encode("utf-8", "surrogatepass")
    assert facts_of(data) == facts_of(data)


@BUDGET
@given(hypothesmith.from_node())
def test_programs_from_the_syntax_tree(source: str) -> None:
    data = source.encode("utf-8", "surrogatepass")
    assert facts_of(data) == facts_of(data)


MUTATIONS = st.one_of(
    st.tuples(st.just("flip"), st.integers(min_value=0), st.integers(min_value=0, max_value=255)),
    st.tuples(st.just("truncate"), st.integers(min_value=0), st.just(0)),
    st.tuples(st.just("insert"), st.integers(min_value=0), st.sampled_from([0, 0xEF, 0xFE, 0xFF, 0x0A, 0x28, 0x5B])),
    st.tuples(st.just("bom"), st.just(0), st.just(0)),
)


def mutate(data: bytes, mutations: list) -> bytes:
    """Byte flips, truncations, inserted NULs, brackets and newlines, and byte-order marks."""
    buffer = bytearray(data)
    for kind, where, value in mutations:
        at = where % (len(buffer) + 1)
        if kind == "flip" and buffer:
            buffer[at % len(buffer)] = value
        elif kind == "truncate":
            del buffer[at:]
        elif kind == "bom":
            buffer[:0] = b"\xef\xbb\xbf"
        else:
            buffer[at:at] = bytes([value])
    return bytes(buffer)


@BUDGET
@given(st.sampled_from(SEED_FILES), st.lists(MUTATIONS, min_size=1, max_size=4))
def test_mutated_real_files_give_only_findings(path: Path, mutations: list) -> None:
    facts = extract_facts(mutate(path.read_bytes(), mutations), OPTIONS)
    assert facts.problem is None or facts.problem.kind in PROBLEM_KINDS
