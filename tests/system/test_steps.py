"""running/steps.py: the per-source step behind the cache, and the run summary."""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import pypdfium2
import pytest

import smartspec.running.steps as steps
from smartspec.extractors.readers import READERS
from smartspec.extractors.records import SourceRecord
from smartspec.extractors.settings import load_settings
from smartspec.inputs.sources import SourceConfig, SourceFile
from smartspec.fetching import FetchResult
from smartspec.extractors.curation import CurationEntry
from smartspec.extractors import hashing
from smartspec.extractors.hashing import file_sha256, hash_file
from smartspec.running.incremental import extract_source, hash_inputs
from smartspec.inputs.plan import plan_inputs
from smartspec.extractors.records import SourceOutcome
from smartspec.running.steps import RunSummary, fetch_counts, summarise
from tests.conftest import DATA, DECK, ROOT
from tests.helpers.hashing import count_hashing, hashed_names


@pytest.fixture
def settings(tmp_path):
    return dataclasses.replace(load_settings(ROOT / "pyproject.toml"), cache_dir=tmp_path / "cache")



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


def test_a_file_is_hashed_once_per_run(tmp_path, settings, monkeypatch, reads):
    """The cache lookup's hash travels with the source to the child that reads the file, whose
    reader records it: one hash of the file per run, whether the run reads it, answers it from
    the cache, reads it afresh or applies a curation entry to it."""
    sha256 = file_sha256(DECK)
    entry = CurationEntry("deck", sha256[:12], drop=("Life Science",))
    log = tmp_path / "hashed.log"
    count_hashing(monkeypatch, log)
    deck = _deck(tmp_path)
    first = extract_source(deck, settings)  # read in a child process
    assert (first.outcome, first.source.sha256) == ("extracted", sha256)
    assert hashed_names(log) == ["deck.pptx"]
    assert extract_source(deck, settings).cached  # the same process remembers the unchanged file
    assert hashed_names(log) == ["deck.pptx"]
    hashing._HASHED.clear()  # each run below as the first of a process
    assert extract_source(deck, settings).cached  # answered from the cache
    assert hashed_names(log) == ["deck.pptx"] * 2
    hashing._HASHED.clear()
    assert extract_source(deck, settings, use_cache=False).outcome == "extracted"  # hashed by the child alone
    assert hashed_names(log) == ["deck.pptx"] * 3
    log.unlink()
    hashing._HASHED.clear()
    curated = extract_source(deck, settings, curation=entry)
    assert curated.source.curation == "applied" and hashed_names(log) == ["deck.pptx"]
    deck.path.touch()  # a file written again is hashed again, however recently it was hashed
    assert extract_source(deck, settings).cached and hashed_names(log) == ["deck.pptx"] * 2
    assert reads == ["deck"] * 3


def test_a_reextraction_hashes_each_file_once(tmp_path, settings, monkeypatch):
    """A re-extraction asks the cache of every source before extracting it: one hash serves both."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(DECK, raw / "deck.pptx")
    settings = dataclasses.replace(settings, raw_dir=raw)
    sha256 = file_sha256(DECK)
    log = tmp_path / "hashed.log"
    count_hashing(monkeypatch, log)
    inputs = hash_inputs(settings, plan_inputs(raw))
    assert hashed_names(log) == ["deck.pptx"]
    fresh = extract_source(inputs[0].file, settings, use_cache=False)  # the chosen source, read afresh
    assert fresh.source.sha256 == sha256 and hashed_names(log) == ["deck.pptx"]


def test_a_file_changed_after_its_hash_is_hashed_again_as_read(tmp_path, settings):
    """The hash travels only while the file is as it was hashed: one replaced in between is
    read and recorded by its new bytes, and cached under them."""
    deck = _deck(tmp_path)
    stale = dataclasses.replace(deck, hashed=hash_file(deck.path))
    shutil.copy(DATA / "seed_deck.pdf", deck.path)  # other bytes under the same name
    outcome = extract_source(stale, settings, use_cache=False)
    assert outcome.source.sha256 == file_sha256(DATA / "seed_deck.pdf")
    assert extract_source(deck, settings).cached


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


def test_the_same_bytes_under_another_suffix_miss_the_cache(tmp_path, settings, reads):
    """The suffix (with the content, the format read) is part of the key: a file renamed from
    .md to .html is read again, by the HTML reader, not answered with the Markdown result."""
    text = tmp_path / "deck.md"
    shutil.copy(DATA / "seed_deck.txt", text)
    assert extract_source(SourceFile("deck", text, "deck.md"), settings).source.priority_count == 64
    page = text.rename(tmp_path / "deck.html")
    again = extract_source(SourceFile("deck", page, "deck.html"), settings)
    assert not again.cached and again.source.format == "html" and reads == ["deck", "deck"]


def test_a_link_out_of_raw_is_refused_even_when_its_bytes_are_cached(tmp_path, settings, reads):
    raw = tmp_path / "raw"
    raw.mkdir()
    outside = tmp_path / "outside.pptx"
    shutil.copy(DECK, outside)
    shutil.copy(DECK, raw / "deck.pptx")
    settings = dataclasses.replace(settings, raw_dir=raw)
    assert extract_source(SourceFile("deck", raw / "deck.pptx", "deck.pptx"), settings).source.status == "ok"
    (raw / "link.pptx").symlink_to(outside)  # the same bytes, cached
    refused = extract_source(SourceFile("link", raw / "link.pptx", "link.pptx"), settings)
    assert (refused.cached, refused.source.error_type, refused.priorities) == (False, "UnsafePath", ())
    assert refused.source.error_message == f"refused: link.pptx is a link to a file outside {raw}"
    assert reads == ["deck"]


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
    assert ("  remote: fetch failed: unreachable: refused (last success: 2024-05-01T06:00:00+00:00); read from its "
            "last snapshot") in lines
    assert lines[-1] == "unchanged"
    fetched = dataclasses.replace(summary, fetches=fetch_counts(
        FetchResult(source_id, status, None, None, None, None, None, None, None)
        for source_id, status in (("a", "fetched"), ("b", "not_modified"), ("c", "not_modified"), ("d", "failed"))))
    assert "fetch: 1 downloaded, 2 not modified (304), 0 downloaded, same content, 1 failed" in fetched.lines()
    # a source that failed because its fetch did has one line, not two
    gone = dataclasses.replace(failed_fetch.source, status="failed", error_message="no snapshot to read: HTTP 404")
    lines = summarise([extracted, dataclasses.replace(failed_fetch, source=gone)], "unchanged", 3).lines()
    assert [line for line in lines if "remote" in line] == ["  remote: failed: no snapshot to read: HTTP 404"]
    assert RunSummary(1, 0, 1, 1, "published", 2).lines()[-1] == "published v2"


def test_outcome_labels():
    record = SourceRecord(
        source_id="x", source_file="x.pdf", format="pdf", sha256=None, bytes=0, pages=None, status="failed",
        error_type="SourceNotFound", error_message="gone", region_count=0, priority_count=0,
    )
    assert SourceOutcome(record).outcome == "not read"
    assert SourceOutcome(record, cached=True).outcome == "cached"


_OPENED: list[str] | None = None  # files opened while a test listens (audit hook below)


def _audit(event: str, args: tuple) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], str | bytes | os.PathLike):
        _OPENED.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)  # hooks stay for the process; this one only listens inside the test


def test_an_unchanged_rerun_opens_no_document(tmp_path, settings, monkeypatch):
    """A cache hit needs the file's sha256 (hashing reads its bytes once) and nothing else: no
    reader, no PDF library and no other open of the file."""
    global _OPENED
    sources = [_deck(tmp_path)]
    for name in ("seed_deck.pdf", "strategies/drenthe-ris3-2021-2027.pdf"):
        path = tmp_path / Path(name).name
        shutil.copy(DATA / name, path)
        sources.append(SourceFile(path.stem, path, path.name))
    first = [extract_source(source, settings) for source in sources]
    assert [o.outcome for o in first] == ["extracted"] * 3 and all(o.priorities for o in first)

    calls: list[str] = []

    def counted(name, real):
        def call(*args, **kwargs):
            calls.append(name)
            return real(*args, **kwargs)
        return call

    for suffix, reader in READERS.items():
        monkeypatch.setitem(READERS, suffix, counted(suffix, reader))
    monkeypatch.setattr(pypdfium2, "PdfDocument", counted("pypdfium2.PdfDocument", pypdfium2.PdfDocument))
    _OPENED = []
    hashing._HASHED.clear()  # as the first run of a process: each file is opened to hash it
    try:
        again = [extract_source(source, settings) for source in sources]
        opened = [Path(p).name for p in _OPENED if Path(p).parent == tmp_path]
    finally:
        _OPENED = None
    assert [o.outcome for o in again] == ["cached"] * 3
    assert [o.priorities for o in again] == [o.priorities for o in first]
    assert calls == []
    assert sorted(opened) == sorted(s.path.name for s in sources)  # once each, to hash it

    steps.process_source(sources[1], steps.shared_toolkit())  # the counters see a read in this process
    assert calls[0] == ".pdf" and "pypdfium2.PdfDocument" in calls
