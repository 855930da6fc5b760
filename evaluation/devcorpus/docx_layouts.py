"""Word layouts, written with python-docx: a report with Word heading and list styles, a
document whose bullets and numbers are typed into Normal paragraphs, a table-based one, and
a region's Word document as Word itself makes it (numbering definitions, a TOC field)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from smartspec.evaluation.devcorpus.archive import fix_timestamps
from smartspec.evaluation.devcorpus.documents import (SYMBOL_BULLET, CorpusDocument, Part, contents_label,
                                            item_marker, numbered_headings, sub_item_marker,
                                            sub_marker)

FIXED_DATE = datetime(2024, 1, 1)
# Word's own list styles: bullets and numbers by nesting level.
BULLET_STYLES = ("List Bullet", "List Bullet 2")
NUMBER_STYLES = ("List Number", "List Number 2")


def _new(document: CorpusDocument) -> WordDocument:
    word = docx.Document()
    props = word.core_properties
    props.title, props.author = document.title, document.publisher or "Region"
    props.created = props.modified = props.last_printed = FIXED_DATE
    props.revision, props.last_modified_by = 1, props.author
    return word


def _save(word: WordDocument, path: Path) -> None:
    word.save(str(path))
    fix_timestamps(path)


def _title(word: WordDocument, document: CorpusDocument, *, styled: bool) -> None:
    if styled:
        word.add_paragraph(document.title, style="Title")
        if document.subtitle:
            word.add_paragraph(document.subtitle, style="Subtitle")
    else:
        run = word.add_paragraph().add_run(document.title)
        run.bold, run.font.size = True, Pt(24)
        if document.subtitle:
            word.add_paragraph().add_run(document.subtitle).font.size = Pt(14)
    for line in (document.publisher, document.date):
        if line:
            word.add_paragraph(line)


def _toc(word: WordDocument, document: CorpusDocument, part: Part, numbered: bool) -> None:
    word.add_paragraph(contents_label(part, document.language),
                       style="TOC Heading" if "TOC Heading" in _style_names(word) else None)
    for i, (heading, number) in enumerate(numbered_headings(document.parts)):
        if heading.level <= 2:
            title = f"{number} {heading.text}" if numbered else heading.text
            word.add_paragraph(f"{title}\t{2 + i}")


def _style_names(word: WordDocument) -> set[str]:
    return {s.name for s in word.styles}


def _table(word: WordDocument, part: Part) -> None:
    rows = ([part.header] if part.header else []) + list(part.rows)
    table = word.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            lines = text.split("\n")
            cell.text = lines[0]
            if part.header and r == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for line in lines[1:]:
                cell.add_paragraph(line)
    word.add_paragraph()


def _styled_list(word: WordDocument, part: Part) -> None:
    styles = NUMBER_STYLES if part.style in ("1.", "1)", "a)") else BULLET_STYLES
    for item in part.items:
        word.add_paragraph(item.text + item.tail, style=styles[0])
        for sub in item.subs:
            word.add_paragraph(sub, style=BULLET_STYLES[1])


def _typed_list(word: WordDocument, part: Part) -> None:
    for i, item in enumerate(part.items):
        word.add_paragraph(f"{item_marker(part, i)}\t{item.text}{item.tail}")
        for j, sub in enumerate(item.subs):
            paragraph = word.add_paragraph(f"{sub_item_marker(part, j)}\t{sub}")
            paragraph.paragraph_format.left_indent = Pt(36)


def _typed_heading(word: WordDocument, text: str, level: int) -> None:
    run = word.add_paragraph().add_run(text)
    run.bold, run.font.size = True, Pt({1: 16, 2: 13}.get(level, 11))


def _write(document: CorpusDocument, path: Path, *, typed: bool, numbered: bool) -> None:
    word = _new(document)
    _title(word, document, styled=not typed)
    numbers = {id(p): n for p, n in numbered_headings(document.parts)}
    for part in document.parts:
        if part.kind == "heading":
            text = f"{numbers[id(part)]} {part.text}" if numbered else part.text
            if typed:
                _typed_heading(word, text, part.level)
            else:
                word.add_heading(text, level=min(part.level, 3))
        elif part.kind == "para":
            word.add_paragraph(part.text)
        elif part.kind == "list":
            (_typed_list if typed else _styled_list)(word, part)
        elif part.kind == "table":
            _table(word, part)
        elif part.kind == "toc":
            _toc(word, document, part, numbered)
        elif part.kind == "break":
            word.add_page_break()
    _save(word, path)


def report_docx(document: CorpusDocument, path: Path) -> None:
    """Word heading styles and Word list styles ("List Bullet", "List Number")."""
    _write(document, path, typed=False, numbered=True)


def typed_docx(document: CorpusDocument, path: Path) -> None:
    """Everything in Normal paragraphs: bold runs for headings, "▪\\t" or "1." typed."""
    _write(document, path, typed=True, numbered=False)


def table_docx(document: CorpusDocument, path: Path) -> None:
    """Word headings, the areas in a grid table (name | description)."""
    _write(document, path, typed=False, numbered=False)


# ---- a region's Word document, as Word makes it ------------------------------------------
WORD_FONT = "Arial"
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
TEXT_WIDTH_CM = 16.0  # A4 with 2.5 cm margins: a table's width and the contents' right tab
GLYPH_FONTS = {SYMBOL_BULLET: "Symbol"}  # a bullet glyph's font; others are drawn in WORD_FONT
# numFmt and lvlText (of level N) of numbered list styles
NUMBER_FORMATS = {"1.": ("decimal", "%{}."), "1)": ("decimal", "%{})"), "a)": ("lowerLetter", "%{})")}
FIRST_NUMBERING_ID = 20  # above the ids of the template's own numbering definitions


def _plain_font(style) -> None:
    """WORD_FONT, with the template's theme fonts (which would win over it) removed."""
    style.font.name = WORD_FONT
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    fonts.set(qn("w:cs"), WORD_FONT)


def _word_styles(word: WordDocument, language: str) -> None:
    styles = word.styles
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Header",
                 "Footer", "List Bullet", "List Bullet 2", "List Number", "List Number 2",
                 "TOC Heading", "Caption"):
        _plain_font(styles[name])
    normal = styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    normal.element.get_or_add_rPr().append(parse_xml(f'<w:lang {nsdecls("w")} w:val="{language}"/>'))
    for name, size, before in (("Heading 1", 16, 0), ("Heading 2", 13, 12), ("Heading 3", 11.5, 10)):
        style = styles[name]
        style.font.size, style.font.bold, style.font.color.rgb = Pt(size), True, ACCENT
        style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(before), Pt(6)
    styles["Title"].font.size, styles["Title"].font.color.rgb = Pt(26), ACCENT
    styles["Subtitle"].font.size = Pt(16)
    styles["Caption"].font.size = Pt(9)
    for name in ("List Bullet", "List Bullet 2", "List Number", "List Number 2"):
        styles[name].paragraph_format.space_after = Pt(3)
    for level in (1, 2, 3):
        style = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), f"TOC{level}")
        style.base_style = normal
        style.paragraph_format.left_indent = Cm(0.5 * (level - 1))
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT,
                                                      WD_TAB_LEADER.DOTS)


def _page_setup(word: WordDocument, header: str) -> None:
    """A4; `header` in the page header and the page number in the footer, but not on the
    title page."""
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    if not header:
        return
    section.different_first_page_header_footer = True
    top = section.header.paragraphs[0]
    top.text, top.alignment = header, WD_ALIGN_PARAGRAPH.RIGHT
    top.runs[0].font.size = Pt(8.5)
    top._p.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="4" w:space="4" w:color="808080"/></w:pBdr>'))
    bottom = section.footer.paragraphs[0]
    bottom.alignment = WD_ALIGN_PARAGRAPH.CENTER
    bottom._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r>'
                               '</w:fldSimple>'))


def _cover(word: WordDocument, document: CorpusDocument) -> None:
    word.add_paragraph().paragraph_format.space_before = Pt(150)
    word.add_paragraph(document.title, style="Title")
    if document.subtitle:
        word.add_paragraph(document.subtitle, style="Subtitle")
    for index, line in enumerate(t for t in (document.publisher, document.date) if t):
        paragraph = word.add_paragraph(line)
        if index == 0:
            paragraph.paragraph_format.space_before = Pt(48)
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _planned_pages(parts: Sequence[Part]) -> dict[int, int]:
    """The page of each heading part (by id), counting the explicit page breaks after the
    title page: what the DOCX reader counts, and Word lays out so as long as no page
    overflows."""
    page, columns, pages = 2, 1, {}
    for part in parts:
        if part.kind == "columns":
            columns = part.count
        elif part.kind == "break" and columns == 1:
            page += 1
        elif part.kind == "heading":
            pages[id(part)] = page
    return pages


def _toc_field(word: WordDocument, document: CorpusDocument, part: Part, pages: dict[int, int]) -> None:
    """A Word table of contents: a TOC field with its result, in a content control."""
    word.add_paragraph(contents_label(part, document.language), style="TOC Heading")
    sdt = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtPr><w:docPartObj><w:docPartGallery '
                    'w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj></w:sdtPr>'
                    '<w:sdtContent/></w:sdt>')
    content = sdt.find(qn("w:sdtContent"))
    entries = [h for h in document.headings if h.level <= part.depth]
    for index, heading in enumerate(entries):
        start = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
                 f' TOC \\o "1-{part.depth}" \\h \\z \\u </w:instrText></w:r>'
                 '<w:r><w:fldChar w:fldCharType="separate"/></w:r>') if index == 0 else ""
        content.append(parse_xml(
            f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="TOC{heading.level}"/></w:pPr>{start}'
            f'<w:r><w:t xml:space="preserve">{escape(heading.text)}</w:t></w:r><w:r><w:tab/></w:r>'
            f'<w:r><w:t>{pages[id(heading)]}</w:t></w:r></w:p>'))
    content.append(parse_xml(f'<w:p {nsdecls("w")}><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'))
    body = word.element.body
    body.insert(len(body) - 1, sdt)  # before the body's closing w:sectPr


def _numbering_level(style: str, level: int) -> str:
    if style in NUMBER_FORMATS:
        number_format, text = NUMBER_FORMATS[style]
        text, font = text.format(level + 1), None
    else:
        number_format, text, font = "bullet", style, GLYPH_FONTS.get(style, WORD_FONT)
    fonts = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:hint="default"/></w:rPr>' if font else ""
    return (f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{number_format}"/>'
            f'<w:lvlText w:val="{escape(text)}"/><w:lvlJc w:val="left"/><w:pPr><w:ind '
            f'w:left="{360 + 360 * level}" w:hanging="360"/></w:pPr>{fonts}</w:lvl>')


def _numbering(word: WordDocument, part: Part) -> int:
    """A new numbering definition for a list part (its style, then its sub-items'); the
    numId."""
    element = word.part.numbering_part.element
    number = FIRST_NUMBERING_ID + len(element.findall(qn("w:num")))
    sub_style = part.sub_style or sub_marker(part.style)
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{number}"><w:multiLevelType '
                         'w:val="hybridMultilevel"/>' + _numbering_level(part.style, 0)
                         + _numbering_level(sub_style, 1) + "</w:abstractNum>")
    first = element.find(qn("w:num"))
    if first is not None:
        first.addprevious(abstract)
    else:
        element.append(abstract)
    element.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{number}"><w:abstractNumId '
                             f'w:val="{number}"/></w:num>'))
    return number


def _numbered_paragraph(word: WordDocument, style: str, level: int, number: int):
    paragraph = word.add_paragraph(style=style)
    numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val = level
    numbering.get_or_add_numId().val = number
    return paragraph


def _word_list(word: WordDocument, part: Part, number: int) -> None:
    names = NUMBER_STYLES if part.style in NUMBER_FORMATS else BULLET_STYLES
    sub_names = NUMBER_STYLES if part.sub_style in NUMBER_FORMATS else BULLET_STYLES
    for item in part.items:
        paragraph = _numbered_paragraph(word, names[0], 0, number)
        paragraph.add_run(item.text).bold = part.bold_names or None
        if item.tail:
            paragraph.add_run(item.tail)
        for sub in item.subs:
            _numbered_paragraph(word, sub_names[1], 1, number).add_run(sub)


def _word_table(word: WordDocument, part: Part) -> None:
    """A grid table of fixed column widths, its header row bold and shaded, repeated on
    each page."""
    if part.caption:
        word.add_paragraph(part.caption, style="Caption")
    rows = ([part.header] if part.header else []) + list(part.rows)
    count = len(rows[0])
    widths = [TEXT_WIDTH_CM * f for f in part.widths] or [TEXT_WIDTH_CM / count] * count
    table = word.add_table(rows=len(rows), cols=count)
    table.style, table.autofit = "Table Grid", False
    for index, width in enumerate(widths):
        table.columns[index].width = Cm(width)
    for r, row in enumerate(rows):
        heading = bool(part.header) and r == 0
        if heading:
            table.rows[r]._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
        for c, text in enumerate(row):
            cell = table.rows[r].cells[c]
            cell.width = Cm(widths[c])
            for index, line in enumerate(text.split("\n")):
                paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
                paragraph.paragraph_format.space_after = Pt(2)
                run = paragraph.add_run(line)
                run.font.size, run.bold = Pt(9.5), heading or None
            if heading:
                cell._tc.get_or_add_tcPr().append(parse_xml(
                    f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="D9E2F3"/>'))
    word.add_paragraph().paragraph_format.space_after = Pt(2)


def _word_columns(word: WordDocument, count: int) -> None:
    """Go on in `count` columns, after a continuous section break."""
    section = word.add_section(WD_SECTION.CONTINUOUS)
    columns = section._sectPr.find(qn("w:cols"))
    if columns is None:
        columns = parse_xml(f'<w:cols {nsdecls("w")}/>')
        section._sectPr.append(columns)
    columns.set(qn("w:num"), str(count))
    columns.set(qn("w:space"), "567")


def word_docx(document: CorpusDocument, path: Path) -> None:
    """A region's Word document as Word makes it: title page; a TOC field with the pages
    the explicit breaks give; Word heading styles, their numbers typed in the text; a
    numbering definition per list (a list with `start` > 1 goes on with the one before);
    grid tables with a shaded header row; running header and page-number footer; column
    sections (a `break` in one is a column break, elsewhere a page break paragraph)."""
    word = _new(document)
    word.core_properties.title = " – ".join(t for t in (document.title, document.subtitle) if t)
    word.core_properties.language = document.language
    _word_styles(word, document.language)
    _page_setup(word, document.header)
    _cover(word, document)
    pages = _planned_pages(document.parts)
    number, columns = 0, 1
    for part in document.parts:
        if part.kind == "heading":
            word.add_heading(part.text, level=min(part.level, 3))
        elif part.kind == "para":
            word.add_paragraph(part.text)
        elif part.kind == "list":
            number = number if part.start > 1 and number else _numbering(word, part)
            _word_list(word, part, number)
        elif part.kind == "table":
            _word_table(word, part)
        elif part.kind == "toc":
            _toc_field(word, document, part, pages)
        elif part.kind == "columns":
            columns = part.count
            _word_columns(word, part.count)
        elif part.kind == "break":
            word.add_paragraph().add_run().add_break(WD_BREAK.COLUMN if columns > 1 else WD_BREAK.PAGE)
    _save(word, path)
