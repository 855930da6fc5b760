"""extract(): scope, region evidence, language and sections; extract_priorities() wraps it."""

from __future__ import annotations

import pytest

from smartspec.extractors.errors import NoPrioritiesFound, RegionNotResolved
from smartspec.extractors.extract import extract, extract_priorities
from smartspec.schemas.vocabulary import SCOPE_OVERVIEW, SCOPE_REGION
from smartspec.extractors.readers import read_document
from tests.conftest import DATA

STRATEGY = """# Regional innovationsstrategi för Region Skåne

## Innehåll

1. Sammanfattning
2. Styrkeområden
3. Mål

## Sammanfattning

Skåne satsar på hälsa och material. Region Skåne leder arbetet i Skåne.

## Styrkeområden

Skånes styrkeområden är:

- Personlig hälsa
- Smarta material
- Smarta hållbara städer

## Mål

- Fler företag i Skåne ska samarbeta med universiteten
- Skåne ska vara Europas mest innovativa region år 2030
"""


def _read(tmp_path, text, name="strategi.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_document(path, source_id=path.stem)


def test_a_single_region_strategy(tmp_path, toolkit):
    extraction = extract(_read(tmp_path, STRATEGY), toolkit, source_file="skane/strategi.md")
    assert extraction.scope == SCOPE_REGION and extraction.language == "sv"
    assert extraction.region_evidence.startswith("inferred from title page: 'Region Skåne'")
    assert [r.priority for r in extraction.records] == ["Personlig hälsa", "Smarta material",
                                                        "Smarta hållbara städer"]
    (section,) = extraction.sections
    assert section.heading in ("Styrkeområden", "Skånes styrkeområden är:") and 0 < section.confidence <= 1
    first = extraction.records[0]
    assert (first.region_code, first.region_match, first.source_file) == ("SE224", "inferred", "skane/strategi.md")
    assert first.section_heading == section.heading and first.section_confidence == section.confidence


def test_the_configured_region_is_used(tmp_path, toolkit):
    document = _read(tmp_path, STRATEGY)
    records = extract_priorities(document, toolkit, region="Halland")
    assert {(r.region_code, r.region_match) for r in records} == {("SE231", "config")}
    assert records == list(extract(document, toolkit, region="Halland").records)


def test_an_unresolvable_region_is_an_error(tmp_path, toolkit):
    text = STRATEGY.replace("Region Skåne", "regionen").replace("Skånes", "Våra").replace("Skåne", "länet")
    with pytest.raises(RegionNotResolved, match="set region in raw/sources.toml"):
        extract(_read(tmp_path, text), toolkit)


def test_a_document_without_a_priority_section_says_so(tmp_path, toolkit):
    text = "# Region Skåne\n\n## Mål\n\n- Fler företag ska växa\n- Mer forskning\n"
    with pytest.raises(NoPrioritiesFound, match="evidence of a list"):
        extract(_read(tmp_path, text), toolkit)


def test_the_seed_deck_is_an_overview(toolkit):
    extraction = extract(read_document(DATA / "seed_deck.txt", source_id="seed"), toolkit)
    assert extraction.scope == SCOPE_OVERVIEW and extraction.region_evidence is None
    assert len(extraction.records) == 64 and len(extraction.sections) == 18
