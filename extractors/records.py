"""Plain row types that extraction and the flow hand to publishing.

Field names are the column names of the published tables (see `schemas/`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from typing import Any

from smartspec.schemas.vocabulary import METHOD_EXTRACTED, STATUS_FAILED


@dataclass(frozen=True, slots=True)
class PriorityRecord:
    region_code: str
    region_name: str
    country: str
    priority: str
    priority_key: str
    position: int
    level: int
    parent_position: int | None
    language: str
    source_id: str
    source_file: str
    source_sha256: str
    page: int
    bbox: tuple[float, float, float, float] | None  # x0, top, x1, bottom in points
    region_match: str  # exact | alias | fuzzy | config | inferred
    # the heading of the section the priority was found under, and how sure the section
    # scorer was that this is the region's list of priorities (0-1)
    section_heading: str | None = None
    section_confidence: float | None = None
    # "extracted" by the rules, or "curated": shaped by an entry of raw/curation.toml
    method: str = METHOD_EXTRACTED


@dataclass(frozen=True, slots=True)
class SourceRecord:
    source_id: str
    source_file: str
    format: str
    sha256: str
    bytes: int
    pages: int | None
    status: str
    error_type: str | None
    error_message: str | None
    region_count: int
    priority_count: int
    # what raw/sources.toml says of the source
    url: str | None = None
    publisher: str | None = None
    published: date | None = None
    # "region" for one region's own strategy, "overview" for a document covering several
    scope: str | None = None
    # how the region of a single-region document was decided ("config: SE224",
    # "title page: Region Skåne", ...)
    region_evidence: str | None = None
    # the id shared by the renditions of one document (same folder and stem, another suffix;
    # None: the source's own id), and whether their level-1 priorities agree (None: one rendition)
    document_id: str | None = None
    renditions_agree: bool | None = None
    # remote sources only: "ok" or "failed" for this run's fetch, why it failed, when the
    # snapshot read was fetched and when a fetch last succeeded
    fetch_status: str | None = None
    fetch_error: str | None = None
    fetched_at: datetime | None = None
    last_fetch_success_at: datetime | None = None
    # the source's entry in raw/curation.toml: "applied", or "stale" when it was written for
    # other bytes (then `curation_message` says so and the machine's extraction stands)
    curation: str | None = None
    curation_message: str | None = None
    # a source that needs review: its competing candidate lists as JSON, best first, each
    # {"page", "heading", "score", "items"}; choose one in raw/curation.toml
    review_candidates: str | None = None
    # text exports: how the text was decoded (utf-8, utf-8-sig, utf-16, cp1252)
    encoding: str | None = None
    # how the file was read, when a user should know (e.g. "a DOCX file named .pdf: read as DOCX")
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class SourceOutcome:
    source: SourceRecord
    priorities: tuple[PriorityRecord, ...] = ()
    cached: bool = False  # answered from the extraction cache: the document was not read
    # warnings logged while a worker process (a Dask worker, a pool process) made this outcome,
    # for the flow's own log; empty where the flow's process made it
    worker_warnings: tuple[str, ...] = ()

    @property
    def outcome(self) -> str:
        """`cached`, `extracted` (the document was read, whatever came of it) or `not read`."""
        if self.cached:
            return "cached"
        return "extracted" if self.source.sha256 else "not read"


def failed_record(source_id: str, source_file: str, format: str, error_type: str, message: str, *,
                  status: str = STATUS_FAILED, size: int = 0, sha256: str | None = None, pages: int | None = None,
                  **columns: Any) -> SourceRecord:
    """The one way a `sources` row of a source that yielded nothing is made: its status (failed
    unless an extraction error says otherwise), `error_type` and `error_message`, no regions and
    no priorities, and what is known of the file (`size`, `sha256`, `pages`; a file not opened
    has none). `columns` sets other columns (`review_candidates`, `curation`, ...)."""
    return SourceRecord(
        source_id=source_id, source_file=source_file, format=format, sha256=sha256, bytes=size, pages=pages,
        status=status, error_type=error_type, error_message=message, region_count=0, priority_count=0, **columns,
    )
