"""Candidate priority sections of a single region's own strategy.

A strategy states its priorities under a heading ("Styrkeområden", "3.1 Selected growth
areas"), after a sentence that introduces them ("Six RDI Priority Areas have been
identified:") or in a table column headed so. Every such place is a `Candidate`: its anchor
(the heading, lead-in sentence or header cell), the heading-lexicon labels of the anchor and
of the headings it sits under, and its items, read from whichever layout the section uses:

- a list: list items (any glyph, "1.", "a)"), a top level and sub-items, running on over
  paragraphs that describe the items and over page and column breaks while the numbering
  goes on;
- sub-headings, each followed by text ("4.1.1 Innovative materials" + paragraphs), nested
  by their numbering ("4.1.4.1" under "4.1.4");
- a table: the name column of its rows, the header row left out (a cell that lists names one
  a line gives an item a line);
- run-in paragraphs: bold "Name: description" paragraphs in a row.

Every heading followed by items is a candidate, with or without a lexicon label, so the
scorer (`smartspec.extractors.scoring`) can weigh them all. A candidate is flagged as a table of
contents when it stands on a contents page (`smartspec.extractors.outline`), under a contents heading,
or when most of its items end in page numbers. The document's headings and sections come
from its `Outline`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from smartspec.extractors.document import LIST_ITEM, PARAGRAPH, TABLE_CELL, Block
from smartspec.extractors.normalise import collapse_whitespace, normalise_item, split_marker
from smartspec.extractors.furniture import page_reference
from smartspec.extractors.outline import Outline
from smartspec.extractors.priorities import Entry, Item, number_entries, reads_as_name, run_in_name
from smartspec.extractors.headings import HeadingLabel, HeadingMatcher
from smartspec.extractors.lexicon import AGAINST_LABELS
from smartspec.extractors.weights import SectionScoring

logger = logging.getLogger(__name__)

HEADING_ANCHOR = "heading"
LEAD_IN_ANCHOR = "lead_in"
TABLE_ANCHOR = "table"
LIST_LAYOUT, SUBHEADING_LAYOUT, TABLE_LAYOUT, RUN_IN_LAYOUT = "list", "subheadings", "table", "run_in"
CONTENTS_LABEL = "CONTENTS"
# A lead-in sentence's list starts within this many blocks after it.
LEAD_IN_REACH = 2
# The lead text of a list is the last this many sentences before it.
LEAD_SENTENCES = 2
# A list item after paragraphs continues a glyph list only when those paragraphs are
# indented past the item's left edge by this much (pt): they describe the item.
DESCRIPTION_INDENT = 4.0

_ORDINAL_RE = re.compile(r"^\(?(?:(\d{1,3}(?:\.\d{1,3})*)\.)?(\d{1,3}|[a-z])[.)]?$", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"(?<=[a-z0-9)][.!?])\s+(?=[A-Z0-9‘“\"'])")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place that may state the region's priorities, with the items found there."""

    anchor: Block
    anchor_kind: str  # HEADING_ANCHOR | LEAD_IN_ANCHOR | TABLE_ANCHOR
    labels: tuple[HeadingLabel, ...]  # lexicon patterns in the anchor's text
    context: tuple[str, ...]  # labels of the headings the anchor sits under
    items: tuple[Item, ...]
    layout: str
    described: bool  # the items head descriptions, or carry sub-items
    toc: bool  # it stands in a table of contents
    index: int  # the anchor's position among the document's blocks
    # the text that introduces the list, where it says what the list is ("The regional
    # development strategy sets five priority areas:"): the lead-in, or the paragraph between
    # a heading and its list, with the lexicon labels found in it
    lead: str = ""
    lead_labels: tuple[HeadingLabel, ...] = ()

    @property
    def heading(self) -> str:
        marker = f"{self.anchor.marker} " if self.anchor.marker else ""
        return collapse_whitespace(marker + self.anchor.text)

    @property
    def pages(self) -> tuple[int, ...]:
        return tuple(sorted({item.block.provenance.page for item in self.items}))

    @property
    def level1(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.level == 1)

    @property
    def label_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(label.label for label in self.labels))


def find_candidates(blocks: Sequence[Block], matcher: HeadingMatcher,
                    scoring: SectionScoring) -> list[Candidate]:
    """Every candidate priority section of a single-region document, in document order."""
    return _Finder(list(blocks), matcher, scoring).candidates()


class _Finder:
    """One document's blocks with what is worked out about them once (the outline, lexicon
    labels, contents sections); `candidates()` walks them."""

    def __init__(self, blocks: list[Block], matcher: HeadingMatcher, scoring: SectionScoring):
        self.blocks = blocks
        self.matcher = matcher
        self.scoring = scoring
        self.outline = outline = Outline(blocks, toc_page_share=scoring.toc_page_share)
        self.ranks, self.depths, self.ends = outline.ranks, outline.depths, outline.ends
        self.number_only, self.continued = outline.number_only, outline.continued
        self.open_at, self.furniture, self.toc_pages = outline.open_at, outline.furniture, outline.toc_pages
        self.lead_ins = [i for i in range(len(blocks)) if self._is_lead_in(i)]
        first_rows: dict[str, int] = {}
        for block in blocks:
            if block.kind == TABLE_CELL and block.row is not None:
                first_rows[block.container] = min(block.row, first_rows.get(block.container, block.row))
        self.header_cells = [i for i, block in enumerate(blocks) if block.kind == TABLE_CELL
                             and block.row is not None and block.row == first_rows[block.container]]
        labelled = sorted({i for i, rank in enumerate(self.ranks) if rank is not None}
                          | set(self.lead_ins) | set(self.header_cells))
        lead_ins = set(self.lead_ins)
        found = matcher.labels(_lead_in_clause(blocks[i].text, scoring.lead_in_max_words)
                               if i in lead_ins else collapse_whitespace(blocks[i].text)
                               for i in labelled)
        self.labels: dict[int, tuple[HeadingLabel, ...]] = dict(zip(labelled, found))
        self.index_of = {id(block): k for k, block in enumerate(blocks)}
        self.toc_blocks = self._contents_sections()
        self.toc_ids = {id(blocks[k]) for k in self.toc_blocks}

    def _context(self, i: int) -> tuple[str, ...]:
        return tuple(dict.fromkeys(label.label for h in self.open_at[i] if h != i
                                   for label in self.labels.get(h, ())))

    def _is_lead_in(self, i: int) -> bool:
        block = self.blocks[i]
        if self.ranks[i] is not None or block.kind not in (PARAGRAPH, LIST_ITEM):
            return False
        text = collapse_whitespace(block.text)
        return text.endswith(":") and len(text) <= self.scoring.lead_in_max_chars

    def _contents_sections(self) -> set[int]:
        """Blocks under a contents heading ("Innehåll", "Table of contents"), up to the next
        heading; a lead-in or list item so labelled covers the list after it. A table's
        header cell so labelled names a column ("Innehåll": what each row holds), not a
        table of contents."""
        blocks = set()
        for i in self.labels:
            if self.blocks[i].kind != TABLE_CELL and any(label.label == CONTENTS_LABEL
                                                          for label in self.labels[i]):
                end = self.ends.get(i, i + 1)
                if self.ranks[i] is None or end == i + 1:
                    end = next((k for k in range(i + 1, len(self.blocks)) if self.ranks[k] is not None),
                               len(self.blocks))
                blocks.update(range(i, end))
        return blocks

    # -- candidates ----------------------------------------------------------------------

    def candidates(self) -> list[Candidate]:
        found = []
        for i, rank in enumerate(self.ranks):
            if rank is None or i in self.continued or i in self.number_only:
                continue
            layout = self._section_items(i + 1, self.ends.get(i, i + 1))
            if layout is not None:
                found.append(self._candidate(i, HEADING_ANCHOR, *layout))
        for i in self.lead_ins:
            if not self.labels.get(i):
                continue
            layout = self._lead_in_items(i)
            if layout is not None:
                found.append(self._candidate(i, LEAD_IN_ANCHOR, *layout))
        for i in self.header_cells:
            if not self.labels.get(i):
                continue
            entries = self._column_below(i)
            if len(entries) >= self.scoring.items_min:
                found.append(self._candidate(i, TABLE_ANCHOR, entries, TABLE_LAYOUT, False))
        return sorted(found, key=lambda c: c.index)

    def _candidate(self, i: int, kind: str, entries: list[Entry], layout: str,
                   described: bool) -> Candidate:
        items = tuple(number_entries(entries, max_words=self.scoring.name_words_max))
        lead = self._lead(i, kind, entries)
        described = described or any(item.run_in for item in items) or any(
            item.level > 1 for item in items)
        toc = (self.blocks[i].provenance.page in self.toc_pages or i in self.toc_blocks
               or any(item.block.provenance.page in self.toc_pages for item in items)
               or any(id(item.block) in self.toc_ids for item in items)
               or sum(1 for e in entries if page_reference(e.block.text) is not None) * 2 > len(entries))
        return Candidate(self.blocks[i], kind, self.labels.get(i, ()), self._context(i), items,
                         layout, described, toc, i, lead,
                         self.matcher.labels([lead])[0] if lead else ())

    def _lead(self, i: int, kind: str, entries: list[Entry]) -> str:
        """The text introducing the list anchored at block i (see `Candidate.lead`): a lead-in
        sentence's whole paragraph with the paragraph before it; for a heading or a table,
        the last paragraph between the anchor and the first item, else the one before the
        anchor when the anchor is a table header."""
        texts = []
        if kind == LEAD_IN_ANCHOR:
            if i > 0 and self.blocks[i - 1].kind == PARAGRAPH and self.ranks[i - 1] is None:
                texts.append(self.blocks[i - 1].text)
            texts.append(self.blocks[i].text)
        else:
            first = self.index_of.get(id(entries[0].block), i + 1) if entries else i + 1
            between = [k for k in range(i + 1, first) if self.blocks[k].kind == PARAGRAPH
                       and self.ranks[k] is None and k not in self.furniture]
            if between:
                texts.append(self.blocks[between[-1]].text)
            elif kind == TABLE_ANCHOR:
                before = next((k for k in range(i - 1, max(i - 4, -1), -1)
                               if self.blocks[k].kind != TABLE_CELL), None)
                if before is not None and self.blocks[before].kind == PARAGRAPH:
                    texts.append(self.blocks[before].text)
        text = collapse_whitespace(" ".join(texts))
        sentences = _SENTENCE_END_RE.split(text)
        return " ".join(sentences[-LEAD_SENTENCES:]) if text else ""

    def _section_items(self, start: int, end: int) -> tuple[list[Entry], str, bool] | None:
        """The items of a heading's section, from the layout it uses (module docstring). A
        list, table or run of run-in paragraphs that stands under a sub-heading of the
        section is that sub-heading's, not this heading's."""
        own = next((k for k in range(start, end) if self.ranks[k] is not None and k not in self.continued), end)
        runs = self._list_runs(start, own)
        first_run = next((run for run in runs if self._top_count(run) >= self.scoring.items_min),
                         None)
        sub = self._subheadings(start, end)
        if sub and (first_run is None or sub[0][0] < first_run[0]):
            return [Entry(self.blocks[k], level) for k, level in sub], SUBHEADING_LAYOUT, True
        if first_run is not None:
            return self._run_entries(first_run), LIST_LAYOUT, self._described(first_run, end)
        table = self._table(start, own)
        if table:
            return table, TABLE_LAYOUT, False
        run_in = self._run_in_paragraphs(start, end)  # short bold run-ins rank as headings
        if run_in:
            return run_in, RUN_IN_LAYOUT, True
        return None

    def _lead_in_items(self, i: int) -> tuple[list[Entry], str, bool] | None:
        """The list a lead-in sentence introduces: for a list item, the items nested under
        it; for a paragraph, the list starting right after it."""
        block = self.blocks[i]
        end = i + 1
        while end < len(self.blocks) and self.ranks[end] is None:
            other = self.blocks[end]
            if block.kind == LIST_ITEM and other.kind == LIST_ITEM and other.level <= block.level:
                break
            end += 1
        runs = self._list_runs(i + 1, end)
        if not runs or runs[0][0] > i + LEAD_IN_REACH or self._top_count(runs[0]) < self.scoring.items_min:
            return None
        return self._run_entries(runs[0]), LIST_LAYOUT, self._described(runs[0], end)

    # -- layouts -------------------------------------------------------------------------

    def _list_runs(self, start: int, end: int) -> list[list[int]]:
        """Runs of list items in blocks[start:end]; see `_continues` for what joins them."""
        runs: list[list[int]] = []
        current: list[int] = []
        gap: list[int] = []
        for k in range(start, end):
            block = self.blocks[k]
            if k in self.continued or k in self.furniture:  # a repeated slide title, a footer
                continue
            if self.ranks[k] is not None or block.kind not in (LIST_ITEM, PARAGRAPH):
                current, gap = _close(runs, current), []
            elif block.kind == PARAGRAPH:
                if current:
                    gap.append(k)
            else:
                if current and (block.level < self.blocks[current[0]].level
                                or gap and not self._continues(current, k, gap)):
                    current = _close(runs, current)
                current.append(k)
                gap = []
        _close(runs, current)
        return runs

    def _continues(self, run: list[int], k: int, gap: list[int]) -> bool:
        """Whether list item k, after the paragraphs `gap`, goes on with `run`: it takes the
        numbering on (after any number of paragraphs describing the item before), or, after
        a few paragraphs, it is a sub-item or those paragraphs were indented under the item
        before (its description)."""
        block = self.blocks[k]
        top = min(self.blocks[j].level for j in run)
        last_top = next(self.blocks[j] for j in reversed(run) if self.blocks[j].level == top)
        if block.level == top and _follows(last_top.marker, block.marker):
            return True
        if len(gap) > self.scoring.list_paragraph_gap or block.level < top:
            return False
        if block.level > top:
            return True
        indent = _x0(last_top)
        return (indent is not None and block.marker == last_top.marker
                and all((_x0(self.blocks[g]) or 0.0) >= indent + DESCRIPTION_INDENT for g in gap))

    def _top_count(self, run: list[int]) -> int:
        top = min(self.blocks[j].level for j in run)
        return sum(1 for j in run if self.blocks[j].level == top)

    def _run_entries(self, run: list[int]) -> list[Entry]:
        return [Entry(self.blocks[j], self.blocks[j].level) for j in run]

    def _described(self, run: list[int], end: int) -> bool:
        """Whether the items are followed by paragraphs describing them."""
        top = min(self.blocks[j].level for j in run)
        tops = [j for j in run if self.blocks[j].level == top]
        followed = sum(1 for j in tops if j + 1 < end and self.blocks[j + 1].kind == PARAGRAPH)
        return followed * 2 >= len(tops)

    def _subheadings(self, start: int, end: int) -> list[tuple[int, int]]:
        """Sub-headings each followed by text: numbered ones one level below the anchor
        (and their numbered children as sub-items), else the highest-ranked ones."""
        inner = [k for k in range(start, end) if self.ranks[k] is not None
                 and k not in self.continued and k not in self.number_only
                 and not self._negative(k)]
        if not inner:
            return []
        numbered = [k for k in inner if self.depths[k] is not None]
        anchor_depth = self.depths[start - 1]
        child = (anchor_depth + 1 if anchor_depth is not None
                 else min((self.depths[k] for k in numbered), default=None))
        tops = [k for k in numbered if self.depths[k] == child]
        if len(tops) >= self.scoring.items_min:
            chosen = [k for k in numbered if self.depths[k] in (child, child + 1)]
            entries = [(k, self.depths[k] - child + 1) for k in chosen]
        else:
            best = min(self.ranks[k] for k in inner)
            tops = [k for k in inner if self.ranks[k] == best]
            entries = [(k, 1) for k in tops]
        bounds = [*tops[1:], end]
        followed = sum(1 for k, stop in zip(tops, bounds)
                       if any(self.ranks[j] is None for j in range(k + 1, stop)))
        if len(tops) < self.scoring.items_min or followed * 2 < len(tops):
            return []
        return entries

    def _negative(self, k: int) -> bool:
        return any(label.label in AGAINST_LABELS for label in self.labels.get(k, ()))

    def _table(self, start: int, end: int) -> list[Entry]:
        cells = [k for k in range(start, end) if self.blocks[k].kind == TABLE_CELL]
        if not cells:
            return []
        container = self.blocks[cells[0]].container
        return self._name_column([k for k in cells if self.blocks[k].container == container])

    def _column_below(self, i: int) -> list[Entry]:
        head = self.blocks[i]
        cells = []
        for k in range(i + 1, len(self.blocks)):
            block = self.blocks[k]
            if block.kind != TABLE_CELL or block.container != head.container:
                break
            if block.level == head.level and block.row is not None and head.row is not None \
                    and block.row > head.row:
                cells += self._cell_entries(block)
        return cells

    def _name_column(self, cells: list[int]) -> list[Entry]:
        """The table's first column that holds text in most rows, header row left out."""
        rows = sorted({self.blocks[k].row for k in cells if self.blocks[k].row is not None})
        for column in sorted({self.blocks[k].level for k in cells}):
            column_cells = [k for k in cells if self.blocks[k].level == column]
            texty = [k for k in column_cells if any(ch.isalpha() for ch in self.blocks[k].text)]
            if len(texty) * 3 < 2 * len(rows):
                continue
            if column_cells and self._header(column_cells[0], len(rows)):
                column_cells = column_cells[1:]
            return [entry for k in column_cells if self.blocks[k].text.strip()
                    for entry in self._cell_entries(self.blocks[k])]
        return []

    def _cell_entries(self, cell: Block) -> list[Entry]:
        """A name cell's items: one a line when each of its lines reads as a name (a cell that
        lists areas one a line, as a DOCX cell's paragraphs, a slide's or a page's lines
        keep them), else the cell."""
        lines = [split_marker(line)[1].strip() for line in cell.text.split("\n")]
        lines = [line for line in lines if line]
        if len(lines) > 1 and all(reads_as_name(line, max_words=self.scoring.name_words_max)
                                  for line in lines):
            return [Entry(cell, 1, line) for line in lines]
        return [Entry(cell, 1)]

    def _header(self, k: int, rows: int) -> bool:
        block = self.blocks[k]
        return rows > 2 and (block.bold or bool(self.labels.get(k)))

    def _run_in_paragraphs(self, start: int, end: int) -> list[Entry]:
        """The longest row of bold "Name: description" paragraphs (short ones count as
        headings, so heading rank is not asked)."""
        best: list[int] = []
        current: list[int] = []
        for k in range(start, end):
            block = self.blocks[k]
            if (block.kind == PARAGRAPH and block.bold and k not in self.continued
                    and run_in_name(normalise_item(block.text),
                                    max_words=self.scoring.name_words_max)):
                current.append(k)
            else:
                best, current = max(best, current, key=len), []
        best = max(best, current, key=len)
        return [Entry(self.blocks[k], 1) for k in best] if len(best) >= self.scoring.items_min else []


def _close(runs: list[list[int]], current: list[int]) -> list[int]:
    if current:
        runs.append(current)
    return []


def _x0(block: Block) -> float | None:
    return block.provenance.bbox.x0 if block.provenance.bbox is not None else None


def _follows(before: str, after: str) -> bool:
    """Whether marker `after` numbers the item after `before`: "1." -> "2.", "15.1." ->
    "15.2.", "a)" -> "b)"."""
    a, b = _ORDINAL_RE.match(before.strip()), _ORDINAL_RE.match(after.strip())
    if not (a and b) or (a.group(1) or "") != (b.group(1) or ""):
        return False
    x, y = a.group(2), b.group(2)
    if x.isdigit() and y.isdigit():
        return int(y) == int(x) + 1
    if x.isalpha() and y.isalpha():
        return ord(y.lower()) == ord(x.lower()) + 1
    return False


def _lead_in_clause(text: str, max_words: int) -> str:
    """The words of a lead-in that introduce its list: its last sentence, or when that is
    long, what follows its last comma ("..., the following filters are applied:")."""
    text = collapse_whitespace(text)
    sentence = _SENTENCE_END_RE.split(text)[-1]
    if len(sentence.split()) > max_words and "," in sentence:
        sentence = sentence.rsplit(",", 1)[1]
    return sentence.strip()
