"""The contract of `theme_changes.parquet`: tags a version added to or removed from priorities
that it shares with the version before it.

Priorities are matched as in `changes` (region_code, level, priority_key); a priority added or
removed is in `changes` and its tags are not repeated here. A version published after the
taxonomy changed lists each tag the change gave or took.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.changes import CHANGES
from schemas.priorities import LEVELS
from schemas.themes import DIMENSIONS


class ThemeChangeSchema(pa.DataFrameModel):
    change: Series[str] = pa.Field(isin=list(CHANGES))
    region_code: Series[str] = pa.Field(str_length={"min_value": 1})
    region_name: Series[str] = pa.Field(str_length={"min_value": 1})
    priority: Series[str] = pa.Field(str_length={"min_value": 1})
    priority_key: Series[str] = pa.Field(str_length={"min_value": 1})
    level: Series[int] = pa.Field(isin=list(LEVELS))
    source_id: Series[str] = pa.Field(str_length={"min_value": 1})
    dimension: Series[str] = pa.Field(isin=list(DIMENSIONS))
    code: Series[str] = pa.Field(str_length={"min_value": 1})
    label: Series[str] = pa.Field(str_length={"min_value": 1})
    version: Series[int] = pa.Field(ge=1)
    previous_version: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)

    class Config:
        strict = True
        coerce = True
