"""inputs/plan.py: which sources a run has, what a missing one's row says, what a
re-extraction selects."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime

import pytest

from smartspec.extractors.records import SourceRecord
from smartspec.extractors.regions import load_gazetteer
from smartspec.inputs.sources import SourceConfig
from smartspec.fetching import FetchResult, snapshots_root
from smartspec.fetching.snapshots import FetchState, Snapshot, sidecar_path, snapshot_name, source_dir, write_state
from smartspec.inputs.plan import (
    Input,
    SelectionError,
    annotate,
    plan_inputs,
    recorded_fetch,
    select_sources,
    unavailable,
)
from smartspec.extractors.records import SourceOutcome
from smartspec.schemas.vocabulary import FETCH_FAILED_ERROR, ID_CLASH_ERROR, NOT_FOUND_ERROR

WHEN = datetime(2024, 5, 1, 6, 0, tzinfo=UTC)
SHA = "c" * 64


def _raw(tmp_path, toml: str):
    raw = tmp_path / "raw"
    (raw / "skane").mkdir(parents=True)
    (raw / "skane" / "strategi.md").write_text("# Skåne\n", encoding="utf-8")
    (raw / "deck.pptx").write_bytes(b"PK")
    (raw / "sources.toml").write_text(toml, encoding="utf-8")
    return raw


def test_plan_has_files_remote_entries_and_missing_paths_in_id_order(tmp_path):
    raw = _raw(tmp_path, """
[[source]]
id = "skane"
path = "skane/strategi.md"
region = "SE224"
[[source]]
id = "a-remote"
url = "http://127.0.0.1:9/a.pdf"
[[source]]
id = "missing"
path = "nowhere.pdf"
""")
    plan = plan_inputs(raw)
    assert [i.source_id for i in plan] == ["a-remote", "deck", "missing", "skane"]
    remote, deck, missing, skane = plan
    assert remote.remote and remote.file is None
    assert deck.file is not None and deck.config is None and not deck.remote
    assert missing.file is None and not missing.remote
    assert skane.file.relative == "skane/strategi.md" and skane.config.region == "SE224"


def test_a_configured_id_that_a_file_would_have_takes_it_and_the_file_its_path(tmp_path):
    raw = _raw(tmp_path, '[[source]]\nid = "deck"\nurl = "http://127.0.0.1:9/deck.pptx"\n')
    plan = {i.source_id: i for i in plan_inputs(raw)}
    assert plan["deck"].remote and plan["deck.pptx"].file.relative == "deck.pptx"


def test_an_entry_whose_id_is_taken_gets_a_failed_row_saying_why(tmp_path):
    raw = _raw(tmp_path, '[[source]]\nid = "deck"\npath = "deck.pptx"\n'
                         '[[source]]\nid = "deck"\npath = "skane/strategi.md"\n')
    plan = {i.source_id: i for i in plan_inputs(raw)}
    assert sorted(plan) == ["deck", "skane/strategi"]
    refused = plan["skane/strategi"]
    assert refused.file is None and not refused.remote
    row = unavailable(raw, refused, None).source
    assert (row.source_id, row.status, row.error_type, row.source_file, row.format) == (
        "skane/strategi", "failed", ID_CLASH_ERROR, "skane/strategi.md", "md")
    assert row.error_message.startswith("sources.toml: source id 'deck' is given twice (also to deck.pptx)")


def test_rows_for_sources_with_nothing_to_read(tmp_path):
    raw = tmp_path / "raw"
    remote = Input("gone", SourceConfig(id="gone", url="http://127.0.0.1:9/files/gone.pdf"))
    fetch = FetchResult("gone", "failed", None, None, None, 404, "HTTP 404 Not Found", None, None)
    row = unavailable(raw, remote, fetch).source
    assert (row.status, row.error_type, row.format, row.sha256) == ("failed", FETCH_FAILED_ERROR, "pdf", None)
    assert "HTTP 404 Not Found" in row.error_message and "http://127.0.0.1:9/files/gone.pdf" in row.error_message
    assert row.source_file == "_snapshots/gone"

    missing = Input("m", SourceConfig(id="m", path="sub/m.docx"))
    row = unavailable(raw, missing, None).source
    assert (row.error_type, row.format, row.source_file) == (NOT_FOUND_ERROR, "docx", "sub/m.docx")
    assert row.error_message == "file not found: raw/sub/m.docx (from sources.toml)"

    nothing = unavailable(raw, Input("n", SourceConfig(id="n")), None).source
    assert "neither a path nor a url" in nothing.error_message


def _outcome() -> SourceOutcome:
    return SourceOutcome(SourceRecord(
        source_id="s", source_file="_snapshots/s/x.pdf", format="pdf", sha256=SHA, bytes=3, pages=1, status="ok",
        error_type=None, error_message=None, region_count=0, priority_count=0,
    ))


def test_annotate_adds_config_and_fetch_fields():
    config = SourceConfig(id="s", url="http://127.0.0.1:9/x.pdf", publisher="Region Skåne", published=date(2024, 5, 1))
    failed = FetchResult("s", "failed", None, WHEN, WHEN, None, "unreachable: refused", None, SHA)
    row = annotate(_outcome(), config, failed).source
    assert (row.url, row.publisher, row.published) == (config.url, "Region Skåne", date(2024, 5, 1))
    assert (row.fetch_status, row.fetch_error, row.fetched_at, row.last_fetch_success_at) == (
        "failed", "unreachable: refused", WHEN, WHEN)
    ok = FetchResult("s", "not_modified", None, WHEN, WHEN, 304, None, '"e"', SHA)
    fetched = annotate(_outcome(), config, ok).source
    assert (fetched.fetch_status, fetched.fetch_error) == ("ok", None)
    local = annotate(_outcome(), SourceConfig(id="s", path="x.pdf", publisher="P"), None).source
    assert local.publisher == "P" and local.fetch_status is None
    assert annotate(_outcome(), None, None) == _outcome()


def test_recorded_fetch_reads_state_and_snapshot_without_network(tmp_path):
    snapshots = snapshots_root(tmp_path / "raw")
    config = SourceConfig(id="s", url="http://127.0.0.1:9/x.pdf")
    assert recorded_fetch(snapshots, config).status == "failed"
    assert recorded_fetch(snapshots, config).error == "not fetched yet"

    folder = source_dir(snapshots, "s")
    folder.mkdir(parents=True)
    path = folder / snapshot_name(WHEN, SHA, ".pdf")
    path.write_bytes(b"%PDF")
    snapshot = Snapshot(path, "s", config.url, config.url, WHEN, '"e"', None, SHA, 4, "application/pdf", 200)
    record = {k: v for k, v in dataclasses.asdict(snapshot).items() if k != "path"}
    record["fetched_at"] = WHEN.isoformat()
    sidecar_path(path).write_text(json.dumps(record), encoding="utf-8")
    later = datetime(2024, 6, 1, tzinfo=UTC)
    write_state(snapshots, FetchState("s", config.url, later, False, "failed", None, "unreachable: refused", WHEN,
                                      path.name, '"e"', None))
    found = recorded_fetch(snapshots, config)
    assert (found.snapshot_path, found.fetched_at, found.last_success_at) == (path, WHEN, WHEN)
    assert (found.ok, found.error, found.sha256) == (False, "unreachable: refused", SHA)


def _inputs() -> list[Input]:
    return [
        Input("deck"),
        Input("skane", SourceConfig(id="skane", path="skane.md", region="Skåne")),
        Input("norrbotten", SourceConfig(id="norrbotten", path="n.md", region="SE332")),
        Input("other"),
    ]


def test_region_selects_configured_and_previously_extracted_sources():
    gazetteer = load_gazetteer()
    previous = {"deck": frozenset({"SE224", "SE332"}), "other": frozenset({"SE110"}),
                "skane": frozenset({"SE332"})}  # the configured region wins over what it yielded
    assert select_sources(_inputs(), regions=["SE224"], source_ids=[], gazetteer=gazetteer,
                          previous=previous) == {"deck", "skane"}
    assert select_sources(_inputs(), regions=["norrbotten"], source_ids=["other"], gazetteer=gazetteer,
                          previous=previous) == {"deck", "norrbotten", "other"}


def test_unknown_names_and_empty_selections_are_errors():
    gazetteer = load_gazetteer()
    with pytest.raises(SelectionError, match="unknown source id 'nope'"):
        select_sources(_inputs(), regions=[], source_ids=["nope"], gazetteer=gazetteer, previous={})
    with pytest.raises(SelectionError, match="unknown region 'Atlantis'"):
        select_sources(_inputs(), regions=["Atlantis"], source_ids=[], gazetteer=gazetteer, previous={})
    with pytest.raises(SelectionError, match="nothing to re-extract"):
        select_sources(_inputs(), regions=["SE110"], source_ids=[], gazetteer=gazetteer, previous={})
