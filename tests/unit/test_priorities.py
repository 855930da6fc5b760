"""Naming and numbering priorities: run-in names, section numbers, trailing punctuation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartspec.extractors.document import LIST_ITEM, Block, Provenance
from smartspec.extractors.priorities import Entry, number_entries, priority_name, run_in_name


@pytest.mark.parametrize("text, name, run_in", [
    ("Health technology and services. Demand for health services is growing.",
     "Health technology and services", True),
    (("Information and communications technology (ICT) horizontally via other sectors. It is "
      "important to note that"), "Information and communications technology (ICT) horizontally via other sectors", True),
    ("Permanent start-up services: South Ostrobothnia has comprehensive services", "Permanent start-up services", True),
    ("Cyber security – Estonia became known as a country", "Cyber security", True),
    ("Besöksnäring – till exempel turism och evenemang", "Besöksnäring", True),
    ("4.1.1 Innovative materials", "Innovative materials", False),
    ("Information and communication technologies:", "Information and communication technologies", False),
    ("cyber security; and", "cyber security", False),
    ("software development.", "software development", False),
    ("use of ICT in industry (incl. automation and robotics);",
     "use of ICT in industry (incl. automation and robotics)", False),
    ("Life science – hälsa", "Life science – hälsa", False),  # too short a tail to be a description
    ("Teknik- och tjänsteutveckling inom industrin", "Teknik- och tjänsteutveckling inom industrin", False),
    ("Research, e.g. Biobanks and cohorts", "Research, e.g. Biobanks and cohorts", False),
    # a short phrase with no stop after the break belongs to the name ...
    ("Smart industri – formningsteknologi och marin teknik", "Smart industri – formningsteknologi och marin teknik",
     False),
    ("Smart Industry: Marine technology and manufacturing", "Smart Industry: Marine technology and manufacturing",
     False),
    # ... unless it opens as a description does, or is long
    ("Business models and arenas – for example, bio-based circular economy, waste, energy",
     "Business models and arenas", True),
    ("Livsmedel: bland annat förädling och måltidsturism", "Livsmedel", True),
    ("Energy: hydrogen valleys, smart grids, storage, heat networks and the ports around them",
     "Energy", True),
])
def test_priority_names(text, name, run_in):
    assert priority_name(text, max_words=12)[:2] == (name, run_in)


def test_a_long_item_without_a_name_is_a_sentence():
    text = ("Set up a skills centre for sustainable construction, tasked with developing a "
            "strategic research programme")
    assert priority_name(text, max_words=12) == (text, False, True)


def test_a_run_in_name_longer_than_allowed_is_not_cut():
    assert run_in_name("one two three four five. Six seven eight nine", max_words=3) is None


def _block(text, level=1):
    return Block(text, LIST_ITEM, level, Provenance("d", 1, None, "test"))


def test_entries_are_numbered_with_parents_relative_to_the_shallowest_level():
    entries = [Entry(_block("Alpha. Text follows here."), 2), Entry(_block("a1"), 3),
               Entry(_block("B"), 2), Entry(_block("b1"), 4)]
    items = number_entries(entries, max_words=12)
    assert [(i.text, i.position, i.level, i.parent_position) for i in items] == [
        ("Alpha", 1, 1, None), ("a1", 2, 2, 1), ("B", 3, 1, None), ("b1", 4, 2, 3)]


def test_entry_text_overrides_the_block_text():
    items = number_entries([Entry(_block("ignored"), 1, "Besöksnäring och\nevenemang")], max_words=12)
    assert items[0].text == "Besöksnäring och evenemang"


@given(st.text())
def test_priority_name_never_raises_and_never_grows(text):
    name, run_in, sentence = priority_name(text, max_words=12)
    assert isinstance(name, str) and not (run_in and sentence)
    assert name == name.strip() and "  " not in name
    assert len(priority_name(name, max_words=12)[0]) <= len(name)
