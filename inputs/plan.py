"""What a run reads: the files under raw/, the snapshots of remote sources, and a `sources`
row for every configured source that has neither.

Plain functions; the flow wraps the fetch as a task. A `[[source]]` entry of
`raw/sources.toml` with a `path` is a local file (its `url`, if given, is recorded as where
it came from, not fetched); an entry with a `url` and no `path` is fetched into
`raw/_snapshots/<id>/` and its current snapshot is read.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from smartspec.extractors.readers import READERS, format_of
from smartspec.extractors.records import SourceOutcome, failed_record
from smartspec.extractors.regions import Gazetteer, UnknownRegion
from smartspec.inputs.sources import (
    CONFIG_NAME,
    SourceConfig,
    SourceFile,
    find_sources,
)
from smartspec.fetching import SNAPSHOTS_DIRNAME, FetchResult, current_snapshot, load_snapshot, read_state
from smartspec.publishing.errors import VersionNotFound
from smartspec.publishing.versions import read_version
from smartspec.schemas.priorities import PrioritySchema
from smartspec.schemas.vocabulary import FETCH_FAILED, FETCH_FAILED_ERROR, FETCH_OK, ID_CLASH_ERROR, NOT_FOUND_ERROR

logger = logging.getLogger(__name__)


class SelectionError(ValueError):
    """A re-extraction names a source or region that does not exist, or selects nothing."""


@dataclass(frozen=True, slots=True)
class Input:
    """One source a run must account for with exactly one `sources` row."""

    source_id: str
    config: SourceConfig | None = None
    file: SourceFile | None = None  # a file found under raw/; None for remote and missing ones
    refusal: str | None = None  # why a sources.toml entry is not read (its id or path is taken, it is not valid)
    source_file: str | None = None  # of a refused entry: its file under raw/, if it has one
    refusal_type: str = ID_CLASH_ERROR  # the refused entry's `error_type`

    @property
    def remote(self) -> bool:
        return (self.file is None and self.refusal is None and self.config is not None
                and bool(self.config.url) and not self.config.path)

    @property
    def document_id(self) -> str:
        """The id shared by the renditions of one document; the source's own id if it has none."""
        if self.file is not None and self.file.document_id is not None:
            return self.file.document_id
        return self.source_id


def plan_inputs(raw_dir: Path) -> list[Input]:
    """Every source of a run, ordered by source id: found files, configured ones, refused entries.

    Ids are distinct by construction (`find_sources`): no name stops a run.
    """
    found = find_sources(raw_dir, document_suffixes=READERS)
    inputs = {f.source_id: Input(f.source_id, f.config, f) for f in found.files}
    configured_files = {f.config.id for f in found.files if f.config is not None}
    for config in found.configs:
        if config.id not in configured_files:
            inputs[config.id] = Input(config.id, config)
    for refused in found.refused:
        inputs[refused.source_id] = Input(refused.source_id, refused.config, refusal=refused.message,
                                          source_file=refused.relative, refusal_type=refused.error_type)
    return [inputs[source_id] for source_id in sorted(inputs)]


def snapshot_source(raw_dir: Path, config: SourceConfig, fetch: FetchResult) -> SourceFile | None:
    """The current snapshot of a remote source as a file to read, or None if there is none."""
    if fetch.snapshot_path is None:
        return None
    relative = fetch.snapshot_path.relative_to(raw_dir).as_posix()
    return SourceFile(config.id, fetch.snapshot_path, relative, config)


def recorded_fetch(snapshots_dir: Path, config: SourceConfig) -> FetchResult:
    """What the last fetch of a remote source left, without going to the network."""
    state = read_state(snapshots_dir, config.id)
    path = current_snapshot(snapshots_dir, config.id)
    snapshot = load_snapshot(path) if path is not None else None
    if state is None and snapshot is None:
        return FetchResult(config.id, FETCH_FAILED, None, None, None, None, "not fetched yet", None, None)
    fetched_at = snapshot.fetched_at if snapshot is not None else None
    if state is None:  # state.json removed by hand: the stored snapshot was a success
        return FetchResult(config.id, "fetched", path, fetched_at, fetched_at, snapshot.http_status, None,
                           snapshot.etag, snapshot.sha256)
    return FetchResult(
        config.id, state.status, path, fetched_at, state.last_success_at, state.http_status, state.error,
        state.etag, snapshot.sha256 if snapshot is not None else None,
    )


def unavailable(raw_dir: Path, item: Input, fetch: FetchResult | None) -> SourceOutcome:
    """The `sources` row of a configured source with no file and no snapshot to read, or refused."""
    config = item.config
    assert config is not None, "a found file is always available"
    if item.refusal is not None:
        error_type, message = item.refusal_type, item.refusal
        source_file = item.source_file or config.path or config.url or config.id
        fmt = format_of(Path(PurePosixPath(urlsplit(source_file).path).name or "unknown"))
    elif item.remote:
        error_type = FETCH_FAILED_ERROR
        reason = fetch.error if fetch is not None and fetch.error else "nothing fetched"
        message = f"no snapshot to read: fetching {config.url} failed: {reason}"
        source_file = f"{SNAPSHOTS_DIRNAME}/{config.id}"
        fmt = format_of(Path(PurePosixPath(urlsplit(config.url).path).name or "unknown"))
    elif config.path:
        error_type, message = NOT_FOUND_ERROR, f"file not found: {raw_dir.name}/{config.path} (from {CONFIG_NAME})"
        source_file, fmt = config.path, format_of(Path(config.path))
    else:
        error_type, message = NOT_FOUND_ERROR, f"{CONFIG_NAME} gives neither a path nor a url"
        source_file, fmt = config.id, "unknown"
    # a failed fetch has said so where it failed: one warning per failure
    (logger.info if item.remote and item.refusal is None else logger.warning)("%s: %s", item.source_id, message)
    return SourceOutcome(failed_record(item.source_id, source_file, fmt, error_type, message))


def annotate(
    outcome: SourceOutcome, config: SourceConfig | None, fetch: FetchResult | None, *, document_id: str | None = None
) -> SourceOutcome:
    """Add what sources.toml says of the source, for a remote source what its fetch did, and
    the document it is a rendition of (`Input.document_id`)."""
    values: dict[str, object] = {}
    if document_id is not None:
        values.update(document_id=document_id)
    if config is not None:
        values.update(url=config.url, publisher=config.publisher, published=config.published)
        if config.scope is not None:  # what the user says outranks what extraction inferred
            values.update(scope=config.scope)
    if fetch is not None:
        values.update(
            fetch_status=FETCH_OK if fetch.ok else FETCH_FAILED,
            fetch_error=fetch.error if not fetch.ok else None,
            fetched_at=fetch.fetched_at,
            last_fetch_success_at=fetch.last_success_at,
        )
    if not values:
        return outcome
    return dataclasses.replace(outcome, source=dataclasses.replace(outcome.source, **values))


def published_regions(dataset_dir: Path) -> dict[str, frozenset[str]]:
    """Source id -> the region codes of its priorities in the latest published version."""
    try:
        priorities, _, _ = read_version(dataset_dir)
    except VersionNotFound:
        return {}
    grouped = priorities.groupby(PrioritySchema.source_id)[PrioritySchema.region_code]
    return {str(source_id): frozenset(codes) for source_id, codes in grouped}


def select_sources(
    inputs: list[Input],
    *,
    regions: Collection[str],
    source_ids: Collection[str],
    gazetteer: Gazetteer,
    previous: Mapping[str, frozenset[str]],
) -> frozenset[str]:
    """The ids of the sources named, plus those of the regions named.

    A source belongs to a region when sources.toml gives it that region, else when its
    previous extraction (`previous`: source id -> region codes) yielded that region, else
    (a file not read yet) when its path names the region.
    Raises SelectionError for an unknown source id or region, or when nothing is selected.
    """
    known = {item.source_id for item in inputs}
    unknown = sorted(set(source_ids) - known)
    if unknown:
        raise SelectionError(f"unknown source id {', '.join(map(repr, unknown))}; known: {', '.join(sorted(known))}")
    try:
        codes = gazetteer.resolve_names(regions)
    except UnknownRegion as e:
        raise SelectionError(str(e)) from e
    chosen = set(source_ids)
    matched: set[str] = set()
    for item in inputs:
        belongs = (_configured_region(item, gazetteer) or previous.get(item.source_id, frozenset())
                   or _named_region(item.source_id, gazetteer))
        if belongs & codes.keys():
            chosen.add(item.source_id)
            matched |= belongs & codes.keys()
    for code in sorted(codes.keys() - matched):
        logger.warning("region %s (%s): no source is configured for it or yielded it before", codes[code], code)
    if not chosen:
        raise SelectionError(
            f"nothing to re-extract: no source belongs to {', '.join(map(repr, regions)) or 'no region'} "
            f"(by its region in {CONFIG_NAME} or an earlier extraction) and no source was named"
        )
    return frozenset(chosen)


# Words of a file's path looked up in the gazetteer together, at most: "vastra-gotaland-ris3".
_PATH_NGRAM = 4


def _named_region(source_id: str, gazetteer: Gazetteer) -> frozenset[str]:
    """The regions a source's path names, for a file no extraction has read yet:
    raw/skane/ris3.pdf, raw/vastra-gotaland-s3-2024.pdf (words of 3 letters or more, or a folder)."""
    found = set()
    for part in PurePosixPath(source_id).parts:
        words = part.replace("_", " ").replace("-", " ").split()
        for size in range(1, min(_PATH_NGRAM, len(words)) + 1):
            for start in range(len(words) - size + 1):
                phrase = " ".join(words[start:start + size])
                region = gazetteer.resolve(phrase) if len(phrase) >= 3 or phrase == part else None
                if region is not None:
                    found.add(region.code)
    return frozenset(found)


def _configured_region(item: Input, gazetteer: Gazetteer) -> frozenset[str]:
    if item.config is None or not item.config.region:
        return frozenset()
    region = gazetteer.resolve(item.config.region)
    if region is None:
        logger.warning("%s: region %r in %s is not in the gazetteer", item.source_id, item.config.region, CONFIG_NAME)
        return frozenset()
    return frozenset({region.code})
