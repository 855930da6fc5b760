"""The `smartspec` command line. Commands parse options, set up logging and call a function."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import logging
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from extractors.settings import Settings, load_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
console = Console()
err_console = Console(stderr=True)
logger = logging.getLogger(__name__)

CONFIG = Path("pyproject.toml")
# Prefect keeps its database and settings here unless PREFECT_HOME says otherwise.
LOCAL_PREFECT_HOME = Path(".smartspec") / "prefect"

RawOption = Annotated[Path | None, typer.Option("--raw", help="Folder of source documents.")]
OutputOption = Annotated[Path | None, typer.Option("--output", help="Folder of published data.")]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Log what each step does.")]


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def _setup(verbose: bool, *, raw: Path | None = None, output: Path | None = None) -> Settings:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    return load_settings(CONFIG, raw_dir=raw, output_dir=output)


def _use_local_prefect(verbose: bool) -> None:
    """Point Prefect at a project-local home and keep its console quiet unless asked."""
    os.environ.setdefault("PREFECT_HOME", str(LOCAL_PREFECT_HOME.resolve()))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no network here to send it
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@app.command()
def run(raw: RawOption = None, output: OutputOption = None, verbose: VerboseOption = False) -> None:
    """Run the refresh flow on raw/ and publish a new version if the data changed."""
    settings = _setup(verbose, raw=raw, output=output)
    _use_local_prefect(verbose)
    from flows.extract_priorities import (
        refresh,  # Prefect only loads for commands that need it
    )
    from publishing.tables import ValidationFailed

    try:
        summary = refresh(
            raw_dir=str(settings.raw_dir), output_dir=str(settings.output_dir), config=str(CONFIG)
        )
    except ValidationFailed as e:
        err_console.print(f"[red]validation failed, nothing published:[/red] {e}")
        raise typer.Exit(1) from e
    for line in summary.lines():
        console.print(line, highlight=False)


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, help="Documents.")],
    format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
    verbose: VerboseOption = False,
) -> None:
    """Print the priorities of FILES without Prefect and without publishing."""
    settings = _setup(verbose)
    from extractors.extract import build_toolkit
    from extractors.sources import SourceFile, source_id
    from flows.steps import process_source

    toolkit = build_toolkit(settings)
    rows, failed = [], False
    for path in files:
        source = SourceFile(source_id(path.name), path, path.name)
        outcome = process_source(source, toolkit)
        if outcome.source.error_message:
            failed = True
            err_console.print(
                f"{path}: {outcome.source.status}: {outcome.source.error_message}", highlight=False
            )
        rows += [dataclasses.asdict(p) for p in outcome.priorities]
    _print_rows(rows, format)
    if failed and not rows:
        raise typer.Exit(1)


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
            table.add_row(f"{row['region_name']} ({row['region_code']})", str(row["position"]),
                          str(row["level"]), indent + row["priority"], str(row["page"]),
                          row["region_match"])
        console.print(table)


@app.command()
def versions(output: OutputOption = None, verbose: VerboseOption = False) -> None:
    """List the published versions with their row counts."""
    settings = _setup(verbose, output=output)
    from flows.steps import DATASET
    from publishing.versions import latest_version, list_versions

    dataset_dir = settings.output_dir / DATASET
    found = list_versions(dataset_dir)
    if not found:
        console.print(f"no versions published in {dataset_dir}")
        return
    latest = latest_version(dataset_dir)
    table = Table("version", "created (UTC)", "priorities", "sources", "changes", "")
    for info in found:
        table.add_row(f"v{info.version}", str(info.created_at), str(info.priorities),
                      str(info.sources), str(info.changes), "latest" if info.version == latest else "")
    console.print(table)


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="The older version: 3, v3 or latest.")],
    new: Annotated[str, typer.Argument(help="The newer version: 4, v4 or latest.")],
    output: OutputOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Print, per region, the priorities added and removed between two published versions."""
    settings = _setup(verbose, output=output)
    from flows.steps import DATASET
    from publishing.diff import diff_lines, diff_versions, parse_version
    from publishing.errors import VersionNotFound

    dataset_dir = settings.output_dir / DATASET
    try:
        a, b = parse_version(old, dataset_dir), parse_version(new, dataset_dir)
        changes = diff_versions(dataset_dir, a, b)
    except VersionNotFound as e:
        err_console.print(f"[red]{e}[/red]", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from e
    for line in diff_lines(changes, a, b):
        console.print(line, highlight=False, markup=False, soft_wrap=True)


@app.command()
def evaluate(
    directory: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="Documents.")],
    truth: Annotated[Path | None, typer.Option("--truth", help="Truth files (default DIR/truth).")] = None,
    verbose: VerboseOption = False,
) -> None:
    """Score extraction on DIR's documents against their truth files: P/R/F1, missed, invented."""
    settings = _setup(verbose)
    from evaluation.harness import evaluate_dir, report_lines
    from extractors.extract import build_toolkit

    results = evaluate_dir(truth or directory / "truth", directory, build_toolkit(settings))
    sys.stdout.write("\n".join(report_lines(results)) + "\n")


@app.command()
def inspect(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    verbose: VerboseOption = False,
) -> None:
    """Dump the document model of FILE as JSON, for debugging a reader."""
    _setup(verbose)
    from extractors.errors import ExtractionError
    from extractors.readers import read_document
    from extractors.sources import source_id

    try:
        document = read_document(file, source_id=source_id(file.name))
    except ExtractionError as e:
        err_console.print(f"{file}: {e.status}: {e.message}", highlight=False)
        raise typer.Exit(1) from e
    sys.stdout.write(json.dumps(dataclasses.asdict(document), ensure_ascii=False, indent=1) + "\n")
