"""Every rule's bad example (its documentation) triggers exactly the findings it declares; the good one none."""

from __future__ import annotations

import pytest

from importguard.rules import ALL_RULES

from conftest import check_tree, fix_tree, summary


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: f"{r.code}-{r.name}")
def test_bad_example_reports_declared_findings(rule, tmp_path):
    findings = check_tree(tmp_path, rule.bad, select=[rule.code])
    expected = sorted((rule.code, path, line) for path, line in rule.bad_findings)
    assert sorted(summary(findings)) == expected
    for finding in findings:
        assert finding.rule == rule.name
        assert finding.message and not finding.message.endswith(".")


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: f"{r.code}-{r.name}")
def test_good_example_is_clean_under_every_rule(rule, tmp_path):
    assert summary(check_tree(tmp_path, rule.good, select=["ALL"])) == []


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_documents_itself(rule):
    assert rule.rationale.count(".") >= 1 and len(rule.rationale) > 80
    assert rule.summary[0].islower() or rule.summary[0] in "`"


FIXABLE = [rule for rule in ALL_RULES if rule.fix != "none"]


@pytest.mark.parametrize("rule", FIXABLE, ids=lambda r: f"{r.code}-{r.name}")
def test_bad_example_fixed_equals_declared_fixed_example(rule, tmp_path):
    """`--fix --unsafe-fixes` turns the documented bad example into the documented fixed one,
    which the rule no longer reports."""
    assert rule.fixed is not None and set(rule.fixed) == set(rule.bad)
    fix_tree(tmp_path, rule.bad, select=[rule.code], unsafe=True)
    for path, expected in rule.fixed.items():
        assert (tmp_path / path).read_text(encoding="utf-8") == expected, path
    assert check_tree(tmp_path, rule.fixed, select=[rule.code]) == []


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_declares_its_fix(rule):
    assert rule.fix in ("safe", "unsafe", "none")
    assert (rule.fix == "none") == (rule.fixed is None)
