"""Plain row types that extraction and the flow hand to publishing.

Field names are the column names of the published tables (see `schemas/`).
"""

from __future__ import annotations

from dataclasses import dataclass

STATUS_OK = "ok"
STATUS_FAILED = "failed"
STATUS_NO_TEXT = "no_text"
STATUS_NO_PRIORITIES = "no_priorities"
STATUS_REGION_UNRESOLVED = "region_unresolved"


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
    region_match: str  # exact | alias | fuzzy | config


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
