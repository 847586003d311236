"""The settings a file's facts depend on travel as one frozen `ParseOptions`: its cache-key text
is the same in every process whatever the order a set iterates in, every setting in it changes
the key, and a warm cache never hands back facts computed under other settings."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import run_cli, write_tree
from importguard.facts.parse_options import ParseOptions
from importguard.run.cache import CACHE_FOLDER, FORMAT, entry_key
from importguard.run.config import Config
from importguard.run.memo import FORMAT as MEMO_FORMAT

NAMES = [f"GUARD_{i}" for i in range(12)]
# In a fresh interpreter: the order its frozenset of names iterates in (string hashes are salted
# per process, PYTHONHASHSEED) and the cache key it computes for the same bytes and settings.
KEY_IN_A_PROCESS = (
    "import json\n"
    "from importguard.facts.parse_options import ParseOptions\n"
    "from importguard.run.cache import entry_key\n"
    f"options = ParseOptions(type_checking_names=frozenset({NAMES!r}))\n"
    "print(json.dumps([list(options.type_checking_names), entry_key(b'x = 1\\n', options)]))\n"
)


def key_under_seed(seed: int) -> list:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    proc = subprocess.run([sys.executable, "-c", KEY_IN_A_PROCESS], capture_output=True, text=True, env=env, check=True)
    return json.loads(proc.stdout)


def test_the_cache_key_is_the_same_whatever_order_the_names_iterate_in():
    seen = [key_under_seed(seed) for seed in (1, 2, 3, 4)]
    assert len({tuple(order) for order, _key in seen}) > 1  # the sets really iterated differently
    assert len({key for _order, key in seen}) == 1


def test_every_setting_changes_the_cache_key():
    data = b"x = 1\n"
    variants = [
        ParseOptions(),
        ParseOptions(type_checking_names=frozenset({"TYPE_CHECKING", "MYPY"})),
        ParseOptions(type_checking_names=frozenset({"a", "b"})),
        ParseOptions(type_checking_names=frozenset({"a,b"})),  # no separator makes these two one
        ParseOptions(lazy_annotations=True),
        ParseOptions(max_file_bytes=1024),
    ]
    assert len({entry_key(data, options) for options in variants}) == len(variants)
    assert entry_key(data, ParseOptions()) == entry_key(data, ParseOptions(type_checking_names=frozenset(["TYPE_CHECKING"])))


def test_the_configuration_resolves_each_files_options(tmp_path):
    """`type-checking-names`, `max-file-size` and `per-file-target-version` land in typed fields."""
    config = Config(root=tmp_path, type_checking_names=["TYPING"], max_file_mb=0.5, target_version=(3, 9),
                    per_file_target_version={"new/*.py": (3, 14)})
    expected = ParseOptions(type_checking_names=frozenset({"TYPING"}), lazy_annotations=False, max_file_bytes=512 * 1024)
    file_options = config.file_options()
    assert file_options.of(tmp_path / "old.py") == expected
    assert file_options.of(tmp_path / "new" / "m.py") == ParseOptions(frozenset({"TYPING"}), True, 512 * 1024)


def check_cached(root: Path) -> set:
    proc = run_cli("check", ".", "--format", "json", "--exit-zero", cwd=root)
    assert proc.returncode == 0, proc.stderr
    return {(f["path"], f["code"]) for f in json.loads(proc.stdout)["findings"]}


def test_a_warm_cache_follows_a_changed_max_file_size(tmp_path):
    """The file was cached when it was small enough to parse: lowering the limit reports it."""
    rows = "".join(f"    ({i}, 'item-{i}'),\n" for i in range(3000))
    write_tree(tmp_path, {"pyproject.toml": "[tool.importguard]\n", "pkg/__init__.py": "",
                          "pkg/data.py": f"ROWS = [\n{rows}]\nprint(missing_in_data)\n"})
    assert check_cached(tmp_path) == {("pkg/data.py", "IG101")}
    (tmp_path / "pyproject.toml").write_text("[tool.importguard]\nmax-file-size = 0.05\n")
    assert check_cached(tmp_path) == {("pkg/data.py", "IG002")}
    (tmp_path / "pyproject.toml").write_text("[tool.importguard]\n")
    assert check_cached(tmp_path) == {("pkg/data.py", "IG101")}


def test_a_warm_cache_follows_changed_type_checking_names(tmp_path):
    """`if TYPING:` guards an import for type checkers only once `TYPING` is named a guard; until
    then the cycle runs at import time."""
    write_tree(tmp_path, {
        "pyproject.toml": "[tool.importguard]\n",
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg import b\n",
        "pkg/b.py": "TYPING = False\nif TYPING:\n    from pkg import a\n",
    })
    assert ("pkg/a.py", "IG301") in check_cached(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.importguard]\ntype-checking-names = ['TYPING']\n")
    assert check_cached(tmp_path) == set()


def test_a_cache_of_the_previous_format_is_never_read(tmp_path):
    """Entries written under the last format (another key text) sit in their own folder: a run
    neither reads them nor trusts their manifest, even when they claim other facts."""
    write_tree(tmp_path, {"pyproject.toml": "", "pkg/__init__.py": "", "pkg/m.py": "def f():\n    return missing\n"})
    expected = check_cached(tmp_path)
    assert expected == {("pkg/m.py", "IG101")}
    cache = tmp_path / CACHE_FOLDER
    previous = cache / f"facts-v{int(FORMAT.rsplit('v', 1)[1]) - 1}"
    (cache / FORMAT).rename(previous)
    for entry in previous.glob("*/*.json"):
        document = json.loads(entry.read_text())
        entry.write_text(json.dumps({**document, "facts": {}}))  # facts with no finding in them
    shutil.rmtree(cache / MEMO_FORMAT)  # else the unchanged project is a memo hit
    assert check_cached(tmp_path) == expected
    assert list((cache / FORMAT).glob("*/*.json"))
