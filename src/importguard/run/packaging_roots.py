"""Source roots declared by the packaging configuration, read as an installer reads them.

A released project may keep its packages under `lib/` and tell the build backend so: the
installed package is `mypkg`, never `lib.mypkg`, and `import mypkg.x` finds `lib/mypkg/x.py`.
Module names must come from the folder the backend installs from. Only static configuration is
read (`setup.py` is never executed), and anything odd (a malformed file, a value of the wrong
type, a folder that is missing or outside the project) is ignored: this is a hint, not a setting.
"""

from __future__ import annotations

import configparser
import os
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.9/3.10
    import tomli as tomllib


def declared_roots(root: Path) -> List[Path]:
    """The existing folders inside `root` that the packaging configuration installs from."""
    pyproject = _read_toml(root / "pyproject.toml")
    hatch_toml = _read_toml(root / "hatch.toml")
    declared = [
        *_setuptools(_table(pyproject, "tool", "setuptools")),
        *_setup_cfg(root / "setup.cfg"),
        *_hatch(_table(pyproject, "tool", "hatch", "build")),
        *_hatch(_table(hatch_toml, "build")),
        *_poetry(_table(pyproject, "tool", "poetry")),
        *_pdm(_table(pyproject, "tool", "pdm")),
        *_text(_table(pyproject, "tool", "maturin").get("python-source")),
    ]
    folders = (_folder(root, relative) for relative in declared)
    return list(dict.fromkeys(f for f in folders if f is not None))


def _read_toml(path: Path) -> Dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, ValueError):  # missing, unreadable, not UTF-8 or not TOML
        return {}


def _table(data: Any, *keys: str) -> Dict[str, Any]:
    """`data[k1][k2]...`, or {} where a key is missing or a value is not a table."""
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def _text(value: Any) -> List[str]:
    return [value] if isinstance(value, str) else []


def _texts(value: Any) -> List[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _package_dir_root(package: str, folder: str) -> Optional[str]:
    """The folder above a package's own: `"" = "lib"` -> `lib`, `"a.b" = "lib/a/b"` -> `lib`.
    A package whose folder has another name (`"mypkg" = "lib"`) has no root to add."""
    if not package:
        return folder
    parts, path = package.split("."), Path(folder)
    if list(path.parts[-len(parts):]) != parts:
        return None
    return str(Path(*path.parts[:-len(parts)])) if len(path.parts) > len(parts) else "."


def _package_dirs(mapping: Dict[str, str]) -> Iterator[str]:
    for package, folder in mapping.items():
        root = _package_dir_root(package.strip(), folder.strip())
        if root is not None:
            yield root


def _setuptools(table: Dict[str, Any]) -> List[str]:
    """`[tool.setuptools] package-dir` and `[tool.setuptools.packages.find] where`."""
    package_dir = table.get("package-dir")
    mapping = {k: v for k, v in package_dir.items() if isinstance(v, str)} if isinstance(package_dir, dict) else {}
    return [*_package_dirs(mapping), *_texts(_table(table, "packages", "find").get("where"))]


def _cfg_list(value: str) -> List[str]:
    """A setup.cfg list, split as setuptools splits it: by lines, else by commas."""
    items = value.splitlines() if "\n" in value else value.split(",")
    return [item.strip() for item in items if item.strip()]


def _setup_cfg(path: Path) -> List[str]:
    """`[options] package_dir` (`=lib`, one `package = folder` a line) and
    `[options.packages.find] where` (setuptools uses its first entry)."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return []
    entries = _cfg_list(parser.get("options", "package_dir", fallback=""))
    pairs = (entry.partition("=") for entry in entries)
    mapping = {package: folder for package, sign, folder in pairs if sign}
    where = _cfg_list(parser.get("options.packages.find", "where", fallback=""))
    return [*_package_dirs(mapping), *where[:1]]


def _hatch(build: Dict[str, Any]) -> List[str]:
    """Hatch's `packages = ["lib/foo"]` (root `lib`) and `sources`, a list of prefixes removed
    (`["lib"]`) or a table of prefixes rewritten (`{"lib" = ""}`, `{"lib/foo" = "foo"}`), set
    for every target (`[tool.hatch.build]`) or for the wheel."""
    found: List[str] = []
    for table in (build, _table(build, "targets", "wheel")):
        found += [str(Path(p).parent) for p in _texts(table.get("packages"))]
        sources = table.get("sources")
        found += _texts(sources)
        if isinstance(sources, dict):
            mapping = {v.replace("/", "."): k for k, v in sources.items() if isinstance(v, str)}
            found += list(_package_dirs(mapping))
    return found


def _poetry(table: Dict[str, Any]) -> List[str]:
    """`packages = [{include = "foo", from = "lib"}]`: `foo` is installed from `lib`."""
    packages = table.get("packages")
    entries = packages if isinstance(packages, list) else []
    return [entry["from"] for entry in entries if isinstance(entry, dict) and isinstance(entry.get("from"), str)]


def _pdm(table: Dict[str, Any]) -> List[str]:
    """pdm-backend's `[tool.pdm.build] package-dir` (and the older `[tool.pdm] package-dir`)."""
    return _text(_table(table, "build").get("package-dir")) + _text(table.get("package-dir"))


def _folder(root: Path, relative: str) -> Optional[Path]:
    """`root / relative` when it is an existing folder inside the project, else None."""
    try:
        folder = Path(os.path.normpath(root / relative))
        folder.relative_to(root)
        return folder if folder.is_dir() else None
    except (OSError, ValueError):  # outside the project, or not a valid path at all
        return None
