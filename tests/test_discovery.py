"""The folded gitignore matcher agrees with pathspec's own matching, negations included."""

from __future__ import annotations

import pathspec
import pytest

from importguard.run.config import DEFAULT_EXCLUDE
from importguard.run.discovery import matcher

PATHS = [
    "build/", "src/build/", "src/pkg/mod.py", "pkg.egg-info/", "a/node_modules/", "docs/conf.py",
    "keep/build/", "generated_pb2.py", "x/.tox/", "tests/fixtures/data.py", "notes.txt", "venv/",
]


@pytest.mark.parametrize("lines", [
    DEFAULT_EXCLUDE,
    ["*_pb2.py", "docs/", "/tests/fixtures/"],
    ["build/", "!keep/build/", "*.txt"],  # a negation: falls back to pathspec itself
    [],
])
def test_matcher_agrees_with_pathspec(lines):
    spec = pathspec.GitIgnoreSpec.from_lines(list(lines))
    matches = matcher(lines)
    assert [matches(p) for p in PATHS] == [bool(spec.match_file(p)) for p in PATHS]
