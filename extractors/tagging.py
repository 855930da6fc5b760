"""Theme tags: which categories of the theme taxonomy a priority's words name, and the words.

`build_theme_matchers()` makes one `ThemeMatcher` per language from the run's pipelines and
the taxonomy (`smartspec.extractors.themes`); `assign_themes()` tags one priority. A phrase pattern
matches on the words' lookup lemmas (spaCy's PhraseMatcher on LEMMA), also across the parts
of a compound in languages marked `compounds` ("livsmedel" in "livsmedelsförädling",
"miljöteknik" in "Energi- och miljöteknik"); a token pattern (spaCy's Matcher) matches whole
words only, its LEMMA values lemmatised like the text. Where one match lies inside another,
the longer wins ("järnväg", not "järn"). Every term matched brings its tags (method
"pattern"), each of those the tags its category implies ("implied") and each tag its
parent category ("parent"), all with the words matched as evidence.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from smartspec.extractors.compounds import CompoundSplitter, known_words
from smartspec.extractors.nlp import LEMMA_PIPE, LemmaLookup
from smartspec.extractors.themes import Taxonomy, tag_of

logger = logging.getLogger(__name__)

# How a tag was found: a term's pattern matched; a tag found so implies it; it is the parent
# category of a tag found either way. A tag found several ways is reported by the first.
METHOD_PATTERN, METHOD_IMPLIED, METHOD_PARENT = "pattern", "implied", "parent"
METHODS = (METHOD_PATTERN, METHOD_IMPLIED, METHOD_PARENT)
# Joins the matched words of one tag, and the rules that found it.
EVIDENCE_SEPARATOR = " | "
RULE_SEPARATOR = ", "


@dataclass(frozen=True, slots=True)
class ThemeTag:
    """One category a priority was tagged with, and why."""

    dimension: str
    code: str
    label: str
    evidence: str  # the words of the priority that matched, in order, EVIDENCE_SEPARATOR between
    method: str  # one of METHODS
    rule: str  # the term(s) that matched, or the tag(s) that implied it or whose parent it is

    @property
    def tag(self) -> str:
        return tag_of(self.dimension, self.code)

@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    start: int  # offsets in the priority's text
    end: int
    lemma: str


@dataclass(frozen=True, slots=True)
class _Match:
    start: int
    end: int
    term: str


class ThemeMatcher:
    """The patterns of one language, ready to tag priorities written in it."""

    def __init__(self, nlp: Language, taxonomy: Taxonomy, lang: str) -> None:
        self.nlp = nlp
        self.taxonomy = taxonomy
        self.lang = lang
        lemmatizer: LemmaLookup | None = nlp.get_pipe(LEMMA_PIPE) if nlp.has_pipe(LEMMA_PIPE) else None
        self._lemmatizer = lemmatizer
        self._splitter = None
        if lang in taxonomy.compounds and lemmatizer is not None:
            self._splitter = CompoundSplitter(known_words(lemmatizer.lemmas))
        self._phrases = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self._tokens = Matcher(nlp.vocab)
        for pattern in taxonomy.patterns.get(lang, ()):
            if isinstance(pattern.pattern, str):
                words = self._words(pattern.pattern)
                forms = {tuple(w.lemma for w in words): words}
                parts = self._parts(words)
                forms.setdefault(tuple(w.lemma for w in parts), parts)
                self._phrases.add(pattern.term, [self._doc(form) for form in forms.values() if form])
            else:
                self._tokens.add(pattern.term, [[self._lemmatised(token) for token in pattern.pattern]])

    def tag(self, text: str) -> tuple[ThemeTag, ...]:
        """Every tag `text` earns, in the taxonomy's order; () when no pattern matches."""
        words = self._words(text)
        if not words:
            return ()
        doc = self._doc(words)
        found = {_Match(words[i].start, words[j - 1].end, self.nlp.vocab.strings[key])
                 for key, i, j in [*self._phrases(doc), *self._tokens(doc)]}
        parts = self._parts(words)
        if parts != words:
            found |= {_Match(parts[i].start, parts[j - 1].end, self.nlp.vocab.strings[key])
                      for key, i, j in self._phrases(self._doc(parts))}
        return _tags(text, _longest(found), self.taxonomy)

    def _lemma(self, word: str) -> str:
        folded = unicodedata.normalize("NFC", word).casefold()
        return self._lemmatizer.final_lemma(folded) if self._lemmatizer is not None else folded

    def _words(self, text: str) -> list[_Word]:
        """The runs of letters and digits of `text`'s tokens ("Test-" is "Test"), with their lemmas."""
        words = []
        for token in self.nlp.make_doc(text):
            run_start = None
            for index, ch in enumerate(token.text + " "):
                inside = ch.isalnum() or unicodedata.category(ch).startswith("M")
                if inside and run_start is None:
                    run_start = index
                elif not inside and run_start is not None:
                    run = token.text[run_start:index]
                    words.append(_Word(run, token.idx + run_start, token.idx + index, self._lemma(run)))
                    run_start = None
        return words

    def _parts(self, words: list[_Word]) -> list[_Word]:
        """`words` with each compound replaced by its parts (unchanged without a splitter)."""
        if self._splitter is None:
            return words
        parts = []
        for word in words:
            spans = self._splitter.split(word.text)
            if not spans:
                parts.append(word)
                continue
            for start, end in spans:
                piece = word.text[start:end]
                parts.append(_Word(piece, word.start + start, word.start + end, self._lemma(piece)))
        return parts

    def _doc(self, words: list[_Word]) -> Doc:
        doc = Doc(self.nlp.vocab, words=[w.text for w in words])
        for token, word in zip(doc, words, strict=True):
            token.lemma_ = word.lemma
        return doc

    def _lemmatised(self, token: dict[str, Any]) -> dict[str, Any]:
        """A token pattern with its LEMMA value(s) lemmatised as the text's words are."""
        value = token.get("LEMMA")
        if isinstance(value, str):
            return {**token, "LEMMA": self._lemma(value)}
        if isinstance(value, dict) and isinstance(value.get("IN"), list):
            return {**token, "LEMMA": {**value, "IN": [self._lemma(v) for v in value["IN"]]}}
        return token


def _longest(found: set[_Match]) -> list[_Match]:
    """The matches not lying inside a longer one, in text order."""
    kept = [m for m in found
            if not any(o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
                       for o in found)]
    return sorted(kept, key=lambda m: (m.start, m.end, m.term))


def _tags(text: str, matches: list[_Match], taxonomy: Taxonomy) -> tuple[ThemeTag, ...]:
    evidence: dict[str, dict[tuple[int, int], str]] = {}  # tag -> (start, end) -> words
    rules: dict[str, dict[str, None]] = {}
    methods: dict[str, str] = {}

    def add(tag: str, spans: Mapping[tuple[int, int], str], rule: str, method: str) -> None:
        if methods.setdefault(tag, method) != method:
            return  # found already by a stronger method
        evidence.setdefault(tag, {}).update(spans)
        rules.setdefault(tag, {})[rule] = None

    for match in matches:
        for tag in taxonomy.terms[match.term]:
            add(tag, {(match.start, match.end): text[match.start:match.end]}, match.term, METHOD_PATTERN)
    for tag in [t for t, method in methods.items() if method == METHOD_PATTERN]:
        for implied in taxonomy.category(tag).implies:
            add(implied, evidence[tag], tag, METHOD_IMPLIED)
    for tag in list(methods):
        parent = taxonomy.category(tag).parent
        if parent is not None:
            add(parent, evidence[tag], tag, METHOD_PARENT)

    order = {tag: index for index, tag in enumerate(taxonomy.categories)}
    tags = []
    for tag in sorted(methods, key=order.__getitem__):
        category = taxonomy.category(tag)
        words = EVIDENCE_SEPARATOR.join(dict.fromkeys(w for _, w in sorted(evidence[tag].items())))
        tags.append(ThemeTag(category.dimension, category.code, category.label, words, methods[tag],
                             RULE_SEPARATOR.join(sorted(rules[tag]))))
    return tuple(tags)


def build_theme_matchers(pipelines: Mapping[str, Language], taxonomy: Taxonomy) -> dict[str, ThemeMatcher]:
    """One matcher per language that has both a pipeline and patterns."""
    return {lang: ThemeMatcher(nlp, taxonomy, lang) for lang, nlp in pipelines.items() if lang in taxonomy.patterns}


def assign_themes(priority: str, language: str, matchers: Mapping[str, ThemeMatcher]) -> tuple[ThemeTag, ...]:
    """The tags of one priority; () when nothing matches or its language has no patterns."""
    matcher = matchers.get(language)
    return matcher.tag(priority) if matcher is not None else ()
