"""A run that would change nothing, known without starting Prefect.

What a refresh publishes is a function of its inputs: each source's path and bytes,
`raw/sources.toml` and `raw/curation.toml`, the settings, and the code and data files of
smartspec itself (extractor, lexicons, taxonomy, publishing). `run_key()` hashes them; the flow
writes the key into its line of the run record. A `smartspec run` by hand that finds the key of
the last run, and the version that run ended with still the latest, knows the result: it says
`unchanged` at once and records the run, instead of waiting for Prefect's ephemeral server.

The key cannot be known without the network or a read when a source is remote (its server may
have a new copy) or could not be hashed: then there is none, and the flow runs. Where a Prefect
server is configured (`PREFECT_API_URL`), the CLI always runs the flow, so that the server has
every run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from smartspec.extractors.curation import CURATION_NAME
from smartspec.extractors.hashing import file_sha256
from smartspec.extractors.settings import Settings
from smartspec.inputs.plan import Input, plan_inputs
from smartspec.inputs.sources import CONFIG_NAME
from smartspec.publishing.layout import DATASET, LATEST_FILE
from smartspec.publishing.locks import run_lock
from smartspec.publishing.runs import append_run, read_runs
from smartspec.reporting import report_path
from smartspec.running.cache import OPERATIONAL_SETTINGS, package_files
from smartspec.running.steps import RunSummary, run_line
from smartspec.schemas.vocabulary import STATUS_OK

KEY_FORMAT = "smartspec-run-key/1"
# The packages whose files decide what a run publishes.
CODE_PACKAGES = tuple(f"smartspec.{name}" for name in (
    "extractors", "fetching", "flows", "inputs", "publishing", "reporting", "running", "schemas"))
_CODE_SUFFIXES = frozenset({".py", ".csv", ".json", ".jsonl", ".toml", ".txt", ".yml", ".html", ".css", ".js"})
# Run statuses after which the latest version is what those inputs give.
_SETTLED = ("published", "unchanged")


@cache
def code_digest() -> str:
    """sha256 over the code and data files of smartspec's packages, as installed."""
    digest = hashlib.sha256()
    for package in CODE_PACKAGES:
        root = Path(importlib.import_module(package).__file__).parent
        for path in sorted(package_files(root, _CODE_SUFFIXES)):
            digest.update(f"{package}/{path.relative_to(root).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    return file_sha256(path) if path.is_file() else "absent"


def run_key(settings: Settings, files: Iterable[tuple[str, str, str | None]]) -> str | None:
    """The hash of everything a run's result depends on, given each source's (id, file under
    raw/, sha256); None when a sha256 is missing (a source that could not be read or hashed)."""
    parts = [KEY_FORMAT, code_digest(), json.dumps(_settings(settings), sort_keys=True),
             _file_digest(settings.raw_dir / CONFIG_NAME), _file_digest(settings.raw_dir / CURATION_NAME)]
    for source_id, source_file, sha256 in sorted(files):
        if sha256 is None:
            return None
        parts.append(f"{source_id}\t{source_file}\t{sha256}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def local_files(inputs: Sequence[Input]) -> list[tuple[str, str, str | None]] | None:
    """Each input's (id, file under raw/, sha256), hashing the files; None when a source is
    remote or refused: what it would give is not known without the network or the flow."""
    files: list[tuple[str, str, str | None]] = []
    for item in inputs:
        if item.remote or item.file is None or item.refusal is not None:
            return None
        try:
            files.append((item.source_id, item.file.relative, file_sha256(item.file.path)))
        except OSError:
            return None
    return files


def _settings(settings: Settings) -> dict[str, str]:
    """The settings a result depends on (folders, workers and fetching aside)."""
    return {f.name: str(getattr(settings, f.name)) for f in dataclasses.fields(settings)
            if f.name not in OPERATIONAL_SETTINGS}


def settle_unchanged(settings: Settings) -> RunSummary | None:
    """For a refresh by hand: when its inputs are the last run's and that run's version is the
    latest, record this run as `unchanged` (under the run lock) and return its summary; else
    None, and the flow must run."""
    files = local_files(plan_inputs(settings.raw_dir))
    last = unchanged_run(settings, run_key(settings, files) if files is not None else None)
    if last is None:
        return None
    started_at = datetime.now(UTC)
    sources = last.get("sources", [])
    not_ok = [row for row in sources if row.get("status") != STATUS_OK]
    summary = RunSummary(
        sources_ok=len(sources) - len(not_ok), sources_failed=len(not_ok), regions=last.get("regions", 0),
        priorities=last.get("priorities", 0), status="unchanged", version=last["version"],
        failed=tuple((row["source_id"], row["status"], row.get("error", "")) for row in not_ok),
    )
    dataset_dir = settings.output_dir / DATASET
    checked = f"nothing read: the inputs of the run of {last.get('started_at')}, whose v{last['version']} is the latest"
    summary = dataclasses.replace(summary, note=checked)
    report = report_path(dataset_dir.resolve(), last["version"])
    if report.is_file():
        summary = dataclasses.replace(summary, report=str(report))
    with run_lock(settings.output_dir):
        append_run(dataset_dir, run_line("refresh", None, started_at, summary,
                                         [{**row, "read": "not read"} for row in sources],
                                         key=last["key"], checked=checked))
    return summary


def unchanged_run(settings: Settings, key: str | None) -> dict[str, Any] | None:
    """The last run's record when a run with `key` would change nothing: that run had this key
    and ended with the version that is still the latest; None otherwise."""
    if key is None:
        return None
    dataset_dir = settings.output_dir / DATASET
    runs = read_runs(dataset_dir)
    if not runs or runs[-1].get("key") != key or runs[-1].get("status") not in _SETTLED:
        return None
    try:
        latest = json.loads((dataset_dir / LATEST_FILE).read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return runs[-1] if runs[-1].get("version") == latest else None
