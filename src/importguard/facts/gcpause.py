"""Cyclic garbage collection paused around allocation-heavy phases.

Parsing builds a libcst tree of hundreds of thousands of objects without reference cycles, and
the project model and rules then walk every file's facts: the collector's passes over them find
nothing to free and cost about 8% of a cold run on Django (measured with `benchmarks/run.py`).
Reference counting still frees everything at once; a cycle made during the pause is collected
by the first pass after it (the walker leaves about ten cyclic objects per file). Worker processes
forked during a run inherit the pause.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused_gc() -> Iterator[None]:
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
