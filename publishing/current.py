"""The `current` table: per region, the priorities of its newest authoritative source.

For each region, among the sources with priorities for it, the one chosen is:

0. among the renditions of one document (one `document_id`), only the most confident:
   the highest mean `section_confidence` of its rows for the region (a row with none, from
   an overview's region heading, counts as 1.0); ties go on to the rules below;
1. a region's own strategy (scope "region") before an overview deck (scope "overview");
2. then the newest `published` date first; an undated source comes after dated ones;
3. then the smallest `source_id`, a stable tie-break.

The scope is the one extraction recorded in `sources.scope`; where it is missing, a source
whose priorities name more than one region (`region_count > 1`) is an overview and any other
source a region's own strategy. The rule is also written down in `schemas/current.py`.

`current` is derived from the validated `priorities` and `sources` frames alone, so it adds
nothing to the data fingerprint: the same inputs always give the same `current`.
"""

from __future__ import annotations

import logging

import pandas as pd

from smartspec.publishing.parquet import ROW_ORDER
from smartspec.publishing.tables import typed_frame
from smartspec.schemas.current import CurrentSchema
from smartspec.schemas.priorities import PrioritySchema
from smartspec.schemas.sources import SourceSchema
from smartspec.schemas.vocabulary import OVERVIEW_MIN_REGIONS, SCOPE_OVERVIEW, SCOPE_REGION

logger = logging.getLogger(__name__)

_SCOPE_RANK = {SCOPE_REGION: 0, SCOPE_OVERVIEW: 1}
_RANK, _UNDATED, _CONFIDENCE, _DOCUMENT = "_scope_rank", "_undated", "_confidence", "_document_id"
# The confidence of a row with none: an overview's rows come from a heading naming the region.
_UNSCORED_CONFIDENCE = 1.0


def source_scopes(sources: pd.DataFrame) -> pd.Series:
    """Each source's scope, by source_id: the recorded one, else inferred from its region count."""
    by_id = sources.drop_duplicates(SourceSchema.source_id).set_index(SourceSchema.source_id)
    inferred = by_id[SourceSchema.region_count].map(
        lambda count: SCOPE_OVERVIEW if count >= OVERVIEW_MIN_REGIONS else SCOPE_REGION
    )
    configured = by_id[SourceSchema.scope].astype(object)
    return configured.where(configured.notna(), inferred).astype(str)


def chosen_sources(priorities: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """One row per region: region_code, source_id, source_scope, source_published of the chosen source."""
    p, c = PrioritySchema, CurrentSchema
    facts = pd.DataFrame({
        p.source_id: sources[SourceSchema.source_id].astype(object),
        c.source_scope: source_scopes(sources).reindex(sources[SourceSchema.source_id]).to_numpy(dtype=object),
        c.source_published: pd.to_datetime(sources[SourceSchema.published]).to_numpy(),
        _DOCUMENT: sources[SourceSchema.document_id].astype(object).to_numpy(),
    }).drop_duplicates(p.source_id)
    scored = priorities[[p.region_code, p.source_id]].astype(object).assign(
        **{_CONFIDENCE: pd.to_numeric(priorities[p.section_confidence]).fillna(_UNSCORED_CONFIDENCE).to_numpy()}
    )
    pairs = scored.groupby([p.region_code, p.source_id], sort=True, as_index=False)[_CONFIDENCE].mean()
    candidates = pairs.merge(facts, on=p.source_id, how="left", validate="many_to_one")
    candidates[_DOCUMENT] = candidates[_DOCUMENT].fillna(candidates[p.source_id])
    candidates[_CONFIDENCE] = candidates[_CONFIDENCE].round(12)  # the same mean whatever the row order
    candidates[_RANK] = candidates[c.source_scope].map(_SCOPE_RANK)
    candidates[_UNDATED] = candidates[c.source_published].isna()
    rules = [_RANK, _UNDATED, c.source_published, p.source_id]
    directions = [True, True, False, True]
    renditions = candidates.sort_values(
        [p.region_code, _DOCUMENT, _CONFIDENCE, *rules], ascending=[True, True, False, *directions], kind="stable",
    ).groupby([p.region_code, _DOCUMENT], sort=True).head(1)
    ranked = renditions.sort_values([p.region_code, *rules], ascending=[True, *directions], kind="stable")
    chosen = ranked.groupby(p.region_code, sort=True).head(1)
    return chosen[[p.region_code, p.source_id, c.source_scope, c.source_published]].reset_index(drop=True)


def current_priorities(priorities: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The `current` table (CurrentSchema), from validated `priorities` and `sources` frames."""
    p = PrioritySchema
    chosen = chosen_sources(priorities, sources)
    rows = priorities.merge(chosen, on=[p.region_code, p.source_id], how="inner", validate="many_to_one")
    current = typed_frame(CurrentSchema, {name: rows[name].tolist() for name in rows.columns})
    current = current.sort_values(list(ROW_ORDER["current"]), kind="stable", ignore_index=True)
    logger.info("current: %d priorities of %d regions from %d sources", len(current), len(chosen),
                chosen[p.source_id].nunique())
    return CurrentSchema.validate(current, lazy=True)
