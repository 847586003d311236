"""Module names from paths, and what each import statement depends on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from importguard.facts.model import ImportFact

INIT_STEMS = ("__init__",)


@dataclass(frozen=True)
class ModuleInfo:
    name: str
    path: Optional[Path]  # None for a namespace package (a folder without __init__.py)
    is_package: bool
    is_regular_package: bool  # a package with an __init__ file: it owns its namespace


def module_name(path: Path, roots: Sequence[Path]) -> Optional[Tuple[str, bool]]:
    """(dotted name, is_package) of a source or extension file, or None if it has none.

    The deepest source root that yields valid identifiers wins; otherwise the name comes from
    the chain of `__init__.py` folders above the file, as Python would import it from a script
    folder. `pkg/mod.cpython-311-x86_64-linux-gnu.so` is module `pkg.mod`.
    """
    stem = path.name.split(".", 1)[0]
    for root in sorted(roots, key=lambda r: len(r.parts), reverse=True):
        try:
            relative = path.parent.relative_to(root)
        except ValueError:
            continue
        parts = [*relative.parts, stem]
        named = _from_parts(parts)
        if named is not None:
            return named
    parts = [stem]
    folder = path.parent
    while any((folder / f"__init__{s}").exists() for s in (".py", ".pyi")) and folder != folder.parent:
        parts.insert(0, folder.name)
        folder = folder.parent
    return _from_parts(parts)


def _from_parts(parts: List[str]) -> Optional[Tuple[str, bool]]:
    is_package = parts[-1] in INIT_STEMS
    if is_package:
        parts = parts[:-1]
    if not parts or not all(p.isidentifier() for p in parts):
        return None
    return ".".join(parts), is_package


@dataclass(frozen=True)
class Dependency:
    """A module an import statement makes Python run first."""

    target: str
    via: str  # "direct" | "parent" | "submodule"


class ModuleIndex:
    """Every first-party module, by name, with namespace packages filled in."""

    def __init__(self) -> None:
        self.modules: Dict[str, ModuleInfo] = {}
        self.top_level: Set[str] = set()

    @classmethod
    def build(cls, named: Iterable[Tuple[str, bool, Path]], extensions: Iterable[Tuple[str, Path]]) -> "ModuleIndex":
        index = cls()
        for name, is_package, path in named:
            current = index.modules.get(name)
            # Prefer the .py file over its .pyi stub as the module that runs.
            if current is None or current.path is None or (current.path.suffix == ".pyi" and path.suffix == ".py"):
                index.modules[name] = ModuleInfo(name, path, is_package, is_package)
        for name, path in extensions:
            index.modules.setdefault(name, ModuleInfo(name, path, False, False))
        for name in list(index.modules):
            parts = name.split(".")
            index.top_level.add(parts[0])
            for depth in range(1, len(parts)):
                parent = ".".join(parts[:depth])
                if parent not in index.modules:
                    index.modules[parent] = ModuleInfo(parent, None, True, False)
        return index

    def is_first_party(self, name: str) -> bool:
        return name.split(".", 1)[0] in self.top_level

    def absolute_target(self, fact: ImportFact, importer: ModuleInfo) -> Tuple[Optional[str], Optional[str]]:
        """(absolute module the import names, None) or (None, why it cannot be resolved)."""
        if fact.level == 0:
            return fact.module, None
        package = importer.name.split(".") if importer.is_package else importer.name.split(".")[:-1]
        if not package:
            return None, "attempted relative import with no known parent package"
        if fact.level - 1 >= len(package):
            return None, "attempted relative import beyond top-level package"
        base = package[: len(package) - (fact.level - 1)]
        return ".".join(base + ([fact.module] if fact.module else [])), None

    def dependencies(self, fact: ImportFact, importer: ModuleInfo) -> List[Dependency]:
        """First-party modules that must run before the import completes.

        `import a.b.c` runs `a`, `a.b` and `a.b.c`; `from a import b` runs `a` and, when `b` is a
        submodule, `a.b`. The importer's own ancestors are skipped as parents: Python has
        already started them before the importer runs, so they add no ordering.
        """
        target, _ = self.absolute_target(fact, importer)
        if not target or not self.is_first_party(target):
            return []
        own_ancestors = {".".join(importer.name.split(".")[:i]) for i in range(1, importer.name.count(".") + 1)}
        submodules = [
            f"{target}.{name}" for name, _alias in fact.names
            if fact.kind == "from" and name != "*" and f"{target}.{name}" in self.modules
        ]
        # `from a import b` needs `a`'s contents only when some `b` is not a submodule.
        needs_contents = fact.kind != "from" or len(submodules) < len(fact.names)
        parts = target.split(".")
        parents = [".".join(parts[:i]) for i in range(1, len(parts))] + ([] if needs_contents else [target])
        found = [Dependency(p, "parent") for p in parents if p not in own_ancestors and p in self.modules]
        if needs_contents and target in self.modules:
            found.append(Dependency(target, "direct"))
        found += [Dependency(name, "submodule") for name in submodules]
        return [d for d in found if d.target != importer.name]

    def may_be_namespace_package(self, package: str, name: str) -> bool:
        """A folder `name` inside package `package`: `from package import name` finds it as a
        namespace package even without Python files (data folders, for instance)."""
        folder = self.folder_of(package)
        return folder is not None and (folder / name).is_dir()

    def folder_of(self, package: str) -> Optional[Path]:
        """The folder of a package: its `__init__`'s, or for a namespace package the folder of
        that name in its parent's (when the parent's is known)."""
        info = self.modules.get(package)
        if info is None or not info.is_package:
            return None
        if info.path is not None:
            return info.path.parent
        parent, _, last = package.rpartition(".")
        above = self.folder_of(parent) if parent else None
        return above / last if above is not None else None

    def missing_target(self, target: str, extensible: Callable[[str], bool]) -> bool:
        """True when a first-party `target` cannot exist: its nearest existing ancestor owns
        that namespace.

        A regular package owns it (its `__path__` is its one folder) unless `extensible` says its
        `__init__` extends `__path__`. A plain module has no submodules (`import pkg.mod.sub`
        raises "'pkg.mod' is not a package") unless `extensible` says it registers some in
        `sys.modules` itself, as `os` does with `os.path`. A namespace package is owned when it
        sits inside a regular package: only a top-level one may have portions elsewhere.
        `pkg.__init__` names the package's own file.
        """
        if target in self.modules or not self.is_first_party(target):
            return False
        parts = target.split(".")
        for depth in range(len(parts) - 1, 0, -1):
            name = ".".join(parts[:depth])
            ancestor = self.modules.get(name)
            if ancestor is not None:
                if depth == len(parts) - 1 and parts[-1] == "__init__":
                    return False
                if ancestor.path is None:
                    return self.owned_namespace(name, extensible)
                return not extensible(name)
        return False

    def owned_namespace(self, name: str, extensible: Callable[[str], bool]) -> bool:
        """A namespace package (a folder without `__init__`) whose contents are known: below a
        regular package that does not extend its `__path__`, no other portion can exist."""
        parts = name.split(".")
        for depth in range(len(parts) - 1, 0, -1):
            parent = self.modules.get(".".join(parts[:depth]))
            if parent is not None and parent.path is not None:
                return parent.is_regular_package and not extensible(parent.name)
        return False
