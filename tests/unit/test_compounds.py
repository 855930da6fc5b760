"""Swedish compounds split into known words, on a small vocabulary and on the real lemma table."""

from __future__ import annotations

import pytest

from smartspec.extractors.compounds import MIN_HEAD, CompoundSplitter, known_words
from smartspec.extractors.lemmas import LoadedLemmas
from smartspec.extractors.nlp import LEMMA_PIPE, build_pipeline

WORDS = {"livsmedel", "livsmedels", "förädling", "miljö", "teknik", "bio", "ekonomi", "skogs", "industri",
         "tran", "sporter", "transporter", "bar", "håll", "ädling", "för"}


def parts(splitter: CompoundSplitter, word: str) -> list[str]:
    return [word[start:end] for start, end in splitter.split(word)]


@pytest.fixture(scope="module")
def small() -> CompoundSplitter:
    return CompoundSplitter(WORDS.__contains__)


@pytest.fixture(scope="module")
def swedish() -> CompoundSplitter:
    return CompoundSplitter(known_words(build_pipeline("sv").get_pipe(LEMMA_PIPE).lemmas))


def test_a_compound_splits_into_the_fewest_known_parts_longest_head_first(small):
    assert parts(small, "livsmedelsförädling") == ["livsmedels", "förädling"]  # not livsmedels + för + ädling
    assert parts(small, "Miljöteknik") == ["Miljö", "teknik"]  # offsets fit the word as written
    assert parts(small, "bioekonomi") == ["bio", "ekonomi"]
    assert parts(small, "skogsindustriteknik") == ["skogs", "industri", "teknik"]


def test_known_words_short_heads_and_unknown_parts_stay_whole(small):
    assert parts(small, "transporter") == []  # a known word is no "tran" + "sporter"
    assert parts(small, "hållbar") == []  # "bar" is shorter than a head may be
    assert len("bar") < MIN_HEAD
    assert parts(small, "livsmedelsxyz") == []
    assert parts(small, "miljö-teknik") == [] and parts(small, "") == []


def test_the_swedish_lemma_table_splits_real_compounds(swedish):
    assert parts(swedish, "livsmedelsförädling") == ["livsmedels", "förädling"]
    assert parts(swedish, "Upplevelsenärings") == ["Upplevelse", "närings"]
    assert parts(swedish, "naturturism") == ["natur", "turism"]
    assert parts(swedish, "Energieffektivt") == ["Energi", "effektivt"]
    # words the table knows are left whole, compounds or not
    assert parts(swedish, "besöksnäring") == [] and parts(swedish, "transporter") == []
    assert parts(swedish, "Järnväg") == [] and parts(swedish, "Hållbart") == []


def test_known_words_are_forms_and_lemmas():
    known = known_words(LoadedLemmas({"städer": "stad", "gick": "gå"}))
    assert known("städer") and known("stad") and known("gå") and not known("bil")
