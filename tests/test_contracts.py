"""Architecture contracts (issue 24): every contract type and option, as a user sees the findings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Dict

import pytest

from importguard.contracts.config import IMPORT_KINDS
from importguard.project.graph import KINDS

from conftest import check_tree, run_cli, summary, write_tree


def pyproject(*contracts: str) -> str:
    return "[tool.importguard]\n" + "".join(f"\n[[tool.importguard.contracts]]\n{c.strip()}\n" for c in contracts)


LAYERS = 'name = "L"\ntype = "layers"\nlayers = ["app.web", "app.logic", "app.data"]'
APP = {
    "app/__init__.py": "",
    "app/web.py": "from app.logic import run\n",
    "app/logic.py": "from app.data import rows\n\n\ndef run():\n    return rows\n",
    "app/data.py": "rows = []\n",
    "app/util.py": "",
}


def findings(tmp_path, files: Dict[str, str], select=("IG4",)):
    return check_tree(tmp_path, files, select=list(select))


def test_kinds_are_those_of_the_project_graph():
    assert IMPORT_KINDS == KINDS


def test_layers_direct_upward_import_is_reported_at_its_line(tmp_path):
    found = findings(tmp_path, {"pyproject.toml": pyproject(LAYERS), **APP, "app/data.py": "rows = []\n\n\nfrom app.web import page\n",
                                "app/web.py": "from app.logic import run\npage = 1\n"})
    assert summary(found) == [("IG401", "app/data.py", 4)]
    assert found[0].message == "`app.data` imports `app.web`: layer `app.data` is below layer `app.web` (contract `L`)"
    assert [(r.path, r.line) for r in found[0].related] == [("app/data.py", 4)]


def test_layers_indirect_chain_lists_every_hop_with_its_kind(tmp_path):
    files = {"pyproject.toml": pyproject(LAYERS), **APP,
             "app/data.py": "def later():\n    from app import util\n    return util\n",
             "app/util.py": "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.web import run\n"}
    (finding,) = findings(tmp_path, files)
    assert (finding.code, finding.path, finding.line, finding.module, finding.name) == ("IG401", "app/data.py", 2, "app.data", "app.web")
    assert "through `app.util`" in finding.message
    assert [(r.path, r.line, r.message) for r in finding.related] == [
        ("app/data.py", 2, "`app.data` imports `app.util` (deferred): `from app import util`"),
        ("app/util.py", 4, "`app.util` imports `app.web` (typing-only): `from app.web import run`"),
    ]


def test_layers_chain_through_another_layer_is_that_layers_business(tmp_path):
    # data -> logic is one violation; data -> logic -> web is not a second one
    files = {"pyproject.toml": pyproject(LAYERS), **APP, "app/data.py": "import app.logic\n",
             "app/logic.py": "import app.web\n", "app/web.py": ""}
    assert sorted((f.module, f.name) for f in findings(tmp_path, files)) == [("app.data", "app.logic"), ("app.logic", "app.web")]


def test_layers_import_of_a_submodule_names_the_submodule_not_its_parents(tmp_path):
    files = {"pyproject.toml": pyproject('name = "L"\ntype = "layers"\nlayers = ["app.web", "app.data"]'),
             "app/__init__.py": "", "app/web/__init__.py": "", "app/web/forms.py": "", "app/data.py": "import app.web.forms\n"}
    assert [(f.module, f.name) for f in findings(tmp_path, files)] == [("app.data", "app.web.forms")]


@pytest.mark.parametrize("separator, expected", [("|", 1), (":", 0)])
def test_siblings_with_bar_are_independent_with_colon_they_may_import_each_other(tmp_path, separator, expected):
    contract = f'name = "L"\ntype = "layers"\nlayers = ["app.web", "app.logic {separator} app.util", "app.data"]'
    files = {"pyproject.toml": pyproject(contract), **APP, "app/util.py": "from app.logic import run\n"}
    found = findings(tmp_path, files)
    assert len(found) == expected
    if expected:
        assert "`app.util` and `app.logic` are independent siblings" in found[0].message


def test_optional_layer_may_be_missing_and_a_required_one_may_not(tmp_path):
    optional = 'name = "L"\ntype = "layers"\nlayers = ["app.web", "(app.cli)", "app.data"]'
    assert findings(tmp_path, {"pyproject.toml": pyproject(optional), **APP}) == []
    required = 'name = "R"\ntype = "layers"\nlayers = ["app.web", "app.cli", "app.dta"]'
    (finding,) = findings(tmp_path, {"pyproject.toml": pyproject(required), **APP})
    assert (finding.code, finding.path, finding.line) == ("IG406", "pyproject.toml", 3)
    assert finding.message == "contract `R` names no module of this project: `app.cli`, `app.dta`"


def test_layers_in_containers_are_checked_inside_each_container(tmp_path):
    contract = 'name = "C"\ntype = "layers"\ncontainers = ["shop.*"]\nlayers = ["views", "models"]'
    files = {"pyproject.toml": pyproject(contract), "shop/__init__.py": ""}
    for part in ("cart", "users"):
        files.update({f"shop/{part}/__init__.py": "", f"shop/{part}/views.py": "", f"shop/{part}/models.py": ""})
    files["shop/cart/models.py"] = "from shop.cart import views\n"
    files["shop/users/models.py"] = "from shop.cart import views\n"  # another container's layer: not this contract's business
    assert [(f.path, f.module, f.name) for f in findings(tmp_path, files)] == [("shop/cart/models.py", "shop.cart.models", "shop.cart.views")]


FORBIDDEN = 'name = "F"\ntype = "forbidden"\nsource_modules = ["app.data"]\n'


def test_forbidden_third_party_and_standard_library_packages(tmp_path):
    files = {"pyproject.toml": pyproject(FORBIDDEN + 'forbidden_modules = ["requests", "json"]'), **APP,
             "app/data.py": "import requests.adapters\nfrom json import loads\n"}
    assert [(f.line, f.name) for f in findings(tmp_path, files)] == [(1, "requests.adapters"), (2, "json")]


def test_forbidden_indirect_by_default_and_direct_only_when_allowed(tmp_path):
    files = {**APP, "app/data.py": "from app import util\n", "app/util.py": "import requests\n"}
    found = findings(tmp_path, {"pyproject.toml": pyproject(FORBIDDEN + 'forbidden_modules = ["requests"]'), **files})
    assert [(f.path, f.line, f.message) for f in found] == [
        ("app/data.py", 1, "`app.data` imports forbidden `requests` through `app.util` (contract `F`)")]
    direct = FORBIDDEN + 'forbidden_modules = ["requests"]\nallow_indirect_imports = true'
    assert findings(tmp_path, {"pyproject.toml": pyproject(direct), **files}) == []


def test_forbidden_as_packages_false_leaves_submodules_out(tmp_path):
    contract = 'name = "F"\ntype = "forbidden"\nsource_modules = ["app"]\nforbidden_modules = ["json"]\nas_packages = false'
    files = {"pyproject.toml": pyproject(contract), **APP, "app/__init__.py": "", "app/data.py": "import json\n"}
    assert findings(tmp_path, files) == []
    files["app/__init__.py"] = "import json\n"
    assert summary(findings(tmp_path, files)) == [("IG402", "app/__init__.py", 1)]


def test_independence_direct_and_through_a_third_module(tmp_path):
    contract = 'name = "I"\ntype = "independence"\nmodules = ["app.web", "app.data"]'
    files = {"pyproject.toml": pyproject(contract), **APP, "app/web.py": "from app import util\n", "app/util.py": "import app.data\n"}
    (finding,) = findings(tmp_path, files)
    assert finding.message == ("`app.web` imports `app.data` through `app.util`: `app.web` and `app.data` must be independent "
                               "(contract `I`)")


ACYCLIC = 'name = "A"\ntype = "acyclic_siblings"\nancestors = ["pkg"]'
SIBLINGS = {"pkg/__init__.py": "", "pkg/a/__init__.py": "", "pkg/a/one.py": "from pkg.b.two import x\ny = 1\n",
            "pkg/b/__init__.py": "", "pkg/b/two.py": "x = 1\n\n\ndef f():\n    from pkg.a.one import y\n    return y\n"}


def test_acyclic_siblings_ignores_deferred_imports_unless_asked(tmp_path):
    assert findings(tmp_path, {"pyproject.toml": pyproject(ACYCLIC), **SIBLINGS}) == []
    asked = ACYCLIC + '\nimport_kinds = ["import-time", "deferred"]'
    (finding,) = findings(tmp_path, {"pyproject.toml": pyproject(asked), **SIBLINGS})
    assert (finding.code, finding.path, finding.line, finding.name) == ("IG404", "pkg/a/one.py", 1, "pkg")
    assert finding.message == "cycle between the children of `pkg`: `pkg.a` -> `pkg.b` -> `pkg.a` (contract `A`)"
    assert [(r.path, r.line) for r in finding.related] == [("pkg/a/one.py", 1), ("pkg/b/two.py", 5)]


def test_acyclic_siblings_depth_and_skip_descendants(tmp_path):
    deep = {"pyproject.toml": "", "pkg/__init__.py": "", "pkg/sub/__init__.py": "", "pkg/sub/a.py": "import pkg.sub.b\n",
            "pkg/sub/b.py": "import pkg.sub.a\n"}
    assert len(findings(tmp_path, {**deep, "pyproject.toml": pyproject(ACYCLIC)})) == 1
    assert findings(tmp_path, {**deep, "pyproject.toml": pyproject(ACYCLIC + "\ndepth = 0")}) == []
    assert findings(tmp_path, {**deep, "pyproject.toml": pyproject(ACYCLIC + '\nskip_descendants = ["pkg.sub"]')}) == []


@pytest.mark.parametrize("ignore", ["app.data -> app.web", "app.* -> app.web", "** -> app.web", "app.data -> app.**"])
def test_ignore_imports_with_wildcards(tmp_path, ignore):
    files = {"pyproject.toml": pyproject(LAYERS + f'\nignore_imports = ["{ignore}"]'), **APP, "app/data.py": "import app.web\n"}
    assert findings(tmp_path, files) == []


def test_single_star_is_one_name_only(tmp_path):
    files = {"pyproject.toml": pyproject(LAYERS + '\nignore_imports = ["* -> app.web"]'), **APP, "app/data.py": "import app.web\n"}
    assert sorted(f.code for f in findings(tmp_path, files)) == ["IG401", "IG405"]


def test_unmatched_ignores_are_reported_all_at_once_at_their_lines(tmp_path):
    contract = LAYERS + '\nignore_imports = [\n    "app.data -> app.gone",\n    "app.logic -> app.data",\n    "app.*.x -> app.web",\n]'
    (finding,) = findings(tmp_path, {"pyproject.toml": pyproject(contract), **APP})
    assert (finding.code, finding.path, finding.line, finding.severity) == ("IG405", "pyproject.toml", 8, "error")
    assert finding.message == "contract `L`: `ignore_imports` 2 entries match no import: `app.data -> app.gone`, `app.*.x -> app.web`"
    assert [(r.line, r.message) for r in finding.related] == [(8, "`app.data -> app.gone` matches no import"),
                                                              (10, "`app.*.x -> app.web` matches no import")]


@pytest.mark.parametrize("level, expected", [("warn", ["warning"]), ("none", [])])
def test_unmatched_ignore_alerting_levels(tmp_path, level, expected):
    contract = LAYERS + f'\nignore_imports = ["app.data -> app.gone"]\nunmatched_ignore_imports_alerting = "{level}"'
    assert [f.severity for f in findings(tmp_path, {"pyproject.toml": pyproject(contract), **APP})] == expected


def test_message_is_the_hint_of_every_violation(tmp_path):
    contract = LAYERS + '\nmessage = "ask the data team"'
    files = {"pyproject.toml": pyproject(contract), **APP, "app/data.py": "import app.web\n"}
    assert [f.hint for f in findings(tmp_path, files)] == ["ask the data team"]


def test_contracts_are_off_without_a_declaration(tmp_path):
    assert findings(tmp_path, {**APP, "app/data.py": "import app.web\n"}, select=("IG4",)) == []


def write(tmp_path, files: Dict[str, str]):
    write_tree(tmp_path, files)
    return tmp_path


def test_cli_text_json_sarif_and_statistics(tmp_path):
    root = write(tmp_path, {"pyproject.toml": pyproject(LAYERS), **APP, "app/data.py": "from app import util\n",
                            "app/util.py": "import app.web\n"})
    text = run_cli("check", "--select", "IG4", "--no-cache", cwd=root)
    assert text.returncode == 1
    assert "app/data.py:1:1: IG401 `app.data` imports `app.web` through `app.util`" in text.stdout
    assert "    app/util.py:1: `app.util` imports `app.web` (import-time): `import app.web`" in text.stdout
    document = json.loads(run_cli("check", "--select", "IG4", "--no-cache", "--format", "json", cwd=root).stdout)
    (finding,) = document["findings"]
    assert finding["related"][1] == {"path": "app/util.py", "line": 1, "message": "`app.util` imports `app.web` (import-time): `import app.web`"}
    sarif = json.loads(run_cli("check", "--select", "IG4", "--no-cache", "--format", "sarif", cwd=root).stdout)
    (result,) = sarif["runs"][0]["results"]
    assert [loc["physicalLocation"]["artifactLocation"]["uri"] for loc in result["relatedLocations"]] == ["app/data.py", "app/util.py"]
    assert "(1)" in result["message"]["text"] and "(2)" in result["message"]["text"]
    statistics = run_cli("check", "--select", "IG4", "--no-cache", "--statistics", cwd=root)
    assert "1\tIG401\tcontract-layers" in statistics.stdout


def test_noqa_and_baseline_work_as_for_every_rule(tmp_path):
    root = write(tmp_path, {"pyproject.toml": pyproject(LAYERS), **APP, "app/data.py": "import app.web  # noqa: IG401\n"})
    assert run_cli("check", "--select", "IG4", "--no-cache", cwd=root).returncode == 0
    (root / "app/data.py").write_text("import app.web\n")
    assert run_cli("check", "--select", "IG4", "--no-cache", "--write-baseline", "base.json", cwd=root).returncode == 0
    assert run_cli("check", "--select", "IG4", "--no-cache", "--baseline", "base.json", cwd=root).returncode == 0
    (root / "app/logic.py").write_text("import app.web\nfrom app.data import rows\n")
    again = run_cli("check", "--select", "IG4", "--no-cache", "--baseline", "base.json", cwd=root)
    assert again.returncode == 1 and "app/logic.py:1:1: IG401" in again.stdout


def test_warm_run_reuses_the_result_and_a_changed_contract_is_seen(tmp_path):
    root = write(tmp_path, {"pyproject.toml": pyproject(LAYERS), **APP, "app/data.py": "import app.web\n"})
    assert run_cli("check", "--select", "IG4", cwd=root).returncode == 1
    assert run_cli("check", "--select", "IG4", cwd=root).returncode == 1  # memo hit: the same result
    (root / "pyproject.toml").write_text(pyproject(LAYERS + '\nignore_imports = ["app.data -> app.web"]'))
    assert run_cli("check", "--select", "IG4", cwd=root).returncode == 0


def test_inherited_contracts_naming_absent_modules_are_skipped_silently(tmp_path):
    root = write(tmp_path, {"pyproject.toml": pyproject(LAYERS), **APP,
                            "vendor/other/pyproject.toml": "[project]\nname = \"other\"\n",
                            "vendor/other/lib/__init__.py": "import json\n"})
    inner = run_cli("check", "--select", "IG4", "--no-cache", ".", cwd=root / "vendor" / "other")
    assert (inner.returncode, inner.stdout.strip().splitlines()[-1]) == (0, "No findings; 1 file checked."), inner.stdout + inner.stderr


@pytest.mark.parametrize("contract, message", [
    ('name = "X"\ntype = "layer"\nlayers = ["a"]', "`type` must be one of layers, forbidden, independence, acyclic_siblings (did you mean `layers`?)"),
    ('name = "X"\ntype = "layers"\nlayer = ["a"]', "unknown key `layer` for a `layers` contract (did you mean `layers`?)"),
    ('name = "X"\ntype = "forbidden"\nsource_modules = ["a"]', "`forbidden_modules` is required"),
    ('name = "X"\ntype = "layers"\nlayers = ["a | b : c"]', "`layers`: `a | b : c` mixes `|` and `:`"),
    ('name = "X"\ntype = "layers"\nlayers = ["a"]\nignore_imports = ["a => b"]', "`ignore_imports`: `a => b` is not `importer -> imported`"),
    ('name = "X"\ntype = "acyclic_siblings"\nancestors = ["a"]\ndepth = -1', "`depth` must be a whole number, 0 or more"),
    ('name = "X"\ntype = "layers"\nlayers = ["a"]\nimport_kinds = ["lazy"]', "`import_kinds`: unknown kind `lazy`"),
])
def test_bad_contracts_are_config_errors_naming_the_key(tmp_path, contract, message):
    root = write(tmp_path, {"pyproject.toml": pyproject(contract), "a.py": ""})
    proc = run_cli("check", "--select", "IG4", cwd=root)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_every_bad_contract_is_reported_at_once(tmp_path):
    root = write(tmp_path, {"pyproject.toml": pyproject('name = "X"\ntype = "layers"', 'name = "X"\ntype = "nope"'), "a.py": ""})
    proc = run_cli("check", "--select", "IG4", cwd=root)
    assert proc.returncode == 2
    assert "`contracts` #1 `X`: `layers` is required" in proc.stderr and "`contracts` #2 `X`: `type` must be one of" in proc.stderr




def test_graph_highlights_the_chain_of_a_contract_violation(tmp_path):
    root = write(tmp_path, {"pyproject.toml": pyproject(LAYERS), **APP, "app/data.py": "from app import util\n",
                            "app/util.py": "import app.web\n"})
    document = json.loads(run_cli("graph", "--format", "json", "--contract", "L", cwd=root).stdout)
    assert sorted((e["source"], e["target"]) for e in document["edges"] if e["violation"]) == [("app.data", "app.util"), ("app.util", "app.web")]
    assert sorted(n["id"] for n in document["nodes"] if n["violation"]) == ["app.data", "app.util", "app.web"]
    dot = run_cli("graph", "--contract", "L", cwd=root).stdout
    assert '"app.util" -> "app.web" [style=solid, tooltip="import-time", color="#ef6c00", penwidth=3];' in dot
    plain = json.loads(run_cli("graph", "--format", "json", cwd=root).stdout)
    assert not any(e["violation"] for e in plain["edges"])


def test_graph_contract_names_the_closest_declared_contract(tmp_path):
    root = write(tmp_path, {"pyproject.toml": pyproject(LAYERS), **APP})
    proc = run_cli("graph", "--contract", "l", cwd=root)
    assert proc.returncode == 2 and "--contract: no contract named `l`" in proc.stderr and "declared: `L`" in proc.stderr


def test_importguard_keeps_its_own_architecture_contracts():
    """The layers, the purity of facts and the acyclic packages declared in pyproject.toml (as `.ci/run` does)."""
    repository = Path(__file__).resolve().parents[1]
    proc = run_cli("check", "src", "--select", "IG4", "--no-cache", cwd=repository)
    assert (proc.returncode, proc.stdout.strip().splitlines()[-1]) == (0, f"No findings; {len(list((repository / 'src').rglob('*.py')))} files checked."), proc.stdout



def test_import_kinds_narrow_what_a_layers_contract_counts(tmp_path):
    files = {**APP, "app/data.py": "def later():\n    import app.web\n    return app.web\n"}
    assert len(findings(tmp_path, {"pyproject.toml": pyproject(LAYERS), **files})) == 1
    narrowed = LAYERS + '\nimport_kinds = ["import-time"]'
    assert findings(tmp_path, {"pyproject.toml": pyproject(narrowed), **files}) == []


def test_import_linters_guidance_key_is_the_message(tmp_path):
    contract = LAYERS + '\nbroken_contract_guidance = "see the wiki"'
    files = {"pyproject.toml": pyproject(contract), **APP, "app/data.py": "import app.web\n"}
    assert [f.hint for f in findings(tmp_path, files)] == ["see the wiki"]
    both = LAYERS + '\nmessage = "a"\nbroken_contract_guidance = "b"'
    proc = run_cli("check", cwd=write(tmp_path / "both", {"pyproject.toml": pyproject(both), "a.py": ""}))
    assert proc.returncode == 2 and "`message` and `broken_contract_guidance` are the same option" in proc.stderr


def test_graph_contract_accepts_import_linters_id(tmp_path):
    root = write(tmp_path, {"pyproject.toml": pyproject(LAYERS + '\nid = "layers-1"'), **APP, "app/data.py": "import app.web\n"})
    document = json.loads(run_cli("graph", "--format", "json", "--contract", "layers-1", cwd=root).stdout)
    assert [(e["source"], e["target"]) for e in document["edges"] if e["violation"]] == [("app.data", "app.web")]
