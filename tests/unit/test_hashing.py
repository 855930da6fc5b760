"""extractors/hashing.py: a file's sha256 with the stat it was taken at, and the readers that
take it instead of hashing again (extractors/readers/__init__.py checks it still holds)."""

from __future__ import annotations

import hashlib
import os
import shutil

import pytest

from smartspec.extractors.errors import FileChanged
from smartspec.extractors.hashing import current_hash, hash_file
from smartspec.extractors.readers import read_document
from tests.conftest import DATA
from tests.helpers.hashing import count_hashing, hashed_names


@pytest.fixture
def text(tmp_path):
    path = tmp_path / "deck.txt"
    shutil.copy(DATA / "seed_deck.txt", path)
    return path


def test_the_hash_is_of_the_bytes_and_holds_while_the_file_is_unchanged(text):
    hashed = hash_file(text)
    assert hashed.sha256 == hashlib.sha256(text.read_bytes()).hexdigest()
    assert hashed.size == text.stat().st_size and hashed.holds(text)
    assert current_hash(text, hashed) is hashed


def test_a_file_written_in_place_or_replaced_no_longer_holds(text, tmp_path):
    hashed = hash_file(text)
    data = text.read_bytes()
    text.write_bytes(data[:-1] + b"!")  # the same size, other bytes, the same inode
    assert not hashed.holds(text)
    assert current_hash(text, hashed).sha256 == hashlib.sha256(data[:-1] + b"!").hexdigest()

    hashed = hash_file(text)
    other = tmp_path / "other.txt"
    other.write_bytes(text.read_bytes())
    os.replace(other, text)  # the same bytes under another inode: hashed again, to be sure
    assert not hashed.holds(text) and current_hash(text, hashed).sha256 == hashed.sha256
    text.unlink()
    assert not hashed.holds(text)


def test_a_fifo_or_a_folder_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for path in (fifo, tmp_path):
        with pytest.raises(OSError, match="not a regular file"):
            hash_file(path)


def test_the_reader_records_the_hash_it_is_given_and_hashes_nothing(text, tmp_path, monkeypatch):
    hashed = hash_file(text)
    log = tmp_path / "hashed.log"
    count_hashing(monkeypatch, log)
    document = read_document(text, source_id="deck", hashed=hashed)
    assert (document.sha256, document.bytes) == (hashed.sha256, hashed.size)
    assert hashed_names(log) == []
    assert read_document(text, source_id="deck").sha256 == hashed.sha256  # without it, the reader hashes
    assert hashed_names(log) == ["deck.txt"]


def test_a_file_that_is_not_as_hashed_once_read_is_refused(text):
    """What was read may be other bytes than those hashed: no sha256 to record it under."""
    hashed = hash_file(text)
    text.write_text(text.read_text(encoding="utf-8") + "\n- one more\n", encoding="utf-8")
    with pytest.raises(FileChanged, match="changed while it was read") as raised:
        read_document(text, source_id="deck", hashed=hashed)
    assert raised.value.error_type == "FileChanged" and raised.value.status == "failed"


def test_a_file_hashed_before_is_not_read_again_while_it_stats_the_same(tmp_path, monkeypatch):
    """The command's check before a run and the run's cache lookup ask for the same hashes."""
    log = tmp_path / "hashed.log"
    count_hashing(monkeypatch, log)
    path = tmp_path / "plan.txt"
    path.write_text("Life science\n", encoding="utf-8")
    first = hash_file(path)
    assert hash_file(path) == first and hashed_names(log) == ["plan.txt"]
    path.write_text("Life science, medtech\n", encoding="utf-8")  # written again: read again
    again = hash_file(path)
    assert again.sha256 != first.sha256 and hashed_names(log) == ["plan.txt"] * 2
