"""Which language a document is written in, from spaCy's own stop-word lists.

The share of a document's words that are stop words of each candidate language is a robust
signal on anything longer than a few lines, needs no model download and no extra package.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from smartspec.extractors.document import Document

# Languages tried, in order of preference on a tie. Each must have spacy.lang.<code>.stop_words.
CANDIDATES = ("sv", "en", "fi", "nl", "de", "fr", "lt", "et")
# Fewer words than this and the guess is not worth making.
MIN_WORDS = 5
UNKNOWN = "und"  # ISO 639-2 "undetermined"
_WORD_RE = re.compile(r"[^\W\d_]+")
_SAMPLE_WORDS = 20_000


@cache
def _stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop words for `lang`, from its `stop_words` module loaded on its own: importing
    it the usual way imports the whole language package first, and some (French) compile
    tokenizer regexes for seconds."""
    package = importlib.util.find_spec("spacy.lang")
    path = Path(next(iter(package.submodule_search_locations))) / lang / "stop_words.py"
    spec = importlib.util.spec_from_file_location(f"_smartspec_stop_words_{lang}", path)
    if spec is None or spec.loader is None or not path.is_file():
        module = importlib.import_module(f"spacy.lang.{lang}.stop_words")
    else:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return frozenset(word.casefold() for word in module.STOP_WORDS)


@cache
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop words for `lang`, casefolded; none for a language spaCy has no list for."""
    try:
        return _stop_words(lang)
    except ImportError:
        return frozenset()


def document_language(document: Document) -> str:
    """The language `document` is read in: detected on its pages' whole text where the reader
    gives it (however few pages were laid out), else on its blocks."""
    return detect_language(document.page_texts or (block.text for block in document.blocks))


def detect_language(texts: Iterable[str], candidates: tuple[str, ...] = CANDIDATES) -> str:
    """The candidate language whose stop words cover most of the text, or "und"."""
    counts: Counter[str] = Counter()
    total = 0
    for text in texts:
        for word in _WORD_RE.findall(text.casefold()):
            counts[word] += 1
            total += 1
        if total >= _SAMPLE_WORDS:
            break
    if total < MIN_WORDS:
        return UNKNOWN
    scores = {}
    for lang in candidates:
        stop_words = _stop_words(lang)
        scores[lang] = sum(n for word, n in counts.items() if word in stop_words)
    best = max(candidates, key=lambda lang: (scores[lang], -candidates.index(lang)))
    return best if scores[best] > 0 else UNKNOWN
