"""The report's labels (one file, both languages) and how the page renders them."""

from __future__ import annotations

import json

import pytest

from smartspec.reporting.page import LANGUAGES, LabelError, aria, colour_class, label, load_labels, parse_labels, tr


def test_every_label_has_both_languages():
    labels = load_labels()
    assert set(LANGUAGES) == {"sv", "en"}
    assert all(set(by_language) == set(LANGUAGES) for by_language in labels.values())
    assert label("title", "en") == "Smart specialisation: the regions' priorities"


@pytest.mark.parametrize(("n", "sv", "en"), [
    (0, "inga prioriteringar", "no priorities"), (1, "1 prioritering", "1 priority"),
    (5, "5 prioriteringar", "5 priorities"),
])
def test_a_plural_label_picks_its_form_by_n(n, sv, en):
    assert (label("n_priorities", "sv", n=n), label("n_priorities", "en", n=n)) == (sv, en)


def test_a_switchable_label_carries_its_key_and_values_escaped():
    markup = str(tr("region_label", name="Västra <Götaland>", n=2))
    assert markup.startswith('<span data-i18n="region_label" data-i18n-args="{&#34;n&#34;:2,')
    assert "Västra &lt;Götaland&gt;: 2 prioriteringar</span>" in markup
    assert str(aria("language")) == 'aria-label="Språk" data-i18n-aria="language"'


def test_counts_map_to_colour_classes():
    assert [colour_class(n) for n in (0, 1, 5, 6, 40)] == ["nodata", "c1", "c5", "c6", "c6"]


@pytest.mark.parametrize(("labels", "message"), [
    ({"title": {"sv": "Titel"}}, "exactly sv, en"),
    ({"title": {"sv": "", "en": "Title"}}, "neither text nor"),
    ({"n": {"sv": {"one": "{n} sak"}, "en": "x"}}, "neither text nor"),
    ([], "not an object"),
])
def test_a_bad_labels_file_is_refused_saying_why(labels, message):
    with pytest.raises(LabelError, match=message):
        parse_labels(json.dumps(labels))
