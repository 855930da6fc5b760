"""The contract of `changes.parquet`: what a dataset version added or removed per region.

Priorities are matched between versions on (region_code, level, priority_key) as a
multiset, so rewording one priority is one `removed` plus one `added` row and reordering
is no row at all. Version 1 lists every priority as `added`.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from smartspec.schemas.priorities import LEVELS, METHODS

CHANGE_ADDED = "added"
CHANGE_REMOVED = "removed"
CHANGES = (CHANGE_ADDED, CHANGE_REMOVED)
# What makes two priorities "the same" across versions.
MATCH_KEY = ("region_code", "level", "priority_key")


class ChangeSchema(pa.DataFrameModel):
    change: Series[str] = pa.Field(isin=list(CHANGES))
    region_code: Series[str] = pa.Field(str_length={"min_value": 1})
    region_name: Series[str] = pa.Field(str_length={"min_value": 1})
    priority: Series[str] = pa.Field(str_length={"min_value": 1})
    priority_key: Series[str] = pa.Field(str_length={"min_value": 1})
    level: Series[int] = pa.Field(isin=list(LEVELS))
    source_id: Series[str] = pa.Field(str_length={"min_value": 1})
    method: Series[str] = pa.Field(isin=list(METHODS))
    version: Series[int] = pa.Field(ge=1)
    previous_version: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check(error="previous_version is not lower than version")
    def _previous_is_older(cls, df: pd.DataFrame) -> Series[bool]:
        previous = df[cls.previous_version]
        return previous.isna() | (previous < df[cls.version]).fillna(False)
