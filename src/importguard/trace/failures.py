"""The runtime failures importguard can trace to a static cause, recognised from their messages.

The same patterns read the last line of a traceback and bare messages inside any log line
(`WebSocket error: name 'time' is not defined`). They cover the wording of Python 3.9 to 3.13:
"local variable 'x' referenced before assignment" became "cannot access local variable 'x'
where it is not associated with a value" in 3.11, and 3.10+ appends "Did you mean: ...?" or
"Did you forget to import ...?" to a NameError; 3.13 words a partial module's missing attribute
as "module 'm' has no attribute 'X' (consider renaming ...)" when `m` is a file of the current
folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Optional, Set, Tuple

from importguard.rules.runtime_errors import (
    FREE_VARIABLE,
    MISSING_NAME,
    MODULE_ATTRIBUTE,
    NAME,
    NO_MODULE,
    PARTIAL_ATTRIBUTE,
    PARTIAL_IMPORT,
    UNBOUND_LOCAL,
)


@dataclass(frozen=True)
class Failure:
    """What failed, in importguard's terms: the kind, the name and (for imports) the module."""

    kind: str
    error: str  # the exception class Python raises
    name: Optional[str] = None
    module: Optional[str] = None

    @property
    def python_message(self) -> str:
        """The message in today's wording (for reports and grouping)."""
        return PYTHON_WORDING[self.kind].format(name=self.name, module=self.module)


PYTHON_WORDING = {
    NAME: "name '{name}' is not defined",
    UNBOUND_LOCAL: "cannot access local variable '{name}' where it is not associated with a value",
    FREE_VARIABLE: "cannot access free variable '{name}' where it is not associated with a value in enclosing scope",
    PARTIAL_IMPORT: "cannot import name '{name}' from partially initialized module '{module}' (most likely due to a circular import)",
    PARTIAL_ATTRIBUTE: "partially initialized module '{module}' has no attribute '{name}' (most likely due to a circular import)",
    MODULE_ATTRIBUTE: "module '{module}' has no attribute '{name}'",
    MISSING_NAME: "cannot import name '{name}' from '{module}'",
    NO_MODULE: "No module named '{module}'",
}

_IDENT = r"[^\W\d]\w*"
_DOTTED = rf"{_IDENT}(?:\.{_IDENT})*"

# Most specific first: a partial-import message also contains "cannot import name 'X' from".
PATTERNS: Tuple[Tuple[str, str, "re.Pattern[str]"], ...] = (
    (PARTIAL_IMPORT, "ImportError", re.compile(
        rf"cannot import name '(?P<name>{_IDENT})' from partially initialized module '(?P<module>{_DOTTED})'")),
    (PARTIAL_ATTRIBUTE, "AttributeError", re.compile(
        rf"partially initialized module '(?P<module>{_DOTTED})' has no attribute '(?P<name>{_IDENT})'")),
    (MODULE_ATTRIBUTE, "AttributeError", re.compile(rf"module '(?P<module>{_DOTTED})' has no attribute '(?P<name>{_IDENT})'")),
    (MISSING_NAME, "ImportError", re.compile(rf"cannot import name '(?P<name>{_IDENT})' from '(?P<module>{_DOTTED})'")),
    (NO_MODULE, "ModuleNotFoundError", re.compile(rf"No module named '(?P<module>{_DOTTED})'")),
    (FREE_VARIABLE, "NameError", re.compile(
        rf"(?:cannot access free variable '(?P<name>{_IDENT})' where it is not associated|"
        rf"free variable '(?P<old>{_IDENT})' referenced before assignment)")),
    (UNBOUND_LOCAL, "UnboundLocalError", re.compile(
        rf"(?:cannot access local variable '(?P<name>{_IDENT})' where it is not associated|"
        rf"local variable '(?P<old>{_IDENT})' referenced before assignment)")),
    (NAME, "NameError", re.compile(rf"(?:global )?name '(?P<name>{_IDENT})' is not defined")),
)


# One search that rules out most log lines before the patterns above run.
ANY_FAILURE = re.compile(r"is not defined|variable '|cannot import name|has no attribute|No module named")


def find_failures(text: str) -> Iterator[Tuple[int, int, Failure]]:
    """Every recognised failure message in `text`, with where it starts and ends (one per position)."""
    if not ANY_FAILURE.search(text):
        return
    seen: Set[Tuple[int, int]] = set()
    for kind, error, pattern in PATTERNS:
        for match in pattern.finditer(text):
            if any(start <= match.start() < end for start, end in seen):
                continue  # already read by a more specific pattern
            seen.add((match.start(), match.end()))
            found = match.groupdict()
            name = found.get("name") or found.get("old")
            yield match.start(), match.end(), Failure(kind, error, name, found.get("module"))


def failure_of(error: str, message: str) -> Optional[Failure]:
    """The failure behind a traceback's last line `error: message`, when it is one importguard
    traces (the exception class must agree: `KeyError: "name 'x' is not defined"` is not)."""
    base = error.rsplit(".", 1)[-1]
    for _, _, failure in find_failures(message):
        if base == failure.error or (base == "ImportError" and failure.kind == NO_MODULE):
            return failure
    return None
