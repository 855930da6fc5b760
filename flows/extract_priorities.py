"""The `refresh` flow: discover -> read -> extract -> tabulate -> validate -> publish.

Thin by design: every step is a library function wrapped as a task where it is used.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from extractors.extract import build_toolkit
from extractors.settings import load_settings
from extractors.sources import discover
from flows.steps import DATASET, RunSummary, code_version, process_source, summarise
from publishing.tables import (
    ValidationFailed,
    priorities_frame,
    sources_frame,
    validate,
    write_failure_cases,
)
from publishing.versions import publish


@flow(name="refresh", log_prints=False)
def refresh(raw_dir: str = "raw", output_dir: str = "output", config: str = "pyproject.toml") -> RunSummary:
    """Extract every source under raw_dir and publish a new version if the data changed."""
    settings = load_settings(Path(config), raw_dir=raw_dir, output_dir=output_dir)
    sources = task(discover, cache_policy=NO_CACHE)(settings.raw_dir)
    toolkit = task(build_toolkit, cache_policy=NO_CACHE)(settings)
    step = task(process_source, cache_policy=NO_CACHE, task_run_name="extract-{source.source_id}")
    outcomes = [step(source, toolkit) for source in sources]

    priorities = priorities_frame([p for o in outcomes for p in o.priorities])
    source_rows = sources_frame([o.source for o in outcomes])
    dataset_dir = settings.output_dir / DATASET
    try:
        priorities, source_rows = task(validate, cache_policy=NO_CACHE)(
            priorities, source_rows, region_codes=toolkit.gazetteer.codes
        )
    except ValidationFailed as e:
        write_failure_cases(e, dataset_dir)
        raise
    result = task(publish, cache_policy=NO_CACHE)(
        priorities, source_rows, dataset_dir, code_version=code_version(),
        inputs={o.source.source_id: o.source.sha256 or "" for o in outcomes},
    )
    return summarise(outcomes, result.status, result.version)
