"""`importguard graph`: the module graph as DOT, Mermaid, node-link JSON, GraphML or one
self-contained HTML page. `select` decides what is shown; each format is one module."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import FrozenSet, Optional

from importguard.errors import ImportguardError
from importguard.graph_export.select import Selection, auto_depth, collapse, modules_graph
from importguard.project.graph import KINDS
from importguard.project.model import Project

FORMATS = ("dot", "mermaid", "json", "graphml", "html")


def parse_kinds(value: str) -> FrozenSet[str]:
    kinds = {k.strip() for k in value.split(",") if k.strip()}
    unknown = sorted(kinds - set(KINDS))
    if unknown or not kinds:
        raise ImportguardError(f"--kinds: unknown kind {', '.join(unknown) or '(none)'}; choose from {','.join(KINDS)}")
    return frozenset(kinds)


def render(project: Project, output_format: str, selection: Selection, depth: Optional[int], title: str) -> str:
    """The picture as text. `depth` groups modules into packages (0: never; None: only the HTML
    page, above `PAGE_MODULE_LIMIT` modules). `title` names the project on the page."""
    paths = {name: source.display for name, source in project.by_module.items()}
    modules = modules_graph(project.graph, paths, selection)
    if output_format == "html":
        from importguard.graph_export.html import render_html

        return render_html(modules, auto_depth(modules) if depth is None else depth, selection, title)
    shown = collapse(modules, depth) if depth else modules
    if output_format == "dot":
        from importguard.graph_export.dot import render_dot

        return render_dot(shown)
    if output_format == "mermaid":
        from importguard.graph_export.mermaid import render_mermaid

        return render_mermaid(shown)
    from importguard.graph_export.data import render_graphml, render_json

    if output_format == "graphml":
        return render_graphml(shown)
    settings = {"kinds": [k for k in KINDS if k in selection.kinds], "cycles_only": selection.cycles_only,
                "focus": selection.focus, "depth": selection.depth if selection.focus else None, "collapse": depth or 0}
    return render_json(shown, settings)


def prepare_output(path: Path) -> None:
    """Make the output's folder before the analysis, so a bad path fails at once."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ImportguardError(f"cannot write {path}: {path.parent} is not a folder") from None
    except OSError as error:
        raise ImportguardError(f"cannot write {path}: {error.strerror or error}") from None


def write_atomically(path: Path, text: str) -> None:
    """Readers never see half a file: write beside it, then rename over it."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; a new file would not be
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        raise ImportguardError(f"cannot write {path}: {error.strerror or error}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
