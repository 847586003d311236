"""What a log line names besides its error: the logger that wrote it, or a source file.

Loggers are conventionally named after their module (`logging.getLogger(__name__)`), so a line
such as `ERROR [app.websocket_core] WebSocket error: name 'time' is not defined`,
`app.websocket_core.auth - ERROR - ...` (the logging cookbook's format), `ERROR:app.auth:...`
(logging's default format) or one naming `app/websocket_core/auth.py` points at the code that
caught or raised the error. Only the text outside the error's own message is read:
`No module named 'app.x'` names the missing module, not the logger. Which of these names are
modules of the project is decided later, against the project (`explain`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence, Set, Tuple

from importguard.trace.paths import FileIndex

LEVELS = "CRITICAL|FATAL|ERROR|WARNING|WARN|INFO|DEBUG"
IDENTIFIER = r"[^\W\d]\w*"
# A source path: `app/websocket_core/auth.py`, `/srv/app/auth.py:47`, `C:\srv\app\auth.py`.
PATH = re.compile(rf"(?:\b[A-Za-z]:)?[/\\]?(?:[\w.-]+[/\\])*{IDENTIFIER}\.py(?!\w)")
DOTTED = re.compile(rf"(?<![\w.]){IDENTIFIER}(?:\.{IDENTIFIER})+")
# An undotted logger name only where a log format puts the logger: `[app]`, `app - ERROR -`, `ERROR:app:`.
LOGGER = re.compile(
    rf"\[(?P<bracketed>{IDENTIFIER})\]|(?<![\w.])(?P<cookbook>{IDENTIFIER}) - (?:{LEVELS})\b|\b(?:{LEVELS}):(?P<default>{IDENTIFIER}):"
)
NAME = re.compile(rf"{IDENTIFIER}(?:\.{IDENTIFIER})*")


def names_in(text: str, messages: Sequence[Tuple[int, int]], origin: Iterable[str] = ()) -> List[str]:
    """The module names (dotted or a logger's single name) and source paths (ending in `.py`) a
    log line names, outside the spans of its error messages, then those of its JSON record's
    logger and path fields (`origin`), each once."""
    for start, end in messages:
        text = text[:start] + " " * (end - start) + text[end:]
    found: List[str] = []
    for match in PATH.finditer(text):
        found.append(match.group())
        text = text[:match.start()] + " " * len(match.group()) + text[match.end():]
    found += [match.group() for match in DOTTED.finditer(text)]
    found += [name for match in LOGGER.finditer(text) for name in match.groups() if name]
    found += [value for value in origin if value.endswith(".py") or NAME.fullmatch(value)]
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Named:
    """A module or package of the project that a log line names."""

    logged: str  # as the line wrote it: a logger name, a path
    module: str


def resolve(names: Iterable[str], modules: Set[str], index: FileIndex) -> List[Named]:
    """What the names stand for in the project: a path is the file it ends with (deployment paths
    map as traceback frames do), a dotted name the longest leading part that is a module or package
    of the project (`app.websocket_core` for a logger `app.websocket_core.send`). Names of nothing
    in the project (`uvicorn.error`) are dropped."""
    found = []
    for name in names:
        if name.endswith(".py"):
            source = index.find(name)
            module = source.module.name if source and source.module else None
        else:
            parts = name.split(".")
            module = next((m for m in (".".join(parts[:n]) for n in range(len(parts), 0, -1)) if m in modules), None)
        if module is not None:
            found.append(Named(name, module))
    return found


def rank_by_name(module: Optional[str], named: Sequence[Named]) -> Tuple[Tuple[int, bool], Optional[str]]:
    """Where a finding in `module` ranks by what the log lines name (a sort key, smallest first)
    and why it ranks up: the named module itself, then modules inside a named package, then
    modules sharing a package with a named module, the more leading parts shared the better.
    (0, True) and None when it shares nothing with any."""
    best: Tuple[Tuple[int, bool], Optional[str]] = ((0, True), None)
    if module is None:
        return best
    for name in named:
        shared = common_parts(module, name.module)
        key = (-len(shared), module != name.module)
        if shared and key < best[0]:
            best = (key, reason(module, name, ".".join(shared)))
    return best


def reason(module: str, name: Named, shared: str) -> str:
    logged = f" (`{name.logged}`)" if name.logged != name.module else ""
    if module == name.module:
        return f"the log line names `{module}`{logged}"
    if shared == name.module:
        return f"in `{shared}`, which the log line names{logged}"
    return f"in `{shared}`, as is `{name.module}`, which the log line names{logged}"


def common_parts(first: str, second: str) -> List[str]:
    shared = []
    for a, b in zip(first.split("."), second.split(".")):
        if a != b:
            break
        shared.append(a)
    return shared
