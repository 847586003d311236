"""Find the project root and the files to check, skipping what users expect skipped."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Set

import pathspec

SOURCE_SUFFIXES = (".py", ".pyi")
EXTENSION_SUFFIXES = (".so", ".pyd")


def find_root(paths: Sequence[Path]) -> Path:
    """Nearest folder above the paths with `pyproject.toml`, else `.git`, else the path itself."""
    start = Path(os.path.commonpath([str(p.resolve()) for p in paths]))
    if not start.is_dir():
        start = start.parent
    for marker in ("pyproject.toml", ".git"):
        for folder in (start, *start.parents):
            if (folder / marker).exists():
                return folder
    return start


@dataclass
class Discovered:
    sources: List[Path] = field(default_factory=list)  # .py/.pyi files, sorted
    extensions: List[Path] = field(default_factory=list)  # compiled modules: not parsed
    missing: List[Path] = field(default_factory=list)  # given on the command line, not found


class _Ignorer:
    """Default/configured exclusions plus every `.gitignore` between the root and a path."""

    def __init__(self, root: Path, exclude: Iterable[str]) -> None:
        self.root = root
        self.exclude = pathspec.GitIgnoreSpec.from_lines(list(exclude))
        self._gitignores: Dict[Path, Optional[pathspec.GitIgnoreSpec]] = {}

    def _gitignore(self, folder: Path) -> Optional[pathspec.GitIgnoreSpec]:
        if folder not in self._gitignores:
            try:
                lines = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                lines = []
            self._gitignores[folder] = pathspec.GitIgnoreSpec.from_lines(lines) if lines else None
        return self._gitignores[folder]

    def ignored(self, path: Path, is_dir: bool) -> bool:
        if is_dir and (path / "pyvenv.cfg").exists():
            return True
        try:
            relative = path.relative_to(self.root)
        except ValueError:
            relative = Path(path.name)
        suffix = "/" if is_dir else ""
        if self.exclude.match_file(relative.as_posix() + suffix):
            return True
        folder = path.parent
        while True:
            spec = self._gitignore(folder)
            if spec is not None:
                inner = path.relative_to(folder).as_posix() + suffix
                if spec.match_file(inner):
                    return True
            if folder == self.root or folder == folder.parent or self.root not in folder.parents:
                return False
            folder = folder.parent


def discover(paths: Sequence[Path], root: Path, exclude: Iterable[str]) -> Discovered:
    """Files below `paths` in a deterministic order; symlinked folders are followed once."""
    exclude = list(exclude)
    ignorer = _Ignorer(root, exclude)
    found = Discovered()
    sources: Set[Path] = set()
    extensions: Set[Path] = set()
    visited: Set[str] = set()
    for given in paths:
        path = Path(os.path.abspath(given))
        if path.is_dir():
            # A folder named explicitly is checked even when it is itself excluded or
            # gitignored (say, `examples/`): exclusions then apply only below it.
            walker_ignorer = _Ignorer(path, exclude) if ignorer.ignored(path, is_dir=True) else ignorer
            _walk(path, walker_ignorer, sources, extensions, visited)
        elif path.suffix in SOURCE_SUFFIXES and (path.exists() or path.is_symlink()):
            if not ignorer.ignored(path, is_dir=False):
                sources.add(path)
        elif not path.exists() and not path.is_symlink():
            found.missing.append(path)
    found.sources = sorted(sources)
    found.extensions = sorted(extensions)
    return found


def _walk(top: Path, ignorer: _Ignorer, sources: Set[Path], extensions: Set[Path], visited: Set[str]) -> None:
    stack = [top]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in visited:  # a symlink loop, or a folder reached twice
            continue
        visited.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue  # unreadable folder: nothing in it can be checked
        for entry in entries:
            path = folder / entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if not ignorer.ignored(path, is_dir=True):
                    stack.append(path)
            elif entry.name.endswith(SOURCE_SUFFIXES):
                if not ignorer.ignored(path, is_dir=False):
                    sources.add(path)
            elif entry.name.endswith(EXTENSION_SUFFIXES):
                extensions.add(path)
