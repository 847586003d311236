"""What one `check` run reports, whatever the format: the findings and the counts around them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional, Tuple

from importguard.findings import Finding

LEVELS = {"error": 3, "warning": 2, "info": 1}


@dataclass
class Outcome:
    findings: List[Finding]
    files: int
    modules: int
    fingerprints: List[str] = field(default_factory=list)  # one per finding, same order
    base: Path = field(default_factory=Path.cwd)  # finding paths are relative to it
    baseline: Optional[Path] = None  # the baseline in use, if any
    hidden: int = 0  # findings the baseline hid
    baselined: List[Tuple[Finding, str]] = field(default_factory=list)  # the hidden findings, with fingerprints (SARIF carries them)
    stale: int = 0  # baseline entries that match nothing any more (fixed)
    exit_code: int = 0
    unsafe_fixes: bool = False  # `--unsafe-fixes`: unsafe fixes count as available
    fixed: Optional[int] = None  # findings `--fix` fixed (None: not a fix run)
    recorded: Optional[List[Finding]] = None  # what `--write-baseline` recorded (None: not written)
    summary: bool = True  # the closing counts of the text formats (`-q` drops them, as ruff's)
