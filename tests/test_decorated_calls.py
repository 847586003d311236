"""Module-level calls of decorated functions: the body runs only when every decorator calls it.

A call of a decorated name calls what the decorator returned. `@st.composite` returns a strategy
factory and `@contextlib.contextmanager` a context-manager factory: neither runs the body on the
call, so its run-time imports and its reads of later names cannot fail then. A first-party
`functools.wraps` wrapper, `functools.lru_cache` and the like do call it. Real Python proves both.
"""

from __future__ import annotations

from typing import Dict, Tuple

import pytest

from conftest import check_tree, run_python

# `hypothesis.strategies.composite` as hypothesis has it: the decorated name returns a strategy
# and never calls the function (hypothesis calls it later, with `draw`, when the strategy is drawn).
HYPOTHESIS_STAND_IN = """\
import sys, types
strategies = types.ModuleType("hypothesis.strategies")
strategies.composite = lambda function: (lambda *args, **kwargs: ("strategy", function.__name__))
hypothesis = types.ModuleType("hypothesis")
hypothesis.strategies = strategies
sys.modules.update({"hypothesis": hypothesis, "hypothesis.strategies": strategies})
"""

DECO = """\
import functools


def logged(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return function(*args, **kwargs)
    return wrapper


def registered(function):
    function.registered = True
    return function


def retry(times):
    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            for _ in range(times - 1):
                try:
                    return function(*args, **kwargs)
                except OSError:
                    pass
            return function(*args, **kwargs)
        return wrapper
    return decorate


def lazy(function):
    def wrapper(*args, **kwargs):
        return functools.partial(function, *args, **kwargs)
    return wrapper
"""


def tree(imports: str, decorator: str, give: str = "return") -> Dict[str, str]:
    """A cycle `app.models` <-> `app.strategies` that fails only if `users()` runs its body
    (`from app.models import User` while `app.models` is partially initialised), and a module whose
    `names()` reads `ALLOWED` before it is bound, both called at module level."""
    return {
        "app/__init__.py": "",
        "app/deco.py": DECO,
        "app/models.py": "from app.strategies import USERS\n\n\nclass User:\n    pass\n",
        "app/strategies.py": (
            f"{imports}\n\n\n{decorator}\ndef users(draw=None):\n    from app.models import User\n    {give} User\n\n\n"
            "USERS = users()\n"
        ),
        "app/names.py": f"{imports}\n\n\n{decorator}\ndef names(draw=None):\n    {give} ALLOWED\n\n\nNAMES = names()\nALLOWED = ['ann']\n",
    }


def line_of(files: Dict[str, str], path: str, read: str, called: str, call: str) -> Tuple[int, int, int]:
    """The lines of `read` and `called` in `path`, and of `call` in `app/strategies.py`."""
    lines, strategies = files[path].splitlines(), files["app/strategies.py"].splitlines()
    return lines.index(read) + 1, lines.index(called) + 1, strategies.index(call) + 1


RUNS_THE_BODY = {
    "undecorated": ("", ""),
    "first_party_functools_wraps": ("from app.deco import logged", "@logged"),
    "first_party_returns_the_function": ("import app.deco as deco", "@deco.registered"),
    "first_party_decorator_factory": ("from app import deco", "@deco.retry(3)"),
    "functools_lru_cache": ("import functools", "@functools.lru_cache(maxsize=None)"),
    "functools_cache_and_wraps_wrapper": ("import functools\nfrom app.deco import logged", "@functools.cache\n@logged"),
}
DOES_NOT_RUN_THE_BODY = {
    "third_party_st_composite": ("from hypothesis import strategies as st", "@st.composite", "return"),
    "st_composite_outside_a_known_one": ("from hypothesis import strategies as st\nfrom app.deco import logged", "@logged\n@st.composite", "return"),
    "first_party_wrapper_that_never_calls": ("from app.deco import lazy", "@lazy", "return"),
    "contextlib_contextmanager": ("import contextlib", "@contextlib.contextmanager", "yield"),
}
SELECT = ["IG101", "IG202", "IG301", "IG306"]


@pytest.mark.parametrize("name", sorted(RUNS_THE_BODY))
def test_a_call_through_decorators_that_call_the_function_is_followed(name, tmp_path):
    imports, decorator = RUNS_THE_BODY[name]
    files = tree(imports, decorator)
    findings = check_tree(tmp_path, files, select=SELECT)
    read, called, call = line_of(files, "app/names.py", "    return ALLOWED", "NAMES = names()", "USERS = users()")
    by_site = {(f.code, f.path, f.line): f for f in findings}
    assert sorted(by_site) == [
        ("IG101", "app/names.py", read),
        ("IG301", "app/models.py", 1),
        ("IG306", "app/models.py", 1),
        ("IG306", "app/strategies.py", call),
    ]
    assert by_site["IG101", "app/names.py", read].message == (
        f"`ALLOWED` is not bound yet when `names()` runs (called at line {called}) in `names()`"
    )
    assert "`users() runs `from app.models import User``" in by_site["IG306", "app/strategies.py", call].message
    # Real Python runs the body on each call, and fails exactly there.
    first_models = run_python("import app.models", cwd=tmp_path).stderr
    assert "cannot import name 'User' from partially initialized module 'app.models'" in first_models
    assert "NameError: name 'ALLOWED' is not defined" in run_python("import app.names", cwd=tmp_path).stderr


@pytest.mark.parametrize("name", sorted(DOES_NOT_RUN_THE_BODY))
def test_a_call_through_a_decorator_not_known_to_call_the_function_is_not_followed(name, tmp_path):
    imports, decorator, give = DOES_NOT_RUN_THE_BODY[name]
    assert check_tree(tmp_path, tree(imports, decorator, give), select=SELECT) == []
    # Real Python: the calls return without running the bodies, in every import order.
    for entry in ("app.models", "app.strategies", "app.names"):
        proc = run_python(f"{HYPOTHESIS_STAND_IN}import {entry}", cwd=tmp_path)
        assert proc.returncode == 0, (entry, proc.stderr)


def test_handler_calls_are_followed_through_decorators_that_call_the_function(tmp_path):
    """IG202: a handler calling a `@logged` function runs its import; calling a `@st.composite`
    one only builds a strategy."""
    files = {
        "app/__init__.py": "",
        "app/deco.py": DECO,
        "app/plugins.py": "",
        "app/tasks.py": (
            "from hypothesis import strategies as st\n"
            "from app.deco import logged\n"
            "\n"
            "\n"
            "@logged\n"
            "def load_plugins():\n"
            "    import app.plugins\n"
            "\n"
            "\n"
            "@st.composite\n"
            "def plugin_names(draw=None):\n"
            "    import app.plugins\n"
            "\n"
            "\n"
            "def run(job, fallback):\n"
            "    try:\n"
            "        job()\n"
            "    except ValueError:\n"
            "        plugin_names()\n"
            "    except KeyError:\n"
            "        load_plugins()\n"
        ),
    }
    findings = check_tree(tmp_path, files, select=["IG202"])
    assert [(f.code, f.path, f.line) for f in findings] == [("IG202", "app/tasks.py", 21)]
    assert "calls `load_plugins()`, which runs `import app.plugins` (app/tasks.py:7)" in findings[0].message
    # Real Python: only the `KeyError` handler imports `app.plugins`.
    check = "import sys, app.tasks\ndef fail(error):\n    def job():\n        raise error\n    return job\n"
    for error, imported in (("ValueError", "False"), ("KeyError", "True")):
        proc = run_python(
            f"{HYPOTHESIS_STAND_IN}{check}app.tasks.run(fail({error}), None)\nprint('app.plugins' in sys.modules)",
            cwd=tmp_path,
        )
        assert proc.stdout == f"{imported}\n", proc.stderr
