"""Deciding with evidence or abstaining: needs_review, curation entries and `explain`."""

from __future__ import annotations

import pytest

from smartspec.extractors.curation import Choose, CurationEntry, CurationError, load_curation
from smartspec.extractors.errors import CurationNotApplicable, NeedsReview
from smartspec.extractors.explain import explain
from smartspec.extractors.extract import extract
from smartspec.extractors.readers import read_document

TWO_LISTS = """# Smart specialisering i Region Skåne

## Styrkeområden

- Life science
- Smarta material

## Prioriterade områden

- Livsmedel
- Besöksnäring
"""

RUS_FIRST = """# Region Skåne: strategi för smart specialisering

## Koppling till den regionala utvecklingsstrategin

Den regionala utvecklingsstrategin pekar ut tre prioriterade områden:

- Attraktiva livsmiljöer
- Kompetensförsörjning
- Tillgänglighet

## Styrkeområden

Inom ramen för smart specialisering prioriterar regionen:

- Life science
- Smarta material
- Livsmedel och besöksnäring
"""


def _document(tmp_path, text, name="skane.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_document(path, source_id=path.stem)


def test_two_equally_plausible_lists_need_review_and_publish_nothing(tmp_path, toolkit):
    document = _document(tmp_path, TWO_LISTS)
    with pytest.raises(NeedsReview, match="two lists score alike") as raised:
        extract(document, toolkit)
    headings = [c["heading"] for c in raised.value.candidates]
    assert headings[:2] == ["Styrkeområden", "Prioriterade områden"] or \
        headings[:2] == ["Prioriterade områden", "Styrkeområden"]
    assert raised.value.status == "needs_review"
    assert "raw/curation.toml" in raised.value.message


def test_a_curation_entry_choosing_a_candidate_settles_it(tmp_path, toolkit):
    document = _document(tmp_path, TWO_LISTS)
    entry = CurationEntry("skane", document.sha256, choose=Choose(1, "prioriterade  områden"),
                          drop=("Besöksnäring",), add=("Turism",))
    records = extract(document, toolkit, curation=entry).records
    assert [(r.priority, r.position) for r in records] == [("Livsmedel", 1), ("Turism", 2)]
    assert {r.region_code for r in records} == {"SE224"}


def test_a_curation_entry_naming_no_candidate_says_so(tmp_path, toolkit):
    document = _document(tmp_path, TWO_LISTS)
    entry = CurationEntry("skane", document.sha256, choose=Choose(1, "Mål"))
    with pytest.raises(CurationNotApplicable, match="not a candidate list"):
        extract(document, toolkit, curation=entry)


def test_an_entry_stops_applying_when_the_file_changes(tmp_path):
    entry = CurationEntry("skane", "ab" * 32, choose=Choose(1, "Styrkeområden"))
    assert entry.applies_to("ab" * 32)
    assert not entry.applies_to("cd" * 32)
    assert "written for sha256 abababababab" in entry.stale_message("cd" * 32)


def test_the_s3_list_wins_over_the_development_strategy_list_before_it(tmp_path, toolkit):
    document = _document(tmp_path, RUS_FIRST)
    records = extract(document, toolkit).records
    assert [r.priority for r in records] == ["Life science", "Smarta material",
                                             "Livsmedel och besöksnäring"]
    text = "\n".join(explain(document, toolkit))
    assert "OTHER_PLAN 'regionala utvecklingsstrategin'" in text
    assert "S3 'smart specialisering' (lead)" in text
    assert "OTHER_PLAN 'regionala utvecklingsstrategin' (heading)" in text
    assert "against: the headings it sits under" in text
    assert "Styrkeområden': score" in text and "<- chosen" in text
    chosen = next(line for line in text.splitlines() if "<- chosen" in line)
    assert "Styrkeområden" in chosen


def test_a_document_that_never_names_smart_specialisation_gives_nothing(tmp_path, toolkit):
    text = ("# Region Skåne: indikatorer\n\n## Prioriterade områden för uppföljning\n\n"
            "- Geografi\n- Demografi och samhälle\n- Arbetsmarknad\n")
    document = _document(tmp_path, text)
    with pytest.raises(Exception) as raised:
        extract(document, toolkit)
    assert raised.value.status == "no_priorities"


def test_curation_file_is_checked_naming_the_entry_and_key(tmp_path):
    (tmp_path / "curation.toml").write_text(
        '[[source]]\nsource_id = "x"\nsha256 = "abcdefabcdef12"\nchoose = { page = "1" }\n')
    with pytest.raises(CurationError, match="entry 1: 'choose'"):
        load_curation(tmp_path)
    (tmp_path / "curation.toml").write_text(
        '[[source]]\nsource_id = "x"\nsha256 = "abcdefabcdef12"\ndrop = ["A"]\n')
    assert load_curation(tmp_path)["x"].drop == ("A",)
