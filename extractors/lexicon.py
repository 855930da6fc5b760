"""The heading lexicons: the labels a heading can carry, and the words that carry them.

The words live beside this module, `lexicon.headings.<lang>.jsonl`, in spaCy's pattern format
(`label`, `pattern`, `id`): a string pattern is a phrase, lemmatised with the same lemmatiser
as the text it is matched against; a token pattern is a spaCy Matcher pattern.
`load_heading_lexicon(lang)` reads and checks one (`smartspec.extractors.headings` matches
them). Labels: PRIORITY and THEME name a list of priorities (THEME less surely); GOAL, ACTOR,
ACTION, CONTENTS, SUMMARY, SCENARIO, SWOT, BACKGROUND and ANNEX name lists that are not.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from smartspec.extractors.errors import ReferenceDataError
from smartspec.extractors.reference import has_reference, read_reference

HEADINGS_FILE = "lexicon.headings.{lang}.jsonl"
# Labels a heading lexicon may use; POSITIVE ones name a list of priorities.
POSITIVE_LABELS = frozenset({"PRIORITY", "THEME"})
NEGATIVE_LABELS = frozenset({
    "GOAL", "ACTOR", "ACTION", "CONTENTS", "SUMMARY", "SCENARIO", "SWOT", "BACKGROUND", "ANNEX",
})
# Evidence labels: what a list is attributed to. S3 counts for it (smart specialisation, the
# innovation strategy); OTHER_PLAN (another strategy, plan or programme), PREVIOUS (an
# earlier period, or what is not yet in force: a proposal, candidates, themes to discuss, the
# next strategy), CRITERIA (what areas were chosen by) and HORIZONTAL (themes
# that cut across the areas) count against it.
S3_LABEL = "S3"
EVIDENCE_LABELS = frozenset({S3_LABEL, "OTHER_PLAN", "PREVIOUS", "CRITERIA", "HORIZONTAL"})
HEADING_LABELS = POSITIVE_LABELS | NEGATIVE_LABELS | EVIDENCE_LABELS
# Labels that say a heading or an item names something other than a priority.
AGAINST_LABELS = NEGATIVE_LABELS | (EVIDENCE_LABELS - {S3_LABEL})
_TOKEN_KEYS = frozenset({"LEMMA", "LOWER", "ORTH", "TEXT", "NORM", "IS_ALPHA", "IS_DIGIT",
                         "IS_PUNCT", "OP", "LENGTH"})


@functools.cache
def load_heading_lexicon(lang: str) -> tuple[dict[str, Any], ...]:
    """The bundled heading lexicon for `lang`, checked; () when there is none for `lang`.

    Raises ReferenceDataError when the file exists but is malformed.
    """
    name = HEADINGS_FILE.format(lang=lang)
    if not has_reference(name):
        return ()
    return parse_heading_lexicon(read_reference(name), name)


def parse_heading_lexicon(text: str, name: str = "lexicon") -> tuple[dict[str, Any], ...]:
    """Parse and check heading-lexicon JSONL text; every problem is reported with its line."""
    problems: list[str] = []
    entries: list[dict[str, Any]] = []
    seen_ids: dict[str, int] = {}
    seen_patterns: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"line {number}: not JSON ({e.msg})")
            continue
        line_problems = _entry_problems(entry)
        if line_problems:
            problems.extend(f"line {number}: {p}" for p in line_problems)
            continue
        for key, seen, what in ((entry["id"], seen_ids, "id"),
                                (json.dumps(entry["pattern"], sort_keys=True), seen_patterns,
                                 "pattern")):
            if key in seen:
                problems.append(f"line {number}: the same {what} as line {seen[key]}")
            seen.setdefault(key, number)
        entries.append(entry)
    if not entries and not problems:
        problems.append("no patterns")
    if problems:
        raise ReferenceDataError(name, "reference", "; ".join(problems))
    return tuple(entries)


def _entry_problems(entry: Any) -> list[str]:
    if not isinstance(entry, dict):
        return ["not an object"]
    problems = []
    if set(entry) != {"label", "pattern", "id"}:
        problems.append(f"keys must be label, pattern and id, not {', '.join(sorted(entry))}")
    if entry.get("label") not in HEADING_LABELS:
        problems.append(f"unknown label {entry.get('label')!r}")
    if not isinstance(entry.get("id"), str) or not entry.get("id"):
        problems.append("id must be a non-empty string")
    pattern = entry.get("pattern")
    if isinstance(pattern, str):
        if not pattern.strip():
            problems.append("empty pattern")
    elif isinstance(pattern, list) and pattern and all(isinstance(t, dict) for t in pattern):
        keys = {key for token in pattern for key in token}
        if keys - _TOKEN_KEYS:
            problems.append(f"unsupported token keys {', '.join(sorted(keys - _TOKEN_KEYS))}")
    else:
        problems.append("pattern must be a phrase or a list of token objects")
    return problems
