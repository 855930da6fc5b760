"""The contract of `current.parquet`: per region, the priorities of its newest authoritative source.

A region may be covered by several sources: its own strategy, an overview deck that lists
many regions, older or newer editions of either, and renditions of one document in
several formats (`x.pdf`, `x.pptx`: one `document_id`). `current` keeps, for each region,
the priority rows of exactly one of them, chosen by this rule, in order:

0. among the renditions of one document, only the one whose extraction is the most
   confident for the region (the highest mean `section_confidence` of its rows; a row
   without one, from an overview's region heading, counts as 1.0); on a tie, the rules below;
1. a region's own strategy (source scope "region") before an overview ("overview");
2. then the newest `published` date first (a source without a date comes after dated ones);
3. then the smallest `source_id`, so that ties always break the same way.

A source's scope is the one extraction recorded in `sources.scope` (an overview: region
headings over lists, for two regions or more; else a region's own strategy); where it is
missing, a source whose priorities name more than one region (`region_count > 1`) counts as
an overview, any other as a region's own strategy.

Columns are those of `priorities`, then `source_scope` (the scope the rule used) and
`source_published` (the source's date, or null).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from smartspec.schemas.priorities import PrioritySchema
from smartspec.schemas.vocabulary import SCOPES


class CurrentSchema(PrioritySchema):
    """`PrioritySchema` (columns, checks and key) plus the two facts the rule chose by."""

    source_scope: Series[str] = pa.Field(isin=list(SCOPES))
    source_published: Series[pa.DateTime] = pa.Field(nullable=True)

    @pa.dataframe_check(error="a region's current priorities come from more than one source")
    def _one_source_per_region(cls, df: pd.DataFrame) -> Series[bool]:
        return df.groupby(cls.region_code)[cls.source_id].transform("nunique") <= 1
