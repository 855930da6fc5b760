"""The explicit Arrow schemas of the published tables, deterministic Parquet, the data fingerprint.

Every version stores exactly these types, empty tables included, so readers never guess:

    priorities: region_code, region_name, country, priority, priority_key: string (not null)
                position, level: int32 (not null); parent_position: int32 (null on level 1)
                language, source_id, source_file, source_sha256: string (not null)
                page: int32 (not null); bbox: struct<x0, top, x1, bottom: float64> (nullable)
                region_match: string (not null)
    sources:    source_id, source_file, format: string (not null); sha256: string (nullable)
                bytes: int64; pages: int32 (nullable); status: string
                error_type, error_message: string (nullable); region_count, priority_count: int32
                ...; document_id: string (not null); renditions_agree: bool (nullable)
    changes:    change, region_code, region_name, priority, priority_key: string
                level, version: int32; source_id: string; previous_version: int32 (nullable)
    current:    the priorities columns, then source_scope: string (not null) and
                source_published: date32 (nullable); derived from priorities + sources

Rows are written in a canonical order (the table's key) with fixed writer settings and no
pandas metadata, so the same data gives byte-identical files (for one pyarrow version:
the footer names the writer).
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from schemas import ChangeSchema, CurrentSchema, PrioritySchema, SourceSchema
from schemas.priorities import BBOX_FIELDS, PRIORITY_KEY
from schemas.sources import TIMESTAMP_COLUMNS

BBOX_TYPE = pa.struct([pa.field(name, pa.float64(), nullable=False) for name in BBOX_FIELDS])


def _text(name: str, nullable: bool = False) -> pa.Field:
    return pa.field(name, pa.string(), nullable=nullable)


def _int32(name: str, nullable: bool = False) -> pa.Field:
    return pa.field(name, pa.int32(), nullable=nullable)


PRIORITIES_ARROW = pa.schema([
    _text(PrioritySchema.region_code),
    _text(PrioritySchema.region_name),
    _text(PrioritySchema.country),
    _text(PrioritySchema.priority),
    _text(PrioritySchema.priority_key),
    _int32(PrioritySchema.position),
    _int32(PrioritySchema.level),
    _int32(PrioritySchema.parent_position, nullable=True),
    _text(PrioritySchema.language),
    _text(PrioritySchema.source_id),
    _text(PrioritySchema.source_file),
    _text(PrioritySchema.source_sha256),
    _int32(PrioritySchema.page),
    pa.field(PrioritySchema.bbox, BBOX_TYPE, nullable=True),
    _text(PrioritySchema.region_match),
    _text(PrioritySchema.section_heading, nullable=True),
    pa.field(PrioritySchema.section_confidence, pa.float64(), nullable=True),
])
SOURCES_ARROW = pa.schema([
    _text(SourceSchema.source_id),
    _text(SourceSchema.source_file),
    _text(SourceSchema.format),
    _text(SourceSchema.sha256, nullable=True),
    pa.field(SourceSchema.bytes, pa.int64(), nullable=False),
    _int32(SourceSchema.pages, nullable=True),
    _text(SourceSchema.status),
    _text(SourceSchema.error_type, nullable=True),
    _text(SourceSchema.error_message, nullable=True),
    _int32(SourceSchema.region_count),
    _int32(SourceSchema.priority_count),
    _text(SourceSchema.url, nullable=True),
    _text(SourceSchema.publisher, nullable=True),
    pa.field(SourceSchema.published, pa.date32(), nullable=True),
    _text(SourceSchema.scope, nullable=True),
    _text(SourceSchema.region_evidence, nullable=True),
    _text(SourceSchema.document_id),
    pa.field(SourceSchema.renditions_agree, pa.bool_(), nullable=True),
    _text(SourceSchema.fetch_status, nullable=True),
    _text(SourceSchema.fetch_error, nullable=True),
    pa.field(SourceSchema.fetched_at, pa.timestamp("us", tz="UTC"), nullable=True),
    pa.field(SourceSchema.last_fetch_success_at, pa.timestamp("us", tz="UTC"), nullable=True),
    _text(SourceSchema.encoding, nullable=True),
    _text(SourceSchema.notes, nullable=True),
])
CHANGES_ARROW = pa.schema([
    _text(ChangeSchema.change),
    _text(ChangeSchema.region_code),
    _text(ChangeSchema.region_name),
    _text(ChangeSchema.priority),
    _text(ChangeSchema.priority_key),
    _int32(ChangeSchema.level),
    _text(ChangeSchema.source_id),
    _int32(ChangeSchema.version),
    _int32(ChangeSchema.previous_version, nullable=True),
])
# `current` is `priorities` plus the two source facts its rule chose by (schemas/current.py).
CURRENT_ARROW = pa.schema([
    *PRIORITIES_ARROW,
    _text(CurrentSchema.source_scope),
    pa.field(CurrentSchema.source_published, pa.date32(), nullable=True),
])
ARROW_SCHEMAS = {
    "priorities": PRIORITIES_ARROW, "sources": SOURCES_ARROW, "changes": CHANGES_ARROW, "current": CURRENT_ARROW,
}
MODELS = {"priorities": PrioritySchema, "sources": SourceSchema, "changes": ChangeSchema, "current": CurrentSchema}

# Canonical row order of each table: its key, then whatever makes the order total.
ROW_ORDER = {
    "priorities": PRIORITY_KEY,
    "sources": (SourceSchema.source_id,),
    "changes": (
        ChangeSchema.region_code, ChangeSchema.level, ChangeSchema.priority_key, ChangeSchema.change,
        ChangeSchema.source_id, ChangeSchema.priority, ChangeSchema.region_name,
    ),
    # one source per region, so this reads each region's list top to bottom
    "current": (CurrentSchema.region_code, CurrentSchema.source_id, CurrentSchema.position, CurrentSchema.level),
}
# Writer settings are part of the format: change them and the bytes change.
PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 9,
    "row_group_size": 1_000_000,
    "version": "2.6",
    "data_page_version": "1.0",
    "use_dictionary": True,
    "write_statistics": True,
    "store_schema": True,
    "write_page_index": False,
}
# Bump when the canonical serialisation below changes, so old fingerprints never match by accident.
_FINGERPRINT_FORMAT = "smartspec-priorities-fingerprint/1"


def to_arrow(frame: pd.DataFrame, table: str) -> pa.Table:
    """`frame` as an Arrow table of the published schema, in canonical row order."""
    schema = ARROW_SCHEMAS[table]
    if list(frame.columns) != schema.names:
        raise ValueError(f"{table} columns {list(frame.columns)} are not {schema.names}")
    arrow = pa.Table.from_pandas(frame, schema=schema, preserve_index=False).replace_schema_metadata(None)
    ordered = arrow.sort_by([(name, "ascending") for name in ROW_ORDER[table]])
    return ordered.combine_chunks()


def parquet_bytes(arrow: pa.Table) -> bytes:
    """The table as Parquet with fixed writer settings: the same table, the same bytes."""
    sink = io.BytesIO()
    pq.write_table(arrow.replace_schema_metadata(None), sink, **PARQUET_OPTIONS)
    return sink.getvalue()


def read_parquet(path: Path, table: str) -> pd.DataFrame:
    """A published Parquet file as pandas, cast to the dtypes `tables.*_frame` produce."""
    frame = pq.read_table(path, schema=ARROW_SCHEMAS[table]).to_pandas()
    return MODELS[table].to_schema().coerce_dtype(frame)


def _row_json(row: dict[str, Any]) -> str:
    return json.dumps(list(row.values()), ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str)


def fingerprint_tables(priorities: pa.Table, sources: pa.Table) -> str:
    """sha256 of the canonical rows of both tables (already in `to_arrow` order)."""
    digest = hashlib.sha256(_FINGERPRINT_FORMAT.encode())
    sources = sources.drop_columns([c for c in TIMESTAMP_COLUMNS if c in sources.column_names])
    for name, arrow in (("priorities", priorities), ("sources", sources)):
        digest.update(f"\n#{name}\n{arrow.schema.to_string(show_schema_metadata=False)}\n".encode())
        for row in arrow.to_pylist():
            digest.update(_row_json(row).encode() + b"\n")
    return digest.hexdigest()


def data_fingerprint(priorities: pd.DataFrame, sources: pd.DataFrame) -> str:
    """What the data says, hashed: row order, timestamps and code version make no difference."""
    return fingerprint_tables(to_arrow(priorities, "priorities"), to_arrow(sources, "sources"))
