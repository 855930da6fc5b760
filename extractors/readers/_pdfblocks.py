"""Blocks from a PDF's lines: `group_blocks()` joins wrapped lines into paragraphs and list
items; `classify()` sees the whole document at once: headings by size rank against the body
size, bold or section-numbered lines standing alone, list levels from marker indents.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from smartspec.extractors.document import HEADING, LIST_ITEM, PARAGRAPH, TITLE
from smartspec.extractors.normalise import BULLET_GLYPHS, join_hyphenated
from smartspec.extractors.readers._pdflayout import CID_GLYPH_RE, Column, Line

PARAGRAPH_GAP_EM = 0.3  # white space (ems) over the document's usual line gap that starts a block
MIN_LINE_GAP_EM = 0.6  # the usual gap is never taken as less (ems), so tight text still joins
# Two lines start "at the same indent" when their left edges differ by at most this (pt).
INDENT_TOLERANCE = 3.0
# A marker this many ems before its text is a hanging indent ("•<tab>text"): wraps go under the text.
HANGING_GAP_EM = 1.0
# A first-line indent up to this many ems still belongs to the paragraph below it.
FIRST_LINE_INDENT_EM = 4.0
# A line ending within this many ems of its column's right edge was wrapped, not ended.
FULL_LINE_EM = 2.5
# Sizes within this share of each other are "the same size".
SIZE_TOLERANCE = 0.06
# A block this much larger than the body size is a heading ...
HEADING_SIZE_RATIO = 1.08
# ... if it is no longer than this (characters, lines).
MAX_HEADING_CHARS = 150
MAX_HEADING_LINES = 3
# A bold body-size block stands alone as a heading only when this short.
MAX_BOLD_HEADING_CHARS = 120
MAX_BOLD_HEADING_LINES = 2
# Bold share of a line's characters that makes it wholly bold (not a few bold words in text).
ALL_BOLD_SHARE = 0.9
LEVEL_TOLERANCE = 2.5  # marker positions closer than this (pt) are one nesting level
MIN_NUMBERED_RUN = 2  # this many numbered groups in a row, numbered on, are a list, not headings
SIZE_STEP = 0.5  # sizes are compared rounded to this step (pt) when ranking headings

# Markers that also occur inside running text and may wrap to the start of a line.
_WEAK_MARKER_RE = re.compile(r"^(?:[-–—]|\(?[a-z]{1,4}[.)])$", re.IGNORECASE)
_SIMPLE_NUMBER_RE = re.compile(r"^\(?(\d{1,2}|[a-zA-Z])[.)]$")
_DECIMAL_MARKER_RE = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.$")
# "4.1.1 Innovative materials": a section number of two or more parts before a short title.
_SECTION_NUMBER_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s+\S")
_GLYPHS = frozenset(BULLET_GLYPHS)


@dataclass(slots=True)
class Group:
    """A block in the making: the lines it joins and what it looks like."""

    container: int
    lines: list[Line]
    marker: str = ""
    kind: str = PARAGRAPH
    level: int = 1
    texts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return join_hyphenated("\n".join(self.texts)).replace("\n", " ").strip()

    @property
    def size(self) -> float:
        return self.lines[0].size

    @property
    def bold(self) -> bool:
        return self.lines[0].bold

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (min(ln.x0 for ln in self.lines), min(ln.top for ln in self.lines),
                max(ln.x1 for ln in self.lines), max(ln.bottom for ln in self.lines))


def usual_line_gap(columns_by_page: list[list[Column]], body_size: float) -> float:
    """The document's usual white space between two lines of one paragraph, in ems."""
    gaps = [
        (b.top - a.bottom) / a.size
        for columns in columns_by_page for column in columns
        for a, b in pairwise(column.lines)
        if abs(a.size - body_size) <= SIZE_TOLERANCE * body_size and -0.5 * a.size < b.top - a.bottom < 2 * a.size
    ]
    usual = statistics.median(gaps) if gaps else MIN_LINE_GAP_EM
    return max(MIN_LINE_GAP_EM, usual + PARAGRAPH_GAP_EM)


def group_blocks(columns: list[Column], line_gap_em: float) -> list[Group]:
    """Join each column's wrapped lines into paragraphs and list items."""
    groups: list[Group] = []
    for column in columns:
        right = max(line.x1 for line in column.lines)
        current: Group | None = None
        for line in column.lines:
            if current is not None and _continues(current, line, right, line_gap_em):
                current.lines.append(line)
                current.texts.append(line.text)
                continue
            current = Group(column.container, [line], line.marker, LIST_ITEM if line.marker else PARAGRAPH,
                            texts=[line.rest])
            groups.append(current)
    return groups


def _continues(group: Group, line: Line, right: float, line_gap_em: float) -> bool:
    prev, first = group.lines[-1], group.lines[0]
    full = prev.x1 >= right - FULL_LINE_EM * prev.size
    if line.marker and not (_WEAK_MARKER_RE.match(line.marker) and full and not group.marker
                            and abs(line.x0 - prev.x0) <= INDENT_TOLERANCE):
        return False  # a new item, unless a dash or "(i)" wrapped to the start of a line
    if abs(line.size - prev.size) > SIZE_TOLERANCE * max(line.size, prev.size):
        return False
    if (prev.bold_share >= ALL_BOLD_SHARE) != (line.bold_share >= ALL_BOLD_SHARE) and prev.last_bold != line.first_bold:
        return False  # a bold heading line against regular text (bold running on is fine)
    gap = line.top - prev.bottom
    if gap > line_gap_em * prev.size or line.top - prev.top < 0.5 * prev.size:
        return False
    if group.marker:
        if abs(line.x0 - first.text_x0) <= INDENT_TOLERANCE:
            return True  # wrapped under the item's text
        if first.text_x0 - first.marker_x1 >= HANGING_GAP_EM * first.size:  # "•<tab>text"
            return abs(line.x0 - first.marker_x0) <= INDENT_TOLERANCE and line.text[:1].islower()
        # "15.1. Energy ..." run in: wrapped text may go back under or left of the number
        return line.x0 <= first.marker_x0 + INDENT_TOLERANCE and (full or line.text[:1].islower())
    if abs(line.x0 - prev.x0) <= INDENT_TOLERANCE:
        return True
    if len(group.lines) == 1 and 0 < prev.x0 - line.x0 <= FIRST_LINE_INDENT_EM * prev.size:
        return True  # the paragraph's first line was indented
    return abs((line.x0 + line.x1) - (prev.x0 + prev.x1)) <= 2 * INDENT_TOLERANCE  # centred


# ---- headings and nesting --------------------------------------------------------------

def body_size(columns_by_page: list[list[Column]]) -> float:
    """The most common text size of the document, by characters."""
    counts: Counter[float] = Counter()
    for word in (w for columns in columns_by_page for c in columns for line in c.lines for w in line.words):
        counts[_rounded(word.size)] += len(word.text)
    return counts.most_common(1)[0][0] if counts else 0.0


def classify(groups_by_page: list[list[Group]], body: float, first_page: bool) -> None:
    """Set kind and level on every group: headings by size rank, list items by indent; the
    biggest heading of the first page (when `first_page` says groups_by_page[0] is it) the TITLE."""
    big = [g for groups in groups_by_page for g in groups if _is_big(g, body)]
    ranks = sorted({_rounded(g.size) for g in big}, reverse=True)
    for groups in groups_by_page:
        for group in groups:
            if _is_big(group, body):
                group.kind, group.level = HEADING, ranks.index(_rounded(group.size)) + 1
            elif _is_numbered_heading(group, body):
                group.kind, group.level = HEADING, len(ranks) + 1
            elif group.marker:
                group.kind = LIST_ITEM
            elif _is_bold_heading(group, body):
                group.kind, group.level = HEADING, len(ranks) + 1
            else:
                group.kind, group.level = PARAGRAPH, 1
    _numbered_lists([g for groups in groups_by_page for g in groups])  # a list goes on over a page break
    for groups in groups_by_page:
        _nest(groups)
    if first_page and groups_by_page and big:
        headings = [g for g in groups_by_page[0] if g.kind == HEADING and _is_big(g, body)]
        if headings:
            title = max(headings, key=lambda g: g.size)  # the first of the biggest
            title.kind, title.level = TITLE, 1


def _is_big(group: Group, body: float) -> bool:
    if group.marker and (group.marker[0] in _GLYPHS or CID_GLYPH_RE.match(group.marker)):
        return False  # bulleted text is a list item at any size
    return (group.size >= HEADING_SIZE_RATIO * body and len(group.lines) <= MAX_HEADING_LINES
            and len(group.text) <= MAX_HEADING_CHARS)


def _is_bold_heading(group: Group, body: float) -> bool:
    return (all(line.bold_share >= ALL_BOLD_SHARE for line in group.lines)
            and abs(group.size - body) <= SIZE_TOLERANCE * body
            and len(group.lines) <= MAX_BOLD_HEADING_LINES and len(group.text) <= MAX_BOLD_HEADING_CHARS)


def _is_numbered_heading(group: Group, body: float) -> bool:
    """A lone line "4.1.1 Innovative materials" in body size or smaller: a section heading."""
    line = group.lines[0]
    number = _SECTION_NUMBER_RE.match(line.text)
    title = line.text[number.end() - 1:] if number else ""
    return (len(group.lines) == 1 and title[:1].isupper() and not title.endswith((".", ";", ","))
            and line.size <= body * (1 + SIZE_TOLERANCE) and len(line.text) <= MAX_BOLD_HEADING_CHARS)


def _numbered_lists(groups: list[Group]) -> None:
    """A run of at least MIN_NUMBERED_RUN short groups one after the other in reading order (on
    over a column or page break), numbered or lettered on ("1.", "2." or "a)", "b)"), in one
    size, is a list however large its type: a heading is followed by its text, not a number."""
    def number(group: Group) -> int | None:
        found = _SIMPLE_NUMBER_RE.match(group.marker)
        if not found or len(group.lines) > MAX_HEADING_LINES:
            return None
        value = found.group(1)
        return int(value) if value.isdigit() else ord(value.lower()) - ord("a") + 1

    run: list[Group] = []
    for group in [*groups, None]:
        if group is not None and run and number(group) == number(run[-1]) + 1 \
                and _rounded(group.size) == _rounded(run[-1].size):
            run.append(group)
            continue
        if len(run) >= MIN_NUMBERED_RUN and any(g.kind == HEADING for g in run):
            for member in run:
                member.kind, member.level = LIST_ITEM, 1
        run = [group] if group is not None and number(group) is not None else []


def _nest(groups: list[Group]) -> None:
    """List level from the marker's indent within a run of list items (the leftmost is level 1;
    a run goes on through text indented as far as its outermost marker, "Sub-sectors:" between
    "1." and "a)"); a decimal number is at least as deep as its parts ("15.4." is level 2)."""
    runs: dict[int, list[list[Group]]] = {}
    for group in groups:
        container_runs = runs.setdefault(group.container, [])
        if group.kind == LIST_ITEM:
            if not container_runs or not container_runs[-1]:
                container_runs.append([])
            container_runs[-1].append(group)
        elif container_runs and container_runs[-1]:
            outermost = min(g.lines[0].marker_x0 for g in container_runs[-1])
            if group.bbox[0] < outermost - LEVEL_TOLERANCE:
                container_runs.append([])
    for run in (run for container_runs in runs.values() for run in container_runs if run):
        stops: list[float] = []
        for x in sorted(g.lines[0].marker_x0 for g in run):
            if not stops or x - stops[-1] > LEVEL_TOLERANCE:
                stops.append(x)
        for group in run:
            x = group.lines[0].marker_x0
            indent = 1 + sum(1 for stop in stops[1:] if x - stop >= -LEVEL_TOLERANCE)
            # "20.1.1." set at the same indent as "20." is still three levels deep
            depth = group.marker.rstrip(".").count(".") + 1 if _DECIMAL_MARKER_RE.match(group.marker) else 1
            group.level = max(indent, depth)


def _rounded(size: float) -> float:
    return round(size / SIZE_STEP) * SIZE_STEP
