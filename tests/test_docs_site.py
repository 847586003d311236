"""The docs site (mkdocs.yml, docs/): its generated pages are current, every rule page has ruff's
sections, and `mkdocs build --strict` builds it with one page per rule."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

from importguard.rules import ALL_RULES, BY_CODE

REPOSITORY = Path(__file__).resolve().parents[1]
DOCS = REPOSITORY / "docs"
GENERATE = [sys.executable, str(REPOSITORY / "scripts" / "generate_docs.py")]


def test_committed_site_pages_are_current(tmp_path):
    subprocess.run([*GENERATE, "--output-dir", str(tmp_path)], check=True, capture_output=True, text=True)
    generated = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.md"))
    assert {f"rules/{rule.code}.md" for rule in ALL_RULES} | {"rules/index.md", "index.md"} <= set(generated)
    committed = sorted(p.relative_to(DOCS).as_posix() for p in (DOCS / "rules").glob("*.md"))
    assert committed == [g for g in generated if g.startswith("rules/")], "run `python scripts/generate_docs.py`"
    for relative in generated:
        assert (DOCS / relative).read_text(encoding="utf-8") == (tmp_path / relative).read_text(encoding="utf-8"), (
            f"docs/{relative} is stale: run `python scripts/generate_docs.py`")


def test_rule_pages_have_ruffs_sections():
    for rule in ALL_RULES:
        page = (DOCS / "rules" / f"{rule.code}.md").read_text(encoding="utf-8")
        sections = re.findall(r"^## (.+)$", page, re.MULTILINE)
        fixed = ["Fixed example"] if rule.fixed else []
        safety = ["Fix safety"] if rule.fix != "none" else []
        assert sections == ["What it does", "Why is this bad?", "Example", "Use instead", *fixed, *safety,
                            "Options", "Peers' codes"], rule.code
    assert "`F821` (undefined-name)" in (DOCS / "rules" / "IG106.md").read_text(encoding="utf-8")
    assert "`F823` (undefined-local)" in (DOCS / "rules" / "IG102.md").read_text(encoding="utf-8")
    assert "only `importguard check --fix --unsafe-fixes` applies it" in (DOCS / "rules" / "IG201.md").read_text(encoding="utf-8")


def test_guides_are_the_readmes_sections():
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    configuration = (DOCS / "configuration.md").read_text(encoding="utf-8")
    toml = re.search(r"```toml\n.*?```", readme, re.DOTALL).group(0)
    assert toml in configuration
    assert "pre-commit" in (DOCS / "ci.md").read_text(encoding="utf-8")


def test_mkdocs_strict_build_has_a_page_per_rule(tmp_path):
    site = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                          cwd=REPOSITORY, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    ig101 = (site / "rules" / "IG101" / "index.html").read_text(encoding="utf-8")
    assert html.escape(BY_CODE["IG101"].rationale.split("`")[0].strip(), quote=False) in ig101
    assert "<code>F821</code>" in ig101
    for rule in ALL_RULES:
        page = (site / "rules" / rule.code / "index.html").read_text(encoding="utf-8")
        assert f"{rule.code} {rule.name}" in page
    assert 'href="IG101/"' in (site / "rules" / "index.html").read_text(encoding="utf-8")
    for guide in ("getting-started", "command-line", "configuration", "ci"):
        assert (site / guide / "index.html").is_file()
