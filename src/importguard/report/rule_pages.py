"""One docs-site page per rule, with ruff's sections, from the rule records alone: the pages
cannot say anything the records (and the examples the test-suite runs) do not. The site lives at
`docs/` (mkdocs); `scripts/generate_docs.py` writes these pages and a test keeps them current."""

from __future__ import annotations

from typing import Dict, List

from importguard import __version__
from importguard.report.rule_docs import FIXES, tree_block
from importguard.rules.base import Rule

REPOSITORY = "https://github.com/importguard/importguard"


def page_url(code: str) -> str:
    """Where a rule's page is read: in the repository, at this release's tag (`explain`, SARIF)."""
    return f"{REPOSITORY}/blob/v{__version__}/docs/rules/{code}.md"


FIX_SAFETY = {
    "safe": (
        "The fix is safe: `importguard check --fix` applies it. A finding whose fix could change what"
        " runs at import time (a third-party module, say) gets the same fix marked unsafe, applied only"
        " with `--fix --unsafe-fixes`."
    ),
    "unsafe": (
        "The fix is unsafe: moving an import changes when it runs and whether its failure is caught,"
        " so only `importguard check --fix --unsafe-fixes` applies it (`--diff --unsafe-fixes` shows it first)."
    ),
}
PROVEN = (
    "Every fix is proven before it is written: the fixed files are analysed again, and a fix that"
    " leaves its finding, adds one or closes an import cycle is not applied."
)


def rule_page(rule: Rule) -> str:
    default = "on" if rule.default else f"off (enable with `--extend-select {rule.code}`)"
    lines = [
        f"# {rule.code} {rule.name}",
        "",
        f"**Default:** {default}. **Severity:** {rule.severity}. **Fix:** {FIXES[rule.fix]}.",
        "",
        "## What it does",
        "",
        rule.summary[0].upper() + rule.summary[1:] + ".",
        "",
        "## Why is this bad?",
        "",
        rule.rationale,
        "",
        "## Example",
        "",
        *tree_block(rule.bad),
        "",
        "## Use instead",
        "",
        *tree_block(rule.good),
        "",
    ]
    if rule.fixed:
        lines += ["## Fixed example", "", "`importguard check --fix --unsafe-fixes` turns the example into:", "",
                  *tree_block(rule.fixed), ""]
    if rule.fix in FIX_SAFETY:
        lines += ["## Fix safety", "", FIX_SAFETY[rule.fix] + " " + PROVEN, ""]
    lines += ["## Options", "", *_options(rule), "", "## Peers' codes", "", _peers(rule)]
    return "\n".join(lines) + "\n"


def _options(rule: Rule) -> List[str]:
    code = rule.code
    own = [f"- [`{option.key}`](../configuration.md): {option.why}" for option in rule.options]
    return own + [
        f"- `select`, `extend-select`, `ignore` and `per-file-ignores` turn it on or off (`\"{code}\"` or a prefix);"
        f" `[tool.importguard.severity]` changes its severity.",
        f"- Inline: `# importguard: ignore[{code}]` or `# noqa: {code}` on the reported line.",
    ]


def _peers(rule: Rule) -> str:
    if not rule.peers:
        return "None: no pyflakes or ruff rule reports this bug."
    listed = ", ".join(f"`{peer.code}` ({peer.name})" for peer in rule.peers)
    return (f"pyflakes and ruff report this bug as {listed}; `# noqa: {rule.peers[0].code}` on the line silences"
            " it here too. Peer codes are accepted in `# noqa` comments, not in the configuration.")


def rules_index(rules: List[Rule]) -> str:
    lines = [
        "# Rules",
        "",
        "Generated from the rules' own records; every example is one the test-suite runs.",
        "[All rules on one page](../rules.md).",
        "",
        "| code | name | default | severity | fix | what it reports |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| [{r.code}]({r.code}.md) | {r.name} | {'on' if r.default else 'off'} | {r.severity} | {r.fix} | {r.summary} |"
        for r in rules
    ]
    return "\n".join(lines) + "\n"


def rule_pages(rules: List[Rule]) -> Dict[str, str]:
    """`{file name under docs/rules/: text}` for every rule and the index."""
    return {"index.md": rules_index(rules), **{f"{rule.code}.md": rule_page(rule) for rule in rules}}
