"""flows/reports.py: the per-source table and the per-region change summary of a run."""

from __future__ import annotations

from datetime import UTC, datetime

from smartspec.extractors.records import SourceRecord
from smartspec.flows.reports import changes_markdown, source_rows
from smartspec.extractors.records import SourceOutcome
from smartspec.publishing.changes import empty_changes
from smartspec.publishing.tables import typed_frame
from smartspec.schemas.changes import ChangeSchema


def _record(source_id: str, **values) -> SourceRecord:
    base = dict(source_id=source_id, source_file=f"{source_id}.pdf", format="pdf", sha256="a" * 64, bytes=1,
                pages=1, status="ok", error_type=None, error_message=None, region_count=1, priority_count=2)
    return SourceRecord(**{**base, **values})


def test_source_rows_say_how_each_source_was_answered_and_why_it_failed():
    when = datetime(2024, 5, 1, 6, tzinfo=UTC)
    rows = source_rows([
        SourceOutcome(_record("a"), cached=True),
        SourceOutcome(_record("b", status="failed", error_type="UnreadableDocument", error_message="encrypted",
                              region_count=0, priority_count=0)),
        SourceOutcome(_record("c", sha256=None, status="failed", error_message="no snapshot to read",
                              fetch_status="failed", fetch_error="HTTP 404 Not Found", last_fetch_success_at=when)),
    ])
    assert [(r["source_id"], r["outcome"], r["status"]) for r in rows] == [
        ("a", "cached", "ok"), ("b", "extracted", "failed"), ("c", "not read", "failed")]
    assert rows[1]["why"] == "encrypted" and rows[0]["fetch"] == ""
    assert rows[2]["fetch"] == "failed: HTTP 404 Not Found"
    assert rows[2]["last_fetch_success"] == "2024-05-01T06:00:00+00:00"


def test_changes_markdown_lists_additions_and_removals_per_region():
    changes = typed_frame(ChangeSchema, {
        "change": ["added", "removed", "added"], "region_code": ["SE224", "SE224", "SE332"],
        "region_name": ["Skåne", "Skåne", "Norrbotten"], "priority": ["Avancerade material", "Smarta material", "Rymd"],
        "priority_key": ["a", "s", "r"], "level": [1, 1, 2], "source_id": ["deck"] * 3, "version": [2] * 3,
        "previous_version": [1] * 3,
    })
    text = changes_markdown("published", 2, changes)
    assert text.startswith("# Published v2\n")
    assert "Changes since v1" in text
    assert "## Norrbotten (SE332): 1 added, 0 removed" in text
    assert "## Skåne (SE224): 1 added, 1 removed" in text
    assert "- + Avancerade material (`deck`)" in text and "- - Smarta material (`deck`)" in text
    assert "  - + Rymd" in text  # a sub-item is indented
    assert "only the `sources` table changed" in changes_markdown("published", 3, empty_changes())
    assert "nothing was published" in changes_markdown("unchanged", 3, empty_changes())
