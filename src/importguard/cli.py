"""The command line. Thin: parse options, call the runner or a query, hand findings to a reporter."""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import sys
import textwrap
import traceback
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Iterator, List, Optional, Tuple

import click

from importguard import __version__
from importguard.contracts.config import find_contract
from importguard.errors import ImportguardError
from importguard.findings import Hop
from importguard.graph_export import FORMATS as GRAPH_FORMATS
from importguard.graph_export import parse_kinds, prepare_output, write_atomically
from importguard.graph_export import render as render_graph
from importguard.graph_export.select import PAGE_MODULE_LIMIT, Selection
from importguard.project.graph import DEFERRED, IMPORT_TIME, KINDS, TYPING_ONLY
from importguard.report.emit import FORMATS, STATISTICS_FORMATS, emit
from importguard.report.progress import ParseProgress
from importguard.report.rule_pages import page_url
from importguard.report.settings import render_settings
from importguard.report.text import fix_summary, render_chain
from importguard.rules import ALL_RULES, BY_CODE, PEER_CODES, PEER_NAMES
from importguard.rules.contracts.common import VIOLATION_CODES, violation_edges
from importguard.run.cache import cache_folder
from importguard.run.cache import clean as remove_cache
from importguard.run.check import CheckResult, InMemory, load_project, run_check
from importguard.run.config import Config
from importguard.run.discovery import matcher, Group
from importguard.run.outcome import BaselineChoice, Outcome, outcome_of
from importguard.run.projects import describe, each_project, group_of_folder, groups_of, nested_projects
from importguard.run.settings import Overrides, Settings, project_config

if TYPE_CHECKING:  # libcst edits are imported only when fixing
    from importguard.fixes.engine import Target

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def use_color(choice: str, terminal: bool) -> bool:
    """`--color`, then the NO_COLOR and FORCE_COLOR conventions, then whether it is a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return terminal


def _patterns(value: Optional[str]) -> List[str]:
    return [p.strip() for p in value.split(",") if p.strip()] if value else []


def _codes(value: Optional[str]) -> Optional[list]:
    return [c.strip() for c in value.split(",") if c.strip()] if value else None


@contextmanager
def _errors_exit(debug: bool) -> Iterator[None]:
    """Expected problems print one line and exit 2; internal errors too, unless --debug."""
    try:
        yield
    except ImportguardError as error:
        click.echo(f"importguard: error: {error}", err=True)
        sys.exit(EXIT_ERROR)
    except (KeyboardInterrupt, click.exceptions.Exit, SystemExit):
        raise
    except BrokenPipeError:  # e.g. `importguard check | head`: the reader is gone, stop quietly
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter's final flush quiet
        sys.exit(EXIT_ERROR)
    except Exception as error:  # noqa: BLE001 - the one place that turns crashes into exit 2
        if debug:
            traceback.print_exc()
        else:
            click.echo(f"importguard: internal error: {type(error).__name__}: {error} (run with --debug for a traceback)", err=True)
        sys.exit(EXIT_ERROR)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="importguard")
def main() -> None:
    """Static import-graph and name-binding linter for Python."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--output-format", "--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text, concise (one line per finding), full (with the source line), json, sarif (code scanning), "
                   "github (annotations), gitlab (Code Quality) or junit.")
@click.option("--statistics", is_flag=True, help="Show counts per rule instead of the findings.")
@click.option("--fix", is_flag=True, help="Apply the fixes re-analysis proves, then report what is left.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff and write nothing (exit 1 when there is one).")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that may change behaviour (imports hoisted to module level).")
@click.option("--baseline", "baseline_path", type=click.Path(path_type=Path), help="Report only findings not recorded in this baseline file.")
@click.option("--write-baseline", is_flag=False, flag_value="", default=None, metavar="[FILE]",
              help="Record the current findings as the baseline (default: .importguard-baseline.json at the project root).")
@click.option("--no-baseline", is_flag=True, help="Ignore a baseline set in the configuration.")
@click.option("--exit-non-zero-on", "threshold", type=click.Choice(["error", "warning", "info"]), default="warning", show_default=True,
              help="The lowest severity that makes the exit code 1 (inventory rules are `info`).")
@click.option("--select", help="Comma-separated rule codes or prefixes to enable (replaces the default set).")
@click.option("--extend-select", help="Comma-separated rule codes or prefixes to enable in addition.")
@click.option("--ignore", help="Comma-separated rule codes or prefixes to disable.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Read settings from this TOML file.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: CPU count).")
@click.option("--executor", metavar="URL",
              help="Parse on a dask cluster: dask://HOST:PORT (or tcp://HOST:PORT) of its scheduler. "
                   "Files are sent as bytes; workers need importguard[dask], not the project. Replaces --jobs.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--output", "--output-file", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to a file.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the facts cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), help="Where to keep the facts cache.")
@click.option("--exclude", help="Comma-separated gitignore-style patterns (replaces the configured ones).")
@click.option("--extend-exclude", help="Comma-separated gitignore-style patterns to exclude in addition.")
@click.option("--respect-gitignore/--no-respect-gitignore", default=None, help="Honour .gitignore files (default: yes).")
@click.option("--force-exclude", is_flag=True, help="Apply exclusions to files named on the command line too (for pre-commit).")
@click.option("--quiet", "-q", count=True, help="Findings only: no progress bar, no summary (-qq: print nothing, as --silent).")
@click.option("--silent", is_flag=True, help="Print nothing but errors; the exit code still tells findings (as -qq).")
@click.option("--verbose", "-v", is_flag=True, help="Say on stderr which projects and settings were used and how long each phase took.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the text output; `auto` honours NO_COLOR and FORCE_COLOR, else colours a terminal.")
@click.option("--stdin-filename", type=click.Path(path_type=Path), help="With `-`: analyse standard input as if it were this file of its project.")
@click.option("--show-files", is_flag=True, help="List the files each project reports on (and those it only indexes), then exit.")
@click.option("--show-settings", is_flag=True, help="Print the resolved settings of each project, then exit.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def check(**options: Any) -> None:
    """Check PATHS (default: the current folder) and report findings."""
    command = CheckCommand(**options)
    with _errors_exit(command.debug):
        outcome = _check(command)
    sys.exit(outcome.exit_code)


@dataclass(frozen=True)
class CheckCommand:
    """The options of `check`, as click parsed them."""

    paths: Tuple[Path, ...]
    output_format: str
    statistics: bool
    fix: bool
    diff: bool
    unsafe_fixes: bool
    baseline_path: Optional[Path]
    write_baseline: Optional[str]
    no_baseline: bool
    threshold: str
    select: Optional[str]
    extend_select: Optional[str]
    ignore: Optional[str]
    config_path: Optional[Path]
    jobs: Optional[int]
    executor: Optional[str]
    exit_zero: bool
    output: Optional[Path]
    no_cache: bool
    cache_dir: Optional[Path]
    exclude: Optional[str]
    extend_exclude: Optional[str]
    respect_gitignore: Optional[bool]
    force_exclude: bool
    quiet: int
    silent: bool
    verbose: bool
    color: str
    stdin_filename: Optional[Path]
    show_files: bool
    show_settings: bool
    debug: bool

    @property
    def level(self) -> int:
        """0: everything; 1 (-q): findings only; 2 (-qq, --silent): nothing but errors."""
        return 2 if self.silent else self.quiet

    def overrides(self) -> Overrides:
        return Overrides(
            select=_codes(self.select), extend_select=_codes(self.extend_select) or [], ignore=_codes(self.ignore) or [],
            exclude=_patterns(self.exclude) if self.exclude is not None else None, extend_exclude=_patterns(self.extend_exclude),
            respect_gitignore=self.respect_gitignore, force_exclude=self.force_exclude, cache_dir=self.cache_dir,
        )

    def validate(self) -> None:
        if self.statistics and self.output_format not in STATISTICS_FORMATS:
            raise ImportguardError(f"--statistics prints text or json, not `{self.output_format}`")
        if self.select is not None and not _codes(self.select):
            raise ImportguardError("--select needs at least one rule code or prefix (see `importguard rules`)")
        if self.output is not None:
            try:
                self.output.parent.mkdir(parents=True, exist_ok=True)  # before the analysis, not after it
            except OSError as error:
                raise ImportguardError(f"cannot write {self.output}: {error.strerror or error}") from None


def _check(command: CheckCommand) -> Outcome:
    command.validate()
    targets = list(command.paths) or [Path(".")]
    stdin = None
    if Path("-") in targets:
        if command.diff:
            raise ImportguardError("--diff works on files, not on standard input (--fix prints the fixed source)")
        name = command.stdin_filename or Path("stdin.py")
        stdin = (name, _stdin_bytes())
        targets = [name if p == Path("-") else p for p in targets]
    missing = [str(p) for p in targets if not p.exists() and not p.is_symlink() and not (stdin and p == stdin[0])]
    if missing:
        raise ImportguardError(f"path not found: {', '.join(missing)}")
    overrides = command.overrides()
    groups = groups_of(targets, command.config_path)
    if command.show_files or command.show_settings:
        for group, config in each_project(groups, command.config_path, overrides, lambda _, config: nested_projects(config)):
            click.echo(render_settings(describe(group, config), command.show_files, command.show_settings), nl=False)
        sys.exit(EXIT_CLEAN)
    progress = ParseProgress(enabled=not command.level)
    checked: List[Tuple[Group, Config, CheckResult, Settings]] = []
    try:
        with _executor(command.executor) as pool:
            def run(group: Group, config: Config) -> List[Path]:
                settings = Settings(config, jobs=command.jobs or os.cpu_count() or 1, use_cache=not command.no_cache,
                                    use_memo=True, executor=pool, progress=progress)
                result = run_check(group.paths, settings, InMemory(stdin=stdin if stdin and stdin[0] in group.paths else None))
                checked.append((group, config, result, settings))
                return result.nested

            for _ in each_project(groups, command.config_path, overrides, run):
                pass
    finally:
        progress.close()
    if command.verbose:
        for group, config, result, _ in checked:
            phases = ", ".join(f"{phase} {seconds:.2f} s" for phase, seconds in result.timings.items())
            click.echo(
                f"importguard: {config.root} ({'project' if config.marked else 'loose'}; config: "
                f"{config.source or 'defaults'}): {result.files} files, {result.modules} modules; {phases}", err=True,
            )
    results = [result for _, _, result, _ in checked]
    fixed = None
    if command.fix or command.diff:
        from importguard.fixes.engine import Target  # libcst edits: only when fixing

        targets_of = [Target(group.paths, settings, stdin if stdin and stdin[0] in group.paths else None) for group, _, _, settings in checked]
        results, fixed = _fix(targets_of, results, command, stdin)
    choice = BaselineChoice(command.baseline_path, command.write_baseline, command.no_baseline)
    outcome, notes = outcome_of([(config, result) for (_, config, _, _), result in zip(checked, results)], choice,
                                command.threshold, command.exit_zero)
    outcome.unsafe_fixes, outcome.fixed, outcome.summary = command.unsafe_fixes, fixed, command.level == 0
    if command.level < 2:  # -qq: errors only
        for note in notes + [f"importguard: warning: {w}" for r in results for w in r.warnings]:
            click.echo(note, err=True)
        if not outcome.files and command.write_baseline is None:
            click.echo("importguard: warning: No Python files found under the given paths", err=True)
        if command.statistics and command.output_format == "json" and fixed is not None and command.level == 0:
            click.echo(fix_summary(outcome.findings, command.unsafe_fixes, fixed), err=True)  # stdout stays JSON
    if command.output is not None or command.level < 2:  # -qq: nothing on standard output (a report file is still written)
        # With `-` and --fix, standard output is the fixed source (as editors expect): the report goes to stderr.
        report_to = sys.stderr if stdin is not None and command.fix else None
        color = use_color(command.color, command.output is None and sys.stdout.isatty())
        with (command.output.open("w", encoding="utf-8") if command.output else report_to or _stdout()) as stream:
            emit(outcome, command.output_format, stream, color, command.statistics)
    return outcome


def _fix(targets: List[Target], results: List[CheckResult], command: CheckCommand,
         stdin: Optional[Tuple[Path, bytes]]) -> Tuple[List[CheckResult], int]:
    """With --fix, write the fixed files and report on the analysis of the fixed sources; with
    --diff, print the diff and exit. Standard input is fixed in memory and printed on stdout."""
    from importguard.fixes.output import plural, unified_diff, write_fixes
    from importguard.fixes.session import fix_projects

    piped = (Path(os.path.abspath(stdin[0])), stdin[1]) if stdin is not None else None
    session = fix_projects(targets, results, command.unsafe_fixes, piped)
    if command.diff:
        patch = unified_diff(session.runs)
        sys.stdout.flush()
        sys.stdout.buffer.write(patch)
        sys.stdout.flush()
        hidden = 0 if command.unsafe_fixes else sum(1 for r in session.results for f in r.findings if f.fix and f.fix[0] == "unsafe")
        more = f" ({hidden} more with --unsafe-fixes)" if hidden else ""
        click.echo(f"Would fix {plural(session.fixed)}{more}." if patch else f"No fixes available{more}.", err=True)
        sys.exit(EXIT_FINDINGS if patch else EXIT_CLEAN)
    if piped is not None:
        sys.stdout.flush()
        sys.stdout.buffer.write(session.piped_source(*piped))
        sys.stdout.flush()
    write_fixes(session.runs)
    return session.results, session.fixed


@contextmanager
def _executor(url: Optional[str]) -> Iterator[Optional[Executor]]:
    """The executor `--executor URL` names (connected for the whole run), or None: local workers."""
    if url is None:
        yield None
        return
    from importguard.run.executors import dask_executor  # only this option needs it

    with dask_executor(url) as pool:
        yield pool


@main.command()
@click.argument("source")
@click.argument("target")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--path", "root", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="The project to read (the same as a path after the modules).")
@click.option("--all-kinds", is_flag=True, help="Also follow deferred (function-local) and typing-only imports.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Read settings from this TOML file.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: CPU count).")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def why(source: str, target: str, paths: Tuple[Path, ...], root: Optional[Path], all_kinds: bool, output_format: str,
        config_path: Optional[Path], jobs: Optional[int], debug: bool) -> None:
    """Show the shortest import chain from module SOURCE to module TARGET in the project of
    PATHS (default: the current folder), file:line per hop.

    Only import-time imports are followed unless --all-kinds is given. Exit 1 when there is no
    chain or a module is unknown.
    """
    with _errors_exit(debug):
        targets = list(paths) + ([root] if root is not None else []) or [Path(".")]
        group = group_of_folder(targets[0])
        config = project_config(group, config_path)
        project = load_project(targets, Settings(config, jobs=jobs or os.cpu_count() or 1))
        unknown = [m for m in (source, target) if m not in project.graph]
        kinds = frozenset({IMPORT_TIME, DEFERRED, TYPING_ONLY} if all_kinds else {IMPORT_TIME})
        chain = None if unknown else project.graph.shortest_chain(source, target, kinds)
    if unknown:
        for module in unknown:
            close = difflib.get_close_matches(module, project.graph.modules(), n=1, cutoff=0.8)
            mean = f"; did you mean `{close[0]}`?" if close else ""
            click.echo(f"importguard: unknown module `{module}`: not a first-party module of {', '.join(map(str, targets))}{mean}", err=True)
        sys.exit(EXIT_FINDINGS)
    if chain is None:
        if all_kinds:
            click.echo(f"importguard: no import chain from `{source}` to `{target}`", err=True)
        else:
            click.echo(
                f"importguard: no chain of import-time imports from `{source}` to `{target}` "
                "(--all-kinds also follows function-local and typing-only imports)", err=True,
            )
        sys.exit(EXIT_FINDINGS)
    hops = []
    for importer, imported in zip(chain, chain[1:]):
        site = project.graph.best_site(importer, imported, kinds)
        hops.append(Hop(importer, site.path, site.line, site.statement, site.kind))
    hops.append(Hop(chain[-1], project.display_path(chain[-1]), None, None))
    if output_format == "json":
        click.echo(json.dumps({"source": source, "target": target, "chain": [dict(h.to_json(), kind=h.kind) for h in hops]}, indent=2))
    else:
        render_chain(hops, sys.stdout, color=sys.stdout.isatty())
    sys.exit(EXIT_CLEAN)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(GRAPH_FORMATS), default="dot", show_default=True,
              help="dot (Graphviz), mermaid (renders in GitHub Markdown), json (networkx node-link), graphml, or html (one offline page).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file instead of standard output.")
@click.option("--kinds", default=",".join(KINDS), show_default=True, help="Comma-separated kinds of imports to draw.")
@click.option("--cycles-only", is_flag=True, help="Only the modules in import cycles and the imports that close them.")
@click.option("--collapse", "depth", type=click.IntRange(min=0), default=None,
              help="Group modules into packages this many names deep, counting the imports between them (0: never; "
                   f"the html page groups above {PAGE_MODULE_LIMIT} modules unless told).")
@click.option("--focus", metavar="MODULE", help="Only MODULE and the modules within --depth imports of it, either way.")
@click.option("--depth", "radius", type=click.IntRange(min=1), default=1, show_default=True, help="How far around --focus.")
@click.option("--exclude", "--extend-exclude", "excluded", multiple=True, metavar="PATTERNS",
              help="Leave out the modules whose files match these comma-separated gitignore-style patterns (e.g. tests/).")
@click.option("--contract", metavar="NAME", help="Highlight the imports that break this declared contract (dot, mermaid, json, graphml).")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Read settings from this TOML file.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: CPU count).")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def graph(paths: Tuple[Path, ...], output_format: str, output: Optional[Path], kinds: str, cycles_only: bool,
          depth: Optional[int], focus: Optional[str], radius: int, excluded: Tuple[str, ...], contract: Optional[str],
          config_path: Optional[Path], jobs: Optional[int], debug: bool) -> None:
    """Draw the first-party import graph of the project at PATHS (default: the current folder).

    Edges are solid for import-time, dashed for deferred (function-local) and dotted for
    typing-only imports; modules in import cycles are red.
    """
    with _errors_exit(debug):
        selection = Selection(parse_kinds(kinds), cycles_only, focus, radius)
        if contract is not None and output_format == "html":
            raise ImportguardError("--contract: the html page does not show contracts yet; use --format dot, mermaid, json or graphml")
        if output is not None:
            prepare_output(output)
        groups = groups_of(list(paths) or [Path(".")], config_path)
        if len(groups) > 1:
            raise ImportguardError(f"graph draws one project at a time; these paths belong to {len(groups)}: "
                                   + ", ".join(str(g.root) for g in groups))
        config = project_config(groups[0], config_path)
        settings = Settings(config, jobs=jobs or os.cpu_count() or 1)
        if contract is None:
            project = load_project(groups[0].paths, settings)
        else:  # only the named contract's rules, on that contract alone
            only = dataclasses.replace(config, contracts=[find_contract(config.contracts, contract)], select=list(VIOLATION_CODES),
                                       extend_select=[])
            checked = run_check(groups[0].paths, dataclasses.replace(settings, config=only))
            project = checked.model
            selection = dataclasses.replace(selection, violations=frozenset(violation_edges(checked.findings)))
        patterns = [p for value in excluded for p in _patterns(value)]
        if patterns:
            matches = matcher(patterns)
            left_out = {
                name for name, source in project.by_module.items()
                if matches(os.path.relpath(source.path, config.root).replace(os.sep, "/"))
            }
            selection = dataclasses.replace(selection, left_out=frozenset(left_out))
        text = render_graph(project, output_format, selection, depth, config.root.name)
        if output is None:
            click.echo(text, nl=False)
        else:
            write_atomically(output, text)
    sys.exit(EXIT_CLEAN)


@main.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("."))
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Read settings from this TOML file.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def clean(path: Path, config_path: Optional[Path], debug: bool) -> None:
    """Remove the facts cache of the project at PATH (default: the current folder)."""
    with _errors_exit(debug):
        config = project_config(group_of_folder(path), config_path)
        folder = cache_folder(config.root, config.cache_dir)
        try:
            removed = remove_cache(folder)
        except OSError as error:
            raise ImportguardError(str(error)) from None
    click.echo(f"removed {folder}" if removed else f"no cache at {folder}")


@contextmanager
def _stdout() -> Iterator[IO[str]]:
    yield sys.stdout


@main.command()
def server() -> None:
    """Run the language server: LSP over standard input and output, for editors (the `server` extra)."""
    try:
        from importguard.server.handlers import serve
    except ImportError as error:
        if error.name not in ("pygls", "lsprotocol", "cattrs") and not str(error.name).startswith(("pygls.", "lsprotocol.")):
            raise
        click.echo("importguard: error: the language server needs pygls: install importguard[server]", err=True)
        sys.exit(EXIT_ERROR)
    serve()


@main.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
def rules(output_format: str) -> None:
    """List every rule: code, name, severity, default and summary (markdown: the full rule documentation)."""
    from importguard.report.rule_docs import rule_json, rules_markdown

    if output_format == "json":
        click.echo(json.dumps([rule_json(rule) for rule in ALL_RULES], indent=2))
        return
    if output_format == "markdown":
        click.echo(rules_markdown(ALL_RULES), nl=False)
        return
    width = max(len(r.name) for r in ALL_RULES)
    click.echo(f"{'code':<5}  {'name':<{width}}  severity  default  summary")
    for rule in ALL_RULES:
        default = "on" if rule.default else "off"
        click.echo(f"{rule.code}  {rule.name:<{width}}  {rule.severity:<8}  {default:<7}  {rule.summary}")


@main.command()
@click.argument("code")
def explain(code: str) -> None:
    """Explain a rule: what it does, why, and a bad/good example (also `importguard rule CODE`)."""
    rule = BY_CODE.get(code.upper())
    if rule is None and code.upper() in PEER_CODES:
        _explain_peer(code.upper())
        return
    if rule is None:
        click.echo(f"importguard: error: unknown rule `{code}` (see `importguard rules`)", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(f"{rule.code} {rule.name} ({'on' if rule.default else 'off'} by default)")
    click.echo(f"fix: {rule.fix}\n")
    click.echo(f"What it does: {rule.summary}\n")
    click.echo("Why: " + textwrap.fill(rule.rationale, 96, subsequent_indent="     ") + "\n")
    examples = [("Example", rule.bad), ("Use instead", rule.good)] + ([("Fixed by --fix", rule.fixed)] if rule.fixed else [])
    for title, tree in examples:
        click.echo(f"{title}:")
        for path, source in tree.items():
            text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
            click.echo(f"  # {path}")
            click.echo(textwrap.indent(text.rstrip("\n") or "(empty)", "  "))
        click.echo("")
    click.echo(f"Docs: docs/rules/{rule.code}.md ({page_url(rule.code)})")


main.add_command(explain, name="rule")  # ruff's spelling


def _explain_peer(code: str) -> None:
    """A pyflakes/ruff code: the importguard rules its `# noqa` silences, and what to configure."""
    honoured = [BY_CODE[c] for c in PEER_CODES[code]]
    click.echo(f"{code} is pyflakes' and ruff's `{PEER_NAMES[code]}`, not an importguard rule; `# noqa: {code}` also silences:")
    width = max(len(r.name) for r in honoured)
    for rule in honoured:
        click.echo(f"  {rule.code}  {rule.name:<{width}}  {rule.summary}")
    codes = ", ".join(f'"{r.code}"' for r in honoured)
    click.echo(f"In configuration name importguard's codes (`ignore = [{codes}]`); `importguard explain {honoured[0].code}` tells more.")


@main.command()
@click.argument("log", default="-", metavar="[LOG|-]")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--output-format", "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Read settings from this TOML file.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: CPU count).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the facts cache.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def trace(log: str, paths: Tuple[Path, ...], output_format: str, config_path: Optional[Path], jobs: Optional[int],
          no_cache: bool, quiet: bool, debug: bool) -> None:
    """Find the Python errors in LOG (a file, or `-` for standard input) and explain each from the
    static findings of the project at PATHS (default: the current folder).

    Exit 1 when a static cause was found for some error, 0 when none was (or the log holds no
    error importguard traces), 2 on a usage error or an unreadable log.
    """
    from importguard.trace import analyse, explain_log
    from importguard.trace.render import SourceLines, has_static_cause, render_json, render_text

    with _errors_exit(debug):
        targets = list(paths) or [Path(".")]
        missing = [str(p) for p in targets if not p.exists()]
        if missing:
            raise ImportguardError(f"path not found: {', '.join(missing)}")
        data = _read_log(log)
        progress = ParseProgress(enabled=not quiet)
        try:
            analysed = analyse(targets, config_path, jobs, not no_cache, progress)
        finally:
            progress.close()
        explanations = explain_log(data, analysed)
        if output_format == "json":
            render_json(explanations, sys.stdout)
        else:
            sources = SourceLines({f.display: f.path for a in analysed for f in a.project.files})
            render_text(explanations, sys.stdout, sources)
    sys.exit(EXIT_FINDINGS if any(has_static_cause(e) for e in explanations) else EXIT_CLEAN)


def _stdin_bytes() -> bytes:
    return sys.stdin.buffer.read()  # what click's deprecated `get_binary_stream("stdin")` returned


def _read_log(log: str) -> bytes:
    if log == "-":
        if sys.stdin.isatty():
            click.echo("importguard: reading the log from standard input: paste it, then press Ctrl-D", err=True)
        return _stdin_bytes()
    try:
        return Path(log).read_bytes()
    except OSError as error:
        raise ImportguardError(f"cannot read log {log}: {(error.strerror or str(error)).lower()}") from None
