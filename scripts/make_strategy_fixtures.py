"""Build the strategy test set: short regional S3 strategies with truth files.

Run from the repository root:

    .venv/bin/python scripts/make_strategy_fixtures.py

It writes eleven small regional smart specialisation strategies, Swedish and English, into
`tests/data/strategies/` and a truth file per document into `tests/data/strategies/truth/`
(`<file name>.json`, in the format of `../shared/corpus/ris3/truth/`, plus a `layouts` list).
Every text is fixed here; nothing is read at run time but the region gazetteer, to check
that each document's region, NUTS code and country are the gazetteer's.

Each document looks like a real strategy: a title page naming the region, a table of
contents, a summary that repeats the priorities in other words, a goals list, an actors list
and often an actions list - the traps, each recorded in the truth's `alternative_lists` - and
the real list under a heading such as "Styrkeområden" or "Specialisation domains". Between
them they use every layout of issue 3 point 4 (the truth's `layouts` names them):

    bullets          bullets with various glyphs (•, –, ▪, Symbol's private-use U+F0B7)
    numbered         numbered "1." and lettered "a)" lists
    run_in           "Name: description" / "Name – for example ..." items; only Name counts
    sub_headings     each priority a Heading 3 followed by a paragraph
    table            a table with a name column
    two_column       two-column pages
    list_break       a list broken by a page break, a column break or a slide change
    wrapped_names    priority names wrapping over two lines (narrow column or table cell)
    nested           nested sub-items (level 2)
    headers_footers  running headers and footers

Formats: DOCX (python-docx, real "Heading N", "List Bullet", "List Number" styles, numbering
definitions and tables), PDF (some of those DOCX files exported by LibreOffice; the DOCX
itself is not kept), PPTX (python-pptx: title and body placeholders, tables) and HTML (a saved
web page with its navigation, footer and scripts).

The PDFs need `soffice` (LibreOffice). Where it is absent the PDFs are not rebuilt: a warning
says so, the committed copies stay and their truth files are rewritten from them. Where it is
present every DOCX - kept or not - is also rendered once to check that each heading and each
list lands on the page the truth says (the page numbers of the tables of contents and the
truth's `pages` are planned here; the run stops if LibreOffice lays a page out otherwise).

Output is byte-stable: fixed core properties and zip entry dates; in the PDFs the creation
date and the document ID are replaced by fixed values of the same length.

This is one long file on purpose: most of it is the documents' text, which reads best next
to the few lines that lay it out.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path

import docx
import pdfplumber
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.oxml.ns import qn as wqn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor as PptxRGB
from pptx.oxml.ns import qn as aqn
from pptx.util import Emu, Inches
from pptx.util import Pt as PptxPt

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "strategies"
TRUTH = OUT / "truth"
GAZETTEER = ROOT / "extractors" / "regions.gazetteer.csv"

LAYOUTS = (
    "bullets", "numbered", "run_in", "sub_headings", "table", "two_column", "list_break",
    "wrapped_names", "nested", "headers_footers",
)
ZIP_DATE = (2021, 6, 15, 12, 0, 0)
PDF_DATE = "20210615120000"
MAX_BYTES = 200_000

SYMBOL_BULLET = "\uf0b7"  # Word's default bullet: a private-use code point drawn in the Symbol font
TEXT_WIDTH_CM = 16.0  # A4 with 2.5 cm margins


# =======================================================================================
# What a document is, for its truth file
# =======================================================================================
@dataclass(frozen=True)
class Priority:
    """A priority as the truth names it; `tail` is printed after the name in run-in items."""

    name: str
    subs: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    tail: str = ""

    @property
    def printed(self) -> str:
        return self.name + self.tail


@dataclass(frozen=True)
class Trap:
    heading: str
    items: tuple[str, ...]
    comment: str
    pages: tuple[int, ...]


@dataclass
class Fixture:
    filename: str
    language: str
    region: str
    country: str
    nuts_code: str
    priority_heading: str
    priority_pages: tuple[int, ...]
    priorities: tuple[Priority, ...]
    traps: list[Trap]
    layouts: tuple[str, ...]
    notes: str
    checks: list[tuple[int, str]] = field(default_factory=list)  # (page, text) the PDF must show

    @property
    def path(self) -> Path:
        return OUT / self.filename

    def truth(self) -> dict:
        pdf_pages = _pdf_page_count(self.path) if self.path.suffix == ".pdf" else None
        return {
            "document": self.filename,
            "language": self.language,
            "region": self.region,
            "country": self.country,
            "nuts_code": self.nuts_code,
            "text_layer": True,
            "pdf_pages": pdf_pages,
            "size_bytes": self.path.stat().st_size,
            "priority_section": {"pages": list(self.priority_pages), "heading": self.priority_heading},
            "priorities": [p.name for p in self.priorities],
            "sub_priorities": {p.name: list(p.subs) for p in self.priorities if p.subs},
            "priority_aliases": {p.name: list(p.aliases) for p in self.priorities if p.aliases},
            "alternative_lists": [
                {"pages": list(t.pages), "heading": t.heading, "items": list(t.items), "comment": t.comment}
                for t in self.traps
            ],
            "notes": self.notes,
            "layouts": list(self.layouts),
        }


# =======================================================================================
# DOCX
# =======================================================================================
FONT = "Arial"
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)


class Word:
    """A python-docx document laid out page by page; `page` counts the explicit breaks.

    Each chapter is short enough to fit its page, so the planned page of every block is the
    page LibreOffice (and Word) put it on; `main()` checks that on the PDF export.
    """

    def __init__(self, *, language: str, title: str, author: str, header: str | None,
                 created: datetime, base_size: float = 10.5) -> None:
        self.doc = docx.Document()
        self.page = 1
        self.checks: list[tuple[int, str]] = []
        self._language = language
        self._next_abstract = 20
        self._next_num = 20
        self._styles(base_size)
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
        section.header_distance = section.footer_distance = Cm(1.2)
        if header:
            self._running_header(section, header)
        core = self.doc.core_properties
        core.title, core.author, core.last_modified_by = title, author, author
        core.subject = core.keywords = core.comments = core.category = ""
        core.language = language
        core.revision = 3
        core.created = core.modified = core.last_printed = created

    # -- styles -------------------------------------------------------------------------
    def _styles(self, base_size: float) -> None:
        styles = self.doc.styles
        for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Header",
                     "Footer", "List Bullet", "List Bullet 2", "List Number", "List Number 2",
                     "TOC Heading", "Caption"):
            _plain_font(styles[name])
        normal = styles["Normal"]
        normal.font.size = Pt(base_size)
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = 1.15
        lang = normal.element.get_or_add_rPr()
        lang.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="{self._language}"/>'))
        for name, size, before in (("Heading 1", 16, 0), ("Heading 2", 13, 12), ("Heading 3", 11.5, 10)):
            style = styles[name]
            style.font.size = Pt(size)
            style.font.bold = True
            style.font.color.rgb = ACCENT
            style.paragraph_format.space_before = Pt(before)
            style.paragraph_format.space_after = Pt(6)
        title = styles["Title"]
        title.font.size = Pt(26)
        title.font.color.rgb = ACCENT
        styles["Subtitle"].font.size = Pt(16)
        styles["Caption"].font.size = Pt(9)
        for name in ("List Bullet", "List Bullet 2", "List Number", "List Number 2"):
            styles[name].paragraph_format.space_after = Pt(3)
        for level in (1, 2, 3):
            style = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
            style.element.set(wqn("w:styleId"), f"TOC{level}")
            style.base_style = normal
            style.paragraph_format.left_indent = Cm(0.5 * (level - 1))
            style.paragraph_format.space_after = Pt(4)
            style.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)

    def _running_header(self, section, text: str) -> None:
        """The title in the header and "page N" in the footer, not on the title page."""
        section.different_first_page_header_footer = True
        section.first_page_header.paragraphs[0].text = ""
        section.first_page_footer.paragraphs[0].text = ""
        header = section.header.paragraphs[0]
        header.text = text
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        header.runs[0].font.size = Pt(8.5)
        header.runs[0].font.color.rgb = RGBColor(0x59, 0x59, 0x59)
        header._p.get_or_add_pPr().append(parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="4" w:space="4" w:color="808080"/></w:pBdr>'
        ))
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer._p.append(parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:rPr><w:sz w:val="18"/></w:rPr>'
            f'<w:t>1</w:t></w:r></w:fldSimple>'
        ))

    # -- numbering ----------------------------------------------------------------------
    def numbering(self, *levels: tuple[str, str, str | None]) -> int:
        """A new list: (numFmt, lvlText, bullet font) per level; returns the numId."""
        part = self.doc.part.numbering_part.element
        abstract_id, num_id = self._next_abstract, self._next_num
        self._next_abstract += 1
        self._next_num += 1
        lvls = []
        for ilvl, (fmt, text, font) in enumerate(levels):
            rpr = (f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:hint="default"/></w:rPr>'
                   if font else "")
            left = 360 + 360 * ilvl
            lvls.append(
                f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                f'<w:lvlText w:val="{escape(text)}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="{left}" w:hanging="360"/></w:pPr>{rpr}</w:lvl>'
            )
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            f'<w:multiLevelType w:val="{"hybridMultilevel" if len(levels) > 1 else "singleLevel"}"/>'
            + "".join(lvls) + "</w:abstractNum>"
        )
        first_num = part.find(wqn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            part.append(abstract)
        part.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
        ))
        return num_id

    # -- blocks -------------------------------------------------------------------------
    def cover(self, title: str, subtitle: str, *lines: str) -> None:
        spacer = self.doc.add_paragraph()
        spacer.paragraph_format.space_before = Pt(150)
        self.doc.add_paragraph(title, style="Title")
        self.doc.add_paragraph(subtitle, style="Subtitle")
        for index, line in enumerate(lines):
            paragraph = self.doc.add_paragraph(line)
            if index == 0:
                paragraph.paragraph_format.space_before = Pt(48)

    def heading(self, text: str, level: int = 1, *, new_page: bool = False) -> None:
        paragraph = self.doc.add_heading(text, level)
        if new_page:
            paragraph.paragraph_format.page_break_before = True
            self.page += 1
        self.checks.append((self.page, text))

    def paragraph(self, text: str) -> None:
        self.doc.add_paragraph(text)

    def items(self, items: Sequence[tuple[int, str]], num_id: int, styles: Sequence[str], *,
              page_break_before: int | None = None, column_break_before: int | None = None,
              bold_names: Sequence[str] = ()) -> tuple[int, ...]:
        """List paragraphs (level from 1, text); returns the pages the list is on.

        `page_break_before` / `column_break_before`: index of the item the page or column
        breaks before (paragraph "page break before", or a column break opening the item).
        `bold_names`: run-in names set in bold at the start of their item.
        """
        pages = []
        for index, (level, text) in enumerate(items):
            paragraph = self.doc.add_paragraph(style=styles[level - 1])
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = level - 1
            num_pr.get_or_add_numId().val = num_id
            if index == page_break_before:
                paragraph.paragraph_format.page_break_before = True
                self.page += 1
            if index == column_break_before:
                paragraph.add_run().add_break(WD_BREAK.COLUMN)
            name = next((n for n in bold_names if text.startswith(n)), "")
            if name:
                paragraph.add_run(name).bold = True
            paragraph.add_run(text[len(name):])
            pages.append(self.page)
            self.checks.append((self.page, text))
        return tuple(sorted(set(pages)))

    def page_break(self) -> None:
        """A paragraph holding nothing but a page break, as Ctrl+Enter leaves it."""
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        self.page += 1

    def table(self, rows: Sequence[Sequence[str]], widths_cm: Sequence[float], *, caption: str = "",
              size: float = 9.5) -> None:
        if caption:
            self.doc.add_paragraph(caption, style="Caption")
        table = self.doc.add_table(rows=len(rows), cols=len(widths_cm))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        for index, width in enumerate(widths_cm):
            table.columns[index].width = Cm(width)
        for r, row in enumerate(rows):
            tr = table.rows[r]
            if r == 0:
                tr._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
            for c, text in enumerate(row):
                cell = tr.cells[c]
                cell.width = Cm(widths_cm[c])
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.space_after = Pt(2)
                paragraph.paragraph_format.line_spacing = 1.0
                run = paragraph.add_run(text)
                run.font.size = Pt(size)
                if r == 0:
                    run.bold = True
                    cell._tc.get_or_add_tcPr().append(parse_xml(
                        f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="D9E2F3"/>'
                    ))
        for row in rows:  # a narrow cell wraps its name, so only the first word is sure to be whole
            self.checks.append((self.page, row[0].split()[0]))
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)

    def toc(self, heading: str, entries: Sequence[tuple[int, str, int]]) -> None:
        """A Word table of contents: a TOC field with its result, in a content control."""
        title = self.doc.add_paragraph(heading, style="TOC Heading")
        title.paragraph_format.page_break_before = True
        self.page += 1
        self.checks.append((self.page, heading))
        body = self.doc.element.body
        sdt = parse_xml(
            f'<w:sdt {nsdecls("w")}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
            f'<w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent/></w:sdt>'
        )
        content = sdt.find(wqn("w:sdtContent"))
        for index, (level, text, page) in enumerate(entries):
            field_start = (
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            ) if index == 0 else ""
            content.append(parse_xml(
                f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="TOC{level}"/></w:pPr>{field_start}'
                f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r><w:r><w:tab/></w:r>'
                f'<w:r><w:t>{page}</w:t></w:r></w:p>'
            ))
        content.append(parse_xml(
            f'<w:p {nsdecls("w")}><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        ))
        body.insert(len(body) - 1, sdt)  # before the body's closing w:sectPr

    def columns(self, count: int) -> None:
        """Continue in a new section of `count` columns (a continuous section break)."""
        section = self.doc.add_section(WD_SECTION.CONTINUOUS)
        section.different_first_page_header_footer = False
        cols = section._sectPr.find(wqn("w:cols"))
        if cols is None:
            cols = parse_xml(f'<w:cols {nsdecls("w")}/>')
            section._sectPr.append(cols)
        cols.set(wqn("w:num"), str(count))
        cols.set(wqn("w:space"), "567")

    def end_columns(self) -> None:
        """Back to one column on a new page (a next-page section break)."""
        self.columns(1)
        section = self.doc.sections[-1]
        section.start_type = WD_SECTION.NEW_PAGE
        self.page += 1

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return _stable_zip(buffer.getvalue())


def _plain_font(style) -> None:
    """Arial, with the template's theme fonts (which would win over it) removed."""
    style.font.name = FONT
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(wqn(f"w:{attr}"), None)
    rfonts.set(wqn("w:cs"), FONT)


def _bullets(word: Word, glyph: str = SYMBOL_BULLET) -> int:
    font = "Symbol" if glyph == SYMBOL_BULLET else FONT
    return word.numbering(("bullet", glyph, font))


def _decimal(word: Word) -> int:
    return word.numbering(("decimal", "%1.", None))


# =======================================================================================
# PPTX
# =======================================================================================
SLIDE_WIDTH = Emu(12192000)
SLIDE_HEIGHT = Emu(6858000)
_TEMPLATE_WIDTH = 9144000  # python-pptx's default template is 4:3


class Deck:
    """A 16:9 python-pptx deck: title slide, Title and Content slides, table slides."""

    def __init__(self, *, title: str, author: str, language: str, footer: str, created: datetime) -> None:
        self.prs = Presentation()
        self._footer = footer
        self._widen()
        core = self.prs.core_properties
        core.title, core.author, core.last_modified_by = title, author, author
        core.subject = core.keywords = core.comments = core.category = ""
        core.revision = 2
        core.created = core.modified = core.last_printed = created
        core.language = language

    @property
    def page(self) -> int:
        return len(self.prs.slides)

    def _widen(self) -> None:
        """16:9, the template's master and layout placeholders stretched to the new width."""
        self.prs.slide_width, self.prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
        scale = SLIDE_WIDTH / _TEMPLATE_WIDTH
        master = self.prs.slide_master
        for layout_or_master in (master, *master.slide_layouts):
            for shape in layout_or_master.placeholders:
                if shape._element.xfrm is not None:
                    shape.left, shape.width = Emu(round(shape.left * scale)), Emu(round(shape.width * scale))

    def title_slide(self, title: str, subtitle: str) -> int:
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[0])
        slide.shapes.title.text = title
        slide.placeholders[1].text_frame.text = subtitle
        return self.page

    def bullet_slide(self, title: str, items: Sequence[tuple[int, str]], *, glyphs: dict[int, str] | None = None,
                     size: int = 20, lead: str = "") -> int:
        """Title and Content; the master's bullets unless `glyphs` gives one for a level."""
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[1])
        slide.shapes.title.text = title
        frame = slide.placeholders[1].text_frame
        first = True
        if lead:
            paragraph = frame.paragraphs[0]
            _no_bullet(paragraph)
            run = paragraph.add_run()
            run.text = lead
            run.font.size = PptxPt(size)
            first = False
        for level, text in items:
            paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
            first = False
            paragraph.level = level - 1
            glyph = (glyphs or {}).get(level)
            if glyph:
                _set_bullet(paragraph, glyph, margin=Inches(0.35 * level))
            run = paragraph.add_run()
            run.text = text
            run.font.size = PptxPt(size if level == 1 else size - 4)
        self._add_footer(slide)
        return self.page

    def table_slide(self, title: str, rows: Sequence[Sequence[str]], widths_in: Sequence[float], *,
                    size: int = 14, note: str = "") -> int:
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[5])
        slide.shapes.title.text = title
        top = Inches(1.55)
        height = Inches(0.4) * len(rows)
        shape = slide.shapes.add_table(len(rows), len(widths_in), Inches(0.7), top,
                                       Inches(sum(widths_in)), height)
        table = shape.table
        for index, width in enumerate(widths_in):
            table.columns[index].width = Inches(width)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                cell = table.cell(r, c)
                cell.text = text
                for paragraph in cell.text_frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = PptxPt(size)
                        run.font.bold = r == 0 or (c == 0 and r > 0)
        if note:
            box = slide.shapes.add_textbox(Inches(0.7), Inches(6.25), Inches(11), Inches(0.4))
            box.text_frame.text = note
            box.text_frame.paragraphs[0].runs[0].font.size = PptxPt(11)
            box.text_frame.paragraphs[0].runs[0].font.italic = True
        self._add_footer(slide)
        return self.page

    def _add_footer(self, slide) -> None:
        """A small running footer: the deck's name on the left, the slide number on the right."""
        left = slide.shapes.add_textbox(Inches(0.5), Inches(7.0), Inches(8), Inches(0.35))
        left.text_frame.text = self._footer
        left.text_frame.paragraphs[0].runs[0].font.size = PptxPt(10)
        left.text_frame.paragraphs[0].runs[0].font.color.rgb = PptxRGB(0x70, 0x70, 0x70)
        right = slide.shapes.add_textbox(Inches(12.0), Inches(7.0), Inches(0.8), Inches(0.35))
        paragraph = right.text_frame.paragraphs[0]
        fld = etree.SubElement(paragraph._p, aqn("a:fld"))
        fld.set("id", "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}")
        fld.set("type", "slidenum")
        rpr = etree.SubElement(fld, aqn("a:rPr"))
        rpr.set("lang", "en-GB")
        rpr.set("sz", "1000")
        etree.SubElement(fld, aqn("a:t")).text = str(self.page)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.prs.save(buffer)
        return _stable_zip(buffer.getvalue())


def _set_bullet(paragraph, char: str, *, margin: int) -> None:
    """An explicit bullet on the paragraph (a:buFont + a:buChar), hanging 0.3 in."""
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.set("marL", str(int(margin)))
    p_pr.set("indent", str(-int(Inches(0.3))))
    for tag in ("a:buFont", "a:buChar", "a:buNone"):
        for old in p_pr.findall(aqn(tag)):
            p_pr.remove(old)
    etree.SubElement(p_pr, aqn("a:buFont")).set("typeface", "Arial")
    etree.SubElement(p_pr, aqn("a:buChar")).set("char", char)


def _no_bullet(paragraph) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.set("marL", "0")
    p_pr.set("indent", "0")
    etree.SubElement(p_pr, aqn("a:buNone"))


# =======================================================================================
# HTML
# =======================================================================================
def web_page(*, lang: str, title: str, site: str, url: str, nav: Sequence[str], breadcrumbs: Sequence[str],
             article: str, footer: str, saved: str) -> str:
    """A page as a browser saves it: site header and menu, breadcrumbs, article, footer, scripts."""
    menu = "\n".join(f'          <li><a href="#">{escape(item)}</a></li>' for item in nav)
    crumbs = " <span aria-hidden=\"true\">›</span> ".join(f'<a href="#">{escape(c)}</a>' for c in breadcrumbs)
    return f"""<!DOCTYPE html>
<!-- saved from url=({len(url):04d}){url} -->
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{escape(title)} | {escape(site)}</title>
  <meta name="description" content="{escape(title)}">
  <link rel="canonical" href="{url}">
  <style>
    body {{ font-family: Arial, sans-serif; margin: 0; color: #222; }}
    .site-header, .site-footer {{ background: #1f3a5f; color: #fff; padding: 1em 2em; }}
    .site-header a, .site-footer a {{ color: #fff; }}
    main {{ max-width: 46em; margin: 0 auto; padding: 1em 2em; }}
    table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #999; padding: .3em .6em; }}
    .toc {{ background: #f2f5f9; padding: .5em 1.5em; }}
  </style>
  <script type="application/ld+json">{{"@context": "https://schema.org", "@type": "WebPage", "name": {json.dumps(title, ensure_ascii=False)}, "dateModified": "{saved}"}}</script>
  <script>
    window.dataLayer = window.dataLayer || [];
    function gtag(){{dataLayer.push(arguments);}}
    gtag('js', new Date('{saved}'));
    gtag('config', 'G-XXXXXXX', {{ anonymize_ip: true }});
  </script>
</head>
<body>
  <a class="skip-link" href="#content">{"Till innehållet" if lang == "sv" else "Skip to content"}</a>
  <header class="site-header">
    <div class="logo"><a href="#">{escape(site)}</a></div>
    <nav aria-label="{"Huvudmeny" if lang == "sv" else "Main menu"}">
      <ul class="menu">
{menu}
      </ul>
    </nav>
    <form class="search" role="search"><input type="search" name="q" placeholder="{"Sök" if lang == "sv" else "Search"}"><button>{"Sök" if lang == "sv" else "Search"}</button></form>
  </header>
  <nav class="breadcrumbs" aria-label="{"Du är här" if lang == "sv" else "You are here"}">{crumbs}</nav>
  <main id="content">
    <article>
{article}
    </article>
  </main>
  <footer class="site-footer">
{footer}
  </footer>
  <div id="cookie-banner" style="display:none">{"Vi använder kakor för att förbättra webbplatsen." if lang == "sv" else "We use cookies to improve this website."} <button>OK</button></div>
  <script src="/static/js/site.min.js" defer></script>
</body>
</html>
"""


def _ul(items: Sequence[str], indent: int = 6, tag: str = "ul") -> str:
    """A list of (already escaped) items, indented as the page around it."""
    pad = " " * indent
    lines = [f"{pad}<{tag}>"] + [f"{pad}  <li>{item}</li>" for item in items] + [f"{pad}</{tag}>"]
    return "\n".join(lines)


# =======================================================================================
# Packaging, PDF export and checks
# =======================================================================================
def _stable_zip(data: bytes) -> bytes:
    """Rewrite an OOXML package with fixed entry dates so reruns give identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info))
    return out.getvalue()


def _export_pdfs(sources: dict[str, bytes], outdir: Path) -> dict[str, Path] | None:
    """LibreOffice PDFs of DOCX files (name -> bytes); None when soffice is absent."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    inputs = []
    for name, data in sources.items():
        path = outdir / f"{name}.docx"
        path.write_bytes(data)
        inputs.append(str(path))
    # A private profile, so a LibreOffice already running can't swallow the conversion; UTC,
    # so the creation date has one length.
    profile = (outdir / "profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
               "--outdir", str(outdir), *inputs]
    subprocess.run(command, check=True, capture_output=True, timeout=600, env={**os.environ, "TZ": "UTC"})
    produced = {}
    for name, data in sources.items():
        pdf = outdir / f"{name}.pdf"
        if not pdf.exists():
            raise SystemExit(f"LibreOffice did not write {pdf.name}")
        pdf.write_bytes(_fixed_pdf_metadata(pdf.read_bytes(), data))
        produced[name] = pdf
    return produced


_CREATION_RE = re.compile(rb"/CreationDate\(D:(\d{14})")
_ID_RE = re.compile(rb"/ID \[\s*<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})>\s*\]")
_CHECKSUM_RE = re.compile(rb"/DocChecksum /([0-9A-Fa-f]{32})")


def _fixed_pdf_metadata(pdf: bytes, source: bytes) -> bytes:
    """Same-length replacements (the xref offsets stay right): a fixed date; the ID and checksum
    from the source's hash."""
    pdf, dates = _CREATION_RE.subn(b"/CreationDate(D:" + PDF_DATE.encode(), pdf)
    digest = hashlib.md5(source).hexdigest().upper().encode()
    pdf, ids = _ID_RE.subn(lambda m: m.group(0).replace(m.group(1), digest).replace(m.group(2), digest), pdf)
    pdf = _CHECKSUM_RE.sub(b"/DocChecksum /" + digest, pdf)
    if dates != 1 or ids != 1:
        raise SystemExit(f"unexpected PDF metadata: {dates} creation dates, {ids} IDs")
    return pdf


def _pdf_page_count(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def _check_pages(pdf_path: Path, checks: Sequence[tuple[int, str]], label: str) -> None:
    """Every (page, text) planned shows on that page of the PDF (its first words, at least)."""
    with pdfplumber.open(pdf_path) as pdf:
        pages = [" ".join((page.extract_text() or "").split()) for page in pdf.pages]
    wrong = []
    for page, text in checks:
        probe = " ".join(text.split()[:2])
        if page > len(pages) or probe not in pages[page - 1]:
            found = [i + 1 for i, t in enumerate(pages) if probe in t]
            wrong.append(f"  {text[:50]!r}: planned page {page}, found on {found}")
    if wrong:
        raise SystemExit(f"{label}: LibreOffice laid out pages otherwise than planned:\n" + "\n".join(wrong))


def _check_region(fixture: Fixture) -> None:
    with GAZETTEER.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    row = next((r for r in rows if r["code"] == fixture.nuts_code), None)
    if row is None or (row["name"], row["country"]) != (fixture.region, fixture.country):
        raise SystemExit(f"{fixture.filename}: region {fixture.region} {fixture.nuts_code} not in the gazetteer")


def _write_truth(fixture: Fixture) -> None:
    _check_region(fixture)
    unknown = set(fixture.layouts) - set(LAYOUTS)
    if unknown:
        raise SystemExit(f"{fixture.filename}: unknown layouts {sorted(unknown)}")
    size = fixture.path.stat().st_size
    if size > MAX_BYTES:
        raise SystemExit(f"{fixture.filename}: {size} bytes, more than {MAX_BYTES}")
    path = TRUTH / f"{fixture.filename}.json"
    path.write_text(json.dumps(fixture.truth(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    logger.info("wrote %s", path.relative_to(ROOT))


# =======================================================================================
# The documents
# =======================================================================================
@dataclass
class Built:
    fixture: Fixture
    data: bytes  # the file; for a PDF, the DOCX that LibreOffice exports


def _run_in_names(priorities: Sequence[Priority]) -> list[str]:
    return [p.name for p in priorities if p.tail]


def halland() -> Built:
    """Swedish PDF: two-column page, Symbol bullets broken by a column break, wrapping names."""
    title = "Regional innovationsstrategi för smart specialisering"
    running = f"{title} – Region Halland 2021–2027"
    w = Word(language="sv-SE", title=running, author="Region Halland", header=running,
             created=datetime(2021, 6, 16, 9, 30))
    w.cover(title, "Region Halland 2021–2027", "Antagen av regionfullmäktige den 16 juni 2021",
            "Diarienummer RS200345")
    chapters = ("1 Sammanfattning", "2 Hallands utgångsläge", "3 Vision och mål",
                "4 Aktörer i innovationssystemet", "5 Styrkeområden", "6 Genomförande och uppföljning")
    w.toc("Innehåll", [(1, text, page) for text, page in zip(chapters, (3, 3, 4, 4, 5, 6))])

    priorities = (
        Priority("Hälsoinnovation och life science", aliases=("Hälsa och life science",)),
        Priority("Hållbar energi och miljöteknik för en fossilfri ekonomi"),
        Priority("Smart och hållbar livsmedelsproduktion"),
        Priority("Besöksnäring samt kulturella och kreativa näringar"),
        Priority("Avancerad tillverkning och digitalisering av industrin"),
    )
    summary = ("Hälsa och life science", "Energi och miljö", "Livsmedel", "Besöksnäring och kultur",
               "Industriell digitalisering")
    goals = (
        "Investeringarna i forskning och utveckling ska öka till minst två procent av regionens BRP",
        "Fler små och medelstora företag ska samverka med högskolan och forskningsinstitut",
        "Andelen innovativa företag ska öka inom samtliga styrkeområden",
        "Halländska aktörer ska delta i fler EU-finansierade forsknings- och innovationsprojekt",
    )
    actors = ("Region Halland", "Högskolan i Halmstad", "Science Park Halmstad", "Almi Företagspartner Halland",
              "Hallands kommuner", "Företagarorganisationer och branschföreningar")
    actions = (
        "Innovationsstöd till små och medelstora företag",
        "Testbäddar och demonstrationsmiljöer inom styrkeområdena",
        "Kompetensförsörjning genom samverkan med högskolan",
        "Internationalisering och deltagande i europeiska partnerskap",
    )

    w.heading(chapters[0], new_page=True)
    w.paragraph(
        "Den regionala innovationsstrategin för smart specialisering anger riktningen för Hallands arbete "
        "med forskning och innovation under programperioden 2021–2027. Strategin har tagits fram i bred "
        "samverkan mellan Region Halland, de halländska kommunerna, Högskolan i Halmstad, näringslivet och "
        "civilsamhället. Den är också ett nödvändigt villkor för stöd ur Europeiska regionala utvecklingsfonden."
    )
    w.paragraph("Strategin bygger på fem styrkeområden där Halland har särskilda förutsättningar att "
                "konkurrera internationellt:")
    summary_pages = w.items([(1, s) for s in summary], _bullets(w), ["List Bullet"])
    w.paragraph("Styrkeområdena beskrivs närmare i kapitel 5. Strategin följs upp årligen och revideras "
                "vid behov under perioden.")
    w.heading(chapters[1])
    w.paragraph(
        "Halland är ett av Sveriges snabbast växande län, med drygt 335 000 invånare och ett läge mellan "
        "Västra Götaland och Skåne. Näringslivet domineras av små och medelstora företag inom tillverkning, "
        "livsmedel, handel och besöksnäring, och pendlingen till grannregionerna är omfattande."
    )
    w.paragraph(
        "Samtidigt är investeringarna i forskning och utveckling lägre än i riket som helhet, och få företag "
        "samverkar med akademin. Strategin ska stärka regionens förmåga att omsätta kunskap i nya produkter, "
        "tjänster och arbetssätt och bidra till den gröna och digitala omställningen."
    )

    w.heading(chapters[2], new_page=True)
    w.paragraph(
        "Visionen är att Halland år 2030 ska vara en internationellt konkurrenskraftig region där samverkan "
        "mellan näringsliv, akademi och offentlig sektor driver hållbar tillväxt. För strategiperioden gäller "
        "följande mål:"
    )
    goal_pages = w.items([(1, g) for g in goals], _bullets(w, "–"), ["List Bullet"])
    w.heading(chapters[3])
    w.paragraph("Strategin genomförs gemensamt av aktörerna i det regionala innovationssystemet. "
                "Till de viktigaste hör:")
    actor_pages = w.items([(1, a) for a in actors], _bullets(w, "▪"), ["List Bullet"])
    w.paragraph("Därtill kommer statliga aktörer som Vinnova, Tillväxtverket och RISE, som bidrar med "
                "finansiering och kompetens i enskilda projekt.")

    w.heading(chapters[4], new_page=True)
    w.paragraph(
        "I dialog med näringsliv, akademi och kommuner har fem styrkeområden valts ut. Här finns en kritisk "
        "massa av företag och kompetens, och här bedöms potentialen för tillväxt och internationell "
        "konkurrenskraft vara störst. Styrkeområdena är inte avgränsade branscher utan tematiska områden där "
        "insatser för forskning och innovation samlas."
    )
    w.columns(2)
    w.paragraph(
        "Urvalet bygger på en analys av regionens specialisering i sysselsättning, patent och forskningsmedel "
        "samt på entreprenöriella upptäcktsprocesser med drygt 200 deltagare under 2019 och 2020. Analysen "
        "visar att Halland har en tydlig specialisering inom livsmedel, energi och tillverkning, och att "
        "hälso- och sjukvården är en viktig testmiljö för nya lösningar."
    )
    w.paragraph("De halländska styrkeområdena är:")
    priority_pages = w.items([(1, p.printed) for p in priorities], _bullets(w), ["List Bullet"],
                             column_break_before=3)
    w.paragraph(
        "Inom varje styrkeområde ska insatserna bidra till den gröna och digitala omställningen. "
        "Hälsoinnovation bygger bland annat på Hallands sjukhus och högskolans forskning inom "
        "informationsdriven vård, medan energiområdet har sin bas i regionens kärnkraft, vindkraft och "
        "fjärrvärme."
    )
    w.paragraph(
        "Styrkeområdena ses över vid halvtidsutvärderingen 2024, då nya områden kan tillkomma om analysen "
        "visar att förutsättningarna har förändrats."
    )
    w.end_columns()
    w.heading(chapters[5])
    w.paragraph(
        "Region Halland har det samlade ansvaret för strategins genomförande. En styrgrupp med representanter "
        "för kommunerna, högskolan och näringslivet följer arbetet och beslutar om revideringar. Prioriterade "
        "insatser under perioden är:"
    )
    action_pages = w.items([(1, a) for a in actions], _decimal(w), ["List Number"])
    w.paragraph(
        "Strategin följs upp årligen med indikatorer för forskning och utveckling, samverkan och företagens "
        "innovationsförmåga. En halvtidsutvärdering genomförs 2024 och en slututvärdering 2027."
    )

    fixture = Fixture(
        filename="halland-innovationsstrategi-2021-2027.pdf", language="sv", region="Halland", country="SE",
        nuts_code="SE231", priority_heading=chapters[4], priority_pages=priority_pages, priorities=priorities,
        traps=[
            Trap("Innehåll", tuple(c.split(" ", 1)[1] for c in chapters),
                 "trap: table of contents (dot leaders and page numbers; section numbers dropped here)", (2,)),
            Trap(chapters[0], summary, "trap: summary repeating the styrkeområden in shorter words", summary_pages),
            Trap(chapters[2], goals, "trap: goals (mål), '–' bullets", goal_pages),
            Trap(chapters[3], actors, "trap: actors (aktörer), '▪' bullets", actor_pages),
            Trap(chapters[5], actions, "trap: actions ('Prioriterade insatser'), numbered 1.-4.", action_pages),
        ],
        layouts=("bullets", "two_column", "list_break", "wrapped_names", "headers_footers"),
        notes=(
            "Word document exported by LibreOffice. Title page, then a running header with the strategy title "
            "and a page number in the footer. The five styrkeområden are bullets of Word's default bullet "
            "definition (Symbol font, U+F0B7) on a two-column page (p.5, a continuous section break after the "
            "single-column intro); a column break opens the fourth item, so items 1-3 end column 1 and items "
            "4-5 open column 2. The longer names wrap over two lines in the narrow column. Traps: table of "
            "contents, a summary list in other words, '–' goals, '▪' actors and a numbered list of "
            "'Prioriterade insatser'."
        ),
        checks=w.checks,
    )
    return Built(fixture, w.to_bytes())


def norrbotten() -> Built:
    """Swedish PDF: numbered "1." list with lettered "a)" sub-items, broken by a page break."""
    title = "Regional innovationsstrategi för smart specialisering"
    running = "Region Norrbotten – Innovationsstrategi för smart specialisering 2021–2027"
    w = Word(language="sv-SE", title=f"{title} – Norrbottens län 2021–2027", author="Region Norrbotten",
             header=running, created=datetime(2021, 11, 25, 14, 0))
    w.cover(title, "Norrbottens län 2021–2027", "Region Norrbotten",
            "Beslutad av regionstyrelsen den 25 november 2021")
    chapters = ("1 Sammanfattning", "2 Inledning", "3 Mål", "4 Prioriterade områden", "5 Insatser",
                "6 Aktörer och ansvar")
    w.toc("Innehåll", [(1, text, page) for text, page in zip(chapters, (3, 3, 4, 5, 7, 7))])

    priorities = (
        Priority("Grön industriell omställning inom stål, gruvor och mineraler", subs=(
            "Fossilfri stålproduktion", "Hållbar gruvdrift och mineralförsörjning", "Cirkulära materialflöden")),
        Priority("Test- och övningsverksamhet i arktiskt klimat", subs=(
            "Fordonstester i kall miljö", "Rymdbaserad test- och uppskjutningsverksamhet")),
        Priority("Energi- och miljöteknik", subs=("Vindkraft och vätgas", "Energieffektivt byggande i kallt klimat")),
        Priority("Digitala tjänster och datacenterverksamhet"),
        Priority("Kulturella och kreativa näringar samt hållbar besöksnäring"),
    )
    summary = ("Grön omställning av basindustrin", "Testverksamhet i kallt klimat", "Energi och miljö",
               "Digitalisering och datacenter", "Kultur och besöksnäring")
    goals = (
        "Norrbotten ska vara ledande i den gröna industriella omställningen",
        "Företagens investeringar i forskning och utveckling ska öka",
        "Fler kvinnor och unga ska starta och driva innovativa företag",
        "Samverkan mellan Luleå tekniska universitet och näringslivet ska fördjupas",
    )
    actions = (
        "Stöd till innovationsprojekt i små och medelstora företag",
        "Utveckling av test- och demonstrationsmiljöer",
        "Kompetensförsörjning i samverkan med Luleå tekniska universitet",
        "Internationellt samarbete inom Arktis och Barentsregionen",
    )
    actors = ("Region Norrbotten", "Luleå tekniska universitet", "Länsstyrelsen i Norrbottens län",
              "Norrbottens kommuner", "Almi Företagspartner Nord", "Industriföretag inom stål, gruvor och energi")

    w.heading(chapters[0], new_page=True)
    w.paragraph(
        "Norrbotten står inför en av de största industriella omställningarna i Europa. Fossilfri "
        "stålproduktion, nya batterifabriker och en växande rymdsektor ger regionen nya möjligheter men "
        "ställer också stora krav på kompetens, bostäder och infrastruktur."
    )
    w.paragraph("Strategin samlar regionens insatser för forskning och innovation kring fem områden:")
    summary_pages = w.items([(1, s) for s in summary], _bullets(w, "•"), ["List Bullet"])
    w.paragraph("Områdena och deras inriktning beskrivs i kapitel 4.")
    w.heading(chapters[1])
    w.paragraph(
        "Smart specialisering innebär att regionen prioriterar de områden där den har unika styrkor och "
        "störst potential. Strategin ersätter innovationsstrategin från 2013 och har tagits fram i dialog "
        "med kommuner, företag, Luleå tekniska universitet och civilsamhället under 2020 och 2021."
    )
    w.paragraph(
        "Strategin ska läsas tillsammans med den regionala utvecklingsstrategin Norrbotten 2030, som anger "
        "de övergripande målen för länets utveckling, och med det regionala programmet för Europeiska "
        "regionala utvecklingsfonden i Övre Norrland."
    )

    w.heading(chapters[2], new_page=True)
    w.paragraph("Till år 2027 ska strategin bidra till följande mål:")
    goal_pages = w.items([(1, g) for g in goals], _bullets(w, "–"), ["List Bullet"])
    w.paragraph(
        "Målen följs upp med indikatorer från Statistiska centralbyrån, Tillväxtanalys och regionens egen "
        "företagsundersökning. Uppföljningen redovisas årligen för regionala utvecklingsnämnden."
    )

    w.heading(chapters[3], new_page=True)
    w.paragraph(
        "De prioriterade områdena har valts ut utifrån en analys av regionens näringslivsstruktur, "
        "forskningsprofil och exportmönster och utifrån de entreprenöriella upptäcktsprocesser som "
        "genomfördes med företag och forskare under 2020. Områdena är inte branscher utan kombinationer "
        "av kunskap, teknik och tillämpningar där Norrbotten kan bli internationellt ledande."
    )
    w.paragraph(
        "Inom varje område anges ett antal delområden där insatserna i första hand ska göras. Delområdena "
        "kan förändras under perioden när nya möjligheter uppstår."
    )
    w.paragraph("Norrbottens prioriterade områden är:")
    num = w.numbering(("decimal", "%1.", None), ("lowerLetter", "%2)", None))
    items = [(level, text) for p in priorities for level, text in ((1, p.printed), *((2, s) for s in p.subs))]
    break_at = next(i for i, (_, text) in enumerate(items) if text == priorities[2].printed)
    priority_pages = w.items(items, num, ["List Number", "List Number 2"], page_break_before=break_at)
    w.paragraph(
        "Områdena hänger samman: den gröna omställningen i basindustrin kräver ny energiteknik och "
        "digitala lösningar, och testverksamheten bygger på samma kunskap om arktiska förhållanden som "
        "besöksnäringen. Samverkan mellan områdena uppmuntras särskilt."
    )

    w.heading(chapters[4], new_page=True)
    w.paragraph("För att genomföra strategin prioriteras följande insatser:")
    action_pages = w.items([(1, a) for a in actions], _decimal(w), ["List Number"])
    w.heading(chapters[5])
    w.paragraph("Region Norrbotten ansvarar för att samordna genomförandet. Centrala aktörer är:")
    actor_pages = w.items([(1, a) for a in actors], _bullets(w, "•"), ["List Bullet"])

    fixture = Fixture(
        filename="norrbotten-innovationsstrategi-2021-2027.pdf", language="sv", region="Norrbotten", country="SE",
        nuts_code="SE332", priority_heading=chapters[3], priority_pages=priority_pages, priorities=priorities,
        traps=[
            Trap("Innehåll", tuple(c.split(" ", 1)[1] for c in chapters),
                 "trap: table of contents (dot leaders and page numbers; section numbers dropped here)", (2,)),
            Trap(chapters[0], summary, "trap: summary repeating the areas in shorter words", summary_pages),
            Trap(chapters[2], goals, "trap: goals (mål)", goal_pages),
            Trap(chapters[4], actions, "trap: actions (insatser), numbered 1.-4. like the priorities",
                 action_pages),
            Trap(chapters[5], actors, "trap: actors (aktörer)", actor_pages),
        ],
        layouts=("numbered", "nested", "list_break", "headers_footers"),
        notes=(
            "Word document exported by LibreOffice, running header and page-number footer. The five "
            "prioriterade områden are a Word list numbered '1.'-'5.' with lettered sub-items 'a)', 'b)', 'c)' "
            "at the second level (restarting under each area). A page break (paragraph 'page break before') "
            "splits the list after area 2's sub-items: areas 1-2 on p.5, areas 3-5 on p.6. The actions list "
            "on p.7 uses the same '1.' numbering. Traps: table of contents, summary list, goals, actions, "
            "actors."
        ),
        checks=w.checks,
    )
    return Built(fixture, w.to_bytes())



def etela_pohjanmaa() -> Built:
    """English PDF: the domains in a table whose narrow name column wraps every name."""
    title = "Smart Specialisation Strategy for Etelä-Pohjanmaa 2021–2027"
    w = Word(language="en-GB", title=title, author="Regional Council of South Ostrobothnia", header=title,
             created=datetime(2021, 6, 14, 10, 0))
    w.cover("Smart Specialisation Strategy for Etelä-Pohjanmaa", "2021–2027",
            "Regional Council of South Ostrobothnia (Etelä-Pohjanmaan liitto)",
            "Approved by the Regional Board on 14 June 2021")
    chapters = ("1 Executive summary", "2 Regional context", "3 Objectives", "4 Specialisation domains",
                "5 Stakeholders and governance", "6 Actions 2021–2027")
    w.toc("Contents", [(1, text, page) for text, page in zip(chapters, (3, 3, 4, 5, 6, 6))])

    priorities = (
        Priority("Sustainable food system and food processing"),
        Priority("Bioeconomy and circular economy solutions", aliases=("Bioeconomy and the circular economy",)),
        Priority("Intelligent manufacturing and technology industry"),
        Priority("Digitalisation and data-driven services"),
        Priority("Entrepreneurship and the creative economy"),
    )
    descriptions = (
        (("Primary production, food processing and food safety: the largest food cluster in Finland, with "
         "strong links to agricultural and food research."), ("Food industry, farms, University of Helsinki "
         "Ruralia Institute, Seinäjoki UAS")),
        (("Sustainable use of forest and field biomass, biogas and industrial side streams, and new circular "
         "business models."), "Forest and energy companies, Seinäjoki UAS, Natural Resources Institute"),
        (("Automation, robotics and machine building for agriculture, forestry and construction; Industry "
         "4.0 solutions in SMEs."), "Machine builders, metal industry, University of Vaasa"),
        (("Digital platforms, data analytics and e-services that support the other domains, especially "
         "health and social care."), "ICT companies, Tampere University, municipalities"),
        ("A strong entrepreneurial culture, furniture and design, tourism and the creative industries.",
         "SMEs, furniture industry, design and tourism networks"),
    )
    summary = ("Food", "Bioeconomy and the circular economy", "Manufacturing", "Digitalisation", "Entrepreneurship")
    goals = (
        "Raise R&D expenditure to 2 per cent of regional GDP by 2027",
        "Double the number of companies taking part in joint research projects",
        "Increase the share of SMEs introducing product or process innovations",
        "Strengthen the region's participation in EU research and innovation programmes",
    )
    indicators = (
        ("R&D expenditure, % of regional GDP", "1.1", "2.0"),
        ("Companies in joint R&D projects", "120", "240"),
        ("SMEs with product or process innovations, %", "38", "50"),
        ("EU research and innovation funding, EUR million", "4.5", "10"),
    )
    stakeholders = (
        "Regional Council of South Ostrobothnia",
        "Seinäjoki University of Applied Sciences",
        "University Consortium of Seinäjoki",
        "Centre for Economic Development, Transport and the Environment (ELY Centre)",
        "Municipalities and regional development companies",
        "Companies and business associations",
    )
    actions = (
        "Joint research and development projects between companies and research organisations",
        "Piloting and test environments for the specialisation domains",
        "Support for the internationalisation of SMEs",
        "Skills for the green and digital transition",
    )

    w.heading(chapters[0], new_page=True)
    w.paragraph(
        "This strategy sets out how Etelä-Pohjanmaa (South Ostrobothnia) will focus its research and "
        "innovation investments in 2021–2027. It updates the strategy adopted in 2014 and builds on an "
        "entrepreneurial discovery process that involved more than 150 companies, education and research "
        "organisations and municipalities in 2019 and 2020."
    )
    w.paragraph("In brief, the region will concentrate on:")
    summary_pages = w.items([(1, s) for s in summary], _bullets(w, "•"), ["List Bullet"])
    w.paragraph("The specialisation domains are described in full in chapter 4.")
    w.heading(chapters[1])
    w.paragraph(
        "Etelä-Pohjanmaa has some 190 000 inhabitants and one of the highest densities of small "
        "enterprises in Finland. The region's economy rests on food production and processing, machine "
        "building, the furniture industry and a growing service sector, with Seinäjoki as its centre."
    )
    w.paragraph(
        "Public and private R&D expenditure remains below the national average, and the region has no "
        "university of its own: research is carried out by Seinäjoki University of Applied Sciences and "
        "the units of six universities in the University Consortium of Seinäjoki. Cooperation between "
        "these organisations and companies is therefore at the heart of the strategy."
    )

    w.heading(chapters[2], new_page=True)
    w.paragraph("By 2027 the strategy aims to:")
    goal_pages = w.items([(1, g) for g in goals], _bullets(w, "•"), ["List Bullet"])
    w.paragraph("Progress is followed with the indicators in Table 1.")
    w.table([("Indicator", "Baseline (2019)", "Target (2027)"), *indicators], (9.0, 3.5, 3.5),
            caption="Table 1. Indicators and targets")
    w.paragraph("The indicators are reported annually to the Regional Board together with the "
                "implementation plan.")

    w.heading(chapters[3], new_page=True)
    w.paragraph(
        "The specialisation domains were selected on the basis of the region's economic structure, its "
        "research strengths and the results of the entrepreneurial discovery process. Each domain combines "
        "industrial strength with expertise in the region's higher education institutions. Table 2 "
        "summarises the five domains."
    )
    rows = [("Specialisation domain", "Description", "Key actors and sectors")]
    rows += [(p.name, d, a) for p, (d, a) in zip(priorities, descriptions)]
    w.table(rows, (3.0, 8.4, 4.6), caption="Table 2. Specialisation domains of Etelä-Pohjanmaa")
    priority_pages = (w.page,)
    w.paragraph(
        "The domains are complemented by two horizontal themes, internationalisation and skills, which "
        "apply across all domains and are reflected in the actions in chapter 6."
    )

    w.heading(chapters[4], new_page=True)
    w.paragraph("The strategy is implemented in partnership. The main stakeholders are:")
    stakeholder_pages = w.items([(1, s) for s in stakeholders], _bullets(w, "•"), ["List Bullet"])
    w.paragraph(
        "The Regional Council coordinates the work and chairs the regional innovation group, which meets "
        "four times a year to review progress and prepare updates of the strategy."
    )
    w.heading(chapters[5])
    w.paragraph("The following actions will be funded from regional, national and EU sources:")
    action_pages = w.items([(1, a) for a in actions], _decimal(w), ["List Number"])

    fixture = Fixture(
        filename="etela-pohjanmaa-smart-specialisation-2021-2027.pdf", language="en", region="Etelä-Pohjanmaa",
        country="FI", nuts_code="FI194", priority_heading=chapters[3], priority_pages=priority_pages,
        priorities=priorities,
        traps=[
            Trap("Contents", tuple(c.split(" ", 1)[1] for c in chapters),
                 "trap: table of contents (dot leaders and page numbers; section numbers dropped here)", (2,)),
            Trap(chapters[0], summary, "trap: summary repeating the domains in shorter words", summary_pages),
            Trap(chapters[2], goals, "trap: objectives (goals), bullets", goal_pages),
            Trap("Table 1. Indicators and targets", tuple(i[0] for i in indicators),
                 "trap: goals again, as an indicator table with a name column", goal_pages),
            Trap(chapters[4], stakeholders, "trap: actors (stakeholders), bullets", stakeholder_pages),
            Trap(chapters[5], actions, "trap: actions, numbered 1.-4.", action_pages),
        ],
        layouts=("table", "wrapped_names", "headers_footers"),
        notes=(
            "Word document exported by LibreOffice, running header with the title and page-number footer. "
            "The five specialisation domains are the first column of a bordered three-column table (Table 2, "
            "p.5, header row 'Specialisation domain | Description | Key actors and sectors'); the name column "
            "is 3 cm wide, so every name wraps over two to four lines inside its cell. A second table (Table 1, "
            "p.4, indicators) has a name column too. Traps: table of contents, summary bullets, objectives, "
            "indicator table, stakeholders, numbered actions."
        ),
        checks=w.checks,
    )
    return Built(fixture, w.to_bytes())


def drenthe() -> Built:
    """English PDF: each focus area a numbered Heading 3 followed by a paragraph; the TOC lists them."""
    title = "Regional Innovation Strategy for Smart Specialisation"
    w = Word(language="en-GB", title=f"{title} – Province of Drenthe 2021–2027", author="Provincie Drenthe",
             header="RIS3 Province of Drenthe 2021–2027", created=datetime(2021, 7, 6, 11, 0))
    w.cover(title, "Province of Drenthe 2021–2027", "Provincie Drenthe, Assen",
            "Adopted by the Provincial Executive on 6 July 2021")
    priorities = (
        Priority("Energy transition and hydrogen"),
        Priority("Agrifood and sustainable agriculture"),
        Priority("Healthy ageing and care technology", aliases=("Healthy ageing and care technologies",)),
        Priority("Smart manufacturing and materials"),
        Priority("Leisure economy and tourism"),
    )
    texts = (
        ("Drenthe produces more renewable energy per inhabitant than any other Dutch province. Building on "
        "the hydrogen valley around Emmen and Hoogeveen, the province supports the production, storage and "
        "industrial use of green hydrogen, and the integration of solar and geothermal energy in local grids."),
        ("Arable farming, dairy and the potato and starch chain are important employers. Innovation focuses "
        "on precision farming, soil health, new protein crops and the reduction of nitrogen emissions, in "
        "cooperation with the agricultural colleges and the Wageningen research stations in the north."),
        ("An ageing population makes care close to home a priority. Companies, the Treant and Martini care "
        "groups and the universities of applied sciences develop and test technology for independent "
        "living, remote monitoring and prevention in living labs across the province."),
        ("The manufacturing base around Emmen, Coevorden and Assen is strong in plastics, fibres and metal. "
        "The province supports the transition to recycled and bio-based materials, robotics and digital "
        "production through the Emmtec industrial park and the Drenthe Innovation Hubs."),
        ("Holidays, recreation and the UNESCO Global Geopark De Hondsrug attract millions of visitors a year. "
        "Innovation in the leisure economy targets sustainable accommodation, digital visitor services and "
        "year-round offers that combine nature, heritage and culture."),
    )
    summary = ("Energy and hydrogen", "Agrifood", "Healthy ageing and care technologies", "Manufacturing",
               "Leisure economy")
    goals = (
        "Increase private R&D investment in Drenthe by 25 per cent by 2027",
        "Support 400 SMEs in innovation projects",
        "Create 1 500 jobs in the focus areas",
        "Reduce CO2 emissions of regional industry by 40 per cent compared with 2019",
    )
    themes = ("Digitalisation", "Circular economy", "Human capital and skills")
    stakeholders = (
        "Province of Drenthe",
        "Municipalities of Drenthe",
        "Samenwerkingsverband Noord-Nederland (SNN)",
        "Hanze University of Applied Sciences and Stenden University",
        "NOM, the Investment and Development Agency for the Northern Netherlands",
        "Companies, sector associations and citizens' initiatives",
    )
    actions = (
        "Innovation vouchers for SMEs",
        "Field labs and living labs in the focus areas",
        "A regional hydrogen programme",
        "Skills agreements between education and industry",
    )
    heading_pages = {"1 Executive summary": 3, "2 Regional context": 3, "3 Objectives": 4,
                     "4 Strategic choices": 5, "4.1 Focus areas": 5}
    area_headings = [f"4.1.{i} {p.name}" for i, p in enumerate(priorities, 1)]
    area_pages = (5, 5, 5, 6, 6)
    entries = [(1, h, p) for h, p in heading_pages.items() if h != "4.1 Focus areas"]
    entries.insert(4, (2, "4.1 Focus areas", 5))
    entries[5:5] = [(3, h, p) for h, p in zip(area_headings, area_pages)]
    entries += [(2, "4.2 Cross-cutting themes", 6), (1, "5 Stakeholders", 7), (1, "6 Actions", 7)]
    w.toc("Contents", entries)

    w.heading("1 Executive summary", new_page=True)
    w.paragraph(
        "This Regional Innovation Strategy for Smart Specialisation (RIS3) sets out the choices of the "
        "Province of Drenthe for research and innovation in 2021–2027. It was prepared with companies, "
        "knowledge institutions, municipalities and civil society, and it is the basis for the province's "
        "contribution to the ERDF programme for the north of the Netherlands."
    )
    w.paragraph("Drenthe concentrates its innovation support on five areas:")
    summary_pages = w.items([(1, s) for s in summary], _bullets(w), ["List Bullet"])
    w.heading("2 Regional context")
    w.paragraph(
        "Drenthe is a rural province of 493 000 inhabitants in the north-east of the Netherlands, part of "
        "the Northern Netherlands together with Groningen and Friesland. Its economy is dominated by SMEs "
        "in agriculture, manufacturing, care and tourism; R&D intensity is among the lowest in the country."
    )
    w.paragraph(
        "At the same time Drenthe has a strong tradition of cooperation between government, companies and "
        "education, and a high share of renewable energy. The strategy builds on these strengths."
    )

    w.heading("3 Objectives", new_page=True)
    w.paragraph("The strategy contributes to the following objectives:")
    goal_pages = w.items([(1, g) for g in goals], _bullets(w, "–"), ["List Bullet"])
    w.paragraph("The objectives are monitored annually with data from Statistics Netherlands (CBS) and the "
                "province's own SME survey.")

    w.heading("4 Strategic choices", new_page=True)
    w.paragraph(
        "The choices below follow from an analysis of Drenthe's economic specialisation and an "
        "entrepreneurial discovery process with more than 300 participants. They determine where the "
        "province invests in research, development and innovation."
    )
    w.heading("4.1 Focus areas", 2)
    w.paragraph("Drenthe has selected five focus areas in which it can make a difference at European level.")
    for index, (heading, text) in enumerate(zip(area_headings, texts)):
        w.heading(heading, 3, new_page=index == 3)
        w.paragraph(text)
    priority_pages = tuple(sorted(set(area_pages)))
    w.heading("4.2 Cross-cutting themes", 2)
    w.paragraph("Three themes cut across all focus areas:")
    theme_pages = w.items([(1, t) for t in themes], _bullets(w), ["List Bullet"])

    w.heading("5 Stakeholders", new_page=True)
    w.paragraph("The strategy is carried out by the quadruple helix partners in the region:")
    stakeholder_pages = w.items([(1, s) for s in stakeholders], _bullets(w), ["List Bullet"])
    w.heading("6 Actions")
    w.paragraph("Between 2021 and 2027 the province will fund the following actions:")
    action_pages = w.items([(1, a) for a in actions], _decimal(w), ["List Number"])
    w.paragraph("An evaluation in 2024 will decide whether the focus areas need to be adjusted.")

    fixture = Fixture(
        filename="drenthe-ris3-2021-2027.pdf", language="en", region="Drenthe", country="NL", nuts_code="NL13",
        priority_heading="4.1 Focus areas", priority_pages=priority_pages, priorities=priorities,
        traps=[
            Trap("Contents", tuple(text.split(" ", 1)[1] for _, text, _ in entries),
                 "trap: table of contents listing the focus areas themselves, with dot leaders and page "
                 "numbers (section numbers dropped here)", (2,)),
            Trap("1 Executive summary", summary, "trap: summary repeating the focus areas in shorter words",
                 summary_pages),
            Trap("3 Objectives", goals, "trap: objectives (goals), '–' bullets", goal_pages),
            Trap("4.2 Cross-cutting themes", themes, "trap: cross-cutting themes, not focus areas", theme_pages),
            Trap("5 Stakeholders", stakeholders, "trap: actors (stakeholders)", stakeholder_pages),
            Trap("6 Actions", actions, "trap: actions, numbered 1.-4.", action_pages),
        ],
        layouts=("sub_headings", "headers_footers"),
        notes=(
            "Word document exported by LibreOffice, running header and page-number footer. The five focus "
            "areas are numbered Heading 3 sub-headings '4.1.1'-'4.1.5' under '4.1 Focus areas', each followed "
            "by one paragraph; section numbers are dropped from the names here. A page break before 4.1.4 "
            "puts areas 1-3 on p.5 and 4-5 on p.6. The table of contents (p.2) lists all five names again "
            "with dot leaders and page numbers. Traps: table of contents, summary bullets, objectives, "
            "cross-cutting themes, stakeholders (one names the Northern Netherlands partnership), actions."
        ),
        checks=w.checks,
    )
    return Built(fixture, w.to_bytes())


def skane() -> Built:
    """Swedish DOCX: each specialisation area a Heading 3 and a paragraph; actors in a table."""
    title = "Skånes innovationsstrategi för smart specialisering 2021–2027"
    w = Word(language="sv-SE", title=title, author="Region Skåne", header=f"{title} | Region Skåne",
             created=datetime(2021, 4, 20, 8, 15))
    w.cover("Skånes innovationsstrategi för smart specialisering", "2021–2027",
            "Region Skåne", "Beslutad av regionala utvecklingsnämnden den 20 april 2021")
    priorities = (
        Priority("Smarta hållbara städer", aliases=("Smarta och hållbara städer",)),
        Priority("Personlig hälsa"),
        Priority("Smarta material"),
        Priority("Hållbara livsmedelssystem"),
        Priority("Digitalisering och tech"),
    )
    texts = (
        ("Skåne är en av Europas mest urbaniserade regioner utanför storstäderna. Området samlar forskning "
        "och företag inom hållbart samhällsbyggande, energi, mobilitet och vatten, med Malmö, Lund och "
        "Helsingborg som testmiljöer för nya lösningar."),
        ("Life science är Skånes största kunskapsintensiva näring. Inom personlig hälsa möts läkemedel, "
        "medicinteknik och digitala vårdtjänster, och Medicon Village, Lunds universitet och Skånes "
        "universitetssjukhus ger en unik miljö för kliniska studier och innovationsupphandling."),
        ("Med forskningsanläggningarna MAX IV och ESS har Skåne världsledande infrastruktur för "
        "materialforskning. Insatserna ska öka företagens användning av anläggningarna och stödja nya "
        "material för förpackningar, batterier och byggande."),
        ("Skåne står för nästan hälften av Sveriges livsmedelsproduktion. Området omfattar hela kedjan från "
        "primärproduktion och förädling till förpackningar och måltider, med Alnarp och Lund som nav för "
        "forskning om framtidens hållbara livsmedel."),
        ("Spelutveckling, mjukvara, AI och telekom har vuxit snabbt kring Ideon och Malmö. Digitalisering och "
        "tech är både ett eget område och en förutsättning för innovation inom de övriga fyra."),
    )
    summary = ("Smarta och hållbara städer", "Hälsa och life science", "Material", "Livsmedel", "Tech")
    goals = (
        "Skåne ska vara en av Europas mest innovativa regioner år 2030",
        "Företagens FoU-investeringar ska öka i hela Skåne",
        "Fler små och medelstora företag ska använda forskningsinfrastrukturen",
        "Skillnaderna i innovationsförmåga mellan kvinnor och män ska minska",
    )
    perspectives = ("Jämställdhet och mångfald", "Miljömässig hållbarhet", "Internationalisering")
    actors = (
        ("Aktör", "Roll"),
        ("Region Skåne", "Samordnar genomförandet och finansierar regionala insatser"),
        ("Lunds universitet", "Forskning, utbildning och samverkan med näringslivet"),
        ("Malmö universitet", "Forskning och utbildning med inriktning mot samhällsutveckling"),
        ("Sveriges lantbruksuniversitet, Alnarp", "Forskning inom livsmedel och landskap"),
        ("Innovation Skåne AB", "Affärsutveckling och innovationsstöd till företag och vården"),
        ("Skånes kommuner", "Testmiljöer, upphandling och lokalt näringslivsarbete"),
    )
    actions = (
        "Utlysningar för samverkansprojekt mellan företag och akademi",
        "Stöd till testbäddar och innovationsmiljöer",
        "Regionalt program för innovationsupphandling",
        "Deltagande i interregionala partnerskap inom EU",
    )
    h3_pages = (5, 5, 5, 6, 6)
    entries = [(1, "1 Sammanfattning", 3), (1, "2 Vision och mål", 4), (1, "3 Strategins inriktning", 5),
               (2, "3.1 Specialiseringsområden", 5)]
    entries += [(3, p.name, page) for p, page in zip(priorities, h3_pages)]
    entries += [(2, "3.2 Horisontella perspektiv", 6), (1, "4 Genomförande", 7), (2, "4.1 Aktörer", 7),
                (2, "4.2 Insatser", 7)]
    w.toc("Innehåll", entries)

    w.heading("1 Sammanfattning", new_page=True)
    w.paragraph(
        "Skånes innovationsstrategi för smart specialisering anger hur regionen ska prioritera sina "
        "resurser för forskning och innovation fram till 2027. Strategin bygger vidare på den strategi som "
        "antogs 2014 och har uppdaterats i dialog med universitet, företag, kommuner och civilsamhälle."
    )
    w.paragraph("Strategin pekar ut fem specialiseringsområden:")
    summary_pages = w.items([(1, s) for s in summary], _bullets(w), ["List Bullet"])
    w.paragraph(
        "Områdena beskrivs i kapitel 3. Strategin är också det villkor som EU ställer för stöd ur "
        "Europeiska regionala utvecklingsfonden till forskning och innovation i Skåne."
    )

    w.heading("2 Vision och mål", new_page=True)
    w.paragraph("Visionen är ett Skåne där kunskap omsätts i hållbar tillväxt. Till 2027 gäller dessa mål:")
    goal_pages = w.items([(1, g) for g in goals], _bullets(w, "–"), ["List Bullet"])

    w.heading("3 Strategins inriktning", new_page=True)
    w.paragraph(
        "Specialiseringsområdena har valts ut där Skåne har både vetenskaplig styrka och ett näringsliv "
        "som kan omsätta den. De är breda nog att rymma nya kombinationer och smala nog att göra skillnad."
    )
    w.heading("3.1 Specialiseringsområden", 2)
    for index, (priority, text) in enumerate(zip(priorities, texts)):
        w.heading(priority.name, 3, new_page=index == 3)
        w.paragraph(text)
    w.heading("3.2 Horisontella perspektiv", 2)
    w.paragraph("Alla insatser inom strategin ska ta hänsyn till tre horisontella perspektiv:")
    perspective_pages = w.items([(1, x) for x in perspectives], _bullets(w), ["List Bullet"])

    w.heading("4 Genomförande", new_page=True)
    w.heading("4.1 Aktörer", 2)
    w.paragraph("Strategin genomförs av många aktörer tillsammans. Tabellen visar de viktigaste.")
    w.table(actors, (5.5, 10.5))
    actor_pages = (w.page,)
    w.heading("4.2 Insatser", 2)
    w.paragraph("Under perioden prioriteras följande insatser:")
    action_pages = w.items([(1, a) for a in actions], _decimal(w), ["List Number"])

    fixture = Fixture(
        filename="skane-innovationsstrategi-2021-2027.docx", language="sv", region="Skåne", country="SE",
        nuts_code="SE224", priority_heading="3.1 Specialiseringsområden", priority_pages=tuple(sorted(set(h3_pages))),
        priorities=priorities,
        traps=[
            Trap("Innehåll", tuple(re.sub(r"^[\d.]+ ", "", text) for _, text, _ in entries),
                 "trap: table of contents (a Word TOC field) listing the five areas too, with page numbers "
                 "(section numbers dropped here)", (2,)),
            Trap("1 Sammanfattning", summary, "trap: summary repeating the areas in other words", summary_pages),
            Trap("2 Vision och mål", goals, "trap: goals (mål), '–' bullets", goal_pages),
            Trap("3.2 Horisontella perspektiv", perspectives, "trap: horizontal perspectives, not areas",
                 perspective_pages),
            Trap("4.1 Aktörer", tuple(row[0] for row in actors[1:]), "trap: actors (aktörer) in a table",
                 actor_pages),
            Trap("4.2 Insatser", actions, "trap: actions (insatser), numbered 1.-4.", action_pages),
        ],
        layouts=("sub_headings", "headers_footers"),
        notes=(
            "Word document with a title page, a Word table of contents (TOC field in a content control, "
            "'TOC 1'-'TOC 3' styles with dot leaders) and a running header and page-number footer. The five "
            "specialiseringsområden are unnumbered Heading 3 sub-headings under '3.1 Specialiseringsområden', "
            "each followed by one paragraph; a page break before the fourth splits them over pp.5-6. Pages "
            "are counted from the explicit breaks (Word's own rendering agrees). Traps: table of contents "
            "repeating the area names, summary bullets, goals, horizontal perspectives, an actors table and "
            "numbered actions."
        ),
        checks=w.checks,
    )
    return Built(fixture, w.to_bytes())


def helsinki_uusimaa() -> Built:
    """English DOCX: Symbol bullets, run-in "Name: description" items with nested sub-items."""
    title = "Helsinki-Uusimaa Smart Specialisation Strategy 2021–2027"
    w = Word(language="en-GB", title=title, author="Helsinki-Uusimaa Regional Council", header=title,
             created=datetime(2021, 3, 8, 13, 0))
    w.cover("Helsinki-Uusimaa Smart Specialisation Strategy", "2021–2027", "Helsinki-Uusimaa Regional Council",
            "Approved by the Regional Board on 8 March 2021")
    priorities = (
        Priority("Carbon-neutral and resource-wise solutions", subs=(
            "Smart energy systems", "Circular economy and material efficiency", "Sustainable built environment"),
            tail=": the region aims to halve its emissions by 2030 and to build markets for clean technology."),
        Priority("Health and wellbeing", aliases=("Health and well-being",), subs=(
            "Health technology and digital health", "Drug development and life sciences"),
            tail=": the region hosts Finland's largest concentration of health technology companies and "
                 "university hospitals."),
        Priority("Smart and sustainable cities", subs=("Smart mobility", "Urban data platforms"),
                 tail=": the growing urban region is a testbed for mobility, housing and public services."),
        Priority("Digital and creative industries",
                 tail=": games, software and design are the region's fastest-growing export sectors."),
    )
    summary = ("Carbon-neutral solutions", "Health and well-being", "Smart cities", "Digital and creative economy")
    goals = (
        "R&D expenditure of 4 per cent of regional GDP by 2030",
        "A carbon-neutral Helsinki-Uusimaa by 2035",
        "More international talent and investment in the region",
        "Stronger cooperation between universities, cities and companies",
    )
    stakeholders = (
        ("Stakeholder", "Role in the strategy"),
        ("Helsinki-Uusimaa Regional Council", "Coordinates the strategy and the ERDF programme"),
        ("University of Helsinki", "Research in health, life sciences and sustainability"),
        ("Aalto University", "Technology, design and business; innovation ecosystems"),
        ("VTT Technical Research Centre of Finland", "Applied research and pilot plants"),
        ("City of Helsinki, Espoo and Vantaa", "Testbeds, procurement and urban data"),
        ("Business Finland", "National innovation funding for companies"),
    )
    w.toc("Contents", [(1, "1 Executive summary", 3), (1, "2 The region", 3), (1, "3 Objectives", 4),
                       (1, "4 Focus areas", 5), (1, "5 Stakeholders and governance", 6)])

    w.heading("1 Executive summary", new_page=True)
    w.paragraph(
        "Helsinki-Uusimaa is the most research-intensive region in Finland. This strategy defines where the "
        "region concentrates its research and innovation efforts in 2021–2027 and how the public sector, "
        "universities and companies work together to achieve a sustainable, carbon-neutral economy."
    )
    w.paragraph("The strategy focuses on four themes:")
    summary_pages = w.items([(1, s) for s in summary], _bullets(w), ["List Bullet"])
    w.heading("2 The region")
    w.paragraph(
        "Helsinki-Uusimaa is home to 1.7 million people, a third of Finland's population, and produces "
        "almost 40 per cent of the country's GDP. More than half of Finland's R&D expenditure is spent "
        "here, and the region hosts eight universities and the main units of VTT."
    )
    w.paragraph(
        "The region's challenges are a shortage of skilled labour, the slow growth of SMEs and the need to "
        "cut emissions from transport and buildings quickly. Smart specialisation links these challenges "
        "to the region's strengths in research and technology."
    )

    w.heading("3 Objectives", new_page=True)
    w.paragraph("The strategy supports the objectives of the Uusimaa Programme 2022–2025:")
    goal_pages = w.items([(1, g) for g in goals], _bullets(w), ["List Bullet"])

    w.heading("4 Focus areas", new_page=True)
    w.paragraph(
        "The focus areas were chosen in a series of workshops with more than 400 participants from "
        "companies, universities, cities and civil society. Each area has sub-themes in which the region "
        "will seek national and EU funding. Helsinki-Uusimaa focuses on:"
    )
    num = w.numbering(("bullet", SYMBOL_BULLET, "Symbol"), ("bullet", "–", FONT))
    items = [(level, text) for p in priorities for level, text in ((1, p.printed), *((2, s) for s in p.subs))]
    priority_pages = w.items(items, num, ["List Bullet", "List Bullet 2"], bold_names=_run_in_names(priorities))
    w.paragraph(
        "The focus areas are reviewed every two years on the basis of the monitoring indicators and the "
        "results of the entrepreneurial discovery process."
    )

    w.heading("5 Stakeholders and governance", new_page=True)
    w.paragraph("The strategy is implemented together with the region's key stakeholders:")
    w.table(stakeholders, (6.0, 10.0))
    stakeholder_pages = (w.page,)
    w.paragraph(
        "A steering group chaired by the Regional Council meets twice a year. The strategy's indicators are "
        "published annually in the regional innovation scoreboard."
    )

    fixture = Fixture(
        filename="helsinki-uusimaa-smart-specialisation-2021-2027.docx", language="en", region="Helsinki-Uusimaa",
        country="FI", nuts_code="FI1B", priority_heading="4 Focus areas", priority_pages=priority_pages,
        priorities=priorities,
        traps=[
            Trap("Contents", ("Executive summary", "The region", "Objectives", "Focus areas",
                              "Stakeholders and governance"),
                 "trap: table of contents (section numbers and page numbers dropped here)", (2,)),
            Trap("1 Executive summary", summary, "trap: summary repeating the focus areas in other words",
                 summary_pages),
            Trap("3 Objectives", goals, "trap: objectives (goals)", goal_pages),
            Trap("5 Stakeholders and governance", tuple(row[0] for row in stakeholders[1:]),
                 "trap: actors (stakeholders) in a table", stakeholder_pages),
        ],
        layouts=("bullets", "run_in", "nested", "headers_footers"),
        notes=(
            "Word document, running header and page-number footer. The four focus areas are 'List Bullet' "
            "paragraphs of a two-level numbering definition whose first level is Symbol's private-use bullet "
            "U+F0B7 and whose second level ('List Bullet 2') is '–'. Each area is a run-in item, the name in "
            "bold followed by ': description' - only the name is the priority; the first three areas have "
            "sub-items. Traps: table of contents, summary, objectives and a stakeholders table."
        ),
        checks=w.checks,
    )
    return Built(fixture, w.to_bytes())


def vasterbotten() -> Built:
    """Swedish DOCX: lettered "a)" run-in items ("Namn – till exempel ..."), a page break in the list."""
    title = "Regional innovationsstrategi för smart specialisering i Västerbotten 2021–2027"
    w = Word(language="sv-SE", title=title, author="Region Västerbotten", header=None,
             created=datetime(2021, 9, 28, 10, 0), base_size=11)
    w.cover("Regional innovationsstrategi för smart specialisering", "Västerbotten 2021–2027",
            "Region Västerbotten", "Beslutad av regionfullmäktige den 28 september 2021")
    priorities = (
        Priority("Hälsa och life science", aliases=("Hälsa och livsvetenskap",),
                 tail=" – till exempel e-hälsa, vård på distans och medicinsk forskning vid Umeå universitet"),
        Priority("Hållbar energi och miljöteknik",
                 tail=" – till exempel bioenergi, vattenkraft och återvinning av batterimaterial"),
        Priority("Skogs- och träbaserad bioekonomi",
                 tail=" – till exempel träbyggande, bioraffinaderier och nya material från skogen"),
        Priority("Digitala tjänster", tail=" – till exempel spelutveckling, systemutveckling och AI"),
        Priority("Testverksamhet", tail=" – till exempel fordonstester på is och i kallt klimat"),
        Priority("Upplevelsenäring", tail=" – till exempel naturturism, kultur och evenemang"),
    )
    summary = ("Hälsa och livsvetenskap", "Energi och miljö", "Skog och trä", "Digitalisering", "Test",
               "Turism och upplevelser")
    goals = (
        "Västerbotten ska ha Sveriges mest innovativa landsbygd",
        "Fler företag ska samverka med Umeå universitet och Sveriges lantbruksuniversitet",
        "Andelen kvinnor som leder innovativa företag ska öka",
        "Forsknings- och innovationsmedlen från EU ska fördubblas",
    )
    actors = ("Region Västerbotten", "Umeå universitet", "Sveriges lantbruksuniversitet", "Uminova Innovation",
              "Skellefteå kommun och Umeå kommun", "Företag och branschorganisationer")
    chapters = ("1 Sammanfattning", "2 Bakgrund", "3 Mål", "4 Aktörer", "5 Prioriterade områden", "6 Uppföljning")
    w.toc("Innehåll", [(1, text, page) for text, page in zip(chapters, (3, 3, 4, 4, 5, 6))])

    w.heading(chapters[0], new_page=True)
    w.paragraph(
        "Västerbottens innovationsstrategi visar var regionen ska satsa på forskning och innovation fram "
        "till 2027. Den bygger på länets styrkor i forskning, industri och natur och på ett omfattande "
        "dialogarbete med kommuner, företag och lärosäten."
    )
    w.paragraph("Sammanfattningsvis satsar Västerbotten på:")
    summary_pages = w.items([(1, s) for s in summary], _bullets(w, "–"), ["List Bullet"])
    w.heading(chapters[1])
    w.paragraph(
        "Västerbotten har drygt 270 000 invånare och två starka tillväxtmotorer i Umeå och Skellefteå. "
        "Etableringen av en batterifabrik i Skellefteå har gett länet en av de största industriella "
        "satsningarna i Sveriges historia, samtidigt som inlandet behöver nya vägar till tillväxt."
    )

    w.heading(chapters[2], new_page=True)
    w.paragraph("Strategin ska bidra till följande mål fram till 2027:")
    goal_pages = w.items([(1, g) for g in goals], _bullets(w, "–"), ["List Bullet"])
    w.heading(chapters[3])
    w.paragraph("Genomförandet sker i samverkan mellan:")
    actor_pages = w.items([(1, a) for a in actors], _bullets(w, "▪"), ["List Bullet"])

    w.heading(chapters[4], new_page=True)
    w.paragraph(
        "Västerbottens prioriterade områden är de områden där länet har en kritisk massa av kunskap och "
        "företag och där potentialen för internationell konkurrenskraft är störst. Inom dessa områden ska "
        "regionens egna medel och EU-medel för forskning och innovation i första hand användas."
    )
    w.paragraph("De sex prioriterade områdena är:")
    num = w.numbering(("lowerLetter", "%1)", None))
    first = w.items([(1, p.printed) for p in priorities[:3]], num, ["List Number"])
    w.page_break()
    second = w.items([(1, p.printed) for p in priorities[3:]], num, ["List Number"])
    w.paragraph(
        "Områdena kompletterar varandra. Testverksamheten och upplevelsenäringen bygger båda på länets "
        "kalla klimat och natur, och digitala tjänster är en förutsättning för utvecklingen inom hälsa och "
        "energi."
    )
    w.heading(chapters[5])
    w.paragraph(
        "Strategin följs upp årligen av regionala utvecklingsnämnden. En extern utvärdering genomförs 2024 "
        "och ligger till grund för en eventuell revidering av de prioriterade områdena."
    )

    fixture = Fixture(
        filename="vasterbotten-innovationsstrategi-2021-2027.docx", language="sv", region="Västerbotten",
        country="SE", nuts_code="SE331", priority_heading=chapters[4],
        priority_pages=tuple(sorted(set(first + second))), priorities=priorities,
        traps=[
            Trap("Innehåll", tuple(c.split(" ", 1)[1] for c in chapters),
                 "trap: table of contents (section numbers and page numbers dropped here)", (2,)),
            Trap(chapters[0], summary, "trap: summary repeating the areas in shorter words, '–' bullets",
                 summary_pages),
            Trap(chapters[2], goals, "trap: goals (mål), '–' bullets", goal_pages),
            Trap(chapters[3], actors, "trap: actors (aktörer), '▪' bullets", actor_pages),
        ],
        layouts=("numbered", "run_in", "list_break"),
        notes=(
            "Word document without running headers. The six prioriterade områden are a lettered Word list "
            "('a)'-'f)', 'List Number' style with a lowerLetter numbering definition). Each item is run-in: "
            "'Name – till exempel ...'; only the name is the priority. After item c) an empty Normal paragraph "
            "holding only a page break (as Ctrl+Enter leaves it) interrupts the list; the lettering continues "
            "with d) on p.6. Traps: table of contents, summary, goals and actors."
        ),
        checks=w.checks,
    )
    return Built(fixture, w.to_bytes())


def vastra_gotaland() -> Built:
    """Swedish PPTX: master bullets with '–' sub-items, the list continued on a second slide."""
    deck = Deck(title="Smart specialisering i Västra Götaland 2021–2027", author="Västra Götalandsregionen",
                language="sv-SE", footer="Västra Götalandsregionen · Smart specialisering 2021–2027",
                created=datetime(2021, 3, 18, 9, 0))
    priorities = (
        Priority("Hållbara transporter och elektrifiering", subs=(
            "Batterier och laddinfrastruktur", "Autonoma och uppkopplade fordon")),
        Priority("Life science", subs=("Precisionsmedicin", "Medicinteknik och e-hälsa")),
        Priority("Cirkulär ekonomi och hållbar textil"),
        Priority("Marina och maritima näringar", subs=("Havsbaserad förnybar energi", "Sjöfart och hamnlogistik")),
        Priority("Smart industri och avancerad tillverkning"),
        Priority("Besöksnäring"),
    )
    contents = ("Sammanfattning", "Mål för 2027", "Prioriterade områden", "Aktörer", "Genomförande")
    summary = ("Fossilfria transporter", "Life science och hälsa", "Cirkulära textilier", "Havet som resurs",
               "Industri 4.0", "Turism")
    goals = (
        "Västra Götaland ska vara en ledande region i omställningen till en fossilfri ekonomi",
        "Fler företag ska samarbeta med universitet och forskningsinstitut",
        "Investeringarna i forskning och innovation ska öka till fyra procent av BRP",
    )
    actors = (
        ("Aktör", "Roll"),
        ("Västra Götalandsregionen", "Regionalt utvecklingsansvar, samordning"),
        ("Göteborgs universitet och Chalmers", "Forskning och utbildning"),
        ("Högskolan Väst, i Borås och i Skövde", "Tillämpad forskning med näringslivet"),
        ("RISE och Lindholmen Science Park", "Test, demonstration och samverkansarenor"),
        ("Business Region Göteborg", "Näringslivsutveckling och investeringsfrämjande"),
    )
    actions = (
        "Utlysningar inom de prioriterade områdena",
        "Stöd till regionala innovationsarenor och testbäddar",
        "Kompetensutveckling för omställning i industrin",
        "Samarbete med Interreg och Horisont Europa",
    )
    deck.title_slide("Smart specialisering i Västra Götaland 2021–2027",
                     "Fördjupning av den regionala utvecklingsstrategin\n"
                     "Västra Götalandsregionen, regionutvecklingsnämnden 18 mars 2021")
    contents_page = deck.bullet_slide("Innehåll", [(1, c) for c in contents])
    summary_page = deck.bullet_slide("Sammanfattning", [(1, s) for s in summary],
                                     lead="Strategin i korthet – sex områden:")
    goals_page = deck.bullet_slide("Mål för 2027", [(1, g) for g in goals], glyphs={1: "▪"})

    def items(ps: Sequence[Priority]) -> list[tuple[int, str]]:
        return [(level, text) for p in ps for level, text in ((1, p.printed), *((2, x) for x in p.subs))]

    first = deck.bullet_slide("Prioriterade områden", items(priorities[:3]), glyphs={2: "–"})
    second = deck.bullet_slide("Prioriterade områden (forts.)", items(priorities[3:]), glyphs={2: "–"})
    actors_page = deck.table_slide("Aktörer", actors, (4.6, 6.8))
    actions_page = deck.bullet_slide("Genomförande", [(1, a) for a in actions], glyphs={1: "▪"},
                                     lead="Insatser 2021–2023:")

    fixture = Fixture(
        filename="vastra-gotaland-smart-specialisering-2021-2027.pptx", language="sv", region="Västra Götaland",
        country="SE", nuts_code="SE232", priority_heading="Prioriterade områden", priority_pages=(first, second),
        priorities=priorities,
        traps=[
            Trap("Innehåll", contents, "trap: table of contents (agenda slide)", (contents_page,)),
            Trap("Sammanfattning", summary, "trap: summary repeating the areas in other words", (summary_page,)),
            Trap("Mål för 2027", goals, "trap: goals (mål), '▪' bullets", (goals_page,)),
            Trap("Aktörer", tuple(row[0] for row in actors[1:]), "trap: actors (aktörer) in a table",
                 (actors_page,)),
            Trap("Genomförande", actions, "trap: actions (insatser), '▪' bullets", (actions_page,)),
        ],
        layouts=("bullets", "nested", "list_break"),
        notes=(
            "16:9 deck, Title and Content slides. The six prioriterade områden are body-placeholder "
            "paragraphs at level 1 whose '•' bullet comes from the slide master (not set on the paragraph), "
            "with sub-items at level 2 given an explicit '–' bullet. The list runs over two slides: areas 1-3 "
            "on slide 5 ('Prioriterade områden'), areas 4-6 on slide 6 ('Prioriterade områden (forts.)'). A "
            "small running footer (deck name, slide number field) sits on every slide but the first. Traps: "
            "agenda, summary (with an unbulleted lead line), '▪' goals, an actors table and '▪' actions."
        ),
    )
    return Built(fixture, deck.to_bytes())


def estonia() -> Built:
    """English PPTX: the growth areas in a table (name column + focus + examples)."""
    deck = Deck(title="Estonian Smart Specialisation Strategy 2021–2027",
                author="Ministry of Economic Affairs and Communications", language="en-GB",
                footer="Estonian Smart Specialisation Strategy 2021–2027", created=datetime(2021, 5, 27, 10, 0))
    priorities = (
        Priority("Digital solutions across society"),
        Priority("Health technologies and services"),
        Priority("Valorisation of local resources"),
        Priority("Smart and sustainable energy solutions"),
        Priority("Creative and inclusive society"),
    )
    details = (
        ("ICT in industry, cyber security, e-government and the data economy", ("Tallinn University of Technology, "
         "ICT companies")),
        ("Biotechnology, e-health and personalised medicine", "University of Tartu, Biobank, health start-ups"),
        ("Wood, food, oil shale chemistry and construction materials", ("Wood and food industry, "
         "Estonian University of Life Sciences")),
        ("Energy efficiency, renewable energy and smart grids", "Energy companies, municipalities"),
        ("Creative industries, education technology and social innovation", ("Schools, cultural sector, "
         "EdTech companies")),
    )
    contents = ("Summary", "Objectives", "Growth areas", "Stakeholders", "Next steps")
    summary = ("Digital solutions", "Health technologies", "Local resources", "Energy", "Society and creativity")
    goals = (
        "R&D investment of 3 per cent of GDP, of which 2 per cent private",
        "Higher productivity in companies through knowledge and technology",
        "Stronger cooperation between universities and enterprises",
        "More Estonian participants in Horizon Europe",
    )
    stakeholders = (
        "Ministry of Economic Affairs and Communications",
        "Ministry of Education and Research",
        "Estonian Research Council",
        "Enterprise Estonia (EAS)",
        "Universities and research institutions",
        "Companies and business associations",
    )
    actions = (
        "Applied research programme for the growth areas",
        "Innovation vouchers and development grants for SMEs",
        "Mapping of research and business competences",
        "Mid-term review of the growth areas in 2024",
    )
    deck.title_slide("Estonian Smart Specialisation Strategy 2021–2027",
                     "Growth areas for research, development and innovation in Estonia\n"
                     "Ministry of Economic Affairs and Communications · Ministry of Education and Research")
    contents_page = deck.bullet_slide("Contents", [(1, c) for c in contents], glyphs={1: "–"})
    summary_page = deck.bullet_slide("Summary", [(1, s) for s in summary], glyphs={1: "–"},
                                     lead="Estonia concentrates its RDI funding on five growth areas:")
    goals_page = deck.bullet_slide("Objectives", [(1, g) for g in goals])
    rows = [("Growth area", "Focus", "Examples of actors")]
    rows += [(p.name, focus, actor) for p, (focus, actor) in zip(priorities, details)]
    table_page = deck.table_slide("Growth areas", rows, (3.2, 4.9, 3.8), size=13,
                                  note="Source: Estonian Research, Development, Innovation and Entrepreneurship "
                                       "Strategy 2021–2035")
    stakeholders_page = deck.bullet_slide("Stakeholders", [(1, x) for x in stakeholders])
    actions_page = deck.bullet_slide("Next steps", [(1, a) for a in actions], glyphs={1: "–"})

    fixture = Fixture(
        filename="estonia-smart-specialisation-2021-2027.pptx", language="en", region="Estonia", country="EE",
        nuts_code="EE", priority_heading="Growth areas", priority_pages=(table_page,), priorities=priorities,
        traps=[
            Trap("Contents", contents, "trap: table of contents (agenda slide), '–' bullets", (contents_page,)),
            Trap("Summary", summary, "trap: summary repeating the growth areas in shorter words, '–' bullets",
                 (summary_page,)),
            Trap("Objectives", goals, "trap: objectives (goals)", (goals_page,)),
            Trap("Stakeholders", stakeholders, "trap: actors (stakeholders)", (stakeholders_page,)),
            Trap("Next steps", actions, "trap: actions, '–' bullets", (actions_page,)),
        ],
        layouts=("table", "bullets"),
        notes=(
            "16:9 national deck. The five growth areas are the first column of a three-column table on slide "
            "5 (header row 'Growth area | Focus | Examples of actors'; the first column is bold). The other "
            "lists are body-placeholder bullets, some with an explicit '–' glyph. Running footer text box "
            "and slide number on every slide but the first. Traps: agenda, summary, objectives, "
            "stakeholders, next steps."
        ),
    )
    return Built(fixture, deck.to_bytes())


def uppsala() -> Built:
    """Swedish HTML: each styrkeområde an h3 followed by a paragraph; a nested in-page TOC."""
    title = "Regional innovationsstrategi för smart specialisering i Uppsala län 2021–2027"
    priorities = (
        Priority("Life science"),
        Priority("Hållbar energi och miljöteknik"),
        Priority("Avancerad produktion och smarta material"),
        Priority("Digitala tjänster och AI"),
        Priority("Gröna näringar och livsmedel"),
        Priority("Besöksnäring"),
    )
    texts = (
        ("Uppsala är ett av Europas ledande life science-kluster, med Uppsala universitet, Akademiska sjukhuset, "
        "Sveriges lantbruksuniversitet och ett stort antal företag inom läkemedel, diagnostik och bioteknik."),
        ("Länet har starka miljöer inom förnybar energi, elkraft och miljöteknik, från forskning om solceller och "
        "batterier vid Ångströmlaboratoriet till företag inom energisystem och vattenrening."),
        ("I Enköping, Tierp och Östhammar finns en avancerad tillverkningsindustri. Området omfattar "
        "automation, additiv tillverkning och nya material för verkstads- och processindustrin."),
        ("Spel, mjukvara och IT-tjänster växer snabbt i Uppsala. Tillämpad AI och säker datahantering är "
        "viktiga för att utveckla alla styrkeområden, inte minst vården."),
        ("Jord- och skogsbruk, livsmedelsförädling och hästnäring är viktiga på landsbygden. Samverkan med "
        "Sveriges lantbruksuniversitet ger nya lösningar för hållbar produktion."),
        ("Kulturarv, natur och evenemang lockar besökare till hela länet. Innovationer ska göra besöksnäringen "
        "mer hållbar och förlänga säsongen."),
    )
    summary = ("Life science och hälsa", "Energi och miljö", "Avancerad produktion", "Tech-branschen",
               "Gröna näringar", "Besöksnäring")
    goals = (
        "Uppsala län ska vara en av Europas mest innovativa regioner",
        "Fler små och medelstora företag ska samverka med lärosätena",
        "Innovationsförmågan ska öka i hela länet, inte bara i Uppsala stad",
        "Fler kvinnor och personer med utländsk bakgrund ska driva innovativa företag",
    )
    actors = (
        ("Region Uppsala", "Samordnar arbetet och finansierar regionala insatser"),
        ("Uppsala universitet", "Forskning, utbildning och innovationsstöd via UU Innovation"),
        ("Sveriges lantbruksuniversitet", "Forskning inom gröna näringar och livsmedel"),
        ("Uppsala Innovation Centre", "Affärsutveckling för nystartade företag"),
        ("STUNS", "Samverkan mellan akademi, näringsliv och samhälle"),
        ("Länets åtta kommuner", "Näringslivsarbete och testmiljöer"),
    )
    actions = (
        "Ett regionalt innovationsprogram för små och medelstora företag",
        "Stöd till testbäddar inom vård och omsorg",
        "Satsningar på kompetensförsörjning inom life science och tillverkning",
        "Samarbete med andra regioner i Östra Mellansverige och i EU",
    )
    anchors = ("sammanfattning", "mal", "styrkeomraden", "aktorer", "insatser")
    sections = ("Sammanfattning", "Mål", "Styrkeområden", "Aktörer", "Insatser 2021–2023")
    toc = []
    for anchor, name in zip(anchors, sections):
        entry = f'<a href="#{anchor}">{escape(name)}</a>'
        if anchor == "styrkeomraden":
            sub = "".join(f'<li><a href="#omrade-{i}">{escape(p.name)}</a></li>' for i, p in enumerate(priorities, 1))
            entry += f"<ol>{sub}</ol>"
        toc.append(entry)
    areas = "\n".join(
        f'      <h3 id="omrade-{i}">{escape(p.name)}</h3>\n      <p>{escape(text)}</p>'
        for i, (p, text) in enumerate(zip(priorities, texts), 1)
    )
    table_rows = "\n".join(f"          <tr><td>{escape(a)}</td><td>{escape(r)}</td></tr>" for a, r in actors)
    article = f"""      <h1>{escape(title)}</h1>
      <p class="ingress">Den regionala innovationsstrategin anger hur Region Uppsala, kommunerna, lärosätena och
      näringslivet ska prioritera forskning och innovation i Uppsala län. Strategin antogs av regionfullmäktige
      den 22 juni 2021.</p>
      <p class="meta">Publicerad 2021-06-23 · Senast uppdaterad 2021-09-01</p>
      <div class="toc">
        <p><strong>Innehåll på sidan</strong></p>
{_ul(toc, 8, "ol")}
      </div>
      <h2 id="sammanfattning">Sammanfattning</h2>
      <p>Strategin bygger på länets styrkor inom forskning och näringsliv och pekar ut sex områden där
      Uppsala län har särskilt goda förutsättningar:</p>
{_ul([escape(x) for x in summary])}
      <p>Områdena beskrivs närmare under rubriken Styrkeområden nedan.</p>
      <h2 id="mal">Mål</h2>
      <p>Till 2027 ska strategin bidra till att:</p>
{_ul([escape(x) for x in goals])}
      <h2 id="styrkeomraden">Styrkeområden</h2>
      <p>Styrkeområdena har valts ut efter analyser av länets forskning, näringsliv och export och efter
      dialoger med mer än 150 företag och organisationer.</p>
{areas}
      <h2 id="aktorer">Aktörer</h2>
      <p>Strategin genomförs av aktörerna i länets innovationssystem:</p>
      <table>
        <thead>
          <tr><th>Aktör</th><th>Roll</th></tr>
        </thead>
        <tbody>
{table_rows}
        </tbody>
      </table>
      <h2 id="insatser">Insatser 2021–2023</h2>
{_ul([escape(x) for x in actions], tag="ol")}
      <h3>Kontakt</h3>
      <p>Enheten för forskning och innovation, Region Uppsala, <a href="mailto:innovation@example.se">innovation@example.se</a></p>"""
    footer = """    <p><strong>Region Uppsala</strong><br>Box 602, 751 25 Uppsala · Telefon 018-611 00 00</p>
    <ul class="footer-links">
      <li><a href="#">Om webbplatsen</a></li>
      <li><a href="#">Tillgänglighetsredogörelse</a></li>
      <li><a href="#">Behandling av personuppgifter</a></li>
      <li><a href="#">Kakor</a></li>
    </ul>"""
    html = web_page(
        lang="sv", title=title, site="Region Uppsala",
        url="https://www.regionuppsala.se/regional-utveckling/innovation/regional-innovationsstrategi/",
        nav=("Hälsa och vård", "Kollektivtrafik", "Kultur och bildning", "Regional utveckling", "Politik och påverkan"),
        breadcrumbs=("Startsida", "Regional utveckling", "Innovation", "Regional innovationsstrategi"),
        article=article, footer=footer, saved="2021-09-01",
    )
    fixture = Fixture(
        filename="uppsala-regional-innovationsstrategi.html", language="sv", region="Uppsala", country="SE",
        nuts_code="SE121", priority_heading="Styrkeområden", priority_pages=(1,), priorities=priorities,
        traps=[
            Trap("Innehåll på sidan", (*sections[:3], *(p.name for p in priorities), *sections[3:]),
                 "trap: table of contents (in-page links, an ol nesting the six area names)", (1,)),
            Trap("Sammanfattning", summary, "trap: summary repeating the areas in other words", (1,)),
            Trap("Mål", goals, "trap: goals (mål)", (1,)),
            Trap("Aktörer", tuple(a for a, _ in actors), "trap: actors (aktörer) in a table", (1,)),
            Trap("Insatser 2021–2023", actions, "trap: actions (insatser), ol", (1,)),
        ],
        layouts=("sub_headings",),
        notes=(
            "Saved web page (header with site menu and search form, breadcrumb nav, footer with links, "
            "JSON-LD and analytics scripts, a hidden cookie banner). The six styrkeområden are h3 headings "
            "under the h2 'Styrkeområden', each followed by one paragraph. An in-page table of contents (an "
            "ol in a div, not a nav) nests the six names under 'Styrkeområden'. Traps: that TOC, the summary "
            "ul, goals ul, an actors table and an actions ol."
        ),
    )
    return Built(fixture, html.encode("utf-8"))


def lithuania() -> Built:
    """English HTML: a numbered ol of run-in items ("Name – for example ...") with lettered sub-lists."""
    title = "Smart Specialisation Strategy of Lithuania 2021–2027"
    priorities = (
        Priority("Health technologies and biotechnologies", subs=(
            "Molecular technologies for medicine and biopharmaceutics",
            "Advanced medical engineering for early diagnostics and treatment"),
            tail=" – for example molecular medicine, biopharmaceuticals and advanced medical devices."),
        Priority("Information and communication technologies", aliases=("ICT",), subs=(
            "Artificial intelligence, big data and the internet of things",
            "Cyber security and secure digital services"),
            tail=" – for example artificial intelligence, cyber security and data services."),
        Priority("New production processes, materials and technologies", subs=(
            "Photonic and laser technologies", "Functional materials and coatings",
            "Flexible and digital manufacturing systems"),
            tail=" – for example photonics, lasers and smart manufacturing."),
        Priority("Smart and sustainable energy", subs=(
            "Smart energy systems and storage", "Renewable energy technologies"),
            tail=" – for example energy storage, smart grids and solar technologies."),
        Priority("Agri-food innovation and bioeconomy",
                 tail=" – for example functional food, biorefining and precision agriculture."),
    )
    summary = ("Health and biotech", "ICT", "Advanced manufacturing and materials", "Energy",
               "Food and bioeconomy")
    goals = (
        "Increase business expenditure on R&D to 1.5 per cent of GDP by 2027",
        "Raise the share of innovative enterprises to 60 per cent",
        "Attract more international researchers and high-tech investment",
        "Strengthen the commercialisation of research results",
    )
    stakeholders = (
        ("Ministry of the Economy and Innovation", "Coordinates the strategy and the business measures"),
        ("Ministry of Education, Science and Sport", "Research and higher education measures"),
        ("Innovation Agency Lithuania", "Implements innovation support for companies"),
        ("Research Council of Lithuania", "Funds research projects"),
        ("Universities and research institutes", "Research, training and technology transfer"),
        ("Business associations and clusters", "Entrepreneurial discovery and company networks"),
    )
    actions = (
        "Mission-oriented programmes in the priority areas",
        "Grants for joint research projects of companies and universities",
        "Innovation vouchers and pre-commercial procurement",
        "A monitoring system with annual progress reports",
    )
    anchors = ("summary", "objectives", "priority-areas", "stakeholders", "actions")
    sections = ("Summary", "Objectives", "Priority areas", "Stakeholders", "Actions")
    toc = [f'<a href="#{a}">{escape(n)}</a>' for a, n in zip(anchors, sections)]
    area_items = []
    for p in priorities:
        item = f"<strong>{escape(p.name)}</strong>{escape(p.tail)}"
        if p.subs:
            subs = "".join(f"\n            <li>{escape(x)}</li>" for x in p.subs)
            item += f'\n          <ol type="a">{subs}\n          </ol>\n        '
        area_items.append(item)
    areas = "\n".join(f"        <li>{item}</li>" for item in area_items)
    rows = "\n".join(f"          <tr><td>{escape(a)}</td><td>{escape(r)}</td></tr>" for a, r in stakeholders)
    article = f"""      <h1>{escape(title)}</h1>
      <p class="lead">Lithuania's smart specialisation strategy sets the priority areas for research, development
      and innovation funded from national and EU sources in 2021–2027. It was approved by the Government of
      the Republic of Lithuania in 2021.</p>
      <aside class="share">Share: <a href="#">Facebook</a> <a href="#">LinkedIn</a></aside>
      <p><strong>On this page</strong></p>
{_ul(toc)}
      <h2 id="summary">Summary</h2>
      <p>The strategy concentrates public support on five broad areas:</p>
{_ul([escape(x) for x in summary])}
      <h2 id="objectives">Objectives</h2>
{_ul([escape(x) for x in goals])}
      <h2 id="priority-areas">Priority areas</h2>
      <p>The priority areas were selected in an entrepreneurial discovery process with more than 600
      participants from business, science and public authorities. Each area has thematic sub-priorities:</p>
      <ol>
{areas}
      </ol>
      <p>The priority areas are reviewed every three years.</p>
      <h2 id="stakeholders">Stakeholders</h2>
      <table>
        <caption>Institutions responsible for implementation</caption>
        <tr><th>Institution</th><th>Role</th></tr>
{rows}
      </table>
      <h2 id="actions">Actions</h2>
{_ul([escape(x) for x in actions], tag="ol")}
      <h3>Monitoring</h3>
      <p>Progress is reported to the Government every year. The mid-term review in 2024 may update the
      sub-priorities.</p>"""
    footer = """    <p>Ministry of the Economy and Innovation of the Republic of Lithuania · Gedimino pr. 38, Vilnius</p>
    <ul>
      <li><a href="#">Accessibility</a></li>
      <li><a href="#">Privacy policy</a></li>
      <li><a href="#">Contacts</a></li>
    </ul>"""
    html = web_page(
        lang="en", title=title, site="Ministry of the Economy and Innovation of the Republic of Lithuania",
        url="https://eimin.lrv.lt/en/sector-activities/research-and-innovation/smart-specialisation",
        nav=("About the ministry", "Sector activities", "News", "Legislation", "Contacts"),
        breadcrumbs=("Home", "Sector activities", "Research and innovation", "Smart specialisation"),
        article=article, footer=footer, saved="2021-12-10",
    )
    fixture = Fixture(
        filename="lithuania-smart-specialisation-2021-2027.html", language="en", region="Lithuania",
        country="LT", nuts_code="LT", priority_heading="Priority areas", priority_pages=(1,),
        priorities=priorities,
        traps=[
            Trap("On this page", sections, "trap: table of contents (in-page links)", (1,)),
            Trap("Summary", summary, "trap: summary repeating the areas in shorter words", (1,)),
            Trap("Objectives", goals, "trap: objectives (goals)", (1,)),
            Trap("Stakeholders", tuple(a for a, _ in stakeholders), "trap: actors (stakeholders) in a table",
                 (1,)),
            Trap("Actions", actions, "trap: actions, ol numbered like the priorities", (1,)),
        ],
        layouts=("numbered", "run_in", "nested"),
        notes=(
            "Saved web page of a national strategy (site header with menu and search form, breadcrumb nav, a "
            "share aside, footer, scripts). The five priority areas are an ol; each item is run-in, the name "
            "in <strong> followed by ' – for example ...', and four of them hold a nested <ol type=\"a\"> of "
            "sub-priorities. Traps: 'On this page' links, summary ul, objectives ul, a stakeholders table "
            "(with a caption) and an actions ol."
        ),
    )
    return Built(fixture, html.encode("utf-8"))

# =======================================================================================
# Main
# =======================================================================================
DOCUMENTS = (halland, norrbotten, etela_pohjanmaa, drenthe, skane, helsinki_uusimaa, vasterbotten,
             vastra_gotaland, estonia, uppsala, lithuania)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    OUT.mkdir(parents=True, exist_ok=True)
    TRUTH.mkdir(parents=True, exist_ok=True)
    built = [make() for make in DOCUMENTS]
    names = [b.fixture.filename for b in built]
    if len(set(names)) != len(names):
        raise SystemExit("two documents share a file name")
    word_sources = {}
    for b in built:
        suffix = b.fixture.path.suffix
        if suffix in (".pdf", ".docx"):
            word_sources[b.fixture.path.stem] = b.data
        if suffix != ".pdf":
            b.fixture.path.write_bytes(b.data)
            logger.info("wrote %s", b.fixture.path.relative_to(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        pdfs = _export_pdfs(word_sources, Path(tmp))
        if pdfs is None:
            logger.warning("soffice (LibreOffice) not found: page layout of the Word documents not checked")
        for b in built:
            f = b.fixture
            if pdfs is None:
                if f.path.suffix == ".pdf":
                    if not f.path.exists():
                        raise SystemExit(f"soffice (LibreOffice) not found and {f.filename} is not there")
                    logger.warning("soffice (LibreOffice) not found: %s not rebuilt; the committed copy stays",
                                   f.path.relative_to(ROOT))
                continue
            if f.path.suffix in (".pdf", ".docx"):
                _check_pages(pdfs[f.path.stem], f.checks, f.filename)
            if f.path.suffix == ".pdf":
                shutil.copyfile(pdfs[f.path.stem], f.path)
                logger.info("wrote %s", f.path.relative_to(ROOT))
    for b in built:
        _write_truth(b.fixture)
    expected = set(names) | {f"{n}.json" for n in names}
    for stray in sorted(p for p in (*OUT.iterdir(), *TRUTH.iterdir()) if p.is_file() and p.name not in expected):
        logger.warning("%s is not made by this script", stray.relative_to(ROOT))


if __name__ == "__main__":
    main()
