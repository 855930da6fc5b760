"""Why a version exists: what its data says that the version before it did not.

A version is a change of published data: of the priorities, of the theme tags or taxonomy,
or of what a source's document says (which document, by sha256, rows come from; its status,
scope, metadata or curation, or that its rows now come from an older copy: `stale`).
`publish()` stores these reasons in the version's manifest, and the changelog prints them.
What a run went through (a fetch that failed, a 304, a source added that fails) is no
reason: it is in the run record (publishing/runs.py).
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from smartspec.publishing.parquet import data_sources
from smartspec.schemas.priorities import PrioritySchema
from smartspec.schemas.sources import SourceSchema

FIRST_VERSION = "first version"
# Columns of a source's row that each make their own reason when they change (the rest, read
# from the document, are summed up by status, sha256 and priorities).
_DESCRIBED = (SourceSchema.url, SourceSchema.publisher, SourceSchema.published, SourceSchema.curation,
              SourceSchema.review_candidates, SourceSchema.scope)
# What identifies a priority within its source, in order: a change here is a changed list.
_ITEM = (PrioritySchema.region_code, PrioritySchema.level, PrioritySchema.position, PrioritySchema.priority)


def _count(priorities: int) -> str:
    return f"{priorities} {'priority' if priorities == 1 else 'priorities'}"


def _items(priorities: pd.DataFrame, source_id: str) -> list[tuple]:
    rows = priorities.loc[priorities[PrioritySchema.source_id] == source_id, list(_ITEM)]
    return sorted(rows.itertuples(index=False, name=None))


def _item_counts(before: list[tuple], after: list[tuple]) -> str:
    if before == after:
        return "same priorities"
    old, new = ({(region, priority) for region, _, _, priority in items} for items in (before, after))
    added, removed = len(new - old), len(old - new)
    if not added and not removed:
        return "the same priorities, reordered or renested"
    return f"{_count(added)} added, {removed} removed"


def _value(row: pd.Series, column: str) -> str:
    value = row[column]
    return "none" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _source_reasons(source_id: str, old: pd.Series, new: pd.Series, before: pd.DataFrame,
                    after: pd.DataFrame) -> list[str]:
    s = SourceSchema
    items = _item_counts(_items(before, source_id), _items(after, source_id))
    reasons = []
    if _value(old, s.sha256) != _value(new, s.sha256):
        reasons.append(f"source {source_id} replaced (sha256 {_value(old, s.sha256)[:12]} -> "
                       f"{_value(new, s.sha256)[:12]}): {items}")
    elif items != "same priorities":
        reasons.append(f"source {source_id}: {items}")
    if old[s.status] != new[s.status]:
        reasons.append(f"source {source_id}: {old[s.status]} -> {new[s.status]}")
    changed = [column for column in _DESCRIBED if _value(old, column) != _value(new, column)]
    if changed:
        reasons.append(f"source {source_id}: {', '.join(changed)} changed")
    return reasons


def version_reasons(
    before: tuple[pd.DataFrame, pa.Table] | None, after: tuple[pd.DataFrame, pa.Table],
    *, taxonomy_before: dict[str, str] | None = None, taxonomy_after: dict[str, str] | None = None,
    tags_changed: bool = False,
) -> list[str]:
    """Why the version with `after` (priorities, sources as Arrow) follows the one with `before`
    (None: there was none), one line each, sources in id order. Never empty: data that differs
    in no way named here (a column added to the format) is "the data format changed"."""
    if before is None:
        return [FIRST_VERSION]
    (old_priorities, old_arrow), (new_priorities, new_arrow) = before, after
    old = data_sources(old_arrow).to_pandas().set_index(SourceSchema.source_id)
    new = data_sources(new_arrow).to_pandas().set_index(SourceSchema.source_id)
    reasons = []
    for source_id in sorted(set(old.index) | set(new.index)):
        if source_id not in old.index:
            count = int((new_priorities[PrioritySchema.source_id] == source_id).sum())
            status = new.loc[source_id, SourceSchema.status]
            reasons.append(f"source {source_id} added: {_count(count)}" if count
                           else f"source {source_id} added: {status}")
        elif source_id not in new.index:
            reasons.append(f"source {source_id} removed")
        else:
            reasons += _source_reasons(source_id, old.loc[source_id], new.loc[source_id], old_priorities,
                                       new_priorities)
    if (taxonomy_before or {}).get("sha256") != (taxonomy_after or {}).get("sha256"):
        reasons.append("the theme taxonomy changed")
    elif tags_changed:
        reasons.append("theme tags changed")
    return reasons or ["the data format changed"]
