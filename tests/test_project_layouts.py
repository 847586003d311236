"""The project as Python sees it: roots, loose files, one configuration per project, and excluded
files that still exist at run time. Every test runs the real command line in a subprocess."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import run_cli, run_python, write_tree


def findings_of(proc) -> list:
    assert proc.returncode in (0, 1), proc.stderr
    return sorted((f["code"], f["path"], f["line"]) for f in json.loads(proc.stdout)["findings"])


PACKAGE = {
    "mypkg/__init__.py": "from mypkg.utils.version import get_version\n\nVERSION = get_version()\n",
    "mypkg/utils/__init__.py": "",
    "mypkg/utils/version.py": "def get_version():\n    return '1.0'\n",
    "mypkg/broken.py": "from mypkg.utils import missing_module\n\n\ndef f():\n    return undefined_here\n",
}


def test_package_folder_without_marker_is_rooted_above_its_init_chain(tmp_path):
    write_tree(tmp_path / "plain", PACKAGE)
    without = findings_of(run_cli("check", "mypkg", "--format", "json", "--no-cache", cwd=tmp_path / "plain"))
    assert without == [("IG101", "mypkg/broken.py", 5), ("IG305", "mypkg/broken.py", 1)]
    assert run_python("import mypkg; print(mypkg.VERSION)", cwd=tmp_path / "plain").stdout == "1.0\n"
    # The same tree with a `.git` above gives the same findings.
    write_tree(tmp_path / "repo", PACKAGE)
    (tmp_path / "repo" / ".git").mkdir()
    with_git = findings_of(run_cli("check", "mypkg", "--format", "json", "--no-cache", cwd=tmp_path / "repo"))
    assert with_git == without
    # A subpackage named directly is rooted the same way.
    sub = findings_of(run_cli("check", "mypkg/utils", "--format", "json", "--no-cache", cwd=tmp_path / "plain"))
    assert sub == []


def test_loose_file_is_analysed_with_what_it_imports_and_leaves_no_cache(tmp_path):
    home = tmp_path / "home"
    files = {f"notes_{i}.py": "print(undefined_everywhere)\n" for i in range(40)}
    files.update({
        "helper.py": "def greet():\n    return 'hi'\n",
        "script.py": "from helper import greet, farewell\n\nprint(greet())\n",
    })
    write_tree(home, files)
    cache = tmp_path / "cache"
    env = {"XDG_CACHE_HOME": str(cache)}
    proc = run_cli("check", "script.py", "--format", "json", cwd=home, env=env)
    assert findings_of(proc) == [("IG305", "script.py", 1)]  # `farewell`: helper.py was read, not notes_*.py
    assert json.loads(proc.stdout)["summary"]["files"] == 1
    assert not (home / ".importguard_cache").exists()
    assert any(cache.joinpath("importguard").iterdir())
    assert "cannot import name 'farewell'" in run_python("import script", cwd=home).stderr


def test_each_service_of_a_monorepo_gets_its_own_configuration(tmp_path):
    write_tree(tmp_path, {
        "svc_a/pyproject.toml": "[tool.importguard]\nignore = ['IG101']\n",
        "svc_a/app.py": "print(missing_a)\n",
        "svc_b/pyproject.toml": "[tool.importguard]\nselect = ['IG101', 'IG203']\n",
        "svc_b/app.py": "def f():\n    import json\n    return json, missing_b\n",
    })
    (tmp_path / ".git").mkdir()
    both = findings_of(run_cli("check", "svc_a/app.py", "svc_b/app.py", "--format", "json", "--no-cache", cwd=tmp_path))
    assert both == [("IG101", "svc_b/app.py", 3), ("IG203", "svc_b/app.py", 2)]
    only_a = findings_of(run_cli("check", "svc_a/app.py", "--format", "json", "--no-cache", cwd=tmp_path))
    assert only_a == []


def test_excluded_and_gitignored_modules_still_exist_at_run_time(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": "[tool.importguard]\nextend-exclude = ['mypkg/legacy.py']\n",
        ".gitignore": "mypkg/_version.py\n",
        "mypkg/__init__.py": "from mypkg._version import version\nfrom mypkg import legacy\nfrom mypkg.legacy import OLD\n",
        "mypkg/_version.py": "version = '1.0'\n",
        "mypkg/legacy.py": "OLD = 1\n\n\ndef old():\n    return undefined_in_excluded_file\n",
        "mypkg/build/__init__.py": "",
        "mypkg/build/steps.py": "def run():\n    return missing_step\n",
        "mypkg/cli.py": "from mypkg.build import steps\nfrom mypkg.build.steps import run\n",
        "build/lib/mypkg/__init__.py": "print(this_is_a_build_artifact)\n",
    })
    (tmp_path / ".git").mkdir()
    found = findings_of(run_cli("check", ".", "--format", "json", "--no-cache", cwd=tmp_path))
    # No IG304/IG305 for the gitignored or excluded modules; the excluded file's own bug is not
    # reported; the `mypkg/build/` subpackage is checked; the root `build/` is not.
    assert found == [("IG101", "mypkg/build/steps.py", 2)]
    assert run_python("import mypkg.cli, mypkg; print(mypkg.version)", cwd=tmp_path).stdout == "1.0\n"


def test_explicit_config_applies_to_every_path(tmp_path):
    write_tree(tmp_path, {
        "a/pyproject.toml": "[tool.importguard]\nignore = ['IG101']\n",
        "a/m.py": "print(missing)\n",
        "shared.toml": "select = ['IG101']\n",
    })
    proc = run_cli("check", "a", "--config", "shared.toml", "--format", "json", "--no-cache", cwd=tmp_path)
    assert findings_of(proc) == [("IG101", "a/m.py", 1)]
    assert os.path.exists(Path(tmp_path, "a", "m.py"))


def test_show_files_and_show_settings(tmp_path):
    write_tree(tmp_path, {
        "svc/pyproject.toml": "[tool.importguard]\nextend-exclude = ['app/legacy.py']\ntarget-version = 'py314'\n",
        "svc/app/__init__.py": "",
        "svc/app/main.py": "from app import legacy\n",
        "svc/app/legacy.py": "",
        "tool/script.py": "print(1)\n",
    })
    (tmp_path / ".git").mkdir()
    files = run_cli("check", "svc", "--show-files", cwd=tmp_path)
    assert files.returncode == 0, files.stderr
    assert files.stdout.splitlines() == [
        "# svc: project",
        "svc/app/__init__.py",
        "svc/app/legacy.py  (indexed only: excluded or gitignored)",
        "svc/app/main.py",
    ]
    settings = run_cli("check", "svc", "tool/script.py", "--show-settings", cwd=tmp_path).stdout
    assert f"config file: {tmp_path / 'svc' / 'pyproject.toml'}" in settings
    assert "target-version: py314" in settings and "app/legacy.py" in settings
    assert "# .: project" in settings  # tool/script.py belongs to the repository (its `.git`)


def test_findings_below_a_failing_module_level_import_say_they_are_masked(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": "",
        "pkg/__init__.py": "",
        "pkg/models.py": "class User:\n    pass\n",
        "pkg/views.py": (
            "from pkg.models import User, Group\n"
            "\n"
            "print(undefined_at_import)\n"
            "\n"
            "\n"
            "def later():\n"
            "    return also_undefined\n"
        ),
    })
    proc = run_cli("check", ".", "--format", "json", "--no-cache", cwd=tmp_path)
    by_line = {f["line"]: f for f in json.loads(proc.stdout)["findings"]}
    assert sorted((f["code"], line) for line, f in by_line.items()) == [("IG101", 3), ("IG101", 7), ("IG305", 1)]
    assert "masked for now: importing this module already fails at line 1 (IG305)" in by_line[3]["hint"]
    assert "masked" not in by_line[7]["hint"]  # a function body: its own NameError whenever it runs
    # Real Python stops at the import: the NameError of line 3 cannot happen yet.
    assert "ImportError: cannot import name 'Group'" in run_python("import pkg.views", cwd=tmp_path).stderr


def test_a_nested_project_without_a_table_is_rooted_at_its_own_pyproject_and_inherits_the_config(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": "[tool.importguard]\nignore = ['IG101']\n",
        "vendor/lib/pyproject.toml": "[project]\nname = 'lib'\n",
        "vendor/lib/src/lib/__init__.py": "",
        "vendor/lib/src/lib/core.py": "from lib.util import helper\nprint(undefined_but_ignored)\n",
        "vendor/lib/src/lib/util.py": "def helper():\n    return 1\n",
    })
    (tmp_path / ".git").mkdir()
    assert findings_of(run_cli("check", "vendor/lib", "--format", "json", "--no-cache", cwd=tmp_path)) == []
    settings = run_cli("check", "vendor/lib", "--show-settings", cwd=tmp_path).stdout
    assert f"config file: {tmp_path / 'pyproject.toml'}" in settings and "# vendor/lib: project" in settings


BACKEND = {
    "pyproject.toml": "[project]\nname = 'netra'\n",
    "netra_backend/__init__.py": "",
    "netra_backend/app.py": (
        "from shared.config import SETTINGS, TIMEOUT\n"
        "from shared.secret_mappings import get_secret\n"
        "from test_framework import fixtures\n"
    ),
    "shared/__init__.py": "",
    "shared/config.py": "SETTINGS = {}\n\n\ndef unused():\n    return undefined_in_shared\n",
    "test_framework/__init__.py": "",
    "test_framework/fixtures.py": "",
}


def test_a_folder_given_is_checked_against_every_module_of_its_project(tmp_path):
    """`check netra_backend` knows the sibling packages: the paths given choose what is reported,
    the project's files decide what exists."""
    write_tree(tmp_path, BACKEND)
    proc = run_cli("check", "netra_backend", "--format", "json", "--no-cache", cwd=tmp_path)
    assert findings_of(proc) == [("IG304", "netra_backend/app.py", 2), ("IG305", "netra_backend/app.py", 1)]
    messages = [f["message"] for f in json.loads(proc.stdout)["findings"]]
    assert "`from shared.config import SETTINGS, TIMEOUT`: `shared.config` does not define `TIMEOUT`" in messages
    assert "`from shared.secret_mappings import get_secret`: no module `shared.secret_mappings` in this project" in messages
    # The bug inside `shared/` is not reported: only the folder given is.
    assert json.loads(proc.stdout)["summary"]["files"] == 2
    # The same findings as a run over the whole project reports for that folder.
    whole = findings_of(run_cli("check", ".", "--format", "json", "--no-cache", cwd=tmp_path))
    assert [f for f in whole if f[1].startswith("netra_backend/")] == findings_of(proc)
    assert "ImportError: cannot import name 'TIMEOUT'" in run_python("import netra_backend.app", cwd=tmp_path).stderr
    fixed = (tmp_path / "netra_backend" / "app.py")
    fixed.write_text("from shared.secret_mappings import get_secret\n")
    assert "No module named 'shared.secret_mappings'" in run_python("import netra_backend.app", cwd=tmp_path).stderr


MONOREPO = {
    "pyproject.toml": "[tool.importguard]\nselect = ['IG101', 'IG304', 'IG305']\n",
    "tools/release.py": "print(undefined_in_root)\n",
    "svc/pyproject.toml": "[tool.importguard]\nignore = ['IG101']\n",
    "svc/pkg/__init__.py": "",
    "svc/pkg/models.py": "class User:\n    pass\n",
    "svc/pkg/views.py": "from pkg.models import User, Group\n\n\ndef render():\n    return undefined_but_ignored\n",
    "docs/example/pyproject.toml": "[tool.importguard]\n",
    "docs/example/demo.py": "print(undefined_in_an_excluded_project)\n",
}


def test_a_monorepo_checked_from_its_root_applies_each_services_own_project(tmp_path):
    """Each file belongs to its nearest project, reached through a folder or named directly:
    the service's config (IG101 ignored) and module root (`pkg.views`, not `svc.pkg.views`)."""
    write_tree(tmp_path, {**MONOREPO, ".gitignore": "docs/\n"})
    (tmp_path / ".git").mkdir()
    proc = run_cli("check", ".", "--format", "json", "--no-cache", cwd=tmp_path)
    assert findings_of(proc) == [("IG101", "tools/release.py", 1), ("IG305", "svc/pkg/views.py", 1)]
    by_path = {f["path"]: f for f in json.loads(proc.stdout)["findings"]}
    assert by_path["svc/pkg/views.py"]["module"] == "pkg.views"
    assert "`pkg.models` does not define `Group`" in by_path["svc/pkg/views.py"]["message"]
    # The service alone, and its file as pre-commit passes it, give the same finding.
    assert findings_of(run_cli("check", "svc", "--format", "json", "--no-cache", cwd=tmp_path)) == [("IG305", "svc/pkg/views.py", 1)]
    assert findings_of(run_cli("check", "svc/pkg/views.py", "--format", "json", "--no-cache", cwd=tmp_path)) == [
        ("IG305", "svc/pkg/views.py", 1)
    ]
    settings = run_cli("check", ".", "--show-settings", cwd=tmp_path).stdout
    assert "# .: project" in settings and "# svc: project" in settings and "docs/example" not in settings
    for line in ("nested projects: svc", "baseline: none", "respect-gitignore: true", "force-exclude: false", "max-file-size: 4 MB", "file-timeout: 60 s"):
        assert line in settings.splitlines(), line
    assert "cannot import name 'Group'" in run_python("import pkg.views", cwd=tmp_path / "svc").stderr


def test_an_explicit_config_keeps_a_monorepo_one_project(tmp_path):
    write_tree(tmp_path, {**MONOREPO, "all.toml": "select = ['IG101']\n"})
    (tmp_path / ".git").mkdir()
    proc = run_cli("check", ".", "--config", "all.toml", "--format", "json", "--no-cache", cwd=tmp_path)
    assert ("IG101", "svc/pkg/views.py", 5) in findings_of(proc)
