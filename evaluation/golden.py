"""A recorded baseline of what each PDF gives, and whether a new reading is the same or better.

`outcome()` reads and extracts one document as the evaluation harness does and keeps what a
user sees of it: the status and, per region, the ordered priorities with their nesting (a
sub-item indented two spaces), plus its F1 against a truth file where one exists. `judge()`
compares a new outcome with the recorded one: against truth, a higher F1 is better and a
lower one worse; without truth, the same items, or the recorded items kept in order with
more found around them, or a status nearer `ok`. tests/system/test_corpus_baseline.py runs it
over the corpora; `UPDATE_GOLDEN=1` records the baseline again (review the diff).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartspec.evaluation.corpus_scoring import Prediction, load_truths, score_document
from smartspec.evaluation.scoring import load_truth, score
from smartspec.extractors.errors import ExtractionError
from smartspec.extractors.extract import Toolkit, extract
from smartspec.extractors.readers import read_document
from smartspec.extractors.records import PriorityRecord
from smartspec.inputs.sources import source_id

# Statuses from worst to best: a document moving up this list gives more of its priorities.
STATUS_RANK = ("failed", "no_text", "region_unresolved", "no_priorities", "needs_review", "ok")


@dataclass(frozen=True, slots=True)
class Verdict:
    judgement: str  # "same", "better" or "worse"
    reason: str


def truth_files(pdf: Path) -> tuple[Path | None, Path | None]:
    """The truth beside a PDF (`x.pdf.truth.json`, corpus format) or in its folder's
    `truth/` (`truth/x.pdf.json`, harness format), where there is one."""
    beside = pdf.with_name(pdf.name + ".truth.json")
    under = pdf.parent / "truth" / f"{pdf.name}.json"
    return (beside if beside.is_file() else None), (under if under.is_file() else None)


def outcome(path: Path, toolkit: Toolkit) -> dict[str, Any]:
    """The status, priorities per region and F1 (None without truth) of one document."""
    records: Sequence[PriorityRecord] = ()
    try:
        document = read_document(path, source_id=source_id(path.name))
        records = extract(document, toolkit, source_file=path.name).records
        status = "ok"
    except ExtractionError as e:
        status = e.status
    regions: dict[str, list[str]] = {}
    for record in records:
        regions.setdefault(record.region_code, []).append("  " * (record.level - 1) + record.priority)
    return {"status": status, "regions": regions, "f1": _f1(path, records)}


def _f1(path: Path, records: Sequence[PriorityRecord]) -> float | None:
    beside, under = truth_files(path)
    if beside is not None:
        truth = load_truths(beside.parent)[path.name]
        predictions = [Prediction(path.name, r.region_code, r.priority, r.level) for r in records]
        return round(score_document(truth, predictions).f1, 4)
    if under is not None:
        return score(records, load_truth(under)).f1
    return None


def judge(recorded: dict[str, Any], found: dict[str, Any]) -> Verdict:
    """Whether `found` gives the same, better or worse priorities than `recorded`."""
    if found["status"] == recorded["status"] and found["regions"] == recorded["regions"]:
        return Verdict("same", "the same priorities")
    if recorded["f1"] is not None and found["f1"] is not None:
        if found["f1"] != recorded["f1"]:
            judgement = "better" if found["f1"] > recorded["f1"] else "worse"
            return Verdict(judgement, f"F1 against truth {recorded['f1']} -> {found['f1']}")
        return Verdict("same", f"other items, the same F1 against truth ({found['f1']})")
    old, new = STATUS_RANK.index(recorded["status"]), STATUS_RANK.index(found["status"])
    if old != new:
        return Verdict("better" if new > old else "worse", f"status {recorded['status']} -> {found['status']}")
    kept = all(code in found["regions"] and _in_order(items, found["regions"][code])
               for code, items in recorded["regions"].items())
    if kept:
        return Verdict("better", "the recorded priorities, in order, and more")
    return Verdict("worse", "recorded priorities lost or reordered")


def _in_order(items: list[str], within: list[str]) -> bool:
    rest = iter(within)
    return all(item in rest for item in items)


def load(path: Path) -> dict[str, dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))


def save(path: Path, outcomes: dict[str, dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(dict(sorted(outcomes.items())), ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")
