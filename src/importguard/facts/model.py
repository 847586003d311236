"""Per-file facts: plain, JSON-safe data computed from one file's bytes.

Facts hold no CST nodes, so they can be cached as JSON and shipped between processes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional

IMPORT_TIME_SCOPES = ("module", "class")


@dataclass
class Handler:
    """An enclosing `except` handler: its line and the exception names it catches."""

    line: int
    caught: List[str]  # empty for a bare `except:`


@dataclass
class ImportFact:
    """One imported module target.

    `import a.b as c, d` gives two facts; `from m import x, y` gives one with two names.
    """

    kind: str  # "import" | "from" | "dynamic"
    module: str  # dotted target without leading dots ("" for `from . import x`)
    level: int  # number of leading dots of a relative import
    names: List[List[Optional[str]]]  # [name, asname] pairs of a `from` import; ["*", None]
    alias: Optional[str]  # `import a.b as alias`
    line: int
    column: int
    scope: str  # "module" | "class" | "function"
    function: Optional[str]  # qualified name of the enclosing function
    type_checking: bool  # under `if TYPE_CHECKING:` (or its `else` of `if not ...`)
    guarded: bool  # in a `try` body whose handlers catch ImportError
    handler: Optional[Handler]  # innermost enclosing handler that is not ImportError-only
    in_finally: bool
    conditional: bool  # under another `if`, loop, `with` or `try`
    script_only: bool = False  # under `if __name__ == "__main__":`: never runs on import
    guard_line: Optional[int] = None  # the innermost `try` whose handlers catch its ImportError
    # the guard catches only ModuleNotFoundError (`pytest.raises(ModuleNotFoundError)`): a missing
    # name, a plain ImportError, escapes it
    guard_module_only: bool = False

    @property
    def edge_kind(self) -> str:
        """How the import orders module execution: import-time, deferred or typing-only."""
        if self.type_checking:
            return "typing-only"
        if self.scope in IMPORT_TIME_SCOPES and not self.script_only:
            return "import-time"
        return "deferred"

    @property
    def display(self) -> str:
        """The import as a user would write it, for messages."""
        target = "." * self.level + self.module
        if self.kind == "import":
            return f"import {target}" + (f" as {self.alias}" if self.alias else "")
        if self.kind == "dynamic":
            return f"import_module({target!r})"
        names = ", ".join(f"{n}" if a is None else f"{n} as {a}" for n, a in self.names)
        return f"from {target} import {names}"


@dataclass
class DynamicCall:
    """`importlib.import_module(...)`/`__import__(...)` whose target is not a constant."""

    callee: str
    line: int
    column: int
    function: Optional[str]


# Why a file could not be analysed. The facts say what happened; the rules decide the code.
PROBLEM_KINDS = (
    "syntax",  # Python's parser rejects the file
    "nul-bytes",  # NUL bytes: no Python parser accepts them
    "undecodable",  # the bytes do not decode in the file's encoding
    "unsupported-syntax",  # Python accepts it, libcst's parser cannot (or not nested that deeply)
    "analysis-failure",  # the parser or the walk failed on this file
    "too-large",  # over `max-file-size`: never parsed
    "unreadable",  # the file system refused it: permissions, a FIFO, a broken symlink, a directory
    "over-budget",  # analysing it took longer than the per-file time budget
    "not-analysed",  # excluded, and imported by no reported module: never read
)


@dataclass
class Problem:
    """Why a file could not be analysed: `kind` is one of `PROBLEM_KINDS`."""

    kind: str
    message: str
    line: int = 1
    column: int = 1


@dataclass
class Binding:
    """Where and how a name is bound, the way pyflakes' binding classes say it: `kind` is one of
    `BINDING_KINDS`, `text` is how a message shows it (`` `import time` ``), and an import keeps
    the dotted name the bound name refers to, so nothing parses `text` back."""

    __slots__ = ("line", "kind", "text", "target")
    line: int
    kind: str
    text: str
    target: Optional[str]  # an import: `os.path` for `import os.path as p`, `os` for `import os.path`

    @property
    def is_import(self) -> bool:
        return self.kind == "import"


BINDING_KINDS = (
    "import", "assignment", "augmented-assignment", "annotated-assignment", "annotation", "parameter",
    "def", "class", "class-body", "for", "with", "except", "comprehension", "walrus", "match",
    "type-alias", "type-parameter", "global-enum", "globals-write", "try",
    "del", "except-end",  # not bindings: where `del` or the end of an `except … as` handler cleared the name
)
CLEARING_KINDS = frozenset({"del", "except-end"})

# What was observed about a read of a name that will fail (`NameIssue.kind`); rules map kinds to codes.
NAME_KINDS = (
    "undefined",  # no enclosing scope, import or builtin binds it
    "elsewhere",  # bound only inside another function or class
    "class-scope",  # bound in an enclosing class body, which the functions in it do not see
    "typing-only",  # bound only under `if TYPE_CHECKING:`
    "before-binding",  # read by module-level code above the module's first binding
    "global-unbound",  # a `global` read before its only binding, which the function makes itself
    "called-too-early",  # a call runs a nested function before the module binds a name it reads
    "called-too-early-local",  # ... before the caller binds its local on any path
    "called-too-early-local-maybe",  # ... where the caller's local is unbound on some path, or deleted
    "unbound-local",  # a function's local read before the binding that makes it local
    "possibly-unbound",  # unbound on some ordinary path (an `if` without `else`, a loop that may not run)
    "cleared",  # read after `del` or the end of an `except … as` handler, on every path
    "cleared-some-path",  # the same, on some path
    "exception-path",  # unbound only where an exception skipped the binding
    "annotation",  # in an annotation that is never evaluated at run time, and bound nowhere
)


@dataclass
class NameIssue:
    """A read of a name that will raise NameError/UnboundLocalError, before project context.

    `kind` (one of `NAME_KINDS`) says what was observed; `binding` is the binding the message
    points at (the later one, the one a `try` skipped, the `del` that cleared the name, ...).
    """

    kind: str
    name: str
    line: int
    column: int
    where: str  # the function the use is in (`f`, `C.m`), "" at module level, "class `C`"
    binding: Optional[Binding] = None
    elsewhere: Optional[str] = None  # the scope that binds it, for "elsewhere"/"class-scope"
    shadows: Optional[int] = None  # unbound-local: line of the module-level binding the local shadows
    try_line: Optional[int] = None  # exception-path: the `try` whose failure may skip the binding
    # exception-path after a `try`: the call ending each handler that lets execution continue ("" for
    # none); a handler ending in a call of a function that always raises does not fall through
    handler_calls: Optional[List[str]] = None
    # called-too-early*: the function whose call runs the use, the line of that call, and the
    # function's decorators (see `FileFacts.decorators`): the call runs its body, and so the use,
    # only if each of them calls it
    callee: Optional[str] = None
    call_line: Optional[int] = None
    decorators: Optional[List[str]] = None

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "NameIssue":
        binding = data["binding"]
        return cls(**{**data, "binding": binding and Binding(**binding)})


@dataclass
class Export:
    """A string listed in a literal `__all__` that the module itself does not bind."""

    name: str
    line: int
    column: int


@dataclass
class HandlerCalls:
    """An `except` handler (not ImportError-only) and the calls its body makes."""

    line: int
    caught: List[str]
    function: Optional[str]  # the function the handler is in, None at module level
    calls: List[List[Any]] = field(default_factory=list)  # [callee, line], callee dotted ("f", "m.f", "self.f")


@dataclass
class ModuleRebuild:
    """Module-level code that replaces or rebuilds the module at run time, so its names are not
    only what its statements bind: `sys.modules[__name__] = other`,
    `local.recreate_module(__name__, by_module={...})`, `IntEnum._convert_('Options', __name__, ...)`.
    """

    line: int
    how: str  # the statement, shortened, for messages
    replacement: Optional[str] = None  # dotted name of the object put in `sys.modules`
    advertised: List[str] = field(default_factory=list)  # strings in literal arguments, keyword names
    open_ended: bool = False  # an argument or replacement importguard cannot read: any name


@dataclass
class FileFacts:
    """Everything the rules need to know about one file."""

    imports: List[ImportFact] = field(default_factory=list)
    dynamic_calls: List[DynamicCall] = field(default_factory=list)
    suppressions: Dict[int, List[str]] = field(default_factory=dict)  # line -> codes ([] = all)
    skip_file: bool = False
    problem: Optional[Problem] = None
    names: List[NameIssue] = field(default_factory=list)
    module_bindings: Dict[str, int] = field(default_factory=dict)  # module-level name -> first binding line
    exports: Optional[List[str]] = None  # a literal `__all__`, None when absent or computed
    exports_computed: bool = False  # `__all__` is built by code importguard cannot follow
    unbound_exports: List[Export] = field(default_factory=list)
    dynamic_globals: Optional[int] = None  # line of a `globals()`/`vars()` write or module `exec`
    rebuilds: List[ModuleRebuild] = field(default_factory=list)
    typing_names: List[str] = field(default_factory=list)  # module-level names bound under TYPE_CHECKING
    no_return: List[str] = field(default_factory=list)  # functions whose every path raises
    functions: Dict[str, int] = field(default_factory=dict)  # qualified name -> line of the `def`
    calls: Dict[str, List[List[Any]]] = field(default_factory=dict)  # function qualname -> [callee, line]
    handlers: List[HandlerCalls] = field(default_factory=list)
    attribute_uses: List[List[Any]] = field(default_factory=list)  # import-time `module.attr`: [base, attr, line]
    bases: Dict[str, List[str]] = field(default_factory=dict)  # class qualname -> dotted names of its bases
    module_calls: List[List[Any]] = field(default_factory=list)  # [callee, line] run at import time
    # module-level `mod.name = …`/`setattr(mod, "name", …)` where an import binds `mod`: another
    # module's namespace gets `name` once this module has run: [mod (dotted), name, line, conditional]
    attribute_writes: List[List[Any]] = field(default_factory=list)
    # function qualname -> its decorators, outermost first: dotted names, `name()` for a call
    # (`@lru_cache(maxsize=1)`), "?" for any other expression; undecorated functions are absent
    decorators: Dict[str, List[str]] = field(default_factory=dict)
    # module-level functions whose result calls the function they are given: name -> "decorator" (`deco(f)`
    # returns `f` or a wrapper calling it) | "factory" (`deco(...)` returns such a decorator)
    wrappers: Dict[str, str] = field(default_factory=dict)

    def to_json(self) -> Dict[str, Any]:
        data = asdict(self)
        data["suppressions"] = {str(k): v for k, v in self.suppressions.items()}
        return data

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "FileFacts":
        imports = []
        for item in data["imports"]:
            handler = item.get("handler")
            imports.append(ImportFact(**{**item, "handler": handler and Handler(**handler)}))
        problem = data.get("problem")
        return cls(
            imports=imports,
            dynamic_calls=[DynamicCall(**d) for d in data["dynamic_calls"]],
            suppressions={int(k): v for k, v in data["suppressions"].items()},
            skip_file=data["skip_file"],
            problem=problem and Problem(**problem),
            names=[NameIssue.from_json(n) for n in data["names"]],
            module_bindings=data["module_bindings"],
            exports=data["exports"],
            exports_computed=data["exports_computed"],
            unbound_exports=[Export(**e) for e in data["unbound_exports"]],
            dynamic_globals=data["dynamic_globals"],
            functions=data["functions"],
            calls=data["calls"],
            handlers=[HandlerCalls(**h) for h in data["handlers"]],
            attribute_uses=data["attribute_uses"],
            bases=data["bases"],
            module_calls=data["module_calls"],
            decorators=data.get("decorators", {}),
            wrappers=data.get("wrappers", {}),
            rebuilds=[ModuleRebuild(**r) for r in data["rebuilds"]],
            typing_names=data["typing_names"],
            no_return=data["no_return"],
            attribute_writes=data.get("attribute_writes", []),
        )

