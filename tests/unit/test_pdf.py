"""The PDF reader on real strategies (ris3/), odd files (robustness/) and the seed deck.

The corpora live outside the repo in ../shared/corpus; tests that need them skip when the
folder is absent. Each document is read once per module (reading is the slow part).
"""

from __future__ import annotations

import logging
from functools import cache
from itertools import pairwise
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfminer.layout import LTChar, LTContainer, LTLine, LTRect
from pdfminer.pdfcolor import PREDEFINED_COLORSPACE
from pdfminer.pdfinterp import PDFGraphicState, PDFPageInterpreter, PDFResourceManager
from pdfminer.pdftypes import PDFStream
from pdfminer.psexceptions import PSException
from pdfplumber.utils import extract_words
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from extractors.document import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, TITLE, Document
from extractors.errors import ExtractionError, NoTextLayer, UnreadableDocument
from extractors.readers import _pdfblocks as blocking
from extractors.readers import _pdfcontent as content
from extractors.readers import _pdflayout as layout
from extractors.readers import _pdftables as tabling
from extractors.readers import _pdfwords as wording
from extractors.readers import pdf

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
RIS3 = CORPUS / "ris3"
ROBUSTNESS = CORPUS / "robustness"
SEED_DECK = Path(__file__).resolve().parents[1] / "data" / "seed_deck.pdf"
ETELA = Path(__file__).resolve().parents[1] / "data" / "strategies" / "etela-pohjanmaa-smart-specialisation-2021-2027.pdf"

EE = "EE_Estonia_Smart_Specialisation_Qualitative_Analysis.pdf"
LU = "LU_Luxembourg_Strategy_for_Smart_Specialisation_Oct_2014.pdf"
NL_NORTH = "NL_Northern_Netherlands_RIS3.pdf"
NL_WEST = "NL_Western_Netherlands_RIS3.pdf"
LT = "LT_Programme_of_RIS3_implementation.pdf"

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus folder {CORPUS} is absent")
needs_seed_deck = pytest.mark.skipif(not SEED_DECK.is_file(), reason=f"{SEED_DECK} has not been generated")


@cache
def _read(path: Path, pages: tuple[int, ...] | None = None) -> Document:
    return pdf.read(path, source_id=path.stem, pages=pages)


def ris3(name: str, *pages: int) -> Document:
    return _read(RIS3 / name, pages or None)


def robustness(name: str) -> Path:
    return ROBUSTNESS / name


# ---- lists ----------------------------------------------------------------------------

@needs_corpus
def test_private_use_bullet_glyph_is_a_marker_and_wrapped_item_is_one_block():
    doc = ris3(LU, 27)
    items = [b for b in doc.blocks if b.kind == LIST_ITEM and b.marker == "\uf0b7"]
    assert len(items) == 9
    first = items[0]
    # "Set up a skills centre ..." wraps over four lines in the PDF
    assert first.text.startswith("Set up a skills centre for sustainable construction, tasked with")
    assert first.text.endswith("creating strong links with international partners.")
    assert "\uf0b7" not in first.text
    assert {b.level for b in items} == {1}
    assert all(b.provenance.page == 27 and b.provenance.bbox is not None for b in items)


@needs_corpus
def test_bullet_glyph_items_keep_their_marker():
    doc = ris3(LU, 12)
    items = [b for b in doc.blocks if b.kind == LIST_ITEM]
    assert "Development and performance of financial systems" in [b.text for b in items]
    assert {b.marker for b in items} == {"•"}


@needs_corpus
def test_numbered_and_lettered_items_in_the_right_column():
    doc = ris3(EE, 18)
    items = [b for b in doc.blocks if b.kind == LIST_ITEM]
    numbered = [b for b in items if b.marker in ("1.", "2.", "3.")]
    assert [b.marker for b in numbered] == ["1.", "2.", "3."]
    assert numbered[0].text.startswith("Information and communications technology")
    assert numbered[1].text.startswith("Health technology and services")
    assert all(b.level == 1 for b in numbered)
    lettered = [b for b in items if b.marker in ("a)", "b)", "c)")]
    assert [b.marker for b in lettered] == ["a)", "b)", "c)", "a)", "b)", "a)", "b)", "c)"]
    assert all(b.level == 2 for b in lettered)
    assert lettered[0].text == "use of ICT in industry (incl. automation and robotics);"
    # a wrapped sub-item is one block, its hanging lines joined
    assert lettered[6].text == (
        "development of the ‘smart house’ concept (both IT solutions and more efficient "
        "construction of houses (passive house)); and"
    )
    # the list sits in the right-hand column, apart from the left column's text
    assert len({b.container for b in items}) == 1
    left = next(b for b in doc.blocks if b.text.startswith("Classic comparison of sectors"))
    assert left.container != items[0].container
    assert doc.blocks.index(left) < doc.blocks.index(items[0])


@needs_corpus
def test_symbol_font_bullet_without_unicode_is_a_marker():
    doc = ris3(EE, 13)
    items = [b for b in doc.blocks if b.kind == LIST_ITEM and b.marker == "(cid:131)"]
    assert [b.text for b in items] == [
        "produce higher added value;",
        "are export-intensive and characterised by large volumes of foreign trade; and",
        "have a high rate of employment.",
    ]


@needs_corpus
def test_stretched_justified_last_line_is_not_cut_into_columns():
    doc = ris3(LU, 28)
    last = doc.blocks[-1]
    assert last.text.endswith("ministerial departments, administrations and the stakeholders concerned.")
    assert {b.container for b in doc.blocks} == {"p28:c1"}


@needs_corpus
def test_decimal_numbering_at_one_indent_still_nests():
    doc = ris3("LT_Programme_of_RIS3_implementation.pdf", 15)
    by_marker = {b.marker: b for b in doc.blocks if b.kind == LIST_ITEM}
    assert by_marker["20."].level == 1
    assert by_marker["20.1."].level == 2
    assert by_marker["20.1.1."].level == 3
    # first-line-indented numbered paragraph: the lines under the number belong to it
    assert by_marker["20.1.1."].text == (
        "smart systems for energy efficiency, diagnostic, monitoring, metering and management "
        "of generators, grids and customers;"
    )


# ---- running headers, wrapping, hyphenation, headings -----------------------------------------

@needs_corpus
def test_running_header_and_page_numbers_are_dropped():
    doc = ris3(LU)
    texts = [b.text for b in doc.blocks]
    assert not any("30 october 2014" in t for t in texts)
    assert not any(b.text == str(b.provenance.page) for b in doc.blocks)  # bare page numbers
    # the title page still carries the title itself, outside the header strip
    assert doc.title == "Luxembourg Strategy for Smart Specialisation"
    assert doc.blocks[0].kind == TITLE


@needs_corpus
def test_running_header_is_dropped_when_reading_only_some_pages():
    doc = ris3(LU, 24, 25)
    assert doc.pages == 35
    assert {b.provenance.page for b in doc.blocks} == {24, 25}
    assert not any("30 october 2014" in b.text or "Strategy for Smart Specialisation" in b.text for b in doc.blocks)


@needs_corpus
def test_odd_page_running_header_is_dropped():
    doc = ris3(NL_NORTH, 11, 12, 13)
    assert not any("Draft RIS3" in b.text for b in doc.blocks)


@needs_corpus
def test_hyphenated_line_break_is_joined():
    doc = ris3(NL_NORTH, 11)
    text = " ".join(b.text for b in doc.blocks)
    assert "developing and implementing solutions" in text
    assert "implemen-" not in text


@needs_corpus
def test_numbered_bold_run_in_items_and_bold_headings():
    doc = ris3(NL_NORTH, 11, 12)
    items = [b for b in doc.blocks if b.kind == LIST_ITEM and b.provenance.page == 12]
    assert [(b.marker, b.text) for b in items[:2]] == [
        ("1.", "Health, Demography and Welfare"),
        ("2.", "Food Security, Sustainable Agriculture and Bio-economy"),
    ]
    assert all(b.bold for b in items[:4])
    headings = {b.text: b for b in doc.blocks if b.kind == HEADING}
    assert headings["Focus on Applicability"].bold
    assert "3.2 Societal Challenges" in headings


@needs_corpus
def test_section_numbered_lines_and_larger_text_are_headings():
    doc = ris3(LU, 23, 24)
    headings = [(b.text, b.level) for b in doc.blocks if b.kind == HEADING]
    texts = [t for t, _ in headings]
    assert "4 Sectoral priorities" in texts
    assert "4.1 Presentation of action plans for priority areas" in texts
    assert "4.1.1 Innovative materials" in texts
    level = dict(headings)
    assert level["4 Sectoral priorities"] < level["4.1 Presentation of action plans for priority areas"]
    assert level["4.1 Presentation of action plans for priority areas"] < level["4.1.1 Innovative materials"]
    dashes = [b.text for b in doc.blocks if b.kind == LIST_ITEM and b.marker == "-"]
    assert dashes == [
        "advanced materials and nanotechnologies;", "biotechnologies;", "Ecotechnologies",
        "Health sciences", "Information and communication technologies", "Logistics",
    ]


@needs_corpus
def test_metadata_and_file_name_titles():
    doc = ris3(EE, 18)
    assert ("Creator", "Adobe InDesign CS3 (5.0.4)") in doc.metadata
    assert doc.title == ""  # the metadata title is a file name and page 1 was not read
    assert doc.format == "pdf" and doc.pages == 29 and doc.bytes > 0 and len(doc.sha256) == 64
    assert {b.provenance.reader for b in doc.blocks} == {"pdf"}
    assert all(b.container.startswith("p18:c") for b in doc.blocks)


# ---- the fast pass: page texts and chosen pages ------------------------------------------

@needs_corpus
def test_page_texts_cover_every_page_also_when_only_some_are_laid_out():
    texts = pdf.page_texts(RIS3 / LU, source_id="lu")
    assert len(texts) == 35
    assert "4 Sectoral priorities" in texts[22]
    assert "\r" not in "".join(texts) and "\ufffe" not in "".join(texts)
    assert ris3(LU, 24, 25).page_texts == texts == ris3(LU).page_texts


def test_page_texts_of_what_pdfium_cannot_read_are_empty(tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    assert pdf.page_texts(junk, source_id="junk") == ()
    assert pdf.page_texts(tmp_path / "missing.pdf", source_id="missing") == ()


@needs_corpus
def test_pages_may_be_chosen_from_the_page_texts():
    seen = []

    def choose(texts):
        seen.append(len(texts))
        return {n for n, text in enumerate(texts, start=1) if "Sectoral priorities" in text}

    doc = pdf.read(RIS3 / LU, source_id=Path(LU).stem, pages=choose)
    assert seen == [35]
    chosen = {n for n, text in enumerate(doc.page_texts, start=1) if "Sectoral priorities" in text}
    assert 23 in chosen and len(chosen) < 35
    assert {b.provenance.page for b in doc.blocks} == chosen
    assert [b for b in doc.blocks if b.provenance.page == 23] == [b for b in ris3(LU, 23).blocks]


@needs_seed_deck
def test_chosen_pages_without_text_mean_every_page_is_laid_out():
    doc = pdf.read(SEED_DECK, source_id=SEED_DECK.stem, pages=lambda texts: {99})
    assert doc.blocks == _read(SEED_DECK).blocks


# ---- the seed deck ---------------------------------------------------------------------

@needs_seed_deck
def test_seed_deck_region_boxes_read_column_by_column():
    doc = _read(SEED_DECK)
    assert doc.title
    regions = [b for b in doc.blocks if b.kind == HEADING and b.bold]
    boxed = [b for b in regions if sum(r.provenance.page == b.provenance.page for r in regions) > 1]
    assert len(boxed) >= 10
    for region in boxed:  # on the region slides each bold name is followed by its bullets, in its box
        after = doc.blocks[doc.blocks.index(region) + 1]
        assert (after.kind, after.marker, after.container) == (LIST_ITEM, "•", region.container)
    for page in {b.provenance.page for b in boxed}:  # boxes left to right
        firsts = {}
        for b in boxed:
            if b.provenance.page == page:
                firsts.setdefault(b.container, b.provenance.bbox.x0)
        assert list(firsts.values()) == sorted(firsts.values())
    outline = SEED_DECK.with_suffix(".txt")  # the generator's own outline of the deck
    if outline.is_file():
        names = [ln[3:].strip() for ln in outline.read_text(encoding="utf-8").splitlines() if ln.startswith("## ")]
        assert [b.text for b in regions] == names


# ---- errors ----------------------------------------------------------------------------

@needs_corpus
@pytest.mark.parametrize("name", [
    "pdfplumber__password-example.pdf", "pdfminer-six__aes-256-r6.pdf", "pypdf__crazyones-encrypted-256.pdf",
])
def test_encrypted_with_password_is_unreadable(name):
    with pytest.raises(UnreadableDocument) as caught:
        pdf.read(robustness(name), source_id="enc")
    assert caught.value.message.startswith("encrypted: a password is needed to open it")
    assert caught.value.__cause__ is not None


@needs_corpus
@pytest.mark.parametrize("name", ["pypdf__r2-empty-password.pdf", "pdfminer-six__issue-625-identity-cmap.pdf"])
def test_encrypted_with_empty_user_password_reads(name):
    doc = pdf.read(robustness(name), source_id="open")
    assert doc.blocks


@needs_corpus
def test_scanned_pages_have_no_text_layer():
    with pytest.raises(NoTextLayer, match="no text layer: the 1 page"):
        pdf.read(robustness("pdfminer-six__pdf-with-jbig2.pdf"), source_id="scan")


@needs_corpus
def test_truncated_file_is_unreadable():
    with pytest.raises(UnreadableDocument, match="truncated or damaged file") as caught:
        pdf.read(robustness("derived__federal-register-2020-17221_truncated-40pct.pdf"), source_id="cut")
    assert not isinstance(caught.value, NoTextLayer)


def test_empty_and_non_pdf_files_are_unreadable(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(UnreadableDocument, match="empty"):
        pdf.read(empty, source_id="empty")
    text = tmp_path / "notes.pdf"
    text.write_text("just some text, not a PDF\n")
    with pytest.raises(UnreadableDocument, match="truncated or damaged file"):
        pdf.read(text, source_id="notes")


@needs_corpus
def test_too_many_pages_is_refused(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_PAGES", 10)
    with pytest.raises(UnreadableDocument, match="too many pages: 35"):
        pdf.read(RIS3 / LU, source_id="lu")


@needs_corpus
def test_a_page_that_cannot_be_parsed_is_skipped_with_a_warning(monkeypatch, caplog):
    real = pdf._page_chars

    def failing(page, *drawn):
        if page.page_number == 2:
            raise PdfminerException("broken content stream")
        return real(page, *drawn)

    monkeypatch.setattr(pdf, "_page_chars", failing)
    with caplog.at_level(logging.WARNING, logger="extractors.readers.pdf"):
        doc = pdf.read(RIS3 / LU, source_id="lu-broken", pages=[1, 2, 3])
    assert {b.provenance.page for b in doc.blocks} == {1, 3}
    assert any("lu-broken" in r.getMessage() and "page 2" in r.getMessage() for r in caplog.records)


@needs_corpus
@pytest.mark.parametrize("path", sorted(ROBUSTNESS.glob("*.pdf")) if ROBUSTNESS.is_dir() else [], ids=lambda p: p.name)
def test_every_robustness_pdf_reads_or_fails_cleanly(path):
    try:
        doc = pdf.read(path, source_id=path.stem)
    except ExtractionError as e:
        assert e.source_id == path.stem and e.stage == "read"
        return
    assert doc.pages >= 1
    for block in doc.blocks:
        assert block.text.strip()
        assert block.kind in (TITLE, HEADING, PARAGRAPH, LIST_ITEM, TABLE_CELL)
        assert block.level >= 1
        assert 1 <= block.provenance.page <= doc.pages
        assert (block.row is not None and block.row >= 1) == (block.kind == TABLE_CELL)


# ---- ruled tables ----------------------------------------------------------------------

def test_ruled_table_cells_are_table_cell_blocks_in_place():
    """The fixture's priorities sit in the name column of a ruled table (a filled header row
    and grid rules), names wrapping inside their cells."""
    blocks = [b for b in _read(ETELA).blocks if b.provenance.page == 5]
    cells = [b for b in blocks if b.kind == TABLE_CELL]
    assert {b.container for b in cells} == {"p5:t1"}
    assert [(b.row, b.level) for b in cells] == [(r, c) for r in range(1, 7) for c in (1, 2, 3)]
    assert [b.text for b in cells if b.level == 1] == [
        "Specialisation domain", "Sustainable food system and food processing",
        "Bioeconomy and circular economy solutions", "Intelligent manufacturing and technology industry",
        "Digitalisation and data-driven services", "Entrepreneurship and the creative economy",
    ]
    assert all(b.bold for b in cells if b.row == 1) and not any(b.bold for b in cells if b.row > 1)
    texts = [b.text for b in blocks]
    first, last = texts.index(cells[0].text), texts.index(cells[-1].text)
    assert texts[first - 1].startswith("Table 2.") and texts[last + 1].startswith("The domains are complemented")
    others = " ".join(b.text for b in blocks if b.kind != TABLE_CELL)
    assert "food system" not in others and "Seinäjoki" not in others  # cell lines are not read twice
    cell = cells[3].provenance.bbox
    assert cell.x0 < cell.x1 and cell.top < cell.bottom and cells[6].provenance.bbox.top >= cell.bottom - 1


@needs_corpus
def test_white_boxes_behind_running_text_are_no_table():
    """Word's white rectangles behind a few lines of a paragraph close a grid of cells."""
    assert not [b for b in ris3(LT, 4, 14).blocks if b.kind == TABLE_CELL]


@needs_corpus
def test_ruled_table_in_a_real_strategy():
    cells = [b for b in ris3(NL_WEST, 20).blocks if b.kind == TABLE_CELL]
    names = [b.text for b in cells if b.level == 1]
    assert names[:3] == ["Top Sector", "Agri-food", "Chemicals"]
    assert names[-1] == "Horticulture and propagation materials"


def _rule(x0: float, top: float, x1: float, bottom: float, height: float = 800.0):
    """A stroked line or rectangle, in PDF coordinates, from pdfplumber's (top-left origin)."""
    if x0 == x1 or top == bottom:
        return LTLine(1, (x0, height - top), (x1, height - bottom), stroke=True)
    return LTRect(1, (x0, height - bottom, x1, height - top), stroke=True)


def _grid(columns: list[float], rows: list[float]) -> list:
    return [_rule(x0, top, x1, bottom) for top, bottom in pairwise(rows) for x0, x1 in pairwise(columns)]


def _tables(shapes: list, words: list[layout.Word]):
    return tabling.find(tabling.edges(shapes, height=800.0, x_offset=0.0, y_offset=0.0), words)


def test_grid_cells_hold_their_words_and_join_wrapped_lines():
    shapes = _grid([50, 200, 400], [100, 130, 180, 210])
    words = _words([(55, 105, "Name"), (205, 105, "Notes"), (55, 135, "Intelligent"), (55, 149, "manufac-"),
                    (55, 163, "turing"), (205, 135, "Machine builders"), (55, 185, "Tourism"), (205, 185, "Hotels"),
                    (55, 300, "Text under the table")])
    tables, outside = _tables(shapes, words)
    assert [w.text for w in outside] == ["Text", "under", "the", "table"]
    (table,) = tables
    blocks = tabling.cell_blocks(table, container="p1:t1", page=1, source_id="s", reader="pdf")
    assert [(b.row, b.level, b.text) for b in blocks] == [
        (1, 1, "Name"), (1, 2, "Notes"), (2, 1, "Intelligent manufacturing"), (2, 2, "Machine builders"),
        (3, 1, "Tourism"), (3, 2, "Hotels"),
    ]
    assert blocks[2].provenance.bbox.top == pytest.approx(130) and blocks[2].provenance.bbox.x1 == pytest.approx(200)


def test_a_cell_line_ended_by_choice_starts_a_new_line_of_its_text():
    """Short lines whose next word would have fitted are items, one a line; a line that ran
    out of room is wrapped text, joined."""
    shapes = _grid([50, 120, 400], [100, 130, 200])
    words = _words([(55, 105, "Region"), (125, 105, "Areas"), (55, 135, "Skåne"),
                    (125, 135, "Life science"), (125, 149, "Livsmedel"),
                    (125, 163, "Material och tillverkning i en lång rad som fyller"), (125, 177, "cellen")])
    (table,), _ = _tables(shapes, words)
    blocks = tabling.cell_blocks(table, container="p1:t1", page=1, source_id="s", reader="pdf")
    assert blocks[-1].text == "Life science\nLivsmedel\nMaterial och tillverkning i en lång rad som fyller cellen"


def test_lines_alone_make_a_grid_too():
    shapes = [_rule(50, y, 400, y) for y in (100, 130, 160)] + [_rule(x, 100, x, 160) for x in (50, 200, 400)]
    words = _words([(55, 105, "A"), (205, 105, "B"), (55, 135, "C"), (205, 135, "D")])
    tables, outside = _tables(shapes, words)
    assert len(tables) == 1 and not outside


@pytest.mark.parametrize("shapes", [
    [_rule(50, 100, 400, 300)],  # a framed text box
    _grid([50, 400], [100, 130, 300]),  # a strip over a box: no row split into columns
    _grid([50, 200, 400], [100, 130]),  # one row
], ids=["box", "strip-over-box", "one-row"])
def test_boxes_that_are_no_table_leave_the_words_alone(shapes):
    words = _words([(55, 105, "Heading text"), (205, 105, "more"), (55, 140, "Running text in the box")])
    assert _tables(shapes, words) == ([], words)


def test_table_open_at_the_sides_is_left_as_running_text():
    """Rules across and one inner rule: pdfplumber closes only the inner cells, so the first
    column's words would fall outside it."""
    shapes = [_rule(150, y, 400, y) for y in (100, 130, 160, 190)] + [_rule(x, 100, x, 190) for x in (200, 300, 400)]
    words = _words([(155, 105 + 30 * i, f"Row {i}") for i in range(3)] + [(205, 105 + 30 * i, "x") for i in range(3)]
                   + [(305, 105 + 30 * i, "y") for i in range(3)])
    tables, outside = _tables(shapes, words)
    assert tables == [] and outside == words


def test_white_and_unpainted_shapes_draw_no_rules():
    device = pdf._CharDevice(PDFResourceManager(), pageno=1)
    device.begin_page(_Page(), (1, 0, 0, 1, 0, 0))
    device.set_ctm((1, 0, 0, 1, 0, 0))
    state = PDFGraphicState()
    square = [("m", 0, 0), ("l", 10, 0), ("l", 10, 10), ("l", 0, 10), ("h",)]
    state.ncolor, state.ncs = 1.0, PREDEFINED_COLORSPACE["DeviceGray"]
    device.paint_path(state, False, True, False, square)  # white fill
    device.paint_path(state, False, False, False, square)  # a clipping path: neither stroked nor filled
    state.ncolor, state.ncs = (0.85, 0.88, 0.95), PREDEFINED_COLORSPACE["DeviceRGB"]
    device.paint_path(state, False, True, False, square)  # a shaded cell
    state.ncolor, state.ncs = (0.0, 0.0, 0.0, 0.0), PREDEFINED_COLORSPACE["DeviceCMYK"]
    device.paint_path(state, False, True, False, square)  # no ink
    shapes = tabling.graphics(device.cur_item, device.hidden)
    assert [s.non_stroking_color for s in shapes] == [(0.85, 0.88, 0.95)]


class _Page:
    mediabox = cropbox = (0, 0, 100, 100)
    rotate = 0
    pageid = 1


def test_a_table_goes_before_the_first_block_under_it_in_its_column():
    left, right = (50, 0, 280, 800), (300, 0, 550, 800)
    boxes = [(50, 100, 280, 120), (50, 400, 280, 420), (300, 100, 550, 120), (300, 400, 550, 420)]
    assert tabling.position((50, 200, 280, 300), boxes) == 1  # in the left column, between its blocks
    assert tabling.position((300, 200, 550, 300), boxes) == 3
    assert tabling.position((50, 500, 280, 600), boxes) == 2  # at the foot of the left column
    assert tabling.position((50, 200, 550, 300), boxes[:1]) == 1
    assert tabling.position(left, []) == 0 and tabling.position(right, boxes[:1]) == 1


# ---- layout on made-up words (no corpus needed) -------------------------------------------

def _words(rows: list[tuple[float, float, str]], size: float = 10.0, bold: bool = False) -> list[layout.Word]:
    """Words from (x0, top, text) rows, each word 6 pt per character, one space apart."""
    words = []
    for x0, top, text in rows:
        for token in text.split():
            width = 6.0 * len(token)
            words.append(layout.Word(token, x0, top, x0 + width, top + size, size, bold))
            x0 += width + 3.0
    return words


def test_two_columns_under_a_spanning_title_read_column_by_column():
    title = _words([(60, 40, "A title that runs across both columns of the page")], size=20)
    left = _words([(50, 100 + 14 * i, f"left line {i} of the first column") for i in range(5)])
    right = _words([(320, 100 + 14 * i, f"right line {i} of the second column") for i in range(5)])
    columns = layout.page_columns(title + left + right)
    lines = [(c.container, ln.text) for c in columns for ln in c.lines]
    assert lines[0][1].startswith("A title")
    assert [t for _, t in lines[1:6]] == [f"left line {i} of the first column" for i in range(5)]
    assert [t for _, t in lines[6:]] == [f"right line {i} of the second column" for i in range(5)]
    assert len({c for c, _ in lines}) == 3


def test_bullet_glyph_far_from_its_text_is_not_a_column():
    rows = [(50, 100 + 14 * i, "•") for i in range(3)]
    glyphs = _words(rows)
    texts = _words([(80, 100 + 14 * i, f"item number {i}") for i in range(3)])
    columns = layout.page_columns(glyphs + texts)
    assert len(columns) == 1
    groups = blocking.group_blocks(columns, line_gap_em=0.9)
    assert [(g.marker, g.text) for g in groups] == [("•", f"item number {i}") for i in range(3)]


def test_bold_font_names():
    assert layout.is_bold("ABCDEF+Arial,Bold")
    assert layout.is_bold("HelveticaNeueLTStd-Md")
    assert layout.is_bold("TimesNewRomanPS-BoldMT")
    assert layout.is_bold("FedraSansStd-Demi")
    assert not layout.is_bold("HelveticaNeueLTStd-Lt")
    assert not layout.is_bold("ArialMT")


# ---- content streams and characters (_pdfcontent) --------------------------------------------

def _stream(data: bytes, objid: int = 1) -> PDFStream:
    stream = PDFStream({}, data)
    stream.objid = objid
    return stream


def _pdfminer_reads(chunks: list[bytes]) -> list | None:
    """pdfminer's own parser over the chunks as streams; None where it raises."""
    try:
        return list(content._pdfminer_objects([_stream(c, n) for n, c in enumerate(chunks, start=1)]))
    except Exception:  # noqa: BLE001 - pdfminer's own failures on odd input: parse() must defer
        return None


def test_the_content_parser_is_used_with_the_pdfminer_it_was_checked_against():
    assert content.checked(), "pdfminer.six changed: check _pdfcontent against it and update CHECKED_PDFMINER"


@pytest.mark.parametrize("chunks", [
    [b"BT /F1 12 Tf 72 712 Td (Hello \\(world\\) \\101\\n) Tj [(A) -120 (B)] TJ ET"],
    [b"q 1 0 0 1 10 20 cm 0 0 m 10 10 l 1.5 2. .5 -3 +4 re f* Q"],
    [b"/Span <</MCID 3 /ActualText <FEFF0041>>> BDC EMC % a comment\n(x)'"],
    [b"1.2.3 -.5 +.5 - . +. 12abc true false \x00 ) ' \" \xe9"],
    [b"<41 42 4> Tj << /A <4142>>> BDC (a(b)c) Tj (\\q\\\n) Tj"],
    [b"BT /F1 1", b"2 Tf ET"],  # a stream boundary ends a token
    [b"[1 2", b" 3] TJ"],  # ... but not an array
    [b"q Q [1 2"],  # an array still open at the end is dropped
])
def test_content_parser_reads_what_pdfminer_reads(chunks):
    fast = content.parse([_stream(c, n) for n, c in enumerate(chunks, start=1)])
    assert fast is not None
    assert fast == _pdfminer_reads(chunks)


@pytest.mark.parametrize("chunks", [
    [b"BI /W 1 /H 1 ID \x00\xff EI"],  # inline image
    [b"/A#20B Do"], [b"{ 1 }"], [b"<4142>> BDC"], [b"(open"], [b"(a", b"b)"], [b"<41"], [b"/", b"F1 Tf"],
    [b"(\\777)"], [b"<< /A >>"], [b"(a\\\r\nb)"], [b"]"],
])
def test_content_parser_leaves_odd_streams_to_pdfminer(chunks):
    assert content.parse([_stream(c, n) for n, c in enumerate(chunks, start=1)]) is None


_FRAGMENTS = [
    b" ", b"\n", b"\r\n", b"\t", b"\x00", b"0", b"12", b"-3.5", b".5", b"1.2.3", b"+", b"-", b".", b"5.",
    b"/F1", b"/", b"/a#20b", b"Tf", b"Tj", b"TJ", b"BT", b"ET", b"q", b"Q", b"cm", b"re", b"f*", b"'", b'"',
    b"true", b"false", b"(", b")", b"\\", b"\\n", b"\\(", b"\\053", b"\\7", b"\\777", b"\\\r\n", b"\\x", b"<",
    b">", b"<<", b">>", b"<41 4>", b"<4", b"[", b"]", b"{", b"}", b"%c\n", b"%", b"BI", b"ID", b"EI", b"\xe9",
    b"#", b"abc", b"d0", b"\r",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_FRAGMENTS), max_size=30).map(b"".join), min_size=1, max_size=3))
def test_content_parser_never_reads_differently_from_pdfminer(chunks):
    fast = content.parse([_stream(c, n) for n, c in enumerate(chunks, start=1)])
    if fast is not None:
        assert fast == _pdfminer_reads(chunks)


def _corpus_pdfs() -> list:
    paths = sorted(RIS3.glob("*.pdf")) + sorted(ROBUSTNESS.glob("*.pdf"))
    return [pytest.param(p, id=p.name) for p in paths] or [
        pytest.param(None, marks=pytest.mark.skip(reason=f"corpus folder {CORPUS} is absent"))]


def _layout_chars(page) -> list:
    """The characters of pdfplumber's own `page.layout`, walked as the reader once walked it."""
    chars, stack = [], [iter(page.layout)]
    while stack:
        for item in stack[-1]:
            if isinstance(item, LTChar):
                chars.append((item.get_text(), item.x0, item.y0, item.x1, item.y1, item.upright, item.size,
                              item.fontname))
            elif isinstance(item, LTContainer):
                stack.append(iter(item))
                break
        else:
            stack.pop()
    return chars


@pytest.mark.parametrize("path", _corpus_pdfs())
def test_every_page_gives_the_characters_of_pdfplumbers_layout(path):
    """The fast interpreter and device against pdfplumber's `page.layout`, page by page,
    failures included (a page pdfminer cannot interpret fails both ways)."""
    try:
        document = pdfplumber.open(path)
        pages = document.pages
    except (PdfminerException, PSException, MalformedPDFException):
        pytest.skip("pdfplumber cannot open it (the reader says so in its own words)")
    with document:
        for page in pages:
            drawn, expected = _outcome(pdf._drawn, page), _outcome(_layout_chars, page)
            assert (drawn[0] if isinstance(drawn, tuple) else drawn) == expected, f"page {page.page_number}"
            if isinstance(drawn, tuple):  # interpreted once: characters, then words and shapes from them
                chars = pdf._page_chars(page, drawn[0])
                assert wording.words(chars) == _pdfplumber_words(chars), f"page {page.page_number}"
                assert _shapes(drawn[1]) == _shapes(_pdfminer_graphics(page)), f"page {page.page_number}"
            page.close()


def _outcome(read, page):
    """What `read(page)` returns, or the name of the error it fails with (pdfplumber's
    wrapper unwrapped), so that two ways of reading can be required to fail alike."""
    try:
        return read(page)
    except Exception as e:  # noqa: BLE001 - both must fail alike
        return type(e.args[0] if isinstance(e, PdfminerException) and e.args else e).__name__


def _pdfminer_graphics(page) -> list:
    """The lines, rectangles and curves pdfminer's own interpreter and device draw on the page."""
    device = pdf._Aggregator(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    return tabling.graphics(device.get_result(), device.hidden)


def _shapes(shapes: list) -> list:
    """What the reader reads of each shape (all but `original_path`)."""
    return [(type(s).__name__, s.pts, s.bbox, s.linewidth, s.stroke, s.fill, s.evenodd, s.stroking_color,
             s.non_stroking_color, s.dashing_style) for s in shapes]


def _pdfplumber_words(chars: list) -> list:
    """pdfplumber's own `extract_words()` on the characters, as the reader once called it."""
    keys = ("text", "x0", "top", "x1", "bottom", "upright", "size", "fontname")
    dicts = [dict(zip(keys, char), doctop=char[2]) for char in chars]
    found = extract_words(dicts, extra_attrs=["fontname", "size"], keep_blank_chars=False, use_text_flow=False)
    return [tuple(word[key] for key in keys) for word in found]


_GLYPHS = ["a", "b", "ﬁ", " ", "", "\u00a0", "1", "."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(
    st.sampled_from(_GLYPHS), st.integers(0, 60), st.integers(0, 40), st.integers(1, 8), st.booleans(),
    st.sampled_from([9.0, 12.0]), st.sampled_from(["Arial", "Arial,Bold"]),
), max_size=60))
def test_words_are_pdfplumbers_words(specs):
    chars = [(text, float(x), float(top), float(x + width), float(top + 10), upright, size, font)
             for text, x, top, width, upright, size, font in specs]
    assert wording.words(chars) == _pdfplumber_words(chars)


# ---- side-by-side boxes under a slide title (generated with reportlab) ----------------

def _boxes_pdf(path: Path) -> Path:
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    pdf_canvas = canvas.Canvas(str(path), pagesize=(960, 540))

    def text(x, top, words, size, font="Helvetica"):
        pdf_canvas.setFont(font, size)
        pdf_canvas.drawString(x, 540 - top - size, words)

    text(190, 50, "Norra Mellansverige och grannar", 30, "Helvetica-Bold")
    for x, name, items in [(43, "Dalarna", ["Smarta energisystem", "Grön och cirkulär industri"]),
                           (345, "Gävleborg", ["Materialteknologi och produktion", "Bioekonomi"]),
                           (648, "Värmland", ["Skoglig bioekonomi", "Digital hälsoinnovation"])]:
        text(x, 115, name, 15, "Helvetica-Bold")
        for row, item in enumerate(items):
            text(x, 133 + 2 + 14.5 * row, "•", 12)  # the glyph sits a little higher than its text
            text(x + 18, 135 + 2 + 14.5 * row, item, 12)
    text(50, 300, "Jämtland", 15, "Helvetica-Bold")
    text(68, 318, "Hållbar energi", 12)
    pdf_canvas.save()
    return path


def test_boxes_side_by_side_under_a_title_are_read_box_by_box(tmp_path):
    doc = pdf.read(_boxes_pdf(tmp_path / "boxes.pdf"), source_id="boxes")
    texts = [b.text for b in doc.blocks]
    assert texts[0] == "Norra Mellansverige och grannar"
    assert texts[1:] == ["Dalarna", "Smarta energisystem", "Grön och cirkulär industri",
                         "Gävleborg", "Materialteknologi och produktion", "Bioekonomi",
                         "Värmland", "Skoglig bioekonomi", "Digital hälsoinnovation",
                         "Jämtland", "Hållbar energi"]
    assert all(b.marker for b in doc.blocks if b.kind == LIST_ITEM)


def test_numbered_lines_one_after_another_are_a_list_not_headings(tmp_path):
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    path = tmp_path / "numbered.pdf"
    pdf_canvas = canvas.Canvas(str(path), pagesize=(595, 842))
    y = [800]

    def line(words, size=11, font="Helvetica", gap=16):
        pdf_canvas.setFont(font, size)
        pdf_canvas.drawString(65, y[0], words)
        y[0] -= gap

    line("3 Styrkeområden", 17, "Helvetica-Bold", 26)
    line("Länets styrkeområden är:")
    for n, name in enumerate(["Innovativa material", "Life science", "Cirkulär ekonomi"], start=1):
        line(f"{n}.   {name}", 12)
    line("Områdena beskrivs närmare i bilagorna, och varje område har en egen handlingsplan.", gap=26)
    line("4 Process", 17, "Helvetica-Bold", 26)
    line("Framtagandet har skett i dialog med länets aktörer under två år.")
    pdf_canvas.save()
    blocks = pdf.read(path, source_id="numbered").blocks
    assert [(b.kind, b.marker, b.text) for b in blocks if b.marker] == [
        (LIST_ITEM, "1.", "Innovativa material"), (LIST_ITEM, "2.", "Life science"),
        (LIST_ITEM, "3.", "Cirkulär ekonomi")]
    assert [b.text for b in blocks if b.kind in (HEADING, TITLE)] == ["3 Styrkeområden", "4 Process"]


def test_a_numbered_list_goes_on_at_the_top_of_the_next_column(tmp_path):
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    path = tmp_path / "columns.pdf"
    pdf_canvas = canvas.Canvas(str(path), pagesize=(595, 842))

    def line(x, top, words, size=10, font="Helvetica"):
        _draw(pdf_canvas, x, top, words, size, font)

    line(57, 35, "Region X – Smart specialisering", 8)
    left = ["Smart specialisering är ett arbetssätt för att", "identifiera och prioritera områden med",
            "styrkor och potential i regionen och länet."]
    for row, text in enumerate(left * 12):
        line(63, 80 + 14 * row, text)
    line(63, 600, "Fem områden", 15, "Helvetica-Bold")
    line(63, 625, "I regionen lägger vi kraft på fem områden:")
    top = 650
    for number, words in [(1, ["Skoglig bioekonomi"]), (2, ["Avancerad tillverkning och", "komplexa system"]),
                          (3, ["Attraktion genom hållbar", "platsutveckling"])]:
        line(63, top, f"{number}.", 11.5, "Helvetica-Bold")
        for k, text in enumerate(words):
            line(80, top + 13 * k, text, 11.5, "Helvetica-Bold")
        top += 13 * len(words) + 9
    line(315, 70, "4.", 11.5, "Helvetica-Bold")
    line(332, 70, "Livsmedel i hållbara samspel", 11.5, "Helvetica-Bold")
    line(315, 92, "5.", 11.5, "Helvetica-Bold")
    line(332, 92, "Dataspel och spelifiering", 11.5, "Helvetica-Bold")
    for row, text in enumerate(left * 10):
        line(315, 130 + 14 * row, text)
    line(290, 815, "2", 8)
    pdf_canvas.save()
    items = [b for b in pdf.read(path, source_id="columns").blocks if b.marker]
    assert [(b.kind, b.marker, b.text) for b in items] == [
        (LIST_ITEM, "1.", "Skoglig bioekonomi"), (LIST_ITEM, "2.", "Avancerad tillverkning och komplexa system"),
        (LIST_ITEM, "3.", "Attraktion genom hållbar platsutveckling"),
        (LIST_ITEM, "4.", "Livsmedel i hållbara samspel"), (LIST_ITEM, "5.", "Dataspel och spelifiering")]


def test_a_lettered_list_goes_on_over_a_page_break_past_the_running_header(tmp_path):
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    path = tmp_path / "lettered.pdf"
    pdf_canvas = canvas.Canvas(str(path), pagesize=(595, 842))

    def line(x, top, words, size=11, font="Helvetica"):
        _draw(pdf_canvas, x, top, words, size, font)

    for page, items in enumerate([["a)", "b)", "c)", "d)"], ["e)"], []], start=1):
        line(65, 40, "Strategi för smart specialisering", 8)
        line(290, 810, str(page), 8)
        top = 80
        if page == 1:
            line(65, top, "2 Styrkeområden", 17, "Helvetica-Bold")
            line(65, top + 25, "Regionen har fem styrkeområden med potential:")
            top += 50
        for letter in items:
            line(71, top, f"{letter}  Område {letter[0].upper()}", 12)
            top += 19
        if page == 2:
            line(65, top + 20, "3 Kännetecken", 17, "Helvetica-Bold")
            line(65, top + 45, "Styrkeområdena karaktäriseras av starka specialiseringar i näringslivet.")
        pdf_canvas.showPage()
    pdf_canvas.save()
    blocks = pdf.read(path, source_id="lettered").blocks
    assert [(b.kind, b.marker, b.text, b.provenance.page) for b in blocks if b.marker] == [
        (LIST_ITEM, "a)", "Område A", 1), (LIST_ITEM, "b)", "Område B", 1), (LIST_ITEM, "c)", "Område C", 1),
        (LIST_ITEM, "d)", "Område D", 1), (LIST_ITEM, "e)", "Område E", 2)]
    assert not any("Strategi för smart" in b.text for b in blocks)  # the running header is dropped


def _draw(pdf_canvas, x: float, top: float, words: str, size: float, font: str) -> None:
    """Words at `x` with their baseline `top` points below the top of an A4 page."""
    pdf_canvas.setFont(font, size)
    pdf_canvas.drawString(x, 842 - top, words)
