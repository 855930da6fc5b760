from hypothesis import given
from hypothesis import strategies as st

from smartspec.extractors.normalise import (
    BULLET_GLYPHS,
    collapse_whitespace,
    join_hyphenated,
    normalise_item,
    split_marker,
    strip_bullet,
)

NORMALISERS = [collapse_whitespace, strip_bullet, join_hyphenated, normalise_item]


@given(st.text())
def test_normalisers_never_raise_and_are_idempotent(text):
    for normaliser in NORMALISERS:
        once = normaliser(text)
        assert normaliser(once) == once, normaliser.__name__


@given(st.text())
def test_collapse_whitespace_leaves_no_double_spaces(text):
    out = collapse_whitespace(text)
    assert "  " not in out
    assert out == out.strip()


@given(st.sampled_from(BULLET_GLYPHS), st.text(min_size=1))
def test_no_bullet_is_left_at_the_start(glyph, text):
    out = normalise_item(f"{glyph} {text}")
    # a glyph glued to a word ("-0", "*nix") is text, not a marker
    assert split_marker(out)[0] == ""


def test_split_marker_keeps_the_marker_apart():
    assert split_marker("• Life science") == ("•", "Life science")
    assert split_marker("\uf0b7 Smart materials") == ("\uf0b7", "Smart materials")
    assert split_marker("15.4. New production processes") == ("15.4.", "New production processes")
    assert split_marker("a) cyber security;") == ("a)", "cyber security;")
    assert split_marker("(iv) ports") == ("(iv)", "ports")
    assert split_marker("Life science") == ("", "Life science")
    assert split_marker("3D-printing") == ("", "3D-printing")


def test_normalise_item_as_published():
    assert normalise_item("▶  Uppföljande dialoger\n och metodstöd") == "Uppföljande dialoger och metodstöd"
    assert normalise_item("materials sci-\nence;") == "materials science"
    assert normalise_item("software development; and") == "software development"
    assert normalise_item("Energi- och miljöteknik/cleantech") == "Energi- och miljöteknik/cleantech"
    assert normalise_item("Hälsa & välfärd") == "Hälsa & välfärd"


def test_glued_bullets_are_markers_but_glued_dashes_are_words():
    assert split_marker("•Life science") == ("•", "Life science")
    assert split_marker("\uf0b7Energi") == ("\uf0b7", "Energi")
    assert split_marker("-based economy") == ("", "-based economy")
    assert split_marker("– Smart industri") == ("–", "Smart industri")
