"""extractors/headings.py: the heading lexicons' patterns found in headings, on lemmas."""

import pytest


@pytest.fixture(scope="module")
def headings(toolkit):
    return {lang: toolkit.heading_matcher(lang) for lang in ("sv", "en")}


@pytest.mark.parametrize("lang, text, label", [
    ("sv", "Styrkeområden", "PRIORITY"),
    ("sv", "Regionens styrkeområdena", "PRIORITY"),  # definite plural of a compound
    ("sv", "PRIORITERADE OMRÅDEN", "PRIORITY"),
    ("sv", "Våra fokusområden", "PRIORITY"),
    ("sv", "Specialiseringsområde", "PRIORITY"),
    ("sv", "Mål", "GOAL"),
    ("sv", "Aktörer", "ACTOR"),
    ("sv", "Insatser", "ACTION"),
    ("sv", "Innehåll", "CONTENTS"),
    ("sv", "Sammanfattning", "SUMMARY"),
    ("en", "3.1. SELECTED GROWTH AREAS", "PRIORITY"),
    ("en", "Six RDI Priority Areas have been identified:", "PRIORITY"),
    ("en", "Area of strength", "PRIORITY"),
    ("en", "Specialisation domains", "PRIORITY"),
    ("en", "Societal challenges", "THEME"),
    ("en", "Strengths and weaknesses", "SWOT"),
    ("en", "Our objectives", "GOAL"),
    ("en", "Stakeholders", "ACTOR"),
    ("en", "Table of contents", "CONTENTS"),
    ("en", "Executive summary", "SUMMARY"),
])
def test_headings_match_on_lemmas(headings, lang, text, label):
    assert label in {found.label for found in headings[lang].labels([text])[0]}


def test_evidence_and_heading_labels_overlap(headings):
    """S3 evidence and a list's name are read apart: both count."""
    labels = headings["en"].labels(["Smart specialisation areas"])[0]
    assert sorted(f.label for f in labels) == ["PRIORITY", "S3"]
    labels = headings["en"].labels(["The smart specialisation strategy for Dalarna"])[0]
    assert [f.label for f in labels] == ["S3"]  # its own strategy, not another's


def test_overlapping_patterns_keep_the_longest(headings):
    # "areas of strength" is a PRIORITY wording; "strengths" is SWOT only beside weaknesses
    assert [f.label for f in headings["en"].labels(["Areas of strength"])[0]] == ["PRIORITY"]
    assert "SWOT" not in {f.label for f in headings["en"].labels(["Four strengths"])[0]}
    labels = headings["en"].labels(["Goals for the priority areas"])[0]
    assert [f.label for f in labels] == ["GOAL", "PRIORITY"]
