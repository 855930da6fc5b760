"""Word layouts, written with python-docx: a report with Word heading and list styles, a
document whose bullets and numbers are typed into Normal paragraphs, and a table-based one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.shared import Pt

from evaluation.devcorpus.archive import fix_timestamps
from evaluation.devcorpus.documents import CorpusDocument, Part, numbered_headings, sub_marker

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
    word.add_paragraph(part.text or ("Innehåll" if document.language == "sv" else "Contents"),
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
        word.add_paragraph(item.text, style=styles[0])
        for sub in item.subs:
            word.add_paragraph(sub, style=BULLET_STYLES[1])


def _typed_list(word: WordDocument, part: Part) -> None:
    for i, item in enumerate(part.items):
        word.add_paragraph(f"{part.marker(i)}\t{item.text}")
        for sub in item.subs:
            paragraph = word.add_paragraph(f"{sub_marker(part.style)}\t{sub}")
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
