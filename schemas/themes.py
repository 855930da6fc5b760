"""The contract of `themes.parquet`: the theme tags of every published priority.

One row per priority and tag: which category of the theme taxonomy (`dimension`, `code`,
`label`) the priority was tagged with, the words of the priority that found it
(`evidence`), and how (`method`, `rule`). A priority that no pattern matches has no row.
Rows point at their priority by `PRIORITY_KEY` (source_id, region_code, level, position).
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from smartspec.schemas.priorities import LEVELS, NUTS_CODE, PRIORITY_KEY

# The taxonomy's dimensions: economic domains (NACE Rev. 2), scientific domains (OECD FORD)
# and policy objectives.
DIMENSION_ECONOMIC = "nace"
DIMENSIONS = (DIMENSION_ECONOMIC, "ford", "objective")
# "pattern": a pattern of the category's terms matched; "implied": a tag found by a pattern
# implies it; "parent": the category is the parent of a tag found (a NACE section, a FORD field).
METHOD_PATTERN, METHOD_IMPLIED, METHOD_PARENT = "pattern", "implied", "parent"
METHODS = (METHOD_PATTERN, METHOD_IMPLIED, METHOD_PARENT)
THEME_KEY = (*PRIORITY_KEY, "dimension", "code")


class ThemeSchema(pa.DataFrameModel):
    source_id: Series[str] = pa.Field(str_length={"min_value": 1})
    region_code: Series[str] = pa.Field(str_matches=NUTS_CODE)
    region_name: Series[str] = pa.Field(str_length={"min_value": 1})
    level: Series[int] = pa.Field(isin=list(LEVELS))
    position: Series[int] = pa.Field(ge=1)
    priority: Series[str] = pa.Field(str_length={"min_value": 1})
    priority_key: Series[str] = pa.Field(str_length={"min_value": 1})
    language: Series[str] = pa.Field(str_length={"min_value": 1})
    dimension: Series[str] = pa.Field(isin=list(DIMENSIONS))
    code: Series[str] = pa.Field(str_length={"min_value": 1})
    label: Series[str] = pa.Field(str_length={"min_value": 1})
    evidence: Series[str] = pa.Field(str_length={"min_value": 1})
    method: Series[str] = pa.Field(isin=list(METHODS))
    rule: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = True
        coerce = True
        unique = list(THEME_KEY)
