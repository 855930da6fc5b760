"""The lemma tables' index on disk: the same answers as the JSON table, built once, built
again when it is not sound, kept where XDG_CACHE_HOME says, read into memory when it cannot be
written."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.util import load_language_data

from smartspec.extractors import lemmas
from smartspec.extractors.lemmas import (
    CACHE_FOLDER,
    IndexedLemmas,
    LoadedLemmas,
    lemma_index_path,
    lemma_table_source,
    open_lemma_table,
)

TABLE = "lemma_lookup"


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """An empty cache folder of this test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _entries(lang: str) -> dict:
    return load_language_data(lemma_table_source(lang, TABLE))


def _builds(monkeypatch) -> list[str]:
    """The index paths built from now on."""
    built: list[str] = []
    build = lemmas._build_index

    def counted(path, key, source):
        built.append(path.name)
        return build(path, key, source)

    monkeypatch.setattr(lemmas, "_build_index", counted)
    return built


@pytest.mark.parametrize(("lang", "step"), [("en", 1), ("sv", 37)])
def test_the_index_answers_as_the_json_table(lang, step):
    entries = _entries(lang)
    table = open_lemma_table(lang, TABLE)  # the tests' shared cache: built once for all
    assert isinstance(table, IndexedLemmas)
    assert len(table) == len(entries)
    words = list(entries)[::step]
    assert [table.get(word) for word in words] == [entries[word] for word in words]
    assert all(word in table for word in words)
    lemma_words = sorted({entries[word] for word in words})
    assert all(table.is_lemma(lemma) for lemma in lemma_words)
    for word in ("xyzzyqq", "", "två ord", "Göteborgs-"):
        assert table.get(word) is None and word not in table and not table.is_lemma(word)


def test_a_table_that_lists_several_lemmas_answers_with_the_first():
    entries = _entries("fr")
    listed = [word for word, lemma in entries.items() if not isinstance(lemma, str)][:500]
    table = open_lemma_table("fr", TABLE)
    assert listed and [table.get(word) for word in listed] == [str(entries[word][0]) for word in listed]
    # only lemmas the table gives as one string count as words of the language (compounds)
    known = {lemma for lemma in entries.values() if isinstance(lemma, str)}
    assert [table.is_lemma(str(entries[word][0])) for word in listed] == [
        str(entries[word][0]) in known for word in listed]


def test_the_index_is_built_once_and_then_opened(cache, monkeypatch):
    built = _builds(monkeypatch)
    first = open_lemma_table("en", TABLE)
    path = lemma_index_path("en", TABLE)
    assert built == [path.name] and path.parent == cache / CACHE_FOLDER
    stamp = path.stat().st_mtime_ns, path.stat().st_ino
    second = open_lemma_table("en", TABLE)
    assert built == [path.name]  # not again
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == stamp
    assert first.get("mice") == second.get("mice") == "mouse"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "other format"])
def test_an_index_that_is_not_sound_is_built_again(cache, monkeypatch, damage):
    open_lemma_table("en", TABLE)
    path = lemma_index_path("en", TABLE)
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"not a database at all" * 1000)
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    else:  # an index of another layout under this name
        monkeypatch.setattr(lemmas, "INDEX_FORMAT", lemmas.INDEX_FORMAT + 1)
        monkeypatch.setattr(lemmas, "lemma_index_path", lambda lang, table: path)
    built = _builds(monkeypatch)
    table = open_lemma_table("en", TABLE)
    assert built == [path.name]
    assert table.get("mice") == "mouse" and len(table) == len(_entries("en"))


def test_an_index_damaged_while_in_use_is_built_again(cache, caplog):
    table = open_lemma_table("en", TABLE)
    path = lemma_index_path("en", TABLE)
    data = path.read_bytes()
    path.write_bytes(data[:100] + bytes(len(data) - 100))  # the same size, the pages zeroed
    assert table.get("mice") == "mouse"
    assert "damaged" in caplog.text
    assert open_lemma_table("en", TABLE).get("geese") == "goose"


def test_a_missing_index_is_built_again(cache, monkeypatch):
    open_lemma_table("en", TABLE)
    lemma_index_path("en", TABLE).unlink()
    built = _builds(monkeypatch)
    assert open_lemma_table("en", TABLE).get("mice") == "mouse"
    assert len(built) == 1


def test_a_relative_xdg_cache_home_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert lemma_index_path("sv", TABLE).is_relative_to(tmp_path / ".cache" / CACHE_FOLDER)


def test_a_cache_that_cannot_be_written_reads_the_table_into_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # no folder can be made under a file
    table = open_lemma_table("en", TABLE)
    assert isinstance(table, LoadedLemmas)
    assert table.get("mice") == "mouse" and "mice" in table and table.is_lemma("mouse")
    assert len(table) == len(_entries("en"))


def test_a_language_without_the_table_is_refused():
    with pytest.raises(ValueError, match="no 'lemma_lookup' table"):
        open_lemma_table("fi", TABLE)


def test_a_table_in_memory_answers_as_its_entries():
    table = LoadedLemmas({"städer": "stad", "gick": "gå", "lo": ["le", "la"], "tom": []})
    assert table.get("städer") == "stad" and table.get("lo") == "le" and table.get("bil") is None
    assert table.get("tom") == "" and "tom" in table  # a form with no lemma: it is its own
    assert table.is_lemma("stad") and not table.is_lemma("le") and not table.is_lemma("städer")
    assert len(table) == 4
