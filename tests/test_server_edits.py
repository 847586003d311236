"""The language server's pure parts: the line map that re-anchors findings after an edit, the
test that a save only moved a file's project-level facts, and the `# noqa` edit."""

from __future__ import annotations

from typing import List, Tuple

from hypothesis import given, settings
from hypothesis import strategies as st

from importguard.facts.extract import extract_facts
from importguard.facts.parse_options import ParseOptions
from importguard.findings import Finding, Hop, Related
from importguard.server.engine import noqa_edit, same_modulo_lines
from importguard.server.linemap import line_map, reanchor

SOURCE = """import os

from pkg import helper


def run():
    try:
        return helper()
    except Exception:
        import json
        return json.dumps({})
"""


def facts(text: str):  # type: ignore[no-untyped-def]
    return extract_facts(text.encode(), ParseOptions())


def test_unchanged_lines_follow_inserted_lines_and_edited_ones_have_no_counterpart() -> None:
    old = ["a", "b", "c", "d"]
    lines = line_map(old, ["new", "a", "b", "changed", "d"])
    assert [lines.line(n) for n in (1, 2, 3, 4)] == [2, 3, None, 5]
    assert lines.nearest(3) == 4  # the edited line stays beside its unchanged neighbour
    assert line_map(old, old).identity


def test_reanchor_moves_the_position_related_lines_and_cycle_hops_in_the_edited_file_only() -> None:
    finding = Finding(
        "IG301", "import-cycle", "error", "a.py", 3, 1, "import cycle",
        related=[Related("a.py", 1, "here"), Related("b.py", 1, "there")],
        cycle=[Hop("a", "a.py", 3, "import b"), Hop("b", "b.py", 1, "import a"), Hop("a", None, None, None)],
    )
    moved = reanchor(finding, "a.py", line_map(["x", "y", "import b"], ["#", "#", "x", "y", "import b"]))
    assert (moved.line, [r.line for r in moved.related], [h.line for h in moved.cycle or []]) == (5, [3, 1], [5, 1, None])


def test_a_comment_that_moves_lines_keeps_the_project_level_facts() -> None:
    edited = SOURCE.replace("def run():\n", "# a comment\n\ndef run():\n")
    assert same_modulo_lines(facts(SOURCE), facts(edited), line_map(SOURCE.splitlines(), edited.splitlines()))


def test_a_new_import_or_a_changed_handler_call_changes_them() -> None:
    for edited in (SOURCE.replace("import os\n", "import os\nimport sys\n"),
                   SOURCE.replace("return helper()", "return helper2()")):
        assert not same_modulo_lines(facts(SOURCE), facts(edited), line_map(SOURCE.splitlines(), edited.splitlines()))


def test_noqa_edit_appends_extends_or_leaves_a_line_already_silenced() -> None:
    text = "x = a\ny = b  # keep\nz = c  # noqa: F821\nw = d  # noqa\nv = e  # importguard: ignore[IG102]\ns = '# noqa'\n"
    assert noqa_edit(text, 1, "IG101") == "x = a  # noqa: IG101"
    assert noqa_edit(text, 2, "IG101") == "y = b  # keep  # noqa: IG101"
    assert noqa_edit(text, 3, "IG101") == "z = c  # noqa: F821, IG101"
    assert noqa_edit(text, 4, "IG101") is None
    assert noqa_edit(text, 5, "IG101") == "v = e  # importguard: ignore[IG102, IG101]"
    assert noqa_edit(text, 6, "IG101") == "s = '# noqa'  # noqa: IG101"  # a string is not a comment
    assert noqa_edit(text.replace("F821", "IG101"), 3, "IG101") is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from("abcd"), max_size=30), st.lists(st.tuples(st.integers(0, 40), st.sampled_from("abxy-")), max_size=5))
def test_the_line_map_pairs_equal_lines_in_order(old: List[str], edits: List[Tuple[int, str]]) -> None:
    new = list(old)
    for at, what in edits:  # "-" deletes a line, anything else inserts one
        if what == "-":
            del new[min(at, len(new) - 1):min(at, len(new) - 1) + 1]
        else:
            new.insert(min(at, len(new)), what)
    lines = line_map(old, new)
    pairs = [(n, lines.line(n)) for n in range(1, len(old) + 1) if lines.line(n) is not None]
    assert all(old[a - 1] == new[b - 1] for a, b in pairs)  # type: ignore[index]
    assert all(b1 < b2 for (_, b1), (_, b2) in zip(pairs, pairs[1:]))  # type: ignore[operator]
    if not edits:
        assert lines.identity
