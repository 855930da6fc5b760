"""What the report says, from a version's tables: plain dataclasses, no HTML, no I/O.

`report_content()` turns the `priorities`, `current`, `sources` and `changes` frames (and
`themes` where the version has one) into the regions with their priority lists, the sources in
the order a curator works through them, the changes per region and the measures a map can be
coloured by.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from smartspec.extractors.regions import Gazetteer
from smartspec.schemas.changes import CHANGE_ADDED
from smartspec.schemas.changes import ChangeSchema as C
from smartspec.schemas.priorities import LEVELS
from smartspec.schemas.priorities import PrioritySchema as P
from smartspec.schemas.sources import SourceSchema as S
from smartspec.schemas.vocabulary import METHOD_EXTRACTED, STATUS_FAILED, STATUS_NEEDS_REVIEW, STATUS_OK

# The measure every map can be coloured by; themes add one per category.
MEASURE_PRIORITIES = "priorities"
# Columns a `themes` table must have to be used (issue 14's themes.parquet).
THEME_COLUMNS = ("source_id", "region_code", "position", "dimension", "code", "label")


@dataclass(frozen=True, slots=True)
class Item:
    """One priority as the panel shows it."""

    priority: str
    level: int
    position: int
    parent_position: int | None  # the level-1 item a sub-item belongs to
    source_id: str
    source_file: str
    page: int
    link: str | None  # the source's URL (at the page, for a PDF) where sources.toml gives one
    method: str
    section_heading: str | None
    confidence: float | None
    themes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceList:
    """A region's priorities as one source lists them."""

    source_id: str
    source_file: str
    current: bool  # the region's authoritative list (the `current` table)
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Change:
    change: str  # added | removed
    priority: str
    level: int
    source_id: str
    method: str  # extracted | curated


@dataclass(frozen=True, slots=True)
class RegionView:
    code: str
    name: str
    country: str
    lists: tuple[SourceList, ...]  # the current list first
    changes: tuple[Change, ...]

    @property
    def current(self) -> tuple[Item, ...]:
        return self.lists[0].items if self.lists and self.lists[0].current else ()

    @property
    def count(self) -> int:
        """Level-1 priorities in the region's current list."""
        return sum(item.level == LEVELS[0] for item in self.current)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A list extraction could not choose between, as `sources.review_candidates` records it."""

    page: int | None
    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SourceView:
    source_id: str
    source_file: str
    format: str
    status: str
    error_type: str | None
    message: str | None
    url: str | None
    pages: int | None
    region_count: int
    priority_count: int
    fetch_error: str | None
    curation: str | None = None  # the raw/curation.toml entry: applied | stale
    curation_message: str | None = None
    candidates: tuple[Candidate, ...] = ()  # a source needing review: its competing lists, best first

    @property
    def rank(self) -> int:
        """0 needs review, 1 failed, 2 another problem, 3 ok."""
        if self.status == STATUS_NEEDS_REVIEW:
            return 0
        if self.status == STATUS_FAILED:
            return 1
        return 2 if self.status != STATUS_OK or self.fetch_error else 3


@dataclass(frozen=True, slots=True)
class Measure:
    key: str  # MEASURE_PRIORITIES or "theme:<dimension>:<code>"
    dimension: str | None  # a theme's dimension; None for the number of priorities
    label: str
    counts: Mapping[str, int]  # region code -> value, regions with 0 left out


@dataclass(frozen=True, slots=True)
class ReportContent:
    version: int
    previous_version: int | None
    code_version: str
    regions: tuple[RegionView, ...]  # every region with priorities, and every Swedish län
    sources: tuple[SourceView, ...]  # review and failures first
    measures: tuple[Measure, ...]  # the number of priorities first

    @property
    def priority_count(self) -> int:
        return sum(region.count for region in self.regions)


def report_content(
    *,
    version: int,
    previous_version: int | None,
    code_version: str,
    priorities: pd.DataFrame,
    current: pd.DataFrame,
    sources: pd.DataFrame,
    changes: pd.DataFrame,
    gazetteer: Gazetteer,
    themes: pd.DataFrame | None = None,
    always: tuple[str, ...] = (),
) -> ReportContent:
    """The report of one version. `always`: countries whose NUTS 3 regions in the gazetteer are
    all listed, with or without priorities (Sweden: its map shows all 21 län)."""
    source_views = _sources(sources)
    by_source = {view.source_id: view for view in source_views}
    tags = _theme_tags(themes)
    current_source = dict(zip(current[P.region_code], current[P.source_id]))
    lists: dict[str, list[SourceList]] = defaultdict(list)
    for (code, source_id), rows in priorities.groupby([P.region_code, P.source_id], sort=True):
        items = tuple(_item(row, by_source.get(source_id), tags) for row in _in_order(rows))
        lists[code].append(SourceList(source_id, items[0].source_file, current_source.get(code) == source_id, items))
    region_changes = _changes(changes) if previous_version is not None else {}

    codes = set(lists) | {r.code for r in gazetteer.regions if r.country in always and r.nuts_level == 3}
    regions = []
    for code in sorted(codes, key=lambda c: (c[:2] not in always, c[:2], c)):  # as the maps: `always` first
        region = gazetteer.resolve(code)
        rows = priorities[priorities[P.region_code] == code]
        name = region.name if region else str(rows[P.region_name].iloc[0])
        country = region.country if region else str(rows[P.country].iloc[0])
        ordered = sorted(lists.get(code, []), key=lambda s: (not s.current, s.source_id))
        regions.append(RegionView(code, name, country, tuple(ordered), tuple(region_changes.get(code, ()))))
    return ReportContent(
        version=version, previous_version=previous_version, code_version=code_version,
        regions=tuple(regions), sources=source_views,
        measures=_measures(regions, themes),
    )


def _in_order(rows: pd.DataFrame) -> list[pd.Series]:
    return [row for _, row in rows.sort_values(P.position, kind="stable").iterrows()]


def _optional(value: object) -> object | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _item(row: pd.Series, source: SourceView | None, tags: Mapping[tuple[str, str, int], tuple[str, ...]]) -> Item:
    page = int(row[P.page])
    link = source.url if source else None
    if link and source is not None and source.format == "pdf":
        link = f"{link}#page={page}"
    # a frame without the column (versions before it read with it, set to extracted)
    method = _optional(row.get(P.method)) or METHOD_EXTRACTED
    confidence = _optional(row[P.section_confidence])
    parent = _optional(row[P.parent_position])
    return Item(
        priority=str(row[P.priority]), level=int(row[P.level]), position=int(row[P.position]),
        parent_position=int(parent) if parent is not None else None,
        source_id=str(row[P.source_id]), source_file=str(row[P.source_file]), page=page, link=link,
        method=str(method), section_heading=_optional(row[P.section_heading]),
        confidence=float(confidence) if confidence is not None else None,
        themes=tags.get((str(row[P.source_id]), str(row[P.region_code]), int(row[P.position])), ()),
    )


def _sources(sources: pd.DataFrame) -> tuple[SourceView, ...]:
    views = [
        SourceView(
            source_id=str(row[S.source_id]), source_file=str(row[S.source_file]), format=str(row[S.format]),
            status=str(row[S.status]), error_type=_optional(row[S.error_type]),
            message=_optional(row[S.error_message]), url=_optional(row[S.url]),
            pages=int(row[S.pages]) if _optional(row[S.pages]) is not None else None,
            region_count=int(row[S.region_count]), priority_count=int(row[S.priority_count]),
            fetch_error=_optional(row[S.fetch_error]),
            curation=_optional(row.get(S.curation)), curation_message=_optional(row.get(S.curation_message)),
            candidates=_candidates(_optional(row.get(S.review_candidates))),
        )
        for _, row in sources.iterrows()
    ]
    return tuple(sorted(views, key=lambda v: (v.rank, v.source_id)))


def _candidates(recorded: object) -> tuple[Candidate, ...]:
    """`review_candidates` JSON -> Candidates; anything else recorded there shows as nothing."""
    try:
        listed = json.loads(recorded) if isinstance(recorded, str) else []
    except ValueError:
        return ()
    return tuple(
        Candidate(c.get("page"), str(c.get("heading") or ""), tuple(str(i) for i in c.get("items") or ()))
        for c in listed if isinstance(c, dict)
    ) if isinstance(listed, list) else ()


def _changes(changes: pd.DataFrame) -> dict[str, list[Change]]:
    """Per region: the priorities added, then those removed, each in text order."""
    found: dict[str, list[Change]] = defaultdict(list)
    for _, row in changes.iterrows():
        found[str(row[C.region_code])].append(
            Change(str(row[C.change]), str(row[C.priority]), int(row[C.level]), str(row[C.source_id]),
                   str(_optional(row.get(C.method)) or METHOD_EXTRACTED))
        )
    return {code: sorted(rows, key=lambda c: (c.change != CHANGE_ADDED, c.priority, c.level, c.source_id))
            for code, rows in found.items()}


def _usable_themes(themes: pd.DataFrame | None) -> pd.DataFrame | None:
    if themes is None or any(column not in themes.columns for column in THEME_COLUMNS):
        return None
    return themes


def _theme_tags(themes: pd.DataFrame | None) -> dict[tuple[str, str, int], tuple[str, ...]]:
    usable = _usable_themes(themes)
    if usable is None:
        return {}
    tags: dict[tuple[str, str, int], list[str]] = defaultdict(list)
    for _, row in usable.sort_values(["dimension", "code"], kind="stable").iterrows():
        key = (str(row["source_id"]), str(row["region_code"]), int(row["position"]))
        if row["label"] not in tags[key]:
            tags[key].append(str(row["label"]))
    return {key: tuple(labels) for key, labels in tags.items()}


def _measures(regions: list[RegionView], themes: pd.DataFrame | None) -> tuple[Measure, ...]:
    measures = [Measure(MEASURE_PRIORITIES, None, MEASURE_PRIORITIES,
                        {r.code: r.count for r in regions if r.count})]
    usable = _usable_themes(themes)
    if usable is None:
        return tuple(measures)
    current = {(item.source_id, r.code, item.position) for r in regions for item in r.current}
    counts: dict[tuple[str, str, str], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for _, row in usable.iterrows():
        key = (str(row["source_id"]), str(row["region_code"]), int(row["position"]))
        if key in current:
            counts[(str(row["dimension"]), str(row["code"]), str(row["label"]))][key[1]].add(key[2])
    for (dimension, code, label), by_region in sorted(counts.items()):
        measures.append(Measure(f"theme:{dimension}:{code}", dimension, label,
                                {region: len(positions) for region, positions in sorted(by_region.items())}))
    return tuple(measures)
