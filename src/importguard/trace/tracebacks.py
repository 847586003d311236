"""Find Python errors in log text: printed tracebacks (chained ones and exception groups included)
and bare failure messages inside any log line. Identical errors are grouped and counted.

A traceback is read from its `Traceback (most recent call last):` header. Whatever precedes the
header on its line (`web_1  | `, a timestamp) is taken as a prefix that the following lines of
the traceback may repeat. Exception groups (PEP 654) draw `|` and `+--- 1 ---` borders around
their sub-exceptions; the borders are removed and each sub-exception is an error of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from importguard.trace.failures import Failure, failure_of, find_failures
from importguard.trace.logtext import Line
from importguard.trace.named import names_in

HEADER = re.compile(r"(?P<group>Exception Group )?Traceback \(most recent call last\):")
FRAME = re.compile(r'File "(?P<path>[^"]*)", line (?P<line>\d+)(?:, in (?P<function>\S.*))?')
EXCEPTION = re.compile(r"(?P<error>[^\W\d][\w.]*)(?:: (?P<message>.*))?")
GROUP_BORDER = re.compile(r"\s*\+[-+]+(?: (?:\d+|\.\.\.) -+)?\s*")  # `+-+---- 1 ----`, `+-------`
GROUP_MARGIN = re.compile(r"\s*[|+] ")
DIGITS = re.compile(r"\d")
SUGGESTION = re.compile(r"\. (?:Did you mean: .*\?|Did you forget to import .*\?)$")
CONTEXT = "During handling of the above exception, another exception occurred:"
CAUSE = "The above exception was the direct cause of the following exception:"

# A bare message this many lines before a traceback of the same error is that traceback's log
# message (`logger.exception("WebSocket error: %s", exc)`), not a second occurrence.
MESSAGE_BEFORE_TRACEBACK = 3


@dataclass(frozen=True)
class Frame:
    path: str  # as printed: a deployment path such as /app/chat/auth.py, or <string>
    line: int
    function: str


@dataclass
class LoggedError:
    """One distinct error of the log, with every log line it occurred on."""

    error: str  # the exception class as printed
    message: str
    frames: Tuple[Frame, ...]  # outermost first; empty for a bare message
    failure: Optional[Failure]
    lines: List[int] = field(default_factory=list)
    context: Optional[str] = None  # "raised while handling ...", "part of ExceptionGroup ..."
    sample: Optional[str] = None  # the log line of a bare message
    names: List[str] = field(default_factory=list)  # modules and paths its bare messages' lines name (named.py)

    @property
    def count(self) -> int:
        return len(self.lines)

    @property
    def headline(self) -> str:
        return f"{self.error}: {self.message}" if self.message else self.error


@dataclass
class _Sighting:
    error: LoggedError
    line: int
    index: int  # position in the text line stream


def find_errors(lines: Sequence[Line]) -> List[LoggedError]:
    """Every distinct error of the log, in order of first occurrence."""
    sightings: List[_Sighting] = []
    index = 0
    while index < len(lines):
        text = lines[index].text
        header = HEADER.search(text) if "Traceback (most recent call last):" in text else None
        if header is None:
            sightings.extend(_bare(lines[index], index))
            index += 1
            continue
        end, found = _read_traceback(lines, index, header)
        failures = {s.error.failure for s in found if s.error.failure}
        recent = []
        while sightings and sightings[-1].index >= index - MESSAGE_BEFORE_TRACEBACK:
            recent.append(sightings.pop())
        sightings.extend(s for s in reversed(recent) if s.error.frames or s.error.failure not in failures)
        sightings.extend(found)
        index = max(end, index + 1)
    return _grouped(sightings)


def _bare(line: Line, index: int) -> List[_Sighting]:
    failures = list(find_failures(line.text))
    names = names_in(line.text, [(start, end) for start, end, _ in failures], line.origin)
    found = []
    for _, _, failure in failures:
        error = LoggedError(failure.error, failure.python_message, (), failure, sample=line.text.strip(), names=list(names))
        found.append(_Sighting(error, line.number, index))
    return found


def _read_traceback(lines: Sequence[Line], start: int, header: "re.Match[str]") -> Tuple[int, List[_Sighting]]:
    """The errors of the traceback whose header is at `start`, and the index after it."""
    prefix = lines[start].text[:header.start()]
    if header.group("group"):
        prefix = re.sub(r"\s*\+\s*$", "", prefix)
    found: List[_Sighting] = []
    frames: List[Frame] = []
    expecting, relation, group = True, None, None
    bordered = bool(header.group("group"))  # inside an exception group's `|` margins
    previous: Optional[LoggedError] = None
    index = start + 1
    while index < len(lines):
        content = _content(lines[index].text, prefix)
        if GROUP_BORDER.fullmatch(content):
            expecting, frames, relation = True, [], "group"
            index += 1
            continue
        margin = GROUP_MARGIN.match(content) if bordered or "Exception Group Traceback" in content else None
        if margin:
            content, bordered = content[margin.end():], True
        stripped = content.strip()
        frame = FRAME.match(stripped)
        exception = EXCEPTION.fullmatch(stripped) if expecting and not content[:1].isspace() else None
        if not stripped or stripped.startswith(("[Previous line repeated", "...")) or (bordered and stripped.startswith("and ")):
            pass  # blank, a recursion summary, `and 3 more exceptions` of a group
        elif stripped in (CONTEXT, CAUSE):
            relation = "context" if stripped == CONTEXT else "cause"
        elif HEADER.fullmatch(stripped):
            if not expecting and relation is None:
                break  # a new, separate traceback
            expecting, frames = True, []
        elif frame and expecting:
            frames.append(Frame(frame["path"], int(frame["line"]), (frame["function"] or "").strip()))
        elif expecting and content[:1].isspace() and frames:
            pass  # the source line and `^^^^` markers under a frame
        elif exception:
            error = exception["error"]
            message = SUGGESTION.sub("", exception["message"] or "")
            logged = LoggedError(error, message, tuple(frames), failure_of(error, message),
                                 context=_relation(relation, previous, group))
            found.append(_Sighting(logged, lines[index].number, index))
            if "ExceptionGroup" in error:
                group = logged.headline
            previous, expecting, frames, relation = logged, False, [], None
        else:
            break
        index += 1
    return index, found


def _content(text: str, prefix: str) -> str:
    """The traceback text of a line, without the prefix its header had. A prefix may change from
    line to line (a timestamp: same shape, other digits), or stand on the header line only (a log
    message the traceback was appended to)."""
    if text.startswith(prefix) or DIGITS.sub("0", text[:len(prefix)]) == DIGITS.sub("0", prefix):
        return text[len(prefix):]
    frame = FRAME.search(text)
    return "  " + text[frame.start():] if frame else text


def _relation(relation: Optional[str], previous: Optional[LoggedError], group: Optional[str]) -> Optional[str]:
    if relation == "group" and group:
        return f"part of `{group}`"
    if relation == "context" and previous is not None:
        return f"raised while handling `{previous.headline}`"
    if relation == "cause" and previous is not None:
        return f"raised from `{previous.headline}`"
    return None


def _grouped(sightings: List[_Sighting]) -> List[LoggedError]:
    groups: Dict[tuple, LoggedError] = {}
    for sighting in sightings:
        error = sighting.error
        key = (error.error, error.message, error.frames)
        group = groups.setdefault(key, error)
        group.lines.append(sighting.line)
        if group is not error:
            group.names += [name for name in error.names if name not in group.names]
    return list(groups.values())
