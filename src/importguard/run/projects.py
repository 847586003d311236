"""Every project one command covers: the projects of the paths given, each with its own
configuration, then the projects found below them (a monorepo checked from its root: each service
has its own configuration and module root, as ruff uses the nearest config)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, List, Optional, Tuple

from importguard.rules import select_rules
from importguard.rules.base import Rule
from importguard.run.cache import cache_folder
from importguard.run.config import Config
from importguard.run.scope import Scope, scope_of
from importguard.run.settings import Overrides, project_config
from importguard.run.discovery import Group, find_root, group_paths, package_root, project_root


def groups_of(targets: List[Path], config_path: Optional[Path]) -> List[Group]:
    """Paths per project, each analysed with its own configuration (as ruff uses the nearest
    config per file). An explicit `--config` applies to all the paths at once."""
    if config_path is None:
        return group_paths(targets)
    return [Group(find_root(targets), True, list(targets))]


def group_of_folder(path: Path) -> Group:
    """The project of one folder (for `why`, `graph` and `clean`)."""
    root = project_root(path)
    return Group(root, True, [path]) if root is not None else Group(package_root(path), False, [path])


def each_project(groups: List[Group], config_path: Optional[Path], overrides: Overrides,
                 visit: Callable[[Group, Config], List[Path]]) -> Iterator[Tuple[Group, Config]]:
    """Each project in turn, then the projects found below them. Every configuration given is
    read (and a bad one refused) before any project runs. `visit` runs one project and returns
    the roots of the projects below it."""
    pending = [(group, project_config(group, config_path, overrides)) for group in groups]
    seen = {group.root for group, _ in pending}
    while pending:
        group, config = pending.pop(0)
        nested = visit(group, config)
        yield group, config
        for root in nested:
            if root not in seen:
                seen.add(root)
                inner = Group(root, True, [root])
                pending.append((inner, project_config(inner, None, overrides)))


def nested_projects(config: Config) -> List[Path]:
    """The roots of the projects below one project (without checking anything)."""
    return scope_of([config.root], config).found.nested if config.marked else []


@dataclass(frozen=True)
class Description:
    """What `--show-settings` and `--show-files` print about one project, resolved without checking it."""

    config: Config
    scope: Scope
    rules: List[Rule]  # selected
    cache: Path


def describe(group: Group, config: Config) -> Description:
    return Description(config, scope_of(group.paths, config), select_rules(config.select, config.ignore, config.extend_select),
                       cache_folder(config.root, config.cache_dir))
