"""The fast path's page selector, on made-up page texts (the real corpora: test_fast_path.py)."""

from __future__ import annotations

from extractors.pages import FULL_READ_PAGES, select_pages

FILLER = (
    "The region works with many partners across the country and\n"
    "beyond its borders, in ways that matter for growth and jobs.\n"
    "Its companies and universities take part in the work, and\n"
    "so do the municipalities.\n"
)
HEADER = "Regional innovation strategy 2021-2027   page {n}\n"


def _document(pages: dict[int, str], count: int = 30) -> list[str]:
    return [HEADER.format(n=n) + pages.get(n, FILLER * 6) for n in range(1, count + 1)]


def test_a_short_document_is_laid_out_whole(toolkit):
    assert select_pages([FILLER] * FULL_READ_PAGES, toolkit) == frozenset(range(1, FULL_READ_PAGES + 1))
    assert select_pages([], toolkit) == frozenset()


def test_plain_text_keeps_only_the_title_page(toolkit):
    assert select_pages(_document({}), toolkit) == {1}


def test_a_numbered_priority_section_is_kept_to_the_next_section(toolkit):
    pages = {
        2: "Contents\n1 Introduction 3\n2 Background 5\n3 Priority areas 9\n4 Implementation 14\n5 Annex 20\n",
        9: FILLER + "3 Priority areas\nThe strategy names three areas.\n3.1 Life science\n" + FILLER,
        11: FILLER + "3.2 Digital services\n" + FILLER,
        12: FILLER + "Footnote text\n8 Statistics Sweden, 2020.\n",
        13: FILLER + "3.3 Food\n" + FILLER,
        14: FILLER + "4 Implementation\n" + FILLER,
    }
    chosen = select_pages(_document(pages), toolkit)
    assert set(range(9, 15)) <= chosen  # "3" runs to "4", past the footnote "8"
    assert 2 not in chosen  # the contents page names the section, it is not the section
    assert max(chosen) == 14


def test_a_lead_in_keeps_the_list_it_introduces_over_the_page_break(toolkit):
    pages = {
        17: FILLER + "The region has chosen the following priority areas:\n• Life science\n• Digital services\n",
        18: "• Food and forestry\n• Tourism\n" + FILLER,
    }
    chosen = select_pages(_document(pages), toolkit)
    assert {17, 18} <= chosen
    assert 19 not in chosen


def test_region_headings_with_lists_are_kept(toolkit):
    pages = {
        6: "Skåne\n• Life science\n• Smart materials\nHalland\n• Health\n• Green energy\n",
        7: "Norrbotten\n• Space industry\n• Mining\n",
        20: FILLER + "Skåne is a region in the south.\n",  # a mention, not a heading over a list
    }
    chosen = select_pages(_document(pages), toolkit)
    assert {6, 7} <= chosen
    assert 20 not in chosen


def test_running_headers_are_not_evidence(toolkit):
    header = "Priority areas for smart specialisation\n"
    texts = [header + FILLER * 6 for _ in range(30)]
    assert select_pages(texts, toolkit) == {1}
