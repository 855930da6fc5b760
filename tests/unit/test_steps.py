"""flows/steps.py: the per-source step behind the cache, and the run summary."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import UTC, datetime

import pytest

import flows.steps as steps
from extractors.records import SourceRecord
from extractors.settings import load_settings
from extractors.sources import SourceConfig, SourceFile
from flows.steps import RunSummary, SourceOutcome, extract_source, summarise
from tests.conftest import DECK, ROOT


@pytest.fixture
def settings(tmp_path):
    return dataclasses.replace(load_settings(ROOT / "pyproject.toml"), cache_dir=tmp_path / "cache")


@pytest.fixture
def reads(monkeypatch):
    """The source ids the reader is asked for, in order."""
    seen: list[str] = []
    real = steps.read_document

    def counting(path, *, source_id):
        seen.append(source_id)
        return real(path, source_id=source_id)

    monkeypatch.setattr(steps, "read_document", counting)
    return seen


def _deck(tmp_path, name="deck.pptx", config=None) -> SourceFile:
    path = tmp_path / name
    shutil.copy(DECK, path)
    return SourceFile(path.stem, path, name, config)


def test_second_extraction_of_the_same_content_reads_nothing(tmp_path, settings, reads):
    first = extract_source(_deck(tmp_path), settings)
    assert (first.cached, first.outcome, first.source.priority_count) == (False, "extracted", 64)
    second = extract_source(_deck(tmp_path), settings)
    assert (second.cached, second.outcome) == (True, "cached")
    assert second.source == first.source and second.priorities == first.priorities
    assert reads == ["deck"]

    copy = extract_source(_deck(tmp_path, "copy.pptx"), settings)  # same bytes, another id
    assert copy.cached and {p.source_id for p in copy.priorities} == {"copy"}
    assert {p.source_file for p in copy.priorities} == {"copy.pptx"}
    assert reads == ["deck"]


def test_use_cache_false_reads_again_and_refreshes_the_entry(tmp_path, settings, reads):
    extract_source(_deck(tmp_path), settings)
    again = extract_source(_deck(tmp_path), settings, use_cache=False)
    assert not again.cached and reads == ["deck", "deck"]


def test_a_configured_region_is_part_of_the_key(tmp_path, settings, reads):
    extract_source(_deck(tmp_path), settings)
    configured = _deck(tmp_path, config=SourceConfig(id="deck", path="deck.pptx", region="SE224"))
    assert not extract_source(configured, settings).cached
    assert reads == ["deck", "deck"]


def test_bad_input_is_cached_too_but_a_missing_file_is_not(tmp_path, settings, reads):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    source = SourceFile("empty", empty, "empty.pdf")
    first = extract_source(source, settings)
    assert first.source.status == "failed" and first.outcome == "extracted"
    assert extract_source(source, settings).cached

    gone = SourceFile("gone", tmp_path / "gone.pdf", "gone.pdf")
    outcome = extract_source(gone, settings)
    assert outcome.outcome == "not read" and outcome.source.status == "failed"
    assert not list((tmp_path / "cache").glob("*/*gone*"))


def test_summary_counts_reads_and_cache_hits_and_keeps_its_last_line(tmp_path, settings):
    extracted = extract_source(_deck(tmp_path), settings)
    cached = extract_source(_deck(tmp_path, "copy.pptx"), settings)
    failed_fetch = dataclasses.replace(cached, source=dataclasses.replace(
        cached.source, source_id="remote", fetch_status="failed", fetch_error="unreachable: refused",
        last_fetch_success_at=datetime(2024, 5, 1, 6, 0, tzinfo=UTC),
    ))
    summary = summarise([extracted, cached, failed_fetch], "unchanged", 3)
    assert (summary.extracted, summary.cached) == (1, 2)
    lines = summary.lines()
    assert lines[0] == "sources: 3 ok, 0 not ok"
    assert "read: 1 extracted, 2 from cache" in lines
    assert "  remote: fetch failed: unreachable: refused (last success: 2024-05-01T06:00:00+00:00)" in lines
    assert lines[-1] == "unchanged"
    assert RunSummary(1, 0, 1, 1, "published", 2).lines()[-1] == "published v2"


def test_outcome_labels():
    record = SourceRecord(
        source_id="x", source_file="x.pdf", format="pdf", sha256=None, bytes=0, pages=None, status="failed",
        error_type="SourceNotFound", error_message="gone", region_count=0, priority_count=0,
    )
    assert SourceOutcome(record).outcome == "not read"
    assert SourceOutcome(record, cached=True).outcome == "cached"
