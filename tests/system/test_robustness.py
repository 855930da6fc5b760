"""Every file of ../shared/corpus/robustness/ through the isolated per-document step, as one run.

No crash, no hang: each file gets exactly one sources row, and every row that is not ok says
why in words a user understands. The files are copied into tmp_path, never into the repo.
"""

from __future__ import annotations

import dataclasses
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from smartspec.extractors.settings import load_settings
from smartspec.inputs.sources import discover
from smartspec.running.isolation import DocumentOutOfMemory, DocumentTimedOut, ReaderCrashed, process_source_isolated
from smartspec.publishing.tables import priorities_frame, sources_frame, validate
from tests.conftest import ROOT, corpus_dir

# A generous limit: the slowest file here takes a few seconds; a hang would take forever.
TIMEOUT_S = 120
WORKERS = 2

ENCRYPTED = ("pdfminer-six__aes-256-r6.pdf", "pdfminer-six__rc4-40.pdf", "pdfplumber__password-example.pdf",
             "pypdf__crazyones-encrypted-256.pdf", "pypdf__libreoffice-writer-password.pdf")
EMPTY_USER_PASSWORD = ("pypdf__r2-empty-password.pdf", "pdfminer-six__issue-625-identity-cmap.pdf",
                       "pdfminer-six__issue-00352-asw-oct96-p41.pdf")
SCANNED = ("pdfminer-six__pdf-with-jbig2.pdf", "pypdf__imagemagick-CCITTFaxDecode.pdf")
TRUNCATED = ("derived__federal-register-2020-17221_truncated-40pct.pdf", "derived__test_slides_truncated-60pct.pptx")
EMPTY = ("pdfplumber__empty.pdf",)


@pytest.fixture(scope="module")
def rows(tmp_path_factory, toolkit) -> dict[str, object]:
    corpus = corpus_dir("robustness")
    raw = tmp_path_factory.mktemp("robustness") / "raw"
    raw.mkdir()
    for path in sorted(corpus.iterdir()):
        if path.is_file() and path.name != "MANIFEST.md":
            shutil.copy2(path, raw / path.name)
    sources = discover(raw)
    settings = dataclasses.replace(load_settings(ROOT / "pyproject.toml"), raw_dir=raw, document_timeout_s=TIMEOUT_S)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        outcomes = list(pool.map(lambda source: process_source_isolated(source, toolkit, settings), sources))
    # one run's tables: exactly one sources row per raw file, and they validate
    validate(priorities_frame([p for o in outcomes for p in o.priorities]), sources_frame([o.source for o in outcomes]),
             region_codes=toolkit.gazetteer.codes, source_ids={s.source_id for s in sources})
    assert len(outcomes) == len(sources) == len(list(raw.iterdir()))
    return {Path(o.source.source_file).name: o.source for o in outcomes}


def test_every_file_has_one_row_and_none_crashed_or_hung(rows) -> None:
    assert len(rows) == 62
    stopped = {DocumentTimedOut.error_type, DocumentOutOfMemory.error_type, ReaderCrashed.error_type}
    assert {name: row.error_message for name, row in rows.items() if row.error_type in stopped} == {}


def test_every_row_that_is_not_ok_says_why(rows) -> None:
    for name, row in rows.items():
        if row.status != "ok":
            assert row.error_message and row.error_message.strip(), name
            assert row.error_type, name


@pytest.mark.parametrize(("names", "words", "status"), [
    (ENCRYPTED, ("encrypted", "password"), "failed"),
    (SCANNED, ("no text layer",), "no_text"),
    (TRUNCATED, ("truncated or damaged",), "failed"),
    (EMPTY, ("empty file",), "failed"),
], ids=["encrypted", "scanned", "truncated", "empty"])
def test_messages_name_the_problem(rows, names, words, status) -> None:
    for name in names:
        row = rows[name]
        assert row.status == status, (name, row.error_message)
        assert all(word in row.error_message for word in words), (name, row.error_message)


def test_an_empty_user_password_is_no_obstacle(rows) -> None:
    for name in EMPTY_USER_PASSWORD:
        row = rows[name]
        assert row.status != "failed" and row.pages and row.pages >= 1, (name, row.error_message)
        assert "encrypted" not in (row.error_message or ""), name
