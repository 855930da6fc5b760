"""`CHANGELOG.md` at the dataset root: what every version added and removed, newest first.

The changelog is a pure function of the published versions (each one's `manifest.json` and
`changes.parquet`): `write_changelog()` renders it from them and replaces the file, which
`versions.publish()` does on every publish, under the publish lock. A run killed after a version was renamed into place but
before the changelog was written leaves nothing to mend: the next publish writes it again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from smartspec.publishing.changes import ChangedItem, changes_by_region
from smartspec.publishing.layout import TABLE_FILES, THEME_TABLE_FILES
from smartspec.publishing.manifest import complete_manifest, list_versions
from smartspec.publishing.parquet import read_parquet
from smartspec.publishing.storage import replace_file
from smartspec.schemas.changes import CHANGE_ADDED, CHANGE_REMOVED, ChangeSchema

CHANGELOG_FILE = "CHANGELOG.md"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


@dataclass(frozen=True, slots=True)
class VersionChanges:
    """What the changelog says of one version."""

    version: int
    created_at: datetime
    previous_version: int | None
    row_counts: dict[str, int]
    changes: pd.DataFrame
    # why the version exists (publishing/reasons.py); empty for versions published before reasons were kept
    reasons: tuple[str, ...] = ()
    # versions published with theme tags: the tags changed on priorities kept, and the
    # taxonomy (name, version, sha256) of this version and of the previous one
    theme_changes: pd.DataFrame | None = None
    taxonomy: dict[str, str] | None = None
    previous_taxonomy: dict[str, str] | None = None


def _escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _item(kind: str, item: ChangedItem, name_source: bool) -> str:
    notes = [note for note, holds in (("sub-item", item.level > 1), ("curated", item.curated),
                                      (f"from {item.source_id}", name_source)) if holds]
    return f"- {kind}{''.join(f' ({note})' for note in notes)}: {_escape(item.priority)}"


def _section(entry: VersionChanges) -> list[str]:
    kinds = entry.changes["change"].value_counts() if not entry.changes.empty else pd.Series(dtype=int)
    added, removed = int(kinds.get(CHANGE_ADDED, 0)), int(kinds.get(CHANGE_REMOVED, 0))
    counts = entry.row_counts
    since = f"since v{entry.previous_version}" if entry.previous_version is not None else "(first version)"
    lines = [
        f"## v{entry.version} ({entry.created_at.date().isoformat()})",
        "",
        f"{counts.get('priorities', 0)} priorities from {counts.get('sources', 0)} sources; "
        f"{added} added, {removed} removed {since}.",
        "",
    ]
    if entry.previous_version is not None and entry.reasons:
        lines += ["Why:", "", *(f"- {_escape(reason)}" for reason in entry.reasons), ""]
    for region in changes_by_region(entry.changes):
        lines += [f"### {_escape(region.region_name)} ({region.region_code})", ""]
        several = len({item.source_id for item in (*region.added, *region.removed)}) > 1
        lines += [_item(CHANGE_ADDED, item, several) for item in region.added]
        lines += [_item(CHANGE_REMOVED, item, several) for item in region.removed]
        lines.append("")
    return lines + _theme_section(entry)


def _taxonomy_name(taxonomy: dict[str, str]) -> str:
    return f"{taxonomy.get('name', '')} {taxonomy.get('version', '')} (sha256 {taxonomy.get('sha256', '')[:12]})"


def _theme_section(entry: VersionChanges) -> list[str]:
    """The tags the version added to and removed from priorities it kept, by tag."""
    if entry.taxonomy is None:
        return []
    changes = entry.theme_changes if entry.theme_changes is not None else pd.DataFrame()
    lines = ["### Theme tags", ""]
    if entry.previous_taxonomy is None:
        lines.append(f"Tagged with the taxonomy {_escape(_taxonomy_name(entry.taxonomy))}.")
    elif entry.previous_taxonomy.get("sha256") != entry.taxonomy.get("sha256"):
        lines.append(f"The taxonomy changed: {_escape(_taxonomy_name(entry.previous_taxonomy))} -> "
                     f"{_escape(_taxonomy_name(entry.taxonomy))}.")
    if entry.previous_version is None:
        return [*lines, ""]
    kinds = changes["change"].value_counts() if not changes.empty else pd.Series(dtype=int)
    lines += [f"{int(kinds.get(CHANGE_ADDED, 0))} tags added, {int(kinds.get(CHANGE_REMOVED, 0))} removed on "
              "priorities both versions have.", ""]
    if changes.empty:
        return lines
    for (kind, dimension, code, label), rows in changes.groupby(["change", "dimension", "code", "label"], sort=True):
        where = "; ".join(dict.fromkeys(f"{region}: {priority}" for region, priority
                                        in zip(rows["region_name"], rows["priority"], strict=True)))
        lines.append(f"- {kind} {dimension}:{code} {_escape(label)}: {_escape(where)}")
    return [*lines, ""]


def render_changelog(dataset_name: str, versions: Sequence[VersionChanges]) -> str:
    """The whole CHANGELOG.md for these versions (any order given; written newest first)."""
    lines = [
        f"# Changelog: {_escape(dataset_name)}",
        "",
        "Every published version, newest first: its date (UTC), row counts, why it exists and, per",
        "region, the priorities it added and removed against the version before it (naming the",
        "source where a region's changes come from several). Regenerated from each version's",
        "manifest.json and changes.parquet on every publish; do not edit by hand.",
        "",
    ]
    for entry in sorted(versions, key=lambda v: v.version, reverse=True):
        lines += _section(entry)
    return "\n".join(lines).rstrip("\n") + "\n"

def changelog_entries(dataset_dir: Path) -> list[VersionChanges]:
    entries, earlier, taxonomies = [], [], {}
    for info in list_versions(dataset_dir):
        manifest = complete_manifest(info.path) or {}
        changes = read_parquet(info.path / TABLE_FILES["changes"], "changes")
        # manifests written before "previous_version" was recorded: the changes say, else the version before
        stated = changes[ChangeSchema.previous_version].dropna()
        fallback = int(stated.iloc[0]) if not stated.empty else max(earlier, default=None)
        previous = manifest.get("previous_version", fallback)
        theme_changes = info.path / THEME_TABLE_FILES["theme_changes"]
        taxonomies[info.version] = manifest.get("taxonomy")
        entries.append(VersionChanges(
            info.version, info.created_at, previous, manifest.get("row_counts", {}), changes,
            reasons=tuple(manifest.get("reasons", ())),
            theme_changes=read_parquet(theme_changes, "theme_changes") if theme_changes.is_file() else None,
            taxonomy=taxonomies[info.version], previous_taxonomy=taxonomies.get(previous),
        ))
        earlier.append(info.version)
    return entries


def write_changelog(dataset_dir: Path) -> None:
    """Rewrite CHANGELOG.md from the complete versions, if it says anything else. Only call under the lock."""
    text = render_changelog(dataset_dir.name, changelog_entries(dataset_dir))
    target = dataset_dir / CHANGELOG_FILE
    try:
        if target.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass  # missing or unreadable: write it
    replace_file(target, text.encode("utf-8"), "changelog-temp-written")
