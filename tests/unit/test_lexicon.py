"""extractors/lexicon.py: the bundled heading lexicons load, and bad ones are refused by line."""

import pytest

from smartspec.extractors.errors import ReferenceDataError
from smartspec.extractors.lexicon import (
    HEADING_LABELS,
    load_heading_lexicon,
    parse_heading_lexicon,
)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_bundled_lexicons_load_and_use_known_labels(lang):
    lexicon = load_heading_lexicon(lang)
    assert lexicon, f"lexicon.headings.{lang}.jsonl is empty"
    assert {entry["label"] for entry in lexicon} <= HEADING_LABELS
    assert {"PRIORITY", "GOAL", "ACTOR", "ACTION", "CONTENTS", "SUMMARY"} <= {e["label"] for e in lexicon}
    assert load_heading_lexicon(lang) is lexicon  # cached


def test_a_language_without_a_lexicon_has_none():
    assert load_heading_lexicon("xx") == ()


@pytest.mark.parametrize("text, problem", [
    ('{"label": "PRIORITY", "pattern": "x"}', "keys must be"),
    ('{"label": "NOPE", "pattern": "x", "id": "a"}', "unknown label"),
    ('{"label": "GOAL", "pattern": "", "id": "a"}', "empty pattern"),
    ('{"label": "GOAL", "pattern": [{"LEMMAX": "x"}], "id": "a"}', "unsupported token keys"),
    ('{"label": "GOAL", "pattern": "x", "id": "a"}\n{"label": "ACTOR", "pattern": "y", "id": "a"}',
     "the same id as line 1"),
    ("not json", "not JSON"),
    ("", "no patterns"),
])
def test_bad_lexicons_are_refused_with_the_line(text, problem):
    with pytest.raises(ReferenceDataError, match=problem):
        parse_heading_lexicon(text, "test.jsonl")
