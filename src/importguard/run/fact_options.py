"""Each file's parse options: the project's, or those of the Python version a
`per-file-target-version` pattern gives it (ruff's setting of the same name).

The target version changes a file's facts (3.14 evaluates annotations lazily, PEP 649/749), so
it is part of that file's cache key. Most projects set no pattern: then every file shares one
`ParseOptions` and no path is matched.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import List, Optional, Sequence, Tuple, Union

from importguard.facts.parse_options import ParseOptions
from importguard.run.discovery import Matcher, matcher


class FactOptions:
    """The project's options, and the options of the files the patterns match (gitignore-style,
    against the path relative to `root`; the last matching pattern wins, as in a `.gitignore`)."""

    def __init__(self, default: ParseOptions, root: Optional[Path] = None,
                 patterns: Sequence[Tuple[str, ParseOptions]] = ()) -> None:
        self.default = default
        self.root = root
        self._prefix = os.path.join(str(root), "") if root is not None else ""
        self._specs: List[Tuple[Matcher, ParseOptions]] = [(matcher([pattern]), options) for pattern, options in reversed(patterns)]

    def of(self, path: Path) -> ParseOptions:
        if not self._specs or self.root is None:
            return self.default
        text = str(path)
        if text.startswith(self._prefix):  # string slicing: `relative_to` costs more than the match
            relative = text[len(self._prefix):].replace(os.sep, "/")
        else:
            relative = Path(os.path.relpath(path, self.root)).as_posix() if path.anchor == self.root.anchor else path.as_posix()
        return next((options for matches, options in self._specs if matches(relative)), self.default)


def per_file(file_options: Union[ParseOptions, FactOptions]) -> FactOptions:
    """The same options for every file, when one `ParseOptions` is given."""
    return file_options if isinstance(file_options, FactOptions) else FactOptions(file_options)
