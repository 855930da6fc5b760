"""Extraction accuracy on the development corpus and on the sv-strategies documents: the
figures issue 9 asks for, asserted so that a change that loses them fails.

The held-out split was kept out of sight while the rules were written, and so in turn were the
`fresh` and `unseen` splits (their first figures, before any rule was written for them, are in
the README); their bar is the issue's for documents kept out of sight. The sv-strategies
documents live outside the repository and are skipped, saying why, without it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartspec.evaluation.corpus_scoring import CorpusReport, evaluate_corpus
from smartspec.evaluation.devcorpus import build
from tests.conftest import corpus_dir

# split -> the least F1 it must reach
MIN_F1 = {"tuned": 0.95, "heldout": 0.90, "fresh": 0.90, "unseen": 0.90}
MIN_F1_SV_STRATEGIES = 0.95


@pytest.fixture(scope="module", params=sorted(MIN_F1))
def split_report(request, tmp_path_factory, toolkit) -> tuple[str, CorpusReport]:
    out = tmp_path_factory.mktemp(f"devcorpus-{request.param}")
    build(request.param, out)
    return request.param, evaluate_corpus(out, toolkit)


def _failing(report: CorpusReport) -> dict[str, str]:
    return {d.document: f"F1 {d.f1:.2f} missed={d.missed} invented={d.invented} error={d.error}"
            for d in report.documents if d.f1 < 1.0}


def test_each_split_reaches_its_f1(split_report):
    split, report = split_report
    assert report.f1 >= MIN_F1[split], (report.f1, _failing(report))


def test_no_trap_item_is_published(split_report):
    _, report = split_report
    assert report.traps == 0, {d.document: d.trap_hits for d in report.documents if d.trap_hits}


def test_documents_without_an_s3_list_publish_nothing(split_report):
    _, report = split_report
    empty = [d for d in report.documents if d.expected == 0]
    assert empty, "each split holds documents with no S3 list"
    assert {d.document: d.predicted for d in empty if d.predicted} == {}


def test_sv_strategies_documents(toolkit):
    folder: Path = corpus_dir("sv-strategies")
    report = evaluate_corpus(folder, toolkit)
    assert report.f1 >= MIN_F1_SV_STRATEGIES, (report.f1, _failing(report))
    assert report.traps == 0, {d.document: d.trap_hits for d in report.documents if d.trap_hits}
