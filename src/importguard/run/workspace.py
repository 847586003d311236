"""Which project each path belongs to, where its modules are rooted, and where its cache goes.

A path belongs to the project of the nearest folder above it with a `pyproject.toml`, else with
a `.git` (a project marker): module names are rooted there. Its configuration is that
`pyproject.toml`'s `[tool.importguard]` table, or, when it has none, the nearest one above (as
ruff uses the closest configuration). Paths of several projects are analysed per project, each
with its own configuration.

A path with no marker above it is *loose*. A package folder (or a file inside one) is rooted
where Python imports it from: the folder above the top of its `__init__.py` chain. A loose file
outside any package is a script: its own folder is its source root, and it is analysed with what
it imports from there, not with everything else in that folder.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

MARKERS = ("pyproject.toml", ".git")
INIT_FILES = ("__init__.py", "__init__.pyi")


@dataclass
class Group:
    """Paths analysed together: one project (or one loose source root) and its configuration."""

    root: Path
    marked: bool  # a project marker was found; False for loose paths
    paths: List[Path] = field(default_factory=list)


def _folder(path: Path) -> Path:
    return path if path.is_dir() else path.parent


def _configures_importguard(pyproject: Path) -> bool:
    try:
        return b"[tool.importguard" in pyproject.read_bytes()
    except OSError:
        return False


def project_root(path: Path) -> Optional[Path]:
    """The project `path` belongs to, or None when no marker is above it."""
    start = _folder(Path(os.path.abspath(path)))
    chain = (start, *start.parents)
    for marker in MARKERS:
        for folder in chain:
            if (folder / marker).exists():
                return folder
    return None


def find_root(paths: Sequence[Path]) -> Path:
    """The project of all `paths` together (`--config` makes them one project), else their folder."""
    start = Path(os.path.commonpath([str(p.resolve()) for p in paths]))
    return project_root(start) or _folder(start)


def config_file(root: Path) -> Optional[Path]:
    """The `pyproject.toml` whose `[tool.importguard]` configures the project at `root`."""
    for folder in (root, *root.parents):
        if _configures_importguard(folder / "pyproject.toml"):
            return folder / "pyproject.toml"
    return None


def package_root(path: Path) -> Path:
    """The folder Python imports `path` from: above the top of its chain of `__init__.py`."""
    folder = Path(os.path.abspath(path))
    if not folder.is_dir() or not any((folder / init).exists() for init in INIT_FILES):
        folder = folder.parent if not folder.is_dir() else folder
        if not any((folder / init).exists() for init in INIT_FILES):
            return folder
    while any((folder / init).exists() for init in INIT_FILES) and folder != folder.parent:
        folder = folder.parent
    return folder


def group_paths(paths: Sequence[Path]) -> List[Group]:
    """The paths, grouped by project (loose paths by their source root), in first-seen order."""
    groups: Dict[Tuple[Path, bool], Group] = {}
    for path in paths:
        root = project_root(path)
        key = (root, True) if root is not None else (package_root(path), False)
        groups.setdefault(key, Group(key[0], key[1])).paths.append(path)
    return list(groups.values())


def user_cache_folder(root: Path) -> Path:
    """Where a loose run keeps its cache: never in a folder that is not a project."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    digest = hashlib.sha256(str(root).encode()).hexdigest()[:16]
    return Path(base) / "importguard" / digest


def module_files(target: str, roots: Iterable[Path], exists: Callable[[Path], bool] = Path.is_file) -> List[Path]:
    """The files Python runs for `import target` from these source roots: every package
    `__init__` on the way and the module itself. `exists` tells which candidate files exist
    (a set's membership test when the files are known: no file system call)."""
    parts = target.split(".")
    found: List[Path] = []
    for root in roots:
        for depth in range(1, len(parts) + 1):
            base = root.joinpath(*parts[:depth])
            for candidate in (base / "__init__.py", base.with_name(base.name + ".py")):
                if exists(candidate):
                    found.append(candidate)
    return found
