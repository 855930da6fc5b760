"""A document in, its priority records out: the extraction steps in order.

`build_toolkit()` makes what every document needs (the gazetteer, one spaCy pipeline and one
heading matcher per language) once per run; `extract()` is a pure function of a `Document`
and it, and `extract_priorities()` its list of records.

A document is read one of two ways:

- an overview covering many regions (an agency's deck: at least two different region
  headings, each followed by a list) is split into region sections
  (`sections.find_region_sections`), scope "overview";
- anything else is one region's own strategy, scope "region": its region is the one given in
  `raw/sources.toml` or inferred from the document (`attribution.resolve_region`), and its
  priorities are the items of the best-scored candidate section (`candidates`, `scoring`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from spacy.language import Language

from extractors.attribution import resolve_region
from extractors.candidates import find_candidates
from extractors.document import Document
from extractors.errors import NoPrioritiesFound, NoTextLayer
from extractors.language import UNKNOWN, detect_language
from extractors.nlp import RULER_PIPE, build_pipeline, priority_key
from extractors.priorities import Item, number_items
from extractors.records import PriorityRecord
from extractors.regions import Gazetteer, Region, load_gazetteer, match_region, region_phrase_patterns
from extractors.scoring import choose_section
from extractors.sections import HeadingMatcher, Section, find_region_sections, heading_matcher
from extractors.settings import Settings

logger = logging.getLogger(__name__)

PIPELINE_LANGUAGES = ("sv", "en")
FALLBACK_LANGUAGE = "en"
SCOPE_REGION = "region"
SCOPE_OVERVIEW = "overview"
# A document is an overview when this many different regions head a list.
OVERVIEW_MIN_REGIONS = 2


@dataclass(frozen=True, slots=True)
class Toolkit:
    """What extraction needs besides the document; built once per run."""

    settings: Settings
    gazetteer: Gazetteer
    pipelines: dict[str, Language] = field(default_factory=dict)
    heading_matchers: dict[str, HeadingMatcher] = field(default_factory=dict)

    def pipeline(self, lang: str) -> Language:
        return self.pipelines.get(lang) or self.pipelines[FALLBACK_LANGUAGE]

    def heading_matcher(self, lang: str) -> HeadingMatcher:
        return self.heading_matchers.get(lang) or self.heading_matchers[FALLBACK_LANGUAGE]


@dataclass(frozen=True, slots=True)
class SectionSummary:
    """A section priorities were taken from: its heading, pages and the scorer's confidence."""

    heading: str
    pages: tuple[int, ...]
    confidence: float


@dataclass(frozen=True, slots=True)
class Extraction:
    records: tuple[PriorityRecord, ...]
    scope: str  # SCOPE_REGION | SCOPE_OVERVIEW
    region_evidence: str | None  # how a single region was decided; None for an overview
    language: str
    sections: tuple[SectionSummary, ...]


def build_toolkit(settings: Settings, languages: tuple[str, ...] = PIPELINE_LANGUAGES) -> Toolkit:
    gazetteer = load_gazetteer()
    pipelines, matchers = {}, {}
    for lang in languages:
        nlp = build_pipeline(lang)
        nlp.get_pipe(RULER_PIPE).add_patterns(region_phrase_patterns(gazetteer, nlp))
        pipelines[lang] = nlp
        # a document's own language first; English wordings turn up in any strategy
        matchers[lang] = heading_matcher(nlp, (lang, FALLBACK_LANGUAGE))
    return Toolkit(settings, gazetteer, pipelines, matchers)


def extract_priorities(
    document: Document, toolkit: Toolkit, *, source_file: str | None = None,
    region: str | None = None,
) -> list[PriorityRecord]:
    """Every listed priority of the document, in document order (see `extract`)."""
    return list(extract(document, toolkit, source_file=source_file, region=region).records)


def extract(document: Document, toolkit: Toolkit, *, source_file: str | None = None,
            region: str | None = None) -> Extraction:
    """The priorities of one document, with its scope, region evidence and sections.

    `source_file` is the path recorded in each row (the raw/-relative path); it defaults to
    the path the document was read from. `region` is the code or name `raw/sources.toml`
    gives for a single-region strategy.

    Raises NoTextLayer when the document holds no text at all, RegionNotResolved when a
    single-region document's region can be told neither from `region` nor from the document,
    and NoPrioritiesFound when no section lists priorities.
    """
    if not document.blocks:
        raise NoTextLayer(
            document.source_id, "extract",
            f"no text: the document's {document.pages} page(s) hold no text to read",
        )
    # the whole text where the reader gives it, however few pages were laid out
    language = detect_language(document.page_texts or (block.text for block in document.blocks))
    nlp = toolkit.pipeline(language)
    matcher = partial(
        match_region, nlp=nlp, gazetteer=toolkit.gazetteer,
        fuzzy_threshold=toolkit.settings.region_fuzzy_threshold,
    )
    sections = find_region_sections(
        document.blocks, matcher, max_heading_chars=toolkit.settings.region_heading_max_chars
    )
    rows = _Rows(document, nlp, language, source_file or document.path)
    if len({s.region.region.code for s in sections if s.items}) >= OVERVIEW_MIN_REGIONS:
        return _overview(document, sections, rows)
    return _single_region(document, toolkit, language, rows, region)


def _overview(document: Document, sections: Sequence[Section], rows: _Rows) -> Extraction:
    records: list[PriorityRecord] = []
    summaries = []
    positions: dict[str, int] = {}  # a region met twice in one source keeps counting
    for section in sections:
        region = section.region.region
        offset = positions.get(region.code, 0)
        items = number_items(section.items)
        heading = section.heading.text
        records += [rows.record(item, region, section.region.match, offset, heading, None)
                    for item in items]
        positions[region.code] = offset + len(items)
        if items:
            summaries.append(SectionSummary(heading, _pages(items), 1.0))
    if not records:
        raise NoPrioritiesFound(
            document.source_id, "extract",
            "no priorities found: no heading naming a region is followed by a list",
        )
    logger.info("%s: %d priorities in %d region sections", document.source_id, len(records),
                len(sections))
    return Extraction(tuple(records), SCOPE_OVERVIEW, None, rows.language, tuple(summaries))


def _single_region(document: Document, toolkit: Toolkit, language: str, rows: _Rows,
                   configured: str | None) -> Extraction:
    settings = toolkit.settings
    headings = toolkit.heading_matcher(language)
    candidates = find_candidates(document.blocks, headings, settings.section_scoring)
    choice = choose_section(candidates, settings.section_scoring, headings)
    if choice is None:
        raise NoPrioritiesFound(
            document.source_id, "extract",
            "no priorities found: no heading naming a region is followed by a list, and none "
            f"of the {len(candidates)} candidate sections is headed by a priority wording "
            "(heading lexicon) and followed by a list of names",
        )
    resolution = resolve_region(
        document, rows.nlp, toolkit.gazetteer, configured=configured, file_name=rows.source_file,
        inference=settings.region_inference,
    )
    chosen = choice.chosen.candidate
    for scored in choice.ranked[:3]:
        logger.debug("%s p.%d: candidate %r scores %.2f %s", document.source_id,
                     scored.candidate.anchor.provenance.page, scored.candidate.heading,
                     scored.score, dict(scored.parts))
    region = resolution.region
    records = tuple(rows.record(item, region, resolution.match, 0, chosen.heading,
                                choice.confidence) for item in chosen.items)
    summary = SectionSummary(chosen.heading, chosen.pages, choice.confidence)
    logger.info("%s p.%d: %d priorities under %r (confidence %.2f); region %s, %s",
                document.source_id, chosen.anchor.provenance.page, len(records), chosen.heading,
                choice.confidence, region.code, resolution.evidence)
    language = rows.language if rows.language != UNKNOWN else region.language
    return Extraction(records, SCOPE_REGION, resolution.evidence, language, (summary,))


def _pages(items: Sequence[Item]) -> tuple[int, ...]:
    return tuple(sorted({item.block.provenance.page for item in items}))


@dataclass(frozen=True, slots=True)
class _Rows:
    """Makes the records of one document."""

    document: Document
    nlp: Language
    language: str
    source_file: str

    def record(self, item: Item, region: Region, match: str, offset: int, heading: str | None,
               confidence: float | None) -> PriorityRecord:
        provenance = item.block.provenance
        bbox = provenance.bbox
        return PriorityRecord(
            region_code=region.code,
            region_name=region.name,
            country=region.country,
            priority=item.text,
            priority_key=priority_key(item.text, self.nlp),
            position=item.position + offset,
            level=item.level,
            parent_position=None if item.parent_position is None else item.parent_position + offset,
            language=self.language if self.language != UNKNOWN else region.language,
            source_id=self.document.source_id,
            source_file=self.source_file,
            source_sha256=self.document.sha256,
            page=provenance.page,
            bbox=None if bbox is None else (bbox.x0, bbox.top, bbox.x1, bbox.bottom),
            region_match=match,
            section_heading=heading,
            section_confidence=confidence,
        )
