"""PowerPoint layouts, written with python-pptx: a region's deck (a slide per level-1
heading, bullets with levels), an agency's overview deck (a region per heading, or a
table of region | areas) and a 16:9 deck whose bullets come from the slide master."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as Deck
from pptx.util import Emu, Inches, Pt

from smartspec.evaluation.devcorpus.archive import fix_timestamps
from smartspec.evaluation.devcorpus.documents import CorpusDocument, Part, item_marker, sub_item_marker

FIXED_DATE = datetime(2024, 1, 1)
TITLE_LAYOUT, CONTENT_LAYOUT, TITLE_ONLY_LAYOUT = 0, 1, 5
# Body text size by paragraph level (points), small enough for a dozen lines on a slide.
LEVEL_SIZES = (18, 15, 13)


def _deck(document: CorpusDocument) -> Deck:
    deck = Presentation()
    props = deck.core_properties
    props.title, props.author = document.title, document.publisher or "Region"
    props.created = props.modified = props.last_printed = FIXED_DATE
    props.revision, props.last_modified_by = 1, props.author
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_LAYOUT])
    slide.shapes.title.text = document.title
    slide.placeholders[1].text = " – ".join(
        t for t in (document.subtitle, document.publisher, document.date) if t)
    return deck


def _slides(document: CorpusDocument) -> list[tuple[str, list[Part]]]:
    """(title, body parts) per slide: a level-1 heading opens a slide."""
    slides: list[tuple[str, list[Part]]] = []
    for part in document.parts:
        if part.kind == "heading" and part.level == 1:
            slides.append((part.text, []))
        elif part.kind != "break":
            if not slides:
                slides.append(("", []))
            slides[-1][1].append(part)
    return slides


def _lines(parts: list[Part]) -> list[tuple[str, int, bool]]:
    """(text, level, bold) per body paragraph. Numbered lists keep their typed numbers;
    bullets come from the layout."""
    out = []
    for part in parts:
        if part.kind == "heading":
            out.append((part.text, 0, True))
        elif part.kind == "para":
            out.append((part.text, 0, False))
        elif part.kind == "list":
            numbered = part.style in ("1.", "1)", "a)")
            for i, item in enumerate(part.items):
                text = f"{item_marker(part, i)} {item.text}" if numbered else item.text
                out.append((text + item.tail, 1, False))
                out += [(sub, 2, False) for sub in item.subs]
        elif part.kind == "toc":
            out.append((part.text, 0, True))
    return out


def _fill(frame, lines: list[tuple[str, int, bool]]) -> None:
    frame.word_wrap = True
    for i, (text, level, bold) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = text
        paragraph.level = level
        for run in paragraph.runs:
            run.font.size = Pt(LEVEL_SIZES[min(level, 2)])
            run.font.bold = bold


def _table(slide, part: Part, top: int, width: int) -> None:
    rows = ([part.header] if part.header else []) + list(part.rows)
    height = Emu(int(Pt(28)) * len(rows))
    shape = slide.shapes.add_table(len(rows), len(rows[0]), Emu(int(Pt(36))), top, width, height)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            frame = shape.table.cell(r, c).text_frame
            for i, line in enumerate(text.split("\n")):
                paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
                paragraph.text = line
                for run in paragraph.runs:
                    run.font.size = Pt(12)


def _write(document: CorpusDocument, path: Path) -> None:
    deck = _deck(document)
    width = deck.slide_width - Emu(int(Pt(72)))
    for title, parts in _slides(document):
        tables = [p for p in parts if p.kind == "table"]
        text = [p for p in parts if p.kind != "table"]
        layout = CONTENT_LAYOUT if text else TITLE_ONLY_LAYOUT
        slide = deck.slides.add_slide(deck.slide_layouts[layout])
        slide.shapes.title.text = title
        if text:
            body = slide.placeholders[1]
            if tables:
                body.height = Emu(int(Pt(110)))
            _fill(body.text_frame, _lines(text))
        top = Emu(int(Pt(250 if text else 130)))
        for table in tables:
            _table(slide, table, top, width)
    deck.save(str(path))
    fix_timestamps(path)


def slides_pptx(document: CorpusDocument, path: Path) -> None:
    """A region's deck: title slide, bullet slides with levels, a slide per area."""
    _write(document, path)


def overview_pptx(document: CorpusDocument, path: Path) -> None:
    """An agency's deck of many regions: a region name heading over its bullets, or a
    table whose cells are region | bulleted areas."""
    _write(document, path)


# ---- a 16:9 deck whose bullets come from the master ------------------------------------
WIDE = (Emu(12192000), Emu(6858000))  # 16:9
TEMPLATE_WIDTH = 9144000  # python-pptx's default template is 4:3
MASTER_BULLET = "•"  # what the template's master draws before body text: left to it
WIDE_SIZES = (20, 16)  # body text by level (points)
TABLE_SIZE, NOTE_SIZE, FOOTER_SIZE = 14, 11, 10
TABLE_LEFT, TABLE_TOP, ROW_HEIGHT = Inches(0.7), Inches(1.55), Inches(0.4)
BULLET_HANG = Inches(0.3)


def _widen(deck: Deck) -> None:
    """16:9, the template's master and layout placeholders stretched to the new width."""
    deck.slide_width, deck.slide_height = WIDE
    scale = WIDE[0] / TEMPLATE_WIDTH
    master = deck.slide_master
    for shapes in (master, *master.slide_layouts):
        for shape in shapes.placeholders:
            if shape._element.xfrm is not None:
                shape.left, shape.width = Emu(round(shape.left * scale)), Emu(round(shape.width * scale))


def _bullet(paragraph, glyph: str, level: int) -> None:
    """`glyph` set on the paragraph (a:buChar), or no bullet when `glyph` is ""."""
    properties = paragraph._p.get_or_add_pPr()
    if not glyph:
        properties.set("marL", "0")
        properties.set("indent", "0")
        etree.SubElement(properties, qn("a:buNone"))
        return
    properties.set("marL", str(int(Inches(0.35 * level))))
    properties.set("indent", str(-int(BULLET_HANG)))
    etree.SubElement(properties, qn("a:buFont")).set("typeface", "Arial")
    etree.SubElement(properties, qn("a:buChar")).set("char", glyph)


def _wide_lines(parts: list[Part]) -> list[tuple[str, int, str | None, bool]]:
    """(text, level from 1, glyph, bold) per body paragraph; glyph None = the master's
    bullet, "" = none. Numbered lists keep their typed numbers; a heading (or a contents
    part's label) is a bold line."""
    out = []
    for part in parts:
        if part.kind in ("heading", "para", "toc"):
            out.append((part.text, 1, "", part.kind != "para"))
        elif part.kind == "list":
            numbered = part.style in ("1.", "1)", "a)")
            for i, item in enumerate(part.items):
                text = f"{item_marker(part, i)} {item.text}" if numbered else item.text
                glyph = "" if numbered else None if part.style == MASTER_BULLET else part.style
                out.append((text + item.tail, 1, glyph, False))
                out += [(sub, 2, sub_item_marker(part, j), False) for j, sub in enumerate(item.subs)]
    return out


def _wide_fill(frame, lines: list[tuple[str, int, str | None, bool]], size: int) -> None:
    frame.word_wrap = True
    for i, (text, level, glyph, bold) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.level = level - 1
        if glyph is not None:
            _bullet(paragraph, glyph, level)
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(size if level == 1 else WIDE_SIZES[1])
        run.font.bold = bold or None


def _wide_table(slide, part: Part, top: int, width: int) -> int:
    """The table at `top`, its header row and first column bold; the bottom of it."""
    rows = ([part.header] if part.header else []) + list(part.rows)
    count = len(rows[0])
    widths = [int(width * f) for f in part.widths] or [width // count] * count
    shape = slide.shapes.add_table(len(rows), count, TABLE_LEFT, top, sum(widths), ROW_HEIGHT * len(rows))
    for index, column_width in enumerate(widths):
        shape.table.columns[index].width = Emu(column_width)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = shape.table.cell(r, c)
            cell.text = text
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(TABLE_SIZE)
                    run.font.bold = (bool(part.header) and r == 0) or c == 0
    return top + ROW_HEIGHT * len(rows)


def _wide_footer(slide, text: str, number: int, deck: Deck) -> None:
    """The running text on the left of the footer line, the slide number on the right."""
    top = deck.slide_height - Inches(0.5)
    if text:
        box = slide.shapes.add_textbox(Inches(0.5), top, Inches(8), Inches(0.35))
        box.text_frame.text = text
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(FOOTER_SIZE)
    box = slide.shapes.add_textbox(deck.slide_width - Inches(1.3), top, Inches(0.8), Inches(0.35))
    field = etree.SubElement(box.text_frame.paragraphs[0]._p, qn("a:fld"))
    field.set("id", "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}")
    field.set("type", "slidenum")
    etree.SubElement(field, qn("a:rPr")).set("sz", str(FOOTER_SIZE * 100))
    etree.SubElement(field, qn("a:t")).text = str(number)


def _note(slide, parts: list[Part], top: int, width: int) -> None:
    box = slide.shapes.add_textbox(TABLE_LEFT, top, width, Inches(0.4))
    _wide_fill(box.text_frame, _wide_lines(parts), NOTE_SIZE)
    for paragraph in box.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.italic = True


def wide_pptx(document: CorpusDocument, path: Path) -> None:
    """A 16:9 deck on the default template: a title slide, then a slide per level-1
    heading. Paragraphs are unbulleted lead lines; list items are first-level body
    paragraphs whose "•" comes from the master (another glyph is set on the paragraph),
    sub-items one level down. A slide with a table is Title Only: text before the table
    above it, the table (header row and first column bold), text after it a note below.
    The running text (`header`) and the slide number sit in the footer line of every
    slide but the first."""
    deck = Presentation()
    _widen(deck)
    props = deck.core_properties
    props.title, props.author = document.title, document.publisher or "Region"
    props.created = props.modified = props.last_printed = FIXED_DATE
    props.revision, props.last_modified_by, props.language = 1, props.author, document.language
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_LAYOUT])
    slide.shapes.title.text = document.title
    slide.placeholders[1].text_frame.text = "\n".join(
        t for t in (document.subtitle, document.publisher, document.date) if t)
    width = deck.slide_width - 2 * TABLE_LEFT
    for number, (title, parts) in enumerate(_slides(document), start=2):
        tables = [i for i, p in enumerate(parts) if p.kind == "table"]
        slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT if tables else CONTENT_LAYOUT])
        slide.shapes.title.text = title
        if not tables:
            _wide_fill(slide.placeholders[1].text_frame, _wide_lines(parts), WIDE_SIZES[0])
        else:
            top = TABLE_TOP
            if tables[0]:
                _note(slide, parts[:tables[0]], top - Inches(0.45), width)
            for index in tables:
                top = _wide_table(slide, parts[index], top, width) + Inches(0.2)
            if parts[tables[-1] + 1:]:
                _note(slide, parts[tables[-1] + 1:], top, width)
        _wide_footer(slide, document.header, number, deck)
    deck.save(str(path))
    fix_timestamps(path)
