"""One docs-site page per rule, with ruff's sections, from the rule records alone: the pages
cannot say anything the records (and the examples the test-suite runs) do not. The site lives at
`docs/` (mkdocs); `scripts/generate_docs.py` writes these pages and a test keeps them current."""

from __future__ import annotations

from typing import Dict, List, Tuple

from importguard import __version__
from importguard.report.rule_docs import FIXES, tree_block
from importguard.rules import PEER_CODES
from importguard.rules.base import Rule

REPOSITORY = "https://github.com/importguard/importguard"


def page_url(code: str) -> str:
    """Where a rule's page is read: in the repository, at this release's tag (`explain`, SARIF)."""
    return f"{REPOSITORY}/blob/v{__version__}/docs/rules/{code}.md"


# ruff's names for the pyflakes codes in `PEER_CODES`.
PEER_NAMES = {"F821": "undefined-name", "F822": "undefined-export", "F823": "undefined-local"}

# The configuration keys that change what a rule reports, beyond the ones every rule honours.
OPTIONS: Tuple[Tuple[str, Tuple[str, ...], str], ...] = (
    ("max-file-size", ("IG002",), "a larger file is reported here instead of being parsed"),
    ("builtins", ("IG101", "IG103", "IG105", "IG106"), "extra names that exist everywhere are never undefined"),
    ("target-version", ("IG101", "IG106"), "`py314` makes annotations lazy (PEP 649), so their names are not evaluated at definition"),
    ("per-file-target-version", ("IG101", "IG106"), "the same, for the files a pattern matches"),
    ("type-checking-names", ("IG106", "IG201", "IG301", "IG303", "IG305", "IG306", "IG307"),
     "imports under `if NAME:` never run, so they are typing-only"),
    ("src", ("IG202", "IG301", "IG302", "IG303", "IG304", "IG305", "IG306", "IG307"),
     "the source roots decide which modules are first party"),
)

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
    lines += ["## Options", "", *_options(rule.code), "", "## Peers' codes", "", _peers(rule.code)]
    return "\n".join(lines) + "\n"


def _options(code: str) -> List[str]:
    own = [f"- [`{key}`](../configuration.md): {why}" for key, codes, why in OPTIONS if code in codes]
    return own + [
        f"- `select`, `extend-select`, `ignore` and `per-file-ignores` turn it on or off (`\"{code}\"` or a prefix);"
        f" `[tool.importguard.severity]` changes its severity.",
        f"- Inline: `# importguard: ignore[{code}]` or `# noqa: {code}` on the reported line.",
    ]


def _peers(code: str) -> str:
    peers = [peer for peer, codes in PEER_CODES.items() if code in codes]
    if not peers:
        return "None: no pyflakes or ruff rule reports this bug."
    listed = ", ".join(f"`{peer}` ({PEER_NAMES[peer]})" for peer in peers)
    return (f"pyflakes and ruff report this bug as {listed}; `# noqa: {peers[0]}` on the line silences"
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
