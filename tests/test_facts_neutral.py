"""Facts say what was observed; only rules name codes.

`facts/` records a failing name read or an unanalysable file with a *kind*; each rule module lists
the kinds it reports. These tests fail when a code creeps back into the facts, when a kind has no
rule (or two), and when a binding's structure is lost on the way through the JSON cache.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Iterator, List, Set

import pytest

import importguard.facts
from importguard.facts.extract import extract_facts
from importguard.facts.parse_options import ParseOptions
from importguard.facts.model import BINDING_KINDS, NAME_KINDS, PROBLEM_KINDS, FileFacts
from importguard.rules.annotation_names import ANNOTATION_KINDS
from importguard.rules.files import SYNTAX_KINDS, UNREADABLE_KINDS
from importguard.rules.names import UNBOUND_LOCAL_KINDS, UNDEFINED_KINDS
from importguard.rules.unbound_paths import EXCEPTION_PATH_KINDS, POSSIBLY_UNBOUND_KINDS

FACTS = Path(importguard.facts.__file__).parent
SOURCE = FACTS.parent
RULE_CODE = re.compile(r"IG[0-9]{3}")


def docstrings(tree: ast.AST) -> Set[int]:
    """id() of the string constants that are docstrings (documentation may cite a rule)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def string_literals(path: Path) -> Iterator[ast.Constant]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped:
            yield node


def test_no_module_under_facts_names_a_rule_code_in_a_string():
    offending = [
        f"{path.name}:{node.lineno}: {node.value!r}"
        for path in sorted(FACTS.glob("*.py")) for node in string_literals(path) if RULE_CODE.search(node.value)
    ]
    assert offending == []


def test_the_code_check_finds_a_code_in_an_f_string(tmp_path):
    """The check above can fail: a code inside an f-string is a string literal too."""
    sample = tmp_path / "sample.py"
    sample.write_text('"""Docs may cite IG101."""\nkind = f"IG10{1}"\nother = "IG205 here"\n')
    assert [node.value for node in string_literals(sample) if RULE_CODE.search(node.value)] == ["IG205 here"]


def test_no_module_under_facts_is_too_big_to_read():
    """The house rule: modules of a few hundred lines, 600 at most (the walker is split by concern)."""
    sizes = {path.name: len(path.read_text(encoding="utf-8").splitlines()) for path in FACTS.glob("*.py")}
    assert {name: size for name, size in sizes.items() if size > 600} == {}


def test_every_name_kind_is_reported_by_exactly_one_rule():
    by_rule = [UNDEFINED_KINDS, UNBOUND_LOCAL_KINDS, POSSIBLY_UNBOUND_KINDS, EXCEPTION_PATH_KINDS, ANNOTATION_KINDS]
    every: List[str] = [kind for kinds in by_rule for kind in kinds]
    assert sorted(every) == sorted(NAME_KINDS)


def test_every_problem_kind_but_not_analysed_is_reported_by_exactly_one_rule():
    every = sorted([*SYNTAX_KINDS, *UNREADABLE_KINDS])
    assert every == sorted(set(PROBLEM_KINDS) - {"not-analysed"})


def call_arguments(function: str, position: int) -> Iterator[str]:
    """The string constants passed as argument `position` to calls of `function` anywhere in the package."""
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) <= position:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            argument = node.args[position]
            if name == function and isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                yield argument.value


def test_facts_use_only_declared_kinds():
    """A kind spelled differently where it is made than in the table would have no rule."""
    assert set(call_arguments("_issue", 1)) <= set(NAME_KINDS)
    assert set(call_arguments("_call_issue", 2)) <= set(NAME_KINDS)
    assert set(call_arguments("Problem", 0)) <= set(PROBLEM_KINDS)
    made = {kind for function in ("binding", "bind", "scan_store", "clear") for kind in call_arguments(function, 1)}
    assert {"import", "del", "except-end", "for"} <= made <= set(BINDING_KINDS)
    assert len(set(call_arguments("Problem", 0))) >= 8


@pytest.mark.parametrize("source, kind, binding", [
    ("def f():\n    os.getcwd()\n    import os\n", "unbound-local", ("import", "`import os`", "os")),
    ("def f():\n    print(x)\n    x = 1\n", "unbound-local", ("assignment", "assignment", None)),
    ("def f():\n    try:\n        import a.b as c\n    except ImportError:\n        pass\n    return c\n",
     "exception-path", ("import", "`import a.b as c`", "a.b")),
    ("def f():\n    x = 1\n    del x\n    return x\n", "cleared", ("del", "`del`", None)),
    ("def f():\n    try:\n        pass\n    except ValueError as e:\n        pass\n    return e\n", "cleared", ("except-end", "`except … as`", None)),
    ("def g():\n    from .m import k as j\n\n\ndef f():\n    return j\n", "elsewhere", ("import", "`from .m import k`", ".m.k")),
    ("print(late)\nlate = 1\n", "before-binding", ("assignment", "assignment", None)),
    ("print(missing)\n", "undefined", None),
])
def test_a_failing_read_records_its_kind_and_a_structured_binding(source, kind, binding):
    facts = extract_facts(source.encode(), ParseOptions())
    assert [issue.kind for issue in facts.names] == [kind]
    found = facts.names[0].binding
    assert (found and (found.kind, found.text, found.target)) == binding


def test_a_call_before_the_binding_records_the_call_and_the_binding_apart():
    source = "def outer():\n    def inner():\n        return value\n    inner()\n    value = 1\n"
    [issue] = extract_facts(source.encode(), ParseOptions()).names
    assert (issue.kind, issue.callee, issue.call_line, issue.binding and issue.binding.line) == (
        "called-too-early-local", "inner", 4, 5,
    )


def test_facts_with_bindings_survive_the_json_cache_round_trip():
    source = "def f():\n    os.getcwd()\n    import os\n\n\ndef g():\n    x = 1\n    del x\n    return x\n"
    facts = extract_facts(source.encode(), ParseOptions())
    assert len(facts.names) == 2
    assert FileFacts.from_json(json.loads(json.dumps(facts.to_json()))) == facts


@pytest.mark.parametrize("data, kind", [
    (b"def f(:\n", "syntax"),
    (b"x = 1\0\n", "nul-bytes"),
    (b"# -*- coding: no-such-codec -*-\nx = 1\n", "undecodable"),
])
def test_an_unanalysable_file_records_what_went_wrong(data, kind):
    problem = extract_facts(data, ParseOptions()).problem
    assert problem is not None and problem.kind == kind
