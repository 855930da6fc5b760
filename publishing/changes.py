"""What one dataset version added and removed compared with the one before it.

Priorities are matched on (region_code, level, priority_key) as a multiset: each side's
rows are numbered within their key, and a numbered row with no partner on the other side
is a change. Rewording one priority gives one `removed` and one `added` row; moving a
priority up or down the list (or to another page or source of the same region) gives none.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from smartspec.publishing.parquet import ROW_ORDER
from smartspec.publishing.tables import typed_frame
from smartspec.schemas.changes import CHANGE_ADDED, CHANGE_REMOVED, ChangeSchema, MATCH_KEY
from smartspec.schemas.priorities import PrioritySchema
from smartspec.schemas.vocabulary import METHOD_CURATED

logger = logging.getLogger(__name__)

_OCCURRENCE = "_occurrence"
# Within a key, number rows in reading order so the same data always pairs the same way.
_READING_ORDER = (PrioritySchema.source_id, PrioritySchema.position, PrioritySchema.priority)


def empty_changes() -> pd.DataFrame:
    return typed_frame(ChangeSchema, {})


def _numbered(priorities: pd.DataFrame) -> pd.DataFrame:
    carried = [name for name in ChangeSchema.to_schema().columns if name in priorities.columns]
    return number_within(priorities, MATCH_KEY, _READING_ORDER)[[*carried, _OCCURRENCE]]


def number_within(rows: pd.DataFrame, key: Sequence[str], order: Sequence[str]) -> pd.DataFrame:
    """`rows` sorted by `key` then `order`, each numbered within its key from 0: the members of a multiset."""
    numbered = rows.sort_values([*key, *order], kind="stable").reset_index(drop=True)
    numbered[_OCCURRENCE] = numbered.groupby(list(key), sort=False).cumcount()
    return numbered


def unpaired(side: pd.DataFrame, other: pd.DataFrame, key: Sequence[str]) -> pd.DataFrame:
    """The rows of `side` (numbered by `number_within`) that no row of `other` has the key and number of."""
    on = [*key, _OCCURRENCE]
    merged = side.merge(other[on], on=on, how="left", indicator=True)
    return merged[merged["_merge"] == "left_only"].drop(columns=["_merge", _OCCURRENCE])


def changes_between(
    previous: pd.DataFrame | None, current: pd.DataFrame, *, version: int, previous_version: int | None
) -> pd.DataFrame:
    """The `changes` table of `version`; with no previous version every priority is added."""
    current_rows = _numbered(current)
    previous_rows = _numbered(previous) if previous is not None else current_rows.iloc[0:0]
    added = unpaired(current_rows, previous_rows, MATCH_KEY).assign(**{ChangeSchema.change: CHANGE_ADDED})
    removed = unpaired(previous_rows, current_rows, MATCH_KEY).assign(**{ChangeSchema.change: CHANGE_REMOVED})
    both = pd.concat([added, removed], ignore_index=True)
    both[ChangeSchema.version] = version
    both[ChangeSchema.previous_version] = previous_version
    changes = typed_frame(ChangeSchema, {name: both[name].tolist() for name in both.columns})
    changes = changes.sort_values(list(ROW_ORDER["changes"]), kind="stable", ignore_index=True)
    since = f"v{previous_version}" if previous_version is not None else "an empty dataset"
    logger.info("v%d: %d priorities added, %d removed since %s", version, len(added), len(removed), since)
    return changes


@dataclass(frozen=True, slots=True)
class ChangedItem:
    level: int
    priority: str
    method: str  # extracted | curated
    source_id: str

    @property
    def curated(self) -> bool:
        return self.method == METHOD_CURATED


@dataclass(frozen=True, slots=True)
class RegionChanges:
    """What one version added and removed in one region, for people to read."""

    region_code: str
    region_name: str
    added: tuple[ChangedItem, ...]  # in the table's order
    removed: tuple[ChangedItem, ...]


def changes_by_region(changes: pd.DataFrame) -> list[RegionChanges]:
    """`changes` grouped by region (by code), each side in canonical row order."""
    c = ChangeSchema
    ordered = changes.sort_values(list(ROW_ORDER["changes"]), kind="stable")
    regions = []
    columns = [c.level, c.priority, c.method, c.source_id]
    for code, rows in ordered.groupby(c.region_code, sort=True):
        sides = {
            kind: tuple(ChangedItem(int(level), str(priority), str(method), str(source_id))
                        for level, priority, method, source_id
                        in rows.loc[rows[c.change] == kind, columns].itertuples(index=False))
            for kind in (CHANGE_ADDED, CHANGE_REMOVED)
        }
        regions.append(RegionChanges(str(code), str(rows[c.region_name].iloc[0]), sides[CHANGE_ADDED],
                                     sides[CHANGE_REMOVED]))
    return regions
