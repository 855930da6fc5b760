"""The per-document step and the run summary: plain functions the flow and the CLI share.

`process_source()` is the one place that turns an `ExtractionError` into a `sources` row; any
other exception is a bug and propagates. The flow runs it isolated and behind the extraction
cache (`smartspec.running.incremental.extract_source`).
"""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from smartspec.extractors.curation import CurationEntry
from smartspec.extractors.document import Document
from smartspec.extractors.errors import ExtractionError, FileChanged
from smartspec.extractors.extract import Toolkit, build_toolkit, extract
from smartspec.extractors.hashing import FileHash, current_hash
from smartspec.extractors.readers import format_of, read_document
from smartspec.extractors.records import SourceOutcome, SourceRecord, failed_record
from smartspec.inputs.sources import SourceFile
from smartspec.publishing.layout import DATASET
from smartspec.schemas.vocabulary import CURATION_APPLIED, CURATION_STALE, FETCH_FAILED, STATUS_OK

if TYPE_CHECKING:  # extracting one file (`smartspec extract`) loads no HTTP client
    from smartspec.fetching import FetchResult

logger = logging.getLogger(__name__)


# What a remote source's fetch did (`FetchResult.status`), as the summary says it.
FETCH_OUTCOMES = {"fetched": "downloaded", "not_modified": "not modified (304)",
                  "unchanged_content": "downloaded, same content", "failed": "failed"}


@dataclass(frozen=True, slots=True)
class RunSummary:
    sources_ok: int
    sources_failed: int
    regions: int
    priorities: int
    status: str  # published | unchanged | invalid
    version: int | None
    failed: tuple[tuple[str, str, str], ...] = field(default=())  # (source_id, status, message)
    extracted: int = 0  # documents read this run
    cached: int = 0  # sources answered from the extraction cache
    # remote sources whose fetch failed this run: (source_id, error, last success or "never")
    fetch_failed: tuple[tuple[str, str, str], ...] = field(default=())
    report: str | None = None  # index.html of the version's report
    note: str | None = None  # how the run was settled, where it was not by the flow
    # what the fetches of this run did: (FETCH_OUTCOMES key, count); empty without remote sources
    fetches: tuple[tuple[str, int], ...] = field(default=())

    def lines(self) -> list[str]:
        out = [
            f"sources: {self.sources_ok} ok, {self.sources_failed} not ok",
            *([f"fetch: {', '.join(f'{n} {FETCH_OUTCOMES[kind]}' for kind, n in self.fetches)}"]
              if self.fetches else []),
            f"read: {self.extracted} extracted, {self.cached} from cache",
            f"regions: {self.regions}",
            f"priorities: {self.priorities}",
        ]
        out += [f"  {sid}: {status}: {message}" for sid, status, message in self.failed]
        said = {sid for sid, _, _ in self.failed}  # a source that failed for its fetch has its one line
        out += [f"  {sid}: fetch failed: {error} (last success: {last}); read from its last snapshot"
                for sid, error, last in self.fetch_failed if sid not in said]
        if self.report:
            out.append(f"report: {self.report}")
        if self.note:
            out.append(self.note)
        out.append(f"published v{self.version}" if self.status == "published" else self.status)  # last, always
        return out


def code_version() -> str:
    try:
        return version("smartspec")
    except PackageNotFoundError:
        return "0+unknown"


def shared_toolkit() -> Toolkit:
    """The run's toolkit, built once per process: a worker builds its own rather than receive
    spaCy pipelines by pickle; the flow's worker threads wait for the first of them to build it."""
    with _TOOLKIT_LOCK:
        return _toolkit()


_TOOLKIT_LOCK = threading.Lock()


@cache
def _toolkit() -> Toolkit:
    return build_toolkit()


def process_source(source: SourceFile, toolkit: Toolkit, curation: CurationEntry | None = None,
                   document: Document | None = None) -> SourceOutcome:
    """Read and extract one source; bad input becomes a `sources` row, never an exception.

    `curation` is the source's entry in raw/curation.toml: applied when it was written for
    these bytes, else the machine's extraction stands and the row says the entry is stale.
    `document` is the source's file already read (running/readahead.py), else it is read here."""
    fmt = format_of(source.path)
    pages: int | None = None
    hashed: FileHash | None = None
    if document is None:  # else read ahead: the document holds the hash of the bytes it was read from
        try:  # the one hash of the file in this run: the cache lookup's, while the file is as it was then
            hashed = current_hash(source.path, source.hashed)
        except OSError:
            pass  # the reader says why it cannot open it
    known = document or hashed
    curated = _curation_columns(curation, known.sha256 if known is not None else None)
    applied = curation if curated.get("curation") == CURATION_APPLIED else None
    try:
        document = document or read_document(source.path, source_id=source.source_id, hashed=hashed)
        pages = document.pages
        region = source.config.region if source.config is not None else None
        extraction = extract(document, toolkit, source_file=source.relative, region=region, curation=applied)
    except ExtractionError as e:
        logger.warning("%s: %s (%s)", source.source_id, e.message, e.error_type)
        size, sha256 = 0, None  # FileChanged: the bytes read are not known
        if document is not None:
            size, sha256 = document.bytes, document.sha256
        elif hashed is not None and not isinstance(e, FileChanged):
            size, sha256 = hashed.size, hashed.sha256
        candidates = getattr(e, "candidates", ())
        return SourceOutcome(failed_record(
            source.source_id, source.relative, fmt, e.error_type, e.message, status=e.status, size=size,
            sha256=sha256, pages=pages,
            review_candidates=json.dumps(candidates, ensure_ascii=False) if candidates else None, **curated,
        ))
    return SourceOutcome(
        SourceRecord(
            source_id=source.source_id, source_file=source.relative, format=document.format,
            sha256=document.sha256, bytes=document.bytes, pages=document.pages, status=STATUS_OK,
            error_type=None, error_message=None,
            region_count=len({r.region_code for r in extraction.records}), priority_count=len(extraction.records),
            scope=extraction.scope, region_evidence=extraction.region_evidence,
            encoding=document.encoding, notes="; ".join(document.notes) or None, **curated,
        ),
        extraction.records,
    )


def _curation_columns(curation: CurationEntry | None, sha256: str | None) -> dict[str, str | None]:
    """The `sources` columns that say what became of the source's curation entry."""
    if curation is None:
        return {}
    if curation.applies_to(sha256):
        return {"curation": CURATION_APPLIED}
    logger.warning("%s: %s", curation.source_id, curation.stale_message(sha256))
    return {"curation": CURATION_STALE, "curation_message": curation.stale_message(sha256)}


def summarise(outcomes: list[SourceOutcome], status: str, version: int | None) -> RunSummary:
    ok = [o for o in outcomes if o.source.status == STATUS_OK]
    priorities = [p for o in outcomes for p in o.priorities]
    fetch_failed = tuple(
        (o.source.source_id, o.source.fetch_error or "",
         o.source.last_fetch_success_at.isoformat(timespec="seconds") if o.source.last_fetch_success_at else "never")
        for o in outcomes if o.source.fetch_status == FETCH_FAILED
    )
    return RunSummary(
        sources_ok=len(ok),
        sources_failed=len(outcomes) - len(ok),
        regions=len({p.region_code for p in priorities}),
        priorities=len(priorities),
        status=status,
        version=version,
        failed=tuple(
            (o.source.source_id, o.source.status, o.source.error_message or "")
            for o in outcomes if o.source.status != STATUS_OK
        ),
        extracted=sum(o.outcome == "extracted" for o in outcomes),
        cached=sum(o.cached for o in outcomes),
        fetch_failed=fetch_failed,
    )


def fetch_counts(fetches: Iterable[FetchResult]) -> tuple[tuple[str, int], ...]:
    """How many of these fetches ended each way, in FETCH_OUTCOMES order; () for none."""
    counts = Counter(fetch.status for fetch in fetches)
    return tuple((kind, counts[kind]) for kind in FETCH_OUTCOMES) if counts else ()


def run_record(
    flow_name: str, run_id: str | None, started_at: datetime, summary: RunSummary, outcomes: list[SourceOutcome],
    fetches: Mapping[str, FetchResult], **more: Any,
) -> dict[str, Any]:
    """The run's line in the run record (publishing/runs.py): when, what each source and each
    fetch of this run did, and what was published. `fetches`: those made this run."""
    return run_line(flow_name, run_id, started_at, summary, source_lines(outcomes, fetches), **more)


def run_line(flow_name: str, run_id: str | None, started_at: datetime, summary: RunSummary,
             sources: list[dict[str, Any]], **more: Any) -> dict[str, Any]:
    """A line of the run record, ending now, with `sources` and what `more` adds (the key)."""
    finished_at = datetime.now(UTC)
    return {
        "run_id": run_id, "flow": flow_name, "started_at": started_at.isoformat(timespec="seconds"),
        "finished_at": finished_at.isoformat(timespec="seconds"),
        "seconds": round((finished_at - started_at).total_seconds(), 3),
        "status": summary.status, "version": summary.version, "fetch": dict(summary.fetches),
        "read": {"extracted": summary.extracted, "cached": summary.cached},
        "regions": summary.regions, "priorities": summary.priorities,
        "sources": sources, **more,
    }


def source_lines(outcomes: list[SourceOutcome], fetches: Mapping[str, FetchResult]) -> list[dict[str, Any]]:
    """Each source's part of a run record line: its status, how it was read, its fetch."""
    sources = []
    for outcome in outcomes:
        record = outcome.source
        row: dict[str, Any] = {"source_id": record.source_id, "status": record.status, "read": outcome.outcome,
                               "sha256": record.sha256}
        if record.error_message:
            row["error"] = record.error_message
        fetch = fetches.get(record.source_id)
        if fetch is not None:
            last = fetch.last_success_at
            row["fetch"] = {"status": fetch.status, "http_status": fetch.http_status, "error": fetch.error,
                            "last_success_at": last.isoformat(timespec="seconds") if last else None}
        sources.append(row)
    return sources
