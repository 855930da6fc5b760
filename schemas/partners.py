"""The contract of `partners.parquet`: how much each pair of regions' priorities have in common.

One row per ordered pair of regions (A, B), A != B, both directions, so that a region's
partners are `where region_a = ...`. `score` (0-1) is the same both ways; `evidence` lists,
from A's side, the pairs of priorities that make it: which priority of A matches which of B,
through which shared tags, how alike their words are, and how strong the pair is.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from smartspec.schemas.priorities import NUTS_CODE

PARTNER_KEY = ("region_a", "region_b")
# The fields of each `evidence` item.
EVIDENCE_FIELDS = ("priority_a", "priority_b", "codes", "tag_similarity", "text_similarity", "strength")


class PartnerSchema(pa.DataFrameModel):
    region_a: Series[str] = pa.Field(str_matches=NUTS_CODE)
    region_name_a: Series[str] = pa.Field(str_length={"min_value": 1})
    region_b: Series[str] = pa.Field(str_matches=NUTS_CODE)
    region_name_b: Series[str] = pa.Field(str_length={"min_value": 1})
    score: Series[float] = pa.Field(ge=0.0, le=1.0)
    matches: Series[int] = pa.Field(ge=0)
    shared_codes: Series[object]
    evidence: Series[object]

    class Config:
        strict = True
        coerce = True
        unique = list(PARTNER_KEY)

    @pa.dataframe_check(error="a region is paired with itself")
    def _two_regions(cls, df: pd.DataFrame) -> Series[bool]:
        return df[cls.region_a] != df[cls.region_b]

    @pa.check("shared_codes", element_wise=True, error="shared_codes is not a list of tags")
    def _codes_are_tags(cls, value: object) -> bool:
        return _is_list(value) and all(isinstance(tag, str) and ":" in tag for tag in value)

    @pa.check("evidence", element_wise=True, error="evidence is not a list of priority pairs")
    def _evidence_items(cls, value: object) -> bool:
        return _is_list(value) and all(isinstance(item, dict) and set(item) == set(EVIDENCE_FIELDS) for item in value)

    @pa.dataframe_check(error="matches is not the number of evidence items")
    def _matches_counted(cls, df: pd.DataFrame) -> Series[bool]:
        return df[cls.evidence].map(len) == df[cls.matches]


def _is_list(value: object) -> bool:
    """A list as pandas or pyarrow hands it over (a list, or a numpy array read from Parquet)."""
    return hasattr(value, "__len__") and not isinstance(value, str | bytes | dict)
