"""`importguard trace`: from a production error in a log to its static cause.

logtext (log bytes to text lines, JSON log lines unpacked) -> tracebacks (errors found, grouped,
counted) -> paths (frames mapped to project files) -> explain (findings that raise each error,
ranked) -> render (text, json).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Callable, List, Optional, Sequence

from importguard.run.check import run_check
from importguard.run.config import STRUCTURAL_EXCLUDE
from importguard.run.projects import groups_of
from importguard.run.settings import Settings, project_config
from importguard.trace.explain import Analysed, Explainer, Explanation
from importguard.trace.logtext import log_lines
from importguard.trace.tracebacks import find_errors


def analyse(paths: Sequence[Path], config_path: Optional[Path] = None, jobs: Optional[int] = None, use_cache: bool = True,
            progress: Optional[Callable[[int, int], None]] = None) -> List[Analysed]:
    """The normal analysis of each project under `paths`, with every rule selected and every file
    reported: a production error can be the one bug a project's configuration chose not to
    report, and a traceback can run through a file `check` excludes (exclusions decide what is
    reported, not what runs). Suppression comments still apply; an explanation names them."""
    analysed = []
    for group in groups_of(list(paths), config_path):
        config = replace(project_config(group, config_path), select=["ALL"], extend_select=[], ignore=[],
                         exclude=list(STRUCTURAL_EXCLUDE), per_file_ignores={})
        # No whole-project memo: explaining needs the project model, which a memo hit skips.
        settings = Settings(config, jobs=jobs or os.cpu_count() or 1, use_cache=use_cache, progress=progress)
        result = run_check(group.paths, settings)
        assert result.project is not None
        analysed.append(Analysed(result.project, result.findings))
    return analysed


def explain_log(data: bytes, analysed: Sequence[Analysed]) -> List[Explanation]:
    return Explainer(analysed).explain_all(find_errors(list(log_lines(data))))
