"""The flows `refresh` and `reextract`: discover -> fetch -> read/extract -> tabulate -> validate -> tag -> publish.

Thin by design: every step is a library function wrapped as a task where it is used.
`refresh` fetches every remote source and extracts what the cache cannot answer;
`reextract` re-fetches and re-extracts only the sources named, or those of the regions
named, and takes the rest from their current snapshots and the cache. Both tag every
priority with the theme taxonomy (`smartspec.flows.themes`, cached by text) before publishing.

The per-source task runs on the flow's task runner: the default runs one source at a time;
`task_runner_for()` gives a process pool or a Dask cluster, set with
`refresh.with_options(task_runner=...)`. Outcomes are gathered in source-id order, so the
dataset is the same whichever runner ran them.
"""

# No `from __future__ import annotations` here: Prefect builds each flow's parameter model from
# its annotations, and in a served run it cannot resolve a string one ("Settings") to the class.
import dataclasses
import logging
import os
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import pandas as pd

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from smartspec.extractors.curation import CurationEntry, load_curation
from smartspec.extractors.regions import load_gazetteer
from smartspec.extractors.settings import Settings, absolute_folders
from smartspec.inputs.sources import SourceFile, check_raw_dir
from smartspec.extractors.themes import load_taxonomy
from smartspec.fetching import FetchPolicy, FetchResult, fetch_source, restore_current, snapshots_root
from smartspec.flows import progress
from smartspec.running.fallback import LastGood, keep_last_good, last_good, quarantine
from smartspec.flows.logs import collected_warnings, operator_logging, reaches_prefect_api
from smartspec.flows.noop import run_key
from smartspec.inputs.plan import (
    Input,
    annotate,
    plan_inputs,
    recorded_fetch,
    snapshot_source,
    unavailable,
)
from smartspec.flows.reports import (
    CHANGES_ARTIFACT,
    REPORT_ARTIFACT,
    SOURCES_ARTIFACT,
    changes_markdown,
    failure_markdown,
    source_rows,
)
from smartspec.flows.runners import SharedServerProcessPool
from smartspec.running.incremental import choose_sources, extract_source, hash_inputs
from smartspec.extractors.records import SourceOutcome
from smartspec.running.steps import DATASET, RunSummary, code_version, fetch_counts, run_record, summarise
from smartspec.flows.themes import tag_themes
from smartspec.publishing.tables import (
    ValidationFailed,
    priorities_frame,
    sources_frame,
    validate,
    write_failure_cases,
)
from smartspec.publishing.locks import run_lock
from smartspec.publishing.preflight import check_output, check_removals
from smartspec.publishing.renditions import renditions_agree
from smartspec.publishing.runs import append_run
from smartspec.publishing.versions import publish
from smartspec.reporting import report_path, write_report
from smartspec.schemas.vocabulary import STATUSES_KEEPING_LAST_GOOD

logger = logging.getLogger(__name__)

# One source at a time, in the flow's process (a thread of it).
SEQUENTIAL = ThreadPoolTaskRunner(max_workers=1)

# Retries live inside fetch_source (backoff on network errors and 5xx); none here on top.
fetch_task = task(fetch_source, name="fetch", retries=0, cache_policy=NO_CACHE, task_run_name="fetch-{config.id}")


def _extract(source: SourceFile, settings: Settings, *, use_cache: bool, curation: CurationEntry | None,
             flow_pid: int) -> SourceOutcome:
    """`extract_source()` as the task; on a process other than the flow's whose logging does
    not reach the Prefect API, what it warned of comes back with the outcome, and the flow logs it."""
    if os.getpid() == flow_pid or reaches_prefect_api():
        return extract_source(source, settings, use_cache=use_cache, curation=curation)
    with collected_warnings() as warned:
        outcome = extract_source(source, settings, use_cache=use_cache, curation=curation)
    return dataclasses.replace(outcome, worker_warnings=tuple(warned))


extract_task = task(_extract, name="extract", cache_policy=NO_CACHE, task_run_name="extract-{source.source_id}")


# Values of `Settings.worker_pool`.
THREADS, PROCESSES = "threads", "processes"


def task_runner_for(settings: Settings) -> TaskRunner:
    """Where the per-source tasks run: a Dask cluster, N at once locally, or in sequence.

    Locally, every document is read in a child process of its own either way
    (`smartspec.running.isolation`). With `worker_pool = "threads"` the N tasks are threads of the flow's
    process that fork those children; with "processes", Prefect's process pool, whose
    worker interpreters each import Prefect and build the pipelines before their first task
    and pay Prefect's task hand-over on every one: slower than threads (README, "Parallel
    extraction"; `benchmarks/run.py` measures both).
    """
    if settings.dask_address:
        from prefect_dask import DaskTaskRunner  # only a run on a cluster needs Dask

        return DaskTaskRunner(address=settings.dask_address)
    if settings.worker_pool not in (THREADS, PROCESSES):
        raise ValueError(f"worker_pool must be {THREADS!r} or {PROCESSES!r}, not {settings.worker_pool!r}")
    if settings.workers > 1 and settings.worker_pool == PROCESSES:
        return SharedServerProcessPool(max_workers=settings.workers)  # workers share the flow's API
    return ThreadPoolTaskRunner(max_workers=max(settings.workers, 1))


def fetch_policy(settings: Settings) -> FetchPolicy:
    return FetchPolicy(timeout=settings.fetch_timeout, retries=settings.fetch_retries,
                       backoff=settings.fetch_backoff, max_bytes=settings.fetch_max_bytes,
                       deadline=settings.fetch_deadline_s)


# The flows take the run's `Settings` as they were loaded and checked (by the command, or by
# `smartspec serve` for its deployments), not the path of a file to read again: a frozen
# dataclass of plain values (folders, numbers, text), which Prefect shows as a form and
# validates back from the JSON a deployment keeps.


@flow(name="refresh", task_runner=SEQUENTIAL, log_prints=False)
def refresh(
    settings: Settings, use_cache: bool = True, lock_wait_s: float = 0.0, allow_removal: bool = False,
) -> RunSummary:
    """Fetch remote sources, extract every source the cache cannot answer, publish if the data changed.

    One run at a time per output folder: while another holds it, this one waits up to
    `lock_wait_s` seconds (0: not at all), then fails with `RunLocked` having done nothing.
    A raw/ that is absent or empty, or an output folder that cannot hold versions, fails the
    run before it starts; so does, before publishing, removing more than `max_removed_share`
    of the previous version's sources, unless `allow_removal`.
    """
    settings = absolute_folders(settings)  # a task may run in a process whose working folder differs
    _check_folders(settings)
    with operator_logging(), run_lock(settings.output_dir, timeout=lock_wait_s):
        inputs = task(plan_inputs, cache_policy=NO_CACHE)(settings.raw_dir)
        return _update(settings, inputs, chosen=None, use_cache=use_cache, allow_removal=allow_removal)


@flow(name="reextract", task_runner=SEQUENTIAL, log_prints=False)
def reextract(
    settings: Settings,
    regions: list[str] | None = None,
    sources: list[str] | None = None,
    lock_wait_s: float = 0.0,
    allow_removal: bool = False,
) -> RunSummary:
    """Re-fetch and re-extract the sources named and those of the regions named (by name or
    NUTS code), ignoring the cache; the others come from their snapshots and the cache.
    One run at a time per output folder, and the same checks, as for `refresh`."""
    settings = absolute_folders(settings)
    _check_folders(settings)
    with operator_logging(), run_lock(settings.output_dir, timeout=lock_wait_s):
        inputs = task(plan_inputs, cache_policy=NO_CACHE)(settings.raw_dir)
        inputs = task(hash_inputs, cache_policy=NO_CACHE)(settings, inputs)  # once, for the choice and the cache
        chosen = task(choose_sources, cache_policy=NO_CACHE)(settings, inputs, regions or [], sources or [])
        logger.info("re-extracting %s", ", ".join(sorted(chosen)))
        return _update(settings, inputs, chosen=chosen, use_cache=True, allow_removal=allow_removal)


def _check_folders(settings: Settings) -> None:
    """A run's own problems, found before it starts: raw/ absent or empty, output unusable."""
    check_raw_dir(settings.raw_dir)
    check_output(settings.output_dir, settings.output_dir / DATASET)


def _update(
    settings: Settings, inputs: list[Input], *, chosen: Collection[str] | None, use_cache: bool,
    allow_removal: bool = False,
) -> RunSummary:
    """The steps both flows share. `chosen` None: every source is fetched and may be cached;
    otherwise only the chosen ones are fetched, and they are extracted afresh."""
    def picked(item: Input) -> bool:
        return chosen is None or item.source_id in chosen

    started_at = datetime.now(UTC)
    snapshots = snapshots_root(settings.raw_dir)
    policy = fetch_policy(settings)
    fetches: dict[str, FetchResult] = {
        item.source_id: fetch_task(item.config, snapshots, policy=policy) if picked(item)
        else recorded_fetch(snapshots, item.config)
        for item in inputs if item.remote
    }
    fetched = {item.source_id: fetches[item.source_id] for item in inputs if item.remote and picked(item)}

    curation = load_curation(settings.raw_dir)
    for source_id in sorted(set(curation) - {item.source_id for item in inputs}):
        logger.warning("%s: raw/curation.toml has an entry for this source id, but no source has it", source_id)
    futures, outcomes = {}, {}
    for item in inputs:
        source = item.file
        if item.remote:
            source = snapshot_source(settings.raw_dir, item.config, fetches[item.source_id])
        if source is None:
            outcomes[item.source_id] = unavailable(settings.raw_dir, item, fetches.get(item.source_id))
            continue
        fresh = not use_cache or (chosen is not None and picked(item))
        futures[item.source_id] = extract_task.submit(source, settings, use_cache=not fresh, flow_pid=os.getpid(),
                                                      curation=curation.get(item.source_id))
    for done, (source_id, future) in enumerate(futures.items(), start=1):
        outcomes[source_id] = future.result()
        for message in outcomes[source_id].worker_warnings:  # the flow run's own log, whoever set up logging
            get_run_logger().warning("%s, on a worker: %s", source_id, message)
        progress.report(done, len(futures), source_id, outcomes[source_id].outcome)
    for source_id, fetch in fetches.items():  # a download that cannot be read does not replace a good one
        if fetch.replaced is not None and outcomes[source_id].source.status in STATUSES_KEEPING_LAST_GOOD:
            restore_current(snapshots, source_id, fetch.replaced)

    ordered: list[SourceOutcome] = [
        annotate(outcomes[item.source_id], item.config, fetches.get(item.source_id), document_id=item.document_id)
        for item in inputs
    ]
    # the files as read (a stale source's last good copy comes in below)
    key = None if any(item.remote for item in inputs) else run_key(
        settings, [(o.source.source_id, o.source.source_file, o.source.sha256) for o in ordered])
    dataset_dir = settings.output_dir / DATASET
    if not allow_removal:
        check_removals(dataset_dir, [o.source.source_id for o in ordered], max_share=settings.max_removed_share)
    previous = last_good(dataset_dir)
    ordered = keep_last_good(ordered, previous)
    agree = renditions_agree([o.source for o in ordered], [p for o in ordered for p in o.priorities])
    ordered = [
        dataclasses.replace(o, source=dataclasses.replace(o.source, renditions_agree=agree[o.source.source_id]))
        for o in ordered
    ]
    create_table_artifact(
        key=SOURCES_ARTIFACT, table=source_rows(ordered),
        description="Each source of the run: cached, extracted or not read; its status and why; its fetch.",
    )

    def record(summary: RunSummary) -> RunSummary:
        summary = dataclasses.replace(summary, fetches=fetch_counts(fetched.values()))
        append_run(dataset_dir, run_record(flow_run.get_flow_name() or "", flow_run.get_id(), started_at, summary,
                                           ordered, fetched, key=key))
        return summary

    try:
        return record(_publish(settings, ordered, previous))
    except ValidationFailed:
        record(summarise(ordered, "invalid", None))
        raise


def _publish(settings: Settings, outcomes: list[SourceOutcome], previous: Mapping[str, LastGood]) -> RunSummary:
    """Validate and publish. Sources whose rows fail validation are quarantined (and fall back
    to their last good rows); a failure that names no source fails the run."""
    dataset_dir = settings.output_dir / DATASET
    try:
        priorities, source_rows_frame = _validated(outcomes)
    except ValidationFailed as e:
        write_failure_cases(e, dataset_dir)
        quarantined = quarantine(outcomes, e)
        if quarantined is None:
            _failed_run(e)
        outcomes = keep_last_good(quarantined, previous)
        try:
            priorities, source_rows_frame = _validated(outcomes)
        except ValidationFailed as again:  # what fails now is the run's
            write_failure_cases(again, dataset_dir)
            _failed_run(again)
    themes = task(tag_themes, cache_policy=NO_CACHE)(priorities, settings, load_taxonomy())
    result = task(publish, cache_policy=NO_CACHE)(
        priorities, source_rows_frame, dataset_dir, code_version=code_version(),
        inputs={o.source.source_id: o.source.sha256 or "" for o in outcomes}, themes=themes,
    )
    create_markdown_artifact(
        key=CHANGES_ARTIFACT, markdown=changes_markdown(result.status, result.version, result.changes),
        description="What this run's version added and removed, per region.",
    )
    summary = summarise(outcomes, result.status, result.version)
    if result.version is None:
        return summary
    return dataclasses.replace(summary, report=str(_report(dataset_dir, result.version, result.status)))


def _report(dataset_dir: Path, version: int, status: str) -> Path:
    """The version's report, written for a new version (or one that has none yet), linked as an artifact."""
    index = report_path(dataset_dir, version)
    if status == "published" or not index.is_file():
        index = task(write_report, cache_policy=NO_CACHE)(dataset_dir, version)
    create_link_artifact(
        key=REPORT_ARTIFACT, link=index.as_uri(), link_text=f"Report of v{version}",
        description="The version's report: map of regions, priorities, changes and sources (open from disk).",
    )
    return index


def _failed_run(failure: ValidationFailed) -> NoReturn:
    create_markdown_artifact(key=CHANGES_ARTIFACT, markdown=failure_markdown(failure.message))
    raise failure


def _validated(outcomes: list[SourceOutcome]) -> tuple[pd.DataFrame, pd.DataFrame]:
    priorities = priorities_frame([p for o in outcomes for p in o.priorities])
    return task(validate, cache_policy=NO_CACHE)(
        priorities, sources_frame([o.source for o in outcomes]), region_codes=load_gazetteer().codes,
        source_ids=[o.source.source_id for o in outcomes],
    )
