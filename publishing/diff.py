"""What changed between any two published versions, per region: `smartspec diff A B`.

The priorities of A and B are compared as `changes.py` compares consecutive versions (on
region_code, level and priority_key), so `diff 3 4` says what v4's changes.parquet says.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from smartspec.publishing.changes import changes_between, changes_by_region
from smartspec.publishing.errors import VersionNotFound
from smartspec.publishing.versions import latest_version, read_table

_VERSION_NAME = re.compile(r"^v?([1-9][0-9]*)$", re.IGNORECASE)
LATEST = "latest"


def parse_version(name: str, dataset_dir: Path) -> int:
    """"3", "v3" or "latest" -> 3; raises VersionNotFound for anything else."""
    if name.strip().lower() == LATEST:
        number = latest_version(dataset_dir)
        if number is None:
            raise VersionNotFound(f"{dataset_dir} has no published version")
        return number
    match = _VERSION_NAME.match(name.strip())
    if match is None:
        raise VersionNotFound(f"{name!r} is not a version: give a number, v<number> or {LATEST!r}")
    return int(match.group(1))


def diff_versions(dataset_dir: Path, old: int, new: int) -> pd.DataFrame:
    """The changes (ChangeSchema rows) that turn version `old`'s priorities into version `new`'s."""
    before = read_table(dataset_dir, "priorities", old)
    after = read_table(dataset_dir, "priorities", new)
    return changes_between(before, after, version=new, previous_version=old)


def diff_lines(changes: pd.DataFrame, old: int, new: int) -> list[str]:
    """The changes as text: a summary line, then per region "+ added" and "- removed" lines."""
    regions = changes_by_region(changes)
    added = sum(len(region.added) for region in regions)
    removed = sum(len(region.removed) for region in regions)
    if not regions:
        return [f"v{old} -> v{new}: no priority added or removed"]
    lines = [f"v{old} -> v{new}: {added} added, {removed} removed in {len(regions)} "
             f"region{'' if len(regions) == 1 else 's'}"]
    for region in regions:
        lines.append(f"{region.region_name} ({region.region_code})")
        for sign, items in (("+", region.added), ("-", region.removed)):
            lines += [f"  {'  ' * (item.level - 1)}{sign} {item.priority}{' (curated)' if item.curated else ''}"
                      for item in items]
    return lines
