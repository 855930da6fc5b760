"""Records -> typed DataFrames -> validated tables, or `ValidationFailed` naming the rows.

`validate()` runs both Pandera models with `lazy=True` and then checks what one table
says about the other (region codes, the source each priority points to, page ranges).
Every failure, schema or reference, lands in one `failure_cases` frame whose rows name
the `source_id` and `page` they came from.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from smartspec.extractors.records import PriorityRecord, SourceRecord
from smartspec.publishing.errors import ValidationFailed
from smartspec.schemas.priorities import BBOX_FIELDS, PrioritySchema
from smartspec.schemas.sources import SourceSchema
from smartspec.schemas.vocabulary import STATUSES_WITH_PRIORITIES

logger = logging.getLogger(__name__)

FAILURES_DIR = "failures"
FAILURE_COLUMNS = (
    "table", "schema_context", "column", "check", "check_number", "failure_case", "index", "source_id", "page",
)
# How many sources, and pages of each, one message line names before "and N more".
_PLACES_SHOWN = 5
_PAGES_SHOWN = 10
_REFERENCE_CONTEXT = "References"


def typed_frame(model: type[pa.DataFrameModel], columns: dict[str, list[Any]]) -> pd.DataFrame:
    """A frame with the model's columns, in its order, cast to its dtypes (also when empty).

    A column whose values cannot be cast keeps them as objects so that validation,
    not construction, reports the bad rows.
    """
    schema = model.to_schema()
    frame = {}
    for name, column in schema.columns.items():
        series = pd.Series(columns.get(name, []), dtype=object, name=name)
        try:
            series = column.dtype.coerce(series)
        except (TypeError, ValueError) as error:
            logger.debug("column %s left uncast: %s", name, error)
        frame[name] = series
    return pd.DataFrame(frame, columns=list(schema.columns))


def _bbox(value: Any) -> dict[str, float] | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return {name: float(value[name]) for name in BBOX_FIELDS}
    if not isinstance(value, tuple):  # a document.BBox
        value = tuple(getattr(value, name) for name in BBOX_FIELDS)
    return dict(zip(BBOX_FIELDS, map(float, value), strict=True))


def priorities_frame(records: Sequence[PriorityRecord]) -> pd.DataFrame:
    """One row per record; `bbox` becomes a `{x0, top, x1, bottom}` dict or None."""
    names = list(PrioritySchema.to_schema().columns)
    columns = {name: [getattr(record, name) for record in records] for name in names}
    columns[PrioritySchema.bbox] = [_bbox(value) for value in columns[PrioritySchema.bbox]]
    return typed_frame(PrioritySchema, columns)


def sources_frame(records: Sequence[SourceRecord]) -> pd.DataFrame:
    """One row per record. An empty `sha256` (a file that was never read) becomes null; a
    source with no `document_id` (no other rendition) gets its own source_id."""
    names = list(SourceSchema.to_schema().columns)
    columns = {name: [getattr(record, name) for record in records] for name in names}
    columns[SourceSchema.sha256] = [value or None for value in columns[SourceSchema.sha256]]
    columns[SourceSchema.document_id] = [record.document_id or record.source_id for record in records]
    return typed_frame(SourceSchema, columns)


def _schema_failures(
    model: type[pa.DataFrameModel], frame: pd.DataFrame, table: str
) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    try:
        return model.validate(frame, lazy=True), pd.DataFrame()
    except SchemaErrors as errors:
        cases = errors.failure_cases.copy()
        cases.insert(0, "table", table)
        return None, cases


class _References:
    """Collects cross-table failures in the shape of Pandera's `failure_cases`."""

    def __init__(self) -> None:
        self.cases: list[dict[str, Any]] = []

    def fail(self, check: str, column: str, value: Any, index: Any, *, table: str = "priorities", **known: Any) -> None:
        self.cases.append({
            "table": table, "schema_context": _REFERENCE_CONTEXT, "column": column, "check": check,
            "check_number": None, "failure_case": value, "index": index, **known,
        })


def _reference_failures(
    priorities: pd.DataFrame, sources: pd.DataFrame, region_codes: Collection[str], source_ids: Collection[str] | None
) -> list[dict[str, Any]]:
    p, s = PrioritySchema, SourceSchema
    needs_p, needs_s = {p.region_code, p.source_id, p.page, p.source_sha256}, {s.source_id, s.status, s.pages, s.sha256}
    if not needs_p <= set(priorities.columns) or not needs_s <= set(sources.columns):
        return []  # the schema failures already say which column is missing
    found = _References()
    regions = priorities[p.region_code]
    for index in regions.index[~regions.isin(set(region_codes))]:
        found.fail("region code is not in the gazetteer", p.region_code, regions[index], index)

    by_source = sources.drop_duplicates(s.source_id).set_index(s.source_id)
    source_of = priorities[p.source_id]
    status = source_of.map(by_source[s.status])
    pages = pd.to_numeric(source_of.map(by_source[s.pages]), errors="coerce")
    page = pd.to_numeric(priorities[p.page], errors="coerce")
    sha256 = source_of.map(by_source[s.sha256])
    allowed = ", ".join(STATUSES_WITH_PRIORITIES[:-1]) + " or " + STATUSES_WITH_PRIORITIES[-1]
    for index in priorities.index:
        if pd.isna(status[index]):
            found.fail("priority's source has no sources row", p.source_id, source_of[index], index)
            continue
        if status[index] not in STATUSES_WITH_PRIORITIES:
            found.fail(f"priority points to a source whose status is not {allowed}", p.source_id, status[index], index)
        if pd.notna(pages[index]) and pd.notna(page[index]) and page[index] > pages[index]:
            value = f"{page[index]:g} > {pages[index]:g}"
            found.fail("page is beyond the last page of the source", p.page, value, index)
        recorded = priorities.at[index, p.source_sha256]
        if pd.notna(sha256[index]) and sha256[index] != recorded:
            found.fail("source_sha256 differs from the source's sha256", p.source_sha256, recorded, index)

    if source_ids is not None:  # every raw file has exactly one sources row (uniqueness is the schema's)
        expected, present = set(source_ids), sources[s.source_id]
        for source_id in sorted(expected - set(present)):
            found.fail("raw file has no sources row", s.source_id, source_id, None,
                       table="sources", source_id=source_id)
        for index in present.index[~present.isin(expected)]:
            found.fail("sources row names no raw file", s.source_id, present[index], index, table="sources")
    return found.cases


def _locate(cases: pd.DataFrame, priorities: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Fill `source_id` and `page` from the row each failure points at."""
    frames = {"priorities": priorities, "sources": sources}
    known_ids = cases["source_id"] if "source_id" in cases else pd.Series(None, index=cases.index, dtype=object)
    source_ids, pages = [], []
    for table, index, known in zip(cases["table"], cases["index"], known_ids, strict=True):
        frame = frames[table]
        row = frame.loc[index] if pd.notna(index) and index in frame.index else None
        source_id = known if pd.notna(known) else None
        page = None
        if row is not None:
            source_id = row.get(PrioritySchema.source_id if table == "priorities" else SourceSchema.source_id)
            page = row.get(PrioritySchema.page) if table == "priorities" else None
        source_ids.append(None if pd.isna(source_id) else str(source_id))
        pages.append(pd.to_numeric(page, errors="coerce") if page is not None else None)
    located = cases.assign(source_id=source_ids, page=pd.array(pages, dtype="Float64").round().astype("Int64"))
    return located.reindex(columns=list(FAILURE_COLUMNS)).reset_index(drop=True)


def _describe_check(table: str, group: pd.DataFrame) -> str:
    check = str(group["check"].iloc[0])
    columns = [str(column) for column in dict.fromkeys(group["column"]) if pd.notna(column)]
    if check == "multiple_fields_uniqueness":
        return f"{table}: duplicate key ({', '.join(columns)})"
    if check in ("column_in_dataframe", "column_in_schema"):
        kind = "missing" if check == "column_in_dataframe" else "unexpected"
        return f"{table}: {kind} column {', '.join(map(str, group['failure_case']))}"
    if group["schema_context"].iloc[0] == "Column" and columns and not check.startswith(columns[0]):
        return f"{table}: {', '.join(columns)} {check}"
    return f"{table}: {check}"


def _places(group: pd.DataFrame) -> str:
    """E.g. "source a, pages 5, 9; source b" for the rows of one check, the first few sources only."""
    pages: dict[str, set[int]] = {}
    for source_id, page in zip(group["source_id"], group["page"], strict=True):
        found = pages.setdefault("no source" if pd.isna(source_id) else f"source {source_id}", set())
        if pd.notna(page):
            found.add(int(page))
    places = []
    for place, numbers in pages.items():
        listed = ", ".join(map(str, sorted(numbers)[:_PAGES_SHOWN])) + (", ..." if len(numbers) > _PAGES_SHOWN else "")
        places.append(place if not numbers else f"{place}, page{'s' if len(numbers) > 1 else ''} {listed}")
    more = f"; and {len(places) - _PLACES_SHOWN} more sources" if len(places) > _PLACES_SHOWN else ""
    return "; ".join(places[:_PLACES_SHOWN]) + more


def failure_message(cases: pd.DataFrame) -> str:
    """E.g. "3 failed checks: priorities: priority starts with a bullet glyph (source seed-deck, page 5); ..."."""
    parts, total = [], 0
    for (table, _check), group in cases.groupby(["table", "check"], sort=False, dropna=False):
        rows = group[group["index"].notna()].drop_duplicates("index")
        total += len(rows) + int(group["index"].isna().sum())
        parts.append(f"{_describe_check(str(table), group)} ({_places(group)})")
    return f"{total} failed check{'' if total == 1 else 's'}: " + "; ".join(parts)


def validate(
    priorities: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    region_codes: Collection[str],
    source_ids: Collection[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both tables validated and cast, or `ValidationFailed` with every failure at once.

    Beyond the schemas: each region_code is in `region_codes`; each priority's source has
    a sources row whose status may carry priorities (ok or partial), the same sha256 and at
    least `page` pages. Given `source_ids` (the raw files found), each has exactly one
    sources row and no row names another. The returned frames have a fresh RangeIndex.
    """
    priorities = priorities.reset_index(drop=True)
    sources = sources.reset_index(drop=True)
    valid_priorities, priority_cases = _schema_failures(PrioritySchema, priorities, "priorities")
    valid_sources, source_cases = _schema_failures(SourceSchema, sources, "sources")
    references = pd.DataFrame(_reference_failures(priorities, sources, region_codes, source_ids))
    found = [cases for cases in (priority_cases, source_cases, references) if not cases.empty]
    if found:
        cases = _locate(pd.concat(found, ignore_index=True), priorities, sources)
        raise ValidationFailed(failure_message(cases), cases)
    assert valid_priorities is not None and valid_sources is not None
    return valid_priorities, valid_sources


def write_failure_cases(exc: ValidationFailed, dataset_dir: Path, *, now: datetime | None = None) -> Path:
    """Write `failure_cases.csv` and a `failure_cases.json` summary; return their directory.

    They go to `<dataset_dir>/failures/<UTC timestamp>/`, beside the versions, which stay untouched.
    """
    now = (now or datetime.now(UTC)).astimezone(UTC)
    directory = dataset_dir / FAILURES_DIR / now.strftime("%Y%m%dT%H%M%S.%fZ")
    directory.mkdir(parents=True, exist_ok=False)
    cases = exc.failure_cases
    cases.to_csv(directory / "failure_cases.csv", index=False)
    checks = cases.groupby(["table", "check"], sort=False, dropna=False).size()
    summary = {
        "created_at": now.isoformat(timespec="microseconds"),
        "message": exc.message,
        "failure_cases": len(cases),
        "checks": [{"table": table, "check": check, "failure_cases": int(n)} for (table, check), n in checks.items()],
        "sources": sorted({str(s) for s in cases["source_id"].dropna()}),
    }
    text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
    (directory / "failure_cases.json").write_text(text, encoding="utf-8")
    logger.info("wrote %d failure cases to %s", len(cases), directory)
    return directory

