"""`[tool.importguard]` configuration: loaded once, validated strictly, every bad key named."""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from importguard.contracts.config import Contract, parse_contracts
from importguard.run.discovery import valid_patterns, config_file, user_cache_folder
from importguard.errors import ConfigError
from importguard.run.fact_options import FactOptions
from importguard.facts.parse_options import DEFAULT_MAX_FILE_MB, MEGABYTE, ParseOptions
from importguard.run.packaging_roots import declared_roots

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.9/3.10
    import tomli as tomllib

# Never part of the project, whatever the configuration: not even importable modules are
# looked for below these. `build/` and `dist/` only at the project root (as ruff's defaults):
# `mypkg/build/` can be a real subpackage.
STRUCTURAL_EXCLUDE = (
    ".git", ".hg", ".svn", "__pycache__", "/build/", "/dist/", ".tox", ".nox", "node_modules",
    "site-packages", ".eggs", "*.egg-info", ".mypy_cache", ".pytest_cache", ".ruff_cache",
    ".importguard_cache",
)
DEFAULT_EXCLUDE = STRUCTURAL_EXCLUDE


TARGET_VERSION = re.compile(r"py3(\d{1,2})")
SEVERITIES = ("error", "warning", "info")
DEFAULT_FILE_TIMEOUT = 60.0  # generous: the slowest file of large corpora parses in a few seconds


def python_version(text: str) -> Optional[Tuple[int, int]]:
    """`py314` -> (3, 14)."""
    match = TARGET_VERSION.fullmatch(text)
    return (3, int(match.group(1))) if match else None


def requires_python_floor(spec: Any) -> Optional[Tuple[int, int]]:
    """The lowest version `requires-python` admits (`>=3.14`, `~=3.14.1`, `>=3.9,<4`)."""
    if not isinstance(spec, str):
        return None
    floors = re.findall(r"(?:>=|~=|==)\s*3\.(\d+)", spec) + [str(int(m) + 1) for m in re.findall(r">\s*3\.(\d+)(?!\.)", spec)]
    return (3, max(int(f) for f in floors)) if floors else None


@dataclass(frozen=True)
class Config:
    """A project's settings, read once from its configuration (command-line overrides applied by
    `importguard.run.settings`); paths are absolute. Immutable: derive another with `replace`."""

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
    target_version: Optional[Tuple[int, int]] = None  # the oldest Python the project supports
    per_file_target_version: Dict[str, Tuple[int, int]] = field(default_factory=dict)  # pattern -> version
    severity: Dict[str, str] = field(default_factory=dict)  # rule code -> the severity that replaces its own
    source: Optional[Path] = None  # the file the settings came from
    marked: bool = True  # the root is a project (a marker was found), not a loose folder
    respect_gitignore: bool = True
    max_file_mb: float = DEFAULT_MAX_FILE_MB  # larger files are reported (IG002), not parsed
    # seconds one file may take to parse before it is IG002; None: no budget, parse in this process
    # (the language server, whose threads make forking workers unsafe)
    file_timeout: Optional[float] = DEFAULT_FILE_TIMEOUT
    force_exclude: bool = False  # exclusions apply to files named on the command line too
    split_nested: bool = True  # a folder with its own pyproject.toml is another project (not with --config)
    # Folders the packaging configuration installs from; None: read them from `root`. A field, so
    # that the run memo (keyed by the settings) is stale when the packaging configuration changes.
    packaging_roots: Optional[List[Path]] = None
    contracts: List[Contract] = field(default_factory=list)  # [[tool.importguard.contracts]] (IG4xx)

    def __post_init__(self) -> None:
        if self.packaging_roots is None:
            object.__setattr__(self, "packaging_roots", declared_roots(self.root))  # frozen: set once, here

    def parse_options(self, version: Optional[Tuple[int, int]] = None) -> ParseOptions:
        """What changes a file's facts besides its bytes (part of every cache key), for a file
        targeting `version` (default: the project's): 3.14 evaluates annotations lazily (PEP 649/749)."""
        version = version or self.target_version
        return ParseOptions(
            type_checking_names=frozenset(self.type_checking_names),
            lazy_annotations=version is not None and version >= (3, 14),
            max_file_bytes=int(self.max_file_mb * MEGABYTE),
        )

    def file_options(self) -> FactOptions:
        """Each file's parse options, `per-file-target-version` applied."""
        patterns = [(pattern, self.parse_options(version)) for pattern, version in self.per_file_target_version.items()]
        return FactOptions(self.parse_options(), self.root, patterns)

    def source_roots(self) -> List[Path]:
        """`src` when set; else the project root (top-level tests and scripts), `src/`, and the
        folders the packaging configuration installs from (see `importguard.run.packaging_roots`)."""
        if self.src:
            return list(self.src)
        roots = [self.root]
        if (self.root / "src").is_dir():
            roots.append(self.root / "src")
        return list(dict.fromkeys(roots + (self.packaging_roots or [])))


def _string_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _codes_list(value: Any) -> bool:
    """Rule codes, prefixes or `ALL`; a peer's code passes here to be explained by `unknown_codes`."""
    from importguard.rules import PEER_CODES  # the catalogue; imported late (rules need config's peers)

    return _string_list(value) and all(v.upper().startswith("IG") or v.upper() in ("ALL", *PEER_CODES) for v in value)


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
    "respect-gitignore": (lambda v: isinstance(v, bool), "true or false"),
    "max-file-size": (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0, "a size in megabytes, such as 4 or 0.5"),
    "file-timeout": (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v < float("inf"), "a number of seconds, such as 60 or 2.5"),
    "target-version": (lambda v: isinstance(v, str) and python_version(v) is not None, "a Python version such as \"py39\" or \"py314\""),
    "per-file-target-version": (
        lambda v: isinstance(v, dict), "a table mapping glob patterns to Python versions such as \"py314\"",
    ),
    "severity": (lambda v: isinstance(v, dict), "a table mapping rule codes to \"error\", \"warning\" or \"info\""),
    "contracts": (lambda v: isinstance(v, list), "an array of tables ([[tool.importguard.contracts]])"),
}


def load_toml(path: Path) -> Dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None


def unknown_key(key: str) -> str:
    close = difflib.get_close_matches(key, list(_CHECKS), n=1)
    return f"unknown key `{key}`" + (f" (did you mean `{close[0]}`?)" if close else "")


def unknown_codes(codes: List[str]) -> List[str]:
    from importguard.rules import (  # the catalogue; imported late (rules need config's peers)
        ALL_RULES,
        peer_code_problem,
    )

    known = [rule.code for rule in ALL_RULES]
    return [
        peer_code_problem(code) or f"unknown rule code or prefix `{code}` (see `importguard rules`)"
        for code in codes if code.upper() != "ALL" and not any(k.startswith(code.upper()) for k in known)
    ]


def table_problems(table: Dict[str, Any]) -> List[str]:
    """The bad entries of the `per-file-target-version` and `severity` tables."""
    from importguard.rules import BY_CODE  # the catalogue; imported late (rules need config's peers)

    versions = table.get("per-file-target-version")
    severities = table.get("severity")
    problems = []
    for pattern, version in versions.items() if isinstance(versions, dict) else ():
        if not valid_patterns([pattern]):
            problems.append(f"`per-file-target-version`: `{pattern}` is not a valid gitignore-style pattern")
        if not isinstance(version, str) or python_version(version) is None:
            problems.append(f"`per-file-target-version`: `{pattern}` = `{version}` is not a Python version such as \"py314\"")
    for code, level in severities.items() if isinstance(severities, dict) else ():
        if code.upper() not in BY_CODE:
            problems.append(f"`severity`: unknown rule code `{code}` (a full code such as `IG301`; see `importguard rules`)")
        elif level not in SEVERITIES:
            problems.append(f"`severity`: `{code}` = `{level}` is not \"error\", \"warning\" or \"info\"")
    return problems


def load_table(path: Path, data: Optional[Dict[str, Any]] = None) -> Optional[Dict[str, Any]]:
    """The `[tool.importguard]` table of `path`, or None when the file has none."""
    data = load_toml(path) if data is None else data
    nested = data.get("tool", {}).get("importguard")
    # pyproject.toml keeps settings under [tool.importguard]; a dedicated file may be bare.
    return nested if nested is not None or path.name == "pyproject.toml" else data


def build_config(root: Path, table: Optional[Dict[str, Any]], source: Optional[Path],
                 requires_python: Optional[Tuple[int, int]] = None) -> Config:
    config = Config(root=root, source=source, target_version=requires_python)
    if not table:
        return config
    where = source or root / "pyproject.toml"
    problems = [unknown_key(key) for key in table if key not in _CHECKS]
    problems += [
        f"`{key}` must be {description}"
        for key, (valid, description) in _CHECKS.items()
        if key in table and not valid(table[key])
    ]
    base = where.parent
    problems += [
        f"`{key}`: {problem}" for key in ("select", "extend-select", "ignore") if key in table and _CHECKS[key][0](table[key])
        for problem in unknown_codes(table[key])
    ]
    problems += [
        f"`per-file-ignores`: `{pattern}`: {problem}" for pattern, codes in table.get("per-file-ignores", {}).items()
        if _CHECKS["per-file-ignores"][0](table["per-file-ignores"]) for problem in unknown_codes(codes)
    ]
    problems += table_problems(table)
    contracts, found = parse_contracts(table["contracts"], _text(where)) if isinstance(table.get("contracts"), list) else ([], [])
    problems += found
    problems += [
        f"`src`: folder `{folder}` does not exist" for folder in table.get("src", []) if isinstance(folder, str) and not (base / folder).is_dir()
    ]
    if problems:
        raise ConfigError(f"{where}: [tool.importguard]: " + "; ".join(problems))
    values: Dict[str, Any] = {
        "extend_select": [c.upper() for c in table.get("extend-select", [])],
        "ignore": [c.upper() for c in table.get("ignore", [])],
        "exclude": list(table.get("exclude", DEFAULT_EXCLUDE)) + list(table.get("extend-exclude", [])),
        "per_file_ignores": {k: [c.upper() for c in v] for k, v in table.get("per-file-ignores", {}).items()},
        "src": [(base / s).resolve() for s in table.get("src", [])],
        "builtins": list(table.get("builtins", [])),
        "type_checking_names": list(table.get("type-checking-names", ["TYPE_CHECKING"])),
        "per_file_target_version": {
            pattern: version for pattern, text in table.get("per-file-target-version", {}).items()
            for version in [python_version(text)] if version is not None  # every one is, once validated
        },
        "severity": {code.upper(): level for code, level in table.get("severity", {}).items()},
        "respect_gitignore": table.get("respect-gitignore", True),
        "max_file_mb": float(table.get("max-file-size", DEFAULT_MAX_FILE_MB)),
        "file_timeout": float(table.get("file-timeout", DEFAULT_FILE_TIMEOUT)),
        "contracts": contracts,
    }
    if "select" in table:
        values["select"] = [c.upper() for c in table["select"]]
    if "cache-dir" in table:
        values["cache_dir"] = (base / table["cache-dir"]).resolve()
    if "baseline" in table:
        values["baseline"] = (base / table["baseline"]).resolve()
    if "target-version" in table:
        values["target_version"] = python_version(table["target-version"])
    return replace(config, **values)


def _text(path: Path) -> str:
    """The configuration file's text, to place contract findings on its lines ("" if unreadable)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def load_config(root: Path, explicit: Optional[Path], marked: bool = True) -> Config:
    """Settings from `--config`, else from the project's `[tool.importguard]` (its own
    `pyproject.toml`, else the nearest one above), else defaults. A loose folder (no project
    marker) gets defaults and a cache in the user's cache folder."""
    if not marked:
        config = build_config(root, load_table(explicit) or {}, explicit.resolve()) if explicit is not None else Config(root=root)
        return replace(config, marked=False, cache_dir=config.cache_dir or user_cache_folder(root))
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"config file not found: {explicit}")
        table = load_table(explicit)
        if table is None:
            raise ConfigError(f"{explicit}: no [tool.importguard] table (a pyproject.toml needs one; another TOML file may hold the keys at its top level)")
        # one configuration for every path given: one project
        return replace(build_config(root, table, explicit.resolve()), split_nested=False)
    own = root / "pyproject.toml"
    floor = requires_python_floor(load_toml(own).get("project", {}).get("requires-python")) if own.is_file() else None
    configured = config_file(root)  # the project's own table, else the nearest one above
    if configured is not None:
        return build_config(root, load_table(configured), configured, floor)
    return build_config(root, None, None, floor)
