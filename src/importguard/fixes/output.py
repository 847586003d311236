"""What `--fix` writes and `--diff` prints: atomic writes that keep the file's mode, and a
unified diff `git apply` accepts (bytes as they are: encoding and CRLF line endings kept)."""

from __future__ import annotations

import difflib
import os
import tempfile
from pathlib import Path
from typing import Iterable, List

from importguard.fixes.engine import FixRun


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside the file, then rename over it: a reader never sees half a file (a symlink
    stays a symlink: its target is replaced)."""
    path = path.resolve()
    mode = path.stat().st_mode
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".importguard")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def write_fixes(runs: Iterable[FixRun]) -> None:
    for run in runs:
        for path, data in sorted(run.fixed_sources.items()):
            write_atomically(path, data)


def unified_diff(runs: Iterable[FixRun]) -> bytes:
    """One `a/PATH`/`b/PATH` diff per changed file, PATH relative to the working directory."""
    out: List[bytes] = []
    for run in runs:
        for path in sorted(run.fixed_sources):
            name = run.displays[path].encode("utf-8", "surrogateescape")
            old = run.originals[path].splitlines(keepends=True)
            new = run.fixed_sources[path].splitlines(keepends=True)
            out.append(b"diff --git a/%s b/%s\n" % (name, name))
            for line in difflib.diff_bytes(difflib.unified_diff, old, new, b"a/" + name, b"b/" + name, n=3):
                if line.startswith((b"---", b"+++")):
                    line = line.rstrip() + b"\n"  # difflib leaves a trailing tab after the file name
                out.append(line)
                if not line.endswith(b"\n"):
                    out.append(b"\n\\ No newline at end of file\n")
    return b"".join(out)


def plural(count: int, word: str = "finding") -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"
