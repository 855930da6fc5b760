"""A bounded fuzz test of the readers: mutated real files, each read in the time-limited child.

From one seed file per format (the seed deck's PDF export, the seed PPTX, a DOCX made with
python-docx, an HTML page) `CASES` mutants are made with a seeded random generator: bytes
flipped, the file cut short, a chunk duplicated, zeroed or deleted. For the zip-based
formats half of the mutants damage one XML part inside an otherwise valid package, so the
mutation reaches python-pptx/python-docx instead of stopping at the zip's checksums.

Each mutant goes through `smartspec.extractors.readers.read_document` inside `smartspec.running.isolation.run_isolated`.
A Document or an ExtractionError is fine; any other exception, a crash or a hang is a reader bug.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from smartspec.extractors.errors import ExtractionError
from smartspec.extractors.readers import read_document
from smartspec.running.isolation import IsolationError, run_isolated
from tests.conftest import DATA, DECK

CASES = 200
TIMEOUT_S = 30
MEMORY_MB = 1024
# A fixed timestamp for zip members, so the seeds are the same bytes on every run.
ZIP_TIME = (2020, 1, 1, 0, 0, 0)

HTML_PAGE = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Smart specialisering</title></head>
<body><nav><a href="/">Hem</a></nav>
<h1>Regional innovationsstrategi</h1>
<p>Strategin pekar ut <b>fem</b> prioriterade områden.</p>
<h2>Prioriterade områden</h2>
<ul><li>Rymdteknik och geovetenskap<ul><li>Rymdbaserade tjänster</li></ul></li>
<li>Processindustri och gruvnäring</li><li>Energi och miljöteknik</li></ul>
<table><tr><th>Område</th><th>Ansvar</th></tr><tr><td>Testverksamhet</td><td>Region</td></tr></table>
<ol start="3"><li>Upplevelsenäring</li></ol>
</body></html>
"""


def _rezip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(zipfile.ZipInfo(name, ZIP_TIME), data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _entries(package: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def _docx_seed() -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = "Regional innovationsstrategi"
    document.add_heading("Regional innovationsstrategi", 0)
    document.add_paragraph("Strategin pekar ut fem prioriterade områden.")
    document.add_heading("Prioriterade områden", 1)
    for area in ("Rymdteknik och geovetenskap", "Processindustri och gruvnäring", "Energi och miljöteknik"):
        document.add_paragraph(area, style="List Bullet")
    document.add_paragraph("Rymdbaserade tjänster", style="List Bullet 2")
    document.add_paragraph("Testverksamhet i kallt klimat", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip(table._cells, ("Område", "Ansvar", "Upplevelsenäring", "Region"), strict=True):
        cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return _rezip(_entries(buffer.getvalue()))  # python-docx stamps members with the time


SEEDS: dict[str, tuple[str, Callable[[], bytes]]] = {
    "pdf": (".pdf", lambda: (DATA / "seed_deck.pdf").read_bytes()),
    "pptx": (".pptx", lambda: _rezip(_entries(DECK.read_bytes()))),
    "docx": (".docx", _docx_seed),
    "html": (".html", lambda: HTML_PAGE.encode("utf-8")),
}


def mutate_bytes(data: bytes, chance: random.Random) -> bytes:
    """One of: flip bytes, cut the end off, duplicate, zero or delete a chunk."""
    out = bytearray(data)
    size = len(out)
    operation = chance.choice(("flip", "truncate", "duplicate", "zero", "delete"))
    if operation == "flip":
        for _ in range(chance.randint(1, 32)):
            out[chance.randrange(size)] = chance.randrange(256)
    elif operation == "truncate":
        del out[chance.randrange(size):]
    else:
        start = chance.randrange(size)
        end = min(size, start + chance.randint(1, max(1, size // 8)))
        if operation == "duplicate":
            at = chance.randrange(size)
            out[at:at] = out[start:end] * chance.randint(1, 4)
        elif operation == "zero":
            out[start:end] = bytes(end - start)
        else:
            del out[start:end]
    return bytes(out)


def mutant(fmt: str, seed: bytes, case: int) -> bytes:
    chance = random.Random(f"{fmt}:{case}")
    if fmt in ("pptx", "docx") and case % 2:  # damage one XML part, keep the package valid
        entries = _entries(seed)
        xml = [index for index, (name, _) in enumerate(entries) if name.endswith((".xml", ".rels"))]
        index = chance.choice(xml)
        name, data = entries[index]
        entries[index] = (name, mutate_bytes(data, chance))
        return _rezip(entries)
    return mutate_bytes(seed, chance)


def read_mutant(path: Path) -> int:
    """The reader's verdict on one file, in the child: the number of blocks read."""
    return len(read_document(path, source_id="fuzz").blocks)


@pytest.mark.parametrize("fmt", list(SEEDS))
def test_only_extraction_errors_escape_the_readers(fmt: str, tmp_path: Path) -> None:
    suffix, make_seed = SEEDS[fmt]
    seed = make_seed()
    assert run_isolated(read_mutant, _write(tmp_path / f"seed{suffix}", seed), timeout_s=TIMEOUT_S) > 0
    outcomes: Counter[str] = Counter()
    bugs = []
    for case in range(CASES):
        path = _write(tmp_path / f"case-{case}{suffix}", mutant(fmt, seed, case))
        try:
            run_isolated(read_mutant, path, timeout_s=TIMEOUT_S, memory_mb=MEMORY_MB)
            outcomes["read"] += 1
        except ExtractionError as error:
            outcomes[error.error_type] += 1
        except IsolationError as error:  # a hang, a memory blow-up or a crash of the reader
            bugs.append((case, error.error_type, error.message))
        except Exception as error:  # noqa: BLE001 - the point of the test: name every other escape
            bugs.append((case, type(error).__name__, f"{error}\n{error.__cause__}"))
        path.unlink()
    assert len(bugs) + sum(outcomes.values()) == CASES
    assert bugs == [], f"{fmt}: {len(bugs)} of {CASES} mutants broke the reader: {bugs[:3]}"


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
