"""Parsing in worker processes that the main process can stop.

A file that kills its worker (a native crash, an out-of-memory kill) or keeps it busy longer than
the per-file budget (`file-timeout`) becomes that file's IG002, its worker is replaced and the
run goes on: a gate never hangs. A worker stuck in C code cannot time itself out, so the main
process keeps the clock. `ProcessPoolExecutor` can neither say which file a worker is on nor stop
one task, so each worker here is a process with its own pipe: it is sent a chunk of files and
answers file by file, and the main process knows which file each worker is on and since when.
"""

from __future__ import annotations

import os
import signal
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Deque, Iterable, List, Optional, Sequence, Tuple

from importguard.facts.model import FileFacts, Problem
from importguard.facts.parse_options import ParseOptions

if TYPE_CHECKING:  # multiprocessing is imported by cold runs only (~10 ms)
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

Outcome = Tuple[Optional[str], FileFacts, Optional[os.stat_result]]  # (cache key, facts, stat)
Work = Callable[[Path, ParseOptions], Outcome]
Note = Callable[[Sequence[int], Iterable[Outcome]], None]

DIED = "cannot analyse: the parser's process died on this file (a native crash or out of memory)"
OVER_BUDGET = "not analysed: parsing took longer than the"


def over_budget_message(budget: float) -> str:
    return f"{OVER_BUDGET} {budget:g} s `file-timeout` (raise it in [tool.importguard] to analyse it)"


def over_budget(facts: FileFacts) -> bool:
    """Whether these are the facts of a file that ran over its budget: a figure of this run's
    load, not of the file, so never remembered."""
    return facts.problem is not None and facts.problem.message.startswith(OVER_BUDGET)


def failed(message: str) -> Outcome:
    """The outcome of a file that has no facts: never cached (no key)."""
    return None, FileFacts(problem=Problem("over-budget" if message.startswith(OVER_BUDGET) else "analysis-failure", message)), None


def serve(conn: Connection, work: Work, ours: Connection) -> None:
    """A worker's loop: for each chunk received, one answer per file, as each is done."""
    ours.close()  # the main process's end, a forked copy: closed, its death ends the loop (EOF)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the main process, which ends its workers
    while True:
        try:
            chunk = conn.recv()
        except EOFError:  # the main process is gone
            return
        if chunk is None:  # the run is over (workers forked later hold the main end: no EOF to wait for)
            return
        for index, path, options in chunk:
            try:
                outcome = work(path, options)
            except Exception as error:  # noqa: BLE001 - one file never ends the run
                outcome = failed(f"cannot analyse: {type(error).__name__}: {error}"[:300])
            conn.send((index, outcome))


@dataclass
class Worker:
    process: BaseProcess
    conn: Connection
    chunk: Deque[int] = field(default_factory=deque)  # sent, not answered: the first is being parsed
    since: float = 0.0  # when the main process last saw this worker start a file


def start(work: Work) -> Worker:
    import multiprocessing

    ours, theirs = multiprocessing.Pipe()
    process = multiprocessing.get_context().Process(target=serve, args=(theirs, work, ours), daemon=True)
    process.start()
    theirs.close()  # else the pipe never reports the worker's death
    return Worker(process, ours)


def stop(worker: Worker, kill: bool) -> None:
    """End `worker`: killed when stuck or dead, else told and waited for."""
    if kill:
        worker.process.kill()
    else:
        try:
            worker.conn.send(None)
        except OSError:  # it died since its last answer
            pass
    worker.conn.close()
    worker.process.join(timeout=5)
    if worker.process.is_alive():
        worker.process.kill()
        worker.process.join()


def in_workers(indexes: Sequence[int], workers: int, chunk: int, paths: Sequence[Path], options: Sequence[ParseOptions],
               note: Note, work: Work, budget: Optional[float] = None) -> None:
    """Parse `paths[i]` with `options[i]` for each index, in up to `workers` processes, calling
    `note` with each outcome as it arrives. A file whose worker dies, or that takes longer than
    `budget` seconds, is noted as IG002; the files sent with it are sent again to a new worker."""
    from multiprocessing.connection import wait

    todo: Deque[int] = deque(indexes)
    crew: List[Worker] = []
    try:
        while todo or any(w.chunk for w in crew):
            for worker in crew:
                if todo and not worker.chunk:
                    send(worker, todo, chunk, paths, options)
            while todo and len(crew) < workers:
                crew.append(start(work))
                send(crew[-1], todo, chunk, paths, options)
            busy = [w for w in crew if w.chunk]
            now = time.monotonic()
            timeout = None if budget is None else max(0.0, min(w.since + budget for w in busy) - now)
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout)
            for worker in busy:
                if not answer(worker, note, budget):
                    crew.remove(worker)
                    todo.extendleft(reversed(worker.chunk))  # the files sent with the stuck one
                    worker.chunk.clear()
    finally:
        for worker in crew:
            stop(worker, kill=bool(worker.chunk))


def send(worker: Worker, todo: Deque[int], chunk: int, paths: Sequence[Path], options: Sequence[ParseOptions]) -> None:
    batch = [todo.popleft() for _ in range(min(chunk, len(todo)))]
    worker.conn.send([(i, paths[i], options[i]) for i in batch])
    worker.chunk.extend(batch)
    worker.since = time.monotonic()


def answer(worker: Worker, note: Note, budget: Optional[float]) -> bool:
    """Note what `worker` has answered; False when it is dead or over the budget: then it is
    stopped, its current file noted as IG002, and `chunk` holds the files it had not begun."""
    alive = worker.process.is_alive()  # before reading: a worker that answers, then dies, has answered
    while worker.chunk and worker.conn.poll():
        try:
            index, outcome = worker.conn.recv()
        except (EOFError, OSError):
            alive = False
            break
        worker.chunk.popleft()
        note([index], [outcome])
        worker.since = time.monotonic()
    if alive and (not worker.chunk or budget is None or time.monotonic() - worker.since <= budget):
        return True
    if worker.chunk:
        stuck = worker.chunk.popleft()
        note([stuck], [failed(over_budget_message(budget or 0) if alive else DIED)])
    stop(worker, kill=True)
    return False
