"""The region of a single-region document: configured, or inferred with its evidence."""

from __future__ import annotations

import pytest

from smartspec.extractors.attribution import resolve_region
from smartspec.extractors.document import HEADING, PARAGRAPH, TITLE, Block, Document, Provenance
from smartspec.extractors.errors import RegionNotResolved


def _doc(*pages, title="", path="raw/strategy.pdf"):
    blocks = []
    for number, texts in enumerate(pages, start=1):
        for kind, text in texts:
            blocks.append(Block(text, kind, 1, Provenance("doc", number, None, "test")))
    return Document("doc", path, "pdf", "0" * 64, tuple(blocks), len(pages), title=title)


def _resolve(document, toolkit, **kwargs):
    return resolve_region(document, toolkit.pipeline("sv"), toolkit.gazetteer,
                          inference=toolkit.weights.region_inference, **kwargs)


def test_the_configured_region_wins_by_code_or_name(toolkit):
    document = _doc([(PARAGRAPH, "Region Skåne satsar.")])
    for given in ("SE232", "Västra Götaland", "vastra gotaland"):
        resolution = _resolve(document, toolkit, configured=given)
        assert (resolution.region.code, resolution.match) == ("SE232", "config")
        assert resolution.evidence == f"config: {given}"


def test_an_unknown_configured_region_is_an_error(toolkit):
    with pytest.raises(RegionNotResolved, match="raw/sources.toml"):
        _resolve(_doc([(PARAGRAPH, "text")]), toolkit, configured="Atlantis")


def test_the_title_page_names_the_region(toolkit):
    document = _doc([(TITLE, "Regional innovationsstrategi för Region Skåne")],
                    [(PARAGRAPH, "Skåne har starka miljöer. Sverige och Halland nämns också.")],
                    [(PARAGRAPH, "Skånes företag växer.")])
    resolution = _resolve(document, toolkit)
    assert (resolution.region.code, resolution.match) == ("SE224", "inferred")
    assert resolution.evidence.startswith("inferred from title page: 'Region Skåne'")
    assert "mentions in the text" in resolution.evidence


def test_a_national_strategy_gets_the_country(toolkit):
    document = _doc([(HEADING, "Smart specialisation in Estonia")],
                    *[[(PARAGRAPH, "Estonia has strong ICT.")]] * 3)
    assert _resolve(document, toolkit).region.code == "EE"


def test_the_file_name_can_tell(toolkit):
    document = _doc([(PARAGRAPH, "Strategin gäller 2021–2027.")], [(PARAGRAPH, "Inget namn här.")],
                    path="raw/norrbotten/innovationsstrategi.pdf")
    resolution = _resolve(document, toolkit, file_name="norrbotten/innovationsstrategi.pdf")
    assert resolution.region.code == "SE332"
    assert "file name" in resolution.evidence


def test_no_region_is_an_error_never_a_guess(toolkit):
    document = _doc([(PARAGRAPH, "En strategi för smart specialisering.")])
    with pytest.raises(RegionNotResolved, match="set region in raw/sources.toml"):
        _resolve(document, toolkit)


def test_a_region_merely_mentioned_in_passing_is_not_enough(toolkit):
    document = _doc([(PARAGRAPH, "Strategin tar fram områden.")], [(PARAGRAPH, "Text.")],
                    [(PARAGRAPH, "Samarbete med Halland och Kalmar och Gotland och Blekinge.")])
    with pytest.raises(RegionNotResolved):
        _resolve(document, toolkit)


def test_a_region_named_only_past_the_first_pages_is_a_neighbour_not_the_region(toolkit):
    document = _doc([(TITLE, "Smart specialisation in our region")], [(PARAGRAPH, "Text.")],
                    [(PARAGRAPH, "We work closely with Northern Ireland, whose strategy differs.")])
    with pytest.raises(RegionNotResolved, match="Northern Ireland"):
        _resolve(document, toolkit)


def test_a_common_word_that_names_a_region_is_no_mention_of_it(toolkit):
    # "var" is Swedish for "was", and Var a French département; "West" an Irish region
    document = _doc([(TITLE, "Var står vi?")],
                    [(PARAGRAPH, "Det var ett bra år. Var finns styrkorna? West of the border.")])
    with pytest.raises(RegionNotResolved, match="no region of the gazetteer is named"):
        _resolve(document, toolkit)


def test_a_finnish_region_by_its_swedish_name(toolkit):
    document = _doc([(TITLE, "Kunskap och förnyelse i Österbotten")],
                    [(PARAGRAPH, "Österbotten är ett landskap i Finland.")])
    assert _resolve(document, toolkit).region.code == "FI195"


def test_a_country_named_only_in_the_first_pages_text_is_where_the_region_lies(toolkit):
    # a region the gazetteer does not know, in its country: no national strategy
    document = _doc([(TITLE, "Kunskap och förnyelse i Kustlandet")],
                    [(PARAGRAPH, "Kustlandet exporterar mer än något annat landskap i Finland.")])
    with pytest.raises(RegionNotResolved, match="Finland"):
        _resolve(document, toolkit)
