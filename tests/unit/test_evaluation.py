"""Scoring extracted priorities against truth files."""

from __future__ import annotations

import json

import pytest

from smartspec.evaluation.scoring import Truth, load_truth, normalise, overall, region_ok, score
from smartspec.extractors.records import PriorityRecord


def record(text, level=1, code="EE", heading="3.1 Selected growth areas", page=18):
    return PriorityRecord(code, "Estonia", "EE", text, text.casefold(), 1, level, None, "en",
                          "doc", "doc.pdf", "0" * 64, page, None, "inferred", heading, 0.9)


TRUTH = Truth(document="doc.pdf", nuts_code="EE",
              priorities=("Health technology and services", "Information and communication technologies",
                          "More efficient use of resources"),
              aliases={"Health technology and services": ("Healthcare technology and services",)})


def test_exact_alias_and_fuzzy_matches():
    records = [record("Healthcare technology and services"),  # alias
               record("information and communication technology"),  # fuzzy
               record("MORE EFFICIENT USE OF RESOURCES."),  # case and punctuation
               record("Logistics")]  # invented
    s = score(records, TRUTH)
    assert len(s.matched) == 3 and s.invented == ("Logistics",) and s.missed == ()
    assert (s.precision, s.recall) == (0.75, 1.0) and s.f1 == pytest.approx(0.8571, abs=1e-4)
    assert s.region_ok and s.from_toc == 0


def test_only_the_scored_level_counts_and_each_truth_item_matches_once():
    records = [record("Health technology and services"), record("Health technology and services"),
               record("cyber security", level=2)]
    s = score(records, TRUTH)
    assert len(s.matched) == 1 and s.invented == ("Health technology and services",)
    assert len(s.missed) == 2


def test_quotes_and_dashes_are_unified():
    assert normalise("development of the ‘smart house’ concept") == normalise("Development of the 'smart house' concept")
    assert normalise("Transport – logistics") == normalise("transport logistics")


@pytest.mark.parametrize("code, truth, ok", [("LU", "LU000", True), ("LU000", "LU", True),
                                             ("NL1", "NL1", True), ("NL3", "NL1", False), ("", "EE", False)])
def test_region_ok(code, truth, ok):
    assert region_ok(code, truth) is ok


def test_records_from_a_table_of_contents_are_counted():
    records = [record("Health technology and services ........ 18"),
               record("More efficient use of resources", heading="Table of Contents"),
               record("Information and communication technologies", heading="Innehåll")]
    assert score(records, TRUTH).from_toc == 3


def test_overall_is_micro_averaged():
    a = score([record("Health technology and services")], TRUTH)  # 1 of 1 extracted, 1 of 3
    b = score([record("x"), record("y")], TRUTH)  # 0 of 2
    total = overall([a, b])
    assert (total.matched, total.extracted, total.expected) == (1, 3, 6)
    assert total.precision == pytest.approx(1 / 3, abs=1e-4)


def test_load_truth_reads_the_corpus_format(tmp_path):
    path = tmp_path / "doc.pdf.json"
    path.write_text(json.dumps({
        "document": "doc.pdf", "nuts_code": "LU000", "priorities": ["A", "B"],
        "priority_aliases": {"A": ["Alpha"]}, "sub_priorities": {"B": ["b1"]},
        "priority_section": {"pages": [24], "heading": "4.1"},
        "alternative_lists": [{"pages": [2], "heading": "Contents", "items": ["A"], "comment": "trap: toc"}],
    }), encoding="utf-8")
    truth = load_truth(path)
    assert truth.aliases == {"A": ("Alpha",)} and truth.section_pages == (24,)
    assert score([record("b1", level=2, code="LU")], truth, level=2).f1 == 1.0


def test_a_truth_file_without_priorities_is_refused(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"document": "x.pdf", "nuts_code": "EE"}', encoding="utf-8")
    with pytest.raises(ValueError, match="priorities"):
        load_truth(path)


def test_nothing_expected_and_nothing_extracted_is_perfect():
    s = score([record("Health technology and services")], TRUTH, level=2)
    assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)
    assert score([record("x", level=2)], TRUTH, level=2).f1 == 0.0
