"""Finding the parts of a document that list priorities.

A document covering many regions (an agency's overview deck) is read as a sequence of region
sections: a heading that names a region opens that region's section; its list items are the
region's priorities, up to the next region heading or a heading of the same or higher rank
that is not a region. A heading that repeats the heading the section sits under (the title
repeated on every slide of a map, with a "(forts.)" or not) is a running title and closes nothing,
so a region whose bullets go on over a slide break keeps them. A heading that names a region
before a bracketed remark ("Värmland (forts.)", "Skåne (forts.) och Blekinge") heads that
region: the remark says the region's list goes on.

A table row whose first filled cell names a region (a two-column "Region | Areas" table) is that
region's section: each line of the cells to its right is one item, its bullet glyph kept apart
as the item's marker.

A single region's own strategy is read differently (`smartspec.extractors.candidates`): its priority
section is found by the words of its heading. Those words live in the heading lexicons beside
this module, `sections.headings.<lang>.jsonl`, in spaCy's pattern format (`label`, `pattern`,
`id`): `load_heading_lexicon(lang)` reads and checks one, and `HeadingMatcher` matches all of a
language's patterns on lemmas, so "Styrkeområdena" matches "styrkeområde" and "AREAS OF
STRENGTH" matches "area of strength". A string pattern is a phrase, lemmatised with the same
lemmatiser as the text it is matched against; a token pattern is a spaCy Matcher pattern.
Labels: PRIORITY and THEME name a list of priorities (THEME less surely); GOAL, ACTOR,
ACTION, CONTENTS, SUMMARY, SCENARIO, SWOT, BACKGROUND and ANNEX name lists that are not.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from spacy.errors import MatchPatternError
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from smartspec.extractors.document import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, TITLE, Block
from smartspec.extractors.errors import ReferenceDataError
from smartspec.extractors.nlp import LEMMA_PIPE
from smartspec.extractors.normalise import collapse_whitespace, split_marker
from smartspec.extractors.regions import RegionMatch

logger = logging.getLogger(__name__)

HEADINGS_FILE = "sections.headings.{lang}.jsonl"
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
# A word unknown to the lemma table is lemmatised as a compound: its longest ending that the
# table knows is lemmatised ("styrkeområdena" -> "styrke" + "område"). Shortest parts tried:
MIN_COMPOUND_HEAD = 2
MIN_COMPOUND_TAIL = 4
_TOKEN_KEYS = frozenset({"LEMMA", "LOWER", "ORTH", "TEXT", "NORM", "IS_ALPHA", "IS_DIGIT",
                         "IS_PUNCT", "OP", "LENGTH"})

RegionMatcher = Callable[[str], "RegionMatch | None"]


@dataclass(frozen=True, slots=True)
class Section:
    """A run of list items that belongs to one region, under the heading that opened it."""

    region: RegionMatch
    heading: Block
    items: tuple[Block, ...]


@dataclass(slots=True)
class _OpenSection:
    region: RegionMatch
    heading: Block
    rank: int
    parent: str  # the nearest heading above the region heading, in comparable form
    items: list[Block]
    # set when a list item names the region: the section ends at the next item this shallow
    item_level: int | None = None

    def close(self) -> Section:
        return Section(self.region, self.heading, tuple(self.items))


# The rank of a list item that names a region over its sub-items: below every heading.
ITEM_RANK = 100


def heading_rank(block: Block) -> int | None:
    """The rank of a heading-like block (1 highest), or None for body text.

    A short bold paragraph is a heading in all but name: decks and PDFs often set region
    names that way.
    """
    if block.kind == TITLE:
        return 1
    if block.kind == HEADING:
        return max(block.level, 1)
    if block.kind == PARAGRAPH and block.bold and len(block.text) <= 80:
        return 99
    return None


def find_region_sections(
    blocks: Sequence[Block], match_region: RegionMatcher, *, max_heading_chars: int
) -> list[Section]:
    """Split a many-region document into region sections (see the module docstring)."""
    sections: list[Section] = []
    current: _OpenSection | None = None
    headings: list[tuple[int, str]] = []  # the open heading path: (rank, comparable text)

    def heading_region(text: str) -> RegionMatch | None:
        if len(text) > max_heading_chars:
            return None
        return match_region(text) or _region_before_remark(text, match_region)

    for index, block in enumerate(blocks):
        if block.kind == TABLE_CELL:
            row = _region_row(blocks, index, heading_region)
            if row is not None:
                if current is not None:
                    sections.append(current.close())
                    current = None
                sections.append(row)
            continue
        if block.kind == LIST_ITEM and _heads_sub_items(blocks, index):
            region = heading_region(block.text)
            if region is not None:  # a bullet naming a region, its areas as sub-bullets
                if current is not None:
                    sections.append(current.close())
                parent = headings[-1][1] if headings else ""
                current = _OpenSection(region, block, ITEM_RANK, parent, [], item_level=block.level)
                continue
        rank = heading_rank(block)
        if rank is None:
            if current is not None and block.kind == LIST_ITEM:
                if current.item_level is not None and block.level <= current.item_level:
                    sections.append(current.close())  # the next bullet of the regions' level
                    current = None
                else:
                    current.items.append(block)
            continue
        text = _comparable(block.text)
        region = heading_region(block.text)
        if region is not None:
            if current is not None:
                sections.append(current.close())
            parent = next((t for r, t in reversed(headings) if r < rank), "")
            current = _OpenSection(region, block, rank, parent, [])
            logger.debug("%s p.%d: region heading %r -> %s (%s)", block.provenance.source_id,
                         block.provenance.page, block.text, region.region.code, region.match)
            continue
        if current is not None and rank <= current.rank:
            if text and current.parent and text.startswith(current.parent):
                continue  # the title the regions sit under, repeated on the next slide
            sections.append(current.close())
            current = None
        headings = [(r, t) for r, t in headings if r < rank] + [(rank, text)]
    if current is not None:
        sections.append(current.close())
    return sections


def _heads_sub_items(blocks: Sequence[Block], index: int) -> bool:
    """Whether the list item `blocks[index]` is followed by items nested under it."""
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    return (following is not None and following.kind == LIST_ITEM
            and following.level > blocks[index].level)


def _region_before_remark(text: str, match_region: RegionMatcher) -> RegionMatch | None:
    """The region named before a bracketed remark: "Värmland (forts.)" -> Värmland."""
    head, bracket, _ = text.partition("(")
    if not bracket or not head.strip():
        return None
    return match_region(head.strip())


def _region_row(blocks: Sequence[Block], index: int,
                heading_region: Callable[[str], RegionMatch | None]) -> Section | None:
    """The section of the table row whose first filled cell, `blocks[index]`, names a region;
    None when it is not the first cell of its row or names no region."""
    cell = blocks[index]
    if cell.row is None or "\n" in cell.text.strip():
        return None
    if index and _same_row(blocks[index - 1], cell):
        return None  # not the row's first cell
    region = heading_region(cell.text.strip())
    if region is None:
        return None
    items: list[Block] = []
    for other in blocks[index + 1:]:
        if not _same_row(other, cell):
            break
        if "\n" not in other.text.strip() and heading_region(other.text.strip()) is not None:
            continue  # a column naming the region's country or county: no area
        items += cell_items(other)
    return Section(region, cell, tuple(items))


def _same_row(block: Block, cell: Block) -> bool:
    return block.kind == TABLE_CELL and block.container == cell.container and block.row == cell.row


def cell_items(cell: Block) -> list[Block]:
    """Each line of a table cell as a list item, its bullet glyph or number as the marker."""
    items = []
    for line in cell.text.split("\n"):
        marker, rest = split_marker(line)
        rest = rest.strip()
        if rest:
            items.append(dataclasses.replace(cell, text=rest, kind=LIST_ITEM, level=1,
                                             marker=marker, row=cell.row))
    return items


def _comparable(text: str) -> str:
    """Heading text for repeat detection: case-folded, trailing colons and stops dropped.

    A repeat may add a suffix ("... (forts.)", "... cont'd"), so callers compare by prefix.
    """
    return collapse_whitespace(text).casefold().rstrip(":. ")


# ---- heading lexicons --------------------------------------------------------------------

@functools.cache
def load_heading_lexicon(lang: str) -> tuple[dict[str, Any], ...]:
    """The bundled heading lexicon for `lang`, checked; () when there is none for `lang`.

    Raises ReferenceDataError when the file exists but is malformed.
    """
    name = HEADINGS_FILE.format(lang=lang)
    resource = files("smartspec.extractors").joinpath(name)
    if not resource.is_file():
        return ()
    try:
        text = resource.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ReferenceDataError(name, "reference", f"cannot read: {e}") from e
    return parse_heading_lexicon(text, name)


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


@dataclass(frozen=True, slots=True)
class HeadingLabel:
    """A lexicon pattern found in a heading: its label, pattern id and the words matched."""

    label: str
    pattern_id: str
    text: str


class HeadingMatcher:
    """Finds heading-lexicon patterns in short texts, on lemmas (see the module docstring).

    Built once per run and language from a pipeline and its lexicon(s). Only the pipeline's
    tokenizer and lemma table are used. Lemmas of the words met are memoised on the instance.
    """

    def __init__(self, nlp: Language, lexicon: Iterable[dict[str, Any]], *, name: str = "lexicon"):
        self.nlp = nlp
        lemmatizer = nlp.get_pipe(LEMMA_PIPE) if nlp.has_pipe(LEMMA_PIPE) else None
        self._lemmas: dict[str, Any] = lemmatizer.lemmas if lemmatizer is not None else {}
        self._lemmatizer = lemmatizer
        self._memo: dict[str, str] = {}
        self.matcher = Matcher(nlp.vocab, validate=True)
        self._ids: dict[int, str] = {}
        for entry in lexicon:
            pattern = self._token_pattern(entry["pattern"])
            key = f"{entry['label']}|{entry['id']}"
            try:
                self.matcher.add(key, [pattern])
            except (MatchPatternError, ValueError) as e:
                raise ReferenceDataError(name, "reference",
                                         f"pattern {entry['id']!r}: {e}") from e

    def lemma(self, word: str) -> str:
        """The casefolded end of `word`'s lemma chain (`LemmaLookup.final_lemma`); a compound
        unknown to the table by its ending."""
        folded = _casefold(word)
        lemma = self._memo.get(folded)
        if lemma is None:
            lemma = self._memo[folded] = self._lemma(folded)
        return lemma

    def _lemma(self, word: str) -> str:
        if self._lemmatizer is None:
            return word
        if word in self._lemmas:
            word = self._lemmatizer.final_lemma(word)
            if word in self._lemmas:
                return word
        # the word, or the end of its chain, is unknown to the table: read it as a compound
        for cut in range(MIN_COMPOUND_HEAD, len(word) - MIN_COMPOUND_TAIL + 1):
            tail = word[cut:]
            if tail in self._lemmas and word[:cut].isalpha():
                return word[:cut] + self._lemmatizer.final_lemma(tail)
        return word

    def _token_pattern(self, pattern: str | list[dict[str, Any]]) -> list[dict[str, Any]]:
        if isinstance(pattern, str):
            return [{"LEMMA": self.lemma(token.text)} for token in self.nlp.make_doc(pattern)
                    if not (token.is_space or token.is_punct)]
        return [{key: self._lemma_value(value) if key == "LEMMA" else value
                 for key, value in token.items()} for token in pattern]

    def _lemma_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.lemma(value)
        if isinstance(value, dict):
            return {op: [self.lemma(v) for v in vs] if isinstance(vs, list) else vs
                    for op, vs in value.items()}
        return value

    def labels(self, texts: Iterable[str]) -> list[tuple[HeadingLabel, ...]]:
        """For each text, the patterns found in it, in text order. Overlapping matches keep
        the longest (then the first) among the heading labels, and apart from them among the
        evidence labels: "Smart specialisation areas" is both S3 evidence and a PRIORITY name."""
        found = []
        for doc in self.nlp.tokenizer.pipe(texts):
            self._set_lemmas(doc)
            matches = [(self.nlp.vocab.strings[key], start, end) for key, start, end in self.matcher(doc)]
            kept = []
            for evidence in (False, True):
                spans = {(start, end): key for key, start, end in matches
                         if (key.split("|", 1)[0] in EVIDENCE_LABELS) is evidence}
                kept += [(span, spans[(span.start, span.end)])
                         for span in filter_spans([doc[start:end] for start, end in spans])]
            found.append(tuple(HeadingLabel(*key.split("|", 1), span.text)
                               for span, key in sorted(kept, key=lambda pair: pair[0].start)))
        return found

    def _set_lemmas(self, doc: Doc) -> None:
        for token in doc:
            token.lemma_ = self.lemma(token.text)


def heading_matcher(nlp: Language, langs: Sequence[str]) -> HeadingMatcher:
    """A matcher over the lexicons of `langs` (those that exist), built with `nlp`."""
    lexicon = [entry for lang in dict.fromkeys(langs) for entry in load_heading_lexicon(lang)]
    return HeadingMatcher(nlp, lexicon, name=HEADINGS_FILE.format(lang="/".join(langs)))


def _casefold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()
