"""What a run reports besides its data: the per-source status table and the summary of
changes per region, as the flow's Prefect artifacts show them. Plain functions."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from smartspec.extractors.records import SourceOutcome
from smartspec.schemas.changes import CHANGE_ADDED, CHANGE_REMOVED
from smartspec.schemas.changes import ChangeSchema as C

# Artifact keys: lower-case letters, digits and dashes (Prefect's rule).
SOURCES_ARTIFACT = "smartspec-sources"
CHANGES_ARTIFACT = "smartspec-changes"
REPORT_ARTIFACT = "smartspec-report"


def source_rows(outcomes: Sequence[SourceOutcome]) -> list[dict[str, str | int]]:
    """One row per source: how it was answered, its status and why, and its fetch."""
    rows = []
    for outcome in outcomes:
        record = outcome.source
        fetch = ""
        if record.fetch_status is not None:
            fetch = record.fetch_status if not record.fetch_error else f"{record.fetch_status}: {record.fetch_error}"
        rows.append({
            "source_id": record.source_id,
            "outcome": outcome.outcome,
            "status": record.status,
            "why": record.error_message or "",
            "fetch": fetch,
            "last_fetch_success": record.last_fetch_success_at.isoformat(timespec="seconds")
            if record.last_fetch_success_at else "",
            "regions": record.region_count,
            "priorities": record.priority_count,
        })
    return rows


def changes_markdown(status: str, version: int | None, changes: pd.DataFrame) -> str:
    """Markdown: what the published version added and removed, region by region."""
    if status != "published":
        return f"# No new version\n\nThe data equal v{version}; nothing was published.\n"
    previous = changes[C.previous_version].dropna()
    if len(previous):
        since = f"v{int(previous.iloc[0])}"
    else:  # a first version, or one that changed no priority (the frame is empty either way)
        since = "the previous version" if changes.empty else "an empty dataset"
    lines = [f"# Published v{version}", ""]
    if changes.empty:
        lines.append(f"No priority added or removed since {since}: only the `sources` table changed "
                     "(a source's status, fetch or metadata) or priorities moved.")
        return "\n".join(lines) + "\n"
    lines.append(f"Changes since {since}, by region:")
    for (code, name), group in changes.groupby([C.region_code, C.region_name], sort=True):
        added = int((group[C.change] == CHANGE_ADDED).sum())
        removed = int((group[C.change] == CHANGE_REMOVED).sum())
        lines += ["", f"## {name} ({code}): {added} added, {removed} removed", ""]
        for row in group.itertuples(index=False):
            sign = "+" if getattr(row, C.change) == CHANGE_ADDED else "-"
            indent = "  " * (int(getattr(row, C.level)) - 1)
            lines.append(f"{indent}- {sign} {getattr(row, C.priority)} (`{getattr(row, C.source_id)}`)")
    return "\n".join(lines) + "\n"


def failure_markdown(message: str) -> str:
    return f"# Validation failed\n\nNothing was published.\n\n{message}\n"
