"""Settings resolved once: a project's configuration with the command line's overrides applied,
and how the check runs (workers, cache, memo). Both are immutable and passed whole."""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Optional, Sequence

from importguard.run.config import STRUCTURAL_EXCLUDE, Config, load_config
from importguard.run.discovery import Group


@dataclass(frozen=True)
class Overrides:
    """What the command line sets over every project's configuration (as ruff's options)."""

    select: Optional[Sequence[str]] = None  # replaces the configured set
    extend_select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    exclude: Optional[Sequence[str]] = None  # replaces the configured patterns (structural ones stay)
    extend_exclude: Sequence[str] = ()
    respect_gitignore: Optional[bool] = None
    force_exclude: bool = False
    cache_dir: Optional[Path] = None

    def apply(self, config: Config) -> Config:
        exclude = list(STRUCTURAL_EXCLUDE) + list(self.exclude) if self.exclude is not None else list(config.exclude)
        return replace(
            config,
            select=list(self.select) if self.select is not None else config.select,
            extend_select=config.extend_select + list(self.extend_select),
            ignore=config.ignore + list(self.ignore),
            exclude=exclude + list(self.extend_exclude),
            respect_gitignore=config.respect_gitignore if self.respect_gitignore is None else self.respect_gitignore,
            force_exclude=self.force_exclude,
            cache_dir=self.cache_dir.resolve() if self.cache_dir is not None else config.cache_dir,
        )


@dataclass(frozen=True)
class Settings:
    """Everything one check of one project needs besides the paths it is given."""

    config: Config
    jobs: int = 1
    use_cache: bool = True
    use_memo: bool = False  # reuse the whole-project result of the last run (`importguard.run.memo`)
    executor: Optional[Executor] = None  # parse on this executor (a dask cluster) instead of local workers
    progress: Optional[Callable[[int, int], None]] = None  # called with (parsed, to parse)


def project_config(group: Group, config_path: Optional[Path], overrides: Overrides = Overrides()) -> Config:
    """The configuration of one project: its file (or `--config`), then the command line."""
    return overrides.apply(load_config(group.root, config_path, group.marked))
