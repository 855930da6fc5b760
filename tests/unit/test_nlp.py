import socket
from pathlib import Path

import pytest
import spacy_lookups_data
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.util import registry

from smartspec.extractors.nlp import (
    FALLBACK_LANG,
    LEMMA_PIPE,
    NORM_PIPE,
    NAMES_PIPE,
    build_pipeline,
    fold,
    priority_key,
)


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline("sv")


@pytest.fixture(scope="module")
def nlp_en():
    return build_pipeline("en")


def test_pipeline_components_in_order(nlp):
    assert isinstance(nlp, Language)
    assert nlp.lang == "sv"
    assert nlp.pipe_names == [LEMMA_PIPE, NORM_PIPE, NAMES_PIPE]


def test_lemma_table_comes_from_the_installed_package(nlp):
    table = Path(str(registry.lookups.get("sv")["lemma_lookup"]))
    assert Path(spacy_lookups_data.__file__).parent in table.parents
    assert len(nlp.get_pipe(LEMMA_PIPE).lemmas) > 100_000


def test_build_pipeline_needs_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network use in a test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    nlp = build_pipeline("sv")
    assert nlp.get_pipe(LEMMA_PIPE)(nlp.make_doc("tjänster"))[0].lemma_ == "tjänst"


def test_unknown_language_falls_back_to_multilanguage():
    nlp = build_pipeline("zz")
    assert nlp.lang == FALLBACK_LANG
    assert LEMMA_PIPE not in nlp.pipe_names  # no table: keys are the casefolded words
    assert priority_key("Smarta Städer", nlp) == "smarta städer"


def test_language_without_lemma_table_still_builds():
    nlp = build_pipeline("fi")
    assert nlp.lang == "fi" and nlp.pipe_names == [NORM_PIPE, NAMES_PIPE]


def test_names_go_into_the_name_finder():
    nlp = build_pipeline("sv")
    nlp.get_pipe(NAMES_PIPE).add("HEADING", [("Prioriteringar", "prio"), ("smarta prioriteringar", "smart")])
    doc = nlp("Våra PRIORITERINGAR och Smarta  prioriteringar; smarta-prioriteringar")
    # any case and accents; a dash is a space; a white-space token ("  ") ends a name
    assert [(ent.text, ent.label_, ent.ent_id_) for ent in doc.ents] == [
        ("PRIORITERINGAR", "HEADING", "prio"), ("prioriteringar", "HEADING", "prio"),
        ("smarta-prioriteringar", "HEADING", "smart")]


def test_overlapping_names_the_longest_then_the_first_wins_and_set_entities_stay():
    nlp = build_pipeline("en")
    finder = nlp.get_pipe(NAMES_PIPE)
    finder.add("PLACE", [("North", "N"), ("North East", "NE"), ("East Anglia", "EA")])
    doc = nlp.make_doc("North East Anglia and North")
    for name in (NORM_PIPE, NAMES_PIPE):
        doc = nlp.get_pipe(name)(doc)
    assert [(ent.text, ent.ent_id_) for ent in doc.ents] == [("North East", "NE"), ("North", "N")]
    doc = nlp.get_pipe(NORM_PIPE)(nlp.make_doc("North East Anglia"))
    doc.ents = [doc.char_span(0, 5, label="OTHER")]
    assert [(ent.text, ent.label_) for ent in finder(doc).ents] == [("North", "OTHER"), ("East Anglia", "PLACE")]


def test_a_name_is_one_label_and_id():
    finder = build_pipeline("en").get_pipe(NAMES_PIPE)
    finder.add("PLACE", [("Skåne", "SE224")])
    finder.add("PLACE", [("SKANE", "SE224")])  # the same name again: nothing new
    with pytest.raises(ValueError, match="already PLACE 'SE224'"):
        finder.add("PLACE", [("skane", "SE9")])
    assert len(finder) == 1 and finder.labels == {"PLACE"}


def test_accent_norm_folds_token_norms(nlp):
    doc = nlp.get_pipe(NORM_PIPE)(nlp.make_doc("Västra Götaland SKÅNE"))
    assert [token.norm_ for token in doc] == ["vastra", "gotaland", "skane"]


@pytest.mark.parametrize(("text", "folded"), [
    ("Västra  Götaland", "vastra gotaland"),
    ("Jämtland–Härjedalen", "jamtland-harjedalen"),
    ("Lëtzebuerg", "letzebuerg"),
    ("ÅLAND", "aland"),
    ("İzmir", "izmir"),
    ("ﬁnland", "finland"),
])
def test_fold(text, folded):
    assert fold(text) == folded


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


# --- priority_key -------------------------------------------------------------------------

@pytest.mark.parametrize(("first", "second"), [
    ("Life Science", "Life science"),
    ("Life science", "LIFE  SCIENCE"),
    ("Digitala tjänster", "Digital tjänst"),  # plural/definite -> lemma from sv_lemma_lookup
    ("Gröna näringar", "Grön näring"),
    ("Kulturella och kreativa näringar", "kulturell och kreativ näring"),
    ("Hälsa & välfärd", "Hälsa, välfärd"),
    ("Energi/miljö", "energi miljö"),
    # sv_lemma_lookup sends "gränser" to "gräns" but "gräns" on to "grän": chains are followed
    # to their end, so singular and plural still share a key
    ("Samverkan över regionala gränser 2020+", "samverkan över regional gräns 2020"),
])
def test_priority_key_groups_variants(nlp, first, second):
    assert priority_key(first, nlp) == priority_key(second, nlp)


@pytest.mark.parametrize(("text", "key"), [
    ("Hållbar energi och miljöteknik", "hållbar energi och miljöteknik"),
    ("Digitala tjänster/processer", "digital tjänst process"),
    ("Energi- och miljöteknik/cleantech", "energi och miljöteknik cleantech"),
    ("S3-piloten", "s3 pilot"),
    ("", ""),
    ("– ; !", ""),
])
def test_priority_key_values(nlp, text, key):
    assert priority_key(text, nlp) == key


def test_priority_key_english(nlp_en):
    assert priority_key("Smart Cities and Communities", nlp_en) == "smart city and community"
    assert priority_key("Life Sciences", nlp_en) == priority_key("life science", nlp_en)


def test_priority_key_follows_lemma_chains_to_their_end(nlp):
    # sv_lemma_lookup chains "de" -> "en" -> "man" -> "mana": all four share a key
    assert {priority_key(word, nlp) for word in ("de", "en", "man", "mana")} == {"mana"}


def test_final_lemma_settles_lemma_loops(nlp):
    # sv_lemma_lookup sends "all" to "alla" and "alla" back to "all"
    lemmatizer = nlp.get_pipe(LEMMA_PIPE)
    assert lemmatizer.final_lemma("alla") == lemmatizer.final_lemma("all") == "all"
    assert priority_key("Alla", nlp) == priority_key("all", nlp) == "all"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_priority_key_never_raises_and_is_its_own_key(nlp, text):
    key = priority_key(text, nlp)
    assert key == key.strip() and "  " not in key
    assert priority_key(key, nlp) == key


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["de", "en", "man", "in", "it", "la", "sa", "för", "tjänster",
                                 "Näringar", "alla", "all", "ls", "xs", "-", "/", "3", "10km"]),
                max_size=6))
def test_priority_key_is_its_own_key_on_real_words(nlp, words):
    key = priority_key(" ".join(words), nlp)
    assert priority_key(key, nlp) == key
