"""The `smartspec` command line: each command parses its options, sets up logging and calls
the library (a flow for `run` and `reextract`, which are checked before Prefect starts)."""

from __future__ import annotations

import atexit
import csv
import dataclasses
import errno
import gc
import io
import json
import logging
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from smartspec.extractors.settings import Settings, load_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help=(
    "Turn regional smart specialisation strategies into versioned, validated data: read the "
    "documents in raw/ (and the URLs in raw/sources.toml), extract each region's priority areas "
    "and publish a new Parquet version under output/ when they changed. Add -v to any command "
    "to see what it does."))
console = Console(soft_wrap=True)  # a line is a line: cron logs and pipes are not wrapped at 80 columns
err_console = Console(stderr=True, soft_wrap=True)
logger = logging.getLogger(__name__)

# The settings file used unless `--config` names another: the current folder's project file.
CONFIG = Path("pyproject.toml")
# Prefect keeps its database and settings here unless PREFECT_HOME says otherwise.
LOCAL_PREFECT_HOME = Path(".smartspec") / "prefect"
EPHEMERAL_STARTUP_TIMEOUT_S = 120

RawOption = Annotated[Path | None, typer.Option("--raw", help="Folder of source documents.")]
OutputOption = Annotated[Path | None, typer.Option("--output", help="Folder of published data.")]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Log what each step does.")]
ConfigOption = Annotated[Path | None, typer.Option(
    "--config", help="Settings file with a [tool.smartspec] table (default: pyproject.toml in this folder).")]
WorkersOption = Annotated[
    int | None, typer.Option("--workers", min=1, help=(
        "Sources extracted at once (task threads, each document read in its own child process; "
        "worker_pool in the settings can ask for processes); 1: one after another."))
]
WaitOption = Annotated[
    float, typer.Option("--wait", min=0, help="Seconds to wait for another run on the same output to finish.")
]
# Exit codes: a run that failed or refused to publish; a problem with what the command was
# given (raw/, the settings, sources.toml, the output folder), found before anything started;
# a run refused because another run holds the output folder.
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_LOCKED = 3
# A run stopped by a signal exits with this plus the signal's number, as a shell reports it.
EXIT_SIGNALLED = 128
# Commands whose processes end with them, however they end (flows/supervision.py).
SUPERVISED_COMMANDS = frozenset({"run", "reextract"})
DaskOption = Annotated[
    str | None, typer.Option("--dask-address", help="Extract on this Dask scheduler, e.g. tcp://host:8786.")
]
AllowRemovalOption = Annotated[bool, typer.Option(
    "--allow-removal", help="Publish even if more than half of the previous version's sources are gone from raw/.")]


def _config_file(config: Path | None) -> Path:
    """The settings file: `--config`, else the current folder's pyproject.toml."""
    return config if config is not None else CONFIG


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def _setup(verbose: bool, config: Path | None = None, *, raw: Path | None = None,
           output: Path | None = None) -> Settings:
    """Logging (the console shows warnings, with -v also our INFO lines; see flows/logs.py)
    and the settings of pyproject.toml with the command's folders."""
    from smartspec.flows.logs import set_operator_levels

    console_handler = logging.StreamHandler()
    console_handler.setLevel(logging.INFO if verbose else logging.WARNING)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s",
                        handlers=[console_handler])
    set_operator_levels()
    from smartspec.extractors.settings import SettingsError

    if config is not None and not config.is_file():
        _stop(f"--config {config}: no such file", EXIT_BAD_INPUT, verbose)
    path = _config_file(config)
    if path.is_file():
        logger.info("settings: %s", path.resolve())
    else:
        logger.info("settings: the defaults (no %s in %s)", path, Path.cwd())
    try:
        return load_settings(path, raw_dir=raw, output_dir=output)
    except SettingsError as e:
        _stop(e, EXIT_BAD_INPUT, verbose)


def _check_run_inputs(settings: Settings, verbose: bool, wait: float = 0.0) -> None:
    """Refuse, in one line and before Prefect starts, a run whose raw/ is absent, empty or not
    a folder, whose sources.toml is not TOML, whose curation.toml is malformed, whose output
    folder cannot hold versions, whose Dask scheduler does not answer, or (not waiting) whose
    output another run holds. The flow checks them again: a served run has no CLI before it."""
    from smartspec.inputs.sources import RawDirError, SourcesFileError, check_raw_dir, read_source_entries

    try:
        check_raw_dir(settings.raw_dir)
        read_source_entries(settings.raw_dir)
    except (RawDirError, SourcesFileError) as e:
        _stop(e, EXIT_BAD_INPUT, verbose)
    from smartspec.publishing.layout import DATASET
    from smartspec.publishing.errors import OutputUnusable
    from smartspec.publishing.preflight import check_output

    try:
        check_output(settings.output_dir, settings.output_dir / DATASET)
    except OutputUnusable as e:
        _stop(e, EXIT_BAD_INPUT, verbose)
    _check_curation(settings, verbose)
    if settings.dask_address:
        _check_dask(settings.dask_address, verbose)
    if wait == 0:
        from smartspec.publishing.errors import RunLocked
        from smartspec.publishing.locks import run_lock

        try:
            with run_lock(settings.output_dir):
                pass
        except RunLocked as e:
            _stop(e, EXIT_LOCKED, verbose)


# How long a run waits for its Dask scheduler to accept a connection before refusing to start.
DASK_CONNECT_TIMEOUT_S = 1.5


def _check_dask(address: str, verbose: bool) -> None:
    """One line, at once, for a Dask scheduler address that is malformed or does not answer."""
    import socket
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(address if "://" in address else f"tcp://{address}")
        host, port = parts.hostname, parts.port
    except ValueError as e:
        _stop(f"--dask-address {address!r} is not an address like tcp://host:8786: {e}", EXIT_BAD_INPUT, verbose)
    if not host or not port:
        _stop(f"--dask-address {address!r} is not an address like tcp://host:8786", EXIT_BAD_INPUT, verbose)
    try:
        socket.create_connection((host, port), timeout=DASK_CONNECT_TIMEOUT_S).close()
    except OSError as e:
        _stop(f"the Dask scheduler at {address} does not answer: {e.strerror or e}", EXIT_BAD_INPUT, verbose)


def _stop(why: object, code: int, verbose: bool, prefix: str = "not run") -> NoReturn:
    """End the command with one line saying why; with --verbose, the traceback first (call
    it while handling the exception)."""
    if verbose:
        err_console.print_exception()
    err_console.print(f"[red]{prefix}:[/red] {escape(str(why))}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _use_local_prefect(verbose: bool) -> None:
    """Point Prefect at a project-local home, send our INFO lines to its API and keep its
    console quiet unless asked."""
    os.environ.setdefault("PREFECT_HOME", str(LOCAL_PREFECT_HOME.resolve()))
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)  # Prefect makes only the last folder
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no network here to send it
    # The first start of the ephemeral API creates its database; on a slow or busy machine
    # that takes longer than Prefect's default 20 s.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(EPHEMERAL_STARTUP_TIMEOUT_S))
    from smartspec.flows.logs import prefect_log_settings

    for name, value in prefect_log_settings(verbose).items():
        os.environ.setdefault(name, value)


@app.command()
def run(
    raw: RawOption = None,
    output: OutputOption = None,
    workers: WorkersOption = None,
    dask_address: DaskOption = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Read every document again.")] = False,
    wait: WaitOption = 0.0,
    allow_removal: AllowRemovalOption = False,
    verbose: VerboseOption = False,
    config: ConfigOption = None,
) -> None:
    """Run the refresh flow on raw/ and publish a new version if the data changed."""
    settings = _run_settings(_setup(verbose, config, raw=raw, output=output), workers, dask_address)
    _check_run_inputs(settings, verbose, wait)
    if not no_cache and not os.environ.get("PREFECT_API_URL"):
        from smartspec.flows.noop import settle_unchanged

        summary = settle_unchanged(settings)
        if summary is not None:  # the inputs of the last run: nothing to do, no Prefect to start
            for line in summary.lines():
                console.print(line, highlight=False, markup=False)
            return
    _use_local_prefect(verbose)
    from smartspec.flows.extract_priorities import (  # Prefect only loads for commands that need it
        refresh,
        task_runner_for,
    )

    with _flow_run(verbose):
        summary = refresh.with_options(task_runner=task_runner_for(settings))(
            settings, use_cache=not no_cache, lock_wait_s=wait, allow_removal=allow_removal,
        )
    for line in summary.lines():
        console.print(line, highlight=False, markup=False)


@contextmanager
def _flow_run(verbose: bool) -> Iterator[None]:
    """A flow run from the command line: progress on stderr; a run the run lock refuses exits
    with EXIT_LOCKED, one that fails or refuses to publish with EXIT_FAILED, each with one
    line saying why (with --verbose, the traceback too)."""
    from smartspec.extractors.settings import SettingsError
    from smartspec.inputs.sources import RawDirError, SourcesFileError
    from prefect.exceptions import TerminationSignal

    from smartspec.flows.progress import show_progress
    from smartspec.publishing.errors import PublishingError, RunLocked, TooManyRemovals
    from smartspec.publishing.tables import ValidationFailed

    try:
        with show_progress(err_console), _quiet_crash_reports(not verbose):
            yield
    except (KeyboardInterrupt, TerminationSignal) as e:
        signum = getattr(e, "signal", signal.SIGINT)
        _stop(f"{signal.Signals(signum).name} received", EXIT_SIGNALLED + signum, verbose, "stopped")
    except RunLocked as e:
        _stop(e, EXIT_LOCKED, verbose)
    except ValidationFailed as e:
        _stop(e, EXIT_FAILED, verbose, "validation failed, nothing published")
    except TooManyRemovals as e:
        _stop(e, EXIT_FAILED, verbose, "not published")
    except (PublishingError, SettingsError, RawDirError, SourcesFileError) as e:
        _stop(e, EXIT_FAILED, verbose)
    except OSError as e:  # the output folder, the disk: the run's own problems, not a source's
        _stop(_os_error_line(e), EXIT_FAILED, verbose, "run stopped")


# Prefect's loggers that report a failed flow or task run with its traceback.
PREFECT_RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")


class _NoCrashReports(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno < logging.ERROR


@contextmanager
def _quiet_crash_reports(quiet: bool) -> Iterator[None]:
    """Without --verbose, Prefect's reports of a failed flow or task run (a traceback, the
    failed state) are left out: the command prints the one line that says why."""
    if not quiet:
        yield
        return
    loggers, no_tracebacks = [logging.getLogger(name) for name in PREFECT_RUN_LOGGERS], _NoCrashReports()
    for each in loggers:
        each.addFilter(no_tracebacks)
    try:
        yield
    finally:
        for each in loggers:
            each.removeFilter(no_tracebacks)


# What to do about the operating system errors a run may meet, by errno.
_OS_ERROR_FIXES = {
    errno.ENOSPC: "free some space and run again",
    errno.EDQUOT: "free some space (disk quota) and run again",
    errno.EROFS: "the file system is read-only: give --output a writable folder",
    errno.EACCES: "make it writable or give --output another folder",
    errno.EPERM: "make it writable or give --output another folder",
}


def main() -> None:
    """The `smartspec` program. A run or re-extraction is supervised: the processes it starts
    (Prefect's API server, document readers) end with it, also when it is killed."""
    if SUPERVISED_COMMANDS & set(sys.argv[1:2]):
        from smartspec.flows.supervision import supervise

        supervise()
    # Once the command is done the process only ends: the collector need not walk every object
    # spaCy (or Prefect) made once more on the way out (a tenth of a second or more of each
    # command). Files and connections are closed by the code that opened them, not at exit.
    atexit.register(gc.freeze)
    app()


def _os_error_line(error: OSError) -> str:
    """E.g. "No space left on device (output/priorities/.tmp-1f/priorities.parquet): free some space ..."."""
    where = f" ({error.filename})" if error.filename else ""
    fix = _OS_ERROR_FIXES.get(error.errno, "fix it and run again")
    return f"{error.strerror or error}{where}: {fix}"


def _check_curation(settings: Settings, verbose: bool) -> None:
    """A malformed raw/curation.toml ends the run before it starts, with one line."""
    from smartspec.extractors.curation import CURATION_NAME, CurationError, load_curation

    try:
        load_curation(settings.raw_dir)
    except CurationError as e:
        _stop(f"{settings.raw_dir / CURATION_NAME}: {e}", EXIT_BAD_INPUT, verbose)


def _run_settings(settings: Settings, workers: int | None, dask_address: str | None) -> Settings:
    """`settings` with the run's flags applied: what the flow and its task runner get."""
    return dataclasses.replace(
        settings,
        workers=workers if workers is not None else settings.workers,
        dask_address=dask_address if dask_address is not None else settings.dask_address,
    )


@app.command()
def reextract(
    region: Annotated[
        list[str] | None, typer.Option("--region", help="A region by name or NUTS code (repeatable).")
    ] = None,
    source: Annotated[list[str] | None, typer.Option("--source", help="A source id (repeatable).")] = None,
    raw: RawOption = None,
    output: OutputOption = None,
    workers: WorkersOption = None,
    dask_address: DaskOption = None,
    wait: WaitOption = 0.0,
    allow_removal: AllowRemovalOption = False,
    verbose: VerboseOption = False,
    config: ConfigOption = None,
) -> None:
    """Re-fetch and re-extract a region's sources or named ones, ignoring the cache; publish if changed.

    The other sources come from their snapshots and the cache as in a run.
    """
    if not region and not source:
        err_console.print("give --region and/or --source: what to re-extract")
        raise typer.Exit(2)
    settings = _run_settings(_setup(verbose, config, raw=raw, output=output), workers, dask_address)
    _check_run_inputs(settings, verbose, wait)
    from smartspec.extractors.regions import UnknownRegion, load_gazetteer

    try:  # first what the gazetteer alone can say
        load_gazetteer().resolve_names(region or [])
    except UnknownRegion as e:
        _stop(e, EXIT_BAD_INPUT, verbose, "nothing re-extracted")
    from smartspec.running.incremental import choose_sources
    from smartspec.inputs.plan import SelectionError, plan_inputs

    try:  # what the flow will choose, known before Prefect starts
        choose_sources(settings, plan_inputs(settings.raw_dir), region or [], source or [])
    except SelectionError as e:
        _stop(e, EXIT_BAD_INPUT, verbose, "nothing re-extracted")
    _use_local_prefect(verbose)
    from smartspec.flows.extract_priorities import reextract as reextract_flow
    from smartspec.flows.extract_priorities import task_runner_for

    try:
        with _flow_run(verbose):
            summary = reextract_flow.with_options(task_runner=task_runner_for(settings))(
                settings, regions=list(region or []), sources=list(source or []), lock_wait_s=wait,
                allow_removal=allow_removal,
            )
    except SelectionError as e:  # the raw folder changed since the check
        _stop(e, EXIT_BAD_INPUT, verbose, "nothing re-extracted")
    for line in summary.lines():
        console.print(line, highlight=False, markup=False)


@app.command()
def serve(
    cron: Annotated[str | None, typer.Option("--cron", help="When refresh runs (cron; default from config).")] = None,
    timezone: Annotated[str | None, typer.Option("--timezone", help="IANA time zone of --cron.")] = None,
    raw: RawOption = None,
    output: OutputOption = None,
    workers: WorkersOption = None,
    dask_address: DaskOption = None,
    verbose: VerboseOption = False,
    config: ConfigOption = None,
) -> None:
    """Serve the deployments refresh (on a schedule) and reextract (by hand) until Ctrl-C.

    Uses the Prefect server PREFECT_API_URL names; without it, starts a local one
    (SQLite, under .smartspec/prefect) and stops it on exit.
    """
    settings = _run_settings(_setup(verbose, config, raw=raw, output=output), workers, dask_address)
    _check_curation(settings, verbose)
    _use_local_prefect(verbose)
    from smartspec.flows.server import local_server

    signal.signal(signal.SIGTERM, _interrupt)  # stop like Ctrl-C: the local server goes down too
    schedule = (cron or settings.refresh_cron, timezone or settings.refresh_timezone)
    if os.environ.get("PREFECT_API_URL"):
        console.print(f"serving on the Prefect server at {os.environ['PREFECT_API_URL']}", highlight=False)
        _serve(settings, *schedule)
        return
    with local_server(LOCAL_PREFECT_HOME.resolve()) as server:
        os.environ["PREFECT_API_URL"] = server.api_url  # before Prefect loads: this process and its runs
        console.print(
            f"started a local Prefect server: UI {server.ui_url}, API {server.api_url} "
            f"(log {server.home / 'server.log'})\n"
            "to use an existing server instead, set PREFECT_API_URL, "
            "e.g. PREFECT_API_URL=http://127.0.0.1:4200/api smartspec serve",
            highlight=False, soft_wrap=True,
        )
        _serve(settings, *schedule)


def _serve(settings: Settings, cron: str, timezone: str) -> None:
    from smartspec.flows.deployments import serve as serve_deployments

    console.print(
        f"serving refresh/refresh ({cron}, {timezone}) and reextract/reextract; run one now with\n"
        f"  PREFECT_API_URL={os.environ['PREFECT_API_URL']} prefect deployment run reextract/reextract "
        "--param 'regions=[\"Skåne\"]'",
        highlight=False, soft_wrap=True,
    )
    serve_deployments(settings, cron=cron, timezone=timezone)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="Documents.")],
    format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help=(
        "Files read at once, each in its own child process (default: one per CPU), the first of them "
        "while the command starts up; 1: one after another."))] = None,
    verbose: VerboseOption = False,
    config: ConfigOption = None,
) -> None:
    """Print the priorities of FILES without Prefect and without publishing.

    Each file is read as in a run: in a child process, within the time, memory, size and page
    limits of the settings (per file: N files read at once may take N times the memory); what
    is not a file (a folder, a FIFO, a device) is refused. The rows come in the order of FILES.
    """
    settings = _setup(verbose, config)
    from smartspec.inputs.sources import SourceFile, printable_name, source_id
    from smartspec.running.readahead import ReadAhead

    sources = [SourceFile(source_id(name), path, name) for path in files for name in [printable_name(path.name)]]
    workers = workers or _cpu_count()
    rows, failed = [], False
    # on another CPU, the files are read while spaCy loads here (running/readahead.py)
    with ReadAhead(sources if workers > 1 else (), settings) as ahead:
        from smartspec.extractors.extract import build_toolkit
        from smartspec.running.isolation import process_sources_isolated

        toolkit = build_toolkit()
        for path, outcome in zip(files, process_sources_isolated(sources, toolkit, settings, workers=workers,
                                                                 ahead=ahead)):
            said = {"note": outcome.source.notes}
            if outcome.source.error_message:
                failed = True
                said[outcome.source.status] = outcome.source.error_message
            for kind, message in said.items():
                if message:
                    err_console.print(f"{printable_name(str(path))}: {kind}: {message}",
                                      highlight=False, markup=False, soft_wrap=True)
            rows += [dataclasses.asdict(p) for p in outcome.priorities]
    _print_rows(rows, format)
    if failed and not rows:
        raise typer.Exit(1)


def _cpu_count() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _print_rows(rows: list[dict], fmt: OutputFormat) -> None:
    if fmt is OutputFormat.json:
        console.print_json(json.dumps(rows, ensure_ascii=False))
    elif fmt is OutputFormat.csv:
        buffer = io.StringIO()
        if rows:
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        sys.stdout.write(buffer.getvalue())
    else:
        table = Table("region", "pos", "lvl", "priority", "page", "match")
        for row in rows:
            indent = "  " * (row["level"] - 1)
            # Text, not str: a document's words are printed as written, never read as markup ("[bold]").
            table.add_row(Text(f"{row['region_name']} ({row['region_code']})"), str(row["position"]),
                          str(row["level"]), Text(indent + row["priority"]), str(row["page"]),
                          row["region_match"])
        console.print(table)


@app.command()
def versions(output: OutputOption = None, verbose: VerboseOption = False, config: ConfigOption = None) -> None:
    """List the published versions: row counts and why each exists."""
    settings = _setup(verbose, config, output=output)
    from smartspec.publishing.layout import DATASET
    from smartspec.publishing.manifest import list_versions
    from smartspec.publishing.versions import latest_version, read_manifest

    dataset_dir = settings.output_dir / DATASET
    found = list_versions(dataset_dir)
    if not found:
        console.print(f"no versions published in {dataset_dir}")
        return
    latest = latest_version(dataset_dir)
    table = Table("version", "created (UTC)", "priorities", "sources", "changes", "why", "")
    for info in found:
        reasons = read_manifest(dataset_dir, info.version).get("reasons", [])
        table.add_row(f"v{info.version}", str(info.created_at), str(info.priorities),
                      str(info.sources), str(info.changes), Text("; ".join(reasons)),
                      "latest" if info.version == latest else "")
    console.print(table)


@app.command()
def runs(
    output: OutputOption = None,
    last: Annotated[int, typer.Option("--last", min=1, help="How many of the latest runs.")] = 10,
    verbose: VerboseOption = False,
    config: ConfigOption = None,
) -> None:
    """List the latest runs: when, how long, fetches, sources not ok, version or unchanged.

    From the run record, output/priorities/runs.jsonl (one JSON line per run)."""
    settings = _setup(verbose, config, output=output)
    from smartspec.running.steps import FETCH_OUTCOMES
    from smartspec.publishing.layout import DATASET
    from smartspec.publishing.runs import RUNS_FILE, read_runs

    dataset_dir = settings.output_dir / DATASET
    recorded = read_runs(dataset_dir)[-last:]
    if not recorded:
        console.print(f"no runs recorded in {dataset_dir / RUNS_FILE}")
        return
    table = Table("started (UTC)", "flow", "s", "fetch", "not ok", "result")
    for run_ in recorded:
        fetch = ", ".join(f"{n} {FETCH_OUTCOMES.get(kind, kind)}" for kind, n in run_.get("fetch", {}).items() if n)
        not_ok = ", ".join(f"{row['source_id']} ({row['status']})" for row in run_.get("sources", [])
                           if row.get("status") != "ok")
        version = f" v{run_['version']}" if run_.get("version") else ""
        table.add_row(run_.get("started_at", ""), run_.get("flow", ""), f"{run_.get('seconds', 0):.1f}",
                      fetch, Text(not_ok), f"{run_.get('status', '')}{version}")
    console.print(table)


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="The older version: 3, v3 or latest.")],
    new: Annotated[str, typer.Argument(help="The newer version: 4, v4 or latest.")],
    output: OutputOption = None,
    verbose: VerboseOption = False,
    config: ConfigOption = None,
) -> None:
    """Print, per region, the priorities added and removed between two published versions."""
    settings = _setup(verbose, config, output=output)
    from smartspec.publishing.layout import DATASET
    from smartspec.publishing.diff import diff_lines, diff_versions, parse_version
    from smartspec.publishing.errors import VersionNotFound

    dataset_dir = settings.output_dir / DATASET
    try:
        a, b = parse_version(old, dataset_dir), parse_version(new, dataset_dir)
        changes = diff_versions(dataset_dir, a, b)
    except VersionNotFound as e:
        err_console.print(f"[red]{escape(str(e))}[/red]", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from e
    for line in diff_lines(changes, a, b):
        console.print(line, highlight=False, markup=False, soft_wrap=True)


@app.command()
def report(
    version: Annotated[str, typer.Option("--version", help="The version: 3, v3 or latest.")] = "latest",
    output: OutputOption = None,
    verbose: VerboseOption = False,
    config: ConfigOption = None,
) -> None:
    """Write a version's report: a web page with the map, priorities, changes and sources.

    It goes into v<N>/report/; open index.html in a browser, no network needed."""
    settings = _setup(verbose, config, output=output)
    from smartspec.publishing.layout import DATASET
    from smartspec.publishing.diff import parse_version
    from smartspec.publishing.errors import VersionNotFound
    from smartspec.reporting import write_report

    dataset_dir = settings.output_dir / DATASET
    try:
        index = write_report(dataset_dir, parse_version(version, dataset_dir))
    except VersionNotFound as e:
        err_console.print(f"[red]{escape(str(e))}[/red]", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from e
    console.print(f"wrote {index}", highlight=False, soft_wrap=True)


@app.command()
def partners(
    region: Annotated[str, typer.Argument(help="The region: name, alias or NUTS code (SE331).")],
    top: Annotated[int, typer.Option("--top", min=1, help="How many partners to show.")] = 10,
    version: Annotated[str, typer.Option("--version", help="The version: 3, v3 or latest.")] = "latest",
    output: OutputOption = None,
    verbose: VerboseOption = False,
    config: ConfigOption = None,
) -> None:
    """Show the regions whose priorities share most with REGION's.

    Each with the tags they share and the priorities that match."""
    settings = _setup(verbose, config, output=output)
    from smartspec.extractors.regions import load_gazetteer
    from smartspec.publishing.layout import DATASET
    from smartspec.publishing.diff import parse_version
    from smartspec.publishing.errors import VersionNotFound
    from smartspec.extractors.themes import tag_of
    from smartspec.publishing.partners import partner_lines
    from smartspec.publishing.versions import read_table

    found = load_gazetteer().resolve(region)
    if found is None:
        err_console.print(f"[red]no region {escape(repr(region))}[/red]: give a name, alias or NUTS code", highlight=False)
        raise typer.Exit(2)
    dataset_dir = settings.output_dir / DATASET
    try:
        number = parse_version(version, dataset_dir)
        table, themes = read_table(dataset_dir, "partners", number), read_table(dataset_dir, "themes", number)
    except VersionNotFound as e:
        err_console.print(f"[red]{escape(str(e))}[/red]", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from e
    labels = {tag_of(d, c): label
              for d, c, label in zip(themes["dimension"], themes["code"], themes["label"], strict=True)}
    for line in partner_lines(table, found.code, top=top, version=number, labels=labels):
        console.print(line, highlight=False, markup=False, soft_wrap=True)


@app.command()
def evaluate(
    directory: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="Documents.")],
    truth: Annotated[Path | None, typer.Option("--truth", help="Truth files (default DIR/truth).")] = None,
    verbose: VerboseOption = False,
    config: ConfigOption = None,
) -> None:
    """Score extraction on DIR's documents against their truth files: P/R/F1, missed, invented."""
    _setup(verbose, config)
    from smartspec.evaluation.harness import evaluate_dir, report_lines
    from smartspec.extractors.extract import build_toolkit

    results = evaluate_dir(truth or directory / "truth", directory, build_toolkit())
    sys.stdout.write("\n".join(report_lines(results)) + "\n")


@app.command()
def inspect(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    verbose: VerboseOption = False,
    config: ConfigOption = None,
) -> None:
    """Dump the document model of FILE as JSON, for debugging a reader."""
    _setup(verbose, config)
    from smartspec.extractors.errors import ExtractionError
    from smartspec.extractors.readers import read_document
    from smartspec.inputs.sources import source_id

    try:
        document = read_document(file, source_id=source_id(file.name))
    except ExtractionError as e:
        err_console.print(f"{file}: {e.status}: {e.message}", highlight=False, markup=False)
        raise typer.Exit(1) from e
    sys.stdout.write(json.dumps(dataclasses.asdict(document), ensure_ascii=False, indent=1) + "\n")


@app.command()
def explain(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    region: Annotated[str | None, typer.Option(
        "--region", help="The region, as raw/sources.toml would give it (code or name).")] = None,
    verbose: VerboseOption = False,
    config: ConfigOption = None,
) -> None:
    """Show why FILE gives the priorities it gives, candidate list by candidate list.

    Each candidate with its evidence for and against, the region and the decision."""
    _setup(verbose, config)
    from smartspec.extractors.errors import ExtractionError
    from smartspec.extractors.explain import explain as explain_document
    from smartspec.extractors.extract import build_toolkit
    from smartspec.extractors.readers import read_document
    from smartspec.inputs.sources import source_id

    try:
        document = read_document(file, source_id=source_id(file.name))
    except ExtractionError as e:
        err_console.print(f"{file}: {e.status}: {e.message}", highlight=False, markup=False)
        raise typer.Exit(1) from e
    lines = explain_document(document, build_toolkit(), region=region,
                             source_file=file.name)
    sys.stdout.write("\n".join(lines) + "\n")
