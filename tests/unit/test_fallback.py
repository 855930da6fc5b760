"""running/fallback.py: last good rows for a source that fails, quarantine for invalid rows."""

from __future__ import annotations

import dataclasses
import hashlib

from smartspec.extractors.records import PriorityRecord, SourceRecord
from smartspec.running.fallback import keep_last_good, last_good, quarantine
from smartspec.extractors.records import SourceOutcome
from smartspec.publishing import ValidationFailed, priorities_frame, publish, sources_frame, validate

GOOD_SHA = hashlib.sha256(b"good deck").hexdigest()
BAD_SHA = hashlib.sha256(b"bad deck").hexdigest()
CODES = {"SE332", "SE224"}


def _priority(text: str, position: int, source_id: str = "deck", code: str = "SE332") -> PriorityRecord:
    return PriorityRecord(
        region_code=code, region_name="Norrbotten", country="SE", priority=text, priority_key=text.lower(),
        position=position, level=1, parent_position=None, language="sv", source_id=source_id,
        source_file=f"{source_id}.pptx", source_sha256=GOOD_SHA, page=4, bbox=(10.0, 20.0, 30.0, 40.0),
        region_match="exact", section_heading="Norrbotten", section_confidence=None,
    )


def _outcome(source_id: str, priorities: tuple[PriorityRecord, ...], **changes) -> SourceOutcome:
    record = SourceRecord(
        source_id=source_id, source_file=f"{source_id}.pptx", format="pptx", sha256=GOOD_SHA, bytes=100, pages=8,
        status="ok", error_type=None, error_message=None, region_count=1, priority_count=len(priorities),
    )
    return SourceOutcome(dataclasses.replace(record, **changes), priorities)


def _published(tmp_path, outcomes: list[SourceOutcome]):
    priorities, sources = validate(priorities_frame([p for o in outcomes for p in o.priorities]),
                                   sources_frame([o.source for o in outcomes]), region_codes=CODES)
    publish(priorities, sources, tmp_path / "priorities", code_version="test", inputs={})
    return tmp_path / "priorities"


def test_a_failing_source_keeps_the_rows_of_its_last_good_copy(tmp_path):
    good = (_priority("Rymdteknik", 1), _priority("Gruvnäring", 2))
    dataset = _published(tmp_path, [_outcome("deck", good)])
    failure = _outcome("deck", (), sha256=BAD_SHA, bytes=50, pages=None, status="failed",
                       error_type="UnreadableDocument", error_message="truncated or damaged file: cut short",
                       region_count=0, priority_count=0)
    [stale] = keep_last_good([failure], last_good(dataset))
    assert stale.priorities == good  # the same records, read back from Parquet
    assert (stale.source.status, stale.source.sha256, stale.source.pages, stale.source.priority_count) == (
        "stale", GOOD_SHA, 8, 2)
    assert stale.source.error_message == (
        f"truncated or damaged file: cut short; keeping the 2 priorities of its last good copy (sha256 {GOOD_SHA[:12]})")
    no_priorities = dataclasses.replace(failure, source=dataclasses.replace(failure.source, status="no_priorities"))
    assert keep_last_good([no_priorities], last_good(dataset)) == [no_priorities]  # read fine: the content changed


def test_rows_that_fail_validation_quarantine_their_source_not_the_run(tmp_path):
    deck = _outcome("deck", (_priority("Rymdteknik", 1),))
    other = _outcome("other", (_priority("Mystery", 1, source_id="other", code="XX999"),))
    try:
        validate(priorities_frame([*deck.priorities, *other.priorities]),
                 sources_frame([deck.source, other.source]), region_codes=CODES)
    except ValidationFailed as failure:
        outcomes = quarantine([deck, other], failure)
    assert outcomes[0] == deck
    assert (outcomes[1].source.status, outcomes[1].source.error_type, outcomes[1].priorities) == (
        "invalid", "ValidationFailed", ())
    assert outcomes[1].source.error_message == (
        "validation failed, quarantined: 1 failed check: priorities: region code is not in the gazetteer "
        "(source other, page 4)")
    validate(priorities_frame([p for o in outcomes for p in o.priorities]),
             sources_frame([o.source for o in outcomes]), region_codes=CODES)  # the rest publish
