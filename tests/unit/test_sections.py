"""find_region_sections on hand-made block sequences: the rules of a many-region document."""

from extractors.document import HEADING, LIST_ITEM, PARAGRAPH, TITLE, Block, Provenance
from extractors.regions import Region, RegionMatch
from extractors.sections import find_region_sections

REGIONS = {
    name: Region(code, name, "SE", 3, "", "", "sv", ())
    for name, code in [("Skåne", "SE224"), ("Gotland", "SE214"), ("Kalmar", "SE213")]
}


def match(text):
    region = REGIONS.get(text.rstrip(":"))
    return RegionMatch(region, "exact", text, 100.0) if region else None


def block(text, kind=LIST_ITEM, level=1, page=1, bold=False):
    return Block(text, kind, level, Provenance("deck", page, None, "test"), bold=bold)


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


def test_bold_paragraph_can_name_a_region_and_bullets_before_any_region_are_dropped():
    blocks = [
        block("Introducerades 2014"),
        block("Gotland", PARAGRAPH, bold=True), block("Livsmedel"),
        block("Gotland har också", PARAGRAPH),
    ]
    assert sections_of(blocks) == [("SE214", ["Livsmedel"])]
