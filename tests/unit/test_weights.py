"""extractors/weights.py: the extractor's weights are a data file beside it, checked on load."""

from __future__ import annotations

from importlib.resources import files

import pytest

from smartspec.extractors.errors import ReferenceDataError
from smartspec.extractors.weights import WEIGHTS_FILE, load_weights, parse_weights


def _bundled() -> str:
    return files("smartspec.extractors").joinpath(WEIGHTS_FILE).read_text(encoding="utf-8")


def test_the_bundled_weights_load_once():
    weights = load_weights()
    assert weights is load_weights()
    scoring = weights.section_scoring
    assert dict(scoring.label_weights)["PRIORITY"] == 3.0 and scoring.min_score == 2.0
    assert isinstance(scoring.items_min, int) and isinstance(scoring.unlabelled, float)
    assert weights.region_inference.front_pages == 2
    assert (weights.region_matching.fuzzy_threshold, weights.region_matching.heading_max_chars) == (88.0, 60)


def test_a_whole_number_is_taken_for_a_weight():
    text = _bundled().replace("min_score = 2.0", "min_score = 2", 1)
    weights = parse_weights(text)
    assert weights.section_scoring.min_score == 2.0 and isinstance(weights.section_scoring.min_score, float)


@pytest.mark.parametrize(("edit", "message"), [
    (("min_score = 2.0", "min_scor = 2.0"),
     "[section_scoring] min_scor is unknown (known: label_weights, "),
    (("min_score = 2.0", "min_score = 2.0\nmin_score_x = 1"), "[section_scoring] min_score_x is unknown"),
    (("front_pages = 2", "front_pages = 2.5"), "[region_inference] front_pages must be a whole number, not 2.5"),
    (("fuzzy_threshold = 88.0", 'fuzzy_threshold = "high"'),
     "[region_matching] fuzzy_threshold must be a number, not 'high'"),
    (("PRIORITY = 3.0", "PRIORTY = 3.0"), "[section_scoring] label_weights.PRIORTY: not a label of the heading lexicons"),
    (("[region_matching]", "[region_matchin]"), "[region_matching] is missing"),
    (("items_max = 15\n", ""), "[section_scoring] items_max is missing"),
    (("title_weight = 3.0", "title_weight = true"), "[region_inference] title_weight must be a number, not True"),
    (("[section_scoring]", "section_scoring = 1\n[x]"), "not valid TOML"),
])
def test_a_bad_weights_file_names_the_table_and_key(edit, message):
    with pytest.raises(ReferenceDataError) as raised:
        parse_weights(_bundled().replace(*edit, 1), "edited.toml")
    assert message in raised.value.message
    assert str(raised.value).startswith("edited.toml: reference: ")
