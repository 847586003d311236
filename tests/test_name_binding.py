"""IG101–IG106 on the corpus of binding_cases.py: importguard reports exactly the expected names.

The same corpus is run by real Python in test_binding_runtime.py, so each expected finding here is
a proven NameError/UnboundLocalError, and each "nothing expected" case is proven to run cleanly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from binding_cases import CASES, Case
from conftest import check_tree


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_importguard_reports_exactly_the_expected_names(case: Case, tmp_path: Path):
    findings = check_tree(tmp_path, {"m.py": case.source}, select=["IG101", "IG102", "IG103", "IG105", "IG106"])
    reported = sorted((f.code, f.line, f.name) for f in findings)
    assert reported == sorted(case.expected), "\n".join(f"{f.code} {f.line}:{f.column} {f.message} ({f.hint})" for f in findings)
