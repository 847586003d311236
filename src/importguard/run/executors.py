"""The facts step on a dask cluster (`check --executor dask://HOST:PORT`).

The main process reads every file and sends its bytes, never its path: workers need importguard
installed, not a copy of the project. Files travel in batches (a task costs about a millisecond of
scheduling) and only a bounded window of batches is in flight, so a 20,000-file project is never
held in memory at once. Results come back as `FileFacts` objects (pickled by dask's transport);
the cache, written by the main process only, stays JSON.
"""

from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from collections import deque
from contextlib import contextmanager
from typing import Any, Callable, Deque, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, TypeVar, Union
from urllib.parse import urlsplit

from importguard import __version__
from importguard.errors import ImportguardError
from importguard.facts.extract import extract_facts
from importguard.facts.model import FileFacts, Problem
from importguard.facts.parse_options import ParseOptions

SCHEMES = ("dask", "tcp")  # `tcp://` is how `dask scheduler` prints its address
CONNECT_TIMEOUT = 10  # seconds to reach the scheduler, then to see at least one worker
BATCH_FILES = 50  # files per task: ~0.4 s of parsing, far above the per-task overhead
BATCH_BYTES = 1024 * 1024  # a batch closes at this many bytes; a bigger file travels alone
IN_FLIGHT = 64  # batches submitted and not yet collected: at most ~64 MB of source in memory

Tag = TypeVar("Tag")


def scheduler_address(url: str) -> str:
    """`dask://HOST:PORT` or `tcp://HOST:PORT` as the `tcp://HOST:PORT` that dask connects to."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in SCHEMES or not parts.hostname or port is None or parts.path not in ("", "/") or parts.query:
        raise ImportguardError(f"--executor: expected dask://HOST:PORT (or tcp://HOST:PORT), got `{url}`")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"tcp://{host}:{port}"


@contextmanager
def dask_executor(url: str) -> Iterator[Executor]:
    """An executor whose tasks run on the dask scheduler at `url`; the client is closed on exit."""
    address = scheduler_address(url)
    try:
        from distributed import Client
    except ImportError:
        raise ImportguardError(
            "--executor needs dask's distributed scheduler: pip install 'importguard[dask]'"
        ) from None
    quiet_dask_logs()
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise ImportguardError(f"cannot reach the dask scheduler at {address}: {error}") from None
    try:
        check_workers(client, address)
        yield client.get_executor(pure=False)  # identical batches are still separate tasks
    finally:
        client.close()


def quiet_dask_logs() -> None:
    """dask logs a lost scheduler with tracebacks on stderr; importguard says it in one line."""
    import logging

    for name in ["distributed", *(n for n in list(logging.root.manager.loggerDict) if n.startswith("distributed."))]:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def check_workers(client: Any, address: str) -> None:
    """At least one worker, and every worker runs this version of importguard (facts from another
    version would be cached under this version's keys)."""
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError):
        raise ImportguardError(f"the dask scheduler at {address} has no workers") from None
    try:
        versions = set(client.run(importguard_version).values())
    except Exception as error:  # noqa: BLE001 - whatever the workers raise, the message names it
        raise ImportguardError(
            f"the dask workers at {address} cannot run importguard ({type(error).__name__}: {error}); "
            f"install importguard {__version__} on every worker"
        ) from None
    if versions - {__version__}:
        raise ImportguardError(
            f"the dask workers at {address} run importguard {', '.join(sorted(versions - {__version__}))}, "
            f"this is {__version__}; install the same version on every worker"
        )


def importguard_version() -> str:
    """Run on each worker: the importguard it has installed."""
    return __version__


def extract_batch(sources: Sequence[bytes], options: ParseOptions) -> List[FileFacts]:
    """Worker entry point: the facts of each file's bytes. Never opens a file, never raises."""
    return [facts_of(data, options) for data in sources]


def facts_of(data: bytes, options: ParseOptions) -> FileFacts:
    try:
        return extract_facts(data, options)
    except Exception as error:  # noqa: BLE001 - one file never ends the run
        return FileFacts(problem=Problem("analysis-failure", f"cannot analyse: {type(error).__name__}: {error}"[:300]))


def facts_on(
    executor: Executor, sources: Iterable[Tuple[Tag, Union[bytes, FileFacts]]], options: ParseOptions,
    work: Callable[[Sequence[bytes], ParseOptions], List[FileFacts]] = extract_batch,
) -> Iterator[Tuple[Tag, FileFacts]]:
    """(tag, facts) of every source, in the order they finish. `sources` is read lazily, as the
    window has room; a source that is already facts (a file that could not be read) passes
    through. The files of a batch that fails (a worker exception, a worker lost) are retried one
    at a time, and a file that fails alone gets IG002 naming the error: no file ends the run. A cancelled
    task (the scheduler is gone) ends it with an error, not with a finding on every file."""
    pending: Dict[Future, Tuple[List[Tag], List[bytes]]] = {}
    retries: Deque[Tuple[Tag, bytes]] = deque()  # the files of failed batches, retried one at a time
    alone: Optional[Future] = None  # the one retry in flight: a file that kills its worker takes no other file with it

    def submit(tags: List[Tag], batch: List[bytes]) -> Future:
        future = executor.submit(work, batch, options)
        pending[future] = (tags, batch)
        return future

    def collect(finished: Iterable[Future]) -> Iterator[Tuple[Tag, FileFacts]]:
        nonlocal alone
        for future in finished:
            tags, batch = pending.pop(future)
            if future.cancelled():  # no file's fault: nothing will run any more
                raise ImportguardError(
                    "the executor cancelled its tasks before every file was analysed "
                    "(with dask: the connection to the scheduler was lost, or it restarted)"
                )
            error = future.exception()
            if future is alone:
                alone = None
                if error is not None:
                    reason = f"{type(error).__name__}: {error}"
                    yield tags[0], FileFacts(problem=Problem("analysis-failure", f"cannot analyse: the dask worker failed on this file ({reason})"[:300]))
                    continue
            elif error is not None:
                retries.extend(zip(tags, batch))
                continue
            yield from zip(tags, future.result())
        if retries and alone is None:
            tag, data = retries.popleft()
            alone = submit([tag], [data])

    tags: List[Tag] = []
    batch: List[bytes] = []
    size = 0
    for tag, source in sources:
        if isinstance(source, FileFacts):
            yield tag, source
            continue
        if batch and size + len(source) > BATCH_BYTES:
            submit(tags, batch)
            tags, batch, size = [], [], 0
        tags.append(tag)
        batch.append(source)
        size += len(source)
        if len(batch) >= BATCH_FILES:
            submit(tags, batch)
            tags, batch, size = [], [], 0
        while len(pending) >= IN_FLIGHT:
            yield from collect(wait(pending, return_when=FIRST_COMPLETED).done)
    if batch:
        submit(tags, batch)
    while pending:
        yield from collect(wait(pending, return_when=FIRST_COMPLETED).done)
