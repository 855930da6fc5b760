"""The PDF reader on real strategies (ris3/), odd files (robustness/) and the seed deck.

The corpora live outside the repo in ../shared/corpus; tests that need them skip when the
folder is absent. Each document is read once per module (reading is the slow part).
"""

from __future__ import annotations

import dataclasses
import io
import logging
from functools import cache
from itertools import pairwise
from pathlib import Path

import pypdfium2
import pytest

from smartspec.extractors.document import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, TITLE, BBox, Block, Document, Provenance
from smartspec.extractors.errors import NoTextLayer, UnreadableDocument
from smartspec.extractors.readers import _pdfblocks
from smartspec.extractors.readers import _pdflayout
from smartspec.extractors.readers import _pdftables
from smartspec.extractors.readers import _pdfwords
from smartspec.extractors.readers import pdf

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
def _read(path: Path) -> Document:
    return pdf.read(path, source_id=path.stem)


def ris3(name: str, *pages: int) -> Document:
    """The document, its blocks those of `pages` where given (every page is laid out)."""
    document = _read(RIS3 / name)
    if not pages:
        return document
    return dataclasses.replace(document, blocks=tuple(b for b in document.blocks if b.provenance.page in pages))


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
def test_running_header_is_dropped_on_the_pages_of_a_list():
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
    assert ("Title", "arengufond_ENG_022013_A4.indd") in doc.metadata
    assert doc.title == "Smart Specialisation – Qualitative Analysis"  # the metadata's is a file name
    assert doc.format == "pdf" and doc.pages == 29 and doc.bytes > 0 and len(doc.sha256) == 64
    assert {b.provenance.reader for b in doc.blocks} == {"pdf"}
    assert all(b.container.startswith("p18:c") for b in doc.blocks)


# ---- page texts ---------------------------------------------------------------------------

@needs_corpus
def test_page_texts_cover_every_page():
    texts = ris3(LU).page_texts
    assert len(texts) == 35
    assert "4 Sectoral priorities" in texts[22]
    assert "\r" not in "".join(texts) and "\ufffe" not in "".join(texts)


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
    real = pypdfium2.PdfDocument.get_page

    def failing(document, index):
        if index == 1:
            raise pypdfium2.PdfiumError("Failed to load page.")
        return real(document, index)

    monkeypatch.setattr(pypdfium2.PdfDocument, "get_page", failing)
    with caplog.at_level(logging.WARNING, logger="smartspec.extractors.readers.pdf"):
        doc = pdf.read(RIS3 / LU, source_id="lu-broken")
    assert 2 not in {b.provenance.page for b in doc.blocks} and {1, 3} <= {b.provenance.page for b in doc.blocks}
    assert doc.page_texts[1] == "" and len(doc.page_texts) == 35
    assert any("lu-broken" in r.getMessage() and "page 2" in r.getMessage() for r in caplog.records)


# Every PDF of the robustness corpus through the reader: tests/system/test_robustness.py.


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


@needs_corpus
def test_a_table_goes_on_over_a_page_break_when_its_columns_match():
    cells = [b for b in ris3(NL_WEST, 20, 21).blocks if b.kind == TABLE_CELL]
    assert {b.container for b in cells} == {"p20:t1"}
    rows = [b.row for b in cells]
    assert rows == sorted(rows) and {b.provenance.page for b in cells} == {20, 21}
    assert [b.text for b in cells if b.level == 1][-1] == "Water"


def test_tables_join_over_a_page_break_only_with_the_same_columns():
    def cell(page, row, column, x0, text, container):
        return Block(text, TABLE_CELL, column, Provenance("s", page, BBox(x0, 100 * row, x0 + 90, 100 * row + 50), "pdf"),
                     container=container, row=row)

    closing = [cell(1, 1, 1, 50, "Sector", "p1:t1"), cell(1, 1, 2, 150, "Themes", "p1:t1")]
    same = [cell(2, 1, 1, 51, "Water", "p2:t1"), cell(2, 1, 2, 149, "Ships", "p2:t1")]
    other = [cell(2, 1, 1, 50, "Year", "p2:t1"), cell(2, 1, 2, 250, "Budget", "p2:t1")]
    joined = _pdftables.join_across_pages(closing + same)
    assert [(b.container, b.row) for b in joined[2:]] == [("p1:t1", 2), ("p1:t1", 2)]
    assert _pdftables.join_across_pages(closing + other) == closing + other
    text = Block("A paragraph", PARAGRAPH, 1, Provenance("s", 2, None, "pdf"))
    assert _pdftables.join_across_pages(closing + [text] + same) == closing + [text] + same


def _rule(x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
    """A stroked line (x0 == x1 or top == bottom) or rectangle, top-left origin on an 800 pt page."""
    return (x0, top, x1, bottom)


def _grid(columns: list[float], rows: list[float]) -> list:
    return [_rule(x0, top, x1, bottom) for top, bottom in pairwise(rows) for x0, x1 in pairwise(columns)]


def _page_edges(draw) -> list[dict]:
    """The edges the reader reads from a page that `draw(canvas)` painted (reportlab)."""
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    buffer = io.BytesIO()
    pdf_canvas = canvas.Canvas(buffer, pagesize=(600, 800))
    draw(pdf_canvas)
    pdf_canvas.save()
    document = pypdfium2.PdfDocument(buffer.getvalue())
    page = document[0]
    try:
        return _pdfwords.read_page(page.raw, page.get_mediabox(), page.get_rotation()).edges
    finally:
        page.close()
        document.close()


def _tables(shapes: list, words: list[_pdfwords.Word]):
    def draw(pdf_canvas):
        for x0, top, x1, bottom in shapes:
            if x0 == x1 or top == bottom:
                pdf_canvas.line(x0, 800 - top, x1, 800 - bottom)
            else:
                pdf_canvas.rect(x0, 800 - bottom, x1 - x0, bottom - top, stroke=1, fill=0)

    return _pdftables.find(_page_edges(draw), words)


def test_grid_cells_hold_their_words_and_join_wrapped_lines():
    shapes = _grid([50, 200, 400], [100, 130, 180, 210])
    words = _words([(55, 105, "Name"), (205, 105, "Notes"), (55, 135, "Intelligent"), (55, 149, "manufac-"),
                    (55, 163, "turing"), (205, 135, "Machine builders"), (55, 185, "Tourism"), (205, 185, "Hotels"),
                    (55, 300, "Text under the table")])
    tables, outside = _tables(shapes, words)
    assert [w.text for w in outside] == ["Text", "under", "the", "table"]
    (table,) = tables
    blocks = _pdftables.cell_blocks(table, container="p1:t1", page=1, source_id="s", reader="pdf")
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
    blocks = _pdftables.cell_blocks(table, container="p1:t1", page=1, source_id="s", reader="pdf")
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
    def draw(pdf_canvas):
        pdf_canvas.setFillColorRGB(1, 1, 1)
        pdf_canvas.rect(50, 50, 100, 40, stroke=0, fill=1)  # white fill
        pdf_canvas.setFillColorCMYK(0, 0, 0, 0)
        pdf_canvas.rect(50, 150, 100, 40, stroke=0, fill=1)  # no ink
        pdf_canvas.rect(50, 250, 100, 40, stroke=0, fill=0)  # neither stroked nor filled
        pdf_canvas.setFillColorRGB(0.85, 0.88, 0.95)
        pdf_canvas.rect(50, 350, 100, 40, stroke=0, fill=1)  # a shaded cell

    edges = _page_edges(draw)
    assert sorted((e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"]) for e in edges) == [
        ("h", 50, 410, 150, 410), ("h", 50, 450, 150, 450), ("v", 50, 410, 50, 450), ("v", 150, 410, 150, 450)]


def test_a_table_goes_before_the_first_block_under_it_in_its_column():
    left, right = (50, 0, 280, 800), (300, 0, 550, 800)
    boxes = [(50, 100, 280, 120), (50, 400, 280, 420), (300, 100, 550, 120), (300, 400, 550, 420)]
    assert _pdftables.position((50, 200, 280, 300), boxes) == 1  # in the left column, between its blocks
    assert _pdftables.position((300, 200, 550, 300), boxes) == 3
    assert _pdftables.position((50, 500, 280, 600), boxes) == 2  # at the foot of the left column
    assert _pdftables.position((50, 200, 550, 300), boxes[:1]) == 1
    assert _pdftables.position(left, []) == 0 and _pdftables.position(right, boxes[:1]) == 1


# ---- layout on made-up words (no corpus needed) -------------------------------------------

def _words(rows: list[tuple[float, float, str]], size: float = 10.0, bold: bool = False) -> list[_pdfwords.Word]:
    """Words from (x0, top, text) rows, each word 6 pt per character, one space apart."""
    words = []
    for x0, top, text in rows:
        for token in text.split():
            width = 6.0 * len(token)
            words.append(_pdfwords.Word(token, x0, top, x0 + width, top + size, size, bold))
            x0 += width + 3.0
    return words


def test_two_columns_under_a_spanning_title_read_column_by_column():
    title = _words([(60, 40, "A title that runs across both columns of the page")], size=20)
    left = _words([(50, 100 + 14 * i, f"left line {i} of the first column") for i in range(5)])
    right = _words([(320, 100 + 14 * i, f"right line {i} of the second column") for i in range(5)])
    columns = _pdflayout.page_columns(title + left + right)
    lines = [(c.container, ln.text) for c in columns for ln in c.lines]
    assert lines[0][1].startswith("A title")
    assert [t for _, t in lines[1:6]] == [f"left line {i} of the first column" for i in range(5)]
    assert [t for _, t in lines[6:]] == [f"right line {i} of the second column" for i in range(5)]
    assert len({c for c, _ in lines}) == 3


def test_a_heading_over_a_list_beside_a_figures_labels_is_read_with_its_list():
    heading = _words([(380, 240, "Development themes rising from the operating environment")], size=14)
    items = _words([(486, 260 + 18 * i, f"{i + 1}. theme {i + 1} of the list of development themes") for i in range(4)], size=10.5)
    labels = _words([(275, 285, "Helsinki-Uusimaa regional"), (300, 309, "programme")], size=20)
    lines = [ln.text for c in _pdflayout.page_columns(heading + items + labels) for ln in c.lines]
    assert lines == ["Development themes rising from the operating environment",
                     *[f"{i + 1}. theme {i + 1} of the list of development themes" for i in range(4)],
                     "Helsinki-Uusimaa regional", "programme"]


def test_a_bar_centred_under_columns_is_read_after_all_of_them():
    boxes = [_words([(40 + 150 * i, 300, f"Plan {i}"), (40 + 150 * i, 380, f"Scenario {i}")], size=12) for i in range(5)]
    bar = _words([(205, 470, "Scenarios of the operating environment in the year 2050")], size=18)
    lines = [ln.text for c in _pdflayout.page_columns([w for box in boxes for w in box] + bar) for ln in c.lines]
    assert lines == [text for i in range(5) for text in (f"Plan {i}", f"Scenario {i}")] + [
        "Scenarios of the operating environment in the year 2050"]


def test_bullet_glyph_far_from_its_text_is_not_a_column():
    rows = [(50, 100 + 14 * i, "•") for i in range(3)]
    glyphs = _words(rows)
    texts = _words([(80, 100 + 14 * i, f"item number {i}") for i in range(3)])
    columns = _pdflayout.page_columns(glyphs + texts)
    assert len(columns) == 1
    groups = _pdfblocks.group_blocks(columns, line_gap_em=0.9)
    assert [(g.marker, g.text) for g in groups] == [("•", f"item number {i}") for i in range(3)]


def test_bold_font_names_and_weights():
    assert _pdfwords.is_bold("ABCDEF+Arial,Bold")
    assert _pdfwords.is_bold("HelveticaNeueLTStd-Md")
    assert _pdfwords.is_bold("TimesNewRomanPS-BoldMT")
    assert _pdfwords.is_bold("FedraSansStd-Demi")
    assert _pdfwords.is_bold("Calibri", 700)
    assert not _pdfwords.is_bold("HelveticaNeueLTStd-Lt")
    assert not _pdfwords.is_bold("ArialMT", 400)


# ---- words from PDFium ----------------------------------------------------------------------

def test_words_have_their_drawn_boxes_sizes_and_weights(tmp_path):
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    path = tmp_path / "words.pdf"
    pdf_canvas = canvas.Canvas(str(path), pagesize=(595, 842))
    _draw(pdf_canvas, 72, 100, "Smart specialisation", 20, "Helvetica-Bold")
    _draw(pdf_canvas, 72, 130, "The region's five areas", 10, "Helvetica")
    pdf_canvas.saveState()
    pdf_canvas.translate(300, 400)
    pdf_canvas.rotate(90)
    pdf_canvas.drawString(0, 0, "a rotated margin note")
    pdf_canvas.restoreState()
    pdf_canvas.save()
    document = pypdfium2.PdfDocument(path)
    page = document[0]
    read = _pdfwords.read_page(page.raw, page.get_mediabox(), page.get_rotation())
    page.close()
    document.close()
    words = [(w.text, round(w.x0), round(w.bottom - _pdfwords.DESCENT_EM * w.size), round(w.size), w.bold)
             for w in read.words]
    assert words == [("Smart", 72, 100, 20, True), ("specialisation", 134, 100, 20, True),
                     ("The", 72, 130, 10, False), ("region's", 92, 130, 10, False),
                     ("five", 129, 130, 10, False), ("areas", 148, 130, 10, False)]
    assert "a rotated margin note" in read.text and (read.width, read.height) == (595, 842)


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
