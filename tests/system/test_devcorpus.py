"""The development corpus (smartspec.evaluation.devcorpus) and its scorer (smartspec.evaluation.corpus_scoring):
builds are byte-identical, truths and traps occur in the documents as the project's readers
read them, the splits cover every layout and both languages; the scorer counts as it says."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from smartspec.evaluation.corpus_scoring import (DocumentTruth, Prediction, RegionTruth, load_truths,
                                       normalise, score_corpus, score_document)
from smartspec.evaluation.devcorpus import LAYOUTS, SPLITS, build, load_documents
from smartspec.evaluation.devcorpus.build import FIXTURE_LAYOUTS
from smartspec.evaluation.devcorpus.documents import FIXTURES
from smartspec.evaluation.devcorpus.fixtures import TRUTH_DIR, build_fixtures
from smartspec.evaluation.devcorpus.documents import Item, Part, item_marker
from smartspec.extractors.readers import read_document
from tests.conftest import DATA

# one document per format (and per split), built twice for the determinism check
ONE_PER_FORMAT = ("kalmar_s3_strategi_2021_2027.pdf", "halland_innovationsstrategi.docx",
                  "stockholm_s3_presentation.pptx", "sormland_smart_specialisering_webb.html",
                  "jamtland_harjedalen_s3_export.txt", "vastmanland_affarsplan_s3.md",
                  "blekinge_innovationsfolder_2022.pdf", "utrecht_ris3_memo_en.docx",
                  "small_member_states_s3_overview_en.pptx", "north_holland_innovation_web_en.html",
                  "kronoberg_s3_textversion.txt", "sweden_s3_national_overview_2023_en.md",
                  "west_netherlands_ris3_tables_en.pdf", "lithuania_s3_briefing_note_en.docx",
                  "storstadsregionerna_s3_jamforelse.pptx", "orebro_smart_specialisering_webbsida.html",
                  "drenthe_innovation_strategy_plain_text_en.txt",
                  "vasterbotten_innovationsstrategi_tillganglig.md")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("devcorpus")
    build("all", out)
    return out


@pytest.fixture(scope="session")
def texts(built) -> dict[str, str]:
    """Each document's text as the project's readers give it, folded for comparison."""
    return {path.name: _fold("\n".join(b.text for b in read_document(
        path, source_id=path.stem).blocks))
        for path in sorted(built.iterdir()) if not path.name.endswith(".truth.json")}


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def test_split_sizes():
    sizes = {split: len(load_documents(split)) for split in SPLITS}
    assert sizes["tuned"] >= 32 and sizes["heldout"] >= 16 and sizes["fresh"] >= 27
    assert sizes["unseen"] >= 28
    ids = [d.id for split in SPLITS for d in load_documents(split)]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("split", SPLITS)
def test_split_covers_every_layout_and_both_languages(split):
    documents = load_documents(split)
    assert {d.layout for d in documents} == set(LAYOUTS)
    assert {d.language for d in documents} == {"sv", "en"}
    assert sum(1 for d in documents if not d.regions) >= 2
    assert any(len(d.regions) > 1 for d in documents)


@pytest.mark.parametrize("split", ("fresh", "unseen"))
def test_generalisation_split_reuses_no_heading_or_priority_of_the_others(split):
    """The fresh and unseen splits measure generalisation: their headings, titles and truth
    items are worded differently from every document of the other splits."""
    others = [d for name in SPLITS if name != split for d in load_documents(name)]
    documents = load_documents(split)
    headings = {p.text for d in others for p in d.headings}
    names = {x for d in others for r in d.regions for x in (*r.priorities, *(
        s for v in r.sub_priorities.values() for s in v))} | {t for d in others for t in d.traps}
    assert not {p.text for d in documents for p in d.headings} & headings
    assert not {d.title for d in documents} & {d.title for d in others}
    assert not {x for d in documents for r in d.regions for x in r.priorities} & names
    assert sum(1 for d in documents if not d.regions) >= 4


def test_unseen_split_reuses_no_truth_item_of_the_others():
    """Nor do the unseen split's sub-priorities and traps repeat a truth item of another split."""
    others = [d for name in SPLITS if name != "unseen" for d in load_documents(name)]
    names = {x for d in others for r in d.regions for x in (*r.priorities, *(
        s for v in r.sub_priorities.values() for s in v))}
    unseen = load_documents("unseen")
    subs = {s for d in unseen for r in d.regions for v in r.sub_priorities.values() for s in v}
    assert not subs & names
    assert not {t for d in unseen for t in d.traps} & names
    assert sum(1 for d in unseen if len(d.regions) > 1) >= 3


def test_numbered_list_goes_on_from_start():
    part = Part("list", style="1.", start=3, items=(Item("a"), Item("b")))
    assert (item_marker(part, 0), item_marker(part, 1)) == ("3.", "4.")
    assert item_marker(Part("list", style="a)"), 1) == "b)"


def test_no_list_and_overview_documents():
    documents = [d for split in SPLITS for d in load_documents(split)]
    assert sum(1 for d in documents if not d.regions) >= 5
    assert sum(1 for d in documents if len(d.regions) > 1) >= 2
    assert all(d.traps for d in documents), "every document has traps"


def test_builds_are_byte_identical(built, tmp_path):
    build("all", tmp_path)
    for name in ONE_PER_FORMAT:
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), name


def test_truth_files_have_the_sv_strategies_format(built):
    truths = sorted(built.glob("*.truth.json"))
    assert len(truths) == sum(len(load_documents(s)) for s in SPLITS)
    for path in truths:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert (built / data["document"]).is_file()
        assert {"document", "format", "language", "regions", "non_priority_traps",
                "notes"} <= set(data)
        for region in data["regions"]:
            assert region["priorities"] and region["nuts2021_code"] and region["region"]
            assert (region["lan_code"] is not None) == region["nuts2021_code"].startswith("SE")


def test_truth_priorities_occur_in_the_documents(built, texts):
    for truth in load_truths(built).values():
        text = texts[truth.document]
        for region in truth.regions:
            missing = [p for p in region.priorities if _fold(p) not in text]
            assert not missing, f"{truth.document}: {missing}"


def test_traps_occur_in_the_documents(built, texts):
    """Traps are in the text the readers give; a web page's menus and footers (which the
    HTML reader leaves out) are at least in its source."""
    for truth in load_truths(built).values():
        text = texts[truth.document]
        if truth.document.endswith(".html"):
            text += _fold((built / truth.document).read_text(encoding="utf-8"))
        missing = [t for t in truth.traps if _fold(t) not in text]
        assert not missing, f"{truth.document}: {missing}"


def test_the_strategy_fixtures_are_what_their_data_builds(tmp_path):
    """tests/data/strategies is documents.fixtures.toml built (regenerate it after editing
    the data): the same files, the same truth but for the files' sizes."""
    committed = DATA / "strategies"
    paths = build_fixtures(tmp_path)
    assert {p.name for p in paths} == {p.name for p in committed.iterdir() if p.is_file()}
    assert {d.layout for d in load_documents(FIXTURES)} >= set(FIXTURE_LAYOUTS)
    for path in paths:
        built, kept = (json.loads((folder / TRUTH_DIR / f"{path.name}.json").read_text(encoding="utf-8"))
                       for folder in (tmp_path, committed))
        assert {**built, "size_bytes": 0} == {**kept, "size_bytes": 0}, path.name


def test_sub_priorities_are_not_priorities():
    for split in SPLITS:
        for document in load_documents(split):
            for region in document.regions:
                assert set(region.sub_priorities) <= set(region.priorities)
                subs = {s for v in region.sub_priorities.values() for s in v}
                assert not subs & set(region.priorities)


TRUTH = DocumentTruth("a.pdf", (RegionTruth("Kalmar", "SE213", "08", ("Livsmedel", "Bioekonomi och trä")),
                                RegionTruth("Drenthe", "NL13", None, ("Hydrogen",))),
                      ("Glasriket och design",))


def test_scorer_perfect_predictions_score_one():
    predictions = [Prediction("some/dir/a.pdf", "08", "• 1. LIVSMEDEL."),
                   Prediction("a.pdf", "SE213", "Bioekonomi och trä"),
                   Prediction("a.pdf", "NL13", "Hydrogen"),
                   Prediction("a.pdf", "NL13", "Green hydrogen valley", level=2)]
    report = score_corpus({"a.pdf": TRUTH}, predictions)
    assert (report.precision, report.recall, report.f1, report.traps) == (1.0, 1.0, 1.0, 0)
    assert report.region_accuracy == 1.0


def test_scorer_counts_traps_duplicates_and_wrong_regions():
    predictions = [Prediction("a.pdf", "SE213", "Livsmedel"),
                   Prediction("a.pdf", "SE213", "Livsmedel"),  # duplicate: FP
                   Prediction("a.pdf", "SE213", "Glasriket och design"),  # trap: FP
                   Prediction("a.pdf", "SE110", "Hydrogen")]  # wrong region: FP
    score = score_document(TRUTH, predictions)
    assert (score.tp, score.fp, score.fn) == (1, 3, 2)
    assert score.trap_hits == ["Glasriket och design"]
    assert score.regions_found == 1 and score.regions_extra == 1 and score.regions_missed == 1


def test_scorer_document_without_list():
    empty = DocumentTruth("b.md", (), ("Geography",))
    assert score_document(empty, []).f1 == 1.0
    wrong = score_document(empty, [Prediction("b.md", "SE110", "Geography")])
    assert (wrong.fp, wrong.f1, len(wrong.trap_hits)) == (1, 0.0, 1)


def test_normalise_strips_markers_and_unifies_dashes():
    assert normalise("a)\tSmart industri – marin teknik.") == "smart industri - marin teknik"
    assert normalise("3.1 Life science") == "life science"
    assert normalise("\uf0b7 Tech") == "tech"


def test_layouts_used_by_both_formats_of_text_export():
    formats = Counter(d.format for s in SPLITS for d in load_documents(s) if d.layout == "text_export")
    assert formats["txt"] and formats["md"]
