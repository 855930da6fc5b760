"""The DOCX reader: fixtures are written with python-docx into tmp_path by the tests themselves."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx as python_docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml

from smartspec.extractors.document import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, TITLE, Document
from smartspec.extractors.errors import UnreadableDocument
from smartspec.extractors.readers import READERS, read_document
from smartspec.extractors.readers import docx
from smartspec.extractors.readers._ooxml import MAX_ENTRIES, check_package

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SYMBOL_BULLET = "\uf0b7"  # python-docx's template draws "List Bullet" with Symbol's private-use bullet


def _blocks(document: Document, kind: str | None = None) -> list[tuple]:
    return [(b.kind, b.level, b.marker, b.text) for b in document.blocks if kind in (None, b.kind)]


@pytest.fixture
def strategy(tmp_path: Path) -> Document:
    """Title, headings, nested bullets, a numbered list, a table with merged cells, a page break."""
    d = python_docx.Document()
    d.core_properties.title = ""
    d.add_heading("Regional strategy", 0)
    d.add_heading("Priorities", 1)
    intro = d.add_paragraph("We focus on ")
    intro.add_run("four areas").bold = True
    d.add_paragraph("")  # empty paragraphs are skipped
    for style, text in [("List Bullet", "Life science"), ("List Bullet 2", "Medtech"),
                        ("List Bullet 2", "Pharma"), ("List Bullet", "ICT")]:
        d.add_paragraph(text, style=style)
    for text in ("Attract", "Grow", "Export"):
        d.add_paragraph(text, style="List Number")
    table = d.add_table(rows=3, cols=3)
    table.cell(0, 0).text, table.cell(0, 1).text, table.cell(0, 2).text = "Area", "Goal", "Owner"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "Smart\nmaterials"  # a name wrapped in its cell
    table.cell(1, 1).merge(table.cell(1, 2)).text = "Lighter vehicles"
    table.cell(2, 1).text, table.cell(2, 2).text = "Recycling", "RISE"
    d.add_page_break()
    d.add_heading("Implementation", 2)
    bold = d.add_paragraph()
    bold.add_run("All of this").bold = True
    bold.add_run(" is bold").bold = True
    path = tmp_path / "strategy.docx"
    d.save(path)
    return read_document(path, source_id="strategy")


def test_readers_registry_maps_docx(tmp_path):
    d = python_docx.Document()
    d.add_paragraph("Smart specialisation")
    d.save(tmp_path / "a.docx")
    assert READERS[".docx"](tmp_path / "a.docx", source_id="a") == docx.read(tmp_path / "a.docx", source_id="a")


def test_document_facts(strategy: Document):
    assert strategy.format == "docx" and strategy.source_id == "strategy"
    assert strategy.title == "Regional strategy"  # no core title: the first TITLE paragraph
    assert strategy.pages == 2 and len(strategy.sha256) == 64 and strategy.bytes > 0
    assert all(b.provenance.bbox is None and b.provenance.reader == "docx" for b in strategy.blocks)


def test_body_in_document_order_with_kinds_levels_and_markers(strategy: Document):
    assert _blocks(strategy)[:10] == [
        (TITLE, 1, "", "Regional strategy"),
        (HEADING, 1, "", "Priorities"),
        (PARAGRAPH, 1, "", "We focus on four areas"),
        (LIST_ITEM, 1, SYMBOL_BULLET, "Life science"),
        (LIST_ITEM, 2, SYMBOL_BULLET, "Medtech"),
        (LIST_ITEM, 2, SYMBOL_BULLET, "Pharma"),
        (LIST_ITEM, 1, SYMBOL_BULLET, "ICT"),
        (LIST_ITEM, 1, "1.", "Attract"),
        (LIST_ITEM, 1, "2.", "Grow"),
        (LIST_ITEM, 1, "3.", "Export"),
    ]
    kinds = [b.kind for b in strategy.blocks]
    # the table stands between the numbered list and the heading after the page break
    assert kinds.index(TABLE_CELL) == 10 and kinds[-2:] == [HEADING, PARAGRAPH]


def test_table_cells_once_each_with_column_row_and_lines(strategy: Document):
    cells = [(b.row, b.level, b.text, b.container) for b in strategy.blocks if b.kind == TABLE_CELL]
    assert cells == [
        (1, 1, "Area", "t1"), (1, 2, "Goal", "t1"), (1, 3, "Owner", "t1"),
        (2, 1, "Smart\nmaterials", "t1"), (2, 2, "Lighter vehicles", "t1"),
        (3, 2, "Recycling", "t1"), (3, 3, "RISE", "t1"),
    ]


def test_pages_follow_the_page_break(strategy: Document):
    pages = {b.text: b.provenance.page for b in strategy.blocks}
    assert pages["Regional strategy"] == pages["RISE"] == 1
    assert pages["Implementation"] == pages["All of this is bold"] == 2


def test_bold_means_every_run_bold_and_size_comes_from_the_runs(strategy: Document):
    by_text = {b.text: b for b in strategy.blocks}
    assert by_text["All of this is bold"].bold and not by_text["We focus on four areas"].bold
    assert by_text["Priorities"].bold  # Heading 1 is bold through its style
    assert by_text["Priorities"].size == 14.0 and by_text["Life science"].size == 11.0


def test_core_title_wins(tmp_path: Path):
    d = python_docx.Document()
    d.core_properties.title = "Smart specialisation strategy"
    d.add_heading("Something else", 0)
    d.save(tmp_path / "t.docx")
    assert docx.read(tmp_path / "t.docx", source_id="t").title == "Smart specialisation strategy"


def _numbering(d, xml: str) -> None:
    d.part.numbering_part.element.append(parse_xml(xml))


def _numbered(d, text: str, num_id: int, ilvl: int):
    paragraph = d.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {W_NS}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


def test_markers_come_from_numbering_xml_with_restarts(tmp_path: Path):
    d = python_docx.Document()
    d.part.numbering_part.element.insert(0, parse_xml(
        f'<w:abstractNum {W_NS} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>'
        '<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%4)"/></w:lvl>'
        '</w:abstractNum>'))
    _numbering(d, f'<w:num {W_NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    _numbering(d, f'<w:num {W_NS} w:numId="91"><w:abstractNumId w:val="90"/>'
                  '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>')
    for text, num_id, ilvl in [("one", 90, 0), ("one.one", 90, 1), ("one.two", 90, 1), ("letter a", 90, 2),
                               ("letter b", 90, 2), ("roman", 90, 3), ("two", 90, 0), ("two.one", 90, 1),
                               ("letter again", 90, 2), ("seven", 91, 0)]:
        _numbered(d, text, num_id, ilvl)
    d.save(tmp_path / "n.docx")
    items = _blocks(docx.read(tmp_path / "n.docx", source_id="n"), LIST_ITEM)
    assert [(level, marker) for _, level, marker, _ in items] == [
        (1, "1."), (2, "1.1."), (2, "1.2."), (3, "a)"), (3, "b)"), (4, "(i)"),
        (1, "2."), (2, "2.1."), (3, "a)"), (1, "7."),
    ]


def test_localised_and_outline_level_headings(tmp_path: Path):
    d = python_docx.Document()
    d.styles.add_style("Rubrik 2", WD_STYLE_TYPE.PARAGRAPH)
    chapter = d.styles.add_style("Kapitel", WD_STYLE_TYPE.PARAGRAPH)
    chapter.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {W_NS} w:val="0"/>'))
    d.add_paragraph("Swedish heading", style="Rubrik 2")
    d.add_paragraph("Chapter by outline level", style="Kapitel")
    direct = d.add_paragraph("Direct outline level")
    direct._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {W_NS} w:val="2"/>'))
    d.add_paragraph("Body text")
    d.save(tmp_path / "h.docx")
    assert _blocks(docx.read(tmp_path / "h.docx", source_id="h")) == [
        (HEADING, 2, "", "Swedish heading"), (HEADING, 1, "", "Chapter by outline level"),
        (HEADING, 3, "", "Direct outline level"), (PARAGRAPH, 1, "", "Body text"),
    ]


def test_rendered_page_breaks_are_counted_instead_of_explicit_ones(tmp_path: Path):
    d = python_docx.Document()
    d.add_paragraph("page one")
    d.add_page_break()
    second = d.add_paragraph("page two")
    # Word leaves a rendered break where page two begins, besides the explicit break above
    second.runs[0]._r.insert(0, parse_xml(f"<w:lastRenderedPageBreak {W_NS}/>"))
    d.save(tmp_path / "r.docx")
    document = docx.read(tmp_path / "r.docx", source_id="r")
    assert [(b.text, b.provenance.page) for b in document.blocks] == [("page one", 1), ("page two", 2)]
    assert document.pages == 2


def test_text_in_a_content_control_is_read(tmp_path: Path):
    d = python_docx.Document()
    d.add_paragraph("before")
    d.element.body.insert(1, parse_xml(
        f'<w:sdt {W_NS}><w:sdtContent><w:p><w:r><w:t>inside control</w:t></w:r></w:p></w:sdtContent></w:sdt>'))
    d.save(tmp_path / "c.docx")
    assert [b.text for b in docx.read(tmp_path / "c.docx", source_id="c").blocks] == ["before", "inside control"]


def test_text_boxes_are_read_once_after_their_anchor(tmp_path: Path):
    d = python_docx.Document()
    anchor = d.add_paragraph("anchor")
    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    vml = 'xmlns:v="urn:schemas-microsoft-com:vml"'
    box = '<w:txbxContent><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:txbxContent>'
    # Word writes a DrawingML choice and a VML fallback holding the same text: read it once
    anchor._p.append(parse_xml(
        f'<w:r {W_NS} {mc} {vml}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>{box.format("boxed")}'
        f'</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box.format("boxed")}</v:textbox>'
        '</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>'))
    d.add_paragraph("after")
    d.save(tmp_path / "b.docx")
    blocks = docx.read(tmp_path / "b.docx", source_id="b").blocks
    assert [(b.text, b.container) for b in blocks] == [("anchor", ""), ("boxed", "box1"), ("after", "")]


# -- robustness and safety ------------------------------------------------------------------

def _minimal_docx(tmp_path: Path) -> Path:
    d = python_docx.Document()
    d.add_paragraph("a")
    path = tmp_path / "base.docx"
    d.save(path)
    return path


def _rewrite(source: Path, target: Path, replace: dict[str, bytes], extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, replace.get(info.filename, old.read(info.filename)))
        for name, data in (extra or {}).items():
            new.writestr(name, data)
    return target


def test_truncated_docx_is_unreadable(tmp_path: Path):
    data = _minimal_docx(tmp_path).read_bytes()
    (tmp_path / "cut.docx").write_bytes(data[: int(len(data) * 0.6)])
    with pytest.raises(UnreadableDocument, match="truncated or damaged file: not a valid DOCX package"):
        docx.read(tmp_path / "cut.docx", source_id="cut")


@pytest.mark.parametrize("content", [b"just text, not a zip", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600])
def test_not_a_zip_is_unreadable(tmp_path: Path, content: bytes):
    (tmp_path / "x.docx").write_bytes(content)
    with pytest.raises(UnreadableDocument, match="not a valid DOCX package") as caught:
        docx.read(tmp_path / "x.docx", source_id="x")
    assert caught.value.__cause__ is not None


def test_missing_main_part_and_bad_xml_are_unreadable(tmp_path: Path):
    base = _minimal_docx(tmp_path)
    with zipfile.ZipFile(base) as old, zipfile.ZipFile(tmp_path / "nobody.docx", "w") as new:
        for info in old.infolist():
            if info.filename != "word/document.xml":
                new.writestr(info, old.read(info.filename))
    broken = _rewrite(base, tmp_path / "badxml.docx", {"word/document.xml": b"<w:document><unclosed>"})
    bodiless = _rewrite(base, tmp_path / "bodiless.docx", {"word/document.xml": f"<w:document {W_NS}/>".encode()})
    for path in (tmp_path / "nobody.docx", broken, bodiless):
        with pytest.raises(UnreadableDocument, match="not a valid DOCX package"):
            docx.read(path, source_id=path.stem)


def test_zip_bomb_by_size_is_refused(tmp_path: Path):
    path = _rewrite(_minimal_docx(tmp_path), tmp_path / "bomb.docx", {})
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(201):
                member.write(block)
    assert path.stat().st_size < 2_000_000
    with pytest.raises(UnreadableDocument, match="refused: zip package inflates"):
        docx.read(path, source_id="bomb")


def test_zip_bomb_by_entry_count_is_refused(tmp_path: Path):
    extra = {f"customXml/n{i}.txt": b"" for i in range(MAX_ENTRIES)}
    path = _rewrite(_minimal_docx(tmp_path), tmp_path / "many.docx", {}, extra)
    with pytest.raises(UnreadableDocument, match="refused: zip package with"):
        docx.read(path, source_id="many")


BILLION_LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)


def test_billion_laughs_docx_is_refused_before_parsing(tmp_path: Path):
    base = _minimal_docx(tmp_path)
    with zipfile.ZipFile(base) as archive:
        xml = archive.read("word/document.xml").decode()
    prolog, rest = xml.split("?>", 1)
    evil = (prolog + "?>" + BILLION_LAUGHS + rest.replace("<w:t>a</w:t>", "<w:t>&lol9;</w:t>")).encode()
    path = _rewrite(base, tmp_path / "lol.docx", {"word/document.xml": evil})
    with pytest.raises(UnreadableDocument, match="refused: XML with a DOCTYPE/entity declarations"):
        docx.read(path, source_id="lol")


def test_dtd_in_a_part_named_like_binary_but_declared_xml_is_refused(tmp_path: Path):
    base = _minimal_docx(tmp_path)
    with zipfile.ZipFile(base) as archive:
        types = archive.read("[Content_Types].xml").decode()
    types = types.replace("</Types>", '<Default Extension="bin" ContentType="application/xml"/></Types>')
    path = _rewrite(base, tmp_path / "sneaky.docx", {"[Content_Types].xml": types.encode()},
                    {"word/extra.bin": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><x/>'.encode("utf-16")})
    with pytest.raises(UnreadableDocument, match="refused: XML with a DOCTYPE"):
        check_package(path, source_id="sneaky")


def test_python_docx_parser_does_not_expand_entities_anyway():
    element = parse_xml(f'<!DOCTYPE w:t [<!ENTITY e "EXPANDED">]><w:t {W_NS}>&e;</w:t>'.encode())
    assert "EXPANDED" not in (element.text or "")


# A DOCX LibreOffice writes (a child process): tests/system/test_docx.py.


# Found by tests/system/test_fuzz.py: damage python-docx trips over with its own exceptions.
def _part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def test_a_relationship_without_a_target_is_unreadable(tmp_path: Path):
    base = _minimal_docx(tmp_path)
    rels = _part(base, "word/_rels/document.xml.rels")
    broken = rels.replace('Target="styles.xml"', "", 1)
    assert broken != rels
    path = _rewrite(base, tmp_path / "targetless.docx", {"word/_rels/document.xml.rels": broken.encode()})
    with pytest.raises(UnreadableDocument, match=r"not a valid DOCX package \(TypeError"):
        docx.read(path, source_id="targetless")


def test_a_rels_part_that_is_not_relationships_is_unreadable(tmp_path: Path):
    base = _minimal_docx(tmp_path)
    rels = _part(base, "_rels/.rels").replace("<Relationships ", "<Relation ").replace("</Relationships>", "</Relation>")
    path = _rewrite(base, tmp_path / "odd-rels.docx", {"_rels/.rels": rels.encode()})
    with pytest.raises(UnreadableDocument, match="not a valid DOCX package"):
        docx.read(path, source_id="odd-rels")


@pytest.mark.parametrize("content_type", [
    "application/vnd.openxmlformats-package.core-properties+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
])
def test_parts_declared_with_a_foreign_content_type_are_ignored(tmp_path: Path, content_type: str):
    base = _minimal_docx(tmp_path)
    types = _part(base, "[Content_Types].xml")
    assert content_type in types
    path = _rewrite(base, tmp_path / "foreign.docx",
                    {"[Content_Types].xml": types.replace(content_type, "application/octet-stream").encode()})
    document = docx.read(path, source_id="foreign")
    assert [b.text for b in document.blocks] == ["a"]


def test_a_glyph_or_number_typed_into_a_plain_paragraph_is_a_list_item(tmp_path: Path) -> None:
    document = python_docx.Document()
    document.add_heading("Prioriterade styrkeområden", 1)
    document.add_paragraph("Med strategin lägger vi fokus på:")
    for text in ["▪\tSmart industri", "-\tE-handel och logistik", "•Besöksnäring", "1.\tLivsmedel",
                 "a)\tTjänstedesign"]:
        document.add_paragraph(text)
    document.add_paragraph("2020 var ett år med - som alltid - många frågor.")
    document.add_paragraph("1. Inledning\t3")  # a typed TOC line: no tab after the number
    path = tmp_path / "typed.docx"
    document.save(path)
    blocks = docx.read(path, source_id="typed").blocks
    assert [(b.marker, b.text) for b in blocks if b.kind == LIST_ITEM] == [
        ("▪", "Smart industri"), ("-", "E-handel och logistik"), ("•", "Besöksnäring"),
        ("1.", "Livsmedel"), ("a)", "Tjänstedesign")]
    assert [b.kind for b in blocks[-2:]] == [PARAGRAPH, PARAGRAPH]
