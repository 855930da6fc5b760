"""Why extraction decided what it did, in words a curator can follow: `smartspec explain FILE`.

`explain()` reads the document as `extract()` does and prints, for a single region's strategy,
every candidate list with its page, heading, lead text and items, each piece of evidence with
its weight, and the decision (taken, needs review, nothing found); and how the region was
decided. For an overview it prints the region sections found.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from smartspec.extractors.attribution import resolve_region
from smartspec.extractors.curation import CurationEntry
from smartspec.extractors.document import Document
from smartspec.extractors.errors import ExtractionError
from smartspec.extractors.extract import (
    Toolkit,
    Weighing,
    extract,
    weigh_document,
)
from smartspec.extractors.language import document_language
from smartspec.extractors.regions import match_region
from smartspec.extractors.scoring import ScoredCandidate
from smartspec.extractors.sections import find_region_sections
from smartspec.schemas.vocabulary import OVERVIEW_MIN_REGIONS

# What each named part of a candidate's score means, for the explanation.
PART_MEANINGS = {
    "labels": "its heading's words",
    "unlabelled": "its heading names no priority list",
    "context": "the headings it sits under",
    "lead_in": "introduced by a sentence ending in ':'",
    "items": "number of items",
    "sentences": "items that are long sentences",
    "negative_items": "items named like goals, actors, contents",
    "toc": "in a table of contents",
    "structure": "items head descriptions or carry sub-items",
    "restatement": "restates an earlier list (the later statement wins)",
    "attribution": "what the text before the list attributes it to",
    "clauses": "items that read as clauses, not names",
    "outline": "its items are the headings of other lists (an outline)",
    "earlier_period": "the years it names lie before the latest period the lists name",
    "document": "the document never names smart specialisation",
}
ITEMS_SHOWN = 8


def explain(document: Document, toolkit: Toolkit, *, region: str | None = None,
            source_file: str | None = None, curation: CurationEntry | None = None) -> list[str]:
    """The explanation of one document's extraction, as lines of text."""
    lines = [f"{document.path}  ({document.format}, {document.pages} page(s), "
             f"sha256 {document.sha256[:12]})"]
    if not document.blocks:
        return [*lines, "decision: no text to read (scanned or empty)"]
    language = document_language(document)
    nlp = toolkit.pipeline(language)
    matching = toolkit.weights.region_matching
    matcher = partial(match_region, nlp=nlp, gazetteer=toolkit.gazetteer, fuzzy_threshold=matching.fuzzy_threshold)
    sections = find_region_sections(document.blocks, matcher, max_heading_chars=matching.heading_max_chars)
    regions = {s.region.region.code for s in sections if s.items}
    lines.append(f"language: {language}")
    if len(regions) >= OVERVIEW_MIN_REGIONS:
        lines.append(f"read as an overview: {len(regions)} regions head lists")
        for section in sections:
            if section.items:
                lines.append(f"  p.{section.heading.provenance.page} {section.heading.text!r} -> "
                             f"{section.region.region.code} {section.region.region.name} "
                             f"({section.region.match}): {len(section.items)} item(s)")
    else:
        lines.append("read as one region's own strategy: its candidate lists, best first")
        weighing = weigh_document(document, toolkit, language)
        lines += _candidates(weighing)
        lines += _region(document, toolkit, nlp, region, source_file)
    lines += _decision(document, toolkit, region, source_file, curation)
    return lines


def _candidates(weighing: Weighing) -> list[str]:
    lines = []
    if not weighing.ranked:
        return ["  (no heading, lead-in sentence or table header is followed by a list)"]
    chosen = weighing.choice.chosen if weighing.choice is not None else None
    for n, scored in enumerate(weighing.ranked, 1):
        lines += _candidate(n, scored, scored is chosen)
    return lines


def _candidate(n: int, scored: ScoredCandidate, chosen: bool) -> list[str]:
    c = scored.candidate
    mark = "  <- chosen" if chosen else ""
    lines = [f"  [{n}] p.{c.anchor.provenance.page} {c.anchor_kind} {c.heading!r}: "
             f"score {scored.score:+.2f}{mark}"]
    if c.lead:
        lines.append(f"      lead: {c.lead!r}")
    labels = _labels(c.labels, "heading") + _labels(c.lead_labels, "lead")
    if labels:
        lines.append(f"      words: {'; '.join(labels)}")
    if c.context:
        lines.append(f"      under headings labelled: {', '.join(c.context)}")
    items = c.level1
    shown = ", ".join(repr(i.text) for i in items[:ITEMS_SHOWN])
    more = f" (+{len(items) - ITEMS_SHOWN} more)" if len(items) > ITEMS_SHOWN else ""
    lines.append(f"      {len(items)} item(s) ({c.layout}): {shown}{more}")
    for name, value in scored.parts:
        sign = "for" if value > 0 else "against"
        lines.append(f"      {value:+.2f} {sign}: {PART_MEANINGS.get(name, name)}")
    return lines


def _labels(labels: Iterable, where: str) -> list[str]:
    return [f"{label.label} {label.text!r} ({where})" for label in labels]


def _region(document: Document, toolkit: Toolkit, nlp, configured: str | None,
            source_file: str | None) -> list[str]:
    try:
        resolution = resolve_region(document, nlp, toolkit.gazetteer, configured=configured,
                                    file_name=source_file or document.path,
                                    inference=toolkit.weights.region_inference)
    except ExtractionError as e:
        return [f"region: not decided: {e.message}"]
    return [f"region: {resolution.region.code} {resolution.region.name} ({resolution.evidence})"]


def _decision(document: Document, toolkit: Toolkit, region: str | None, source_file: str | None,
              curation: CurationEntry | None) -> list[str]:
    try:
        extraction = extract(document, toolkit, region=region, source_file=source_file,
                             curation=curation)
    except ExtractionError as e:
        return [f"decision: {e.status}: {e.message}"]
    regions = sorted({r.region_code for r in extraction.records})
    lines = [f"decision: {len(extraction.records)} priorities for {', '.join(regions)} "
             f"({extraction.scope}{', curated' if curation is not None else ''})"]
    lines += [f"  {r.region_code} {r.position}. {'  ' if r.level > 1 else ''}{r.priority}"
              f"  (p.{r.page})" for r in extraction.records]
    return lines
