"""The context recorded for each import: scope, handlers, TYPE_CHECKING, guards, positions."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from importguard.facts.extract import extract_facts
from importguard.facts.parse_options import ParseOptions

OPTIONS = ParseOptions()  # names `TYPE_CHECKING` the type-checking guard


def imports_of(source: str):
    facts = extract_facts(textwrap.dedent(source).encode(), OPTIONS)
    assert facts.problem is None, facts.problem
    return facts.imports


def one(source: str):
    (fact,) = imports_of(source)
    return fact


def test_import_error_fallback_is_guarded_and_not_in_a_reportable_handler():
    first, second = imports_of("""
        try:
            import ujson as json
        except ImportError:
            import json
    """)
    assert first.guarded and first.handler is None and first.alias == "json"
    assert second.handler is None and second.line == 5


def test_import_in_generic_handler_records_the_caught_names_and_line():
    fact = one("""
        def route():
            try:
                pass
            except (ValueError, KeyError) as error:
                from .utils import helper
    """)
    assert fact.handler is not None and fact.handler.caught == ["ValueError", "KeyError"]
    assert fact.handler.line == 5 and fact.scope == "function" and fact.function == "route"
    assert (fact.level, fact.module, fact.names) == (1, "utils", [["helper", None]])


def test_nested_handler_inside_import_error_handler_is_reported_by_innermost_generic_handler():
    fact = one("""
        try:
            pass
        except ImportError:
            try:
                pass
            except Exception:
                import fallback
    """)
    assert fact.handler is not None and fact.handler.caught == ["Exception"]


def test_import_error_handler_nested_in_generic_handler_still_runs_in_the_generic_handler():
    fact = one("""
        try:
            pass
        except Exception:
            try:
                pass
            except ImportError:
                import fallback
    """)
    assert fact.handler is not None and fact.handler.caught == ["Exception"]


def test_bare_except_and_except_star():
    bare, star = imports_of("""
        try:
            pass
        except:
            import a
        try:
            pass
        except* ValueError:
            import b
    """)
    assert bare.handler is not None and bare.handler.caught == []
    assert star.handler is not None and star.handler.caught == ["ValueError"]


def test_function_defined_in_a_handler_does_not_run_in_it():
    fact = one("""
        try:
            pass
        except Exception:
            def later():
                import a
    """)
    assert fact.handler is None and fact.scope == "function" and fact.function == "later"


def test_class_body_import_is_import_time():
    fact = one("""
        class Settings:
            import os
            def method(self):
                pass
    """)
    assert fact.scope == "class" and fact.edge_kind == "import-time"


def test_method_import_records_qualified_function_name():
    fact = one("""
        class Client:
            def connect(self):
                def inner():
                    import socket
    """)
    assert fact.function == "Client.connect.<locals>.inner" and fact.edge_kind == "deferred"


@pytest.mark.parametrize(
    "source, typing_only",
    [
        ("if TYPE_CHECKING:\n    import a\n", True),
        ("if typing.TYPE_CHECKING:\n    import a\n", True),
        ("if not TYPE_CHECKING:\n    import a\n", False),
        ("if not TYPE_CHECKING:\n    pass\nelse:\n    import a\n", True),
        ("if TYPE_CHECKING:\n    pass\nelse:\n    import a\n", False),
        ("if DEBUG:\n    import a\n", False),
    ],
)
def test_type_checking_variants(source, typing_only):
    fact = one(source)
    assert fact.type_checking is typing_only
    assert fact.edge_kind == ("typing-only" if typing_only else "import-time")


def test_conditional_and_finally_contexts():
    in_if, in_loop, in_finally = imports_of("""
        if DEBUG:
            import a
        for x in y:
            import b
        try:
            pass
        finally:
            import c
    """)
    assert in_if.conditional and in_loop.conditional and in_finally.in_finally


def test_dynamic_imports_constant_and_computed():
    facts = extract_facts(textwrap.dedent("""
        import importlib
        from importlib import import_module
        a = importlib.import_module("pkg.a")
        b = import_module(".b", __package__)
        c = __import__("c")
        def load(name):
            return importlib.import_module(name)
    """).encode(), OPTIONS)
    dynamic = [(f.module, f.level, f.line) for f in facts.imports if f.kind == "dynamic"]
    assert dynamic == [("pkg.a", 0, 4), ("b", 1, 5), ("c", 0, 6)]
    (call,) = facts.dynamic_calls
    assert (call.callee, call.line, call.column, call.function) == ("importlib.import_module", 8, 12, "load")


def test_lambda_bodies_are_deferred():
    (fact,) = [f for f in extract_facts(b"loader = lambda: __import__('json')\n", OPTIONS).imports]
    assert fact.scope == "function" and fact.edge_kind == "deferred"


STDLIB = Path(ast.__file__).parent
POSITION_CORPUS = ["ast.py", "typing.py", "argparse.py", "inspect.py", "subprocess.py", "unittest/mock.py", "idlelib/squeezer.py"]


@pytest.mark.parametrize("name", POSITION_CORPUS)
def test_import_positions_match_cpython_on_real_code(name):
    """Line numbers come from counting newline tokens; CPython's own tree is the reference."""
    data = (STDLIB / name).read_bytes()
    expected = []
    for node in ast.walk(ast.parse(data)):
        if isinstance(node, ast.Import):
            expected += [(node.lineno, node.col_offset + 1)] * len(node.names)
        elif isinstance(node, ast.ImportFrom):
            expected.append((node.lineno, node.col_offset + 1))
    got = [(f.line, f.column) for f in extract_facts(data, OPTIONS).imports if f.kind != "dynamic"]
    assert sorted(got) == sorted(expected)


def test_positions_in_multiline_statements_and_strings():
    source = 'x = """\none\ntwo\n"""\ny = (\n    1,\n)\nif (a and\n        b): import os\nz = 1; import sys\n'
    facts = extract_facts(source.encode(), OPTIONS)
    assert [(f.line, f.column) for f in facts.imports] == [(9, 13), (10, 8)]
