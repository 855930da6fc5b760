"""find_region_sections on hand-made block sequences: the rules of a many-region document."""

from smartspec.extractors.document import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, TITLE, Block, Provenance
from smartspec.extractors.regions import Region, RegionMatch
from smartspec.extractors.sections import find_region_sections

REGIONS = {
    name: Region(code, name, "SE", 3, "", "", "sv", ())
    for name, code in [("Skåne", "SE224"), ("Gotland", "SE214"), ("Kalmar", "SE213")]
}


def match(text):
    region = REGIONS.get(text.rstrip(":"))
    return RegionMatch(region, "exact", text, 100.0) if region else None


def block(text, kind=LIST_ITEM, level=1, page=1, bold=False):
    return Block(text, kind, level, Provenance("deck", page, None, "test"), bold=bold)


def cell(text, row, column, table="t1"):
    return Block(text, TABLE_CELL, column, Provenance("deck", 1, None, "test"), container=table, row=row)


def sections_of(blocks):
    found = find_region_sections(blocks, match, max_heading_chars=60)
    return [(s.region.region.code, [b.text for b in s.items]) for s in found]


def test_region_heading_opens_and_next_region_closes():
    blocks = [
        block("Intro", TITLE), block("Not a priority"),
        block("Kartan", HEADING, 1),
        block("Skåne", HEADING, 2), block("Smarta material"),
        block("Gotland", HEADING, 2), block("Besöksnäring"), block("Livsmedel"),
    ]
    assert sections_of(blocks) == [("SE224", ["Smarta material"]), ("SE214", ["Besöksnäring", "Livsmedel"])]


def test_heading_of_same_or_higher_rank_closes_the_region():
    blocks = [
        block("Kartan", HEADING, 1), block("Skåne", HEADING, 2), block("Smarta material"),
        block("Processen", HEADING, 1), block("Kartan har tagits fram"),
        block("Kalmar", HEADING, 2), block("Boende"),
        block("Tillväxtverket ska:", HEADING, 2), block("stödja aktörer"),
    ]
    assert sections_of(blocks) == [("SE224", ["Smarta material"]), ("SE213", ["Boende"])]


def test_a_deeper_heading_keeps_the_region_open():
    blocks = [block("Skåne", HEADING, 1), block("Styrkeområden", HEADING, 2), block("Smarta material")]
    assert sections_of(blocks) == [("SE224", ["Smarta material"])]


def test_repeated_slide_title_does_not_close_a_region_that_goes_on():
    blocks = [
        block("Smart specialisering i regionerna", HEADING, 1, page=4),
        block("Kalmar", HEADING, 2, page=4), block("Boende", page=4),
        block("Smart specialisering i regionerna (forts.)", HEADING, 1, page=5),
        block("Livsmedel", page=5),
        block("Processen", HEADING, 1, page=6), block("Vi har nätverksträffar", page=6),
    ]
    assert sections_of(blocks) == [("SE213", ["Boende", "Livsmedel"])]


def test_a_table_row_naming_a_region_lists_its_areas_one_line_an_item():
    blocks = [
        block("Södra Sverige", HEADING, 1),
        cell("Region", 1, 1), cell("Områden", 1, 2),
        cell("Skåne", 2, 1), cell("• Tech\n• Life science", 2, 2),
        cell("Gotland", 3, 1), cell("Besöksnäring\nLivsmedel", 3, 2),
        block("Processen", HEADING, 1), block("Not a priority"),
    ]
    found = find_region_sections(blocks, match, max_heading_chars=60)
    assert [(s.region.region.code, [b.text for b in s.items]) for s in found] == [
        ("SE224", ["Tech", "Life science"]), ("SE214", ["Besöksnäring", "Livsmedel"])]
    assert [b.marker for b in found[0].items] == ["•", "•"]
    assert {b.kind for s in found for b in s.items} == {LIST_ITEM}


def test_a_cell_naming_a_region_in_a_later_column_heads_nothing():
    blocks = [cell("Område", 1, 1), cell("Skåne", 1, 2), cell("Tech", 2, 1), cell("Gotland", 2, 2)]
    assert sections_of(blocks) == []


def test_a_region_named_before_a_bracketed_remark_goes_on():
    blocks = [
        block("Karta", HEADING, 1, page=4), block("Kalmar", HEADING, 2, page=4), block("Boende", page=4),
        block("Karta (forts.)", HEADING, 1, page=5),
        block("Kalmar (forts.)", HEADING, 2, page=5), block("Livsmedel", page=5),
        block("Skåne (forts.) och Gotland", HEADING, 1, page=6), block("Tech", page=6),
        block("Gotland", HEADING, 2, page=6), block("Besöksnäring", page=6),
    ]
    assert sections_of(blocks) == [("SE213", ["Boende"]), ("SE213", ["Livsmedel"]),
                                   ("SE224", ["Tech"]), ("SE214", ["Besöksnäring"])]


def test_bold_paragraph_can_name_a_region_and_bullets_before_any_region_are_dropped():
    blocks = [
        block("Introducerades 2014"),
        block("Gotland", PARAGRAPH, bold=True), block("Livsmedel"),
        block("Gotland har också", PARAGRAPH),
    ]
    assert sections_of(blocks) == [("SE214", ["Livsmedel"])]
