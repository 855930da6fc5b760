"""The flows end to end, through Prefect: the bundled deck and broken neighbours, remote
sources on a local HTTP server, the extraction cache, re-extraction, parallel runs and the
served deployments on a real local Prefect server.

One Prefect test harness serves the whole session (tests/integration/conftest.py). Output goes to tmp_path; the published
Parquet is read back with pandas, polars and DuckDB. Every server a test starts listens on
127.0.0.1 and is torn down by the test.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pypdf
import pytest
from typer.testing import CliRunner

import smartspec.running.steps as steps
from smartspec.flows.cli import app
from smartspec.flows.extract_priorities import refresh, task_runner_for
from smartspec.extractors.settings import Settings, load_settings
from smartspec.flows.reports import CHANGES_ARTIFACT, SOURCES_ARTIFACT
from smartspec.publishing.runs import read_runs
from smartspec.publishing.tables import validate
from smartspec.schemas.priorities import PrioritySchema
from smartspec.schemas.sources import SourceSchema
from tests.conftest import DATA, DECK, corpus_dir
from smartspec.extractors import hashing
from tests.helpers.hashing import count_hashing, hashed_names
from tests.helpers.http import Route, Site
from tests.helpers.runs import config_file, raw_with_deck, run_refresh, smartspec_command

SEED_PDF = DATA / "seed_deck.pdf"


def _encrypted_pdf() -> bytes:
    writer = pypdf.PdfWriter(clone_from=SEED_PDF)
    writer.encrypt("secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_deck_and_broken_files_publish_once_then_unchanged(tmp_path):
    raw = raw_with_deck(tmp_path)
    (raw / "empty.pdf").write_bytes(b"")
    (raw / "corrupt.pdf").write_bytes(SEED_PDF.read_bytes()[: SEED_PDF.stat().st_size // 3])
    (raw / "locked.pdf").write_bytes(_encrypted_pdf())
    out = tmp_path / "output"

    first = run_refresh(raw, out)
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

    second = run_refresh(raw, out)
    assert (second.status, second.version) == ("unchanged", 1)  # still the latest
    assert sorted(p.name for p in dataset.iterdir() if p.name.startswith("v")) == ["v1"]


def test_changing_one_bullet_makes_v2_with_one_removed_and_one_added(tmp_path):
    raw = raw_with_deck(tmp_path)
    out = tmp_path / "output"
    assert run_refresh(raw, out).version == 1

    (raw / DECK.name).write_bytes(_deck_with_bullet_renamed())

    result = run_refresh(raw, out)
    assert (result.status, result.version) == ("published", 2)
    changes = pd.read_parquet(out / "priorities" / "v2" / "changes.parquet")
    assert sorted(zip(changes.change, changes.priority)) == [
        ("added", "Avancerade material"), ("removed", "Smarta material")
    ]
    assert set(changes.region_code) == {"SE224"}
    v1 = pd.read_parquet(out / "priorities" / "v1" / "priorities.parquet")
    assert "Smarta material" in set(v1.priority)  # v1 untouched


def _deck_with_bullet_renamed(old: str = "Smarta material", new: str = "Avancerade material") -> bytes:
    """The bundled deck with one of Skåne's bullets reworded, saved with python-pptx."""
    from pptx import Presentation

    deck = Presentation(DECK)
    changed = 0
    for slide in deck.slides:
        for shape in _all_shapes(slide.shapes):
            for paragraph in shape.text_frame.paragraphs if shape.has_text_frame else []:
                if paragraph.text == old and paragraph.runs:
                    paragraph.runs[0].text = new
                    for run in paragraph.runs[1:]:
                        run.text = ""
                    changed += 1
    assert changed == 1
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _all_shapes(shapes):
    for shape in shapes:
        if shape.shape_type == 6:  # group
            yield from _all_shapes(shape.shapes)
        else:
            yield shape


def test_latest_version_reads_back_with_pandas_polars_and_duckdb(tmp_path):
    raw = raw_with_deck(tmp_path)
    out = tmp_path / "output"
    run_refresh(raw, out)
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


def test_renditions_and_clashing_names_all_publish_with_distinct_ids(tmp_path, monkeypatch):
    """x.pdf, x.PDF, x.pptx and x.docx share the id `x`: each takes its path and they share a
    document_id; deck.pdf alone keeps `deck`; a sources.toml id given twice is a failed row."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("x.pdf", "x.PDF", "deck.pdf"):  # the same bytes: read once, then from the cache
        shutil.copy(SEED_PDF, raw / name)
    shutil.copy(DECK, raw / "x.pptx")
    shutil.copy(DATA / "strategies" / "skane-innovationsstrategi-2021-2027.docx", raw / "x.docx")
    for name in ("notes.txt", "other.txt"):
        shutil.copy(DATA / "seed_deck.txt", raw / name)
    (raw / "sources.toml").write_text(
        '[[source]]\nid = "notes"\npath = "notes.txt"\n[[source]]\nid = "notes"\npath = "other.txt"\n',
        encoding="utf-8",
    )
    out = tmp_path / "output"
    monkeypatch.chdir(tmp_path)
    config_file(tmp_path)
    result = CliRunner().invoke(app, ["run", "--raw", str(raw), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "published v1" in result.output and "Traceback" not in result.output

    version = out / "priorities" / "v1"
    sources = pd.read_parquet(version / "sources.parquet").set_index("source_id")
    assert sorted(sources.index) == ["deck", "notes", "other", "x.PDF", "x.docx", "x.pdf", "x.pptx"]
    renditions = ["x.PDF", "x.docx", "x.pdf", "x.pptx"]
    assert set(sources.loc[renditions, "document_id"]) == {"x"}
    assert sources.loc["deck", "document_id"] == "deck" and pd.isna(sources.loc["deck", "renditions_agree"])
    assert (sources.loc[renditions, "status"] == "ok").all()
    # the Skåne strategy as x.docx lists other priorities than the deck as x.pdf
    assert (sources.loc[renditions, "renditions_agree"] == False).all()  # noqa: E712
    assert (sources.loc["other", "status"], sources.loc["other", "error_type"]) == ("failed", "SourceIdClash")
    assert "source id 'notes' is given twice (also to notes.txt)" in sources.loc["other", "error_message"]
    assert sources.loc["notes", "status"] == "ok"

    priorities = pd.read_parquet(version / "priorities.parquet")
    assert set(priorities.source_id) == {"deck", "notes", *renditions}
    current = pd.read_parquet(version / "current.parquet")
    assert current.groupby("region_code").source_id.nunique().max() == 1
    assert set(current[current.region_code == "SE224"].source_id) <= {"x.docx", "deck", "notes"}


def test_cli_run_then_versions(tmp_path, monkeypatch):
    raw = raw_with_deck(tmp_path)
    out = tmp_path / "output"
    monkeypatch.chdir(tmp_path)  # the CLI reads ./pyproject.toml: the test's, with its own cache
    config_file(tmp_path)
    runner = CliRunner()
    first = runner.invoke(app, ["run", "--raw", str(raw), "--output", str(out)])
    assert first.exit_code == 0, first.output
    assert "priorities: 64" in first.output and "published v1" in first.output
    again = runner.invoke(app, ["run", "--raw", str(raw), "--output", str(out)])
    assert again.exit_code == 0 and again.output.strip().endswith("unchanged")
    listed = runner.invoke(app, ["versions", "--output", str(out)])
    assert listed.exit_code == 0 and "v1" in listed.output and "64" in listed.output


def test_cli_run_while_another_run_holds_the_output_exits_3_and_reads_nothing(tmp_path, monkeypatch, reads):
    from smartspec.publishing.locks import run_lock

    raw = raw_with_deck(tmp_path)
    out = tmp_path / "output"
    monkeypatch.chdir(tmp_path)
    config_file(tmp_path)
    runner = CliRunner()
    with run_lock(out):  # as another smartspec process would
        locked = runner.invoke(app, ["run", "--raw", str(raw), "--output", str(out)])
        waited = runner.invoke(app, ["run", "--raw", str(raw), "--output", str(out), "--wait", "0.5"])
    assert locked.exit_code == 3 and "another smartspec run is in progress" in locked.output
    assert waited.exit_code == 3 and "after waiting 0.5 s" in waited.output
    assert reads == [] and not (out / "priorities" / "latest.json").exists()
    after = runner.invoke(app, ["run", "--raw", str(raw), "--output", str(out)])
    assert after.exit_code == 0 and "published v1" in after.output


# --- the extraction cache -----------------------------------------------------------------


def test_unchanged_rerun_reads_no_document(tmp_path, reads):
    raw = raw_with_deck(tmp_path)
    (raw / "notes.md").write_text("# Anteckningar\n\nInga prioriteringar här.\n", encoding="utf-8")
    out = tmp_path / "output"
    first = run_refresh(raw, out)
    assert (first.extracted, first.cached, first.status) == (2, 0, "published")
    assert sorted(reads) == ["notes", DECK.stem]

    reads.clear()
    second = run_refresh(raw, out)
    assert (second.extracted, second.cached, second.status, second.version) == (0, 2, "unchanged", 1)
    assert reads == []  # answered from the cache: no document opened

    forced = run_refresh(raw, out, use_cache=False)
    assert (forced.extracted, forced.cached, forced.status) == (2, 0, "unchanged")


def test_an_unchanged_run_by_hand_is_settled_without_starting_prefect(tmp_path):
    from smartspec.flows.noop import settle_unchanged

    raw = raw_with_deck(tmp_path)
    out = tmp_path / "output"
    assert run_refresh(raw, out).version == 1
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1", "PREFECT_HOME": str(tmp_path / "prefect-home")}
    env.pop("PREFECT_API_URL", None)
    done = subprocess.run([*smartspec_command(), "run"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[-1] == "unchanged" and "priorities: 64" in lines
    assert lines[-2].startswith("nothing read: the inputs of the run of ")
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "prefect" not in imported and not (tmp_path / "prefect-home").exists()
    runs = read_runs(out / "priorities")
    assert [(r["status"], r["version"]) for r in runs] == [("published", 1), ("unchanged", 1)]
    assert runs[0]["key"] == runs[1]["key"] is not None

    settings = load_settings(tmp_path / "pyproject.toml", raw_dir=raw, output_dir=out)
    (raw / "notes.txt").write_text("Smart specialisering\n", encoding="utf-8")  # a new input: the flow must run
    assert settle_unchanged(settings) is None
    (raw / "notes.txt").unlink()
    config_file(tmp_path, document_timeout_s=61)  # another setting extraction depends on
    assert settle_unchanged(load_settings(tmp_path / "pyproject.toml", raw_dir=raw, output_dir=out)) is None


# --- remote sources on a local HTTP server --------------------------------------------------


@pytest.fixture
def site(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # never a proxy between the flow and this server
    server = Site()
    yield server
    server.stop()


PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def test_remote_sources_fetch_conditionally_and_go_on_from_snapshots(tmp_path, site, reads):
    site.routes["/seed.pdf"] = Route(SEED_PDF.read_bytes(), etag='"pdf-1"', content_type="application/pdf")
    site.routes["/deck.pptx"] = Route(DECK.read_bytes(), etag='"deck-1"', content_type=PPTX_TYPE)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "sources.toml").write_text(f"""
[[source]]
id = "seed-pdf"
url = "{site.url('/seed.pdf')}"
publisher = "Tillväxtverket"
published = 2019-05-01

[[source]]
id = "seed-deck"
url = "{site.url('/deck.pptx')}"

[[source]]
id = "gone"
url = "{site.url('/gone.pdf')}"
""", encoding="utf-8")
    config_file(tmp_path, fetch_retries=1, fetch_backoff=0.0, fetch_timeout=5.0)
    out = tmp_path / "output"
    dataset = out / "priorities"

    # 1. everything downloaded and read; the 404 is a failed row, not a missing one
    first = run_refresh(raw, out)
    assert (first.status, first.version, first.extracted) == ("published", 1, 2)
    assert (first.priorities, first.sources_ok, first.sources_failed) == (128, 2, 1)
    sources = pd.read_parquet(dataset / "v1" / "sources.parquet").set_index("source_id")
    assert list(sources.loc[["seed-pdf", "seed-deck"], "fetch_status"]) == ["ok", "ok"]
    assert sources.loc["seed-pdf", "publisher"] == "Tillväxtverket"
    assert str(sources.loc["seed-pdf", "published"])[:10] == "2019-05-01"
    assert sources.loc["seed-pdf", "source_file"].startswith("_snapshots/seed-pdf/")
    assert sources.loc["seed-pdf", "url"] == site.url("/seed.pdf")
    assert (sources.loc["gone", "status"], sources.loc["gone", "fetch_status"]) == ("failed", "failed")
    assert "HTTP 404" in sources.loc["gone", "error_message"] and "HTTP 404" in sources.loc["gone", "fetch_error"]
    assert pd.isna(sources.loc["gone", "last_fetch_success_at"])
    assert len(list((raw / "_snapshots" / "seed-pdf").glob("*.pdf"))) == 1

    # 2. conditional requests: 304s, nothing read, nothing published
    reads.clear()
    second = run_refresh(raw, out)
    assert "if-none-match" not in site.seen("/deck.pptx")[0]
    assert site.seen("/deck.pptx")[-1]["if-none-match"] == '"deck-1"'
    assert site.seen("/seed.pdf")[-1]["if-none-match"] == '"pdf-1"'
    assert (second.status, second.version, second.cached, second.extracted) == ("unchanged", 1, 2, 0)
    assert reads == []
    assert sorted(p.name for p in dataset.glob("v*")) == ["v1"]
    assert {(row["source_id"], row["outcome"]) for row in _artifact(SOURCES_ARTIFACT)} == {
        ("seed-pdf", "cached"), ("seed-deck", "cached"), ("gone", "not read")}

    # 3. the server has a new deck: only it is read, v2 lists the change
    site.routes["/deck.pptx"] = Route(_deck_with_bullet_renamed(), etag='"deck-2"', content_type=PPTX_TYPE)
    reads.clear()
    third = run_refresh(raw, out)
    assert (third.status, third.version) == ("published", 2)
    assert reads == ["seed-deck"]
    changes = pd.read_parquet(dataset / "v2" / "changes.parquet")
    # (priorities are matched per region, so the removal may be booked to either copy of the bullet)
    assert sorted(zip(changes.change, changes.priority)) == [
        ("added", "Avancerade material"), ("removed", "Smarta material")]
    assert set(changes.region_code) == {"SE224"}
    assert "## Skåne (SE224): 1 added, 1 removed" in _artifact(CHANGES_ARTIFACT)
    assert len(list((raw / "_snapshots" / "seed-deck").glob("*.pptx"))) == 2  # the old one kept
    last_success = pd.read_parquet(dataset / "v2" / "sources.parquet").set_index("source_id").loc[
        "seed-deck", "last_fetch_success_at"]

    # 4. the server is down: the run goes on from the snapshots and says so; the data is the
    # same, so no version: the run record has what the run went through
    site.stop()
    reads.clear()
    fourth = run_refresh(raw, out)
    assert reads == []
    assert (fourth.sources_ok, fourth.priorities) == (2, 128)
    assert {sid for sid, _, _ in fourth.fetch_failed} == {"seed-pdf", "seed-deck", "gone"}
    assert (fourth.status, fourth.version) == ("unchanged", 2)
    assert "fetch: 0 downloaded, 0 not modified (304), 0 downloaded, same content, 3 failed" in fourth.lines()
    run = read_runs(dataset)[-1]
    assert (run["flow"], run["status"], run["version"], run["fetch"]["failed"]) == ("refresh", "unchanged", 2, 3)
    deck = {row["source_id"]: row for row in run["sources"]}["seed-deck"]
    assert (deck["status"], deck["read"], deck["fetch"]["status"]) == ("ok", "cached", "failed")
    assert deck["fetch"]["error"].startswith("unreachable")
    assert deck["fetch"]["last_success_at"] == last_success.isoformat(timespec="seconds")
    assert "unreachable" in " ".join(fourth.lines())
    fetches = {row["source_id"]: row["fetch"] for row in _artifact(SOURCES_ARTIFACT)}
    assert fetches["seed-deck"].startswith("failed: unreachable")
    assert [r["status"] for r in read_runs(dataset)] == ["published", "unchanged", "published", "unchanged"]


def _published_files_work_with_other_tools(dataset: Path) -> None:
    """What a downstream user runs on the latest version: the DuckDB and frictionless programs."""
    bin_dir = Path(sys.executable).parent
    latest = dataset / "latest"
    query = subprocess.run([str(bin_dir / "duckdb"), "-csv", "-noheader", "-c",
                            f"SELECT count(*) FROM '{latest / 'priorities.parquet'}'"],
                           capture_output=True, text=True, timeout=60)
    assert query.returncode == 0, query.stderr
    assert int(query.stdout) == len(pd.read_parquet(latest / "priorities.parquet"))
    checked = subprocess.run([str(bin_dir / "frictionless"), "validate", "--json", str(latest / "datapackage.json")],
                             capture_output=True, text=True, timeout=120)
    report = json.loads(checked.stdout)
    errors = [(task["name"], error["message"]) for task in report["tasks"] for error in task["errors"]]
    assert checked.returncode == 0 and report["valid"], errors[:5]


def test_outage_recovery_and_a_failing_source_make_no_version_a_reupload_does(tmp_path, site):
    seed = SEED_PDF.read_bytes()
    site.routes["/seed.pdf"] = Route(seed, etag='"pdf-1"', content_type="application/pdf")
    raw = tmp_path / "raw"
    raw.mkdir()
    entries = f"""
[[source]]
id = "seed-pdf"
url = "{site.url('/seed.pdf')}"
publisher = "Tillväxtverket"
"""
    (raw / "sources.toml").write_text(entries, encoding="utf-8")
    config_file(tmp_path, fetch_retries=0, fetch_backoff=0.0, fetch_timeout=5.0)
    out = tmp_path / "output"
    dataset = out / "priorities"
    assert run_refresh(raw, out).version == 1
    _published_files_work_with_other_tools(dataset)

    site.stop()  # an outage
    assert (run_refresh(raw, out).status, run_refresh(raw, out).status) == ("unchanged", "unchanged")
    site.start()  # and its recovery
    recovered = run_refresh(raw, out)
    assert (recovered.status, recovered.version, dict(recovered.fetches)["not_modified"]) == ("unchanged", 1, 1)

    # a source added that fails: a row in the run record, no version
    (raw / "sources.toml").write_text(entries + f'[[source]]\nid = "gone"\nurl = "{site.url("/gone.pdf")}"\n',
                                      encoding="utf-8")
    failing = run_refresh(raw, out)
    assert (failing.status, failing.version, failing.sources_failed) == ("unchanged", 1, 1)
    runs = read_runs(dataset)
    assert [(r["status"], r["fetch"]) for r in runs] == [
        ("published", {"fetched": 1, "not_modified": 0, "unchanged_content": 0, "failed": 0}),
        ("unchanged", {"fetched": 0, "not_modified": 0, "unchanged_content": 0, "failed": 1}),
        ("unchanged", {"fetched": 0, "not_modified": 0, "unchanged_content": 0, "failed": 1}),
        ("unchanged", {"fetched": 0, "not_modified": 1, "unchanged_content": 0, "failed": 0}),
        ("unchanged", {"fetched": 0, "not_modified": 1, "unchanged_content": 0, "failed": 1}),
    ]
    gone = {row["source_id"]: row for row in runs[-1]["sources"]}["gone"]
    assert (gone["status"], gone["fetch"]["http_status"]) == ("failed", 404)

    # the same document uploaded again with other bytes: a version that says so
    site.routes["/seed.pdf"] = Route(seed + b"\n% uploaded again\n", etag='"pdf-2"', content_type="application/pdf")
    reupload = run_refresh(raw, out)
    assert (reupload.status, reupload.version, reupload.priorities) == ("published", 2, 64)
    manifest = json.loads((dataset / "v2" / "manifest.json").read_text())
    assert len(manifest["reasons"]) == 1
    assert manifest["reasons"][0].startswith("source seed-pdf replaced (sha256 ")
    assert manifest["reasons"][0].endswith("): same priorities")
    assert "- source seed-pdf replaced (sha256 " in (dataset / "CHANGELOG.md").read_text()
    assert pd.read_parquet(dataset / "v2" / "changes.parquet").empty
    # v2 has a URL, nulls (level-1 parent_position, section_confidence) and a failed source
    sources = pd.read_parquet(dataset / "v2" / "sources.parquet", dtype_backend="pyarrow").set_index("source_id")
    assert sources.loc["gone", "status"] == "failed" and sources.loc["seed-pdf", "url"].startswith("http://")
    _published_files_work_with_other_tools(dataset)


def _artifact(key: str):
    """The latest artifact with this key: a table's rows, or markdown text."""
    from prefect.artifacts import Artifact

    found = Artifact.get(key)
    assert found is not None, key
    return json.loads(found.data) if found.type == "table" else found.data


# --- manual re-extraction -------------------------------------------------------------------


def _skane_project(tmp_path: Path) -> Path:
    raw = raw_with_deck(tmp_path)
    (raw / "skane.md").write_text("# Region Skånes innovationsstrategi\n\nSmart specialisering.\n",
                                  encoding="utf-8")
    (raw / "norrbotten.md").write_text("# Norrbottens strategi\n\nText.\n", encoding="utf-8")
    (raw / "sources.toml").write_text("""
[[source]]
id = "skane"
path = "skane.md"
region = "SE224"
publisher = "Region Skåne"

[[source]]
id = "norrbotten"
path = "norrbotten.md"
region = "Norrbotten"
""", encoding="utf-8")
    config_file(tmp_path)
    return raw


def test_cli_reextract_region_reads_only_that_regions_sources(tmp_path, monkeypatch, reads):
    raw = _skane_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(app, ["run", "--raw", "raw", "--output", "output"])
    assert first.exit_code == 0, first.output
    assert "published v1" in first.output and "read: 3 extracted, 0 from cache" in first.output
    reads.clear()

    # Skåne: the deck (its last extraction yielded SE224) and skane.md (configured SE224)
    again = runner.invoke(app, ["reextract", "--region", "Skåne"])
    assert again.exit_code == 0, again.output
    assert sorted(reads) == ["skane", DECK.stem]
    assert "read: 2 extracted, 1 from cache" in again.output
    assert again.output.strip().endswith("unchanged")

    reads.clear()
    (raw / DECK.name).write_bytes(_deck_with_bullet_renamed())
    by_source = runner.invoke(app, ["reextract", "--source", DECK.stem, "--region", "SE332"])
    assert by_source.exit_code == 0, by_source.output
    assert sorted(reads) == ["norrbotten", DECK.stem]  # SE332: norrbotten.md (configured) and the deck
    assert "published v2" in by_source.output

    unknown = runner.invoke(app, ["reextract", "--region", "Atlantis"])
    assert unknown.exit_code == 2 and "unknown region 'Atlantis'" in unknown.output
    assert runner.invoke(app, ["reextract"]).exit_code == 2


# --- parallel extraction --------------------------------------------------------------------


def test_parallel_run_gives_the_same_dataset_as_a_sequential_one(tmp_path):
    from smartspec.extractors.settings import Settings

    corpus = corpus_dir("ris3")
    raw = tmp_path / "raw"
    raw.mkdir()
    for pdf in sorted(corpus.glob("*.pdf")):
        shutil.copy(pdf, raw / pdf.name)  # copies: a link out of raw/ is refused
    shutil.copy(DECK, raw / DECK.name)  # so that the comparison has priorities in it

    results = {}
    runs = (("sequential", Settings()), ("threads", Settings(workers=2)),
            ("processes", Settings(workers=2, worker_pool="processes")))
    for name, settings in runs:
        folder = tmp_path / name
        folder.mkdir()
        config = config_file(folder)  # a cache each: every run reads every document
        flow = refresh.with_options(task_runner=task_runner_for(settings))
        summary = flow(load_settings(config, raw_dir=raw, output_dir=folder / "output"))
        assert (summary.status, summary.extracted) == ("published", 8)
        results[name] = folder / "output" / "priorities" / "v1"
    for name in ("threads", "processes"):
        for table in ("priorities.parquet", "sources.parquet"):
            assert (results["sequential"] / table).read_bytes() == (results[name] / table).read_bytes(), (name, table)
    assert len(pd.read_parquet(results["sequential"] / "priorities.parquet")) >= 64


def test_a_dask_cluster_gives_the_same_dataset_as_a_sequential_run(tmp_path, monkeypatch):
    """`--dask-address`: the per-source tasks run on the workers of a real (local) Dask cluster."""
    from distributed import LocalCluster
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    from smartspec.extractors.settings import Settings

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(DECK, raw / DECK.name)
    shutil.copy(DATA / "seed_deck.pdf", raw / "seed_deck.pdf")
    config = config_file(tmp_path)
    # The workers report their task runs to this session's Prefect API, as a cluster's workers
    # would to the server PREFECT_API_URL names.
    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())
    outputs, logs = {}, {}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        for name, settings in (("dask", Settings(dask_address=cluster.scheduler_address)), ("sequential", Settings())):
            flow = refresh.with_options(task_runner=task_runner_for(settings))
            state = flow(load_settings(config, raw_dir=raw, output_dir=tmp_path / name), use_cache=False,
                         return_state=True)
            summary = state.result()
            assert (summary.status, summary.extracted, summary.priorities) == ("published", 2, 128)
            outputs[name] = tmp_path / name / "priorities" / "v1"
            # each Dask worker sends its lines in batches of its own: wait for both readers' warnings
            logs[name] = [log.message for log in _flow_run_logs(
                state.state_details.flow_run_id, get_client, until=lambda found: name == "sequential" or sum(
                    "without a time or memory limit" in log.message for log in found) >= 2)]
    for table in ("priorities.parquet", "sources.parquet"):
        assert (outputs["dask"] / table).read_bytes() == (outputs["sequential"] / table).read_bytes(), table
    # a Dask worker is a daemon process that may not start the reader's child process: it reads
    # without limits and says so, in the flow's log, not only in the worker's
    unlimited = [m for m in logs["dask"] if "without a time or memory limit" in m]
    assert len(unlimited) == 2 and unlimited[0].endswith("may not start child processes"), logs["dask"]
    assert not [m for m in logs["sequential"] if "without a time or memory limit" in m]


# --- served deployments on a real local Prefect server -------------------------------------

DEADLINE = 180.0  # seconds any step of the served test may take



def test_served_reextract_deployment_publishes_a_new_version(tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from smartspec.flows.server import local_server

    raw = raw_with_deck(tmp_path)
    config_file(tmp_path)
    out = tmp_path / "output"
    assert run_refresh(raw, out).version == 1
    (raw / DECK.name).write_bytes(_deck_with_bullet_renamed())

    with local_server(tmp_path / "prefect-server", ui=False, timeout=DEADLINE) as server:
        env = {**os.environ, "PREFECT_API_URL": server.api_url, "PREFECT_HOME": str(tmp_path / "prefect-client"),
               "PREFECT_RUNNER_POLL_FREQUENCY": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        log = (tmp_path / "serve.log").open("wb")
        serving = subprocess.Popen(
            [*smartspec_command(), "serve", "--raw", "raw", "--output", "output"], cwd=tmp_path, env=env,
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
        try:
            with temporary_settings({PREFECT_API_URL: server.api_url}):
                _wait_for_deployments(serving, tmp_path / "serve.log", get_client)
                flow_run = run_deployment(
                    "reextract/reextract", parameters={"regions": ["Skåne"]}, timeout=DEADLINE, poll_interval=1,
                )
                logs = _flow_run_logs(flow_run.id, get_client, until=lambda found: any(
                    log.name == "smartspec.publishing.versions" for log in found))
            assert flow_run.state.is_completed(), (flow_run.state, (tmp_path / "serve.log").read_text())
        finally:
            os.killpg(serving.pid, signal.SIGINT)  # like Ctrl-C: schedules paused, runner stopped
            try:
                serving.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(serving.pid, signal.SIGKILL)
                serving.wait(10)
            log.close()
    assert json.loads((out / "priorities" / "latest.json").read_text())["version"] == 2
    changes = pd.read_parquet(out / "priorities" / "v2" / "changes.parquet")
    assert sorted(changes.priority) == ["Avancerade material", "Smarta material"]
    # served without -v, the run's INFO lines are in its log on the server; httpx's are not
    ours = {(log.name, log.message) for log in logs if log.level == logging.INFO}
    assert ("smartspec.flows.extract_priorities", "re-extracting tillvaxtverket-smart-specialisering-2019") in ours
    assert any(name == "smartspec.publishing.versions" and message.startswith("published ")
               for name, message in ours), ours
    assert not [log for log in logs if log.name.startswith(("httpx", "httpcore"))]


def _flow_run_logs(flow_run_id, get_client, until=lambda found: True, timeout: float = 60) -> list:
    """The log lines the Prefect API has of one flow run (its tasks' included), once `until`
    holds of them or `timeout` seconds have passed: a run's process sends its lines in batches,
    the last ones as it exits, after the run is already reported complete."""
    import anyio
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.logging.handlers import APILogHandler

    async def read() -> list:
        await APILogHandler.aflush()  # what this process logged
        async with get_client() as client:
            return await client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))

    deadline = time.monotonic() + timeout
    found = anyio.run(read)
    while not until(found) and time.monotonic() < deadline:
        time.sleep(0.5)
        found = anyio.run(read)
    return found


def _wait_for_deployments(serving: subprocess.Popen, log: Path, get_client) -> None:
    import anyio
    from prefect.exceptions import ObjectNotFound

    async def registered() -> bool:
        async with get_client() as client:
            try:
                await client.read_deployment_by_name("refresh/refresh")
                await client.read_deployment_by_name("reextract/reextract")
            except ObjectNotFound:  # until serve has registered them
                return False
        return True

    deadline = time.monotonic() + DEADLINE
    while not anyio.run(registered):
        assert serving.poll() is None, f"smartspec serve exited:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"deployments not registered in time:\n{log.read_text()}"
        time.sleep(0.5)


TWO_LISTS = """# Smart specialisering i Region Skåne

## Styrkeområden

- Life science
- Smarta material

## Prioriterade områden

- Livsmedel
- Besöksnäring
"""


def test_needs_review_is_settled_by_a_curation_entry_until_the_file_changes(tmp_path):
    """Two equally plausible lists: nothing published and the candidates in `sources`; an
    entry choosing one publishes it marked curated; an edited file makes the entry stale."""
    raw = raw_with_deck(tmp_path)
    strategy = raw / "skane.md"
    strategy.write_text(TWO_LISTS, encoding="utf-8")
    out = tmp_path / "output"
    dataset = out / "priorities"

    first = run_refresh(raw, out)
    assert (first.status, first.priorities) == ("published", 64)
    sources = pd.read_parquet(dataset / "v1" / "sources.parquet").set_index("source_id")
    assert sources.loc["skane", "status"] == "needs_review"
    candidates = json.loads(sources.loc["skane", "review_candidates"])
    assert {c["heading"] for c in candidates[:2]} == {"Styrkeområden", "Prioriterade områden"}
    assert all(c["items"] and c["page"] == 1 for c in candidates[:2])
    assert pd.isna(sources.loc["skane", "curation"])

    sha = hashlib.sha256(strategy.read_bytes()).hexdigest()
    (raw / "curation.toml").write_text(
        f'[[source]]\nsource_id = "skane"\nsha256 = "{sha}"\n'
        'choose = { page = 1, heading = "Prioriterade områden" }\nnote = "the S3 list"\n',
        encoding="utf-8",
    )
    second = run_refresh(raw, out)
    assert (second.status, second.version, second.priorities) == ("published", 2, 66)
    priorities = pd.read_parquet(dataset / "v2" / "priorities.parquet")
    skane = priorities[priorities.source_id == "skane"]
    assert skane.priority.tolist() == ["Livsmedel", "Besöksnäring"]
    assert set(skane.method) == {"curated"} and set(priorities[priorities.source_id != "skane"].method) == {"extracted"}
    sources = pd.read_parquet(dataset / "v2" / "sources.parquet").set_index("source_id")
    assert (sources.loc["skane", "status"], sources.loc["skane", "curation"]) == ("ok", "applied")
    changelog = (dataset / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "- added (curated): Livsmedel" in changelog

    strategy.write_text(TWO_LISTS + "\nReviderad 2025.\n", encoding="utf-8")
    third = run_refresh(raw, out)
    assert third.version == 3
    sources = pd.read_parquet(dataset / "v3" / "sources.parquet").set_index("source_id")
    assert (sources.loc["skane", "status"], sources.loc["skane", "curation"]) == ("needs_review", "stale")
    assert f"it was written for sha256 {sha[:12]}" in sources.loc["skane", "curation_message"]
    assert "update the entry in raw/curation.toml" in sources.loc["skane", "curation_message"]


def test_the_flow_runs_on_the_settings_it_is_given_not_a_file(tmp_path, monkeypatch):
    """`Settings` is the flow's parameter: made in code, with no settings file anywhere, its
    values are the run's (a file over its size limit is refused, the cache is its folder)."""
    monkeypatch.chdir(tmp_path)  # no pyproject.toml here: nothing to read settings from
    raw = raw_with_deck(tmp_path)
    settings = Settings(raw_dir=raw, output_dir=tmp_path / "output", cache_dir=tmp_path / "own-cache",
                        max_file_mb=0.01)
    summary = refresh(settings)
    assert (summary.sources_ok, summary.failed[0][1]) == (0, "failed")
    assert "too large" in summary.failed[0][2] and "limit 0.01 MB" in summary.failed[0][2]
    summary = refresh(dataclasses.replace(settings, max_file_mb=200.0))
    assert (summary.status, summary.priorities) == ("published", 64)
    assert list((tmp_path / "own-cache").glob("*/*.json"))


def test_a_run_hashes_each_file_once(tmp_path, monkeypatch):
    """The flow's hash of a file (for the cache) is the one its reader records: one hash of the
    file per run, whether the run reads it or answers it from the cache."""
    raw = raw_with_deck(tmp_path)
    (raw / "seed_deck.txt").write_bytes((DATA / "seed_deck.txt").read_bytes())
    log = tmp_path / "hashed.log"
    count_hashing(monkeypatch, log)
    first = run_refresh(raw, tmp_path / "output")
    assert (first.status, first.extracted) == ("published", 2)
    assert sorted(hashed_names(log)) == sorted([DECK.name, "seed_deck.txt"])
    log.unlink()
    hashing._HASHED.clear()  # as the first run of a process
    second = run_refresh(raw, tmp_path / "output")
    assert (second.status, second.cached) == ("unchanged", 2)
    assert sorted(hashed_names(log)) == sorted([DECK.name, "seed_deck.txt"])
    log.unlink()
    third = run_refresh(raw, tmp_path / "output")  # the same process: the unchanged files are not read again
    assert (third.status, third.cached) == ("unchanged", 2) and hashed_names(log) == []
