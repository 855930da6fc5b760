"""Bad input and bad days (issue 10): nothing lost, nothing stops the run.

Each test is one of the reproduced failures, with the message a user sees: a missing or
mistyped raw/, a damaged copy of a source, one bad entry among good ones, a run's own
problems (settings, output folder, disk), a server that trickles, a killed run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.extract_priorities import refresh
from tests.conftest import DATA, DECK, ROOT
from tests.integration.conftest import project_config

runner = CliRunner()
SEED_PDF = DATA / "seed_deck.pdf"


def _raw_with_deck(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(DECK, raw / DECK.name)
    return raw


def _run(raw: Path, out: Path, **options):
    config = raw.parent / "pyproject.toml"
    if not config.exists():
        project_config(raw.parent)
    return refresh(raw_dir=str(raw), output_dir=str(out), config=str(config), **options)


def _sources(out: Path, version: int) -> pd.DataFrame:
    return pd.read_parquet(out / "priorities" / f"v{version}" / "sources.parquet").set_index("source_id")


def _priorities(out: Path, version: int) -> pd.DataFrame:
    return pd.read_parquet(out / "priorities" / f"v{version}" / "priorities.parquet")


def _cli(tmp_path: Path, monkeypatch, *args: str):
    """`smartspec ARGS` in this process, from `tmp_path` (its own pyproject.toml and cache)."""
    monkeypatch.chdir(tmp_path)
    if not (tmp_path / "pyproject.toml").exists():
        project_config(tmp_path)
    return runner.invoke(app, list(args))


# --- 1. a run refuses to publish what looks like an accident --------------------------------

# The command a user types, in a fresh interpreter: what it prints and whether Prefect loaded.
_CLI_SCRIPT = (
    "import sys; from typer.testing import CliRunner; from flows.cli import app; "
    "r = CliRunner().invoke(app, sys.argv[1:]); "
    "print(r.exit_code); print(r.output.strip()); "
    "print('prefect loaded' if [m for m in sys.modules if m.split('.')[0] == 'prefect'] else 'no prefect')"
)


@pytest.mark.parametrize("kind", ["missing", "a file", "empty", "only hidden files"])
def test_a_missing_or_empty_raw_folder_stops_the_run_before_it_starts(tmp_path, kind):
    raw = tmp_path / "raw"
    if kind == "a file":
        raw.write_text("not a folder")
    elif kind != "missing":
        raw.mkdir()
        if kind == "only hidden files":
            (raw / ".DS_Store").write_bytes(b"\0")
    out = tmp_path / "output"
    done = subprocess.run([sys.executable, "-c", _CLI_SCRIPT, "run", "--raw", str(raw), "--output", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    code, message, prefect = done.stdout.strip().splitlines()
    expected = {
        "missing": f"not run: raw folder {raw} not found: give --raw the folder that holds the documents "
                   "(is the share mounted?)",
        "a file": f"not run: raw folder {raw} is a file, not a folder: give --raw the folder that holds the documents",
        "empty": f"not run: raw folder {raw} is empty: put the documents in it, or give --raw the folder that "
                 "holds them (is the share mounted?)",
    }
    assert (code, prefect) == ("2", "no prefect")  # refused before Prefect (seconds of start-up) loads
    assert message == expected.get(kind, expected["empty"])
    assert not out.exists()  # nothing published, not even a folder made


def test_a_run_that_would_remove_most_sources_needs_allow_removal(tmp_path, monkeypatch):
    raw = _raw_with_deck(tmp_path)
    for name in ("a.md", "b.md", "c.md"):
        (raw / name).write_text("# Anteckningar\n\nInga prioriteringar här.\n", encoding="utf-8")
    first = _cli(tmp_path, monkeypatch, "run", "--raw", "raw", "--output", "output")
    assert first.exit_code == 0 and "published v1" in first.output

    for name in ("a.md", "b.md", DECK.name):  # 3 of 4 gone: a share half synced, a wrong copy of raw/
        (raw / name).unlink()
    refused = _cli(tmp_path, monkeypatch, "run", "--raw", "raw", "--output", "output")
    assert refused.exit_code == 1
    assert refused.output.strip() == (
        f"not published: this run would remove 3 of the 4 sources of v1 (a, b, {DECK.stem}); if their files "
        "were deleted on purpose, run again with --allow-removal; if not, check --raw (is the folder mounted?)")
    assert "Traceback" not in refused.output
    assert sorted(p.name for p in (tmp_path / "output" / "priorities").glob("v*")) == ["v1"]

    allowed = _cli(tmp_path, monkeypatch, "run", "--raw", "raw", "--output", "output", "--allow-removal")
    assert allowed.exit_code == 0 and "published v2" in allowed.output
    assert list(_sources(tmp_path / "output", 2).index) == ["c"]


# --- 2. last good rows stay -------------------------------------------------------------------


def test_a_truncated_copy_of_the_deck_keeps_its_64_priorities_marked_stale(tmp_path):
    raw = _raw_with_deck(tmp_path)
    out = tmp_path / "output"
    assert _run(raw, out).version == 1
    good = _sources(out, 1).loc[DECK.stem]

    deck = raw / DECK.name
    deck.write_bytes(DECK.read_bytes()[: DECK.stat().st_size // 2])  # a copy cut short
    second = _run(raw, out)
    assert (second.status, second.version, second.priorities, second.regions) == ("published", 2, 64, 18)
    row = _sources(out, 2).loc[DECK.stem]
    assert (row.status, row.error_type, row.sha256, row.priority_count) == (
        "stale", "UnreadableDocument", good.sha256, 64)
    assert row.error_message == (
        "truncated or damaged file: not a valid PPTX package (BadZipFile: File is not a zip file); keeping the 64 priorities of its last good copy "
        f"(sha256 {good.sha256[:12]})")
    assert _priorities(out, 2).equals(_priorities(out, 1))
    assert pd.read_parquet(out / "priorities" / "v2" / "changes.parquet").empty
    assert f"  {DECK.stem}: stale: truncated or damaged file" in "\n".join(second.lines())

    third = _run(raw, out)  # still broken: still stale, nothing new to publish
    assert (third.status, third.version, third.priorities) == ("unchanged", 2, 64)

    shutil.copy(DECK, deck)  # repaired
    fourth = _run(raw, out)
    assert (fourth.status, fourth.version) == ("published", 3)
    assert _sources(out, 3).loc[DECK.stem, "status"] == "ok"


def test_a_deleted_file_is_a_removal_and_a_failing_one_is_not(tmp_path):
    raw = _raw_with_deck(tmp_path)
    shutil.copy(DATA / "seed_deck.txt", raw / "notes.txt")
    out = tmp_path / "output"
    assert _run(raw, out).priorities == 128
    (raw / "notes.txt").unlink()
    second = _run(raw, out)
    assert (second.status, second.priorities) == ("published", 64)
    assert list(_sources(out, second.version).index) == [DECK.stem]
