"""The commands that never start Prefect: extract and inspect, on the bundled fixtures."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from smartspec.flows.cli import app
from tests.conftest import DATA, DECK
from tests.helpers.runs import config_file, raw_with_deck, smartspec_command

runner = CliRunner()


def test_extract_prints_the_priority_columns_as_csv_and_json():
    result = runner.invoke(app, ["extract", str(DATA / "seed_deck.txt"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 64
    assert rows[0]["region_code"] == "SE332" and rows[0]["region_match"] == "fuzzy"
    assert rows[-1]["priority"] == "Smarta material"

    result = runner.invoke(app, ["extract", str(DECK), "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert len(records) == 64 and records[0]["page"] == 4


def test_extract_reads_files_at_once_and_prints_their_rows_in_the_order_given():
    files = [str(DATA / "strategies" / "uppsala-regional-innovationsstrategi.html"), str(DATA / "seed_deck.txt"),
             str(DATA / "strategies" / "skane-innovationsstrategi-2021-2027.docx")]
    alone = []
    for path in files:
        result = runner.invoke(app, ["extract", path, "--format", "json", "--workers", "1"])
        assert result.exit_code == 0, result.output
        alone += json.loads(result.stdout)
    result = runner.invoke(app, ["extract", *files, "--format", "json", "--workers", "3"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == alone
    assert list(dict.fromkeys(row["source_id"] for row in alone)) == [Path(path).stem for path in files]


def test_extract_imports_only_what_it_uses():
    """No Prefect, pandas or pyarrow, and not spaCy's own command line (extractors/spacy_cli.py)."""
    script = (
        "import sys; from typer.testing import CliRunner; from smartspec.flows.cli import app; "
        f"r = CliRunner().invoke(app, ['extract', {str(DECK)!r}, '-f', 'csv']); "
        "assert r.exit_code == 0, r.output; "
        "loaded = sorted({m for m in sys.modules if m.split('.')[0] in ('prefect', 'pandas', 'pyarrow')}"
        " | {m for m in sys.modules if m.startswith('spacy.cli')}); "
        "assert 'spacy.language' in sys.modules and not loaded, loaded"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_extract_reports_a_bad_file_and_fails_when_nothing_came_out(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["extract", str(empty)])
    assert result.exit_code == 1
    assert "empty file" in result.output


def test_inspect_dumps_the_document_model():
    result = runner.invoke(app, ["inspect", str(DECK)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["format"] == "pptx" and document["pages"] == 8
    first_region = next(b for b in document["blocks"] if b["text"] == "Norrbottnen")
    assert first_region["provenance"]["page"] == 4 and first_region["bold"]
    assert set(first_region["provenance"]["bbox"]) == {"x0", "top", "x1", "bottom"}


def _in_folder_with_limits(tmp_path, monkeypatch, **limits) -> None:
    """Run the command from `tmp_path`, whose pyproject.toml sets these limits."""
    lines = ["[tool.smartspec]", *(f"{key} = {value}" for key, value in limits.items())]
    (tmp_path / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)


def test_extract_refuses_what_is_not_a_file_and_reads_within_the_run_limits(tmp_path, monkeypatch):
    """A FIFO named .pdf blocked for ever; a large HTML page ran without a limit."""
    _in_folder_with_limits(tmp_path, monkeypatch, max_file_mb=1)
    os.mkfifo(tmp_path / "pipe.pdf")
    (tmp_path / "folder.pdf").mkdir()
    (tmp_path / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")
    (tmp_path / "big.html").write_text("<html><body>" + "<p>x</p>" * 200_000 + "</body></html>")
    result = runner.invoke(app, ["extract", "pipe.pdf", "folder.pdf", "gone.pdf", "big.html", "missing.txt"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "pipe.pdf: failed: refused: pipe.pdf is a FIFO (named pipe), not a file",
        "folder.pdf: failed: refused: folder.pdf is a folder, not a file",
        f"gone.pdf: failed: refused: gone.pdf is a link to nothing ({tmp_path / 'nowhere.pdf'} does not exist)",
        "big.html: failed: too large: 1.5 MB (limit 1 MB)",
        "missing.txt: failed: file not found",
    ]


def test_a_docx_named_pdf_is_read_as_docx_and_the_lie_is_noted(tmp_path, monkeypatch):
    """It was "truncated or damaged file" before."""
    _in_folder_with_limits(tmp_path, monkeypatch)
    shutil.copy(DATA / "strategies" / "skane-innovationsstrategi-2021-2027.docx", tmp_path / "plan.pdf")
    result = runner.invoke(app, ["extract", "plan.pdf", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "plan.pdf: note: a DOCX file named .pdf: read as DOCX"
    assert {row["region_code"] for row in json.loads(result.stdout)} == {"SE224"}


def test_a_windows_1252_text_export_of_even_length_gives_the_64_priorities(tmp_path, monkeypatch):
    """It was decoded as UTF-16 (Chinese characters): 0 priorities."""
    _in_folder_with_limits(tmp_path, monkeypatch)
    data = (DATA / "seed_deck.txt").read_text(encoding="utf-8").encode("cp1252", errors="replace")
    (tmp_path / "deck.txt").write_bytes(data + b"\n" * (len(data) % 2))
    result = runner.invoke(app, ["extract", "deck.txt", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 64 and rows[-1]["priority"] == "Smarta material"


# --- failures found before Prefect starts ---------------------------------------------------



def _fails_before_prefect(tmp_path, *args: str) -> tuple[int, list[str]]:
    """`smartspec ARGS` in a project with the bundled deck: its exit code and what it said on
    stderr, after checking that it never imported Prefect, let alone started its server."""
    raw_with_deck(tmp_path)
    config_file(tmp_path)
    home = tmp_path / "prefect-home"
    env = {**os.environ, "PREFECT_HOME": str(home), "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run([*smartspec_command(), *args], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    lines = done.stderr.splitlines()
    imported = {line.rsplit("|", 1)[-1].strip() for line in lines if line.startswith("import time:")}
    assert "prefect" not in imported and not home.exists()
    return done.returncode, [line for line in lines if not line.startswith("import time:")]


def test_reextract_of_an_unknown_region_is_one_line_before_prefect(tmp_path):
    code, said = _fails_before_prefect(tmp_path, "reextract", "--region", "Atlantis")
    assert (code, said) == (2, ["nothing re-extracted: unknown region 'Atlantis': not a name, alias or code in "
                                "the gazetteer"])


def test_a_dask_scheduler_that_does_not_answer_is_one_line_before_prefect(tmp_path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, said = _fails_before_prefect(tmp_path, "run", "--dask-address", f"tcp://127.0.0.1:{port}")
    assert (code, said) == (2, [f"not run: the Dask scheduler at tcp://127.0.0.1:{port} does not answer: "
                                "Connection refused"])


def test_a_run_while_another_holds_the_output_is_one_line_before_prefect(tmp_path):
    from smartspec.publishing.locks import run_lock

    with run_lock(tmp_path / "output"):
        code, said = _fails_before_prefect(tmp_path, "run")
    assert code == 3 and len(said) == 1 and said[0].startswith("not run: another smartspec run is in progress")


def test_extract_prints_a_priority_as_written_not_as_markup(tmp_path, monkeypatch):
    """The table is drawn with rich: a document's "[red]" is text, not a colour."""
    _in_folder_with_limits(tmp_path, monkeypatch)
    text = (DATA / "seed_deck.txt").read_text(encoding="utf-8")
    assert text.count("Smarta material") == 1
    (tmp_path / "deck.txt").write_text(text.replace("Smarta material", "[red]Smarta[/red]"), encoding="utf-8")
    result = runner.invoke(app, ["extract", "deck.txt"])
    assert result.exit_code == 0, result.output
    assert "[red]Smarta[/red]" in result.stdout
