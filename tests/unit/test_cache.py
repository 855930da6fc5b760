"""running/cache.py: entries keyed by content, extractor and settings; relabelled on the way out."""

from __future__ import annotations

import dataclasses
import logging
import shutil
from datetime import UTC, date, datetime
from importlib.resources import files
from pathlib import Path

from smartspec.extractors.records import PriorityRecord, SourceRecord
from smartspec.extractors.settings import Settings
from smartspec.running.cache import (
    ExtractionCache,
    ThemeCache,
    cache_fingerprint,
    extraction_only,
    extractor_fingerprint,
    folder_fingerprint,
    package_files,
    theme_cache_key,
)
from smartspec.extractors.weights import WEIGHTS_FILE

SHA = "ab" + "0" * 62


def _source(**changes) -> SourceRecord:
    record = SourceRecord(
        source_id="deck", source_file="deck.pptx", format="pptx", sha256=SHA, bytes=10, pages=2, status="ok",
        error_type=None, error_message=None, region_count=1, priority_count=1,
    )
    return dataclasses.replace(record, **changes)


def _priority(**changes) -> PriorityRecord:
    record = PriorityRecord(
        region_code="SE224", region_name="Skåne", country="SE", priority="Smarta material",
        priority_key="smart material", position=1, level=1, parent_position=None, language="sv",
        source_id="deck", source_file="deck.pptx", source_sha256=SHA, page=2, bbox=(1.0, 2.0, 3.5, 4.25),
        region_match="exact",
    )
    return dataclasses.replace(record, **changes)


def test_fingerprint_follows_code_version_and_extraction_settings_only():
    base = cache_fingerprint("1.0", Settings())
    assert base == cache_fingerprint("1.0", Settings())
    assert extractor_fingerprint("1.0") != extractor_fingerprint("1.1")
    assert cache_fingerprint("1.1", Settings()) != base
    assert cache_fingerprint("1.0", Settings(max_pages=10)) != base
    operational = Settings(workers=4, cache_dir=Settings().cache_dir / "x", dask_address="tcp://127.0.0.1:1",
                           fetch_retries=0, refresh_cron="0 7 * * *")
    assert cache_fingerprint("1.0", operational) == base


def test_an_edited_weight_or_lexicon_changes_the_extractor_fingerprint(tmp_path):
    """The weights and lexicons are data files of the extractor: the key covers them, so a
    changed weight reads every document again; a theme file keys the theme cache only."""
    package = Path(str(files("smartspec.extractors")))
    assert package / WEIGHTS_FILE in set(package_files(package))
    copy = tmp_path / "extractors"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert folder_fingerprint(copy, "1.0") == extractor_fingerprint("1.0")
    weights = copy / WEIGHTS_FILE
    weights.write_text(weights.read_text(encoding="utf-8").replace("min_score = 2.0", "min_score = 2.5", 1),
                       encoding="utf-8")
    edited = folder_fingerprint(copy, "1.0")
    assert edited != extractor_fingerprint("1.0")
    lexicon = copy / "lexicon.headings.en.jsonl"
    lexicon.write_text(lexicon.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert folder_fingerprint(copy, "1.0") != edited
    edited = folder_fingerprint(copy, "1.0")
    (copy / "themes.terms.yml").write_text("# edited\n", encoding="utf-8")
    assert folder_fingerprint(copy, "1.0") == edited
    assert folder_fingerprint(copy, "1.0", themes=True) != extractor_fingerprint("1.0", themes=True)


def test_put_then_get_relabels_for_the_asking_source(tmp_path):
    store = ExtractionCache(tmp_path, "f" * 16)
    assert store.get(SHA, source_id="deck", source_file="deck.pptx") is None
    path = store.put(SHA, _source(), (_priority(),))
    assert path.parent == tmp_path / "ab"

    record, priorities = store.get(SHA, source_id="copy", source_file="sub/copy.pptx")
    assert (record.source_id, record.source_file) == ("copy", "sub/copy.pptx")
    assert priorities == (_priority(source_id="copy", source_file="sub/copy.pptx"),)
    assert priorities[0].bbox == (1.0, 2.0, 3.5, 4.25)  # a tuple again, floats exact


def test_run_fields_are_not_cached(tmp_path):
    store = ExtractionCache(tmp_path, "f" * 16)
    remote = _source(url="https://example.org/a.pdf", publisher="Region Skåne", published=date(2024, 5, 1),
                     fetch_status="failed", fetch_error="unreachable", fetched_at=datetime(2024, 5, 1, tzinfo=UTC),
                     last_fetch_success_at=datetime(2024, 5, 2, tzinfo=UTC))
    store.put(SHA, remote, ())
    record, _ = store.get(SHA, source_id="deck", source_file="deck.pptx")
    assert record == extraction_only(remote) == _source()


def test_another_fingerprint_or_region_misses(tmp_path):
    ExtractionCache(tmp_path, "f" * 16).put(SHA, _source(), ())
    assert ExtractionCache(tmp_path, "e" * 16).get(SHA, source_id="deck", source_file="deck.pptx") is None
    store = ExtractionCache(tmp_path, "f" * 16)
    assert store.get(SHA, source_id="deck", source_file="deck.pptx", region="SE224") is None
    store.put(SHA, _source(region_count=7), (), region="SE224")
    assert store.get(SHA, source_id="deck", source_file="deck.pptx", region="SE224")[0].region_count == 7
    assert store.get(SHA, source_id="deck", source_file="deck.pptx")[0].region_count == 1


def test_an_unreadable_entry_is_a_miss_with_a_warning(tmp_path, caplog):
    store = ExtractionCache(tmp_path, "f" * 16)
    path = store.put(SHA, _source(), ())
    path.write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="smartspec.running.cache"):
        assert store.get(SHA, source_id="deck", source_file="deck.pptx") is None
    assert "unreadable" in caplog.text and "deck" in caplog.text


def test_theme_files_key_the_theme_cache_not_the_extraction_cache():
    assert extractor_fingerprint("1.0") != extractor_fingerprint("1.0", themes=True)
    assert theme_cache_key("1.0", "a" * 64) != theme_cache_key("1.0", "b" * 64)
    assert theme_cache_key("1.0", "a" * 64) != theme_cache_key("1.1", "a" * 64)


def test_the_theme_cache_round_trips_and_forgets_an_unreadable_file(tmp_path):
    cache = ThemeCache(tmp_path, "f" * 16)
    assert cache.load() == {}
    entries = {"sv\tSkog": [{"dimension": "nace", "code": "A02"}]}
    cache.store(entries)
    assert cache.load() == entries and cache.path.parent.name == "themes"
    cache.path.write_text("{not json", encoding="utf-8")
    assert cache.load() == {}
