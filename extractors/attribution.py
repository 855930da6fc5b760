"""Which region a single region's own strategy belongs to, and how that was decided.

`resolve_region()` takes the region given in `raw/sources.toml` when there is one (a NUTS
code or a name, looked up in the gazetteer: `region_match` "config"). Otherwise it infers it
from the document (`region_match` "inferred"): every region mention is found with the
pipeline's name finder, and each region mentioned scores (weights in `RegionInference`,
`weights.extraction.toml`)

- for being named on the title page (the document title, its metadata title, the first
  page's titles and headings),
- for being named on the first pages,
- for being named in the file's name or folder,
- and for its share of all the region mentions in the text.

The best region named on the title page, the first pages or in the file name wins if it scores
at least `min_score` (one named only further into the text is a neighbour or a partner, not the
document's region; a country must be named on the title page or in the file name, as a
national strategy names it: in the text of the first pages it is where a region lies); the
evidence names the strongest
place it was seen: "inferred from title page: 'Region Skåne' (14 mentions in the text)".
A national strategy names its country, which the gazetteer holds at NUTS 0. A document
whose region cannot be told raises RegionNotResolved, never a silent guess.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

from spacy.language import Language

from smartspec.extractors.document import HEADING, TITLE, Document
from smartspec.extractors.errors import RegionNotResolved
from smartspec.extractors.nlp import LEMMA_PIPE
from smartspec.extractors.normalise import collapse_whitespace
from smartspec.extractors.regions import REGION_LABEL, Gazetteer, Region
from smartspec.extractors.weights import RegionInference, load_weights

logger = logging.getLogger(__name__)

CONFIG = "config"
INFERRED = "inferred"
TITLE_PAGE, FIRST_PAGES, FILE_NAME, TEXT = "title page", "first pages", "file name", "text"
_FILE_SEPARATORS_RE = re.compile(r"[_\-.+]+")
_BATCH = 256


@dataclass(frozen=True, slots=True)
class RegionResolution:
    region: Region
    match: str  # CONFIG | INFERRED
    evidence: str


@dataclass(slots=True)
class _Seen:
    """What was found of one region: where, and as which words."""

    mentions: int = 0
    places: dict[str, str] | None = None  # place -> the words first seen there

    def add(self, place: str, text: str) -> None:
        if self.places is None:
            self.places = {}
        self.places.setdefault(place, text)


def resolve_region(document: Document, nlp: Language, gazetteer: Gazetteer, *,
                   configured: str | None = None, file_name: str = "",
                   inference: RegionInference | None = None) -> RegionResolution:
    """The document's region: configured, else inferred (see the module docstring)."""
    inference = inference or load_weights().region_inference
    if configured:
        region = gazetteer.resolve(configured)
        if region is None:
            raise RegionNotResolved(
                document.source_id, "extract",
                f"the region {configured!r} given in raw/sources.toml is neither a code nor a "
                f"name in the gazetteer (extractors/regions.gazetteer.csv)",
            )
        return RegionResolution(region, CONFIG, f"config: {configured}")
    seen = _survey(document, nlp, file_name or document.path, inference)
    total = sum(s.mentions for s in seen.values()) or 1
    weights = {TITLE_PAGE: inference.title_weight, FIRST_PAGES: inference.front_weight,
               FILE_NAME: inference.file_weight}
    scores = {
        code: sum(weights[place] for place in (s.places or {}) if place in weights)
        + inference.text_weight * s.mentions / total
        for code, s in seen.items()
    }
    ranked = sorted(scores, key=lambda code: (scores[code], seen[code].mentions,
                                              gazetteer.by_code(code).nuts_level), reverse=True)
    # a strategy names its region up front: one named only further into the text is another
    # region (a neighbour, a partner), however often; and a country is a national strategy's
    # only when its title page or file name names it: in the first pages' text it is where
    # the region lies ("Österbotten ... i Finland")
    named_up_front = [code for code in ranked if _up_front(seen[code], gazetteer.by_code(code))]
    if not named_up_front or scores[named_up_front[0]] < inference.min_score:
        found = ", ".join(f"{gazetteer.by_code(c).name} ({seen[c].mentions})" for c in ranked[:3])
        raise RegionNotResolved(
            document.source_id, "extract",
            "could not tell which region the document is the strategy of "
            f"({'mentions: ' + found if found else 'no region of the gazetteer is named'}); "
            "set region in raw/sources.toml",
        )
    code = named_up_front[0]
    places = seen[code].places or {}
    place = next((p for p in (TITLE_PAGE, FIRST_PAGES, FILE_NAME) if p in places), TEXT)
    words = places.get(place) or gazetteer.by_code(code).name
    evidence = (f"inferred from {place}: {words!r} ({seen[code].mentions} mentions in the text)")
    logger.info("%s: region %s, %s", document.source_id, code, evidence)
    return RegionResolution(gazetteer.by_code(code), INFERRED, evidence)


def _up_front(seen: _Seen, region: Region) -> bool:
    places = seen.places or {}
    return bool(places.keys() & {TITLE_PAGE, FILE_NAME}) if region.nuts_level == 0 else bool(places)


def _survey(document: Document, nlp: Language, file_name: str,
            inference: RegionInference) -> dict[str, _Seen]:
    """Every region mentioned, with its mentions in the text and the places it was named."""
    seen: dict[str, _Seen] = {}
    title_texts = [document.title, dict(document.metadata).get("Title", "")]
    title_texts += [b.text for b in document.blocks
                    if b.provenance.page == 1 and b.kind in (TITLE, HEADING)]
    for text, ents in _mentions(nlp, [t for t in title_texts if t]):
        for code, words in ents:
            seen.setdefault(code, _Seen()).add(TITLE_PAGE, words)
    texts, pages = _text_units(document)
    for (text, ents), page in zip(_mentions(nlp, texts), pages):
        for code, words in ents:
            entry = seen.setdefault(code, _Seen())
            entry.mentions += 1
            if page <= inference.front_pages:
                entry.add(FIRST_PAGES, words)
    path = PurePath(file_name)
    names = [_FILE_SEPARATORS_RE.sub(" ", part) for part in (*path.parent.parts[-2:], path.stem)]
    for text, ents in _mentions(nlp, [n for n in names if n.strip()]):
        for code, words in ents:
            seen.setdefault(code, _Seen()).add(FILE_NAME, words)
    return seen


def _text_units(document: Document) -> tuple[list[str], list[int]]:
    """The texts region mentions are counted in, with their pages: each page's whole text
    where the reader gives it (so the counts do not depend on which pages were laid out),
    else the blocks."""
    if document.page_texts:
        return ([collapse_whitespace(text) for text in document.page_texts],
                list(range(1, len(document.page_texts) + 1)))
    return [b.text for b in document.blocks], [b.provenance.page for b in document.blocks]


def _mentions(nlp: Language, texts: Iterable[str]) -> Iterable[tuple[str, list[tuple[str, str]]]]:
    """Each text with the (code, words) of the regions its name finder finds."""
    texts = list(texts)
    unneeded = [LEMMA_PIPE] if nlp.has_pipe(LEMMA_PIPE) else []  # regions match on NORM
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=_BATCH, disable=unneeded)):
        yield text, [(ent.ent_id_, ent.text) for ent in doc.ents if ent.label_ == REGION_LABEL]


def mention_counts(document: Document, nlp: Language) -> Counter[str]:
    """Region mentions per code over the whole text (for reports and tests)."""
    counts: Counter[str] = Counter()
    for _, ents in _mentions(nlp, _text_units(document)[0]):
        counts.update(code for code, _ in ents)
    return counts
