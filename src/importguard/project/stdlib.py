"""Which top-level module names belong to the standard library, of any supported Python.

An import of a standard-library module in an `except` handler is cheap and cannot be partially
initialised by the project: IG205 keeps those apart from first- and third-party ones (IG201/IG202).
"""

from __future__ import annotations

import sys
import sysconfig
from pathlib import Path
from typing import FrozenSet

# Removed in Python 3.12/3.13 (PEP 594, PEP 632): still the standard library of older targets.
REMOVED = frozenset({
    "aifc", "asynchat", "asyncore", "audioop", "cgi", "cgitb", "chunk", "crypt", "distutils", "imghdr", "imp",
    "lib2to3", "mailcap", "msilib", "nis", "nntplib", "ossaudiodev", "pipes", "smtpd", "sndhdr", "spwd",
    "sunau", "telnetlib", "uu", "xdrlib",
})


def _running_stdlib() -> FrozenSet[str]:
    names = getattr(sys, "stdlib_module_names", None)  # Python 3.10+
    if names is not None:
        return frozenset(names)
    folder = Path(sysconfig.get_paths()["stdlib"])  # Python 3.9: list the folder
    found = {p.stem if p.suffix == ".py" else p.name for p in folder.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}
    dynload = folder / "lib-dynload"
    if dynload.is_dir():
        found |= {p.name.split(".", 1)[0] for p in dynload.iterdir()}
    return frozenset(found | set(sys.builtin_module_names))


STDLIB: FrozenSet[str] = _running_stdlib() | REMOVED


def is_stdlib(module: str) -> bool:
    return module.split(".", 1)[0] in STDLIB
