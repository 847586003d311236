"""What the main process of a cold run holds (issue 21): its memory peaks in the project and
rules phases, holding every file's facts, so it keeps neither the parser of a parallel run nor
one copy per file of the strings its workers send."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import write_tree
from importguard.facts.extract import extract_facts
from importguard.facts.parse_options import ParseOptions
from importguard.run.sources import MIN_FILES_PER_WORKER

MODULE = "import os\nfrom typing import List\n\n\ndef walk(root: str) -> List[str]:\n    return [os.path.join(root, n) for n in os.listdir(root)] + missing\n"

# Runs in a fresh interpreter, so that nothing a test imported earlier is in `sys.modules`.
PROBE = textwrap.dedent("""\
    import json, sys
    from pathlib import Path
    from importguard.facts.parse_options import ParseOptions
    from importguard.run.sources import compute_facts
    paths = sorted(Path(sys.argv[1]).glob("*.py"))
    facts = compute_facts(paths, ParseOptions(), int(sys.argv[2]), budget=30.0)
    print(json.dumps({
        "parser_in_main": "libcst" in sys.modules,
        "unbound": [[issue.name for issue in f.names] for f in facts],
        "one_os": len({id(f.imports[0].module) for f in facts}),
        "one_join": len({id(call[0]) for f in facts for call in f.calls["walk"] if call[0] == "os.path.join"}),
    }))
""")


def probe(folder: Path, files: int, jobs: int) -> dict:
    write_tree(folder, {f"m{i:03d}.py": MODULE for i in range(files)})
    proc = subprocess.run([sys.executable, "-c", PROBE, str(folder), str(jobs)], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def test_a_parallel_run_leaves_the_parser_to_its_workers(tmp_path):
    seen = probe(tmp_path, 2 * MIN_FILES_PER_WORKER + 6, jobs=2)
    assert seen["parser_in_main"] is False
    assert seen["unbound"] == [["missing"]] * (2 * MIN_FILES_PER_WORKER + 6)


def test_a_small_run_loads_the_parser_once_before_its_worker_is_forked(tmp_path):
    seen = probe(tmp_path, 5, jobs=2)
    assert seen["parser_in_main"] is True
    assert seen["unbound"] == [["missing"]] * 5


def test_facts_from_workers_share_one_copy_of_each_string(tmp_path):
    seen = probe(tmp_path, 2 * MIN_FILES_PER_WORKER + 6, jobs=2)
    assert seen["one_os"] == 1 and seen["one_join"] == 1


def test_shared_facts_equal_the_facts_of_one_process(tmp_path):
    from importguard.run.sources import compute_facts

    sources = {f"m{i:03d}.py": MODULE.replace("walk", f"walk_{i}") for i in range(2 * MIN_FILES_PER_WORKER + 2)}
    write_tree(tmp_path, sources)
    paths = sorted(tmp_path.glob("*.py"))
    assert compute_facts(paths, ParseOptions(), 2) == [extract_facts(path.read_bytes(), ParseOptions()) for path in paths]
