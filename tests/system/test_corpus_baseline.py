"""Every PDF of the corpora and of tests/data gives the same or better priorities than the
recorded baseline (tests/golden/corpus_pdfs.json; see evaluation/golden.py for "better").

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/system/test_corpus_baseline.py   # record it again
"""

from __future__ import annotations

import os

import pytest

from smartspec.evaluation.golden import judge, load, outcome, save
from tests.conftest import CORPUS, DATA, ROOT

GOLDEN = ROOT / "tests" / "golden" / "corpus_pdfs.json"


def _pdfs() -> dict[str, object]:
    """Each PDF by a name without a machine path: corpus/<folder>/<file> or data/<file>."""
    found = {f"corpus/{p.relative_to(CORPUS)}": p for p in sorted(CORPUS.rglob("*.pdf"))}
    found |= {f"data/{p.relative_to(DATA)}": p for p in sorted(DATA.rglob("*.pdf"))}
    return found


def test_every_pdf_gives_the_same_or_better_priorities_than_recorded(toolkit):
    if not CORPUS.is_dir():
        pytest.skip("real-document corpus not found at ../shared/corpus: nothing to compare")
    pdfs = _pdfs()
    found = {name: outcome(path, toolkit) for name, path in pdfs.items()}
    if os.environ.get("UPDATE_GOLDEN"):
        save(GOLDEN, found)
    recorded = load(GOLDEN)
    assert sorted(recorded) == sorted(found), "the corpus changed: record the baseline again"
    worse = {}
    for name, result in found.items():
        verdict = judge(recorded[name], result)
        if verdict.judgement == "worse":
            worse[name] = f"{verdict.reason}: {recorded[name]} -> {result}"
    assert not worse, worse
