"""Projects and their files: which project each path belongs to, where its modules are rooted,
where its cache goes, and which files it has (skipping what users expect skipped).

Which project each path belongs to, where its modules are rooted, and where its cache goes.

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
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

import pathspec

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


SOURCE_SUFFIXES = (".py", ".pyi")
EXTENSION_SUFFIXES = (".so", ".pyd")


def is_python_source(path: Path) -> bool:
    """Whether a file named on the command line is Python. As pre-commit's `python` type has it:
    a Python suffix, a script without a suffix (`manage`), or a Python shebang line; never a
    `pyproject.toml` or a `README.md`. Only a regular file is opened (a FIFO would block); any
    other path is left to the read, which reports what it is."""
    if path.suffix in (*SOURCE_SUFFIXES, ".pyw") or not path.suffix or not path.is_file():
        return True
    try:
        with open(path, "rb") as handle:
            first = handle.readline(256)
    except OSError:
        return True
    return first.startswith(b"#!") and b"python" in first


@dataclass
class Discovered:
    sources: List[Path] = field(default_factory=list)  # every importable .py/.pyi file, sorted
    reported: Set[Path] = field(default_factory=set)  # those neither excluded nor gitignored
    extensions: List[Path] = field(default_factory=list)  # compiled modules: not parsed
    missing: List[Path] = field(default_factory=list)  # given on the command line, not found
    nested: List[Path] = field(default_factory=list)  # roots of other projects below, not walked


Matcher = Callable[[str], bool]
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


def valid_patterns(lines: Iterable[str]) -> List[str]:
    """The lines git would use: an invalid pattern (a lone `!`) is skipped, the rest applies."""
    kept = []
    for line in lines:
        try:
            pathspec.GitIgnoreSpec.from_lines([line])
        except Exception:  # noqa: BLE001 - pathspec's error classes differ between versions
            continue
        kept.append(line)
    return kept


def matcher(lines: Iterable[str]) -> Matcher:
    """A gitignore-style matcher. Without negated patterns, every pattern is folded into one
    regular expression: one search per path instead of one per pattern."""
    spec = pathspec.GitIgnoreSpec.from_lines(valid_patterns(lines))
    patterns = [p for p in spec.patterns if p.include is not None and getattr(p, "regex", None) is not None]
    if len(patterns) != len([p for p in spec.patterns if p.include is not None]) or not all(p.include for p in patterns):
        return lambda path: bool(spec.match_file(path))
    if not patterns:
        return lambda path: False
    combined = re.compile("|".join(_NAMED_GROUP.sub("(?:", p.regex.pattern) for p in patterns if p.regex is not None))
    return lambda path: combined.search(path) is not None


class _Ignorer:
    """Default/configured exclusions plus every `.gitignore` between the root and a path.

    Works on path strings and remembers, per folder, the `.gitignore` specs that apply to it:
    this runs once per file and folder of the tree.
    """

    def __init__(self, root: Path, exclude: Iterable[str], gitignore: bool = True) -> None:
        self.root = str(root)
        self.exclude = matcher(exclude)
        self.gitignore = gitignore
        self._chains: Dict[str, List[Tuple[str, Matcher]]] = {}
        self._bare: Set[str] = set()  # folders listed by the walk with no ignore file in them

    def listed(self, folder: str, names: List[str]) -> None:
        """The walk lists every folder: one with neither a `.gitignore` nor a `.git` needs no probe."""
        if ".gitignore" not in names and ".git" not in names:
            self._bare.add(folder)

    def _own_gitignore(self, folder: str) -> Optional[Matcher]:
        if folder in self._bare:
            return None
        lines = []
        for name in (".gitignore", os.path.join(".git", "info", "exclude")):
            path = os.path.join(folder, name)
            if not os.path.isfile(path):  # never open a FIFO or a device
                continue
            try:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    lines += handle.read().splitlines()
            except OSError:
                continue
        return matcher(lines) if lines else None

    def _chain(self, folder: str) -> List[Tuple[str, Matcher]]:
        """The `.gitignore` specs of `folder` and its ancestors up to the root, outermost first."""
        chain = self._chains.get(folder)
        if chain is None:
            parent = os.path.dirname(folder)
            inside = folder != self.root and parent != folder and folder.startswith(self.root + os.sep)
            own = self._own_gitignore(folder)
            chain = (self._chain(parent) if inside else []) + ([(folder, own)] if own is not None else [])
            self._chains[folder] = chain
        return chain

    def ignored(self, path: Path, is_dir: bool) -> bool:
        text = str(path)
        if is_dir and os.path.exists(os.path.join(text, "pyvenv.cfg")):  # a virtualenv
            return True
        return self.excluded(text, is_dir)

    def excluded(self, text: str, is_dir: bool) -> bool:
        """Whether the patterns or a `.gitignore` exclude the file or folder at `text`."""
        suffix = "/" if is_dir else ""
        inside = text.startswith(self.root + os.sep)
        relative = text[len(self.root) + 1:] if inside else os.path.basename(text)
        if self.exclude(relative.replace(os.sep, "/") + suffix):
            return True
        if not self.gitignore:
            return False
        for folder, matches in self._chain(os.path.dirname(text)):
            if matches(text[len(folder) + 1:].replace(os.sep, "/") + suffix):
                return True
        return False


def discover(paths: Sequence[Path], root: Path, exclude: Iterable[str], structural: Iterable[str] = (),
             gitignore: bool = True, nested: bool = False, index_only: Sequence[Path] = (),
             source_roots: Sequence[Path] = ()) -> Discovered:
    """Files below `paths` in a deterministic order; symlinked folders are followed once.

    Every importable file is found (below `structural` exclusions only: VCS folders, virtualenvs,
    caches, `/build/`): exclusion and `.gitignore` decide what is *reported* (`Discovered.reported`),
    never which modules exist at run time. With `nested`, a folder below `root` that has its own
    `pyproject.toml` is another project (a service of a monorepo): it is not walked, and its root
    is listed in `Discovered.nested` unless it is excluded. Below the folders of `index_only`
    (walked only to know which modules exist), a folder whose name is no identifier is skipped
    unless it leads to one of `source_roots` (or a file given): nothing in it can be imported.
    """
    exclude, structural = list(exclude), list(structural)
    structural_ignorer = _Ignorer(root, structural, gitignore=False)
    ignorer = _Ignorer(root, exclude, gitignore)
    found = Discovered()
    sources: Set[str] = set()  # paths as strings until the end: a `Path` per entry costs more than the walk
    reported: Set[str] = set()
    extensions: Set[Path] = set()
    visited: Set[str] = set()
    leads_to_root = {str(a) for r in source_roots for a in (Path(os.path.abspath(r)), *Path(os.path.abspath(r)).parents)}
    for given in paths:
        path = Path(os.path.abspath(given))
        if path.is_dir():
            # A folder named explicitly is checked even when it is itself excluded or
            # gitignored (say, `examples/`): exclusions then apply only below it.
            walker_ignorer = _Ignorer(path, exclude, gitignore) if ignorer.ignored(path, is_dir=True) else ignorer
            walker_structural = (
                _Ignorer(path, structural, gitignore=False) if structural_ignorer.ignored(path, is_dir=True) else structural_ignorer
            )
            _walk(path, walker_structural, walker_ignorer, sources, reported, extensions, visited,
                  found.nested if nested else None, str(root), leads_to_root if given in index_only else None)
        elif path.is_file() or path.suffix in SOURCE_SUFFIXES and path.is_symlink() and not path.exists():
            # A file named explicitly is Python whatever its name (`manage`): `scope_of` has left out
            # the files that are not (`is_python_source`).
            sources.add(str(path))
            if not ignorer.ignored(path, is_dir=False):
                reported.add(str(path))
        elif not path.exists() and not path.is_symlink():
            found.missing.append(path)
    # In `Path` order (part by part), without comparing `Path`s.
    found.sources = [Path(text) for text in sorted(sources, key=lambda text: os.path.normcase(text).split(os.sep))]
    found.reported = {Path(text) for text in reported}
    found.extensions = sorted(extensions)
    return found


def is_source_file(entry: "os.DirEntry[str]") -> bool:
    """A regular file, or a broken symlink (reported as such): never a FIFO, socket or device,
    which would block or make no sense to read."""
    try:
        return entry.is_file() or (entry.is_symlink() and not os.path.exists(entry.path))
    except OSError:
        return False


def _walk(top: Path, structural: _Ignorer, ignorer: _Ignorer, sources: Set[str], reported: Set[str],
          extensions: Set[Path], visited: Set[str], nested: Optional[List[Path]] = None, root: str = "",
          importable: Optional[Set[str]] = None) -> None:
    """Depth-first over folders as strings; only symlinked folders need `realpath` (loop check).
    A folder's exclusion is carried down: everything below an excluded folder is unreported.
    With `nested` (a list to fill), folders below `root` with a `pyproject.toml` are skipped.
    With `importable` (the folders that lead to a source root), only importable folders are walked.
    A virtualenv below `top` (a folder with a `pyvenv.cfg`) is not walked."""
    inside = os.path.realpath(top)
    top_text = str(top)
    stack = [(top_text, inside, False)]
    while stack:
        folder, real, excluded = stack.pop()
        if real in visited:  # a symlink loop, or a folder reached twice
            continue
        visited.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue  # unreadable folder: nothing in it can be checked
        names = [entry.name for entry in entries]
        if "pyvenv.cfg" in names and folder != top_text:
            continue
        ignorer.listed(folder, names)
        if nested is not None and folder != root and "pyproject.toml" in names:
            if not excluded:
                nested.append(Path(folder))
            continue  # another project: its files have their own module root and configuration
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if importable is not None and not name.isidentifier() and entry.path not in importable:
                    continue
                path = entry.path
                if not structural.excluded(path, is_dir=True):
                    child_real = os.path.realpath(path) if entry.is_symlink() else os.path.join(real, name)
                    if child_real != inside and not child_real.startswith(inside + os.sep):
                        continue  # a folder symlink leading out of the tree: not the project's code
                    stack.append((path, child_real, excluded or ignorer.excluded(path, is_dir=True)))
            elif name.endswith(SOURCE_SUFFIXES) and is_source_file(entry):
                path = entry.path
                if not structural.excluded(path, is_dir=False):
                    sources.add(path)
                    if not excluded and not ignorer.excluded(path, is_dir=False):
                        reported.add(path)
            elif name.endswith(EXTENSION_SUFFIXES):
                extensions.add(Path(entry.path))
