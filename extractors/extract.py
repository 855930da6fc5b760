"""A document in, its priority records out: the extraction steps in order.

`build_toolkit()` makes what every document needs (the weights, the gazetteer; one spaCy pipeline and one
heading matcher per language, each built when a document first needs it) once per run; `extract()` is a pure function of a `Document`
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
from dataclasses import dataclass, field, replace
from functools import partial

from spacy.language import Language

from smartspec.extractors.attribution import resolve_region
from smartspec.extractors.candidates import Candidate, find_candidates
from smartspec.extractors.curation import CurationEntry, same_heading
from smartspec.extractors.document import Document
from smartspec.extractors.errors import CurationNotApplicable, NeedsReview, NoPrioritiesFound, NoTextLayer
from smartspec.extractors.language import UNKNOWN, document_language
from smartspec.extractors.nlp import build_pipeline, priority_key
from smartspec.extractors.priorities import Item, number_items
from smartspec.extractors.records import PriorityRecord
from smartspec.extractors.regions import Gazetteer, Region, add_region_names, load_gazetteer, match_region
from smartspec.extractors.scoring import Choice, ScoredCandidate, decide, document_context, rank, score_candidates
from smartspec.extractors.headings import HeadingMatcher, heading_matcher
from smartspec.extractors.sections import Section, find_region_sections
from smartspec.extractors.weights import Weights, load_weights
from smartspec.schemas.vocabulary import METHOD_CURATED, OVERVIEW_MIN_REGIONS, SCOPE_OVERVIEW, SCOPE_REGION

logger = logging.getLogger(__name__)

PIPELINE_LANGUAGES = ("sv", "en")
FALLBACK_LANGUAGE = "en"
# How many competing lists a needs_review source shows.
REVIEW_CANDIDATES = 4


@dataclass(frozen=True, slots=True)
class Toolkit:
    """What extraction needs besides the document; made once per run. A language's spaCy
    pipeline and heading matcher are built on its first use (Swedish's lemma table alone
    takes a second to load): `built` holds those built so far."""

    weights: Weights
    gazetteer: Gazetteer
    languages: tuple[str, ...] = PIPELINE_LANGUAGES
    built: dict[str, tuple[Language, HeadingMatcher]] = field(default_factory=dict)
    # languages a document needed in a child process, or a document read ahead will need
    # (running/readahead.py), to build here before the next child
    wanted: set[str] = field(default_factory=set)

    @property
    def pipelines(self) -> dict[str, Language]:
        """Every language's pipeline, built now where not yet built."""
        return {lang: self.pipeline(lang) for lang in self.languages}

    def pipeline(self, lang: str) -> Language:
        return self._language(lang)[0]

    def heading_matcher(self, lang: str) -> HeadingMatcher:
        return self._language(lang)[1]

    def _language(self, lang: str) -> tuple[Language, HeadingMatcher]:
        lang = lang if lang in self.languages else FALLBACK_LANGUAGE
        if lang not in self.built:
            nlp = build_pipeline(lang)
            add_region_names(nlp, self.gazetteer)
            # a document's own language first; English wordings turn up in any strategy
            self.built[lang] = (nlp, heading_matcher(nlp, (lang, FALLBACK_LANGUAGE)))
        return self.built[lang]


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


def build_toolkit(languages: tuple[str, ...] = PIPELINE_LANGUAGES) -> Toolkit:
    """The run's toolkit: the extractor's weights and gazetteer; its pipelines are built as
    documents need them."""
    return Toolkit(load_weights(), load_gazetteer(), languages)


def extract_priorities(
    document: Document, toolkit: Toolkit, *, source_file: str | None = None,
    region: str | None = None,
) -> list[PriorityRecord]:
    """Every listed priority of the document, in document order (see `extract`)."""
    return list(extract(document, toolkit, source_file=source_file, region=region).records)


def extract(document: Document, toolkit: Toolkit, *, source_file: str | None = None,
            region: str | None = None, curation: CurationEntry | None = None) -> Extraction:
    """The priorities of one document, with its scope, region evidence and sections.

    `source_file` is the path recorded in each row (the raw/-relative path); it defaults to
    the path the document was read from. `region` is the code or name `raw/sources.toml`
    gives for a single-region strategy. `curation` is the source's entry of raw/curation.toml,
    passed only when it applies to this file (its sha256): it chooses a candidate, drops or
    adds items, or sets the region, and the rows it shapes are marked curated.

    Raises NoTextLayer when the document holds no text at all, RegionNotResolved when a
    single-region document's region can be told neither from `region` nor from the document,
    NoPrioritiesFound when no section lists priorities and NeedsReview when the evidence does
    not single out one list.
    """
    if not document.blocks:
        raise NoTextLayer(
            document.source_id, "extract",
            f"no text: the document's {document.pages} page(s) hold no text to read",
        )
    language = document_language(document)
    nlp = toolkit.pipeline(language)
    matching = toolkit.weights.region_matching
    matcher = partial(match_region, nlp=nlp, gazetteer=toolkit.gazetteer, fuzzy_threshold=matching.fuzzy_threshold)
    sections = find_region_sections(document.blocks, matcher, max_heading_chars=matching.heading_max_chars)
    rows = _Rows(document, nlp, language, source_file or document.path)
    if curation is not None and curation.region:
        region = curation.region
    if len({s.region.region.code for s in sections if s.items}) >= OVERVIEW_MIN_REGIONS \
            and (curation is None or curation.choose is None):
        return curate(_overview(document, sections, rows), curation, rows)
    return curate(_single_region(document, toolkit, language, rows, region, curation),
                  curation, rows)


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
                   configured: str | None, curation: CurationEntry | None = None) -> Extraction:
    weighing = weigh_document(document, toolkit, language)
    if curation is not None and curation.choose is not None:
        chosen, confidence = _curated_choice(document, weighing, curation), 1.0
    else:
        choice = weighing.choice
        if choice is None:
            raise NoPrioritiesFound(
                document.source_id, "extract",
                "no priorities found: no heading naming a region is followed by a list, and no "
                "candidate list has the evidence of a list of smart specialisation priorities "
                "(smartspec explain FILE shows the candidates)",
            )
        chosen, confidence = choice.chosen.candidate, choice.confidence
    resolution = resolve_region(
        document, rows.nlp, toolkit.gazetteer, configured=configured, file_name=rows.source_file,
        inference=toolkit.weights.region_inference,
    )
    if curation is None or curation.choose is None:
        if weighing.choice.review:
            raise NeedsReview(document.source_id, "extract", review_message(weighing),
                              candidates=review_candidates(weighing))
    for scored in weighing.ranked[:3]:
        logger.debug("%s p.%d: candidate %r scores %.2f %s", document.source_id,
                     scored.candidate.anchor.provenance.page, scored.candidate.heading,
                     scored.score, dict(scored.parts))
    region = resolution.region
    records = tuple(rows.record(item, region, resolution.match, 0, chosen.heading, confidence)
                    for item in chosen.items)
    summary = SectionSummary(chosen.heading, chosen.pages, confidence)
    logger.info("%s p.%d: %d priorities under %r (confidence %.2f); region %s, %s",
                document.source_id, chosen.anchor.provenance.page, len(records), chosen.heading,
                confidence, region.code, resolution.evidence)
    language = rows.language if rows.language != UNKNOWN else region.language
    return Extraction(records, SCOPE_REGION, resolution.evidence, language, (summary,))


@dataclass(frozen=True, slots=True)
class Weighing:
    """A single-region document's candidate lists, weighed: every one best first, and the
    decision (None when no candidate has the evidence of a priority list)."""

    language: str
    ranked: tuple[ScoredCandidate, ...]
    choice: Choice | None


def weigh_document(document: Document, toolkit: Toolkit, language: str) -> Weighing:
    """Every candidate list of a single-region document with its evidence, and the choice."""
    scoring = toolkit.weights.section_scoring
    headings = toolkit.heading_matcher(language)
    candidates = find_candidates(document.blocks, headings, scoring)
    context = document_context(document, headings)
    ranked = rank(score_candidates(candidates, scoring, headings, context))
    return Weighing(language, ranked, decide(ranked, scoring))


def _curated_choice(document: Document, weighing: Weighing, curation: CurationEntry) -> Candidate:
    wanted = curation.choose
    for scored in weighing.ranked:
        candidate = scored.candidate
        if candidate.anchor.provenance.page == wanted.page and same_heading(candidate.heading,
                                                                            wanted.heading):
            return candidate
    offered = "; ".join(f"p.{s.candidate.anchor.provenance.page} {s.candidate.heading!r}"
                        for s in weighing.ranked[:6])
    raise CurationNotApplicable(
        document.source_id, "curate",
        f"the curation entry chooses p.{wanted.page} {wanted.heading!r}, which is not a candidate "
        f"list of this document (candidates: {offered or 'none'}); fix raw/curation.toml",
    )


def review_candidates(weighing: Weighing, limit: int = REVIEW_CANDIDATES) -> tuple[dict, ...]:
    """The competing lists of a document that needs review, as plain data for `sources`."""
    return tuple({
        "page": s.candidate.anchor.provenance.page,
        "heading": s.candidate.heading,
        "score": s.score,
        "items": [item.text for item in s.candidate.level1],
    } for s in weighing.ranked[:limit])


def review_message(weighing: Weighing) -> str:
    choice = weighing.choice
    shown = "; ".join(
        f"p.{c['page']} {c['heading']!r} (score {c['score']:.1f}: "
        f"{', '.join(c['items'][:3])}{', ...' if len(c['items']) > 3 else ''})"
        for c in review_candidates(weighing, 2))
    return (f"needs review: {choice.review} ({shown}); choose one in raw/curation.toml "
            "(smartspec explain FILE shows the evidence)")


def curate(extraction: Extraction, curation: CurationEntry | None, rows: _Rows) -> Extraction:
    """The extraction with a curation entry's drops and additions; every row marked curated."""
    if curation is None:
        return extraction
    drop = {name.casefold() for name in curation.drop}
    kept = [r for r in extraction.records if r.priority.casefold() not in drop]
    records = []
    positions: dict[str, int] = {}
    renumber: dict[tuple[str, int], int] = {}
    for r in kept:
        position = positions.get(r.region_code, 0) + 1
        positions[r.region_code] = position
        renumber[(r.region_code, r.position)] = position
        parent = renumber.get((r.region_code, r.parent_position)) if r.parent_position else None
        level = r.level if parent is not None or r.level == 1 else 1
        records.append(replace(r, position=position, level=level, parent_position=parent,
                               method=METHOD_CURATED))
    if curation.add:
        if not records:
            raise CurationNotApplicable(
                rows.document.source_id, "curate",
                "the curation entry adds items but no list was chosen to add them to: give "
                "choose = { page, heading } or a region in raw/curation.toml")
        last = records[-1]
        for name in curation.add:
            position = positions.get(last.region_code, 0) + 1
            positions[last.region_code] = position
            records.append(replace(last, priority=name, priority_key=priority_key(name, rows.nlp),
                                   position=position, level=1, parent_position=None, bbox=None))
    return replace(extraction, records=tuple(records))


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
