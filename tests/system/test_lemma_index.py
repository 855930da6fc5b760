"""The lemma index across processes: a second process opens the index the first built, processes
building it at once leave one sound index, and a child forked from a process that used it
looks words up through a connection of its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from smartspec.extractors.lemmas import IndexedLemmas, lemma_index_path, open_lemma_table
from smartspec.running.isolation import run_isolated

TABLE = "lemma_lookup"
# Opens the Swedish table, says whether this process built its index, and looks a word up.
OPEN = """
import logging, sys
logging.basicConfig(level=logging.INFO, stream=sys.stderr)
from smartspec.extractors.lemmas import open_lemma_table
print(open_lemma_table("sv", "lemma_lookup").get("tjänster"))
"""


def _start(cache: Path) -> subprocess.Popen:
    env = {"XDG_CACHE_HOME": str(cache), "PATH": "/usr/bin:/bin"}
    return subprocess.Popen([sys.executable, "-c", OPEN], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _finish(process: subprocess.Popen) -> tuple[str, bool]:
    """What the process printed, and whether it built the index."""
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return out.strip(), "building the sv lemma_lookup index" in err


def test_a_second_process_opens_the_index_the_first_built(tmp_path):
    assert _finish(_start(tmp_path)) == ("tjänst", True)
    assert _finish(_start(tmp_path)) == ("tjänst", False)


def test_processes_building_at_once_leave_one_sound_index(tmp_path, monkeypatch):
    results = [_finish(process) for process in [_start(tmp_path) for _ in range(3)]]
    assert [printed for printed, _ in results] == ["tjänst"] * 3
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = lemma_index_path("sv", TABLE).parent
    assert [path.name for path in folder.iterdir()] == [lemma_index_path("sv", TABLE).name]  # no temporary file
    assert _finish(_start(tmp_path)) == ("tjänst", False)


def _look_up(table: IndexedLemmas, words: tuple[str, ...]) -> tuple[list[str | None], int]:
    """The lemmas of `words`, and how many processes' connections the table holds here."""
    return [table.get(word) for word in words], len(table._connections)


def test_a_forked_child_looks_words_up_through_its_own_connection(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    table = open_lemma_table("sv", TABLE)
    assert table.get("tjänster") == "tjänst"  # the parent has a connection open
    words = ("städer", "gränser", "okändaordet")
    expected = [table.get(word) for word in words]
    table._lemmas.clear()  # the child must ask the index, not what the parent remembered
    assert expected[1:] == ["gräns", None]
    assert run_isolated(_look_up, table, words, timeout_s=60) == (expected, 2)  # the parent's and its own
    assert table.get("tjänster") == "tjänst"  # the parent's connection still serves it
