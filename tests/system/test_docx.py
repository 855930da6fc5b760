"""The DOCX reader on a file LibreOffice writes, converted by `soffice` in a child process."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from smartspec.extractors.document import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL
from smartspec.extractors.readers import docx


def test_libreoffice_docx_round_trip(tmp_path: Path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = tmp_path / "plan.html"
    source.write_text(
        "<html><body><h1>Strategi</h1><h2>Prioriteringar</h2><p>Inledning.</p>"
        "<ul><li>Life science<ul><li>Medtech</li></ul></li><li>ICT</li></ul>"
        "<ol><li>Attract</li><li>Grow</li></ol>"
        "<table border='1'><tr><td>Area</td><td>Goal</td></tr><tr><td>Smart materials</td><td>Lighter</td></tr></table>"
        "</body></html>", encoding="utf-8")
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "out"), str(source)],
        capture_output=True, text=True, timeout=240,
    )
    converted = tmp_path / "out" / "plan.docx"
    assert converted.exists(), result.stdout + result.stderr
    document = docx.read(converted, source_id="plan")
    assert [(b.kind, b.level, b.text) for b in document.blocks if b.kind != TABLE_CELL] == [
        (HEADING, 1, "Strategi"), (HEADING, 2, "Prioriteringar"), (PARAGRAPH, 1, "Inledning."),
        (LIST_ITEM, 1, "Life science"), (LIST_ITEM, 2, "Medtech"), (LIST_ITEM, 1, "ICT"),
        (LIST_ITEM, 1, "Attract"), (LIST_ITEM, 1, "Grow"),
    ]
    assert [b.marker for b in document.blocks if b.text in ("Attract", "Grow")] == ["1.", "2."]
    assert all(b.marker for b in document.blocks if b.kind == LIST_ITEM)
    cells = [(b.row, b.level, b.text) for b in document.blocks if b.kind == TABLE_CELL]
    assert cells == [(1, 1, "Area"), (1, 2, "Goal"), (2, 1, "Smart materials"), (2, 2, "Lighter")]
