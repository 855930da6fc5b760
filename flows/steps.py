"""The per-document step and the run summary: plain functions the flow and the CLI share.

`process_source()` is the one place that turns an `ExtractionError` into a `sources` row; any
other exception is a bug and propagates.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version

from extractors.errors import ExtractionError
from extractors.extract import Toolkit, extract_priorities
from extractors.readers import format_of, read_document
from extractors.records import STATUS_OK, PriorityRecord, SourceRecord
from extractors.sources import SourceFile, file_sha256

logger = logging.getLogger(__name__)

# The published dataset: output/<DATASET>/v<N>/
DATASET = "priorities"


@dataclass(frozen=True, slots=True)
class SourceOutcome:
    source: SourceRecord
    priorities: tuple[PriorityRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class RunSummary:
    sources_ok: int
    sources_failed: int
    regions: int
    priorities: int
    status: str  # published | unchanged | invalid
    version: int | None
    failed: tuple[tuple[str, str, str], ...] = field(default=())  # (source_id, status, message)

    def lines(self) -> list[str]:
        out = [
            f"sources: {self.sources_ok} ok, {self.sources_failed} not ok",
            f"regions: {self.regions}",
            f"priorities: {self.priorities}",
        ]
        out += [f"  {sid}: {status}: {message}" for sid, status, message in self.failed]
        out.append(f"published v{self.version}" if self.status == "published" else self.status)
        return out


def code_version() -> str:
    try:
        return version("smartspec")
    except PackageNotFoundError:
        return "0+unknown"


def process_source(source: SourceFile, toolkit: Toolkit) -> SourceOutcome:
    """Read and extract one source; bad input becomes a `sources` row, never an exception."""
    fmt = format_of(source.path)
    size = source.path.stat().st_size if source.path.exists() else 0
    sha256 = file_sha256(source.path) if source.path.exists() else None
    pages: int | None = None
    try:
        document = read_document(source.path, source_id=source.source_id)
        pages = document.pages
        records = extract_priorities(document, toolkit, source_file=source.relative)
    except ExtractionError as e:
        logger.warning("%s: %s (%s)", source.source_id, e.message, e.error_type)
        return SourceOutcome(SourceRecord(
            source_id=source.source_id, source_file=source.relative, format=fmt, sha256=sha256,
            bytes=size, pages=pages, status=e.status, error_type=e.error_type,
            error_message=e.message, region_count=0, priority_count=0,
        ))
    return SourceOutcome(
        SourceRecord(
            source_id=source.source_id, source_file=source.relative, format=fmt,
            sha256=document.sha256, bytes=document.bytes, pages=document.pages, status=STATUS_OK,
            error_type=None, error_message=None,
            region_count=len({r.region_code for r in records}), priority_count=len(records),
        ),
        tuple(records),
    )


def summarise(outcomes: list[SourceOutcome], status: str, version: int | None) -> RunSummary:
    ok = [o for o in outcomes if o.source.status == STATUS_OK]
    priorities = [p for o in outcomes for p in o.priorities]
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
    )
