"""The refresh flow end to end, through Prefect, on the bundled deck and broken neighbours.

One Prefect test harness serves the whole session. Output goes to tmp_path; the published
Parquet is read back with pandas, polars and DuckDB.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pypdf
import pytest
from prefect.testing.utilities import prefect_test_harness
from typer.testing import CliRunner

from flows.cli import app
from flows.extract_priorities import refresh
from publishing.tables import validate
from schemas.priorities import PrioritySchema
from schemas.sources import SourceSchema
from tests.conftest import DATA, DECK, ROOT

SEED_PDF = DATA / "seed_deck.pdf"


@pytest.fixture(scope="session", autouse=True)
def prefect_harness():
    with prefect_test_harness(server_startup_timeout=120):
        yield


def _raw_with_deck(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(DECK, raw / DECK.name)
    return raw


def _encrypted_pdf() -> bytes:
    writer = pypdf.PdfWriter(clone_from=SEED_PDF)
    writer.encrypt("secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _run(raw: Path, out: Path):
    return refresh(raw_dir=str(raw), output_dir=str(out), config=str(ROOT / "pyproject.toml"))


def test_deck_and_broken_files_publish_once_then_unchanged(tmp_path):
    raw = _raw_with_deck(tmp_path)
    (raw / "empty.pdf").write_bytes(b"")
    (raw / "corrupt.pdf").write_bytes(SEED_PDF.read_bytes()[: SEED_PDF.stat().st_size // 3])
    (raw / "locked.pdf").write_bytes(_encrypted_pdf())
    out = tmp_path / "output"

    first = _run(raw, out)
    assert (first.status, first.version) == ("published", 1)
    assert (first.regions, first.priorities, first.sources_ok, first.sources_failed) == (18, 64, 1, 3)

    dataset = out / "priorities"
    assert json.loads((dataset / "latest.json").read_text())["version"] == 1
    priorities = pd.read_parquet(dataset / "v1" / "priorities.parquet")
    sources = pd.read_parquet(dataset / "v1" / "sources.parquet").set_index("source_id")
    validate(priorities, sources.reset_index(), region_codes=set(priorities.region_code))
    assert priorities.region_code.nunique() == 18 and len(priorities) == 64
    assert priorities.groupby("region_code").size().max() <= 6

    assert sources.loc["empty", "status"] == "failed"
    assert "empty file" in sources.loc["empty", "error_message"]
    assert sources.loc["corrupt", "status"] == "failed"
    assert "damaged" in sources.loc["corrupt", "error_message"]
    assert "encrypted" in sources.loc["locked", "error_message"]
    assert "password" in sources.loc["locked", "error_message"]
    assert set(sources.loc[["empty", "corrupt", "locked"], "error_type"]) <= {"UnreadableDocument"}

    second = _run(raw, out)
    assert (second.status, second.version) == ("unchanged", 1)  # still the latest
    assert sorted(p.name for p in dataset.iterdir() if p.name.startswith("v")) == ["v1"]


def test_changing_one_bullet_makes_v2_with_one_removed_and_one_added(tmp_path):
    from pptx import Presentation

    raw = _raw_with_deck(tmp_path)
    out = tmp_path / "output"
    assert _run(raw, out).version == 1

    deck = Presentation(raw / DECK.name)
    changed = 0
    for slide in deck.slides:
        for shape in _all_shapes(slide.shapes):
            for paragraph in getattr(shape, "text_frame", None).paragraphs if shape.has_text_frame else []:
                if paragraph.text == "Smarta material" and paragraph.runs:
                    paragraph.runs[0].text = "Avancerade material"
                    for run in paragraph.runs[1:]:
                        run.text = ""
                    changed += 1
    assert changed == 1
    deck.save(raw / DECK.name)

    result = _run(raw, out)
    assert (result.status, result.version) == ("published", 2)
    changes = pd.read_parquet(out / "priorities" / "v2" / "changes.parquet")
    assert sorted(zip(changes.change, changes.priority)) == [
        ("added", "Avancerade material"), ("removed", "Smarta material")
    ]
    assert set(changes.region_code) == {"SE224"}
    v1 = pd.read_parquet(out / "priorities" / "v1" / "priorities.parquet")
    assert "Smarta material" in set(v1.priority)  # v1 untouched


def _all_shapes(shapes):
    for shape in shapes:
        if shape.shape_type == 6:  # group
            yield from _all_shapes(shape.shapes)
        else:
            yield shape


def test_latest_version_reads_back_with_pandas_polars_and_duckdb(tmp_path):
    raw = _raw_with_deck(tmp_path)
    out = tmp_path / "output"
    _run(raw, out)
    path = out / "priorities" / "v1" / "priorities.parquet"

    arrow = pq.read_schema(path)
    assert str(arrow.field("position").type) == "int32"
    assert str(arrow.field("page").type) == "int32"
    assert str(arrow.field("bbox").type).startswith("struct<x0: double not null, top: double")

    frame = pd.read_parquet(path)
    assert list(frame.columns) == list(PrioritySchema.to_schema().columns)
    PrioritySchema.validate(frame)

    polars = pl.read_parquet(path)
    assert polars.schema["position"] == pl.Int32
    assert isinstance(polars.schema["bbox"], pl.Struct)
    assert polars.height == 64

    con = duckdb.connect()
    rows = con.execute(
        "select region_name, count(*) from read_parquet(?) group by 1 order by 1", [str(path)]
    ).fetchall()
    assert len(rows) == 18
    kinds = dict(con.execute("describe select * from read_parquet(?)", [str(path)]).fetchall()[i][:2]
                 for i in range(len(frame.columns)))
    assert kinds["position"] == "INTEGER" and kinds["bbox"].startswith("STRUCT")

    sources = pd.read_parquet(out / "priorities" / "v1" / "sources.parquet")
    assert list(sources.columns) == list(SourceSchema.to_schema().columns)


def test_cli_run_then_versions(tmp_path):
    raw = _raw_with_deck(tmp_path)
    out = tmp_path / "output"
    runner = CliRunner()
    first = runner.invoke(app, ["run", "--raw", str(raw), "--output", str(out)])
    assert first.exit_code == 0, first.output
    assert "priorities: 64" in first.output and "published v1" in first.output
    again = runner.invoke(app, ["run", "--raw", str(raw), "--output", str(out)])
    assert again.exit_code == 0 and again.output.strip().endswith("unchanged")
    listed = runner.invoke(app, ["versions", "--output", str(out)])
    assert listed.exit_code == 0 and "v1" in listed.output and "64" in listed.output
