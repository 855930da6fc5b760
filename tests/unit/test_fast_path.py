"""The fast path gives exactly what laying out every page gives.

With `pdf_fast_path` the per-document step lets a pypdfium2 text pass pick the pages
pdfplumber lays out (`extractors.pages.select_pages`); without it every page is laid out.
On every PDF of both corpora (../shared/corpus/ris3 and the PDFs of ../shared/corpus/robustness)
and of the bundled fixtures, the two give the same priorities, every field (bbox included),
and the same `sources` row. One test per document, so pytest-xdist spreads them.

The one difference allowed: "no priorities found ... none of the N candidate sections ..."
counts the candidates on the pages laid out, so N is masked.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from extractors.extract import Toolkit
from extractors.pages import select_pages
from extractors.readers import pdf
from extractors.records import SourceRecord
from inputs.sources import SourceFile
from extractors.records import SourceOutcome
from running.steps import process_source
from tests.conftest import CORPUS, DATA

FIXTURES = [DATA / "seed_deck.pdf", *sorted((DATA / "strategies").glob("*.pdf"))]
RIS3 = CORPUS / "ris3"
ROBUSTNESS = CORPUS / "robustness"
_CANDIDATE_COUNT_RE = re.compile(r"none of the \d+ candidate sections")


def _corpus(folder: Path) -> list:
    if not folder.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(
            reason=f"real-document corpus not found at ../shared/corpus/{folder.name}"), id=f"{folder.name}-absent")]
    return [pytest.param(path, id=f"{folder.name}/{path.name}") for path in sorted(folder.glob("*.pdf"))]


DOCUMENTS = [pytest.param(path, id=f"data/{path.name}") for path in FIXTURES] + _corpus(RIS3) + _corpus(ROBUSTNESS)


def _with_fast_path(toolkit: Toolkit, on: bool) -> Toolkit:
    return dataclasses.replace(toolkit, settings=dataclasses.replace(toolkit.settings, pdf_fast_path=on))


def _row(record: SourceRecord) -> SourceRecord:
    message = record.error_message and _CANDIDATE_COUNT_RE.sub("none of the N candidate sections", record.error_message)
    return dataclasses.replace(record, error_message=message)


@pytest.mark.parametrize("path", DOCUMENTS)
def test_fast_path_gives_the_same_priorities_and_sources_row(path: Path, toolkit: Toolkit):
    source = SourceFile(path.stem, path, path.name)
    full: SourceOutcome = process_source(source, _with_fast_path(toolkit, False))
    fast: SourceOutcome = process_source(source, _with_fast_path(toolkit, True))
    assert fast.priorities == full.priorities
    assert _row(fast.source) == _row(full.source)


def _ris3_page_choice(toolkit: Toolkit) -> dict[str, tuple[int, frozenset[int]]]:
    choice = {}
    for path in sorted(RIS3.glob("*.pdf")):
        texts = pdf.page_texts(path, source_id=path.stem)
        choice[path.name] = (len(texts), select_pages(texts, toolkit))
    return choice


def test_the_fast_path_lays_out_far_fewer_pages_of_the_strategies(toolkit: Toolkit):
    if not RIS3.is_dir():
        pytest.skip("real-document corpus not found at ../shared/corpus/ris3")
    choice = _ris3_page_choice(toolkit)
    pages = sum(count for count, _ in choice.values())
    laid_out = sum(len(chosen) for _, chosen in choice.values())
    assert pages == 181
    assert laid_out <= 0.6 * pages
    # ... and always the pages the priorities are on
    name = "LU_Luxembourg_Strategy_for_Smart_Specialisation_Oct_2014.pdf"
    outcome = process_source(SourceFile("lu", RIS3 / name, name), toolkit)
    assert outcome.priorities
    assert {p.page for p in outcome.priorities} <= choice[name][1]
