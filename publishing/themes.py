"""The theme tables of a version: the tags of its priorities (`themes`), the tags it gave and
took against the version before (`theme_changes`), and what its manifest says of them.

The tags themselves come from `smartspec.extractors.tagging`; the flow finds them (behind a cache) and
hands them here by (language, priority text), so that this module stays free of spaCy.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
from pandera.errors import SchemaErrors

from smartspec.extractors.language import stop_words
from smartspec.publishing.changes import number_within, unpaired
from smartspec.publishing.errors import ValidationFailed
from smartspec.publishing.parquet import ROW_ORDER, read_parquet, to_arrow
from smartspec.publishing.partners import partner_table
from smartspec.publishing.tables import FAILURE_COLUMNS, failure_message, typed_frame
from smartspec.schemas.partners import PartnerSchema
from smartspec.schemas.priorities import PRIORITY_KEY, PrioritySchema
from smartspec.schemas.theme_changes import ThemeChangeSchema
from smartspec.schemas.themes import DIMENSIONS, ThemeSchema
from smartspec.schemas.changes import CHANGE_ADDED, CHANGE_REMOVED, MATCH_KEY

if TYPE_CHECKING:  # only the types: publishing never needs spaCy loaded
    from smartspec.extractors.tagging import ThemeTag
    from smartspec.extractors.themes import Taxonomy

logger = logging.getLogger(__name__)

# The tags of each priority text, by (language, priority).
TagsByText = Mapping[tuple[str, str], Sequence["ThemeTag"]]
# Bump when what the fingerprint covers changes, so old fingerprints never match by accident.
_FINGERPRINT_FORMAT = "smartspec-themes-fingerprint/1"
# A tag of a priority, matched across versions as `changes` matches priorities.
_TAG_KEY = (*MATCH_KEY, "dimension", "code")


@dataclass(frozen=True, slots=True)
class ThemeTables:
    """What `versions.publish()` needs to add themes, partners and theme_changes to a version:
    the validated tags of its priorities and the taxonomy they come from."""

    themes: pd.DataFrame
    taxonomy: Taxonomy


def themes_frame(priorities: pd.DataFrame, tags: TagsByText) -> pd.DataFrame:
    """One row per priority and tag, in the `ThemeSchema` shape."""
    t, p = ThemeSchema, PrioritySchema
    carried = [p.source_id, p.region_code, p.region_name, p.level, p.position, p.priority, p.priority_key,
               p.language]
    columns: dict[str, list[Any]] = {name: [] for name in ThemeSchema.to_schema().columns}
    for row in priorities[carried].itertuples(index=False):
        for tag in tags.get((row.language, row.priority), ()):
            for name in carried:
                columns[name].append(getattr(row, name))
            for name, value in ((t.dimension, tag.dimension), (t.code, tag.code), (t.label, tag.label),
                                (t.evidence, tag.evidence), (t.method, tag.method), (t.rule, tag.rule)):
                columns[name].append(value)
    return typed_frame(ThemeSchema, columns)


def validate_themes(themes: pd.DataFrame, priorities: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """`themes` validated and cast, or `ValidationFailed` naming every bad row.

    Beyond the schema: every row points at a published priority, and its dimension, code and
    label are a category of `taxonomy`.
    """
    themes = themes.reset_index(drop=True)
    cases: list[dict[str, Any]] = []
    try:
        valid = ThemeSchema.validate(themes, lazy=True)
    except SchemaErrors as errors:
        valid = None
        cases += errors.failure_cases.assign(table="themes").to_dict("records")
    if {*PRIORITY_KEY, "dimension", "code", "label"} <= set(themes.columns):
        known = set(priorities[list(PRIORITY_KEY)].astype(object).itertuples(index=False, name=None))
        for index, row in themes.iterrows():
            if tuple(row[list(PRIORITY_KEY)].astype(object)) not in known:
                cases.append(_case("tag points to no published priority", "source_id", row["source_id"], index))
            category = taxonomy.categories.get(f"{row['dimension']}:{row['code']}")
            if category is None:
                cases.append(_case("code is not a category of the taxonomy", "code", row["code"], index))
            elif category.label != row["label"]:
                cases.append(_case("label is not the category's label", "label", row["label"], index))
    if cases:
        located = _locate(pd.DataFrame(cases), themes, priorities)
        raise ValidationFailed(failure_message(located), located)
    assert valid is not None
    return valid


def _case(check: str, column: str, value: Any, index: Any) -> dict[str, Any]:
    return {"table": "themes", "schema_context": "References", "column": column, "check": check,
            "check_number": None, "failure_case": value, "index": index}


def _locate(cases: pd.DataFrame, themes: pd.DataFrame, priorities: pd.DataFrame) -> pd.DataFrame:
    """Each failure with the source_id and page of the theme row it points at."""
    pages = priorities.set_index(list(PRIORITY_KEY))[PrioritySchema.page]
    source_ids, found_pages = [], []
    for index in cases["index"]:
        row = themes.loc[index] if pd.notna(index) and index in themes.index else None
        source_ids.append(None if row is None else str(row[ThemeSchema.source_id]))
        key = None if row is None else tuple(row[list(PRIORITY_KEY)])
        found_pages.append(pages.get(key) if key is not None and key in pages.index else None)
    located = cases.assign(source_id=source_ids, page=pd.array(found_pages, dtype="Int64"))
    return located.reindex(columns=list(FAILURE_COLUMNS)).reset_index(drop=True)


def themes_fingerprint(data_fingerprint: str, themes: pa.Table, taxonomy_sha256: str) -> str:
    """The data fingerprint of a version with themes: its priorities' and sources' one, the
    taxonomy (a new taxonomy is a new version, even if no tag changes) and the tags."""
    digest = hashlib.sha256(f"{_FINGERPRINT_FORMAT}\n{data_fingerprint}\n{taxonomy_sha256}\n".encode())
    digest.update(themes.schema.to_string(show_schema_metadata=False).encode())
    for row in themes.to_pylist():
        digest.update(("\x1f".join(str(value) for value in row.values()) + "\n").encode())
    return digest.hexdigest()


def taxonomy_manifest(taxonomy: Taxonomy) -> dict[str, str]:
    """What a version's manifest says of the taxonomy its tags come from."""
    return {"name": taxonomy.name, "version": taxonomy.version, "sha256": taxonomy.sha256}


def themes_summary(priorities: pd.DataFrame, themes: pd.DataFrame) -> dict[str, Any]:
    """How many priorities got a tag of each dimension, and how many none at all."""
    key = list(PRIORITY_KEY)
    total = len(priorities.drop_duplicates(key))
    tagged = {dimension: len(themes.loc[themes[ThemeSchema.dimension] == dimension, key].drop_duplicates())
              for dimension in DIMENSIONS}
    any_tag = len(themes[key].drop_duplicates())
    return {"priorities": total, "tagged": tagged, "untagged": total - any_tag}


def empty_theme_changes() -> pd.DataFrame:
    return typed_frame(ThemeChangeSchema, {})


def theme_changes_between(
    previous_priorities: pd.DataFrame | None, previous_themes: pd.DataFrame | None,
    priorities: pd.DataFrame, themes: pd.DataFrame, *, version: int, previous_version: int | None,
) -> pd.DataFrame:
    """The tags `version` added to and removed from the priorities it shares with `previous_version`.

    Priorities are matched as `changes` matches them (region_code, level, priority_key), tags
    on (dimension, code), each as a multiset. With no previous version there is nothing to
    compare; a previous version published without themes had no tags.
    """
    if previous_priorities is None:
        return empty_theme_changes()
    previous_themes = previous_themes if previous_themes is not None else themes.iloc[0:0]
    shared = _keys(priorities).merge(_keys(previous_priorities), on=list(MATCH_KEY))
    now, before = _numbered(themes, shared), _numbered(previous_themes, shared)
    added = unpaired(now, before, _TAG_KEY).assign(change=CHANGE_ADDED)
    removed = unpaired(before, now, _TAG_KEY).assign(change=CHANGE_REMOVED)
    both = pd.concat([added, removed], ignore_index=True)
    both["version"] = version
    both["previous_version"] = previous_version
    # `method` says how the priority came about (extracted or curated), as in `changes`; the
    # tag's own method is in `themes`
    methods = priorities.drop_duplicates(list(MATCH_KEY)).set_index(list(MATCH_KEY))[PrioritySchema.method]
    both[ThemeChangeSchema.method] = [methods.get(key) for key in both[list(MATCH_KEY)].itertuples(index=False)]
    changes = typed_frame(ThemeChangeSchema, {name: both[name].tolist() for name in both.columns
                                              if name in ThemeChangeSchema.to_schema().columns})
    logger.info("v%d: %d tags added, %d removed on priorities kept since v%s", version, len(added),
                len(removed), previous_version)
    return changes.sort_values(list(ROW_ORDER["theme_changes"]), kind="stable", ignore_index=True)


def _keys(priorities: pd.DataFrame) -> pd.DataFrame:
    return priorities[list(MATCH_KEY)].astype(object).drop_duplicates()


def _numbered(themes: pd.DataFrame, shared: pd.DataFrame) -> pd.DataFrame:
    carried = [name for name in ThemeChangeSchema.to_schema().columns
               if name in themes.columns and name != ThemeChangeSchema.method]
    rows = themes[carried].astype(object).merge(shared, on=list(MATCH_KEY))
    return number_within(rows, _TAG_KEY, (ThemeSchema.source_id, ThemeSchema.priority))


def theme_version_tables(
    themes: ThemeTables, priorities: pd.DataFrame, current: pd.DataFrame, previous_priorities: pd.DataFrame | None,
    previous_themes: Path | None, *, version: int, previous_version: int | None,
) -> tuple[dict[str, pa.Table], dict[str, Any]]:
    """The partners and theme_changes tables of `version`, and what its manifest says of the themes.

    `previous_themes` is the previous version's themes.parquet (missing when that version was
    published without themes).
    """
    before = read_parquet(previous_themes, "themes") if previous_themes is not None and previous_themes.is_file() else None
    order = {tag: index for index, tag in enumerate(themes.taxonomy.categories)}
    partners = partner_table(themes.themes, current, themes.taxonomy.partners, stop_words=stop_words, tag_order=order)
    changes = theme_changes_between(previous_priorities, before, priorities, themes.themes,
                                    version=version, previous_version=previous_version)
    tables = {
        "partners": to_arrow(PartnerSchema.validate(partners), "partners"),
        "theme_changes": to_arrow(ThemeChangeSchema.validate(changes), "theme_changes"),
    }
    described = {"taxonomy": taxonomy_manifest(themes.taxonomy), "themes": themes_summary(priorities, themes.themes)}
    return tables, described
