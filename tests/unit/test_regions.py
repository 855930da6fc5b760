import pickle
import re
import unicodedata
from pathlib import Path

import pytest
import spacy

from smartspec.extractors.errors import ReferenceDataError
from smartspec.extractors.nlp import NAMES_PIPE, NORM_PIPE, build_pipeline
from smartspec.extractors.normalise import fold
from smartspec.extractors.regions import (
    ALIAS,
    COLUMNS,
    EXACT,
    FUZZY,
    GAZETTEER_FILE,
    REGION_LABEL,
    Gazetteer,
    Region,
    add_region_names,
    find_regions,
    load_gazetteer,
    match_region,
    parse_gazetteer,
)

SEED_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "seed"
SEED_FILE = SEED_DIR / "000_63417f54edbf349e.txt"

# The 21 Swedish län: NUTS 2021 code, canonical name, län code, ISO 3166-2.
SWEDISH_LAN = [
    ("SE110", "Stockholm", "01", "SE-AB"),
    ("SE121", "Uppsala", "03", "SE-C"),
    ("SE122", "Södermanland", "04", "SE-D"),
    ("SE123", "Östergötland", "05", "SE-E"),
    ("SE124", "Örebro", "18", "SE-T"),
    ("SE125", "Västmanland", "19", "SE-U"),
    ("SE211", "Jönköping", "06", "SE-F"),
    ("SE212", "Kronoberg", "07", "SE-G"),
    ("SE213", "Kalmar", "08", "SE-H"),
    ("SE214", "Gotland", "09", "SE-I"),
    ("SE221", "Blekinge", "10", "SE-K"),
    ("SE224", "Skåne", "12", "SE-M"),
    ("SE231", "Halland", "13", "SE-N"),
    ("SE232", "Västra Götaland", "14", "SE-O"),
    ("SE311", "Värmland", "17", "SE-S"),
    ("SE312", "Dalarna", "20", "SE-W"),
    ("SE313", "Gävleborg", "21", "SE-X"),
    ("SE321", "Västernorrland", "22", "SE-Y"),
    ("SE322", "Jämtland", "23", "SE-Z"),
    ("SE331", "Västerbotten", "24", "SE-AC"),
    ("SE332", "Norrbotten", "25", "SE-BD"),
]

# Headings and priorities that name no region; the test runs without the seed file too.
NOT_REGIONS = [
    "Smart specialisering i Sveriges regioner – uppdateras löpande",
    "Smart specialisering",
    "Processen",
    "Regeringsuppdrag:",
    "Tillväxtverket ska:",
    "Vad händer nu?",
    "Life science",
    "Skog",
    "IT",
    "Energi",
    "Besöksnäring",
    "Livsmedel",
    "Digitala tjänster",
    "Boende",
    "Automation",
    "Hälsa & välfärd",
    "Smarta hållbara städer",
    "Tillverkande industri",
    "Cecilia Johansson",
    "2019-02-13",
    "",
    "   ",
    "•",
]

HEADER = ",".join(COLUMNS)


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.fixture(scope="module")
def nlp(gazetteer):
    return _with_region_names(build_pipeline("sv"), gazetteer)


@pytest.fixture(scope="module")
def nlp_en(gazetteer):
    return _with_region_names(build_pipeline("en"), gazetteer)


def _with_region_names(nlp, gazetteer):
    add_region_names(nlp, gazetteer)
    return nlp


def _csv(*rows: str) -> str:
    return "\n".join(("# a comment", HEADER, *rows)) + "\n"


def _seed_text() -> str:
    if not SEED_FILE.is_file():
        pytest.skip(f"seed file {SEED_FILE} is absent (shared/ not beside the repo)")
    return SEED_FILE.read_text(encoding="utf-8")


def _seed_region_sections(text: str) -> list[tuple[str, list[str]]]:
    """The "## heading" + "- bullet" sections of the map slide."""
    start = text.index("# Smart specialisering i Sveriges regioner")
    end = text.index("# Processen")
    sections: list[tuple[str, list[str]]] = []
    for line in text[start:end].splitlines():
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif line.startswith("- ") and sections:
            sections[-1][1].append(line[2:].strip())
    return sections


# --- the loader ---------------------------------------------------------------------------

def test_load_gazetteer_is_cached_and_valid(gazetteer):
    assert load_gazetteer() is gazetteer
    assert isinstance(gazetteer, Gazetteer)
    for region in gazetteer.regions:
        assert region.code.startswith(region.country)
        assert len(region.code) == 2 + region.nuts_level
        assert region.name not in region.aliases


def test_gazetteer_pickles_and_hashes(gazetteer):
    copy = pickle.loads(pickle.dumps(gazetteer))
    assert copy == gazetteer and hash(copy) == hash(gazetteer)
    assert copy.resolve("Skåne") == gazetteer.by_code("SE224")


def test_every_swedish_lan_is_present_once(gazetteer):
    lan = [r for r in gazetteer.regions if r.country == "SE" and r.nuts_level == 3]
    assert sorted(r.code for r in lan) == sorted(code for code, *_ in SWEDISH_LAN)


@pytest.mark.parametrize(("code", "name", "lan_code", "iso_code"), SWEDISH_LAN)
def test_swedish_lan_codes(gazetteer, code, name, lan_code, iso_code):
    region = gazetteer.by_code(code)
    assert (region.name, region.country, region.nuts_level) == (name, "SE", 3)
    assert (region.national_code, region.iso_code, region.language) == (lan_code, iso_code, "sv")
    for form in (name, f"Region {name}", f"{name} län", code.lower(), iso_code):
        assert gazetteer.resolve(form) == region, form


@pytest.mark.parametrize(("code", "level"), [
    ("SE", 0), ("EE", 0), ("LT", 0), ("LU", 0), ("FI", 0), ("NL", 0),
    ("FI19", 2), ("FI1B", 2), ("FI1C", 2), ("FI1D", 2), ("FI20", 2), ("FI194", 3),
    ("NL1", 1), ("NL3", 1), ("NL11", 2), ("NL12", 2), ("NL13", 2),
    ("NL31", 2), ("NL32", 2), ("NL33", 2), ("NL34", 2),
])
def test_other_ris3_regions(gazetteer, code, level):
    assert gazetteer.by_code(code).nuts_level == level


def test_resolve_ignores_case_accents_and_hyphens(gazetteer):
    assert gazetteer.resolve("skane").code == "SE224"
    assert gazetteer.resolve("JAMTLAND HARJEDALEN").code == "SE322"
    assert gazetteer.resolve("Fryslan").code == "NL12"
    assert gazetteer.resolve("Letzebuerg").code == "LU"
    assert gazetteer.resolve("fi1b").code == "FI1B"
    assert gazetteer.resolve("Atlantis") is None
    with pytest.raises(KeyError):
        gazetteer.by_code("XX123")
    assert "SE332" in gazetteer.codes


@pytest.mark.parametrize(("text", "problem"), [
    pytest.param(_csv("SE332,Norrbotten,SE,3,25,SE-BD,sv,", "SE332,Norrbotten2,SE,3,25,,sv,"),
                 r"line 4: code SE332 is already on line 3", id="duplicate code"),
    pytest.param(_csv("SE332,Norrbotten,SE,3,25,SE-BD,sv,Botten",
                      "SE331,Västerbotten,SE,3,24,SE-AC,sv,Västerbottens|botten"),
                 r"line 4: 'botten' names both SE332 \(line 3\) and SE331", id="alias of two"),
    pytest.param(_csv("SE332,Norrbotten,SE,3,25,SE-BD,sv,", "SE331,Norrbotten,SE,3,24,SE-AC,sv,"),
                 r"'norrbotten' names both SE332", id="name of two"),
    pytest.param("code,name,country,nuts_level,national_code,language,aliases\n"
                 "SE332,Norrbotten,SE,3,25,sv,\n",
                 r"line 1: missing column\(s\) iso_code", id="missing column"),
    pytest.param(_csv("SE332,Norrbotten,SE,3,25,SE-BD,sv"), r"line 3: 7 fields", id="short row"),
    pytest.param(_csv("SE332,Norrbotten,se,3,25,SE-BD,sv,"), r"country 'se'", id="lower"),
    pytest.param(_csv("SE332,Norrbotten,FI,3,25,SE-BD,sv,"), r"does not start",
                 id="wrong country"),
    pytest.param(_csv("SE332,Norrbotten,SE,4,25,SE-BD,sv,"), r"nuts_level '4'", id="level 4"),
    pytest.param(_csv("SE33,Norrbotten,SE,3,25,SE-BD,sv,"), r"NUTS 3 codes have 5", id="length"),
    pytest.param(_csv("SE332,,SE,3,25,SE-BD,sv,"), r"name is empty", id="no name"),
    pytest.param(_csv("SE332,Norrbotten,SE,3,25,SE-BD,swedish,"), r"language", id="language"),
    pytest.param(_csv("SE332,Norrbotten,SE,3,25,BD,sv,"), r"iso_code 'BD'", id="iso"),
    pytest.param("# only comments\n", r"no header", id="empty file"),
    pytest.param(HEADER + "\n", r"no regions", id="header only"),
])
def test_parse_gazetteer_rejects_bad_files(text, problem):
    with pytest.raises(ReferenceDataError) as caught:
        parse_gazetteer(text)
    error = caught.value
    assert (error.source_id, error.stage) == (GAZETTEER_FILE, "reference")
    assert re.search(problem, error.message), error.message


def test_parse_gazetteer_reads_a_user_row():
    row = 'SE332,Norrbotten,SE,3,25,SE-BD,sv," Norrbottens | Region Norrbotten|Norrbotten"'
    gazetteer = parse_gazetteer(_csv(row))
    assert gazetteer.regions == (Region("SE332", "Norrbotten", "SE", 3, "25", "SE-BD", "sv",
                                        ("Norrbottens", "Region Norrbotten")),)


# --- patterns -----------------------------------------------------------------------------

def test_region_names_cover_every_region(gazetteer, nlp):
    finder = nlp.get_pipe(NAMES_PIPE)
    # a region all of whose names are heading-only ("West") has none: it is found in headings only
    assert {code for _, code in finder.names.values()} == {r.code for r in gazetteer.regions if r.text_names}
    assert finder.labels == {REGION_LABEL}
    # "Jämtland-Härjedalen" is found as "Jämtland Härjedalen" too; both folded
    assert finder.names["jamtland harjedalen"] == (REGION_LABEL, "SE322")
    assert "west" not in finder.names


def test_match_region_needs_region_names(gazetteer):
    with pytest.raises(ValueError, match="add_region_names"):
        match_region("Skåne", build_pipeline("en"), gazetteer)


# --- match_region -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "code", "kind"), [
    ("Norrbotten", "SE332", EXACT),
    ("NORRBOTTEN", "SE332", EXACT),
    ("Västra Götaland", "SE232", EXACT),
    ("Region Skåne", "SE224", ALIAS),
    ("Skåne län", "SE224", ALIAS),
    ("Skånes", "SE224", ALIAS),
    ("Stockholms län", "SE110", ALIAS),
    ("Region Stockholm", "SE110", ALIAS),
    ("Jämtland-Härjedalen", "SE322", ALIAS),
    ("Jämtland–Härjedalen", "SE322", ALIAS),  # en dash
    ("Jämtland Härjedalen", "SE322", ALIAS),
    ("Region Jämtland Härjedalen", "SE322", ALIAS),
    ("Västra Götalandsregionen:", "SE232", ALIAS),
    ("Region Sörmland", "SE122", ALIAS),
    ("Scania", "SE224", ALIAS),
    ("Dalecarlia", "SE312", ALIAS),
    ("• Uppsala", "SE121", EXACT),
    ("2. Kalmar:", "SE213", EXACT),
    ("2.1 Gotland", "SE214", EXACT),
    # without accents: the ruler matches folded text, so these are aliases, not fuzzy
    ("Skane", "SE224", ALIAS),
    ("Jamtland", "SE322", ALIAS),
    ("Vasterbotten", "SE331", ALIAS),
    ("Orebro lan", "SE124", ALIAS),
    # typos
    ("Norrbottnen", "SE332", FUZZY),
    ("Västerbottn", "SE331", FUZZY),
    ("Region Norrbottten", "SE332", FUZZY),
    # countries match their NUTS 0 entry; the caller decides what a country heading means
    ("Sverige", "SE", ALIAS),
    ("Sweden", "SE", EXACT),
    ("Helsinki-Uusimaa", "FI1B", EXACT),
    ("Etelä-Pohjanmaa", "FI194", EXACT),
    ("South Ostrobothnia", "FI194", ALIAS),
    ("Pohjois- ja Itä-Suomi", "FI1D", EXACT),
    ("Noord-Nederland", "NL1", EXACT),
    ("Noord Nederland", "NL1", ALIAS),
    ("Fryslân", "NL12", ALIAS),
    ("Lëtzebuerg", "LU", ALIAS),
])
def test_match_region(nlp, gazetteer, text, code, kind):
    found = match_region(text, nlp, gazetteer)
    assert found is not None, text
    assert (found.region.code, found.match) == (code, kind)
    assert 88.0 <= found.score <= 100.0
    assert (found.score == 100.0) == (kind != FUZZY)


@pytest.mark.parametrize(("text", "code", "kind"), [
    ("North Holland", "NL32", ALIAS),
    ("Zuid-Holland", "NL33", EXACT),
    ("the Netherlands", "NL", ALIAS),
    ("Helsinki Uusimaa", "FI1B", ALIAS),
    ("Jämtland-Härjedalen", "SE322", ALIAS),
])
def test_match_region_with_an_english_pipeline(nlp_en, gazetteer, text, code, kind):
    found = match_region(text, nlp_en, gazetteer)
    assert found is not None and (found.region.code, found.match) == (code, kind)


@pytest.mark.parametrize("text", NOT_REGIONS)
def test_match_region_rejects_non_regions(nlp, gazetteer, text):
    assert match_region(text, nlp, gazetteer) is None


def test_match_region_respects_the_threshold(nlp, gazetteer):
    assert match_region("Norrbottnen", nlp, gazetteer, fuzzy_threshold=99.0) is None
    assert match_region("Norrbottnen", nlp, gazetteer, fuzzy_margin=50.0) is None


def test_seed_priorities_and_titles_are_not_regions(nlp, gazetteer):
    text = _seed_text()
    sections = _seed_region_sections(text)
    priorities = [bullet for _, bullets in sections for bullet in bullets]
    assert len(priorities) == 64
    others = [line.lstrip("#-▶ ").strip() for line in text.splitlines()
              if line.startswith(("# ", "- "))]
    for candidate in priorities + others:
        assert match_region(candidate, nlp, gazetteer) is None, candidate


def test_seed_region_headings_all_match(nlp, gazetteer):
    sections = _seed_region_sections(_seed_text())
    found = {heading: match_region(heading, nlp, gazetteer) for heading, _ in sections}
    assert all(found.values()), [h for h, m in found.items() if m is None]
    assert found["Norrbottnen"].region.code == "SE332"
    assert found["Norrbottnen"].match == FUZZY
    assert found["Jämtland-Härjedalen"].region.code == "SE322"
    codes = [m.region.code for m in found.values()]
    assert len(codes) == len(set(codes)) == 18
    assert all(code.startswith("SE") and len(code) == 5 for code in codes)


# --- find_regions -------------------------------------------------------------------------

def test_find_regions_in_running_text(nlp, gazetteer):
    text = ("Region Norrbotten och Västerbottens län samarbetar med Skane, "
            "Jämtland-Härjedalen och resten av Sverige.")
    found = find_regions(text, nlp, gazetteer)
    assert [(m.region.code, m.match, m.text) for m in found] == [
        ("SE332", ALIAS, "Region Norrbotten"),
        ("SE331", ALIAS, "Västerbottens län"),
        ("SE224", ALIAS, "Skane"),
        ("SE322", ALIAS, "Jämtland-Härjedalen"),
        ("SE", ALIAS, "Sverige"),
    ]


def test_find_regions_does_no_fuzzy_matching(nlp, gazetteer):
    assert find_regions("Smart specialisering i Norrbottnen.", nlp, gazetteer) == []


def test_the_name_finder_finds_what_spacys_entity_ruler_finds_with_every_name_tokenized(gazetteer):
    """The name finder keys names instead of tokenizing them; spaCy's entity ruler, given a
    token pattern per name and spelling made with the pipeline's tokenizer, is the reference."""
    # the regions of the hand-made rows' countries and every eighth other: the token matcher
    # with every region's patterns takes seconds over a thousand texts
    hand_made = {"SE", "FI", "NL", "EE", "LT", "LU", "FR"}
    regions = [r for index, r in enumerate(gazetteer.regions) if r.country in hand_made or index % 8 == 0]
    sample = Gazetteer(tuple(regions))
    finder = _with_region_names(build_pipeline("sv"), sample)
    ruler = spacy.blank("sv")
    ruler.add_pipe(NORM_PIPE)
    ruler.add_pipe("entity_ruler").add_patterns(_token_patterns(sample, ruler))
    texts = [f"{prefix}{name}{suffix}" for region in regions for name in region.names
             for prefix, suffix in (("", ""), ("I ", "s region."), ("(", ")"), ("Om ", "-regionen"))]
    texts.append("Region Skåne och Västra  Götaland, Norrbotten/Västerbotten och Jämtland Härjedalen")
    texts.append("Från Provence-Alpes-Côte d’Azur till Åland: Itä-Uusimaa, Noord-Brabant och Friesland (NL).")

    def ents(nlp, texts):
        return [[(e.start, e.end, e.ent_id_) for e in doc.ents] for doc in nlp.pipe(texts)]

    assert ents(finder, texts) == ents(ruler, texts)
    assert sum(1 for found in ents(finder, texts) if found) > len(texts) / 2
    # Where the tokenizer keeps "Klagenfurt-Villach" one word, the ruler misses it written
    # "KLAGENFURT - VILLACH" or takes a part of it ("WEST - NEDERLAND": "Nederland"); the
    # finder takes the whole name wherever the ruler takes some of it, and more.
    spaced = [(name.upper().replace("-", " - "), region.code) for region in regions
              for name in region.text_names if "  " not in name.replace("-", " - ")]
    for (text, code), by_finder, by_ruler in zip(spaced, ents(finder, [t for t, _ in spaced]),
                                                  ents(ruler, [t for t, _ in spaced])):
        assert all(any(s <= start and end <= e for s, e, _ in by_finder) for start, end, _ in by_ruler), text
    found = [code in {id_ for *_, id_ in by_finder}
             for (_, code), by_finder in zip(spaced, ents(finder, [t for t, _ in spaced]))]
    assert sum(found) >= 0.99 * len(spaced)  # not: Turkish names whose "ı" upper-cases to "I"


def _token_patterns(gazetteer, nlp):
    """A token pattern of folded words per region name and spelling (a dash also as a space)."""
    patterns = []
    for region in gazetteer.regions:
        for name in region.text_names:
            spaced = " ".join("".join(" " if unicodedata.category(ch) == "Pd" else ch for ch in name).split())
            for spelling in dict.fromkeys((name, spaced)):
                norms = [fold(token.text) for token in nlp.make_doc(spelling) if not token.is_space]
                patterns.append({"label": REGION_LABEL, "id": region.code,
                                 "pattern": [{"NORM": norm} for norm in norms]})
    return patterns


# --- the NUTS 2021 gazetteer --------------------------------------------------------------

def test_names_that_are_common_words_name_a_region_only_as_a_whole_heading(nlp, nlp_en, gazetteer):
    west = gazetteer.by_code("IE042")
    assert "West" in west.heading_only and "West" not in west.text_names
    assert match_region("West", nlp_en, gazetteer).region.code == "IE042"
    assert match_region("Centro", nlp_en, gazetteer).region.code == "PT16"
    text = "The West of Ireland and the Centro de Investigação work with Southern partners."
    assert {m.region.code for m in find_regions(text, nlp_en, gazetteer)}.isdisjoint({"IE042", "PT16", "IE05"})
    assert find_regions("Det var ett bra år, men var finns pengarna?", nlp, gazetteer) == []


def test_a_name_is_one_regions_and_a_shared_one_goes_to_the_larger_or_to_neither(gazetteer):
    assert gazetteer.resolve("Wien").code == "AT13"  # a NUTS 2 over its only NUTS 3
    assert gazetteer.by_code("AT130").name == "Wien (AT130)"
    assert gazetteer.resolve("Luxembourg").code == "LU"  # the country over its one region
    assert gazetteer.resolve("Stockholm").code == "SE110"  # a hand-made row keeps its name
    assert gazetteer.resolve("Jura") is None  # a Swiss canton and a French département
    assert {gazetteer.by_code(code).name for code in ("CH025", "FRC22")} == {"Jura (CH025)", "Jura (FRC22)"}


def test_countries_in_english_and_regions_by_their_iso_and_swedish_names(gazetteer):
    assert gazetteer.by_code("AT").name == "Austria"
    assert gazetteer.resolve("Österreich").code == "AT"
    assert gazetteer.resolve("Oberösterreich").iso_code == "AT-4"
    assert gazetteer.resolve("Österbotten").code == "FI195"
    assert gazetteer.resolve("Egentliga Finland").code == "FI1C1"
    assert gazetteer.resolve("Mellersta Österbotten").code == "FI1D5"


def test_parse_gazetteer_refuses_a_heading_only_name_the_row_does_not_have():
    header = HEADER + ",heading_only"
    text = "\n".join((header, "IE042,West,IE,3,,,en,,West|Westen")) + "\n"
    with pytest.raises(ReferenceDataError, match="'Westen' is not the row's name"):
        parse_gazetteer(text)
