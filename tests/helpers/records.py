"""Made-up records and tables for the publishing tests: Norrbotten's five areas, a failed
Skåne source, a version published from them; sources and items for the `current` rule."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, datetime
from pathlib import Path

from smartspec.extractors.records import PriorityRecord, SourceRecord
from smartspec.publishing import priorities_frame, publish, sources_frame, validate

NORRBOTTEN_SHA = hashlib.sha256(b"norrbotten ris3").hexdigest()
SKANE_SHA = hashlib.sha256(b"skane ris3").hexdigest()
REGION_CODES = {"SE332", "SE331", "SE224"}
NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
NORRBOTTEN_AREAS = [
    "Rymdteknik och geovetenskap",
    "Processindustri och gruvnäring",
    "Energi och miljöteknik",
    "Testverksamhet i kallt klimat",
    "Upplevelsenäring",
]


def priority(text: str, position: int, **changes: object) -> PriorityRecord:
    record = PriorityRecord(
        region_code="SE332", region_name="Norrbotten", country="SE", priority=text, priority_key=text.lower(),
        position=position, level=1, parent_position=None, language="sv", source_id="norrbotten-ris3",
        source_file="norrbotten/ris3-2022.pdf", source_sha256=NORRBOTTEN_SHA, page=14 + position // 3,
        bbox=(56.7, 200.0 + 18 * position, 310.2, 214.0 + 18 * position), region_match="exact",
    )
    return dataclasses.replace(record, **changes)


def norrbotten(areas: list[str] = NORRBOTTEN_AREAS) -> list[PriorityRecord]:
    records = [priority(text, n) for n, text in enumerate(areas, start=1)]
    nested = priority("Rymdbaserade tjänster", 1, level=2, parent_position=1, bbox=None)
    return [*records, nested]


def sources(**changes: object) -> list[SourceRecord]:
    ok = SourceRecord(
        source_id="norrbotten-ris3", source_file="norrbotten/ris3-2022.pdf", format="pdf", sha256=NORRBOTTEN_SHA,
        bytes=2_481_133, pages=36, status="ok", error_type=None, error_message=None, region_count=1, priority_count=6,
    )
    failed = SourceRecord(
        source_id="skane-ris3", source_file="skane/ris3.pdf", format="pdf", sha256=SKANE_SHA, bytes=1_204,
        pages=None, status="failed", error_type="UnreadableDocument", error_message="PDF is encrypted",
        region_count=0, priority_count=0,
    )
    return [dataclasses.replace(ok, **changes), failed]


def tables(records: list[PriorityRecord] | None = None, source_records: list[SourceRecord] | None = None):
    return validate(
        priorities_frame(norrbotten() if records is None else records),
        sources_frame(sources() if source_records is None else source_records),
        region_codes=REGION_CODES,
    )


def run(dataset: Path, records: list[PriorityRecord] | None = None, *, now: datetime = NOW, **kwargs: object):
    priorities, source_table = tables(records)
    inputs = {"norrbotten-ris3": NORRBOTTEN_SHA, "skane-ris3": SKANE_SHA}
    return publish(priorities, source_table, dataset, code_version="0.1.0+g5bd2f16", inputs=inputs, now=now, **kwargs)


def source(source_id: str, *, regions: int = 1, **facts: object) -> SourceRecord:
    return SourceRecord(
        source_id=source_id, source_file=f"{source_id}.pdf", format="pdf",
        sha256=hashlib.sha256(source_id.encode()).hexdigest(), bytes=1000, pages=40, status="ok",
        error_type=None, error_message=None, region_count=regions, priority_count=2, **facts,
    )


def items(source_id: str, region_code: str, *texts: str) -> list[PriorityRecord]:
    names = {"SE332": "Norrbotten", "SE331": "Västerbotten", "SE224": "Skåne"}
    return [
        priority(text, n, source_id=source_id, source_file=f"{source_id}.pdf", region_code=region_code,
                 region_name=names[region_code], source_sha256=hashlib.sha256(source_id.encode()).hexdigest())
        for n, text in enumerate(texts, start=1)
    ]
