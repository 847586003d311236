"""One copy of each string in the facts a run receives from its workers.

Each worker answers file by file (so the main process knows which file a worker is on, for
`file-timeout`), and each answer is a pickle of its own: the names that recur in every file
(`os`, `typing`, `List`, `self`, `module`, `function`, the callees `os.path.join`, ...) arrive as
a new string object per file. Sharing them keeps ~1.5 KB per file out of the main process,
whose peak is the project phase holding every file's facts (5 MB on a 3,500-file project).
"""

from __future__ import annotations

from typing import Any, Dict, TypeVar

T = TypeVar("T")


def share_strings(value: T, table: Dict[str, str]) -> T:
    """`value` (facts: dataclasses, lists, dicts, strings) with each string replaced by the
    first equal one in `table`; lists and dataclasses are updated in place."""
    shared: T = _shared(value, table)
    return shared


def _shared(value: Any, table: Dict[str, str]) -> Any:
    if isinstance(value, str):
        return table.setdefault(value, value)
    if isinstance(value, list):
        for index, item in enumerate(value):
            value[index] = _shared(item, table)
        return value
    if isinstance(value, dict):
        return {table.setdefault(key, key) if isinstance(key, str) else key: _shared(item, table) for key, item in value.items()}
    fields = getattr(value, "__dict__", None)
    if fields is not None:
        for name, item in fields.items():
            if item is not None and not isinstance(item, (bool, int)):
                fields[name] = _shared(item, table)
    return value
