"""PowerPoint layouts, written with python-pptx: a region's deck (a slide per level-1
heading, bullets with levels) and an agency's overview deck (a region per heading, or a
table of region | areas)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pptx import Presentation
from pptx.presentation import Presentation as Deck
from pptx.util import Emu, Pt

from evaluation.devcorpus.archive import fix_timestamps
from evaluation.devcorpus.documents import CorpusDocument, Part

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
                text = f"{part.marker(i)} {item.text}" if numbered else item.text
                out.append((text, 1, False))
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
