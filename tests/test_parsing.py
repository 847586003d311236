"""The parse skips libcst's per-node validation (`importguard.facts.parsing`): the facts must be
those of a validated parse, and every node built outside the parse (a `--fix` edit) must still
be validated."""

from __future__ import annotations

import json
import sysconfig
from pathlib import Path

import libcst as cst
import pytest

import importguard.facts.parsing as parsing
from importguard.facts.extract import extract_facts
from importguard.facts.parse_options import ParseOptions

STDLIB = Path(sysconfig.get_paths()["stdlib"])
# Packages of the running Python's stdlib with a wide mix of syntax: decorators, async, match,
# walrus, f-strings, star-expressions, type annotations, `global`, try/except/finally.
SAMPLE = ["json", "email", "asyncio", "importlib", "concurrent", "dataclasses.py", "enum.py", "typing.py", "re"]


def stdlib_files():
    for name in SAMPLE:
        path = STDLIB / name
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def facts_json(data: bytes) -> str:
    return json.dumps(extract_facts(data, ParseOptions()).to_json(), sort_keys=True)


def test_facts_equal_those_of_a_validated_parse(monkeypatch):
    files = list(stdlib_files())
    assert len(files) > 100
    unvalidated = [facts_json(path.read_bytes()) for path in files]
    monkeypatch.setattr(parsing, "_VALIDATE", None)  # parse as libcst does by default
    validated = [facts_json(path.read_bytes()) for path in files]
    assert unvalidated == validated
    assert all(extract_facts(path.read_bytes(), ParseOptions()).problem is None for path in files[:20])


def test_nodes_built_after_a_parse_are_validated():
    extract_facts(b"import os\nprint(os.sep)\n", ParseOptions())
    with pytest.raises(cst.CSTValidationError):
        cst.Name("")


def test_validation_is_back_after_a_parse_that_fails():
    facts = extract_facts(b"def f(:\n    pass\n", ParseOptions())
    assert facts.problem is not None and facts.problem.kind == "syntax"
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")


def test_the_parse_skips_validation(monkeypatch):
    """What the module is for: while libcst parses, nodes are not validated (a hand-built
    invalid node inside the parse is accepted), and they are again after it."""
    seen = []
    real = cst.parse_module

    def spy(data: bytes) -> cst.Module:
        seen.append(cst.Name(""))  # raises CSTValidationError when validation is on
        return real(data)

    monkeypatch.setattr(cst, "parse_module", spy)
    parsing.parse_module(b"x = 1\n")
    assert len(seen) == 1
    with pytest.raises(cst.CSTValidationError):
        cst.Name("")
