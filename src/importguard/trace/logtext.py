"""Log bytes to plain text lines: JSON log lines give their message fields, colours are removed.

Each JSON object is replaced by the text of its message and exception fields, split into lines, so
a traceback inside one `"exc_info"` and a traceback spread over many `{"log": "..."}` lines (Docker's
json-file driver) both reach the traceback reader as ordinary lines. Every text line keeps the
number of the log line it came from, and the logger name and source path of its JSON record (a text
log line carries those in its own text).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional, Tuple

# A line longer than this (a minified payload, binary junk) is read only up to here.
MAX_LINE_CHARS = 64 * 1024

# Where structured loggers put the message (stdlib JSON formatters, structlog, Google Cloud
# Logging's textPayload/jsonPayload, Docker's json-file `log`, ECS `error.message`) and the
# traceback (`exc_info`, `exception`, `error.stack_trace`, ...). Nested objects are searched too.
MESSAGE_KEYS = (
    "message", "msg", "textPayload", "jsonPayload", "log", "event", "@message", "error",
    "exc_info", "exc_text", "exception", "stack_trace", "stacktrace", "stack", "traceback",
)
MAX_DEPTH = 3
# Where they put the logger's name and the source file: stdlib `name`/`pathname`, structlog and
# Logstash `logger`/`logger_name`, ECS `log.logger` (flat or nested), and one level down only the
# unambiguous keys (`{"log": {"logger": ...}}`, Cloud Logging's `sourceLocation.file`).
ORIGIN_KEYS = ("logger", "logger_name", "loggerName", "name", "pathname", "log.logger")
NESTED_ORIGIN_KEYS = ("logger", "file")

FLATTENED = "Traceback (most recent call last):\\n"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line of the log
    text: str
    origin: Tuple[str, ...] = ()  # the logger name and source path fields of a JSON record


def log_lines(data: bytes) -> Iterator[Line]:
    """The text lines of a log (undecodable bytes are replaced, never fatal)."""
    text = data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    for number, raw in enumerate(text.split("\n"), 1):
        raw = ANSI.sub("", raw[:MAX_LINE_CHARS]).replace("\x00", "")
        record = json_record(raw)
        messages = json_messages(record) if record is not None else None
        if messages is None and FLATTENED in raw:  # a traceback escaped onto one line
            messages = [raw.replace('\\"', '"').replace("\\n", "\n")]
        if messages is None:
            yield Line(number, raw)
            continue
        origin = json_origin(record) if record is not None else ()
        for message in messages:  # JSON may hold lone surrogates (`"\\ud800"`), which no output can encode
            for part in message.encode("utf-8", "replace").decode("utf-8").split("\n"):
                yield Line(number, part, origin)


def json_record(raw: str) -> Optional[Dict[str, Any]]:
    """The JSON object of a log line (after any prefix such as a timestamp), or None when the line
    is not one (it is then read as plain text)."""
    start = raw.find("{")
    if start < 0 or not raw.rstrip().endswith("}"):
        return None
    try:
        record = json.loads(raw[start:])
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def json_messages(record: Dict[str, Any]) -> Optional[List[str]]:
    """The message texts of a JSON log record, or None when it has no message field."""
    found: List[str] = []
    collect(record, found, 0)
    return found or None


def json_origin(record: Dict[str, Any]) -> Tuple[str, ...]:
    """The logger names and source paths of a JSON log record."""
    found = [record.get(key) for key in ORIGIN_KEYS]
    found += [value.get(key) for value in record.values() if isinstance(value, dict) for key in NESTED_ORIGIN_KEYS]
    return tuple(dict.fromkeys(value for value in found if isinstance(value, str) and value))


def collect(record: Any, found: List[str], depth: int) -> None:
    if depth > MAX_DEPTH or not isinstance(record, dict):
        return
    for key in MESSAGE_KEYS:
        value = record.get(key)
        if isinstance(value, str) and value.strip() and value not in found:
            found.append(value)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            joined = "".join(value)  # some formatters keep traceback.format_exception()'s list
            if joined.strip() and joined not in found:
                found.append(joined)
        elif isinstance(value, dict):
            collect(value, found, depth + 1)
