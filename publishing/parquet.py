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
    themes:     source_id, region_code, region_name: string; level, position: int32; priority,
                priority_key, language, dimension, code, label, evidence, method, rule: string
    partners:   region_a, region_name_a, region_b, region_name_b: string; score: float64;
                matches: int32; shared_codes: list<string>; evidence: list<struct<priority_a,
                priority_b: string, codes: list<string>, tag_similarity, text_similarity,
                strength: float64>>; derived from themes + current
    theme_changes: the changes columns, then dimension, code, label: string

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
import pyarrow.compute as pc
import pyarrow.parquet as pq

from smartspec.schemas.changes import ChangeSchema
from smartspec.schemas.current import CurrentSchema
from smartspec.schemas.partners import PARTNER_KEY, PartnerSchema
from smartspec.schemas.priorities import BBOX_FIELDS, PRIORITY_KEY, PrioritySchema
from smartspec.schemas.sources import RUN_COLUMNS, SourceSchema
from smartspec.schemas.theme_changes import ThemeChangeSchema
from smartspec.schemas.themes import THEME_KEY, ThemeSchema
from smartspec.schemas.vocabulary import METHOD_EXTRACTED, STATUSES_KEEPING_LAST_GOOD

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
    _text(PrioritySchema.method),
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
    _text(SourceSchema.curation, nullable=True),
    _text(SourceSchema.curation_message, nullable=True),
    _text(SourceSchema.review_candidates, nullable=True),
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
    _text(ChangeSchema.method),
    _int32(ChangeSchema.version),
    _int32(ChangeSchema.previous_version, nullable=True),
])
# `current` is `priorities` plus the two source facts its rule chose by (schemas/current.py).
CURRENT_ARROW = pa.schema([
    *PRIORITIES_ARROW,
    _text(CurrentSchema.source_scope),
    pa.field(CurrentSchema.source_published, pa.date32(), nullable=True),
])
THEMES_ARROW = pa.schema([
    _text(ThemeSchema.source_id),
    _text(ThemeSchema.region_code),
    _text(ThemeSchema.region_name),
    _int32(ThemeSchema.level),
    _int32(ThemeSchema.position),
    _text(ThemeSchema.priority),
    _text(ThemeSchema.priority_key),
    _text(ThemeSchema.language),
    _text(ThemeSchema.dimension),
    _text(ThemeSchema.code),
    _text(ThemeSchema.label),
    _text(ThemeSchema.evidence),
    _text(ThemeSchema.method),
    _text(ThemeSchema.rule),
])
_TAGS_TYPE = pa.list_(pa.field("item", pa.string(), nullable=False))
PARTNER_EVIDENCE_TYPE = pa.struct([
    pa.field("priority_a", pa.string(), nullable=False),
    pa.field("priority_b", pa.string(), nullable=False),
    pa.field("codes", _TAGS_TYPE, nullable=False),
    pa.field("tag_similarity", pa.float64(), nullable=False),
    pa.field("text_similarity", pa.float64(), nullable=False),
    pa.field("strength", pa.float64(), nullable=False),
])
PARTNERS_ARROW = pa.schema([
    _text(PartnerSchema.region_a),
    _text(PartnerSchema.region_name_a),
    _text(PartnerSchema.region_b),
    _text(PartnerSchema.region_name_b),
    pa.field(PartnerSchema.score, pa.float64(), nullable=False),
    _int32(PartnerSchema.matches),
    pa.field(PartnerSchema.shared_codes, _TAGS_TYPE, nullable=False),
    pa.field(PartnerSchema.evidence, pa.list_(pa.field("item", PARTNER_EVIDENCE_TYPE, nullable=False)),
             nullable=False),
])
# `changes` plus the tag added or removed (schemas/theme_changes.py)
THEME_CHANGES_ARROW = pa.schema([
    *CHANGES_ARROW,
    _text(ThemeChangeSchema.dimension),
    _text(ThemeChangeSchema.code),
    _text(ThemeChangeSchema.label),
])
ARROW_SCHEMAS = {
    "priorities": PRIORITIES_ARROW, "sources": SOURCES_ARROW, "changes": CHANGES_ARROW, "current": CURRENT_ARROW,
    "themes": THEMES_ARROW, "partners": PARTNERS_ARROW, "theme_changes": THEME_CHANGES_ARROW,
}
MODELS = {"priorities": PrioritySchema, "sources": SourceSchema, "changes": ChangeSchema, "current": CurrentSchema,
          "themes": ThemeSchema, "partners": PartnerSchema, "theme_changes": ThemeChangeSchema}

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
    "themes": THEME_KEY,
    "partners": PARTNER_KEY,
    "theme_changes": (
        ThemeChangeSchema.region_code, ThemeChangeSchema.level, ThemeChangeSchema.priority_key,
        ThemeChangeSchema.dimension, ThemeChangeSchema.code, ThemeChangeSchema.change, ThemeChangeSchema.source_id,
        ThemeChangeSchema.priority, ThemeChangeSchema.region_name,
    ),
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
# Bump when the canonical serialisation or `data_sources` changes: a version whose manifest
# names another format is fingerprinted again from its files (versions.publish).
FINGERPRINT_FORMAT = "smartspec-priorities-fingerprint/2"


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


# What a column added since a version was published holds when that version is read.
ADDED_COLUMN_DEFAULTS = {"method": METHOD_EXTRACTED}


def read_parquet(path: Path, table: str) -> pd.DataFrame:
    """A published Parquet file as pandas, cast to the dtypes `tables.*_frame` produce.

    A version written before a column was added reads with that column at its default
    (`ADDED_COLUMN_DEFAULTS`), else null."""
    written = set(pq.read_schema(path).names)
    frame = pq.read_table(path, schema=ARROW_SCHEMAS[table]).to_pandas()
    for name, default in ADDED_COLUMN_DEFAULTS.items():
        if name in frame.columns and name not in written:
            frame[name] = default
    return MODELS[table].to_schema().coerce_dtype(frame)


def _row_json(row: dict[str, Any]) -> str:
    return json.dumps(list(row.values()), ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str)


def data_sources(sources: pa.Table) -> pa.Table:
    """The part of `sources` a version is made of: what each document read says, not what the
    run went through. A source that failed without rows to keep (`failed`, `invalid`) adds
    nothing, and the fetch columns go. A `stale` source stays: its rows now come from an older
    copy than raw/ holds, and its row says so until the copy is mended."""
    s = SourceSchema
    kept = sources.filter(pc.invert(pc.is_in(sources[s.status], pa.array(STATUSES_KEEPING_LAST_GOOD))))
    return kept.drop_columns([c for c in RUN_COLUMNS if c in kept.column_names])


def fingerprint_tables(priorities: pa.Table, sources: pa.Table) -> str:
    """sha256 of the canonical rows of the priorities and of the sources' data
    (`data_sources`), both already in `to_arrow` order."""
    digest = hashlib.sha256(FINGERPRINT_FORMAT.encode())
    for name, arrow in (("priorities", priorities), ("sources", data_sources(sources))):
        digest.update(f"\n#{name}\n{arrow.schema.to_string(show_schema_metadata=False)}\n".encode())
        for row in arrow.to_pylist():
            digest.update(_row_json(row).encode() + b"\n")
    return digest.hexdigest()


def data_fingerprint(priorities: pd.DataFrame, sources: pd.DataFrame) -> str:
    """What the data says, hashed: row order, timestamps and code version make no difference."""
    return fingerprint_tables(to_arrow(priorities, "priorities"), to_arrow(sources, "sources"))
