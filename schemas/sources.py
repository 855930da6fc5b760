"""The contract of `sources.parquet`: exactly one row per raw file, whatever became of it.

Columns are exactly the fields of `smartspec.extractors.records.SourceRecord`, in that order.
Refer to a column as `SourceSchema.status`.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from smartspec.schemas.priorities import SHA256

from smartspec.schemas.vocabulary import (
    CURATION_STALE,
    CURATION_STATES,
    ENCODINGS,
    FETCH_FAILED,
    FETCH_STATUSES,
    SCOPES,
    STATUS_OK,
    STATUSES,
)

# Columns that say what a run's fetch did, not what the data is: a version's rows carry
# them as the run that published it saw them, the run record (runs.jsonl) every run's; a
# change in them alone is no reason for a new version.
RUN_COLUMNS = ("fetch_status", "fetch_error", "fetched_at", "last_fetch_success_at")


class SourceSchema(pa.DataFrameModel):
    source_id: Series[str] = pa.Field(unique=True, str_length={"min_value": 1})
    source_file: Series[str] = pa.Field(str_length={"min_value": 1})
    format: Series[str] = pa.Field(str_length={"min_value": 1})
    # A file that went missing or could not be opened has no hash.
    sha256: Series[str] = pa.Field(nullable=True, str_matches=SHA256)
    bytes: Series[int] = pa.Field(ge=0)
    pages: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    status: Series[str] = pa.Field(isin=list(STATUSES))
    error_type: Series[str] = pa.Field(nullable=True)
    error_message: Series[str] = pa.Field(nullable=True)
    region_count: Series[int] = pa.Field(ge=0)
    priority_count: Series[int] = pa.Field(ge=0)
    url: Series[str] = pa.Field(nullable=True, str_matches=r"^https?://")
    publisher: Series[str] = pa.Field(nullable=True)
    published: Series[pa.DateTime] = pa.Field(nullable=True)
    scope: Series[str] = pa.Field(nullable=True, isin=list(SCOPES))
    region_evidence: Series[str] = pa.Field(nullable=True)
    # The renditions of one document (same folder and stem, another suffix) share it; a
    # source with none has its own source_id.
    document_id: Series[str] = pa.Field(str_length={"min_value": 1})
    # Whether the renditions read yielded the same level-1 priority keys for each region;
    # null where fewer than two renditions yielded priorities.
    renditions_agree: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    fetch_status: Series[str] = pa.Field(nullable=True, isin=list(FETCH_STATUSES))
    fetch_error: Series[str] = pa.Field(nullable=True)
    fetched_at: Series[pd.DatetimeTZDtype("us", "UTC")] = pa.Field(nullable=True)
    last_fetch_success_at: Series[pd.DatetimeTZDtype("us", "UTC")] = pa.Field(nullable=True)
    curation: Series[str] = pa.Field(nullable=True, isin=list(CURATION_STATES))
    curation_message: Series[str] = pa.Field(nullable=True)
    review_candidates: Series[str] = pa.Field(nullable=True)
    # Text exports: the encoding the text was decoded from (a BOM, else strict UTF-8, else Windows-1252).
    encoding: Series[str] = pa.Field(nullable=True, isin=list(ENCODINGS))
    # What a user should know about how the file was read, short of a failure (a suffix that
    # names another format than the content has).
    notes: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check(error="status is not ok but error_message is empty")
    def _failure_explained(cls, df: pd.DataFrame) -> Series[bool]:
        explained = df[cls.error_message].fillna("").str.strip().str.len() > 0
        return (df[cls.status] == STATUS_OK) | explained

    @pa.dataframe_check(error="fetch failed but fetch_error is empty")
    def _fetch_failure_explained(cls, df: pd.DataFrame) -> Series[bool]:
        explained = df[cls.fetch_error].fillna("").str.strip().str.len() > 0
        return (df[cls.fetch_status] != FETCH_FAILED) | explained

    @pa.dataframe_check(error="curation is stale but curation_message is empty")
    def _stale_curation_explained(cls, df: pd.DataFrame) -> Series[bool]:
        explained = df[cls.curation_message].fillna("").str.strip().str.len() > 0
        return (df[cls.curation] != CURATION_STALE) | explained

    @pa.dataframe_check(error="status is ok but sha256 is null")
    def _ok_has_hash(cls, df: pd.DataFrame) -> Series[bool]:
        return (df[cls.status] != STATUS_OK) | df[cls.sha256].notna()
