"""The flow's per-source task: the extraction cache in front of an isolated extraction; and
which sources a re-extraction reads, known from the cache without reading them.

`extract_source()` answers from the extraction cache when it can and reads the document only
when it must, in a child process within the time, memory, size and page limits of `Settings`
(`smartspec.running.isolation`). Its arguments and result pickle, so it runs as well in a worker process
as in the flow's own.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Collection, Mapping

from smartspec.extractors.curation import CurationEntry
from smartspec.extractors.regions import load_gazetteer
from smartspec.extractors.settings import Settings
from pathlib import Path

from smartspec.extractors.hashing import current_hash, file_sha256, hash_file
from smartspec.extractors.records import SourceOutcome
from smartspec.fetching import current_snapshot, load_snapshot, snapshots_root
from smartspec.inputs.plan import Input, published_regions, select_sources
from smartspec.inputs.sources import SourceFile
from smartspec.running.admission import failed, refusal
from smartspec.running.cache import ExtractionCache, cache_fingerprint
from smartspec.running.isolation import LIMIT_ERROR_TYPES, read_isolated
from smartspec.running.steps import DATASET, code_version, shared_toolkit
from smartspec.schemas.vocabulary import UNREADABLE_ERROR

logger = logging.getLogger(__name__)


def extraction_cache(settings: Settings) -> ExtractionCache:
    return ExtractionCache(settings.cache_dir, cache_fingerprint(code_version(), settings))


def choose_sources(settings: Settings, inputs: list[Input], regions: Collection[str],
                   source_ids: Collection[str]) -> frozenset[str]:
    """The sources a re-extraction of `regions` and `source_ids` reads (`smartspec.inputs.plan.select_sources`),
    knowing each source's regions from its cache entry and the latest version without reading
    it. Raises SelectionError for a name that is neither, or when nothing is selected."""
    previous = previous_regions(
        settings.raw_dir, inputs, extraction_cache(settings), published_regions(settings.output_dir / DATASET)
    )
    return select_sources(inputs, regions=regions, source_ids=source_ids, gazetteer=load_gazetteer(),
                          previous=previous)


def hash_inputs(settings: Settings, inputs: list[Input]) -> list[Input]:
    """`inputs` with the file of each local source that may be read hashed (`SourceFile.hashed`):
    a re-extraction asks the cache of every source (`choose_sources`) before extracting it
    (`extract_source`), and this is the one hash of the run both use."""
    hashed = []
    for item in inputs:
        if item.file is not None and refusal(item.file, settings) is None:
            try:
                item = dataclasses.replace(item, file=dataclasses.replace(item.file, hashed=hash_file(item.file.path)))
            except OSError:
                pass  # extraction says why it cannot be read
        hashed.append(item)
    return hashed


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
            hashed = current_hash(source.path, source.hashed)
        except OSError as e:
            return failed(source, UNREADABLE_ERROR, f"cannot open file: {e.strerror or e}")
        hit = store.get(hashed.sha256, source_id=source.source_id, source_file=source.relative, region=key,
                        suffix=suffix)
        if hit is not None:
            logger.info("%s: unchanged content, priorities from the cache", source.source_id)
            return SourceOutcome(hit[0], hit[1], cached=True)
        source = dataclasses.replace(source, hashed=hashed)  # the reading child hashes it no more
    outcome = read_isolated(source, shared_toolkit(), settings, curation)
    record = outcome.source
    # under the sha256 of what was read: the hash taken here while the file stayed as it was
    # then (a file that changed while read has none), else the child's own
    if record.sha256 and record.error_type not in LIMIT_ERROR_TYPES:
        store.put(record.sha256, record, outcome.priorities, region=key, suffix=suffix)
    return outcome


def previous_regions(
    raw_dir: Path, inputs: list[Input], store: ExtractionCache, published: Mapping[str, frozenset[str]]
) -> dict[str, frozenset[str]]:
    """Source id -> the region codes its last extraction yielded, without reading a document.

    From the cache entry of the content a source would be read from now (its file, or the
    current snapshot of a remote source), joined with what the latest published version
    says (`published`, e.g. from `published_regions`).
    """
    found = {source_id: frozenset(codes) for source_id, codes in published.items()}
    for item in inputs:
        sha256 = _current_sha256(raw_dir, item)
        region = item.config.region if item.config is not None else None
        suffix = _current_suffix(raw_dir, item)
        hit = (store.get(sha256, source_id=item.source_id, source_file=item.source_id, region=region, suffix=suffix)
               if sha256 else None)
        if hit is not None:
            found[item.source_id] = found.get(item.source_id, frozenset()) | {p.region_code for p in hit[1]}
    return found


def _current_suffix(raw_dir: Path, item: Input) -> str:
    if item.file is not None:
        return item.file.path.suffix
    path = current_snapshot(snapshots_root(raw_dir), item.source_id) if item.remote else None
    return path.suffix if path is not None else ""


def _current_sha256(raw_dir: Path, item: Input) -> str | None:
    if item.file is not None:
        if item.file.hashed is not None:
            return item.file.hashed.sha256
        return file_sha256(item.file.path) if item.file.path.is_file() else None
    if not item.remote:
        return None
    path = current_snapshot(snapshots_root(raw_dir), item.source_id)
    return load_snapshot(path).sha256 if path is not None else None
