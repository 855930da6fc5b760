"""Plain row types that extraction and the flow hand to publishing.

Field names are the column names of the published tables (see `schemas/`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

STATUS_OK = "ok"
STATUS_FAILED = "failed"
STATUS_NO_TEXT = "no_text"
STATUS_NO_PRIORITIES = "no_priorities"
STATUS_REGION_UNRESOLVED = "region_unresolved"
# how a priority row came about (`PriorityRecord.method`)
METHOD_EXTRACTED = "extracted"
METHOD_CURATED = "curated"


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
