"""The flow's per-source task: the extraction cache in front of an isolated extraction; and
which sources a re-extraction reads, known from the cache without reading them.

`extract_source()` answers from the extraction cache when it can and reads the document only
when it must, in a child process within the time, memory, size and page limits of `Settings`
(`flows.isolation`). Its arguments and result pickle, so it runs as well in a worker process
as in the flow's own.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from extractors.curation import CurationEntry
from extractors.regions import load_gazetteer
from extractors.settings import Settings
from extractors.sources import SourceFile, file_sha256
from flows.admission import UNREADABLE_ERROR, failed, refusal
from flows.cache import ExtractionCache, cache_fingerprint
from flows.inputs import Input, previous_regions, published_regions, select_sources
from flows.isolation import LIMIT_ERROR_TYPES, read_isolated
from flows.steps import DATASET, SourceOutcome, code_version, toolkit_for

logger = logging.getLogger(__name__)


def extraction_cache(settings: Settings) -> ExtractionCache:
    return ExtractionCache(settings.cache_dir, cache_fingerprint(code_version(), settings))


def choose_sources(settings: Settings, inputs: list[Input], regions: Collection[str],
                   source_ids: Collection[str]) -> frozenset[str]:
    """The sources a re-extraction of `regions` and `source_ids` reads (`inputs.select_sources`),
    knowing each source's regions from its cache entry and the latest version without reading
    it. Raises SelectionError for a name that is neither, or when nothing is selected."""
    previous = previous_regions(
        settings.raw_dir, inputs, extraction_cache(settings), published_regions(settings.output_dir / DATASET)
    )
    return select_sources(inputs, regions=regions, source_ids=source_ids, gazetteer=load_gazetteer(),
                          previous=previous)


def extract_source(source: SourceFile, settings: Settings, *, use_cache: bool = True,
                   curation: CurationEntry | None = None) -> SourceOutcome:
    """`process_source()`, isolated, behind the extraction cache.

    First, on every run, what must not be read is refused (`admission.refusal`: links out of
    raw/, FIFOs, files over the size limit, ...), cached or not. With `use_cache`, content
    seen before (same bytes and suffix, extractor and settings) is answered from the cache
    without reading the document. Every document read is stored, so a forced re-extraction
    refreshes its entry; not stored are refusals that depend on the run's limits rather than
    on the content (a time-out, a memory cap), which a later run with other limits, or on a
    less loaded machine, may get past. `curation` is the source's entry in raw/curation.toml;
    what it says is part of the cache key.
    """
    refused = refusal(source, settings)
    if refused is not None:
        return refused
    store = extraction_cache(settings)
    region = source.config.region if source.config is not None else None
    suffix = source.path.suffix
    key = region if curation is None else f"{region}|curation:{curation.fingerprint()}"
    if use_cache:
        try:
            sha256 = file_sha256(source.path)
        except OSError as e:
            return failed(source, UNREADABLE_ERROR, f"cannot open file: {e.strerror or e}")
        hit = store.get(sha256, source_id=source.source_id, source_file=source.relative, region=key, suffix=suffix)
        if hit is not None:
            logger.info("%s: unchanged content, priorities from the cache", source.source_id)
            return SourceOutcome(hit[0], hit[1], cached=True)
    outcome = read_isolated(source, toolkit_for(settings), settings, curation)
    record = outcome.source
    if record.sha256 and record.error_type not in LIMIT_ERROR_TYPES:  # what was read, also if the file changed since
        store.put(record.sha256, record, outcome.priorities, region=key, suffix=suffix)
    return outcome
