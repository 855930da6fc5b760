"""A document in, its priority records out: the extraction steps in order.

`build_toolkit()` makes what every document needs (the gazetteer and one spaCy pipeline per
language) once per run; `extract_priorities()` is a pure function of a `Document` and it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import partial

from spacy.language import Language

from extractors.document import Document
from extractors.errors import NoPrioritiesFound, NoTextLayer
from extractors.language import UNKNOWN, detect_language
from extractors.nlp import RULER_PIPE, build_pipeline, priority_key
from extractors.priorities import number_items
from extractors.records import PriorityRecord
from extractors.regions import Gazetteer, load_gazetteer, match_region, region_patterns
from extractors.sections import find_region_sections
from extractors.settings import Settings

logger = logging.getLogger(__name__)

PIPELINE_LANGUAGES = ("sv", "en")
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class Toolkit:
    """What extraction needs besides the document; built once per run."""

    settings: Settings
    gazetteer: Gazetteer
    pipelines: dict[str, Language] = field(default_factory=dict)

    def pipeline(self, lang: str) -> Language:
        return self.pipelines.get(lang) or self.pipelines[FALLBACK_LANGUAGE]


def build_toolkit(settings: Settings, languages: tuple[str, ...] = PIPELINE_LANGUAGES) -> Toolkit:
    gazetteer = load_gazetteer()
    pipelines = {}
    for lang in languages:
        nlp = build_pipeline(lang)
        nlp.get_pipe(RULER_PIPE).add_patterns(region_patterns(gazetteer, nlp))
        pipelines[lang] = nlp
    return Toolkit(settings, gazetteer, pipelines)


def extract_priorities(
    document: Document, toolkit: Toolkit, *, source_file: str | None = None
) -> list[PriorityRecord]:
    """Every listed priority of every region the document covers, in document order.

    `source_file` is the path recorded in each row (the raw/-relative path); it defaults to
    the path the document was read from.

    Raises NoTextLayer when the document holds no text at all and NoPrioritiesFound when no
    region heading is followed by a list.
    """
    if not document.blocks:
        raise NoTextLayer(
            document.source_id, "extract",
            f"no text: the document's {document.pages} page(s) hold no text to read",
        )
    language = detect_language(block.text for block in document.blocks)
    nlp = toolkit.pipeline(language)
    matcher = partial(
        match_region, nlp=nlp, gazetteer=toolkit.gazetteer,
        fuzzy_threshold=toolkit.settings.region_fuzzy_threshold,
    )
    sections = find_region_sections(
        document.blocks, matcher, max_heading_chars=toolkit.settings.region_heading_max_chars
    )
    records: list[PriorityRecord] = []
    positions: dict[str, int] = {}  # a region met twice in one source keeps counting
    for section in sections:
        region = section.region.region
        offset = positions.get(region.code, 0)
        items = number_items(section.items)
        for item in items:
            provenance = item.block.provenance
            bbox = provenance.bbox
            records.append(PriorityRecord(
                region_code=region.code,
                region_name=region.name,
                country=region.country,
                priority=item.text,
                priority_key=priority_key(item.text, nlp),
                position=item.position + offset,
                level=item.level,
                parent_position=None if item.parent_position is None else item.parent_position + offset,
                language=language if language != UNKNOWN else region.language,
                source_id=document.source_id,
                source_file=source_file or document.path,
                source_sha256=document.sha256,
                page=provenance.page,
                bbox=None if bbox is None else (bbox.x0, bbox.top, bbox.x1, bbox.bottom),
                region_match=section.region.match,
            ))
        positions[region.code] = offset + len(items)
    if not records:
        raise NoPrioritiesFound(
            document.source_id, "extract",
            "no priorities found: no heading naming a region is followed by a list",
        )
    logger.info("%s: %d priorities in %d region sections", document.source_id, len(records),
                len(sections))
    return records
