"""One `check` run: discover files, compute facts (in parallel), build the project, run rules, filter."""

from __future__ import annotations

import os
import time
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import (
    Callable,
    Dict,
    FrozenSet,
    Iterable,
    Iterator,
    List,
    Optional,
    Sequence,
    Set,
    Tuple,
    Union,
)


from importguard.cache import FactsCache, cache_folder, entry_key
from importguard.config import STRUCTURAL_EXCLUDE, Config
from importguard.discovery import Discovered, discover
from importguard.fact_options import FactOptions, per_file
from importguard.facts.extract import extract_facts
from importguard.facts.model import FileFacts, Problem, max_file_bytes
from importguard.findings import Finding
from importguard.gcpause import paused_gc
from importguard.fixes.plan import with_fixes
from importguard.filtering import display_path, filter_findings, with_severities
from importguard.incremental import changed_files, rerun_changed
from importguard.memo import Memo, Remembered, run_keys
from importguard.project.calls import add_import_time_calls
from importguard.project.model import Project, SourceFile, build_project
from importguard.project.modules import ModuleIndex, ModuleInfo, module_name
from importguard.rules import (
    ALL_RULES,
    BY_CODE,
    PEER_CODES,
    select_rules,
)
from importguard.rules.masking import first_failures, mark_masked
from importguard.rules.suppressions import (
    UNUSED_SUPPRESSION,
    Used,
    unknown_suppression_codes,
    unused_suppressions,
)
from importguard.workers import in_workers, over_budget
from importguard.workspace import module_files, package_root

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


# A libcst tree takes ~600 bytes per byte of source: after a big file, hand the freed memory
# back to the system, or every worker keeps the high-water mark of its biggest file.
TRIM_AFTER_BYTES = 16 * 1024
HUGE_FILE_BYTES = 200 * 1024


def extract_file(path: Path, type_checking_names: FrozenSet[str]) -> Tuple[Optional[str], FileFacts, Optional[os.stat_result]]:
    """Worker entry point: (cache key of the bytes read, facts, the file's stat taken before the
    read). Never raises for a bad file."""
    stat = file_stat(path)
    data = read_source(path, max_file_bytes(type_checking_names))
    if isinstance(data, FileFacts):
        return None, data, None
    facts = extract_facts(data, type_checking_names)
    if len(data) > TRIM_AFTER_BYTES:
        release_free_memory()
    return entry_key(data, type_checking_names), facts, stat


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
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim: object = None


def compute_facts(
    paths: Sequence[Path], fact_options: Union[FrozenSet[str], FactOptions], jobs: int,
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
    resolved = per_file(fact_options)
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
            data = read_source(path, max_file_bytes(options[index]))
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

    def collect(indexes: Sequence[int], computed: Iterable[Tuple[Optional[str], FileFacts, Optional[os.stat_result]]]) -> None:
        nonlocal done
        for index, (key, facts, stat) in zip(indexes, computed):
            results[index] = facts
            if cache is not None and key is not None:
                cache.store(key, facts)  # keyed by the bytes the worker parsed
                cache.remember(str(paths[index]), stat, key, options[index])
            done += 1
            if progress is not None:
                progress(done, len(misses))

    def one_by_one(indexes: Sequence[int]) -> None:
        collect(indexes, (extract_file(paths[i], options[i]) for i in indexes))

    if executor is not None:
        from importguard.executors import facts_on

        groups: Dict[FrozenSet[str], List[int]] = {}  # a batch shares its options: one group in most projects
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
        if misses:
            load_parser()
        huge = [i for i in misses if sizes[i] > HUGE_FILE_BYTES]
        rest = [i for i in misses if sizes[i] <= HUGE_FILE_BYTES]
        if jobs <= 1 or len(rest) < MIN_FILES_PER_WORKER * 2:
            # In this process a parser that loops could never be stopped: with a budget, one
            # worker (a fork costs a few milliseconds; a warm run has nothing to parse).
            if budget is None:
                one_by_one(rest)
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
    """Parse one line here, before workers are forked: each would otherwise import the parser
    and its native module (~0.15 s), in every batch of workers of the run."""
    extract_facts(b"pass\n", frozenset())


def read_for_executor(
    paths: Sequence[Path], indexes: Sequence[int], options: FrozenSet[str],
) -> Iterator[Tuple[Tuple[int, Optional[str], Optional[os.stat_result]], Union[bytes, FileFacts]]]:
    """((index, cache key, stat before the read), bytes or the facts of a read failure) of each
    file, read one at a time as the executor asks for them."""
    for index in indexes:
        stat = file_stat(paths[index])
        data = read_source(paths[index], max_file_bytes(options))
        key = entry_key(data, options) if isinstance(data, bytes) else None
        yield (index, key, stat if key is not None else None), data


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


@dataclass
class CheckResult:
    findings: List[Finding]
    project: Optional[Project]  # None when the findings came from the memo
    files: int
    modules: int
    missing: List[Path] = field(default_factory=list)
    timings: Dict[str, float] = field(default_factory=dict)  # seconds per phase
    warnings: List[str] = field(default_factory=list)  # for stderr: unknown codes in suppressions
    nested: List[Path] = field(default_factory=list)  # roots of projects found below this one
    # display paths of the files this run reports on when it covers only part of its project
    # (files or folders given inside it); None: the whole project (a baseline may drop stale entries)
    checked: Optional[List[str]] = None


def extra_source_roots(paths: Sequence[Path]) -> List[Path]:
    """A folder given on the command line that is not itself a package is a source root; a
    package (or a file inside one) is rooted above the top of its `__init__.py` chain."""
    roots = [p for p in paths if p.is_dir() and not (p / "__init__.py").exists()]
    return roots + [package_root(p) for p in paths if (p if p.is_dir() else p.parent).joinpath("__init__.py").exists()]


# Facts of a file that is indexed (its module exists) but not analysed: excluded from the report
# and imported by no reported module. Its names are unknown, so nothing is concluded from them.
NOT_ANALYSED = Problem("not-analysed", "not analysed: excluded, and imported by no reported module")


def add_imported(analysed: Dict[Path, FileFacts], roots: Sequence[Path], allowed: Optional[Set[Path]],
                 compute: Callable[[List[Path]], List[FileFacts]]) -> None:
    """Add the facts of the files the analysed ones import: excluded modules of a project (one
    level: their names and imports matter to their importers), or, with `allowed` None (a loose
    file), the modules beside it, to the end of the chain."""
    frontier = list(analysed)
    resolver = ModuleIndex()
    roots = list(dict.fromkeys(roots))
    exists: Callable[[Path], bool] = Path.is_file if allowed is None else allowed.__contains__
    files_of: Dict[str, List[Path]] = {}  # a project imports the same modules many times over
    while frontier:
        wanted: Dict[Path, None] = {}
        for path in frontier:
            named = module_name(path, roots)
            if named is None:
                continue
            importer = ModuleInfo(named[0], path, named[1], named[1])
            for fact in analysed[path].imports:
                target, _ = resolver.absolute_target(fact, importer)
                if not target:
                    continue
                for name in [target] + [f"{target}.{n}" for n, _ in fact.names if n and n != "*"]:
                    files = files_of.get(name)
                    if files is None:
                        files = files_of[name] = module_files(name, roots, exists)
                    wanted.update((c, None) for c in files if c not in analysed)
        analysed.update(zip(wanted, compute(list(wanted))))
        frontier = list(wanted) if allowed is None else []


def plan(paths: Sequence[Path], config: Config) -> Tuple[Set[Path], List[Path], Discovered, List[Path]]:
    """(files given, folders given, the files found, the source roots) of one project.

    The paths given choose what is reported; the project's importable files decide what exists:
    in a project, the whole root is indexed whatever paths are given (`check pkg` still knows the
    sibling packages `pkg` imports). Files inside a project (as pre-commit passes them) are
    reported alone. A loose file is analysed alone, with what it imports from beside it.
    """
    absolute = [Path(os.path.abspath(p)) for p in paths]
    given_files = {p for p in absolute if not p.is_dir()}
    folders = [p for p in absolute if p.is_dir()]
    roots = config.source_roots() + extra_source_roots(folders + sorted(given_files))
    # Given folders are walked first: a folder named explicitly is reported even when excluded.
    scan = folders + ([config.root] if config.marked else sorted(given_files))
    index_only = [config.root] if config.marked and config.root not in folders else []
    found = discover(scan, config.root, config.exclude, STRUCTURAL_EXCLUDE, config.respect_gitignore,
                     nested=config.marked and config.split_nested, index_only=index_only,
                     source_roots=roots + sorted(given_files))
    if index_only and folders:
        found.reported = {p for p in found.reported if p in given_files or any(f in p.parents for f in folders)}
    # A file named explicitly is Python whatever its name (`manage`): the walk only finds `.py`.
    found.sources = sorted(set(found.sources) | {p for p in given_files if p.is_file()})
    return given_files, folders, found, roots


def run_check(
    paths: Sequence[Path], config: Config, *, jobs: int = 1, cwd: Optional[Path] = None, use_cache: bool = True,
    executor: Optional[Executor] = None, progress: Optional[Callable[[int, int], None]] = None,
    stdin: Optional[Tuple[Path, bytes]] = None, use_memo: bool = False, overrides: Optional[Dict[Path, bytes]] = None,
) -> CheckResult:
    """Check `paths` (one project). `stdin` is (a path, its source): that file is analysed from
    these bytes, as if it were at the path in its project (what editors and pipelines send).
    With `use_memo` (and the cache), an unchanged project's findings come from the memo and
    the result has no project model. `overrides` maps absolute paths of project files to sources
    analysed instead of their bytes on disk (fixes are verified this way before they are written)."""
    with paused_gc():  # a run allocates far more than it frees: see `importguard.gcpause`
        return _run_check(paths, config, jobs=jobs, cwd=cwd, use_cache=use_cache, executor=executor, progress=progress,
                          stdin=stdin, use_memo=use_memo, overrides=overrides)


def _run_check(
    paths: Sequence[Path], config: Config, *, jobs: int = 1, cwd: Optional[Path] = None, use_cache: bool = True,
    executor: Optional[Executor] = None, progress: Optional[Callable[[int, int], None]] = None,
    stdin: Optional[Tuple[Path, bytes]] = None, use_memo: bool = False, overrides: Optional[Dict[Path, bytes]] = None,
) -> CheckResult:
    cwd = cwd or Path.cwd()
    clock = [time.perf_counter()]
    timings: Dict[str, float] = {}

    def lap(phase: str) -> None:
        clock.append(time.perf_counter())
        timings[phase] = clock[-1] - clock[-2]

    given_files, folders, found, roots = plan(paths, config)
    if stdin is not None:
        virtual = Path(os.path.abspath(stdin[0]))
        given_files.add(virtual)
        found.sources = sorted(set(found.sources) | {virtual})
        found.reported.add(virtual)
    lap("discover")
    options = config.file_options()
    cache = FactsCache(cache_folder(config.root, config.cache_dir), options.default) if use_cache else None
    def compute(chosen: List[Path]) -> List[FileFacts]:
        return compute_facts(chosen, options, jobs, cache, executor, progress, config.file_timeout)

    # A file named on the command line is reported even if excluded (as ruff), unless
    # --force-exclude (what pre-commit needs: it passes every changed file).
    named = set() if config.force_exclude else given_files
    reported = [p for p in found.sources if p in found.reported or p in named]
    only = {display_path(p, cwd) for p in given_files} if given_files and config.marked else None
    report_on = {display_path(p, cwd) for p in found.reported | named}
    partial = config.marked and (bool(given_files) or bool(folders and config.root not in folders))
    checked = sorted(only if only is not None else report_on) if partial else None
    rules = select_rules(config.select, config.ignore, config.extend_select)
    selected = {rule.code for rule in rules}
    memo: Optional[Memo] = None
    # A loose script (a file given outside any project) also analyses what it imports from beside
    # it, which the memo's key does not cover: such runs are not memoised.
    memoisable = config.marked or not given_files
    if cache is not None and use_memo and memoisable and stdin is None and not overrides:
        memo = Memo(cache, config, cwd, paths)
        rows = discovered_files(found, cache, options)
        structure, key = run_keys(config, cwd, paths, rows)
        last = memo.load()
        lap("memo")
        if last is not None and last.key == key:
            cache.save_manifest()
            return CheckResult(last.findings, None, *last.counts, found.missing, timings, last.warnings, found.nested, checked)
        partial = UNUSED_SUPPRESSION.code not in selected and last is not None and last.structure == structure
        new = changed_files(last, rows, cache, compute) if partial else None  # type: ignore[arg-type]
        if new is not None:
            keys = {path: facts_key for path, facts_key, _ in rows}
            kept = rerun_changed(last, new, found.sources, keys, cache, compute, roots, found.extensions,  # type: ignore[arg-type]
                                 config, cwd, rules, only, report_on, NOT_ANALYSED)
            lap(f"file rules on {len(new)} changed")
            memo.store(replace(last, key=key, files=keys, findings=kept))  # type: ignore[arg-type]
            cache.save_manifest()
            return CheckResult(kept, None, *last.counts, found.missing, timings, last.warnings, found.nested, checked)  # type: ignore[union-attr]

    piped = {virtual: extract_facts(stdin[1], options.of(virtual))} if stdin is not None else {}
    piped.update({path: extract_facts(data, options.of(path)) for path, data in (overrides or {}).items()})
    on_disk = [p for p in reported if p not in piped]
    analysed = {**dict(zip(on_disk, compute(on_disk))), **piped}
    excluded = set(found.sources) - found.reported - named
    if config.marked and excluded:
        add_imported(analysed, roots, excluded, compute)
    elif not config.marked and given_files:  # a loose script: what it imports from beside it
        add_imported(analysed, roots, None, compute)
    lap("facts")
    everything = sorted(set(found.sources) | set(analysed))
    files = [SourceFile(path, display_path(path, cwd), analysed.get(path) or FileFacts(problem=NOT_ANALYSED)) for path in everything]
    project = build_project(files, roots, found.extensions, frozenset(config.builtins))
    add_import_time_calls(project)
    lap("project")
    if UNUSED_SUPPRESSION.code in selected:  # whether a suppression is used needs its rule's findings
        rules = ALL_RULES
    raw = [finding for rule in rules for finding in rule.check(project)]
    findings = mark_masked(raw)
    used: Used = set()
    kept = [f for f in filter_findings(findings, project, config, cwd, only, report_on, used) if f.code in selected]
    known, peers = set(BY_CODE), set(PEER_CODES)
    if UNUSED_SUPPRESSION.code in selected:
        kept += filter_findings(list(unused_suppressions(project, used, report_on, known, peers)), project, config, cwd, only, report_on, set())
    lap("rules")
    warnings = unknown_suppression_codes(project, report_on, known)
    kept = with_severities(with_fixes(sorted(kept, key=Finding.sort_key), project), config.severity)
    modules = sum(1 for f in project.files if f.module is not None)
    if memo is not None and not any(over_budget(facts) for facts in analysed.values()):
        stops = {path: (f.line, f.code) for path, f in first_failures(raw).items()}
        memo.store(Remembered(key, structure, {p: k for p, k, _ in rows}, [str(p) for p in analysed], stops, kept,
                              (len(reported), modules), warnings))
    return CheckResult(kept, project, len(reported), modules, found.missing, timings, warnings, found.nested, checked)


def discovered_files(found: Discovered, cache: FactsCache, options: FactOptions) -> List[List[str]]:
    """[path, facts key, role] of every file found: what the memo's key covers. A file whose
    size and modification time are those last seen is not read; another is read and hashed."""
    rows = []
    for path in found.sources:
        stat = file_stat(path)
        own = options.of(path)
        key = cache.known_key(str(path), stat, own)
        if key is None:
            data = read_source(path, max_file_bytes(own))
            if isinstance(data, FileFacts):
                key = f"problem: {data.problem.message}" if data.problem else "problem"
            else:
                key = entry_key(data, own)
                cache.remember(str(path), stat, key, own)
        rows.append([str(path), key, "reported" if path in found.reported else "indexed"])
    rows += [[str(path), "", "compiled"] for path in found.extensions]
    rows += [[str(path), "", "missing"] for path in found.missing]
    return rows


