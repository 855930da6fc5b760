"""PDF layouts, drawn with reportlab: a report, a two-column brochure, a landscape deck, a
table-based strategy and a Word document's PDF export. `invariant=1` keeps the files
byte-identical between builds."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, FrameBreak, NextPageTemplate,
                                PageBreak, PageTemplate, Paragraph, Spacer, Table, TableStyle)

from smartspec.evaluation.devcorpus.documents import (CONTENTS_LABELS, SYMBOL_BULLET, CorpusDocument, Part,
                                            item_marker, numbered_headings, sub_item_marker)

# A Unicode font, so that ▪ and ➢ are drawn as themselves; Helvetica has neither.
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu",
             "/usr/local/share/fonts", "/Library/Fonts")
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
# Left indent of list items per nesting level, and of the bullet within it (points).
LIST_INDENT = 18
BULLET_GAP = 12
# Glyphs our fonts lack, drawn as an office suite's PDF export draws them.
DRAWN_AS = {SYMBOL_BULLET: "•"}
# Gap between the columns of a `columns` section (points).
COLUMN_GAP = 10 * mm


@cache
def _fonts() -> tuple[str, str]:
    """Registered (regular, bold) font names; Helvetica when DejaVu Sans is not installed."""
    for folder in FONT_DIRS:
        regular, bold = Path(folder) / f"{FONT}.ttf", Path(folder) / f"{FONT_BOLD}.ttf"
        if regular.is_file() and bold.is_file():
            pdfmetrics.registerFont(TTFont(FONT, str(regular)))
            pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))
            return FONT, FONT_BOLD
    return "Helvetica", "Helvetica-Bold"


def _styles(scale: float = 1.0) -> dict[str, ParagraphStyle]:
    regular, bold = _fonts()
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=26 * scale, leading=32 * scale,
                                spaceAfter=14),
        "subtitle": ParagraphStyle("subtitle", fontName=regular, fontSize=14 * scale,
                                   leading=18 * scale, spaceAfter=8),
        "h1": ParagraphStyle("h1", fontName=bold, fontSize=17 * scale, leading=22 * scale,
                             spaceBefore=12, spaceAfter=8),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=13.5 * scale, leading=17 * scale,
                             spaceBefore=10, spaceAfter=6),
        "h3": ParagraphStyle("h3", fontName=bold, fontSize=11.5 * scale, leading=15 * scale,
                             spaceBefore=8, spaceAfter=4),
        "body": ParagraphStyle("body", fontName=regular, fontSize=10.5 * scale,
                               leading=14 * scale, spaceAfter=6),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=9.5 * scale,
                               leading=12 * scale),
        "small": ParagraphStyle("small", fontName=regular, fontSize=8, leading=10),
        "caption": ParagraphStyle("caption", fontName=regular, fontSize=9 * scale,
                                  leading=12 * scale, spaceAfter=4),
    }


class _TocLine(Flowable):
    """One line of a table of contents: title, dot leaders, page number."""

    def __init__(self, title: str, page: int, indent: float, font: str) -> None:
        super().__init__()
        self.title, self.page, self.indent, self.font = title, page, indent, font
        self.width, self.height = 0, 16

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFont(self.font, 10.5)
        c.drawString(self.indent, 3, self.title)
        number = str(self.page)
        c.drawRightString(self.width, 3, number)
        start = self.indent + c.stringWidth(self.title, self.font, 10.5) + 4
        end = self.width - c.stringWidth(number, self.font, 10.5) - 4
        dot = c.stringWidth(". ", self.font, 10.5)
        if end > start:
            c.drawString(start, 3, ". " * int((end - start) / dot))


def _toc(document: CorpusDocument, styles: dict[str, ParagraphStyle], numbered: bool,
         label: str, depth: int, pages: dict[int, int] | None) -> list[Flowable]:
    """The contents: page numbers from `pages` (id of a heading part -> its page, from an
    earlier pass) or, without it, made up."""
    flow: list[Flowable] = [Paragraph(escape(label), styles["h1"])]
    page = 3
    for i, (part, number) in enumerate(numbered_headings(document.parts)):
        if part.level > depth:
            continue
        title = f"{number} {part.text}" if numbered else part.text
        shown = page if pages is None else pages.get(id(part), 0)
        flow.append(_TocLine(title, shown, (part.level - 1) * 14, styles["body"].fontName))
        page += 1 if i % 2 else 0
    return flow


def _list(part: Part, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    body = styles["body"]
    out: list[Flowable] = []
    for i, item in enumerate(part.items):
        style = ParagraphStyle(f"li{i}", parent=body, leftIndent=LIST_INDENT + BULLET_GAP,
                               bulletIndent=LIST_INDENT, spaceAfter=3,
                               bulletFontName=body.fontName)
        name = f"<b>{escape(item.text)}</b>" if part.bold_names else escape(item.text)
        glyph = item_marker(part, i)
        out.append(Paragraph(name + escape(item.tail), style, bulletText=DRAWN_AS.get(glyph, glyph)))
        for j, sub in enumerate(item.subs):
            sub_style = ParagraphStyle(f"sub{i}", parent=style,
                                       leftIndent=2 * LIST_INDENT + BULLET_GAP,
                                       bulletIndent=2 * LIST_INDENT)
            glyph = sub_item_marker(part, j)
            out.append(Paragraph(escape(sub), sub_style, bulletText=DRAWN_AS.get(glyph, glyph)))
    out.append(Spacer(1, 6))
    return out


def _table(part: Part, styles: dict[str, ParagraphStyle], width: float,
           ruled: bool) -> Table:
    cell = styles["cell"]
    bold = ParagraphStyle("th", parent=cell, fontName=_fonts()[1])

    def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph("<br/>".join(escape(line) for line in text.split("\n")), style)

    data = ([[paragraph(h, bold) for h in part.header]] if part.header else [])
    data += [[paragraph(c, cell) for c in row] for row in part.rows]
    columns = len(data[0])
    widths = [width * 0.32] + [width * 0.68 / (columns - 1)] * (columns - 1) if columns > 1 \
        else [width]
    if part.widths:
        widths = [width * fraction for fraction in part.widths]
    table = Table(data, colWidths=widths, repeatRows=1 if part.header else 0)
    commands = [("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]
    if ruled:
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, colors.grey))
    if part.header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6f0")))
    table.setStyle(TableStyle(commands))
    return table


def _flowables(document: CorpusDocument, styles: dict[str, ParagraphStyle], width: float, *,
               numbered: bool = False, ruled: bool = True, breaks: Callable[[], Flowable]
               = PageBreak, toc_label: str = "", toc_pages: dict[int, int] | None = None,
               parts: Sequence[Part] | None = None) -> list[Flowable]:
    """The flowables of `parts` (by default the document's). A heading's paragraph carries
    `heading_id`, the id of its part, for `_heading_pages`."""
    numbers = {id(p): n for p, n in numbered_headings(document.parts)}
    options = {"numbered": numbered, "ruled": ruled, "toc_label": toc_label,
               "toc_pages": toc_pages}
    flow: list[Flowable] = []
    section: list[Part] | None = None  # the parts of a `columns` section being gathered
    for part in document.parts if parts is None else parts:
        if part.kind == "columns":
            if section:
                flow.append(_columns(document, styles, width, section, options))
            section = [part] if part.count > 1 else None
        elif section is not None:
            section.append(part)
        elif part.kind == "heading":
            text = f"{numbers[id(part)]} {part.text}" if numbered else part.text
            paragraph = Paragraph(escape(text), styles[f"h{min(part.level, 3)}"])
            paragraph.heading_id = id(part)
            flow.append(paragraph)
        elif part.kind == "para":
            flow.append(Paragraph(escape(part.text), styles["body"]))
        elif part.kind == "list":
            flow += _list(part, styles)
        elif part.kind == "table":
            if part.caption:
                flow.append(Paragraph(escape(part.caption), styles["caption"]))
            flow += [_table(part, styles, width, ruled), Spacer(1, 8)]
        elif part.kind == "toc":
            flow += _toc(document, styles, numbered, part.text or toc_label, part.depth,
                         toc_pages)
        elif part.kind == "break":
            flow.append(breaks())
    if section:
        flow.append(_columns(document, styles, width, section, options))
    return flow


def _columns(document: CorpusDocument, styles: dict[str, ParagraphStyle], width: float,
             section: list[Part], options: dict) -> Table:
    """A `columns` section: its parts side by side in a borderless table, a `break` moving
    on to the next column."""
    count = section[0].count
    columns: list[list[Part]] = [[]]
    for part in section[1:]:
        if part.kind == "break" and len(columns) < count:
            columns.append([])
        elif part.kind != "break":
            columns[-1].append(part)
    columns += [[] for _ in range(count - len(columns))]
    column_w = (width - COLUMN_GAP * (count - 1)) / count
    cells = [_flowables(document, styles, column_w, parts=parts, **options) for parts in columns]
    table = Table([cells], colWidths=[column_w + COLUMN_GAP] * (count - 1) + [column_w])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-2, -1), COLUMN_GAP),
                               ("RIGHTPADDING", (-1, 0), (-1, -1), 0)]))
    return table


def _title_page(document: CorpusDocument, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    flow: list[Flowable] = [Spacer(1, 60 * mm), Paragraph(escape(document.title), styles["title"])]
    if document.subtitle:
        flow.append(Paragraph(escape(document.subtitle), styles["subtitle"]))
    for line in (document.publisher, document.date):
        if line:
            flow.append(Paragraph(escape(line), styles["body"]))
    return flow


def _running(document: CorpusDocument, pagesize: tuple[float, float],
             skip_first: bool) -> Callable:
    regular = _fonts()[0]

    def draw(canvas, doc) -> None:
        if skip_first and doc.page == 1:
            return
        width, height = pagesize
        canvas.saveState()
        canvas.setFont(regular, 8)
        if document.header:
            canvas.drawString(20 * mm, height - 12 * mm, document.header)
        canvas.drawRightString(width - 20 * mm, 10 * mm, str(doc.page))
        canvas.restoreState()

    return draw


def _save(path: Path | io.BytesIO, document: CorpusDocument, pagesize: tuple[float, float],
          templates: Sequence[PageTemplate], flow: list[Flowable], *, title: str = "",
          after: Callable[[BaseDocTemplate, Flowable], None] | None = None) -> None:
    """Lay out `flow`; `after` is called with each flowable once it is drawn."""
    doc = BaseDocTemplate(path if isinstance(path, io.BytesIO) else str(path), pagesize=pagesize,
                          invariant=1, title=title or document.title, author=document.publisher,
                          creator="smartspec devcorpus", producer="smartspec devcorpus")
    doc.addPageTemplates(list(templates))
    if after is not None:
        doc.afterFlowable = lambda flowable: after(doc, flowable)
    doc.build(flow)


def _heading_pages(path: io.BytesIO, document: CorpusDocument, pagesize: tuple[float, float],
                   templates: Sequence[PageTemplate], flow: list[Flowable]) -> dict[int, int]:
    """A first pass: the page each heading part lands on (id of the part -> page)."""
    pages: dict[int, int] = {}

    def note(doc: BaseDocTemplate, flowable: Flowable) -> None:
        if hasattr(flowable, "heading_id"):
            pages[flowable.heading_id] = doc.page

    _save(path, document, pagesize, templates, flow, after=note)
    return pages


def _frame(x: float, y: float, w: float, h: float, name: str) -> Frame:
    return Frame(x, y, w, h, id=name, leftPadding=0, rightPadding=0, topPadding=0,
                 bottomPadding=0)


def _report(document: CorpusDocument, path: Path, *, numbered: bool, word: bool) -> None:
    styles = _styles()
    width, height = A4
    body_w = width - 40 * mm
    frame = _frame(20 * mm, 20 * mm, body_w, height - 40 * mm, "body")
    template = PageTemplate("page", [frame], onPage=_running(document, A4, skip_first=True))

    def flow(toc_pages: dict[int, int] | None) -> list[Flowable]:
        return _title_page(document, styles) + [PageBreak()] + _flowables(
            document, styles, body_w, numbered=numbered, toc_pages=toc_pages,
            toc_label=CONTENTS_LABELS[document.language])

    if not word:
        _save(path, document, A4, [template], flow(None))
        return
    pages = _heading_pages(io.BytesIO(), document, A4, [template], flow(None))
    title = " – ".join(t for t in (document.title, document.subtitle) if t)
    _save(path, document, A4, [template], flow(pages), title=title)


def report_pdf(document: CorpusDocument, path: Path) -> None:
    """Title page, a table of contents with dot leaders, numbered headings, running header
    and page numbers."""
    _report(document, path, numbered=True, word=False)


def word_pdf(document: CorpusDocument, path: Path) -> None:
    """A Word document's PDF export: title page, headings numbered by hand (as the text
    gives them), contents with the pages the headings land on, running header and page
    numbers, the file's title "title – subtitle"."""
    _report(document, path, numbered=False, word=True)


def brochure_pdf(document: CorpusDocument, path: Path) -> None:
    """Two columns per page; a `break` part moves to the next column, so a list can start
    in the left column and go on at the top of the right one."""
    styles = _styles(0.95)
    width, height = A4
    gap = 10 * mm
    column_w = (width - 30 * mm - gap) / 2
    top = height - 45 * mm
    left = _frame(15 * mm, 20 * mm, column_w, top - 20 * mm, "left")
    right = _frame(15 * mm + column_w + gap, 20 * mm, column_w, top - 20 * mm, "right")
    banner = _frame(15 * mm, top + 5 * mm, width - 30 * mm, 30 * mm, "banner")
    first = PageTemplate("first", [banner, left, right],
                         onPage=_running(document, A4, skip_first=False))
    template = PageTemplate("page", [left, right], onPage=_running(document, A4, skip_first=False))
    flow: list[Flowable] = [Paragraph(escape(document.title), styles["h1"])]
    if document.subtitle:
        flow.append(Paragraph(escape(document.subtitle), styles["subtitle"]))
    flow.append(FrameBreak())
    flow.append(NextPageTemplate("page"))
    flow += _flowables(document, styles, column_w, breaks=FrameBreak)
    _save(path, document, A4, [first, template], flow)


def slides_pdf(document: CorpusDocument, path: Path) -> None:
    """A deck exported to PDF: landscape pages, each level-1 heading a new slide title."""
    styles = _styles(1.35)
    size = landscape(A4)
    width, height = size
    body_w = width - 40 * mm
    frame = _frame(20 * mm, 15 * mm, body_w, height - 30 * mm, "slide")
    template = PageTemplate("slide", [frame], onPage=_running(document, size, skip_first=True))
    flow: list[Flowable] = [Spacer(1, 40 * mm), Paragraph(escape(document.title), styles["title"])]
    if document.subtitle:
        flow.append(Paragraph(escape(document.subtitle), styles["subtitle"]))
    slide: list[Part] = []
    slides: list[list[Part]] = []
    for part in document.parts:
        if part.kind == "heading" and part.level == 1 and slide:
            slides.append(slide)
            slide = []
        if part.kind != "break":
            slide.append(part)
    slides.append(slide)
    for parts in slides:
        flow.append(PageBreak())
        page = replace(document, parts=tuple(parts))
        flow += _flowables(page, styles, body_w)
    _save(path, document, size, [template], flow)


def table_pdf(document: CorpusDocument, path: Path) -> None:
    """A short report whose areas sit in ruled tables; no title page, a plain header."""
    styles = _styles()
    width, height = A4
    body_w = width - 36 * mm
    frame = _frame(18 * mm, 18 * mm, body_w, height - 36 * mm, "body")
    template = PageTemplate("page", [frame], onPage=_running(document, A4, skip_first=False))
    flow: list[Flowable] = [Paragraph(escape(document.title), styles["title"])]
    if document.subtitle:
        flow.append(Paragraph(escape(document.subtitle), styles["subtitle"]))
    flow += _flowables(document, styles, body_w, ruled=True)
    _save(path, document, A4, [template], flow)

