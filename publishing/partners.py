"""The `partners` table: for every pair of regions, how much their current priorities share.

Two regions are compared on their `current` priorities (one source per region). A pair of
priorities, one of each region, is as strong as their tags and their words are alike:

- tags: the share of the narrower priority's tags that the other has too (the weighted
  overlap coefficient: shared / the smaller of own A and own B; pattern and implied tags
  only, as a parent tag such as a NACE section says too little); a tag weighs
  ln(1 + regions / regions having it), so that sharing a rare tag counts for more than
  sharing a common one. "Energi" and "Hållbar energi och miljöteknik" share all of what
  "Energi" is about;
- words: rapidfuzz's token_sort_ratio of their lemma keys without stop words (0-1), counted
  only from `text_min`;
- strength = 1 - (1 - tag_weight * tags) * (1 - text_weight * words): either may make a
  pair ("Hälsa och sjukvård" and "Välfärd och hälsa" through their tags, two untagged
  priorities through their words), both make it stronger.

A region's score against another is the mean, over its priorities, of each one's strongest
pair in the other region, averaged over both directions, so it is symmetric. The evidence
names each priority's strongest pair that is at least `evidence_min` strong, strongest first.
The weights are data (`partners` in extractors/themes.taxonomy.yml).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from smartspec.publishing.tables import typed_frame
from smartspec.schemas.current import CurrentSchema
from smartspec.schemas.partners import PartnerSchema
from smartspec.schemas.themes import METHOD_PARENT, ThemeSchema
from smartspec.schemas.priorities import PRIORITY_KEY

if TYPE_CHECKING:  # only the type: publishing never needs spaCy loaded
    from smartspec.extractors.themes import PartnerScoring

logger = logging.getLogger(__name__)

# Decimals kept of every similarity and score: the same data give the same bytes everywhere.
DECIMALS = 4


def partner_table(
    themes: pd.DataFrame, current: pd.DataFrame, scoring: PartnerScoring, *,
    stop_words: Callable[[str], frozenset[str]], tag_order: Mapping[str, int],
) -> pd.DataFrame:
    """Both directions of every pair of regions in `current`, with score and evidence.

    `stop_words(language)` gives the words left out of the text comparison; `tag_order`
    ranks tags ("nace:C21") as the taxonomy lists them, for the order of `codes`.
    """
    c = CurrentSchema
    if current.empty:
        return typed_frame(PartnerSchema, {})
    rows = current.sort_values([c.region_code, c.source_id, c.level, c.position], kind="stable")
    rows = rows.reset_index(drop=True)
    regions = list(dict.fromkeys(rows[c.region_code]))
    names = dict(zip(rows[c.region_code], rows[c.region_name], strict=True))
    tags = _tags_of(rows, themes)
    weights = _tag_weights(tags, rows[c.region_code].tolist(), len(regions))
    strength, tag_sim, text_sim = _pair_strengths(rows, tags, weights, scoring, stop_words)

    records: dict[str, list[Any]] = {name: [] for name in PartnerSchema.to_schema().columns}
    members = {region: np.flatnonzero(rows[c.region_code].to_numpy() == region) for region in regions}
    for a in regions:
        for b in regions:
            if a == b:
                continue
            ia, ib = members[a], members[b]
            block = strength[np.ix_(ia, ib)]
            score = (block.max(axis=1).mean() + block.max(axis=0).mean()) / 2
            evidence = _evidence(ia, ib, block, rows, tags, tag_sim, text_sim, scoring, tag_order)
            shared = sorted({code for item in evidence for code in item["codes"]}, key=tag_order.__getitem__)
            for name, value in ((PartnerSchema.region_a, a), (PartnerSchema.region_name_a, names[a]),
                                (PartnerSchema.region_b, b), (PartnerSchema.region_name_b, names[b]),
                                (PartnerSchema.score, round(float(score), DECIMALS)),
                                (PartnerSchema.matches, len(evidence)), (PartnerSchema.shared_codes, shared),
                                (PartnerSchema.evidence, evidence)):
                records[name].append(value)
    logger.info("partners: %d regions, %d pairs", len(regions), len(records[PartnerSchema.region_a]))
    return typed_frame(PartnerSchema, records)


def _tags_of(rows: pd.DataFrame, themes: pd.DataFrame) -> list[frozenset[str]]:
    """Each current priority's tags ("nace:C21"), parent tags left out."""
    kept = themes[themes[ThemeSchema.method] != METHOD_PARENT]
    by_priority: dict[tuple, set[str]] = {}
    for row in kept[[*PRIORITY_KEY, ThemeSchema.dimension, ThemeSchema.code]].itertuples(index=False, name=None):
        by_priority.setdefault(row[:len(PRIORITY_KEY)], set()).add(f"{row[-2]}:{row[-1]}")
    keys = rows[list(PRIORITY_KEY)].itertuples(index=False, name=None)
    return [frozenset(by_priority.get(key, ())) for key in keys]


def _tag_weights(tags: Sequence[frozenset[str]], regions: Sequence[str], region_count: int) -> dict[str, float]:
    having: dict[str, set[str]] = {}
    for found, region in zip(tags, regions, strict=True):
        for tag in found:
            having.setdefault(tag, set()).add(region)
    return {tag: math.log(1 + region_count / len(owners)) for tag, owners in having.items()}


def _pair_strengths(
    rows: pd.DataFrame, tags: Sequence[frozenset[str]], weights: Mapping[str, float], scoring: PartnerScoring,
    stop_words: Callable[[str], frozenset[str]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(strength, tag similarity, text similarity) of every pair of current priorities."""
    vocabulary = sorted(weights)
    column = {tag: index for index, tag in enumerate(vocabulary)}
    has = np.zeros((len(tags), len(vocabulary)))
    for index, found in enumerate(tags):
        for tag in found:
            has[index, column[tag]] = 1.0
    tag_weights = np.array([weights[tag] for tag in vocabulary])
    shared = (has * tag_weights) @ has.T  # the weight of the tags both have
    own = has @ tag_weights
    narrower = np.minimum(own[:, None], own[None, :])
    tag_sim = np.divide(shared, narrower, out=np.zeros_like(shared), where=narrower > 0)

    keys = [" ".join(w for w in key.split() if w not in stop_words(language))
            for key, language in zip(rows[CurrentSchema.priority_key], rows[CurrentSchema.language], strict=True)]
    text_sim = process.cdist(keys, keys, scorer=fuzz.token_sort_ratio, dtype=np.float64, workers=1) / 100
    text_sim[text_sim < scoring.text_min] = 0.0
    strength = 1 - (1 - scoring.tag_weight * tag_sim) * (1 - scoring.text_weight * text_sim)
    return strength.round(DECIMALS), tag_sim.round(DECIMALS), text_sim.round(DECIMALS)


def _evidence(
    ia: np.ndarray, ib: np.ndarray, block: np.ndarray, rows: pd.DataFrame, tags: Sequence[frozenset[str]],
    tag_sim: np.ndarray, text_sim: np.ndarray, scoring: PartnerScoring, tag_order: Mapping[str, int],
) -> list[dict[str, Any]]:
    """Each priority's strongest pair in the other region (both ways), if strong enough; strongest first."""
    pairs = {(i, int(block[i].argmax())) for i in range(len(ia))}
    pairs |= {(int(block[:, j].argmax()), j) for j in range(len(ib))}
    chosen = sorted((p for p in pairs if block[p] >= scoring.evidence_min), key=lambda p: (-block[p], p))
    priority = rows[CurrentSchema.priority]
    items = []
    for i, j in chosen:
        a, b = int(ia[i]), int(ib[j])
        items.append({
            "priority_a": str(priority[a]), "priority_b": str(priority[b]),
            "codes": sorted(tags[a] & tags[b], key=tag_order.__getitem__),
            "tag_similarity": float(tag_sim[a, b]), "text_similarity": float(text_sim[a, b]),
            "strength": float(block[i, j]),
        })
    return items


def partner_lines(partners: pd.DataFrame, region_code: str, *, top: int, version: int,
                  labels: Mapping[str, str]) -> list[str]:
    """`smartspec partners`: the `top` best partners of a region, best first, each with the
    tags it shares and the pairs of priorities that match. `labels` names tags ("nace:C21")."""
    p = PartnerSchema
    rows = partners[partners[p.region_a] == region_code]
    rows = rows.sort_values([p.score, p.matches, p.region_b], ascending=[False, False, True], kind="stable")
    if rows.empty:
        return [f"{region_code} has no current priorities in v{version}, so no partners"]
    name = rows[p.region_name_a].iloc[0]
    shown = rows[rows[p.matches] > 0].head(top)
    lines = [f"Partners of {name} ({region_code}) in v{version}, best first: {len(shown)} of "
             f"{len(rows)} regions (those with matching priorities, at most {top})"]
    for rank, row in enumerate(shown.itertuples(index=False), start=1):
        lines.append(f"{rank:>2}. {row.region_name_b} ({row.region_b})  score {row.score:.2f}, "
                     f"{row.matches} matching priorit{'y' if row.matches == 1 else 'ies'}")
        shared = "; ".join(f"{tag} {labels.get(tag, '')}".rstrip() for tag in row.shared_codes)
        if shared:
            lines.append(f"    shared: {shared}")
        for item in row.evidence:
            why = ", ".join(item["codes"])
            if item["text_similarity"] > 0:
                why = f"{why}; words {item['text_similarity']:.2f}" if why else f"words {item['text_similarity']:.2f}"
            lines.append(f"    {item['priority_a']}  ~  {item['priority_b']}  ({item['strength']:.2f}: {why})")
    return lines
