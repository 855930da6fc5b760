"""Scoring extracted priorities against a truth file.

A truth file (JSON, one per document) names the document, its region (`nuts_code`), the
priorities verbatim and in order, other wordings of them (`priority_aliases`), their
sub-priorities, where they are stated and the competing lists a reader may take instead.

An extracted item at the scored level matches a truth priority when its normalised text
(case folded, quotes and dashes unified, punctuation and white space folded) equals the
priority's or one of its aliases', or, failing that, when their rapidfuzz ratio is at least
`FUZZY_MATCH`. Each truth priority matches at most one item. Precision is matched items
over extracted ones, recall matched priorities over truth ones.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from smartspec.extractors.records import PriorityRecord
from smartspec.extractors.lexicon import load_heading_lexicon

FUZZY_MATCH = 90.0
CONTENTS_LABEL = "CONTENTS"
# Languages whose contents headings ("Innehåll", "Table of contents") mark a record as
# taken from a table of contents.
CONTENTS_LANGUAGES = ("en", "sv")
_QUOTES = dict.fromkeys(map(ord, "‘’‚‛′`´“”„‟″«»"), "'")
_LEADERS_RE = re.compile(r"(?:\.\s?){4,}|…{2,}|\t\s*\d{1,4}\s*$")


@dataclass(frozen=True, slots=True)
class Truth:
    document: str
    nuts_code: str
    priorities: tuple[str, ...]
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sub_priorities: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    region: str = ""
    country: str = ""
    language: str = ""
    section_pages: tuple[int, ...] = ()
    section_heading: str = ""
    alternative_lists: tuple[Mapping[str, Any], ...] = ()
    traps: tuple[str, ...] = ()  # items a trap of the document lists (optional key "traps")
    toc_pages: tuple[int, ...] = ()  # optional key "toc_pages"
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Score:
    document: str
    precision: float
    recall: float
    f1: float
    matched: tuple[tuple[str, str], ...]  # (extracted, truth priority)
    missed: tuple[str, ...]  # truth priorities no item matched
    invented: tuple[str, ...]  # extracted items matching no truth priority
    region_ok: bool
    from_toc: int  # records taken from a table of contents
    traps: tuple[str, ...] = ()  # extracted items that match one of the truth's traps
    error: str | None = None  # why nothing was extracted, when extraction failed

    @property
    def extracted(self) -> int:
        return len(self.matched) + len(self.invented)

    @property
    def expected(self) -> int:
        return len(self.matched) + len(self.missed)


@dataclass(frozen=True, slots=True)
class Overall:
    """Micro-averaged over documents: every item counts once."""

    precision: float
    recall: float
    f1: float
    matched: int
    extracted: int
    expected: int
    documents: int
    region_ok: int
    from_toc: int


def load_truth(path: Path | str) -> Truth:
    """Read one truth file. Raises ValueError when a required key is missing."""
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    missing = [key for key in ("document", "nuts_code", "priorities") if key not in data]
    if missing:
        raise ValueError(f"{path}: truth file lacks {', '.join(missing)}")
    section = data.get("priority_section") or {}
    return Truth(
        document=data["document"],
        nuts_code=data["nuts_code"],
        priorities=tuple(data["priorities"]),
        aliases={k: tuple(v) for k, v in (data.get("priority_aliases") or {}).items()},
        sub_priorities={k: tuple(v) for k, v in (data.get("sub_priorities") or {}).items()},
        region=data.get("region", ""),
        country=data.get("country", ""),
        language=data.get("language", ""),
        section_pages=tuple(section.get("pages", ())),
        section_heading=section.get("heading", ""),
        alternative_lists=tuple(data.get("alternative_lists") or ()),
        traps=tuple(_trap_items(data.get("traps"))),
        toc_pages=tuple(data.get("toc_pages") or ()),
        notes=data.get("notes", ""),
    )


def _trap_items(traps: Any) -> Iterable[str]:
    """Trap items however a truth file lists them: strings, or objects with "items"."""
    for trap in traps or ():
        if isinstance(trap, str):
            yield trap
        elif isinstance(trap, Mapping):
            yield from (item for item in trap.get("items", ()) if isinstance(item, str))


def normalise(text: str) -> str:
    """Matching form: NFKC, case folded, quotes unified, punctuation and spaces folded."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = "".join(" " if unicodedata.category(ch)[0] in "PZS" and ch != "'" else ch
                   for ch in text)
    return " ".join(text.replace("'", "").split())


def score(records: Sequence[PriorityRecord], truth: Truth, *, level: int = 1,
          error: str | None = None) -> Score:
    """How well `records` give the truth's priorities at `level` (1 priorities, 2 sub-items)."""
    items = [r.priority for r in records if r.level == level]
    expected = _expected(truth, level)
    pairs, unmatched_items, unmatched_truth = _match(items, expected)
    # nothing expected and nothing extracted is a perfect score (a level without sub-items)
    precision = len(pairs) / len(items) if items else (0.0 if expected else 1.0)
    recall = len(pairs) / len(expected) if expected else (0.0 if items else 1.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    traps = tuple(item for item in items if _matches_any(item, truth.traps)
                  and not any(item == e for e, _ in pairs))
    return Score(
        document=truth.document,
        precision=round(precision, 4), recall=round(recall, 4), f1=round(f1, 4),
        matched=tuple(pairs), missed=tuple(unmatched_truth), invented=tuple(unmatched_items),
        region_ok=bool(records) and all(region_ok(r.region_code, truth.nuts_code) for r in records),
        from_toc=sum(1 for r in records if _from_toc(r, truth)),
        traps=traps,
        error=error,
    )


def region_ok(code: str, truth_code: str) -> bool:
    """Same region: equal codes, or one a prefix of the other (LU and LU000)."""
    return bool(code) and (code.startswith(truth_code) or truth_code.startswith(code))


def overall(scores: Iterable[Score]) -> Overall:
    scores = list(scores)
    matched = sum(len(s.matched) for s in scores)
    extracted = sum(s.extracted for s in scores)
    expected = sum(s.expected for s in scores)
    precision = matched / extracted if extracted else 0.0
    recall = matched / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Overall(round(precision, 4), round(recall, 4), round(f1, 4), matched, extracted,
                   expected, len(scores), sum(1 for s in scores if s.region_ok),
                   sum(s.from_toc for s in scores))


def _expected(truth: Truth, level: int) -> list[tuple[str, tuple[str, ...]]]:
    """(canonical text, its other wordings) of each truth item at `level`."""
    if level == 1:
        return [(p, truth.aliases.get(p, ())) for p in truth.priorities]
    return [(sub, ()) for p in truth.priorities for sub in truth.sub_priorities.get(p, ())]


def _match(items: list[str], expected: list[tuple[str, tuple[str, ...]]]
           ) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    forms = [{normalise(t) for t in (canonical, *aliases)} for canonical, aliases in expected]
    taken: dict[int, int] = {}  # item index -> truth index
    free = set(range(len(expected)))
    for i, item in enumerate(items):  # exact matches first, so a near one cannot steal
        key = normalise(item)
        hit = next((j for j in sorted(free) if key in forms[j]), None)
        if hit is not None:
            taken[i] = hit
            free.discard(hit)
    for i, item in enumerate(items):
        if i in taken:
            continue
        key = normalise(item)
        best = max(((max(fuzz.ratio(key, form) for form in forms[j]), j) for j in free),
                   default=(0.0, None))
        if best[1] is not None and best[0] >= FUZZY_MATCH:
            taken[i] = best[1]
            free.discard(best[1])
    pairs = [(items[i], expected[j][0]) for i, j in sorted(taken.items())]
    return (pairs, [item for i, item in enumerate(items) if i not in taken],
            [expected[j][0] for j in sorted(free)])


def _matches_any(item: str, texts: Iterable[str]) -> bool:
    key = normalise(item)
    return any(key == normalise(t) or fuzz.ratio(key, normalise(t)) >= FUZZY_MATCH for t in texts)


def _from_toc(record: PriorityRecord, truth: Truth) -> bool:
    """Whether a record was taken from a table of contents: its text or its section heading
    has dot leaders or a tab before a page number, its section heading is a contents
    heading, or it stands on a page the truth marks as contents."""
    heading = record.section_heading or ""
    return (bool(_LEADERS_RE.search(record.priority)) or bool(_LEADERS_RE.search(heading))
            or _is_contents_heading(heading) or record.page in truth.toc_pages)


def _is_contents_heading(heading: str) -> bool:
    words = f" {normalise(heading)} "
    return any(f" {normalise(phrase)} " in words for phrase in _contents_phrases())


def _contents_phrases() -> list[str]:
    return [entry["pattern"] for lang in CONTENTS_LANGUAGES for entry in load_heading_lexicon(lang)
            if entry["label"] == CONTENTS_LABEL and isinstance(entry["pattern"], str)]
