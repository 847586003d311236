"""The configuration keys that change what some rules report, each described once; a rule
record lists the ones that concern it (`Rule.options`), and its docs page says so."""

from __future__ import annotations

from importguard.rules.base import Option

MAX_FILE_SIZE = Option("max-file-size", "a larger file is reported here instead of being parsed")
BUILTINS = Option("builtins", "extra names that exist everywhere are never undefined")
TARGET_VERSION = Option(
    "target-version", "`py314` makes annotations lazy (PEP 649), so their names are not evaluated at definition",
)
PER_FILE_TARGET_VERSION = Option("per-file-target-version", "the same, for the files a pattern matches")
TYPE_CHECKING_NAMES = Option("type-checking-names", "imports under `if NAME:` never run, so they are typing-only")
SRC = Option("src", "the source roots decide which modules are first party")
