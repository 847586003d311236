"""`[[tool.importguard.contracts]]`: architecture contracts read once into frozen records.

The contract types and their options are import-linter's (`layers`, `forbidden`, `independence`,
`acyclic_siblings`), so that migrating is a copy of the `[[tool.importlinter.contracts]]` tables;
`message` (import-linter's `broken_contract_guidance`, accepted too) says what to do instead, and
`import_kinds` chooses which imports count (import-linter counts every import; `acyclic_siblings`
here counts the import-time ones by default, as IG301 does). Every bad key of every contract is
reported at once, with the closest known key suggested.

Each record keeps the line of its table (and of each `ignore_imports` entry) in the
configuration file, so that a finding about the configuration points at it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

from importguard.errors import ConfigError

# The kinds of `ImportFact.edge_kind` (`importguard.project.graph.KINDS`; a test keeps them equal:
# this package sits below the project model and may not import it).
IMPORT_KINDS = ("import-time", "deferred", "typing-only")
TYPES = ("layers", "forbidden", "independence", "acyclic_siblings")
ALERT_LEVELS = ("error", "warn", "none")
DEFAULT_DEPTH = 10  # import-linter's default for `acyclic_siblings`

COMMON_KEYS = ("name", "type", "id", "ignore_imports", "unmatched_ignore_imports_alerting", "message",
               "broken_contract_guidance", "import_kinds")
TYPE_KEYS: Dict[str, Tuple[str, ...]] = {
    "layers": ("layers", "containers"),
    "forbidden": ("source_modules", "forbidden_modules", "allow_indirect_imports", "as_packages"),
    "independence": ("modules",),
    "acyclic_siblings": ("ancestors", "depth", "skip_descendants"),
}
REQUIRED: Dict[str, Tuple[str, ...]] = {
    "layers": ("layers",), "forbidden": ("source_modules", "forbidden_modules"),
    "independence": ("modules",), "acyclic_siblings": ("ancestors",),
}
MODULE_PART = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\*|\*\*")


@dataclass(frozen=True)
class IgnoredImport:
    """An `ignore_imports` entry: `importer -> imported`, each a module expression where `*`
    stands for one name and `**` for one or more."""

    expression: str
    importer: str
    imported: str
    line: int  # in the configuration file


@dataclass(frozen=True)
class LayerModule:
    name: str
    optional: bool  # written `(name)`: the layer need not exist


@dataclass(frozen=True)
class Layer:
    modules: Tuple[LayerModule, ...]
    independent: bool  # siblings joined by `|` (or a single module), not by `:`


@dataclass(frozen=True)
class Contract:
    name: str
    type: str
    line: int  # of its table in the configuration file
    ignore_imports: Tuple[IgnoredImport, ...] = ()
    alerting: str = "error"  # unmatched_ignore_imports_alerting
    message: Optional[str] = None
    import_kinds: Tuple[str, ...] = IMPORT_KINDS
    identifier: Optional[str] = None  # import-linter's `id`
    layers: Tuple[Layer, ...] = ()
    containers: Tuple[str, ...] = ()
    source_modules: Tuple[str, ...] = ()
    forbidden_modules: Tuple[str, ...] = ()
    allow_indirect_imports: bool = False
    as_packages: bool = True
    modules: Tuple[str, ...] = ()
    ancestors: Tuple[str, ...] = ()
    depth: int = DEFAULT_DEPTH
    skip_descendants: Tuple[str, ...] = ()


def valid_expression(text: str) -> bool:
    """A dotted module name whose parts may be `*` or `**` (import-linter's module expressions)."""
    return all(MODULE_PART.fullmatch(part) for part in text.split("."))


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _closest(key: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    return f" (did you mean `{close[0]}`?)" if close else ""


def parse_layer(text: str) -> Tuple[Optional[Layer], Optional[str]]:
    """`a | b` (independent siblings), `a : b` (siblings that may import each other), `(a)` optional."""
    if "|" in text and ":" in text:
        return None, f"`{text}` mixes `|` and `:`"
    parts = [p.strip() for p in re.split(r"[|:]", text)]
    modules = []
    for part in parts:
        optional = part.startswith("(") and part.endswith(")")
        name = part[1:-1].strip() if optional else part
        if not name or not all(p.isidentifier() for p in name.split(".")):
            return None, f"`{part}` is not a module name"
        modules.append(LayerModule(name, optional))
    names = [m.name for m in modules]
    if len(set(names)) < len(names):
        return None, f"`{text}` repeats a module"
    return Layer(tuple(modules), ":" not in text), None


class _Lines:
    """Where each contract table and each of its strings is in the configuration file's text."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers = [i + 1 for i, line in enumerate(self.lines) if re.match(r"\s*\[\[\s*tool\.importguard\.contracts\s*\]\]|\s*\[\[\s*contracts\s*\]\]", line)]

    def of_contract(self, index: int, name: Any) -> int:
        if index < len(self.headers):
            return self.headers[index]
        return self.of_string(str(name), 1)

    def of_string(self, value: str, start: int) -> int:
        for number in range(start, len(self.lines) + 1):
            line = self.lines[number - 1]
            if f'"{value}"' in line or f"'{value}'" in line:
                return number
        return start


def parse_contracts(value: Any, text: str) -> Tuple[List[Contract], List[str]]:
    """(contracts, problems) of the `contracts` array; `text` is the configuration file's."""
    if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
        return [], ["`contracts` must be an array of tables ([[tool.importguard.contracts]] with `name` and `type`)"]
    lines = _Lines(text)
    contracts: List[Contract] = []
    problems: List[str] = []
    for index, table in enumerate(value):
        label = f"`contracts` #{index + 1}" + (f" `{table['name']}`" if isinstance(table.get("name"), str) else "")
        contract, found = _parse_one(table, lines.of_contract(index, table.get("name")), lines)
        problems += [f"{label}: {problem}" for problem in found]
        if contract is not None:
            contracts.append(contract)
    names = [c.name for c in contracts]
    problems += [f"`contracts`: two contracts are named `{n}`" for n in sorted({n for n in names if names.count(n) > 1})]
    return contracts, problems


def _parse_one(table: Dict[str, Any], line: int, lines: _Lines) -> Tuple[Optional[Contract], List[str]]:
    problems: List[str] = []
    kind = table.get("type")
    if not isinstance(table.get("name"), str) or not table.get("name"):
        problems.append("`name` is required (a string)")
    if kind not in TYPES:
        problems.append(f"`type` must be one of {', '.join(TYPES)}" + (_closest(kind, TYPES) if isinstance(kind, str) else ""))
        return None, problems
    known = COMMON_KEYS + TYPE_KEYS[kind]
    problems += [f"unknown key `{key}` for a `{kind}` contract{_closest(key, known)}" for key in table if key not in known]
    problems += [f"`{key}` is required" for key in REQUIRED[kind] if key not in table]
    lists = ("layers", "containers", "source_modules", "forbidden_modules", "modules", "ancestors", "skip_descendants",
             "ignore_imports", "import_kinds")
    for key in lists:
        if key in table and not _strings(table[key]):
            problems.append(f"`{key}` must be a list of strings")
    for key in ("allow_indirect_imports", "as_packages"):
        if key in table and not isinstance(table[key], bool):
            problems.append(f"`{key}` must be true or false")
    if "depth" in table and (not isinstance(table["depth"], int) or isinstance(table["depth"], bool) or table["depth"] < 0):
        problems.append("`depth` must be a whole number, 0 or more")
    for key in ("message", "broken_contract_guidance", "id"):
        if key in table and not isinstance(table[key], str):
            problems.append(f"`{key}` must be a string")
    if "message" in table and "broken_contract_guidance" in table:
        problems.append("`message` and `broken_contract_guidance` are the same option: give one")
    alerting = table.get("unmatched_ignore_imports_alerting", "error")
    if alerting not in ALERT_LEVELS:
        problems.append(f"`unmatched_ignore_imports_alerting` must be one of {', '.join(ALERT_LEVELS)}")
    if problems:
        return None, problems
    for key in ("containers", "source_modules", "forbidden_modules", "modules", "ancestors", "skip_descendants"):
        problems += [f"`{key}`: `{m}` is not a module name (parts may be `*` or `**`)" for m in table.get(key, []) if not valid_expression(m)]
    problems += [f"`import_kinds`: unknown kind `{k}` (choose from {', '.join(IMPORT_KINDS)})" for k in table.get("import_kinds", []) if k not in IMPORT_KINDS]
    layers = []
    for text in table.get("layers", []):
        layer, problem = parse_layer(text)
        if problem:
            problems.append(f"`layers`: {problem}")
        elif layer is not None:
            layers.append(layer)
    every = [m.name for layer in layers for m in layer.modules]
    problems += [f"`layers`: `{n}` is in more than one layer" for n in sorted({n for n in every if every.count(n) > 1})]
    ignored = []
    for text in table.get("ignore_imports", []):
        importer, arrow, imported = (part.strip() for part in text.partition("->"))
        if not arrow or not valid_expression(importer) or not valid_expression(imported):
            problems.append(f"`ignore_imports`: `{text}` is not `importer -> imported` (module names; parts may be `*` or `**`)")
        else:
            ignored.append(IgnoredImport(text, importer, imported, lines.of_string(text, line)))
    if problems:
        return None, problems
    default_kinds = ("import-time",) if kind == "acyclic_siblings" else IMPORT_KINDS
    return Contract(
        name=table["name"], type=kind, line=line, ignore_imports=tuple(ignored), alerting=alerting,
        message=table.get("message", table.get("broken_contract_guidance")),
        import_kinds=tuple(k for k in IMPORT_KINDS if k in table.get("import_kinds", default_kinds)),
        identifier=table.get("id"), layers=tuple(layers), containers=tuple(table.get("containers", [])),
        source_modules=tuple(table.get("source_modules", [])), forbidden_modules=tuple(table.get("forbidden_modules", [])),
        allow_indirect_imports=table.get("allow_indirect_imports", False), as_packages=table.get("as_packages", True),
        modules=tuple(table.get("modules", [])), ancestors=tuple(table.get("ancestors", [])),
        depth=table.get("depth", DEFAULT_DEPTH), skip_descendants=tuple(table.get("skip_descendants", [])),
    ), []


def find_contract(contracts: Sequence[Contract], name: str) -> Contract:
    """The contract of that name (or import-linter `id`); a clear error naming the closest otherwise."""
    for contract in contracts:
        if name in (contract.name, contract.identifier):
            return contract
    names = [c.name for c in contracts]
    known = f"; declared: {', '.join(f'`{n}`' for n in names)}" if names else "; no contract is declared ([[tool.importguard.contracts]])"
    raise ConfigError(f"--contract: no contract named `{name}`{_closest(name, names)}{known}")


@dataclass(frozen=True)
class ContractScope:
    """The contracts a project is checked against, and where they were declared.

    `inherited`: the table belongs to a project above this one (a nested tree without its own
    `[tool.importguard]`); there a contract naming modules this project does not have is about
    the other project and is skipped, where in its own project it is an error (IG406).
    """

    contracts: Tuple[Contract, ...] = ()
    source: Optional[str] = None  # display path of the configuration file
    inherited: bool = False

    def of_type(self, kind: str) -> List[Contract]:
        return [c for c in self.contracts if c.type == kind]
