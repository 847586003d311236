"""What one check looks at: the files found in the project, which of them are reported, and
where modules are rooted (the paths given choose what is reported; the project's importable
files decide what exists)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import List, Optional, Sequence, Set

from importguard.contracts.config import ContractScope
from importguard.run.config import STRUCTURAL_EXCLUDE, Config
from importguard.run.discovery import Discovered, discover, is_python_source, package_root
from importguard.run.filtering import display_path


@dataclass
class Scope:
    config: Config
    cwd: Path
    paths: List[Path]  # as given
    given_files: Set[Path]  # absolute
    folders: List[Path]  # absolute
    found: Discovered
    roots: List[Path]  # source roots
    not_python: List[Path]  # named on the command line, not Python (`pyproject.toml`): not checked

    @property
    def named(self) -> Set[Path]:
        """Files named on the command line: reported even if excluded (as ruff), unless
        --force-exclude (what pre-commit needs: it passes every changed file)."""
        return set() if self.config.force_exclude else self.given_files

    @cached_property
    def reported(self) -> List[Path]:
        named = self.named
        return [p for p in self.found.sources if p in self.found.reported or p in named]

    @cached_property
    def excluded(self) -> Set[Path]:
        """Files that only exist (their modules resolve) but are not reported."""
        return set(self.found.sources) - self.found.reported - self.named

    @cached_property
    def only(self) -> Optional[Set[str]]:
        """Display paths of the files given inside a project: findings elsewhere are not reported."""
        return {display_path(p, self.cwd) for p in self.given_files} if self.given_files and self.config.marked else None

    @cached_property
    def report_on(self) -> Set[str]:
        reported = {display_path(p, self.cwd) for p in self.found.reported | self.named}
        if self.config.contracts and self.config.source is not None:  # IG405/IG406 are reported at the contract's lines
            reported.add(display_path(self.config.source, self.cwd))
        return reported

    @cached_property
    def contracts(self) -> ContractScope:
        """The declared contracts and where: inherited when the table is a project's above this one."""
        source = self.config.source
        inherited = source is not None and self.config.split_nested and source.parent != self.config.root
        return ContractScope(tuple(self.config.contracts), display_path(source, self.cwd) if source else None, inherited)

    @cached_property
    def checked(self) -> Optional[List[str]]:
        """Display paths of the files reported on when the run covers part of its project; None:
        the whole project (a baseline may then drop stale entries)."""
        config = self.config
        partial = config.marked and (bool(self.given_files) or bool(self.folders and config.root not in self.folders))
        if not partial:
            return None
        only = self.only
        return sorted(only if only is not None else self.report_on)

    def add_virtual(self, path: Path) -> None:
        """A file that exists only in memory (standard input), reported as if at `path` (before
        any of the properties above is read: they are computed once)."""
        virtual = Path(os.path.abspath(path))
        self.given_files.add(virtual)
        self.found.sources = sorted(set(self.found.sources) | {virtual})
        self.found.reported.add(virtual)


def extra_source_roots(paths: Sequence[Path]) -> List[Path]:
    """A folder given on the command line that is not itself a package is a source root; a
    package (or a file inside one) is rooted above the top of its `__init__.py` chain."""
    roots = [p for p in paths if p.is_dir() and not (p / "__init__.py").exists()]
    return roots + [package_root(p) for p in paths if (p if p.is_dir() else p.parent).joinpath("__init__.py").exists()]


def scope_of(paths: Sequence[Path], config: Config, cwd: Optional[Path] = None) -> Scope:
    """The files of one project and which of them are reported.

    The paths given choose what is reported; the project's importable files decide what exists:
    in a project, the whole root is indexed whatever paths are given (`check pkg` still knows the
    sibling packages `pkg` imports). Files inside a project (as pre-commit passes them) are
    reported alone. A loose file is analysed alone, with what it imports from beside it.
    """
    absolute = [Path(os.path.abspath(p)) for p in paths]
    given_files = {p for p in absolute if not p.is_dir()}
    # A file named explicitly is Python whatever its name when pre-commit would say so (`manage`,
    # a shebang script); another (`pyproject.toml`) is left out, with a warning.
    not_python = sorted(p for p in given_files if not is_python_source(p))
    python_files = sorted(given_files.difference(not_python))
    folders = [p for p in absolute if p.is_dir()]
    roots = config.source_roots() + extra_source_roots(folders + python_files)
    # Given folders are walked first: a folder named explicitly is reported even when excluded.
    scan = folders + ([config.root] if config.marked else python_files)
    index_only = [config.root] if config.marked and config.root not in folders else []
    found = discover(scan, config.root, config.exclude, STRUCTURAL_EXCLUDE, config.respect_gitignore,
                     nested=config.marked and config.split_nested, index_only=index_only,
                     source_roots=roots + python_files)
    if index_only and folders:
        below = tuple(os.path.join(str(folder), "") for folder in folders)
        found.reported = {p for p in found.reported if p in given_files or str(p).startswith(below)}
    extra = {p for p in python_files if p.is_file()} - set(found.sources)  # the walk finds only `.py`
    if extra:
        found.sources = sorted(set(found.sources) | extra)
    return Scope(config, cwd or Path.cwd(), list(paths), given_files, folders, found, roots, not_python)
