"""The contract of `theme_changes.parquet`: tags a version added to or removed from priorities
that it shares with the version before it.

Priorities are matched as in `changes` (region_code, level, priority_key); a priority added or
removed is in `changes` and its tags are not repeated here. A version published after the
taxonomy changed lists each tag the change gave or took.
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from smartspec.schemas.changes import ChangeSchema
from smartspec.schemas.themes import DIMENSIONS


class ThemeChangeSchema(ChangeSchema):
    """`ChangeSchema` (columns and checks) plus the tag that was added or removed."""

    dimension: Series[str] = pa.Field(isin=list(DIMENSIONS))
    code: Series[str] = pa.Field(str_length={"min_value": 1})
    label: Series[str] = pa.Field(str_length={"min_value": 1})
