"""Turn one file's bytes into `FileFacts`; every file problem becomes a `Problem`, never an abort."""

from __future__ import annotations

import ast  # loaded anyway (dataclasses imports inspect, which imports ast)
import io
import re
import tokenize
from typing import Dict, List, Optional, Set, Tuple

from importguard.facts.data_module import DATA_MODULE_BYTES, data_module_facts, quiet_parse
from importguard.facts.model import FileFacts, Problem
from importguard.facts.parse_options import ParseOptions
from importguard.facts.gcpause import paused_gc

SKIP_FILE = re.compile(rb"#\s*importguard:\s*skip-file\b")
SKIP_FILE_LINES = 10
NEWLINE = re.compile(r"\r\n|\r|\n")  # Python's own line ends (not form feeds and the like)
SUPPRESSION = re.compile(
    r"#\s*(?:importguard:\s*ignore(?:\[(?P<ig>[^\]]*)\])?|noqa(?::\s*(?P<noqa>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?)",
    re.IGNORECASE,
)


def comments_on(text: str, lines: Set[int]) -> Dict[int, str]:
    """The real comments (tokens, not `#` inside strings) on the given lines."""
    found: Dict[int, str] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT and token.start[0] in lines:
                found[token.start[0]] = token.string
    except (tokenize.TokenError, SyntaxError, ValueError):
        pass  # the parser accepted the file; a tokenizer quirk only costs these suppressions
    return found


def suppressions_in(text: str) -> Dict[int, List[str]]:
    """Line -> suppressed codes (empty list: every code) from inline comments. Only real comments
    count: `"# noqa"` inside a string suppresses nothing. Lines are first found with a regular
    expression, so a file without suppressions is never tokenized."""
    found: Dict[int, List[str]] = {}
    if "#" not in text:
        return found
    candidates = {
        number for number, line in enumerate(NEWLINE.split(text), start=1) if "#" in line and SUPPRESSION.search(line)
    }
    if not candidates:
        return found
    for number, line in sorted(comments_on(text, candidates).items()):
        for match in SUPPRESSION.finditer(line):
            listed = match.group("ig") if match.group("ig") is not None else match.group("noqa")
            codes = [c.strip().upper() for c in re.split(r"[,\s]+", listed or "") if c.strip()]
            previous = found.get(number)
            found[number] = [] if previous == [] or not codes else (previous or []) + codes
    return found


def python_syntax_error(data: bytes) -> Optional[SyntaxError]:
    """CPython's own verdict on the source: compiled to a tree, never executed.

    Used only once libcst has rejected a file: CPython's message and position are the ones users
    know, and a file CPython accepts is a construct libcst cannot parse (such as a parenthesised
    annotated target `(x): int = 1`), not a syntax error.
    """
    try:
        quiet_parse(data)
    except SyntaxError as error:
        return error
    except (ValueError, MemoryError, RecursionError) as error:
        return SyntaxError(f"Python cannot compile it: {type(error).__name__}" + (f": {error}" if str(error) else ""))
    return None


def extract_facts(data: bytes, options: ParseOptions) -> FileFacts:
    """Parse `data` once and walk it once. Never raises for bad input."""
    with paused_gc():
        return _extract(data, options)


def _extract(data: bytes, options: ParseOptions) -> FileFacts:
    if b"\0" in data:
        return FileFacts(problem=Problem("nul-bytes", "file contains NUL bytes", 1, 1))
    head = b"\n".join(data.split(b"\n", SKIP_FILE_LINES)[:SKIP_FILE_LINES])  # no full-file split
    if SKIP_FILE.search(head):
        return FileFacts(skip_file=True)

    too_deep = nesting_problem(data)
    if too_deep is not None:
        return FileFacts(problem=too_deep)
    if len(data) > DATA_MODULE_BYTES:
        light = data_module_facts(data)
        if light is not None:
            light.suppressions = suppressions_in(data.decode("utf-8", errors="replace"))
            return light

    import libcst as cst  # imported lazily: a warm run with every file cached never parses

    from importguard.facts.parsing import parse_module

    try:
        module = parse_module(data)
    except cst.ParserSyntaxError as error:
        python_error = python_syntax_error(data)
        if python_error is None:
            message = error.message.rstrip(".").replace("\n", " ")
            message = f"cannot analyse: libcst rejects syntax that Python accepts ({message})"
            # The message's "error at L:C" (column from 0) is where the statement fails;
            # `raw_line` can be the token after it, on the next line.
            at = re.search(r"error at (\d+):(\d+)", error.message)
            line, column = (int(at[1]), int(at[2]) + 1) if at else (error.raw_line, error.raw_column + 1)
            return FileFacts(problem=Problem("unsupported-syntax", message, line, column))
        return FileFacts(problem=Problem(
            "syntax", f"syntax error: {python_error.msg}", python_error.lineno or 1, python_error.offset or 1,
        ))
    except (UnicodeDecodeError, LookupError, SyntaxError) as error:
        return FileFacts(problem=Problem("undecodable", f"cannot decode file: {error}", 1, 1))
    except RecursionError:
        return FileFacts(problem=Problem("syntax", "syntax error: too deeply nested to parse", 1, 1))

    except Exception as error:  # noqa: BLE001 - any parser failure on one file is that file's finding
        return FileFacts(problem=Problem("analysis-failure", f"cannot analyse: the parser failed with {type(error).__name__}: {error}"[:300]))

    from importguard.facts.walker import FactWalker

    try:
        facts = FactWalker(module, options).run()
        facts.suppressions = suppressions_in(data.decode(module.encoding, errors="replace"))
    except Exception as error:  # noqa: BLE001 - one file never ends the run
        return FileFacts(problem=Problem("analysis-failure", f"cannot analyse: {type(error).__name__}: {error}"[:300]))
    return facts


BRACKETS = re.compile(rb"[()\[\]{}]")
# Operator chains libcst's parser cannot survive, each with the bytes it needs that many of: a
# file with fewer is never searched (the search costs ~5% of a cold run when it always runs).
CHAINS = (
    (re.compile(rb"(?:[-+~]\s*){400,}"), (b"-", b"+", b"~"), 400),
    (re.compile(rb"(?:\.\w+){2000,}"), (b".",), 2000),
    (re.compile(rb"(?:\[[^\[\]\n]{0,20}\]){2000,}"), (b"[",), 2000),
    (re.compile(rb"(?:\(\)){2000,}"), (b"()",), 2000),
)
MAX_NESTING = 200  # CPython's parser limit ("too many nested parentheses"); libcst crashes far above it


LONG_LINE = 20_000  # bytes; every crash shape of libcst's parser found so far needs one
MAX_TREE_DEPTH = 1000  # libcst handles ~1000 nested nodes; `lambda: ` x 20000 crashes it


def long_chain(data: bytes) -> bool:
    return any(
        sum(map(data.count, needed)) >= least and pattern.search(data) is not None
        for pattern, needed, least in CHAINS
    )


def deep_long_line(data: bytes) -> bool:
    """A very long line (`not not ... x`, `lambda: lambda: ...`, `a . b . c ...` 100,000 long) that
    CPython's parser (recursion-guarded) finds nested deeper than libcst's parser survives."""
    if len(data) <= LONG_LINE or max(map(len, data.split(b"\n"))) <= LONG_LINE:
        return False
    try:
        tree = quiet_parse(data)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return True  # CPython's verdict below decides
    stack: List[Tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_TREE_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return False


def python_compile_error(data: bytes) -> Optional[SyntaxError]:
    """Whether CPython can compile the source at all (to bytecode, never run): Python 3.9 parses
    `x.a.a...` 100,000 long but cannot compile it (RecursionError)."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(data, "<importguard>", "exec", dont_inherit=True)
    except SyntaxError as error:
        return error
    except (ValueError, MemoryError, RecursionError) as error:
        return SyntaxError(f"Python cannot compile it: {type(error).__name__}" + (f": {error}" if str(error) else ""))
    return None


def nesting_problem(data: bytes) -> Optional[Problem]:
    """Input that would crash or hang libcst's native parser, found before parsing: brackets
    nested deeper than CPython allows, or extremely long operator chains. CPython's own verdict
    decides: a syntax error it reports is a syntax problem; what it accepts cannot be analysed."""
    depth = deepest = 0
    opening = data.count(b"(") + data.count(b"[") + data.count(b"{")
    for match in BRACKETS.finditer(data) if opening > MAX_NESTING else ():  # strings included: an over-estimate
        depth = depth + 1 if match.group() in b"([{" else max(0, depth - 1)
        deepest = max(deepest, depth)
    if deepest <= MAX_NESTING and not long_chain(data) and not deep_long_line(data):
        return None
    error = python_syntax_error(data) or python_compile_error(data)
    if error is None:
        if deepest <= MAX_NESTING * 2 and not long_chain(data) and not deep_long_line(data):
            return None  # brackets inside strings: CPython parsed it, and so can libcst
        return Problem("unsupported-syntax", "cannot analyse: nested or chained too deeply for the parser (CPython accepts it)")
    return Problem("syntax", f"syntax error: {error.msg}", error.lineno or 1, error.offset or 1)
