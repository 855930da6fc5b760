"""The commands that never start Prefect: extract and inspect, on the bundled fixtures."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import DATA, DECK

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


def test_extract_never_imports_prefect():
    script = (
        "import sys; from typer.testing import CliRunner; from flows.cli import app; "
        f"r = CliRunner().invoke(app, ['extract', {str(DATA / 'seed_deck.txt')!r}, '-f', 'csv']); "
        "assert r.exit_code == 0, r.output; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'prefect'], 'prefect imported'"
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
