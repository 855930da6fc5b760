"""Nothing lost to one bad copy: last good rows for a source that fails, quarantine for a
source whose rows do not validate.

A source that had priorities in the latest version and now fails (its file damaged,
truncated or unreadable, its download not a document, its rows invalid) keeps that
version's priorities in the new one; its `sources` row is `stale`, with the failure in
`error_message` and the sha256 (and page count, file, ...) of the good copy the rows come
from. A file deleted from raw/ has no row at all: that is a removal, not a failure.

A validation failure that names sources quarantines them (`invalid`, the failing checks in
`error_message`, no rows; then their last good rows, if any), so one source's bad rows do
not stop the others from publishing. A failure that names no source is the run's.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from smartspec.extractors.records import PriorityRecord
from smartspec.extractors.records import SourceOutcome
from smartspec.publishing.errors import ValidationFailed, VersionNotFound
from smartspec.publishing.tables import failure_message
from smartspec.publishing.versions import latest_version, read_version
from smartspec.schemas.priorities import BBOX_FIELDS, PrioritySchema
from smartspec.schemas.sources import SourceSchema
from smartspec.schemas.vocabulary import (
    ID_CLASH_ERROR,
    STATUS_INVALID,
    STATUS_STALE,
    STATUSES_KEEPING_LAST_GOOD,
    STATUSES_WITH_PRIORITIES,
    VALIDATION_ERROR,
)

logger = logging.getLogger(__name__)

# What a stale row takes from its last good copy's row: the facts of the file its rows come from.
GOOD_COPY_FIELDS = (
    "source_file", "format", "sha256", "bytes", "pages", "region_count", "priority_count", "scope",
    "region_evidence", "encoding", "notes",
)


@dataclass(frozen=True, slots=True)
class LastGood:
    """A source's row and priorities in the latest published version."""

    row: Mapping[str, Any]
    priorities: tuple[PriorityRecord, ...]


def last_good(dataset_dir: Path) -> dict[str, LastGood]:
    """Source id -> its rows in the latest version, for every source that had priorities there."""
    version = latest_version(dataset_dir)
    if version is None:
        return {}
    try:
        priorities, sources, _ = read_version(dataset_dir, version)
    except VersionNotFound:
        return {}
    grouped = {str(source_id): rows for source_id, rows in priorities.groupby(PrioritySchema.source_id)}
    found = {}
    for row in sources.to_dict("records"):
        source_id = row[SourceSchema.source_id]
        if row[SourceSchema.status] in STATUSES_WITH_PRIORITIES and source_id in grouped:
            records = tuple(_priority(r) for r in grouped[source_id].to_dict("records"))
            found[source_id] = LastGood({k: _plain(v) for k, v in row.items()}, records)
    return found


def keep_last_good(outcomes: list[SourceOutcome], previous: Mapping[str, LastGood]) -> list[SourceOutcome]:
    """`outcomes` with each source that failed and had priorities before made stale."""
    return [_stale(o, previous[o.source.source_id]) if _falls_back(o, previous) else o for o in outcomes]


def _falls_back(outcome: SourceOutcome, previous: Mapping[str, LastGood]) -> bool:
    record = outcome.source
    return (record.status in STATUSES_KEEPING_LAST_GOOD and record.source_id in previous
            and record.error_type != ID_CLASH_ERROR)  # a refused entry is another source under that id


def _stale(outcome: SourceOutcome, good: LastGood) -> SourceOutcome:
    failure = outcome.source
    kept = {name: good.row.get(name) for name in GOOD_COPY_FIELDS}
    message = (f"{failure.error_message}; keeping the {len(good.priorities)} priorities of its last good copy "
               f"(sha256 {str(kept['sha256'])[:12]})")
    logger.warning("%s: %s", failure.source_id, message)
    record = dataclasses.replace(failure, **kept, status=STATUS_STALE, error_message=message)
    return SourceOutcome(record, good.priorities, cached=outcome.cached)


def quarantine(outcomes: list[SourceOutcome], failure: ValidationFailed) -> list[SourceOutcome] | None:
    """`outcomes` with every source the failure names made `invalid` (no rows, the failing
    checks in its message); None when some failing check names no source."""
    cases = failure.failure_cases
    if cases.empty or cases["source_id"].isna().any():
        return None
    messages = {str(source_id): failure_message(group) for source_id, group in cases.groupby("source_id")}
    if not messages.keys() <= {o.source.source_id for o in outcomes}:
        return None
    return [_invalid(o, messages[o.source.source_id]) if o.source.source_id in messages else o for o in outcomes]


def _invalid(outcome: SourceOutcome, checks: str) -> SourceOutcome:
    message = f"validation failed, quarantined: {checks}"
    logger.warning("%s: %s", outcome.source.source_id, message)
    record = dataclasses.replace(outcome.source, status=STATUS_INVALID, error_type=VALIDATION_ERROR,
                                 error_message=message, region_count=0, priority_count=0)
    return SourceOutcome(record, (), cached=outcome.cached)


def _priority(row: Mapping[str, Any]) -> PriorityRecord:
    """A published priorities row as the record it was made from (fields it lacks: defaults)."""
    values = {f.name: _plain(row[f.name]) for f in dataclasses.fields(PriorityRecord) if f.name in row}
    bbox = values.get(PrioritySchema.bbox)
    if isinstance(bbox, Mapping):
        values[PrioritySchema.bbox] = tuple(float(bbox[name]) for name in BBOX_FIELDS)
    return PriorityRecord(**values)


def _plain(value: Any) -> Any:
    """A value of a pandas row as the plain Python value a record holds (NA -> None)."""
    if isinstance(value, Mapping):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value
