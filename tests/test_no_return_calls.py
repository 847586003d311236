"""IG105 after a `try` whose handlers end in a call that never returns: flask's `abort` (resolved
through the imports) and a first-party helper ending in click's `ctx.fail`. Real Python runs the
failing path to prove that no UnboundLocalError can happen (binding_cases.py holds the rest)."""

from __future__ import annotations

from pathlib import Path

from conftest import check_tree, run_python, summary

# A stand-in for flask with the same never-returning `abort`, outside the project's source roots
# (flask is not installed here): `vendor/` is put on `sys.path` only when the code runs.
FLASK_STAND_IN = (
    "class HTTPException(Exception):\n"
    "    def __init__(self, code):\n"
    "        self.code = code\n"
    "\n"
    "\n"
    "def abort(code):\n"
    "    raise HTTPException(code)\n"
)
VIEWS = (
    "import flask\n"
    "from flask import abort\n"
    "\n"
    "\n"
    "def item(text):\n"
    "    try:\n"
    "        number = int(text)\n"
    "    except ValueError:\n"
    "        abort(400)\n"
    "    return number\n"
    "\n"
    "\n"
    "def page(text):\n"
    "    try:\n"
    "        number = int(text)\n"
    "    except ValueError:\n"
    "        flask.abort(404)\n"
    "    return number\n"
)
RUN_VIEWS = (
    "import sys\n"
    "sys.path.insert(0, 'vendor')\n"
    "import flask, views\n"
    "for view, code in ((views.item, 400), (views.page, 404)):\n"
    "    assert view('7') == 7\n"
    "    try:\n"
    "        view('seven')\n"
    "    except flask.HTTPException as error:\n"
    "        assert error.code == code\n"
    "    else:\n"
    "        raise AssertionError('abort returned')\n"
)


def test_flask_abort_ends_the_handler(tmp_path: Path):
    files = {"vendor/flask/__init__.py": FLASK_STAND_IN, "views.py": VIEWS}
    assert check_tree(tmp_path, files, select=["IG105"]) == []
    ran = run_python(RUN_VIEWS, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr


CLI = {
    "tool/__init__.py": "",
    "tool/errors.py": (
        "import click\n"
        "\n"
        "\n"
        "def bad_value(ctx, text):\n"
        "    ctx.fail(f'bad value: {text}')\n"
        "\n"
        "\n"
        "def report(text):\n"
        "    click.echo(f'bad value: {text}')\n"
    ),
    "tool/main.py": (
        "import click\n"
        "\n"
        "from tool.errors import bad_value, report\n"
        "\n"
        "\n"
        "@click.command()\n"
        "@click.argument('text')\n"
        "@click.pass_context\n"
        "def strict(ctx, text):\n"
        "    try:\n"
        "        number = int(text)\n"
        "    except ValueError:\n"
        "        bad_value(ctx, text)\n"
        "    click.echo(number)\n"
        "\n"
        "\n"
        "@click.command()\n"
        "@click.argument('text')\n"
        "def lenient(text):\n"
        "    try:\n"
        "        number = int(text)\n"
        "    except ValueError:\n"
        "        report(text)\n"
        "    click.echo(number)\n"
    ),
}


def test_first_party_helper_ending_in_ctx_fail_never_returns(tmp_path: Path):
    """`bad_value` always raises through `ctx.fail`, so `strict` is fine; `report` returns, so
    `lenient` reaches `number` unbound."""
    findings = check_tree(tmp_path, CLI, select=["IG105"])
    assert summary(findings) == [("IG105", "tool/main.py", 24)]
    assert findings[0].name == "number"
    strict = run_python(
        "import click\nfrom tool.main import strict\n"
        "try:\n    strict.main(['x'], standalone_mode=False)\n"
        "except click.UsageError as error:\n    print(error.message)\n",
        cwd=tmp_path,
    )
    assert strict.returncode == 0 and strict.stdout == "bad value: x\n", strict.stderr
    lenient = run_python("from tool.main import lenient\nlenient.main(['x'], standalone_mode=False)", cwd=tmp_path)
    assert lenient.stderr.strip().splitlines()[-1].startswith("UnboundLocalError:"), lenient.stderr
