"""Theme tags: the obvious cases, how a tag was found, compounds, longest matches, acronyms,
English, the seed deck's coverage and that of strategies the patterns were not written from."""

from __future__ import annotations

import json

import pytest

from smartspec.extractors.extract import extract_priorities
from smartspec.extractors.readers import read_document
from smartspec.extractors.tagging import METHOD_IMPLIED, METHOD_PARENT, METHOD_PATTERN, assign_themes
from tests.conftest import CORPUS, DATA, SEED_TEXT


def tags(text: str, matchers, language: str = "sv") -> dict[str, object]:
    """tag -> ThemeTag for `text`."""
    return {tag.tag: tag for tag in assign_themes(text, language, matchers)}


# --- the obvious cases ----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "objective", "nace_any"), [
    ("Life Science", "health_life_science", {"nace:C21", "nace:M72"}),
    ("Besöksnäring", "tourism_experience", {"nace:I", "nace:N79"}),
    ("Upplevelsenärings", "tourism_experience", {"nace:I", "nace:N79"}),
    ("Skog", "circular_bioeconomy", {"nace:A02"}),
    ("Skoglig bioekonomi", "circular_bioeconomy", {"nace:A02"}),
    ("Livsmedel", "food", {"nace:C10"}),
    ("IT", "digital_transformation", {"nace:J"}),
    ("Digitala tjänster", "digital_transformation", {"nace:J"}),
    ("Energi- och miljöteknik/cleantech", "energy_transition", {"nace:D35"}),
])
def test_obvious_cases(theme_matchers, text, objective, nace_any):
    found = tags(text, theme_matchers)
    assert f"objective:{objective}" in found, found
    assert nace_any & set(found), found
    for tag in found.values():
        assert tag.evidence and all(words in text for words in tag.evidence.split(" | "))


def test_a_tag_says_how_it_was_found(theme_matchers):
    found = tags("Skog", theme_matchers)
    assert (found["nace:A02"].method, found["nace:A02"].rule) == (METHOD_PATTERN, "forestry")
    assert (found["nace:A"].method, found["nace:A"].rule) == (METHOD_PARENT, "nace:A02")
    implied = found["objective:circular_bioeconomy"]
    assert (implied.method, implied.rule, implied.evidence) == (METHOD_IMPLIED, "nace:A02", "Skog")


def test_a_priority_spanning_several_themes_gets_every_tag(theme_matchers):
    found = tags("Hälsa, vård, omsorg", theme_matchers)
    assert {"nace:Q86", "nace:Q87", "nace:Q88", "objective:health_life_science"} <= set(found)
    assert found["objective:health_life_science"].evidence == "Hälsa | vård | omsorg"


def test_compounds_are_matched_by_their_parts(theme_matchers):
    assert tags("Livsmedelsförädling", theme_matchers)["nace:C10"].evidence == "Livsmedelsförädling"  # a pattern
    assert tags("Livsmedelskluster", theme_matchers)["nace:C10"].evidence == "Livsmedels"  # no pattern: its part
    assert "objective:tourism_experience" in tags("Naturturism och friluftsliv", theme_matchers)
    assert "objective:energy_transition" in tags("Energieffektivt byggande", theme_matchers)
    assert "objective:climate_environment" in tags("Miljöteknik", theme_matchers)


def test_the_longer_match_wins_and_token_patterns_match_whole_words(theme_matchers):
    rail = tags("Järnväg", theme_matchers)
    assert "nace:H49" in rail and "nace:C24" not in rail  # not "järn", iron
    assert "nace:C" not in tags("Upplevelseproduktion", theme_matchers)  # "produktion" only as a word
    assert "nace:C" in tags("Hållbar produktion", theme_matchers)
    energy = tags("Energiproduktion", theme_matchers)
    assert "nace:D35" in energy and "nace:C" not in energy


def test_acronyms_match_as_written(theme_matchers):
    assert "nace:J62" in tags("IT och AI", theme_matchers)
    assert "nace:J62" not in tags("Making it work for people", theme_matchers, "en")
    assert "nace:J62" in tags("IT services", theme_matchers, "en")


def test_english_priorities(theme_matchers):
    assert {"nace:C21", "objective:health_life_science"} <= set(tags("Life sciences and health", theme_matchers, "en"))
    assert "nace:A02" in tags("Forest-based bioeconomy", theme_matchers, "en")
    assert "nace:C10" in tags("Food processing", theme_matchers, "en")
    assert "objective:tourism_experience" in tags("Sustainable tourism", theme_matchers, "en")
    assert "nace:J61" in tags("ICT and digital services", theme_matchers, "en")


def test_nothing_matched_is_nothing_guessed(theme_matchers):
    assert tags("Attityder för innovationer", theme_matchers) == {}
    assert tags("", theme_matchers) == {} and tags("– / &", theme_matchers) == {}
    assert assign_themes("Terveysteknologia", "fi", theme_matchers) == ()


# --- the seed deck and documents the patterns were not written for ---------------------------


def _economic_coverage(priorities, matchers) -> tuple[int, int]:
    tagged = 0
    for record in priorities:
        found = assign_themes(record.priority, record.language, matchers)
        tagged += any(tag.dimension == "nace" for tag in found)
        for tag in found:
            assert tag.evidence and all(words in record.priority for words in tag.evidence.split(" | "))
    return tagged, len(priorities)


@pytest.mark.parametrize("path", [DATA / "seed_deck.txt", SEED_TEXT], ids=["bundled", "original"])
def test_nine_in_ten_seed_priorities_get_an_economic_domain(path, toolkit, theme_matchers):
    if not path.is_file():
        pytest.skip(f"the original seed text is not at {path}")
    priorities = extract_priorities(read_document(path, source_id="seed"), toolkit)
    tagged, total = _economic_coverage(priorities, theme_matchers)
    assert total == 64 and tagged / total >= 0.9, (tagged, total)


def test_priorities_of_unseen_strategies_mostly_get_an_economic_domain(theme_matchers):
    """The sv-strategies truth files were not read while writing the patterns."""
    folder = CORPUS / "sv-strategies"
    if not folder.is_dir():
        pytest.skip("the sv-strategies corpus is not at ../shared/corpus/sv-strategies")
    texts = set()
    for path in sorted(folder.glob("*.truth.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        texts |= {(truth["language"], text) for region in truth["regions"] for text in region["priorities"]}
    coverage = {}
    for language in ("sv", "en"):
        found = [any(t.dimension == "nace" for t in assign_themes(text, language, theme_matchers))
                 for lang, text in texts if lang == language]
        coverage[language] = sum(found) / len(found)
    assert coverage["sv"] >= 0.85 and coverage["en"] >= 0.7, coverage
