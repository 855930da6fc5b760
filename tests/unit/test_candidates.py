"""Candidate priority sections of single-region documents, and the scorer's choice, on
hand-made block sequences: one test per layout and per trap."""

from __future__ import annotations

import pytest

from smartspec.extractors.candidates import find_candidates
from smartspec.extractors.document import (
    HEADING,
    LIST_ITEM,
    PARAGRAPH,
    TABLE_CELL,
    TITLE,
    BBox,
    Block,
    Provenance,
)
from smartspec.extractors.outline import section_depth
from smartspec.extractors.scoring import choose_section


def block(text, kind=PARAGRAPH, level=1, page=1, marker="", bold=False, x0=70.0, row=None,
          container=""):
    return Block(text, kind, level, Provenance("doc", page, BBox(x0, 0.0, 500.0, 10.0), "test"),
                 marker=marker, bold=bold, row=row, container=container)


def h(text, level=1, page=1, marker=""):
    return block(text, HEADING, level, page, marker=marker)


def li(text, level=1, page=1, marker="•", x0=70.0):
    return block(text, LIST_ITEM, level, page, marker=marker, x0=x0)


def p(text, page=1, x0=70.0, bold=False):
    return block(text, PARAGRAPH, 1, page, x0=x0, bold=bold)


def chosen(blocks, toolkit, lang="en"):
    matcher = toolkit.heading_matcher(lang)
    scoring = toolkit.weights.section_scoring
    choice = choose_section(find_candidates(blocks, matcher, scoring), scoring, matcher)
    return choice


def names(blocks, toolkit, lang="en", level=1):
    choice = chosen(blocks, toolkit, lang)
    assert choice is not None, "no section chosen"
    return [i.text for i in choice.chosen.candidate.items if i.level == level]


TOC = [h("Innehåll"), p("1 Sammanfattning ........ 2"), p("2 Styrkeområden ........ 5"),
       p("3 Mål ........ 7"), p("4 Aktörer ........ 9")]
SV_TRAPS = [
    h("Sammanfattning", page=2), p("Regionen satsar på:", page=2),
    li("Life science", page=2), li("Smarta material", page=2), li("Besöksnäring", page=2),
    h("Mål", page=7), li("Öka forskningen till 3 procent av BRP", page=7),
    li("Fler företag som exporterar", page=7),
    h("Aktörer", page=9), li("Lunds universitet", page=9), li("Region Skåne", page=9),
    li("Almi", page=9),
]


def test_bullets_under_a_swedish_heading_beat_toc_summary_goals_and_actors(toolkit):
    blocks = [block("Regional innovationsstrategi", TITLE), *TOC, *SV_TRAPS[:5],
              h("Styrkeområden", page=5), p("Vi har valt fem styrkeområden.", page=5),
              li("Life science", page=5), li("Smarta material", page=5),
              li("Besöksnäring", page=5), li("Livsmedel", page=5), li("Digitalisering", page=5),
              *SV_TRAPS[5:]]
    assert names(blocks, toolkit, "sv") == ["Life science", "Smarta material", "Besöksnäring",
                                            "Livsmedel", "Digitalisering"]


def test_numbered_run_in_items_give_the_names_only(toolkit):
    blocks = [h("Priority areas"), p("The strategy selects:"),
              li("Health technology. Demand for health services grows as people age.", marker="1."),
              li("Clean energy: solar, wind and storage for the region's industry.", marker="2."),
              li("Food – for example dairy, seed potatoes and starch.", marker="3.")]
    assert names(blocks, toolkit) == ["Health technology", "Clean energy", "Food"]


def test_lettered_sub_items_nest_under_numbered_items(toolkit):
    blocks = [h("Selected growth areas"),
              li("ICT horizontally. It matters a lot.", marker="1."), p("Sub-sectors:"),
              li("cyber security;", 2, marker="a)"), li("software development; and", 2, marker="b)"),
              li("Health technology and services. Demand grows.", marker="2."),
              li("biotechnology.", 2, marker="a)")]
    choice = chosen(blocks, toolkit)
    items = choice.chosen.candidate.items
    assert [(i.text, i.level, i.parent_position) for i in items] == [
        ("ICT horizontally", 1, None), ("cyber security", 2, 1), ("software development", 2, 1),
        ("Health technology and services", 1, None), ("biotechnology", 2, 4)]


def test_a_numbered_list_goes_on_over_description_paragraphs_and_page_breaks(toolkit):
    blocks = [p("Six RDI Priority Areas have been identified:"),
              li("Energy. The area was selected because of prices.", 2, page=7, marker="15.1."),
              *[p(f"Long description {n}.", page=7 + n) for n in range(6)],
              li("Health technologies. The area was selected.", 2, page=13, marker="15.2."),
              p("More description.", page=13),
              li("Inclusive society. The area was selected.", 2, page=14, marker="15.3."),
              li("The next paragraph of the law.", 1, page=14, marker="16.")]
    assert names(blocks, toolkit) == ["Energy", "Health technologies", "Inclusive society"]


def test_sub_headings_followed_by_text_are_the_items_nested_by_their_numbers(toolkit):
    blocks = [h("4 Sectoral priorities", 2), p("Luxembourg concentrates on sectors."),
              h("4.1 Presentation of action plans for priority areas", 3),
              h("4.1.1 Innovative materials", 4), p("Text."), p("More text."),
              h("4.1.2 Ecotechnologies:", 4), p("Text."),
              h("4.1.2.1 Sustainable construction", 4), p("Measures:"), li("Set up a centre.", marker="\uf0b7"),
              h("4.1.2.2 Circular economy", 4), p("Text."),
              h("4.1.3 Logistics sector:", 4), p("Text."),
              h("5 Action plan and instruments", 2), p("Text.")]
    choice = chosen(blocks, toolkit)
    items = choice.chosen.candidate.items
    assert [(i.text, i.level) for i in items] == [
        ("Innovative materials", 1), ("Ecotechnologies", 1), ("Sustainable construction", 2),
        ("Circular economy", 2), ("Logistics sector", 1)]


def test_a_table_name_column_without_its_header_row(toolkit):
    cells = []
    rows = [("Styrkeområde", "Beskrivning"), ("Life science", "Forskning och vård"),
            ("Smarta material", "Nya material\nför industrin"), ("Besöksnäring och\nevenemang", "Turism")]
    for r, (name, text) in enumerate(rows):
        cells += [block(name, TABLE_CELL, 1, row=r, container="t1", bold=r == 0),
                  block(text, TABLE_CELL, 2, row=r, container="t1", bold=r == 0)]
    blocks = [h("Prioriterade områden"), p("Tabellen visar våra områden."), *cells]
    assert names(blocks, toolkit, "sv") == ["Life science", "Smarta material",
                                            "Besöksnäring och evenemang"]


def test_bold_run_in_paragraphs(toolkit):
    blocks = [h("Focus areas"),
              p("Digital health: services that reach patients at home and more.", bold=True),
              p("Green steel: a fossil-free value chain for the north.", bold=True),
              p("Tourism: nature and culture all the year round.", bold=True)]
    assert names(blocks, toolkit) == ["Digital health", "Green steel", "Tourism"]


def test_a_later_main_text_list_beats_the_summary_that_repeats_it(toolkit):
    summary = [h("Summary"), p("Three growth areas were selected:"),
               li("ICT via other sectors", marker="1."), li("Healthcare technology", marker="2."),
               li("Efficient use of resources", marker="3.")]
    body = [h("Selected growth areas", page=18), p("After analysis:", page=18),
            li("ICT via other sectors", page=18, marker="1."),
            li("Health technology and services", page=18, marker="2."),
            li("Efficient use of resources", page=18, marker="3.")]
    choice = chosen([*summary, h("Analysis", page=10), p("Text.", page=10), *body], toolkit)
    assert choice.chosen.candidate.anchor.provenance.page == 18


def test_a_continued_slide_title_keeps_one_list(toolkit):
    blocks = [block("Styrkeområden", TITLE, page=3), li("Life science", page=3),
              li("Smarta material", page=3),
              block("Styrkeområden (forts.)", TITLE, page=4), li("Besöksnäring", page=4)]
    assert names(blocks, toolkit, "sv") == ["Life science", "Smarta material", "Besöksnäring"]


def test_an_in_page_contents_list_on_a_one_page_document_is_not_taken(toolkit):
    blocks = [h("Regional innovationsstrategi"), p("Innehåll på sidan", bold=True),
              li("Sammanfattning", marker="1."), li("Styrkeområden", marker="2."),
              li("Life science", 2, marker="1."), li("Besöksnäring", 2, marker="2."),
              li("Aktörer", marker="3."),
              h("Sammanfattning", 2), li("Life science och hälsa"), li("Besöksnäring"),
              h("Styrkeområden", 2), p("Områdena:"),
              h("Life science", 3), p("Text."), h("Besöksnäring", 3), p("Text."),
              h("Aktörer", 2), li("Region Uppsala"), li("Uppsala universitet")]
    assert names(blocks, toolkit, "sv") == ["Life science", "Besöksnäring"]
    choice = chosen(blocks, toolkit, "sv")
    assert choice.chosen.candidate.heading == "Styrkeområden"


def test_a_table_of_contents_alone_gives_nothing(toolkit):
    blocks = [h("Table of contents"), li("Priority areas ........ 5", marker="1."),
              li("Goals ........ 7", marker="2."), li("Actors ........ 9", marker="3.")]
    assert chosen(blocks, toolkit) is None


def test_lists_of_goals_actions_and_actors_alone_give_nothing(toolkit):
    blocks = [h("Goals"), li("Raise R&D spending to 3 per cent of GDP by 2030"),
              li("Double the number of exporting firms"),
              h("Actions"), li("Set up an innovation voucher scheme for small firms in the region"),
              li("Fund test beds"),
              h("Partners"), li("University of Tartu"), li("Enterprise Estonia")]
    assert chosen(blocks, toolkit) is None


def test_choice_reports_a_confidence(toolkit):
    blocks = [h("Priority areas"), li("Life science"), li("Smart materials"), li("Tourism")]
    choice = chosen(blocks, toolkit)
    assert 0.5 < choice.confidence <= 1.0


@pytest.mark.parametrize("marker, text, depth", [
    ("3.1.", "Selected growth areas", 2), ("", "4.1.1 Innovative materials", 3),
    ("", "3 Result of growth area selection", 1), ("", "Priority areas", None), ("•", "x", None),
])
def test_section_depth(marker, text, depth):
    assert section_depth(block(text, HEADING, marker=marker)) == depth


@pytest.mark.parametrize(("lang", "blocks"), [
    ("sv", [h("Workshop om Region Örebro läns innovationsområden"),
            p("Vi bjuder in till en dag om smart specialisering."),
            h("Teman att diskutera", 2), li("Vätgas i tunga transporter"), li("Smarta textilier"),
            li("Drönare i skogsbruket"), li("Digital vård i glesbygd")]),
    ("sv", [h("Dialogmöte i Region Örebro län den 12 mars"),
            p("Kandidater till nya styrkeområden inför nästa strategi:"),
            li("Vätgas i tunga transporter"), li("Smarta textilier"), li("Drönare i skogsbruket")]),
    ("en", [h("Partners' meeting, 12 March"),
            p("Candidate priority areas for the next strategy:"),
            li("Hydrogen in heavy transport"), li("Smart textiles"), li("Drones in forestry")]),
    ("en", [h("Smart specialisation workshop"), h("Priority themes to discuss", 2),
            li("Hydrogen in heavy transport"), li("Smart textiles"), li("Drones in forestry")]),
], ids=["sv heading", "sv lead", "en lead", "en heading"])
def test_candidate_themes_for_discussion_are_not_the_regions_list(toolkit, lang, blocks):
    assert chosen(blocks, toolkit, lang) is None


@pytest.mark.parametrize(("lang", "heading"), [("sv", "Kunskapsområden i innovationsstrategin"),
                                               ("en", "Knowledge domains of the innovation strategy")])
def test_knowledge_areas_name_a_list_of_priorities(toolkit, lang, heading):
    blocks = [h(heading), li("Industriell produktutveckling"), li("Vårdnära teknik"),
              li("Logistik och e-handel")]
    assert names(blocks, toolkit, lang) == ["Industriell produktutveckling", "Vårdnära teknik",
                                            "Logistik och e-handel"]
