"""`check --show-settings` and `--show-files`: which root, source roots, configuration and files
each project got (as ruff's options of the same names)."""

from __future__ import annotations

import os
from typing import List

from importguard.run.config import Config
from importguard.run.filtering import display_path
from importguard.run.projects import Description


def render_settings(project: Description, files: bool, settings: bool) -> str:
    config, cwd = project.config, project.scope.cwd
    given, found, roots = project.scope.given_files, project.scope.found, project.scope.roots
    kind = "project" if config.marked else "loose (no pyproject.toml or .git above)"
    lines: List[str] = [f"# {display_path(config.root, cwd) or '.'}: {kind}"]
    if settings:
        rules = [rule.code for rule in project.rules]
        version = f"py3{config.target_version[1]}" if config.target_version else "not set"
        lines += [
            f"config file: {config.source or 'none (defaults)'}",
            f"source roots: {', '.join(str(r) for r in dict.fromkeys(roots))}",
            f"rules: {', '.join(rules)}",
            f"exclude: {', '.join(config.exclude)}",
            f"per-file-ignores: {config.per_file_ignores or 'none'}",
            f"builtins: {', '.join(config.builtins) or 'none'}",
            f"type-checking-names: {', '.join(config.type_checking_names)}",
            f"target-version: {version}",
            f"per-file-target-version: {per_file_versions(config) or 'none'}",
            f"severity: {severities(project)}",
            f"cache: {project.cache}",
            f"baseline: {config.baseline or 'none'}",
            f"respect-gitignore: {str(config.respect_gitignore).lower()}",
            f"force-exclude: {str(config.force_exclude).lower()}",
            f"max-file-size: {config.max_file_mb:g} MB",
            f"file-timeout: {'none' if config.file_timeout is None else f'{config.file_timeout:g} s'}",
            f"nested projects: {', '.join(display_path(p, cwd) for p in found.nested) or 'none'}",
        ]
    if files:
        shown = given if given and config.marked else found.reported
        for path in found.sources:
            if path in shown:
                lines.append(display_path(path, cwd))
            elif path in found.reported or not config.marked:
                continue
            else:
                lines.append(f"{display_path(path, cwd)}  (indexed only: excluded or gitignored)")
    return os.linesep.join(lines) + os.linesep


def per_file_versions(config: Config) -> str:
    return ", ".join(f"{pattern} = py3{version[1]}" for pattern, version in config.per_file_target_version.items())


def severities(project: Description) -> str:
    """Every selected rule's severity, configured ones marked."""
    config = project.config
    return ", ".join(
        f"{rule.code} = {config.severity.get(rule.code, rule.severity)}" + (" (configured)" if rule.code in config.severity else "")
        for rule in project.rules
    )
