"""The Pandera models: columns match the record types, and each check rejects what it names."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
import pandera.pandas as pa
import pytest

from smartspec.extractors.records import PriorityRecord, SourceRecord
from smartspec.schemas.catalogue import TABLES, json_schemas, pandera_json
from smartspec.schemas.changes import ChangeSchema
from smartspec.schemas.current import CurrentSchema
from smartspec.schemas.priorities import PRIORITY_KEY, PrioritySchema
from smartspec.schemas.sources import STATUSES, SourceSchema

BBOX_CHECK = "bbox is not {x0, top, x1, bottom} with x0 <= x1 and top <= bottom"
SHA = "3f1c0d7a9be2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d"


def priority_row(**changes: Any) -> dict[str, Any]:
    row = {
        "region_code": "SE332", "region_name": "Norrbotten", "country": "SE",
        "priority": "Rymdteknik och geovetenskap", "priority_key": "rymdteknik och geovetenskap",
        "position": 1, "level": 1, "parent_position": None, "language": "sv",
        "source_id": "norrbotten/ris3-2022", "source_file": "norrbotten/ris3-2022.pdf", "source_sha256": SHA,
        "page": 14, "bbox": {"x0": 56.7, "top": 212.4, "x1": 310.2, "bottom": 226.0}, "region_match": "exact",
        "method": "extracted",
    }
    return row | changes


def source_row(**changes: Any) -> dict[str, Any]:
    row = {
        "source_id": "norrbotten/ris3-2022", "source_file": "norrbotten/ris3-2022.pdf", "format": "pdf",
        "sha256": SHA, "bytes": 2_481_133, "pages": 36, "status": "ok", "error_type": None,
        "error_message": None, "region_count": 1, "priority_count": 5,
    }
    row |= changes
    return {"document_id": row["source_id"]} | row


def frame(rows: list[dict[str, Any]], model: type[pa.DataFrameModel]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(model.to_schema().columns))


def failed_checks(model: type[pa.DataFrameModel], rows: list[dict[str, Any]]) -> set[str]:
    try:
        model.validate(frame(rows, model), lazy=True)
    except pa.errors.SchemaErrors as errors:
        return set(errors.failure_cases["check"])
    return set()


@pytest.mark.parametrize(("model", "record"), [(PrioritySchema, PriorityRecord), (SourceSchema, SourceRecord)])
def test_columns_are_the_record_fields_in_order(model: type[pa.DataFrameModel], record: type) -> None:
    assert list(model.to_schema().columns) == [field.name for field in dataclasses.fields(record)]


def test_class_attributes_name_the_columns() -> None:
    assert PrioritySchema.region_code == "region_code"
    assert set(PRIORITY_KEY) <= set(PrioritySchema.to_schema().columns)
    assert PrioritySchema.to_schema().unique == list(PRIORITY_KEY)


def test_valid_rows_pass_and_are_coerced() -> None:
    nested = priority_row(position=2, level=2, parent_position=1, bbox=None,
                          priority="Rymdbaserade tjänster", priority_key="rymdbaserade tjänster")
    rows = [priority_row(), nested]
    validated = PrioritySchema.validate(frame(rows, PrioritySchema))
    assert validated[PrioritySchema.parent_position].dtype == "Int64"
    assert validated[PrioritySchema.position].dtype == "int64"


def test_empty_frame_validates() -> None:
    empty = pd.DataFrame({name: pd.Series([], dtype=object) for name in PrioritySchema.to_schema().columns})
    assert PrioritySchema.validate(empty).empty


@pytest.mark.parametrize(
    ("priority", "check"),
    [
        ("• Processindustri och gruvnäring", "priority starts with a bullet glyph"),
        ("\uf0b7 Processindustri", "priority starts with a bullet glyph"),
        ("– Energi och miljöteknik", "priority starts with a bullet glyph"),
        ("1. Processindustri och gruvnäring", "priority starts with list numbering"),
        ("2) Testverksamhet i kallt klimat", "priority starts with list numbering"),
        ("(b) Upplevelsenäring", "priority starts with list numbering"),
        ("iv. Digitalisering", "priority starts with list numbering"),
        ("Energi  och miljöteknik", "priority has double or non-space white space"),
        ("Energi och\nmiljöteknik", "priority has double or non-space white space"),
        ("Energi och miljöteknik ", "priority has leading or trailing white space"),
        ("", "str_length(1, None)"),
    ],
)
def test_priority_text_rejections(priority: str, check: str) -> None:
    assert check in failed_checks(PrioritySchema, [priority_row(priority=priority)])


@pytest.mark.parametrize(
    "priority",
    ["5G-infrastruktur", "3D-printing i metall", "Life science", "AI och digitalisering", "1.5-gradersmålet"],
)
def test_priority_texts_that_only_look_like_markers_pass(priority: str) -> None:
    assert failed_checks(PrioritySchema, [priority_row(priority=priority)]) == set()


@pytest.mark.parametrize(
    ("changes", "check"),
    [
        ({"region_code": "se332"}, "str_matches('^[A-Z]{2}[0-9A-Z]{0,3}$')"),
        ({"region_code": "SE3321"}, "str_matches('^[A-Z]{2}[0-9A-Z]{0,3}$')"),
        ({"country": "Sverige"}, "str_matches('^[A-Z]{2}$')"),
        ({"source_sha256": SHA.upper()}, "str_matches('^[0-9a-f]{64}$')"),
        ({"position": 0}, "greater_than_or_equal_to(1)"),
        ({"page": 0}, "greater_than_or_equal_to(1)"),
        ({"level": 3}, "isin([1, 2])"),
        ({"region_match": "guessed"}, "isin(['exact', 'alias', 'fuzzy', 'config', 'inferred'])"),
        ({"parent_position": 1}, "parent_position is set on a level-1 row or missing on a level-2 row"),
        ({"level": 2}, "parent_position is set on a level-1 row or missing on a level-2 row"),
        ({"bbox": {"x0": 310.2, "top": 212.4, "x1": 56.7, "bottom": 226.0}}, BBOX_CHECK),
        ({"bbox": {"x0": 1.0, "top": 2.0}}, BBOX_CHECK),
        ({"method": "guessed"}, "isin(['extracted', 'curated'])"),
    ],
)
def test_priority_field_rejections(changes: dict[str, Any], check: str) -> None:
    assert check in failed_checks(PrioritySchema, [priority_row(**changes)])


def test_duplicate_priority_key_and_extra_column_fail() -> None:
    duplicate = [priority_row(), priority_row(priority="Annan text")]
    assert "multiple_fields_uniqueness" in failed_checks(PrioritySchema, duplicate)
    extra = frame([priority_row()], PrioritySchema).assign(theme="space")
    with pytest.raises(pa.errors.SchemaErrors, match="column_in_schema"):
        PrioritySchema.validate(extra, lazy=True)


def test_sources_accept_a_failed_file_without_hash() -> None:
    rows = [
        source_row(),
        source_row(
            source_id="skane/scan", source_file="skane/scan.pdf", sha256=None, pages=None, status="failed",
            error_type="UnreadableDocument", error_message="file is encrypted", priority_count=0, region_count=0,
        ),
    ]
    validated = SourceSchema.validate(frame(rows, SourceSchema))
    assert validated[SourceSchema.pages].dtype == "Int64"


@pytest.mark.parametrize(
    ("changes", "check"),
    [
        ({"status": "no_text", "error_message": None}, "status is not ok but error_message is empty"),
        ({"status": "partial", "error_message": "  "}, "status is not ok but error_message is empty"),
        ({"sha256": None}, "status is ok but sha256 is null"),
        ({"status": "broken", "error_message": "?"}, f"isin({list(STATUSES)})"),
        ({"bytes": -1}, "greater_than_or_equal_to(0)"),
        ({"priority_count": -1}, "greater_than_or_equal_to(0)"),
        ({"curation": "stale"}, "curation is stale but curation_message is empty"),
        ({"curation": "maybe", "curation_message": "?"}, "isin(['applied', 'stale'])"),
    ],
)
def test_source_rejections(changes: dict[str, Any], check: str) -> None:
    assert check in failed_checks(SourceSchema, [source_row(**changes)])


def test_source_id_is_unique() -> None:
    assert "field_uniqueness" in failed_checks(SourceSchema, [source_row(), source_row()])


def test_change_schema() -> None:
    change = {
        "change": "added", "region_code": "SE332", "region_name": "Norrbotten", "priority": "Rymdteknik",
        "priority_key": "rymdteknik", "level": 1, "source_id": "norrbotten/ris3-2022",
        "method": "extracted", "version": 2, "previous_version": 1,
    }
    first = change | {"change": "removed", "version": 1, "previous_version": None}
    assert failed_checks(ChangeSchema, [change, first]) == set()
    assert "isin(['added', 'removed'])" in failed_checks(ChangeSchema, [change | {"change": "modified"}])
    not_older = [change | {"previous_version": 2}]
    assert "previous_version is not lower than version" in failed_checks(ChangeSchema, not_older)


def test_json_schemas_describe_every_column() -> None:
    described = json_schemas()
    assert set(described) == {"priorities", "sources", "changes", "current", "themes", "partners", "theme_changes"}
    fields = {field["name"]: field for field in described["priorities"]["fields"]}
    assert list(fields) == list(PrioritySchema.to_schema().columns)
    # a Table Schema pattern matches the whole value: no anchors; Pandera's prefix match gets ".*"
    assert fields[PrioritySchema.region_code]["constraints"]["pattern"] == "[A-Z]{2}[0-9A-Z]{0,3}"
    sources = {f["name"]: f for f in described["sources"]["fields"]}
    assert sources[SourceSchema.url]["constraints"]["pattern"] == "https?://.*"
    assert fields[PrioritySchema.parent_position]["constraints"]["required"] is False
    assert described["priorities"]["primaryKey"] == list(PRIORITY_KEY)


def test_json_schemas_use_table_schema_types() -> None:
    fields = {field["name"]: field for field in json_schemas()["priorities"]["fields"]}
    assert fields[PrioritySchema.position]["type"] == "integer"
    assert fields[PrioritySchema.section_confidence]["type"] == "number"
    assert fields[PrioritySchema.section_confidence]["constraints"]["maximum"] == 1.0
    assert fields[PrioritySchema.bbox]["type"] == "object"


def test_pandera_json_round_trips_through_pandera() -> None:
    for table, model in TABLES.items():
        loaded = pa.DataFrameSchema.from_json(pandera_json(table))
        assert list(loaded.columns) == list(model.to_schema().columns)
        assert loaded.strict and loaded.unique == model.to_schema().unique


def current_row(**changes: Any) -> dict[str, Any]:
    return priority_row(section_heading=None, section_confidence=None, source_scope="region",
                        source_published=pd.Timestamp("2022-05-01")) | changes


def test_current_schema_is_priorities_plus_the_rule_columns() -> None:
    assert list(CurrentSchema.to_schema().columns) == [
        *PrioritySchema.to_schema().columns, CurrentSchema.source_scope, CurrentSchema.source_published]
    assert failed_checks(CurrentSchema, [current_row(), current_row(position=2)]) == set()
    assert "isin(['region', 'overview'])" in failed_checks(CurrentSchema, [current_row(source_scope="national")])


def test_current_schema_allows_one_source_per_region() -> None:
    other = current_row(position=2, source_id="deck", source_file="deck.pptx")
    assert "a region's current priorities come from more than one source" in failed_checks(
        CurrentSchema, [current_row(), other])
