"""The spaCy pipeline extraction uses, and the text keys built with it.

`build_pipeline(lang, patterns)` is called ONCE per run (per document language) by the flow and
the `Language` it returns is passed to every function that needs it; there is no module-level
`nlp`. The pipeline is `spacy.blank(lang)` plus three components, in this order:

1. `lemma_lookup`: word -> lemma from the lookup table that the installed `spacy-lookups-data`
   package ships for `lang` (`sv_lemma_lookup`, `en_lemma_lookup`, ...), read through an index
   on disk made from it once (`lemmas.py`). Nothing is downloaded. spaCy's own `lemmatizer` in
   "lookup" mode reads the same table but builds a hashed `Table` of it, which for Swedish
   (660 000 forms) takes over 2 s. Languages without a table get no lemmatizer, and keys fall
   back to the casefolded words.
2. `accent_norm`: sets `token.norm_` to `fold(token.text)`, so `NORM` patterns written in
   folded form match "Skåne", "SKÅNE" and "Skane" alike.
3. `name_finder`: marks the names of a table as entities (`NameFinder`): region names, which
   `regions.add_region_names` puts there, matched on NORM, that is, folded like the text.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy
import spacy
from spacy.attrs import IS_SPACE, NORM, ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import get_lang_class

from smartspec.extractors.lemmas import LemmaTable, LoadedLemmas, has_lemma_table, open_lemma_table
from smartspec.extractors.normalise import fold, name_key

logger = logging.getLogger(__name__)

LEMMA_PIPE = "lemma_lookup"
NORM_PIPE = "accent_norm"
NAMES_PIPE = "name_finder"
# The language spaCy falls back to when it has no class for `lang`.
FALLBACK_LANG = "xx"
# The most tokens a name may span ("Provence-Alpes-Côte d'Azur" is 8).
MAX_NAME_TOKENS = 24
# Words whose folded form the `accent_norm` component remembers, at most.
MAX_FOLDED_WORDS = 100_000
# A key is re-keyed until it stops changing (a lemma can tokenize differently from its word);
# this caps the rounds. One or two are the rule.
_MAX_KEY_ROUNDS = 8


class LemmaLookup:
    """Sets `token.lemma_` from a word -> lemma table; the word as-is first, then lower-cased."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.lemmas: LemmaTable = LoadedLemmas({})

    def initialize(self, get_examples: Callable[[], Iterable[Any]] | None = None, *,
                   nlp: Language | None = None) -> None:
        lang = nlp.lang if nlp is not None else ""
        self.lemmas = open_lemma_table(lang, self.table)

    def lemma(self, word: str) -> str:
        """The table's lemma for `word`, or `word` itself."""
        return self.lemmas.get(word) or self.lemmas.get(word.lower()) or word

    def final_lemma(self, word: str) -> str:
        """The casefolded end of `word`'s lemma chain ("gränser" -> "gräns" -> "grän").

        Lookup tables chain and even loop; in a loop every member answers with the smallest,
        so that the answer for the answer is the answer.
        """
        word = _casefolded(word)
        seen = [word]
        while True:
            following = _casefolded(self.lemma(word))
            if following == word:
                return word
            if following in seen:
                return min(seen[seen.index(following):])
            seen.append(following)
            word = following

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            token.lemma_ = self.lemma(token.text)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


def _casefolded(text: str) -> str:
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())


@Language.factory(LEMMA_PIPE, default_config={"table": "lemma_lookup"})
def make_lemma_lookup(nlp: Language, name: str, table: str) -> LemmaLookup:
    return LemmaLookup(table)


@Language.factory(NORM_PIPE, default_config={})
def make_accent_norm(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    return FoldedNorms()


class FoldedNorms:
    """Sets `token.norm_` to `fold(token.text)`, folding each distinct word once per pipeline
    (a strategy's whole text is tens of thousands of tokens and a few thousand words). The
    norms are set on the document's arrays at once, not token by token (making a Python
    object of each token costs more than the folding)."""

    def __init__(self) -> None:
        self.norms: dict[int, int] = {}  # orth hash -> hash of its folded form

    def __call__(self, doc: Doc) -> Doc:
        orths = doc.to_array(ORTH)
        if not len(orths):
            return doc
        unique, inverse = numpy.unique(orths, return_inverse=True)
        if len(self.norms) >= MAX_FOLDED_WORDS:  # a long run's vocabulary: start afresh
            self.norms.clear()
        strings, norms = doc.vocab.strings, self.norms
        folded = [norms.get(orth) or norms.setdefault(orth, strings.add(fold(strings[orth])))
                  for orth in unique.tolist()]
        doc.from_array([NORM], numpy.array(folded, dtype=numpy.uint64)[inverse].reshape(-1, 1))
        return doc


class NameFinder:
    """Marks the names of a table as entities, each with the label and id it was added with.

    A run of tokens is a name when its text, keyed by `name_key` (folded, a dash counted as a
    space, spaces collapsed), is a key of the table; a white-space token ends a name. Where
    names found overlap, the longest wins, then the first (as spaCy's entity ruler decides);
    entities already set stay. The tokens' NORM is read, so `accent_norm` must run before.

    Names are keyed, never tokenized: the table of some 2,500 region names is built in
    milliseconds, where an entity ruler's patterns tokenize every name (a tenth of a second
    per pipeline, most of what a short document's extraction waits for).
    """

    def __init__(self) -> None:
        self.names: dict[str, tuple[str, str]] = {}  # name key -> (label, id)
        self.labels: set[str] = set()
        self._prefixes: frozenset[str] = frozenset()  # every leading part of every key

    def add(self, label: str, names: Iterable[tuple[str, str]]) -> None:
        """Add (name, id) pairs under `label`; a name already added for another label or id
        is a ValueError."""
        for name, id_ in names:
            key = name_key(name)
            if not key:
                continue
            known = self.names.setdefault(key, (label, id_))
            if known != (label, id_):
                raise ValueError(f"{name!r} is already {known[0]} {known[1]!r}, not {label} {id_!r}")
            self.labels.add(label)
        self._prefixes = frozenset(key[:end] for key in self.names for end in range(1, len(key) + 1))

    def __len__(self) -> int:
        return len(self.names)

    def __call__(self, doc: Doc) -> Doc:
        found = self.find(doc)
        if not found:
            return doc
        taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        spans = []
        for start, end, (label, id_) in sorted(found, key=lambda m: (m[0] - m[1], m[0])):
            if taken.isdisjoint(range(start, end)):
                taken.update(range(start, end))
                spans.append(Span(doc, start, end, label=label, span_id=id_))
        doc.ents = sorted([*doc.ents, *spans], key=lambda span: span.start)
        return doc

    def find(self, doc: Doc) -> list[tuple[int, int, tuple[str, str]]]:
        """(start, end, (label, id)) of every token run that is a name, overlapping ones too."""
        if not self.names or not len(doc):
            return []
        columns = doc.to_array([NORM, SPACY, IS_SPACE])
        unique, inverse = numpy.unique(columns[:, 0], return_inverse=True)
        strings, prefixes = doc.vocab.strings, self._prefixes
        words = [strings[norm] for norm in unique.tolist()]
        begins = numpy.array([name_key(word) in prefixes for word in words], dtype=bool)
        inverse = inverse.reshape(-1)
        spaced, blank, word_of = columns[:, 1].tolist(), columns[:, 2].tolist(), inverse.tolist()
        found = []
        for start in numpy.flatnonzero(begins[inverse]).tolist():
            text = ""
            for end in range(start, min(len(doc), start + MAX_NAME_TOKENS)):
                if blank[end]:
                    break
                text += words[word_of[end]]
                key = name_key(text)
                if key not in prefixes:
                    break
                if key in self.names:
                    found.append((start, end + 1, self.names[key]))
                if spaced[end]:
                    text += " "
        return found


@Language.factory(NAMES_PIPE, default_config={})
def make_name_finder(nlp: Language, name: str) -> NameFinder:
    return NameFinder()


def build_pipeline(lang: str) -> Language:
    """A blank `lang` pipeline with the lookup lemmatizer, `accent_norm` and a name finder.

    Build it once per run and pass it in. Names go into the finder with
    `nlp.get_pipe(NAMES_PIPE).add(label, names)` (`regions.add_region_names` adds the regions').
    """
    try:
        get_lang_class(lang)
    except ImportError:
        logger.warning("spaCy has no language %r; using the multi-language %r tokenizer",
                       lang, FALLBACK_LANG)
        lang = FALLBACK_LANG
    nlp = spacy.blank(lang)
    if has_lemma_table(lang):
        nlp.add_pipe(LEMMA_PIPE)
    else:
        logger.info("no lemma lookup table for %r; priority keys use the casefolded words", lang)
    nlp.add_pipe(NORM_PIPE)
    nlp.add_pipe(NAMES_PIPE)
    nlp.initialize()  # loads the lemma table
    return nlp


def priority_key(text: str, nlp: Language) -> str:
    """Casefolded lemmas of the words and numbers in `text`, joined by single spaces.

    Punctuation is dropped: "Digitala tjänster/processer" -> "digital tjänst process". Only the
    tokenizer and the `lemma_lookup` table are used. The key is its own key. Lookup tables
    chain (sv: "gränser" -> "gräns" -> "grän", "de" -> "en" -> "man" -> "mana"), so each word
    goes to the end of its chain (`LemmaLookup.final_lemma`): that is also what lets "gräns"
    and "gränser" share a key. A key is an identity for grouping, not a readable lemma: show
    the verbatim text. A lemma can tokenize differently from its word ("10km"), so the key is
    re-keyed until it stops changing.
    """
    lemmatizer = nlp.get_pipe(LEMMA_PIPE) if nlp.has_pipe(LEMMA_PIPE) else None
    key = _key_once(text, nlp, lemmatizer)
    for _ in range(_MAX_KEY_ROUNDS):
        again = _key_once(key, nlp, lemmatizer)
        if again == key:
            break
        key = again
    return key


def _key_once(text: str, nlp: Language, lemmatizer: LemmaLookup | None) -> str:
    words: list[str] = []
    for token in nlp.make_doc(_casefolded(text)):
        lemma = lemmatizer.final_lemma(token.text) if lemmatizer else token.text
        words.extend(_words(lemma))
    return " ".join(words)


def _words(text: str) -> list[str]:
    """Runs of letters, digits and combining marks; everything else separates words."""
    kept = "".join(ch if ch.isalnum() or unicodedata.category(ch).startswith("M") else " "
                   for ch in text)
    return kept.split()
