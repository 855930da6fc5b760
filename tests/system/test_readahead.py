"""Documents read ahead in a child while `smartspec extract` starts up: the same documents as
read in place; nothing read ahead that was refused, failed or said anything, which the
document's own child reads again."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from smartspec.extractors.extract import build_toolkit
from smartspec.extractors.readers import read_document
from smartspec.extractors.settings import Settings
from smartspec.inputs.sources import SourceFile
from smartspec.running.isolation import process_sources_isolated
from smartspec.running.readahead import ReadAhead
from tests.conftest import DATA, DECK

STRATEGIES = DATA / "strategies"


def _source(path: Path) -> SourceFile:
    return SourceFile(path.stem, path, path.name)


def _read_in_full(ahead: ReadAhead, count: int) -> dict:
    ahead.process.join()  # it ends once every file is read
    return {position: document for position in range(count) if (document := ahead.document(position))}


def test_the_documents_read_ahead_are_those_read_in_place(tmp_path) -> None:
    paths = [STRATEGIES / "halland-innovationsstrategi-2021-2027.pdf", DECK, DATA / "seed_deck.txt",
             STRATEGIES / "uppsala-regional-innovationsstrategi.html"]
    with ReadAhead([_source(path) for path in paths], Settings(raw_dir=tmp_path)) as ahead:
        documents = _read_in_full(ahead, len(paths))
    assert documents == {i: read_document(path, source_id=path.stem) for i, path in enumerate(paths)}
    assert not ahead.folder  # its folder is gone


def test_what_fails_is_refused_or_says_something_is_left_to_its_own_child(tmp_path, toolkit, caplog) -> None:
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "folder.pdf").mkdir()
    (tmp_path / "odd.html").write_text('<html><head><meta charset="no-such-charset"></head>'
                                       "<body><h1>Norrbotten</h1><ul><li>Rymd</li></ul></body></html>")
    sources = [_source(tmp_path / name) for name in ("empty.pdf", "folder.pdf", "odd.html")]
    sources.append(_source(DATA / "seed_deck.txt"))
    settings = Settings(raw_dir=tmp_path)
    with ReadAhead(sources, settings) as ahead:
        assert list(_read_in_full(ahead, len(sources))) == [3]
    with ReadAhead(sources, settings) as ahead:
        ahead.process.join()
        with caplog.at_level(logging.WARNING):
            outcomes = list(process_sources_isolated(sources, toolkit, settings, workers=2, ahead=ahead))
    said = [r.getMessage() for r in caplog.records if "charset" in r.getMessage()]
    assert said == ["odd: page 1: unknown charset b'no-such-charset', trying UTF-8"]  # once, by its own child
    assert outcomes == list(process_sources_isolated(sources, toolkit, settings))
    assert [o.source.status for o in outcomes] == ["failed", "failed", "no_priorities", "ok"]


def test_stopped_it_finishes_the_document_it_is_reading_and_begins_no_other(tmp_path) -> None:
    paths = [DATA / "seed_deck.pdf", DATA / "seed_deck.txt"]  # the PDF takes a tenth of a second or more
    with ReadAhead([_source(path) for path in paths], Settings(raw_dir=tmp_path)) as ahead:
        while not (ahead.folder / "0.begun").exists():
            time.sleep(0.001)
        ahead.stop()  # while it reads the PDF
        assert ahead.document(0) == read_document(paths[0], source_id=paths[0].stem)
        assert ahead.document(1) is None and ahead.process.exitcode == 0


def test_the_first_document_read_ahead_has_its_pipeline_built_before_any_child(tmp_path) -> None:
    """Children started at once would each build the language they need: the command waits for
    the first document read ahead and builds its language's pipeline once, for all to inherit."""
    sources = [_source(DATA / "seed_deck.txt"), _source(DECK)]
    toolkit, settings = build_toolkit(), Settings(raw_dir=tmp_path)
    with ReadAhead(sources, settings) as ahead:
        assert ahead.first(60) == read_document(DATA / "seed_deck.txt", source_id="seed_deck")
        outcomes = list(process_sources_isolated(sources, toolkit, settings, workers=2, ahead=ahead))
    assert [len(o.priorities) for o in outcomes] == [64, 64]
    assert list(toolkit.built) == ["sv"] and toolkit.wanted == {"sv"}


def test_no_sources_start_no_child(tmp_path) -> None:
    with ReadAhead([], Settings(raw_dir=tmp_path)) as ahead:
        ahead.stop()
        assert ahead.process is None and ahead.document(0) is None and ahead.first(1) is None
