"""Every rule record is complete, and the tables derived from the records hold.

A record is the only place a rule is described (see "Adding a rule" in CONTRIBUTING.md): these
tests fail when one lacks what its kind needs, and prove that its `scope` and `local_facts`
really allow a partial re-run (`importguard.run.memo`) to reuse findings without going stale.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
from pathlib import Path
from typing import Any, Dict, List, Set, Tuple

import pytest

from conftest import Tree, write_tree
import importguard.rules
from importguard.run.config import Config
from importguard.facts.model import FileFacts
from importguard.findings import Finding
from importguard.project.model import Project, SourceFile, build_project
from importguard.rules import ALL_RULES, LOCAL_FACTS, PEER_CODES
from importguard.rules.base import Cause, Option, Peer, Rule
from importguard.rules.runtime_errors import KINDS
from importguard.run.check import run_check
from importguard.run.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
FACT_FIELDS = frozenset(f.name for f in dataclasses.fields(FileFacts))
CONFIGURATION_DOCS = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")


def record_problems(rule: Rule) -> List[str]:
    """What a record lacks or gets wrong, in words."""
    problems = []
    if not re.fullmatch(r"IG\d{3}", rule.code):
        problems.append(f"code `{rule.code}` is not IG and three digits")
    if not re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name):
        problems.append(f"name `{rule.name}` is not kebab-case")
    if not rule.summary or not rule.rationale:
        problems.append("no summary or rationale")
    if not rule.bad or not rule.bad_findings or not rule.good:
        problems.append("no bad example, expected findings or good example")
    if rule.severity not in ("error", "warning", "info"):
        problems.append(f"severity `{rule.severity}`")
    if rule.scope not in ("file", "project"):
        problems.append(f"scope `{rule.scope}`")
    if rule.fix not in ("safe", "unsafe", "none"):
        problems.append(f"fix `{rule.fix}`")
    if (rule.fix != "none") != (rule.planner is not None):
        problems.append(f"fix `{rule.fix}` with{'out' if rule.planner is None else ''} a planner")
    if (rule.fix != "none") != (rule.fixed is not None):
        problems.append(f"fix `{rule.fix}` with{'out' if rule.fixed is None else ''} a fixed example")
    if rule.local_facts and rule.scope != "file":
        problems.append("local facts on a project-scope rule")
    problems += [f"local fact `{f}` is not a FileFacts field" for f in sorted(rule.local_facts - FACT_FIELDS)]
    problems += [f"cause `{c.failure}` is not a failure kind" for c in rule.causes if c.failure not in KINDS]
    if len({c.failure for c in rule.causes}) < len(rule.causes):
        problems.append("a failure listed twice among the causes")
    problems += [f"peer code `{p.code}` is importguard's own" for p in rule.peers if p.code.startswith("IG")]
    problems += [f"option `{o.key}` is not documented in docs/configuration.md" for o in rule.options
                 if not re.search(rf"^{re.escape(o.key)} = ", CONFIGURATION_DOCS, re.MULTILINE)]
    return problems


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_record_is_complete(rule):
    assert record_problems(rule) == []


BROKEN = {
    "fix without a planner": ({"fix": "safe", "fixed": {"a.py": "x = 1\n"}}, "fix `safe` without a planner"),
    "fix without a fixed example": ({"fix": "unsafe", "planner": lambda *a: None}, "fix `unsafe` without a fixed example"),
    "planner without a fix": ({"planner": lambda *a: None}, "fix `none` with a planner"),
    "project rule with local facts": ({"scope": "project", "local_facts": frozenset({"names"})}, "local facts on a project-scope rule"),
    "unknown local fact": ({"scope": "file", "local_facts": frozenset({"nmaes"})}, "local fact `nmaes` is not a FileFacts field"),
    "unknown failure": ({"causes": (Cause("NameError"),)}, "cause `NameError` is not a failure kind"),
    "no rationale": ({"rationale": ""}, "no summary or rationale"),
    "no examples": ({"bad": {}}, "no bad example, expected findings or good example"),
    "own code as a peer": ({"peers": (Peer("IG101", "undefined-name"),)}, "peer code `IG101` is importguard's own"),
    "undocumented option": ({"options": (Option("max-file-mb", "?"),)}, "option `max-file-mb` is not documented in docs/configuration.md"),
}


@pytest.mark.parametrize("broken", BROKEN, ids=str)
def test_an_incomplete_record_is_refused(broken):
    """The completeness check above names what a broken record lacks (so a new rule cannot skip it)."""
    changes, problem = BROKEN[broken]
    rule = dataclasses.replace(ALL_RULES[0], **changes)
    assert problem in record_problems(rule)


def test_codes_and_names_are_unique():
    assert len({r.code for r in ALL_RULES}) == len({r.name for r in ALL_RULES}) == len(ALL_RULES)


def test_a_peer_code_has_one_name():
    names: Dict[str, Set[str]] = {}
    for rule in ALL_RULES:
        for peer in rule.peers:
            names.setdefault(peer.code, set()).add(peer.name)
    assert {code: len(found) for code, found in names.items()} == {code: 1 for code in PEER_CODES}


def test_every_family_module_is_in_the_catalogue():
    """A module of `importguard.rules` that declares `RULES` but is missing from the catalogue's
    family list would define rules that never run."""
    declared = set()
    for module in pkgutil.iter_modules(importguard.rules.__path__):
        declared |= {rule.code for rule in getattr(importlib.import_module(f"importguard.rules.{module.name}"), "RULES", [])}
    assert declared == {rule.code for rule in ALL_RULES}


# --- scope and local facts: what a partial re-run may skip -------------------------------------

class RecordedFacts:
    """A file's facts that write down every field a rule reads (and of which file)."""

    def __init__(self, facts: FileFacts, display: str, reads: List[Tuple[str, str]]) -> None:
        self._facts, self._display, self._reads = facts, display, reads

    def __getattr__(self, name: str) -> Any:
        fields = FACT_FIELDS if name == "to_json" else [name]
        self._reads.extend((self._display, field) for field in fields)
        return getattr(self._facts, name)


def example_trees() -> Dict[str, Tree]:
    trees: Dict[str, Tree] = {}
    for rule in ALL_RULES:
        trees[f"{rule.code}-bad"], trees[f"{rule.code}-good"] = rule.bad, rule.good
        if rule.fixed:
            trees[f"{rule.code}-fixed"] = rule.fixed
    example = ROOT / "examples" / "chat_service"
    trees["chat_service"] = {p.relative_to(example).as_posix(): p.read_text(encoding="utf-8") for p in example.rglob("*.py")}
    return trees


TREES = example_trees()


def analysed(root: Path, tree: Tree) -> Project:
    write_tree(root, tree)
    project = run_check([root], Settings(Config(root=root, select=["ALL"])), cwd=root).model
    assert project is not None
    return project


def recorded(project: Project, reads: List[Tuple[str, str]]) -> List[SourceFile]:
    return [SourceFile(f.path, f.display, RecordedFacts(f.facts, f.display, reads)) for f in project.files]  # type: ignore[arg-type]


def fresh(project: Project) -> Project:
    return dataclasses.replace(project, derived={})


def local_reads(rule: Rule, project: Project, root: Path) -> List[str]:
    """The local facts (`LOCAL_FACTS`) a "project" rule reads, of any file."""
    reads: List[Tuple[str, str]] = []
    watched = build_project(recorded(project, reads), [root], [], project.builtins)
    watched.built_graph = project.graph
    reads.clear()
    list(rule.check(watched))
    return sorted({field for _, field in reads} & LOCAL_FACTS)


def rerun_problems(rule: Rule, project: Project, root: Path) -> List[str]:
    """How re-running a "file" rule on each file alone, as a partial re-run does (without the
    import graph, only that file's local facts at hand), differs from the full run."""
    full = sorted(rule.check(fresh(project)), key=Finding.sort_key)
    reads: List[Tuple[str, str]] = []
    partial = build_project(recorded(project, reads), [root], [], project.builtins, with_graph=False)
    problems = [f"{f.path}:{f.line}: finding outside the files analysed" for f in full if f.path not in {s.display for s in partial.files}]
    for source in partial.files:
        reads.clear()
        try:
            alone = sorted(rule.check(dataclasses.replace(partial, files=[source], derived={})), key=Finding.sort_key)
        except Exception as error:  # noqa: BLE001 - a rule that needs the whole project fails here
            problems.append(f"{source.display}: raises {type(error).__name__} alone")
            continue
        if alone != [f for f in full if f.path == source.display]:
            problems.append(f"{source.display}: other findings alone than in the full run")
        problems += sorted({f"{source.display}: reads `{field}` of {display}" for display, field in reads
                            if field in LOCAL_FACTS and display != source.display})
    return problems


@pytest.mark.parametrize("name", TREES)
def test_project_rules_never_read_local_facts(name, tmp_path):
    """Findings of "project" rules are reused when only local facts changed: so none may read them."""
    project = analysed(tmp_path, TREES[name])
    assert {r.code: local_reads(r, fresh(project), tmp_path) for r in ALL_RULES if r.scope == "project"} == {
        r.code: [] for r in ALL_RULES if r.scope == "project"
    }


@pytest.mark.parametrize("name", TREES)
def test_file_rules_rerun_on_one_file_find_what_the_full_run_finds(name, tmp_path):
    """A partial re-run checks the changed files alone: a "file" rule must find there exactly
    what a full run finds in that file, reading no other file's local facts."""
    project = analysed(tmp_path, TREES[name])
    assert {r.code: rerun_problems(r, project, tmp_path) for r in ALL_RULES if r.scope == "file"} == {
        r.code: [] for r in ALL_RULES if r.scope == "file"
    }


def test_a_wrong_scope_is_caught(tmp_path):
    """The two checks above are not vacuous: a cycle rule claiming "file" scope fails alone
    without the graph, and a name rule claiming "project" scope reads local facts."""
    cycle = next(rule for rule in ALL_RULES if rule.code == "IG301")
    assert rerun_problems(dataclasses.replace(cycle, scope="file"), analysed(tmp_path / "cycle", cycle.bad), tmp_path / "cycle")
    names = next(rule for rule in ALL_RULES if rule.code == "IG101")
    assert local_reads(dataclasses.replace(names, scope="project"), analysed(tmp_path / "names", names.bad), tmp_path / "names") == ["names"]


def test_the_readmes_rules_table_lists_every_rule_by_name_and_default():
    """The README's table is written by hand (its descriptions say more than the summaries): it
    must name every rule, with the name and default of its record."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| (IG\d{3}) \| ([a-z-]+) \| (on|off) \|", readme, re.MULTILINE))
    assert rows == {(r.code, r.name, "on" if r.default else "off") for r in ALL_RULES}
