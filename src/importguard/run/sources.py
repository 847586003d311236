"""Each file's facts: read (never blocking on a FIFO, never reading a file over the size limit),
taken from the facts cache, or parsed by workers, a dask executor, or this process."""

from __future__ import annotations

import os
from concurrent.futures import Executor
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from importguard.facts.extract import extract_facts
from importguard.facts.model import FileFacts, Problem
from importguard.facts.parse_options import ParseOptions
from importguard.run.cache import FactsCache, entry_key
from importguard.run.fact_options import FactOptions, per_file
from importguard.run.sharing import share_strings
from importguard.run.workers import in_workers

# Below this many files, starting worker processes costs more than it saves.
MIN_FILES_PER_WORKER = 32


def read_source(path: Path, max_bytes: Optional[int] = None) -> Union[bytes, FileFacts]:
    """The file's bytes, or facts holding the problem that stops it being read (a file
    larger than `max_bytes` is not even read)."""
    try:
        size = path.stat().st_size if max_bytes is not None and path.is_file() else 0
        if max_bytes is not None and size > max_bytes:
            return FileFacts(problem=Problem(
                "too-large", f"not analysed: the file is {size / 1048576:.1f} MB, over the {max_bytes / 1048576:.3g} MB "
                "`max-file-size` (raise it in [tool.importguard] to analyse it)",
            ))
        if not path.is_file():  # a FIFO or device swapped in after discovery: never block on it
            if path.is_symlink() and not path.exists():
                return FileFacts(problem=Problem("unreadable", f"broken symlink: points to {os.readlink(path)}, which does not exist"))
            if path.exists() and not path.is_dir():
                return FileFacts(problem=Problem("unreadable", "not a regular file (a FIFO, socket or device)"))
        return path.read_bytes()
    except FileNotFoundError:
        return FileFacts(problem=Problem("unreadable", "file vanished before it could be read"))
    except IsADirectoryError:
        return FileFacts(problem=Problem("unreadable", "path is a directory, not a file"))
    except OSError as error:
        reason = error.strerror or str(error)
        return FileFacts(problem=Problem("unreadable", f"cannot read file: {reason.lower()}"))


# A libcst tree takes ~600 bytes per byte of source, and a process keeps the memory it frees:
# without a trim, every worker would hold the high-water mark of its biggest file.
TRIM_AFTER_BYTES = 16 * 1024
HUGE_FILE_BYTES = 200 * 1024


class _Trimmer:
    """When to hand freed memory back. Workers take files biggest first, so a worker trims when
    the biggest file since its last trim is twice the one just parsed (and after a huge file):
    a few trims per worker, each keeping about twice what its current files need. A trim after
    every file over 16 KB cost Django 0.4 s of system time, the next parse faulting every page in
    again."""

    biggest = 0  # bytes of the biggest file parsed since the last trim

    def after(self, size: int) -> None:
        self.biggest = max(self.biggest, size)
        if self.biggest > TRIM_AFTER_BYTES and (size > HUGE_FILE_BYTES or self.biggest >= 2 * size):
            release_free_memory()
            self.biggest = 0


_trimmer = _Trimmer()


def extract_file(path: Path, options: ParseOptions) -> Tuple[Optional[str], FileFacts, Optional[os.stat_result]]:
    """Worker entry point: (cache key of the bytes read, facts, the file's stat taken before the
    read). Never raises for a bad file."""
    stat = file_stat(path)
    data = read_source(path, options.max_file_bytes)
    if isinstance(data, FileFacts):
        return None, data, None
    facts = extract_facts(data, options)
    _trimmer.after(len(data))
    return entry_key(data, options), facts, stat


def file_stat(path: Path) -> Optional[os.stat_result]:
    try:
        return os.stat(path)
    except OSError:
        return None


def release_free_memory() -> None:
    """`malloc_trim(0)` where the C library has it (glibc); elsewhere nothing."""
    global _malloc_trim
    if _malloc_trim is None:
        try:
            import ctypes

            _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = False
    if callable(_malloc_trim):
        _malloc_trim(0)


_malloc_trim: Union[None, bool, Callable[[int], int]] = None


def compute_facts(
    paths: Sequence[Path], file_options: Union[ParseOptions, FactOptions], jobs: int,
    cache: Optional[FactsCache] = None, executor: Optional[Executor] = None,
    progress: Optional[Callable[[int, int], None]] = None, budget: Optional[float] = None,
) -> List[FileFacts]:
    """Facts for every path, in the order given, whatever the number of workers; each file's
    with its own options (`per-file-target-version`). With `budget` (seconds, `file-timeout`),
    every file is parsed in a worker process the main process can stop: a file over it is IG002.

    Cached files cost a read, a hash and a JSON load in this process; the others are read again
    and parsed by local workers (only their paths travel), when there are enough of them.
    With `executor` (any `concurrent.futures.Executor`, such as a `dask.distributed` client's
    `get_executor()`) this process reads the files and sends their bytes: remote workers need
    no copy of the project. Either way the cache is written here.
    """
    resolved = per_file(file_options)
    options = [resolved.of(path) for path in paths]
    results: List[Optional[FileFacts]] = [None] * len(paths)
    misses: List[int] = []
    for index, path in enumerate(paths):
        if cache is not None:
            stat = file_stat(path)
            key = cache.known_key(str(path), stat, options[index])
            if key is not None:
                results[index] = cache.load(key)  # unchanged since last seen: no read, no hash
                if results[index] is None:
                    misses.append(index)  # those bytes have no entry: reading them again finds none
                continue
            data = read_source(path, options[index].max_file_bytes)
            if isinstance(data, FileFacts):
                results[index] = data
                continue
            key = entry_key(data, options[index])
            results[index] = cache.load(key)
            if results[index] is not None:
                cache.remember(str(path), stat, key, options[index])
                continue
        misses.append(index)
    done = 0
    strings: Dict[str, str] = {}  # one copy of each string of the facts workers send

    def collect(indexes: Sequence[int], computed: Iterable[Tuple[Optional[str], FileFacts, Optional[os.stat_result]]]) -> None:
        nonlocal done
        for index, (key, facts, stat) in zip(indexes, computed):
            results[index] = share_strings(facts, strings)
            if cache is not None and key is not None:
                cache.store(key, facts)  # keyed by the bytes the worker parsed
                cache.remember(str(paths[index]), stat, key, options[index])
            done += 1
            if progress is not None:
                progress(done, len(misses))

    def one_by_one(indexes: Sequence[int]) -> None:
        collect(indexes, (extract_file(paths[i], options[i]) for i in indexes))

    if executor is not None:
        from importguard.run.executors import facts_on

        groups: Dict[ParseOptions, List[int]] = {}  # a batch shares its options: one group in most projects
        for index in misses:
            groups.setdefault(options[index], []).append(index)
        for shared, indexes in groups.items():
            sources = read_for_executor(paths, indexes, shared)
            for (index, key, stat), facts in facts_on(executor, sources, shared):
                collect([index], [(key, facts, stat)])
    else:
        # The few huge files (a libcst tree takes ~600 bytes per source byte) are parsed by one
        # worker after the others, so two of them never sit in memory at the same time and the
        # main process never holds one, even in a small run.
        sizes = {i: file_size(paths[i]) for i in misses}
        huge = [i for i in misses if sizes[i] > HUGE_FILE_BYTES]
        rest = [i for i in misses if sizes[i] <= HUGE_FILE_BYTES]
        if jobs <= 1 or len(rest) < MIN_FILES_PER_WORKER * 2:
            if misses:
                load_parser()
            # In this process a parser that loops could never be stopped: with a budget, one
            # worker (a fork costs a few milliseconds; a warm run has nothing to parse).
            if budget is None:
                one_by_one(rest)
                if rest:
                    release_free_memory()  # this process goes on to the project and its rules
            else:
                in_workers(rest, 1, 16, paths, options, collect, extract_file, budget)
        else:
            # Biggest first: the last chunks are small files, so no worker idles while another
            # finishes a long one. Results are placed by index, in the order given, whatever this.
            rest.sort(key=lambda i: -sizes[i])
            in_workers(rest, jobs, max(1, min(16, len(rest) // (jobs * 8) or 1)), paths, options, collect, extract_file, budget)
        in_workers(huge, 1, 1, paths, options, collect, extract_file, budget)
    if cache is not None:
        cache.save_manifest()
    return results  # type: ignore[return-value]


def load_parser() -> None:
    """Parse one line here, before the one-at-a-time workers of a small run are forked: each
    would otherwise import the parser and its native module (~0.15 s). A parallel run does not:
    its workers import the parser side by side, at the same wall-clock cost, and the main
    process does not carry it (~10 MB) through the project and rules phases, where its memory
    peaks."""
    extract_facts(b"pass\n", ParseOptions())


def read_for_executor(
    paths: Sequence[Path], indexes: Sequence[int], options: ParseOptions,
) -> Iterator[Tuple[Tuple[int, Optional[str], Optional[os.stat_result]], Union[bytes, FileFacts]]]:
    """((index, cache key, stat before the read), bytes or the facts of a read failure) of each
    file, read one at a time as the executor asks for them."""
    for index in indexes:
        stat = file_stat(paths[index])
        data = read_source(paths[index], options.max_file_bytes)
        key = entry_key(data, options) if isinstance(data, bytes) else None
        yield (index, key, stat if key is not None else None), data


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
