"""Accuracy on the real strategies of ../shared/corpus/ris3 that have truth files.

Each must give F1 >= 0.8 on its level-1 priorities, with the right region and no item taken
from a table of contents. Reads the PDFs whole, so this is one of the slower tests.
"""

from __future__ import annotations

import pytest

from smartspec.evaluation.harness import evaluate_dir
from tests.conftest import corpus_dir

MIN_F1 = 0.8


@pytest.fixture(scope="module")
def results(toolkit):
    ris3 = corpus_dir("ris3")
    if not any((ris3 / "truth").glob("*.json")):
        pytest.skip("no truth files in ../shared/corpus/ris3/truth")
    return dict(evaluate_dir(ris3 / "truth", ris3, toolkit))


def test_the_corpus_has_the_four_truth_documents(results):
    assert len(results) >= 4


def test_each_truth_document_is_extracted_well(results):
    failing = {
        name: f"F1 {s.f1:.2f} (P {s.precision:.2f} R {s.recall:.2f}) region_ok={s.region_ok} "
              f"from_toc={s.from_toc} missed={s.missed} invented={s.invented} error={s.error}"
        for name, s in results.items()
        if s.f1 < MIN_F1 or not s.region_ok or s.from_toc
    }
    assert not failing, failing
