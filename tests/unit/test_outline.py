"""The outline of a document: sections, continued titles, contents pages, page furniture."""

from __future__ import annotations

from smartspec.extractors.document import HEADING, LIST_ITEM, PARAGRAPH, TITLE, Block, Provenance
from smartspec.extractors.furniture import page_reference
from smartspec.extractors.outline import Outline


def block(text, kind=PARAGRAPH, level=1, page=1, marker=""):
    return Block(text, kind, level, Provenance("doc", page, None, "test"), marker=marker)


def test_sections_end_at_a_heading_of_the_same_depth_or_rank():
    blocks = [block("3", HEADING, 1, marker="3."), block("Chapter", HEADING, 2),
              block("3.1 One", HEADING, 3), block("text"), block("3.2 Two", HEADING, 3),
              block("text"), block("4 Next", HEADING, 2)]
    outline = Outline(blocks, toc_page_share=0.3)
    assert outline.ends[2] == 4 and outline.ends[4] == 6 and outline.ends[6] == 7
    assert outline.depths[1] == 1  # the chapter number alone lends the title its depth
    assert outline.open_at[3] == (1, 2)


def test_a_repeated_slide_title_continues_its_section():
    blocks = [block("Styrkeområden", TITLE, page=1), block("a", LIST_ITEM),
              block("Styrkeområden (forts.)", TITLE, page=2), block("b", LIST_ITEM, page=2),
              block("Aktörer", TITLE, page=3)]
    outline = Outline(blocks, toc_page_share=0.3)
    assert outline.continued == {2} and outline.ends[0] == 4


def test_contents_pages_and_page_furniture():
    toc = [block(f"{n} Chapter {n} ........ {n * 3}", page=2) for n in range(1, 6)]
    body = []
    for page in range(3, 8):
        body += [block(f"Text of page {'abcdefg'[page - 1]}.", page=page),
                 block("Strategy 2021–2027", page=page),
                 block(str(page), page=page)]
    outline = Outline([block("Title", TITLE), *toc, *body], toc_page_share=0.3)
    assert outline.toc_pages == {2}
    furniture_texts = {outline.blocks[i].text for i in outline.furniture}
    assert "Strategy 2021–2027" in furniture_texts and "5" in furniture_texts
    assert not any(text.startswith("Text of page") for text in furniture_texts)


def test_page_references():
    assert page_reference("Summary ........ 4") == 4
    assert page_reference("12") == 12
    assert page_reference("Priority 1") is None
