"""The contract of `priorities.parquet`: one row per priority area a strategy names.

Columns are exactly the fields of `smartspec.extractors.records.PriorityRecord`, in that order.
`bbox` is one column holding `{x0, top, x1, bottom}` (points, top-left origin) or None;
Parquet stores it as a struct. Refer to a column as `PrioritySchema.region_code`.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from smartspec.schemas.vocabulary import METHOD_CURATED, METHOD_EXTRACTED

# A row is identified by where it came from and where it sits in the list.
PRIORITY_KEY = ("source_id", "region_code", "level", "position")
BBOX_FIELDS = ("x0", "top", "x1", "bottom")
LEVELS = (1, 2)
REGION_MATCHES = ("exact", "alias", "fuzzy", "config", "inferred")
METHODS = (METHOD_EXTRACTED, METHOD_CURATED)

NUTS_CODE = r"^[A-Z]{2}[0-9A-Z]{0,3}$"
COUNTRY_CODE = r"^[A-Z]{2}$"
SHA256 = r"^[0-9a-f]{64}$"
# A published priority has had its list marker removed (`smartspec.extractors.normalise.strip_bullet`):
# no bullet glyph (Symbol/Wingdings private-use ones included) and no "1.", "1)", "(b)", "iv." numbering.
_BULLET_START = re.compile(
    r"^[•◦▪▫■□●○◆◇►▶▸▹➢➤➔→✓✔❖⁃∙·‣\-–—*+"
    r"\uf0b7\uf0a7\uf0d8\uf0fc\uf076\uf0a8\uf0e0\uf0d7\uf02d\uf0be]"
)
_NUMBER_START = re.compile(
    r"^(?:\(?\d{1,3}(?:\.\d{1,3})*[.)]|\(\d{1,3}\)|\(?[a-z][.)]|\(?(?:i{1,3}|iv|v|vi{1,3}|ix|x)[.)])(?:\s|$)",
    re.IGNORECASE,
)


def _bbox_is_ordered(value: Any) -> bool:
    try:
        x0, top, x1, bottom = (float(value[name]) for name in BBOX_FIELDS)
    except (KeyError, TypeError, ValueError):
        return False
    return x0 <= x1 and top <= bottom


class PrioritySchema(pa.DataFrameModel):
    region_code: Series[str] = pa.Field(str_matches=NUTS_CODE)
    region_name: Series[str] = pa.Field(str_length={"min_value": 1})
    country: Series[str] = pa.Field(str_matches=COUNTRY_CODE)
    priority: Series[str] = pa.Field(str_length={"min_value": 1})
    priority_key: Series[str] = pa.Field(str_length={"min_value": 1})
    position: Series[int] = pa.Field(ge=1)
    level: Series[int] = pa.Field(isin=list(LEVELS))
    parent_position: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    language: Series[str] = pa.Field(str_length={"min_value": 1})
    source_id: Series[str] = pa.Field(str_length={"min_value": 1})
    source_file: Series[str] = pa.Field(str_length={"min_value": 1})
    source_sha256: Series[str] = pa.Field(str_matches=SHA256)
    page: Series[int] = pa.Field(ge=1)
    bbox: Series[object] = pa.Field(nullable=True)
    region_match: Series[str] = pa.Field(isin=list(REGION_MATCHES))
    section_heading: Series[str] = pa.Field(nullable=True)
    section_confidence: Series[float] = pa.Field(nullable=True, ge=0.0, le=1.0)
    method: Series[str] = pa.Field(isin=list(METHODS))

    class Config:
        strict = True
        coerce = True
        unique = list(PRIORITY_KEY)

    @pa.check("priority", error="priority starts with a bullet glyph")
    def _no_leading_bullet(cls, series: Series[str]) -> Series[bool]:
        return ~series.str.contains(_BULLET_START)

    @pa.check("priority", error="priority starts with list numbering")
    def _no_leading_number(cls, series: Series[str]) -> Series[bool]:
        return ~series.str.contains(_NUMBER_START)

    @pa.check("priority", error="priority has double or non-space white space")
    def _single_spaced(cls, series: Series[str]) -> Series[bool]:
        return ~series.str.contains(r"\s\s|[^\S ]", regex=True)

    @pa.check("priority", error="priority has leading or trailing white space")
    def _trimmed(cls, series: Series[str]) -> Series[bool]:
        return series == series.str.strip()

    @pa.check("bbox", element_wise=True, error="bbox is not {x0, top, x1, bottom} with x0 <= x1 and top <= bottom")
    def _bbox_ordered(cls, value: Any) -> bool:
        return _bbox_is_ordered(value)

    @pa.dataframe_check(error="parent_position is set on a level-1 row or missing on a level-2 row")
    def _parent_iff_nested(cls, df: pd.DataFrame) -> Series[bool]:
        return df[cls.parent_position].isna() == (df[cls.level] == LEVELS[0])
