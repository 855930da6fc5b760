"""What the report says, from tables: the sources in the order a curator works through them,
the extraction method where the version records it, and themes only when they are usable."""

from __future__ import annotations

import pandas as pd

from smartspec.extractors.regions import load_gazetteer
from smartspec.extractors.records import PriorityRecord, SourceRecord
from smartspec.publishing import current_priorities, priorities_frame, sources_frame
from smartspec.publishing.changes import empty_changes
from smartspec.reporting.content import report_content


def _source(source_id: str, status: str = "ok", message: str | None = None, **values) -> SourceRecord:
    return SourceRecord(
        source_id=source_id, source_file=f"{source_id}.docx", format="docx", sha256="0" * 64, bytes=10,
        pages=3, status=status, error_type=None if status == "ok" else "X", error_message=message,
        region_count=0, priority_count=0, document_id=source_id, **values,
    )


def _gotland(text: str, position: int) -> PriorityRecord:
    return PriorityRecord(
        region_code="SE214", region_name="Gotland", country="SE", priority=text, priority_key=text.lower(),
        position=position, level=1, parent_position=None, language="sv", source_id="gotland",
        source_file="gotland.docx", source_sha256="0" * 64, page=2, bbox=None, region_match="exact",
    )


def _content(priorities: pd.DataFrame, sources: pd.DataFrame, themes: pd.DataFrame | None = None,
             current: pd.DataFrame | None = None):
    return report_content(
        version=1, previous_version=None, code_version="1", priorities=priorities,
        current=current_priorities(priorities, sources) if current is None else current, sources=sources,
        changes=empty_changes(),
        gazetteer=load_gazetteer(), themes=themes,
    )


def test_sources_needing_review_then_failed_then_other_problems_then_ok():
    sources = sources_frame([
        _source("a-ok"), _source("b-no-text", "no_text", "no text layer"),
        _source("c-review", "needs_review", "two lists score alike"), _source("d-failed", "failed", "empty file"),
        _source("e-fetch", fetch_status="failed", fetch_error="HTTP 404"), _source("f-failed", "failed", "damaged"),
        _source("gotland"),
    ])
    content = _content(priorities_frame([_gotland("Besöksnäring", 1)]), sources)
    assert [s.source_id for s in content.sources] == [
        "c-review", "d-failed", "f-failed", "b-no-text", "e-fetch", "a-ok", "gotland",
    ]


def test_the_method_column_is_shown_and_extracted_where_a_frame_lacks_it():
    priorities = priorities_frame([_gotland("Besöksnäring", 1), _gotland("Livsmedel", 2)])
    sources = sources_frame([_source("gotland")])
    current = current_priorities(priorities, sources)
    unrecorded = _content(priorities.drop(columns="method"), sources, current=current.drop(columns="method"))
    assert {i.method for i in unrecorded.regions[0].current} == {"extracted"}
    curated = priorities.assign(method=["curated", "extracted"])
    assert [i.method for i in _content(curated, sources).regions[0].current] == ["curated", "extracted"]


def test_a_themes_table_without_the_expected_columns_is_left_out():
    priorities = priorities_frame([_gotland("Besöksnäring", 1)])
    sources = sources_frame([_source("gotland")])
    odd = pd.DataFrame({"region_code": ["SE214"], "theme": ["tourism"]})
    content = _content(priorities, sources, themes=odd)
    assert [m.key for m in content.measures] == ["priorities"]
    assert content.regions[0].current[0].themes == ()
    assert dict(content.measures[0].counts) == {"SE214": 1}
