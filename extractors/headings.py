"""Finding the heading lexicons' patterns in headings (`smartspec.extractors.lexicon`), on lemmas.

`HeadingMatcher` matches all of a language's patterns on lemmas, so "Styrkeområdena" matches
"styrkeområde" and "AREAS OF STRENGTH" matches "area of strength"; `heading_matcher()` builds
one over the lexicons of some languages.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.errors import MatchPatternError
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from smartspec.extractors.errors import ReferenceDataError
from smartspec.extractors.lexicon import EVIDENCE_LABELS, HEADINGS_FILE, load_heading_lexicon
from smartspec.extractors.nlp import LEMMA_PIPE

# A word unknown to the lemma table is lemmatised as a compound: its longest ending that the
# table knows is lemmatised ("styrkeområdena" -> "styrke" + "område"). Shortest parts tried:
MIN_COMPOUND_HEAD = 2
MIN_COMPOUND_TAIL = 4


@dataclass(frozen=True, slots=True)
class HeadingLabel:
    """A lexicon pattern found in a heading: its label, pattern id and the words matched."""

    label: str
    pattern_id: str
    text: str


class HeadingMatcher:
    """Finds heading-lexicon patterns in short texts, on lemmas (see the module docstring).

    Built once per run and language from a pipeline and its lexicon(s). Only the pipeline's
    tokenizer and lemma table are used. Lemmas of the words met are memoised on the instance.
    """

    def __init__(self, nlp: Language, lexicon: Iterable[dict[str, Any]], *, name: str = "lexicon"):
        self.nlp = nlp
        lemmatizer = nlp.get_pipe(LEMMA_PIPE) if nlp.has_pipe(LEMMA_PIPE) else None
        self._lemmas: Container[str] = lemmatizer.lemmas if lemmatizer is not None else frozenset()
        self._lemmatizer = lemmatizer
        self._memo: dict[str, str] = {}
        self.matcher = Matcher(nlp.vocab, validate=True)
        self._ids: dict[int, str] = {}
        for entry in lexicon:
            pattern = self._token_pattern(entry["pattern"])
            key = f"{entry['label']}|{entry['id']}"
            try:
                self.matcher.add(key, [pattern])
            except (MatchPatternError, ValueError) as e:
                raise ReferenceDataError(name, "reference",
                                         f"pattern {entry['id']!r}: {e}") from e

    def lemma(self, word: str) -> str:
        """The casefolded end of `word`'s lemma chain (`LemmaLookup.final_lemma`); a compound
        unknown to the table by its ending."""
        folded = _casefold(word)
        lemma = self._memo.get(folded)
        if lemma is None:
            lemma = self._memo[folded] = self._lemma(folded)
        return lemma

    def _lemma(self, word: str) -> str:
        if self._lemmatizer is None:
            return word
        if word in self._lemmas:
            word = self._lemmatizer.final_lemma(word)
            if word in self._lemmas:
                return word
        # the word, or the end of its chain, is unknown to the table: read it as a compound
        for cut in range(MIN_COMPOUND_HEAD, len(word) - MIN_COMPOUND_TAIL + 1):
            tail = word[cut:]
            if tail in self._lemmas and word[:cut].isalpha():
                return word[:cut] + self._lemmatizer.final_lemma(tail)
        return word

    def _token_pattern(self, pattern: str | list[dict[str, Any]]) -> list[dict[str, Any]]:
        if isinstance(pattern, str):
            return [{"LEMMA": self.lemma(token.text)} for token in self.nlp.make_doc(pattern)
                    if not (token.is_space or token.is_punct)]
        return [{key: self._lemma_value(value) if key == "LEMMA" else value
                 for key, value in token.items()} for token in pattern]

    def _lemma_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.lemma(value)
        if isinstance(value, dict):
            return {op: [self.lemma(v) for v in vs] if isinstance(vs, list) else vs
                    for op, vs in value.items()}
        return value

    def labels(self, texts: Iterable[str]) -> list[tuple[HeadingLabel, ...]]:
        """For each text, the patterns found in it, in text order. Overlapping matches keep
        the longest (then the first) among the heading labels, and apart from them among the
        evidence labels: "Smart specialisation areas" is both S3 evidence and a PRIORITY name."""
        found = []
        for doc in self.nlp.tokenizer.pipe(texts):
            self._set_lemmas(doc)
            matches = [(self.nlp.vocab.strings[key], start, end) for key, start, end in self.matcher(doc)]
            kept = []
            for evidence in (False, True):
                spans = {(start, end): key for key, start, end in matches
                         if (key.split("|", 1)[0] in EVIDENCE_LABELS) is evidence}
                kept += [(span, spans[(span.start, span.end)])
                         for span in filter_spans([doc[start:end] for start, end in spans])]
            found.append(tuple(HeadingLabel(*key.split("|", 1), span.text)
                               for span, key in sorted(kept, key=lambda pair: pair[0].start)))
        return found

    def _set_lemmas(self, doc: Doc) -> None:
        for token in doc:
            token.lemma_ = self.lemma(token.text)


def heading_matcher(nlp: Language, langs: Sequence[str]) -> HeadingMatcher:
    """A matcher over the lexicons of `langs` (those that exist), built with `nlp`."""
    lexicon = [entry for lang in dict.fromkeys(langs) for entry in load_heading_lexicon(lang)]
    return HeadingMatcher(nlp, lexicon, name=HEADINGS_FILE.format(lang="/".join(langs)))


def _casefold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()
