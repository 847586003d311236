"""What changes a file's facts besides its bytes: one frozen value, resolved once from the
configuration and passed whole to the parser, the workers, a dask executor and the cache key.

It lives in `facts/`, the lowest layer, because the walker reads it; the configuration (`run/`)
builds it. Frozen and hashable: files that share options share one value, so a batch sent to an
executor groups by it and the cache remembers each value's key text once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import FrozenSet

MEGABYTE = 1024 * 1024
# Files above this size are not parsed (a libcst tree takes ~700 bytes per byte of code: a 20 MB
# module of functions took 14 GB and 10 minutes, a 20 MB data literal 3 GB). `max-file-size` raises it.
DEFAULT_MAX_FILE_MB = 4.0


@dataclass(frozen=True)
class ParseOptions:
    """The settings a file's facts depend on; the defaults are those of a project with no
    configuration."""

    # names whose `if NAME:` block holds imports for type checkers only (`type-checking-names`)
    type_checking_names: FrozenSet[str] = frozenset({"TYPE_CHECKING"})
    # annotations are evaluated lazily (PEP 649/749, a Python 3.14+ target), as under
    # `from __future__ import annotations` (PEP 563)
    lazy_annotations: bool = False
    # a larger file is reported (IG002), not read (`max-file-size`)
    max_file_bytes: int = int(DEFAULT_MAX_FILE_MB * MEGABYTE)

    def cache_text(self) -> str:
        """The options as part of a cache key: the same text for equal options, whatever the
        iteration order of the names (sorted), and never the same for different ones (JSON
        quotes a name holding a comma or a quote)."""
        return json.dumps(
            {"type_checking_names": sorted(self.type_checking_names), "lazy_annotations": self.lazy_annotations,
             "max_file_bytes": self.max_file_bytes},
            separators=(",", ":"),
        )
