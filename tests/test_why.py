"""`importguard why A B`: the shortest import chain, file:line per hop, as a real subprocess."""

from __future__ import annotations

import json

from conftest import run_cli, write_tree

TREE = {
    "pyproject.toml": "",
    "app/__init__.py": "",
    "app/web.py": "from app import service\n",
    "app/service.py": "import app.models\n\n\ndef run():\n    from app import audit\n",
    "app/models.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app import web\n",
    "app/audit.py": "",
}


def test_chain_with_file_line_and_kind(tmp_path):
    write_tree(tmp_path, TREE)
    result = run_cli("why", "app.web", "app.models", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "app.web -> app.service -> app.models  (2 imports)",
        "    app.web  app/web.py:1  from app import service  [import-time]",
        "    app.service  app/service.py:1  import app.models  [import-time]",
        "    app.models",
    ]


def test_deferred_and_typing_only_hops_need_all_kinds(tmp_path):
    write_tree(tmp_path, TREE)
    import_time_only = run_cli("why", "app.web", "app.audit", cwd=tmp_path)
    assert import_time_only.returncode == 1
    assert "no chain of import-time imports from `app.web` to `app.audit`" in import_time_only.stderr
    every_kind = run_cli("why", "app.models", "app.audit", "--all-kinds", "--format", "json", cwd=tmp_path)
    assert every_kind.returncode == 0, every_kind.stderr
    chain = json.loads(every_kind.stdout)["chain"]
    assert [(h["module"], h["line"], h["kind"]) for h in chain] == [
        ("app.models", 3, "typing-only"), ("app.web", 1, "import-time"), ("app.service", 5, "deferred"), ("app.audit", None, None),
    ]


def test_unknown_module_exits_1_with_a_clear_message(tmp_path):
    write_tree(tmp_path, TREE)
    result = run_cli("why", "app.web", "app.nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "importguard: unknown module `app.nowhere`: not a first-party module of ."
    assert "Traceback" not in result.stderr


def test_paths_are_positional_like_every_other_command_and_typos_get_a_suggestion(tmp_path):
    write_tree(tmp_path / "project", TREE)
    result = run_cli("why", "app.web", "app.models", "project", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "app.web -> app.service -> app.models  (2 imports)"
    typo = run_cli("why", "app.web", "app.modles", "project", cwd=tmp_path)
    assert typo.returncode == 1
    assert typo.stderr.strip() == "importguard: unknown module `app.modles`: not a first-party module of project; did you mean `app.models`?"
