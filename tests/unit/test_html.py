"""The HTML reader: saved web pages written into tmp_path by the tests themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartspec.extractors.document import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, Document
from smartspec.extractors.errors import UnreadableDocument
from smartspec.extractors.readers import READERS, read_document
from smartspec.extractors.readers import html

PAGE = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Region X – Smart specialisering</title>
<style>p { color: red }</style><script>var tracking = "SCRIPT TEXT";</script></head>
<body>
<header><a href="/">Region X</a> site banner</header>
<nav hidden><a>Hidden nav link</a></nav>
<div role="navigation">Breadcrumb trail</div>
<main><article>
<header><h1>Smart   specialisering
  2024</h1></header>
<p>Regionen satsar på <b>fyra</b> områden.</p>
<p><strong>Helt i fetstil</strong></p>
<script>document.write("INLINE SCRIPT")</script>
<h2>Prioriteringar</h2>
<ul>
  <li>Life <em>science</em>
    <ul><li>Medtech</li><li>Pharma
      <ol start="3"><li>Vaccines</li><li>Diagnostics</li></ol></li></ul>
  </li>
  <li>ICT</li>
</ul>
<ol type="a"><li>first</li><li value="5">fifth</li></ol>
<dl><dt>Term</dt><dd>Its definition</dd></dl>
<div>Loose text<div>inner block</div>tail text</div>
<table>
  <thead><tr><th>Area</th><th>Goal</th><th>Owner</th></tr></thead>
  <tbody>
    <tr><td rowspan="2">Smart<br>materials</td><td colspan="2">Lighter vehicles</td></tr>
    <tr><td>Recycling</td><td>RISE</td></tr>
  </tbody>
</table>
<p aria-hidden="true">Aria hidden text</p><p style="display: none">CSS hidden text</p>
<p>Västra&nbsp;Götaland</p>
</article></main>
<aside>Related links</aside>
<footer>Cookie notice</footer>
</body></html>
"""


def _read(tmp_path: Path, markup: str | bytes, name: str = "page.html") -> Document:
    path = tmp_path / name
    path.write_bytes(markup.encode("utf-8") if isinstance(markup, str) else markup)
    return read_document(path, source_id=path.stem)


@pytest.fixture
def page(tmp_path: Path) -> Document:
    return _read(tmp_path, PAGE)


def test_readers_registry_maps_html(tmp_path):
    path = tmp_path / "page.htm"
    path.write_text(PAGE, encoding="utf-8")
    assert READERS[".html"] is READERS[".htm"]
    assert READERS[".htm"](path, source_id="p") == html.read(path, source_id="p")


def test_document_facts(page: Document):
    assert page.format == "html" and page.pages == 1
    assert page.title == "Smart specialisering 2024"  # the first h1 beats <title>
    assert ("language", "sv") in page.metadata
    assert all(b.provenance.page == 1 and b.provenance.bbox is None for b in page.blocks)


def test_blocks_in_order_with_kinds_levels_and_markers(page: Document):
    assert [(b.kind, b.level, b.marker, b.text) for b in page.blocks if b.kind != TABLE_CELL] == [
        (HEADING, 1, "", "Smart specialisering 2024"),
        (PARAGRAPH, 1, "", "Regionen satsar på fyra områden."),
        (PARAGRAPH, 1, "", "Helt i fetstil"),
        (HEADING, 2, "", "Prioriteringar"),
        (LIST_ITEM, 1, "•", "Life science"),  # its own text, not its sub-list's
        (LIST_ITEM, 2, "•", "Medtech"),
        (LIST_ITEM, 2, "•", "Pharma"),
        (LIST_ITEM, 3, "3.", "Vaccines"),
        (LIST_ITEM, 3, "4.", "Diagnostics"),
        (LIST_ITEM, 1, "•", "ICT"),
        (LIST_ITEM, 1, "a.", "first"),
        (LIST_ITEM, 1, "e.", "fifth"),
        (PARAGRAPH, 1, "", "Term"),
        (PARAGRAPH, 1, "", "Its definition"),
        (PARAGRAPH, 1, "", "Loose text"),
        (PARAGRAPH, 1, "", "inner block"),
        (PARAGRAPH, 1, "", "tail text"),
        (PARAGRAPH, 1, "", "Västra Götaland"),
    ]


def test_scripts_navigation_chrome_and_hidden_elements_are_dropped(page: Document):
    text = " ".join(b.text for b in page.blocks)
    for dropped in ("SCRIPT", "color: red", "Hidden nav", "Breadcrumb", "site banner", "Aria hidden",
                    "CSS hidden", "Related links", "Cookie notice", "Region X –"):
        assert dropped not in text


def test_bold_only_when_the_whole_block_is_bold(page: Document):
    bold = {b.text: b.bold for b in page.blocks}
    assert bold["Helt i fetstil"] and bold["Term"] and bold["Prioriteringar"]
    assert not bold["Regionen satsar på fyra områden."] and not bold["Its definition"]


def test_table_cells_once_each_with_grid_columns_and_rows(page: Document):
    cells = [(b.row, b.level, b.text, b.container, b.bold) for b in page.blocks if b.kind == TABLE_CELL]
    assert cells == [
        (1, 1, "Area", "t1", True), (1, 2, "Goal", "t1", True), (1, 3, "Owner", "t1", True),
        (2, 1, "Smart\nmaterials", "t1", False), (2, 2, "Lighter vehicles", "t1", False),
        (3, 2, "Recycling", "t1", False), (3, 3, "RISE", "t1", False),  # column 1 is the rowspan above
    ]


def test_title_falls_back_to_the_title_element(tmp_path: Path):
    document = _read(tmp_path, "<html><head><title> Plan  2025 </title></head><body><h2>Sub</h2></body></html>")
    assert document.title == "Plan 2025"


def test_a_layout_table_is_read_as_content(tmp_path: Path):
    document = _read(tmp_path, "<table><tr><td><h1>Strategy</h1><ul><li>One</li></ul></td>"
                               "<td><p>Side text</p></td></tr></table>")
    assert [(b.kind, b.level, b.text) for b in document.blocks] == [
        (HEADING, 1, "Strategy"), (LIST_ITEM, 1, "One"), (PARAGRAPH, 1, "Side text")]


def test_list_markers_inside_a_data_table_cell_stay_in_its_lines(tmp_path: Path):
    document = _read(tmp_path, "<table><tr><td>Areas<ol><li>Wood</li><li>Steel</li></ol></td></tr></table>")
    assert [b.text for b in document.blocks] == ["Areas\n1. Wood\n2. Steel"]


def test_declared_charset_is_used(tmp_path: Path):
    markup = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head>' \
             "<body><p>Jämtland – Härjedalen</p></body></html>"
    document = _read(tmp_path, markup.encode("cp1252"))
    assert [b.text for b in document.blocks] == ["Jämtland – Härjedalen"]


def test_undeclared_bytes_are_utf8_else_windows_1252(tmp_path: Path):
    assert _read(tmp_path, "<p>Örebro</p>".encode(), "a.html").blocks[0].text == "Örebro"
    assert _read(tmp_path, "<p>Örebro</p>".encode("cp1252"), "b.html").blocks[0].text == "Örebro"


@pytest.mark.parametrize("markup", ["", "<html><head><title></title></head><body>  </body></html>",
                                    "<script>only()</script><!-- a comment -->"])
def test_a_page_without_text_has_no_blocks(tmp_path: Path, markup: str):
    path = tmp_path / "empty.html"
    path.write_text(markup or " ", encoding="utf-8")
    document = html.read(path, source_id="empty")
    assert document.blocks == () and document.pages == 1


def test_binary_data_is_unreadable(tmp_path: Path):
    with pytest.raises(UnreadableDocument, match="binary data"):
        _read(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_very_deep_nesting_keeps_the_text_without_recursing_to_death(tmp_path: Path):
    markup = "<p>top</p>" + "<font>" * 3000 + "deep <b>text</b><script>no()</script>" + "</font>" * 3000
    document = _read(tmp_path, markup + "<ul>" * 400 + "<li>deep item</li>" + "</ul>" * 400)
    assert [b.text for b in document.blocks] == ["top", "deep text", "deep item"]


def test_billion_laughs_doctype_is_not_expanded(tmp_path: Path):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    document = _read(tmp_path, f"<!DOCTYPE html [{entities}]><html><body><p>&lol9;</p><p>after</p></body></html>")
    text = " ".join(b.text for b in document.blocks)
    assert "lollol" not in text and len(text) < 100
    assert "]>" not in text and "after" in text  # the DOCTYPE's internal subset does not leak in as text


def test_external_entities_are_not_fetched(tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    document = _read(tmp_path, f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
                               "<html><body><p>&xxe;</p><p>visible</p></body></html>")
    assert "TOP SECRET" not in " ".join(b.text for b in document.blocks)


def test_a_glyph_typed_into_a_paragraph_is_a_list_item(tmp_path: Path) -> None:
    document = _read(tmp_path, "<h2>Areas</h2><p>• Life science</p><p>▪\tICT</p><p>1.\tFood</p>"
                               "<p>-based growth</p><p>2020 was a year</p>")
    assert [(b.kind, b.marker, b.text) for b in document.blocks[1:]] == [
        (LIST_ITEM, "•", "Life science"), (LIST_ITEM, "▪", "ICT"), (LIST_ITEM, "1.", "Food"),
        (PARAGRAPH, "", "-based growth"), (PARAGRAPH, "", "2020 was a year")]
