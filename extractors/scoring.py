"""Choosing a single-region document's priority section among its candidates.

Each candidate (`smartspec.extractors.candidates`) gets a score, the sum of named parts whose weights
are the extractor's data (`SectionScoring`, `[section_scoring]` of `weights.extraction.toml`):

- `labels`: the weight of each lexicon label in its heading or lead-in (PRIORITY and THEME
  up, GOAL, ACTOR, ACTION, CONTENTS, SUMMARY, ... down), each label counted once;
  `unlabelled` when it has no label naming a list (a positive one, or S3);
- `context`: the weight of labels on the headings it sits under (a summary, an annex);
- `lead_in`: a sentence ending in ':' that names the list;
- `items`: a plausible number of level-1 items, or too many;
- `sentences` and `negative_items`: the share of items that are long sentences (goals,
  actions) or whose names carry a negative label;
- `toc`: it stands in a table of contents;
- `structure`: its items head descriptions or carry sub-items;
- `restatement`: it lists again, later on, what an earlier candidate listed (a summary
  repeated in the main text, an earlier list superseded): the later statement is preferred;
- `attribution`: what the text introducing the list (`Candidate.lead`) attributes it to:
  smart specialisation, S3, RIS3 or the innovation strategy count for it; another strategy,
  plan or programme, a previous period, selection criteria, goals, actors count against it;
- `clauses`: the share of items that read as clauses or descriptions (a lower-case start, a
  full stop at the end), not as names;
- `document`: the document never mentions smart specialisation or an innovation strategy
  at all: a method description or an action plan that names a region is not its strategy.

The best candidate is taken if it scores at least `min_score`. Its confidence (0-1) grows
with the score and shrinks when the runner-up, listing other items, comes close. When the
runner-up scores within `review_margin` of it, the evidence does not single out one list:
the choice says why it needs review, and nothing is published for the document until a
curator settles it.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from smartspec.extractors.candidates import LEAD_IN_ANCHOR, Candidate
from smartspec.extractors.priorities import has_clause_word
from smartspec.extractors.document import Document
from smartspec.extractors.normalise import collapse_whitespace
from smartspec.extractors.headings import HeadingMatcher
from smartspec.extractors.lexicon import AGAINST_LABELS, POSITIVE_LABELS, S3_LABEL
from smartspec.extractors.weights import SectionScoring

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ScoredCandidate:
    candidate: Candidate
    score: float
    parts: tuple[tuple[str, float], ...]  # the named parts of the score, for logs and tests


@dataclass(frozen=True, slots=True)
class Choice:
    """The section taken, how sure the scorer is of it, and what it was weighed against."""

    chosen: ScoredCandidate
    confidence: float
    ranked: tuple[ScoredCandidate, ...]  # every distinct candidate, best first
    review: str | None = None  # why the evidence does not single out the chosen list


@dataclass(frozen=True, slots=True)
class DocumentContext:
    """What the whole document says that bears on every candidate."""

    # words naming smart specialisation, S3, RIS3, an innovation strategy: 0, or 1 for "some"
    # (the search stops at the first)
    s3_mentions: int
    s3_words: str = ""  # the first such words, for the explanation


def document_context(document: Document, matcher: HeadingMatcher) -> DocumentContext:
    """Whether the document names smart specialisation (see the module docstring): its title,
    then its pages in order, until the first mention; most documents name it on the first."""
    texts = (document.title or "", *(document.page_texts or tuple(b.text for b in document.blocks)))
    for text in texts:
        text = collapse_whitespace(text)
        if not text:
            continue
        found = [label for label in matcher.labels([text])[0] if label.label == S3_LABEL]
        if found:
            return DocumentContext(1, found[0].text)
    return DocumentContext(0)


def score_candidates(candidates: Sequence[Candidate], scoring: SectionScoring,
                     matcher: HeadingMatcher,
                     context: DocumentContext | None = None) -> list[ScoredCandidate]:
    """Every candidate with its score, in document order; candidates with the same items as
    a better-scored one are left out."""
    negative_names = _negative_names(candidates, matcher)
    restated = _restatements(candidates, scoring)
    label_weights = dict(scoring.label_weights)
    context_weights = dict(scoring.context_weights)
    lead_weights = dict(scoring.lead_weights)
    unmentioned = context is not None and context.s3_mentions == 0
    outlines = _outlines(candidates)
    periods = {id(c): _periods(c) for c in candidates}
    latest = max((period for found in periods.values() for period in found), key=lambda p: (p[1], p[0]),
                 default=None)
    scored = []
    for candidate in candidates:
        names = candidate.label_names
        parts = {
            "labels": sum(label_weights.get(label, 0.0) for label in names),
            "unlabelled": 0.0 if _names_a_list(candidate) else scoring.unlabelled,
            "context": sum(context_weights.get(label, 0.0) for label in candidate.context),
            "lead_in": scoring.lead_in_bonus if candidate.anchor_kind == LEAD_IN_ANCHOR else 0.0,
            "items": _items_part(candidate, scoring),
            "sentences": -scoring.sentence_penalty * _share(candidate, lambda i: i.sentence),
            "negative_items": -scoring.negative_item_penalty * _share(
                candidate, lambda i: i.text in negative_names),
            "toc": -scoring.toc_penalty if candidate.toc else 0.0,
            "structure": scoring.structure_bonus if candidate.described else 0.0,
            "restatement": scoring.restatement_bonus if candidate.index in restated else 0.0,
            "attribution": sum(lead_weights.get(label, 0.0) for label in _lead_only(candidate)),
            "clauses": -scoring.clause_penalty * _share(candidate, _clause),
            "document": -scoring.unmentioned_penalty if unmentioned else 0.0,
            "outline": -scoring.outline_penalty if candidate.index in outlines else 0.0,
            "earlier_period": (label_weights.get("PREVIOUS", 0.0)
                               if _earlier(periods[id(candidate)], latest) else 0.0),
        }
        kept = tuple((name, round(value, 3)) for name, value in parts.items() if value)
        scored.append(ScoredCandidate(candidate, round(sum(parts.values()), 3), kept))
    return _distinct(scored)


def choose_section(candidates: Sequence[Candidate], scoring: SectionScoring,
                   matcher: HeadingMatcher, context: DocumentContext | None = None) -> Choice | None:
    """The best candidate if it scores at least `min_score`, else None."""
    return decide(rank(score_candidates(candidates, scoring, matcher, context)), scoring)


def rank(scored: Sequence[ScoredCandidate]) -> tuple[ScoredCandidate, ...]:
    """Scored candidates best first; equal scores in document order."""
    return tuple(sorted(scored, key=lambda s: (-s.score, s.candidate.index)))


def decide(ranked: tuple[ScoredCandidate, ...], scoring: SectionScoring) -> Choice | None:
    """The choice among ranked candidates (see `choose_section`)."""
    if not ranked or ranked[0].score < scoring.min_score:
        return None
    best = ranked[0]
    rival = next((s for s in ranked[1:] if not _same_list(s.candidate, best.candidate, scoring)),
                 None)
    confidence = 1.0 / (1.0 + math.exp(-(best.score - scoring.min_score) / scoring.confidence_scale))
    if rival is not None and scoring.confidence_margin > 0:
        margin = max(best.score - rival.score, 0.0)
        confidence *= 0.5 + 0.5 * min(margin / scoring.confidence_margin, 1.0)
    review = None
    if rival is not None and rival.score >= scoring.min_score \
            and best.score - rival.score < scoring.review_margin:
        review = (f"two lists score alike ({best.score:.1f} and {rival.score:.1f}, less than "
                  f"{scoring.review_margin:g} apart)")
    return Choice(best, round(confidence, 3), ranked, review)


def _lead_only(candidate: Candidate) -> tuple[str, ...]:
    """The labels of the list's lead text that its anchor's own words do not already carry."""
    own = set(candidate.label_names)
    return tuple(dict.fromkeys(label.label for label in candidate.lead_labels
                               if label.label not in own))


def _names_a_list(candidate: Candidate) -> bool:
    """Whether the candidate's heading names a list of priorities: one of a strategy's words
    for one (a positive label), or a sentence introducing the list that ties it to smart
    specialisation ("Our smart specialisation strategy focuses on:"); a heading that only
    names the strategy ("RIS3 Northern Netherlands") does not."""
    names = set(candidate.label_names)
    return bool(POSITIVE_LABELS & names) or (S3_LABEL in names
                                             and candidate.anchor_kind == LEAD_IN_ANCHOR)


def _outlines(candidates: Sequence[Candidate]) -> set[int]:
    """Anchors of candidates whose items are mostly the headings of other candidates: the
    outline of a part of the document, not a list."""
    anchors = {id(c.anchor) for c in candidates}
    return {c.index for c in candidates
            if c.level1 and sum(id(i.block) in anchors for i in c.level1) * 2 >= len(c.level1)}


_PERIOD = re.compile(r"\b((?:19|20)\d\d)(?:\s*[-–—/]\s*((?:19|20)?\d\d))?\b")


def _periods(candidate: Candidate) -> list[tuple[int, int]]:
    """The periods ("2014-2020", "2021–27") and years ("adopted in 2015", a period of one
    year) the list's heading and lead text name."""
    found = []
    for start, end in _PERIOD.findall(f"{candidate.heading} {candidate.lead}"):
        end = int(start) if not end else int(end) if len(end) == 4 else int(start[:2] + end)
        if end >= int(start):
            found.append((int(start), end))
    return found


def _earlier(periods: list[tuple[int, int]], latest: tuple[int, int] | None) -> bool:
    """Whether every year a candidate's heading and lead name (`periods`) lies before the
    latest period any candidate names: "Domains in the 2014-2020 strategy", "The strategy
    adopted in 2015" beside "For 2021–2027"; a list that also names a year of that period is
    not earlier."""
    return latest is not None and bool(periods) and max(end for _, end in periods) < latest[0]


def _clause(item) -> bool:
    """An item that reads as a clause or a description, not a name: it starts in lower case,
    ends with a full stop or a semicolon (the whole item, before a run-in name was cut), or
    holds a word that only clauses hold (a personal pronoun, a finite auxiliary: "We are
    focusing on ...", "Regionen ska ...")."""
    text = collapse_whitespace(item.block.text if not item.run_in else item.text)
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and (letters[0].islower() or text.endswith((".", ";"))
                              or has_clause_word(item.text))




def _items_part(candidate: Candidate, scoring: SectionScoring) -> float:
    count = len(candidate.level1)
    if count < scoring.items_min:
        return -scoring.items_ok
    if count > scoring.items_max:
        return scoring.items_too_many
    return scoring.items_ok


def _share(candidate: Candidate, test) -> float:
    level1 = candidate.level1
    return sum(1 for item in level1 if test(item)) / len(level1) if level1 else 0.0


def _negative_names(candidates: Sequence[Candidate], matcher: HeadingMatcher) -> set[str]:
    """Item names that are mostly a negative label ("Goals", "Aktörer", "Summary"): the
    items of a contents list or of a list of other things, not priorities."""
    names = sorted({item.text for c in candidates for item in c.level1})
    negative = set()
    for name, labels in zip(names, matcher.labels(names)):
        covered = sum(len(label.text) for label in labels if label.label in AGAINST_LABELS)
        if covered * 2 >= len(name.strip()):
            negative.add(name)
    return negative


def _restatements(candidates: Sequence[Candidate], scoring: SectionScoring) -> set[int]:
    """Anchors of candidates that list again, from other blocks, what an earlier one listed."""
    later = set()
    for i, first in enumerate(candidates):
        for second in candidates[i + 1:]:
            if second.index > first.index and not second.toc and _overlap(first, second, scoring):
                later.add(second.index)
    return later


def _overlap(a: Candidate, b: Candidate, scoring: SectionScoring) -> bool:
    blocks_a = {id(item.block) for item in a.level1}
    names_a = [item.text.casefold() for item in a.level1]
    names_b = [item.text.casefold() for item in b.level1 if id(item.block) not in blocks_a]
    shorter = min(len(a.level1), len(b.level1))
    if not shorter or not names_b:
        return False
    matched = sum(1 for name in names_b if _like_any(name, names_a, scoring))
    return matched / shorter >= scoring.restatement_overlap


def _like_any(name: str, others: list[str], scoring: SectionScoring) -> bool:
    """Whether one of `others` has the words of `name` (token set ratio at least
    `restatement_similarity`), compared in rapidfuzz's own loop."""
    return process.extractOne(name, others, scorer=fuzz.token_set_ratio,
                              score_cutoff=scoring.restatement_similarity) is not None


def _same_list(a: Candidate, b: Candidate, scoring: SectionScoring) -> bool:
    """Whether two candidates list the same priorities (from the same blocks or not)."""
    if {id(i.block) for i in a.level1} == {id(i.block) for i in b.level1}:
        return True
    names_b = [i.text.casefold() for i in b.level1]
    matched = sum(1 for item in a.level1 if _like_any(item.text.casefold(), names_b, scoring))
    shorter = min(len(a.level1), len(b.level1))
    return bool(shorter) and matched / shorter >= scoring.restatement_overlap


def _distinct(scored: list[ScoredCandidate]) -> list[ScoredCandidate]:
    """Candidates reading the very same item blocks are one: the best-scored stays."""
    best: dict[tuple[int, ...], ScoredCandidate] = {}
    for s in scored:
        key = tuple(id(item.block) for item in s.candidate.items)
        if key not in best or s.score > best[key].score:
            best[key] = s
    kept = {id(s) for s in best.values()}
    return [s for s in scored if id(s) in kept]
