"""A table cell that lists areas one a line: each line an item, whatever the format, when
each line reads as a name; a cell whose lines are one wrapped name or sentences stays whole."""

from __future__ import annotations

import pytest

from smartspec.extractors.extract import extract_priorities
from smartspec.extractors.readers import read_document

INTRO = "Region Skåne har i strategin för smart specialisering valt sina styrkeområden."
HEADER = ("Prioriterade styrkeområden", "Ansvarig")
ROWS = [("Life science och hälsa\nSmarta material\nHållbara städer", "Innovationsenheten"),
        ("Livsmedel och förpackningar\nDigitala tjänster", "Näringslivsenheten")]
AREAS = ["Life science och hälsa", "Smarta material", "Hållbara städer",
         "Livsmedel och förpackningar", "Digitala tjänster"]


def _docx(path, rows):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("Smart specialisering i Region Skåne", 0)
    document.add_paragraph(INTRO)
    document.add_heading("Styrkeområden för smart specialisering", 1)
    table = document.add_table(rows=1 + len(rows), cols=2)
    for r, row in enumerate([HEADER, *rows]):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            lines = text.split("\n")
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
            if r == 0:
                cell.paragraphs[0].runs[0].bold = True
    document.save(path)


def _html(path, rows):
    cells = "".join("<tr>" + "".join("<td>" + "<br>".join(text.split("\n")) + "</td>" for text in row)
                    + "</tr>" for row in rows)
    path.write_text(
        f"<html><body><h1>Smart specialisering i Region Skåne</h1><p>{INTRO}</p>"
        f"<h2>Styrkeområden för smart specialisering</h2><table><tr><th>{HEADER[0]}</th>"
        f"<th>{HEADER[1]}</th></tr>{cells}</table></body></html>", encoding="utf-8")


def _pptx(path, rows):
    pptx = pytest.importorskip("pptx")
    from pptx.util import Inches

    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "Styrkeområden för smart specialisering i Region Skåne"
    box = slide.shapes.add_textbox(Inches(0.5), Inches(1.3), Inches(9), Inches(0.5))
    box.text_frame.text = INTRO
    shape = slide.shapes.add_table(1 + len(rows), 2, Inches(0.5), Inches(2), Inches(9), Inches(3))
    for r, row in enumerate([HEADER, *rows]):
        for c, text in enumerate(row):
            shape.table.cell(r, c).text = text  # python-pptx: one paragraph a line
    deck.save(path)


@pytest.mark.parametrize("make", [_docx, _html, _pptx], ids=["docx", "html", "pptx"])
def test_a_cell_listing_areas_one_a_line_gives_an_item_a_line(tmp_path, toolkit, make):
    path = tmp_path / f"skane.{make.__name__[1:]}"
    make(path, ROWS)
    records = extract_priorities(read_document(path, source_id="skane"), toolkit)
    assert [r.priority for r in records if r.level == 1] == AREAS
    assert {r.region_code for r in records} == {"SE224"}


def test_a_cell_whose_lines_are_one_wrapped_name_stays_one_item(tmp_path, toolkit):
    rows = [("Hållbar energi och\nmiljöteknik", "Innovationsenheten"),
            ("Smarta material", "Näringslivsenheten"), ("Digitala tjänster", "Näringslivsenheten")]
    path = tmp_path / "skane.docx"
    _docx(path, rows)
    records = extract_priorities(read_document(path, source_id="skane"), toolkit)
    assert [r.priority for r in records if r.level == 1] == [
        "Hållbar energi och miljöteknik", "Smarta material", "Digitala tjänster"]


def _pdf(path, rows):
    pytest.importorskip("reportlab")
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    table = Table([list(HEADER), *[list(row) for row in rows]], colWidths=[250, 200])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    SimpleDocTemplate(str(path), pagesize=A4).build([
        Paragraph("Smart specialisering i Region Skåne", styles["Title"]),
        Paragraph(INTRO, styles["Normal"]),
        Paragraph("Styrkeområden för smart specialisering", styles["Heading1"]), table])


def test_a_pdf_table_cell_listing_areas_one_a_line_gives_an_item_a_line(tmp_path, toolkit):
    path = tmp_path / "skane.pdf"
    _pdf(path, ROWS)
    records = extract_priorities(read_document(path, source_id="skane"), toolkit)
    assert [r.priority for r in records if r.level == 1] == AREAS
