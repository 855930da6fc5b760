"""The PPTX reader on the seed deck (made by scripts/make_seed_deck.py) and on real odd decks."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from smartspec.extractors.document import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, TITLE, Document
from smartspec.extractors.errors import UnreadableDocument
from smartspec.extractors.readers import pptx, text

ROOT = Path(__file__).resolve().parents[2]
DECK = ROOT / "raw" / "tillvaxtverket-smart-specialisering-2019.pptx"
SEED_TEXT = ROOT / "tests" / "data" / "seed_deck.txt"
CORPUS = ROOT.parent / "shared" / "corpus"
ROBUSTNESS = CORPUS / "robustness"

MAP_TITLE = "Smart specialisering i Sveriges regioner – uppdateras löpande"
REGIONS = [
    "Norrbottnen", "Jämtland-Härjedalen", "Västerbotten", "Västernorrland", "Dalarna", "Västmanland",
    "Gävleborg", "Uppsala", "Stockholm", "Södermanland", "Östergötland", "Gotland", "Kalmar", "Örebro",
    "Jönköping", "Kronoberg", "Blekinge", "Skåne",
]
MAP_PAGES = (4, 5, 6)


@pytest.fixture(scope="module")
def deck() -> Document:
    return pptx.read(DECK, source_id="tillvaxtverket-smart-specialisering-2019")


def _on(deck: Document, page: int) -> list:
    return [b for b in deck.blocks if b.provenance.page == page]


def _robustness(name: str) -> Path:
    path = ROBUSTNESS / name
    if not path.exists():
        pytest.skip(f"../shared/corpus not found: {path} is absent")
    return path


# --- the seed deck ----------------------------------------------------------------------------
def test_deck_facts(deck: Document) -> None:
    assert deck.pages == 8
    assert deck.format == "pptx"
    assert deck.title == "Smart specialisering"
    assert dict(deck.metadata)["author"] == "Tillväxtverket"
    assert {b.provenance.reader for b in deck.blocks} == {"pptx"}


def test_title_slide(deck: Document) -> None:
    blocks = _on(deck, 1)
    assert [(b.kind, b.text) for b in blocks] == [
        (TITLE, "Smart specialisering"), (PARAGRAPH, "Cecilia Johansson"), (PARAGRAPH, "2019-02-13"),
    ]


def test_intro_bullets_come_from_the_master(deck: Document) -> None:
    blocks = _on(deck, 2)
    assert (blocks[0].kind, blocks[0].level) == (HEADING, 1)
    items = blocks[1:]
    assert len(items) == 8
    assert all(b.kind == LIST_ITEM and b.level == 1 and b.marker for b in items)
    # ...and the slide itself sets no bullet: it is inherited from the master's bodyStyle
    slide = Presentation(str(DECK)).slides[1]
    assert not list(slide.placeholders[1]._element.iter(qn("a:buChar")))


def test_mandate_slide(deck: Document) -> None:
    blocks = _on(deck, 3)
    assert [(b.kind, b.level) for b in blocks] == [(HEADING, 1), (HEADING, 2), (PARAGRAPH, 1), (PARAGRAPH, 1)]
    assert blocks[1].text == "Tillväxtverket ska:" and blocks[1].bold
    assert blocks[2].text.startswith("”Fram till och med 2020")


def test_every_map_slide_has_the_same_title_first(deck: Document) -> None:
    for page in MAP_PAGES:
        first = _on(deck, page)[0]
        assert (first.kind, first.level, first.text) == (HEADING, 1, MAP_TITLE)


def test_region_names_are_bold_headings_in_order(deck: Document) -> None:
    headings = [b for b in deck.blocks if b.kind == HEADING and b.level == 2 and b.provenance.page in MAP_PAGES]
    assert [b.text for b in headings] == REGIONS
    assert all(b.bold for b in headings)
    pages = [b.provenance.page for b in headings]
    assert pages == sorted(pages) and pages[0] == 4 and pages[-1] == 6


def test_region_bullets_are_list_items(deck: Document) -> None:
    items = [b for b in deck.blocks if b.provenance.page in MAP_PAGES and b.kind == LIST_ITEM]
    assert len(items) == 64
    assert {(b.marker, b.level) for b in items} == {("•", 1)}
    assert "Norrbottnen" not in {b.text for b in items}


def test_list_items_match_the_seed_text(deck: Document) -> None:
    seed = text.read(SEED_TEXT, source_id="seed")
    expected = [b.text for b in seed.blocks if b.kind == LIST_ITEM]
    assert [b.text for b in deck.blocks if b.kind == LIST_ITEM] == expected
    assert "Entreprenörskivet" in expected and "Digitala tjänstenärings" in expected


def test_next_steps_use_their_own_glyph(deck: Document) -> None:
    items = [b for b in _on(deck, 8) if b.kind == LIST_ITEM]
    assert [b.marker for b in items] == ["▶"] * 3
    assert not any(b.text.startswith("▶") for b in items)
    assert [b.marker for b in _on(deck, 7) if b.kind == LIST_ITEM] == ["•"] * 5


def test_run_over_bullets_come_first_on_the_next_slide(deck: Document) -> None:
    previous = [b for b in _on(deck, 4) if b.kind == LIST_ITEM]
    assert [b.text for b in previous[-3:]] == ["Digitala tjänster", "Hälsa och sjukvård", "Life Science"]
    blocks = _on(deck, 5)
    assert blocks[0].text == MAP_TITLE
    assert [(b.kind, b.text) for b in blocks[1:5]] == [
        (LIST_ITEM, "Testverksamhet"), (LIST_ITEM, "Hållbar energi och miljöteknik"),
        (LIST_ITEM, "Upplevelsenärings"), (HEADING, "Västernorrland"),
    ]


def test_a_region_named_in_its_own_box(deck: Document) -> None:
    blocks = _on(deck, 5)
    at = next(i for i, b in enumerate(blocks) if b.text == "Uppsala")
    heading, first_item = blocks[at], blocks[at + 1]
    assert heading.kind == HEADING and first_item.kind == LIST_ITEM and first_item.text == "Life science"
    assert heading.container != first_item.container
    assert heading.provenance.bbox.bottom <= first_item.provenance.bbox.top + 1


def test_grouped_region_sits_in_its_column(deck: Document) -> None:
    """Gotland's boxes are grouped with a child offset of 0: the group transform must apply."""
    blocks = {b.text: b for b in _on(deck, 6) if b.kind == HEADING}
    gotland, kalmar = blocks["Gotland"].provenance.bbox, blocks["Kalmar"].provenance.bbox
    assert gotland.x0 == pytest.approx(kalmar.x0, abs=0.5)
    assert gotland.bottom <= kalmar.top
    assert gotland.top > 100  # below the title, not at the group's child origin


def test_boxes_lie_on_the_slide(deck: Document) -> None:
    for block in deck.blocks:
        box = block.provenance.bbox
        assert box is not None
        assert 0 <= box.x0 < box.x1 <= 960 and 0 <= box.top < box.bottom <= 540, block


def test_containers_name_the_slide(deck: Document) -> None:
    for block in deck.blocks:
        assert block.container.startswith(f"s{block.provenance.page}:")


# --- real decks and broken files ----------------------------------------------------------------
def test_group_without_text_gives_no_blocks() -> None:
    document = pptx.read(_robustness("python-pptx__shp-groupshape.pptx"), source_id="group")
    assert document.pages == 1
    assert document.blocks == ()


def test_table_cells_once_each() -> None:
    document = pptx.read(_robustness("python-pptx__tbl-cell.pptx"), source_id="tables")
    assert document.pages == 3
    cells = [b for b in document.blocks if b.kind == TABLE_CELL]
    assert cells and len(cells) == len(document.blocks)
    assert all(b.row >= 1 and b.level >= 1 and b.container for b in cells)
    keys = [(b.container, b.row, b.level) for b in cells]
    assert len(keys) == len(set(keys))
    merged = [b for b in cells if b.text == "merged cell"]
    assert len(merged) == len({b.container for b in merged}) >= 1  # once per table
    assert [b.text for b in cells if b.provenance.page == 3] == list("abcdefghi")


def test_deck_without_slides() -> None:
    document = pptx.read(_robustness("python-pptx__no-slides.pptx"), source_id="empty")
    assert (document.pages, document.blocks) == (0, ())


def test_truncated_deck_is_unreadable() -> None:
    with pytest.raises(UnreadableDocument, match="truncated"):
        pptx.read(_robustness("derived__test_slides_truncated-60pct.pptx"), source_id="cut")


def test_empty_file_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "empty.pptx"
    path.write_bytes(b"")
    with pytest.raises(UnreadableDocument, match="empty"):
        pptx.read(path, source_id="empty")


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pptx"
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("ppt/media/zeros.bin", "w", force_zip64=True) as fh:
            for _ in range(256):  # 256 MB of zeros, about 1 MB on disk
                fh.write(chunk)
    with pytest.raises(UnreadableDocument, match="zip bomb"):
        pptx.read(path, source_id="bomb")


# Every deck of the robustness corpus through the reader: tests/system/test_robustness.py.


def _rewritten_deck(target: Path, replace: dict[str, bytes]) -> Path:
    """The seed deck with some package parts replaced."""
    with zipfile.ZipFile(DECK) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info, replace.get(info.filename, source.read(info.filename)))
    return target


BILLION_LAUGHS = (
    '<!DOCTYPE p:sld [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)


def test_billion_laughs_pptx_is_refused_before_parsing(tmp_path: Path) -> None:
    with zipfile.ZipFile(DECK) as archive:
        slide = archive.read("ppt/slides/slide1.xml").decode("utf-8")
    prolog, rest = slide.split("?>", 1)
    first_text = rest.index("<a:t>") + len("<a:t>")
    evil = prolog + "?>" + BILLION_LAUGHS + rest[:first_text] + "&lol9;" + rest[first_text:]
    path = _rewritten_deck(tmp_path / "lol.pptx", {"ppt/slides/slide1.xml": evil.encode("utf-8")})
    with pytest.raises(UnreadableDocument, match=r"refused: XML with a DOCTYPE/entity declarations \(ppt/slides/slide1"):
        pptx.read(path, source_id="lol")


def test_external_entity_in_pptx_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")
    with zipfile.ZipFile(DECK) as archive:
        presentation = archive.read("ppt/presentation.xml").decode("utf-8")
    prolog, rest = presentation.split("?>", 1)
    evil = f'{prolog}?><!DOCTYPE p:presentation [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>{rest}'
    path = _rewritten_deck(tmp_path / "xxe.pptx", {"ppt/presentation.xml": evil.encode("utf-8")})
    with pytest.raises(UnreadableDocument, match="refused: XML with a DOCTYPE"):
        pptx.read(path, source_id="xxe")


def test_zip_bomb_by_entry_count_is_refused(tmp_path: Path) -> None:
    from smartspec.extractors.readers._ooxml import MAX_ENTRIES

    path = _rewritten_deck(tmp_path / "many.pptx", {})
    with zipfile.ZipFile(path, "a") as archive:
        for number in range(MAX_ENTRIES):
            archive.writestr(f"customXml/n{number}.txt", b"")
    with pytest.raises(UnreadableDocument, match="refused: zip package with"):
        pptx.read(path, source_id="many")


# Found by tests/system/test_fuzz.py: damage python-pptx trips over with its own exceptions.
def test_a_rels_part_that_is_not_relationships_is_unreadable(tmp_path: Path) -> None:
    with zipfile.ZipFile(DECK) as archive:
        rels = archive.read("_rels/.rels").decode("utf-8")
    odd = rels.replace("<Relationships ", "<Relation ").replace("</Relationships>", "</Relation>")
    path = _rewritten_deck(tmp_path / "odd-rels.pptx", {"_rels/.rels": odd.encode("utf-8")})
    with pytest.raises(UnreadableDocument, match="not a valid PPTX package"):
        pptx.read(path, source_id="odd-rels")


def test_core_properties_declared_with_a_foreign_content_type_are_ignored(tmp_path: Path) -> None:
    with zipfile.ZipFile(DECK) as archive:
        types = archive.read("[Content_Types].xml").decode("utf-8")
    core = "application/vnd.openxmlformats-package.core-properties+xml"
    assert core in types
    path = _rewritten_deck(tmp_path / "foreign.pptx",
                           {"[Content_Types].xml": types.replace(core, "application/octet-stream").encode("utf-8")})
    document = pptx.read(path, source_id="foreign")
    assert document.metadata == () and document.pages == 8


def test_a_slide_declared_with_a_foreign_content_type_is_unreadable(tmp_path: Path) -> None:
    with zipfile.ZipFile(DECK) as archive:
        types = archive.read("[Content_Types].xml").decode("utf-8")
    slide = 'PartName="/ppt/slides/slide2.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"'
    assert slide in types
    foreign = types.replace(slide, 'PartName="/ppt/slides/slide2.xml" ContentType="application/octet-stream"')
    path = _rewritten_deck(tmp_path / "foreign-slide.pptx", {"[Content_Types].xml": foreign.encode("utf-8")})
    with pytest.raises(UnreadableDocument, match="not a valid PPTX package"):
        pptx.read(path, source_id="foreign-slide")


def test_a_zip_member_without_a_name_is_damage(tmp_path: Path) -> None:
    path = _rewritten_deck(tmp_path / "nameless.pptx", {})
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("Z", b"")  # the last central directory entry, with a one-byte name
    data = bytearray(path.read_bytes())
    entry = data.rindex(b"PK\x01\x02")
    assert data[entry + 28:entry + 34] == b"\x01\x00\x00\x00\x00\x00"  # name, extra, comment lengths
    data[entry + 28:entry + 34] = b"\x00\x00\x00\x00\x01\x00"  # no name; the "Z" is now its comment
    path.write_bytes(bytes(data))
    with pytest.raises(UnreadableDocument, match="truncated or damaged file"):
        pptx.read(path, source_id="nameless")


# ---- nesting by indent, and tiles ------------------------------------------------------

def _blank_slide(prs):
    return prs.slides.add_slide(prs.slide_layouts[6])


def _bulleted(frame, texts_and_margins):
    """Paragraphs with a typed "buChar" bullet and a left margin (EMU), all at outline level 0."""
    from lxml import etree

    for index, (words, glyph, margin) in enumerate(texts_and_margins):
        para = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        para.text = words
        p_pr = para._p.get_or_add_pPr()
        p_pr.set("marL", str(margin))
        p_pr.set("indent", "-228600")
        etree.SubElement(p_pr, qn("a:buChar")).set("char", glyph)


def test_a_bullet_indented_further_at_the_same_outline_level_is_a_sub_item(tmp_path: Path) -> None:
    from pptx.util import Pt

    prs = Presentation()
    box = _blank_slide(prs).shapes.add_textbox(Pt(40), Pt(100), Pt(300), Pt(300))
    _bulleted(box.text_frame, [("Vård och hälsa", "•", 228600), ("Food tech", "–", 457200),
                               ("Hållbara material", "–", 457200), ("Intelligenta system", "•", 228600)])
    path = tmp_path / "nested.pptx"
    prs.save(path)
    items = [b for b in pptx.read(path, source_id="nested").blocks if b.kind == LIST_ITEM]
    assert [(b.text, b.level, b.marker) for b in items] == [
        ("Vård och hälsa", 1, "•"), ("Food tech", 2, "–"), ("Hållbara material", 2, "–"),
        ("Intelligenta system", 1, "•")]


def _tile_deck(tmp_path: Path, sizes: list[tuple[int, int]]) -> list:
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Pt

    prs = Presentation()
    slide = _blank_slide(prs)
    title = slide.shapes.add_textbox(Pt(36), Pt(20), Pt(600), Pt(60))
    title.text_frame.text = "Fyra styrkeområden"
    for index, (width, height) in enumerate(sizes):
        shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Pt(36 + 230 * index), Pt(150),
                                       Pt(width), Pt(height))
        shape.text_frame.text = f"Område {index + 1} med en text som radbryts i rutan"
        shape.text_frame.paragraphs[0].runs[0].font.bold = True
    path = tmp_path / "tiles.pptx"
    prs.save(path)
    return [b for b in pptx.read(path, source_id="tiles").blocks if b.text.startswith("Område")]


def test_a_row_of_like_boxes_with_one_paragraph_each_is_a_list(tmp_path: Path) -> None:
    boxes = _tile_deck(tmp_path, [(210, 190)] * 4)
    assert [(b.kind, b.level, b.marker) for b in boxes] == [(LIST_ITEM, 1, "")] * 4
    assert [b.text[:8] for b in boxes] == ["Område 1", "Område 2", "Område 3", "Område 4"]


def test_boxes_of_different_sizes_are_not_tiles(tmp_path: Path) -> None:
    boxes = _tile_deck(tmp_path, [(210, 190), (150, 190), (210, 120)])
    assert all(b.kind != LIST_ITEM for b in boxes)
