"""Records -> validated tables -> immutable Parquet versions, read back by pandas, polars and DuckDB."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import filelock
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from smartspec.extractors.records import PriorityRecord, SourceRecord
from smartspec.publishing import (
    ARROW_SCHEMAS,
    CHANGES_ARROW,
    PRIORITIES_ARROW,
    SOURCES_ARROW,
    PublishLocked,
    ValidationFailed,
    data_fingerprint,
    latest_version,
    list_versions,
    priorities_frame,
    publish,
    read_version,
    sources_frame,
    validate,
    write_failure_cases,
)
from smartspec.publishing.layout import TABLE_FILES
from smartspec.schemas.changes import ChangeSchema
from smartspec.schemas.priorities import PrioritySchema
from smartspec.schemas.sources import SourceSchema
from tests.helpers.records import (
    NORRBOTTEN_AREAS,
    NORRBOTTEN_SHA,
    NOW,
    REGION_CODES,
    SKANE_SHA,
    norrbotten,
    priority,
    run,
    sources,
    tables,
)

def file_bytes(version_dir: Path) -> dict[str, bytes]:
    return {path.relative_to(version_dir).as_posix(): path.read_bytes()
            for path in sorted(version_dir.rglob("*")) if path.is_file()}


# --- frames and validation -------------------------------------------------------------


def test_frames_have_schema_columns_and_dtypes_even_when_empty() -> None:
    for frame, model in ((priorities_frame([]), PrioritySchema), (sources_frame([]), SourceSchema)):
        assert list(frame.columns) == list(model.to_schema().columns)
        assert frame.empty
    assert priorities_frame([])[PrioritySchema.position].dtype == "int64"
    assert priorities_frame([])[PrioritySchema.parent_position].dtype == "Int64"
    assert sources_frame([])[SourceSchema.pages].dtype == "Int64"


def test_frames_carry_bbox_as_dicts() -> None:
    frame = priorities_frame(norrbotten())
    assert frame[PrioritySchema.bbox].iloc[0] == {"x0": 56.7, "top": 218.0, "x1": 310.2, "bottom": 232.0}
    assert frame[PrioritySchema.bbox].iloc[-1] is None


def test_valid_tables_pass() -> None:
    priorities, source_table = tables()
    assert len(priorities) == 6 and len(source_table) == 2


BAD_CASES: dict[str, tuple[Callable[[], tuple[list[PriorityRecord], list[SourceRecord]]], str]] = {
    "leading bullet": (
        lambda: ([*norrbotten(), priority("• Hållbar turism", 6, page=5)], sources()),
        "priority starts with a bullet glyph (source norrbotten-ris3, page 5)",
    ),
    "unknown region code": (
        lambda: ([*norrbotten(), priority("Hållbar turism", 6, region_code="SE339", page=7)], sources()),
        "region code is not in the gazetteer (source norrbotten-ris3, page 7)",
    ),
    "duplicate key": (
        lambda: ([*norrbotten(), priority("Hållbar turism", 2, page=9)], sources()),
        "duplicate key (source_id, region_code, level, position) (source norrbotten-ris3, pages 9, 14)",
    ),
    "page beyond the document": (
        lambda: ([*norrbotten(), priority("Hållbar turism", 6, page=37)], sources()),
        "page is beyond the last page of the source (source norrbotten-ris3, page 37)",
    ),
    "priority of a failed source": (
        lambda: ([*norrbotten(), priority("Livsmedel", 1, source_id="skane-ris3", source_file="skane/ris3.pdf",
                                          source_sha256=SKANE_SHA, region_code="SE224", region_name="Skåne", page=3)],
                 sources()),
        "priority points to a source whose status is not ok, partial or stale (source skane-ris3, page 3)",
    ),
    "priority without a sources row": (
        lambda: (norrbotten(), sources()[1:]),
        "priority's source has no sources row (source norrbotten-ris3, pages 14, 15)",
    ),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_validation_failure_names_source_and_page(case: str) -> None:
    build, expected = BAD_CASES[case]
    records, source_records = build()
    with pytest.raises(ValidationFailed) as raised:
        validate(priorities_frame(records), sources_frame(source_records), region_codes=REGION_CODES)
    assert expected in raised.value.message
    cases = raised.value.failure_cases
    assert {"table", "column", "check", "failure_case", "source_id", "page"} <= set(cases.columns)
    assert cases["source_id"].notna().all()


def test_all_failures_are_reported_at_once() -> None:
    records = [*norrbotten(), priority("1. Hållbar turism", 6, page=40, region_code="SE339")]
    with pytest.raises(ValidationFailed, match=r"^3 failed checks: ") as raised:
        validate(priorities_frame(records), sources_frame(sources()), region_codes=REGION_CODES)
    assert set(raised.value.failure_cases["page"]) == {40}


def test_every_raw_file_needs_exactly_one_sources_row() -> None:
    with pytest.raises(ValidationFailed, match="raw file has no sources row \\(source vasterbotten-ris3\\)"):
        validate(priorities_frame(norrbotten()), sources_frame(sources()), region_codes=REGION_CODES,
                 source_ids={"norrbotten-ris3", "skane-ris3", "vasterbotten-ris3"})


def test_failure_cases_are_written_beside_the_versions(tmp_path: Path) -> None:
    dataset = tmp_path / "priorities"
    run(dataset)
    before = file_bytes(dataset / "v1")
    records = [*norrbotten(), priority("• Hållbar turism", 6, page=5)]
    with pytest.raises(ValidationFailed) as raised:
        validate(priorities_frame(records), sources_frame(sources()), region_codes=REGION_CODES)
    directory = write_failure_cases(raised.value, dataset, now=NOW)
    assert directory == dataset / "failures" / "20250301T093000.000000Z"
    written = pd.read_csv(directory / "failure_cases.csv")
    assert written.loc[0, "source_id"] == "norrbotten-ris3" and written.loc[0, "page"] == 5
    summary = json.loads((directory / "failure_cases.json").read_text())
    assert summary["sources"] == ["norrbotten-ris3"] and summary["message"] == raised.value.message
    assert [info.version for info in list_versions(dataset)] == [1]
    assert file_bytes(dataset / "v1") == before


# --- versions ----------------------------------------------------------------------------


def test_first_version_lists_everything_as_added(tmp_path: Path) -> None:
    dataset = tmp_path / "priorities"
    result = run(dataset)
    assert (result.status, result.version, result.path) == ("published", 1, dataset / "v1")
    assert sorted(file_bytes(dataset / "v1")) == [
        "changes.parquet", "current.parquet", "datapackage.json", "manifest.json", "priorities.parquet",
        "schemas/changes.pandera.json", "schemas/current.pandera.json", "schemas/priorities.pandera.json",
        "schemas/sources.pandera.json", "sources.parquet"]
    latest = json.loads((dataset / "latest.json").read_text())
    assert latest == {"version": 1, "path": "v1", "created_at": "2025-03-01T09:30:00.000000+00:00"}
    changes = result.changes
    assert set(changes[ChangeSchema.change]) == {"added"} and len(changes) == 6
    assert changes[ChangeSchema.previous_version].isna().all()
    manifest = json.loads((dataset / "v1" / "manifest.json").read_text())
    assert manifest["row_counts"] == {"priorities": 6, "sources": 2, "changes": 6, "current": 6}
    assert manifest["previous_version"] is None
    assert set(manifest["files"]) == set(file_bytes(dataset / "v1")) - {"manifest.json"}
    assert manifest["inputs"] == {"norrbotten-ris3": NORRBOTTEN_SHA, "skane-ris3": SKANE_SHA}
    assert manifest["code_version"] == "0.1.0+g5bd2f16"
    for name, described in manifest["files"].items():
        assert hashlib.sha256((dataset / "v1" / name).read_bytes()).hexdigest() == described["sha256"]
    package = json.loads((dataset / "v1" / "datapackage.json").read_text())
    assert [r["path"] for r in package["resources"]] == [
        "priorities.parquet", "sources.parquet", "changes.parquet", "current.parquet"]
    for resource in package["resources"]:
        data = (dataset / "v1" / resource["path"]).read_bytes()
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert "bytes" not in resource  # frictionless counts none for Parquet; the manifest has it
        assert manifest["files"][resource["path"]]["bytes"] == len(data)


def test_same_data_is_unchanged_and_writes_nothing(tmp_path: Path) -> None:
    dataset = tmp_path / "priorities"
    run(dataset)
    def written() -> dict[str, int]:  # the lock file aside: taking the lock touches it
        return {path.name: path.stat().st_mtime_ns for path in dataset.iterdir() if path.name != ".lock"}

    before = written()
    result = run(dataset, now=NOW + timedelta(days=3))
    assert (result.status, result.version) == ("unchanged", 1)
    assert result.changes.empty and list(result.changes.columns) == list(ChangeSchema.to_schema().columns)
    assert written() == before


def test_one_reworded_priority_is_one_removed_and_one_added(tmp_path: Path) -> None:
    dataset = tmp_path / "priorities"
    run(dataset)
    v1 = file_bytes(dataset / "v1")
    areas = [*NORRBOTTEN_AREAS[:4], "Besöksnäring"]
    result = run(dataset, norrbotten(areas), now=NOW + timedelta(days=30))
    assert (result.status, result.version) == ("published", 2)
    _, _, changes = read_version(dataset, 2)
    assert changes[[ChangeSchema.change, ChangeSchema.priority]].values.tolist() == [
        ["added", "Besöksnäring"], ["removed", "Upplevelsenäring"]]
    assert set(changes[ChangeSchema.version]) == {2} and set(changes[ChangeSchema.previous_version]) == {1}
    assert file_bytes(dataset / "v1") == v1
    assert latest_version(dataset) == 2


def test_reordering_only_is_a_new_version_without_changes(tmp_path: Path) -> None:
    """Positions are published data, so a new order is a new version; nothing was added or removed."""
    dataset = tmp_path / "priorities"
    run(dataset)
    result = run(dataset, norrbotten(list(reversed(NORRBOTTEN_AREAS))))
    assert (result.status, result.version) == ("published", 2)
    assert result.changes.empty
    assert pq.read_table(dataset / "v2" / "changes.parquet").schema == CHANGES_ARROW


def test_same_data_gives_identical_bytes(tmp_path: Path) -> None:
    first = run(tmp_path / "a", now=NOW)
    second = run(tmp_path / "b", list(reversed(norrbotten())), now=NOW + timedelta(hours=5))
    a, b = file_bytes(first.path), file_bytes(second.path)
    for name in ("priorities.parquet", "sources.parquet", "changes.parquet", "current.parquet"):
        assert a[name] == b[name], name
    assert {k: v for k, v in a.items() if k.startswith("schemas/")} == {
        k: v for k, v in b.items() if k.startswith("schemas/")}
    assert a["manifest.json"] != b["manifest.json"]  # created_at differs


def test_fingerprint_ignores_row_order_but_not_content() -> None:
    priorities, source_table = tables()
    shuffled = priorities.sample(frac=1, random_state=3)
    assert data_fingerprint(priorities, source_table) == data_fingerprint(shuffled, source_table)
    reworded = priorities.copy()
    reworded.loc[0, PrioritySchema.priority] = "Rymdteknik"
    assert data_fingerprint(priorities, source_table) != data_fingerprint(reworded, source_table)


def test_empty_tables_keep_their_types(tmp_path: Path) -> None:
    dataset = tmp_path / "priorities"
    priorities, source_table = validate(priorities_frame([]), sources_frame([]), region_codes=REGION_CODES)
    result = publish(priorities, source_table, dataset, code_version="0.1.0", inputs={}, now=NOW)
    for table in TABLE_FILES:  # a version published without themes has only these
        schema = ARROW_SCHEMAS[table]
        stored = pq.read_table(result.path / f"{table}.parquet")
        assert stored.num_rows == 0 and stored.schema == schema
    read_priorities, read_sources, _ = read_version(dataset)
    assert read_priorities.dtypes.equals(priorities_frame([]).dtypes)
    assert read_sources.dtypes.equals(sources_frame([]).dtypes)


def test_read_version_round_trips(tmp_path: Path) -> None:
    dataset = tmp_path / "priorities"
    priorities, source_table = tables()
    run(dataset)
    read_priorities, read_sources, _ = read_version(dataset)
    key = list(PrioritySchema.to_schema().unique)
    expected = priorities.sort_values(key, ignore_index=True)
    pd.testing.assert_frame_equal(read_priorities.sort_values(key, ignore_index=True), expected)
    pd.testing.assert_frame_equal(read_sources, source_table.sort_values(SourceSchema.source_id, ignore_index=True))


def test_other_readers_see_the_documented_types(tmp_path: Path) -> None:
    path = run(tmp_path / "priorities").path
    priorities = path / "priorities.parquet"

    frame = pd.read_parquet(priorities)
    assert frame[PrioritySchema.position].dtype == "int32"
    assert frame[PrioritySchema.bbox].iloc[0] == {"x0": 56.7, "top": 218.0, "x1": 310.2, "bottom": 232.0}

    polars = pl.read_parquet(priorities)
    assert polars.schema[PrioritySchema.position] == pl.Int32
    assert polars.schema[PrioritySchema.bbox] == pl.Struct(
        {"x0": pl.Float64, "top": pl.Float64, "x1": pl.Float64, "bottom": pl.Float64})
    assert pl.read_parquet(path / "sources.parquet").schema[SourceSchema.bytes] == pl.Int64

    rows = duckdb.sql(f"describe select * from read_parquet('{priorities}')").fetchall()
    described = {row[0]: row[1] for row in rows}
    assert described[PrioritySchema.position] == "INTEGER"
    assert described[PrioritySchema.bbox] == "STRUCT(x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE)"
    nested = duckdb.sql(f"select count(*) from read_parquet('{priorities}') where bbox is null").fetchall()
    assert nested == [(1,)]
    assert pq.read_schema(path / "sources.parquet").equals(SOURCES_ARROW)


def test_broken_latest_pointer_falls_back_to_newest_complete_version(tmp_path: Path) -> None:
    dataset = tmp_path / "priorities"
    run(dataset)
    (dataset / "latest.json").write_text(json.dumps({"version": 9, "path": "v9", "created_at": "x"}))
    assert latest_version(dataset) == 1
    (dataset / "v2").mkdir()  # a half-copied version without a manifest
    assert [info.version for info in list_versions(dataset)] == [1]
    result = run(dataset, norrbotten(NORRBOTTEN_AREAS[:3]))
    assert result.version == 10  # never reuses a number latest.json or a directory has used
    assert latest_version(dataset) == 10


def test_leftover_temp_dirs_are_ignored_then_removed(tmp_path: Path) -> None:
    dataset = tmp_path / "priorities"
    run(dataset)
    leftover = dataset / ".tmp-0123456789abcdef"
    leftover.mkdir()
    (leftover / "priorities.parquet").write_bytes(b"PAR1 truncated")
    assert [info.version for info in list_versions(dataset)] == [1]
    run(dataset, norrbotten(NORRBOTTEN_AREAS[:3]))
    assert not leftover.exists()


def test_list_versions_reports_counts(tmp_path: Path) -> None:
    dataset = tmp_path / "priorities"
    run(dataset)
    run(dataset, norrbotten(NORRBOTTEN_AREAS[:3]), now=NOW + timedelta(days=1))
    infos = list_versions(dataset)
    assert [(i.version, i.priorities, i.sources, i.changes) for i in infos] == [(1, 6, 2, 6), (2, 4, 2, 2)]
    assert infos[1].created_at == NOW + timedelta(days=1) and infos[1].path == dataset / "v2"


def test_a_held_lock_raises_publish_locked(tmp_path: Path) -> None:
    dataset = tmp_path / "priorities"
    dataset.mkdir()
    with filelock.FileLock(dataset / ".lock"), pytest.raises(PublishLocked):
        run(dataset, lock_timeout=0.05)
    assert latest_version(dataset) is None and not list(dataset.glob("v*"))


def test_naive_now_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        run(tmp_path / "priorities", now=datetime(2025, 3, 1, 9, 30))


def test_arrow_schemas_follow_the_pandera_column_order() -> None:
    assert PRIORITIES_ARROW.names == list(PrioritySchema.to_schema().columns)
    assert SOURCES_ARROW.names == list(SourceSchema.to_schema().columns)
    assert CHANGES_ARROW.names == list(ChangeSchema.to_schema().columns)
    assert PRIORITIES_ARROW.field(PrioritySchema.position).type == pa.int32()
    assert SOURCES_ARROW.field(SourceSchema.bytes).type == pa.int64()


def test_concurrent_runs_take_turns(tmp_path: Path) -> None:
    dataset = tmp_path / "priorities"
    variants = [NORRBOTTEN_AREAS[:n] for n in range(2, 6)]
    with ThreadPoolExecutor(max_workers=len(variants)) as pool:
        results = list(pool.map(lambda areas: run(dataset, norrbotten(areas)), variants))
    assert sorted(result.version for result in results) == [1, 2, 3, 4]
    assert [info.version for info in list_versions(dataset)] == [1, 2, 3, 4]
    assert latest_version(dataset) == 4 and not list(dataset.glob(".tmp-*"))


def test_remote_source_columns_round_trip_and_fetch_times_are_no_change(tmp_path: Path) -> None:
    from datetime import date

    dataset = tmp_path / "priorities"
    remote = dict(url="https://example.org/ris3.pdf", publisher="Region Norrbotten", published=date(2022, 5, 1),
                  scope="region", fetch_status="ok", fetched_at=NOW, last_fetch_success_at=NOW)
    priorities, source_table = tables(source_records=sources(**remote))
    first = publish(priorities, source_table, dataset, code_version="0", inputs={}, now=NOW)
    later = dict(remote, last_fetch_success_at=NOW + timedelta(days=1), fetched_at=NOW + timedelta(hours=1))
    priorities, source_table = tables(source_records=sources(**later))
    second = publish(priorities, source_table, dataset, code_version="0", inputs={}, now=NOW + timedelta(days=1))
    assert (first.status, second.status) == ("published", "unchanged")

    _, read_sources, _ = read_version(dataset)
    row = read_sources.set_index(SourceSchema.source_id).loc["norrbotten-ris3"]
    assert row[SourceSchema.published] == pd.Timestamp("2022-05-01")
    assert row[SourceSchema.fetched_at] == pd.Timestamp(NOW)
    arrow = pq.read_schema(dataset / "v1" / "sources.parquet")
    assert str(arrow.field(SourceSchema.published).type) == "date32[day]"
    assert str(arrow.field(SourceSchema.fetched_at).type) == "timestamp[us, tz=UTC]"

    failed = dict(remote, fetch_status="failed", fetch_error="unreachable: connection refused")
    priorities, source_table = tables(source_records=sources(**failed))
    result = publish(priorities, source_table, dataset, code_version="0", inputs={})
    assert (result.status, result.version) == ("unchanged", 1)  # a failed fetch is the run's, not the data's


# --- the Frictionless data package -------------------------------------------------------


def _frictionless_rows(path: Path) -> tuple[list[str], list[list[object]]]:
    """A Parquet file as header + rows with None for nulls (frictionless' own Parquet reader goes
    through pandas, which turns nulls into NaN that Table Schema constraints then reject)."""
    table = pq.read_table(path)
    return table.column_names, [list(row.values()) for row in table.to_pylist()]


def test_datapackage_is_valid_frictionless_and_describes_the_files(tmp_path: Path) -> None:
    import frictionless
    from frictionless import Package

    skane = priority("Livsmedel", 1, region_code="SE224", region_name="Skåne")
    remote = dict(url="https://www.norrbotten.se/download/18.2c5/1650/RIS3%20Norrbotten.pdf?x=1&y=2",
                  fetch_status="ok")
    priorities, source_table = tables([*norrbotten(), skane], sources(**remote))
    path = publish(priorities, source_table, tmp_path / "priorities", code_version="0", inputs={}, now=NOW).path
    descriptor = json.loads((path / "datapackage.json").read_text())
    report = Package.validate_descriptor(descriptor)
    assert report.valid, report.flatten(["type", "note"])
    manifest = json.loads((path / "manifest.json").read_text())
    for name, described in manifest["files"].items():
        assert hashlib.sha256((path / name).read_bytes()).hexdigest() == described["sha256"], name
    assert [r["name"] for r in descriptor["resources"]] == ["priorities", "sources", "changes", "current"]
    for resource in descriptor["resources"]:
        data = (path / resource["path"]).read_bytes()
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert resource["pandera_schema"] in manifest["files"]
        names = pq.read_schema(path / resource["path"]).names
        assert [field["name"] for field in resource["schema"]["fields"]] == names
    # frictionless reads the Parquet files themselves: nulls in nullable ints and doubles, a real URL
    checked = frictionless.validate(path / "datapackage.json")
    assert checked.valid, checked.flatten(["rowNumber", "fieldName", "note"])
    assert pq.read_table(path / "priorities.parquet")[PrioritySchema.section_confidence].null_count > 0


def test_the_datapackage_schemas_reject_bad_rows(tmp_path: Path) -> None:
    from frictionless import Resource, Schema

    path = run(tmp_path / "priorities").path
    resource = json.loads((path / "datapackage.json").read_text())["resources"][0]
    header, rows = _frictionless_rows(path / resource["path"])
    rows[0][header.index("region_code")] = "Norrbotten"
    rows[1] = list(rows[2])  # a duplicate key
    report = Resource(data=[header, *rows], schema=Schema.from_descriptor(resource["schema"])).validate()
    assert {error[0] for error in report.flatten(["type"])} == {"constraint-error", "primary-key"}


def test_datapackage_field_types_follow_the_parquet_types(tmp_path: Path) -> None:
    path = run(tmp_path / "priorities").path
    resources = {r["name"]: r for r in json.loads((path / "datapackage.json").read_text())["resources"]}
    types = {table: {f["name"]: f["type"] for f in r["schema"]["fields"]} for table, r in resources.items()}
    assert types["priorities"][PrioritySchema.bbox] == "object"
    assert types["priorities"][PrioritySchema.section_confidence] == "number"
    assert types["sources"][SourceSchema.published] == "date"
    assert types["sources"][SourceSchema.fetched_at] == "datetime"
    assert types["current"]["source_published"] == "date"


def test_latest_is_one_path_that_pandas_polars_and_duckdb_read(tmp_path: Path) -> None:
    """`latest` links the newest version's folder, swapped on every publish; a reader needs
    no second step to find it."""
    dataset = tmp_path / "priorities"
    run(dataset)
    assert (dataset / "latest").is_symlink() and (dataset / "latest").resolve().name == "v1"
    run(dataset, norrbotten([*NORRBOTTEN_AREAS[:-1], "Rymdteknik och geodata"]), now=NOW + timedelta(hours=1))
    assert (dataset / "latest").resolve().name == "v2"
    path = dataset / "latest" / "priorities.parquet"
    expected = len(pd.read_parquet(dataset / "v2" / "priorities.parquet"))
    assert len(pd.read_parquet(path)) == len(pl.read_parquet(path)) == expected
    assert duckdb.sql(f"SELECT count(*) FROM '{path}'").fetchall() == [(expected,)]
    assert [v.version for v in list_versions(dataset)] == [1, 2]  # the link is no version
    assert not [p for p in dataset.iterdir() if p.name.startswith(".tmp")]
