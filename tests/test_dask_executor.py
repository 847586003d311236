"""`check --executor dask://HOST:PORT`: files travel as bytes, findings equal the local run's, the
cache is written by the main process, and a bad URL, an unreachable scheduler or a missing extra is
one line and exit 2."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import sys
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Sequence

import pytest
from click.testing import CliRunner

from importguard import __version__
from importguard.run import executors
from importguard.run.cache import FactsCache
from importguard.cli import main
from importguard.errors import ImportguardError
from importguard.run.executors import check_workers, extract_batch, facts_on, scheduler_address
from importguard.facts.extract import extract_facts
from importguard.facts.model import FileFacts, Problem
from importguard.facts.parse_options import ParseOptions
from importguard.run.sources import compute_facts

from conftest import run_cli

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "chat_service"
OPTIONS = ParseOptions()


# -- the address ---------------------------------------------------------------------------------

@pytest.mark.parametrize("url, address", [
    ("dask://127.0.0.1:8786", "tcp://127.0.0.1:8786"),
    ("tcp://scheduler.internal:8786", "tcp://scheduler.internal:8786"),
    ("dask://[::1]:8786", "tcp://[::1]:8786"),
])
def test_dask_and_tcp_urls_name_the_schedulers_tcp_address(url: str, address: str) -> None:
    assert scheduler_address(url) == address


@pytest.mark.parametrize("url", ["dask://host", "127.0.0.1:8786", "http://host:80", "dask://host:99999", "dask://host:1/x", "dask://:8786"])
def test_a_malformed_executor_url_is_a_usage_error(url: str) -> None:
    with pytest.raises(ImportguardError, match="expected dask://HOST:PORT"):
        scheduler_address(url)


def test_bad_url_missing_extra_and_unreachable_scheduler_exit_2_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    bad = runner.invoke(main, ["check", str(EXAMPLE), "--no-cache", "-q", "--executor", "dask://nowhere"])
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", 1)
    unreachable = runner.invoke(main, ["check", str(EXAMPLE), "--no-cache", "-q", "--executor", "dask://127.0.0.1:1"])
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` now raises ImportError
    missing = runner.invoke(main, ["check", str(EXAMPLE), "--no-cache", "-q", "--executor", "dask://127.0.0.1:8786"])
    for result, expected in ((bad, "expected dask://HOST:PORT"), (unreachable, "cannot reach the dask scheduler at tcp://127.0.0.1:1"),
                             (missing, "pip install 'importguard[dask]'")):
        assert result.exit_code == 2, result.output
        assert expected in result.output and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1


class FakeClient:
    """What `check_workers` asks of a `distributed.Client`."""

    def __init__(self, workers: int = 1, versions: Sequence[str] = (), fails: Optional[Exception] = None) -> None:
        self.workers, self.versions, self.fails = workers, versions, fails

    def wait_for_workers(self, n: int, timeout: float) -> None:
        if self.workers < n:
            raise TimeoutError(f"only {self.workers} workers after {timeout} s")

    def run(self, function: Callable[[], str]) -> Dict[str, str]:
        if self.fails is not None:
            raise self.fails
        return {f"tcp://10.0.0.{i}:1234": version for i, version in enumerate(self.versions or [function()])}


@pytest.mark.parametrize("client, message", [
    (FakeClient(workers=0), "the dask scheduler at tcp://h:1 has no workers"),
    (FakeClient(fails=ModuleNotFoundError("No module named 'importguard'")),
     "cannot run importguard (ModuleNotFoundError: No module named 'importguard'); install importguard"),
    (FakeClient(versions=[__version__, "0.0.1"]), f"run importguard 0.0.1, this is {__version__}"),
])
def test_workers_without_this_importguard_are_refused_before_any_file_is_sent(client: FakeClient, message: str) -> None:
    with pytest.raises(ImportguardError) as raised:
        check_workers(client, "tcp://h:1")
    assert message in str(raised.value)


def test_workers_running_this_importguard_are_accepted() -> None:
    check_workers(FakeClient(versions=[__version__, __version__]), "tcp://h:1")


# -- what travels --------------------------------------------------------------------------------

class RecordingExecutor(ThreadPoolExecutor):
    """Runs tasks in threads and keeps every argument list it was given."""

    def __init__(self) -> None:
        super().__init__(max_workers=2)
        self.arguments: List[tuple] = []

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[override]
        self.arguments.append(args)
        return super().submit(fn, *args, **kwargs)


def example_paths(root: Path) -> List[Path]:
    return sorted(root.rglob("*.py"))


def test_workers_are_sent_bytes_never_paths_and_the_main_process_writes_the_cache(tmp_path: Path) -> None:
    project = shutil.copytree(EXAMPLE, tmp_path / "chat_service")
    paths = example_paths(project)
    cache = FactsCache(tmp_path / "cache")
    with RecordingExecutor() as pool:
        remote = compute_facts(paths, OPTIONS, 1, cache, pool)
    sent = [source for batch, _options in pool.arguments for source in batch]
    assert sent and all(isinstance(source, bytes) for source in sent)
    assert sorted(sent) == sorted(p.read_bytes() for p in paths)
    assert [f.to_json() for f in remote] == [extract_facts(p.read_bytes(), OPTIONS).to_json() for p in paths]
    assert len(list((tmp_path / "cache").rglob("*.json"))) >= len(paths)  # entries and manifest, from this process


def test_a_file_the_main_process_cannot_read_is_ig002_and_never_sent(tmp_path: Path) -> None:
    (tmp_path / "fine.py").write_text("import os\n")
    (tmp_path / "dangling.py").symlink_to(tmp_path / "nowhere.py")
    paths = [tmp_path / "dangling.py", tmp_path / "fine.py"]
    with RecordingExecutor() as pool:
        facts = compute_facts(paths, OPTIONS, 1, None, pool)
    assert facts[0].problem is not None and facts[0].problem.kind == "unreadable" and "broken symlink" in facts[0].problem.message
    assert facts[1].problem is None and [batch for batch, _ in pool.arguments] == [[b"import os\n"]]


def test_facts_survive_the_pickle_transport_unchanged() -> None:
    for path in example_paths(EXAMPLE):
        facts = extract_facts(path.read_bytes(), OPTIONS)
        assert pickle.loads(pickle.dumps(facts)).to_json() == facts.to_json()


def fails_on_boom(batch: Sequence[bytes], options: ParseOptions) -> List[FileFacts]:
    if any(b"boom" in source for source in batch):
        raise MemoryError("worker lost")
    return extract_batch(batch, options)


def test_a_failed_batch_is_retried_file_by_file_and_only_the_failing_file_is_ig002() -> None:
    sources = [(i, b"boom = 1\n" if i == 7 else f"x{i} = {i}\n".encode()) for i in range(120)]
    sources.append((120, FileFacts(problem=Problem("unreadable", "file vanished before it could be read"))))
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(facts_on(pool, iter(sources), OPTIONS, work=fails_on_boom))
    assert sorted(results) == list(range(121))
    assert results[7].problem is not None and results[7].problem.kind == "analysis-failure"
    assert "dask worker failed on this file (MemoryError: worker lost)" in results[7].problem.message
    assert all(results[i].problem is None and results[i].module_bindings == {f"x{i}": 1} for i in range(120) if i != 7)
    assert results[120].problem is not None and "vanished" in results[120].problem.message


def test_cancelled_tasks_end_the_run_with_an_error_not_a_finding_on_every_file() -> None:
    class Cancelling(ThreadPoolExecutor):
        def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[override]
            future: Future = Future()
            future.cancel()
            future.set_running_or_notify_cancel()  # as every executor does: `wait` sees it done
            return future

    with Cancelling() as pool, pytest.raises(ImportguardError, match="the executor cancelled its tasks before every file was analysed"):
        list(facts_on(pool, iter([(0, b"x = 1\n")]), OPTIONS))


def test_only_a_bounded_window_of_batches_is_in_flight(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(executors, "IN_FLIGHT", 3)
    monkeypatch.setattr(executors, "BATCH_FILES", 2)
    read: List[int] = []
    waits: List[tuple] = []  # (batches in flight, files read so far) each time the window is full or draining

    def watched_wait(futures, return_when):  # type: ignore[no-untyped-def]
        waits.append((len(futures), len(read)))
        return wait(futures, return_when=return_when)

    def lazily() -> Iterator[tuple]:
        for i in range(40):
            read.append(i)
            yield i, f"x = {i}\n".encode()

    monkeypatch.setattr(executors, "wait", watched_wait)
    with ThreadPoolExecutor(max_workers=2) as pool:
        assert len(dict(facts_on(pool, lazily(), OPTIONS))) == 40
    assert waits[0] == (3, 6)  # three batches of two files read and sent, then the reading waits
    assert max(in_flight for in_flight, _ in waits) == 3


# -- a real cluster ------------------------------------------------------------------------------

def install_open_spy(root: str) -> None:
    """In a worker process: record every file under `root` that anything opens."""
    import builtins
    import io
    import os

    opened: List[str] = []
    real_open, real_os_open = io.open, os.open

    def spy_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(file).startswith(root):
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    def spy_os_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.fspath(path).startswith(root):
            opened.append(os.fsdecode(path))
        return real_os_open(path, *args, **kwargs)

    builtins.open = io.open = spy_open  # type: ignore[assignment]
    os.open = spy_os_open  # type: ignore[assignment]
    sys.importguard_opened = opened  # type: ignore[attr-defined]


def opened_by_worker() -> List[str]:
    return list(sys.importguard_opened)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    """A 2-worker LocalCluster of worker processes (their working and scratch folders hold no
    project); every worker records the files it opens under the tests' temporary folders. A task
    whose worker dies fails at once (KilledWorker) instead of being tried on three workers."""
    distributed = pytest.importorskip("distributed")
    import cloudpickle
    import dask

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the spy runs on the workers
    root = str(tmp_path_factory.getbasetemp())
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                                  scheduler_port=0) as local, \
            distributed.Client(local, set_as_default=False) as client:
        client.run(install_open_spy, root)
        yield local.scheduler_address.replace("tcp://", "dask://"), client


def findings(*args: str, cwd: Path) -> list:
    run = run_cli("check", ".", "--format", "json", "-q", *args, cwd=cwd)
    assert run.returncode in (0, 1) and "Traceback" not in run.stderr, run.stderr
    return json.loads(run.stdout)["findings"]


def generated_project(root: Path, modules: int) -> Path:
    """`modules` small modules in 20 packages: imports between them, import cycles, names bound
    only in another function, imports in handlers, unresolved imports."""
    root.mkdir()
    (root / "pyproject.toml").write_text("[tool.importguard]\n")
    for package in range(20):
        folder = root / "gen" / f"p{package:02d}"
        folder.mkdir(parents=True)
        (folder / "__init__.py").write_text("")
    (root / "gen" / "__init__.py").write_text("")
    for index in range(modules):
        lines = ["import os", f"from gen.p{(index // 2) % 20:02d} import m{index // 2:04d}" if index else "import json"]
        if index % 50 == 49:
            lines.append(f"from gen.p{(index - 49) % 20:02d} import m{index - 49:04d}  # a cycle with the next line's module")
        if index % 50 == 0 and index + 49 < modules:
            lines.append(f"from gen.p{(index + 49) % 20:02d} import m{index + 49:04d}")
        if index % 97 == 0:
            lines.append(f"from gen.p{index % 20:02d}.missing import thing")
        lines += [
            "", "",
            f"def start_{index}(value):",
            "    import time",
            "    return time.time() + value",
            "", "",
            f"def stop_{index}():",
            f"    return {'time.time()' if index % 7 == 0 else 'os.getpid()'}",
            "", "",
            f"def load_{index}():",
            "    try:",
            "        return os.environ['X']",
            "    except KeyError:",
            f"        {'from gen.p00 import m0000' if index % 11 == 0 else 'return None'}",
        ]
        (root / "gen" / f"p{index % 20:02d}" / f"m{index:04d}.py").write_text("\n".join(lines) + "\n")
    return root


def assert_same_as_local(project: Path, cluster: tuple) -> list:
    address, client = cluster
    local = findings("--jobs", "1", "--no-cache", cwd=project)
    remote = findings("--executor", address, cwd=project)  # with the cache: written by this process
    assert remote == local
    assert any((project / ".importguard_cache").rglob("*.json"))
    assert client.run(opened_by_worker) == {worker: [] for worker in client.scheduler_info()["workers"]}
    return local


def test_a_local_cluster_finds_what_the_local_run_finds_on_the_example(tmp_path: Path, cluster: tuple) -> None:
    project = shutil.copytree(EXAMPLE, tmp_path / "chat_service")
    local = assert_same_as_local(project, cluster)
    assert {f["code"] for f in local} >= {"IG101", "IG201", "IG301"}


def test_a_local_cluster_finds_what_the_local_run_finds_on_2000_generated_modules(tmp_path: Path, cluster: tuple) -> None:
    project = generated_project(tmp_path / "generated", 2000)
    local = assert_same_as_local(project, cluster)
    by_code = {code: sum(f["code"] == code for f in local) for code in {f["code"] for f in local}}
    # No IG201: the 182 handlers import `gen.p00.m0000`, which every module's module-level imports
    # already loaded (each imports the module of half its number, down to `m0000`): lookups.
    assert by_code["IG101"] == 286 and "IG201" not in by_code and by_code["IG301"] == 40 and by_code["IG304"] == 21


def dies_on_boom(batch: Sequence[bytes], options: ParseOptions) -> List[FileFacts]:
    if any(b"boom" in source for source in batch):
        os._exit(1)  # as a native crash or an out-of-memory kill would end the worker
    return extract_batch(batch, options)


def test_a_worker_that_dies_on_a_real_cluster_costs_only_its_file(cluster: tuple) -> None:
    """Last in this file: the restarted workers no longer carry the open spy."""
    _, client = cluster
    sources = [(i, b"boom = 1\n" if i == 3 else f"x{i} = {i}\n".encode()) for i in range(10)]
    results = dict(facts_on(client.get_executor(pure=False), iter(sources), OPTIONS, work=dies_on_boom))
    assert sorted(results) == list(range(10))
    assert results[3].problem is not None and "dask worker failed on this file (KilledWorker" in results[3].problem.message
    assert all(results[i].problem is None and results[i].module_bindings == {f"x{i}": 1} for i in range(10) if i != 3)
