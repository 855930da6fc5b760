"""One document in a child process: results and errors come back, hangs, memory hogs and crashes
become a failed sources row that says why, and files too large, too long or outside raw/ are refused."""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest

from smartspec.extractors.errors import UnreadableDocument
from smartspec.extractors.extract import build_toolkit
from smartspec.extractors.settings import Settings
from smartspec.inputs.sources import SourceFile
from smartspec.running import isolation, steps
from smartspec.running.isolation import (
    DocumentOutOfMemory,
    DocumentTimedOut,
    ReaderCrashed,
    process_source_isolated,
    process_sources_isolated,
    run_isolated,
)
from tests.conftest import DATA, DECK

SEED_TEXT = DATA / "seed_deck.txt"


def double(value: int) -> int:
    logging.getLogger("smartspec.extractors.isolation_test").warning("doubling %d on page 3", value)
    return value * 2


def sleep_forever() -> None:
    time.sleep(600)


def allocate(megabytes: int) -> bytearray:
    return bytearray(megabytes * 1024 * 1024)


def exit_with(code: int) -> None:
    os._exit(code)


def raise_unreadable() -> None:
    raise UnreadableDocument("deck", "read", "truncated or damaged file: no page could be read")


def raise_bug() -> None:
    raise KeyError("a reader bug")


def test_the_result_comes_back_and_the_childs_logs_are_replayed(caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="smartspec.extractors"):
        assert run_isolated(double, 21, timeout_s=30) == 42
    assert [r.getMessage() for r in caplog.records if r.name == "smartspec.extractors.isolation_test"] == [
        "doubling 21 on page 3"]


def test_a_hang_is_killed_at_the_time_limit() -> None:
    started = time.monotonic()
    with pytest.raises(DocumentTimedOut, match=r"^timed out after 0\.5 s$"):
        run_isolated(sleep_forever, timeout_s=0.5)
    assert time.monotonic() - started < 30  # killed, not waited for


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="RLIMIT_AS is enforced on Linux only")
def test_a_memory_hog_runs_out_of_memory_at_the_limit() -> None:
    with pytest.raises(DocumentOutOfMemory, match=r"^ran out of memory \(limit 256 MB\)$"):
        run_isolated(allocate, 1024, timeout_s=60, memory_mb=256)
    assert len(run_isolated(allocate, 16, timeout_s=60, memory_mb=256)) == 16 * 1024 * 1024


def test_a_crash_is_reported_with_its_exit_code() -> None:
    with pytest.raises(ReaderCrashed, match=r"^reader crashed: exit code 3$"):
        run_isolated(exit_with, 3, timeout_s=30)


def test_an_extraction_error_is_raised_again_in_the_parent() -> None:
    with pytest.raises(UnreadableDocument) as raised:
        run_isolated(raise_unreadable, timeout_s=30)
    assert raised.value.source_id == "deck" and raised.value.message.startswith("truncated or damaged file")
    assert "raise_unreadable" in str(raised.value.__cause__)  # the child's traceback


def test_a_bug_is_raised_again_not_swallowed() -> None:
    with pytest.raises(KeyError, match="a reader bug"):
        run_isolated(raise_bug, timeout_s=30)


# --- one source ---------------------------------------------------------------------------


def settings_for(raw: Path, **limits: object) -> Settings:
    return dataclasses.replace(Settings(raw_dir=raw), **limits)


def source_in(raw: Path, name: str, content: bytes | Path) -> SourceFile:
    path = raw / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.read_bytes() if isinstance(content, Path) else content)
    return SourceFile(Path(name).stem, path, name)


def test_a_source_is_read_in_the_child(tmp_path, toolkit) -> None:
    source = source_in(tmp_path, DECK.name, DECK)
    outcome = process_source_isolated(source, toolkit, settings_for(tmp_path))
    assert outcome == steps.process_source(source, toolkit)
    assert outcome.source.status == "ok" and len(outcome.priorities) == 64


def test_a_file_over_the_size_limit_is_not_read(tmp_path, toolkit, monkeypatch) -> None:
    source = source_in(tmp_path, "big.txt", b"x" * 300_000)
    monkeypatch.setattr(isolation, "run_isolated", None)  # reading it would fail the test
    outcome = process_source_isolated(source, toolkit, settings_for(tmp_path, max_file_mb=0.25))
    row = outcome.source
    assert (row.status, row.error_type, row.bytes, row.sha256) == ("failed", "DocumentTooLarge", 300_000, None)
    assert row.error_message == "too large: 0.3 MB (limit 0.25 MB)"


def test_a_document_over_the_page_limit_is_refused(tmp_path, toolkit) -> None:
    source = source_in(tmp_path, "long.txt", "\f".join(f"Page {n}" for n in range(1, 6)).encode())
    outcome = process_source_isolated(source, toolkit, settings_for(tmp_path, max_pages=3))
    assert (outcome.source.status, outcome.source.pages, outcome.priorities) == ("failed", 5, ())
    assert outcome.source.error_message == "too many pages: 5 (limit 3)"


def test_a_hanging_reader_costs_one_failed_row(tmp_path, toolkit, monkeypatch) -> None:
    source = source_in(tmp_path, "deck.txt", SEED_TEXT)
    monkeypatch.setattr(steps, "process_source", lambda *args: sleep_forever())  # forked: the child hangs
    outcome = process_source_isolated(source, toolkit, settings_for(tmp_path, document_timeout_s=0.5))
    row = outcome.source
    assert (row.status, row.error_type, row.error_message) == ("failed", "DocumentTimedOut", "timed out after 0.5 s")
    assert row.sha256 is not None and row.bytes == SEED_TEXT.stat().st_size


def test_a_link_out_of_raw_is_refused_unread(tmp_path, toolkit) -> None:
    raw, outside = tmp_path / "raw", tmp_path / "secret.txt"
    raw.mkdir()
    outside.write_text("# Norrbotten\n- Rymd\n")
    (raw / "link.txt").symlink_to(outside)
    (raw / "inner.txt").symlink_to(SEED_TEXT)  # outside raw/ too
    (raw / "deck.txt").write_bytes(SEED_TEXT.read_bytes())
    (raw / "alias.txt").symlink_to(raw / "deck.txt")  # a link within raw/ is fine
    settings = settings_for(raw)
    rows = {name: process_source_isolated(SourceFile(name, raw / name, name), toolkit, settings).source
            for name in ("link.txt", "inner.txt", "alias.txt")}
    for name in ("link.txt", "inner.txt"):
        assert (rows[name].status, rows[name].error_type, rows[name].sha256) == ("failed", "UnsafePath", None)
        assert rows[name].error_message == f"refused: {name} is a link to a file outside {raw}"
    assert rows["alias.txt"].status == "ok"


def test_files_given_outside_raw_are_not_contained(tmp_path, toolkit) -> None:
    """`smartspec extract FILE` reads files from anywhere; containment is for raw/ only."""
    source = SourceFile("deck", SEED_TEXT, SEED_TEXT.name)
    assert process_source_isolated(source, toolkit, settings_for(tmp_path / "raw")).source.status == "ok"


def test_limit_rows_are_named_as_such(tmp_path, toolkit) -> None:
    source = source_in(tmp_path, "big.txt", b"x" * 300_000)
    row = process_source_isolated(source, toolkit, settings_for(tmp_path, max_file_mb=0.25)).source
    assert row.error_type == "DocumentTooLarge"  # refused before the cache is asked: never cached
    assert "DocumentTimedOut" in isolation.LIMIT_ERROR_TYPES
    assert "NoPrioritiesFound" not in isolation.LIMIT_ERROR_TYPES


def test_several_sources_at_once_come_back_in_their_order(tmp_path, toolkit) -> None:
    strategies = DATA / "strategies"
    sources = [source_in(tmp_path, "deck.txt", SEED_TEXT), source_in(tmp_path, "empty.pdf", b""),
               source_in(tmp_path, "skane.docx", strategies / "skane-innovationsstrategi-2021-2027.docx"),
               source_in(tmp_path, "uppsala.html", strategies / "uppsala-regional-innovationsstrategi.html")]
    (tmp_path / "folder.pdf").mkdir()
    sources.append(SourceFile("folder", tmp_path / "folder.pdf", "folder.pdf"))
    settings = settings_for(tmp_path)
    at_once = list(process_sources_isolated(sources, toolkit, settings, workers=3))
    assert at_once == [process_source_isolated(source, toolkit, settings) for source in sources]
    assert [o.source.source_id for o in at_once] == ["deck", "empty", "skane", "uppsala", "folder"]
    assert [o.source.status for o in at_once] == ["ok", "failed", "ok", "ok", "failed"]


def test_sources_at_once_stopped_early_leave_no_child_running(tmp_path, toolkit, monkeypatch) -> None:
    """An interrupted `smartspec extract` ends its children rather than waiting out their limits."""
    sources = [source_in(tmp_path, f"deck{n}.txt", SEED_TEXT) for n in range(4)]
    monkeypatch.setattr(steps, "process_source", lambda *args: sleep_forever())
    outcomes = process_sources_isolated(sources, toolkit, settings_for(tmp_path, document_timeout_s=600), workers=2)

    def interrupt(signum, frame):  # as Ctrl-C would, while the first children hang
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 1.0)
        with pytest.raises(KeyboardInterrupt):
            list(outcomes)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert not [p for p in multiprocessing.active_children() if p.name.startswith(isolation.CHILD_PREFIX)]


# --- what the parent builds before forking ---------------------------------------------------


def test_a_lone_document_builds_no_pipeline_in_the_parent(tmp_path) -> None:
    """`smartspec extract` on one deck: its child builds Swedish; the parent builds no language."""
    toolkit = build_toolkit()
    outcome = process_source_isolated(source_in(tmp_path, DECK.name, DECK), toolkit, settings_for(tmp_path))
    assert len(outcome.priorities) == 64 and outcome.priorities[0].language == "sv"
    assert toolkit.built == {}
    assert toolkit.wanted == {"sv"}


def test_documents_sharing_a_language_inherit_one_pipeline_built_in_the_parent(tmp_path) -> None:
    """As a run reads them (`read_isolated`, the flow's step): the first Swedish document's child
    builds Swedish; the parent builds it once before the second, and every later child inherits it."""
    toolkit = build_toolkit()
    settings = settings_for(tmp_path)
    names = ("deck.pptx", "deck.txt", "again.pptx")
    sources = [source_in(tmp_path, name, DECK if name.endswith(".pptx") else SEED_TEXT) for name in names]
    first = isolation.read_isolated(sources[0], toolkit, settings)
    assert toolkit.built == {}
    second = isolation.read_isolated(sources[1], toolkit, settings)
    assert list(toolkit.built) == ["sv"]
    swedish = toolkit.built["sv"]
    third = isolation.read_isolated(sources[2], toolkit, settings)
    assert list(toolkit.built) == ["sv"] and toolkit.built["sv"] is swedish  # not again, and no English
    assert [len(o.priorities) for o in (first, second, third)] == [64, 64, 64]
