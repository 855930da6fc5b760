"""Closed compounds split into the words they are made of: "livsmedelsförädling" -> "livsmedels"
+ "förädling", "besöksnäring" -> "besöks" + "näring".

Swedish (like German or Finnish) writes compounds as one word, so a pattern for "livsmedel"
would never see "livsmedelsförädling". A word the language's lemma table does not know is
split where every part is a word the table knows (a linking "s" or "e" stays on the part
before it, as the table knows "livsmedels" and "tjänste"); the split with the fewest parts
wins, and of those the one with the longest last part (the head: "förädling", not "ädling").
A word the table knows is left whole: it lists common compounds ("besöksnäring", "sjukvård")
as well as words that only look like compounds ("transporter" is no "tran" + "sporter"), so
the patterns name the common compounds themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from smartspec.extractors.lemmas import LemmaTable

logger = logging.getLogger(__name__)

# Shortest first or middle part: "bio" in "bioekonomi", "mat" in "matproduktion".
MIN_MODIFIER = 3
# Shortest last part. Three letters would split words that are no compounds at all
# ("håll" + "bar", "järn" + "väg" as iron and road) into words patterns look for.
MIN_HEAD = 4
# Most parts a word is split into ("livsmedels" + "förädlings" + "industri").
MAX_PARTS = 4
# Words a splitter remembers, at most: a long run's vocabulary starts afresh past it.
MAX_REMEMBERED = 100_000


@dataclass(slots=True)
class CompoundSplitter:
    """Splits words with `known(part) -> bool` deciding what is a word of the language."""

    known: Callable[[str], bool]
    _seen: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)

    def split(self, word: str) -> tuple[tuple[int, int], ...]:
        """The (start, end) offsets of `word`'s parts, or () when it is no compound.

        "Besöksnäring" -> ((0, 6), (6, 12)). Only words of letters are split; the parts are
        looked up lower-cased.
        """
        found = self._seen.get(word)
        if found is None:
            if len(self._seen) >= MAX_REMEMBERED:
                self._seen.clear()
            lowered = word.lower()
            found = ()
            # a word the table knows is taken as it is: "transporter" is no "tran" + "sporter"
            if word.isalpha() and len(lowered) == len(word) and not self.known(lowered):
                parts = self._parts(lowered)
                if parts is not None:
                    found = _offsets(parts)
            self._seen[word] = found
        return found

    def _parts(self, word: str) -> tuple[str, ...] | None:
        """The fewest known parts, two at least, that `word` splits into; None if there are none."""
        best: tuple[str, ...] | None = None
        for cut in range(MIN_MODIFIER, len(word) - MIN_HEAD + 1):  # the longest head first
            head = word[cut:]
            if not self.known(head):
                continue
            rest = self._modifiers(word[:cut], MAX_PARTS - 1)
            if rest is not None and (best is None or len(rest) + 1 < len(best)):
                best = (*rest, head)
                if len(best) == 2:
                    break
        return best

    def _modifiers(self, text: str, most: int) -> tuple[str, ...] | None:
        """`text` as one known word, else as the fewest known words (each a modifier)."""
        if len(text) >= MIN_MODIFIER and self.known(text):
            return (text,)
        if most <= 1:
            return None
        for cut in range(MIN_MODIFIER, len(text) - MIN_MODIFIER + 1):  # the longest last part first
            last = text[cut:]
            if not self.known(last):
                continue
            rest = self._modifiers(text[:cut], most - 1)
            if rest is not None:
                return (*rest, last)
        return None


def _offsets(parts: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    spans, start = [], 0
    for part in parts:
        spans.append((start, start + len(part)))
        start += len(part)
    return tuple(spans)


def known_words(lemmas: LemmaTable) -> Callable[[str], bool]:
    """Whether a lower-cased word is a form or a lemma of a lemma table (word -> lemma)."""
    return lambda word: word in lemmas or lemmas.is_lemma(word)
