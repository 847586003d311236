"""The editor's settings for the server, from `initializationOptions` or `workspace/configuration`
(section `importguard`), with the names ruff's server uses where one exists.

```json
{"select": ["IG1"], "extendSelect": ["IG203"], "ignore": ["IG201"],
 "diagnosticMode": "openFiles", "fixAll": true}
```

`select`/`extendSelect`/`ignore` override the project's `[tool.importguard]` as the command
line's options do. A bad value is reported to the user and the setting keeps its default: an
editor's typo never stops the server.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, List, Mapping, Optional, Tuple

from importguard.server.engine import RuleChoice

OPEN_FILES, WORKSPACE = "openFiles", "workspace"
KNOWN = ("select", "extendSelect", "ignore", "diagnosticMode", "fixAll")


@dataclass(frozen=True)
class ServerSettings:
    choice: RuleChoice = field(default_factory=RuleChoice)
    diagnostic_mode: str = OPEN_FILES
    fix_all: bool = True


def parse_settings(raw: Any) -> Tuple[ServerSettings, List[str]]:
    """The settings, and one message per bad or unknown key (each names the key)."""
    if raw is None:
        return ServerSettings(), []
    if not isinstance(raw, Mapping):
        return ServerSettings(), [f"importguard settings must be an object, not {type(raw).__name__}"]
    if isinstance(raw.get("importguard"), Mapping):  # the whole configuration, not our section
        raw = raw["importguard"]
    problems = [f"unknown importguard setting `{key}` (known: {', '.join(KNOWN)})" for key in raw if key not in KNOWN]
    select = _codes(raw, "select", problems)
    mode = raw.get("diagnosticMode", OPEN_FILES)
    if mode not in (OPEN_FILES, WORKSPACE):
        problems.append(f"importguard setting `diagnosticMode` must be `{OPEN_FILES}` or `{WORKSPACE}`, not {mode!r}")
        mode = OPEN_FILES
    fix_all = raw.get("fixAll", True)
    if not isinstance(fix_all, bool):
        problems.append(f"importguard setting `fixAll` must be true or false, not {fix_all!r}")
        fix_all = True
    choice = RuleChoice(
        tuple(select) if select is not None else None,
        tuple(_codes(raw, "extendSelect", problems) or ()),
        tuple(_codes(raw, "ignore", problems) or ()),
    )
    return ServerSettings(choice, mode, fix_all), problems


def _codes(raw: Mapping[str, Any], key: str, problems: List[str]) -> Optional[List[str]]:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"importguard setting `{key}` must be a list of rule codes or prefixes, not {value!r}")
        return None
    return [v.strip().upper() for v in value]
