"""`[tool.importguard]` configuration: loaded once, validated strictly, every bad key named."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

from importguard.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.9/3.10
    import tomli as tomllib

DEFAULT_EXCLUDE = (
    ".git", ".hg", ".svn", "__pycache__", "build", "dist", ".tox", ".nox", "node_modules",
    "site-packages", ".eggs", "*.egg-info", ".mypy_cache", ".pytest_cache", ".ruff_cache",
    ".importguard_cache",
)


@dataclass
class Config:
    """Settings for one run; paths are absolute."""

    root: Path
    select: Optional[List[str]] = None  # None: the rules that are on by default
    ignore: List[str] = field(default_factory=list)
    extend_select: List[str] = field(default_factory=list)
    exclude: List[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    per_file_ignores: Dict[str, List[str]] = field(default_factory=dict)
    src: List[Path] = field(default_factory=list)
    builtins: List[str] = field(default_factory=list)
    type_checking_names: List[str] = field(default_factory=lambda: ["TYPE_CHECKING"])
    cache_dir: Optional[Path] = None
    baseline: Optional[Path] = None
    source: Optional[Path] = None  # the file the settings came from

    def source_roots(self) -> List[Path]:
        if self.src:
            return list(self.src)
        roots = [self.root]
        if (self.root / "src").is_dir():
            roots.append(self.root / "src")
        return roots


def _string_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _codes_list(value: Any) -> bool:
    return _string_list(value) and all(v.upper().startswith("IG") or v.upper() == "ALL" for v in value)


_CHECKS = {
    "select": (_codes_list, "a list of rule codes or prefixes such as [\"IG1\", \"IG301\"]"),
    "extend-select": (_codes_list, "a list of rule codes or prefixes"),
    "ignore": (_codes_list, "a list of rule codes or prefixes"),
    "exclude": (_string_list, "a list of gitignore-style patterns"),
    "extend-exclude": (_string_list, "a list of gitignore-style patterns"),
    "per-file-ignores": (
        lambda v: isinstance(v, dict) and all(_codes_list(c) for c in v.values()),
        "a table mapping glob patterns to lists of rule codes",
    ),
    "src": (_string_list, "a list of folders"),
    "builtins": (_string_list, "a list of names"),
    "type-checking-names": (_string_list, "a list of names"),
    "cache-dir": (lambda v: isinstance(v, str), "a folder path"),
    "baseline": (lambda v: isinstance(v, str), "a file path"),
}


def load_table(path: Path) -> Optional[Dict[str, Any]]:
    """The `[tool.importguard]` table of `path`, or None when the file has none."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    nested = data.get("tool", {}).get("importguard")
    # pyproject.toml keeps settings under [tool.importguard]; a dedicated file may be bare.
    return nested if nested is not None or path.name == "pyproject.toml" else data


def build_config(root: Path, table: Optional[Dict[str, Any]], source: Optional[Path]) -> Config:
    config = Config(root=root, source=source)
    if not table:
        return config
    where = source or root / "pyproject.toml"
    problems = [f"unknown key `{key}`" for key in table if key not in _CHECKS]
    problems += [
        f"`{key}` must be {description}"
        for key, (valid, description) in _CHECKS.items()
        if key in table and not valid(table[key])
    ]
    if problems:
        raise ConfigError(f"{where}: [tool.importguard]: " + "; ".join(problems))
    base = where.parent
    if "select" in table:
        config.select = [c.upper() for c in table["select"]]
    config.extend_select = [c.upper() for c in table.get("extend-select", [])]
    config.ignore = [c.upper() for c in table.get("ignore", [])]
    if "exclude" in table:
        config.exclude = list(table["exclude"])
    config.exclude += table.get("extend-exclude", [])
    config.per_file_ignores = {k: [c.upper() for c in v] for k, v in table.get("per-file-ignores", {}).items()}
    config.src = [(base / s).resolve() for s in table.get("src", [])]
    config.builtins = list(table.get("builtins", []))
    config.type_checking_names = list(table.get("type-checking-names", config.type_checking_names))
    if "cache-dir" in table:
        config.cache_dir = (base / table["cache-dir"]).resolve()
    if "baseline" in table:
        config.baseline = (base / table["baseline"]).resolve()
    return config


def load_config(root: Path, explicit: Optional[Path]) -> Config:
    """Settings from `--config`, else from `<root>/pyproject.toml`, else defaults."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"config file not found: {explicit}")
        return build_config(root, load_table(explicit) or {}, explicit.resolve())
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        return build_config(root, load_table(pyproject), pyproject)
    return build_config(root, None, None)
