"""Partners: every pair of regions scored from shared tags and alike words, with the evidence."""

from __future__ import annotations

import pandas as pd
import pytest

from smartspec.extractors.language import stop_words
from smartspec.extractors.themes import PartnerScoring
from smartspec.publishing.partners import partner_lines, partner_table
from smartspec.publishing.versions import read_table

SCORING = PartnerScoring(tag_weight=1.0, text_weight=0.8, text_min=0.8, evidence_min=0.5)


@pytest.fixture(scope="module")
def partners(seed_version_once):
    """The partners and current tables of the seed tables' version, published with their themes."""
    return read_table(seed_version_once, "partners"), read_table(seed_version_once, "current")


def test_every_pair_of_regions_both_ways_with_one_score(partners):
    table, current = partners
    regions = set(current.region_code)
    assert len(regions) == 18 and len(table) == 18 * 17
    assert not (table.region_a == table.region_b).any()
    both = table.merge(table, left_on=["region_a", "region_b"], right_on=["region_b", "region_a"])
    assert (both.score_x == both.score_y).all()
    assert table.score.between(0, 1).all()


def test_the_evidence_names_priorities_of_each_region_and_what_they_share(partners):
    table, current = partners
    own = current.groupby("region_code").priority.apply(set)
    for row in table.itertuples():
        strengths = [item["strength"] for item in row.evidence]
        assert strengths == sorted(strengths, reverse=True) and all(s >= SCORING.evidence_min for s in strengths)
        assert all(item["priority_a"] in own[row.region_a] and item["priority_b"] in own[row.region_b]
                   for item in row.evidence)
        assert set(row.shared_codes) == {code for item in row.evidence for code in item["codes"]}
        assert row.matches == len(row.evidence)


def test_vasterbotten_shares_life_science_health_and_digital_priorities(partners):
    table, _ = partners
    rows = table[table.region_a == "SE331"].set_index("region_name_b")
    pairs = {(name, item["priority_a"], item["priority_b"]): list(item["codes"])
             for name, row in rows.iterrows() for item in row.evidence}
    assert "nace:C21" in pairs[("Uppsala", "Life Science", "Life science")]
    assert "objective:health_life_science" in pairs[("Stockholm", "Hälsa och sjukvård", "Hälsa vård, omsorg")]
    assert "objective:digital_transformation" in pairs[("Gävleborg", "Digitala tjänster", "Digitala tjänster/processer")]
    best = rows.sort_values("score", ascending=False).index[:2]
    assert set(best) == {"Norrbotten", "Uppsala"}


def _current(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """(region_code, priority, priority_key) rows of a `current`-shaped frame."""
    return pd.DataFrame({
        "region_code": [r[0] for r in rows], "region_name": [r[0] for r in rows], "source_id": "s",
        "level": 1, "position": range(1, len(rows) + 1), "priority": [r[1] for r in rows],
        "priority_key": [r[2] for r in rows], "language": "sv",
    })


def _themes(current: pd.DataFrame, tags: dict[str, list[str]]) -> pd.DataFrame:
    rows = [(*row, *tag.split(":"), "pattern") for row in current[["source_id", "region_code", "level", "position",
                                                                 "priority"]].itertuples(index=False)
            for tag in tags.get(row.priority, [])]
    columns = ["source_id", "region_code", "level", "position", "priority", "dimension", "code", "method"]
    return pd.DataFrame(rows, columns=columns)


def test_alike_words_pair_untagged_priorities_and_rare_tags_weigh_more():
    current = _current([
        ("SE1", "Entreprenörskap i skolan", "entreprenörskap i skola"), ("SE1", "Rymd", "rymd"),
        ("SE2", "Entreprenörskap i skolor", "entreprenörskap i skola"), ("SE2", "Energi", "energi"),
        ("SE3", "Rymdteknik", "rymdteknik"), ("SE3", "Energi och klimat", "energi och klimat"),
    ])
    themes = _themes(current, {"Rymd": ["objective:space"], "Rymdteknik": ["objective:space"],
                               "Energi": ["objective:energy"], "Energi och klimat": ["objective:energy"]})
    order = {"objective:space": 0, "objective:energy": 1}
    table = partner_table(themes, current, SCORING, stop_words=stop_words, tag_order=order).set_index(
        ["region_a", "region_b"])
    words = table.loc[("SE1", "SE2"), "evidence"][0]
    assert (words["priority_a"], words["priority_b"], words["codes"]) == (
        "Entreprenörskap i skolan", "Entreprenörskap i skolor", [])
    assert words["text_similarity"] == 1.0 and words["strength"] == 0.8
    assert table.loc[("SE1", "SE3"), "shared_codes"] == ["objective:space"]
    assert table.loc[("SE2", "SE3"), "matches"] == 1


def test_partner_lines_show_the_best_partners_with_their_evidence(partners):
    table, _ = partners
    lines = partner_lines(table, "SE331", top=2, version=1, labels={"nace:C21": "Manufacture of pharma"})
    assert lines[0].startswith("Partners of Västerbotten (SE331) in v1, best first: 2 of 17 regions")
    assert any(line.startswith(" 1. Norrbotten (SE332)  score") for line in lines)
    assert any("Life Science  ~  Life science  (1.00: nace:C21" in line for line in lines)
    assert any("nace:C21 Manufacture of pharma" in line for line in lines)
    assert partner_lines(table, "SE999", top=2, version=1, labels={}) == [
        "SE999 has no current priorities in v1, so no partners"]
